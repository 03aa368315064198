package commands

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fixture is a small register whose figures are worked out by hand below.
// The report period is the week 23–29.11.2026; the report is asked on
// Friday 04.12.2026 at 10:00. 30.11 and 01.12 are legal holidays.
type fixture struct {
	*world
	n map[string]string // name → registration number
}

func (f *fixture) reg(name, day, hhmm, line string) {
	f.t.Helper()
	f.setNow(at(day, hhmm))
	f.n[name] = f.must(line).Item
}

// line replaces {name} with the registration number of that item.
func (f *fixture) line(s string) string {
	return regexp.MustCompile(`\{(\w+)\}`).ReplaceAllStringFunc(s, func(m string) string { return f.n[m[1:len(m)-1]] })
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{world: newWorld(t, at("20.11.2026", "09:00")).standard(), n: map[string]string{}}
	const internal = `inregistreaza de="Serviciul Juridic" categorie=interna `
	// Before the period, answered inside it: counts only among the answers
	// given in the period.
	f.reg("early", "20.11.2026", "09:00", internal+`subiect="Avize" termen=27.11.2026`)
	// Monday 23.11.
	// i1, i2: the letter's deadline is 02.12, the first working day after
	// the Sunday 29.11 and the holidays 30.11 and 01.12. i1 answered 02.12 is
	// on time; i2 answered 03.12 is late.
	f.reg("i1", "23.11.2026", "09:00", internal+`subiect="Raport iluminat" termen=02.12.2026`)
	f.reg("i2", "23.11.2026", "10:00", internal+`subiect="Raport parcări" termen=02.12.2026`)
	// i3: a petition (deadline 23.12), given to DT and then to DAS: it
	// counts once, under DAS; still open, not overdue.
	f.reg("i3", "23.11.2026", "11:00", `inregistreaza de="Ion Pop" categorie=petitie subiect="Groapă" contact="Str. Horea 3"`)
	// Tuesday 24.11.
	// i4: deadline 26.11, given to DAS, never answered: overdue since 26.11.
	f.reg("i4", "24.11.2026", "09:00", internal+`subiect="Situație ajutoare" termen=26.11.2026`)
	// i5: the same matter as i3, joined to it: neither resolved nor open.
	f.reg("i5", "24.11.2026", "10:00", `inregistreaza de="Ion Pop" categorie=petitie subiect="Groapă, din nou"`)
	// i6: public information, 10 days: due 04.12, today; not overdue yet.
	f.reg("i6", "24.11.2026", "11:00", `inregistreaza de="Ana Radu" categorie=informatii subiect="Contracte 2026" contact="ana@example.ro"`)
	// Wednesday 25.11.
	// i7: a press request at 09:00, due 26.11 09:00, answered 26.11: on time.
	f.reg("i7", "25.11.2026", "09:00", `inregistreaza de="Monitorul de Cluj" tip=presa subiect="Buget"`)
	// i8: an anonymous petition, filed. i9: a ministry's letter, forwarded.
	f.reg("i8", "25.11.2026", "10:00", `inregistreaza tip=anonim subiect="Zgomot"`)
	f.reg("i9", "25.11.2026", "11:00", `inregistreaza de="Ministerul Muncii" tip=minister subiect="Pensii" termen=27.11.2026`)
	// After the period (on a holiday): not in the week's figures.
	f.reg("late", "30.11.2026", "12:00", internal+`subiect="După" termen=07.12.2026`)

	f.setNow(at("04.12.2026", "10:00"))
	for _, l := range []string{
		"repartizeaza {early} DT", "rezolva {early} raspuns=1 data=27.11.2026",
		"repartizeaza {i1} DT", "rezolva {i1} raspuns=2 data=02.12.2026",
		"repartizeaza {i2} DT", "rezolva {i2} raspuns=3 data=03.12.2026",
		"repartizeaza {i3} DT", "repartizeaza {i3} DAS",
		"repartizeaza {i4} DAS",
		"conexeaza {i5} {i3}",
		"repartizeaza {i7} DPM", "rezolva {i7} raspuns=4 data=26.11.2026",
		"claseaza {i8} motiv=anonima",
		`redirectioneaza {i9} institutie="Prefectura Cluj"`,
		"repartizeaza {late} DT", "rezolva {late} raspuns=5 data=01.12.2026",
	} {
		f.must(f.line(l))
	}
	return f
}

