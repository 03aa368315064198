package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// Job is a timed push: when it runs by default, and how it finds its
// messages for a slot.
type Job struct {
	Name        string   // canonical name, used in the database and the environment
	Aliases     []string // what admins type; the first is shown
	Title       string
	TitleEn     string
	DefaultSpec string // cron, Europe/Bucharest
	WorkingDays bool   // skipped on weekends, holidays and added days off
	build       func(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error)
}

// Job names.
const (
	JobMorning    = "morning"
	JobDigest     = "digest"
	JobSummary    = "summary"
	JobReminders  = "reminders"
	JobEscalation = "escalation"
	JobWeekly     = "weekly"
	JobBackup     = "backup"
	JobBriefings  = "briefings"
)

func allJobs() []*Job {
	return []*Job{
		{Name: JobMorning, Aliases: []string{"dimineata", "morning", "agenda"}, Title: "agenda de dimineață a Primarului",
			TitleEn: "the Mayor's morning agenda", DefaultSpec: "30 7 * * *", build: buildMorning},
		{Name: JobDigest, Aliases: []string{"departamente", "departments", "digest"}, Title: "rezumatul departamentelor",
			TitleEn: "the departments' digest", DefaultSpec: "0 8 * * 1-5", WorkingDays: true, build: buildDigests},
		{Name: JobSummary, Aliases: []string{"cabinet", "summary"}, Title: "rezumatul Cabinetului",
			TitleEn: "the Cabinet's summary", DefaultSpec: "15 8 * * 1-5", WorkingDays: true, build: buildSummary},
		{Name: JobReminders, Aliases: []string{"reamintiri", "reminders"}, Title: "reamintirile de termen",
			TitleEn: "deadline reminders", DefaultSpec: "30 8 * * 1-5", WorkingDays: true, build: buildReminders},
		{Name: JobEscalation, Aliases: []string{"escaladare", "escalation"}, Title: "escaladarea termenelor depășite",
			TitleEn: "escalation of missed deadlines", DefaultSpec: "35 8 * * 1-5", WorkingDays: true, build: buildEscalations},
		{Name: JobWeekly, Aliases: []string{"saptamanal", "weekly"}, Title: "sinteza săptămânală",
			TitleEn: "the weekly synthesis", DefaultSpec: "0 9 * * 1", build: buildWeekly},
		{Name: JobBriefings, Aliases: []string{"pregatiri", "briefings", "note"}, Title: "notele de informare nepredate la termen",
			TitleEn: "briefing notes not delivered when due", DefaultSpec: "*/15 * * * *", build: buildBriefings},
		{Name: JobBackup, Aliases: []string{"backup", "copie"}, Title: "copia de siguranță de noapte",
			TitleEn: "the nightly backup", DefaultSpec: "30 2 * * *", build: buildBackup},
	}
}

// buildMorning sends the day's agenda to everyone with the Mayor role.
func buildMorning(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	people, err := s.cfg.Store.People()
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Engine.MorningAgenda(ctx, calendar.DateOf(slot))
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, p := range people {
		if p.Role == string(commands.RoleMayor) && !p.Unreachable {
			out = append(out, Message{Key: p.Identity, To: commands.Recipient{Kind: commands.ToPerson, ID: p.Identity}, Reply: r})
		}
	}
	return out, nil
}

// buildDigests sends each department with something to say its digest.
func buildDigests(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	depts, err := s.cfg.Store.Departments()
	if err != nil {
		return nil, err
	}
	day := calendar.DateOf(slot)
	var out []Message
	for _, d := range depts {
		if d.Closed {
			continue
		}
		since, err := s.lastSent("digest/" + d.Code)
		if err != nil {
			return nil, err
		}
		if since.IsZero() {
			since = slot.Add(-24 * time.Hour)
		}
		r, ok, err := s.cfg.Engine.DepartmentDigest(ctx, d.Code, day, since)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out = append(out, Message{Key: d.Code, To: commands.Recipient{Kind: commands.ToDepartment, ID: d.Code}, Reply: r,
			Mark: "digest/" + d.Code, MarkAt: slot})
	}
	return out, nil
}

// buildSummary sends the Cabinet its summary, with the deliveries that failed
// since the last one.
func buildSummary(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	since, err := s.lastSent("summary")
	if err != nil {
		return nil, err
	}
	if since.IsZero() {
		since = slot.Add(-7 * 24 * time.Hour)
	}
	failed, err := s.cfg.Store.FailedSends(since)
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Engine.CabinetSummary(ctx, calendar.DateOf(slot), failed)
	if err != nil {
		return nil, err
	}
	return []Message{{Key: "cabinet", To: commands.Recipient{Kind: commands.ToCabinet}, Reply: r,
		Mark: "summary", MarkAt: s.now()}}, nil
}

func buildReminders(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	items, err := s.cfg.Engine.Reminders(ctx, calendar.DateOf(slot))
	if err != nil {
		return nil, err
	}
	briefs, err := s.cfg.Engine.BriefReminders(ctx, calendar.DateOf(slot))
	return append(itemMessages(items), pushes(briefs)...), err
}

// buildBriefings tells the Cabinet of the briefing notes that fell due since
// the job's last slot without being delivered: each note once, in the slot
// its due time falls in.
func buildBriefings(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	since, err := s.lastSent("briefings")
	if err != nil {
		return nil, err
	}
	if since.IsZero() || since.After(slot) || slot.Sub(since) > 7*24*time.Hour {
		since = slot.Add(-15 * time.Minute)
	}
	ps, err := s.cfg.Engine.BriefEscalations(ctx, since, slot)
	if err != nil {
		return nil, err
	}
	out := pushes(ps)
	if len(out) > 0 {
		out[len(out)-1].Mark, out[len(out)-1].MarkAt = "briefings", slot
	}
	return out, nil
}

func pushes(ps []commands.Push) []Message {
	out := make([]Message, 0, len(ps))
	for _, p := range ps {
		out = append(out, Message{Key: p.Key, To: p.To, Reply: p.Reply})
	}
	return out
}

func buildEscalations(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	items, err := s.cfg.Engine.Escalations(ctx, calendar.DateOf(slot))
	return itemMessages(items), err
}

func itemMessages(items []commands.ItemMessage) []Message {
	var out []Message
	for _, it := range items {
		key := fmt.Sprintf("%s/%s:%s", it.Item.Number, it.To.Kind, it.To.ID)
		out = append(out, Message{Key: key, To: it.To, Reply: it.Reply})
	}
	return out
}

// buildWeekly sends the Cabinet the figures of the week before the slot.
func buildWeekly(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	day := calendar.DateOf(slot)
	to := day.AddDays(-1)
	from := to.AddDays(-6)
	r, err := s.cfg.Engine.WeeklySynthesis(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return []Message{{Key: "cabinet", To: commands.Recipient{Kind: commands.ToCabinet}, Reply: r}}, nil
}

// lastSent reads when a recurring message last went out.
func (s *Scheduler) lastSent(name string) (time.Time, error) {
	v, err := s.cfg.Store.State("sent/" + name)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("state sent/%s: %w", name, err)
	}
	return t, nil
}
