package commands

import (
	"errors"
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func departmentCommands() []*Command {
	return []*Command{
		{Name: "departamente", Aliases: []string{"departments"}, Roles: everyone, Group: groupDirs,
			Usage: "", UsageEn: "",
			Summary: "organigrama: departamentele, ca arbore, cu telefonul și șeful fiecăruia", SummaryEn: "the organisation chart: departments as a tree, with each one's phone and head",
			Examples: []string{"departamente", "departments"}, Run: runDepartments},
		{Name: "departament", Aliases: []string{"department"}, Roles: everyone, Group: groupDirs,
			Usage: "COD|NUME", UsageEn: "CODE|NAME",
			Summary: "fișa unui departament: șef, telefon, e-mail, canale, membri, subunități, oamenii lui", SummaryEn: "one department in full: head, phone, e-mail, channels, members, sub-departments, its people",
			Examples: []string{"departament DT", "departament urbanism", "department DT"}, Run: runDepartmentShow},
		{Name: "departament adauga", Aliases: []string{"department add", "departament adaugă"}, Roles: staff, Group: groupDirs,
			Usage:   `COD "Nume" [parinte=COD] [tip=directie|serviciu|birou|compartiment] [sef="..."] [telefon="..."] [email=...] [slack=CANAL] [telegram=CHAT]`,
			UsageEn: `CODE "Name" [parent=CODE] [kind=direction|service|office|compartment] [head="..."] [phone="..."] [e-mail=...] [slack-channel=CHANNEL] [telegram-chat=CHAT]`,
			Summary: "adaugă un departament", SummaryEn: "adds a department",
			Examples: []string{`departament adauga DT "Direcția Tehnică" tip=directie`, `department add SIP "Serviciul Iluminat Public" parent=DT kind=service phone="0264 000 120"`},
			Keys:     append([]Key{{"parinte", "parent"}}, deptKeys...), Run: runDepartmentAdd},
		{Name: "departament modifica", Aliases: []string{"department edit", "departament modifică"}, Roles: staff, Group: groupDirs,
			Usage:   `COD [tip=...] [sef="..."] [telefon="..."] [email=...] [slack=CANAL] [telegram=CHAT]`,
			UsageEn: `CODE [kind=...] [head="..."] [phone="..."] [e-mail=...] [slack-channel=CHANNEL] [telegram-chat=CHAT]`,
			Summary: "schimbă datele unui departament (- șterge o valoare)", SummaryEn: "changes a department's details (- clears a value)",
			Examples: []string{`departament modifica DT sef="Ion Pop" telefon="0264 000 100" slack=C0123ABC`, `department edit DT head="Ion Pop" telegram-chat=-1001234567890`, "departament modifica DT email=-"},
			Keys:     deptKeys, Run: runDepartmentEdit},
		{Name: "departament redenumeste", Aliases: []string{"department rename", "departament redenumește"}, Roles: staff, Group: groupDirs,
			Usage: `COD "Nume nou"`, UsageEn: `CODE "New name"`,
			Summary: "schimbă numele unui departament (codul rămâne)", SummaryEn: "renames a department (its code stays)",
			Examples: []string{`departament redenumeste DT "Direcția Tehnică și Investiții"`, `department rename DT "Direcția Tehnică și Investiții"`}, Run: runDepartmentRename},
		{Name: "departament muta", Aliases: []string{"department move", "departament mută"}, Roles: staff, Group: groupDirs,
			Usage: "COD PĂRINTE|nimic", UsageEn: "CODE PARENT|none",
			Summary: "mută un departament în organigramă, sub alt departament (nimic: la vârf)", SummaryEn: "moves a department in the chart, under another one (none: to the top)",
			Examples: []string{"departament muta SIP DT", "department move SIP none"}, Run: runDepartmentMove},
		{Name: "departament inchide", Aliases: []string{"department close", "departament închide"}, Roles: staff, Group: groupDirs,
			Usage: "COD", UsageEn: "CODE",
			Summary: "desființează un departament (își păstrează istoricul, nu mai primește repartizări)", SummaryEn: "closes a department (it keeps its history, receives no new assignments)",
			Examples: []string{"departament inchide BRP", "department close BRP"}, Run: runDepartmentClose},
		{Name: "membru adauga", Aliases: []string{"member add", "membru adaugă"}, Roles: staff, Group: groupDirs,
			Usage: "COD IDENTITATE...", UsageEn: "CODE IDENTITY...",
			Summary: "adaugă membri (identități de chat) unui departament", SummaryEn: "adds members (chat identities) to a department",
			Examples: []string{"membru adauga DT slack:U012AB3CD telegram:123456", "member add DT <@U012AB3CD>"}, Run: runMemberAdd},
		{Name: "membru sterge", Aliases: []string{"member remove", "membru șterge"}, Roles: staff, Group: groupDirs,
			Usage: "COD IDENTITATE...", UsageEn: "CODE IDENTITY...",
			Summary: "scoate membri dintr-un departament", SummaryEn: "removes members from a department",
			Examples: []string{"membru sterge DT slack:U012AB3CD", "member remove DT slack:U012AB3CD"}, Run: runMemberRemove},
		{Name: "import-departamente", Aliases: []string{"import-departments"}, Roles: staff, Group: groupDirs,
			Usage: "FIȘIER.csv", UsageEn: "FILE.csv", File: "CSV",
			Summary:   "importă organigrama dintr-un CSV (cod, denumire, tip, părinte, șef, telefon, e-mail, slack, telegram); rândurile greșite se raportează și nu se importă nimic",
			SummaryEn: "imports the chart from a CSV (code, name, kind, parent, head, phone, e-mail, slack, telegram); bad rows are reported and nothing is imported",
			Examples:  []string{"import-departamente departamente.csv", "import-departments departments.csv"}, Run: runImportDepartments},
		{Name: "export-departamente", Aliases: []string{"export-departments"}, Roles: everyone, Group: groupDirs,
			Summary: "organigrama ca fișier CSV (se deschide în Excel)", SummaryEn: "the chart as a CSV file (opens in Excel)",
			Examples: []string{"export-departamente", "export-departments"}, Run: runExportDepartments},
	}
}

var kindWords = map[string]string{
	"directie": "directie", "direction": "directie", "directorate": "directie",
	"serviciu": "serviciu", "service": "serviciu",
	"birou": "birou", "office": "birou",
	"compartiment": "compartiment", "compartment": "compartiment",
}

// noneWords say "no parent": move to the top of the chart.
var noneWords = map[string]bool{"nimic": true, "none": true, "-": true, "varf": true, "top": true}

// validCode reports whether s can be a department code: letters, digits and
// dashes, at most 16, beginning with a letter or a digit ("-" is "no
// department" in the indexes and in the commands).
func validCode(s string) bool {
	if s == "" || len(s) > 16 || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// chartError explains a change the chart refused.
func (c *Call) chartError(err error) error {
	var ce *storage.ChartError
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Reason {
	case storage.ChartName:
		return c.Fail("Departamentul %s are deja acest nume; alegeți altul.", "The department %s already has this name; choose another.", ce.Other)
	case storage.ChartCycle:
		return c.Fail("%s nu poate fi mutat sub %s: %s este chiar el sau una dintre subunitățile lui.",
			"%s cannot go under %s: %s is itself or one of its sub-departments.", ce.Code, ce.Other, ce.Other)
	default:
		return c.Fail("Nu există departamentul părinte %s.", "There is no parent department %s.", ce.Other)
	}
}

func runDepartmentAdd(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați codul și numele departamentului.", "Give the department's code and name.")
	}
	code := strings.ToUpper(text.Fold(c.Args[0]))
	if !validCode(code) {
		return Reply{}, c.Fail("Codul „%s” nu e bun: litere, cifre și cratimă (nu la început), cel mult 16.", "The code “%s” will not do: letters, digits and dashes (not first), at most 16.", c.Args[0])
	}
	d := storage.Department{Code: code, Name: cleanText(strings.Join(c.Args[1:], " "))}
	if p := checkDeptName(d.Name); p != nil {
		return Reply{}, p.err()
	}
	d.Kind = guessKind(d.Name)
	var notes []string
	for _, k := range deptKeys {
		if v, ok := c.Key(k.Name); ok {
			v, note, err := c.deptValue(k.Name, v)
			if err != nil {
				return Reply{}, err
			}
			if p := setDeptField(&d, k.Name, v); p != nil {
				return Reply{}, p.err()
			}
			notes = appendNote(notes, note)
		}
	}
	if v, ok := c.Key("parinte"); ok {
		p, err := c.openDepartment(v)
		if err != nil {
			return Reply{}, err
		}
		d.Parent = p.Code
	}
	err := c.e.store.AddDepartment(c.Ctx, d, c.meta())
	if errors.Is(err, storage.ErrExists) {
		return Reply{}, c.Fail("Există deja un departament cu codul %s.", "There is already a department with the code %s.", code)
	}
	if err != nil {
		return Reply{}, c.chartError(err)
	}
	return Reply{Title: c.T("Departament adăugat: %s — %s", "Department added: %s — %s", d.Code, d.Name), Lines: notes}, nil
}

// deptValue is the value of a department's field as it is checked and
// stored: a Telegram chat given by its @name becomes its numeric ID (with a
// note saying so), or is refused with the reason.
func (c *Call) deptValue(key, v string) (string, string, error) {
	if key != "telegram" {
		return v, "", nil
	}
	id, note, p := c.telegramChat(v)
	if p != nil {
		return "", "", &UserError{Ro: p.ro, En: p.en, Example: telegramExample}
	}
	return id, note, nil
}

func appendNote(notes []string, note string) []string {
	if note == "" {
		return notes
	}
	return append(notes, note)
}

// changeDepartment applies fn to the department and explains a refusal.
func (c *Call) changeDepartment(code, action string, fn func(*storage.Department) error) (storage.Department, error) {
	d, err := c.e.store.ChangeDepartment(c.Ctx, code, action, c.meta(), fn)
	if err != nil {
		return d, c.chartError(err)
	}
	return d, nil
}

func runDepartmentEdit(c *Call) (Reply, error) {
	if len(c.Args) < 1 {
		return Reply{}, c.Fail("Dați codul departamentului și ce se schimbă.", "Give the department's code and what changes.")
	}
	d, err := c.department(strings.Join(c.Args, " "))
	if err != nil {
		return Reply{}, err
	}
	given := map[string]string{}
	var notes []string
	for _, k := range deptKeys {
		if v, ok := c.Key(k.Name); ok {
			v, note, err := c.deptValue(k.Name, v)
			if err != nil {
				return Reply{}, err
			}
			if p := setDeptField(&d, k.Name, v); p != nil {
				return Reply{}, p.err()
			}
			given[k.Name] = v
			notes = appendNote(notes, note)
		}
	}
	if len(given) == 0 {
		return Reply{}, c.Fail("Spuneți ce se schimbă: %s.", "Say what changes: %s.", c.cmd.keyList(c.Lang))
	}
	after, err := c.changeDepartment(d.Code, "edit", func(x *storage.Department) error {
		for k, v := range given {
			if p := setDeptField(x, k, v); p != nil {
				return p.err()
			}
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.departmentCard(after)
	r.Title = c.T("Departament modificat: %s — %s", "Department changed: %s — %s", after.Code, after.Name)
	r.Lines = append(notes, r.Lines...)
	return r, nil
}

func runDepartmentRename(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați codul departamentului și noul nume.", "Give the department's code and its new name.")
	}
	d, err := c.department(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	name := cleanText(strings.Join(c.Args[1:], " "))
	if p := checkDeptName(name); p != nil {
		return Reply{}, p.err()
	}
	if name == d.Name {
		return Reply{}, c.Fail("%s se numește deja „%s”.", "%s is already called “%s”.", d.Code, name)
	}
	if _, err := c.changeDepartment(d.Code, "rename", func(x *storage.Department) error {
		x.Name = name
		return nil
	}); err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("%s se numește acum „%s” (înainte: „%s”).", "%s is now called “%s” (before: “%s”).", d.Code, name, d.Name)}, nil
}

func runDepartmentMove(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați codul departamentului și noul părinte (sau nimic).", "Give the department's code and its new parent (or none).")
	}
	d, err := c.department(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	if d.Closed {
		return Reply{}, c.Fail("%s este desființat.", "%s is closed.", d.Code)
	}
	target := strings.Join(c.Args[1:], " ")
	parent := ""
	if !noneWords[text.Fold(target)] {
		p, err := c.openDepartment(target)
		if err != nil {
			return Reply{}, err
		}
		parent = p.Code
	}
	if parent == d.Parent {
		return Reply{}, c.Fail("%s este deja acolo.", "%s is already there.", d.Code)
	}
	if _, err := c.changeDepartment(d.Code, "move", func(x *storage.Department) error {
		x.Parent = parent
		return nil
	}); err != nil {
		return Reply{}, err
	}
	if parent == "" {
		return Reply{Title: c.T("%s este acum la vârful organigramei.", "%s is now at the top of the chart.", d.Code)}, nil
	}
	return Reply{Title: c.T("%s este acum subordonat lui %s.", "%s now comes under %s.", d.Code, parent)}, nil
}

func runDepartmentClose(c *Call) (Reply, error) {
	if len(c.Args) < 1 {
		return Reply{}, c.Fail("Dați codul departamentului.", "Give the department's code.")
	}
	d, err := c.department(strings.Join(c.Args, " "))
	if err != nil {
		return Reply{}, err
	}
	if d.Closed {
		return Reply{}, c.Fail("%s este deja desființat.", "%s is already closed.", d.Code)
	}
	depts, err := c.e.store.Departments()
	if err != nil {
		return Reply{}, err
	}
	var open []string
	for _, x := range depts {
		if x.Parent == d.Code && !x.Closed {
			open = append(open, x.Code)
		}
	}
	if len(open) > 0 {
		return Reply{}, c.Fail("%s are subunități active (%s): mutați-le sau desființați-le întâi.",
			"%s has open sub-departments (%s): move or close them first.", d.Code, strings.Join(open, ", "))
	}
	_, err = c.changeDepartment(d.Code, "close", func(x *storage.Department) error {
		x.Closed, x.ClosedAt = true, c.e.Now()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Departament desființat: %s — %s. Istoricul rămâne; nu mai primește repartizări.",
		"Department closed: %s — %s. Its history stays; it receives no new assignments.", d.Code, d.Name)}, nil
}

// memberArgs reads the department and the identities of a member command.
func (c *Call) memberArgs() (storage.Department, []string, error) {
	if len(c.Args) < 2 {
		return storage.Department{}, nil, c.Fail("Dați codul departamentului și cel puțin o identitate.", "Give the department's code and at least one identity.")
	}
	d, err := c.department(c.Args[0])
	if err != nil {
		return d, nil, err
	}
	var ids []string
	for _, a := range c.Args[1:] {
		who, err := c.identity(a)
		if err != nil {
			return d, nil, err
		}
		ids = append(ids, who.Key())
	}
	return d, ids, nil
}

func runMemberAdd(c *Call) (Reply, error) {
	d, ids, err := c.memberArgs()
	if err != nil {
		return Reply{}, err
	}
	if d.Closed {
		return Reply{}, c.Fail("%s este desființat.", "%s is closed.", d.Code)
	}
	var added []string
	after, err := c.changeDepartment(d.Code, "members", func(x *storage.Department) error {
		added = nil
		for _, id := range ids {
			if !contains1(x.Members, id) {
				x.Members = append(x.Members, id)
				added = append(added, id)
			}
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	if len(added) == 0 {
		return Reply{}, c.Fail("Sunt deja membri ai %s.", "They are already members of %s.", d.Code)
	}
	return Reply{Title: c.T("Membri noi în %s: %s", "New members of %s: %s", d.Code, strings.Join(added, ", ")),
		Lines: []string{c.T("Membri: %s", "Members: %s", strings.Join(after.Members, ", "))}}, nil
}

func runMemberRemove(c *Call) (Reply, error) {
	d, ids, err := c.memberArgs()
	if err != nil {
		return Reply{}, err
	}
	for _, id := range ids {
		if !contains1(d.Members, id) {
			return Reply{}, c.Fail("%s nu este membru al %s.", "%s is not a member of %s.", id, d.Code)
		}
	}
	after, err := c.changeDepartment(d.Code, "members", func(x *storage.Department) error {
		kept := x.Members[:0]
		for _, m := range x.Members {
			if !contains1(ids, m) {
				kept = append(kept, m)
			}
		}
		x.Members = kept
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	left := c.T("niciunul", "none")
	if len(after.Members) > 0 {
		left = strings.Join(after.Members, ", ")
	}
	return Reply{Title: c.T("Scoși din %s: %s", "Removed from %s: %s", d.Code, strings.Join(ids, ", ")),
		Lines: []string{c.T("Membri: %s", "Members: %s", left)}}, nil
}

func contains1(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func runDepartmentShow(c *Call) (Reply, error) {
	if len(c.Args) == 0 {
		return runDepartments(c)
	}
	d, err := c.department(strings.Join(c.Args, " "))
	if err != nil {
		return Reply{}, err
	}
	return c.departmentCard(d), nil
}

// departmentCard shows a department whole, with its people from the
// directory.
func (c *Call) departmentCard(d storage.Department) Reply {
	r := Reply{Title: d.Code + " — " + d.Name}
	add := func(ro, en, v string) {
		if v != "" {
			r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: v})
		}
	}
	add("Tip", "Kind", kindName(d.Kind, c.Lang))
	ix, err := c.e.directory()
	if err != nil {
		c.e.log.Error("directory index", "err", err)
		ix = buildIndex(0, nil, nil, nil)
	}
	if p := ix.depts[d.Parent]; p != nil {
		add("Subordonat lui", "Comes under", p.Code+" — "+p.Name)
	}
	add("Șef", "Head", d.Head)
	add("Telefon", "Phone", d.Phone)
	add("E-mail", "E-mail", d.Email)
	add("Canal Slack", "Slack channel", d.SlackChannel)
	add("Chat Telegram", "Telegram chat", d.TelegramChat)
	add("Membri", "Members", strings.Join(d.Members, ", "))
	var subs []string
	for _, k := range ix.children[d.Code] {
		subs = append(subs, ix.docs[k].dept.Code)
	}
	add("Subunități", "Sub-departments", strings.Join(subs, ", "))
	if d.Closed {
		add("Stare", "Status", c.T("desființat la %s", "closed on %s", stampDay(d.ClosedAt)))
	}
	people := ix.peopleOf(&d)
	for i, e := range people {
		if i == 15 {
			r.Lines = append(r.Lines, c.T("… și încă %d: telefon %s", "… and %d more: phone %s", len(people)-i, d.Code))
			break
		}
		r.Lines = append(r.Lines, ix.entryLine(ix.docs[e].entry, c, false))
	}
	return r
}

func runDepartments(c *Call) (Reply, error) {
	depts, err := c.e.store.Departments()
	if err != nil {
		return Reply{}, err
	}
	if len(depts) == 0 {
		return Reply{Title: c.T("Nu există încă departamente.", "There are no departments yet."),
			Lines: []string{c.T(`Adăugați: departament adauga DT "Direcția Tehnică"`, `Add one: department add DT "Direcția Tehnică"`)}}, nil
	}
	children := map[string][]storage.Department{}
	known := map[string]bool{}
	for _, d := range depts {
		known[d.Code] = true
	}
	for _, d := range depts {
		parent := d.Parent
		if !known[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], d)
	}
	r := Reply{Title: c.T("Departamente: %d", "Departments: %d", len(depts))}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		kids := children[parent]
		sort.Slice(kids, func(i, j int) bool { return kids[i].Code < kids[j].Code })
		for _, d := range kids {
			line := strings.Repeat("  ", depth) + d.Code + " — " + d.Name
			if d.Closed {
				line += c.T(" (desființat)", " (closed)")
			} else {
				if d.Phone != "" {
					line += c.T(" · tel. ", " · tel. ") + d.Phone
				}
				if d.Head != "" {
					line += c.T(" · șef: ", " · head: ") + d.Head
				}
			}
			r.Lines = append(r.Lines, line)
			if depth < 8 {
				walk(d.Code, depth+1)
			}
		}
	}
	walk("", 0)
	return r, nil
}
