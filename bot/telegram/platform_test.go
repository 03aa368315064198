package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/telegram"
)

// "platform connected" is logged once Telegram answered getMe and then a
// getUpdates: not when Run starts, nor right after getMe.
func TestConnectedIsLoggedAfterGetMeAndAPoll(t *testing.T) {
	e := newEnv(t)
	releaseMe := e.fake.Hold("getMe")
	releasePoll := e.fake.Hold("getUpdates")
	defer releaseMe()
	defer releasePoll()
	cfg := e.cfg
	cfg.Engine, cfg.Wait = e.engine, e.waits.wait
	a, err := telegram.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		releaseMe()
		releasePoll()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop")
		}
	}()
	e.fake.WaitFor(t, "getMe", func() bool { return e.fake.Calls("getMe") > 0 })
	if e.logs.count("platform connected") != 0 {
		t.Fatal(`"platform connected" logged before getMe was answered`)
	}
	releaseMe()
	e.fake.WaitFor(t, "the first poll", func() bool { return e.fake.Calls("getUpdates") > 0 && e.logs.count("telegram: authenticated") == 1 })
	if e.logs.count("platform connected") != 0 {
		t.Fatal(`"platform connected" logged before Telegram answered a getUpdates`)
	}
	releasePoll()
	e.fake.WaitFor(t, "the connected line", func() bool { return e.logs.count("platform connected") == 1 })
	e.fake.WaitFor(t, "more polls", func() bool { return e.fake.Calls("getUpdates") > 1 })
	if n := e.logs.count("platform connected"); n != 1 {
		t.Errorf(`"platform connected" logged %d times`, n)
	}
}
