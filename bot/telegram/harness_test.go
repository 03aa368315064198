package telegram_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/telegram"
	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The people of the tests.
var (
	admin    = models.User{ID: 1, FirstName: "Admin", LanguageCode: "ro"}  // CABINET_ADMINS
	mayor    = models.User{ID: 100, FirstName: "Emil", LastName: "Primar"} // role primar
	member   = models.User{ID: 200, FirstName: "Dana", LastName: "Tehnic"} // member of DT
	other    = models.User{ID: 210, FirstName: "Sorin", LastName: "Social"}
	stranger = models.User{ID: 999, FirstName: "Necunoscut"}

	dtGroup      = tgfake.Group(-1001, "Direcția Tehnică")
	cabinetGroup = tgfake.Group(-2002, "Cabinet")
)

const operator = "console:operator"

// env is a running bot: the real engine on Badger in a temp dir, the real
// go-telegram/bot client, and the fake Bot API on 127.0.0.1.
type env struct {
	t      testing.TB
	fake   *tgfake.Server
	store  *storage.Store
	engine telegram.Engine
	eng    *commands.Engine
	hub    *bot.Hub
	logs   *logRecorder
	waits  *waitLog
	cfg    telegram.Config

	mu  sync.Mutex
	now time.Time

	a      *telegram.Adapter
	cancel context.CancelFunc
	done   chan error
}

func newEnv(t testing.TB) *env { return newEnvSync(t, false) }

// newEnvSync is newEnv with the database synced on every commit, as in
// production (for benchmarks).
func newEnvSync(t testing.TB, durable bool) *env {
	t.Helper()
	return newEnvAt(t, t.TempDir(), durable)
}

// newEnvIn is newEnv on a database directory the test keeps (to open it
// again after a crash).
func newEnvIn(t testing.TB, dir string) *env { return newEnvAt(t, dir, false) }

func newEnvAt(t testing.TB, dir string, durable bool) *env {
	t.Helper()
	e := &env{t: t, fake: tgfake.New(t), logs: &logRecorder{}, waits: &waitLog{},
		now: time.Date(2026, 11, 25, 10, 0, 0, 0, calendar.Bucharest)}
	e.open(dir, durable)
	return e
}

// reopen opens the database directory again, as a new process does.
func (e *env) reopen(dir string) { e.open(dir, false) }

func (e *env) open(dir string, durable bool) {
	t := e.t
	var err error
	e.store, err = storage.Open(dir, storage.Options{NoSync: !durable, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	store := e.store
	t.Cleanup(func() { store.Close() })
	log := slog.New(e.logs)
	e.eng, err = commands.New(commands.Config{Store: e.store, Clock: e.clock, Logger: log,
		Admins: []string{operator, "telegram:1"}})
	if err != nil {
		t.Fatal(err)
	}
	e.engine = e.eng
	e.hub = bot.NewHub(e.store, log)
	e.hub.Cabinet = []bot.Address{{Platform: "telegram", Chat: "-2002"}}
	e.cfg = telegram.Config{Token: tgfake.Token, APIURL: e.fake.URL, Store: e.store, Hub: e.hub, Logger: log,
		PollTimeout: time.Second, ChatInterval: time.Millisecond, GroupWindow: 20 * time.Millisecond,
		HandlerTimeout: 20 * time.Second}
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// standard adds the departments and the people of the tests.
func (e *env) standard() *env {
	e.must(`departament adauga DT "Direcția Tehnică" tip=directie`)
	e.must(`departament adauga DAS "Direcția de Asistență Socială"`)
	e.must(`rol telegram:100 primar nume="Emil Primar"`)
	e.must(`rol telegram:200 departament=DT`)
	e.must(`rol telegram:210 departament=DAS`)
	_, err := e.store.ChangeDepartment(context.Background(), "DT", "set-telegram", storage.Meta{Who: operator, At: e.clock()},
		func(d *storage.Department) error { d.TelegramChat = "-1001"; return nil })
	if err != nil {
		e.t.Fatal(err)
	}
	return e
}

// must runs a command as the console operator; its notices are delivered by
// the outbox once the adapter runs.
func (e *env) must(line string) commands.Reply {
	e.t.Helper()
	r := e.eng.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "operator"}, Text: line})
	if r.Kind != commands.OK {
		e.t.Fatalf("%q: %s %v", line, r.Title, r.Lines)
	}
	return r
}

// start connects the adapter and waits until it takes updates.
func (e *env) start() *telegram.Adapter {
	e.t.Helper()
	cfg := e.cfg
	cfg.Engine = e.engine
	if cfg.Wait == nil {
		cfg.Wait = e.waits.wait
	}
	a, err := telegram.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.hub.Add(a)
	ctx, cancel := context.WithCancel(context.Background())
	e.a, e.cancel, e.done = a, cancel, make(chan error, 2)
	ob := bot.NewOutbox(bot.OutboxConfig{Store: e.store, Hub: e.hub, Logger: slog.New(e.logs), Clock: e.clock,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }, Rescan: 50 * time.Millisecond})
	go func() { ob.Run(ctx); e.done <- nil }()
	go func() { e.done <- a.Run(ctx) }()
	select {
	case <-a.Ready():
	case err := <-e.done:
		e.t.Fatalf("the adapter stopped before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		e.t.Fatal("the adapter is not ready")
	}
	e.t.Cleanup(e.stop)
	return a
}

// stop stops the adapter and waits for it.
func (e *env) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	for range 2 {
		if err := <-e.done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	}
	e.cancel = nil
}

// say queues a text message from a user in a chat and returns its ID.
func (e *env) say(chat models.Chat, from models.User, text string, replyTo int) int {
	_, id := e.fake.PushText(chat, from, text, replyTo)
	return id
}

// replies waits for n messages from the bot in a chat and returns them.
func (e *env) replies(chat int64, n int) []tgfake.Message {
	e.t.Helper()
	e.fake.WaitFor(e.t, "the bot's messages", func() bool { return len(e.fake.SentTo(chat)) >= n })
	e.delivered()
	return e.fake.SentTo(chat)
}

// settle waits until every update queued so far was handled: the bot's
// stored offset reached the last one.
func (e *env) settle() {
	e.t.Helper()
	last := itoa(e.fake.LastUpdate())
	e.fake.WaitFor(e.t, "the updates to be handled", func() bool {
		v, _ := e.store.State("telegram/offset")
		return v == last
	})
	e.a.Flush()
	e.delivered()
}

// delivered waits until the outbox is empty (its messages bound to their
// items) and the replies queued went out.
func (e *env) delivered() {
	e.t.Helper()
	e.fake.WaitFor(e.t, "the outbox to be delivered", func() bool {
		q, _ := e.store.Outbox()
		return len(q) == 0
	})
	if e.a != nil {
		e.a.Flush()
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e *env) snapshot() map[string]string {
	e.t.Helper()
	s, err := e.store.Snapshot()
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// changes lists the keys that differ between two snapshots.
func changes(before, after map[string]string) []string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			out = append(out, "-"+k)
		}
	}
	return out
}

func has(t *testing.T, m tgfake.Message, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Text, p) {
			t.Errorf("message lacks %q:\n%s", p, m.Text)
		}
	}
}

// logRecorder keeps log records for assertions.
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	l.mu.Lock()
	l.msgs = append(l.msgs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

func (l *logRecorder) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if strings.Contains(m, sub) {
			n++
		}
	}
	return n
}

// waitLog records the pauses the adapter asks for instead of sleeping them.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitLog) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waitLog) longest() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	var m time.Duration
	for _, d := range w.waits {
		m = max(m, d)
	}
	return m
}
