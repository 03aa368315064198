package commands

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/xuri/excelize/v2"
)

// A register of two years, 2025 and 2026, as clerks keep it: Romanian
// headers, numbers as N/YYYY, N with the date, and N/DD.MM.YYYY.
const registerHeader = "Nr. înregistrare;Data înregistrării;Petent;Conținut;Compartiment;Termen;Nr. răspuns;Data răspunsului\n"

var registerGood = []string{
	"12/2025;03.03.2025;Ion Pop;Groapă pe str. Horea;DT;;4521;20.03.2025",
	"13;04.03.2025;Ana Ionescu;Iluminat public Mărăști;Direcția Tehnică;;;",
	"7/10.11.2026;;Maria Vlad;Parcare cartier Gheorgheni;DAS;;;",
	"40/2026;05.11.2026;Vasile Suciu;Spații verzi;Serviciul Spații Verzi;30.11.2026;;",
}

var registerBad = []string{
	"13/2025;05.03.2025;Ion Pop;Altceva;DT;;;",      // the same number as 13 with 04.03.2025
	"8/2026;;Gheorghe Ilie;Fără dată;DT;;;",         // no date
	"abc;05.11.2026;Dan Rus;Număr greșit;DT;;;",     // unreadable number
	"9/2025;05.11.2026;Dan Rus;Alt an;DT;;;",        // number of 2025, date of 2026
	"10/2026;06.11.2026;;Fără petent;DT;;;",         // no sender
	"11/31.02.2026;;Dan Rus;Dată inexistentă;DT;;;", // no such date
}

func registerCSV(rows []string) []byte {
	return []byte(registerHeader + strings.Join(rows, "\n") + "\n")
}

