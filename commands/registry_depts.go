package commands

import (
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/stats"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Departments talk back (issue 16): they ask for more time, return what is
// not theirs and consult each other. Each step changes the item, is audited
// and owes its notices in one transaction.

func departmentTalkCommands() []*Command {
	return []*Command{
		{Name: "cere-prelungire", Aliases: []string{"request-extension", "cere prelungire"}, Roles: resolvers, Group: groupRegistry,
			Usage: `N/YYYY ZILE motiv="..."`, UsageEn: `N/YYYY DAYS reason="..."`,
			Summary:   "departamentul responsabil cere Cabinetului mai mult timp; ce interzice legea se refuză pe loc",
			SummaryEn: "the responsible department asks the Cabinet for more time; what the law forbids is refused at once",
			Examples:  []string{`cere-prelungire 12/2026 10 motiv="așteptăm avizul ISU"`, `request-extension 12/2026 10 reason="waiting for the fire brigade"`},
			Keys:      []Key{{"motiv", "reason"}}, Run: runRequestExtension, TakesItem: true},
		{Name: "aproba-prelungire", Aliases: []string{"approve-extension", "aprobă-prelungire"}, Roles: staff, Group: groupRegistry,
			Usage: "N/YYYY [notificat=DD.MM.YYYY]", UsageEn: "N/YYYY [notified=DD.MM.YYYY]",
			Summary:   "aprobă cererea de prelungire a departamentului: aceeași prelungire ca „prelungeste”",
			SummaryEn: "approves the department's extension request: the same extension as “extend”",
			Examples:  []string{"aproba-prelungire 12/2026", "approve-extension 12/2026"},
			Keys:      []Key{{"notificat", "notified"}}, Run: runApproveExtension, TakesItem: true},
		{Name: "respinge-prelungire", Aliases: []string{"refuse-extension", "respinge prelungire"}, Roles: staff, Group: groupRegistry,
			Usage: `N/YYYY motiv="..."`, UsageEn: `N/YYYY reason="..."`,
			Summary: "respinge cererea de prelungire, cu motiv", SummaryEn: "refuses the extension request, with a reason",
			Examples: []string{`respinge-prelungire 12/2026 motiv="termenul legal nu permite"`, `refuse-extension 12/2026 reason="not needed"`},
			Keys:     []Key{{"motiv", "reason"}}, Run: runRefuseExtension, TakesItem: true},
		{Name: "returneaza", Aliases: []string{"return", "returnează"}, Roles: resolvers, Group: groupRegistry,
			Usage: `N/YYYY motiv="..."`, UsageEn: `N/YYYY reason="..."`,
			Summary:   "departamentul responsabil înapoiază Cabinetului ce nu e al lui; termenul curge în continuare",
			SummaryEn: "the responsible department gives back to the Cabinet what is not its own; the deadline keeps running",
			Examples:  []string{`returneaza 12/2026 motiv="ține de Direcția Patrimoniu"`, `return 12/2026 reason="belongs to Heritage"`},
			Keys:      []Key{{"motiv", "reason"}}, Run: runReturn, TakesItem: true},
		{Name: "consulta", Aliases: []string{"consult", "consultă"}, Roles: resolvers, Group: groupRegistry,
			Usage: `N/YYYY DEPARTAMENT intrebare="..." [termen=DD.MM.YYYY]`, UsageEn: `N/YYYY DEPARTMENT question="..." [due=DD.MM.YYYY]`,
			Summary:   "cere părerea altui departament, cu termen propriu (implicit 5 zile lucrătoare, niciodată după termenul înregistrării)",
			SummaryEn: "asks another department for input, with its own due date (5 working days by default, never after the item's deadline)",
			Examples:  []string{`consulta 12/2026 DF intrebare="Există fonduri în buget?" termen=04.12.2026`, `consult 12/2026 DF question="Is there budget?"`},
			Keys:      []Key{{"intrebare", "question"}, {"termen", "due"}}, Run: runConsult, TakesItem: true},
		{Name: "raspunde-consultare", Aliases: []string{"answer-consultation", "răspunde-consultare", "raspunde consultare"}, Roles: resolvers, Group: groupRegistry,
			Usage: `N/YYYY "răspuns"`, UsageEn: `N/YYYY "answer"`,
			Summary:   "departamentul consultat răspunde (un fișier se poate atașa); răspunsul ajunge în firul celui care a întrebat",
			SummaryEn: "the consulted department answers (a file may be attached); the answer reaches the asker's thread",
			Examples:  []string{`raspunde-consultare 12/2026 "Da, din capitolul 70.02"`, `answer-consultation 12/2026 "Yes, chapter 70.02"`},
			Keys:      []Key{{"text", "text"}}, Run: runAnswerConsultation, TakesItem: true, File: "document", FileOptional: true},
	}
}

// reason reads the required motiv="…".
func (c *Call) reason() (string, error) {
	v, _ := c.Key("motiv")
	if v = strings.TrimSpace(v); v == "" {
		return "", c.Fail("Lipsește motivul: motiv=\"…\".", "The reason is missing: reason=\"…\".")
	}
	return v, nil
}

// mayTalkFor checks that the caller may speak for the item's responsible
// department: one of its members, or the Cabinet; and that it is open.
func (c *Call) mayTalkFor(it storage.Item, verb, verbEn string) error {
	if !it.Status.Open() {
		return c.closedError(it)
	}
	if it.Dept == "" {
		return &UserError{Ro: fmt.Sprintf("%s nu este repartizată niciunui departament: nu are cine să %s.", it.Number, verb),
			En: fmt.Sprintf("%s is not assigned to any department: nobody to %s.", it.Number, verbEn)}
	}
	if !c.Caller.canResolve(it) {
		return &UserError{Ro: fmt.Sprintf("Doar departamentul responsabil (%s) sau Cabinetul poate să %s pentru %s.", it.Dept, verb, it.Number),
			En: fmt.Sprintf("Only the responsible department (%s) or the Cabinet may %s for %s.", it.Dept, verbEn, it.Number)}
	}
	return nil
}

// runRequestExtension records a department's request for more time, once
// the law's rules for extensions (the same check as prelungeste) allow it,
// and sends the Cabinet a card to decide it.
func runRequestExtension(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Lipsește numărul de zile.", "The number of days is missing.")
	}
	days, ok := positiveInt(c.Args[1])
	if !ok || days > 365 {
		return Reply{}, c.Fail("Zilele trebuie să fie un număr întreg între 1 și 365, nu „%s”.", "Days must be a whole number from 1 to 365, not “%s”.", c.Args[1])
	}
	why, err := c.reason()
	if err != nil {
		return Reply{}, err
	}
	check := func(x storage.Item) error {
		if err := c.mayTalkFor(x, "ceară prelungirea", "request an extension"); err != nil {
			return err
		}
		if r := x.ExtRequest; r != nil {
			return c.Fail("%s are deja o cerere de prelungire nedecisă (%s, de la %s).", "%s already has an undecided extension request (%s, from %s).", x.Number, c.dayCount(r.Days), r.Dept)
		}
		return c.checkExtension(x, extension{days: days})
	}
	if err := check(it); err != nil {
		return Reply{}, err
	}
	req := storage.ExtRequest{Dept: it.Dept, Days: days, Reason: why, By: c.Caller.Key(), At: c.e.Now()}
	m := c.owe(func(made storage.Made) []Notice { return []Notice{c.requestCard(made.Items[0])} })
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "extension-request", fmt.Sprintf("+%s: %s", text.Count(days, text.Zile), why), m,
		func(items []*storage.Item) error {
			if err := check(*items[0]); err != nil {
				return err
			}
			req.Dept = items[0].Dept
			items[0].ExtRequest = &req
			return nil
		})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Cerere de prelungire trimisă Cabinetului: %s, +%s", "Extension request sent to the Cabinet: %s, +%s", it.Number, c.dayCount(days)), changed[0])
	r.Actions = nil
	return r, nil
}

