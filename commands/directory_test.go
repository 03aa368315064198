package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// The sample directory under testdata/ is fictional: invented people and
// numbers (see testdata/README.md).
const (
	sampleDepts     = "exemplu-fictiv-departamente.csv"
	sampleDirectory = "exemplu-fictiv-agenda-telefonica.csv"
)

func sampleFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withFile runs a command with a file attached, as a chat adapter would.
func (w *world) withFile(who Identity, line, name string, data []byte) Reply {
	w.t.Helper()
	return w.e.Handle(context.Background(), Request{Who: who, Text: line, Files: []File{{Name: name, MIME: "text/csv", Data: data}}})
}

// sampleWorld has the sample chart and directory imported, a Cabinet member
// and a viewer.
func sampleWorld(t *testing.T) *world {
	w := newWorld(t, at("25.11.2026", "10:00"))
	w.must(`rol slack:UANA cabinet nume="Ana Pop"`)
	w.must(`rol telegram:555 vizualizare`)
	contains(t, w.withFile(anaID, "import-departamente", sampleDepts, sampleFile(t, sampleDepts)), "9 departamente", "Adăugate: 9")
	contains(t, w.withFile(anaID, "import-director", sampleDirectory, sampleFile(t, sampleDirectory)), "22 rânduri", "Adăugate: 22")
	return w
}

func (w *world) entries() []storage.Entry {
	w.t.Helper()
	es, err := w.store.Entries()
	if err != nil {
		w.t.Fatal(err)
	}
	return es
}

func TestPhoneLookupOverSampleData(t *testing.T) {
	w := sampleWorld(t)
	tests := []struct {
		name, line string
		want       []string // in this order
		not        []string
	}{
		{"surname", "telefon popescu", []string{"Ion Popescu — Director executiv adjunct, Direcția Tehnică · tel. 0264 000 102, int. 5001", "Maria Popescu"}, nil},
		{"one-letter typo", "telefon popscu", []string{"Ion Popescu", "Maria Popescu"}, []string{"Ana Pop —"}},
		{"typo in a first name", "telefon ioann raducanu", []string{"Ioana Răducanu"}, nil},
		{"case", "TELEFON POPESCU", []string{"Ion Popescu"}, nil},
		{"diacritics typed, comma below", "telefon Ștefan Mureșan", []string{"Ștefan Mureșan — Inginer"}, []string{"Elena"}},
		{"diacritics typed, cedilla", "telefon Ştefan Mureşan", []string{"Ștefan Mureșan — Inginer"}, []string{"Elena"}},
		{"no diacritics", "telefon stefan muresan", []string{"Ștefan Mureșan — Inginer"}, nil},
		{"data with cedilla, query with comma below", "telefon Țăranu", []string{"Ştefania Ţăranu"}, nil},
		{"data with cedilla, query plain", "telefon taranu", []string{"Ştefania Ţăranu"}, nil},
		{"extension", "telefon 5001", []string{"Ion Popescu"}, []string{"Maria"}},
		{"extension with its word", "telefon interior 5011", []string{"Ștefan Mureșan"}, nil},
		{"full number", "telefon 0264 000 102", []string{"Ion Popescu"}, nil},
		{"international number", "telefon +40 264 000 102", []string{"Ion Popescu"}, nil},
		{"end of a number", "telefon 000 119", []string{"Dispecerat iluminat public"}, nil},
		{"a function", "telefon dispecerat", []string{"Dispecerat iluminat public, Serviciul Iluminat Public · tel. 0264 000 119", "non-stop"}, nil},
		{"department by partial name", "telefon urban", []string{
			"DU — Direcția Urbanism (direcție) · tel. 0264 000 200 · urbanism@exemplu.invalid · șef: Ioana Răducanu",
			"  · Ioana Răducanu — Arhitect-șef · tel. 0264 000 201", "  · Bogdan Ţurcan", "  ↳ SAC — Serviciul Autorizări în Construcții"}, nil},
		{"department with a typo", "telefon urbansim", []string{"DU — Direcția Urbanism"}, nil},
		{"department by code", "telefon DT", []string{"DT — Direcția Tehnică", "  · Mihai Ardeleanu", "  ↳ BDR", "  ↳ SIP"}, nil},
		{"department without diacritics", "telefon directia de asistenta sociala", []string{"DAS — Direcția de Asistență Socială", "  · Elena Mureșan", "  · Cristina Dumitraș"}, nil},
		{"person and department", "telefon popescu urbanism", []string{"Maria Popescu"}, []string{"Ion Popescu"}},
		{"exact before prefix", "telefon pop", []string{"Ana Pop", "Ion Popescu", "Maria Popescu"}, nil},
		{"English", "phone popescu", []string{"Ion Popescu", "ext. 5001"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.as(anaID, tt.line)
			if r.Kind != OK {
				t.Fatalf("%s", flat(r))
			}
			s := strings.Join(r.Lines, "\n")
			last := -1
			for _, want := range tt.want {
				i := strings.Index(s, want)
				if i < 0 {
					t.Fatalf("lacks %q:\n%s", want, s)
				}
				if i < last {
					t.Errorf("%q comes too early:\n%s", want, s)
				}
				last = i
			}
			for _, not := range tt.not {
				if strings.Contains(s, not) {
					t.Errorf("has %q:\n%s", not, s)
				}
			}
		})
	}
}

