package slack

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
)

// origin is where a request came from, and so where its answer goes.
type origin struct {
	Channel string
	// Thread is the ts of the thread to answer in ("" = the channel).
	Thread string
	User   string
	// DM is a direct message with the bot: nothing there needs hiding.
	DM bool
	// ResponseURL answers a slash command where the bot may not post.
	ResponseURL string
	// QuietErrors shows refusals and mistakes to the asker only: for buttons,
	// forms, and replies in a card's thread that did not address the bot.
	QuietErrors bool
	// Echo is the command a form made: shown with a mistake, so that it can
	// be corrected and typed instead of filling the form again.
	Echo string
}

// eventKey prefixes: what a delivery is recognised by when Slack sends it
// again. A message is known by its channel and ts (a mention arrives both as
// app_mention and as a channel message, with different event IDs), a slash
// command and a button press by their trigger, a form by its view.
const (
	keyMessage = "slack/m/"
	keyCommand = "slack/c/"
	keyAction  = "slack/a/"
	keyView    = "slack/v/"
)

// spawn handles an event in its own goroutine, bounded by the worker limit,
// with a context that outlives Run's (a reply under way is finished on
// shutdown). A panic is recovered, logged and answered with an apology.
// spawn registers the work before it returns, so that acknowledging after
// it and then calling Wait sees the work.
func (a *Adapter) spawn(ctx context.Context, where *origin, fn func(ctx context.Context)) {
	a.track()
	go func() {
		defer a.done()
		a.sem <- struct{}{}
		defer func() { <-a.sem }()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerTimeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				a.log.Error("slack: handler panicked", "panic", r, "stack", string(debug.Stack()))
				if where != nil {
					a.apologise(ctx, *where)
				}
			}
		}()
		fn(ctx)
	}()
}

func (a *Adapter) apologise(ctx context.Context, o origin) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("slack: apology failed", "panic", r)
		}
	}()
	t := target{Channel: o.Channel, Thread: o.Thread, ResponseURL: o.ResponseURL}
	if !o.DM {
		t.Ephemeral = o.User
	}
	if _, _, err := a.web.post(ctx, t, render(bot.Apology)); err != nil {
		a.log.Error("slack: apology not posted", "err", err)
	}
}

// claim marks an event as being handled; false when it already is (Slack
// delivered it again while the first delivery is still at work).
func (a *Adapter) claim(key string) bool {
	a.inMu.Lock()
	defer a.inMu.Unlock()
	if a.inflight[key] {
		return false
	}
	a.inflight[key] = true
	return true
}

func (a *Adapter) release(key string) {
	a.inMu.Lock()
	delete(a.inflight, key)
	a.inMu.Unlock()
}

// handled reports whether an event was answered already.
func (a *Adapter) handled(key string) bool { return a.hub.Handled(key) }

// once runs fn for an event unless a delivery of it is already in hand or
// was answered; when fn reports it answered, the event is marked answered
// (a later delivery is dropped). It reports whether fn ran and answered.
func (a *Adapter) once(ctx context.Context, key string, fn func() bool) bool {
	if !a.claim(key) {
		a.log.Debug("slack: duplicate delivery dropped (in flight)", "event", key)
		return false
	}
	defer a.release(key)
	if a.handled(key) {
		a.log.Debug("slack: duplicate delivery dropped (answered)", "event", key)
		return false
	}
	if !fn() {
		return false
	}
	a.hub.MarkReplied(ctx, key)
	return true
}

