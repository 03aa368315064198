// Package scheduler decides when timed messages go out (the morning agenda,
// deadline digests, reminders, escalations, the weekly synthesis, backups),
// asks commands and storage what they say, and hands them to a Deliverer that
// the chat adapters implement. It never imports a chat SDK.
//
// Jobs run on robfig/cron/v3 in Europe/Bucharest. Every (job, slot,
// recipient) is claimed in the database before it is sent and marked after,
// so a restart, a DST double firing or two overlapping runs never send twice;
// at start the day's missed run of each job is caught up, once.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Deliverer sends a message to a recipient (a department, the Cabinet, the
// Mayor, a person, an item's thread). The Hub implements it over the Slack,
// Telegram and console adapters.
type Deliverer interface {
	Deliver(ctx context.Context, to commands.Recipient, r commands.Reply) error
}

// Config holds what the scheduler needs.
type Config struct {
	Store   *storage.Store
	Engine  *commands.Engine
	Deliver Deliverer
	Logger  *slog.Logger
	// Clock tells the time; nil means time.Now.
	Clock func() time.Time
	// Specs override the default schedules (job name → cron spec, or "off"):
	// the environment's CABINET_JOB_<NAME>. Schedules an admin set with the
	// digest command win over these.
	Specs map[string]string
	// BackupDir receives the nightly backups; KeepBackups of them are kept.
	BackupDir   string
	KeepBackups int
	// Backoff is the wait before retry n (1, 2…) of a failed delivery; nil
	// means 2 s, 8 s, 32 s.
	Backoff func(n int) time.Duration
}

// Scheduler runs the timed jobs.
type Scheduler struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	jobs    []*Job
	cron    *cron.Cron
	runMu   sync.Mutex // one run of a job at a time, scheduled or by hand
	stopped bool       // under runMu: no run starts after Stop (the database closes next)

	mu      sync.Mutex
	entries map[string]cron.EntryID
	state   map[string]*jobState
	baseCtx context.Context
}

type jobState struct {
	spec     string
	schedule cron.Schedule
	enabled  bool
}

// maxAttempts is how many times a delivery is tried before it counts as failed.
const maxAttempts = 4

// New builds a scheduler with the jobs' schedules: defaults, overridden by
// Config.Specs, overridden by what admins set with the digest command.
func New(cfg Config) (*Scheduler, error) {
	s := &Scheduler{cfg: cfg, log: cfg.Logger, now: cfg.Clock, jobs: allJobs(),
		entries: map[string]cron.EntryID{}, state: map[string]*jobState{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.Backoff == nil {
		s.cfg.Backoff = func(n int) time.Duration { return time.Duration(1<<(2*n-1)) * time.Second }
	}
	if s.cfg.KeepBackups <= 0 {
		s.cfg.KeepBackups = 14
	}
	for _, j := range s.jobs {
		st, err := s.initialState(j)
		if err != nil {
			return nil, err
		}
		s.state[j.Name] = st
	}
	return s, nil
}

// initialState reads a job's schedule: the admin's setting, else the
// environment's, else the default.
func (s *Scheduler) initialState(j *Job) (*jobState, error) {
	spec, enabled := j.DefaultSpec, true
	if v, ok := s.cfg.Specs[j.Name]; ok && v != "" {
		if v == "off" {
			enabled = false
		} else {
			spec = v
		}
	}
	if v, err := s.cfg.Store.Setting(settingSpec(j.Name)); err != nil {
		return nil, err
	} else if v != "" {
		spec = v
	}
	if v, err := s.cfg.Store.Setting(settingEnabled(j.Name)); err != nil {
		return nil, err
	} else if v != "" {
		enabled = v == "on"
	}
	sched, err := ParseSpec(spec)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", j.Name, err)
	}
	return &jobState{spec: spec, schedule: sched, enabled: enabled}, nil
}

func settingSpec(job string) string    { return "job/" + job + "/spec" }
func settingEnabled(job string) string { return "job/" + job + "/enabled" }

// ParseSpec parses a five-field cron spec in Europe/Bucharest. The cron
// parser panics on some malformed input (TZ= prefixes): that is recovered and
// reported as commands.ErrBadSchedule, as is any time-zone prefix.
func ParseSpec(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("%w: %v", commands.ErrBadSchedule, r)
		}
	}()
	if len(spec) > 100 || containsTZ(spec) {
		return nil, fmt.Errorf("%w: the schedule is always in Romania's time; give no TZ", commands.ErrBadSchedule)
	}
	sched, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", commands.ErrBadSchedule, err)
	}
	return sched, nil
}

