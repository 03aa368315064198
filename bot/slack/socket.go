package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// ackTimeout bounds the wait to queue an acknowledgement: while the socket is
// down the queue can fill, and Slack redelivers what was not acknowledged.
const ackTimeout = 5 * time.Second

// refusedAttempts is how many times in a row Slack may refuse to open a
// Socket Mode connection, for a reason no waiting mends (missing_scope, a
// disabled Socket Mode…), before Run gives up.
const refusedAttempts = 3

// The app-level token's variable and the scope Socket Mode needs, named in
// the errors main prints.
const (
	appTokenVar      = "SLACK_APP_TOKEN"
	connectionsScope = "connections:write"
)

// runSocket connects by Socket Mode and handles its events until ctx ends.
// slack-go's client opens the connection (apps.connections.open with the
// app-level token, then the WebSocket), answers Slack's pings, and after a
// dropped socket or Slack's "disconnect" connects again, pausing longer
// after each failed attempt (from 100 ms, doubling, at most 5 min). A
// refusal no retry can mend stops it: at once for a refused token, after
// refusedAttempts for any other.
func (a *Adapter) runSocket(ctx context.Context) error {
	smCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	sm := socketmode.New(a.web.api,
		socketmode.OptionPingInterval(a.cfg.PingInterval),
		socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(smCtx) }()
	close(a.ready)
	refused := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return appTokenError(err, 1) // refused tokens: no reconnecting mends them
		case evt := <-sm.Events:
			if err := connectRefusal(evt, &refused); err != nil {
				return appTokenError(err, refused)
			}
			a.onSocketEvent(ctx, sm, evt)
		}
	}
}

// connectRefusal counts the failed connection attempts in a row that no
// waiting mends; it returns the last one once there were refusedAttempts.
// A connection made starts the count again.
func connectRefusal(evt socketmode.Event, refused *int) error {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		*refused = 0
	case socketmode.EventTypeConnectionError:
		e, ok := evt.Data.(*slackgo.ConnectionErrorEvent)
		if !ok || retryable(e.ErrorObj) {
			*refused = 0
			return nil
		}
		if *refused++; *refused >= refusedAttempts {
			return e.ErrorObj
		}
	}
	return nil
}

// retryable tells the failures that waiting can mend: a network error, a
// rate limit, Slack's own trouble. An error code in Slack's answer
// (missing_scope, invalid_auth…) or a 4xx is not one.
func retryable(err error) bool {
	var rl *slackgo.RateLimitedError
	if err == nil || errors.As(err, &rl) {
		return true
	}
	var sc slackgo.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= http.StatusInternalServerError || sc.Code == http.StatusTooManyRequests
	}
	var se slackgo.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return true
		}
		return false
	}
	return true
}

// appTokenError explains that Socket Mode cannot connect: it names the
// variable and the scope the token needs.
func appTokenError(err error, attempts int) error {
	what := "was refused"
	if attempts > 1 {
		what = fmt.Sprintf("was refused %d times in a row", attempts)
	}
	var se slackgo.SlackErrorResponse
	if errors.As(err, &se) && se.Needed != "" {
		err = fmt.Errorf("%w (needed: %s)", err, se.Needed)
	}
	return fmt.Errorf("slack: the app-level token (%s) %s when opening a Socket Mode connection: %w; "+
		"give a token (xapp-…) with the %s scope (the app's Basic Information → App-Level Tokens) and turn Socket Mode on",
		appTokenVar, what, err, connectionsScope)
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
		a.link.up.Store(false)
		a.log.Debug("slack: connecting")
	case socketmode.EventTypeConnected:
		a.log.Debug("slack: WebSocket open, waiting for Slack's hello")
	case socketmode.EventTypeHello:
		a.connected()
	case socketmode.EventTypeConnectionError:
		a.link.up.Store(false)
		if e, ok := evt.Data.(*slackgo.ConnectionErrorEvent); ok {
			a.log.Warn("slack: connection failed, retrying", "attempt", e.Attempt, "in", e.Backoff, "err", e.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		a.link.up.Store(false)
		a.log.Error("slack: the app-level token was refused")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack: socket error", "type", evt.Type, "data", evt.Data)
	case socketmode.EventTypeDisconnect:
		a.link.up.Store(false)
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

// connected logs that Slack is connected: the first time as the platform
// connected (auth.test passed and Slack said hello, or the HTTP server
// listens), later as a reconnection.
func (a *Adapter) connected() {
	a.link.up.Store(true)
	first := false
	a.connOnce.Do(func() { first = true })
	if first {
		a.log.Info("platform connected", "mode", a.Mode())
		return
	}
	a.log.Info("slack: reconnected (Socket Mode)")
}

func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request) {
	ctx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := sm.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.Warn("slack: acknowledgement not queued; Slack will deliver again", "envelope", req.EnvelopeID, "err", err)
	}
}
