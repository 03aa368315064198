package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/go-telegram/bot/models"
)

func telegramDeps(t *testing.T, env map[string]string) deps {
	t.Helper()
	store, err := storage.Open(t.TempDir(), storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	engine, err := commands.New(commands.Config{Store: store, Admins: []string{"telegram:1"}})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	return deps{engine: engine, store: store, hub: bot.NewHub(store, log), log: log, getenv: func(k string) string { return env[k] }}
}

func TestTelegramStarterChecksItsEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		fail string // "" : no error
	}{
		{map[string]string{}, ""},
		{map[string]string{envTelegramWebhookURL: "https://bot.example.ro/tg"}, envTelegramToken},
		{map[string]string{envTelegramToken: "nonsense"}, "does not look like a bot token"},
		{map[string]string{envTelegramToken: tgfake.Token, envTelegramWebhookSecret: "s"}, envTelegramWebhookURL},
		{map[string]string{envTelegramToken: tgfake.Token, envTelegramWebhookURL: "https://bot.example.ro/tg"}, envTelegramWebhookSecret},
		{map[string]string{envTelegramToken: tgfake.Token, envTelegramWebhookURL: "https://bot.example.ro/tg", envTelegramWebhookSecret: "bad secret!"}, "secret"},
		{map[string]string{envTelegramToken: tgfake.Token, envTelegramWebhookURL: "ftp://x", envTelegramWebhookSecret: "ok"}, "not an http(s) URL"},
	} {
		p, _, err := startTelegram(context.Background(), telegramDeps(t, tc.env))
		switch {
		case tc.fail == "" && (err != nil || p != nil):
			t.Errorf("%v: %v %v, want nothing started", tc.env, p, err)
		case tc.fail != "" && (err == nil || !strings.Contains(err.Error(), tc.fail)):
			t.Errorf("%v: %v, want an error naming %q", tc.env, err, tc.fail)
		}
	}
}

func TestTelegramStarterServesCommands(t *testing.T) {
	fake := tgfake.New(t)
	d := telegramDeps(t, map[string]string{envTelegramToken: tgfake.Token, envTelegramAPIURL: fake.URL})
	p, runFn, err := startTelegram(context.Background(), d)
	if err != nil || p == nil || p.Name() != "telegram" {
		t.Fatalf("start: %v %v", p, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runFn(ctx) }()
	admin := models.User{ID: 1, FirstName: "Admin"}
	fake.PushText(tgfake.Private(admin), admin, "/restante", 0)
	fake.WaitFor(t, "the answer", func() bool { return len(fake.SentTo(1)) == 1 })
	if got := fake.SentTo(1)[0].Text; !strings.Contains(got, "Nicio restanță") {
		t.Errorf("answer: %q", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
