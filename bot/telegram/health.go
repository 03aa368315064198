package telegram

import (
	"fmt"
	"sync/atomic"
	"time"
)

// linkState is what /readyz asks of the adapter: when Telegram last answered
// a getUpdates (polling), or whether the webhook is set and served.
type linkState struct {
	lastAnswer atomic.Int64 // Unix nanoseconds; 0: never
	running    atomic.Bool
}

// heard records that Telegram answered.
func (l *linkState) heard(now time.Time) {
	l.lastAnswer.Store(now.UnixNano())
	l.running.Store(true)
}

// Healthy is nil while the adapter is connected to Telegram
// (bot.HealthReporter): polling, Telegram answered a getUpdates within the
// long-poll wait and a margin; with a webhook, it is set and served.
func (a *Adapter) Healthy() error {
	if !a.link.running.Load() {
		return fmt.Errorf("not connected to Telegram (%s)", a.Mode())
	}
	if a.Mode() == "webhook" {
		return nil
	}
	last := time.Unix(0, a.link.lastAnswer.Load())
	if since := time.Since(last); since > a.cfg.PollTimeout+30*time.Second {
		return fmt.Errorf("no answer from Telegram to getUpdates for %s", since.Round(time.Second))
	}
	return nil
}
