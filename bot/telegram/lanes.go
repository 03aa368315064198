package telegram

import (
	"context"
	"strconv"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
)

// An update is handled in two steps. Its chat's handler runs the command
// (the change and the messages it owes are committed together), and the
// update is confirmed to Telegram at once; the reply then goes out in the
// chat's send lane (bot.Lanes), paced for that chat alone, tried again on
// transient failures for ReplyRetry, and the event is marked replied. A slow
// or rate-limited chat delays only its own replies.

// later queues the reply to event ev in chat's send lane.
func (a *Adapter) later(chat int64, ev string, send func(ctx context.Context) error) {
	ok := a.lanes.Submit(strconv.FormatInt(chat, 10), func() {
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ReplyRetry+a.cfg.HandlerTimeout)
		defer cancel()
		if err := a.retry(ctx, chat, send); err != nil {
			a.log.Error("telegram: reply not sent", "chat", chat, "event", ev, "err", err)
			return
		}
		a.hub.MarkReplied(ctx, ev)
	})
	if !ok {
		a.log.Error("telegram: reply not sent: the adapter is stopping", "chat", chat, "event", ev)
	}
}

// retry runs send until it succeeds, fails for good, or ReplyRetry is over
// (a stop waits for it: the change is committed, its reply is owed).
func (a *Adapter) retry(ctx context.Context, chat int64, send func(ctx context.Context) error) error {
	p := bot.RetryPolicy{Within: a.cfg.ReplyRetry, Backoff: a.cfg.ReplyBackoff,
		OnRetry: func(n int, pause time.Duration, err error) {
			a.log.Warn("telegram: reply failed, trying again", "chat", chat, "attempt", n, "in", pause, "err", err)
		}}
	return p.Retry(ctx, send)
}

// migrate follows a group that became a supergroup: every stored reference
// to it moves to the new ID (once, audited, by the Hub).
func (a *Adapter) migrate(ctx context.Context, from, to int64) {
	if from == 0 || to == 0 || from == to {
		return
	}
	if err := a.hub.Migrate(ctx, a.Name(), strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)); err != nil {
		a.log.Error("telegram: record the group's new ID", "from", from, "to", to, "err", err)
	}
}

// Flush waits until the replies queued so far went out (or failed for good).
func (a *Adapter) Flush() { a.lanes.Idle() }
