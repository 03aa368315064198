package commands

import (
	"bytes"
	"encoding/csv"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// A command over MaxCommandBytes from any platform gets a reason and changes
// nothing (the adapters hand the text to Handle as it came).
func TestOverlongCommandIsRefused(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	long := `inregistreaza de="Ion" subiect="` + strings.Repeat("a", MaxCommandBytes) + `"`
	for _, who := range []Identity{operatorID, anaID, viewerID} {
		w.refuses(t, who, long, "peste limita de 65536")
	}
	r := w.e.Handle(t.Context(), Request{Who: anaID, Text: "register " + strings.Repeat("b", 1<<20), Lang: English})
	contains(t, r, "over the limit of 65536")
}

// An admin named in the configuration cannot be revoked or changed by `rol`
// (the reply said "Acces retras" and the identity stayed admin).
func TestConfiguredAdminIsNotRevokedByRole(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	for _, line := range []string{"rol console:operator nimic", "rol console:operator cabinet", "role console:operator none"} {
		w.refuses(t, operatorID, line, "CABINET_ADMINS")
	}
	if r := w.as(operatorID, "persoane"); r.Kind != OK {
		t.Fatalf("the configured admin lost its role: %s", flat(r))
	}
}

// Identities are checked against their platform's form wherever they are
// typed.
func TestIdentitiesAreValidatedPerPlatform(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	bad := map[string]string{
		`rol "slack:U1 U2" cabinet`:              "U012AB3CD",
		"rol telegram:abc primar":                "telegram:123456789",
		"rol telegram:-100123 primar":            "telegram:123456789",
		"rol telegram:0123 primar":               "telegram:123456789",
		"rol slack:u012ab3cd cabinet":            "litere mari",
		"rol slack:C0123ABC cabinet":             "începe cu U sau W",
		"rol <@c01> cabinet":                     "începe cu U sau W",
		`rol "console:ana pop" cabinet`:          "console:ana.pop",
		"rol console:ana/pop cabinet":            "console:ana.pop",
		"rol discord:123 cabinet":                "nu este o identitate",
		"membru adauga DT slack:U012 telegram:x": "telegram:123456789",
		"membru adauga DT slack:UAB$":            "U012AB3CD",
		"role telegram:12a3 mayor":               "is not a Telegram user ID",
	}
	for line, want := range bad {
		w.refuses(t, operatorID, line, want)
	}
	for _, line := range []string{"rol slack:W0123ABCD cabinet", "rol <@U012AB3CD|ana> cabinet", "rol telegram:987654321 primar",
		"rol console:ana.pop-2 vizualizare", "membru adauga DT slack:U012AB3CD telegram:42"} {
		w.must(line)
	}
}

// csvCells reads a CSV the bot wrote (';' separated, with a BOM).
func csvCells(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma, r.FieldsPerRecord = ';', -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// noFormula fails for a cell a spreadsheet would run as a formula, or one
// holding a control character.
func noFormula(t *testing.T, what string, data []byte, want ...string) {
	t.Helper()
	all := ""
	for _, row := range csvCells(t, data) {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: a formula cell %q", what, cell)
			}
			if r, bad := text.BadControl(cell, true); bad {
				t.Errorf("%s: a control character %U in %q", what, r, cell)
			}
			all += cell + "\n"
		}
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s: no cell %q in\n%s", what, w, all)
		}
	}
}

