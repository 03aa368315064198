package commands

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// importFile runs "agenda importa" with a file attached, as an adapter does
// with an upload.
func (w *world) importFile(who Identity, line, name, data string) Reply {
	w.t.Helper()
	return w.e.Handle(w.t.Context(), Request{Who: who, Text: line, Files: []File{{Name: name, MIME: "text/calendar", Data: []byte(data)}}})
}

func ics(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// exportFile runs "agenda exporta" and returns the file.
func (w *world) exportFile(who Identity, line string) string {
	w.t.Helper()
	r := w.as(who, line)
	if r.Kind != OK || len(r.Files) != 1 {
		w.t.Fatalf("%s: %s (%d files)", line, flat(r), len(r.Files))
	}
	if r.Files[0].MIME != "text/calendar; charset=utf-8" || !strings.HasSuffix(r.Files[0].Name, ".ics") {
		w.t.Errorf("file %s, %s", r.Files[0].Name, r.Files[0].MIME)
	}
	return string(r.Files[0].Data)
}

// foreign is a file as Google Calendar writes it: an all-day event, UTC
// times, attendees, an unescaped comma, a series in New York time with
// COUNT, and one with EXDATE and RDATE.
var foreign = ics(
	"BEGIN:VCALENDAR",
	"PRODID:-//Google Inc//Google Calendar 70.9054//EN",
	"VERSION:2.0",
	"CALSCALE:GREGORIAN",
	"METHOD:PUBLISH",
	"X-WR-TIMEZONE:Europe/Bucharest",
	"BEGIN:VEVENT",
	"DTSTART;VALUE=DATE:20261201",
	"DTEND;VALUE=DATE:20261202",
	"SUMMARY:Ziua Națională",
	"UID:national@google.com",
	"DTSTAMP:20261101T080000Z",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"DTSTART:20261202T080000Z",
	"DTEND:20261202T090000Z",
	"SUMMARY:Întâlnire cu ambasadorul, la Primărie",
	"LOCATION:Sala de sticlă\\, Primăria",
	"DESCRIPTION:Rânduri\\ndouă",
	"ATTENDEE;CN=Ion Pop;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ion.pop@exa",
	" mple.com",
	"ATTENDEE;CUTYPE=INDIVIDUAL:mailto:ana@example.com",
	"ORGANIZER;CN=Cabinet:mailto:cabinet@example.com",
	"STATUS:CONFIRMED",
	"UID:ambassador@google.com",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"DTSTART;TZID=America/New_York:20260302T090000",
	"DTEND;TZID=America/New_York:20260302T093000",
	"RRULE:FREQ=WEEKLY;COUNT=6",
	"SUMMARY:Apel cu orașul înfrățit",
	"UID:twin@google.com",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"DTSTART;TZID=Europe/Bucharest:20261207T120000",
	"DTEND;TZID=Europe/Bucharest:20261207T130000",
	"RRULE:FREQ=DAILY;UNTIL=20261211T100000Z",
	"EXDATE;TZID=Europe/Bucharest:20261208T120000,20261209T120000",
	"RDATE;TZID=Europe/Bucharest:20261219T120000",
	"SUMMARY:Zilnic cu excepții",
	"CLASS:CONFIDENTIAL",
	"UID:daily@google.com",
	"END:VEVENT",
	"BEGIN:VTODO",
	"SUMMARY:Nu e eveniment",
	"END:VTODO",
	"END:VCALENDAR",
)

func TestImportGoogleCalendarFile(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(`programeaza 02.12.2026 10:30 "Ședința de lucru"`) // #1
	r := w.importFile(operatorID, "agenda importa", "primar.ics", foreign)
	contains(t, r, "Importat din primar.ics: 4 evenimente (4 noi, 0 actualizate).",
		"⚠ #3 „Întâlnire cu ambasadorul, la Primărie” (02.12.2026 10:00–11:00) se suprapune cu #1 „Ședința de lucru” (10:30–11:30).")
	if strings.Count(flat(r), "⚠") != 1 {
		t.Errorf("an overlap named twice: %s", flat(r))
	}
	w.must("anuleaza 1")
	contains(t, w.must("agenda 01.12.2026"), "toată ziua Ziua Națională #2")
	contains(t, w.must("agenda 02.12.2026"), "10:00–11:00 Întâlnire cu ambasadorul,… · Sala de sticlă… #3")
	card := w.must("agenda #3")
	contains(t, card, "Loc: Sala de sticlă, Primăria", "Participanți: Ion Pop <ion.pop@example.com>, ana@example.com", "Note: Rânduri\ndouă")
	// New York's 09:00 is 16:00 here, 15:00 while America has changed its
	// clocks and Europe not yet, and 16:00 again after 29.03.
	for day, want := range map[string]string{"02.03.2026": "16:00–16:30", "09.03.2026": "15:00–15:30", "23.03.2026": "15:00–15:30",
		"30.03.2026": "16:00–16:30", "06.04.2026": "16:00–16:30"} {
		contains(t, w.must("agenda "+day), want+" Apel cu orașul înfrățit")
	}
	if r := w.must("agenda 13.04.2026"); strings.Contains(flat(r), "Apel") {
		t.Errorf("COUNT=6 gave a seventh: %s", flat(r))
	}
	daily := map[string]bool{"07.12": true, "08.12": false, "09.12": false, "10.12": true, "11.12": true, "12.12": false, "19.12": true}
	for day, on := range daily {
		if got := strings.Contains(flat(w.must("agenda "+day+".2026")), "Zilnic cu excepții"); got != on {
			t.Errorf("%s: daily event %v, want %v", day, got, on)
		}
	}
	contains(t, w.as(viewerID, "agenda 07.12.2026"), "12:00–13:00 Ocupat") // CLASS:CONFIDENTIAL is private
}

// outlook is a file as Outlook writes it: a Windows zone name, a VTIMEZONE
// from 1601, a weekly series on Thursdays with an excluded and a moved
// occurrence, and a second series in a zone Outlook calls "Customized".
var outlook = ics(
	"BEGIN:VCALENDAR",
	"PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
	"VERSION:2.0",
	"METHOD:PUBLISH",
	"X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
	"BEGIN:VTIMEZONE",
	"TZID:GTB Standard Time",
	"BEGIN:STANDARD",
	"DTSTART:16011028T040000",
	"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
	"TZOFFSETFROM:+0300",
	"TZOFFSETTO:+0200",
	"END:STANDARD",
	"BEGIN:DAYLIGHT",
	"DTSTART:16010325T030000",
	"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0300",
	"END:DAYLIGHT",
	"END:VTIMEZONE",
	"BEGIN:VTIMEZONE",
	"TZID:Customized Time Zone",
	"BEGIN:STANDARD",
	"DTSTART:16011028T040000",
	"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
	"TZOFFSETFROM:+0300",
	"TZOFFSETTO:+0200",
	"END:STANDARD",
	"BEGIN:DAYLIGHT",
	"DTSTART:16010325T030000",
	"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0300",
	"END:DAYLIGHT",
	"END:VTIMEZONE",
	"BEGIN:VEVENT",
	"CLASS:PUBLIC",
	"CREATED:20260301T080000Z",
	"DESCRIPTION:Ordinea de zi se trimite cu 3 zile înainte.\\n",
	"DTEND;TZID=\"GTB Standard Time\":20260326T120000",
	"DTSTAMP:20260301T080000Z",
	"DTSTART;TZID=\"GTB Standard Time\":20260326T100000",
	"EXDATE;TZID=\"GTB Standard Time\":20260409T100000",
	"LOCATION:Sala de consiliu",
	"PRIORITY:5",
	"RRULE:FREQ=WEEKLY;UNTIL=20260430T070000Z;INTERVAL=1;BYDAY=TH;WKST=MO",
	"SEQUENCE:0",
	"SUMMARY;LANGUAGE=ro:Ședința de lucru",
	"TRANSP:OPAQUE",
	"UID:040000008200E00074C5B7101A82E00800000000B0B1DDF8F3AFDA01000000000000000010000000",
	"X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"DTEND;TZID=\"GTB Standard Time\":20260417T110000",
	"DTSTAMP:20260301T080000Z",
	"DTSTART;TZID=\"GTB Standard Time\":20260417T090000",
	"RECURRENCE-ID;TZID=\"GTB Standard Time\":20260416T100000",
	"SUMMARY;LANGUAGE=ro:Ședința de lucru (mutată)",
	"LOCATION:Sala de consiliu",
	"UID:040000008200E00074C5B7101A82E00800000000B0B1DDF8F3AFDA01000000000000000010000000",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"DTSTART;TZID=Customized Time Zone:20261027T083000",
	"DTEND;TZID=Customized Time Zone:20261027T090000",
	"SUMMARY:În fusul personalizat",
	"UID:custom-zone",
	"END:VEVENT",
	"END:VCALENDAR",
)

func TestImportOutlookFile(t *testing.T) {
	w := newWorld(t, at("01.03.2026", "10:00")).standard()
	contains(t, w.importFile(anaID, "agenda importa", "Calendar.ics", outlook), "2 evenimente (2 noi, 0 actualizate)")
	want := map[string]string{
		"26.03.2026": "10:00–12:00 Ședința de lucru · Sala de consiliu",
		"02.04.2026": "10:00–12:00 Ședința de lucru · Sala de consiliu",
		"16.04.2026": "",
		"17.04.2026": "09:00–11:00 Ședința de lucru (mutată) · Sala de consiliu",
		"23.04.2026": "10:00–12:00 Ședința de lucru",
		"30.04.2026": "10:00–12:00 Ședința de lucru",
		"27.10.2026": "08:30–09:00 În fusul personalizat",
	}
	for day, line := range want {
		r := w.must("agenda " + day)
		if line == "" {
			if strings.Contains(flat(r), "Ședința") {
				t.Errorf("%s: %s", day, flat(r))
			}
			continue
		}
		contains(t, r, line)
	}
	for _, day := range []string{"09.04.2026", "07.05.2026"} { // excluded; after UNTIL
		if r := w.must("agenda " + day); strings.Contains(flat(r), "Ședința") {
			t.Errorf("%s: %s", day, flat(r))
		}
	}
	ev, err := w.store.AgendaEvent(1)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Zone != "" || ev.Rule != "FREQ=WEEKLY;UNTIL=20260430T070000Z;INTERVAL=1;BYDAY=TH;WKST=MO" || ev.Notes != "Ordinea de zi se trimite cu 3 zile înainte." {
		t.Errorf("zone %q, rule %q, notes %q", ev.Zone, ev.Rule, ev.Notes)
	}
	if !ev.Created.Equal(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("created %s", ev.Created)
	}
	// A rule that names its days keeps them: the series' time may move, its day not.
	contains(t, w.as(operatorID, "muta 1 toate 27.03.2026"), "Regula seriei fixează zilele")
	contains(t, w.must("muta 1 toate 11:00-12:00"), "Mutată seria #1")
	contains(t, w.must("agenda 23.04.2026"), "11:00–12:00 Ședința de lucru")
	contains(t, w.must("agenda 17.04.2026"), "09:00–11:00 Ședința de lucru (mutată)")
}

// TestExportImportRoundTrip: everything iCalendar carries survives an export
// and an import into another agenda, and exporting there gives the same
// file; importing a file again updates instead of duplicating.
func TestExportImportRoundTrip(t *testing.T) {
	a := newWorld(t, at("25.11.2026", "10:00")).standard()
	contains(t, a.importFile(operatorID, "agenda importa", "google.ics", foreign), "4 noi") // #1–#4
	a.must(`programeaza 26.11.2026 10:00-11:30 "Ședința consiliului local; ordinea de zi, punctul 3" loc="Sala de consiliu, etaj 1" ` +
		`participanti="Ana Pop <ana.pop@primariaclujnapoca.ro>, Directorul DT; consilierii" pregateste=DT note="Documente: HCL 12/2026\ anexa" ` +
		`stare=provizoriu vizibilitate=privat`) // #5
	a.must(`programeaza 18.03.2027 10:00 "Ședința săptămânală" repeta=saptamanal pana=30.06.2027 loc="Sala mică" pregateste=DAS`) // #6, across 28.03.2027
	a.must("anuleaza 6 25.03.2027")
	a.must("muta 6 01.04.2027 02.04.2027 09:00-09:45")
	a.must(`modifica 6 08.04.2027 titlu="Ședința săptămânală extinsă" stare=provizoriu note="cu invitați"`)
	a.must(`programeaza 15.12.2026 12:00 "Consiliu lunar" repeta=lunar`) // #7
	a.must("anuleaza 7 de la 01.06.2027")
	a.must(`programeaza 27.11.2026 09:00 "Anulat"`) // #8
	a.must("anuleaza 8")

	file := a.exportFile(operatorID, "agenda exporta")
	for _, line := range strings.Split(file, "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets: %q", len(line), line)
		}
	}
	if !strings.HasSuffix(file, "END:VCALENDAR\r\n") || !strings.Contains(file, "BEGIN:VTIMEZONE\r\nTZID:Europe/Bucharest") ||
		!strings.Contains(file, "TZID:America/New_York") {
		t.Errorf("the file lacks its time zones:\n%s", file)
	}

	b := newWorld(t, at("25.11.2026", "10:00")).standard()
	contains(t, b.importFile(operatorID, "agenda importa", "agenda-primar.ics", file), "8 evenimente (8 noi, 0 actualizate)")
	evA, err := a.store.AgendaEvents()
	if err != nil {
		t.Fatal(err)
	}
	evB, err := b.store.AgendaEvents()
	if err != nil {
		t.Fatal(err)
	}
	if len(evA) != len(evB) {
		t.Fatalf("%d events became %d", len(evA), len(evB))
	}
	for i := range evA {
		sameEvent(t, evA[i], evB[i])
	}
	// Exported again, the file is the same (but for its stamps).
	stamps := regexp.MustCompile(`(?m)^(DTSTAMP|LAST-MODIFIED):.*\r\n`)
	again := b.exportFile(operatorID, "agenda exporta")
	if x, y := stamps.ReplaceAllString(file, ""), stamps.ReplaceAllString(again, ""); x != y {
		t.Errorf("the second export differs:\n%s\n----\n%s", x, y)
	}
	// The views agree, across the change of time of 28.03.2027.
	for _, day := range []string{"18.03.2027", "25.03.2027", "01.04.2027", "02.04.2027", "08.04.2027", "15.04.2027", "26.11.2026", "15.05.2027", "15.06.2027"} {
		if x, y := flat(a.must("agenda "+day)), flat(b.must("agenda "+day)); x != y {
			t.Errorf("%s:\n%s\n%s", day, x, y)
		}
	}
	contains(t, b.must("agenda 15.04.2027"), "10:00–11:00 Ședința săptămânală · Sala mică #6")

	// Importing a file again updates its events.
	before := len(evA)
	contains(t, a.importFile(operatorID, "agenda importa", "agenda-primar.ics", file), "8 evenimente (0 noi, 8 actualizate)")
	if evs, _ := a.store.AgendaEvents(); len(evs) != before {
		t.Errorf("re-importing made %d events of %d", len(evs), before)
	}
	// A range export holds the events of the range only, series whole.
	week := a.exportFile(operatorID, "agenda exporta 14.12-20.12")
	if got := strings.Count(week, "BEGIN:VEVENT"); got != 2 || !strings.Contains(week, "SUMMARY:Zilnic cu excepții") || !strings.Contains(week, "RRULE:FREQ=MONTHLY") {
		t.Errorf("range export with %d events:\n%s", got, week)
	}
}