// requestCard is the card the Cabinet decides a request on.
func (c *Call) requestCard(it storage.Item) Notice {
	n, r := it.Number.String(), it.ExtRequest
	card := Reply{Item: n, Title: fmt.Sprintf("%s cere prelungirea termenului pentru %s cu %s", r.Dept, n, text.Count(r.Days, text.Zile)),
		Fields: []Field{{Label: "Subiect", Value: it.Subject}, {Label: "Termen acum", Value: roDeadline(it)}, {Label: "Motiv", Value: r.Reason}},
		Actions: []Action{{ID: "approve-extension", Label: "Aprobă", Command: "aproba-prelungire " + n},
			{ID: "refuse-extension", Label: "Respinge", Command: "respinge-prelungire " + n, Inputs: []string{"motiv"}}}}
	return Notice{To: Recipient{Kind: ToCabinet}, Reply: card}
}

// pendingRequest loads the item and its undecided request.
func (c *Call) pendingRequest() (storage.Item, error) {
	it, err := c.item(0)
	if err != nil {
		return it, err
	}
	if it.ExtRequest == nil {
		return it, c.Fail("%s nu are nicio cerere de prelungire nedecisă.", "%s has no undecided extension request.", it.Number)
	}
	return it, nil
}

// runApproveExtension runs the requested extension exactly as prelungeste
// does, clears the request, and tells the department in the item's thread.
func runApproveExtension(c *Call) (Reply, error) {
	it, err := c.pendingRequest()
	if err != nil {
		return Reply{}, err
	}
	n, err := c.readNotice()
	if err != nil {
		return Reply{}, err
	}
	req := *it.ExtRequest
	ext := extension{days: req.Days, notified: n.notified}
	if it.Category == string(calendar.PublicInfo) && !ext.notified.IsZero() {
		if err := c.checkNoticeDate(it, ext); err != nil {
			return Reply{}, err
		}
	}
	m := c.owe(func(made storage.Made) []Notice {
		x := made.Items[0]
		return []Notice{{To: Recipient{Kind: ToItem, ID: x.Number.String()}, Reply: Reply{Item: x.Number.String(),
			Title: fmt.Sprintf("Cererea de prelungire a %s aprobată: %s, termen nou %s", req.Dept, x.Number, roDeadline(x))}}}
	})
	return c.extend(it, ext, fmt.Sprintf("; cerută de %s: %s", req.Dept, req.Reason), m, func(x *storage.Item) error {
		if x.ExtRequest == nil {
			return c.Fail("Cererea de prelungire pentru %s a fost deja decisă.", "The extension request for %s was already decided.", x.Number)
		}
		x.ExtRequest = nil
		return nil
	})
}

