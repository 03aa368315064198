package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
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
	for _, f := range []slackfake.Fault{{Status: 503}, {Error: "internal_error"}, {Status: 500}, {Error: "ratelimited"}} {
		w.fake.Fail("apps.connections.open", f)
	}
	w.start()
	w.fake.DM(ana, "restante")
	w.waitFor("an answer after the failures", saying("Nicio restanță"))
	if n := w.fake.Calls("apps.connections.open"); n != 5 {
		t.Errorf("apps.connections.open called %d times, want 5", n)
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
	w.cancel, w.done = cancel, make(chan error, 1)
	go func() { w.done <- w.ad.Run(ctx) }()
	w.waitLog("WebSocket open")
	if strings.Contains(w.logs.String(), "platform connected") {
		t.Fatal(`"platform connected" logged before Slack's hello`)
	}
	release()
	w.waitLog("platform connected")
	if !strings.Contains(w.logs.String(), "slack: authenticated") {
		t.Error("connected without auth.test")
	}
	w.fake.DropSocket()
	w.fake.WaitConnected(2)
	w.waitLog("reconnected")
	if n := strings.Count(w.logs.String(), "platform connected"); n != 1 {
		t.Errorf(`"platform connected" logged %d times`, n)
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
