// Package scheduler decides when timed messages go out (the morning agenda,
// deadline digests, reminders, escalations, the weekly synthesis, backups),
// asks commands and storage what they say, and puts them in the outbox
// (storage.QueueSlot), which the chat adapters deliver through bot.Outbox.
// It never imports a chat SDK.
//
// Jobs run on robfig/cron/v3 in Europe/Bucharest. A slot's messages are
// queued in one transaction with a send-log record per (job, slot,
// recipient) and the slot's done mark, so a restart, a DST double firing or
// two overlapping runs never queue twice; at start the day's missed run of
// each job is caught up once, within its window (until 10:00 for the
// morning agenda, two hours after the slot for the others); a miss past the
// window is listed in the Cabinet's summary instead.
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

// Config holds what the scheduler needs.
type Config struct {
	Store  *storage.Store
	Engine *commands.Engine
	Logger *slog.Logger
	// Clock tells the time; nil means time.Now.
	Clock func() time.Time
	// Specs override the default schedules (job name → cron spec, or "off"):
	// the environment's CABINET_JOB_<NAME>. Schedules an admin set with the
	// digest command win over these.
	Specs map[string]string
	// BackupDir receives the nightly backups; KeepBackups of them are kept.
	BackupDir   string
	KeepBackups int
	// MorningUntil is the time of day until which a missed morning agenda
	// is still sent (default 10:00); CatchUpWindow, how long after its slot
	// another missed push is (default 2 h).
	MorningUntil  time.Duration
	CatchUpWindow time.Duration
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

	runs runLog // the last run of each job, for the operations endpoint
}

type jobState struct {
	spec     string
	schedule cron.Schedule
	enabled  bool
}

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
	if s.cfg.MorningUntil <= 0 {
		s.cfg.MorningUntil = 10 * time.Hour
	}
	if s.cfg.CatchUpWindow <= 0 {
		s.cfg.CatchUpWindow = 2 * time.Hour
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
	if _, err := ParseSpecAt(spec, s.now()); err != nil {
		return nil, fmt.Errorf("job %s: %w", j.Name, err)
	}
	if v, err := s.cfg.Store.Setting(settingSpec(j.Name)); err != nil {
		return nil, err
	} else if v != "" {
		// A schedule stored before it was validated (one that never fires)
		// must not stop the start: it is skipped, logged, and the admin
		// can set a new one with the digest command.
		if _, err := ParseSpecAt(v, s.now()); err != nil {
			s.log.Error("stored schedule skipped: the job keeps its default; set a new one with `digest ora`",
				"job", j.Name, "stored", v, "using", spec, "err", err)
		} else {
			spec = v
		}
	}
	if v, err := s.cfg.Store.Setting(settingEnabled(j.Name)); err != nil {
		return nil, err
	} else if v != "" {
		enabled = v == "on"
	}
	sched, err := ParseSpecAt(spec, s.now())
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", j.Name, err)
	}
	return &jobState{spec: spec, schedule: sched, enabled: enabled}, nil
}

func settingSpec(job string) string    { return "job/" + job + "/spec" }
func settingEnabled(job string) string { return "job/" + job + "/enabled" }

// MinInterval is the shortest time between two runs of a job: an `@every`
// under it is refused.
const MinInterval = time.Minute

// ParseSpec parses a five-field cron spec in Europe/Bucharest and checks that
// it fires within a year from now (see ParseSpecAt).
func ParseSpec(spec string) (cron.Schedule, error) { return ParseSpecAt(spec, time.Now()) }

// ParseSpecAt parses a five-field cron spec in Europe/Bucharest. The cron
// parser panics on some malformed input (TZ= prefixes): that is recovered and
// reported as commands.ErrBadSchedule, as is any time-zone prefix, a spec
// that never fires within a year of now ("0 8 31 2 *": robfig/cron's Next
// returns the zero time for it) and an `@every` under MinInterval.
func ParseSpecAt(spec string, now time.Time) (sched cron.Schedule, err error) {
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
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay < MinInterval {
		return nil, &commands.ScheduleError{Ro: "ar rula mai des de o dată pe minut", En: "it would run more often than once a minute"}
	}
	now = now.In(calendar.Bucharest)
	if next := sched.Next(now); next.IsZero() || next.After(now.AddDate(1, 0, 0)) {
		return nil, &commands.ScheduleError{Ro: "nu rulează niciodată în următorul an", En: "it never runs within a year"}
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
	s.runs.setRunning(true)
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
	s.runs.setRunning(false)
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

// maxSlotSteps bounds the walk of lastSlot: a day and a bit of one-minute
// slots. A schedule that never fires (Next returns the zero time, which is
// never after now) must not spin for ever.
const maxSlotSteps = 2 * 24 * 60

// lastSlot returns the schedule's last time in (from, now].
func lastSlot(sched cron.Schedule, from, now time.Time) (slot time.Time, ok bool) {
	t := sched.Next(from)
	for steps := 0; steps < maxSlotSteps && !t.IsZero() && t.After(from) && !t.After(now); steps++ {
		slot, ok = t, true
		from, t = t, sched.Next(t)
	}
	return slot, ok
}

// CatchUp runs, once, each enabled job's last slot of today that is past and
// was not run (the process was down at 07:30 and came up at 07:50), when it
// is still within the job's window; a slot past its window, and yesterday's
// last slot if it never ran, are recorded as missed for the Cabinet's
// summary instead of being sent late.
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
			s.missedBefore(ctx, j, st.schedule, dayStart)
			continue
		}
		if done, err := s.cfg.Store.SlotDone(j.Name, slotKey(slot)); err != nil || done {
			continue
		}
		if until := s.window(j, slot); now.After(until) {
			s.miss(ctx, j, slot, until)
			continue
		}
		s.log.Info("catching up a missed run", "job", j.Name, "slot", slotKey(slot))
		s.fire(ctx, j, slot)
	}
}

