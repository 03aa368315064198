package stats

import (
	"testing"

	"github.com/cluj-napoca/cabinetbot/storage"
)

func day(iso string) storage.Day {
	d, ok := storage.DayOf(iso)
	if !ok {
		panic(iso)
	}
	return d
}

func TestPercentileNearestRank(t *testing.T) {
	var c Counts
	if _, ok := c.Percentile(50); ok {
		t.Fatal("a percentile of nothing")
	}
	reg := day("2026-01-05")
	for _, days := range []int{3, 1, 4, 1, 5, 9, 2, 6, 5, 3} { // sorted: 1 1 2 3 3 4 5 5 6 9
		c.add(&storage.Stat{Status: storage.StatusResolved, Registered: reg, Deadline: reg + 5, Answered: reg + storage.Day(days)}, 0, 0)
	}
	for p, want := range map[int]int{50: 3, 90: 6, 100: 9, 10: 1, 1: 1} {
		if got, _ := c.Percentile(p); got != want {
			t.Errorf("p%d = %d, want %d", p, got, want)
		}
	}
	if c.OnTime != 8 || c.Late != 2 { // 6 and 9 days are after the 5-day deadline
		t.Errorf("on time %d, late %d", c.OnTime, c.Late)
	}
	if pct, _ := c.OnTimeShare(); pct != 80 {
		t.Errorf("on time share %d", pct)
	}
	// A very long time is kept in the last slot.
	c.add(&storage.Stat{Status: storage.StatusResolved, Registered: reg, Deadline: reg, Answered: reg + 5000}, 0, 0)
	if got, _ := c.Percentile(100); got != maxDays-1 {
		t.Errorf("p100 with a 5000-day answer: %d", got)
	}
}

func TestOverdueByDayAndHour(t *testing.T) {
	today := day("2026-11-26")
	for _, tt := range []struct {
		deadline storage.Day
		minute   int
		now      int
		want     bool
	}{
		{today - 1, -1, 0, true},          // yesterday's day deadline
		{today, -1, 23 * 60, false},       // today's day deadline lasts all day
		{today, 9 * 60, 8*60 + 59, false}, // an hour deadline not yet come
		{today, 9 * 60, 9 * 60, true},     // …and come
		{today + 1, 0, 23 * 60, false},
		{0, -1, 23 * 60, false}, // no deadline: an anonymous petition (OG 27/2002 art. 7) is never overdue
	} {
		st := &storage.Stat{Deadline: tt.deadline, DeadlineMinute: tt.minute}
		if got := Overdue(st, today, tt.now); got != tt.want {
			t.Errorf("deadline %s minute %d at %d: %v", tt.deadline.ISO(), tt.minute, tt.now, got)
		}
	}
}

func TestSeriesSteps(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		step     Step
		starts   int
		first    string
	}{
		{"2026-11-25", "2026-11-25", ByDay, 1, "2026-11-25"},
		{"2026-11-01", "2026-11-30", ByWeek, 6, "2026-10-26"}, // 1.11 is a Sunday
		{"2026-01-01", "2026-12-31", ByWeek, 53, "2025-12-29"},
		{"2024-01-15", "2026-12-31", ByMonth, 36, "2024-01-01"},
	} {
		s := newSeries(day(tt.from), day(tt.to))
		if s.Step != tt.step || len(s.Starts) != tt.starts || s.Starts[0].ISO() != tt.first {
			t.Errorf("%s–%s: step %d, %d buckets from %s", tt.from, tt.to, s.Step, len(s.Starts), s.Starts[0].ISO())
		}
		if i := s.index(day(tt.to)); i != len(s.Starts)-1 {
			t.Errorf("%s–%s: the last day is in bucket %d of %d", tt.from, tt.to, i, len(s.Starts))
		}
	}
	if Monday(day("2026-11-29")).ISO() != "2026-11-23" || Monday(day("2026-11-23")).ISO() != "2026-11-23" {
		t.Error("Monday")
	}
}
