package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/stats"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The messages nobody asks for: the scheduler decides when they go out, the
// engine writes what they say (in Romanian: they go to departments and to the
// Cabinet), reading only the indexes kept for them.

// digestLimit is how many items each part of a digest lists by name.
const digestLimit = 10

// DigestHorizon is how many working days ahead a department digest looks.
const DigestHorizon = 3

// system is a call made by the bot itself, for messages it sends unasked.
func (e *Engine) system(ctx context.Context) *Call {
	return &Call{Ctx: ctx, e: e, Lang: Romanian,
		Caller: Caller{Identity: Identity{Platform: "system", ID: "scheduler"}, Role: RoleAdmin}}
}

// DepartmentDigest is a department's morning digest: what is overdue, what is
// due today and in the next working days, what was assigned since the last
// digest. ok is false when there is nothing to say.
func (e *Engine) DepartmentDigest(ctx context.Context, dept string, day calendar.Date, since time.Time) (r Reply, ok bool, err error) {
	c := e.system(ctx)
	until := e.Calendar().AddWorkingDays(day, DigestHorizon)
	d, err := e.store.DepartmentDigest(dept, day.ISO(), until.ISO(), since, digestLimit)
	if err != nil {
		return Reply{}, false, err
	}
	work, err := c.workLines(dept)
	if err != nil || d.Empty() && len(work) == 0 {
		return Reply{}, false, err
	}
	r.Title = fmt.Sprintf("Registratura — %s, %s", dept, day)
	section := func(title string, count int, items []storage.Summary) {
		if count == 0 {
			return
		}
		r.Lines = append(r.Lines, fmt.Sprintf("%s: %d", title, count))
		for _, s := range items {
			r.Lines = append(r.Lines, "• "+c.summaryLine(s))
		}
		if count > len(items) {
			r.Lines = append(r.Lines, fmt.Sprintf("  … și încă %d („restante %s”)", count-len(items), dept))
		}
	}
	section("Restanțe", d.OverdueCount, d.Overdue)
	section(fmt.Sprintf("Termene până la %s", until), d.DueCount, d.Due)
	section("Repartizate de la ultimul rezumat", d.NewCount, d.New)
	r.Lines = append(r.Lines, work...)
	return r, true, nil
}

// CabinetSummary is the Cabinet's morning summary: overdue by department, due
// today, registered and resolved since the last working day, and the
// deliveries that failed.
func (e *Engine) CabinetSummary(ctx context.Context, day calendar.Date, failed []storage.SendRecord) (Reply, error) {
	c := e.system(ctx)
	r := Reply{Title: fmt.Sprintf("Rezumatul Cabinetului — %s", day)}
	overdue, open, err := e.store.OpenCounts(day.ISO())
	if err != nil {
		return r, err
	}
	prev := e.Calendar().AddWorkingDays(day, -1)
	registered, resolved, err := e.store.DayCounts(prev.ISO(), day.AddDays(-1).ISO())
	if err != nil {
		return r, err
	}
	dueToday, err := e.store.OpenDue(day.ISO(), day.ISO(), "")
	if err != nil {
		return r, err
	}
	since := prev.String()
	if prev.AddDays(1) != day {
		since = prev.String() + "–" + day.AddDays(-1).String()
	}
	r.Fields = []Field{
		{Label: "Restante", Value: fmt.Sprint(total(overdue))},
		{Label: "Cu termen azi", Value: fmt.Sprint(len(dueToday))},
		{Label: "Deschise", Value: fmt.Sprint(total(open))},
		{Label: "Înregistrate " + since, Value: fmt.Sprint(registered)},
		{Label: "Rezolvate " + since, Value: fmt.Sprint(resolved)},
	}
	if len(overdue) > 0 {
		r.Lines = append(r.Lines, "Restanțe pe departamente:")
		names := c.deptNames()
		for _, kv := range byCount(overdue) {
			r.Lines = append(r.Lines, fmt.Sprintf("• %s: %d", c.holder(kv.key, names), kv.n))
		}
	}
	requests, err := c.workLines("")
	if err != nil {
		return r, err
	}
	r.Lines = append(r.Lines, requests...)
	if len(dueToday) > 0 {
		r.Lines = append(r.Lines, "Cu termen azi:")
		for _, s := range dueToday[:min(len(dueToday), digestLimit)] {
			r.Lines = append(r.Lines, "• "+c.summaryLine(s))
		}
		if len(dueToday) > digestLimit {
			r.Lines = append(r.Lines, fmt.Sprintf("  … și încă %d", len(dueToday)-digestLimit))
		}
	}
	var jobs, sends []storage.SendRecord
	for _, f := range failed {
		if f.Recipient == "" { // a job that failed as a whole: the nightly backup
			jobs = append(jobs, f)
		} else {
			sends = append(sends, f)
		}
	}
	if len(sends) > 0 {
		r.Lines = append(r.Lines, "Mesaje nelivrate sau ratate:")
		for _, f := range sends {
			line := fmt.Sprintf("• %s → %s (%s): %s", f.Job, f.Recipient, f.Slot, f.Err)
			if f.Item != "" {
				line += " — " + f.Item
			}
			r.Lines = append(r.Lines, line)
		}
	}
	if len(jobs) > 0 {
		r.Lines = append(r.Lines, "Lucrări eșuate (copiile de siguranță mai vechi sunt păstrate):")
		for _, f := range jobs {
			r.Lines = append(r.Lines, fmt.Sprintf("• %s (%s): %s", f.Job, f.Slot, f.Err))
		}
	}
	return r, nil
}

type countKV struct {
	key string
	n   int
}

