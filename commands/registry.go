package commands

import (
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func registryCommands() []*Command {
	return []*Command{
		{Name: "inregistreaza", Aliases: []string{"register", "înregistrează"}, Roles: staff, Group: groupRegistry,
			Usage:   `de="..." subiect="..." [tip=...] [categorie=...] [canal=...] [pagini=N] [termen=DD.MM.YYYY] [contact="..."] [nr="..."]`,
			UsageEn: `from="..." subject="..." [type=...] [category=...] [channel=...] [pages=N] [deadline=DD.MM.YYYY] [contact="..."] [ref="..."]`,
			Summary: "înregistrează o scrisoare primită și îi calculează termenul legal", SummaryEn: "registers an incoming letter and computes its legal deadline",
			Examples: []string{`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă pe str. Horea"`,
				`register from="Ministerul Dezvoltării" type=ministry subject="Situația PNRR" deadline=10.12.2026`},
			Keys: []Key{{"de", "from"}, {"tip", "type"}, {"categorie", "category"}, {"subiect", "subject"}, {"canal", "channel"},
				{"pagini", "pages"}, {"termen", "deadline"}, {"contact", "contact"}, {"nr", "ref"}},
			Run: runRegister},
		{Name: "arata", Aliases: []string{"show", "arată"}, Roles: readers, Group: groupRegistry,
			Usage: "N/YYYY", UsageEn: "N/YYYY",
			Summary: "arată o înregistrare întreagă, cu istoricul ei", SummaryEn: "shows a registration whole, with its history",
			Examples: []string{"arata 12/2026", "show 12/2026"}, Run: runShow, TakesItem: true},
		{Name: "repartizeaza", Aliases: []string{"assign", "repartizează"}, Roles: staff, Group: groupRegistry,
			Usage: "N/YYYY DEPARTAMENT [cc=D2,D3]", UsageEn: "N/YYYY DEPARTMENT [cc=D2,D3]",
			Summary: "dă o înregistrare unui departament responsabil (altele în copie)", SummaryEn: "assigns a registration to a responsible department (others in copy)",
			Examples: []string{"repartizeaza 12/2026 DT cc=DAS,DPM", "assign 12/2026 DT"},
			Keys:     []Key{{"cc", "cc"}}, Run: runAssign, TakesItem: true},
		{Name: "prelungeste", Aliases: []string{"extend", "prelungește"}, Roles: staff, Group: groupRegistry,
			Usage: "N/YYYY ZILE", UsageEn: "N/YYYY DAYS",
			Summary: "prelungește termenul (petițiile o singură dată, cu cel mult 15 zile)", SummaryEn: "extends the deadline (petitions once, by at most 15 days)",
			Examples: []string{"prelungeste 12/2026 15", "extend 12/2026 15"}, Run: runExtend, TakesItem: true},
		{Name: "redirectioneaza", Aliases: []string{"forward", "redirecționează"}, Roles: staff, Group: groupRegistry,
			Usage: `N/YYYY institutie="..."`, UsageEn: `N/YYYY institution="..."`,
			Summary: "trimite înregistrarea instituției competente", SummaryEn: "forwards the registration to the competent institution",
			Examples: []string{`redirectioneaza 12/2026 institutie="Prefectura Cluj"`, `forward 12/2026 institution="Prefectura Cluj"`},
			Keys:     []Key{{"institutie", "institution"}}, Run: runForward, TakesItem: true},
		{Name: "conexeaza", Aliases: []string{"join", "conexează"}, Roles: staff, Group: groupRegistry,
			Usage: "N/YYYY M/YYYY", UsageEn: "N/YYYY M/YYYY",
			Summary: "conexează N la înregistrarea anterioară M, pe aceeași problemă", SummaryEn: "joins N to the earlier registration M on the same matter",
			Examples: []string{"conexeaza 15/2026 12/2026", "join 15/2026 12/2026"}, Run: runJoin},
		{Name: "rezolva", Aliases: []string{"resolve", "rezolvă", "rezolvat", "resolved"}, Roles: resolvers, Group: groupRegistry,
			Usage: "N/YYYY [raspuns=NR] [data=DD.MM.YYYY]", UsageEn: "N/YYYY [answer=NO] [date=DD.MM.YYYY]",
			Summary: "închide înregistrarea cu numărul și data răspunsului", SummaryEn: "closes the registration with the answer's number and date",
			Examples: []string{"rezolva 12/2026 raspuns=4521 data=20.11.2026", "resolve 12/2026 answer=4521"},
			Keys:     []Key{{"raspuns", "answer"}, {"data", "date"}}, Run: runResolve, TakesItem: true},
		{Name: "claseaza", Aliases: []string{"file", "clasează"}, Roles: staff, Group: groupRegistry,
			Usage: `N/YYYY [motiv="..."]`, UsageEn: `N/YYYY [reason="..."]`,
			Summary: "clasează fără răspuns (de exemplu petițiile anonime)", SummaryEn: "files without an answer (anonymous petitions, for instance)",
			Examples: []string{`claseaza 12/2026 motiv="petiție anonimă"`, "file 12/2026"},
			Keys:     []Key{{"motiv", "reason"}}, Run: runFile, TakesItem: true},
		{Name: "restante", Aliases: []string{"overdue", "restanțe"}, Roles: readers, Group: groupRegistry,
			Usage: "[DEPARTAMENT]", UsageEn: "[DEPARTMENT]",
			Summary: "ce a depășit termenul, cele mai vechi întâi", SummaryEn: "what is past its deadline, oldest first",
			Examples: []string{"restante", "restante DT", "overdue"}, Run: runOverdue},
		{Name: "cauta", Aliases: []string{"find", "caută"}, Roles: readers, Group: groupRegistry,
			Usage: "[TEXT] [de=...] [stare=...] [departament=...] [perioada=DD.MM.YYYY-DD.MM.YYYY]", UsageEn: "[TEXT] [from=...] [status=...] [department=...] [period=DD.MM.YYYY-DD.MM.YYYY]",
			Summary: "caută în registru după text, expeditor, stare, departament, perioadă", SummaryEn: "searches the register by text, sender, status, department, period",
			Examples: []string{"cauta groapa horea", "cauta de=popescu stare=repartizata", "find lighting period=01.11.2026-30.11.2026"},
			Keys:     []Key{{"de", "from"}, {"stare", "status"}, {"departament", "department"}, {"perioada", "period"}}, Run: runFind},
		{Name: "termen", Aliases: []string{"deadline"}, Roles: everyone, Group: groupRegistry,
			Usage: "DD.MM.YYYY CATEGORIE", UsageEn: "DD.MM.YYYY CATEGORY",
			Summary: "termenul legal pentru ceva înregistrat în acea zi, cu regula aplicată", SummaryEn: "the legal deadline of something registered that day, with the rule applied",
			Examples: []string{"termen 25.11.2026 petitie", "deadline today public-info"}, Run: runDeadline},
	}
}

// runRegister registers a letter: checks every argument first, then gives it
// the next number in one transaction with its indexes and audit entry.
func runRegister(c *Call) (Reply, error) {
	if len(c.Args) > 0 {
		return Reply{}, c.Fail("Argument neînțeles: „%s”. Dați fiecare valoare ca cheie=valoare, cu ghilimele când are spații.",
			"Argument not understood: “%s”. Give each value as key=value, quoted when it has spaces.", c.Args[0])
	}
	now := c.e.Now()
	it := storage.Item{Registered: now, RegisteredBy: c.Caller.Key(), Status: storage.StatusRegistered}
	it.SenderType = "cetatean"
	if v, ok := c.Key("tip"); ok {
		if it.SenderType, ok = choice(senderTypeWords, v); !ok {
			return Reply{}, c.Fail("Tip de expeditor necunoscut: „%s”. Tipuri: %s.", "Unknown sender type: “%s”. Types: %s.", v, choiceList(senderTypeWords))
		}
	}
	it.Sender, _ = c.Key("de")
	it.Sender = strings.TrimSpace(it.Sender)
	if it.Sender == "" {
		if it.SenderType != "anonim" {
			return Reply{}, c.Fail("Lipsește expeditorul: de=\"...\" (sau tip=anonim).", "The sender is missing: from=\"...\" (or type=anonymous).")
		}
		it.Sender = c.T("Anonim", "Anonymous")
	}
	if it.Subject, _ = c.Key("subiect"); strings.TrimSpace(it.Subject) == "" {
		return Reply{}, c.Fail("Lipsește subiectul: subiect=\"...\".", "The subject is missing: subject=\"...\".")
	}
	it.Subject = strings.TrimSpace(it.Subject)
	cat := defaultCategory(it.SenderType)
	if v, ok := c.Key("categorie"); ok {
		w, ok := choice(categoryWords, v)
		if !ok {
			return Reply{}, c.Fail("Categorie necunoscută: „%s”. Categorii: %s.", "Unknown category: “%s”. Categories: %s.", v, choiceList(categoryWords))
		}
		cat = calendar.Category(w)
	}
	it.Category = string(cat)
	if v, ok := c.Key("canal"); ok {
		if it.Channel, ok = choice(channelWords, v); !ok {
			return Reply{}, c.Fail("Canal necunoscut: „%s”. Canale: %s.", "Unknown channel: “%s”. Channels: %s.", v, choiceList(channelWords))
		}
	}
	if v, ok := c.Key("pagini"); ok {
		if it.Pages, ok = positiveInt(v); !ok {
			return Reply{}, c.Fail("Numărul de pagini trebuie să fie un număr întreg pozitiv, nu „%s”.", "Pages must be a positive whole number, not “%s”.", v)
		}
	}
	it.Contact, _ = c.Key("contact")
	it.SenderRef, _ = c.Key("nr")
	req := calendar.Request{Category: cat, Registered: now}
	if v, ok := c.Key("termen"); ok {
		d, err := c.date(v)
		if err != nil {
			return Reply{}, err
		}
		if d.Before(calendar.DateOf(now)) {
			return Reply{}, c.Fail("Termenul %s este înaintea datei înregistrării (%s).", "The deadline %s is before the registration date (%s).", d, calendar.DateOf(now))
		}
		req.Explicit, it.Explicit = d, d.ISO()
	}
	dl := c.e.Calendar().Compute(req, c.e.rules)
	it.Deadline, it.DeadlineTime = dl.Due.ISO(), dl.Time

	saved, _, err := c.e.store.Register(c.Ctx, now.Year(), it, c.meta())
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Înregistrat %s", "Registered %s", saved.Number), saved)
	r.Lines = append(r.Lines, c.T("Termen: %s", "Deadline: %s", dl.Explain(c.Lang == English)))
	if cat == calendar.Petition && saved.SenderType == "anonim" {
		r.Lines = append(r.Lines, c.T("Petiție anonimă: se clasează fără răspuns (OG 27/2002) — „claseaza %s”.",
			"Anonymous petition: it is filed without an answer (OG 27/2002) — “file %s”.", saved.Number))
	}
	return r, nil
}

func runShow(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Înregistrarea %s", "Registration %s", it.Number), it)
	hist, err := c.e.store.History(storage.KindItem, it.Number.String())
	if err != nil {
		return Reply{}, err
	}
	r.Lines = append(r.Lines, c.T("Istoric:", "History:"))
	for _, h := range hist {
		r.Lines = append(r.Lines, "• "+stamp(h.At)+" "+h.Who+": "+c.actionName(h.Action)+noteSuffix(h.Note))
	}
	return r, nil
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " — " + n
}

var actionNames = map[string][2]string{
	"register": {"înregistrată", "registered"}, "assign": {"repartizată", "assigned"},
	"reassign": {"repartizată din nou", "reassigned"}, "extend": {"termen prelungit", "deadline extended"},
	"forward": {"redirecționată", "forwarded"}, "join": {"conexată", "joined"},
	"resolve": {"rezolvată", "resolved"}, "file": {"clasată", "filed"},
}

func (c *Call) actionName(a string) string { return c.Lang.name(actionNames, a) }

// runAssign gives an item to a responsible department, others in copy, and
// tells the department.
func runAssign(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Lipsește departamentul.", "The department is missing.")
	}
	dept, err := c.openDepartment(strings.Join(c.Args[1:], " "))
	if err != nil {
		return Reply{}, err
	}
	var cc []string
	if v, ok := c.Key("cc"); ok {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			d, err := c.openDepartment(part)
			if err != nil {
				return Reply{}, err
			}
			if d.Code != dept.Code {
				cc = append(cc, d.Code)
			}
		}
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	action, note := "assign", dept.Code
	if len(cc) > 0 {
		note += " (cc " + strings.Join(cc, ", ") + ")"
	}
	if it.Dept != "" {
		action = "reassign"
		note = it.Dept + " → " + dept.Code
	}
	m := c.owe(func(made storage.Made) []Notice { return c.assignNotices(made.Items[0]) })
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, action, note, m, func(items []*storage.Item) error {
		x := items[0]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		x.Dept, x.CC, x.Status, x.AssignedAt = dept.Code, cc, storage.StatusAssigned, c.e.Now()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	title := c.T("%s repartizată la %s", "%s assigned to %s", it.Number, dept.Code)
	if action == "reassign" {
		title = c.T("%s repartizată din nou: %s", "%s reassigned: %s", it.Number, note)
	}
	return c.card(title, changed[0]), nil
}

// assignNotices tell the responsible department (a card with its buttons)
// and the departments in copy.
func (c *Call) assignNotices(it storage.Item) []Notice {
	notice := Notice{To: Recipient{Kind: ToDepartment, ID: it.Dept}, Reply: c.card(
		Romanian.pick("Vi s-a repartizat %s, termen %s", "", it.Number, isoToDate(it.Deadline)), it)}
	notice.Reply.Actions = departmentActions(it)
	out := []Notice{notice}
	for _, code := range it.CC {
		out = append(out, Notice{To: Recipient{Kind: ToDepartment, ID: code}, Reply: Reply{
			Item:  it.Number.String(),
			Title: Romanian.pick("În copie: %s — %s (responsabil %s, termen %s)", "", it.Number, it.Subject, it.Dept, isoToDate(it.Deadline)),
		}})
	}
	return out
}

// departmentActions are the buttons on the card a department receives.
func departmentActions(it storage.Item) []Action {
	return []Action{{ID: "resolve", Label: "Rezolvat", Command: "rezolva " + it.Number.String(), Inputs: []string{"raspuns", "data"}}}
}

// openDepartment finds a department that may still receive assignments.
func (c *Call) openDepartment(s string) (storage.Department, error) {
	d, err := c.department(s)
	if err != nil {
		return d, err
	}
	if d.Closed {
		return d, c.Fail("Departamentul %s (%s) este desființat din %s și nu mai poate primi repartizări.",
			"The department %s (%s) was closed on %s and cannot receive assignments.", d.Code, d.Name, stampDay(d.ClosedAt))
	}
	return d, nil
}

func stampDay(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return calendar.DateOf(t).String()
}

func (c *Call) closedError(it storage.Item) error {
	return c.Fail("%s este deja închisă (%s).", "%s is already closed (%s).", it.Number, c.status(it))
}

// runExtend extends a deadline: petitions once, by at most 15 days (OG
// 27/2002 art. 9); requests for public information once, up to 30 days in all
// (Law 544/2001 art. 7); other items as needed.
func runExtend(c *Call) (Reply, error) {
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
	if err := c.checkExtension(it, days); err != nil {
		return Reply{}, err
	}
	var dl calendar.Deadline
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "extend", c.T("+%d zile", "+%d days", days), c.meta(), func(items []*storage.Item) error {
		x := items[0]
		if err := c.checkExtension(*x, days); err != nil {
			return err
		}
		x.Extensions++
		x.ExtendedDays += days
		dl = c.recompute(*x)
		x.Deadline, x.DeadlineTime = dl.Due.ISO(), dl.Time
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Termenul pentru %s prelungit: %s", "Deadline of %s extended: %s", it.Number, dl), changed[0])
	r.Lines = append(r.Lines, c.T("Termen: %s", "Deadline: %s", dl.Explain(c.Lang == English)))
	if it.Category == string(calendar.Petition) {
		r.Lines = append(r.Lines, c.T("Petentul trebuie înștiințat de prelungire înainte de expirarea termenului inițial.",
			"The petitioner must be told of the extension before the first deadline expires."))
	}
	return r, nil
}

func (c *Call) checkExtension(it storage.Item, days int) error {
	if !it.Status.Open() {
		return c.closedError(it)
	}
	switch calendar.Category(it.Category) {
	case calendar.Petition:
		if it.Extensions > 0 {
			return c.Fail("Petiția %s a fost deja prelungită o dată (cu %d zile); OG 27/2002 permite o singură prelungire.",
				"Petition %s was already extended once (by %d days); OG 27/2002 allows a single extension.", it.Number, it.ExtendedDays)
		}
		if days > calendar.PetitionMaxExtension {
			return c.Fail("O petiție se poate prelungi cu cel mult %d zile (OG 27/2002), nu %d.",
				"A petition may be extended by at most %d days (OG 27/2002), not %d.", calendar.PetitionMaxExtension, days)
		}
	case calendar.PublicInfo:
		most := calendar.PublicInfoComplexDays - calendar.PublicInfoDays
		if it.Extensions > 0 || days > most {
			return c.Fail("O cerere de informații publice complexă are cel mult %d de zile în total (Legea 544/2001): se poate prelungi o dată, cu cel mult %d zile.",
				"A complex request for public information has at most %d days in all (Law 544/2001): it may be extended once, by at most %d days.",
				calendar.PublicInfoComplexDays, most)
		}
	}
	return nil
}

// recompute finds an item's deadline again from its registration.
func (c *Call) recompute(it storage.Item) calendar.Deadline {
	req := calendar.Request{Category: calendar.Category(it.Category), Registered: it.Registered, ExtraDays: it.ExtendedDays}
	if it.Explicit != "" {
		req.Explicit, _ = calendar.ParseISO(it.Explicit)
	}
	return c.e.Calendar().Compute(req, c.e.rules)
}

func runForward(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	to, _ := c.Key("institutie")
	if to == "" && len(c.Args) > 1 {
		to = strings.Join(c.Args[1:], " ")
	}
	if to = strings.TrimSpace(to); to == "" {
		return Reply{}, c.Fail("Lipsește instituția: institutie=\"...\".", "The institution is missing: institution=\"...\".")
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "forward", to, c.meta(), func(items []*storage.Item) error {
		x := items[0]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		x.Status, x.ForwardedTo, x.ClosedAt = storage.StatusForwarded, to, c.e.Now()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s redirecționată către %s", "%s forwarded to %s", it.Number, to), changed[0])
	if it.Category == string(calendar.Petition) {
		limit := calendar.DateOf(it.Registered).AddDays(calendar.PetitionForwardDays)
		if today := calendar.DateOf(c.e.Now()); today.After(limit) {
			r.Lines = append(r.Lines, c.T("Atenție: petițiile se redirecționează în 5 zile de la înregistrare (OG 27/2002); termenul a fost %s.",
				"Note: petitions are forwarded within 5 days of registration (OG 27/2002); that was %s.", limit))
		}
		r.Lines = append(r.Lines, c.T("Petentul trebuie înștiințat de redirecționare.", "The petitioner must be told it was forwarded."))
	}
	return r, nil
}

func runJoin(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Conexarea are nevoie de două numere: cea nouă și cea anterioară.", "Joining needs two numbers: the new one and the earlier one.")
	}
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	to, err := c.item(1)
	if err != nil {
		return Reply{}, err
	}
	if it.Number == to.Number {
		return Reply{}, c.Fail("O înregistrare nu se poate conexa la ea însăși.", "A registration cannot be joined to itself.")
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number, to.Number}, "join", it.Number.String()+" → "+to.Number.String(), c.meta(), func(items []*storage.Item) error {
		x, y := items[0], items[1]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		if y.Status == storage.StatusJoined {
			return c.Fail("%s este ea însăși conexată la %s; conexați la aceea.", "%s is itself joined to %s; join to that one.", y.Number, y.JoinedTo)
		}
		x.Status, x.JoinedTo, x.ClosedAt = storage.StatusJoined, y.Number, c.e.Now()
		x.Links = appendNumber(x.Links, y.Number)
		y.Links = appendNumber(y.Links, x.Number)
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s conexată la %s", "%s joined to %s", it.Number, to.Number), changed[1])
	r.Lines = append(r.Lines, c.T("%s se urmărește de acum prin %s (termen %s, %s).", "%s is now followed through %s (due %s, %s).",
		it.Number, to.Number, isoToDate(changed[1].Deadline), c.holder(changed[1].Dept, c.deptNames())))
	return r, nil
}

func appendNumber(list []storage.Number, n storage.Number) []storage.Number {
	for _, x := range list {
		if x == n {
			return list
		}
	}
	return append(list, n)
}

// runResolve closes an item with its answer. Department members may resolve
// only what their department has; the Cabinet is told when they do.
func runResolve(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	// The answer's number is optional: a department confirms in a thread with
	// a bare "rezolvat"; the card then says the number is missing.
	answer, _ := c.Key("raspuns")
	answer = strings.TrimSpace(answer)
	shown := answer
	if shown == "" {
		shown = "—"
	}
	day := calendar.DateOf(c.e.Now())
	if v, ok := c.Key("data"); ok {
		if day, err = c.date(v); err != nil {
			return Reply{}, err
		}
		if day.After(calendar.DateOf(c.e.Now())) {
			return Reply{}, c.Fail("Data răspunsului (%s) este în viitor.", "The answer's date (%s) is in the future.", day)
		}
		if day.Before(calendar.DateOf(it.Registered)) {
			return Reply{}, c.Fail("Data răspunsului (%s) este înaintea înregistrării (%s).", "The answer's date (%s) is before the registration (%s).", day, calendar.DateOf(it.Registered))
		}
	}
	if err := c.checkResolve(it); err != nil {
		return Reply{}, err
	}
	m := c.owe(func(made storage.Made) []Notice {
		if c.Caller.isStaff() {
			return nil
		}
		done := made.Items[0]
		return []Notice{{To: Recipient{Kind: ToCabinet}, Reply: Reply{Item: done.Number.String(),
			Title: Romanian.pick("%s rezolvată de %s (%s): răspuns nr. %s din %s", "", done.Number, done.Dept, c.Caller.Key(), shown, day)}}}
	})
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "resolve", c.T("răspuns nr. %s", "answer no. %s", shown), m, func(items []*storage.Item) error {
		x := items[0]
		if err := c.checkResolve(*x); err != nil {
			return err
		}
		x.Status, x.AnswerNo, x.AnswerDate, x.ClosedAt = storage.StatusResolved, answer, day.ISO(), c.e.Now()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	done := changed[0]
	r := c.card(c.T("%s rezolvată: răspuns nr. %s din %s", "%s resolved: answer no. %s of %s", it.Number, shown, day), done)
	if answer == "" {
		r.Lines = append(r.Lines, c.T("Fără numărul răspunsului: Cabinetul îl poate cere departamentului.", "No answer number given: the Cabinet may ask the department for it."))
	}
	if due, err := calendar.ParseISO(done.Deadline); err == nil && day.After(due) {
		r.Lines = append(r.Lines, c.T("Rezolvată cu %d zile după termen.", "Resolved %d days after the deadline.", due.DaysUntil(day)))
	}
	return r, nil
}

func (c *Call) checkResolve(it storage.Item) error {
	if !it.Status.Open() {
		return c.closedError(it)
	}
	if !c.Caller.canResolve(it) {
		return c.Fail("Doar departamentul responsabil (%s) sau Cabinetul poate rezolva %s.",
			"Only the responsible department (%s) or the Cabinet may resolve %s.", c.holder(it.Dept, nil), it.Number)
	}
	return nil
}

func runFile(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	reason, _ := c.Key("motiv")
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "file", reason, c.meta(), func(items []*storage.Item) error {
		x := items[0]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		x.Status, x.ClosedAt, x.Note = storage.StatusFiled, c.e.Now(), reason
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.card(c.T("%s clasată", "%s filed", it.Number), changed[0]), nil
}

// listLimit is how many lines a list shows before "and N more".
const listLimit = 30

// optionalDepartment reads the department the arguments name, if any
// ("" for the whole city hall).
func (c *Call) optionalDepartment() (string, error) {
	if len(c.Args) == 0 {
		return "", nil
	}
	d, err := c.department(strings.Join(c.Args, " "))
	return d.Code, err
}

func runOverdue(c *Call) (Reply, error) {
	dept, err := c.optionalDepartment()
	if err != nil {
		return Reply{}, err
	}
	now := c.e.Now()
	today := calendar.DateOf(now)
	items, err := c.e.store.OpenDue("", today.ISO(), dept)
	if err != nil {
		return Reply{}, err
	}
	items = overdueOnly(items, today.ISO(), now.Format("15:04"))
	where := ""
	if dept != "" {
		where = " — " + dept
	}
	if len(items) == 0 {
		return Reply{Title: c.T("Nicio restanță%s.", "Nothing overdue%s.", where)}, nil
	}
	r := Reply{Title: c.T("Restanțe%s: %d", "Overdue%s: %d", where, len(items))}
	for _, s := range items[:min(len(items), listLimit)] {
		r.Lines = append(r.Lines, c.summaryLine(s))
	}
	if len(items) > listLimit {
		r.Lines = append(r.Lines, c.T("… și încă %d; restrângeți cu „restante DEPARTAMENT”.", "… and %d more; narrow it with “overdue DEPARTMENT”.", len(items)-listLimit))
	}
	return r, nil
}

// overdueOnly keeps what is past due: deadlines before today, and today's
// hour-deadlines that have passed.
func overdueOnly(items []storage.Summary, today, hhmm string) []storage.Summary {
	out := items[:0:0]
	for _, s := range items {
		if s.Deadline < today || (s.Deadline == today && s.DeadlineTime != "" && s.DeadlineTime <= hhmm) {
			out = append(out, s)
		}
	}
	return out
}

func runFind(c *Call) (Reply, error) {
	q := storage.Query{Limit: listLimit}
	for _, a := range c.Args {
		q.Words = append(q.Words, text.Words(a)...)
	}
	if v, ok := c.Key("de"); ok {
		q.Sender = strings.Join(text.Words(v), " ")
	}
	if v, ok := c.Key("stare"); ok {
		st, ok := choice(statusWords, v)
		if !ok {
			return Reply{}, c.Fail("Stare necunoscută: „%s”. Stări: %s.", "Unknown status: “%s”. Statuses: %s.", v, choiceList(statusWords))
		}
		q.Status = storage.Status(st)
	}
	if v, ok := c.Key("departament"); ok {
		d, err := c.department(v)
		if err != nil {
			return Reply{}, err
		}
		q.Dept = d.Code
	}
	if v, ok := c.Key("perioada"); ok {
		from, to, err := c.period(v)
		if err != nil {
			return Reply{}, err
		}
		q.From, q.To = from.ISO(), to.ISO()
	}
	if len(q.Words) == 0 && q.Sender == "" && q.Status == "" && q.Dept == "" && q.From == "" {
		return Reply{}, c.Fail("Spuneți ce căutați: un cuvânt din subiect, de=, stare=, departament= sau perioada=.",
			"Say what to look for: a word of the subject, from=, status=, department= or period=.")
	}
	items, total, err := c.e.store.Find(q)
	if err != nil {
		return Reply{}, err
	}
	if total == 0 {
		return Reply{Title: c.T("Nu am găsit nimic.", "Nothing found.")}, nil
	}
	r := Reply{Title: c.T("Găsite: %d", "Found: %d", total)}
	for _, it := range items {
		r.Lines = append(r.Lines, c.itemLine(it))
	}
	if total > len(items) {
		r.Lines = append(r.Lines, c.T("… și încă %d; restrângeți căutarea.", "… and %d more; narrow the search.", total-len(items)))
	}
	return r, nil
}

// itemLine writes a found item on one line.
func (c *Call) itemLine(it storage.Item) string {
	s := storage.Summary{Number: it.Number, Deadline: it.Deadline, DeadlineTime: it.DeadlineTime, Dept: it.Dept, Subject: it.Subject}
	if it.Status.Open() {
		return c.summaryLine(s)
	}
	return it.Number.String() + " · " + c.Lang.name(statusNames, string(it.Status)) + " · " + it.Sender + " · " + text.Truncate(it.Subject, 50)
}

var statusWords = map[string]string{
	"inregistrata": "inregistrata", "registered": "inregistrata", "noua": "inregistrata", "new": "inregistrata",
	"repartizata": "repartizata", "assigned": "repartizata",
	"rezolvata": "rezolvata", "resolved": "rezolvata",
	"clasata": "clasata", "filed": "clasata",
	"redirectionata": "redirectionata", "forwarded": "redirectionata",
	"conexata": "conexata", "joined": "conexata",
}

// period reads DD.MM.YYYY-DD.MM.YYYY (or a single day).
func (c *Call) period(s string) (from, to calendar.Date, err error) {
	a, b, found := strings.Cut(s, "-")
	if from, err = c.date(a); err != nil {
		return
	}
	to = from
	if found {
		if to, err = c.date(b); err != nil {
			return
		}
	}
	if to.Before(from) {
		err = c.Fail("Perioada se termină (%s) înainte să înceapă (%s).", "The period ends (%s) before it starts (%s).", to, from)
	}
	return
}

func runDeadline(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați data înregistrării și categoria.", "Give the registration date and the category.")
	}
	day, err := c.date(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	w, ok := choice(categoryWords, c.Args[1])
	if !ok {
		return Reply{}, c.Fail("Categorie necunoscută: „%s”. Categorii: %s.", "Unknown category: “%s”. Categories: %s.", c.Args[1], choiceList(categoryWords))
	}
	cat := calendar.Category(w)
	at := day.At(12, 0)
	if day == calendar.DateOf(c.e.Now()) {
		at = c.e.Now()
	}
	dl := c.e.Calendar().Compute(calendar.Request{Category: cat, Registered: at}, c.e.rules)
	r := Reply{Title: c.T("Termen: %s", "Deadline: %s", dl), Lines: []string{dl.Explain(c.Lang == English)}}
	switch cat {
	case calendar.Petition:
		r.Lines = append(r.Lines, c.T("Se poate prelungi o dată, cu cel mult 15 zile; redirecționarea către altă instituție: în 5 zile (%s).",
			"It may be extended once, by at most 15 days; forwarding to another institution: within 5 days (%s).", day.AddDays(calendar.PetitionForwardDays)))
	case calendar.PublicInfo:
		r.Lines = append(r.Lines, c.T("Cerere complexă: 30 de zile, cu înștiințarea petentului în 10 zile; refuzul: în 5 zile (%s).",
			"Complex request: 30 days, the requester told within 10 days; a refusal: within 5 days (%s).", day.AddDays(calendar.PublicInfoRefusalDays)))
	}
	return r, nil
}