func reportField(t *testing.T, r Reply, label string) string {
	t.Helper()
	for _, fl := range r.Fields {
		if fl.Label == label {
			return fl.Value
		}
	}
	t.Errorf("no field %q in %s", label, flat(r))
	return ""
}

// TestReportFiguresByHand checks every figure of the fixture's week against
// the numbers worked out by hand.
func TestReportFiguresByHand(t *testing.T) {
	f := newFixture(t)
	r := f.as(anaID, "raport 23.11.2026-29.11.2026")
	if r.Kind != OK || r.Title != "Raport 23.11.2026–29.11.2026" {
		t.Fatalf("%s", flat(r))
	}
	want := map[string]string{
		"Înregistrate":   "9",       // i1–i9
		"Rezolvate":      "3 (33%)", // i1, i2, i7
		"La termen":      "2 (66%)", // i1 (across the holidays), i7
		"Cu întârziere":  "1",       // i2
		"Încă deschise":  "3",       // i3, i4, i6
		"Restante acum":  "1 (din 26.11.2026)",
		"Închise altfel": "clasate 1 · redirecționate 1 · conexate 1",
		// Days to answer: i7 1, i1 9, i2 10 → median (2nd of 3) 9, 90th
		// percentile (3rd of 3) 10.
		"Timp de rezolvare": "mediana 9 zile, 90% în 10 zile",
		// Answers dated 23–29.11: i7 (26.11) and "early" (27.11), both on time.
		"Răspunsuri date în perioadă": "2, 100% la termen",
	}
	for label, v := range want {
		if got := reportField(t, r, label); got != v {
			t.Errorf("%s: %q, want %q", label, got, v)
		}
	}
	// Departments, the most overdue first: DAS (i3 reassigned there, i4
	// overdue), then the unassigned (i5, i6, i8, i9: one open), DT (i1, i2;
	// not i3), DPM (i7). The counts add up to 9: i3 is counted once.
	lines := strings.Join(r.Lines, "\n")
	depts := "• DAS: 2 înreg. · 0 rez. · 2 deschise · 1 restanță (din 26.11.2026)\n" +
		"• nerepartizate: 4 înreg. · 0 rez. · 1 deschisă\n" +
		"• DT: 2 înreg. · 2 rez. (50% la termen) · mediana 9 zile\n" +
		"• DPM: 1 înreg. · 1 rez. (100% la termen) · mediana 1 zi\n"
	if !strings.Contains(lines, depts) {
		t.Errorf("report lines lack\n%s\nin\n%s", depts, lines)
	}
	// By category and sender type, worked out: petitions i3, i5, i8; internal
	// notes i1, i2, i4; public information i6; press i7; institution i9.
	for _, l := range []string{
		"• petiție: 3 înreg. · 0 rez. · 1 deschisă",
		"• notă internă: 3 înreg. · 2 rez. (50% la termen) · 1 deschisă · 1 restanță (din 26.11.2026)",
		"• informații publice: 1 înreg. · 0 rez. · 1 deschisă",
		"• presă: 1 înreg. · 1 rez. (100% la termen)",
		"• instituție: 1 înreg. · 0 rez.",
		// Senders: citizens (the default type) i1–i6; press i7; anonymous
		// i8; ministry i9.
		"• cetățean: 6 înreg. · 2 rez. (50% la termen) · 3 deschise · 1 restanță (din 26.11.2026)",
		"• presă: 1 înreg. · 1 rez. (100% la termen)",
		"• anonim: 1 înreg. · 0 rez.",
		"• minister: 1 înreg. · 0 rez.",
	} {
		if !strings.Contains(lines, l) {
			t.Errorf("report lines lack %q in\n%s", l, lines)
		}
	}

	// Two charts, real PNGs with something drawn.
	if len(r.Files) != 2 {
		t.Fatalf("%d files", len(r.Files))
	}
	for _, file := range r.Files {
		if file.MIME != "image/png" || !strings.HasSuffix(file.Name, ".png") {
			t.Errorf("file %s %s", file.Name, file.MIME)
		}
		img, err := png.Decode(bytes.NewReader(file.Data))
		if err != nil {
			t.Fatalf("%s: %v", file.Name, err)
		}
		if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
			t.Errorf("%s is %v", file.Name, b)
		}
		if share := inked(img); share < 0.01 {
			t.Errorf("%s: %.4f of the pixels drawn", file.Name, share)
		}
	}
}

