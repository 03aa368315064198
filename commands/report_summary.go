package commands

import (
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// summaryOldest is how many of the oldest overdue items the summary lists.
const summaryOldest = 5

// runSummary is the one-screen overview the Mayor asks for: what is late,
// where, since when, over the whole register as it stands now. It reads the
// open-item indexes (and today's statistics), never the records.
func runSummary(c *Call) (Reply, error) {
	dept, err := c.optionalDepartment()
	if err != nil {
		return Reply{}, err
	}
	now := c.e.Now()
	today := calendar.DateOf(now)
	tomorrow := today.AddDays(1)
	due, err := c.e.store.OpenDue("", tomorrow.ISO(), dept)
	if err != nil {
		return Reply{}, err
	}
	overdue := overdueOnly(due, today.ISO(), now.Format("15:04"))
	late := map[storage.Number]bool{}
	for _, s := range overdue {
		late[s.Number] = true
	}
	var dueToday, dueTomorrow int
	for _, s := range due {
		switch {
		case late[s.Number]:
		case s.Deadline == today.ISO():
			dueToday++
		case s.Deadline == tomorrow.ISO():
			dueTomorrow++
		}
	}
	_, open, err := c.e.store.OpenCounts(today.ISO())
	if err != nil {
		return Reply{}, err
	}
	totalOpen := 0
	for d, n := range open {
		if dept == "" || d == dept {
			totalOpen += n
		}
	}
	var regToday, resToday int
	match := func(st *storage.Stat) bool { return dept == "" || st.Dept == dept }
	if err := c.e.store.StatsRegistered(today.ISO(), today.ISO(), func(st *storage.Stat) bool {
		if match(st) {
			regToday++
		}
		return true
	}); err != nil {
		return Reply{}, err
	}
	if err := c.e.store.AnswersBetween(today.ISO(), today.ISO(), func(a *storage.Answers) bool {
		if dept == "" || a.Dept == dept {
			resToday += a.Count
		}
		return true
	}); err != nil {
		return Reply{}, err
	}

	where := ""
	if dept != "" {
		where = " — " + dept
	}
	r := Reply{Title: c.T("Sinteză%s, %s", "Summary%s, %s", where, stamp(now))}
	add := func(ro, en, v string) { r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: v}) }
	add("Restante", "Overdue", c.num(len(overdue))+c.T(" din %s", " of %s", c.countOf(totalOpen, text.Deschise, "open", "open")))
	add("Scadente azi", "Due today", c.num(dueToday))
	add("Scadente mâine", "Due tomorrow", c.num(dueTomorrow))
	add("Azi", "Today", c.countOf(regToday, text.Inregistrate, "registered", "registered")+", "+c.countOf(resToday, text.Rezolvate, "resolved", "resolved"))
	work, err := c.workLines(dept)
	if err != nil {
		return Reply{}, err
	}
	r.Lines = append(r.Lines, work...)
	if len(overdue) == 0 {
		r.Lines = append(r.Lines, c.T("Nicio restanță.", "Nothing is overdue."))
		return r, nil
	}

	// Where: departments by how much is overdue, with the oldest deadline.
	type place struct {
		dept   string
		n      int
		oldest string
	}
	byDept := map[string]*place{}
	for _, s := range overdue { // deadline order: the first seen is the oldest
		p := byDept[s.Dept]
		if p == nil {
			p = &place{dept: s.Dept, oldest: s.Deadline}
			byDept[s.Dept] = p
		}
		p.n++
	}
	places := make([]*place, 0, len(byDept))
	for _, p := range byDept {
		places = append(places, p)
	}
	sort.Slice(places, func(i, j int) bool {
		if places[i].n != places[j].n {
			return places[i].n > places[j].n
		}
		return places[i].oldest < places[j].oldest
	})
	if dept == "" {
		r.Lines = append(r.Lines, c.T("Unde:", "Where:"))
		for _, p := range places[:min(len(places), reportGroupLimit+2)] {
			d, _ := calendar.ParseISO(p.oldest)
			r.Lines = append(r.Lines, c.T("• %s: %s restante, cea mai veche din %s (%s)", "• %s: %s overdue, the oldest since %s (%s)",
				c.deptLabel(strings.TrimPrefix(p.dept, "-")), c.num(p.n), d, c.lateBy(d.DaysUntil(today))))
		}
		if len(places) > reportGroupLimit+2 {
			r.Lines = append(r.Lines, c.T("  … și încă %s", "  … and %s more", c.countOf(len(places)-reportGroupLimit-2, text.Departam, "department", "departments")))
		}
	}
	r.Lines = append(r.Lines, c.T("Cele mai vechi:", "The oldest:"))
	for _, s := range overdue[:min(len(overdue), summaryOldest)] {
		r.Lines = append(r.Lines, c.summaryLine(s))
	}
	if len(overdue) > summaryOldest {
		r.Lines = append(r.Lines, c.T("Toate: „restante%s”.", "All of them: “overdue%s”.", strings.TrimPrefix(where, " —")))
	}
	return r, nil
}

// lateBy writes "12 zile" late, or "azi" for an hour deadline passed today.
func (c *Call) lateBy(days int) string {
	if days <= 0 {
		return c.T("de azi", "since today")
	}
	return c.dayCount(days)
}
