package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// flaky is a platform whose sends fail as the test says, chat by chat.
type flaky struct {
	name string
	mu   sync.Mutex
	sent map[string]int
	fail map[string][]error // chat → the errors of its next sends
}

func newFlaky(name string) *flaky {
	return &flaky{name: name, sent: map[string]int{}, fail: map[string][]error{}}
}

func (f *flaky) Name() string { return f.name }

func (f *flaky) Send(_ context.Context, chat string, _ commands.Reply) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if errs := f.fail[chat]; len(errs) > 0 {
		f.fail[chat] = errs[1:]
		if errs[0] != nil {
			return "", errs[0]
		}
	}
	f.sent[chat]++
	return fmt.Sprintf("m%d", f.sent[chat]), nil
}

func (f *flaky) count(chat string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent[chat]
}

type outboxRig struct {
	t     *testing.T
	dir   string
	store *storage.Store
	hub   *Hub
	sl    *flaky
	tg    *flaky
}

func newOutboxRig(t *testing.T) *outboxRig {
	r := &outboxRig{t: t, dir: t.TempDir(), sl: newFlaky("slack"), tg: newFlaky("telegram")}
	r.open()
	m := storage.Meta{Who: "test", At: time.Now()}
	ctx := context.Background()
	if err := r.store.AddDepartment(ctx, storage.Department{Code: "DT", Name: "Direcția Tehnică", SlackChannel: "CDT", TelegramChat: "-100"}, m); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *outboxRig) open() {
	s, err := storage.Open(r.dir, storage.Options{NoSync: true})
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { s.Close() })
	r.store = s
	r.hub = NewHub(s, nil)
	r.hub.Cabinet = []Address{{"slack", "CCAB"}}
	r.hub.Add(r.sl)
	r.hub.Add(r.tg)
}

func (r *outboxRig) queue(to commands.Recipient, title string) {
	o, err := commands.Notice{To: to, Reply: commands.Reply{Title: title, Item: "1/2026"}}.Outgoing()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.store.Enqueue(context.Background(), time.Now(), o); err != nil {
		r.t.Fatal(err)
	}
}

// run runs an outbox until it is empty.
func (r *outboxRig) run() {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	o := NewOutbox(OutboxConfig{Store: r.store, Hub: r.hub, Backoff: func(int) time.Duration { return time.Millisecond },
		Rescan: 10 * time.Millisecond})
	go func() { o.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		q, err := r.store.Outbox()
		if err == nil && len(q) == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the outbox still holds %+v", q)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

var errDown = fmt.Errorf("%w: 502 Bad Gateway", ErrTransient)

// A department with a channel and a group: a transient failure on one is
// tried again there only; the other is not sent twice.
func TestOutboxRetriesOnlyTheAddressThatFailed(t *testing.T) {
	r := newOutboxRig(t)
	r.tg.fail["-100"] = []error{errDown, errDown}
	r.queue(commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, "Vi s-a repartizat 1/2026")
	r.run()
	if r.sl.count("CDT") != 1 || r.tg.count("-100") != 1 {
		t.Fatalf("slack %d, telegram %d: want one each", r.sl.count("CDT"), r.tg.count("-100"))
	}
}

// An address reached before a stop is not sent again after it: the entry
// remembers it.
func TestOutboxResumesWithoutResending(t *testing.T) {
	r := newOutboxRig(t)
	r.queue(commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, "Vi s-a repartizat 1/2026")
	q, _ := r.store.Outbox()
	// What a crash after the Slack post and before the Telegram one leaves.
	if err := r.store.OutboxReached(context.Background(), q[0].Seq, "slack:CDT"); err != nil {
		t.Fatal(err)
	}
	r.store.Close()
	r.open()
	r.run()
	if r.sl.count("CDT") != 0 || r.tg.count("-100") != 1 {
		t.Fatalf("after the restart: slack %d (already reached), telegram %d", r.sl.count("CDT"), r.tg.count("-100"))
	}
}

// A permanent failure is not tried again; it is reported once to the
// Cabinet and listed for its summary. A report that cannot be delivered is
// not reported in turn.
func TestOutboxReportsPermanentFailuresOnce(t *testing.T) {
	r := newOutboxRig(t)
	r.tg.fail["-100"] = []error{errors.New("Forbidden: bot was kicked"), nil}
	r.sl.fail["CCAB"] = []error{errors.New("channel_not_found")}
	r.queue(commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, "Vi s-a repartizat 1/2026")
	r.run()
	if r.tg.count("-100") != 0 || r.sl.count("CDT") != 1 {
		t.Fatalf("telegram %d, slack %d", r.tg.count("-100"), r.sl.count("CDT"))
	}
	failed, err := r.store.FailedSends(time.Now().Add(-time.Hour))
	if err != nil || len(failed) != 2 {
		t.Fatalf("failures: %+v %v (want the notice and its report)", failed, err)
	}
	if failed[0].Item != "1/2026" || failed[0].Job != storage.OutNotice || failed[1].Job != storage.OutReport {
		t.Errorf("failures: %+v", failed)
	}
	if r.sl.count("CCAB") != 0 {
		t.Errorf("the report was sent %d times", r.sl.count("CCAB"))
	}
}

// A transient failure that outlasts the message's time is a failure.
func TestOutboxGivesUpAfterItsTime(t *testing.T) {
	r := newOutboxRig(t)
	r.tg.fail["-100"] = []error{errDown, errDown, errDown, errDown, errDown, errDown}
	o, _ := commands.Notice{To: commands.Recipient{Kind: commands.ToPerson, ID: "telegram:-100"}, Reply: commands.Reply{Title: "x"}}.Outgoing()
	o.Kind = storage.OutPush
	if err := r.store.Enqueue(context.Background(), time.Now().Add(-time.Hour+50*time.Millisecond), o); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ob := NewOutbox(OutboxConfig{Store: r.store, Hub: r.hub, Backoff: func(int) time.Duration { return 40 * time.Millisecond }})
	go ob.Run(ctx)
	for q, _ := r.store.Outbox(); len(q) > 0; q, _ = r.store.Outbox() {
		if time.Since(start) > 5*time.Second {
			t.Fatal("never gave up")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if failed, _ := r.store.FailedSends(start.Add(-time.Hour)); len(failed) != 1 || failed[0].Job != storage.OutPush {
		t.Fatalf("failures: %+v", failed)
	}
}