// sameEvent compares what iCalendar carries of two events.
func sameEvent(t *testing.T, a, b storage.AgendaEvent) {
	t.Helper()
	eq := func(what string, x, y any) {
		t.Helper()
		if x != y {
			t.Errorf("#%d %s: %v ≠ %v", a.ID, what, x, y)
		}
	}
	eq("UID", a.UID, b.UID)
	eq("start", a.Start.Unix(), b.Start.Unix())
	eq("end", a.End.Unix(), b.End.Unix())
	eq("all day", a.AllDay, b.AllDay)
	eq("zone", a.Zone, b.Zone)
	eq("title", a.Title, b.Title)
	eq("place", a.Place, b.Place)
	eq("participants", a.Participants, b.Participants)
	eq("department", a.Dept, b.Dept)
	eq("notes", a.Notes, b.Notes)
	eq("status", a.Status, b.Status)
	eq("private", a.Private, b.Private)
	eq("rule", a.Rule, b.Rule)
	eq("created", a.Created.Unix(), b.Created.Unix())
	if !slices.EqualFunc(a.RDates, b.RDates, time.Time.Equal) {
		t.Errorf("#%d RDATE: %v ≠ %v", a.ID, a.RDates, b.RDates)
	}
	if len(a.Exceptions) != len(b.Exceptions) {
		t.Errorf("#%d exceptions: %v ≠ %v", a.ID, a.Exceptions, b.Exceptions)
	}
	for k, x := range a.Exceptions {
		y, ok := b.Exceptions[k]
		if !ok || x.Removed != y.Removed || !x.Start.Equal(y.Start) || !x.End.Equal(y.End) || x.Title != y.Title || x.Place != y.Place ||
			x.Participants != y.Participants || x.Notes != y.Notes || x.Status != y.Status {
			t.Errorf("#%d exception %s: %+v ≠ %+v", a.ID, k, x, y)
		}
	}
}