func containsTZ(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if s[i:i+3] == "TZ=" {
			return true
		}
	}
	return false
}

// Start catches up the day's missed runs, then starts the cron. Jobs run
// until Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.baseCtx = ctx
	l := cronLogger{s.log}
	// SkipIfStillRunning outside Recover: the other order disables a job
	// for good after its first panic (robfig/cron v3.0.1).
	s.cron = cron.New(cron.WithLocation(calendar.Bucharest), cron.WithLogger(l),
		cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)))
	for _, j := range s.jobs {
		s.scheduleLocked(j)
	}
	s.mu.Unlock()
	s.CatchUp(ctx)
	s.cron.Start()
}

// Stop stops the cron and waits for running jobs to end.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	c := s.cron
	s.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
	s.runMu.Lock() // waits for a job run by hand or caught up
	s.stopped = true
	s.runMu.Unlock()
}

// scheduleLocked (re)adds a job to the cron. s.mu is held.
func (s *Scheduler) scheduleLocked(j *Job) {
	if id, ok := s.entries[j.Name]; ok {
		s.cron.Remove(id)
		delete(s.entries, j.Name)
	}
	st := s.state[j.Name]
	if !st.enabled {
		return
	}
	s.entries[j.Name] = s.cron.Schedule(st.schedule, cron.FuncJob(func() { s.tick(s.baseCtx, j, s.now()) }))
}

// tick is one firing of a job by the cron: it runs the slot the firing
// stands for (the schedule's last time up to now).
func (s *Scheduler) tick(ctx context.Context, j *Job, now time.Time) {
	s.mu.Lock()
	sched := s.state[j.Name].schedule
	s.mu.Unlock()
	s.fire(ctx, j, slotAt(sched, now, now.Add(-2*time.Minute)))
}

// slotAt returns the scheduled time the run at now stands for: the last
// time of the schedule in (from, now], or now to the minute.
func slotAt(sched cron.Schedule, now, from time.Time) time.Time {
	if slot, ok := lastSlot(sched, from, now); ok {
		return slot
	}
	return now.In(calendar.Bucharest).Truncate(time.Minute)
}

// lastSlot returns the schedule's last time in (from, now].
func lastSlot(sched cron.Schedule, from, now time.Time) (slot time.Time, ok bool) {
	for t := sched.Next(from); !t.After(now); t = sched.Next(t) {
		slot, ok = t, true
	}
	return slot, ok
}

// CatchUp runs, once, each enabled job's last slot of today that is past and
// was not run (the process was down at 07:30 and came up at 07:50). Earlier
// misses are logged and skipped.
func (s *Scheduler) CatchUp(ctx context.Context) {
	now := s.now().In(calendar.Bucharest)
	dayStart := calendar.DateOf(now).Start()
	for _, j := range s.jobs {
		s.mu.Lock()
		st := *s.state[j.Name]
		s.mu.Unlock()
		if !st.enabled {
			continue
		}
		slot, ok := lastSlot(st.schedule, dayStart.Add(-time.Second), now)
		if !ok {
			s.logMissedBefore(j, st.schedule, dayStart)
			continue
		}
		if done, err := s.cfg.Store.SlotDone(j.Name, slotKey(slot)); err != nil || done {
			continue
		}
		s.log.Info("catching up a missed run", "job", j.Name, "slot", slotKey(slot))
		s.fire(ctx, j, slot)
	}
}

