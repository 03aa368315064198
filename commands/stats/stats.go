// Package stats computes the figures of a report from the compact statistics
// records storage keeps for every item (storage.Stat). It is pure: it counts
// what it is given, so its rules can be checked by hand.
//
// The rules, for the items registered in the period (each counted once, in
// its state now, under its current responsible department):
//
//   - registered = resolved + refused + filed + forwarded + joined + still
//     open; a refused request for public information (Law 544/2001 art.
//     7(2)) is a resolution of its own kind, counted apart from the answers;
//   - resolved on time: the answer date is on or before the deadline (the
//     legal deadline, moved off weekends and holidays and extended when the
//     law allowed it: an extension an admin forced past the term does not
//     count); resolved late: after it. For deadlines in hours (press)
//     the day of the deadline counts, as the answer carries a date only;
//   - overdue now: still open, and the deadline day has passed (or it is
//     today and its hour has passed); an item without a deadline (an
//     anonymous petition, OG 27/2002 art. 7) is never overdue;
//   - joined items are closed by joining while the item they were joined to
//     is open; when that one is resolved, each joined item is resolved with
//     the same answer and is judged against its own deadline;
//   - time to resolution: calendar days from the day of registration to the
//     answer date; the median and the 90th percentile are nearest-rank.
//
// Answers given in the period (whenever the item was registered) are counted
// apart, for the registered-versus-resolved series.
package stats