// broken is a file with three good events and every kind of broken one.
var broken = ics(
	"BEGIN:VCALENDAR",
	"VERSION:2.0",
	"BEGIN:VEVENT",
	"UID:good-1",
	"DTSTART;TZID=Europe/Bucharest:20261201T100000",
	"DTEND;TZID=Europe/Bucharest:20261201T110000",
	"SUMMARY:Bun unu",
	"X-CABINET-DEPARTMENT:DT",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:no-start",
	"SUMMARY:Fără început",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:mars",
	"DTSTART;TZID=Mars/Olympus_Mons:20261201T100000",
	"SUMMARY:Pe Marte",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:bad-rule",
	"DTSTART:20261201T100000",
	"RRULE:FREQ=SOMETIMES",
	"SUMMARY:Regulă stricată",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:good-2",
	"DTSTART:20261202T100000",
	"DURATION:PT45M",
	"SUMMARY:Bun doi",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:no-colon",
	"DTSTART;TZID=Europe/Bucharest20261201T100000",
	"SUMMARY:Rând stricat",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:backwards",
	"DTSTART:20261203T100000",
	"DTEND:20261203T090000",
	"SUMMARY:Invers",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:orphan",
	"RECURRENCE-ID:20261204T100000",
	"DTSTART:20261204T110000",
	"SUMMARY:Apariție fără serie",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:good-3",
	"DTSTART;VALUE=DATE:20261205",
	"SUMMARY:Bun trei",
	"X-CABINET-DEPARTMENT:ZZZ",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:never-again",
	"DTSTART:20261207T100000",
	"RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
	"SUMMARY:Niciodată din nou",
	"END:VEVENT",
	"BEGIN:VEVENT",
	"UID:never-closed",
	"DTSTART:20261206T100000",
	"SUMMARY:Neînchis",
	"END:VCALENDAR",
)

