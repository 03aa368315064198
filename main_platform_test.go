package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
)

// An app-level token Slack refuses to connect (here: without the
// connections:write scope) ends run with an error that names the variable
// and the scope — main prints it and exits 1, for a supervisor to see —
// instead of retrying forever.
func TestRunStopsOnAnAppTokenSlackRefuses(t *testing.T) {
	fake := slackfake.New(t)
	fake.FailAlways("apps.connections.open", slackfake.Fault{Error: "missing_scope", Needed: "connections:write"})
	env := map[string]string{
		envSlackBotToken: slackfake.BotToken, envSlackAppToken: slackfake.AppToken, envSlackAPIURL: fake.APIURL(),
		envDataDir: t.TempDir(), envLogLevel: "error",
	}
	for _, j := range jobNames {
		env[envJobPrefix+strings.ToUpper(j)] = "off"
	}
	done := make(chan error, 1)
	go func() { done <- run(nil, os.Stdin, &bytes.Buffer{}, func(k string) string { return env[k] }) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), envSlackAppToken) || !strings.Contains(err.Error(), "connections:write") ||
			!strings.Contains(err.Error(), "missing_scope") {
			t.Fatalf("run: %v; want an error naming %s, missing_scope and connections:write", err, envSlackAppToken)
		}
	case <-time.After(slackfake.WaitTimeout):
		t.Fatal("run kept going with an app token Slack refuses")
	}
	if n := fake.Calls("apps.connections.open"); n != 3 {
		t.Errorf("apps.connections.open called %d times, want 3", n)
	}
}
