package commands

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The day view is read on a phone: one line per event, at most lineMax
// characters, titles cut with "…"; free time of an hour or more between
// workStart and workEnd is shown.
const (
	lineMax   = 60
	minGap    = time.Hour
	workStart = 8 * 60  // minutes after midnight
	workEnd   = 18 * 60 //
)

var weekdayNames = [7][2]string{
	{"duminică", "Sunday"}, {"luni", "Monday"}, {"marți", "Tuesday"}, {"miercuri", "Wednesday"},
	{"joi", "Thursday"}, {"vineri", "Friday"}, {"sâmbătă", "Saturday"},
}

func weekdayName(d calendar.Date, l Lang) string {
	n := weekdayNames[d.Weekday()]
	return l.pick(n[0], n[1])
}

// weekdayEvery names a weekday as a habit: joia (on Thursdays).
func weekdayEvery(d calendar.Date, l Lang) string {
	if l == English {
		return weekdayNames[d.Weekday()][1]
	}
	return [7]string{"duminica", "lunea", "marțea", "miercurea", "joia", "vinerea", "sâmbăta"}[d.Weekday()]
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// DayView is the agenda of one day as the Mayor reads it on a phone:
// chronological, one line per event (time, title, place), tentative ("?")
// and cancelled ("✗") events marked, free gaps of an hour or more, and the
// day's registry deadlines counted at the bottom ("3 termene azi, 2
// restanțe"). No line is longer than 60 characters; titles are cut with "…".
// Private events show as "ocupat" to a viewer who may not see them (see
// canSeePrivate); staff also see each event's number (#12).
//
// The scheduler's morning push calls it with the Mayor as viewer
// (Caller{Role: RoleMayor}); the text is Romanian. Storage failures give a
// Reply of Kind Failed.
func (e *Engine) DayView(day calendar.Date, viewer Caller) Reply {
	c := &Call{e: e, Caller: viewer, Lang: Romanian}
	r, err := c.dayView(day)
	if err != nil {
		e.log.Error("agenda day view", "day", day, "err", err)
		return failure(Romanian)
	}
	return r
}

func runAgenda(c *Call) (Reply, error) {
	if len(c.Args) == 1 && (strings.HasPrefix(c.Args[0], "#") || isDigits(c.Args[0])) {
		ev, err := c.agendaEvent(0)
		if err != nil {
			return Reply{}, err
		}
		return c.eventDetail(&ev)
	}
	rng, err := c.parseAgendaRange(c.Args)
	if err != nil {
		return Reply{}, err
	}
	if rng.English && c.Req.Lang == "" {
		c.Lang = English
	}
	if rng.Day {
		return c.dayView(rng.From)
	}
	return c.rangeView(rng)
}

func (c *Call) dayView(day calendar.Date) (Reply, error) {
	from, to := dayRange(day, day)
	occ, err := c.e.agendaBetween(from, to)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Agenda — %s %s", "Agenda — %s %s", weekdayName(day, c.Lang), day)}
	withID := c.Caller.isStaff()
	var marks legend
	var timed []occurrence
	for _, o := range occ {
		if !o.timed() {
			r.Lines = append(r.Lines, c.agendaLine(o, day, withID))
			if err := c.audienceLines(&r, o); err != nil {
				return Reply{}, err
			}
			marks.note(o)
			continue
		}
		timed = append(timed, o)
	}
	// cursor is when the Mayor is next free: from the start of the working
	// day, or from the first event on days off.
	working := c.e.Calendar().IsWorkingDay(day)
	var cursor time.Time
	if working {
		cursor, _ = wallInstant(day, workStart)
	}
	for _, o := range timed {
		if gap := o.Start.Sub(cursor); !cursor.IsZero() && gap >= minGap && !o.cancelled() {
			r.Lines = append(r.Lines, c.gapLine(cursor, o.Start))
		}
		r.Lines = append(r.Lines, c.agendaLine(o, day, withID))
		if err := c.audienceLines(&r, o); err != nil {
			return Reply{}, err
		}
		marks.note(o)
		if !o.cancelled() {
			cursor = maxTime(cursor, maxTime(o.End, o.Start))
		}
		if cursor.IsZero() {
			cursor = o.Start
		}
	}
	if len(occ) == 0 {
		r.Lines = append(r.Lines, c.T("Nicio activitate programată.", "Nothing scheduled."))
	} else if end, _ := wallInstant(day, workEnd); working && !cursor.IsZero() && end.Sub(cursor) >= minGap {
		r.Lines = append(r.Lines, c.gapLine(cursor, end))
	}
	if l := marks.line(c); l != "" {
		r.Lines = append(r.Lines, l)
	}
	if line, err := c.deadlineLine(day); err != nil {
		return Reply{}, err
	} else if line != "" {
		r.Lines = append(r.Lines, line)
	}
	return r, nil
}

func (c *Call) gapLine(from, to time.Time) string {
	return c.T("— liber %s–%s", "— free %s–%s", clockOf(from), endClock(to, calendar.DateOf(from)))
}

// endClock writes an end time, 24:00 for midnight at the end of day.
func endClock(t time.Time, day calendar.Date) string {
	if calendar.DateOf(t) == day.AddDays(1) && clockOf(t) == "00:00" {
		return "24:00"
	}
	return clockOf(t)
}

// deadlineLine counts the registry's deadlines of a day and what is overdue
// by then: "3 termene azi, 2 restanțe". Days past have no such line.
func (c *Call) deadlineLine(day calendar.Date) (string, error) {
	today := calendar.DateOf(c.e.Now())
	if day.Before(today) {
		return "", nil
	}
	due, err := c.e.store.OpenDue(day.ISO(), day.ISO(), "")
	if err != nil {
		return "", err
	}
	late, err := c.e.store.OpenDue("", day.AddDays(-1).ISO(), "")
	if err != nil {
		return "", err
	}
	late = dated(late)
	when := c.T("pe %s", "on %s", day.Short())
	switch today.DaysUntil(day) {
	case 0:
		when = c.T("azi", "today")
	case 1:
		when = c.T("mâine", "tomorrow")
	}
	if c.Lang == English {
		return fmt.Sprintf("%s %s, %s", plural(len(due), "no deadlines", "1 deadline", "%d deadlines", "%d deadlines"), when,
			plural(len(late), "none overdue", "1 overdue", "%d overdue", "%d overdue")), nil
	}
	return fmt.Sprintf("%s %s, %s", plural(len(due), "niciun termen", "1 termen", "%d termene", "%d de termene"), when,
		plural(len(late), "nicio restanță", "1 restanță", "%d restanțe", "%d de restanțe")), nil
}

// more writes "și încă 2 suprapuneri." / "and 2 more overlaps.": a count
// of what was left out, with the noun's Romanian forms (singular, plural)
// or its English singular.
func (c *Call) more(n int, one, many, en string) string {
	if c.Lang == English {
		if n != 1 {
			en += "s"
		}
		return fmt.Sprintf("and %d more %s.", n, en)
	}
	return "și încă " + plural(n, "", "o "+one, "%d "+many, "%d de "+many) + "."
}

// plural picks the Romanian form for n: none, one, 2–19 (and 101–119…),
// or 20 and more ("de").
func plural(n int, none, one, few, many string) string {
	switch {
	case n == 0:
		return none
	case n == 1:
		return one
	case !text.TakesDe(n):
		return fmt.Sprintf(few, n)
	}
	return fmt.Sprintf(many, n)
}

// agendaLine writes one occurrence on one line of at most lineMax
// characters: time, a mark (? tentative, ✗ cancelled), title, place and,
// for staff, the event's number.
func (c *Call) agendaLine(o occurrence, day calendar.Date, withID bool) string {
	head := c.span(o, day) + " "
	switch {
	case o.cancelled():
		head += "✗ "
	case o.Status == storage.AgendaTentative:
		head += "? "
	}
	title, place := o.Title, o.Place
	if o.Ev.Private && !canSeePrivate(c.Caller, o.Ev) {
		title, place = c.T("Ocupat", "Busy"), ""
	}
	title = oneLine(title)
	place = oneLine(place)
	tail := ""
	if withID {
		tail = fmt.Sprintf(" #%d", o.Ev.ID)
	}
	room := lineMax - runes(head) - runes(tail)
	if place != "" && runes(title)+3+runes(place) > room {
		// The title comes first: the place gets a third of the line, or
		// what the title leaves.
		placeRoom := min(runes(place), max(room/3, room-3-runes(title)))
		if placeRoom < 6 {
			place = ""
		} else {
			place = " · " + text.Truncate(place, placeRoom)
		}
	} else if place != "" {
		place = " · " + place
	}
	title = text.Truncate(title, max(room-runes(place), 1))
	return head + title + place + tail
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// oneLine folds line breaks and runs of spaces into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// span writes when an occurrence takes place within day: 10:00–11:30, 10:00
// when it has no end, …–11:30 when it began the day before, 22:00–… when it
// ends after day, "toată ziua" for a whole-day event. With a zero day: the
// times alone.
func (c *Call) span(o occurrence, day calendar.Date) string {
	if o.Ev.AllDay {
		return c.T("toată ziua", "all day")
	}
	s, e := o.Start.In(calendar.Bucharest), o.End.In(calendar.Bucharest)
	start := s.Format("15:04")
	if !day.IsZero() && calendar.DateOf(s).Before(day) {
		start = "…"
	}
	if !e.After(s) {
		return start
	}
	end := endClock(e, calendar.DateOf(s))
	if !day.IsZero() && calendar.DateOf(e).After(day) && end != "24:00" {
		end = "…"
	}
	return start + "–" + end
}

// when writes an occurrence's date and time in full: joi 26.11.2026,
// 10:00–11:30.
func (c *Call) when(o occurrence) string {
	s, e := o.Start.In(calendar.Bucharest), o.End.In(calendar.Bucharest)
	d := calendar.DateOf(s)
	day := weekdayName(d, c.Lang) + " " + d.String()
	if o.Ev.AllDay {
		last := calendar.DateOf(e.Add(-time.Second))
		if !last.After(d) {
			return day + ", " + c.T("toată ziua", "all day")
		}
		return day + " – " + weekdayName(last, c.Lang) + " " + last.String() + c.T(" (toată ziua)", " (all day)")
	}
	if !e.After(s) {
		return day + ", " + s.Format("15:04")
	}
	end := endClock(e, d)
	if calendar.DateOf(e) == d || end == "24:00" {
		return day + ", " + s.Format("15:04") + "–" + end
	}
	ed := calendar.DateOf(e)
	return day + " " + s.Format("15:04") + " – " + weekdayName(ed, c.Lang) + " " + ed.String() + " " + e.Format("15:04")
}

func (c *Call) rangeView(rng agendaRange) (Reply, error) {
	from, to := dayRange(rng.From, rng.To)
	occ, err := c.e.agendaBetween(from, to)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Agenda %s–%s", "Agenda %s–%s", rng.From.Short(), rng.To)}
	withID := c.Caller.isStaff()
	short := rng.From.DaysUntil(rng.To) < 14
	any := false
	var marks legend
	for d := rng.From; !d.After(rng.To); d = d.AddDays(1) {
		ds, de := dayRange(d, d)
		var lines []string
		for _, o := range occ {
			if touchesRange(o.Start, o.End, ds, de) {
				lines = append(lines, c.agendaLine(o, d, withID))
				marks.note(o)
			}
		}
		header := capitalize(weekdayName(d, c.Lang)) + " " + d.Short()
		switch {
		case len(lines) > 0:
			any = true
			r.Lines = append(r.Lines, header)
			r.Lines = append(r.Lines, lines...)
		case short:
			r.Lines = append(r.Lines, header+c.T(" — liber", " — free"))
		}
	}
	if !any && !short {
		r.Lines = append(r.Lines, c.T("Nicio activitate programată.", "Nothing scheduled."))
	}
	if l := marks.line(c); l != "" {
		r.Lines = append(r.Lines, l)
	}
	return r, nil
}

// legend explains the marks a view used.
type legend struct{ tentative, cancelled bool }

func (l *legend) note(o occurrence) {
	l.cancelled = l.cancelled || o.cancelled()
	l.tentative = l.tentative || (!o.cancelled() && o.Status == storage.AgendaTentative)
}

func (l legend) line(c *Call) string {
	var parts []string
	if l.tentative {
		parts = append(parts, c.T("? provizoriu", "? tentative"))
	}
	if l.cancelled {
		parts = append(parts, c.T("✗ anulat", "✗ cancelled"))
	}
	return strings.Join(parts, " · ")
}

// eventCard shows an event (one occurrence of it) with everything it has.
func (c *Call) eventCard(title string, ev *storage.AgendaEvent, o *occurrence) Reply {
	r := Reply{Title: title}
	if ev.Private && !canSeePrivate(c.Caller, ev) {
		r.Title = c.T("#%d: ocupat", "#%d: busy", ev.ID)
		r.Fields = []Field{{c.T("Când", "When"), c.when(*o)}}
		return r
	}
	add := func(ro, en, v string) {
		if v != "" {
			r.Fields = append(r.Fields, Field{c.T(ro, en), v})
		}
	}
	add("Când", "When", c.when(*o))
	if ev.Recurring() {
		add("Se repetă", "Repeats", c.ruleText(ev))
	}
	add("Loc", "Place", o.Place)
	add("Participanți", "Participants", o.People)
	if ev.Dept != "" {
		add("Pregătește", "Prepared by", c.holder(ev.Dept, c.deptNames()))
	}
	add("Stare", "Status", c.Lang.name(agendaStatusNames, o.Status))
	if ev.Private {
		add("Vizibilitate", "Visibility", c.T("privat (ceilalți văd „ocupat”)", "private (others see “busy”)"))
	}
	add("Note", "Notes", o.Notes)
	return r
}

// eventDetail is "agenda #12": the event, its recurrence, its changed
// occurrences and its next dates.
func (c *Call) eventDetail(ev *storage.AgendaEvent) (Reply, error) {
	now := c.e.Now()
	o := firstOccurrence(ev)
	if ev.Recurring() {
		if next, err := occurrences(ev, now, now.Add(overlapHorizon)); err == nil && len(next) > 0 {
			o = &next[0]
		}
	}
	r := c.eventCard(fmt.Sprintf("#%d: %s", ev.ID, ev.Title), ev, o)
	if ev.Private && !canSeePrivate(c.Caller, ev) {
		return r, nil
	}
	if ev.Recurring() {
		r.Lines = append(r.Lines, c.T("Următoarele: %s", "Next: %s", nextDates(ev, now, 5)))
		loc := eventLoc(ev)
		var changes []string
		for _, k := range sortedKeys(ev.Exceptions) {
			x := ev.Exceptions[k]
			orig, err := time.ParseInLocation(recurKeyLayout, k, loc)
			if err != nil {
				continue
			}
			d := calendar.DateOf(orig).String()
			switch {
			case x.Removed:
				changes = append(changes, c.T("%s: nu are loc", "%s: does not take place", d))
			case x.Status == storage.AgendaCancelled:
				changes = append(changes, c.T("%s: anulată", "%s: cancelled", d))
			case !x.Start.IsZero():
				m := occurrence{Ev: ev, Start: x.Start, End: x.End}
				changes = append(changes, c.T("%s: mutată pe %s", "%s: moved to %s", d, c.when(m)))
			default:
				changes = append(changes, c.T("%s: modificată", "%s: changed", d))
			}
		}
		if len(changes) > 10 {
			changes = append(changes[:10], c.T("… și încă %d", "… and %d more", len(changes)-10))
		}
		for _, ch := range changes {
			r.Lines = append(r.Lines, "• "+ch)
		}
	}
	if c.Caller.isStaff() {
		hist, err := c.e.store.History(storage.KindAgenda, strconv.Itoa(ev.ID))
		if err != nil {
			return Reply{}, err
		}
		r.Lines = append(r.Lines, c.T("Istoric:", "History:"))
		for _, h := range hist {
			r.Lines = append(r.Lines, "• "+stamp(h.At)+" "+h.Who+": "+c.Lang.name(agendaActionNames, h.Action)+noteSuffix(h.Note))
		}
	}
	return r, nil
}

var agendaActionNames = map[string][2]string{
	"add": {"programat", "scheduled"}, "move": {"mutat", "moved"}, "cancel": {"anulat", "cancelled"},
	"edit": {"modificat", "changed"}, "end": {"serie încheiată", "series ended"},
	"import": {"importat", "imported"}, "import-update": {"actualizat din import", "updated by an import"},
	"brief": {"notă de informare predată", "briefing note delivered"},
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ruleText describes a recurrence as people say it: săptămânal, joia;
// lunar, pe 25; … until a day or a number of times.
func (c *Call) ruleText(ev *storage.AgendaEvent) string {
	if ev.Rule == "" {
		return c.T("în zilele: %s", "on: %s", c.rdateList(ev))
	}
	parts := map[string]string{}
	for _, p := range strings.Split(strings.ToUpper(ev.Rule), ";") {
		if k, v, ok := strings.Cut(p, "="); ok {
			parts[k] = v
		}
	}
	start := ev.Start.In(eventLoc(ev))
	d := calendar.DateOf(ev.Start)
	interval, _ := strconv.Atoi(parts["INTERVAL"])
	plain := len(parts) == 1 || (len(parts) == 2 && (parts["UNTIL"] != "" || parts["COUNT"] != "" || interval > 0)) ||
		(len(parts) == 3 && (parts["UNTIL"] != "" || parts["COUNT"] != "") && interval > 0)
	var s string
	switch {
	case !plain:
		s = c.T("după regula %s", "by the rule %s", ev.Rule)
	case parts["FREQ"] == "DAILY" && interval <= 1:
		s = c.T("zilnic", "daily")
	case parts["FREQ"] == "DAILY":
		s = c.T("la fiecare %s", "every %s", c.dayCount(interval))
	case parts["FREQ"] == "WEEKLY" && interval <= 1:
		s = c.T("săptămânal, %s", "weekly, on %ss", weekdayEvery(d, c.Lang))
	case parts["FREQ"] == "WEEKLY":
		s = c.T("la fiecare %d săptămâni, %s", "every %d weeks, on %ss", interval, weekdayEvery(d, c.Lang))
	case parts["FREQ"] == "MONTHLY" && interval <= 1:
		s = c.T("lunar, pe %d", "monthly, on the %d", start.Day())
	case parts["FREQ"] == "MONTHLY":
		s = c.T("la fiecare %d luni, pe %d", "every %d months, on the %d", interval, start.Day())
	case parts["FREQ"] == "YEARLY":
		s = c.T("anual, pe %s", "yearly, on %s", d.Short())
	default:
		s = c.T("după regula %s", "by the rule %s", ev.Rule)
	}
	if u := parts["UNTIL"]; u != "" {
		if t, err := parseUntil(u, eventLoc(ev)); err == nil {
			s += c.T(", până pe %s", ", until %s", calendar.DateOf(t))
		}
	}
	if n := parts["COUNT"]; n != "" {
		s += c.T(", de %s ori", ", %s times", n)
	}
	if len(ev.RDates) > 0 {
		s += c.T("; și în zilele: %s", "; also on: %s", c.rdateList(ev))
	}
	return s
}

func parseUntil(v string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
		l := loc
		if strings.HasSuffix(layout, "Z") {
			l = time.UTC
		}
		if t, err := time.ParseInLocation(layout, v, l); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad UNTIL %q", v)
}

func (c *Call) rdateList(ev *storage.AgendaEvent) string {
	var parts []string
	for _, d := range ev.RDates {
		parts = append(parts, calendar.DateOf(d).String())
	}
	if len(parts) > 6 {
		parts = append(parts[:6], "…")
	}
	return strings.Join(parts, ", ")
}
