package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The Hub is the one place the adapters ask about what was handled and
// which item a message shows: they never read the database themselves.

// Handled reports whether a chat event was answered already (a redelivery
// to drop).
func (h *Hub) Handled(eventID string) bool {
	if eventID == "" {
		return false
	}
	st, err := h.store.EventState(eventID)
	if err != nil {
		h.log.Warn("event state", "event", eventID, "err", err)
		return false
	}
	return st == storage.EventReplied
}

// MarkReplied records that the reply to a chat event went out: a redelivery
// of the event is dropped.
func (h *Hub) MarkReplied(ctx context.Context, eventID string) {
	if eventID == "" {
		return
	}
	if err := h.store.MarkReplied(ctx, eventID); err != nil {
		h.log.Error("mark the event replied", "event", eventID, "err", err)
	}
}

// ItemOf returns the registration (N/YYYY) a posted message shows, "" when
// none.
func (h *Hub) ItemOf(m storage.MessageRef) string {
	n, err := h.store.MessageItem(m)
	if err != nil {
		return ""
	}
	return n.String()
}

// BindFirst binds a message (a thread's root) to an item unless it already
// shows one: a thread keeps the item it started with.
func (h *Hub) BindFirst(ctx context.Context, m storage.MessageRef, item string) {
	if item == "" || m.ID == "" || h.ItemOf(m) != "" {
		return
	}
	h.Bind(ctx, m, item)
}

// ItemThread returns the first message still bound to an item in a chat of a
// platform: the card's thread, "" when it has none there.
func (h *Hub) ItemThread(platform, chat, item string) string {
	n, ok := commands.ParseNumber(item, 0)
	if !ok {
		return ""
	}
	refs, err := h.store.ItemMessages(n)
	if err != nil {
		h.log.Warn("item threads", "item", item, "err", err)
		return ""
	}
	for _, ref := range refs {
		if ref.Platform == platform && ref.Chat == chat && h.ItemOf(ref) == n.String() {
			return ref.ID
		}
	}
	return ""
}

// Apology is the answer to an event whose handling failed on our side.
var Apology = commands.Reply{Kind: commands.Failed,
	Title: "Ne pare rău, a apărut o eroare internă; încercați din nou sau anunțați administratorul.",
	Lines: []string{"Sorry, something went wrong on our side; try again or tell the administrator."}}

// SetReachable records whether a person's chat accepts the bot's messages
// (a person who blocked the bot is unreachable until they write again). It
// reports whether anything changed; an identity without a person record is
// left alone (storage.ErrNotFound).
func (h *Hub) SetReachable(ctx context.Context, identity string, reachable bool, who string) (bool, error) {
	return h.store.SetUnreachable(ctx, identity, !reachable, storage.Meta{Who: who, At: h.now()})
}

// Reachable reports whether a person's chat accepts the bot's messages (true
// for identities without a person record).
func (h *Hub) Reachable(identity string) bool {
	p, err := h.store.Person(identity)
	return err != nil || !p.Unreachable
}

func (h *Hub) now() time.Time {
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now()
}

// follow maps an address through the chats that moved.
func (h *Hub) follow(a Address) Address {
	for range 3 { // a group migrates once; bound the chain anyway
		to, err := h.store.MovedChat(a.Platform, a.Chat)
		if err != nil || to == "" {
			return a
		}
		a.Chat = to
	}
	return a
}

// Migrate records that a chat has a new ID (a Telegram group became a
// supergroup): every stored reference follows it, once, audited, and the
// Cabinet is told (through the outbox, in the same transaction) — asked to
// update CABINET_CHANNELS when the chat is one of its own.
func (h *Hub) Migrate(ctx context.Context, platform, from, to string) error {
	m := storage.Meta{Who: platform, At: h.now()}
	m.Outbox = func(made storage.Made) ([]storage.Outgoing, error) {
		if !h.isCabinet(platform, from) && (made.Chat == nil || len(made.Chat.Departments) == 0 && made.Chat.Bindings == 0) {
			return nil, nil // a group the register knows nothing of: nothing to tell
		}
		out, err := commands.Outgoings([]commands.Notice{h.migrationNotice(platform, from, to, made.Chat)})
		for i := range out {
			out[i].Kind = storage.OutReport
		}
		return out, err
	}
	mv, changed, err := h.store.MigrateChat(ctx, platform, from, to, m)
	if err != nil {
		return fmt.Errorf("migrate %s:%s → %s: %w", platform, from, to, err)
	}
	if !changed {
		return nil
	}
	h.log.Warn("a chat moved to a new ID; stored references follow it", "platform", platform, "from", from, "to", to,
		"departments", mv.Departments, "messages", mv.Bindings)
	if h.isCabinet(platform, from) {
		h.log.Warn("a Cabinet chat of CABINET_CHANNELS moved; messages follow it, update the setting", "from", from, "to", to)
	}
	return nil
}

// isCabinet tells whether a chat is one of the Cabinet's (CABINET_CHANNELS).
func (h *Hub) isCabinet(platform, chat string) bool {
	for _, a := range h.Cabinet {
		if a.Platform == platform && a.Chat == chat {
			return true
		}
	}
	return false
}

// migrationNotice tells the Cabinet that a chat moved and what followed it.
func (h *Hub) migrationNotice(platform, from, to string, mv *storage.ChatMove) commands.Notice {
	r := commands.Reply{Title: fmt.Sprintf("Chatul %s:%s are un ID nou: %s (grupul a devenit supergrup).", platform, from, to)}
	if mv != nil && len(mv.Departments) > 0 {
		r.Lines = append(r.Lines, "Actualizat la departamentele: "+strings.Join(mv.Departments, ", ")+".")
	}
	if h.isCabinet(platform, from) {
		r.Lines = append(r.Lines, fmt.Sprintf("Este un chat al Cabinetului: mesajele îl urmează; actualizați CABINET_CHANNELS la %s:%s.", platform, to))
	}
	return commands.Notice{To: commands.Recipient{Kind: commands.ToCabinet}, Reply: r}
}

// State returns a piece of an adapter's operational state (a Telegram
// offset), "" when it has none.
func (h *Hub) State(name string) (string, error) { return h.store.State(name) }

// SetState stores a piece of an adapter's operational state.
func (h *Hub) SetState(ctx context.Context, name, value string) error {
	return h.store.SetState(ctx, name, value)
}

// BindEvent remembers that a posted message shows an agenda event (0: none).
func (h *Hub) BindEvent(ctx context.Context, m storage.MessageRef, event int) {
	if event == 0 || m.ID == "" {
		return
	}
	m.Chat = h.follow(Address{m.Platform, m.Chat}).Chat
	if err := h.store.BindEventMessage(ctx, m, event); err != nil {
		h.log.Warn("bind message to agenda event", "event", event, "err", err)
	}
}

// EventOf returns the agenda event a posted message shows, 0 when none.
func (h *Hub) EventOf(m storage.MessageRef) int {
	id, err := h.store.MessageEvent(m)
	if err != nil {
		return 0
	}
	return id
}
