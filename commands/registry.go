package commands

import (
	"slices"
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
		{Name: "import-registru", Aliases: []string{"import-register", "import-registrul"}, Roles: admins, Group: groupRegistry,
			Usage: "FIȘIER.csv|FIȘIER.xlsx [mod=actualizare] [creeaza-departamente=da] [verifica=da]", UsageEn: "FILE.csv|FILE.xlsx [mode=update] [create-departments=yes] [dry-run=yes]", File: "CSV/XLSX",
			Summary:   "importă un registru existent (numerele, datele, termenele și răspunsurile rămân); numerotarea continuă după cel mai mare număr; totul sau nimic",
			SummaryEn: "imports an existing register (numbers, dates, deadlines and answers kept); numbering continues after the highest number; all or nothing",
			Examples:  []string{"import-registru registru-2025.xlsx verifica=da", "import-registru registru.csv creeaza-departamente=da", "import-register register.csv mode=update"},
			Keys:      []Key{{"mod", "mode"}, {"creeaza-departamente", "create-departments"}, {"verifica", "dry-run"}}, Run: runImportRegister},
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
			Usage: `N/YYYY ZILE [notificat=DD.MM.YYYY] [motiv="..."] | N/YYYY notificat=DD.MM.YYYY`, UsageEn: `N/YYYY DAYS [notified=DD.MM.YYYY] [reason="..."] | N/YYYY notified=DD.MM.YYYY`,
			Summary:   "prelungește termenul cât timp curge: petițiile o dată, cu cel mult 15 zile; cererile 544 o dată, până la 30 de zile, cu data înștiințării",
			SummaryEn: "extends the deadline while it runs: petitions once, by at most 15 days; Law 544 requests once, to 30 days, with the notice date",
			Examples:  []string{"prelungeste 12/2026 15", "prelungeste 14/2026 20 notificat=20.11.2026", `prelungeste 12/2026 10 motiv="dispoziția primarului"`, "extend 12/2026 15"},
			Keys:      []Key{{"notificat", "notified"}, {"motiv", "reason"}}, Run: runExtend, TakesItem: true},
		{Name: "redirectioneaza", Aliases: []string{"forward", "redirecționează"}, Roles: staff, Group: groupRegistry,
			Usage: `N/YYYY institutie="..."`, UsageEn: `N/YYYY institution="..."`,
			Summary: "trimite înregistrarea instituției competente", SummaryEn: "forwards the registration to the competent institution",
			Examples: []string{`redirectioneaza 12/2026 institutie="Prefectura Cluj"`, `forward 12/2026 institution="Prefectura Cluj"`},
			Keys:     []Key{{"institutie", "institution"}}, Run: runForward, TakesItem: true},
		{Name: "conexeaza", Aliases: []string{"join", "conexează"}, Roles: staff, Group: groupRegistry,
			Usage: `N/YYYY M/YYYY [confirma motiv="..."]`, UsageEn: `N/YYYY M/YYYY [confirm reason="..."]`,
			Summary:   "conexează N la înregistrarea anterioară, încă deschisă, M (același petent, aceeași problemă)",
			SummaryEn: "joins N to the earlier, still open registration M (same petitioner, same matter)",
			Examples:  []string{"conexeaza 15/2026 12/2026", `conexeaza 15/2026 12/2026 confirma motiv="aceeași stradă, vecini"`, "join 15/2026 12/2026"},
			Keys:      []Key{{"motiv", "reason"}}, Run: runJoin},
		{Name: "rezolva", Aliases: []string{"resolve", "rezolvă", "rezolvat", "resolved"}, Roles: resolvers, Group: groupRegistry,
			Usage: `N/YYYY [raspuns=NR] [data=DD.MM.YYYY] [refuz="temei"]`, UsageEn: `N/YYYY [answer=NO] [date=DD.MM.YYYY] [refusal="ground"]`,
			Summary:   "închide înregistrarea cu numărul și data răspunsului (și pe cele conexate la ea); o cerere 544 se poate refuza motivat",
			SummaryEn: "closes the registration with the answer's number and date (and those joined to it); a Law 544 request may be refused with its ground",
			Examples:  []string{"rezolva 12/2026 raspuns=4521 data=20.11.2026", `rezolva 14/2026 raspuns=4600 refuz="informație clasificată, art. 12 lit. a"`, "resolve 12/2026 answer=4521"},
			Keys:      []Key{{"raspuns", "answer"}, {"data", "date"}, {"refuz", "refusal"}}, Run: runResolve, TakesItem: true},
		{Name: "claseaza", Aliases: []string{"file", "clasează"}, Roles: staff, Group: groupRegistry,
			Usage:     `N/YYYY motiv=anonima|repetata|retrasa|necompetenta|alta [anterior=M/YYYY] [detalii="..."]`,
			UsageEn:   `N/YYYY reason=anonymous|repeated|withdrawn|competence|other [earlier=M/YYYY] [details="..."]`,
			Summary:   "clasează fără răspuns, cu un motiv din listă (anonimă, repetată după răspuns, retrasă, necompetență după redirecționare, alt motiv)",
			SummaryEn: "files without an answer, for a reason from the list (anonymous, repeated after the answer, withdrawn, out of competence after forwarding, other)",
			Examples:  []string{"claseaza 12/2026 motiv=anonima", "claseaza 15/2026 motiv=repetata anterior=9/2026", `file 12/2026 reason=other details="duplicate e-mail"`},
			Keys:      []Key{{"motiv", "reason"}, {"anterior", "earlier"}, {"detalii", "details"}}, Run: runFile, TakesItem: true},
		{Name: "corecteaza", Aliases: []string{"correct", "corectează"}, Roles: staff, Group: groupRegistry,
			Usage:     `N/YYYY [de="..."] [tip=...] [categorie=...] [subiect="..."] [contact="..."] [nr="..."] [termen=DD.MM.YYYY]`,
			UsageEn:   `N/YYYY [from="..."] [type=...] [category=...] [subject="..."] [contact="..."] [ref="..."] [deadline=DD.MM.YYYY]`,
			Summary:   "corectează o înregistrare deschisă; termenul se recalculează după regulile legii",
			SummaryEn: "corrects an open registration; the deadline is computed again by the law's rules",
			Examples:  []string{"corecteaza 12/2026 categorie=petitie", `correct 12/2026 from="Ion Popescu" type=citizen`},
			Keys: []Key{{"de", "from"}, {"tip", "type"}, {"categorie", "category"}, {"subiect", "subject"},
				{"contact", "contact"}, {"nr", "ref"}, {"termen", "deadline"}},
			Run: runCorrect, TakesItem: true},
		{Name: "de-clasat", Aliases: []string{"to-file", "de clasat"}, Roles: readers, Group: groupRegistry,
			Summary: "petițiile anonime încă deschise, care se clasează (OG 27/2002 art. 7)", SummaryEn: "the anonymous petitions still open, to be filed (OG 27/2002 art. 7)",
			Examples: []string{"de-clasat", "to-file"}, Run: runToFile},
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
			Examples: []string{"termen 25.11.2026 petitie", "termen 27.12.2026 informatii", "deadline today public-info"}, Run: runDeadline},
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
	it := storage.Item{Registered: now, RegisteredBy: c.Caller.Key(), Status: storage.StatusRegistered, SenderType: "cetatean"}
	assumed, err := c.readFields(&it, true)
	if err != nil {
		return Reply{}, err
	}
	if it.Sender == "" {
		if it.SenderType != "anonim" {
			return Reply{}, c.Fail("Lipsește expeditorul: de=\"...\" (sau tip=anonim).", "The sender is missing: from=\"...\" (or type=anonymous).")
		}
		it.Sender = c.T("Anonim", "Anonymous")
	}
	if it.Subject == "" {
		return Reply{}, c.Fail("Lipsește subiectul: subiect=\"...\".", "The subject is missing: subject=\"...\".")
	}
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
	dl := c.recompute(it)
	setDeadline(&it, dl)
	saved, _, err := c.e.store.Register(c.Ctx, now.Year(), it, c.meta())
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Înregistrat %s", "Registered %s", saved.Number), saved)
	r.Lines = append(r.Lines, c.deadlineLines(dl)...)
	r.Lines = append(r.Lines, c.assumedLines(saved, assumed)...)
	if dl.None {
		r.Lines = append(r.Lines, c.T("Petiție anonimă: se clasează fără răspuns %s — „claseaza %s motiv=anonima”.",
			"Anonymous petition: it is filed without an answer %s — “file %s reason=anonymous”.", c.cite(calendar.RuleAnonymous), saved.Number))
	}
	return r, nil
}

