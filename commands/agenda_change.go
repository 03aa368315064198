package commands

import (
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Changing the agenda: moving, cancelling and editing events, whole or one
// occurrence of a series; the preparing department is told each time.

func runMove(c *Call) (Reply, error) {
	ev, err := c.agendaEvent(0)
	if err != nil {
		return Reply{}, err
	}
	rest := c.Args[1:]
	if ev.Recurring() {
		if len(rest) == 0 {
			return Reply{}, c.Fail("Evenimentul #%d se repetă: dați ziua apariției de mutat (următoarele: %s) sau „toate”.",
				"Event #%d repeats: give the day of the occurrence to move (next: %s) or “all”.", ev.ID, nextDates(&ev, c.e.Now(), 3))
		}
		if seriesWords[text.Fold(rest[0])] {
			return c.moveSeries(ev, rest[1:])
		}
		if !c.isDateArg(rest[0]) {
			return Reply{}, c.Fail("Evenimentul #%d se repetă: dați întâi ziua apariției de mutat (următoarele: %s) sau „toate”: muta %d %s %s.",
				"Event #%d repeats: give first the day of the occurrence to move (next: %s) or “all”: move %d %s %s.",
				ev.ID, nextDates(&ev, c.e.Now(), 3), ev.ID, firstWord(nextDates(&ev, c.e.Now(), 1)), strings.Join(rest, " "))
		}
	}
	var o occurrence
	if ev.Recurring() {
		o, err = c.occurrenceAt(&ev, rest[0], "")
		if err != nil && len(rest) > 2 && isClockArg(rest[1]) {
			// Several occurrences that day: the time after the day names one.
			if named, err2 := c.occurrenceAt(&ev, rest[0], rest[1]); err2 == nil {
				o, err, rest = named, nil, rest[1:]
			}
		}
		if err != nil {
			return Reply{}, err
		}
		rest = rest[1:]
	} else {
		o = *firstOccurrence(&ev)
	}
	if o.cancelled() {
		return Reply{}, c.Fail("Evenimentul este anulat; reactivați-l întâi: „modifica %d stare=confirmat”.",
			"The event is cancelled; reinstate it first: “edit %d status=confirmed”.", ev.ID)
	}
	start, end, err := c.newTimes(&ev, o, rest)
	if err != nil {
		return Reply{}, err
	}
	if start.Equal(o.Start) && end.Equal(o.End) {
		return Reply{}, c.Fail("Evenimentul este deja la %s.", "The event is already at %s.", c.when(o))
	}
	moved := o
	moved.Start, moved.End, moved.Moved = start, end, true
	note := c.when(o) + " → " + c.when(moved)
	m := c.owe(func(made storage.Made) []Notice {
		after := made.Events[1]
		if after.Dept == "" {
			return nil
		}
		shown := moved
		shown.Ev = &after
		return []Notice{deptNotice(after.Dept, Romanian.pick("S-a mutat: %s", "", o.Title), &after, &shown,
			"Înainte: "+(&Call{Lang: Romanian}).when(o))}
	})
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "move", note, m, func(x *storage.AgendaEvent) error {
		if !x.Recurring() {
			x.Start, x.End = start, end
			return nil
		}
		if x.Exceptions == nil {
			x.Exceptions = map[string]storage.AgendaException{}
		}
		ex := x.Exceptions[o.Key]
		ex.Start, ex.End = start, end
		loc := eventLoc(x)
		if start.Equal(o.Orig) && end.Equal(wallAdd(o.Orig, wallLength(x.Start, x.End, loc), loc)) {
			ex.Start, ex.End = time.Time{}, time.Time{} // moved back where it belongs
		}
		x.Exceptions[o.Key] = ex
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	moved.Ev = &after
	r := c.eventCard(c.T("Mutat #%d: %s", "Moved #%d: %s", ev.ID, o.Title), &after, &moved)
	r.Lines = append([]string{c.T("Din: %s", "From: %s", c.when(o))}, r.Lines...)
	if err := c.warnOverlaps(&r, &after, []occurrence{moved}); err != nil {
		return Reply{}, err
	}
	return r, nil
}

// newTimes reads the new day and/or time of a move: a day alone keeps the
// time of day, a time alone keeps the day; without an end the event keeps
// its length.
func (c *Call) newTimes(ev *storage.AgendaEvent, o occurrence, args []string) (time.Time, time.Time, error) {
	var dayArg, clockArg string
	for _, a := range args {
		switch {
		case isClockArg(a) && clockArg == "":
			clockArg = a
		case !isClockArg(a) && c.isDateArg(a) && dayArg == "":
			dayArg = a
		default:
			return time.Time{}, time.Time{}, c.Fail("Nu înțeleg „%s”: dați ziua nouă (27.11.2026) și/sau ora nouă (11:00-12:00).",
				"I do not understand “%s”: give the new day (27.11.2026) and/or the new time (11:00-12:00).", a)
		}
	}
	if dayArg == "" && clockArg == "" {
		return time.Time{}, time.Time{}, c.Fail("Dați ziua nouă și/sau ora nouă.", "Give the new day and/or the new time.")
	}
	day := calendar.DateOf(o.Start)
	if dayArg != "" {
		d, err := c.scheduleDate(dayArg)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		day = d
	}
	length := wallLength(o.Start, o.End, calendar.Bucharest)
	if ev.AllDay {
		if clockArg != "" {
			return time.Time{}, time.Time{}, c.Fail("Evenimentul ține toată ziua: dați doar ziua nouă.", "The event lasts all day: give only the new day.")
		}
		return day.Start(), wallAdd(day.Start(), length, calendar.Bucharest), nil
	}
	if clockArg == "" {
		clockArg = clockOf(o.Start)
	}
	return c.eventTimes(day, clockArg, length)
}

// moveSeries moves every occurrence of a recurring event: to a new time of
// day, or to start on a new day. Exceptions follow their occurrences (the
// n-th occurrence keeps its cancellation or change).
func (c *Call) moveSeries(ev storage.AgendaEvent, args []string) (Reply, error) {
	if ev.Status == storage.AgendaCancelled {
		return Reply{}, c.Fail("Seria este anulată; reactivați-o întâi: „modifica %d stare=confirmat”.",
			"The series is cancelled; reinstate it first: “edit %d status=confirmed”.", ev.ID)
	}
	first := *firstOccurrence(&ev)
	start, end, err := c.newTimes(&ev, first, args)
	if err != nil {
		return Reply{}, err
	}
	if calendar.DateOf(start) != calendar.DateOf(ev.Start) && fixedDays(ev.Rule) {
		return Reply{}, c.Fail("Regula seriei fixează zilele (%s); mutați o apariție sau doar ora seriei.",
			"The series' rule fixes its days (%s); move one occurrence or only the series' time.", ev.Rule)
	}
	moved := first
	moved.Start, moved.End = start, end
	note := c.when(first) + " → " + c.when(moved)
	m := c.owe(func(made storage.Made) []Notice {
		after := made.Events[1]
		if after.Dept == "" {
			return nil
		}
		return []Notice{deptNotice(after.Dept, Romanian.pick("S-a mutat seria: %s", "", ev.Title), &after, firstOccurrence(&after),
			"Înainte: "+(&Call{Lang: Romanian}).when(first)+" ("+(&Call{Lang: Romanian}).ruleText(&after)+")")}
	})
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "move", c.T("seria: ", "series: ")+note, m, func(x *storage.AgendaEvent) error {
		old := x.Clone()
		x.Start, x.End = start, end
		x.Zone = "" // the new time is Bucharest's
		x.Exceptions = rekeyExceptions(&old, x)
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	o := firstOccurrence(&after)
	r := c.eventCard(c.T("Mutată seria #%d: %s", "Moved the series #%d: %s", ev.ID, ev.Title), &after, o)
	r.Lines = append([]string{c.T("Înainte: %s", "Before: %s", c.when(first))}, r.Lines...)
	if err := c.warnOverlaps(&r, &after, nil); err != nil {
		return Reply{}, err
	}
	return r, nil
}

// fixedDays reports whether a rule names its days itself (BYDAY…), so that
// moving the series' start would not move its days.
func fixedDays(rule string) bool {
	for _, part := range strings.Split(strings.ToUpper(rule), ";") {
		name, _, _ := strings.Cut(part, "=")
		switch name {
		case "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS":
			return true
		}
	}
	return false
}

// rekeyExceptions carries the exceptions of a series over to its moved
// version: the n-th occurrence's exception goes to the new n-th occurrence.
func rekeyExceptions(old, moved *storage.AgendaEvent) map[string]storage.AgendaException {
	if len(old.Exceptions) == 0 {
		return nil
	}
	oldLoc, newLoc := eventLoc(old), eventLoc(moved)
	var last time.Time
	for k := range old.Exceptions {
		if t, err := time.ParseInLocation(recurKeyLayout, k, oldLoc); err == nil && t.After(last) {
			last = t
		}
	}
	oldSet, err1 := recurrence(old)
	newSet, err2 := recurrence(moved)
	if err1 != nil || err2 != nil {
		return nil
	}
	next := newSet.Iterator()
	out := map[string]storage.AgendaException{}
	for _, t := range between(oldSet.Iterator(), old.Start.Add(-time.Second), last.Add(time.Second)) {
		n, ok := next()
		if !ok {
			break
		}
		if x, ok := old.Exceptions[t.In(oldLoc).Format(recurKeyLayout)]; ok {
			out[n.In(newLoc).Format(recurKeyLayout)] = x
		}
	}
	return out
}

func runCancel(c *Call) (Reply, error) {
	ev, err := c.agendaEvent(0)
	if err != nil {
		return Reply{}, err
	}
	reason, _ := c.Key("motiv")
	reason = strings.TrimSpace(reason)
	rest := c.Args[1:]
	if ev.Status == storage.AgendaCancelled {
		return Reply{}, c.Fail("Evenimentul #%d este deja anulat.", "Event #%d is already cancelled.", ev.ID)
	}
	if !ev.Recurring() {
		if len(rest) > 0 && !(len(rest) == 1 && c.isDateArg(rest[0]) && sameDay(c, rest[0], ev.Start)) {
			return Reply{}, c.Fail("Evenimentul #%d nu se repetă: „anuleaza %d” îl anulează.", "Event #%d does not repeat: “cancel %d” cancels it.", ev.ID, ev.ID)
		}
		return c.cancelWhole(ev, reason, c.T("Anulat #%d: %s", "Cancelled #%d: %s", ev.ID, ev.Title))
	}
	if len(rest) == 0 {
		return Reply{}, c.Fail("Evenimentul #%d se repetă: dați ziua apariției de anulat (următoarele: %s), „toate” sau „de la ZI”.",
			"Event #%d repeats: give the day of the occurrence to cancel (next: %s), “all” or “from DAY”.", ev.ID, nextDates(&ev, c.e.Now(), 3))
	}
	first := text.Fold(rest[0])
	switch {
	case seriesWords[first] && len(rest) == 1:
		return c.cancelWhole(ev, reason, c.T("Anulată seria #%d: %s", "Cancelled the series #%d: %s", ev.ID, ev.Title))
	case first == "from" || first == "din" || first == "de":
		day := rest[len(rest)-1]
		want := 2
		if first == "de" {
			want = 3
		}
		if len(rest) != want || (first == "de" && text.Fold(rest[1]) != "la") {
			return Reply{}, c.Fail("Scrieți „anuleaza %d de la 01.01.2027”.", "Write “cancel %d from 01.01.2027”.", ev.ID)
		}
		return c.endSeries(ev, day, reason)
	}
	clock := ""
	if len(rest) == 2 {
		clock = rest[1]
	} else if len(rest) > 2 {
		return Reply{}, c.Fail("Nu înțeleg „%s”.", "I do not understand “%s”.", strings.Join(rest, " "))
	}
	o, err := c.occurrenceAt(&ev, rest[0], clock)
	if err != nil {
		return Reply{}, err
	}
	if o.cancelled() {
		return Reply{}, c.Fail("Apariția din %s a evenimentului #%d este deja anulată.", "The %s occurrence of event #%d is already cancelled.", calendar.DateOf(o.Start), ev.ID)
	}
	note := c.when(o) + noteSuffix(reason)
	m := c.owe(func(made storage.Made) []Notice {
		after := made.Events[1]
		if after.Dept == "" {
			return nil
		}
		shown := o
		shown.Status, shown.Ev = storage.AgendaCancelled, &after
		return []Notice{deptNotice(after.Dept, Romanian.pick("S-a anulat: %s, %s", "", o.Title, calendar.DateOf(o.Start)), &after, &shown, reasonLine(reason))}
	})
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "cancel", note, m, func(x *storage.AgendaEvent) error {
		if x.Exceptions == nil {
			x.Exceptions = map[string]storage.AgendaException{}
		}
		ex := x.Exceptions[o.Key]
		ex.Status = storage.AgendaCancelled
		x.Exceptions[o.Key] = ex
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	o.Status, o.Ev = storage.AgendaCancelled, &after
	r := c.eventCard(c.T("Anulată apariția din %s: %s (#%d)", "Cancelled the %s occurrence: %s (#%d)", calendar.DateOf(o.Start), o.Title, ev.ID), &after, &o)
	r.Lines = append(r.Lines, c.T("Celelalte apariții rămân: %s.", "The other occurrences stay: %s.", nextDates(&after, c.e.Now(), 3)))
	return r, nil
}

func sameDay(c *Call, arg string, t time.Time) bool {
	d, err := c.date(arg)
	return err == nil && d == calendar.DateOf(t)
}

func reasonLine(reason string) string {
	if reason == "" {
		return ""
	}
	return "Motiv: " + reason
}

// cancelWhole cancels an event (every occurrence of a series): it stays in
// the agenda, marked cancelled.
func (c *Call) cancelWhole(ev storage.AgendaEvent, reason, title string) (Reply, error) {
	m := c.owe(func(made storage.Made) []Notice {
		after := made.Events[1]
		if after.Dept == "" {
			return nil
		}
		return []Notice{deptNotice(after.Dept, Romanian.pick("S-a anulat: %s", "", ev.Title), &after, firstOccurrence(&after), reasonLine(reason))}
	})
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "cancel", reason, m, func(x *storage.AgendaEvent) error {
		x.Status = storage.AgendaCancelled
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	o := firstOccurrence(&after)
	return c.eventCard(title, &after, o), nil
}

// endSeries ends a recurring event before a day: the occurrences from that
// day on are gone, the earlier ones stay.
func (c *Call) endSeries(ev storage.AgendaEvent, dayArg, reason string) (Reply, error) {
	day, err := c.date(dayArg)
	if err != nil {
		return Reply{}, err
	}
	if !day.After(calendar.DateOf(ev.Start)) {
		return Reply{}, c.Fail("Seria #%d începe pe %s; pentru toată seria: „anuleaza %d toate”.",
			"Series #%d starts on %s; for the whole series: “cancel %d all”.", ev.ID, calendar.DateOf(ev.Start), ev.ID)
	}
	cut := day.Start()
	note := c.T("de la %s", "from %s", day) + noteSuffix(reason)
	m := c.owe(func(made storage.Made) []Notice {
		after := made.Events[1]
		if after.Dept == "" {
			return nil
		}
		return []Notice{deptNotice(after.Dept, Romanian.pick("Se încheie seria: %s (ultima apariție înainte de %s)", "", ev.Title, day),
			&after, firstOccurrence(&after), reasonLine(reason))}
	})
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "end", note, m, func(x *storage.AgendaEvent) error {
		if x.Rule != "" {
			x.Rule = withUntil(x.Rule, cut.Add(-time.Second))
		}
		var keep []time.Time
		for _, d := range x.RDates {
			if d.Before(cut) {
				keep = append(keep, d)
			}
		}
		x.RDates = keep
		loc := eventLoc(x)
		for k := range x.Exceptions {
			if t, err := time.ParseInLocation(recurKeyLayout, k, loc); err == nil && !t.Before(cut) {
				delete(x.Exceptions, k)
			}
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	o := firstOccurrence(&after)
	return c.eventCard(c.T("Seria #%d se oprește înainte de %s: %s", "Series #%d ends before %s: %s", ev.ID, day, ev.Title), &after, o), nil
}

// withUntil replaces a rule's end (UNTIL or COUNT) with UNTIL at t.
func withUntil(rule string, t time.Time) string {
	var parts []string
	for _, p := range strings.Split(rule, ";") {
		name, _, _ := strings.Cut(strings.ToUpper(p), "=")
		if name != "UNTIL" && name != "COUNT" && p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, "UNTIL="+t.UTC().Format("20060102T150405Z")), ";")
}

func runEdit(c *Call) (Reply, error) {
	ev, err := c.agendaEvent(0)
	if err != nil {
		return Reply{}, err
	}
	if len(c.keys) == 0 {
		return Reply{}, c.Fail("Spuneți ce se schimbă: titlu, loc, participanti, pregateste, stare, vizibilitate sau note.",
			"Say what changes: title, place, participants, prepares, status, visibility or notes.")
	}
	var o *occurrence
	switch rest := c.Args[1:]; {
	case len(rest) > 0 && ev.Recurring():
		clock := ""
		if len(rest) == 2 {
			clock = rest[1]
		} else if len(rest) > 2 {
			return Reply{}, c.Fail("Nu înțeleg „%s”.", "I do not understand “%s”.", strings.Join(rest, " "))
		}
		occ, err := c.occurrenceAt(&ev, rest[0], clock)
		if err != nil {
			return Reply{}, err
		}
		o = &occ
	case len(rest) > 0:
		return Reply{}, c.Fail("Evenimentul #%d nu se repetă: „modifica %d cheie=valoare”.", "Event #%d does not repeat: “edit %d key=value”.", ev.ID, ev.ID)
	}
	// Check everything on a copy first: bad input changes nothing.
	probe := ev.Clone()
	var px *storage.AgendaException
	if o != nil {
		x := probe.Exceptions[o.Key]
		px = &x
	}
	changed, err := c.applyEventKeys(&probe, px)
	if err != nil {
		return Reply{}, err
	}
	if len(changed) == 0 {
		return Reply{}, c.Fail("Nimic de schimbat: evenimentul are deja aceste valori.", "Nothing to change: the event already has these values.")
	}
	note := strings.Join(changed, ", ")
	m := c.owe(func(made storage.Made) []Notice { return c.editNotices(made.Events[0], made.Events[1], o, changed) })
	_, after, err := c.e.store.ChangeAgendaEvent(c.Ctx, ev.ID, "edit", note, m, func(x *storage.AgendaEvent) error {
		if o == nil {
			_, err := c.applyEventKeys(x, nil)
			return err
		}
		if x.Exceptions == nil {
			x.Exceptions = map[string]storage.AgendaException{}
		}
		ex := x.Exceptions[o.Key]
		if _, err := c.applyEventKeys(x, &ex); err != nil {
			return err
		}
		x.Exceptions[o.Key] = ex
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	shown := c.shownAfterEdit(&after, o)
	title := c.T("Modificat #%d: %s", "Changed #%d: %s", ev.ID, after.Title)
	if o != nil {
		title = c.T("Modificată apariția din %s: %s (#%d)", "Changed the %s occurrence: %s (#%d)", calendar.DateOf(o.Start), shown.Title, ev.ID)
	}
	r := c.eventCard(title, &after, shown)
	r.Lines = append([]string{c.T("Schimbat: %s.", "Changed: %s.", note)}, r.Lines...)
	return r, nil
}

// shownAfterEdit is the occurrence an edit shows: the one edited, or the
// event's first.
func (c *Call) shownAfterEdit(after *storage.AgendaEvent, o *occurrence) *occurrence {
	shown := firstOccurrence(after)
	if o != nil {
		if occ, err := c.occurrenceAt(after, calendar.DateOf(o.Orig).String(), clockOf(o.Orig)); err == nil {
			shown = &occ
		}
	}
	return shown
}

// editNotices tell the preparing department of an edit, and the one that
// no longer prepares the event.
func (c *Call) editNotices(before, after storage.AgendaEvent, o *occurrence, changed []string) []Notice {
	shown := c.shownAfterEdit(&after, o)
	var out []Notice
	if before.Dept != after.Dept && before.Dept != "" {
		out = append(out, deptNotice(before.Dept, Romanian.pick("Nu mai pregătiți: %s", "", after.Title), &after, shown,
			"Îl pregătește acum: "+orDash(after.Dept)))
	}
	if after.Dept != "" {
		head := "S-a modificat: %s"
		if before.Dept != after.Dept {
			head = "De pregătit: %s"
		}
		if shown.cancelled() {
			head = "S-a anulat: %s"
		}
		out = append(out, deptNotice(after.Dept, Romanian.pick(head, "", shown.Title), &after, shown, "Schimbat: "+changedRo(changed)))
	}
	return out
}
