package scheduler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// inbox plays a perfect outbox sender: it takes what the scheduler queued,
// in order, and marks it sent.
type inbox struct {
	mu    sync.Mutex
	got   []delivery
	store func() *storage.Store
}

type delivery struct {
	to    commands.Recipient
	reply commands.Reply
}

// drain takes what waits in the outbox.
func (b *inbox) drain() {
	st := b.store()
	entries, err := st.Outbox()
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		n, err := commands.DecodeNotice(e.Outgoing)
		if err != nil {
			panic(err)
		}
		b.got = append(b.got, delivery{n.To, n.Reply})
		if err := st.OutboxSent(context.Background(), e.Seq, time.Now()); err != nil {
			panic(err)
		}
	}
}

// count returns how many messages went to each recipient whose title starts
// with prefix.
func (b *inbox) count(prefix string) map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drain()
	out := map[string]int{}
	for _, d := range b.got {
		if strings.HasPrefix(d.reply.Title, prefix) {
			out[string(d.to.Kind)+":"+d.to.ID]++
		}
	}
	return out
}

func (b *inbox) titles() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drain()
	var out []string
	for _, d := range b.got {
		out = append(out, d.reply.Title)
	}
	return out
}

// rig is a scheduler on a real database with a clock the test moves.
type rig struct {
	t      *testing.T
	dir    string
	store  *storage.Store
	engine *commands.Engine
	inbox  *inbox
	mu     sync.Mutex
	now    time.Time
}

func local(s string) time.Time {
	t, err := time.ParseInLocation("02.01.2006 15:04", s, calendar.Bucharest)
	if err != nil {
		panic(err)
	}
	return t
}

func newRig(t *testing.T, now string) *rig {
	r := &rig{t: t, dir: t.TempDir(), now: local(now)}
	r.inbox = &inbox{store: func() *storage.Store { return r.store }}
	r.open()
	t.Cleanup(func() { r.store.Close() })
	return r
}

func (r *rig) open() {
	s, err := storage.Open(r.dir, storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		r.t.Fatal(err)
	}
	r.store = s
	r.engine, err = commands.New(commands.Config{Store: s, Clock: r.clock, Admins: []string{"console:op"}})
	if err != nil {
		r.t.Fatal(err)
	}
}

// restart closes the database and opens it again, as a new process would.
func (r *rig) restart() {
	r.store.Close()
	r.open()
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) set(t time.Time) {
	r.mu.Lock()
	r.now = t
	r.mu.Unlock()
}

func (r *rig) scheduler(specs map[string]string) *Scheduler {
	s, err := New(Config{Store: r.store, Engine: r.engine, Clock: r.clock, Specs: specs,
		BackupDir: filepath.Join(r.dir, "..", "backups")})
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *rig) do(line string) commands.Reply {
	r.t.Helper()
	rep := r.engine.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "op"}, Text: line})
	if rep.Kind != commands.OK {
		r.t.Fatalf("%s: %s %v", line, rep.Title, rep.Lines)
	}
	return rep
}

// simulate plays the cron from one moment to another: every firing time of
// every enabled job, in order, as robfig/cron computes them (including the
// second firing in a repeated fall-back hour), moving the clock to each.
func (r *rig) simulate(s *Scheduler, from, to time.Time) {
	type firing struct {
		at  time.Time
		job *Job
	}
	var firings []firing
	for _, j := range s.jobs {
		st := s.state[j.Name]
		if !st.enabled {
			continue
		}
		for t := st.schedule.Next(from); !t.After(to); t = st.schedule.Next(t) {
			firings = append(firings, firing{t, j})
		}
	}
	sort.SliceStable(firings, func(i, k int) bool { return firings[i].at.Before(firings[k].at) })
	for _, f := range firings {
		r.set(f.at)
		s.tick(context.Background(), f.job, f.at)
	}
}

