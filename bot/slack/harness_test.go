package slack_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/slack"
	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The people and channels of the tests.
const (
	admin    = "UADMIN"   // CABINET_ADMINS
	ana      = "UANA"     // cabinet
	dtMember = "UDT"      // member of DT
	dasMemb  = "UDAS"     // member of DAS
	viewer   = "UVIEW"    // viewer
	stranger = "USTRANGE" // nobody
	cabinet  = "CCAB"     // the Cabinet's channel (CABINET_CHANNELS)
	dtChan   = "CDT"      // DT's channel
)

const reg = `inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă <mare> & adâncă pe str. Horea"`

// world is a bot on a real Badger database, connected to a fake Slack.
type world struct {
	t      testing.TB
	fake   *slackfake.Server
	store  *storage.Store
	engine *commands.Engine
	hub    *bot.Hub
	ad     *slack.Adapter
	waits  *waits
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	// httpBase is the root URL of the HTTP Events API (HTTP mode).
	httpBase string
}

// waits records the pauses the adapter asked for (pacing, Retry-After)
// instead of sleeping them.
type waits struct {
	mu  sync.Mutex
	all []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	if d > 0 {
		w.all = append(w.all, d)
	}
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.all...)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// now is the day the tests stand on.
var now = time.Date(2026, 11, 25, 10, 0, 0, 0, calendar.Bucharest)

// newWorld sets up the register (departments DT with its channel, DAS, DPM,
// closed BRP; people) and the adapter, not yet started.
func newWorld(t testing.TB, mode string, tune ...func(*slack.Config)) *world {
	t.Helper()
	w := &world{t: t, fake: slackfake.New(t), waits: &waits{}, logs: &syncBuffer{}}
	var err error
	w.store, err = storage.Open(t.TempDir(), storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w.engine, err = commands.New(commands.Config{Store: w.store, Clock: func() time.Time { return now }, Logger: log,
		Admins: []string{"slack:" + admin, "console:operator"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`departament adauga DT "Direcția Tehnică" tip=directie`,
		`departament adauga DAS "Direcția de Asistență Socială"`,
		`departament adauga DPM "Direcția Patrimoniu Municipal"`,
		`departament adauga BRP "Biroul Relații Publice"`,
		`departament inchide BRP`,
		`rol slack:` + ana + ` cabinet nume="Ana Pop"`,
		`rol slack:` + dtMember + ` departament=DT`,
		`rol slack:` + dasMemb + ` departament=DAS`,
		`rol slack:` + viewer + ` vizualizare`,
	} {
		if r := w.engine.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "operator"}, Text: line}); r.Kind != commands.OK {
			t.Fatalf("%s: %s", line, r.Title)
		}
	}
	if _, err := w.store.ChangeDepartment(context.Background(), "DT", "channel", storage.Meta{Who: "test", At: now},
		func(d *storage.Department) error { d.SlackChannel = dtChan; return nil }); err != nil {
		t.Fatal(err)
	}
	w.hub = bot.NewHub(w.store, log)
	w.hub.Cabinet = []bot.Address{{Platform: "slack", Chat: cabinet}}
	cfg := slack.Config{BotToken: slackfake.BotToken, APIURL: w.fake.URL + "/api", // no trailing slash: the adapter adds it
		Engine: w.engine, Store: w.store, Hub: w.hub, Logger: log,
		PingInterval: 3 * time.Second, PostInterval: -1, Wait: w.waits.wait}
	switch mode {
	case "socket":
		cfg.AppToken = slackfake.AppToken
	case "http":
		cfg.SigningSecret = secret
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Listener = ln
	}
	for _, f := range tune {
		f(&cfg)
	}
	w.ad, err = slack.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.hub.Add(w.ad)
	t.Cleanup(func() {
		w.stop()
		if t.Failed() {
			t.Logf("adapter log:\n%s", w.logs.String())
		}
	})
	if mode == "http" {
		w.httpBase = "http://" + cfg.Listener.Addr().String()
	}
	return w
}

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// start runs the adapter; in Socket Mode it waits for the connection.
func (w *world) start() *world {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan error, 2)
	ob := bot.NewOutbox(bot.OutboxConfig{Store: w.store, Hub: w.hub, Logger: slog.New(slog.NewTextHandler(w.logs, nil)),
		Clock: func() time.Time { return now }, Backoff: func(int) time.Duration { return 10 * time.Millisecond },
		Rescan: 50 * time.Millisecond})
	go func() { ob.Run(ctx); w.done <- nil }()
	go func() { w.done <- w.ad.Run(ctx) }()
	select {
	case <-w.ad.Ready():
	case err := <-w.done:
		w.t.Fatalf("Run ended before it was ready: %v", err)
	case <-time.After(slackfake.WaitTimeout):
		w.t.Fatal("the adapter did not get ready")
	}
	if w.ad.Mode() == "socket" {
		w.fake.WaitConnected(1)
	}
	return w
}

