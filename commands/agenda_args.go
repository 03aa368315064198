package commands

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The agenda's closed vocabularies: accepted spellings (folded) → the value
// kept in storage.
var (
	agendaStatusWords = map[string]string{
		"confirmat": storage.AgendaConfirmed, "confirmata": storage.AgendaConfirmed, "confirmed": storage.AgendaConfirmed,
		"provizoriu": storage.AgendaTentative, "provizorie": storage.AgendaTentative, "tentativ": storage.AgendaTentative,
		"tentativa": storage.AgendaTentative, "tentative": storage.AgendaTentative, "neconfirmat": storage.AgendaTentative,
		"anulat": storage.AgendaCancelled, "anulata": storage.AgendaCancelled, "cancelled": storage.AgendaCancelled, "canceled": storage.AgendaCancelled,
	}
	agendaVisibilityWords = map[string]string{
		"public": "public", "publica": "public",
		"privat": "privat", "privata": "privat", "private": "privat", "confidential": "privat",
	}
	agendaRepeatWords = map[string]string{
		"saptamanal": "FREQ=WEEKLY", "saptamanala": "FREQ=WEEKLY", "weekly": "FREQ=WEEKLY",
		"lunar": "FREQ=MONTHLY", "lunara": "FREQ=MONTHLY", "monthly": "FREQ=MONTHLY",
	}
	agendaStatusNames = map[string][2]string{
		storage.AgendaConfirmed: {"confirmat", "confirmed"},
		storage.AgendaTentative: {"provizoriu", "tentative"},
		storage.AgendaCancelled: {"anulat", "cancelled"},
	}
	// seriesWords name a whole recurring event (anuleaza 12 toate).
	seriesWords = map[string]bool{"toate": true, "tot": true, "seria": true, "serie": true, "all": true, "series": true}
)

// clockRange reads 10:00, 10:00-11:30, 10-11 or 10:00–11:00 (dashes of any
// kind): the start and, when given, the end, in minutes after midnight.
func clockRange(s string) (start, end int, hasEnd, ok bool) {
	s = strings.NewReplacer("–", "-", "—", "-").Replace(strings.TrimSpace(s))
	a, b, hasEnd := strings.Cut(s, "-")
	h, m, ok := calendar.ParseClock(a)
	if !ok || !looksLikeClock(a) {
		return 0, 0, false, false
	}
	start = h*60 + m
	if !hasEnd {
		return start, 0, false, true
	}
	if b == "24:00" || b == "24" {
		return start, 24 * 60, true, true
	}
	h, m, ok = calendar.ParseClock(b)
	if !ok || !looksLikeClock(b) {
		return 0, 0, false, false
	}
	return start, h*60 + m, true, true
}

// looksLikeClock tells a time (9, 9:30, 09.30) from a date (25.11): a
// clock with a dot has two digits after it and a number under 24 before it.
var (
	clockRe = regexp.MustCompile(`^\d{1,2}([:.]\d{2})?$`)
	hourRe  = regexp.MustCompile(`^\d{1,2}$`)
)

func looksLikeClock(s string) bool { return clockRe.MatchString(strings.TrimSpace(s)) }

// isClockArg reports whether an argument is a time or a time range rather
// than a date: it has a colon, or it is a bare hour range (10-11).
func isClockArg(s string) bool {
	s = strings.NewReplacer("–", "-", "—", "-").Replace(strings.TrimSpace(s))
	if strings.Contains(s, ":") {
		_, _, _, ok := clockRange(s)
		return ok
	}
	a, b, found := strings.Cut(s, "-")
	return found && hourRe.MatchString(a) && hourRe.MatchString(b)
}

// at returns the instant of a wall-clock time (minutes after midnight) on d
// in Bucharest, and false when the clocks skip it (03:00–03:59 on the last
// Sunday of March).
func wallInstant(d calendar.Date, minutes int) (time.Time, bool) {
	t := time.Date(d.Year, d.Month, d.Day, 0, minutes, 0, 0, calendar.Bucharest)
	w := t.In(calendar.Bucharest)
	return t, w.Hour()*60+w.Minute() == minutes%(24*60)
}

