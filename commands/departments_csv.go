package commands

import (
	"errors"
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// deptColumns are the columns of an organisation chart file.
var deptColumns = []column{
	{"cod", []string{"cod", "code", "cod departament", "department code", "abreviere", "abbreviation", "prescurtare"}},
	{"denumire", []string{"denumire", "nume", "name", "departament", "department", "denumire departament", "department name"}},
	{"tip", []string{"tip", "kind", "type"}},
	{"parinte", []string{"parinte", "parent", "subordonat", "subordonat lui", "in subordinea", "cod parinte", "parent code"}},
	{"sef", []string{"sef", "head", "conducator", "director", "responsabil", "sef departament"}},
	{"telefon", []string{"telefon", "phone", "tel", "telephone", "phone number"}},
	{"email", []string{"email", "e-mail", "mail", "adresa email"}},
	{"slack", []string{"slack", "canal slack", "slack channel"}},
	{"telegram", []string{"telegram", "chat telegram", "telegram chat", "grup telegram"}},
}

// deptCSVHeader is the header of an exported chart; "desfiintat" is for
// reading only (an import neither closes nor reopens departments).
var deptCSVHeader = []string{"cod", "denumire", "tip", "parinte", "sef", "telefon", "email", "slack", "telegram", "desfiintat"}

func runImportDepartments(c *Call) (Reply, error) {
	f, err := c.file()
	if err != nil {
		return Reply{}, err
	}
	t, p := readCSV(f.Data)
	if p != nil {
		return Reply{}, p.err()
	}
	at, unknown, p := t.mapHeader(deptColumns, append(quietColumns, "desfiintat", "closed"))
	if p != nil {
		return Reply{}, p.err()
	}
	if _, ok := at["cod"]; !ok {
		return Reply{}, c.Fail("Primul rând trebuie să fie antetul, cu cel puțin coloanele cod și denumire (găsit: %s).",
			"The first row must be the header, with at least the columns code and name (found: %s).", strings.Join(t.header, ", "))
	}
	if len(t.rows) == 0 {
		return Reply{}, c.Fail("Fișierul „%s” nu are niciun rând după antet.", "The file “%s” has no rows after its header.", f.Name)
	}
	stored, err := c.e.store.Departments()
	if err != nil {
		return Reply{}, err
	}
	present := map[string]bool{}
	for k := range at {
		present[k] = true
	}
	merge := func(old *storage.Department, row storage.Department) storage.Department {
		if old == nil {
			if !present["tip"] || row.Kind == "" {
				row.Kind = guessKind(row.Name)
			}
			return row
		}
		out := *old
		out.Members = append([]string(nil), old.Members...)
		for _, k := range deptCSVHeader[1:9] {
			if present[k] {
				*deptField(&out, k) = *deptField(&row, k)
			}
		}
		return out
	}
	rows, bad := c.checkDeptRows(t, at, stored, merge)
	if len(bad) > 0 {
		return c.rejectImport(f.Name, bad, len(t.rows)), nil
	}
	res, err := c.e.store.ImportDepartments(c.Ctx, rows, merge, c.meta())
	if err != nil {
		var ce *storage.ChartError
		if errors.As(err, &ce) { // the chart changed since the file was checked
			return Reply{}, c.chartError(err)
		}
		return Reply{}, err
	}
	r := Reply{Title: c.T("Organigrama importată din „%s”: %s.", "Organisation chart imported from “%s”: %s.", f.Name, c.countOf(len(rows), text.Departam, "department", "departments")),
		Lines: []string{c.T("Adăugate: %d · modificate: %d · neschimbate: %d", "Added: %d · changed: %d · unchanged: %d", res.Added, res.Updated, res.Unchanged)}}
	r.Lines = append(r.Lines, c.importNotes(t, unknown)...)
	return r, nil
}

// deptField points at the field of d a chart column names.
func deptField(d *storage.Department, key string) *string {
	switch key {
	case "denumire":
		return &d.Name
	case "tip":
		return &d.Kind
	case "parinte":
		return &d.Parent
	case "sef":
		return &d.Head
	case "telefon":
		return &d.Phone
	case "email":
		return &d.Email
	case "slack":
		return &d.SlackChannel
	case "telegram":
		return &d.TelegramChat
	}
	return new(string)
}

// checkDeptRows checks a chart file row by row and as a whole: codes and
// names once each, parents that exist and are open, no department under its
// own sub-department.
func (c *Call) checkDeptRows(t *csvTable, at map[string]int, stored []storage.Department,
	merge func(*storage.Department, storage.Department) storage.Department) ([]storage.Department, []badRow) {
	existing := map[string]storage.Department{}
	for _, d := range stored {
		existing[d.Code] = d
	}
	rows := make([]storage.Department, len(t.rows))
	why := make([][]*problem, len(t.rows))
	parents := make([]string, len(t.rows))
	codeLine := map[string]int{}
	for i, r := range t.rows {
		note := func(p *problem) {
			if p != nil {
				why[i] = append(why[i], p)
			}
		}
		note(t.extraCells(r))
		raw, _ := r.cell(at, "cod")
		code := strings.ToUpper(text.Fold(raw))
		switch {
		case raw == "":
			note(probf("lipsește codul", "the code is missing"))
		case !validCode(code):
			note(probf("codul „%s” nu e bun: litere, cifre și cratimă (nu la început), cel mult 16", "the code “%s” will not do: letters, digits and dashes (not first), at most 16", raw))
		default:
			if l, dup := codeLine[code]; dup {
				note(probf("același cod (%s) ca rândul %d", "the same code (%s) as line %d", code, l))
			}
			codeLine[code] = r.line
		}
		d := storage.Department{Code: code}
		if v, ok := r.cell(at, "denumire"); ok {
			d.Name = cleanText(v)
			if d.Name != "" {
				note(checkDeptName(d.Name))
			}
		}
		if _, known := existing[code]; !known && d.Name == "" && raw != "" {
			note(probf("lipsește denumirea (departament nou)", "the name is missing (a new department)"))
		}
		if _, known := existing[code]; known && present(at, "denumire") && d.Name == "" {
			note(probf("lipsește denumirea", "the name is missing"))
		}
		for _, k := range []string{"tip", "sef", "telefon", "email", "slack", "telegram"} {
			if v, ok := r.cell(at, k); ok {
				if k == "telegram" { // an @name becomes the chat's numeric ID, or the row is refused
					var p *problem
					if v, _, p = c.telegramChat(v); p != nil {
						note(p)
						continue
					}
				}
				note(setDeptField(&d, k, v))
			}
		}
		parents[i], _ = r.cell(at, "parinte")
		rows[i] = d
	}
	// Parents may be departments of the file or already stored, by code or
	// by exact name.
	byName := map[string]string{}
	for _, d := range existing {
		byName[strings.Join(text.Words(d.Name), " ")] = d.Code
	}
	inFile := map[string]bool{}
	for _, d := range rows {
		if d.Name != "" {
			byName[strings.Join(text.Words(d.Name), " ")] = d.Code
		}
		inFile[d.Code] = true
	}
	for i, raw := range parents {
		if raw == "" || noneWords[text.Fold(raw)] {
			continue
		}
		code := strings.ToUpper(text.Fold(raw))
		if _, ok := existing[code]; !ok && !inFile[code] {
			code = byName[strings.Join(text.Words(raw), " ")]
		}
		switch {
		case code == "":
			why[i] = append(why[i], probf("părinte necunoscut „%s”", "unknown parent “%s”", raw))
		case code == rows[i].Code:
			why[i] = append(why[i], probf("un departament nu poate fi propriul părinte", "a department cannot be its own parent"))
		case existing[code].Closed && !inFile[code]:
			why[i] = append(why[i], probf("părintele %s este desființat", "the parent %s is closed", code))
		default:
			rows[i].Parent = code
		}
	}
	// The chart as it would be: names once each, no loops.
	final := map[string]storage.Department{}
	for k, d := range existing {
		final[k] = d
	}
	for _, d := range rows {
		if d.Code == "" {
			continue
		}
		var old *storage.Department
		if o, ok := existing[d.Code]; ok {
			old = &o
		}
		final[d.Code] = merge(old, d)
	}
	var ok []storage.Department
	var bad []badRow
	for i, d := range rows {
		if len(why[i]) == 0 {
			fd := final[d.Code]
			fn := strings.Join(text.Words(fd.Name), " ")
			for _, o := range final {
				if o.Code != d.Code && strings.Join(text.Words(o.Name), " ") == fn {
					why[i] = append(why[i], probf("același nume ca %s", "the same name as %s", o.Code))
					break
				}
			}
			seen := map[string]bool{d.Code: true}
			for p := fd.Parent; p != ""; p = final[p].Parent {
				if seen[p] {
					why[i] = append(why[i], probf("%s ar ajunge sub propria subunitate (%s)", "%s would come under its own sub-department (%s)", d.Code, fd.Parent))
					break
				}
				seen[p] = true
			}
		}
		if len(why[i]) > 0 {
			bad = append(bad, badRow{line: t.rows[i].line, why: why[i]})
			continue
		}
		ok = append(ok, d)
	}
	return ok, bad
}

func present(at map[string]int, key string) bool {
	_, ok := at[key]
	return ok
}

func runExportDepartments(c *Call) (Reply, error) {
	depts, err := c.e.store.Departments()
	if err != nil {
		return Reply{}, err
	}
	if len(depts) == 0 {
		return Reply{Title: c.T("Nu există încă departamente.", "There are no departments yet.")}, nil
	}
	sort.Slice(depts, func(i, j int) bool { return depts[i].Code < depts[j].Code })
	rows := [][]string{deptCSVHeader}
	for _, d := range depts {
		closed := ""
		if d.Closed {
			closed = stampDay(d.ClosedAt)
		}
		rows = append(rows, []string{d.Code, d.Name, d.Kind, d.Parent, d.Head, d.Phone, d.Email, d.SlackChannel, d.TelegramChat, closed})
	}
	data, err := writeCSV(rows)
	if err != nil {
		return Reply{}, err
	}
	f := File{Name: "organigrama-" + c.e.Now().Format("2006-01-02") + ".csv", MIME: "text/csv", Data: data}
	return Reply{Title: c.T("Organigrama: %s → %s", "Organisation chart: %s → %s", c.countOf(len(depts), text.Departam, "department", "departments"), f.Name), Files: []File{f}}, nil
}