// assumedLines say what was assumed for the keys left out, and how to
// correct it.
func (c *Call) assumedLines(it storage.Item, assumed []string) []string {
	var out []string
	for _, k := range assumed {
		switch k {
		case "tip":
			out = append(out, c.T("Tipul expeditorului nedat: s-a presupus „%s”; corectați cu „corecteaza %s tip=…”.",
				"No sender type given: “%s” was assumed; correct it with “correct %s type=…”.", c.Lang.name(senderTypeNames, it.SenderType), it.Number))
		case "categorie":
			out = append(out, c.T("Categoria nedată: s-a presupus „%s” după tipul expeditorului; corectați cu „corecteaza %s categorie=…”.",
				"No category given: “%s” was assumed from the sender type; correct it with “correct %s category=…”.", c.Lang.category(it.Category), it.Number))
		}
	}
	return out
}

// readFields sets the fields the keys give (sender, type, category, subject,
// contact, reference, deadline). Registering, a missing type or category is
// assumed and named in the result; correcting, it stays as it was.
func (c *Call) readFields(it *storage.Item, registering bool) (assumed []string, err error) {
	if v, ok := c.Key("tip"); ok {
		if it.SenderType, ok = choice(senderTypeWords, v); !ok {
			return nil, c.Fail("Tip de expeditor necunoscut: „%s”. Tipuri: %s.", "Unknown sender type: “%s”. Types: %s.", v, choiceList(senderTypeWords))
		}
	} else if registering {
		assumed = append(assumed, "tip")
	}
	if v, ok := c.Key("de"); ok {
		it.Sender = strings.TrimSpace(v)
	}
	if v, ok := c.Key("subiect"); ok {
		if it.Subject = strings.TrimSpace(v); it.Subject == "" && !registering {
			return nil, c.Fail("Subiectul nu poate fi gol.", "The subject cannot be empty.")
		}
	}
	if v, ok := c.Key("categorie"); ok {
		w, ok := choice(categoryWords, v)
		if !ok {
			return nil, c.Fail("Categorie necunoscută: „%s”. Categorii: %s.", "Unknown category: “%s”. Categories: %s.", v, choiceList(categoryWords))
		}
		it.Category = w
	} else if registering {
		it.Category = string(defaultCategory(it.SenderType))
		assumed = append(assumed, "categorie")
	}
	if v, ok := c.Key("contact"); ok {
		it.Contact = v
	}
	if v, ok := c.Key("nr"); ok {
		it.SenderRef = v
	}
	if v, ok := c.Key("termen"); ok {
		d, err := c.date(v)
		if err != nil {
			return nil, err
		}
		if reg := calendar.DateOf(it.Registered); d.Before(reg) {
			return nil, c.Fail("Termenul %s este înaintea datei înregistrării (%s).", "The deadline %s is before the registration date (%s).", d, reg)
		}
		it.Explicit = d.ISO()
	}
	return assumed, nil
}

