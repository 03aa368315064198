package commands

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// The agenda tests stand on Wednesday 25.11.2026, 10:00 in Bucharest.

func agendaWorld(t *testing.T) *world {
	return newWorld(t, at("25.11.2026", "10:00")).standard()
}

// field returns the value of a labelled field of a reply.
func field(r Reply, label string) string {
	for _, f := range r.Fields {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

func TestScheduleDateForms(t *testing.T) {
	w := agendaWorld(t)
	tests := []struct{ line, label, want string }{
		{`programeaza 26.11.2026 10:00 "A"`, "Când", "joi 26.11.2026, 10:00–11:00"},
		{`programeaza 26.11 10:00-11:30 "B"`, "Când", "joi 26.11.2026, 10:00–11:30"},
		{`programeaza 26.11.26 12:00 "C"`, "Când", "joi 26.11.2026, 12:00–13:00"},
		{`programeaza 2026-12-01 10:00 "D"`, "Când", "marți 01.12.2026, 10:00–11:00"},
		{`programeaza azi 15:00 "E"`, "Când", "miercuri 25.11.2026, 15:00–16:00"},
		{`programeaza astăzi 16:00 "E2"`, "Când", "miercuri 25.11.2026, 16:00–17:00"},
		{`programeaza mâine 9 "F"`, "Când", "joi 26.11.2026, 09:00–10:00"},
		{`programeaza maine 9:30-10 "G"`, "Când", "joi 26.11.2026, 09:30–10:00"},
		{`programeaza poimâine 8:00 "H"`, "Când", "vineri 27.11.2026, 08:00–09:00"},
		{`programeaza luni 10.30 "I"`, "Când", "luni 30.11.2026, 10:30–11:30"},
		{`programeaza marți 10:00 "J"`, "Când", "marți 01.12.2026, 10:00–11:00"},
		{`programeaza miercuri 18:00 "K"`, "Când", "miercuri 25.11.2026, 18:00–19:00"},
		{`programeaza joi 10:00–11:00 "L"`, "Când", "joi 26.11.2026, 10:00–11:00"},
		{`programeaza vineri 10:00—12:00 "M"`, "Când", "vineri 27.11.2026, 10:00–12:00"},
		{`programeaza sâmbătă 10:00 "N"`, "Când", "sâmbătă 28.11.2026, 10:00–11:00"},
		{`programeaza duminica 10:00 "O"`, "Când", "duminică 29.11.2026, 10:00–11:00"},
		{`programeaza 05.01 10:00 "P"`, "Când", "marți 05.01.2027, 10:00–11:00"}, // a day passed this year is next year's
		{`programeaza 31.12 22:00-24:00 "Q"`, "Când", "joi 31.12.2026, 22:00–24:00"},
		{`schedule tomorrow 08:00 "R"`, "When", "Thursday 26.11.2026, 08:00–09:00"},
		{`schedule friday 14:00-15:00 "S"`, "When", "Friday 27.11.2026, 14:00–15:00"},
		{`SCHEDULE Monday 14:00 "T"`, "When", "Monday 30.11.2026, 14:00–15:00"},
		{`programează 26.11.2026 17:00 Fără ghilimele titlul`, "Când", "joi 26.11.2026, 17:00–18:00"},
	}
	for _, tt := range tests {
		r := w.must(tt.line)
		if got := field(r, tt.label); got != tt.want {
			t.Errorf("%s: %s = %q, want %q", tt.line, tt.label, got, tt.want)
		}
	}
	contains(t, w.must(`agenda 26.11.2026`), "17:00–18:00 Fără ghilimele titlul #22")
	// The past may be recorded, with a warning.
	contains(t, w.must(`programeaza ieri 10:00 "Ce a fost"`), "Când: marți 24.11.2026, 10:00–11:00", "⚠ Data este în trecut.")
	contains(t, w.must(`programeaza 25.11.2026 08:00 "Azi dimineață"`), "⚠ Data este în trecut.")
}

func TestAgendaDateForms(t *testing.T) {
	w := agendaWorld(t)
	tests := []struct{ line, title string }{
		{"agenda", "Agenda — miercuri 25.11.2026"},
		{"agenda azi", "Agenda — miercuri 25.11.2026"},
		{"agenda astazi", "Agenda — miercuri 25.11.2026"},
		{"agenda maine", "Agenda — joi 26.11.2026"},
		{"agenda mâine", "Agenda — joi 26.11.2026"},
		{"agenda MÂINE", "Agenda — joi 26.11.2026"},
		{"agenda poimaine", "Agenda — vineri 27.11.2026"},
		{"agenda ieri", "Agenda — marți 24.11.2026"},
		{"agenda luni", "Agenda — luni 30.11.2026"},
		{"agenda marti", "Agenda — marți 01.12.2026"},
		{"agenda marți", "Agenda — marți 01.12.2026"},
		{"agenda marţi", "Agenda — marți 01.12.2026"}, // cedilla
		{"agenda miercuri", "Agenda — miercuri 25.11.2026"},
		{"agenda joi", "Agenda — joi 26.11.2026"},
		{"agenda vineri", "Agenda — vineri 27.11.2026"},
		{"agenda sambata", "Agenda — sâmbătă 28.11.2026"},
		{"agenda sâmbătă", "Agenda — sâmbătă 28.11.2026"},
		{"agenda duminică", "Agenda — duminică 29.11.2026"},
		{"agenda 26.11", "Agenda — joi 26.11.2026"},
		{"agenda 26.11.", "Agenda — joi 26.11.2026"},
		{"agenda 03.12.2026", "Agenda — joi 03.12.2026"},
		{"agenda 2026-12-03", "Agenda — joi 03.12.2026"},
		{"agenda saptamana", "Agenda 23.11–29.11.2026"},
		{"agenda săptămâna", "Agenda 23.11–29.11.2026"},
		{"agenda saptamana viitoare", "Agenda 30.11–06.12.2026"},
		{"agenda luna", "Agenda 01.11–30.11.2026"},
		{"agenda 26.11-30.11", "Agenda 26.11–30.11.2026"},
		{"agenda 26.11 - 30.11", "Agenda 26.11–30.11.2026"},
		{"agenda 26.11–30.11", "Agenda 26.11–30.11.2026"},
		{"agenda 26.11.2026-02.12.2026", "Agenda 26.11–02.12.2026"},
		{"agenda 28.12-03.01", "Agenda 28.12–03.01.2027"},
		{"agenda 28.12-03.01.2027", "Agenda 28.12–03.01.2027"},
		{"agenda today", "Agenda — Wednesday 25.11.2026"},
		{"agenda tomorrow", "Agenda — Thursday 26.11.2026"},
		{"agenda monday", "Agenda — Monday 30.11.2026"},
		{"agenda tuesday", "Agenda — Tuesday 01.12.2026"},
		{"agenda wednesday", "Agenda — Wednesday 25.11.2026"},
		{"agenda thursday", "Agenda — Thursday 26.11.2026"},
		{"agenda friday", "Agenda — Friday 27.11.2026"},
		{"agenda saturday", "Agenda — Saturday 28.11.2026"},
		{"agenda sunday", "Agenda — Sunday 29.11.2026"},
		{"agenda week", "Agenda 23.11–29.11.2026"},
		{"agenda next week", "Agenda 30.11–06.12.2026"},
	}
	for _, tt := range tests {
		if r := w.must(tt.line); r.Title != tt.title {
			t.Errorf("%s: %q, want %q", tt.line, r.Title, tt.title)
		}
	}
	// The week shows every day, English days for English words.
	contains(t, w.must("agenda week"), "Monday 23.11 — free", "Sunday 29.11 — free")
	contains(t, w.must("agenda saptamana"), "Luni 23.11 — liber", "Duminică 29.11 — liber")
}

// TestDaylightSavingKeepsLocalTime: a weekly 10:00 event stays at 10:00
// local across 29.03.2026 (clocks forward) and 25.10.2026 (clocks back),
// although the instants are 7 days less or more than an hour apart.
func TestDaylightSavingKeepsLocalTime(t *testing.T) {
	w := newWorld(t, at("01.03.2026", "09:00")).standard()
	w.must(`programeaza 19.03.2026 10:00-11:00 "Ședința săptămânală" repeta=saptamanal`) // #1
	for _, day := range []string{"19.03.2026", "26.03.2026", "02.04.2026", "09.04.2026", "22.10.2026", "29.10.2026", "05.11.2026"} {
		contains(t, w.must("agenda "+day), "10:00–11:00 Ședința săptămânală #1")
	}
	ev, err := w.store.AgendaEvent(1)
	if err != nil {
		t.Fatal(err)
	}
	occ, err := occurrences(&ev, at("20.03.2026", "00:00"), at("30.10.2026", "00:00"))
	if err != nil {
		t.Fatal(err)
	}
	offsets := map[string]int{}
	for _, o := range occ {
		if got := o.Start.In(calendar.Bucharest).Format("15:04"); got != "10:00" {
			t.Errorf("occurrence of %s at %s", calendar.DateOf(o.Start), got)
		}
		_, off := o.Start.In(calendar.Bucharest).Zone()
		offsets[calendar.DateOf(o.Start).String()] = off / 3600
	}
	for day, want := range map[string]int{"26.03.2026": 2, "02.04.2026": 3, "22.10.2026": 3, "29.10.2026": 2} {
		if offsets[day] != want {
			t.Errorf("%s: UTC+%d, want UTC+%d", day, offsets[day], want)
		}
	}
	if d := occ[1].Start.Sub(occ[0].Start); d != 7*24*time.Hour-time.Hour {
		t.Errorf("26.03 → 02.04 is %s apart, want 167h", d)
	}

	// Single events on the days of the change, and a monthly series.
	w.must(`programeaza 29.03.2026 10:00 "Duminică de primăvară"`)
	w.must(`programeaza 25.10.2026 10:00-12:00 "Duminică de toamnă"`)
	w.must(`programeaza 15.01.2026 10:00 "Lunar" repeta=lunar`)
	contains(t, w.must("agenda 29.03.2026"), "10:00–11:00 Duminică de primăvară")
	contains(t, w.must("agenda 25.10.2026"), "10:00–12:00 Duminică de toamnă")
	contains(t, w.must("agenda 15.04.2026"), "10:00–11:00 Lunar")
	contains(t, w.must("agenda 15.11.2026"), "10:00–11:00 Lunar")
	// An event across the change keeps its clock times; 03:30 does not
	// exist on 29.03.2026.
	w.must(`programeaza 29.03.2026 02:00-05:00 "Noaptea schimbării"`)
	contains(t, w.must("agenda 29.03.2026"), "02:00–05:00 Noaptea schimbării")
	r := w.as(operatorID, `programeaza 29.03.2026 03:30 "Nu există"`)
	contains(t, r, "03:30 nu există pe 29.03.2026")
	// Moving an occurrence across the change keeps the clock time asked for.
	w.must("muta 1 26.03.2026 30.03.2026")
	contains(t, w.must("agenda 30.03.2026"), "10:00–11:00 Ședința săptămânală #1")
}

func TestRecurrenceWithOneMovedAndOneCancelledOccurrence(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11.2026 09:00-10:00 "Briefing" repeta=saptamanal loc="Sala 12" pregateste=DT`) // #1
	r := w.must("anuleaza 1 03.12")
	contains(t, r, "Anulată apariția din 03.12.2026: Briefing (#1)", "Celelalte apariții rămân: 26.11.2026, 10.12.2026, 17.12.2026")
	r = w.must("muta 1 10.12 11.12 08:00")
	contains(t, r, "Mutat #1: Briefing", "Când: vineri 11.12.2026, 08:00–09:00", "Din: joi 10.12.2026, 09:00–10:00")

	contains(t, w.must("agenda 03.12"), "09:00–10:00 ✗ Briefing · Sala 12 #1", "✗ anulat")
	if r := w.must("agenda 10.12"); strings.Contains(flat(r), "Briefing") {
		t.Errorf("the moved occurrence is still on 10.12: %s", flat(r))
	}
	contains(t, w.must("agenda 11.12"), "08:00–09:00 Briefing · Sala 12 #1")
	contains(t, w.must("agenda 17.12"), "09:00–10:00 Briefing · Sala 12 #1")
	contains(t, w.must("agenda 26.11"), "09:00–10:00 Briefing · Sala 12 #1")
	contains(t, w.must("agenda #1"), "Se repetă: săptămânal, joia", "03.12.2026: anulată", "10.12.2026: mutată pe vineri 11.12.2026, 08:00–09:00",
		"Următoarele: 26.11.2026, 11.12.2026, 17.12.2026")

	// One occurrence changed in place; the series' other dates keep theirs.
	w.must(`modifica 1 17.12 loc="Sala mică"`)
	contains(t, w.must("agenda 17.12"), "Briefing · Sala mică #1")
	contains(t, w.must("agenda 24.12"), "Briefing · Sala 12 #1")

	// The whole series moves to 10:30: the cancelled and moved occurrences stay so.
	contains(t, w.must("muta 1 toate 10:30"), "Mutată seria #1", "Înainte: joi 26.11.2026, 09:00–10:00")
	contains(t, w.must("agenda 26.11"), "10:30–11:30 Briefing")
	contains(t, w.must("agenda 03.12"), "10:30–11:30 ✗ Briefing")
	contains(t, w.must("agenda 11.12"), "08:00–09:00 Briefing")
	contains(t, w.must("agenda 17.12"), "10:30–11:30 Briefing · Sala mică")

	// The series ends: nothing from 31.12 on.
	contains(t, w.must("anuleaza 1 de la 31.12.2026"), "Seria #1 se oprește înainte de 31.12.2026")
	contains(t, w.must("agenda 24.12"), "10:30–11:30 Briefing")
	if r := w.must("agenda 31.12"); strings.Contains(flat(r), "Briefing") {
		t.Errorf("the ended series goes on: %s", flat(r))
	}
	contains(t, w.must("agenda #1"), "până pe 30.12.2026")

	// A monthly series, cancelled whole.
	w.must(`programeaza 15.12.2026 12:00 "Consiliu" repeta=lunar pana=30.06.2027`) // #2
	contains(t, w.must("agenda 15.03.2027"), "12:00–13:00 Consiliu")
	if r := w.must("agenda 15.07.2027"); strings.Contains(flat(r), "Consiliu") {
		t.Errorf("the series goes on after its end: %s", flat(r))
	}
	w.must("anuleaza 2 toate")
	contains(t, w.must("agenda 15.03.2027"), "12:00–13:00 ✗ Consiliu")
}

func TestOverlapWarnings(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11.2026 10:00-12:00 "Ședința consiliului local"`) // #1
	contains(t, w.must(`programeaza 26.11.2026 11:00 "Audiență"`), `⚠ Se suprapune cu #1 „Ședința consiliului local” (10:00–12:00).`)
	// Touching is not overlapping.
	if r := w.must(`programeaza 26.11.2026 12:00-13:00 "Prânz"`); strings.Contains(flat(r), "⚠") { // #3
		t.Errorf("adjacent events warned: %s", flat(r))
	}
	contains(t, w.must(`schedule 26.11.2026 12:30 "Press"`), `⚠ It overlaps #3 “Prânz” (12:00–13:00).`)
	// A cancelled event overlaps nothing.
	w.must("anuleaza 3")
	if r := w.must(`programeaza 26.11.2026 12:00 "În locul prânzului"`); strings.Contains(flat(r), "Prânz") {
		t.Errorf("a cancelled event was named: %s", flat(r))
	}
	// A series that meets a single event weeks later names it with its date.
	w.must(`programeaza 17.12.2026 09:00-10:00 "Vizită"`) // #6
	contains(t, w.must(`programeaza 03.12.2026 09:30 "Briefing" repeta=saptamanal`), `⚠ Se suprapune cu #6 „Vizită” (17.12.2026 09:00–10:00).`)
	// Moving onto another event warns; the move is made all the same.
	r := w.must("muta 6 26.11.2026 10:00")
	contains(t, r, "Mutat #6", "⚠ Se suprapune cu #1 „Ședința consiliului local”")
	contains(t, w.must("agenda 26.11.2026"), "10:00–11:00 Vizită #6")
	// Several overlaps are all named, up to three.
	r = w.must(`programeaza 26.11.2026 08:00-18:00 "Toată ziua la birou"`)
	if n := strings.Count(flat(r), "⚠"); n != 4 {
		t.Errorf("%d warnings, want 3 and “and more”: %s", n, flat(r))
	}
}

func TestPreparingDepartmentIsTold(t *testing.T) {
	w := agendaWorld(t)
	notice := func(r Reply) Notice {
		t.Helper()
		if len(r.Notices) != 1 || r.Notices[0].To != (Recipient{Kind: ToDepartment, ID: "DT"}) {
			t.Fatalf("notices: %+v", r.Notices)
		}
		return r.Notices[0]
	}
	n := notice(w.must(`programeaza 26.11.2026 10:00 "Ședința" loc="Sala de consiliu" pregateste="directia tehnica"`))
	contains(t, n.Reply, "De pregătit: Ședința", "Când: joi 26.11.2026, 10:00–11:00", "Loc: Sala de consiliu", "#1", "documentarea")
	n = notice(w.must("muta 1 27.11 12:00"))
	contains(t, n.Reply, "S-a mutat: Ședința", "Când: vineri 27.11.2026, 12:00–13:00", "Înainte: joi 26.11.2026, 10:00–11:00")
	n = notice(w.must(`modifica 1 loc="Sala mică"`))
	contains(t, n.Reply, "S-a modificat: Ședința", "Loc: Sala mică", "Schimbat: locul")
	n = notice(w.must(`anuleaza 1 motiv="deplasare"`))
	contains(t, n.Reply, "S-a anulat: Ședința", "Motiv: deplasare")
	if strings.Contains(flat(n.Reply), "documentarea") {
		t.Error("a cancelled event still asks for a briefing")
	}
	// Handing an event to another department tells both.
	w.must(`programeaza 30.11 10:00 "Vizită" pregateste=DT`) // #2
	r := w.must("modifica 2 pregateste=DAS")
	if len(r.Notices) != 2 || r.Notices[0].To.ID != "DT" || r.Notices[1].To.ID != "DAS" {
		t.Fatalf("notices: %+v", r.Notices)
	}
	contains(t, r.Notices[0].Reply, "Nu mai pregătiți: Vizită", "Îl pregătește acum: DAS")
	contains(t, r.Notices[1].Reply, "De pregătit: Vizită")
	// An event nobody prepares tells nobody.
	if r := w.must(`programeaza 30.11 12:00 "Liber"`); len(r.Notices) != 0 {
		t.Errorf("notices: %+v", r.Notices)
	}
}

// TestDayViewOfTwelveEventsFitsAPhone: chronological, one line per event,
// marks, free gaps, the day's deadlines counted; no line over 60
// characters, titles cut with "…".
func TestDayViewOfTwelveEventsFitsAPhone(t *testing.T) {
	w := newWorld(t, at("10.11.2026", "09:00")).standard()
	// Two registrations overdue by 26.11, three due that day.
	w.must(`inregistreaza de="A" subiect="Restanța 1" categorie=interna termen=20.11.2026`)
	w.must(`inregistreaza de="B" subiect="Restanța 2" categorie=interna termen=24.11.2026`)
	w.setNow(at("26.11.2026", "07:30"))
	for i := range 3 {
		w.must(`inregistreaza de="C" subiect="Termen azi ` + string(rune('1'+i)) + `" categorie=interna termen=26.11.2026`)
	}
	long := "Întâlnire cu reprezentanții asociațiilor de proprietari din cartierul Mănăștur privind reabilitarea termică"
	events := []string{
		`programeaza 26.11 07:30-08:00 "Revista presei"`,
		`programeaza 26.11 08:00-08:45 "` + long + `" loc="Sala de consiliu, etajul 1, Primăria Cluj-Napoca"`,
		`programeaza 26.11 08:45-09:30 "Audiențe cetățeni" loc="Sala 12" stare=provizoriu`,
		`programeaza 26.11 09:30-10:00 "Interviu Radio Cluj" loc="Studio"`,
		`programeaza 26.11 10:00-11:00 "Ședința de lucru cu direcțiile" pregateste=DT`,
		`programeaza 26.11 11:00-11:30 "Semnare contract de finanțare PNRR pentru linia de tramvai" loc="Sala de sticlă"`,
		`programeaza 26.11 11:30-12:00 "Consultare privată" vizibilitate=privat loc="Biroul primarului"`,
		`programeaza 26.11 13:30-14:30 "Vizită pe șantierul de pe strada Horea" loc="Str. Horea nr. 1-15, zona gării"`,
		`programeaza 26.11 14:30-15:00 "Delegație din orașul înfrățit" stare=provizoriu`,
		`programeaza 26.11 15:00-16:00 "Comisia de urbanism"`,
		`programeaza 26.11 16:00-16:30 "Apel cu ministerul"`,
		`programeaza 26.11 16:30-17:00 "Eveniment anulat la ultima oră"`,
	}
	for _, line := range events {
		w.must(line)
	}
	w.must("anuleaza 12")

	check := func(r Reply, maxLines int) {
		t.Helper()
		for _, l := range append([]string{r.Title}, r.Lines...) {
			if n := utf8.RuneCountInString(l); n > lineMax {
				t.Errorf("line of %d characters: %q", n, l)
			}
		}
		if len(r.Lines)+1 > maxLines {
			t.Errorf("%d lines, more than a phone screen (%d):\n%s", len(r.Lines)+1, maxLines, strings.Join(r.Lines, "\n"))
		}
		t.Logf("\n%s\n%s", r.Title, strings.Join(r.Lines, "\n"))
	}
	mayor := w.e.DayView(calendar.Date{Year: 2026, Month: 11, Day: 26}, Caller{Role: RoleMayor})
	check(mayor, 18)
	want := []string{
		"07:30–08:00 Revista presei",
		"08:00–08:45 Întâlnire cu reprezentanții… · Sala de consili…",
		"08:45–09:30 ? Audiențe cetățeni · Sala 12",
		"09:30–10:00 Interviu Radio Cluj · Studio",
		"10:00–11:00 Ședința de lucru cu direcțiile",
		"11:00–11:30 Semnare contract de finanțare… · Sala de sticlă",
		"11:30–12:00 Consultare privată · Biroul primarului",
		"— liber 12:00–13:30",
		"13:30–14:30 Vizită pe șantierul de pe str… · Str. Horea nr.…",
		"14:30–15:00 ? Delegație din orașul înfrățit",
		"15:00–16:00 Comisia de urbanism",
		"16:00–16:30 Apel cu ministerul",
		"16:30–17:00 ✗ Eveniment anulat la ultima oră",
		"— liber 16:30–18:00", // the last event is cancelled: the Mayor is free
		"? provizoriu · ✗ anulat",
		"3 termene azi, 2 restanțe",
	}
	if got := strings.Join(mayor.Lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("the Mayor's day:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if mayor.Title != "Agenda — joi 26.11.2026" {
		t.Errorf("title %q", mayor.Title)
	}
	// Staff see the numbers, a viewer sees the private event as busy.
	staff := w.must("agenda azi")
	check(staff, 18)
	contains(t, staff, "07:30–08:00 Revista presei #1", "16:30–17:00 ✗ Eveniment anulat la ultima oră #12")
	viewer := w.as(viewerID, "agenda azi")
	check(viewer, 18)
	contains(t, viewer, "11:30–12:00 Ocupat")
	if strings.Contains(flat(viewer), "Consultare") || strings.Contains(flat(viewer), "Biroul primarului") {
		t.Errorf("a viewer sees a private event: %s", flat(viewer))
	}
	contains(t, w.as(viewerID, "agenda tomorrow"), "no deadlines tomorrow, 5 overdue")
}

func TestDayViewGapsAndEmptyDays(t *testing.T) {
	w := agendaWorld(t)
	r := w.must("agenda 27.11")
	if r.Lines[0] != "Nicio activitate programată." {
		t.Errorf("empty day: %q", r.Lines)
	}
	w.must(`programeaza 27.11 10:00-11:00 "A"`)
	w.must(`programeaza 27.11 11:30-12:00 "B"`) // a 30-minute gap is not shown
	w.must(`programeaza 27.11 13:00-14:00 "C"`)
	w.must(`programeaza 27.11 13:30-17:30 "D"`) // overlapping: the gap runs from the latest end
	r = w.must("agenda 27.11")
	want := "— liber 08:00–10:00 | 10:00–11:00 A #1 | 11:30–12:00 B #2 | — liber 12:00–13:00 | 13:00–14:00 C #3 | 13:30–17:30 D #4 | niciun termen pe 27.11, nicio restanță"
	if got := strings.Join(r.Lines, " | "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// On a Sunday the working hours do not frame the day.
	w.must(`programeaza 29.11 12:00 "Duminică"`)
	if got := strings.Join(w.must("agenda 29.11").Lines, " | "); got != "12:00–13:00 Duminică #5 | niciun termen pe 29.11, nicio restanță" {
		t.Errorf("Sunday: %s", got)
	}
}

func TestPrivateEvents(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11 10:00 "Întâlnire confidențială" loc="Biroul primarului" vizibilitate=privat pregateste=DT`)
	for _, who := range []Identity{operatorID, anaID, dtID} {
		contains(t, w.as(who, "agenda maine"), "Întâlnire confidențială")
	}
	w.must("rol telegram:777 primar")
	contains(t, w.as(Identity{Platform: "telegram", ID: "777"}, "agenda maine"), "10:00–11:00 Întâlnire confidențială · Biroul primarului")
	for _, who := range []Identity{viewerID, dasID} {
		r := w.as(who, "agenda maine")
		contains(t, r, "10:00–11:00 Ocupat")
		if strings.Contains(flat(r), "confidențială") {
			t.Errorf("%s sees the private event: %s", who.Key(), flat(r))
		}
		r = w.as(who, "agenda #1")
		contains(t, r, "#1: ocupat", "joi 26.11.2026, 10:00–11:00")
		if strings.Contains(flat(r), "confidențială") || strings.Contains(flat(r), "Biroul") {
			t.Errorf("%s sees the private event's card: %s", who.Key(), flat(r))
		}
	}
}

func TestAgendaRoles(t *testing.T) {
	w := agendaWorld(t)
	for _, line := range []string{`programeaza 26.11 10:00 "A"`, "muta 1 11:00", "anuleaza 1", "modifica 1 stare=provizoriu", "agenda importa"} {
		for _, who := range []Identity{viewerID, dtID} {
			if r := w.as(who, line); r.Kind != Denied {
				t.Errorf("%s may run %q: %s", who.Key(), line, flat(r))
			}
		}
	}
	if r := w.as(anaID, `programeaza 26.11 10:00 "A"`); r.Kind != OK {
		t.Fatalf("the Cabinet cannot schedule: %s", flat(r))
	}
	for _, line := range []string{"agenda", "agenda saptamana", "agenda #1", "agenda exporta"} {
		if r := w.as(viewerID, line); r.Kind != OK {
			t.Errorf("a viewer cannot read %q: %s", line, flat(r))
		}
	}
}

// TestAgendaBadInputChangesNothing: every kind of bad input gets a specific
// one-line reason and an example, and leaves the database as it was.
func TestAgendaBadInputChangesNothing(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11.2026 10:00-11:00 "Single" pregateste=DT`)         // #1
	w.must(`programeaza 26.11.2026 09:00 "Weekly" repeta=saptamanal`)           // #2
	w.must(`programeaza 27.11.2026 09:00 "Cancelled"`)                          // #3
	w.must("anuleaza 3")                                                        //
	w.must(`programeaza 26.11.2026 14:00 "Monthly" repeta=lunar pregateste=DT`) // #4
	tests := []struct {
		line string
		want []string
	}{
		{"programeaza", []string{"Dați ziua, ora și titlul", "Exemplu: programeaza"}},
		{`programeaza 26.11.2026 "Fără oră"`, []string{"„Fără oră” nu este o oră"}},
		{`programeaza 31.02.2026 10:00 "X"`, []string{"Data „31.02.2026” nu există"}},
		{`programeaza cândva 10:00 "X"`, []string{"nu este o dată"}},
		{`programeaza 26.11.2026 25:00 "X"`, []string{"„25:00” nu este o oră"}},
		{`programeaza 26.11.2026 10:00-09:00 "X"`, []string{"Ora de sfârșit 09:00 nu este după ora de început 10:00"}},
		{`programeaza 26.11.2026 10:00`, []string{"Lipsește titlul"}},
		{`programeaza 28.03.2027 03:30 "X"`, []string{"03:30 nu există pe 28.03.2027"}},
		{`programeaza 26.11.2026 10:00 "X" culoare=rosu`, []string{"Cheie necunoscută „culoare”"}},
		{`programeaza 26.11.2026 10:00 "X" pregateste=ZZZ`, []string{"Departament necunoscut: „ZZZ”"}},
		{`programeaza 26.11.2026 10:00 "X" pregateste=BRP`, []string{"desființat"}},
		{`programeaza 26.11.2026 10:00 "X" repeta=zilnic`, []string{"Repetare necunoscută: „zilnic”"}},
		{`programeaza 26.11.2026 10:00 "X" pana=01.12.2026`, []string{"„pana” se folosește cu „repeta”"}},
		{`programeaza 26.11.2026 10:00 "X" repeta=lunar pana=01.11.2026`, []string{"se termină (01.11.2026) înainte de prima zi"}},
		{`programeaza 26.11.2026 10:00 "X" stare=anulat`, []string{"Un eveniment nou este confirmat sau provizoriu"}},
		{`programeaza 26.11.2026 10:00 "X" stare=poate`, []string{"Stare necunoscută: „poate”"}},
		{`programeaza 26.11.2026 10:00 "X" vizibilitate=secret`, []string{"Vizibilitate necunoscută"}},
		{`programeaza 26.11.2026 10:00 "X" loc="` + strings.Repeat("a", 201) + `"`, []string{"prea lung"}},
		{`schedule 26.11.2026 10:00`, []string{"The event's title is missing", "Example: schedule"}},
		{"muta", []string{"Lipsește numărul evenimentului"}},
		{"muta 99 11:00", []string{"Nu există evenimentul #99"}},
		{"muta unu 11:00", []string{"„unu” nu este un număr de eveniment"}},
		{"muta 1", []string{"Dați ziua nouă și/sau ora nouă"}},
		{"muta 1 10:00-11:00", []string{"Evenimentul este deja la joi 26.11.2026, 10:00–11:00"}},
		{"muta 1 repede", []string{"Nu înțeleg „repede”"}},
		{"muta 1 11:00-10:00", []string{"nu este după ora de început"}},
		{"muta 2 11:00", []string{"Evenimentul #2 se repetă: dați întâi ziua apariției", "muta 2 26.11.2026 11:00"}},
		{"muta 2", []string{"Evenimentul #2 se repetă"}},
		{"muta 2 27.11 10:00", []string{"Evenimentul #2 nu are loc pe 27.11.2026", "03.12.2026"}},
		{"muta 3 11:00", []string{"Evenimentul este anulat; reactivați-l întâi"}},
		{"muta 4 toate", []string{"Dați ziua nouă și/sau ora nouă"}},
		{"anuleaza 99", []string{"Nu există evenimentul #99"}},
		{"anuleaza 3", []string{"Evenimentul #3 este deja anulat"}},
		{"anuleaza 1 03.12", []string{"Evenimentul #1 nu se repetă"}},
		{"anuleaza 2", []string{"Evenimentul #2 se repetă: dați ziua apariției de anulat"}},
		{"anuleaza 2 27.11", []string{"nu are loc pe 27.11.2026"}},
		{"anuleaza 2 de la 26.11.2026", []string{"Seria #2 începe pe 26.11.2026"}},
		{"anuleaza 2 de 03.12", []string{"Scrieți „anuleaza 2 de la 01.01.2027”"}},
		{"modifica 1", []string{"Spuneți ce se schimbă"}},
		{"modifica 1 stare=confirmat", []string{"Nimic de schimbat"}},
		{`modifica 1 titlu=""`, []string{"Titlul nu poate fi gol"}},
		{"modifica 2 03.12 vizibilitate=privat", []string{"se schimbă pentru toată seria"}},
		{"modifica 1 03.12 loc=x", []string{"Evenimentul #1 nu se repetă"}},
		{"agenda cândva", []string{"nu este o dată"}},
		{"agenda 31.02", []string{"Data „31.02” nu există"}},
		{"agenda 01.01-31.12", []string{"arăt cel mult 62"}},
		{"agenda 30.11.2026-26.11.2026", []string{"se termină înainte să înceapă"}},
		{"agenda saptamana trecuta", []string{"Nu înțeleg perioada"}},
		{"agenda #99", []string{"Nu există evenimentul #99"}},
		{"agenda exporta ieri-azi", []string{"nu este o dată"}},
		{"agenda importa", []string{"Atașați un fișier iCalendar"}},
		{"agenda importa confirma", []string{"Nu aveți niciun import care să aștepte confirmarea"}},
		{"agenda importa renunta", []string{"Nu aveți niciun import"}},
		{"agenda importa ceva", []string{"Nu înțeleg „ceva”"}},
	}
	before := w.snapshot()
	for _, tt := range tests {
		r := w.as(operatorID, tt.line)
		if r.Kind != Invalid {
			t.Errorf("%q: kind %d: %s", tt.line, r.Kind, flat(r))
			continue
		}
		contains(t, r, tt.want...)
		if strings.Contains(r.Title, "\n") {
			t.Errorf("%q: a reason of more than one line: %q", tt.line, r.Title)
		}
	}
	w.unchanged(before, "bad agenda input")
	// Files that are not calendars, or calendars without events, change nothing either.
	for name, data := range map[string]string{
		"note.txt":  "nu este un calendar",
		"gol.ics":   "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
		"rupt.ics":  "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:fără început\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"altul.ics": "nu are nimic de calendar",
	} {
		r := w.e.Handle(t.Context(), Request{Who: operatorID, Text: "agenda importa", Files: []File{{Name: name, Data: []byte(data)}}})
		if r.Kind != Invalid {
			t.Errorf("%s: %s", name, flat(r))
		}
	}
	w.unchanged(before, "bad files")
}
