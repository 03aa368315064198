package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sample() *Table {
	return &Table{Sheet: "Registru", Columns: []Column{{"Nr.", Text, 10}, {"Data", Date, 12}, {"Pagini", Int, 8}, {"Subiect", Text, 40}},
		Rows: [][]Cell{
			{Str("1/2026"), Day(time.Date(2026, 11, 25, 23, 30, 0, 0, time.FixedZone("EET", 7200))), Num(3), Str(`Groapă; „mare” "adâncă"`)},
			{Str("2/2026"), Blank(), Blank(), Str("Iluminat\npublic")},
		}}
}

func TestCSV(t *testing.T) {
	b, err := CSV(sample())
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeffNr.;Data;Pagini;Subiect\r\n1/2026;25.11.2026;3;\"Groapă; „mare” \"\"adâncă\"\"\"\r\n2/2026;;;\"Iluminat\r\npublic\"\r\n"
	if string(b) != want {
		t.Fatalf("csv:\n%q\nwant\n%q", b, want)
	}
}

func TestXLSXIsASpreadsheet(t *testing.T) {
	b, err := XLSX(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Registru" {
		t.Fatalf("sheets %v", got)
	}
	panes, err := f.GetPanes("Registru")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Fatalf("header row not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("Registru", "D"); w != 40 {
		t.Fatalf("width of D: %v", w)
	}
	cells := map[string]string{"A1": "Nr.", "A2": "1/2026", "B2": "25.11.2026", "C2": "3", "D2": `Groapă; „mare” "adâncă"`, "B3": "", "C3": ""}
	for cell, want := range cells {
		if got, _ := f.GetCellValue("Registru", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	// The date is a number (a date serial) with a date format, not text.
	raw, _ := f.GetCellValue("Registru", "B2", excelize.Options{RawCellValue: true})
	if raw != "46351" {
		t.Errorf("B2 raw value %q, want the serial of 25.11.2026 (46351)", raw)
	}
	style, _ := f.GetCellStyle("Registru", "B2")
	st, _ := f.GetStyle(style)
	if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != dateFormat {
		t.Errorf("B2 style %+v", st)
	}
	// Numbers and dates are numeric cells (no type attribute, or "n");
	// text is a string cell.
	for _, cell := range []string{"B2", "C2"} {
		if typ, _ := f.GetCellType("Registru", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s is not a number cell: type %v", cell, typ)
		}
	}
	if typ, _ := f.GetCellType("Registru", "A2"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("A2 is not a text cell: type %v", typ)
	}
	rows, _ := f.GetRows("Registru")
	if len(rows) != 3 || !strings.Contains(rows[2][3], "Iluminat") {
		t.Fatalf("rows %q", rows)
	}
}

func TestRaggedRowsAreRefused(t *testing.T) {
	tb := sample()
	tb.Rows = append(tb.Rows, []Cell{Str("x")})
	if _, err := CSV(tb); err == nil {
		t.Error("csv accepted a short row")
	}
	if _, err := XLSX(tb); err == nil {
		t.Error("xlsx accepted a short row")
	}
}

// A CSV cell that a spreadsheet would run as a formula is prefixed with ';
// in a workbook a text cell is never a formula and is kept as it is. Control
// characters go from both.
func TestFormulasAndControlCharacters(t *testing.T) {
	tbl := &Table{Sheet: "R", Columns: []Column{{"Expeditor", Text, 20}, {"Pagini", Int, 8}},
		Rows: [][]Cell{{Str("=HYPERLINK(\"http://x\")"), Num(-2)}, {Str("+40 264\x1b[31m"), Num(1)}}}
	b, err := CSV(tbl)
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeffExpeditor;Pagini\r\n\"'=HYPERLINK(\"\"http://x\"\")\";-2\r\n'+40 264[31m;1\r\n"
	if string(b) != want {
		t.Fatalf("csv:\n%q\nwant\n%q", b, want)
	}
	x, err := XLSX(tbl)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": `=HYPERLINK("http://x")`, "A3": "+40 264[31m"} {
		if got, _ := f.GetCellValue("R", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
		if formula, _ := f.GetCellFormula("R", cell); formula != "" {
			t.Errorf("%s is a formula: %q", cell, formula)
		}
	}
}
