package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
)

// With SLACK_* set, the real entry point connects to Slack (here a fake on
// 127.0.0.1) by Socket Mode, answers a direct message and posts the
// department's card, and stops cleanly on SIGINT.
func TestRunConnectsToSlack(t *testing.T) {
	fake := slackfake.New(t)
	dir := t.TempDir()
	env := map[string]string{
		envSlackBotToken: slackfake.BotToken, envSlackAppToken: slackfake.AppToken,
		envSlackAPIURL: fake.URL + "/api", // without the trailing slash slack-go needs
		envAdmins:      "slack:UADMIN", envChannels: "slack:CCAB", envDataDir: dir, envLogLevel: "error",
	}
	for _, j := range jobNames { // the timed pushes would catch up today's runs into the fake
		env[envJobPrefix+strings.ToUpper(j)] = "off"
	}
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(nil, os.Stdin, &out, func(k string) string { return env[k] }) }()
	fake.WaitConnected(1)
	fake.DM("UADMIN", `inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	card := fake.WaitMessages(1)[0]
	if !strings.Contains(card.AllText(), "Înregistrat 1/") || card.Channel != slackfake.DMChannel("UADMIN") {
		t.Fatalf("answer %+v", card)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil { // run's signal.NotifyContext catches it
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(slackfake.WaitTimeout):
		t.Fatal("run did not stop on SIGINT")
	}
	if out.Len() != 0 {
		t.Errorf("the console started alongside Slack: %q", out.String())
	}
	year := strconv.Itoa(time.Now().Year())
	if shown := runConsole(t, dir, "arata 1/"+year); !strings.Contains(shown, "Înregistrarea 1/"+year) || !strings.Contains(shown, "slack:UADMIN") {
		t.Errorf("the registration made in Slack is not in the database:\n%s", shown)
	}
}

// A half-configured Slack is an error that names what is missing; with no
// Slack variable the console starts.
func TestSlackConfiguration(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{envSlackAppToken: "xapp-1"}, "SLACK_BOT_TOKEN"},
		{map[string]string{envSlackBotToken: "xoxb-1"}, "neither SLACK_APP_TOKEN"},
		{map[string]string{envSlackBotToken: "xoxp-1", envSlackAppToken: "xapp-1"}, "bot token (xoxb-"},
		{map[string]string{envSlackBotToken: "xoxb-1", envSlackAppToken: "xoxb-2"}, "app-level token (xapp-"},
	} {
		c.env[envDataDir], c.env[envLogLevel] = t.TempDir(), "error"
		err := run(nil, os.Stdin, &bytes.Buffer{}, func(k string) string { return c.env[k] })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error about %s", c.env, err, c.want)
		}
	}
	out := runConsole(t, t.TempDir(), "termen 25.11.2026 petitie")
	if !strings.Contains(out, "Termen: 28.12.2026") {
		t.Errorf("console without Slack: %q", out)
	}
}
