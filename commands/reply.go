package commands

import (
	"encoding/json"
	"fmt"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// Reply is what a command answers, independent of any chat platform. Each
// adapter renders it: Slack Block Kit and mrkdwn, Telegram HTML, console text.
// All strings are plain text; adapters escape them.
type Reply struct {
	Kind  Kind
	Title string   // the first line, shown in bold where the platform can
	Lines []string // the body, one line each
	// Fields are labelled values (a registration's number, deadline…),
	// shown as a card where the platform has cards.
	Fields []Field
	// Actions are buttons; each is also possible as a typed command.
	Actions []Action
	Files   []File
	// Notices are messages for others than the asker (the department an item
	// was assigned to, the Cabinet…). The change that owes them wrote them to
	// the outbox in its own transaction, and the outbox delivers them: the
	// reply only lists them (the console shows them when it has no Hub).
	Notices []Notice
	// Private asks that only the asker sees the reply.
	Private bool
	// Silent means nothing is sent back (a stranger already told once).
	Silent bool
	// Item is the registration number (N/YYYY) the reply is about, so that an
	// adapter can tie the conversation (a thread) to it.
	Item string
	// Event is the agenda event the message shows (a preparing department's
	// notice), so that a reply in its thread (a briefing note) is about it.
	Event int `json:",omitempty"`
}

// Kind tells a normal answer from a refusal.
type Kind int

// Reply kinds.
const (
	OK      Kind = iota
	Invalid      // bad input: nothing changed
	Denied       // no access
	Failed       // our fault: nothing (or not everything) was done
)

// String names the kind for logs and metrics: ok, invalid, denied, failed.
func (k Kind) String() string {
	switch k {
	case OK:
		return "ok"
	case Invalid:
		return "invalid"
	case Denied:
		return "denied"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Field is a labelled value.
type Field struct {
	Label string
	Value string
}

// Action is a button. Command is the typed command it stands for, which the
// adapter runs when the button is pressed (possibly after asking, in a form,
// for the Inputs it lists).
type Action struct {
	ID      string // assign, resolve, extend
	Label   string
	Command string   // e.g. "rezolva 12/2026"
	Inputs  []string // keys to ask for before running Command, e.g. raspuns, data
}

// File is a document produced by a command (CSV, vCard, iCalendar, PNG…).
type File struct {
	Name string
	MIME string
	Data []byte `json:",omitempty"`
	// Stored names a file of the file store (its SHA-256) sent in place of
	// Data: a notice keeps only the name, and the outbox reads the file when
	// it delivers (bot.Outbox).
	Stored string `json:",omitempty"`
}

// Notice is a message for someone other than the asker.
type Notice struct {
	To    Recipient
	Reply Reply
}

// Recipient names who a message is for, independent of platform; the
// adapters find the channel, chat or person.
type Recipient struct {
	Kind RecipientKind
	ID   string // a department code or a chat identity
}

// RecipientKind says what a Recipient's ID is.
type RecipientKind string

// Recipient kinds.
const (
	ToDepartment RecipientKind = "department" // ID: department code
	ToPerson     RecipientKind = "person"     // ID: chat identity, platform:id
	ToCabinet    RecipientKind = "cabinet"    // the Cabinet's channel
	ToMayor      RecipientKind = "mayor"      // everyone with the mayor role
	// ToItem is the thread of an item's card (ID: N/YYYY), wherever it was
	// posted; the item's department when it was posted nowhere.
	ToItem RecipientKind = "item"
)

// Outgoing is the notice as the outbox keeps it.
func (n Notice) Outgoing() (storage.Outgoing, error) {
	body, err := json.Marshal(n.Reply)
	if err != nil {
		return storage.Outgoing{}, fmt.Errorf("encode notice: %w", err)
	}
	return storage.Outgoing{Kind: storage.OutNotice, To: string(n.To.Kind), ToID: n.To.ID, Item: n.Reply.Item, Body: body}, nil
}

// Outgoings encodes notices for the outbox.
func Outgoings(ns []Notice) ([]storage.Outgoing, error) {
	out := make([]storage.Outgoing, 0, len(ns))
	for _, n := range ns {
		o, err := n.Outgoing()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// DecodeNotice reads a message of the outbox back.
func DecodeNotice(o storage.Outgoing) (Notice, error) {
	n := Notice{To: Recipient{Kind: RecipientKind(o.To), ID: o.ToID}}
	if err := json.Unmarshal(o.Body, &n.Reply); err != nil {
		return n, fmt.Errorf("decode outbox message: %w", err)
	}
	return n, nil
}
