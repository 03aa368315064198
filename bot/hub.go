package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

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
	// Clock tells the time of the changes the Hub records; nil: time.Now.
	Clock func() time.Time

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

// Target is one place a message goes: an address and, for a message about
// an item that has a card there, the card's message (the thread).
type Target struct {
	Address
	Thread string
}

// String names the target's address (platform:chat): the outbox's lane.
func (a Address) String() string { return a.Platform + ":" + a.Chat }

// Deliver sends r to every target of the recipient at once, without the
// outbox (the console, tests). It returns an error when a target failed or
// there was none; the others are still tried.
func (h *Hub) Deliver(ctx context.Context, to commands.Recipient, r commands.Reply) error {
	targets, err := h.Targets(to)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range targets {
		if _, err := h.SendTarget(ctx, t, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Targets finds where a recipient receives messages now, following chats
// that moved (a Telegram group that became a supergroup). A recipient with
// no address goes to the fallback platform (the console) when there is one,
// else ErrNoAddress.
func (h *Hub) Targets(to commands.Recipient) ([]Target, error) {
	var out []Target
	if to.Kind == commands.ToItem {
		var err error
		if out, err = h.itemTargets(to.ID); err != nil {
			return nil, err
		}
		if len(out) == 0 {
			dept, err := h.itemDept(to.ID)
			if err != nil {
				return nil, err
			}
			return h.Targets(commands.Recipient{Kind: commands.ToDepartment, ID: dept})
		}
	} else {
		addrs, err := h.Addresses(to)
		if err != nil {
			return nil, err
		}
		for _, a := range addrs {
			out = append(out, Target{Address: a})
		}
	}
	if len(out) == 0 {
		h.mu.RLock()
		fb := h.fallback
		h.mu.RUnlock()
		if fb == nil {
			return nil, fmt.Errorf("%s %s: %w", to.Kind, to.ID, ErrNoAddress)
		}
		out = append(out, Target{Address: Address{Platform: fb.Name(), Chat: recipientLabel(to)}})
	}
	for i := range out {
		out[i].Address = h.follow(out[i].Address)
	}
	return out, nil
}

// SendTarget posts r at one target (in its thread when it has one) and binds
// the posted message to the item it shows.
func (h *Hub) SendTarget(ctx context.Context, t Target, r commands.Reply) (string, error) {
	p := h.platform(t.Platform)
	if p == nil {
		return "", fmt.Errorf("deliver to %s: %w", t.Address, ErrNotConnected)
	}
	var id string
	var err error
	if ts, ok := p.(ThreadSender); ok && t.Thread != "" {
		id, err = ts.SendInThread(ctx, t.Chat, t.Thread, r)
	} else {
		id, err = p.Send(ctx, t.Chat, r)
	}
	if err != nil {
		return "", fmt.Errorf("deliver to %s: %w", t.Address, err)
	}
	if t.Thread == "" {
		h.Bind(ctx, storage.MessageRef{Platform: t.Platform, Chat: t.Chat, ID: id}, r.Item)
		h.BindEvent(ctx, storage.MessageRef{Platform: t.Platform, Chat: t.Chat, ID: id}, r.Event)
	}
	return id, nil
}

// ErrNotConnected is returned for an address on a platform that is not
// connected (it may be later: the outbox tries again).
var ErrNotConnected = errors.New("platform not connected")

func (h *Hub) platform(name string) Platform {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if p := h.platforms[name]; p != nil {
		return p
	}
	if h.fallback != nil && h.fallback.Name() == name {
		return h.fallback
	}
	return nil
}

// itemTargets are the threads of each chat's card of an item.
func (h *Hub) itemTargets(item string) ([]Target, error) {
	n, ok := commands.ParseNumber(item, 0)
	if !ok {
		return nil, fmt.Errorf("deliver to item %q: not a registration number", item)
	}
	refs, err := h.store.ItemMessages(n)
	if err != nil {
		return nil, err
	}
	seen := map[Address]bool{}
	var out []Target
	for _, m := range refs {
		a := Address{m.Platform, m.Chat}
		if seen[a] || h.platform(a.Platform) == nil {
			continue
		}
		seen[a] = true
		out = append(out, Target{Address: a, Thread: m.ID})
	}
	return out, nil
}

func (h *Hub) itemDept(item string) (string, error) {
	n, _ := commands.ParseNumber(item, 0)
	it, err := h.store.Item(n)
	if err != nil {
		return "", fmt.Errorf("deliver to item %s: %w", item, err)
	}
	if it.Dept == "" {
		return "", fmt.Errorf("item %s: %w", item, ErrNoAddress)
	}
	return it.Dept, nil
}

// Bind remembers that a posted message shows an item (no-op without one).
// A chat that moved while the message was sent is followed.
func (h *Hub) Bind(ctx context.Context, m storage.MessageRef, item string) {
	if item == "" || m.ID == "" {
		return
	}
	m.Chat = h.follow(Address{m.Platform, m.Chat}).Chat
	n, ok := commands.ParseNumber(item, 0)
	if !ok {
		return
	}
	if err := h.store.BindMessage(ctx, m, n); err != nil {
		h.log.Warn("bind message to item", "item", item, "err", err)
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
	case commands.ToEmail:
		out = append(out, Address{"email", to.ID})
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
