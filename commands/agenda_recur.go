package commands

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// occurrence is one appearance of an agenda event on the calendar: the event
// itself when it is single, or one of its recurrences with the exception that
// changes it, if any.
type occurrence struct {
	Ev *storage.AgendaEvent
	// Key is the original start as an iCalendar RECURRENCE-ID (wall clock in
	// the event's zone); empty for a single event.
	Key        string
	Orig       time.Time // the original start
	Start, End time.Time
	Title      string
	Place      string
	People     string
	Notes      string
	Status     string
	Moved      bool
}

func (o occurrence) cancelled() bool { return o.Status == storage.AgendaCancelled }

// timed reports whether the occurrence has a time of day (not a whole-day
// event): only timed occurrences overlap others or fill the day.
func (o occurrence) timed() bool { return !o.Ev.AllDay }

// recurKeyLayout writes an occurrence key: an iCalendar local DATE-TIME.
const recurKeyLayout = "20060102T150405"

// eventLoc is the zone whose wall clock an event's recurrence keeps.
func eventLoc(ev *storage.AgendaEvent) *time.Location {
	if ev.Zone == "" {
		return calendar.Bucharest
	}
	if loc, err := time.LoadLocation(ev.Zone); err == nil {
		return loc
	}
	return calendar.Bucharest
}

// asWall returns the wall-clock reading of t in loc as a UTC time, for
// arithmetic in civil time.
func asWall(t time.Time, loc *time.Location) time.Time {
	w := t.In(loc)
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}

// fromWall returns the instant a wall-clock reading (kept as UTC) names in loc.
func fromWall(w time.Time, loc *time.Location) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
}

// wallLength is how long an event lasts in civil time: 10:00–11:00 is an
// hour even on the day the clocks change. An end that a skipped hour pushed
// forward (02:30 plus an hour on the spring-forward day is 04:30, since
// 03:30 does not exist) counts as the hour it really is, so that a series
// started that night lasts an hour in the other weeks too, not two.
func wallLength(start, end time.Time, loc *time.Location) time.Duration {
	l := asWall(end, loc).Sub(asWall(start, loc))
	if gap := l - end.Sub(start); gap > 0 {
		if w := asWall(end, loc).Add(-gap); !asWall(fromWall(w, loc), loc).Equal(w) {
			return end.Sub(start)
		}
	}
	return l
}

// wallAdd adds a civil duration to t.
func wallAdd(t time.Time, d time.Duration, loc *time.Location) time.Time {
	return fromWall(asWall(t, loc).Add(d), loc)
}

// recurrence builds the recurrence set of a recurring event: DTSTART, the
// rule and the extra dates. Wall-clock times are kept in the event's zone.
func recurrence(ev *storage.AgendaEvent) (*rrule.Set, error) {
	loc := eventLoc(ev)
	start := ev.Start.In(loc)
	set := &rrule.Set{}
	if ev.Rule != "" {
		opt, err := rrule.StrToROptionInLocation(ev.Rule, loc)
		if err != nil {
			return nil, fmt.Errorf("recurrence rule %q: %w", ev.Rule, err)
		}
		if err := checkRule(opt); err != nil {
			return nil, fmt.Errorf("recurrence rule %q: %w", ev.Rule, err)
		}
		opt.Dtstart = start
		r, err := rrule.NewRRule(*opt)
		if err != nil {
			return nil, fmt.Errorf("recurrence rule %q: %w", ev.Rule, err)
		}
		set.RRule(r)
	}
	set.DTStart(start)
	set.RDate(start) // the first occurrence is DTSTART, whether or not the rule matches it (RFC 5545)
	for _, d := range ev.RDates {
		set.RDate(d.In(loc))
	}
	return set, nil
}

