package slack

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// ackTimeout bounds the wait to queue an acknowledgement: while the socket is
// down the queue can fill, and Slack redelivers what was not acknowledged.
const ackTimeout = 5 * time.Second

// runSocket connects by Socket Mode and handles its events until ctx ends.
// slack-go's client opens the connection (apps.connections.open with the
// app-level token, then the WebSocket), answers Slack's pings, and after a
// dropped socket or Slack's "disconnect" connects again, pausing longer
// after each failed attempt (from 100 ms, doubling, at most 5 min).
func (a *Adapter) runSocket(ctx context.Context) error {
	sm := socketmode.New(a.web.api,
		socketmode.OptionPingInterval(a.cfg.PingInterval),
		socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()
	close(a.ready)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return err // refused tokens: no reconnecting mends them
		case evt := <-sm.Events:
			a.onSocketEvent(ctx, sm, evt)
		}
	}
}

// onSocketEvent dispatches one Socket Mode event and acknowledges it: the
// work is handed to a goroutine first (so Wait sees it), then Slack is told
// at once, before the work is done. The Events channel is never left
// unread: slack-go blocks on it.
func (a *Adapter) onSocketEvent(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("slack: event dispatch panicked", "type", evt.Type, "panic", r, "stack", string(debug.Stack()))
		}
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			a.ack(ctx, sm, evt.Request)
		}
	}()
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("slack: connecting")
	case socketmode.EventTypeConnected:
		a.log.Info("slack: connected (Socket Mode)")
	case socketmode.EventTypeHello:
		a.log.Debug("slack: hello")
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slackgo.ConnectionErrorEvent); ok {
			a.log.Warn("slack: connection failed, retrying", "attempt", e.Attempt, "in", e.Backoff, "err", e.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("slack: the app-level token was refused")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack: socket error", "type", evt.Type, "data", evt.Data)
	case socketmode.EventTypeDisconnect:
		a.log.Info("slack: Slack asked to reconnect")
	case socketmode.EventTypeEventsAPI:
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok && ev.Type == slackevents.CallbackEvent {
			if evt.Request.RetryAttempt > 0 {
				a.log.Info("slack: event redelivered", "attempt", evt.Request.RetryAttempt, "reason", evt.Request.RetryReason)
			}
			a.onEventsAPI(ctx, ev)
		}
	case socketmode.EventTypeSlashCommand:
		if sc, ok := evt.Data.(slackgo.SlashCommand); ok {
			a.onSlash(ctx, sc)
		}
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slackgo.InteractionCallback); ok {
			a.onInteraction(ctx, cb)
		}
	}
}

func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request) {
	ctx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := sm.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.Warn("slack: acknowledgement not queued; Slack will deliver again", "envelope", req.EnvelopeID, "err", err)
	}
}