func TestPhoneLookupShortEmptyAndLongAnswers(t *testing.T) {
	w := sampleWorld(t)
	contains(t, w.as(anaID, "phone popescu"), "Phone directory — “popescu”")
	for _, line := range []string{"telefon", "telefon p", "telefon 5", "telefon  ș ", "phone x"} {
		before := w.snapshot()
		r := w.as(viewerID, line)
		if r.Kind != Invalid || len(r.Lines) != 1 || strings.Contains(flat(r), "Popescu") {
			t.Errorf("%q: want a short specific answer, got %s", line, flat(r))
		}
		w.unchanged(before, line)
	}
	contains(t, w.as(viewerID, "telefon"), "Spuneți pe cine căutați", "Exemplu: telefon popescu")
	contains(t, w.as(viewerID, "telefon p"), "„p” e prea scurt")
	contains(t, w.as(viewerID, "phone x"), "“x” is too short")
	contains(t, w.as(viewerID, "telefon xyzzy"), "Nu am găsit „xyzzy”")

	// "direcția" matches every direction: ten lines, then how to narrow it.
	r := w.as(viewerID, "telefon directia")
	if len(r.Lines) != maxLookupLines+1 {
		t.Fatalf("%d lines:\n%s", len(r.Lines), strings.Join(r.Lines, "\n"))
	}
	last := r.Lines[maxLookupLines]
	if !strings.HasPrefix(last, "… și încă ") || !strings.Contains(last, "restrângeți căutarea") {
		t.Errorf("last line %q", last)
	}
	var more int
	fmt.Sscanf(strings.TrimPrefix(last, "… și încă "), "%d", &more)
	// 4 directions, their 10 people and 3 sub-departments, the 7 people of
	// those, and Andreea Vlad, "director" being two letters from "directia".
	if more != 4+10+3+7+1-maxLookupLines {
		t.Errorf("%d more, in %q", more, last)
	}
	// Only the Cabinet sees the entries' numbers, used to edit them.
	if strings.Contains(flat(w.as(viewerID, "telefon popescu")), "#7") || !strings.Contains(flat(w.as(anaID, "telefon popescu")), "#7") {
		t.Error("entry numbers: Cabinet only")
	}
}

func TestEmptyDirectorySaysHowToFillIt(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00"))
	contains(t, w.must("telefon popescu"), "Agenda telefonică este goală", "import-director")
}

// A directory file as tests write it: rows of cells joined by sep.
func csvOf(sep string, rows ...[]string) []byte {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, sep) + "\r\n")
	}
	return []byte(b.String())
}

