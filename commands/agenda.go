package commands

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The Mayor's work agenda: staff schedule, move, change and cancel events;
// everyone with a role reads it (private events show as "ocupat" to those who
// may not see them); preparing departments are told of every change.

func agendaCommands() []*Command {
	eventKeys := []Key{{"loc", "place"}, {"participanti", "participants"}, {"pregateste", "prepares"}, {"nota-pana", "brief-by"},
		{"stare", "status"}, {"vizibilitate", "visibility"}, {"note", "notes"}}
	return []*Command{
		{Name: "agenda", Aliases: []string{"agenda"}, Roles: everyone, Group: groupAgenda,
			Usage:     "[azi|maine|saptamana|luni..duminica|DD.MM[.YYYY]|DD.MM-DD.MM|#ID]",
			UsageEn:   "[today|tomorrow|week|monday..sunday|DD.MM[.YYYY]|DD.MM-DD.MM|#ID]",
			Summary:   "agenda primarului: ziua (cu timpii liberi și termenele zilei), săptămâna, o perioadă sau un eveniment",
			SummaryEn: "the Mayor's agenda: the day (with free time and the day's deadlines), the week, a period or one event",
			Examples:  []string{"agenda", "agenda maine", "agenda saptamana", "agenda 26.11-30.11", "agenda today", "agenda #12"},
			Run:       runAgenda},
		{Name: "programeaza", Aliases: []string{"schedule", "programează"}, Roles: staff, Group: groupAgenda,
			Usage:     `DD.MM.YYYY HH:MM[-HH:MM] "Titlu" [loc="..."] [participanti="..."] [pregateste=DEPARTAMENT] [nota-pana="DD.MM.YYYY HH:MM"] [repeta=saptamanal|lunar] [pana=DD.MM.YYYY] [stare=confirmat|provizoriu] [vizibilitate=public|privat] [note="..."]`,
			UsageEn:   `DD.MM.YYYY HH:MM[-HH:MM] "Title" [place="..."] [participants="..."] [prepares=DEPARTMENT] [brief-by="DD.MM.YYYY HH:MM"] [repeat=weekly|monthly] [until=DD.MM.YYYY] [status=confirmed|tentative] [visibility=public|private] [notes="..."]`,
			Summary:   "pune un eveniment în agendă (o dată, săptămânal sau lunar) și anunță departamentul care îl pregătește",
			SummaryEn: "puts an event in the agenda (once, weekly or monthly) and tells the department that prepares it",
			Examples: []string{`programeaza 26.11.2026 10:00-12:00 "Ședința consiliului local" loc="Sala de consiliu" pregateste=DT`,
				`programeaza joi 09:00-11:00 "Audiențe cetățeni" repeta=saptamanal loc="Sala 12"`,
				`schedule 27.11.2026 14:00 "Site visit: Horea street" place="Str. Horea" status=tentative`},
			Keys: append(append([]Key(nil), eventKeys...), Key{"repeta", "repeat"}, Key{"pana", "until"}),
			Run:  runSchedule},
		{Name: "muta", Aliases: []string{"move", "mută"}, Roles: staff, Group: groupAgenda,
			Usage:     "ID [ZI-APARIȚIE|toate] [DD.MM.YYYY] [HH:MM[-HH:MM]]",
			UsageEn:   "ID [OCCURRENCE-DAY|all] [DD.MM.YYYY] [HH:MM[-HH:MM]]",
			Summary:   "mută un eveniment, o singură apariție a unuia care se repetă (după ziua ei) sau toată seria",
			SummaryEn: "moves an event, one occurrence of a recurring one (named by its day) or the whole series",
			Examples:  []string{"muta 12 27.11.2026 11:00-12:00", "muta 7 03.12 04.12 10:00", "muta 7 toate 09:30", "move 12 15:00"},
			Run:       runMove},
		{Name: "anuleaza", Aliases: []string{"cancel", "anulează"}, Roles: staff, Group: groupAgenda,
			Usage:     `ID [ZI-APARIȚIE|toate|de la DD.MM.YYYY] [motiv="..."]`,
			UsageEn:   `ID [OCCURRENCE-DAY|all|from DD.MM.YYYY] [reason="..."]`,
			Summary:   "anulează un eveniment, o apariție a unuia care se repetă, toată seria, sau seria de la o zi încolo",
			SummaryEn: "cancels an event, one occurrence of a recurring one, the whole series, or the series from a day on",
			Examples:  []string{`anuleaza 12 motiv="primarul este în deplasare"`, "anuleaza 7 03.12", "anuleaza 7 de la 01.01.2027", "cancel 7 all"},
			Keys:      []Key{{"motiv", "reason"}}, Run: runCancel},
		{Name: "modifica", Aliases: []string{"edit", "modifică"}, Roles: staff, Group: groupAgenda,
			Usage:     `ID [ZI-APARIȚIE] [titlu="..."] [loc="..."] [participanti="..."] [pregateste=DEPARTAMENT] [nota-pana="DD.MM.YYYY HH:MM"] [stare=...] [vizibilitate=...] [note="..."]`,
			UsageEn:   `ID [OCCURRENCE-DAY] [title="..."] [place="..."] [participants="..."] [prepares=DEPARTMENT] [brief-by="DD.MM.YYYY HH:MM"] [status=...] [visibility=...] [notes="..."]`,
			Summary:   "schimbă titlul, locul, participanții, departamentul, starea, vizibilitatea sau notele unui eveniment",
			SummaryEn: "changes an event's title, place, participants, department, status, visibility or notes",
			Examples:  []string{"modifica 12 stare=confirmat", `modifica 7 03.12 loc="Sala mică"`, "edit 12 visibility=private"},
			Keys:      append([]Key{{"titlu", "title"}}, eventKeys...), Run: runEdit},
		{Name: "agenda exporta", Aliases: []string{"agenda export", "agenda exportă"}, Roles: everyone, Group: groupAgenda,
			Usage: "[PERIOADĂ]", UsageEn: "[PERIOD]",
			Summary:   "agenda (toată, sau o perioadă) ca fișier iCalendar (.ics) pentru Outlook sau Google Calendar",
			SummaryEn: "the agenda (whole, or a period) as an iCalendar file (.ics) for Outlook or Google Calendar",
			Examples:  []string{"agenda exporta", "agenda exporta saptamana", "agenda export 01.12-31.12"}, Run: runAgendaExport},
		{Name: "agenda importa", Aliases: []string{"agenda import", "agenda importă"}, Roles: staff, Group: groupAgenda,
			Usage: "[confirma|renunta] (cu un fișier .ics atașat)", UsageEn: "[confirm|discard] (with an .ics file attached)",
			Summary:   "aduce în agendă evenimentele unui fișier .ics (Outlook, Google Calendar); cele stricate se raportează, restul doar la confirmare",
			SummaryEn: "brings the events of an .ics file (Outlook, Google Calendar) into the agenda; broken ones are reported, the rest imported on confirmation",
			Examples:  []string{"agenda importa @agenda.ics", "agenda importa confirma", "agenda import"}, Run: runAgendaImport},
	}
}