// Every CSV the bot writes is safe to open in Excel, and the directory and
// department files still import back to the same data.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	w := sampleWorld(t)
	w.must(`inregistreaza de="=HYPERLINK(1)" subiect="@SUM(A1)" contact="=1+2"`)
	w.must(`inregistreaza de="+Ion" subiect="-2"`)
	exp := w.as(anaID, "exporta format=csv")
	if len(exp.Files) != 1 {
		t.Fatalf("export: %s", flat(exp))
	}
	noFormula(t, "exporta", exp.Files[0].Data, "'=HYPERLINK(1)", "'@SUM(A1)", "'+Ion", "'-2")

	w.must(`contact adauga "=1+2" functie="-Șef" telefon="+40 264 000 111" observatii="@birou"`)
	dir := w.must("export-director")
	noFormula(t, "export-director", dir.Files[0].Data, "'=1+2", "'-Șef", "'+40 264 000 111", "'@birou")
	before := w.snapshot()
	contains(t, w.withFile(anaID, "import-director", dir.Files[0].Name, dir.Files[0].Data), "neschimbate: 23")
	w.unchanged(before, "re-importing the exported directory")

	w.must(`departament adauga FX "=cmd|' /C calc'!A0" sef="@Ana" telefon="+40 264 000 222"`)
	depts := w.must("export-departamente")
	noFormula(t, "export-departamente", depts.Files[0].Data, "'=cmd|' /C calc'!A0", "'@Ana")
	before = w.snapshot()
	contains(t, w.withFile(anaID, "import-departamente", depts.Files[0].Name, depts.Files[0].Data), "modificate: 0")
	w.unchanged(before, "re-importing the exported departments")
}

// Control characters are refused in every typed text field (line breaks only
// in the fields that take several lines), in CSV and .ics imports, and what
// is already stored goes out without them.
func TestControlCharactersAreRefused(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	for _, line := range []string{
		"inregistreaza de=\"Ion\x00\" subiect=\"Cerere\"",
		"inregistreaza de=\"Ion\" subiect=\"a\x1b[2Jb\"",
		"inregistreaza de=\"Ion\nPop\" subiect=\"rândul 1\nrândul 2\"",
		"inregistreaza de=\"Ion\" subiect=\"a\u202eb\"",
		"contact adauga \"Ion\tPop\"",
		"contact adauga \"Ion Pop\" functie=\"x\x7f\"",
		"programeaza 01.12.2026 10:00 \"Titlu\x1b]0;x\x07\"",
		"programeaza 01.12.2026 10:00 \"Titlu\" loc=\"Sala\nmare\"",
		"departament adauga FX \"Nume\u009b\"",
		"cauta \x00",
	} {
		w.refuses(t, operatorID, line, "caracterul de control U+")
	}
	r := w.e.Handle(t.Context(), Request{Who: anaID, Text: "register from=\"Ion\x00\" subject=\"x\"", Lang: English})
	contains(t, r, "control character U+0000 (NUL)")
	// Several lines where the field takes them.
	w.must("programeaza 01.12.2026 10:00 \"Ședință\" note=\"rândul 1\nrândul 2\r\nrândul 3\"")
	w.must("inregistreaza de=\"Ion\" subiect=\"rândul 1\nrândul 2\"")
	w.must("contact adauga \"Ion Pop\" telefon=\"0264 000 111\" observatii=\"luni\nmarți\"")

	// A CSV file with a control character is refused whole.
	before := w.snapshot()
	csvData := []byte("Nume;Funcție;Telefon\r\nIon Pop;Șef\x1b[31m;0264 000 111\r\n")
	contains(t, w.withFile(anaID, "import-director", "a.csv", csvData), "Rândul 2, coloana 2", "U+001B (ESC)")
	w.unchanged(before, "import-director with ESC")
	// An .ics event with one is reported, the others come in.
	file := ics("BEGIN:VCALENDAR", "VERSION:2.0",
		"BEGIN:VEVENT", "UID:a@x", "DTSTART:20261202T080000Z", "DTEND:20261202T090000Z", "SUMMARY:Rău\x1b[2J", "END:VEVENT",
		"BEGIN:VEVENT", "UID:b@x", "DTSTART:20261203T080000Z", "DTEND:20261203T090000Z", "SUMMARY:Bun", "DESCRIPTION:a\\nb", "END:VEVENT",
		"END:VCALENDAR")
	contains(t, w.importFile(operatorID, "agenda importa", "x.ics", file), "SUMMARY", "U+001B (ESC)")
}