// scheduleDate reads the day of a new event: as c.date, but a day written
// without its year that has already passed this year is next year's (on
// 25.11, "05.01" is January 5th next year).
func (c *Call) scheduleDate(s string) (calendar.Date, error) {
	d, err := c.date(s)
	if err != nil {
		return d, err
	}
	today := calendar.DateOf(c.e.Now())
	if d.Before(today) && noYear(s) {
		next, ok := calendar.NewDate(d.Year+1, d.Month, d.Day)
		if !ok {
			return d, c.Fail("Data „%s” nu există anul viitor; scrieți anul.", "“%s” does not exist next year; write the year.", s)
		}
		return next, nil
	}
	return d, nil
}

var dayMonthRe = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.?$`)

func noYear(s string) bool { return dayMonthRe.MatchString(strings.TrimSpace(s)) }

// isDateArg reports whether s reads as a day (25.11, 25.11.2026, azi, luni…).
func (c *Call) isDateArg(s string) bool {
	_, err := calendar.ParseDay(s, calendar.DateOf(c.e.Now()))
	return err == nil
}

// eventID reads an agenda event ID: 12, #12 or E12.
func eventID(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(text.Fold(strings.TrimSpace(s)), "#"), "e")
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && !strings.HasPrefix(s, "+")
}

// agendaEvent reads the event ID in the i-th argument and loads the event.
func (c *Call) agendaEvent(i int) (storage.AgendaEvent, error) {
	if i >= len(c.Args) {
		return storage.AgendaEvent{}, c.Fail("Lipsește numărul evenimentului (#12); îl arată „agenda”.",
			"The event number (#12) is missing; “agenda” shows it.")
	}
	id, ok := eventID(c.Args[i])
	if !ok {
		return storage.AgendaEvent{}, c.Fail("„%s” nu este un număr de eveniment; scrieți-l ca 12 sau #12.",
			"“%s” is not an event number; write it as 12 or #12.", c.Args[i])
	}
	ev, err := c.e.store.AgendaEvent(id)
	if err != nil && isNotFound(err) {
		return ev, c.Fail("Nu există evenimentul #%d în agendă.", "There is no event #%d in the agenda.", id)
	}
	return ev, err
}

// agendaRange is what an agenda command shows: the days from..to.
type agendaRange struct {
	From, To calendar.Date
	Day      bool // one day: the day view
	English  bool // the words were English (today, week…)
}

// maxAgendaDays bounds a listed range.
const maxAgendaDays = 62

// parseAgendaRange reads azi, mâine, săptămâna (viitoare), luna, a weekday,
// DD.MM[.YYYY] or DD.MM[.YYYY]-DD.MM[.YYYY] (today when args is empty).
func (c *Call) parseAgendaRange(args []string) (agendaRange, error) {
	today := calendar.DateOf(c.e.Now())
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = strings.TrimSuffix(text.Fold(strings.TrimSpace(a)), ".")
	}
	line := strings.Join(words, " ")
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	switch line {
	case "":
		return agendaRange{From: today, To: today, Day: true}, nil
	case "saptamana", "saptamana aceasta", "week", "this week":
		return agendaRange{From: monday, To: monday.AddDays(6), English: strings.Contains(line, "week")}, nil
	case "saptamana viitoare", "next week":
		return agendaRange{From: monday.AddDays(7), To: monday.AddDays(13), English: line == "next week"}, nil
	case "luna", "luna aceasta", "month", "this month":
		first := calendar.Date{Year: today.Year, Month: today.Month, Day: 1}
		last := calendar.DateOf(first.Start().AddDate(0, 1, -1))
		return agendaRange{From: first, To: last, English: strings.Contains(line, "month")}, nil
	}
	english := map[string]bool{"today": true, "tomorrow": true, "yesterday": true, "monday": true, "tuesday": true,
		"wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}[line]
	// A range: 25.11-30.11, 25.11 - 30.11, 25.11.2026-02.12.2026.
	rangeText := strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(line)
	if a, b, ok := strings.Cut(rangeText, "-"); ok && strings.Contains(a, ".") && strings.Contains(b, ".") {
		return c.dateSpan(a, b, today)
	}
	if len(args) > 1 {
		return agendaRange{}, c.Fail("Nu înțeleg perioada „%s”; scrieți azi, mâine, săptămâna, luni, 25.11 sau 25.11-30.11.",
			"I do not understand the period “%s”; write today, tomorrow, week, monday, 25.11 or 25.11-30.11.", strings.Join(args, " "))
	}
	d, err := c.date(args[0])
	if err != nil {
		return agendaRange{}, err
	}
	return agendaRange{From: d, To: d, Day: true, English: english}, nil
}

// dateSpan reads the two ends of DD.MM[.YYYY]-DD.MM[.YYYY]. A missing year
// is the other end's, or this year's; a range that would end before it
// starts runs into the next year (28.12-03.01).
func (c *Call) dateSpan(a, b string, today calendar.Date) (agendaRange, error) {
	to, err := c.date(b)
	if err != nil {
		return agendaRange{}, err
	}
	aDate := a
	if noYear(a) && !noYear(b) {
		aDate = strings.TrimSuffix(a, ".") + "." + strconv.Itoa(to.Year)
	}
	from, err := c.date(aDate)
	if err != nil {
		return agendaRange{}, err
	}
	if to.Before(from) {
		switch {
		case noYear(b):
			to, _ = calendar.NewDate(to.Year+1, to.Month, to.Day)
		case noYear(a):
			from, _ = calendar.NewDate(from.Year-1, from.Month, from.Day)
		}
	}
	if to.Before(from) || to.IsZero() || from.IsZero() {
		return agendaRange{}, c.Fail("Perioada %s–%s se termină înainte să înceapă.", "The period %s–%s ends before it starts.", a, b)
	}
	if from.DaysUntil(to) >= maxAgendaDays {
		return agendaRange{}, c.Fail("Perioada are %d de zile; arăt cel mult %d. Pentru mai mult: „agenda exporta”.",
			"The period has %d days; I show at most %d. For more: “agenda export”.", from.DaysUntil(to)+1, maxAgendaDays)
	}
	return agendaRange{From: from, To: to, Day: from == to}, nil
}

// occurrenceAt finds the occurrence of a recurring event a user names by its
// date (02.12) and, when the event occurs more than once that day, its time.
// The original date is tried first, then the date it was moved to.
func (c *Call) occurrenceAt(ev *storage.AgendaEvent, dayArg, clockArg string) (occurrence, error) {
	d, err := c.date(dayArg)
	if err != nil {
		return occurrence{}, err
	}
	from, to := dayRange(d, d)
	occ, err := occurrences(ev, from.Add(-overlapHorizon), to.Add(overlapHorizon))
	if err != nil {
		return occurrence{}, err
	}
	pick := func(match func(o occurrence) bool) []occurrence {
		var out []occurrence
		for _, o := range occ {
			if match(o) {
				out = append(out, o)
			}
		}
		return out
	}
	onOrig := pick(func(o occurrence) bool { return calendar.DateOf(o.Orig) == d })
	if len(onOrig) == 0 {
		onOrig = pick(func(o occurrence) bool { return calendar.DateOf(o.Start) == d })
	}
	if clockArg != "" && len(onOrig) > 1 {
		start, _, _, ok := clockRange(clockArg)
		if ok {
			onOrig = pick(func(o occurrence) bool {
				w := o.Orig.In(calendar.Bucharest)
				return slicesContainsOcc(onOrig, o) && w.Hour()*60+w.Minute() == start
			})
		}
	}
	switch len(onOrig) {
	case 1:
		return onOrig[0], nil
	case 0:
		return occurrence{}, c.Fail("Evenimentul #%d nu are loc pe %s; următoarele date: %s.",
			"Event #%d does not take place on %s; next dates: %s.", ev.ID, d, nextDates(ev, c.e.Now(), 3))
	}
	return occurrence{}, c.Fail("Evenimentul #%d are loc de mai multe ori pe %s; adăugați ora (%s).",
		"Event #%d takes place several times on %s; add the time (%s).", ev.ID, d, clockOf(onOrig[0].Orig))
}

func slicesContainsOcc(list []occurrence, o occurrence) bool {
	for _, x := range list {
		if x.Key == o.Key {
			return true
		}
	}
	return false
}

// nextDates lists the next few dates of a recurring event, for messages.
func nextDates(ev *storage.AgendaEvent, now time.Time, n int) string {
	occ, err := occurrences(ev, now, now.Add(overlapHorizon))
	if err != nil || len(occ) == 0 {
		return "—"
	}
	var parts []string
	for _, o := range occ {
		if len(parts) == n {
			break
		}
		if !o.cancelled() {
			parts = append(parts, calendar.DateOf(o.Start).String())
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// clockOf writes the Bucharest time of day of t: 10:00.
func clockOf(t time.Time) string { return t.In(calendar.Bucharest).Format("15:04") }