func TestImportFormats(t *testing.T) {
	english := [][]string{
		{"Name", "Function", "Department", "Phone", "Extension", "E-mail"},
		{"Ion Popescu", "Executive director", "DT", "0264 000 102", "5001", "ion.popescu@exemplu.invalid"},
		{`"Pop, Ana"`, "Inspector", "Direcția Tehnică", "0264 000 103", "int. 5002", ""},
	}
	romanian := [][]string{
		{"Nr. crt.", "NUME", "Funcție", "Departament", "Telefon", "Interior", "Observații"},
		{"1", "Ion Popescu", "Director executiv", "directia tehnica", "264000102", "5001", "doar dimineața"},
	}
	bom := []byte{0xEF, 0xBB, 0xBF}
	tests := []struct {
		name string
		data []byte
		want []string
		rows int
	}{
		{"comma, English header, no BOM", csvOf(",", english...), []string{"2 rânduri", "Adăugate: 2"}, 2},
		{"semicolon, English header, BOM", append(bom, csvOf(";", english...)...), []string{"Adăugate: 2"}, 2},
		{"semicolon, Romanian header with diacritics, BOM", append(bom, csvOf(";", romanian...)...), []string{"Adăugate: 1"}, 1},
		{"comma, Romanian header", csvOf(",", romanian...), []string{"Adăugate: 1"}, 1},
		{"tab separated", csvOf("\t", romanian...), []string{"Adăugate: 1"}, 1},
		{"Windows-1250, as old Excel saves it", win1250(csvOf(";", romanian...)), []string{"Adăugate: 1", "l-am citit ca Windows-1250"}, 1},
		{"unknown column", csvOf(";", append(romanian[0], "Culoare"), append(romanian[1], "roșu")), []string{"Coloane ignorate: Culoare"}, 1},
		{"UTF-16, as Excel's Unicode text", utf16le(csvOf("\t", romanian...)), []string{"Adăugate: 1", "l-am citit ca UTF-16"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, at("25.11.2026", "10:00")).standard()
			r := w.withFile(operatorID, "import-director", "agenda.csv", tt.data)
			if r.Kind != OK {
				t.Fatal(flat(r))
			}
			contains(t, r, tt.want...)
			es := w.entries()
			if len(es) != tt.rows {
				t.Fatalf("%d entries", len(es))
			}
			for _, e := range es {
				if e.Name == "Ion Popescu" && (e.Dept != "DT" || e.Phone == "" || e.Extension != "5001") {
					t.Errorf("entry %+v", e)
				}
				if e.Name == "Ion Popescu" && e.Phone != "0264 000 102" && e.Phone != "0264000102" {
					t.Errorf("phone %q", e.Phone)
				}
				if e.Name == "Pop, Ana" && (e.Extension != "5002" || e.Dept != "DT") {
					t.Errorf("entry %+v", e)
				}
			}
			contains(t, w.must("telefon popscu"), "Ion Popescu")
		})
	}
}

