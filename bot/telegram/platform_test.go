package telegram_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/telegram"
	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
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
			if a.Healthy() == nil {
				t.Error("healthy (for /readyz) after Run returned")
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop")
		}
	}()
	e.fake.WaitFor(t, "getMe", func() bool { return e.fake.Calls("getMe") > 0 })
	if a.Healthy() == nil {
		t.Fatal("healthy (for /readyz) before Telegram answered")
	}
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
	if err := a.Healthy(); err != nil {
		t.Errorf("not healthy while polling: %v", err)
	}
	if n := e.logs.count("platform connected"); n != 1 {
		t.Errorf(`"platform connected" logged %d times`, n)
	}
}

// A department's group given by its public @name is stored as its numeric
// ID (getChat), and what the Hub sends the department reaches that chat. A
// name Telegram does not know, or a person's, is refused with the reason;
// while Telegram is not connected, any name is refused with how to give the
// ID.
func TestGroupGivenByNameIsStoredByID(t *testing.T) {
	e := newEnv(t).standard()
	e.eng.SetChatResolver(e.hub)
	dpm := tgfake.Group(-1003, "Direcția Patrimoniu")
	e.fake.Public("@dpm_cluj_grup", dpm)
	e.fake.Public("@dana_tehnic", tgfake.Private(member))

	r := e.eng.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "operator"},
		Text: `departament adauga DPM "Direcția Patrimoniu" telegram=@dpm_cluj_grup`})
	if r.Kind == commands.OK || !strings.Contains(r.Title, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("resolved without Telegram connected: %s %v", r.Title, r.Lines)
	}

	e.start()
	e.say(tgfake.Private(admin), admin, `departament adauga DPM "Direcția Patrimoniu" telegram=@dpm_cluj_grup`, 0)
	has(t, e.replies(admin.ID, 1)[0], "Departament adăugat: DPM", "@dpm_cluj_grup → -1003")
	if d, err := e.store.Department("DPM"); err != nil || d.TelegramChat != "-1003" {
		t.Fatalf("stored chat %q (%v), want -1003", d.TelegramChat, err)
	}
	if err := e.hub.Deliver(context.Background(), commands.Recipient{Kind: commands.ToDepartment, ID: "DPM"},
		commands.Reply{Title: "Vi s-a repartizat 7/2026"}); err != nil {
		t.Fatal(err)
	}
	has(t, e.replies(dpm.ID, 1)[0], "Vi s-a repartizat 7/2026")

	e.say(tgfake.Private(admin), admin, `departament modifica DPM telegram=@nu_exista_grup`, 0)
	has(t, e.replies(admin.ID, 2)[1], "Telegram nu a găsit chatul „@nu_exista_grup”", "-1001234567890")
	e.say(tgfake.Private(admin), admin, `departament modifica DPM telegram=@dana_tehnic`, 0)
	has(t, e.replies(admin.ID, 3)[2], "is a person, not a group")
	if d, _ := e.store.Department("DPM"); d.TelegramChat != "-1003" {
		t.Errorf("a refused name changed the chat to %q", d.TelegramChat)
	}
}

// A chat recorded by @name before names were resolved at input still gets
// its messages: the adapter looks the name up once and sends to the ID.
func TestChatRecordedByNameStillReceives(t *testing.T) {
	e := newEnv(t).standard()
	e.fake.Public("@dt_cluj_grup", dtGroup)
	_, err := e.store.ChangeDepartment(context.Background(), "DT", "set-telegram", storage.Meta{Who: operator, At: e.clock()},
		func(d *storage.Department) error { d.TelegramChat = "@dt_cluj_grup"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	for _, title := range []string{"unu", "doi"} {
		if err := e.hub.Deliver(context.Background(), commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, commands.Reply{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.replies(dtGroup.ID, 2); got[0].Text != "unu" || got[1].Text != "doi" {
		t.Errorf("sent %+v", got)
	}
	if n := e.fake.Calls("getChat"); n != 1 {
		t.Errorf("getChat called %d times, want once", n)
	}
}

// With a webhook, the platform is connected once Telegram took it.
func TestConnectedIsLoggedOnceTheWebhookIsSet(t *testing.T) {
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.cfg.WebhookURL, e.cfg.WebhookSecret, e.cfg.Listener = "http://"+ln.Addr().String()+"/hook", "s3cret", ln
	release := e.fake.Hold("setWebhook")
	defer release()
	cfg := e.cfg
	cfg.Engine = e.engine
	a, err := telegram.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		release()
		<-done
	}()
	e.fake.WaitFor(t, "setWebhook", func() bool { return e.fake.Calls("setWebhook") > 0 })
	if e.logs.count("platform connected") != 0 {
		t.Fatal(`"platform connected" logged before Telegram took the webhook`)
	}
	release()
	e.fake.WaitFor(t, "the connected line", func() bool { return e.logs.count("platform connected") == 1 })
}
