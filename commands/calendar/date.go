// Package calendar holds the civil-date arithmetic the Cabinet works with: the
// Europe/Bucharest zone, Romania's legal holidays, working days and the legal
// deadlines of correspondence.
package calendar

import (
	"fmt"
	"time"
	_ "time/tzdata" // the zone must exist on any machine, with or without /usr/share/zoneinfo
)

// Bucharest is the zone every time a person sees is shown in.
var Bucharest = mustLoad("Europe/Bucharest")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load %s: %v", name, err))
	}
	return loc
}

// Date is a civil date (no time of day, no zone).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in Europe/Bucharest.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Bucharest).Date()
	return Date{y, m, d}
}

// NewDate builds a date, reporting false when it does not exist (31.02).
func NewDate(year int, month time.Month, day int) (Date, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2999 {
		return Date{}, false
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || t.Month() != month {
		return Date{}, false
	}
	return Date{year, month, day}, true
}

// ParseISO reads a date written as 2006-01-02.
func ParseISO(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d.Year == 0 }

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date {
	t := d.utc().AddDate(0, 0, n)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of calendar days from d to e.
func (d Date) DaysUntil(e Date) int { return int(e.utc().Sub(d.utc()).Hours() / 24) }

// String writes the date as people here write it: 25.11.2026.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// Short writes the date without its year: 25.11.
func (d Date) Short() string { return fmt.Sprintf("%02d.%02d", d.Day, int(d.Month)) }

// ISO writes the date as 2006-01-02, the form kept in storage (it sorts).
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// At returns the instant of the given local time on d in Europe/Bucharest.
func (d Date) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, Bucharest)
}

// Start returns the first instant of d in Europe/Bucharest.
func (d Date) Start() time.Time { return d.At(0, 0) }
