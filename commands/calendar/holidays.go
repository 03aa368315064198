package calendar

import (
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ro"
)

// Holiday is a day without work: a legal holiday or a day off an admin added.
type Holiday struct {
	Date Date
	Name string
	// Extra marks a day off added by an admin (a one-off government decision),
	// not one of the Labour Code's legal holidays.
	Extra bool
}

// rickar/cal/v2/ro predates Law 52/2023, which added 6 and 7 January to the
// Labour Code (art. 139) from 2024 on. They are added here.
var (
	boboteaza = &cal.Holiday{Name: "Boboteaza", Type: cal.ObservancePublic,
		Month: time.January, Day: 6, Func: cal.CalcDayOfMonth, StartYear: 2024}
	sfIoan = &cal.Holiday{Name: "Sfântul Ioan Botezătorul", Type: cal.ObservancePublic,
		Month: time.January, Day: 7, Func: cal.CalcDayOfMonth, StartYear: 2024}
)

func legalHolidayRules() []*cal.Holiday {
	rules := append([]*cal.Holiday{}, ro.Holidays...)
	return append(rules, boboteaza, sfIoan)
}

var legal = struct {
	sync.Mutex
	rules  []*cal.Holiday
	byYear map[int]map[Date]string
}{rules: legalHolidayRules(), byYear: map[int]map[Date]string{}}

// LegalHolidays returns Romania's legal holidays of a year (Labour Code art.
// 139), keyed by date. Days that carry two holidays (1 June 2026: Children's
// Day and Pentecost Monday) carry both names.
func LegalHolidays(year int) map[Date]string {
	legal.Lock()
	defer legal.Unlock()
	if m, ok := legal.byYear[year]; ok {
		return m
	}
	m := map[Date]string{}
	for _, h := range legal.rules {
		actual, _ := h.Calc(year)
		if actual.IsZero() {
			continue
		}
		d := Date{actual.Year(), actual.Month(), actual.Day()}
		if prev, ok := m[d]; ok {
			m[d] = prev + " / " + h.Name
			continue
		}
		m[d] = h.Name
	}
	legal.byYear[year] = m
	return m
}

// Calendar knows which days are worked: it combines the legal holidays with
// the days off an admin added.
type Calendar struct {
	extra map[Date]string
}

// New returns a calendar with the given extra days off (date → reason).
func New(extra map[Date]string) *Calendar {
	c := &Calendar{extra: map[Date]string{}}
	for d, why := range extra {
		c.extra[d] = why
	}
	return c
}

// HolidayOn returns the holiday on d, if any.
func (c *Calendar) HolidayOn(d Date) (Holiday, bool) {
	if name, ok := LegalHolidays(d.Year)[d]; ok {
		return Holiday{Date: d, Name: name}, true
	}
	if c != nil {
		if why, ok := c.extra[d]; ok {
			return Holiday{Date: d, Name: why, Extra: true}, true
		}
	}
	return Holiday{}, false
}

// IsWorkingDay reports whether d is neither a weekend day nor a holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.HolidayOn(d)
	return !off
}

// NextWorkingDay returns d when it is a working day, else the first working
// day after it, with the days it skipped.
func (c *Calendar) NextWorkingDay(d Date) (Date, []Date) {
	var skipped []Date
	for !c.IsWorkingDay(d) {
		skipped = append(skipped, d)
		d = d.AddDays(1)
	}
	return d, skipped
}

// AddWorkingDays returns the working day n working days after d (before it
// when n < 0). d itself need not be a working day.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Holidays lists the holidays (legal and extra) of a year in date order.
func (c *Calendar) Holidays(year int) []Holiday {
	var out []Holiday
	for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
		if h, ok := c.HolidayOn(d); ok {
			out = append(out, h)
		}
	}
	return out
}
