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
			Summary: "organigrama: departamentele, ca arbore", SummaryEn: "the organisation chart: departments as a tree",
			Examples: []string{"departamente", "departments"}, Run: runDepartments},
		{Name: "departament adauga", Aliases: []string{"department add", "departament adaugă"}, Roles: staff, Group: groupDirs,
			Usage: `COD "Nume" [parinte=COD] [tip=directie|serviciu|birou|compartiment]`, UsageEn: `CODE "Name" [parent=CODE] [kind=direction|service|office|compartment]`,
			Summary: "adaugă un departament", SummaryEn: "adds a department",
			Examples: []string{`departament adauga DT "Direcția Tehnică" tip=directie`, `department add SIP "Serviciul Iluminat Public" parent=DT kind=service`},
			Keys:     []Key{{"parinte", "parent"}, {"tip", "kind"}}, Run: runDepartmentAdd},
		{Name: "departament inchide", Aliases: []string{"department close", "departament închide"}, Roles: staff, Group: groupDirs,
			Usage: "COD", UsageEn: "CODE",
			Summary: "desființează un departament (își păstrează istoricul, nu mai primește repartizări)", SummaryEn: "closes a department (it keeps its history, receives no new assignments)",
			Examples: []string{"departament inchide BRP", "department close BRP"}, Run: runDepartmentClose},
	}
}

var kindWords = map[string]string{
	"directie": "directie", "direction": "directie", "directorate": "directie",
	"serviciu": "serviciu", "service": "serviciu",
	"birou": "birou", "office": "birou",
	"compartiment": "compartiment", "compartment": "compartiment",
}

// validCode reports whether s can be a department code: letters, digits and
// dashes, at most 16.
func validCode(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func runDepartmentAdd(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați codul și numele departamentului.", "Give the department's code and name.")
	}
	code := strings.ToUpper(text.Fold(c.Args[0]))
	if !validCode(code) {
		return Reply{}, c.Fail("Codul „%s” nu e bun: litere, cifre și cratimă, cel mult 16.", "The code “%s” will not do: letters, digits and dashes, at most 16.", c.Args[0])
	}
	d := storage.Department{Code: code, Name: strings.Join(c.Args[1:], " ")}
	if v, ok := c.Key("tip"); ok {
		if d.Kind, ok = choice(kindWords, v); !ok {
			return Reply{}, c.Fail("Tip necunoscut: „%s”. Tipuri: %s.", "Unknown kind: “%s”. Kinds: %s.", v, choiceList(kindWords))
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
		return Reply{}, err
	}
	return Reply{Title: c.T("Departament adăugat: %s — %s", "Department added: %s — %s", d.Code, d.Name)}, nil
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
	_, err = c.e.store.ChangeDepartment(c.Ctx, d.Code, "close", c.meta(), func(x *storage.Department) error {
		x.Closed, x.ClosedAt = true, c.e.Now()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Departament desființat: %s — %s. Istoricul rămâne; nu mai primește repartizări.",
		"Department closed: %s — %s. Its history stays; it receives no new assignments.", d.Code, d.Name)}, nil
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
