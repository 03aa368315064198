package commands

import (
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// entryColumns are the columns of a directory file, by the names people give
// them in Romanian and English.
var entryColumns = []column{
	{"id", []string{"id", "#id", "nr intrare", "entry"}},
	{"nume", []string{"nume", "name", "persoana", "person", "nume si prenume", "numele si prenumele", "nume prenume", "prenume si nume", "full name"}},
	{"functie", []string{"functie", "functia", "function", "post", "position", "job title", "title"}},
	{"departament", []string{"departament", "department", "cod departament", "department code", "directie", "directia", "serviciu", "compartiment", "structura", "dept"}},
	{"denumire departament", []string{"denumire departament", "department name", "nume departament"}},
	{"telefon", []string{"telefon", "phone", "tel", "telefon fix", "fix", "telephone", "landline", "nr telefon", "numar telefon", "phone number"}},
	{"interior", []string{"interior", "extension", "ext", "int", "nr interior", "extensie"}},
	{"mobil", []string{"mobil", "mobile", "telefon mobil", "mobile phone", "cell", "gsm"}},
	{"email", []string{"email", "e-mail", "mail", "adresa email", "adresa de email", "email address"}},
	{"birou", []string{"birou", "office", "camera", "room", "sala", "birou camera", "camera birou", "office room"}},
	{"observatii", []string{"observatii", "notes", "note", "mentiuni", "comments", "remarks"}},
}

// quietColumns are columns a spreadsheet often has and an import ignores
// without saying so.
var quietColumns = []string{"nr crt", "nr", "no", "crt", "#", "nr. crt."}

// entryCSVHeader is the header of an exported directory, in the order of
// entryColumns.
var entryCSVHeader = []string{"id", "nume", "functie", "departament", "denumire departament", "telefon", "interior", "mobil", "email", "birou", "observatii"}

// entryRow is one checked row of a directory file.
type entryRow struct {
	line   int
	entry  storage.Entry
	target string // the ID of the stored entry it updates, "" for a new one
}

func runImportDirectory(c *Call) (Reply, error) {
	replace := false
	if v, ok := c.Key("mod"); ok {
		switch text.Fold(v) {
		case "inlocuire", "inlocuieste", "replace":
			replace = true
		case "actualizare", "actualizeaza", "update":
		default:
			return Reply{}, c.Fail("Mod necunoscut: „%s”. Moduri: actualizare (implicit: adaugă și schimbă), inlocuire (și scoate ce nu e în fișier).",
				"Unknown mode: “%s”. Modes: update (the default: adds and changes), replace (also removes what the file lacks).", v)
		}
	}
	f, err := c.file()
	if err != nil {
		return Reply{}, err
	}
	t, p := readCSV(f.Data)
	if p != nil {
		return Reply{}, p.err()
	}
	at, unknown, p := t.mapHeader(entryColumns, quietColumns)
	if p != nil {
		return Reply{}, p.err()
	}
	if _, ok := at["departament"]; !ok {
		if i, ok := at["denumire departament"]; ok {
			at["departament"] = i
		}
	}
	_, hasName := at["nume"]
	_, hasFunction := at["functie"]
	if !hasName && !hasFunction {
		return Reply{}, c.Fail("Primul rând trebuie să fie antetul, cu cel puțin o coloană nume sau funcție (găsit: %s).",
			"The first row must be the header, with at least a name or a function column (found: %s).", strings.Join(t.header, ", "))
	}
	if len(t.rows) == 0 {
		return Reply{}, c.Fail("Fișierul „%s” nu are niciun rând după antet.", "The file “%s” has no rows after its header.", f.Name)
	}
	ix, err := c.e.directory()
	if err != nil {
		return Reply{}, err
	}
	rows, bad := c.checkEntryRows(t, at, ix)
	if len(bad) > 0 {
		return c.rejectImport(f.Name, bad, len(t.rows)), nil
	}
	present := map[string]bool{}
	for k := range at {
		present[k] = true
	}
	merge := func(old *storage.Entry, row storage.Entry) storage.Entry {
		if old == nil {
			return row
		}
		out := *old
		for _, k := range entryCSVHeader[1:] {
			if present[k] {
				*entryField(&out, k) = *entryField(&row, k)
			}
		}
		return out
	}
	entries := make([]storage.Entry, len(rows))
	for i, r := range rows {
		entries[i] = r.entry
		entries[i].ID = r.target
	}
	res, err := c.e.store.ImportEntries(c.Ctx, entries, merge, replace, c.meta())
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Agenda telefonică importată din „%s”: %d rânduri.", "Phone directory imported from “%s”: %d rows.", f.Name, len(rows))}
	line := c.T("Adăugate: %d · modificate: %d · neschimbate: %d", "Added: %d · changed: %d · unchanged: %d", res.Added, res.Updated, res.Unchanged)
	if replace {
		line += c.T(" · scoase (nu erau în fișier): %d", " · removed (not in the file): %d", res.Removed)
	}
	r.Lines = append([]string{line}, c.importNotes(t, unknown)...)
	return r, nil
}

// checkEntryRows checks every row of a directory file against the file and
// the directory, and decides which stored entry each row updates.
func (c *Call) checkEntryRows(t *csvTable, at map[string]int, ix *dirIndex) ([]entryRow, []badRow) {
	byID := map[string]*storage.Entry{}
	byKey := map[string]string{}
	for _, d := range ix.docs[:ix.entries] {
		byID[d.entry.ID] = d.entry
		byKey[entryNaturalKey(*d.entry)] = d.entry.ID
	}
	deptByName := map[string]*storage.Department{}
	for _, d := range ix.depts {
		deptByName[strings.Join(text.Words(d.Name), " ")] = d
	}
	// First each row alone: its cells, and the stored entry it updates.
	rows := make([]entryRow, len(t.rows))
	why := make([][]*problem, len(t.rows))
	merged := make([]storage.Entry, len(t.rows))
	idLine := map[string]int{}
	for i, r := range t.rows {
		note := func(p *problem) {
			if p != nil {
				why[i] = append(why[i], p)
			}
		}
		note(t.extraCells(r))
		row := entryRow{line: r.line}
		for _, k := range entryCSVHeader[1:] {
			v, ok := r.cell(at, k)
			switch {
			case !ok || k == "denumire departament":
			case k == "departament":
				code, p := importDept(v, ix.depts, deptByName)
				note(p)
				row.entry.Dept = code
			default:
				note(setEntryField(&row.entry, k, v))
			}
		}
		if id, ok := r.cell(at, "id"); ok && id != "" {
			id = strings.TrimPrefix(id, "#")
			if !isDigits(id) {
				note(probf("id-ul „%s” nu este un număr (lăsați-l gol pentru o intrare nouă)", "the id “%s” is not a number (leave it empty for a new entry)", id))
			} else if l, dup := idLine[id]; dup {
				note(probf("același id (%s) ca rândul %d", "the same id (%s) as line %d", id, l))
			} else {
				idLine[id] = r.line
				if byID[id] != nil {
					row.target = id
				}
			}
		}
		if row.target == "" {
			row.target = byKey[entryNaturalKey(row.entry)]
		}
		// What will be kept: the stored entry with this file's columns.
		merged[i] = row.entry
		if old := byID[row.target]; old != nil {
			merged[i] = *old
			for _, k := range entryCSVHeader[1:] {
				if _, ok := at[k]; ok {
					*entryField(&merged[i], k) = *entryField(&row.entry, k)
				}
			}
		}
		if len(why[i]) == 0 {
			note(checkEntry(merged[i]))
		}
		rows[i] = row
	}
	// Then the rows together: no two rows for one entry, and none that would
	// take the place of a stored entry the file leaves alone.
	keyLine, targetLine := map[string]int{}, map[string]int{}
	targeted := map[string]bool{}
	for _, r := range rows {
		targeted[r.target] = true
	}
	var ok []entryRow
	var bad []badRow
	for i, r := range rows {
		nk := entryNaturalKey(merged[i])
		if l, dup := keyLine[nk]; dup {
			why[i] = append(why[i], probf("aceeași persoană, funcție și departament ca rândul %d", "the same person, function and department as line %d", l))
		} else {
			keyLine[nk] = r.line
		}
		if r.target != "" {
			if l, dup := targetLine[r.target]; dup {
				why[i] = append(why[i], probf("aceeași intrare (#%s) ca rândul %d", "the same entry (#%s) as line %d", r.target, l))
			}
			targetLine[r.target] = r.line
		}
		if other := byKey[nk]; other != "" && other != r.target && !targeted[other] {
			why[i] = append(why[i], probf("agenda are deja această persoană, funcție și departament, ca #%s", "the directory already has this person, function and department, as #%s", other))
		}
		if len(why[i]) > 0 {
			bad = append(bad, badRow{line: r.line, why: why[i]})
			continue
		}
		ok = append(ok, r)
	}
	return ok, bad
}

// entryNaturalKey is how the store tells entries apart: the folded person,
// function and department.
func entryNaturalKey(e storage.Entry) string {
	return strings.Join(text.Words(e.Name), " ") + "|" + strings.Join(text.Words(e.Function), " ") + "|" + e.Dept
}

// importDept resolves a department cell: its exact code or exact name (no
// guessing in a file: a near miss is reported).
func importDept(v string, byCode map[string]*storage.Department, byName map[string]*storage.Department) (string, *problem) {
	if v == "" {
		return "", nil
	}
	d := byCode[strings.ToUpper(text.Fold(v))]
	if d == nil {
		d = byName[strings.Join(text.Words(v), " ")]
	}
	if d == nil {
		return "", probf("departament necunoscut „%s” (dați codul sau numele exact; departamentele noi se adaugă întâi: import-departamente)",
			"unknown department “%s” (give its code or exact name; add new departments first: import-departments)", v)
	}
	if d.Closed {
		return "", probf("departamentul %s (%s) este desființat", "the department %s (%s) is closed", d.Code, d.Name)
	}
	return d.Code, nil
}

func runExportDirectory(c *Call) (Reply, error) {
	format := "csv"
	for _, a := range c.Args {
		switch text.Fold(strings.TrimPrefix(a, ".")) {
		case "csv", "excel":
			format = "csv"
		case "vcf", "vcard":
			format = "vcf"
		default:
			return Reply{}, c.Fail("Format necunoscut: „%s”. Formate: csv (Excel), vcf (contactele telefonului).",
				"Unknown format: “%s”. Formats: csv (Excel), vcf (a phone's contacts).", a)
		}
	}
	ix, err := c.e.directory()
	if err != nil {
		return Reply{}, err
	}
	within := func(string) bool { return true }
	scope := c.T("toată agenda", "the whole directory")
	if v, ok := c.Key("departament"); ok {
		d, err := c.department(v)
		if err != nil {
			return Reply{}, err
		}
		under := ix.subtree(d.Code)
		within = func(code string) bool { return under[code] }
		scope = d.Code + " — " + d.Name
	}
	var entries []*storage.Entry
	for _, d := range ix.docs[:ix.entries] {
		if within(d.entry.Dept) {
			entries = append(entries, d.entry)
		}
	}
	var depts []*storage.Department
	for _, d := range ix.docs[ix.entries:] {
		if within(d.dept.Code) {
			depts = append(depts, d.dept)
		}
	}
	if len(entries) == 0 && len(depts) == 0 {
		return Reply{Title: c.T("Nu e nimic de exportat (%s).", "There is nothing to export (%s).", scope)}, nil
	}
	stamp := c.e.Now().Format("2006-01-02")
	var f File
	switch format {
	case "vcf":
		data, err := directoryVCard(entries, depts, ix.depts)
		if err != nil {
			return Reply{}, err
		}
		f = File{Name: "agenda-telefonica-" + stamp + ".vcf", MIME: "text/vcard", Data: data}
	default:
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].Dept < entries[j].Dept })
		rows := [][]string{entryCSVHeader}
		for _, e := range entries {
			deptName := ""
			if d := ix.depts[e.Dept]; d != nil {
				deptName = d.Name
			}
			rows = append(rows, []string{e.ID, e.Name, e.Function, e.Dept, deptName, e.Phone, e.Extension, e.Mobile, e.Email, e.Office, e.Notes})
		}
		data, err := writeCSV(rows)
		if err != nil {
			return Reply{}, err
		}
		f = File{Name: "agenda-telefonica-" + stamp + ".csv", MIME: "text/csv", Data: data}
	}
	r := Reply{Title: c.T("Agenda telefonică (%s): %s → %s", "Phone directory (%s): %s → %s", scope, c.countOf(len(entries), text.Intrari, "entry", "entries"), f.Name), Files: []File{f}}
	if format == "vcf" {
		r.Lines = append(r.Lines, c.T("Deschideți fișierul pe telefon ca să adăugați contactele (și %d numere de departamente).",
			"Open the file on the phone to add the contacts (and %d department numbers).", len(depts)))
	}
	return r, nil
}

// subtree is a department and everything under it.
func (ix *dirIndex) subtree(code string) map[string]bool {
	out := map[string]bool{code: true}
	kids := map[string][]string{}
	for _, d := range ix.depts {
		if d.Parent != "" {
			kids[d.Parent] = append(kids[d.Parent], d.Code)
		}
	}
	queue := []string{code}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, ch := range kids[k] {
			if !out[ch] {
				out[ch] = true
				queue = append(queue, ch)
			}
		}
	}
	return out
}
