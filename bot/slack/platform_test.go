package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack"
	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
	"github.com/cluj-napoca/cabinetbot/commands"
)

// runUntilStopped runs the adapter and returns what Run returned; the test
// fails when Run goes on (it would retry forever).
func (w *world) runUntilStopped() error {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.ad.Run(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(slackfake.WaitTimeout):
		cancel()
		<-done
		w.t.Fatal("Run did not stop: Socket Mode kept retrying a refusal")
		return nil
	}
}

// An app-level token Slack will never connect (no connections:write scope;
// refused) stops Run after a bounded number of attempts, with an error that
// names the variable and the scope.
func TestSocketModeRefusalsStopRun(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault slackfake.Fault
		calls int
	}{
		{"missing_scope", slackfake.Fault{Error: "missing_scope", Needed: "connections:write", Provided: "authorizations:read"}, 3},
		{"invalid_auth", slackfake.Fault{Error: "invalid_auth"}, 1},
		{"not_allowed_token_type", slackfake.Fault{Error: "not_allowed_token_type"}, 3},
		{"forbidden", slackfake.Fault{Status: 403}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, "socket")
			w.fake.FailAlways("apps.connections.open", c.fault)
			err := w.runUntilStopped()
			if err == nil {
				t.Fatal("Run ended without an error")
			}
			for _, part := range []string{"SLACK_APP_TOKEN", "connections:write"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("the error does not name %s: %v", part, err)
				}
			}
			if c.fault.Error != "" && !strings.Contains(err.Error(), c.fault.Error) {
				t.Errorf("the error does not say what Slack said (%s): %v", c.fault.Error, err)
			}
			if n := w.fake.Calls("apps.connections.open"); n != c.calls {
				t.Errorf("apps.connections.open called %d times, want %d", n, c.calls)
			}
			if strings.Contains(w.logs.String(), "platform connected") {
				t.Error("logged as connected though Slack never was")
			}
		})
	}
}

// Slack's own trouble (5xx, ratelimited) is waited out: the connection is
// made after it.
func TestSocketModeRetriesTransientFailures(t *testing.T) {
	w := newWorld(t, "socket")
	for _, f := range []slackfake.Fault{{Status: 503}, {Error: "internal_error"}, {Error: "ratelimited"}} {
		w.fake.Fail("apps.connections.open", f)
	}
	w.start()
	w.fake.DM(ana, "restante")
	w.waitFor("an answer after the failures", saying("Nicio restanță"))
	if n := w.fake.Calls("apps.connections.open"); n != 4 {
		t.Errorf("apps.connections.open called %d times, want 4", n)
	}
}

