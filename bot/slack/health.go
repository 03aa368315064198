package slack

import (
	"errors"
	"sync/atomic"
)

// linkState is what /readyz asks of the adapter: whether Slack is connected
// now (Socket Mode: since Slack's hello, until the connection drops; HTTP
// mode: while the server listens).
type linkState struct {
	up atomic.Bool
}

// Healthy is nil while the adapter is connected to Slack (bot.HealthReporter).
func (a *Adapter) Healthy() error {
	if a.link.up.Load() {
		return nil
	}
	if a.Mode() == "socket" {
		return errors.New("not connected to Slack (Socket Mode): connecting, or the connection dropped")
	}
	return errors.New("the Events API server is not listening")
}