func (r *rig) standard() {
	r.do(`departament adauga DT "Direcția Tehnică"`)
	r.do(`departament adauga DAS "Direcția de Asistență Socială"`)
	r.do(`rol telegram:100 primar`)
	r.do(`rol telegram:101 primar`)
}

func TestEachJobFiresAtItsTimeOnItsDays(t *testing.T) {
	// Mon 30.11 and Tue 01.12.2026 are holidays, Sat 28 and Sun 29 weekend.
	r := newRig(t, "26.11.2026 00:00")
	r.standard()
	r.do(`inregistreaza de="A" subiect="Iluminat" categorie=informatii`)                 // due 07.12.2026
	r.do(`inregistreaza de="B" subiect="Raport" categorie=institutie termen=02.12.2026`) // due 02.12.2026
	r.do("repartizeaza 1/2026 DT")
	r.do("repartizeaza 2/2026 DT")
	s := r.scheduler(nil)
	r.simulate(s, local("26.11.2026 00:00"), local("03.12.2026 23:59"))

	mornings := r.inbox.count("Bună dimineața")
	if mornings["person:telegram:100"] != 8 || mornings["person:telegram:101"] != 8 {
		t.Errorf("the morning agenda goes out every day, once to each Mayor: %v", mornings)
	}
	// Working days in 26.11–03.12: 26, 27.11, 02, 03.12.
	summaries := r.inbox.count("Rezumatul Cabinetului")
	if summaries["cabinet:"] != 4 {
		t.Errorf("Cabinet summaries: %v (want 4: no weekend, no 30.11, no 01.12)", summaries)
	}
	digests := r.inbox.count("Registratura — DT")
	if digests["department:DT"] != 4 {
		t.Errorf("DT digests: %v", digests)
	}
	if n := r.inbox.count("Registratura — DAS")["department:DAS"]; n != 0 {
		t.Errorf("DAS has nothing to say but got %d digests", n)
	}
	for _, title := range r.inbox.titles() {
		if strings.Contains(title, "01.12.2026") && strings.HasPrefix(title, "Registratura") {
			t.Errorf("a department digest on the 1st of December: %s", title)
		}
	}
	// Reminders: due 07.12 (Mon); 3 working days before = 02.12, 1 before = 04.12 (outside).
	// 2/2026 (due 02.12): 1 working day before is 27.11.
	if rem := r.inbox.count("Reamintire"); rem["item:1/2026"] != 1 || rem["item:2/2026"] != 1 {
		t.Errorf("reminders: %v", rem)
	}
	// 2/2026 missed 02.12: escalated on 03.12 to DT and to the Cabinet, once.
	if esc := r.inbox.count("Termen depășit: 2/2026"); esc["department:DT"] != 1 || esc["cabinet:"] != 1 {
		t.Errorf("escalations: %v", esc)
	}
}

func TestDSTDaysFireExactlyOnce(t *testing.T) {
	for _, day := range []string{"29.03.2026", "25.10.2026"} {
		t.Run(day, func(t *testing.T) {
			r := newRig(t, day+" 00:00")
			r.standard()
			// The summary at 03:30 falls in the repeated hour of 25.10 (and
			// in the skipped one of 29.03); the morning agenda at 07:30.
			s := r.scheduler(map[string]string{JobWeekly: "30 3 * * *"})
			r.simulate(s, local(day+" 00:00").Add(-time.Minute), local(day+" 23:59"))
			if n := r.inbox.count("Bună dimineața")["person:telegram:100"]; n != 1 {
				t.Errorf("morning agenda sent %d times", n)
			}
			if n := r.inbox.count("Sinteza")["cabinet:"]; day == "25.10.2026" && n != 1 {
				t.Errorf("a job in the repeated hour sent %d times", n)
			}
		})
	}
}