// TestReportFilters narrows the same week to a department and a category.
func TestReportFilters(t *testing.T) {
	f := newFixture(t)
	r := f.as(viewerID, "raport 23.11.2026-29.11.2026 departament=DT")
	if r.Title != "Raport 23.11.2026–29.11.2026 · DT" {
		t.Fatalf("title %q", r.Title)
	}
	for label, v := range map[string]string{"Înregistrate": "2", "Rezolvate": "2 (100%)", "La termen": "1 (50%)", "Cu întârziere": "1",
		"Încă deschise": "0", "Restante acum": "0", "Răspunsuri date în perioadă": "1, 100% la termen"} {
		if got := reportField(t, r, label); got != v {
			t.Errorf("DT %s: %q, want %q", label, got, v)
		}
	}
	r = f.as(viewerID, "report 23.11.2026-29.11.2026 category=petition")
	for label, v := range map[string]string{"Registered": "3", "Resolved": "0 (0%)", "Still open": "1", "Overdue now": "0",
		"Closed otherwise": "filed 1 · forwarded 0 · joined 1"} {
		if got := reportField(t, r, label); got != v {
			t.Errorf("petitions %s: %q, want %q", label, got, v)
		}
	}
	// A period with nothing in it says so, without charts.
	r = f.as(viewerID, "raport 2025")
	contains(t, r, "Raport anul 2025", "Nicio înregistrare")
	if len(r.Files) != 0 {
		t.Errorf("charts for nothing")
	}
}

// TestReportPeriods: the words for periods and how a title names them.
func TestReportPeriods(t *testing.T) {
	w := newWorld(t, at("04.12.2026", "10:00")) // a Friday
	for line, title := range map[string]string{
		"":                      "decembrie 2026",
		"azi":                   "04.12.2026",
		"ieri":                  "03.12.2026",
		"saptamana":             "30.11.2026–06.12.2026",
		"săptămâna trecută":     "23.11.2026–29.11.2026",
		"luna trecuta":          "noiembrie 2026",
		"an":                    "anul 2026",
		"anul trecut":           "anul 2025",
		"02.2026":               "februarie 2026",
		"2024":                  "anul 2024",
		"01.12.2026":            "01.12.2026",
		"01.12-03.12":           "01.12.2026–03.12.2026",
		"01.01.2026-31.12.2026": "anul 2026",
	} {
		c := &Call{e: w.e, Lang: Romanian, cmd: w.e.table.byWord["raport"], Args: strings.Fields(line)}
		p, err := c.reportPeriod()
		if err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if got := c.label(p); got != title {
			t.Errorf("%q: %q, want %q", line, got, title)
		}
	}
	en := &Call{e: w.e, Lang: English, cmd: w.e.table.byWord["raport"], Args: []string{"last", "month"}}
	if p, err := en.reportPeriod(); err != nil || en.label(p) != "November 2026" {
		t.Errorf("last month: %v %v", en.label(p), err)
	}
	// The whole command, once.
	w.must(`inregistreaza de="X" subiect="Y"`)
	if r := w.must("report year"); r.Title != "Report year 2026" {
		t.Errorf("title %q", r.Title)
	}
}