// runRefuseExtension refuses a request with a reason, and tells the
// department in the item's thread.
func runRefuseExtension(c *Call) (Reply, error) {
	it, err := c.pendingRequest()
	if err != nil {
		return Reply{}, err
	}
	why, err := c.reason()
	if err != nil {
		return Reply{}, err
	}
	req := *it.ExtRequest
	m := c.owe(func(made storage.Made) []Notice {
		x := made.Items[0]
		return []Notice{{To: Recipient{Kind: ToItem, ID: x.Number.String()}, Reply: Reply{Item: x.Number.String(),
			Title: fmt.Sprintf("Cererea de prelungire a %s respinsă: %s rămâne cu termenul %s", req.Dept, x.Number, roDeadline(x)),
			Lines: []string{"Motiv: " + why}}}}
	})
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "extension-refused", why, m, func(items []*storage.Item) error {
		if items[0].ExtRequest == nil {
			return c.Fail("Cererea de prelungire pentru %s a fost deja decisă.", "The extension request for %s was already decided.", it.Number)
		}
		items[0].ExtRequest = nil
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.card(c.T("Cererea de prelungire pentru %s respinsă", "Extension request for %s refused", it.Number), changed[0]), nil
}

// runReturn gives an item back to the Cabinet's queue: the department is no
// longer responsible, the deadline keeps running, and the Cabinet gets a
// card to assign it elsewhere.
func runReturn(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	why, err := c.reason()
	if err != nil {
		return Reply{}, err
	}
	if err := c.mayTalkFor(it, "o returneze", "return it"); err != nil {
		return Reply{}, err
	}
	now := c.e.Now()
	m := c.owe(func(made storage.Made) []Notice { return []Notice{c.returnCard(made.Items[0])} })
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "return", it.Dept+": "+why, m, func(items []*storage.Item) error {
		x := items[0]
		if err := c.mayTalkFor(*x, "o returneze", "return it"); err != nil {
			return err
		}
		ret := storage.Return{Dept: x.Dept, Reason: why, By: c.Caller.Key(), At: now}
		if !x.AssignedAt.IsZero() {
			ret.Held = now.Sub(x.AssignedAt)
		}
		x.Returns = append(x.Returns, ret)
		x.ReturnedBy, x.Dept, x.CC, x.Status, x.AssignedAt, x.ExtRequest = ret.Dept, "", nil, storage.StatusRegistered, now, nil
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s returnată Cabinetului", "%s returned to the Cabinet", it.Number), changed[0])
	r.Actions = nil
	r.Lines = append(r.Lines, c.T("Termenul curge în continuare: %s.", "The deadline keeps running: %s.", c.deadlineText(it.Deadline, it.DeadlineTime, true)))
	return r, nil
}

// returnCard is the card the Cabinet reassigns a returned item from.
func (c *Call) returnCard(it storage.Item) Notice {
	n, ret := it.Number.String(), it.Returns[len(it.Returns)-1]
	lost := int(ret.Held.Hours() / 24)
	card := Reply{Item: n, Title: fmt.Sprintf("%s returnată de %s", n, ret.Dept),
		Fields: []Field{{Label: "Subiect", Value: it.Subject}, {Label: "Motiv", Value: ret.Reason},
			{Label: "Termen", Value: roDeadline(it) + " (curge în continuare)"},
			{Label: "Timp pierdut", Value: text.Count(lost, text.Zile) + " la " + ret.Dept}},
		Actions: []Action{{ID: "assign", Label: "Repartizează", Command: "repartizeaza " + n, Inputs: []string{"departament"}}}}
	return Notice{To: Recipient{Kind: ToCabinet}, Reply: card}
}

// consultDays is how many working days a consulted department has by default.
const consultDays = 5

// runConsult asks another department for input on an item, with a due
// date no later than the item's deadline.
func runConsult(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Lipsește departamentul consultat.", "The department to consult is missing.")
	}
	to, err := c.openDepartment(strings.Join(c.Args[1:], " "))
	if err != nil {
		return Reply{}, err
	}
	q, _ := c.Key("intrebare")
	if q = strings.TrimSpace(q); q == "" {
		return Reply{}, c.Fail("Lipsește întrebarea: intrebare=\"…\".", "The question is missing: question=\"…\".")
	}
	if err := c.mayTalkFor(it, "consulte", "consult"); err != nil {
		return Reply{}, err
	}
	if to.Code == it.Dept {
		return Reply{}, c.Fail("%s este responsabil de %s: consultați alt departament.", "%s is responsible for %s: consult another department.", to.Code, it.Number)
	}
	due, err := c.consultDue(it)
	if err != nil {
		return Reply{}, err
	}
	from := it.Dept
	if c.Caller.isStaff() {
		from = ""
	}
	cons := storage.Consultation{From: from, To: to.Code, Question: q, Due: due.ISO(), AskedBy: c.Caller.Key(), AskedAt: c.e.Now()}
	m := c.owe(func(made storage.Made) []Notice {
		x := made.Items[0]
		return []Notice{c.consultCard(x, x.Consults[len(x.Consults)-1])}
	})
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "consult", fmt.Sprintf("%s → %s, până pe %s: %s", asker(from), to.Code, due, q), m,
		func(items []*storage.Item) error {
			x := items[0]
			if err := c.mayTalkFor(*x, "consulte", "consult"); err != nil {
				return err
			}
			cons.ID = len(x.Consults) + 1
			x.Consults = append(x.Consults, cons)
			return nil
		})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s: %s consultat, răspuns până pe %s", "%s: %s consulted, answer due %s", it.Number, to.Code, due), changed[0])
	r.Actions = nil
	return r, nil
}