// logMissedBefore logs yesterday's slot of a job if it never ran.
func (s *Scheduler) logMissedBefore(j *Job, sched cron.Schedule, dayStart time.Time) {
	prev, ok := lastSlot(sched, dayStart.Add(-24*time.Hour), dayStart.Add(-time.Second))
	if !ok {
		return
	}
	if done, err := s.cfg.Store.SlotDone(j.Name, slotKey(prev)); err == nil && !done {
		s.log.Warn("a run was missed and is not caught up (older than today)", "job", j.Name, "slot", slotKey(prev))
	}
}

// slotKey names a slot by its local wall-clock minute, so that the two
// firings of a fall-back hour share one key.
func slotKey(t time.Time) string { return t.In(calendar.Bucharest).Format("2006-01-02T15:04") }

// Message is one message of a job's slot.
type Message struct {
	Key   string // who it is for, unique within the slot (send log key)
	To    commands.Recipient
	Reply commands.Reply
	// Sent, when set, is called after a successful delivery.
	Sent func(ctx context.Context) error
}

// fire runs one slot of a job: builds its messages and sends each once.
func (s *Scheduler) fire(ctx context.Context, j *Job, slot time.Time) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.stopped {
		return
	}
	key := slotKey(slot)
	defer func() { // catch-up and runs by hand are outside the cron's Recover
		if r := recover(); r != nil {
			s.log.Error("job panicked", "job", j.Name, "slot", key, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	if done, err := s.cfg.Store.SlotDone(j.Name, key); err != nil || done {
		return
	}
	if _, err := s.run(ctx, j, slot, key); err != nil {
		s.log.Error("job failed", "job", j.Name, "slot", key, "err", err)
		return
	}
	if err := s.cfg.Store.MarkSlotDone(ctx, j.Name, key, s.now()); err != nil {
		s.log.Error("record job run", "job", j.Name, "slot", key, "err", err)
	}
}

// run builds and sends a slot's messages; it returns how many went out.
func (s *Scheduler) run(ctx context.Context, j *Job, slot time.Time, key string) (int, error) {
	day := calendar.DateOf(slot)
	if j.WorkingDays && !s.cfg.Engine.Calendar().IsWorkingDay(day) {
		s.log.Info("not a working day: job skipped", "job", j.Name, "day", day.String())
		return 0, nil
	}
	msgs, err := j.build(ctx, s, slot)
	if err != nil {
		return 0, err
	}
	if err := s.reportInterrupted(ctx, j.Name, key); err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		ok, err := s.send(ctx, j.Name, key, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	s.log.Info("job ran", "job", j.Name, "slot", key, "messages", len(msgs), "sent", sent)
	return sent, nil
}

// runSafe is run with a panic turned into an error.
func (s *Scheduler) runSafe(ctx context.Context, j *Job, slot time.Time, key string) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("job panicked", "job", j.Name, "slot", key, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("job %s panicked: %v", j.Name, r)
		}
	}()
	return s.run(ctx, j, slot, key)
}

// reportInterrupted turns the sends a crash left pending into failures: they
// may have gone out, so they are not repeated, but the Cabinet hears of them.
func (s *Scheduler) reportInterrupted(ctx context.Context, job, key string) error {
	pending, err := s.cfg.Store.PendingSends(job, key)
	if err != nil {
		return err
	}
	for _, p := range pending {
		s.log.Warn("a send was interrupted by a stop; not repeated", "job", job, "slot", key, "to", p.Recipient)
		err := errors.New("întrerupt de o oprire: poate nu a ajuns")
		if err := s.cfg.Store.FinishSend(ctx, job, key, p.Recipient, s.now(), err); err != nil {
			return err
		}
	}
	return nil
}

// send delivers one message once: claimed before, marked after, retried
// with backoff on errors; a permanent failure is recorded for the Cabinet.
func (s *Scheduler) send(ctx context.Context, job, key string, m Message) (bool, error) {
	claimed, err := s.cfg.Store.ClaimSend(ctx, job, key, m.Key, s.now())
	if err != nil || !claimed {
		return false, err
	}
	var sendErr error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if sendErr = s.cfg.Deliver.Deliver(ctx, m.To, m.Reply); sendErr == nil {
			break
		}
		if attempt == maxAttempts || ctx.Err() != nil {
			break
		}
		s.log.Warn("delivery failed, retrying", "job", job, "to", m.Key, "attempt", attempt, "err", sendErr)
		select {
		case <-time.After(s.cfg.Backoff(attempt)):
		case <-ctx.Done():
		}
	}
	if sendErr != nil {
		s.log.Error("delivery failed for good", "job", job, "to", m.Key, "err", sendErr)
	}
	if err := s.cfg.Store.FinishSend(context.WithoutCancel(ctx), job, key, m.Key, s.now(), sendErr); err != nil {
		return false, err
	}
	if sendErr == nil && m.Sent != nil {
		if err := m.Sent(ctx); err != nil {
			s.log.Warn("after-send bookkeeping", "job", job, "to", m.Key, "err", err)
		}
	}
	return sendErr == nil, nil
}