func TestImportWithBrokenEventsWaitsForConfirmation(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	before := w.snapshot()
	r := w.importFile(anaID, "agenda importa", "rupt.ics", broken)
	contains(t, r, "rupt.ics: evenimente stricate: 7 din 11; nu am importat încă nimic.",
		"rândul 10 „Fără început”: lipsește DTSTART",
		"rândul 14 „Pe Marte”: fusul orar „Mars/Olympus_Mons” nu este cunoscut",
		"rândul 19 „Regulă stricată”: regulă de repetare greșită „FREQ=SOMETIMES”",
		"rândul 31: un rând de neînțeles",
		"rândul 36 „Invers”: se termină înainte să înceapă",
		"rândul 42 „Apariție fără serie”: apariție schimbată (RECURRENCE-ID) a unei serii care nu este",
		"rândul 60: VEVENT neînchis",
		"Import restul (4 evenimente)? „agenda importa confirma” (în 30 de minute) sau „agenda importa renunta”.")
	if len(r.Actions) != 2 || r.Actions[0].Command != "agenda importa confirma" || r.Actions[1].Command != "agenda importa renunta" {
		t.Errorf("actions: %+v", r.Actions)
	}
	// Nothing of the agenda changed: only the import waiting for Ana.
	after := w.snapshot()
	for k := range after {
		if _, ok := before[k]; !ok && k != "ag/p/slack:UANA" {
			t.Errorf("a broken file wrote %q", k)
		}
	}
	// Someone else cannot confirm Ana's import.
	contains(t, w.as(operatorID, "agenda importa confirma"), "Nu aveți niciun import")
	r = w.as(anaID, "agenda importa confirma")
	contains(t, r, "Importat din rupt.ics: 4 evenimente (4 noi, 0 actualizate).", "Stricate, neimportate: 7 evenimente.",
		"departamentul ZZZ nu există aici", "regula FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 nu dă nicio altă apariție")
	if len(r.Notices) != 1 || r.Notices[0].To.ID != "DT" {
		t.Errorf("notices: %+v", r.Notices)
	}
	contains(t, r.Notices[0].Reply, "importate, de pregătit de dumneavoastră: 1 eveniment", "Bun unu")
	contains(t, w.must("agenda 02.12.2026"), "10:00–10:45 Bun doi")
	contains(t, w.as(anaID, "agenda importa confirma"), "Nu aveți niciun import")

	// Discarding leaves the agenda as it was.
	w.importFile(anaID, "agenda importa", "rupt.ics", broken)
	contains(t, w.as(anaID, "agenda importa renunta"), "Am renunțat la import")
	contains(t, w.as(anaID, "agenda importa confirma"), "Nu aveți niciun import")
	if evs, _ := w.store.AgendaEvents(); len(evs) != 4 {
		t.Errorf("%d events", len(evs))
	}
	// In English, and a file where nothing is good.
	r = w.importFile(anaID, "agenda import", "bad.ics", ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:x", "END:VEVENT", "END:VCALENDAR"))
	contains(t, r, "No event of bad.ics can be imported; nothing was changed.", "line 2 “x”: DTSTART (the start) is missing")
}

func TestExportHidesPrivateEventsFromThoseWhoMayNotSeeThem(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11 10:00 "Întâlnire confidențială" loc="Biroul primarului" note="secret" pregateste=DT vizibilitate=privat`)
	w.must(`programeaza 26.11 12:00 "Public" loc="Piața Unirii"`)
	viewer := w.exportFile(viewerID, "agenda exporta saptamana")
	if strings.Contains(viewer, "confidențială") || strings.Contains(viewer, "Biroul") || strings.Contains(viewer, "secret") ||
		!strings.Contains(viewer, "SUMMARY:Ocupat") || !strings.Contains(viewer, "CLASS:PRIVATE") || !strings.Contains(viewer, "LOCATION:Piața Unirii") {
		t.Errorf("the viewer's export:\n%s", viewer)
	}
	for _, who := range []Identity{operatorID, dtID} {
		if f := w.exportFile(who, "agenda exporta"); !strings.Contains(f, "Întâlnire confidențială") {
			t.Errorf("%s does not see the private event:\n%s", who.Key(), f)
		}
	}
	contains(t, w.as(viewerID, "agenda exporta 01.01.2027-05.01.2027"), "Nimic de exportat")
}

func TestDayViewForTheScheduler(t *testing.T) {
	w := agendaWorld(t)
	w.must(`programeaza 26.11 10:00 "Ședința" loc="Sala de consiliu"`)
	r := w.e.DayView(calendar.Date{Year: 2026, Month: 11, Day: 26}, Caller{Role: RoleMayor})
	if r.Kind != OK || r.Title != "Agenda — joi 26.11.2026" {
		t.Fatalf("%s", flat(r))
	}
	contains(t, r, "10:00–11:00 Ședința · Sala de consiliu", "— liber 11:00–18:00", "niciun termen mâine, nicio restanță")
	if strings.Contains(flat(r), "#1") {
		t.Errorf("the Mayor gets event numbers: %s", flat(r))
	}
}

// TestSeveralOccurrencesADayAreNamedByTheirTime: a series imported with
// two occurrences a day; one is named by its day and time.
func TestSeveralOccurrencesADayAreNamedByTheirTime(t *testing.T) {
	w := agendaWorld(t)
	w.importFile(operatorID, "agenda importa", "twice.ics", ics("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:twice",
		"DTSTART;TZID=Europe/Bucharest:20261207T090000", "DURATION:PT30M", "RRULE:FREQ=DAILY;BYHOUR=9,14;COUNT=6",
		"SUMMARY:Raport", "END:VEVENT", "END:VCALENDAR"))
	contains(t, w.as(operatorID, "anuleaza 1 08.12"), "are loc de mai multe ori pe 08.12.2026; adăugați ora (09:00)")
	w.must("anuleaza 1 08.12 14:00")
	w.must("muta 1 08.12 09:00 10:00")
	contains(t, w.must("agenda 08.12"), "10:00–10:30 Raport #1", "14:00–14:30 ✗ Raport #1")
	contains(t, w.must("agenda 07.12"), "09:00–09:30 Raport #1", "14:00–14:30 Raport #1")
}