import (
	"sort"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// Filter narrows a report; empty fields match everything.
type Filter struct {
	Dept     string // responsible department code
	Category string // canonical category word
}

// Match reports whether the item passes the filter.
func (f Filter) Match(st *storage.Stat) bool {
	return (f.Dept == "" || st.Dept == f.Dept) && (f.Category == "" || st.Category == f.Category)
}

// maxDays bounds the resolution-time histogram; longer times share the last
// slot (and are reported as "at least" that).
const maxDays = 1000

// Counts are the figures of one group of items.
type Counts struct {
	Registered, Resolved, OnTime, Late int
	Open, Overdue                      int
	Filed, Forwarded, Joined           int
	Refused                            int
	// OldestOverdue is the earliest deadline among the overdue items (0 when
	// none is overdue): "late since".
	OldestOverdue storage.Day
	days          []int32 // days to resolution → how many items
	timed         int     // items in days
}

// OnTimeShare is the share of resolved items resolved on time, in percent
// (rounded down); ok is false when nothing was resolved.
func (c *Counts) OnTimeShare() (int, bool) {
	if c.OnTime+c.Late == 0 {
		return 0, false
	}
	return c.OnTime * 100 / (c.OnTime + c.Late), true
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of the
// days to resolution; ok is false when nothing was resolved.
func (c *Counts) Percentile(p int) (days int, ok bool) {
	if c.timed == 0 {
		return 0, false
	}
	rank := (p*c.timed + 99) / 100 // ceil(p/100 · n)
	rank = max(rank, 1)
	seen := 0
	for d, n := range c.days {
		seen += int(n)
		if seen >= rank {
			return d, true
		}
	}
	return len(c.days) - 1, true
}

func (c *Counts) add(st *storage.Stat, today storage.Day, minute int) {
	c.Registered++
	switch st.Status {
	case storage.StatusResolved:
		c.Resolved++
		if st.Answered == 0 {
			return // resolved before answer dates were kept: no timing
		}
		if st.Answered <= st.Deadline {
			c.OnTime++
		} else {
			c.Late++
		}
		d := min(max(int(st.Answered-st.Registered), 0), maxDays-1)
		if d >= len(c.days) {
			c.days = append(c.days, make([]int32, d+1-len(c.days))...)
		}
		c.days[d]++
		c.timed++
	case storage.StatusRegistered, storage.StatusAssigned:
		c.Open++
		if Overdue(st, today, minute) {
			c.Overdue++
			if c.OldestOverdue == 0 || st.Deadline < c.OldestOverdue {
				c.OldestOverdue = st.Deadline
			}
		}
	case storage.StatusFiled:
		c.Filed++
	case storage.StatusForwarded:
		c.Forwarded++
	case storage.StatusJoined:
		c.Joined++
	case storage.StatusRefused:
		c.Refused++
	}
}

// Overdue reports whether an open item is past its deadline at minute
// (minutes since midnight) of today: a day deadline has passed when the day
// is over; an hour deadline when its hour has come.
func Overdue(st *storage.Stat, today storage.Day, minute int) bool {
	if st.Deadline == 0 {
		return false // no deadline: an anonymous petition
	}
	return st.Deadline < today || st.Deadline == today && st.DeadlineMinute >= 0 && st.DeadlineMinute <= minute
}

// Report holds the figures of a period.
type Report struct {
	From, To storage.Day
	Filter   Filter
	Total    Counts
	// ByDept, ByCategory and BySender split Total; the unassigned items are
	// under the department "".
	ByDept, ByCategory, BySender map[string]*Counts
	// Series are registered and resolved items per bucket (day, week or
	// month, by Step), up to today.
	Series Series
	// Answered are the answers given in the period, whenever the item was
	// registered; AnsweredOnTime of them on or before the deadline.
	Answered, AnsweredOnTime int
}

// Builder collects a report. AddRegistered and AddAnswers may run in two
// goroutines at once (they touch different fields); Report after both.
type Builder struct {
	r      Report
	today  storage.Day
	minute int
}

// NewBuilder starts a report of the items registered from from to to
// (inclusive), as they stand at minute (minutes since midnight) of today.
func NewBuilder(from, to storage.Day, f Filter, today storage.Day, minute int) *Builder {
	b := &Builder{today: today, minute: minute}
	b.r = Report{From: from, To: to, Filter: f, ByDept: map[string]*Counts{},
		ByCategory: map[string]*Counts{}, BySender: map[string]*Counts{}, Series: newSeries(from, min(to, today))}
	return b
}

// AddRegistered counts an item registered in the period.
func (b *Builder) AddRegistered(st *storage.Stat) {
	if !b.r.Filter.Match(st) || st.Registered < b.r.From || st.Registered > b.r.To {
		return
	}
	b.r.Total.add(st, b.today, b.minute)
	group(b.r.ByDept, st.Dept).add(st, b.today, b.minute)
	group(b.r.ByCategory, st.Category).add(st, b.today, b.minute)
	group(b.r.BySender, st.SenderType).add(st, b.today, b.minute)
	if i := b.r.Series.index(st.Registered); i >= 0 && i < len(b.r.Series.Registered) {
		b.r.Series.Registered[i]++
	}
}

// AddAnswers counts answers given in the period.
func (b *Builder) AddAnswers(a *storage.Answers) {
	f := b.r.Filter
	if f.Dept != "" && a.Dept != f.Dept || f.Category != "" && a.Category != f.Category || a.Day < b.r.From || a.Day > b.r.To {
		return
	}
	b.r.Answered += a.Count
	b.r.AnsweredOnTime += a.OnTime
	if i := b.r.Series.index(a.Day); i >= 0 && i < len(b.r.Series.Resolved) {
		b.r.Series.Resolved[i] += a.Count
	}
}

// Report returns the figures.
func (b *Builder) Report() *Report { return &b.r }

func group(m map[string]*Counts, k string) *Counts {
	c := m[k]
	if c == nil {
		c = &Counts{}
		m[k] = c
	}
	return c
}

// ByOverdue returns the keys of groups, the most overdue first, then the
// most open, then the most registered, then by name.
func ByOverdue(m map[string]*Counts) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := m[keys[i]], m[keys[j]]
		switch {
		case a.Overdue != b.Overdue:
			return a.Overdue > b.Overdue
		case a.Open != b.Open:
			return a.Open > b.Open
		case a.Registered != b.Registered:
			return a.Registered > b.Registered
		}
		return keys[i] < keys[j]
	})
	return keys
}

// ByRegistered returns the keys of groups, the most registered first.
func ByRegistered(m map[string]*Counts) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := m[keys[i]], m[keys[j]]
		if a.Registered != b.Registered {
			return a.Registered > b.Registered
		}
		return keys[i] < keys[j]
	})
	return keys
}