// List describes the jobs (commands.Jobs).
func (s *Scheduler) List() []commands.JobInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []commands.JobInfo
	now := s.now().In(calendar.Bucharest)
	for _, j := range s.jobs {
		st := s.state[j.Name]
		info := commands.JobInfo{Name: j.Name, Aliases: j.Aliases, Title: j.Title, TitleEn: j.TitleEn,
			Spec: st.spec, Enabled: st.enabled, WorkingDays: j.WorkingDays}
		if st.enabled {
			info.Next = st.schedule.Next(now)
		}
		out = append(out, info)
	}
	return out
}

// RunNow runs a job at once (commands.Jobs). A run by hand has its own slot
// name, so it does not use up the scheduled run of the day.
func (s *Scheduler) RunNow(ctx context.Context, name string) (string, error) {
	j := s.job(name)
	if j == nil {
		return "", commands.ErrUnknownJob
	}
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.stopped {
		return "", errors.New("the scheduler is stopping")
	}
	now := s.now()
	key := "manual-" + now.In(calendar.Bucharest).Format("2006-01-02T15:04:05.000")
	sent, err := s.runSafe(ctx, j, now, key)
	if err != nil {
		return "", err
	}
	return text.Count(sent, text.Mesaje) + ".", nil
}

// SetSchedule changes a job's schedule and keeps it (commands.Jobs).
func (s *Scheduler) SetSchedule(ctx context.Context, name, spec, who string) error {
	j := s.job(name)
	if j == nil {
		return commands.ErrUnknownJob
	}
	sched, err := ParseSpec(spec)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SetSetting(ctx, settingSpec(name), spec, storage.Meta{Who: who, At: s.now()}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state[name]
	st.spec, st.schedule = spec, sched
	if s.cron != nil {
		s.scheduleLocked(j)
	}
	return nil
}

// SetEnabled turns a job on or off and keeps it (commands.Jobs).
func (s *Scheduler) SetEnabled(ctx context.Context, name string, on bool, who string) error {
	j := s.job(name)
	if j == nil {
		return commands.ErrUnknownJob
	}
	v := "off"
	if on {
		v = "on"
	}
	if err := s.cfg.Store.SetSetting(ctx, settingEnabled(name), v, storage.Meta{Who: who, At: s.now()}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[name].enabled = on
	if s.cron != nil {
		s.scheduleLocked(j)
	}
	return nil
}

func (s *Scheduler) job(name string) *Job {
	i := slices.IndexFunc(s.jobs, func(j *Job) bool { return j.Name == name })
	if i < 0 {
		return nil
	}
	return s.jobs[i]
}

// cronLogger sends robfig/cron's logs to slog (info is debug: one per run).
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
