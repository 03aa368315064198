package commands

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/xuri/excelize/v2"
)

// registerColumns are the columns of an existing register, by the names
// clerks give them (README: "Import of an existing register").
var registerColumns = []column{
	{"numar", []string{"nr inregistrare", "nr de inregistrare", "numar inregistrare", "numar de inregistrare", "nr inreg", "numar", "nr", "registration number", "registration no", "number", "reg no", "no"}},
	{"data", []string{"data", "data inregistrarii", "data inregistrare", "data intrarii", "date", "registration date", "registered"}},
	{"expeditor", []string{"petent", "expeditor", "emitent", "de la", "petitionar", "sender", "from", "petitioner"}},
	{"tip", []string{"tip expeditor", "tip petent", "tip", "sender type", "type"}},
	{"contact", []string{"contact", "adresa", "date de contact", "address"}},
	{"subiect", []string{"continut", "obiect", "subiect", "continutul pe scurt", "rezumat", "subject", "content", "summary"}},
	{"categorie", []string{"categorie", "category"}},
	{"canal", []string{"canal", "mod de primire", "channel"}},
	{"pagini", []string{"pagini", "nr pagini", "nr file", "file", "pages"}},
	{"departament", []string{"compartiment", "departament", "directia", "repartizat", "repartizat la", "compartiment responsabil", "department", "assigned to"}},
	{"termen", []string{"termen", "termen de raspuns", "termen raspuns", "deadline", "due"}},
	{"raspuns", []string{"nr raspuns", "numar raspuns", "nr de raspuns", "answer no", "answer number", "reply no"}},
	{"data raspuns", []string{"data raspunsului", "data raspuns", "answer date", "reply date"}},
	{"stare", []string{"stare", "status", "situatie"}},
}

var registerQuiet = []string{"nr crt", "crt", "#", "observatii", "notes"}

var (
	reNumYear = regexp.MustCompile(`^(\d{1,8})\s*/\s*(\d{4})$`)
	reNumDate = regexp.MustCompile(`^(\d{1,8})\s*/\s*(\d{1,2}[./-]\d{1,2}[./-]\d{4})$`)
	reNum     = regexp.MustCompile(`^\d{1,8}$`)
	reDate    = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$`)
	reISO     = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$`)
	reCode    = regexp.MustCompile(`^[A-Z][A-Z0-9-]{0,11}$`)
)

// fileDate reads a date cell: 25.11.2026, 25/11/2026, 2026-11-25, an
// optional time, or an Excel serial day (46351).
func fileDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	var y, mo, d, h, mi int
	if m := reDate.FindStringSubmatch(s); m != nil {
		d, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
		h, _ = strconv.Atoi(m[4])
		mi, _ = strconv.Atoi(m[5])
	} else if m := reISO.FindStringSubmatch(s); m != nil {
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		d, _ = strconv.Atoi(m[3])
		h, _ = strconv.Atoi(m[4])
		mi, _ = strconv.Atoi(m[5])
	} else if n, err := strconv.Atoi(s); err == nil && n > 20000 && n < 80000 {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, calendar.Bucharest).AddDate(0, 0, n)
		return t, true
	} else {
		return time.Time{}, false
	}
	if y < minYear || y > maxYear || h > 23 || mi > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, 0, 0, calendar.Bucharest)
	if t.Day() != d || int(t.Month()) != mo {
		return time.Time{}, false
	}
	return t, true
}