func TestCatchUpAfterDowntime(t *testing.T) {
	r := newRig(t, "25.11.2026 07:00")
	r.standard()
	// Down at 07:30; up at 07:50: the Mayor still gets the agenda, once.
	r.set(local("25.11.2026 07:50"))
	r.scheduler(nil).CatchUp(context.Background())
	if got := r.inbox.count("Bună dimineața"); got["person:telegram:100"] != 1 || got["person:telegram:101"] != 1 {
		t.Fatalf("catch-up: %v", got)
	}
	if n := len(r.inbox.count("Rezumatul")); n != 0 {
		t.Fatalf("the 08:15 summary is not due at 07:50: %d", n)
	}
	// Stopped after it was sent and started again: nothing more.
	r.restart()
	r.set(local("25.11.2026 08:00"))
	s := r.scheduler(nil)
	s.CatchUp(context.Background())
	if got := r.inbox.count("Bună dimineața"); got["person:telegram:100"] != 1 {
		t.Fatalf("after a restart: %v", got)
	}
	// The next day, yesterday's missed runs are not caught up.
	r.set(local("26.11.2026 07:10"))
	r.scheduler(nil).CatchUp(context.Background())
	if got := r.inbox.count("Bună dimineața"); got["person:telegram:100"] != 1 {
		t.Fatalf("an older miss was caught up: %v", got)
	}
}

func TestAStopAfterQueueingSendsNothingTwice(t *testing.T) {
	r := newRig(t, "25.11.2026 07:30")
	r.standard()
	ctx := context.Background()
	// The slot's messages are queued with its done mark in one transaction;
	// the process stops before the outbox delivers them.
	r.scheduler(nil).CatchUp(ctx)
	queued, _ := r.store.Outbox()
	if len(queued) != 2 {
		t.Fatalf("queued: %d, want one per Mayor", len(queued))
	}
	if st, _ := r.store.SendState(JobMorning, slotKey(local("25.11.2026 07:30")), "telegram:100"); st != storage.SendQueued {
		t.Fatalf("send log: %q", st)
	}
	r.restart()
	r.set(local("25.11.2026 07:40"))
	r.scheduler(nil).CatchUp(ctx)
	if again, _ := r.store.Outbox(); len(again) != 2 {
		t.Fatalf("after the restart %d messages wait, want the same 2 (none queued twice)", len(again))
	}
	if got := r.inbox.count("Bună dimineața"); !reflect.DeepEqual(got, map[string]int{"person:telegram:100": 1, "person:telegram:101": 1}) {
		t.Fatalf("delivered: %v", got)
	}
	if st, _ := r.store.SendState(JobMorning, slotKey(local("25.11.2026 07:30")), "telegram:101"); st != storage.SendSent {
		t.Fatalf("send log after delivery: %q", st)
	}
}

func TestAMissPastItsWindowIsReportedNotSent(t *testing.T) {
	r := newRig(t, "25.11.2026 07:00")
	r.standard()
	ctx := context.Background()
	// Down from 07:00 to 15:20: the morning agenda (07:30, window until
	// 10:00) and the digest (08:00, window two hours) are not sent late.
	r.set(local("25.11.2026 15:20"))
	r.scheduler(nil).CatchUp(ctx)
	if got := r.inbox.count("Bună dimineața"); len(got) != 0 {
		t.Fatalf("the morning agenda went out at 15:20: %v", got)
	}
	if got := r.inbox.count("Rezumatul"); len(got) != 0 {
		t.Fatalf("the 08:15 summary went out at 15:20: %v", got)
	}
	failed, _ := r.store.FailedSends(local("25.11.2026 00:00"))
	jobs := map[string]bool{}
	for _, f := range failed {
		if f.State == storage.SendMissed {
			jobs[f.Job] = true
		}
	}
	for _, j := range []string{JobMorning, JobDigest, JobSummary, JobReminders, JobEscalation} {
		if !jobs[j] {
			t.Errorf("the miss of %s is not recorded: %+v", j, failed)
		}
	}
	// Recorded once: a second start records nothing more.
	r.scheduler(nil).CatchUp(ctx)
	if again, _ := r.store.FailedSends(local("25.11.2026 00:00")); len(again) != len(failed) {
		t.Fatalf("misses recorded twice: %d then %d", len(failed), len(again))
	}
	// The next day's summary names them.
	r.set(local("26.11.2026 08:15"))
	r.scheduler(nil).CatchUp(ctx)
	var summary commands.Reply
	r.inbox.count("")
	for _, d := range r.inbox.got {
		if strings.HasPrefix(d.reply.Title, "Rezumatul") {
			summary = d.reply
		}
	}
	if !strings.Contains(strings.Join(summary.Lines, "\n"), "morning") || !strings.Contains(strings.Join(summary.Lines, "\n"), "ratat") {
		t.Fatalf("the summary does not name the missed morning agenda: %v", summary.Lines)
	}
}