// registerXLSX writes the same rows as a workbook, English headers.
func registerXLSX(t *testing.T, rows []string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	all := append([]string{"Registration number;Date;Sender;Subject;Department;Deadline;Answer no;Answer date"}, rows...)
	for i, r := range all {
		for j, cell := range strings.Split(r, ";") {
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(sheet, name, cell); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportRegisterRefusedWithEveryReasonThenWhole(t *testing.T) {
	w := newWorld(t, at("01.12.2026", "10:00")).standard()
	before := w.snapshot()
	for _, file := range []struct {
		name string
		data []byte
	}{{"registru.csv", registerCSV(append(append([]string{}, registerGood...), registerBad...))},
		{"registru.xlsx", registerXLSX(t, append(append([]string{}, registerGood...), registerBad...))}} {
		r := w.withFile(operatorID, "import-registru", file.name, file.data)
		if r.Kind != Invalid {
			t.Fatalf("%s accepted: %s", file.name, flat(r))
		}
		contains(t, r, "6 din 10 rânduri sunt greșite",
			"rândul 6: același număr (13/2025) ca rândul 3",
			"rândul 7: lipsește data înregistrării",
			"rândul 8: numărul „abc” nu se poate citi",
			"rândul 9: numărul 9/2025 e din alt an decât data 05.11.2026",
			"rândul 10: lipsește expeditorul",
			"rândul 11: data din numărul „11/31.02.2026” nu există",
			"departament necunoscut „Serviciul Spații Verzi” (rândul 5)")
		w.unchanged(before, file.name)
	}
	// The bad rows gone, the unknown department still stops it.
	r := w.withFile(operatorID, "import-registru", "registru.csv", registerCSV(registerGood))
	if r.Kind != Invalid {
		t.Fatalf("unknown department accepted: %s", flat(r))
	}
	contains(t, r, "departament necunoscut „Serviciul Spații Verzi” (rândul 5)", "creeaza-departamente=da")
	w.unchanged(before, "unknown department")
	// Only the cabinet's admins import a register.
	if r := w.withFile(anaID, "import-registru", "registru.csv", registerCSV(registerGood)); r.Kind == OK {
		t.Fatalf("a cabinet member imported: %s", flat(r))
	}
	// A dry run counts and writes nothing.
	r = w.withFile(operatorID, "import-registru verifica=da creeaza-departamente=da", "registru.xlsx", registerXLSX(t, registerGood))
	contains(t, r, "s-ar importa 4 înregistrări", "Pe ani: 2025: 2 · 2026: 2", "rezolvată: 1", "repartizată: 3", "DT: 2", "Departament nou: SSV")
	w.unchanged(before, "dry run")

	r = w.withFile(operatorID, "import-registru creeaza-departamente=da", "registru.xlsx", registerXLSX(t, registerGood))
	if r.Kind != OK {
		t.Fatalf("refused: %s", flat(r))
	}
	contains(t, r, "Registru importat din „registru.xlsx”: 4 înregistrări", "Departament creat: SSV — Serviciul Spații Verzi",
		"2026: următorul număr este 41/2026", "2025: următorul număr este 14/2025")

	it, err := w.store.Item(storage.Number{Year: 2025, Seq: 12})
	if err != nil {
		t.Fatal(err)
	}
	if it.Status != storage.StatusResolved || it.AnswerNo != "4521" || it.AnswerDate != "2025-03-20" || it.Dept != "DT" || it.Sender != "Ion Pop" ||
		it.Registered.Format("02.01.2006") != "03.03.2025" {
		t.Errorf("12/2025 not kept as it was: %+v", it)
	}
	it, _ = w.store.Item(storage.Number{Year: 2026, Seq: 40})
	if it.Deadline != "2026-11-30" || it.Dept != "SSV" || it.Status != storage.StatusAssigned {
		t.Errorf("40/2026: %+v", it)
	}
	hist, _ := w.store.History(storage.KindItem, "7/2026")
	if len(hist) != 1 || hist[0].Action != "import" || hist[0].Note != "importat din registru.xlsx" {
		t.Errorf("7/2026 history: %+v", hist)
	}
	// The next registration continues the numbering.
	contains(t, w.must(`inregistreaza de="Ion Pop" subiect="Nouă"`), "41/2026")
	// Overdue and reports include the imported items.
	r = w.must("restante")
	contains(t, r, "40/2026", "13/2025")
	if strings.Contains(flat(r), "7/2026") {
		t.Errorf("7/2026 (due 10.12.2026) listed as overdue: %s", flat(r))
	}
	contains(t, w.must("raport 01.01.2025-31.12.2025 complet"), "Înregistrate: 2", "Rezolvate: 1")

	// Importing the same file again: every number is a duplicate…
	again := w.snapshot()
	r = w.withFile(operatorID, "import-registru", "registru.csv", registerCSV(registerGood))
	contains(t, r, "rândul 2: numărul 12/2025 este deja în registru (pentru a-l înlocui: mod=actualizare)")
	w.unchanged(again, "duplicates")
	// …unless it updates.
	fixed := strings.Replace(registerGood[1], ";;;", ";;7100;10.03.2025", 1)
	r = w.withFile(operatorID, "import-registru mod=actualizare", "registru.csv", registerCSV([]string{fixed}))
	contains(t, r, "înlocuite: 1")
	if it, _ := w.store.Item(storage.Number{Year: 2025, Seq: 13}); it.Status != storage.StatusResolved {
		t.Errorf("13/2025 not updated: %+v", it)
	}
	contains(t, w.must(`inregistreaza de="Ion Pop" subiect="Încă una"`), "42/2026")
}

// The counter and the integrity record follow the import across a restart.
func TestImportRegisterNumbersSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New(Config{Store: s, Admins: []string{operatorID.Key()}})
	r := e.Handle(context.Background(), Request{Who: operatorID, Text: "import-registru",
		Files: []File{{Name: "r.csv", Data: []byte("Nr;Data;Expeditor;Obiect\n500/2026;02.02.2026;Ion;Ceva\n")}}})
	if r.Kind != OK {
		t.Fatal(flat(r))
	}
	s.Close()
	s, err = storage.Open(dir, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.LastNumber(2026); n != 500 {
		t.Errorf("last number %d, want 500", n)
	}
	rec, _ := readFileString(storage.RecordPath(dir))
	if !strings.Contains(rec, `"2026": 500`) {
		t.Errorf("the integrity record does not follow: %s", rec)
	}
}

func readFileString(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// A number without its year and without a date says only that: the year it
// cannot have is not checked too.
func TestImportRegisterNumberWithoutAYear(t *testing.T) {
	w := newWorld(t, at("01.12.2026", "10:00")).standard()
	r := w.withFile(operatorID, "import-registru", "registru.csv", registerCSV([]string{"8;;Gheorghe Ilie;Fără an;DT;;;"}))
	contains(t, r, "1 din 1 rând este greșit.", "rândul 2: numărul „8” nu are an: dați și data înregistrării (sau scrieți 8/AAAA)")
	if s := flat(r); strings.Contains(s, "anul 1 ") || strings.Contains(s, "intervalului") {
		t.Errorf("a year the row does not give is judged:\n%s", s)
	}
}
