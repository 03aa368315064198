package calendar

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Errors of ParseDay.
var (
	// ErrNotADate: the word is not a date in any form we know.
	ErrNotADate = errors.New("not a date")
	// ErrImpossibleDate: it looks like a date but no such day exists (31.02).
	ErrImpossibleDate = errors.New("no such date")
)

// relativeDays are the words for days counted from today.
var relativeDays = map[string]int{
	"azi": 0, "astazi": 0, "today": 0,
	"maine": 1, "tomorrow": 1,
	"poimaine": 2,
	"ieri":     -1, "yesterday": -1,
}

// weekdayWords are the names of the days of the week, Romanian and English,
// folded (no diacritics).
var weekdayWords = map[string]time.Weekday{
	"luni": time.Monday, "marti": time.Tuesday, "miercuri": time.Wednesday,
	"joi": time.Thursday, "vineri": time.Friday, "sambata": time.Saturday,
	"duminica": time.Sunday,
	"monday":   time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sunday": time.Sunday,
}

// WeekdayWord reports the day of the week a word names (luni, monday…).
func WeekdayWord(word string) (time.Weekday, bool) {
	wd, ok := weekdayWords[text.Fold(word)]
	return wd, ok
}

// ParseDay reads a day as people write it here: 25.11.2026, 25.11 (this
// year), 2026-11-25, azi/today, mâine/maine/tomorrow, poimâine, ieri/yesterday,
// or a weekday (luni, monday: today or the next one).
func ParseDay(word string, today Date) (Date, error) {
	w := strings.TrimSuffix(text.Fold(strings.TrimSpace(word)), ".")
	if n, ok := relativeDays[w]; ok {
		return today.AddDays(n), nil
	}
	if wd, ok := weekdayWords[w]; ok {
		return today.AddDays((int(wd) - int(today.Weekday()) + 7) % 7), nil
	}
	if y, m, d, ok := splitNumbers(w, "-"); ok && len(y) == 4 {
		return build(y, m, d)
	}
	parts := strings.Split(w, ".")
	switch len(parts) {
	case 2:
		return build(strconv.Itoa(today.Year), parts[1], parts[0])
	case 3:
		year := parts[2]
		if len(year) == 2 {
			year = "20" + year
		}
		return build(year, parts[1], parts[0])
	}
	return Date{}, ErrNotADate
}

func splitNumbers(w, sep string) (a, b, c string, ok bool) {
	parts := strings.Split(w, sep)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

func build(ys, ms, ds string) (Date, error) {
	y, err1 := atoi(ys, 4)
	m, err2 := atoi(ms, 2)
	d, err3 := atoi(ds, 2)
	if err1 != nil || err2 != nil || err3 != nil {
		return Date{}, ErrNotADate
	}
	date, ok := NewDate(y, time.Month(m), d)
	if !ok {
		return Date{}, ErrImpossibleDate
	}
	return date, nil
}

// atoi reads 1..max digits.
func atoi(s string, max int) (int, error) {
	if s == "" || len(s) > max {
		return 0, ErrNotADate
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, ErrNotADate
		}
	}
	return strconv.Atoi(s)
}

// ParseClock reads a time of day, 9:30 or 09:30 (also 9.30 and 9).
func ParseClock(s string) (hour, minute int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	h, m, found := strings.Cut(s, ":")
	if !found {
		m = "0"
	}
	hh, err1 := atoi(h, 2)
	mm, err2 := atoi(m, 2)
	if err1 != nil || err2 != nil || hh > 23 || mm > 59 {
		return 0, 0, false
	}
	return hh, mm, true
}