// window is how late a missed slot of a job is still run: until
// MorningUntil for the morning agenda, CatchUpWindow after the slot for the
// other pushes; a backup is always caught up (it tells nobody anything).
func (s *Scheduler) window(j *Job, slot time.Time) time.Time {
	switch j.Name {
	case JobMorning:
		if until := calendar.DateOf(slot).Start().Add(s.cfg.MorningUntil); until.After(slot) {
			return until
		}
		// A morning agenda moved past MorningUntil gets the others' window.
	case JobBackup:
		return calendar.DateOf(slot).AddDays(1).Start()
	}
	return slot.Add(s.cfg.CatchUpWindow)
}

// miss records a slot that passed while the bot was down, past its window.
func (s *Scheduler) miss(ctx context.Context, j *Job, slot, until time.Time) {
	key := slotKey(slot)
	s.log.Warn("a run was missed and is past its catch-up window; it is reported, not sent late",
		"job", j.Name, "slot", key, "window_ended", until.Format("15:04"))
	why := fmt.Sprintf("ratat: botul nu a rulat la %s; nu s-a trimis după %s", slot.In(calendar.Bucharest).Format("15:04"),
		until.In(calendar.Bucharest).Format("15:04"))
	if err := s.cfg.Store.MissSlot(ctx, j.Name, key, s.now(), why); err != nil {
		s.log.Error("record a missed run", "job", j.Name, "slot", key, "err", err)
	}
}

// missedBefore records yesterday's last slot of a job if it never ran.
func (s *Scheduler) missedBefore(ctx context.Context, j *Job, sched cron.Schedule, dayStart time.Time) {
	prev, ok := lastSlot(sched, dayStart.Add(-24*time.Hour), dayStart.Add(-time.Second))
	if !ok {
		return
	}
	if done, err := s.cfg.Store.SlotDone(j.Name, slotKey(prev)); err == nil && !done {
		s.miss(ctx, j, prev, s.window(j, prev))
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
	// Mark, when set, names a state ("digest/DT") set to MarkAt when the
	// message is queued: when a recurring message last went out.
	Mark   string
	MarkAt time.Time
}

// fire runs one slot of a job: builds its messages and queues each once.
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
	_, err := s.run(ctx, j, slot, key)
	st := RunStatus{Job: j.Name, At: s.now(), Slot: key, OK: err == nil}
	if err != nil {
		st.Err = err.Error()
		s.log.Error("job failed", "job", j.Name, "slot", key, "err", err)
	}
	s.runs.record(st)
}

// run builds a slot's messages and queues them in the outbox with the slot's
// done mark; it returns how many were queued.
func (s *Scheduler) run(ctx context.Context, j *Job, slot time.Time, key string) (int, error) {
	var msgs []Message
	day := calendar.DateOf(slot)
	if j.WorkingDays && !s.cfg.Engine.Calendar().IsWorkingDay(day) {
		s.log.Info("not a working day: job skipped", "job", j.Name, "day", day.String())
	} else {
		var err error
		if msgs, err = j.build(ctx, s, slot); err != nil {
			return 0, err
		}
	}
	outs := make([]storage.Outgoing, 0, len(msgs))
	state := map[string]string{}
	for _, m := range msgs {
		o, err := commands.Notice{To: m.To, Reply: m.Reply}.Outgoing()
		if err != nil {
			return 0, err
		}
		o.Kind, o.Key = storage.OutPush, storage.SendKey(j.Name, key, m.Key)
		outs = append(outs, o)
		if m.Mark != "" {
			state["sent/"+m.Mark] = m.MarkAt.UTC().Format(time.RFC3339)
		}
	}
	n, err := s.cfg.Store.QueueSlot(context.WithoutCancel(ctx), j.Name, key, s.now(), outs, state)
	if err != nil {
		return 0, err
	}
	s.log.Info("job ran", "job", j.Name, "slot", key, "messages", len(msgs), "queued", n)
	return n, nil
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
	st := RunStatus{Job: j.Name, At: s.now(), Slot: key, OK: err == nil}
	if err != nil {
		st.Err = err.Error()
	}
	s.runs.record(st)
	if err != nil {
		return "", err
	}
	return text.Count(sent, text.MesajeLaTrimis) + ".", nil
}

// SetSchedule changes a job's schedule and keeps it (commands.Jobs).
func (s *Scheduler) SetSchedule(ctx context.Context, name, spec, who string) error {
	j := s.job(name)
	if j == nil {
		return commands.ErrUnknownJob
	}
	sched, err := ParseSpecAt(spec, s.now())
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