func (w *world) stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	for range 2 {
		select {
		case err := <-w.done:
			if err != nil {
				w.t.Errorf("Run: %v", err)
			}
		case <-time.After(slackfake.WaitTimeout):
			w.t.Error("Run did not stop")
		}
	}
	w.cancel = nil
}

// settle waits until the fake has the acknowledgements of what was sent and
// the adapter has handled all of it: after settle, nothing more will be
// posted for those events.
func (w *world) settle(sent ...slackfake.Sent) {
	w.t.Helper()
	var envs []string
	for _, s := range sent {
		envs = append(envs, s.Envelopes...)
	}
	w.fake.WaitAcked(envs...)
	w.ad.Wait()
	w.delivered()
	w.ad.Wait()
}

// delivered waits until the outbox is empty.
func (w *world) delivered() {
	w.t.Helper()
	deadline := time.Now().Add(slackfake.WaitTimeout)
	for {
		q, err := w.store.Outbox()
		if err == nil && len(q) == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the outbox still holds %+v", q)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// business is the register's own data: what a refused or forged request
// must not change (the log of refusals, handled events and message
// bindings are operational).
func (w *world) business() map[string]string {
	w.t.Helper()
	snap, err := w.store.Snapshot()
	if err != nil {
		w.t.Fatal(err)
	}
	for k := range snap {
		for _, op := range []string{"r/", "e/", "m/", "mi/", "o/"} {
			if strings.HasPrefix(k, op) {
				delete(snap, k)
			}
		}
	}
	return snap
}

func (w *world) item(n int) storage.Item {
	w.t.Helper()
	it, err := w.store.Item(storage.Number{Year: 2026, Seq: n})
	if err != nil {
		w.t.Fatalf("item %d/2026: %v", n, err)
	}
	return it
}

func (w *world) last() int {
	w.t.Helper()
	n, err := w.store.LastNumber(2026)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// waitFor waits for a message the bot posted that matches.
func (w *world) waitFor(what string, match func(slackfake.Message) bool) slackfake.Message {
	w.t.Helper()
	st := w.fake.Wait(what, func(st slackfake.State) bool {
		for _, m := range st.Messages {
			if match(m) {
				return true
			}
		}
		return false
	})
	for _, m := range st.Messages {
		if match(m) {
			return m
		}
	}
	return slackfake.Message{}
}

// saying matches messages whose text has every part.
func saying(parts ...string) func(slackfake.Message) bool {
	return func(m slackfake.Message) bool {
		all := m.AllText()
		for _, p := range parts {
			if !strings.Contains(all, p) {
				return false
			}
		}
		return true
	}
}

// in matches messages in a channel that say every part.
func in(channel string, parts ...string) func(slackfake.Message) bool {
	say := saying(parts...)
	return func(m slackfake.Message) bool { return m.Channel == channel && say(m) }
}

func count(ms []slackfake.Message, match func(slackfake.Message) bool) int {
	n := 0
	for _, m := range ms {
		if match(m) {
			n++
		}
	}
	return n
}