// byCount orders departments by count, most first, then by code.
func byCount(m map[string]int) []countKV {
	var out []countKV
	for k, n := range m {
		out = append(out, countKV{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].key < out[j].key
	})
	return out
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ItemMessage is a message about one item: a reminder or an escalation.
type ItemMessage struct {
	Item  storage.Summary
	To    Recipient
	Reply Reply
}

// Reminders are the day's reminders: for each open item due in 3 working
// days or in 1, a message in the item's thread.
func (e *Engine) Reminders(ctx context.Context, day calendar.Date) ([]ItemMessage, error) {
	c := e.system(ctx)
	var out []ItemMessage
	for _, ahead := range []int{3, 1} {
		// A letter's fixed date on a day off is due, in effect, the working
		// day before it: it is reminded with that day's deadlines.
		due := e.Calendar().AddWorkingDays(day, ahead)
		until := e.Calendar().AddWorkingDays(due, 1).AddDays(-1)
		items, err := e.store.OpenDue(due.ISO(), until.ISO(), "")
		if err != nil {
			return nil, err
		}
		for _, s := range items {
			when := "peste 3 zile lucrătoare"
			if ahead == 1 {
				when = "în următoarea zi lucrătoare"
			}
			out = append(out, ItemMessage{Item: s, To: Recipient{Kind: ToItem, ID: s.Number.String()}, Reply: Reply{
				Item:  s.Number.String(),
				Title: fmt.Sprintf("Reamintire: %s are termen %s, %s", s.Number, when, c.deadlineText(s.Deadline, s.DeadlineTime, false)),
				Lines: []string{strings.TrimSpace(s.Subject) + " · " + c.holder(s.Dept, nil)},
			}})
		}
	}
	notices, err := c.noticeReminders()
	return append(out, notices...), err
}

// noticeReminders remind the Cabinet, every working day, of the extended
// requests for public information whose notice to the requester is not
// recorded (Law 544/2001 art. 7(1)).
func (c *Call) noticeReminders() ([]ItemMessage, error) {
	open, err := c.e.store.OpenDue("", "9999-12-31", "")
	if err != nil {
		return nil, err
	}
	var out []ItemMessage
	for _, s := range open {
		if s.Category != string(calendar.PublicInfo) {
			continue
		}
		it, err := c.e.store.Item(s.Number)
		if err != nil {
			return nil, err
		}
		if it.Extensions == 0 || it.Notified != "" {
			continue
		}
		out = append(out, ItemMessage{Item: s, To: Recipient{Kind: ToCabinet}, Reply: Reply{
			Item:  s.Number.String(),
			Title: fmt.Sprintf("Reamintire: %s a fost prelungită fără înștiințarea solicitantului înregistrată", s.Number),
			Lines: []string{c.noticeMissing(it)},
		}})
	}
	return out, nil
}

// Escalations are the day's escalations: items whose deadline was the
// previous working day and are still open, told to their department (and its
// head) and to the Cabinet.
func (e *Engine) Escalations(ctx context.Context, day calendar.Date) ([]ItemMessage, error) {
	c := e.system(ctx)
	missed := e.Calendar().AddWorkingDays(day, -1)
	items, err := e.store.OpenDue(missed.ISO(), day.AddDays(-1).ISO(), "")
	if err != nil {
		return nil, err
	}
	var out []ItemMessage
	for _, s := range items {
		head := ""
		if s.Dept != "" {
			if d, err := e.store.Department(s.Dept); err == nil && d.Head != "" {
				head = " În atenția: " + d.Head + "."
			}
		}
		r := Reply{Item: s.Number.String(),
			Title: fmt.Sprintf("Termen depășit: %s (termen %s)", s.Number, c.deadlineText(s.Deadline, s.DeadlineTime, false)),
			Lines: []string{strings.TrimSpace(s.Subject) + " · " + c.holder(s.Dept, nil) + "." + head}}
		if s.Dept != "" {
			out = append(out, ItemMessage{Item: s, To: Recipient{Kind: ToDepartment, ID: s.Dept}, Reply: r})
		}
		out = append(out, ItemMessage{Item: s, To: Recipient{Kind: ToCabinet}, Reply: r})
	}
	return out, nil
}

// MorningAgenda is what the Mayor gets every morning: the day view of the
// agenda (which counts the day's deadlines and what is overdue at its foot),
// then the day's deadlines by name.
func (e *Engine) MorningAgenda(ctx context.Context, day calendar.Date) (Reply, error) {
	c := e.system(ctx)
	c.Caller = Caller{Identity: c.Caller.Identity, Role: RoleMayor}
	r, err := c.dayView(day)
	if err != nil {
		return r, err
	}
	r.Title = "Bună dimineața! " + r.Title
	if err := c.morningBriefs(&r, day); err != nil {
		return r, err
	}
	due, err := e.store.OpenDue(day.ISO(), day.ISO(), "")
	if err != nil {
		return r, err
	}
	if len(due) > 0 {
		r.Lines = append(r.Lines, "", "Termene azi:")
		for _, s := range due[:min(len(due), digestLimit)] {
			r.Lines = append(r.Lines, "• "+c.summaryLine(s))
		}
		if len(due) > digestLimit {
			r.Lines = append(r.Lines, fmt.Sprintf("  … și încă %d", len(due)-digestLimit))
		}
	}
	return r, nil
}

// WeeklySynthesis is the Cabinet's Monday report of the days from..to: the
// report command's figures (registered, resolved on time and late, still
// open) with the departments, the most overdue first, and the charts.
func (e *Engine) WeeklySynthesis(ctx context.Context, from, to calendar.Date) (Reply, error) {
	c := e.system(ctx)
	return c.reportReply(span{from: from, to: to}, stats.Filter{}, false, fmt.Sprintf("Sinteza săptămânii %s – %s", from, to))
}