// Text stored before control characters were refused goes out without them:
// CSV, vCard and iCalendar (the console: bot/console's Render test).
func TestStoredControlCharactersDoNotGoOut(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	meta := storage.Meta{Who: operatorID.Key(), At: w.clock()}
	if _, err := w.store.AddEntry(t.Context(), storage.Entry{Name: "Ion\x1b[31m Pop", Function: "Șef\x00", Phone: "0264 000 111", Notes: "a\x07\nb"}, meta); err != nil {
		t.Fatal(err)
	}
	ev := storage.AgendaEvent{Title: "Ședință\x1b]0;x\x07", Place: "Sala\x00", Notes: "a\x1b\nb", Status: storage.AgendaConfirmed,
		Start: at("01.12.2026", "10:00"), End: at("01.12.2026", "11:00"), Created: w.clock()}
	if _, _, err := w.store.AddAgendaEvent(t.Context(), ev, meta); err != nil {
		t.Fatal(err)
	}
	clean := func(what string, data []byte) {
		t.Helper()
		s := strings.ReplaceAll(string(data), "\r\n", "\n")
		if r, bad := text.BadControl(s, true); bad {
			t.Errorf("%s: %s in output:\n%q", what, text.ControlName(r), s)
		}
	}
	for _, line := range []string{"export-director", "export-director vcf", "agenda exporta 01.12.2026-31.12.2026"} {
		r := w.must(line)
		for _, f := range r.Files {
			clean(line+" "+f.Name, f.Data)
		}
	}
}

func hours(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, strconv.Itoa(i))
	}
	return strings.Join(parts, ",")
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A rule that repeats within an hour is refused at import; what an
// expansion costs is bounded, for a rule already stored as for the
// busiest rule allowed (every hour, every day).
func TestRecurrenceExpansionIsBounded(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	perMinute := "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=" + hours(24) + ";BYMINUTE=" + func() string {
		var p []string
		for i := range 60 {
			p = append(p, strconv.Itoa(i))
		}
		return strings.Join(p, ",")
	}()
	event := func(uid, rule string) string {
		return ics("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:"+uid, "DTSTART;TZID=Europe/Bucharest:20261201T000000",
			"DTEND;TZID=Europe/Bucharest:20261201T000100", "SUMMARY:Des", "RRULE:"+rule, "END:VEVENT", "END:VCALENDAR")
	}
	for _, rule := range []string{perMinute, "FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=SECONDLY", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30",
		"FREQ=DAILY;BYSECOND=0,1", "FREQ=DAILY;BYHOUR=" + hours(24) + ";BYMINUTE=0,1"} {
		before := w.snapshot()
		contains(t, w.importFile(operatorID, "agenda importa", "des.ics", event("x@x", rule)), "mai des de o dată pe oră")
		w.unchanged(before, rule)
	}

	var rdates []string
	for i := range maxRDates + 1 {
		rdates = append(rdates, at("01.12.2026", "10:00").AddDate(0, 0, i).UTC().Format("20060102T150405Z"))
	}
	contains(t, w.importFile(operatorID, "agenda importa", "multe.ics", ics("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:r@x",
		"DTSTART:20261201T080000Z", "SUMMARY:Multe", "RDATE:"+strings.Join(rdates, ","), "END:VEVENT", "END:VCALENDAR")), "mai mult de 1000 RDATE")

	// A per-minute rule stored before the check: views, the event's card
	// and overlap checks stay small.
	meta := storage.Meta{Who: operatorID.Key(), At: w.clock()}
	stored, _, err := w.store.AddAgendaEvent(t.Context(), storage.AgendaEvent{Title: "Vechi", Rule: perMinute, Status: storage.AgendaConfirmed,
		Start: at("01.12.2026", "00:00"), End: at("01.12.2026", "00:01"), Created: w.clock()}, meta)
	if err != nil {
		t.Fatal(err)
	}
	// The busiest rule allowed: every hour of every day.
	contains(t, w.importFile(operatorID, "agenda importa", "ore.ics", event("h@x", "FREQ=DAILY;BYHOUR="+hours(24))), "1 eveniment")
	lines := []string{"agenda #" + strconv.Itoa(stored.ID), "agenda 03.12.2026", "agenda saptamana", "agenda 01.12-31.12",
		`programeaza 02.12.2026 10:00-11:00 "Ședință"`, `programeaza 02.12.2026 12:00 "Săptămânal" repeta=saptamanal`}
	for _, line := range lines {
		var r Reply
		n := allocated(func() { r = w.as(operatorID, line) })
		if r.Kind == Failed {
			t.Errorf("%s: %s", line, flat(r))
		}
		t.Logf("%s: %d KB", line, n>>10)
		if n > 64<<20 {
			t.Errorf("%s allocated %d MB", line, n>>20)
		}
	}
}

