// Package bot holds the chat adapters: the local console (bot/console),
// Slack and Telegram. Each turns platform events into commands.Requests and
// renders commands.Replies in the platform's own form.
package bot

import (
	"context"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Handler runs a command; *commands.Engine is one.
type Handler interface {
	Handle(ctx context.Context, req commands.Request) commands.Reply
}

// HealthReporter is a Platform that can tell whether it is connected: the
// operations endpoint's /readyz asks it.
type HealthReporter interface {
	// Healthy is nil while the platform is connected and receiving, else
	// says what is wrong.
	Healthy() error
}