// utf16le writes text as UTF-16 little-endian with a byte order mark.
func utf16le(b []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(string(b))) {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// win1250 writes Romanian text as Windows-1250 (ș, ț written with cedilla).
func win1250(b []byte) []byte {
	m := map[rune]byte{'ă': 0xE3, 'â': 0xE2, 'î': 0xEE, 'ș': 0xBA, 'ş': 0xBA, 'ț': 0xFE, 'ţ': 0xFE,
		'Ă': 0xC3, 'Â': 0xC2, 'Î': 0xCE, 'Ș': 0xAA, 'Ş': 0xAA, 'Ț': 0xDE, 'Ţ': 0xDE}
	var out []byte
	for _, r := range string(b) {
		if c, ok := m[r]; ok {
			out = append(out, c)
		} else {
			out = append(out, string(r)...)
		}
	}
	return out
}

func TestImportWithBadRowsImportsNothing(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	data := csvOf(";",
		[]string{"Nume", "Funcție", "Departament", "Telefon", "Interior", "E-mail"},
		[]string{"Ion Popescu", "Director", "DT", "0264 000 102", "5001", ""},
		[]string{"Ana Pop", "Inspector", "XYZ", "0264 000 103", "", ""},         // line 3: unknown department
		[]string{"Maria Ionescu", "Inspector", "DAS", "0264 000 104", "", ""},   //
		[]string{"Vasile Cozma", "Șef birou", "DT", "telefon", "", "vasile@@x"}, // line 5: bad phone and e-mail
		[]string{"Elena Mureșan", "Director", "DAS", "0264 000 301", "", ""},    //
		[]string{"Ion Popescu", "Director", "Direcția Tehnică", "", "5009", ""}, // line 7: the same as line 2
		[]string{"", "", "DT", "0264 000 199", "", ""},                          // line 8: nobody
		[]string{"Dan Pop", "Inspector", "BRP", "0264 000 198", "", ""},         // line 9: a closed department
		[]string{"Lucia Sârbu", "Inspector", "DT", "", "", ""},                  // line 10: no way to reach her
	)
	before := w.snapshot()
	r := w.withFile(anaID, "import-director", "agenda.csv", data)
	if r.Kind != Invalid {
		t.Fatalf("accepted: %s", flat(r))
	}
	contains(t, r, "Nu am importat nimic din „agenda.csv”: 6 din 9 rânduri sunt greșite",
		"rândul 3: departament necunoscut „XYZ”",
		"rândul 5: „telefon” nu este un număr de telefon",
		"„vasile@@x” nu este o adresă de e-mail",
		"rândul 7: aceeași persoană, funcție și departament ca rândul 2",
		"rândul 8: Lipsesc și numele, și funcția",
		"rândul 9: departamentul BRP (Biroul Relații Publice) este desființat",
		"rândul 10: Lipsește un mijloc de contact",
		"Corectați rândurile")
	w.unchanged(before, "a file with bad rows")

	// Exactly two bad rows: both reported, nothing imported.
	two := csvOf(",",
		[]string{"name", "phone", "department"},
		[]string{"Ion Popescu", "0264 000 102", "DT"},
		[]string{"Ana Pop", "x", "DT"},
		[]string{"Maria Ionescu", "0264 000 104", "DAS"},
		[]string{"Elena Mureșan", "0264 000 301", "Urbanism"},
	)
	r = w.withFile(anaID, "import-directory", "directory.csv", two)
	contains(t, r, "Nothing was imported from “directory.csv”: 2 of 4 rows are wrong", "line 3: “x” is not a phone number", "line 5: unknown department “Urbanism”")
	w.unchanged(before, "a file with two bad rows")
}

func TestReimportMakesNoDuplicates(t *testing.T) {
	w := sampleWorld(t)
	data := sampleFile(t, sampleDirectory)
	before := w.snapshot()
	contains(t, w.withFile(anaID, "import-director", sampleDirectory, data), "Adăugate: 0 · modificate: 0 · neschimbate: 22")
	w.unchanged(before, "re-importing the same file")
	contains(t, w.withFile(anaID, "import-departamente", sampleDepts, sampleFile(t, sampleDepts)), "Adăugate: 0 · modificate: 0 · neschimbate: 9")
	w.unchanged(before, "re-importing the same chart")

	// A changed number updates the entry; a row without its notes column
	// keeps the notes.
	changed := strings.Replace(string(data), "0264 000 102;5001", "0264 000 109;5009", 1)
	contains(t, w.withFile(anaID, "import-director", sampleDirectory, []byte(changed)), "Adăugate: 0 · modificate: 1 · neschimbate: 21")
	contains(t, w.must("telefon 5009"), "Ion Popescu", "0264 000 109")
	if r := w.must("telefon 5001"); !strings.Contains(r.Title, "Nu am găsit") {
		t.Errorf("old extension still found: %s", flat(r))
	}
	noNotes := csvOf(";", []string{"Nume", "Funcție", "Departament", "Telefon"}, []string{"", "Dispecerat iluminat public", "SIP", "0264 000 118"})
	contains(t, w.withFile(anaID, "import-director", "x.csv", noNotes), "modificate: 1")
	contains(t, w.must("telefon dispecerat"), "0264 000 118", "non-stop", "int. 5019")
	if n := len(w.entries()); n != 22 {
		t.Fatalf("%d entries after re-imports", n)
	}

	// The exported file imports back as it is, even with a renamed person.
	exp := w.must("export-director")
	if len(exp.Files) != 1 || !strings.HasSuffix(exp.Files[0].Name, ".csv") || exp.Files[0].MIME != "text/csv" {
		t.Fatalf("export: %+v", exp)
	}
	contains(t, w.withFile(anaID, "import-director", exp.Files[0].Name, exp.Files[0].Data), "neschimbate: 22")
	renamed := strings.Replace(string(exp.Files[0].Data), "Ion Popescu", "Ioan Popescu", 1)
	contains(t, w.withFile(anaID, "import-director", "x.csv", []byte(renamed)), "Adăugate: 0 · modificate: 1")
	if n := len(w.entries()); n != 22 {
		t.Fatalf("%d entries after importing a rename by id", n)
	}

	// Replace: what the file lacks is removed.
	short := csvOf(";", []string{"Nume", "Funcție", "Departament", "Telefon"}, []string{"Ioan Popescu", "Director executiv adjunct", "DT", "0264 000 109"})
	contains(t, w.withFile(anaID, "import-director mod=inlocuire", "x.csv", short), "scoase (nu erau în fișier): 21")
	if es := w.entries(); len(es) != 1 || es[0].Name != "Ioan Popescu" || es[0].Extension != "5009" {
		t.Fatalf("after replace: %+v", es)
	}
	hist, _ := w.store.History(storage.KindEntry, "7")
	if len(hist) < 3 {
		t.Errorf("entry 7 history: %+v", hist)
	}
}

func TestImportNeedsAFileAndAHeader(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	before := w.snapshot()
	tests := []struct {
		line string
		data []byte
		want string
	}{
		{"import-director", nil, "Atașați fișierul CSV la mesaj"},
		{"import-director agenda.csv", nil, "Nu am primit fișierul „agenda.csv”"},
		{"import-director", []byte{}, "este gol"},
		{"import-director", []byte("# doar un comentariu\n"), "Fișierul este gol"},
		{"import-director", csvOf(";", []string{"Nume", "Telefon"}), "nu are niciun rând după antet"},
		{"import-director", csvOf(";", []string{"Ion Popescu", "0264 000 102"}), "Primul rând trebuie să fie antetul"},
		{"import-director", csvOf(";", []string{"Nume", "Telefon", "Tel"}, []string{"Ion", "1", "2"}), "spun același lucru"},
		{"import-director mod=tot", csvOf(";", []string{"Nume", "Telefon"}, []string{"Ion", "0264 000 102"}), "Mod necunoscut"},
		{"import-director", csvOf(",", []string{"Nume", "Telefon"}, []string{"Ion Popescu", "0264 000 102", "Director"}), "rândul 2: are 3 coloane, antetul 2"},
		{"import-departamente", csvOf(";", []string{"Denumire"}, []string{"Direcția X"}), "cel puțin coloanele cod și denumire"},
	}
	for _, tt := range tests {
		var r Reply
		if tt.data == nil {
			r = w.as(anaID, tt.line)
		} else {
			r = w.withFile(anaID, tt.line, "agenda.csv", tt.data)
		}
		if r.Kind != Invalid {
			t.Errorf("%s: accepted %s", tt.line, flat(r))
		}
		contains(t, r, tt.want)
		w.unchanged(before, tt.line)
	}
	if _, takes := w.e.FileArgument("telefon agenda.csv"); takes {
		t.Error("telefon takes no file")
	}
	if name, takes := w.e.FileArgument(`import-director "agenda mea.csv" mod=inlocuire`); !takes || name != "agenda mea.csv" {
		t.Errorf("FileArgument = %q, %v", name, takes)
	}
	if name, takes := w.e.FileArgument("import-directory"); !takes || name != "" {
		t.Errorf("FileArgument = %q, %v", name, takes)
	}
	contains(t, w.as(viewerID, "import-director"), "nu permite")
}

func TestImportDepartmentsChecksTheChart(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	before := w.snapshot()
	bad := csvOf(";",
		[]string{"Cod", "Denumire", "Tip", "Părinte", "Telefon", "Slack"},
		[]string{"DU", "Direcția Urbanism", "direcție", "", "0264 000 200", ""},
		[]string{"SAC", "Serviciul Autorizări", "serviciu", "Direcția Urbanism", "", "<#C0123ABC|autorizari>"}, // by name, in the file
		[]string{"X1", "Serviciul X", "serviciu", "ZZ", "", ""},                                                // line 4: unknown parent
		[]string{"du", "Altă direcție", "", "", "", ""},                                                        // line 5: the same code
		[]string{"DT", "Direcția Tehnică", "", "SIP2", "", ""},                                                 // line 6: loop DT → SIP2 → DT
		[]string{"SIP2", "Serviciul Iluminat", "planetă", "DT", "", ""},                                        // line 7: kind, loop
		[]string{"N1", "Direcția de Asistență Socială", "", "", "", ""},                                        // line 8: DAS's name
		[]string{"N2", "Serviciul Y", "", "BRP", "", "#general"},                                               // line 9: closed parent, channel name
	)
	r := w.withFile(anaID, "import-departamente", "organigrama.csv", bad)
	contains(t, r, "6 din 8 rânduri sunt greșite", "rândul 4: părinte necunoscut „ZZ”", "rândul 5: același cod (DU) ca rândul 2",
		"rândul 6: DT ar ajunge sub propria subunitate", "rândul 7: Tip necunoscut: „planetă”", "rândul 8: același nume ca DAS",
		"rândul 9: „#general” nu este un canal Slack", "părintele BRP este desființat")
	w.unchanged(before, "a chart with bad rows")

	good := csvOf(",",
		[]string{"code", "name", "parent", "head", "phone", "e-mail", "telegram"},
		[]string{"SAC", "Serviciul Autorizări în Construcții", "DU", "Dan Moldovan", "0264 000 210", "", ""},
		[]string{"DU", "Direcția Urbanism", "", "Ioana Răducanu", "0264 000 200", "urbanism@exemplu.invalid", "-1001234567890"},
		[]string{"DT", "Direcția Tehnică", "", "Mihai Ardeleanu", "", "", ""},
	)
	r = w.withFile(anaID, "import-departments", "chart.csv", good)
	contains(t, r, "Organisation chart imported", "Added: 2 · changed: 1 · unchanged: 0")
	du, _ := w.store.Department("DU")
	if du.Kind != "directie" || du.TelegramChat != "-1001234567890" || du.Head != "Ioana Răducanu" {
		t.Errorf("DU: %+v", du)
	}
	sac, _ := w.store.Department("SAC")
	if sac.Parent != "DU" || sac.Kind != "serviciu" {
		t.Errorf("SAC: %+v", sac)
	}
	contains(t, w.must("departamente"), "DU — Direcția Urbanism · tel. 0264 000 200 · șef: Ioana Răducanu", "  SAC — Serviciul Autorizări în Construcții")

	// The registry assigns to the imported departments by code or name.
	w.must(`inregistreaza de="Ion Popescu" subiect="Autorizație" categorie=petitie`)
	contains(t, w.as(anaID, "repartizeaza 1/2026 SAC"), "1/2026 repartizată la SAC")
	contains(t, w.as(anaID, "repartizeaza 1/2026 directia urbanism"), "repartizată din nou: SAC → DU")
	contains(t, w.as(anaID, "repartizeaza 1/2026 autorizari in constructii"), "DU → SAC")
	w.must("departament muta SAC nimic")
	w.must("departament inchide SAC")
	contains(t, w.as(anaID, "repartizeaza 1/2026 SAC"), "SAC", "desființat", "nu mai poate primi repartizări")

	exp := w.must("export-departamente")
	if len(exp.Files) != 1 || !strings.Contains(string(exp.Files[0].Data), "SAC;Serviciul Autorizări în Construcții;serviciu;;Dan Moldovan;0264 000 210;;;;25.11.2026") {
		t.Fatalf("export: %q", exp.Files)
	}
	before = w.snapshot()
	contains(t, w.withFile(anaID, "import-departamente", exp.Files[0].Name, exp.Files[0].Data), "neschimbate: 6")
	w.unchanged(before, "re-importing the exported chart")
}

// TestLookupWhileTheDirectoryChanges runs lookups beside writes: each lookup
// sees a whole index, old or new, and every write is found right after it.
func TestLookupWhileTheDirectoryChanges(t *testing.T) {
	w := sampleWorld(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			w.as(anaID, fmt.Sprintf(`contact adauga "Persoana %d" departament=DT interior=%d`, i, 9000+i))
			contains(t, w.as(anaID, fmt.Sprintf("telefon %d", 9000+i)), fmt.Sprintf("Persoana %d", i))
		}
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
			contains(t, w.as(viewerID, "telefon persoana 19"), "Persoana 19")
			return
		default:
		}
		if r := w.as(viewerID, "telefon popescu"); r.Kind != OK || !strings.Contains(flat(r), "Ion Popescu") {
			t.Fatalf("lookup %d: %s", i, flat(r))
		}
	}
}