// A weekly series started at 02:30 on the spring-forward day, without an
// end, lasts an hour in every week: 02:30–04:30 that night (03:00–04:00
// does not exist), 02:30–03:30 after.
func TestSeriesStartedOnTheSpringDSTNightLastsAnHour(t *testing.T) {
	w := newWorld(t, at("20.03.2026", "10:00")).standard()
	contains(t, w.must(`programeaza 29.03.2026 02:30 "Serie" repeta=saptamanal`), "02:30–04:30")
	contains(t, w.must("agenda 29.03.2026"), "02:30–04:30 Serie")
	for _, day := range []string{"05.04.2026", "12.04.2026", "25.10.2026", "01.11.2026"} {
		contains(t, w.must("agenda "+day), "02:30–03:30 Serie")
	}
	// An end typed across the skipped hour keeps its clock time.
	w.must(`programeaza 29.03.2026 02:00-05:00 "Lungă" repeta=saptamanal`)
	contains(t, w.must("agenda 05.04.2026"), "02:00–05:00 Lungă")
}

// A year outside 1900–2999 is out of range, not a day that does not exist.
func TestYearsOutOfRange(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	for _, line := range []string{"agenda 01.01.3000", "agenda 31.12.1899", "termen 01.01.3000 petitie", `programeaza 01.01.0001 10:00 "x"`, "agenda 3000-01-01"} {
		w.refuses(t, operatorID, line, "în afara intervalului acceptat (1900–2999)")
	}
	r := w.e.Handle(t.Context(), Request{Who: anaID, Text: "agenda 01.01.3000", Lang: English})
	contains(t, r, "The year 3000", "out of the accepted range (1900–2999)")
	w.refuses(t, operatorID, "agenda 31.02.2026", "nu există")
}

// Extra arguments are named: a command that changes something refuses the
// line, one that reads answers and says what it did not use.
func TestExtraArgumentsAreNamed(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(`inregistreaza de="Ion Pop" subiect="Groapă"`)
	w.must(`inregistreaza de="Ana Pop" subiect="Groapă"`)
	r := w.must("arata 1/2026 extra")
	contains(t, r, "1/2026", "Nefolosit: „extra”")
	r = w.e.Handle(t.Context(), Request{Who: anaID, Text: "show 1/2026 extra words"})
	contains(t, r, "Not used: “extra”, “words”")
	contains(t, w.must("termen 25.11.2026 petitie azi"), "Nefolosit: „azi”")
	contains(t, w.must("persoane toate"), "Nefolosit: „toate”")
	contains(t, w.must("de-clasat extra"), "Nefolosit: „extra”")
	for line, want := range map[string]string{
		"prelungeste 1/2026 10 zile":           "„zile”",
		"rezolva 1/2026 azi":                   "„azi”",
		"claseaza 1/2026 anonim":               "„anonim”",
		"conexeaza 2/2026 1/2026 3/26":         "„3/26”",
		"rol telegram:12345 primar x":          "„x”",
		`corecteaza 1/2026 gresit subiect="y"`: "„gresit”",
	} {
		w.refuses(t, operatorID, line, "Argumente în plus, nefolosite: "+want, "Nu s-a modificat nimic")
	}
	// Without extra words nothing is said.
	if r := w.must("arata 1/2026"); strings.Contains(flat(r), "Nefolosit") {
		t.Fatalf("a remark without extra words: %s", flat(r))
	}
}
