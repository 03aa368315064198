package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Platform is a chat service the bot is connected to. Each adapter implements
// it; the Hub uses it to deliver messages nobody asked for (notices, digests).
type Platform interface {
	// Name is the identity prefix of the platform: slack, telegram, console.
	Name() string
	// Send posts a reply to an address of the platform (a channel, chat or
	// user ID) and returns the ID of the posted message ("" if it has none).
	Send(ctx context.Context, chat string, r commands.Reply) (msgID string, err error)
}

// ThreadSender is a Platform that can post under an earlier message: in a
// Slack thread, or as a Telegram reply. The Hub uses it for messages about an
// item (reminders), so they land where the item's card is.
type ThreadSender interface {
	SendInThread(ctx context.Context, chat, parentID string, r commands.Reply) (msgID string, err error)
}

// Address is where a message goes: a platform and a chat on it.
type Address struct {
	Platform string
	Chat     string
}

// ParseAddress reads platform:chat (slack:C0123ABC, telegram:-1001234).
func ParseAddress(s string) (Address, bool) {
	p, chat, ok := strings.Cut(strings.TrimSpace(s), ":")
	return Address{Platform: p, Chat: chat}, ok && p != "" && chat != ""
}

// ErrNoAddress is returned when a recipient has nowhere to receive messages.
var ErrNoAddress = errors.New("the recipient has no chat to deliver to")

// Hub delivers messages to recipients across every connected platform: it
// finds a department's channel and group, the Mayor's chats, the Cabinet's
// channel, and remembers which item each posted message shows (so that
// replies in its thread are about that item). It implements the scheduler's
// Deliverer.
type Hub struct {
	store *storage.Store
	log   *slog.Logger
	// Cabinet are the Cabinet's own channels (CABINET_CHANNELS).
	Cabinet []Address

	mu        sync.RWMutex
	platforms map[string]Platform
	fallback  Platform
}

// NewHub returns a hub with no platforms yet.
func NewHub(store *storage.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{store: store, log: log, platforms: map[string]Platform{}}
}

// Add connects a platform.
func (h *Hub) Add(p Platform) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.platforms[p.Name()] = p
}

// SetFallback names the platform that shows what has no address elsewhere:
// the console, when no chat service is connected.
func (h *Hub) SetFallback(p Platform) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fallback = p
}