func TestLookupRefusesEndlessQueries(t *testing.T) {
	w := sampleWorld(t)
	var many []string
	for i := range 13 {
		many = append(many, fmt.Sprintf("cuvant%d", i))
	}
	contains(t, w.as(viewerID, "telefon "+strings.Join(many, " ")), "Prea multe cuvinte (13)")
	contains(t, w.as(viewerID, `telefon departament=DT`), "nu primește argumente cheie=valoare")
}

func TestQueryWordsAndNumbers(t *testing.T) {
	tests := map[string]string{
		"Popescu Ion":            "popescu ion",
		"0264 596 030":           "0264596030",
		"+40 264 596 030":        "0264596030",
		"0040-264-596-030":       "0264596030",
		"(0264) 596.030":         "0264596030",
		"596 030":                "596030",
		"interior 5001":          "5001",
		"tel. int. 5001":         "5001",
		"numărul de la Urbanism": "urbanism",
		"telefon":                "telefon",
		"biroul B12":             "biroul b12",
		"camera 12 etaj 2":       "camera 12 etaj 2",
		"Şcoala Ţării":           "scoala tarii",
	}
	for in, want := range tests {
		if got := strings.Join(queryWords(in), " "); got != want {
			t.Errorf("queryWords(%q) = %q, want %q", in, got, want)
		}
	}
	phones := map[string]string{"0264 596 030": "0264 596 030", "264596030": "0264596030", "+40 (264) 596-030": "+40 (264) 596-030", " 0264  596\n030 ": "0264 596 030"}
	for in, want := range phones {
		if got, p := checkPhone(in); p != nil || got != want {
			t.Errorf("checkPhone(%q) = %q, %v", in, got, p)
		}
	}
	for _, in := range []string{"12", "0264 596 030 int 5", "1234567890123456", "abc"} {
		if _, p := checkPhone(in); p == nil {
			t.Errorf("checkPhone(%q) accepted", in)
		}
	}
	for in, want := range map[string]string{"5001": "5001", "int. 5001": "5001", "Interior 5001": "5001", "ext 12": "12"} {
		if got, p := checkExtension(in); p != nil || got != want {
			t.Errorf("checkExtension(%q) = %q, %v", in, got, p)
		}
	}
}
