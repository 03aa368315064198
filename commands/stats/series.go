package stats

import (
	"time"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// Step is the width of a series bucket.
type Step int

// The steps: a short period is shown by day, up to two years by week
// (Monday to Sunday), longer ones by month.
const (
	ByDay Step = iota
	ByWeek
	ByMonth
)

// Series counts registered and resolved items per bucket.
type Series struct {
	Step Step
	// Starts are the first days of the buckets: a week starts on its
	// Monday and a month on its first, even when that is before the period.
	Starts     []storage.Day
	Registered []int
	Resolved   []int
}

func newSeries(from, to storage.Day) Series {
	s := Series{Step: ByMonth}
	switch span := int(to - from + 1); {
	case span <= 21:
		s.Step = ByDay
	case span <= 2*366:
		s.Step = ByWeek
	}
	for d := s.start(from); d <= to && to >= from; d = s.next(d) {
		s.Starts = append(s.Starts, d)
	}
	s.Registered = make([]int, len(s.Starts))
	s.Resolved = make([]int, len(s.Starts))
	return s
}

// Monday returns the Monday of d's week (1970-01-01 was a Thursday).
func Monday(d storage.Day) storage.Day { return d - (d+3)%7 }

func (s Series) start(d storage.Day) storage.Day {
	switch s.Step {
	case ByWeek:
		return Monday(d)
	case ByMonth:
		y, m, _ := d.Date()
		return storage.DayFromDate(y, m, 1)
	}
	return d
}

func (s Series) next(d storage.Day) storage.Day {
	switch s.Step {
	case ByWeek:
		return d + 7
	case ByMonth:
		y, m, _ := d.Date()
		return storage.DayFromDate(y, m+time.Month(1), 1) // time.Date normalises month 13
	}
	return d + 1
}

// index is the bucket of a day inside the period (-1 before it).
func (s Series) index(d storage.Day) int {
	if len(s.Starts) == 0 || d < s.Starts[0] {
		return -1
	}
	switch s.Step {
	case ByDay:
		return int(d - s.Starts[0])
	case ByWeek:
		return int(Monday(d)-s.Starts[0]) / 7
	}
	y0, m0, _ := s.Starts[0].Date()
	y, m, _ := d.Date()
	return (y-y0)*12 + int(m-m0)
}