func runShow(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Înregistrarea %s", "Registration %s", it.Number), it)
	if it.Status.Open() {
		r.Lines = append(r.Lines, c.deadlineLines(c.recompute(it))...)
	}
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
	"refuse": {"refuzată", "refused"}, "correct": {"corectată", "corrected"},
	"dayoff":            {"termen mutat (zi liberă)", "deadline moved (day off)"},
	"notice":            {"înștiințare înregistrată", "notice recorded"},
	"extension-request": {"prelungire cerută", "extension requested"}, "extension-refused": {"cerere de prelungire respinsă", "extension request refused"},
	"return": {"returnată Cabinetului", "returned to the Cabinet"}, "consult": {"consultare cerută", "consultation asked"},
	"consult-answer":    {"consultare răspunsă", "consultation answered"},
	"import":            {"importată", "imported"},
	"audience-schedule": {"audiență programată", "audience scheduled"}, "audience-move": {"audiență mutată", "audience moved"},
	"audience-cancel": {"audiență anulată", "audience cancelled"}, "audience-outcome": {"rezultatul audienței", "audience outcome"},
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
	cc, err := c.copies(dept.Code)
	if err != nil {
		return Reply{}, err
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
	} else if it.ReturnedBy != "" {
		note += " (returnată de " + it.ReturnedBy + ")"
	}
	m := c.owe(func(made storage.Made) []Notice { return c.assignNotices(made.Items[0]) })
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, action, note, m, func(items []*storage.Item) error {
		x := items[0]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		x.Dept, x.CC, x.Status, x.AssignedAt = dept.Code, cc, storage.StatusAssigned, c.e.Now()
		x.ReturnedBy = ""
		if x.ExtRequest != nil && x.ExtRequest.Dept != dept.Code {
			x.ExtRequest = nil // the department that asked no longer has it
		}
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
		Romanian.pick("Vi s-a repartizat %s, %s", "", it.Number, roDue(it)), it)}
	notice.Reply.Actions = departmentActions(it)
	out := []Notice{notice}
	for _, code := range it.CC {
		out = append(out, Notice{To: Recipient{Kind: ToDepartment, ID: code}, Reply: Reply{
			Item:  it.Number.String(),
			Title: Romanian.pick("În copie: %s — %s (responsabil %s, %s)", "", it.Number, it.Subject, it.Dept, roDue(it)),
		}})
	}
	return out
}