func TestAMissWithinItsWindowIsCaughtUp(t *testing.T) {
	r := newRig(t, "25.11.2026 07:00")
	r.standard()
	r.set(local("25.11.2026 09:59"))
	r.scheduler(nil).CatchUp(context.Background())
	if got := r.inbox.count("Bună dimineața"); got["person:telegram:100"] != 1 {
		t.Fatalf("09:59 is within the morning's window: %v", got)
	}
}

func TestJobPanicDoesNotKillTheProcess(t *testing.T) {
	r := newRig(t, "25.11.2026 07:30")
	r.standard()
	s := r.scheduler(nil)
	s.job(JobMorning).build = func(context.Context, *Scheduler, time.Time) ([]Message, error) { panic("job bug") }
	s.Start(context.Background()) // the catch-up runs the morning job, which panics
	s.Stop()
}

func TestDigestCommandRunsAndReschedules(t *testing.T) {
	r := newRig(t, "25.11.2026 10:00")
	r.standard()
	s := r.scheduler(nil)
	r.engine.SetJobs(s)
	list := r.do("digest")
	if !strings.Contains(strings.Join(list.Lines, "\n"), "dimineata (agenda de dimineață a Primarului) · „30 7 * * *”") {
		t.Fatalf("list: %v", list.Lines)
	}
	rep := r.do("digest acum dimineata")
	if !strings.Contains(rep.Title, "2 mesaje puse la trimis") {
		t.Fatalf("run now: %s", rep.Title)
	}
	r.do("digest ora departamente 08:30")
	if st := s.state[JobDigest]; st.spec != "30 8 * * 1-5" {
		t.Fatalf("spec %q", st.spec)
	}
	for _, bad := range []string{`digest ora departamente "61 8 * * *"`, `digest ora departamente "TZ=Europe/X 0 8 * * *"`,
		`digest ora departamente "CRON_TZ= 0 8 * * *"`, `digest ora departamente "@every"`} {
		before, _ := r.store.Snapshot()
		rep := r.engine.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "op"}, Text: bad})
		if rep.Kind != commands.Invalid || !strings.Contains(rep.Title, "nu este valid") {
			t.Errorf("%s: %+v", bad, rep)
		}
		after, _ := r.store.Snapshot()
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s changed the database", bad)
		}
	}
	r.do("digest opreste reamintiri")
	// A new scheduler (a restart) keeps what the admin set.
	s2 := r.scheduler(map[string]string{JobDigest: "0 7 * * 1-5"})
	if s2.state[JobDigest].spec != "30 8 * * 1-5" || s2.state[JobReminders].enabled {
		t.Fatalf("after restart: %+v %+v", s2.state[JobDigest], s2.state[JobReminders])
	}
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	r := newRig(t, "25.11.2026 02:30")
	r.standard()
	for i := range 50 {
		r.do(fmt.Sprintf(`inregistreaza de="Cetățean %d" subiect="Cerere %d"`, i, i))
	}
	r.do("repartizeaza 7/2026 DT")
	r.scheduler(nil).CatchUp(context.Background()) // the 02:30 backup
	files, _ := filepath.Glob(filepath.Join(r.dir, "..", "backups", "cabinetbot-*.bak.gz"))
	if len(files) != 1 {
		t.Fatalf("backup files: %v", files)
	}
	want, _ := r.store.Snapshot()
	for k := range want {
		if strings.HasPrefix(k, "sj/backup/") { // the job's own "done" mark, written after the backup
			delete(want, k)
		}
	}
	f, _ := os.Open(files[0])
	defer f.Close()
	target := filepath.Join(t.TempDir(), "restored")
	if _, err := storage.Restore(target, f, false, storage.Options{}); err != nil {
		t.Fatal(err)
	}
	restored, err := storage.Open(target, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	got, _ := restored.Snapshot()
	if len(got) != len(want) {
		t.Fatalf("restored %d keys, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("key %q differs after restore", k)
		}
	}
	f.Seek(0, 0)
	if _, err := storage.Restore(target, f, false, storage.Options{}); !errors.Is(err, storage.ErrNotEmpty) {
		t.Fatalf("restore over data without --force: %v", err)
	}
}

func TestPruneKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	for d := 1; d <= 20; d++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("cabinetbot-2026-11-%02dT0230.bak.gz", d)), nil, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600)
	if err := pruneBackups(dir, 14); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "cabinetbot-*"))
	if len(left) != 14 || !strings.HasSuffix(left[0], "2026-11-07T0230.bak.gz") {
		t.Fatalf("left: %v", left)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatal("pruned a file that is not a backup")
	}
}

func TestParseSpecGuardsTheCronParser(t *testing.T) {
	for _, spec := range []string{"30 7 * * *", "0 8 * * 1-5", "15 8 * * mon-fri"} {
		if _, err := ParseSpec(spec); err != nil {
			t.Errorf("%q: %v", spec, err)
		}
	}
	for _, spec := range []string{"", "61 * * * *", "TZ=", "CRON_TZ=Nowhere/Else 0 8 * * *", "TZ=Europe/Bucharest", "@every 1x", "* * * *", strings.Repeat("1 ", 80)} {
		if _, err := ParseSpec(spec); !errors.Is(err, commands.ErrBadSchedule) {
			t.Errorf("%q accepted (%v)", spec, err)
		}
	}
}

func TestImpossibleSchedulesAreRefused(t *testing.T) {
	now := local("25.11.2026 10:00")
	for _, spec := range []string{"0 8 31 2 *", "0 8 30 2 *", "0 8 29 2 *", "@every 1s", "@every 59s"} {
		if _, err := ParseSpecAt(spec, now); !errors.Is(err, commands.ErrBadSchedule) {
			t.Errorf("%q accepted (%v)", spec, err)
		}
	}
	for _, spec := range []string{"@every 1m", "@every 2h", "0 8 31 12 *", "0 8 1 1 *", "@daily"} {
		if _, err := ParseSpecAt(spec, now); err != nil {
			t.Errorf("%q: %v", spec, err)
		}
	}
}

func TestDigestRefusesImpossibleSchedules(t *testing.T) {
	r := newRig(t, "25.11.2026 10:00")
	s := r.scheduler(nil)
	r.engine.SetJobs(s)
	for bad, why := range map[string]string{`digest ora dimineata "0 8 31 2 *"`: "nu rulează niciodată", `digest ora dimineata "@every 1s"`: "mai des de o dată pe minut"} {
		before, _ := r.store.Snapshot()
		rep := r.engine.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "op"}, Text: bad})
		if rep.Kind != commands.Invalid || !strings.Contains(rep.Title, "nu este valid") || !strings.Contains(rep.Title, why) {
			t.Errorf("%s: %+v", bad, rep)
		}
		after, _ := r.store.Snapshot()
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s changed the database", bad)
		}
	}
	if st := s.state[JobMorning]; st.spec != "30 7 * * *" {
		t.Fatalf("spec %q", st.spec)
	}
}

func TestBadEnvironmentScheduleStopsTheStart(t *testing.T) {
	r := newRig(t, "25.11.2026 10:00")
	_, err := New(Config{Store: r.store, Engine: r.engine, Clock: r.clock,
		Specs: map[string]string{JobMorning: "0 8 31 2 *"}})
	if !errors.Is(err, commands.ErrBadSchedule) || !strings.Contains(err.Error(), "morning") {
		t.Fatalf("err = %v", err)
	}
}