// readRegisterFile reads a CSV (any dialect readCSV knows) or the first sheet
// of an XLSX workbook into a table.
func readRegisterFile(f File) (*csvTable, *problem) {
	name := strings.ToLower(f.Name)
	if !strings.HasSuffix(name, ".xlsx") && !bytes.HasPrefix(f.Data, []byte("PK\x03\x04")) {
		return readCSV(f.Data)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(f.Data))
	if err != nil {
		return nil, probf("Registrul Excel nu se poate deschide: %v.", "The Excel workbook cannot be opened: %v.", err)
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, probf("Registrul Excel nu are nicio foaie.", "The Excel workbook has no sheet.")
	}
	rows, err := wb.GetRows(sheets[0])
	if err != nil {
		return nil, probf("Foaia „%s” nu se poate citi: %v.", "The sheet “%s” cannot be read: %v.", sheets[0], err)
	}
	t := &csvTable{sep: ';'}
	for i, rec := range rows {
		blank := true
		for j, cell := range rec {
			rec[j] = strings.TrimSpace(cellBreaks.Replace(cell))
			if r, bad := text.BadControl(rec[j], true); bad {
				return nil, probf("Rândul %d, coloana %d: caracterul de control %s nu se păstrează; scoateți-l din fișier.",
					"Line %d, column %d: the control character %s is not kept; remove it from the file.", i+1, j+1, text.ControlName(r))
			}
			blank = blank && rec[j] == ""
		}
		if blank {
			continue
		}
		if t.header == nil {
			t.header, t.headerL = rec, i+1
			continue
		}
		t.rows = append(t.rows, csvRow{line: i + 1, cells: rec})
	}
	if t.header == nil {
		return nil, probf("Foaia „%s” este goală.", "The sheet “%s” is empty.", sheets[0])
	}
	return t, nil
}

// registerRow is one checked row of a register file.
type registerRow struct {
	line int
	item storage.Item
	dept string // the department cell when it names no department yet
}

// cellBreaks turns the line breaks and tabs inside a cell into spaces.
var cellBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ")