// copies reads the departments in copy: each once, never the responsible one.
func (c *Call) copies(responsible string) ([]string, error) {
	v, ok := c.Key("cc")
	if !ok {
		return nil, nil
	}
	var cc []string
	for _, part := range strings.Split(v, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		d, err := c.openDepartment(part)
		if err != nil {
			return nil, err
		}
		if d.Code == responsible {
			return nil, c.Fail("%s este responsabil: nu poate fi și în copie.", "%s is responsible: it cannot also be in copy.", d.Code)
		}
		if !slices.Contains(cc, d.Code) {
			cc = append(cc, d.Code)
		}
	}
	return cc, nil
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

func appendNumber(list []storage.Number, n storage.Number) []storage.Number {
	for _, x := range list {
		if x == n {
			return list
		}
	}
	return append(list, n)
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
	consults, err := c.consultLines(dept)
	if err != nil {
		return Reply{}, err
	}
	if len(items) == 0 {
		return Reply{Title: c.T("Nicio restanță%s.", "Nothing overdue%s.", where), Lines: consults}, nil
	}
	r := Reply{Title: c.T("Restanțe%s: %d", "Overdue%s: %d", where, len(items))}
	for _, s := range items[:min(len(items), listLimit)] {
		r.Lines = append(r.Lines, c.summaryLine(s))
	}
	if len(items) > listLimit {
		r.Lines = append(r.Lines, c.T("… și încă %d; restrângeți cu „restante DEPARTAMENT”.", "… and %d more; narrow it with “overdue DEPARTMENT”.", len(items)-listLimit))
	}
	r.Lines = append(r.Lines, consults...)
	return r, nil
}

// dated drops the items without a deadline (anonymous petitions, OG
// 27/2002 art. 7), which are never overdue.
func dated(items []storage.Summary) []storage.Summary {
	return slices.DeleteFunc(items, func(s storage.Summary) bool { return s.Deadline == "" })
}

// overdueOnly keeps what is past due: deadlines before today, and today's
// hour-deadlines that have passed.
func overdueOnly(items []storage.Summary, today, hhmm string) []storage.Summary {
	out := items[:0:0]
	for _, s := range items {
		if s.Deadline == "" {
			continue // no deadline (anonymous petitions): never overdue
		}
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
	items, total, err := c.findBySender(q)
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

// senderScan bounds how many items a search by a word of the sender reads
// before keeping those whose sender has the word.
const senderScan = 5000

// findBySender runs a search in which de= matches any word of the sender
// ("popescu" finds "Ion Popescu"), or, when no whole word matches, the start
// of the sender's name ("pop").
func (c *Call) findBySender(q storage.Query) ([]storage.Item, int, error) {
	if q.Sender == "" {
		return c.e.store.Find(q)
	}
	words := strings.Fields(q.Sender)
	wq := q
	wq.Sender, wq.Words, wq.Limit = "", append(slices.Clone(q.Words), words...), senderScan
	items, _, err := c.e.store.Find(wq)
	if err != nil {
		return nil, 0, err
	}
	items = slices.DeleteFunc(items, func(it storage.Item) bool {
		have := text.Words(it.Sender)
		for _, w := range words {
			if !slices.Contains(have, w) {
				return true
			}
		}
		return false
	})
	if len(items) == 0 {
		return c.e.store.Find(q)
	}
	return items[:min(len(items), q.Limit)], len(items), nil
}

// itemLine writes a found item on one line.
func (c *Call) itemLine(it storage.Item) string {
	s := storage.Summary{Number: it.Number, Deadline: it.Deadline, DeadlineTime: it.DeadlineTime, Dept: it.Dept, Subject: it.Subject, Returned: it.ReturnedBy}
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
	"refuzata": "refuzata", "refused": "refuzata",
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