// canSeePrivate reports whether a viewer may see a private event whole: the
// Cabinet, the Mayor, admins, and the department that prepares it. Everyone
// else sees "ocupat" (busy) and the time.
func canSeePrivate(v Caller, ev *storage.AgendaEvent) bool {
	switch v.Role {
	case RoleAdmin, RoleCabinet, RoleMayor:
		return true
	case RoleDept:
		return v.Dept != "" && v.Dept == ev.Dept
	}
	return false
}

func runSchedule(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați ziua, ora și titlul evenimentului.", "Give the event's day, time and title.")
	}
	day, err := c.scheduleDate(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	start, end, err := c.eventTimes(day, c.Args[1], 0)
	if err != nil {
		return Reply{}, err
	}
	title := strings.TrimSpace(strings.Join(c.Args[2:], " "))
	if title == "" {
		return Reply{}, c.Fail("Lipsește titlul evenimentului (între ghilimele când are spații).", "The event's title is missing (quoted when it has spaces).")
	}
	if err := c.checkLength(title, 200, "titlul", "the title"); err != nil {
		return Reply{}, err
	}
	now := c.e.Now()
	ev := storage.AgendaEvent{Start: start, End: end, Title: title, Status: storage.AgendaConfirmed, Created: now, CreatedBy: c.Caller.Key()}
	if _, err := c.applyEventKeys(&ev, nil); err != nil {
		return Reply{}, err
	}
	if ev.Status == storage.AgendaCancelled {
		return Reply{}, c.Fail("Un eveniment nou este confirmat sau provizoriu, nu anulat.", "A new event is confirmed or tentative, not cancelled.")
	}
	var notes []string
	if v, ok := c.Key("repeta"); ok {
		rule, ok := choice(agendaRepeatWords, v)
		if !ok {
			return Reply{}, c.Fail("Repetare necunoscută: „%s”; se poate: saptamanal, lunar.", "Unknown repetition: “%s”; it can be: weekly, monthly.", v)
		}
		ev.Rule = rule
		if rule == "FREQ=MONTHLY" && day.Day > 28 {
			notes = append(notes, c.T("În lunile fără ziua %d evenimentul nu are loc (regula iCalendar).",
				"In months without a day %d the event does not take place (the iCalendar rule).", day.Day))
		}
	}
	if v, ok := c.Key("pana"); ok {
		if ev.Rule == "" {
			return Reply{}, c.Fail("„pana” se folosește cu „repeta”.", "“until” goes with “repeat”.")
		}
		until, err := c.date(v)
		if err != nil {
			return Reply{}, err
		}
		if until.Before(day) {
			return Reply{}, c.Fail("Repetarea se termină (%s) înainte de prima zi (%s).", "The repetition ends (%s) before the first day (%s).", until, day)
		}
		ev.Rule += ";UNTIL=" + untilValue(until)
	}
	m := c.owe(func(made storage.Made) []Notice {
		saved := made.Events[0]
		if saved.Dept == "" {
			return nil
		}
		return []Notice{deptNotice(saved.Dept, Romanian.pick("De pregătit: %s", "", saved.Title), &saved, firstOccurrence(&saved), "")}
	})
	saved, _, err := c.e.store.AddAgendaEvent(c.Ctx, ev, m)
	if err != nil {
		return Reply{}, err
	}
	o := firstOccurrence(&saved)
	r := c.eventCard(c.T("Programat #%d: %s", "Scheduled #%d: %s", saved.ID, saved.Title), &saved, o)
	if !end.After(now) {
		r.Lines = append(r.Lines, c.T("⚠ Data este în trecut.", "⚠ The date is in the past."))
	}
	r.Lines = append(r.Lines, notes...)
	if err := c.warnOverlaps(&r, &saved, nil); err != nil {
		return Reply{}, err
	}
	return r, nil
}

