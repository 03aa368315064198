package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Audiences: a day of audience slots is an agenda event with AudienceSlot
// set; a citizen's request is a registration (category audienta) whose
// Audience says which slot it has, how it went and which follow-up it led
// to. A slot taken is a key of its own (au/<event>/<unix>), written in the
// same transaction as the request, so two requests never share a slot.

// CategoryAudience is the register category of audience requests.
const CategoryAudience = "audienta"

// pAudienceSlot is the prefix of taken audience slots.
const pAudienceSlot = "au/"

// Audience is what the register keeps of an audience request or follow-up.
type Audience struct {
	Event     int       `json:"event,omitempty"` // the agenda event of the audience day
	Slot      time.Time `json:"slot,omitzero"`   // the slot's start
	Cancelled bool      `json:"cancelled,omitempty"`
	Held      bool      `json:"held,omitempty"`
	Outcome   string    `json:"outcome,omitempty"`
	FollowUp  Number    `json:"follow_up,omitzero"` // the registration that follows it up
	// Of, on a follow-up, is the audience request it follows.
	Of Number `json:"of,omitzero"`
}

// SlotTakenError is returned when an audience slot is someone else's.
type SlotTakenError struct{ By Number }

func (e *SlotTakenError) Error() string { return fmt.Sprintf("the slot is taken by %s", e.By) }

func audienceSlotKey(event int, slot time.Time) []byte {
	return key(pAudienceSlot, agendaID(event), "/", strconv.FormatInt(slot.Unix(), 10))
}

// SetAudienceSlot gives the request num the slot (event, slot) — or none,
// with event 0 — freeing the one it had, lets fn change the request, and
// writes it with its audit entry and notices, in one transaction. A slot
// held by another request: *SlotTakenError, nothing written.
func (s *Store) SetAudienceSlot(ctx context.Context, num Number, event int, slot time.Time, action, note string, m Meta, fn func(*Item) error) (Item, error) {
	var out Item
	err := s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, action); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		var before Item
		if err := t.getJSON(itemKey(num), &before); err != nil {
			return fmt.Errorf("item %s: %w", num, err)
		}
		if event != 0 {
			b, err := t.get(audienceSlotKey(event, slot))
			if err == nil {
				if by, ok := numberFromID(string(b)); ok && by != num {
					return &SlotTakenError{By: by}
				}
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		it := cloneItem(before)
		if it.Audience == nil {
			it.Audience = &Audience{}
		}
		if a := it.Audience; a.Event != 0 {
			if err := t.del(audienceSlotKey(a.Event, a.Slot)); err != nil {
				return err
			}
		}
		it.Audience.Event, it.Audience.Slot = event, slot
		if event != 0 {
			if err := t.set(audienceSlotKey(event, slot), []byte(num.id())); err != nil {
				return err
			}
		}
		if fn != nil {
			if err := fn(&it); err != nil {
				return err
			}
		}
		if err := t.putItem(&before, &it); err != nil {
			return err
		}
		if err := t.audit(m, KindItem, num.String(), action, before, it, note); err != nil {
			return err
		}
		out = it
		return t.owe(m, Made{Items: []Item{it}})
	})
	return out, err
}

// AudienceSlots returns the taken slots of an audience day: start → request.
func (s *Store) AudienceSlots(event int) (map[int64]Number, error) {
	out := map[int64]Number{}
	p := key(pAudienceSlot, agendaID(event), "/")
	err := s.view(func(txn *badger.Txn) error {
		return scanValues(txn, p, func(k, v []byte) (bool, error) {
			u, err := strconv.ParseInt(string(k[len(p):]), 10, 64)
			if n, ok := numberFromID(string(v)); err == nil && ok {
				out[u] = n
			}
			return true, nil
		})
	})
	return out, err
}

// RegisterFollowUp registers follow (assigned as it says) as the follow-up
// of the request of, and lets fn record the outcome on the request, linking
// both, in one transaction.
func (s *Store) RegisterFollowUp(ctx context.Context, year int, of Number, follow Item, m Meta, fn func(req *Item) error) (req, saved Item, err error) {
	err = s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, "audience-outcome"); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		var before Item
		if err := t.getJSON(itemKey(of), &before); err != nil {
			return fmt.Errorf("item %s: %w", of, err)
		}
		req = cloneItem(before)
		if req.Audience == nil {
			req.Audience = &Audience{}
		}
		if err := fn(&req); err != nil {
			return err
		}
		saved = follow
		if follow.Subject != "" {
			seq, err := t.next(counterKey(year))
			if err != nil {
				return err
			}
			saved.Number = Number{Year: year, Seq: int(seq)}
			t.handOut(year, seq)
			saved.Audience = &Audience{Of: of}
			saved.Links = append(saved.Links, of)
			req.Audience.FollowUp = saved.Number
			req.Links = append(req.Links, saved.Number)
			if err := t.putItem(nil, &saved); err != nil {
				return err
			}
			if err := t.audit(m, KindItem, saved.Number.String(), "register", nil, saved, "urmare audiență "+of.String()); err != nil {
				return err
			}
		}
		if err := t.putItem(&before, &req); err != nil {
			return err
		}
		if err := t.audit(m, KindItem, of.String(), "audience-outcome", before, req, ""); err != nil {
			return err
		}
		made := []Item{req}
		if saved.Number.Seq != 0 {
			made = append(made, saved)
		}
		return t.owe(m, Made{Items: made})
	})
	return req, saved, err
}
