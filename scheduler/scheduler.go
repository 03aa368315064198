// Package scheduler decides when timed messages go out (the morning agenda,
// deadline digests, reminders, backups), asks commands and storage what they
// say, and hands them to a Deliverer that the chat adapters implement. It
// never imports a chat SDK.
package scheduler

import (
	"context"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Deliverer sends a message to a recipient (a department, the Cabinet, the
// Mayor, a person). The Slack, Telegram and console adapters implement it.
type Deliverer interface {
	Deliver(ctx context.Context, to commands.Recipient, r commands.Reply) error
}