// untilValue writes the last day of a repetition as an iCalendar UNTIL: the
// last second of that day in Bucharest, in UTC.
func untilValue(d calendar.Date) string {
	return d.AddDays(1).Start().Add(-time.Second).UTC().Format("20060102T150405Z")
}

// eventTimes reads HH:MM[-HH:MM] on day; without an end the event lasts
// length (an hour when length is 0).
func (c *Call) eventTimes(day calendar.Date, clock string, length time.Duration) (time.Time, time.Time, error) {
	from, to, hasEnd, ok := clockRange(clock)
	if !ok {
		return time.Time{}, time.Time{}, c.Fail("„%s” nu este o oră; scrieți 10:00 sau 10:00-11:30.", "“%s” is not a time; write 10:00 or 10:00-11:30.", clock)
	}
	start, ok := wallInstant(day, from)
	if !ok {
		return time.Time{}, time.Time{}, c.Fail("Ora %s nu există pe %s: ceasul trece atunci de la 03:00 la 04:00.",
			"%s does not exist on %s: the clocks go from 03:00 to 04:00.", hhmm(from), day)
	}
	if !hasEnd {
		if length <= 0 {
			length = time.Hour
		}
		return start, wallAdd(start, length, calendar.Bucharest), nil
	}
	if to <= from {
		return time.Time{}, time.Time{}, c.Fail("Ora de sfârșit %s nu este după ora de început %s.", "The end %s is not after the start %s.", hhmm(to), hhmm(from))
	}
	end, ok := wallInstant(day, to)
	if !ok {
		return time.Time{}, time.Time{}, c.Fail("Ora %s nu există pe %s: ceasul trece atunci de la 03:00 la 04:00.",
			"%s does not exist on %s: the clocks go from 03:00 to 04:00.", hhmm(to), day)
	}
	return start, end, nil
}