// TestSummary: what is late, where and since when, over the whole register.
func TestSummary(t *testing.T) {
	f := newFixture(t)
	r := f.as(viewerID, "sinteza")
	contains(t, r, "Sinteză, 04.12.2026 10:00",
		"Restante: 1 din 3 deschise", // i4; open: i3, i4, i6
		"Scadente azi: 1",            // i6
		"Scadente mâine: 0",
		"Azi: 0 înregistrate, 0 rezolvate",
		"• DAS: 1 restante, cea mai veche din 26.11.2026 (8 zile)",
		f.n["i4"]+" · DAS · termen 26.11.2026 (depășit cu 8 zile) · Situație ajutoare")
	contains(t, f.as(viewerID, "summary DT"), "Summary — DT", "Overdue: 0 of 0 open", "Nothing is overdue.")
}

// TestExportRespectsWhoMaySeeContacts: the Cabinet's export has the
// senders' contacts, a viewer's and a department member's do not.
func TestExportRespectsWhoMaySeeContacts(t *testing.T) {
	f := newFixture(t)
	// XLSX for the Cabinet: typed cells, frozen header, widths, contacts.
	r := f.as(anaID, "exporta 23.11.2026-29.11.2026")
	contains(t, r, "Registrul 23.11.2026–29.11.2026: 9 înregistrări")
	if len(r.Files) != 1 || r.Files[0].Name != "registru-2026-11-23_2026-11-29.xlsx" || r.Files[0].MIME != mimeXLSX {
		t.Fatalf("files %+v", r.Files)
	}
	x, err := excelize.OpenReader(bytes.NewReader(r.Files[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, _ := x.GetRows(sheet)
	if len(rows) != 10 {
		t.Fatalf("%d rows, want the header and 9", len(rows))
	}
	head := strings.Join(rows[0], "|")
	if !strings.Contains(head, "Contact") || !strings.HasPrefix(head, "Nr. înregistrare|Data înregistrării|Ora|Canal|Expeditor|Tip expeditor|Contact|") {
		t.Fatalf("header %s", head)
	}
	col := func(name string) string {
		for i, h := range rows[0] {
			if h == name {
				c, _ := excelize.ColumnNumberToName(i + 1)
				return c
			}
		}
		t.Fatalf("no column %q", name)
		return ""
	}
	// i3 is the third row of the week: 23.11, its petition, with contact.
	row := "4"
	for cell, want := range map[string]string{
		"A" + row: f.n["i3"], col("Data înregistrării") + row: "23.11.2026", col("Contact") + row: "Str. Horea 3",
		col("Termen") + row: "23.12.2026", col("Departament") + row: "DAS", col("Stare") + row: "repartizată",
	} {
		if got, _ := x.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	// i1 (row 2): answered on time, 9 days; the numbers and dates are typed.
	for cell, want := range map[string]string{col("Data răspunsului") + "2": "02.12.2026", col("La termen") + "2": "da",
		col("Zile până la răspuns") + "2": "9", col("La termen") + "3": "nu"} {
		if got, _ := x.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	for _, cell := range []string{col("Data înregistrării") + "2", col("Zile până la răspuns") + "2", col("Termen") + "2"} {
		typ, _ := x.GetCellType(sheet, cell)
		raw, _ := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || !regexp.MustCompile(`^\d+$`).MatchString(raw) {
			t.Errorf("%s is not a number cell: type %v, raw %q", cell, typ, raw)
		}
	}
	if panes, _ := x.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	if w, _ := x.GetColWidth(sheet, col("Subiect")); w < 30 {
		t.Errorf("subject column width %v", w)
	}

	// CSV for a viewer and a department member: no contact column, no
	// contact anywhere.
	for _, who := range []Identity{viewerID, dtID} {
		r := f.as(who, "exporta 23.11.2026-29.11.2026 format=csv")
		if len(r.Files) != 1 || !strings.HasSuffix(r.Files[0].Name, ".csv") {
			t.Fatalf("%s: files %+v", who.Key(), r.Files)
		}
		csv := string(r.Files[0].Data)
		if strings.Contains(csv, "Contact") || strings.Contains(csv, "Str. Horea") || strings.Contains(csv, "ana@example.ro") {
			t.Errorf("%s's export has personal data:\n%s", who.Key(), csv)
		}
		if !strings.Contains(csv, f.n["i3"]+";23.11.2026;11:00;;Ion Pop;cetățean;;Groapă;petiție;;DAS;") {
			t.Errorf("%s's export row of i3:\n%s", who.Key(), csv)
		}
		contains(t, r, "Fără datele de contact")
		// And the XLSX the same.
		r = f.as(who, "exporta 23.11.2026-29.11.2026")
		x, err := excelize.OpenReader(bytes.NewReader(r.Files[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		x.Close()
		for _, row := range rows {
			for _, c := range row {
				if c == "Contact" || strings.Contains(c, "Horea 3") || strings.Contains(c, "@example.ro") {
					t.Errorf("%s's XLSX has personal data: %q", who.Key(), c)
				}
			}
		}
	}
	// Filters apply to exports too.
	r = f.as(anaID, "export 23.11.2026-29.11.2026 department=DT format=csv")
	if got := strings.Count(string(r.Files[0].Data), "\r\n"); got != 3 {
		t.Errorf("DT export has %d lines, want the header and 2", got)
	}
}

// TestDraft: a DOCX reply draft from the built-in template and from an
// admin's own.
func TestDraft(t *testing.T) {
	f := newFixture(t)
	r := f.as(dasID, f.line("ciorna {i3}")) // DAS has i3
	if r.Kind != OK || len(r.Files) != 1 || r.Files[0].MIME != mimeDOCX {
		t.Fatalf("%s %+v", flat(r), r.Files)
	}
	doc := docxText(t, r.Files[0].Data)
	for _, want := range []string{"Primăria Municipiului Cluj-Napoca", "Nr. " + f.n["i3"] + " din 04.12.2026", "Către: Ion Pop", "Str. Horea 3",
		"Referitor la: Groapă", "petiția dumneavoastră, înregistrată la Primăria Municipiului Cluj-Napoca cu nr. " + f.n["i3"] + " din 23.11.2026",
		"[Textul răspunsului]", "PRIMAR,", "Întocmit: slack:UDAS", "Direcția de Asistență Socială; termen: 23.12.2026"} {
		if !strings.Contains(doc, want) {
			t.Errorf("draft lacks %q:\n%s", want, doc)
		}
	}
	if strings.Contains(doc, "{{") {
		t.Errorf("placeholders left:\n%s", doc)
	}
	// The ministry's own number goes into the reference.
	f.reg("m", "04.12.2026", "10:00", `inregistreaza de="Ministerul Muncii & Solidarității" tip=minister subiect="Pensii <2027>" nr="123/20.11.2026"`)
	r = f.as(anaID, f.line("ciorna {m}"))
	doc = docxText(t, r.Files[0].Data)
	for _, want := range []string{"Către: Ministerul Muncii & Solidarității", "Referitor la: Pensii <2027>", "adresa dumneavoastră nr. 123/20.11.2026, înregistrată"} {
		if !strings.Contains(doc, want) {
			t.Errorf("draft lacks %q:\n%s", want, doc)
		}
	}

	// An admin's template, read from CABINET_DRAFT_TEMPLATE's path.
	dir := t.TempDir()
	custom := filepath.Join(dir, "ciorna.docx")
	writeDocx(t, custom, `<w:p><w:r><w:t>Nr. {{numar}} — {{destinatar}}</w:t></w:r></w:p>`)
	e, err := New(Config{Store: f.store, Clock: f.clock, Admins: []string{operatorID.Key()}, DraftTemplate: custom})
	if err != nil {
		t.Fatal(err)
	}
	r = e.Handle(t.Context(), Request{Who: operatorID, Text: f.line("ciorna {i3}")})
	if doc := docxText(t, r.Files[0].Data); doc != "Nr. "+f.n["i3"]+" — Ion Pop\n" {
		t.Errorf("custom template gave %q", doc)
	}
	// A template with a misspelt field is refused at start.
	writeDocx(t, custom, `<w:p><w:r><w:t>{{numr}}</w:t></w:r></w:p>`)
	if _, err := New(Config{Store: f.store, DraftTemplate: custom}); err == nil || !strings.Contains(err.Error(), "{{numr}}") {
		t.Errorf("a template with {{numr}}: %v", err)
	}
	if _, err := New(Config{Store: f.store, DraftTemplate: filepath.Join(dir, "missing.docx")}); err == nil {
		t.Error("a missing template accepted")
	}
	// The template itself, for an admin to edit.
	r = f.as(anaID, "ciorna sablon")
	if len(r.Files) != 1 || !strings.Contains(docxText(t, r.Files[0].Data), "{{numar}}") {
		t.Errorf("template reply %s", flat(r))
	}
}

// TestReportBadInputChangesNothing: each bad request is answered with a
// reason and an example, and the database stays as it was.
func TestReportBadInputChangesNothing(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		who  Identity
		line string
		want string
	}{
		{viewerID, "raport 32.13.2026", "nu există"},
		{viewerID, "raport cândva", "nu este o dată"},
		{viewerID, "raport 30.11.2026-01.11.2026", "înainte să înceapă"},
		{viewerID, "raport luna viitoare", "Perioadă neînțeleasă"},
		{viewerID, "raport 1850", "nu are registru"},
		{viewerID, "raport departament=ZZZ", "Departament necunoscut"},
		{viewerID, "raport categorie=reclamatie", "Categorie necunoscută"},
		{viewerID, "raport culoare=rosu", "Cheie necunoscută"},
		{viewerID, "sinteza ZZZ", "Departament necunoscut"},
		{viewerID, "exporta luna format=pdf", "Format necunoscut"},
		{viewerID, "ciorna 3/2026", "nu permite"},
		{dtID, f.line("ciorna {i3}"), "Doar departamentul responsabil (DAS"},
		{dtID, "ciorna sablon", "doar Cabinetul"},
		{anaID, "ciorna 99/2026", "Nu există înregistrarea 99/2026"},
		{anaID, "ciorna", "Lipsește numărul"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			before := f.snapshot()
			r := f.as(tt.who, tt.line)
			if r.Kind == OK {
				t.Errorf("accepted: %s", flat(r))
			}
			contains(t, r, tt.want)
			if r.Kind == Invalid {
				contains(t, r, "Exemplu:")
			}
			f.unchanged(before, tt.line)
		})
	}
}

// inked is the share of an image's pixels that differ from its corner.
func inked(img image.Image) float64 {
	b := img.Bounds()
	r0, g0, b0, _ := img.At(b.Min.X, b.Min.Y).RGBA()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r != r0 || g != g0 || bl != b0 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

// docxText opens a DOCX as a zip and returns the text of its document, one
// paragraph a line.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		var out strings.Builder
		inText := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return out.String()
			}
			if err != nil {
				t.Fatalf("document.xml is not well-formed: %v", err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				inText = tok.Name.Local == "t"
			case xml.EndElement:
				inText = false
				if tok.Name.Local == "p" {
					out.WriteString("\n")
				}
			case xml.CharData:
				if inText {
					out.Write(tok)
				}
			}
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// writeDocx writes a minimal Word document with the given body.
func writeDocx(t *testing.T, path, body string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestReportShortForThePhone: the Mayor gets the short version unless he
// asks for the whole; others get the whole unless they ask for the short.
func TestReportShortForThePhone(t *testing.T) {
	f := newFixture(t)
	f.must("rol telegram:777 primar")
	mayor := Identity{Platform: "telegram", ID: "777"}
	r := f.as(mayor, "raport 23.11.2026-29.11.2026")
	contains(t, r, "Înregistrate: 9", "Restante acum: 1 (din 26.11.2026)", "Cele mai multe restanțe:", "• DAS: 1 (din 26.11.2026)", "raport … complet")
	if s := flat(r); strings.Contains(s, "Pe categorii") || len(r.Lines) > 6 || len(r.Files) != 2 {
		t.Errorf("the Mayor's report is not short (%d lines, %d files): %s", len(r.Lines), len(r.Files), s)
	}
	contains(t, f.as(mayor, "raport 23.11.2026-29.11.2026 complet"), "Pe categorii:", "• DAS: 2 înreg.")
	if s := flat(f.as(anaID, "report 23.11.2026-29.11.2026 short")); strings.Contains(s, "By category") || !strings.Contains(s, "The most overdue:") {
		t.Errorf("short asked, whole given: %s", s)
	}
}