// asker names who asked a consultation.
func asker(from string) string {
	if from == "" {
		return "Cabinetul"
	}
	return from
}

// consultDue reads termen=, or gives 5 working days; never after the item's
// deadline, never before today.
func (c *Call) consultDue(it storage.Item) (calendar.Date, error) {
	today := calendar.DateOf(c.e.Now())
	limit, noLimit := calendar.ParseISO(it.Deadline)
	v, given := c.Key("termen")
	if !given {
		due := c.e.Calendar().AddWorkingDays(today, consultDays)
		if noLimit == nil && due.After(limit) {
			due = limit
		}
		if due.Before(today) {
			return due, c.Fail("Termenul lui %s (%s) a trecut: o consultare nu poate avea termen după el.",
				"The deadline of %s (%s) has passed: a consultation cannot be due after it.", it.Number, limit)
		}
		return due, nil
	}
	due, err := c.date(v)
	if err != nil {
		return due, err
	}
	if due.Before(today) {
		return due, c.Fail("Termenul consultării (%s) este în trecut.", "The consultation's due date (%s) is in the past.", due)
	}
	if noLimit == nil && due.After(limit) {
		return due, c.Fail("Termenul consultării (%s) nu poate fi după termenul lui %s (%s): răspunsul trebuie dat la timp.",
			"The consultation's due date (%s) cannot be after the deadline of %s (%s): the answer must be given in time.", due, it.Number, limit)
	}
	return due, nil
}