// Deliver sends r to every address of the recipient. It returns an error
// when an address failed or there was none; the others are still tried.
func (h *Hub) Deliver(ctx context.Context, to commands.Recipient, r commands.Reply) error {
	if to.Kind == commands.ToItem {
		return h.deliverToItem(ctx, to.ID, r)
	}
	addrs, err := h.Addresses(to)
	if err != nil {
		return err
	}
	if len(addrs) == 0 {
		h.mu.RLock()
		fb := h.fallback
		h.mu.RUnlock()
		if fb != nil {
			_, err := fb.Send(ctx, recipientLabel(to), r)
			return err
		}
		return fmt.Errorf("%s %s: %w", to.Kind, to.ID, ErrNoAddress)
	}
	var errs []error
	for _, a := range addrs {
		if _, err := h.SendTo(ctx, a, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SendTo posts r at one address and binds the posted message to the item it
// shows.
func (h *Hub) SendTo(ctx context.Context, a Address, r commands.Reply) (string, error) {
	h.mu.RLock()
	p := h.platforms[a.Platform]
	h.mu.RUnlock()
	if p == nil {
		return "", fmt.Errorf("deliver to %s:%s: platform not connected", a.Platform, a.Chat)
	}
	id, err := p.Send(ctx, a.Chat, r)
	if err != nil {
		return "", fmt.Errorf("deliver to %s:%s: %w", a.Platform, a.Chat, err)
	}
	h.Bind(ctx, storage.MessageRef{Platform: a.Platform, Chat: a.Chat, ID: id}, r.Item)
	return id, nil
}

// deliverToItem posts in the thread of each chat's card of an item; an item
// that was never posted goes to its department.
func (h *Hub) deliverToItem(ctx context.Context, item string, r commands.Reply) error {
	n, ok := commands.ParseNumber(item, 0)
	if !ok {
		return fmt.Errorf("deliver to item %q: not a registration number", item)
	}
	refs, err := h.store.ItemMessages(n)
	if err != nil {
		return err
	}
	seen := map[Address]bool{}
	var errs []error
	for _, m := range refs {
		a := Address{m.Platform, m.Chat}
		if seen[a] {
			continue
		}
		h.mu.RLock()
		p := h.platforms[a.Platform]
		h.mu.RUnlock()
		if p == nil {
			continue
		}
		seen[a] = true
		if ts, ok := p.(ThreadSender); ok {
			_, err = ts.SendInThread(ctx, a.Chat, m.ID, r)
		} else {
			_, err = p.Send(ctx, a.Chat, r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("deliver to %s:%s: %w", a.Platform, a.Chat, err))
		}
	}
	if len(seen) > 0 {
		return errors.Join(errs...)
	}
	it, err := h.store.Item(n)
	if err != nil {
		return fmt.Errorf("deliver to item %s: %w", item, err)
	}
	if it.Dept == "" {
		return fmt.Errorf("item %s: %w", item, ErrNoAddress)
	}
	return h.Deliver(ctx, commands.Recipient{Kind: commands.ToDepartment, ID: it.Dept}, r)
}

// Bind remembers that a posted message shows an item (no-op without one).
func (h *Hub) Bind(ctx context.Context, m storage.MessageRef, item string) {
	if item == "" || m.ID == "" {
		return
	}
	n, ok := commands.ParseNumber(item, 0)
	if !ok {
		return
	}
	if err := h.store.BindMessage(ctx, m, n); err != nil {
		h.log.Warn("bind message to item", "item", item, "err", err)
	}
}

// DeliverNotices sends the notices of a reply (the department an item was
// assigned to, the Cabinet…), logging what could not be delivered.
func (h *Hub) DeliverNotices(ctx context.Context, r commands.Reply) {
	for _, n := range r.Notices {
		if err := h.Deliver(ctx, n.To, n.Reply); err != nil {
			h.log.Warn("notice not delivered", "to", n.To.Kind, "id", n.To.ID, "err", err)
		}
	}
}

// Addresses finds where a recipient receives messages on the connected
// platforms.
func (h *Hub) Addresses(to commands.Recipient) ([]Address, error) {
	var out []Address
	switch to.Kind {
	case commands.ToDepartment:
		d, err := h.store.Department(to.ID)
		if err != nil {
			return nil, fmt.Errorf("department %s: %w", to.ID, err)
		}
		if d.SlackChannel != "" {
			out = append(out, Address{"slack", d.SlackChannel})
		}
		if d.TelegramChat != "" {
			out = append(out, Address{"telegram", d.TelegramChat})
		}
	case commands.ToPerson:
		if a, ok := ParseAddress(to.ID); ok {
			out = append(out, a)
		}
	case commands.ToMayor:
		people, err := h.store.People()
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if p.Role == string(commands.RoleMayor) && !p.Unreachable {
				if a, ok := ParseAddress(p.Identity); ok {
					out = append(out, a)
				}
			}
		}
	case commands.ToCabinet:
		out = append(out, h.Cabinet...)
	}
	return h.connected(out), nil
}

// connected keeps the addresses on connected platforms.
func (h *Hub) connected(addrs []Address) []Address {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := addrs[:0]
	for _, a := range addrs {
		if h.platforms[a.Platform] != nil {
			out = append(out, a)
		}
	}
	return out
}

func recipientLabel(to commands.Recipient) string {
	switch to.Kind {
	case commands.ToDepartment:
		return "→ " + to.ID
	case commands.ToCabinet:
		return "→ Cabinet"
	case commands.ToMayor:
		return "→ Primar"
	default:
		return "→ " + to.ID
	}
}

// Platforms returns the connected platforms, in no particular order.
func (h *Hub) Platforms() []Platform {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]Platform, 0, len(h.platforms))
	for _, p := range h.platforms {
		out = append(out, p)
	}
	return out
}