// A schedule stored before schedules were validated never fires: the start
// must neither hang (the catch-up loop spun on Next's zero time) nor fail.
func TestStoredImpossibleScheduleIsSkipped(t *testing.T) {
	r := newRig(t, "25.11.2026 10:00")
	r.standard()
	meta := storage.Meta{Who: "console:op", At: r.clock()}
	if err := r.store.SetSetting(context.Background(), settingSpec(JobMorning), "0 8 31 2 *", meta); err != nil {
		t.Fatal(err)
	}
	if err := r.store.SetSetting(context.Background(), settingSpec(JobDigest), "@every 1s", meta); err != nil {
		t.Fatal(err)
	}
	s := r.scheduler(nil)
	if st := s.state[JobMorning]; st.spec != "30 7 * * *" {
		t.Fatalf("morning spec %q", st.spec)
	}
	if st := s.state[JobDigest]; st.spec == "@every 1s" {
		t.Fatalf("digest spec %q", st.spec)
	}
	done := make(chan struct{})
	go func() {
		s.Start(context.Background())
		s.Stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the start hangs on a stored impossible schedule")
	}
}

func TestLastSlotIsBounded(t *testing.T) {
	never, err := cron.ParseStandard("0 8 31 2 *")
	if err != nil {
		t.Fatal(err)
	}
	now := local("25.11.2026 10:00")
	if _, ok := lastSlot(never, now.Add(-24*time.Hour), now); ok {
		t.Fatal("a slot for a schedule that never fires")
	}
	often, _ := cron.ParseStandard("@every 1s")
	slot, ok := lastSlot(often, now.Add(-24*time.Hour), now)
	if !ok || slot.After(now) {
		t.Fatalf("slot %v %v", slot, ok)
	}
}

func TestFailedBackupKeepsTheOlderOnesAndIsReported(t *testing.T) {
	r := newRig(t, "24.11.2026 02:30")
	r.standard()
	for i := range 300 {
		r.do(fmt.Sprintf(`inregistreaza de="Cetățean %d" subiect="Cerere %d"`, i, i))
	}
	ctx := context.Background()
	r.scheduler(nil).CatchUp(ctx) // the good backup of 24.11
	backups := filepath.Join(r.dir, "..", "backups")
	before, _ := filepath.Glob(filepath.Join(backups, "*"))
	if len(before) != 1 {
		t.Fatalf("backups: %v", before)
	}
	r.restart() // the tables are on disk now
	ssts, _ := filepath.Glob(filepath.Join(r.dir, "*.sst"))
	for _, f := range ssts { // damage them under the running bot
		b, _ := os.ReadFile(f)
		for i := len(b) / 8; i < len(b)*7/8; i += 4096 {
			b[i] ^= 0xff
		}
		os.WriteFile(f, b, 0o600)
	}
	r.set(local("25.11.2026 02:30"))
	s := r.scheduler(nil)
	s.cfg.KeepBackups = 1
	s.CatchUp(ctx)
	after, _ := filepath.Glob(filepath.Join(backups, "*"))
	if !reflect.DeepEqual(after, before) {
		t.Fatalf("after a failed backup: %v, want the older one kept alone: %v", after, before)
	}
	r.set(local("25.11.2026 08:15"))
	r.scheduler(nil).CatchUp(ctx)
	var summary commands.Reply
	r.inbox.count("") // take what the outbox holds
	for _, d := range r.inbox.got {
		if strings.HasPrefix(d.reply.Title, "Rezumatul") {
			summary = d.reply
		}
	}
	text := strings.Join(summary.Lines, "\n")
	if !strings.Contains(text, "backup (2026-11-25T02:30)") || !strings.Contains(text, "checksum") {
		t.Fatalf("the summary does not report the failed backup: %v", summary.Lines)
	}
}