// run handles one request exactly once: the engine records the event with
// the change it makes and the notices it owes (a redelivery after a crash
// gets the same number, not a new one, and no second notice); the answer
// then goes out in the channel's send lane (later), and the event is marked
// answered. The delivery stays claimed until then: a redelivery meanwhile is
// dropped.
func (a *Adapter) run(ctx context.Context, req commands.Request, o origin) {
	key := req.EventID
	if !a.claim(key) {
		a.log.Debug("slack: duplicate delivery dropped (in flight)", "event", key)
		return
	}
	if a.handled(key) {
		a.release(key)
		a.log.Debug("slack: duplicate delivery dropped (answered)", "event", key)
		return
	}
	reply := a.engine.Handle(ctx, req)
	a.later(o.Channel, func(ctx context.Context) {
		defer a.release(key)
		if err := a.retry(ctx, o.Channel, func(ctx context.Context) error { return a.answer(ctx, o, reply) }); err != nil {
			a.log.Error("slack: reply not posted", "event", key, "channel", o.Channel, "err", err)
			return
		}
		a.hub.MarkReplied(ctx, key)
	})
}

// later runs a reply's send in its channel's lane, paced for that channel
// alone: a slow or rate-limited channel delays only its own replies. Wait
// waits for it.
func (a *Adapter) later(channel string, send func(ctx context.Context)) {
	a.track()
	ok := a.lanes.Submit(channel, func() {
		defer a.done()
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ReplyRetry+handlerTimeout)
		defer cancel()
		send(ctx)
	})
	if !ok {
		a.done()
		a.log.Error("slack: reply not posted: the adapter is stopping", "channel", channel)
	}
}

// retry tries a reply again after transient failures, for ReplyRetry.
func (a *Adapter) retry(ctx context.Context, channel string, send func(ctx context.Context) error) error {
	p := bot.RetryPolicy{Within: a.cfg.ReplyRetry, Backoff: a.cfg.ReplyBackoff,
		OnRetry: func(n int, pause time.Duration, err error) {
			a.log.Warn("slack: reply failed, trying again", "channel", channel, "attempt", n, "in", pause, "err", err)
		}}
	return p.Retry(ctx, send)
}

// answer posts a reply where the request came from: in its thread, to the
// asker alone when it is private, with its files, and remembers which item
// the thread is about.
func (a *Adapter) answer(ctx context.Context, o origin, r commands.Reply) error {
	if r.Silent {
		return nil
	}
	if r.Kind != commands.OK && o.Echo != "" {
		r.Lines = append(r.Lines, "Comanda / the command: "+o.Echo)
	}
	t := target{Channel: o.Channel, Thread: o.Thread, ResponseURL: o.ResponseURL}
	private := r.Private || (o.QuietErrors && r.Kind != commands.OK)
	if private && !o.DM {
		t.Ephemeral = o.User
	}
	if t.Ephemeral == "" && o.Thread != "" {
		a.bindRoot(ctx, o.Channel, o.Thread, r.Item) // before the answer shows: a reply to it may follow at once
	}
	_, ts, err := a.web.post(ctx, t, render(r))
	if err != nil {
		return err
	}
	root := o.Thread
	if root == "" {
		root = ts
		if t.Ephemeral == "" {
			a.bindRoot(ctx, o.Channel, root, r.Item)
		}
	}
	if len(r.Files) == 0 {
		return nil
	}
	channel, thread := o.Channel, root
	if t.Ephemeral != "" || root == "" { // files cannot be ephemeral: they go to the asker's DM
		if channel, err = a.web.conversation(ctx, o.User); err != nil {
			return fmt.Errorf("open a direct message for files: %w", err)
		}
		thread = ""
	}
	for _, f := range r.Files {
		if err := a.web.upload(ctx, channel, thread, f); err != nil {
			a.log.Error("slack: file not uploaded", "file", f.Name, "channel", channel, "err", err)
			msg := commands.Reply{Kind: commands.Failed, Title: fmt.Sprintf(
				"Fișierul %s nu a putut fi încărcat în Slack; încercați din nou. / The file %s could not be uploaded.", f.Name, f.Name)}
			t.Ephemeral = o.User
			if o.DM {
				t.Ephemeral = ""
			}
			if _, _, err := a.web.post(ctx, t, render(msg)); err != nil {
				a.log.Error("slack: upload failure not reported", "err", err)
			}
		}
	}
	return nil
}