// consultCard is the card the consulted department answers from.
func (c *Call) consultCard(it storage.Item, k storage.Consultation) Notice {
	n := it.Number.String()
	card := Reply{Item: n, Title: fmt.Sprintf("%s vă consultă pentru %s, răspuns până pe %s", asker(k.From), n, isoToDate(k.Due)),
		Fields: []Field{{Label: "Subiect", Value: it.Subject}, {Label: "Întrebare", Value: k.Question},
			{Label: "Termenul înregistrării", Value: roDeadline(it)}},
		Lines:   []string{fmt.Sprintf("Răspundeți în acest fir: raspunde-consultare %s \"…\" (un fișier se poate atașa).", n)},
		Actions: []Action{{ID: "answer-consultation", Label: "Răspunde", Command: "raspunde-consultare " + n, Inputs: []string{"text"}}}}
	return Notice{To: Recipient{Kind: ToDepartment, ID: k.To}, Reply: card}
}

// runAnswerConsultation records the consulted department's answer (the
// Cabinet may answer for it) and sends it to the item's threads.
func runAnswerConsultation(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	answer, err := c.consultAnswer()
	if err != nil {
		return Reply{}, err
	}
	var k storage.Consultation
	pick := func(x *storage.Item) (*storage.Consultation, error) {
		for i := range x.Consults {
			if x.Consults[i].Open() && (c.Caller.isStaff() || x.Consults[i].To == c.Caller.Dept) {
				return &x.Consults[i], nil
			}
		}
		return nil, c.Fail("%s nu are nicio consultare deschisă la care să puteți răspunde.", "%s has no open consultation you may answer.", x.Number)
	}
	if _, err := pick(&it); err != nil {
		return Reply{}, err
	}
	ref, err := c.storeAnswerFile()
	if err != nil {
		return Reply{}, err
	}
	note := answer
	if ref != nil {
		note += " (fișier: " + ref.Name + ")"
	}
	m := c.owe(func(made storage.Made) []Notice { return []Notice{c.answerNotice(made.Items[0], k)} })
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "consult-answer", note, m, func(items []*storage.Item) error {
		p, err := pick(items[0])
		if err != nil {
			return err
		}
		p.Answer, p.AnsweredBy, p.AnsweredAt, p.File = answer, c.Caller.Key(), c.e.Now(), ref
		k = *p
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s: răspunsul %s la consultare trimis lui %s", "%s: %s's answer to the consultation sent to %s", it.Number, k.To, asker(k.From)), changed[0])
	r.Actions = nil
	return r, nil
}

// consultAnswer reads the answer: the text after the number, or text=
// (what the Slack form and the Telegram prompt fill in).
func (c *Call) consultAnswer() (string, error) {
	a, _ := c.Key("text")
	if a == "" && len(c.Args) > 1 {
		a = strings.Join(c.Args[1:], " ")
	}
	if a = strings.TrimSpace(a); a == "" {
		return "", c.Fail("Lipsește răspunsul: raspunde-consultare N/AAAA \"…\".", "The answer is missing: answer-consultation N/YYYY \"…\".")
	}
	return a, nil
}

// storeAnswerFile keeps the file sent with an answer in the file store (nil
// when none was sent); the answer's transaction references it.
func (c *Call) storeAnswerFile() (*storage.FileRef, error) {
	if len(c.Req.Files) == 0 {
		return nil, nil
	}
	ref, err := c.storeFile("the answer's file")
	if err != nil {
		return nil, err
	}
	return &ref, nil
}

// answerNotice carries the answer, with its file, to the item's threads (the
// asking department's card among them).
func (c *Call) answerNotice(it storage.Item, k storage.Consultation) Notice {
	n := it.Number.String()
	r := Reply{Item: n, Title: fmt.Sprintf("Răspunsul %s la consultarea pentru %s", k.To, n),
		Fields: []Field{{Label: "Întrebare", Value: k.Question}, {Label: "Răspuns", Value: k.Answer}}}
	if k.File != nil {
		if data, err := c.e.store.ReadFile(k.File.SHA256); err == nil {
			r.Files = []File{{Name: k.File.Name, MIME: k.File.Type, Data: data}}
		} else {
			c.e.log.Error("read the answer's file", "file", k.File.SHA256, "err", err)
		}
		r.Fields = append(r.Fields, Field{Label: "Fișier", Value: k.File.Name})
	}
	return Notice{To: Recipient{Kind: ToItem, ID: n}, Reply: r}
}

// workLines write a department's pending extension requests, the
// consultations it must answer and those it waits on ("" as dept: every
// pending request, for the Cabinet). Overdue consultations are marked.
func (c *Call) workLines(dept string) ([]string, error) {
	w, err := c.e.store.DepartmentWork(dept)
	if err != nil || w.Empty() {
		return nil, err
	}
	today := calendar.DateOf(c.e.Now()).ISO()
	var out []string
	section := func(ro, en string, list []storage.WorkEntry, line func(storage.WorkEntry) string) {
		if len(list) == 0 {
			return
		}
		out = append(out, c.T(ro, en, len(list)))
		for _, e := range list[:min(len(list), digestLimit)] {
			out = append(out, "• "+line(e)+" · "+text.Truncate(e.Subject, 50))
		}
		if len(list) > digestLimit {
			out = append(out, c.T("  … și încă %d", "  … and %d more", len(list)-digestLimit))
		}
	}
	late := func(e storage.WorkEntry) string {
		if e.Due < today {
			return c.T(" (restantă)", " (overdue)")
		}
		return ""
	}
	section("Cereri de prelungire nedecise: %d", "Undecided extension requests: %d", w.Requests, func(e storage.WorkEntry) string {
		return fmt.Sprintf("%s · %s · +%s · %s", e.Number, e.Other, c.dayCount(e.Days), c.T("termen ", "due ")+isoToDate(e.Due))
	})
	section("Consultări de răspuns: %d", "Consultations to answer: %d", w.ToAnswer, func(e storage.WorkEntry) string {
		return fmt.Sprintf("%s · %s %s · %s %s%s", e.Number, c.T("de la", "from"), asker(e.Other), c.T("până pe", "due"), isoToDate(e.Due), late(e))
	})
	section("Consultări așteptate: %d", "Consultations waited on: %d", w.Waiting, func(e storage.WorkEntry) string {
		return fmt.Sprintf("%s · %s · %s %s%s", e.Number, e.Other, c.T("până pe", "due"), isoToDate(e.Due), late(e))
	})
	return out, nil
}

// consultLines are the open consultations a department must answer, for
// its overdue list: apart from its own items.
func (c *Call) consultLines(dept string) ([]string, error) {
	if dept == "" {
		return nil, nil
	}
	w, err := c.e.store.DepartmentWork(dept)
	if err != nil || len(w.ToAnswer) == 0 {
		return nil, err
	}
	today := calendar.DateOf(c.e.Now()).ISO()
	late := 0
	for _, e := range w.ToAnswer {
		if e.Due < today {
			late++
		}
	}
	out := []string{c.T("Consultări de răspuns (în afara înregistrărilor proprii): %d, restante %d", "Consultations to answer (apart from its own items): %d, overdue %d", len(w.ToAnswer), late)}
	for _, e := range w.ToAnswer {
		mark := ""
		if e.Due < today {
			mark = c.T(" (restantă)", " (overdue)")
		}
		out = append(out, fmt.Sprintf("• %s · %s %s · %s %s%s · %s", e.Number, c.T("de la", "from"), asker(e.Other), c.T("până pe", "due"), isoToDate(e.Due), mark, text.Truncate(e.Subject, 50)))
	}
	return out, nil
}

// deptTalkFields add to a report the returns made in the period, by the
// department that returned, and the consultations asked, by the department
// consulted (with a department filter: that department's).
func (c *Call) deptTalkFields(r *Reply, p span, f stats.Filter) error {
	if f.Category != "" {
		return nil // returns and consultations are not counted by category
	}
	returns, consults, err := c.e.store.DeptCounts(p.from.ISO(), p.to.ISO())
	if err != nil {
		return err
	}
	field := func(ro, en string, m map[string]int) {
		if f.Dept != "" {
			m = map[string]int{f.Dept: m[f.Dept]}
		}
		if total(m) == 0 {
			return
		}
		var parts []string
		for _, kv := range byCount(m) {
			parts = append(parts, kv.key+" "+c.num(kv.n))
		}
		r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: c.num(total(m)) + " (" + strings.Join(parts, ", ") + ")"})
	}
	field("Returnate Cabinetului", "Returned to the Cabinet", returns)
	field("Consultări cerute", "Consultations asked", consults)
	return nil
}