// occurrences lists the occurrences of ev that touch [from, to), in start
// order; removed ones are left out, cancelled ones kept.
func occurrences(ev *storage.AgendaEvent, from, to time.Time) ([]occurrence, error) {
	base := occurrence{Ev: ev, Title: ev.Title, Place: ev.Place, People: ev.Participants, Notes: ev.Notes, Status: ev.Status,
		Orig: ev.Start, Start: ev.Start, End: ev.End}
	if !ev.Recurring() {
		if touchesRange(ev.Start, ev.End, from, to) {
			return []occurrence{base}, nil
		}
		return nil, nil
	}
	set, err := recurrence(ev)
	if err != nil {
		return nil, err
	}
	loc := eventLoc(ev)
	length := wallLength(ev.Start, ev.End, loc)
	// Moved occurrences may come from outside the range and leave it: look
	// up every original start whose occurrence could touch the range, and
	// every exception that moves one.
	lookFrom := from.Add(-length - 2*time.Hour)
	starts := between(set.Iterator(), lookFrom, to)
	seen := map[string]bool{}
	var out []occurrence
	add := func(orig time.Time) {
		k := orig.In(loc).Format(recurKeyLayout)
		if seen[k] {
			return
		}
		seen[k] = true
		o := base
		o.Key, o.Orig, o.Start, o.End = k, orig, orig, wallAdd(orig, length, loc)
		if x, ok := ev.Exceptions[k]; ok {
			if x.Removed {
				return
			}
			applyException(&o, x)
		}
		if touchesRange(o.Start, o.End, from, to) {
			out = append(out, o)
		}
	}
	for _, s := range starts {
		add(s)
	}
	for k, x := range ev.Exceptions {
		if x.Removed || x.Start.IsZero() || seen[k] || !touchesRange(x.Start, x.End, from, to) {
			continue
		}
		orig, err := time.ParseInLocation(recurKeyLayout, k, loc)
		if err != nil {
			continue
		}
		add(orig)
	}
	slices.SortFunc(out, func(a, b occurrence) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// The bounds of a recurrence (iCalendar import, agenda views, overlap
// checks): a rule may not repeat within an hour (FREQ=HOURLY, MINUTELY,
// SECONDLY, or several BYMINUTE or BYSECOND values), nor more than
// maxPerDay times a day; and no expansion walks more than maxExpansion
// occurrences from the series' start, whatever the range asked.
const (
	maxPerDay    = 24
	maxExpansion = 100_000
	maxRDates    = 1000 // extra dates of one imported event
)

// errRuleTooOften is a rule that repeats more often than the agenda takes.
var errRuleTooOften = errors.New("it repeats more often than once an hour")

// checkRule refuses a rule that repeats within an hour, or more than
// maxPerDay times a day. A per-minute rule (BYHOUR=0..23;BYMINUTE=0..59)
// took hundreds of megabytes to show.
func checkRule(opt *rrule.ROption) error {
	if opt.Freq > rrule.DAILY || len(opt.Byminute) > 1 || len(opt.Bysecond) > 1 {
		return errRuleTooOften
	}
	if max(1, len(opt.Byhour))*max(1, len(opt.Byminute))*max(1, len(opt.Bysecond)) > maxPerDay {
		return errRuleTooOften
	}
	return nil
}

// between lists the times of a rule's or set's iterator in [from, to],
// walking at most maxExpansion of them from the start.
func between(next func() (time.Time, bool), from, to time.Time) []time.Time {
	var out []time.Time
	for range maxExpansion {
		t, ok := next()
		if !ok || t.After(to) {
			break
		}
		if !t.Before(from) {
			out = append(out, t)
		}
	}
	return out
}

func applyException(o *occurrence, x storage.AgendaException) {
	if !x.Start.IsZero() {
		o.Start, o.End, o.Moved = x.Start, x.End, true
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&o.Title, x.Title}, {&o.Place, x.Place}, {&o.People, x.Participants}, {&o.Notes, x.Notes}, {&o.Status, x.Status}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
}

// touchesRange reports whether [start, end) overlaps [from, to); an
// occurrence without a stated end touches the range it starts in.
func touchesRange(start, end, from, to time.Time) bool {
	if !end.After(start) {
		return !start.Before(from) && start.Before(to)
	}
	return start.Before(to) && end.After(from)
}

// agendaBetween lists every occurrence of every event that touches
// [from, to), in start order.
func (e *Engine) agendaBetween(from, to time.Time) ([]occurrence, error) {
	events, err := e.store.AgendaBetween(from, to)
	if err != nil {
		return nil, err
	}
	var out []occurrence
	for i := range events {
		occ, err := occurrences(&events[i], from, to)
		if err != nil {
			e.log.Warn("agenda event with a bad recurrence", "id", events[i].ID, "err", err)
			continue
		}
		out = append(out, occ...)
	}
	slices.SortStableFunc(out, func(a, b occurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	return out, nil
}

// dayRange is the span of local days from..to (inclusive) as instants.
func dayRange(from, to calendar.Date) (time.Time, time.Time) {
	return from.Start(), to.AddDays(1).Start()
}

// overlapHorizon bounds how far ahead a recurring event is checked for
// overlaps, and overlapMax how many of its occurrences.
const (
	overlapHorizon = 366 * 24 * time.Hour
	overlapMax     = 60
)

// conflicts finds the occurrences of other events that overlap the
// occurrences occ (cancelled ones overlap nothing). Occurrences of the same
// event overlap each other only when one was moved onto another.
func (e *Engine) conflicts(occ []occurrence) ([][2]occurrence, error) {
	var timed []occurrence
	for _, o := range occ {
		if o.timed() && !o.cancelled() && o.End.After(o.Start) {
			timed = append(timed, o)
		}
	}
	if len(timed) == 0 {
		return nil, nil
	}
	from, to := timed[0].Start, timed[0].End
	for _, o := range timed[1:] {
		from, to = minTime(from, o.Start), maxTime(to, o.End)
	}
	others, err := e.agendaBetween(from, to)
	if err != nil {
		return nil, err
	}
	// others come sorted by start: for each occurrence, look back from the
	// first that starts after it ends, as far as the longest could reach.
	var busy []occurrence
	var longest time.Duration
	for _, x := range others {
		if x.timed() && !x.cancelled() && x.End.After(x.Start) {
			busy = append(busy, x)
			longest = max(longest, x.End.Sub(x.Start))
		}
	}
	var out [][2]occurrence
	for _, o := range timed {
		end := sort.Search(len(busy), func(i int) bool { return !busy[i].Start.Before(o.End) })
		var found []occurrence
		for i := end - 1; i >= 0 && busy[i].Start.After(o.Start.Add(-longest)); i-- {
			x := busy[i]
			if x.Ev.ID == o.Ev.ID && (x.Key == o.Key || (!o.Moved && !x.Moved)) {
				continue
			}
			if o.Start.Before(x.End) {
				found = append(found, x)
			}
		}
		for i := len(found) - 1; i >= 0; i-- {
			out = append(out, [2]occurrence{o, found[i]})
		}
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// upcoming lists the occurrences of ev to check for overlaps: those within
// a year of its start (or of now, for an older series), at most overlapMax.
func upcoming(ev *storage.AgendaEvent, now time.Time) ([]occurrence, error) {
	from := ev.Start
	if ev.Recurring() && now.After(from) {
		from = now
	}
	occ, err := occurrences(ev, from.Add(-time.Minute), from.Add(overlapHorizon))
	if len(occ) > overlapMax {
		occ = occ[:overlapMax]
	}
	return occ, err
}