func runImportRegister(c *Call) (Reply, error) {
	update := false
	if v, ok := c.Key("mod"); ok {
		switch text.Fold(v) {
		case "actualizare", "actualizeaza", "update":
			update = true
		case "adaugare", "adauga", "add":
		default:
			return Reply{}, c.Fail("Mod necunoscut: „%s”. Moduri: adaugare (implicit: un număr deja în registru e o greșeală), actualizare (îl înlocuiește). Exemplu: import-registru registru.xlsx mod=actualizare",
				"Unknown mode: “%s”. Modes: add (the default: a number already in the register is an error), update (replaces it). Example: import-register register.xlsx mode=update", v)
		}
	}
	create, err := c.yesNo("creeaza-departamente")
	if err != nil {
		return Reply{}, err
	}
	dry, err := c.yesNo("verifica")
	if err != nil {
		return Reply{}, err
	}
	f, err := c.file()
	if err != nil {
		return Reply{}, err
	}
	t, p := readRegisterFile(f)
	if p != nil {
		return Reply{}, p.err()
	}
	at, unknownCols, p := t.mapHeader(registerColumns, registerQuiet)
	if p != nil {
		return Reply{}, p.err()
	}
	for _, need := range []string{"numar", "subiect"} {
		if _, ok := at[need]; !ok {
			return Reply{}, c.Fail("Primul rând trebuie să fie antetul, cu cel puțin coloanele „Nr. înregistrare” și „Conținut” (găsit: %s).",
				"The first row must be the header, with at least the columns “Registration number” and “Subject” (found: %s).", strings.Join(t.header, ", "))
		}
	}
	if len(t.rows) == 0 {
		return Reply{}, c.Fail("Fișierul „%s” nu are niciun rând după antet.", "The file “%s” has no rows after its header.", f.Name)
	}
	depts, err := c.e.store.Departments()
	if err != nil {
		return Reply{}, err
	}
	byCode, byName := map[string]*storage.Department{}, map[string]*storage.Department{}
	for i := range depts {
		byCode[depts[i].Code] = &depts[i]
		byName[strings.Join(text.Words(depts[i].Name), " ")] = &depts[i]
	}
	rows := make([]registerRow, 0, len(t.rows))
	var bad []badRow
	seen := map[storage.Number]int{}
	taken := map[int]map[int]bool{}
	unknown := map[string][]int{} // folded department cell → lines
	unknownName := map[string]string{}
	for _, r := range t.rows {
		var why []*problem
		note := func(p *problem) {
			if p != nil {
				why = append(why, p)
			}
		}
		note(t.extraCells(r))
		row, dept, ps := c.registerRow(r, at, byCode, byName)
		for _, p := range ps {
			note(p)
		}
		if dept != "" {
			k := strings.Join(text.Words(dept), " ")
			unknown[k] = append(unknown[k], r.line)
			if _, ok := unknownName[k]; !ok {
				unknownName[k] = dept
			}
		}
		n := row.Number
		if !n.IsZero() {
			if l, dup := seen[n]; dup {
				note(probf("același număr (%s) ca rândul %d", "the same number (%s) as line %d", n, l))
			} else {
				seen[n] = r.line
			}
			if taken[n.Year] == nil {
				if taken[n.Year], err = c.e.store.ItemNumbers(n.Year); err != nil {
					return Reply{}, err
				}
			}
			if taken[n.Year][n.Seq] && !update {
				note(probf("numărul %s este deja în registru (pentru a-l înlocui: mod=actualizare)", "the number %s is already in the register (to replace it: mode=update)", n))
			}
		}
		if len(why) > 0 {
			bad = append(bad, badRow{line: r.line, why: why})
			continue
		}
		rows = append(rows, registerRow{line: r.line, item: row, dept: dept})
	}
	if len(bad) > 0 {
		rj := c.rejectImport(f.Name, bad, len(t.rows))
		if len(unknown) > 0 && !create {
			rj.Lines = append(c.unknownDeptLines(unknown, unknownName), rj.Lines...)
		}
		return rj, nil
	}
	var newDepts []storage.Department
	if len(unknown) > 0 {
		if !create {
			r := Reply{Kind: Invalid, Title: c.T("Nu am importat nimic din „%s”: %s nu există.", "Nothing was imported from “%s”: %s do not exist.",
				f.Name, c.countOf(len(unknown), text.Departam, "department", "departments"))}
			r.Lines = append(c.unknownDeptLines(unknown, unknownName),
				c.T("Adăugați-le întâi (import-departamente) sau importați cu creeaza-departamente=da (la linia de comandă: --create-departments).",
					"Add them first (import-departments) or import with create-departments=yes (on the command line: --create-departments)."))
			return r, nil
		}
		codes := map[string]string{}
		for _, k := range slices.Sorted(mapKeys(unknown)) {
			d := storage.Department{Code: newDeptCode(unknownName[k], byCode), Name: unknownName[k]}
			byCode[d.Code] = &d
			codes[k] = d.Code
			newDepts = append(newDepts, d)
		}
		for i := range rows {
			if rows[i].dept != "" {
				rows[i].item.Dept = codes[strings.Join(text.Words(rows[i].dept), " ")]
				c.settleStatus(&rows[i].item)
			}
		}
	}
	items := make([]storage.Item, len(rows))
	for i, r := range rows {
		items[i] = r.item
	}
	if dry {
		r := Reply{Title: c.T("Verificare „%s”: s-ar importa %s; nu am scris nimic.", "Check of “%s”: %s would be imported; nothing was written.",
			f.Name, c.countOf(len(items), text.Inregistr, "registration", "registrations"))}
		r.Lines = append(r.Lines, c.registerCounts(items)...)
		for _, d := range newDepts {
			r.Lines = append(r.Lines, c.T("Departament nou: %s — %s", "New department: %s — %s", d.Code, d.Name))
		}
		r.Lines = append(r.Lines, c.importNotes(t, unknownCols)...)
		return r, nil
	}
	note := "importat din " + f.Name
	added, updated, err := c.e.store.ImportItems(c.Ctx, storage.RegisterImport{Departments: newDepts, Items: items, Update: update, Note: note}, c.meta())
	if errors.Is(err, storage.ErrNumberTaken) {
		return Reply{}, c.Fail("Un număr din fișier a fost înregistrat între timp; nu am importat nimic. Importați din nou.",
			"A number in the file was registered meanwhile; nothing was imported. Import again.")
	}
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Registru importat din „%s”: %s.", "Register imported from “%s”: %s.", f.Name, c.countOf(len(items), text.Inregistr, "registration", "registrations"))}
	r.Lines = append(r.Lines, c.T("Adăugate: %d · înlocuite: %d", "Added: %d · replaced: %d", added, updated))
	r.Lines = append(r.Lines, c.registerCounts(items)...)
	for _, d := range newDepts {
		r.Lines = append(r.Lines, c.T("Departament creat: %s — %s", "Department created: %s — %s", d.Code, d.Name))
	}
	years := map[int]bool{}
	for _, it := range items {
		years[it.Number.Year] = true
	}
	for _, y := range slices.Sorted(mapKeys(years)) {
		last, err := c.e.store.LastNumber(y)
		if err != nil {
			return Reply{}, err
		}
		r.Lines = append(r.Lines, c.T("%d: următorul număr este %d/%d.", "%d: the next number is %d/%d.", y, last+1, y))
	}
	r.Lines = append(r.Lines, c.importNotes(t, unknownCols)...)
	return r, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// unknownDeptLines name the departments a file gives that do not exist, with
// the lines that give them.
func (c *Call) unknownDeptLines(unknown map[string][]int, names map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(mapKeys(unknown)) {
		lines := unknown[k]
		ls := make([]string, 0, min(len(lines), 5))
		for i, l := range lines {
			if i == 5 {
				ls = append(ls, "…")
				break
			}
			ls = append(ls, strconv.Itoa(l))
		}
		if len(lines) == 1 {
			out = append(out, c.T("departament necunoscut „%s” (rândul %d)", "unknown department “%s” (line %d)", names[k], lines[0]))
			continue
		}
		out = append(out, c.T("departament necunoscut „%s” (rândurile %s)", "unknown department “%s” (lines %s)", names[k], strings.Join(ls, ", ")))
	}
	return out
}

// newDeptCode makes a code for a department a file names: the cell itself
// when it looks like a code (DT, DAS), else the initials of its words.
func newDeptCode(name string, taken map[string]*storage.Department) string {
	base := strings.ToUpper(text.Fold(strings.TrimSpace(name)))
	if !reCode.MatchString(base) {
		base = ""
		for _, w := range text.Words(name) {
			if len([]rune(w)) > 2 {
				base += strings.ToUpper(string([]rune(w)[0]))
			}
		}
		if base == "" {
			base = "D"
		}
	}
	code := base
	for i := 2; taken[code] != nil; i++ {
		code = base + strconv.Itoa(i)
	}
	return code
}

// registerCounts are a dry run's and an import's counts by year, status and
// department.
func (c *Call) registerCounts(items []storage.Item) []string {
	byYear, byStatus, byDept := map[int]int{}, map[string]int{}, map[string]int{}
	for _, it := range items {
		byYear[it.Number.Year]++
		byStatus[string(it.Status)]++
		d := it.Dept
		if d == "" {
			d = c.T("nerepartizate", "unassigned")
		}
		byDept[d]++
	}
	var ys, ss, ds []string
	for _, y := range slices.Sorted(mapKeys(byYear)) {
		ys = append(ys, fmt.Sprintf("%d: %d", y, byYear[y]))
	}
	for _, s := range storage.Statuses {
		if n := byStatus[string(s)]; n > 0 {
			ss = append(ss, fmt.Sprintf("%s: %d", c.Lang.name(statusNames, string(s)), n))
		}
	}
	for _, d := range slices.Sorted(mapKeys(byDept)) {
		ds = append(ds, fmt.Sprintf("%s: %d", d, byDept[d]))
	}
	return []string{
		c.T("Pe ani: ", "By year: ") + strings.Join(ys, " · "),
		c.T("Pe stări: ", "By status: ") + strings.Join(ss, " · "),
		c.T("Pe departamente: ", "By department: ") + strings.Join(ds, " · "),
	}
}

// registerRow reads one row of a register file. dept is the department cell
// when it names no existing department.
func (c *Call) registerRow(r csvRow, at map[string]int, byCode, byName map[string]*storage.Department) (it storage.Item, dept string, why []*problem) {
	get := func(k string) string { v, _ := r.cell(at, k); return strings.TrimSpace(v) }
	bad := func(ro, en string, a ...any) { why = append(why, probf(ro, en, a...)) }
	it = storage.Item{RegisteredBy: c.Caller.Key(), SenderType: "cetatean", Status: storage.StatusRegistered}
	var reg time.Time
	if v := get("data"); v != "" {
		var ok bool
		if reg, ok = fileDate(v); !ok {
			bad("data „%s” nu se poate citi (scrieți 25.11.2026)", "the date “%s” cannot be read (write 25.11.2026)", v)
		}
	}
	num := get("numar")
	switch m := []string(nil); {
	case num == "":
		bad("lipsește numărul de înregistrare", "the registration number is missing")
	case func() bool { m = reNumYear.FindStringSubmatch(num); return m != nil }():
		it.Number.Seq, _ = strconv.Atoi(m[1])
		it.Number.Year, _ = strconv.Atoi(m[2])
	case func() bool { m = reNumDate.FindStringSubmatch(num); return m != nil }():
		it.Number.Seq, _ = strconv.Atoi(m[1])
		d, ok := fileDate(m[2])
		if !ok {
			bad("data din numărul „%s” nu există", "the date in the number “%s” does not exist", num)
			break
		}
		if !reg.IsZero() && calendar.DateOf(reg) != calendar.DateOf(d) {
			bad("numărul „%s” are altă dată decât coloana datei (%s)", "the number “%s” has another date than the date column (%s)", num, calendar.DateOf(reg))
		}
		if reg.IsZero() {
			reg = d
		}
		it.Number.Year = d.Year()
	case reNum.MatchString(num):
		it.Number.Seq, _ = strconv.Atoi(num)
		if reg.IsZero() {
			bad("numărul „%s” nu are an: dați și data înregistrării (sau scrieți %s/AAAA)", "the number “%s” has no year: give the registration date too (or write %s/YYYY)", num, num)
			break
		}
		it.Number.Year = reg.Year()
	default:
		bad("numărul „%s” nu se poate citi (scrieți 12/2026, 12 cu data, sau 12/25.11.2026)", "the number “%s” cannot be read (write 12/2026, 12 with the date, or 12/25.11.2026)", num)
	}
	if it.Number.Seq == 0 && len(why) == 0 {
		bad("numărul 0 nu există", "there is no number 0")
	}
	if it.Number.Year != 0 && (it.Number.Year < minYear || it.Number.Year > maxYear) {
		bad("anul %d este în afara intervalului acceptat (%d–%d)", "the year %d is out of the accepted range (%d–%d)", it.Number.Year, minYear, maxYear)
	}
	if reg.IsZero() {
		if it.Number.Year != 0 && len(why) == 0 {
			bad("lipsește data înregistrării", "the registration date is missing")
		}
	} else if it.Number.Year != 0 && reg.Year() != it.Number.Year {
		bad("numărul %s e din alt an decât data %s", "the number %s is from another year than the date %s", it.Number, calendar.DateOf(reg))
	}
	it.Registered = reg
	if v := get("tip"); v != "" {
		var ok bool
		if it.SenderType, ok = choice(senderTypeWords, v); !ok {
			bad("tip de expeditor necunoscut „%s” (tipuri: %s)", "unknown sender type “%s” (types: %s)", v, choiceList(senderTypeWords))
		}
	}
	it.Sender = get("expeditor")
	if it.Sender == "" {
		if it.SenderType == "anonim" {
			it.Sender = "Anonim"
		} else {
			bad("lipsește expeditorul (sau tip=anonim)", "the sender is missing (or type anonymous)")
		}
	}
	it.Contact = get("contact")
	if it.Subject = get("subiect"); it.Subject == "" {
		bad("lipsește conținutul (subiectul)", "the subject is missing")
	}
	if v := get("categorie"); v != "" {
		var ok bool
		if it.Category, ok = choice(categoryWords, v); !ok {
			bad("categorie necunoscută „%s” (categorii: %s)", "unknown category “%s” (categories: %s)", v, choiceList(categoryWords))
		}
	} else {
		it.Category = string(defaultCategory(it.SenderType))
	}
	if v := get("canal"); v != "" {
		var ok bool
		if it.Channel, ok = choice(channelWords, v); !ok {
			bad("canal necunoscut „%s” (canale: %s)", "unknown channel “%s” (channels: %s)", v, choiceList(channelWords))
		}
	}
	if v := get("pagini"); v != "" {
		var ok bool
		if it.Pages, ok = positiveInt(v); !ok {
			bad("numărul de pagini „%s” nu este un număr întreg pozitiv", "the pages “%s” are not a positive whole number", v)
		}
	}
	if v := get("departament"); v != "" {
		d := byCode[strings.ToUpper(text.Fold(v))]
		if d == nil {
			d = byName[strings.Join(text.Words(v), " ")]
		}
		switch {
		case d == nil:
			dept = v
		case d.Closed:
			bad("departamentul %s (%s) este desființat", "the department %s (%s) is closed", d.Code, d.Name)
		default:
			it.Dept = d.Code
		}
	}
	if v := get("termen"); v != "" {
		d, ok := fileDate(v)
		switch {
		case !ok:
			bad("termenul „%s” nu se poate citi (scrieți 25.12.2026)", "the deadline “%s” cannot be read (write 25.12.2026)", v)
		case !reg.IsZero() && calendar.DateOf(d).Before(calendar.DateOf(reg)):
			bad("termenul %s este înaintea datei înregistrării", "the deadline %s is before the registration date", calendar.DateOf(d))
		default:
			it.Deadline = calendar.DateOf(d).ISO()
		}
	}
	it.AnswerNo = get("raspuns")
	if v := get("data raspuns"); v != "" {
		d, ok := fileDate(v)
		switch {
		case !ok:
			bad("data răspunsului „%s” nu se poate citi (scrieți 25.11.2026)", "the answer date “%s” cannot be read (write 25.11.2026)", v)
		case !reg.IsZero() && calendar.DateOf(d).Before(calendar.DateOf(reg)):
			bad("răspunsul (%s) este înaintea înregistrării", "the answer (%s) is before the registration", calendar.DateOf(d))
		default:
			it.AnswerDate = calendar.DateOf(d).ISO()
			it.ClosedAt = d
		}
	}
	if v := get("stare"); v != "" {
		s, ok := choice(statusWords, v)
		if !ok {
			bad("stare necunoscută „%s”", "unknown status “%s”", v)
		}
		it.Status = storage.Status(s)
	} else if it.AnswerNo != "" || it.AnswerDate != "" {
		it.Status = storage.StatusResolved
	}
	if len(why) > 0 {
		return it, dept, why
	}
	if it.Status == storage.StatusResolved && it.ClosedAt.IsZero() {
		it.ClosedAt = reg
	}
	if !it.Status.Open() && it.ClosedAt.IsZero() {
		it.ClosedAt = reg
	}
	if it.Deadline == "" {
		setDeadline(&it, c.recompute(it))
	}
	if dept == "" {
		c.settleStatus(&it)
	}
	return it, dept, nil
}

// settleStatus makes an open imported item assigned when it has a
// department, registered when it has none.
func (c *Call) settleStatus(it *storage.Item) {
	if !it.Status.Open() {
		return
	}
	if it.Dept != "" {
		it.Status, it.AssignedAt = storage.StatusAssigned, it.Registered
	} else {
		it.Status = storage.StatusRegistered
	}
}

// yesNo reads a da/nu key (absent: no).
func (c *Call) yesNo(name string) (bool, error) {
	v, ok := c.Key(name)
	if !ok {
		return false, nil
	}
	switch text.Fold(v) {
	case "da", "yes", "true", "1", "":
		return true, nil
	case "nu", "no", "false", "0":
		return false, nil
	}
	return false, c.Fail("%s=„%s”: scrieți da sau nu.", "%s=“%s”: write yes or no.", name, v)
}