// waitLog waits until the adapter's log holds s.
func (w *world) waitLog(s string) {
	w.t.Helper()
	deadline := time.Now().Add(slackfake.WaitTimeout)
	for !strings.Contains(w.logs.String(), s) {
		if time.Now().After(deadline) {
			w.t.Fatalf("the log never said %q", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// "platform connected" is logged once Slack said hello, not before: not
// when Run starts, nor when the WebSocket opens.
func TestConnectedIsLoggedAfterHello(t *testing.T) {
	w := newWorld(t, "socket")
	release := w.fake.HoldHello()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan error, 2)
	w.done <- nil // no outbox runs here: stop then waits for Run alone
	go func() { w.done <- w.ad.Run(ctx) }()
	w.waitLog("WebSocket open")
	if strings.Contains(w.logs.String(), "platform connected") {
		t.Fatal(`"platform connected" logged before Slack's hello`)
	}
	if w.ad.Healthy() == nil {
		t.Fatal("healthy (for /readyz) before Slack's hello")
	}
	release()
	w.waitLog("platform connected")
	if err := w.ad.Healthy(); err != nil {
		t.Fatalf("not healthy after Slack's hello: %v", err)
	}
	if !strings.Contains(w.logs.String(), "slack: authenticated") {
		t.Error("connected without auth.test")
	}
	w.fake.DropSocket()
	w.fake.WaitConnected(2)
	w.waitLog("reconnected")
	if n := strings.Count(w.logs.String(), "platform connected"); n != 1 {
		t.Errorf(`"platform connected" logged %d times`, n)
	}
	if err := w.ad.Healthy(); err != nil {
		t.Errorf("not healthy after reconnecting: %v", err)
	}
	w.stop()
	if w.ad.Healthy() == nil {
		t.Error("healthy after Run returned")
	}
}

// In HTTP mode the platform is connected once auth.test passed and the
// server listens.
func TestConnectedIsLoggedWhenHTTPListens(t *testing.T) {
	w := newWorld(t, "http")
	w.start()
	w.waitLog("platform connected")
	logs := w.logs.String()
	if a, c := strings.Index(logs, "slack: authenticated"), strings.Index(logs, "platform connected"); a < 0 || a > c {
		t.Errorf("connected logged before auth.test passed:\n%s", logs)
	}
}

// slowEngine holds every "lent" command until released, as slow commands
// hold the workers.
type slowEngine struct {
	*commands.Engine
	entered chan struct{}
	release chan struct{}
}

func (s slowEngine) Handle(ctx context.Context, req commands.Request) commands.Reply {
	if req.Text == "lent" {
		s.entered <- struct{}{}
		<-s.release
		return commands.Reply{Title: "gata"}
	}
	return s.Engine.Handle(ctx, req)
}

// A button that opens a form opens it at once, while every worker is busy
// with slow commands: the form does not wait for a free worker, nor for any
// command to run, and so opens within the trigger's 3 s.
func TestFormOpensWhileWorkersAreBusy(t *testing.T) {
	slow := slowEngine{entered: make(chan struct{}, 8), release: make(chan struct{})}
	w := newWorld(t, "socket", func(c *slack.Config) {
		slow.Engine = c.Engine.(*commands.Engine)
		c.Engine, c.Workers = slow, 2
	})
	w.fake.TriggerLife = 3 * time.Second
	w.start()
	t.Cleanup(func() { close(slow.release) }) // before the world stops: it waits for the workers
	w.fake.Mention(ana, cabinet, reg, "")
	card := w.waitFor("the card", in(cabinet, "Înregistrat 1/2026"))
	for range 3 {
		w.fake.DM(ana, "lent")
	}
	for range 2 {
		select {
		case <-slow.entered:
		case <-time.After(slackfake.WaitTimeout):
			t.Fatal("the slow commands did not start")
		}
	}
	w.fake.Click(ana, card, "Repartizează")
	w.fake.Slash(ana, cabinet, "inregistreaza")
	st := w.fake.Wait("both forms, while the workers are busy", func(st slackfake.State) bool { return len(st.Views) == 2 })
	for _, v := range st.Views {
		if v.After > 2*time.Second {
			t.Errorf("the form %q opened %v after its trigger; Slack allows 3 s", v.Title, v.After)
		}
	}
	if n := count(w.fake.Messages(), saying("gata")); n != 0 {
		t.Errorf("the forms waited for %d slow commands", n)
	}
}

// When Slack answers views.open with 429, the asker is told, privately, the
// command the form stands for; Retry-After is not waited out (the trigger
// would be dead).
func TestRateLimitedFormOffersTheTypedCommand(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.Mention(ana, cabinet, reg, "")
	card := w.waitFor("the card", in(cabinet, "Înregistrat 1/2026"))
	w.fake.Fail("views.open", slackfake.Fault{Status: 429, RetryAfter: "5"})
	click := w.fake.Click(ana, card, "Rezolvat")
	typed := w.waitFor("the command to type", in(cabinet, "/cabinet rezolva 1/2026 raspuns=\"…\" [data=ZZ.LL.AAAA]"))
	if !typed.Ephemeral || typed.User != ana {
		t.Errorf("the command to type is not shown to the asker alone: %+v", typed)
	}
	w.fake.Fail("views.open", slackfake.Fault{Status: 429})
	slash := w.fake.Slash(ana, cabinet, "inregistreaza")
	w.waitFor("the registration command to type", in(cabinet, `/cabinet inregistreaza de="…" tip=`, `subiect="…"`, "[nr=\"…\"]"))
	w.settle(click, slash)
	if n := w.fake.Calls("views.open"); n != 2 {
		t.Errorf("views.open called %d times, want once per trigger", n)
	}
	if got := w.waits.list(); len(got) != 0 {
		t.Errorf("waited %v for a trigger that lives 3 s", got)
	}
	if n := len(w.fake.State().Views); n != 0 {
		t.Errorf("%d forms opened", n)
	}
}
