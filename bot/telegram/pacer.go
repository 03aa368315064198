package telegram

import (
	"sync"
	"time"
)

// pacer spaces the messages the bot sends. Telegram asks bots to send no
// more than about one message per second to a chat, and 20 a minute to a
// group; beyond that it answers 429. Each send reserves the first slot that
// keeps both rules (and any pause a 429 imposed on the chat) and waits for
// it, so messages to a chat go out in the order they were reserved.
type pacer struct {
	gap    time.Duration // between two messages to one chat; ≤ 0: no pacing
	window time.Duration // a group's window…
	limit  int           // …and how many messages it may get in it

	mu    sync.Mutex
	chats map[int64]*chatSlots
}

type chatSlots struct {
	slots []time.Time // the last reserved slots, oldest first (at most limit)
	hold  time.Time   // no message before this (a 429's retry_after)
}

func newPacer(gap, window time.Duration, limit int) *pacer {
	return &pacer{gap: gap, window: window, limit: limit, chats: map[int64]*chatSlots{}}
}

// isGroup tells group and channel chats (negative IDs) from people's.
func isGroup(chat int64) bool { return chat < 0 }

// reserve books the next slot for a message to chat and returns how long to
// wait for it from now.
func (p *pacer) reserve(chat int64, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chats[chat]
	if c == nil {
		p.sweep(now)
		c = &chatSlots{}
		p.chats[chat] = c
	}
	at := now
	if at.Before(c.hold) {
		at = c.hold
	}
	if p.gap > 0 {
		if n := len(c.slots); n > 0 && at.Before(c.slots[n-1].Add(p.gap)) {
			at = c.slots[n-1].Add(p.gap)
		}
		if isGroup(chat) && p.limit > 0 && len(c.slots) >= p.limit {
			if first := c.slots[len(c.slots)-p.limit]; at.Before(first.Add(p.window)) {
				at = first.Add(p.window)
			}
		}
	}
	c.slots = append(c.slots, at)
	if keep := max(p.limit, 1); len(c.slots) > keep {
		c.slots = append(c.slots[:0], c.slots[len(c.slots)-keep:]...)
	}
	return at.Sub(now)
}

// holdUntil keeps every message to chat back until t (Telegram's 429 said
// retry_after).
func (p *pacer) holdUntil(chat int64, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chats[chat]
	if c == nil {
		c = &chatSlots{}
		p.chats[chat] = c
	}
	if t.After(c.hold) {
		c.hold = t
	}
}

// sweep forgets the chats whose last slot and hold are long past (called
// with mu held, when a chat is added), so the map stays as small as the set
// of chats recently written to.
func (p *pacer) sweep(now time.Time) {
	idle := p.window + p.gap
	for id, c := range p.chats {
		last := c.hold
		if n := len(c.slots); n > 0 && c.slots[n-1].After(last) {
			last = c.slots[n-1]
		}
		if now.Sub(last) > idle {
			delete(p.chats, id)
		}
	}
}