func hhmm(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

func (c *Call) checkLength(s string, n int, ro, en string) error {
	if len([]rune(s)) > n {
		return c.Fail("Textul pentru %s e prea lung (cel mult %d de caractere).", "The text for %s is too long (at most %d characters).", c.T(ro, en), n)
	}
	return nil
}

// applyEventKeys sets the fields given as key=value on ev (or, with x, on one
// occurrence's exception) and returns what changed, for messages.
func (c *Call) applyEventKeys(ev *storage.AgendaEvent, x *storage.AgendaException) ([]string, error) {
	var changed []string
	setText := func(key, ro, en string, max int, series, occ *string) error {
		v, ok := c.Key(key)
		if !ok {
			return nil
		}
		v = strings.TrimSpace(v)
		if err := c.checkLength(v, max, ro, en); err != nil {
			return err
		}
		dst := series
		if x != nil {
			dst = occ
		}
		if *dst != v {
			*dst = v
			changed = append(changed, c.T(ro, en))
		}
		return nil
	}
	if err := setText("titlu", "titlul", "the title", 200, &ev.Title, xField(x, func(x *storage.AgendaException) *string { return &x.Title })); err != nil {
		return nil, err
	}
	if v, ok := c.Key("titlu"); ok && strings.TrimSpace(v) == "" {
		return nil, c.Fail("Titlul nu poate fi gol.", "The title cannot be empty.")
	}
	if err := setText("loc", "locul", "the place", 200, &ev.Place, xField(x, func(x *storage.AgendaException) *string { return &x.Place })); err != nil {
		return nil, err
	}
	if err := setText("participanti", "participanții", "the participants", 500, &ev.Participants, xField(x, func(x *storage.AgendaException) *string { return &x.Participants })); err != nil {
		return nil, err
	}
	if err := setText("note", "notele", "the notes", 2000, &ev.Notes, xField(x, func(x *storage.AgendaException) *string { return &x.Notes })); err != nil {
		return nil, err
	}
	if v, ok := c.Key("stare"); ok {
		st, ok := choice(agendaStatusWords, v)
		if !ok {
			return nil, c.Fail("Stare necunoscută: „%s”; se poate: confirmat, provizoriu, anulat.",
				"Unknown status: “%s”; it can be: confirmed, tentative, cancelled.", v)
		}
		dst := &ev.Status
		if x != nil {
			dst = &x.Status
			if st == ev.Status {
				st = "" // back to the series' status
			}
		}
		if *dst != st {
			*dst = st
			changed = append(changed, c.T("starea", "the status"))
		}
	}
	for _, k := range []string{"pregateste", "vizibilitate", "nota-pana"} {
		if _, ok := c.Key(k); ok && x != nil {
			return nil, c.Fail("„%s” se schimbă pentru toată seria, nu pentru o apariție: „modifica %d %s=...”.",
				"“%s” applies to the whole series, not one occurrence: “edit %d %s=...”.", k, ev.ID, k)
		}
	}
	if v, ok := c.Key("pregateste"); ok {
		code := ""
		if f := text.Fold(strings.TrimSpace(v)); f != "" && f != "nimeni" && f != "none" && f != "-" {
			d, err := c.openDepartment(v)
			if err != nil {
				return nil, err
			}
			code = d.Code
		}
		if ev.Dept != code {
			ev.Dept = code
			changed = append(changed, c.T("departamentul care pregătește", "the preparing department"))
		}
	}
	if v, ok := c.Key("nota-pana"); ok {
		if ev.Recurring() {
			return nil, c.Fail("„nota-pana” se dă doar evenimentelor care nu se repetă; la cele care se repetă nota e datorată în ziua lucrătoare dinainte, la 14:00.",
				"“brief-by” is for events that do not repeat; for recurring ones the note is due the working day before, at 14:00.")
		}
		due, err := c.briefDueArg(v)
		if err != nil {
			return nil, err
		}
		if !ev.BriefDue.Equal(due) {
			ev.BriefDue = due
			changed = append(changed, c.T("termenul notei de informare", "the briefing note's due time"))
		}
	}
	if v, ok := c.Key("vizibilitate"); ok {
		vis, ok := choice(agendaVisibilityWords, v)
		if !ok {
			return nil, c.Fail("Vizibilitate necunoscută: „%s”; se poate: public, privat.", "Unknown visibility: “%s”; it can be: public, private.", v)
		}
		if ev.Private != (vis == "privat") {
			ev.Private = vis == "privat"
			changed = append(changed, c.T("vizibilitatea", "the visibility"))
		}
	}
	return changed, nil
}

// xField points at a field of an occurrence's exception, or at a scratch
// string when there is none.
func xField(x *storage.AgendaException, f func(*storage.AgendaException) *string) *string {
	if x == nil {
		return new(string)
	}
	return f(x)
}

// firstOccurrence is an event's first occurrence (itself when single).
func firstOccurrence(ev *storage.AgendaEvent) *occurrence {
	occ, err := occurrences(ev, ev.Start.Add(-time.Second), ev.End.Add(time.Second))
	for _, o := range occ {
		if err == nil && o.Orig.Equal(ev.Start) {
			return &o
		}
	}
	return &occurrence{Ev: ev, Title: ev.Title, Place: ev.Place, People: ev.Participants, Notes: ev.Notes,
		Status: ev.Status, Orig: ev.Start, Start: ev.Start, End: ev.End}
}

// warnOverlaps adds a line for each other event the saved event (or, with
// only, those occurrences) overlaps: the event is saved all the same.
func (c *Call) warnOverlaps(r *Reply, ev *storage.AgendaEvent, only []occurrence) error {
	occ := only
	if occ == nil {
		var err error
		if occ, err = upcoming(ev, c.e.Now()); err != nil {
			return err
		}
	}
	found, err := c.e.conflicts(occ)
	if err != nil {
		return err
	}
	const shown = 3
	for i, pair := range found {
		if i == shown {
			r.Lines = append(r.Lines, "⚠ … "+c.more(len(found)-shown, "suprapunere", "suprapuneri", "overlap"))
			break
		}
		o, x := pair[0], pair[1]
		name := c.visibleTitle(x)
		when := c.span(x, calendar.Date{})
		if ev.Recurring() || calendar.DateOf(o.Start) != calendar.DateOf(x.Start) {
			when = calendar.DateOf(x.Start).String() + " " + c.span(x, calendar.DateOf(x.Start))
		}
		r.Lines = append(r.Lines, c.T("⚠ Se suprapune cu #%d „%s” (%s).", "⚠ It overlaps #%d “%s” (%s).", x.Ev.ID, name, when))
	}
	return nil
}

// deptNotice is the message for the department that prepares an event.
func deptNotice(dept, title string, ev *storage.AgendaEvent, o *occurrence, extra string) Notice {
	c := &Call{Lang: Romanian}
	r := Reply{Title: title, Fields: []Field{{"Când", c.when(*o)}}}
	if o.Place != "" {
		r.Fields = append(r.Fields, Field{"Loc", o.Place})
	}
	if o.People != "" {
		r.Fields = append(r.Fields, Field{"Participanți", o.People})
	}
	r.Fields = append(r.Fields, Field{"Eveniment", fmt.Sprintf("#%d", ev.ID)})
	if extra != "" {
		r.Lines = append(r.Lines, extra)
	}
	if !o.cancelled() {
		r.Lines = append(r.Lines, "Vă rugăm să pregătiți documentarea (nota de informare) pentru primar.")
	}
	r.Event = ev.ID
	return Notice{To: Recipient{Kind: ToDepartment, ID: dept}, Reply: r}
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, ",")
	return w
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// changedRo is the list of changes for a notice: the notice is Romanian
// whatever the language of the one who made the change.
func changedRo(changed []string) string {
	en := map[string]string{"the title": "titlul", "the place": "locul", "the participants": "participanții", "the notes": "notele",
		"the status": "starea", "the preparing department": "departamentul care pregătește", "the visibility": "vizibilitatea"}
	out := make([]string, len(changed))
	for i, s := range changed {
		if ro, ok := en[s]; ok {
			s = ro
		}
		out[i] = s
	}
	return strings.Join(out, ", ")
}

func isNotFound(err error) bool { return errors.Is(err, storage.ErrNotFound) }
