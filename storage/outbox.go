package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The outbox holds every message the bot sends unasked (notices, reports,
// timed pushes) until it was delivered. A message is written in the same
// transaction as the change that causes it, so a crash can never keep the
// change and lose its message; the sender (bot.Outbox) delivers it, records
// each address it reached, and removes it once delivered. An entry removed
// is never sent again; an entry a crash interrupted in the middle of a send
// is sent again (it may arrive twice).

// Outbox kinds: what a message is, which sets how long its delivery is tried.
const (
	OutNotice = "notice" // caused by a change (an assignment, a resolution…)
	OutPush   = "push"   // a timed push (agenda, digest, reminder…)
	OutReport = "report" // a delivery that failed for good, told to the Cabinet
)

// Outgoing is a message the bot owes someone.
type Outgoing struct {
	Kind string `json:"kind"`
	// To and ToID name the recipient (a commands.Recipient's kind and ID).
	To   string `json:"to"`
	ToID string `json:"to_id,omitempty"`
	// Item is the registration the message is about (N/YYYY), if any.
	Item string `json:"item,omitempty"`
	// Body is the message, encoded by whoever produced it.
	Body json.RawMessage `json:"body"`
	// Key makes a timed push exactly-once: job/slot/recipient (send log).
	Key string `json:"key,omitempty"`
}

// OutboxEntry is a message waiting in the outbox.
type OutboxEntry struct {
	Outgoing
	Seq     uint64    `json:"seq"`
	Created time.Time `json:"created"`
	// Done lists the addresses (platform:chat) the message already reached.
	Done []string `json:"done,omitempty"`
}

// Made is what a change made, handed to Meta.Outbox inside the change's
// transaction so that the messages it owes can say it.
type Made struct {
	Items  []Item        // Change: the items after the change
	Events []AgendaEvent // AddAgendaEvent: the event; ChangeAgendaEvent: before, after; ImportAgenda: the batch saved
	Link   *Link         // RedeemLink: the code as used
	Chat   *ChatMove     // MigrateChat: what followed the chat
	// Proposal is the e-mail proposal proposed, registered or ignored.
	Proposal *Proposal
}

func outboxKey(seq uint64) []byte { return key(pOutbox, fmt.Sprintf("%016d", seq)) }

// owe writes the messages a change owes (m.Outbox), in its transaction.
func (t *Txn) owe(m Meta, made Made) error {
	if m.Outbox == nil {
		return nil
	}
	msgs, err := m.Outbox(made)
	if err != nil {
		return fmt.Errorf("messages of the change: %w", err)
	}
	for _, o := range msgs {
		if err := t.enqueue(o, m.At); err != nil {
			return err
		}
	}
	return nil
}

// enqueue writes one message to the outbox.
func (t *Txn) enqueue(o Outgoing, at time.Time) error {
	if o.Kind == "" || o.To == "" {
		return errors.New("outbox: a message needs a kind and a recipient")
	}
	seq, err := t.next([]byte(kOutboxSeq))
	if err != nil {
		return err
	}
	t.queued = true
	return t.setJSON(outboxKey(seq), OutboxEntry{Outgoing: o, Seq: seq, Created: at})
}

// Enqueue writes messages to the outbox in one transaction.
func (s *Store) Enqueue(ctx context.Context, at time.Time, msgs ...Outgoing) error {
	return s.updateState(ctx, func(t *Txn) error {
		for _, o := range msgs {
			if err := t.enqueue(o, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// Queued is signalled after a commit that put messages in the outbox.
func (s *Store) Queued() <-chan struct{} { return s.queuedSig }

// Outbox lists the messages waiting, oldest first.
func (s *Store) Outbox() ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.view(func(txn *badger.Txn) error {
		return scanValues(txn, []byte(pOutbox), func(_, v []byte) (bool, error) {
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return false, fmt.Errorf("decode outbox entry: %w", err)
			}
			out = append(out, e)
			return true, nil
		})
	})
	return out, err
}

// OutboxEntry reads one waiting message (ErrNotFound once it was delivered).
func (s *Store) OutboxEntry(seq uint64) (OutboxEntry, error) {
	var e OutboxEntry
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, outboxKey(seq), &e) })
	return e, err
}

// OutboxReached records that a message reached one of its addresses, so that
// a retry (or a restart) does not send it there again.
func (s *Store) OutboxReached(ctx context.Context, seq uint64, addr string) error {
	return s.updateState(ctx, func(t *Txn) error {
		var e OutboxEntry
		if err := t.getJSON(outboxKey(seq), &e); err != nil {
			return err
		}
		if slices.Contains(e.Done, addr) {
			return nil
		}
		e.Done = append(e.Done, addr)
		return t.setJSON(outboxKey(seq), e)
	})
}

// takeOutbox removes an entry from the outbox and returns it; ok is false
// when it is gone already.
func (t *Txn) takeOutbox(seq uint64) (e OutboxEntry, ok bool, err error) {
	if err := t.getJSON(outboxKey(seq), &e); err != nil {
		if errors.Is(err, ErrNotFound) {
			return e, false, nil
		}
		return e, false, err
	}
	return e, true, t.del(outboxKey(seq))
}

// OutboxSent removes a delivered message (and marks its push sent in the
// send log): it is never sent again.
func (s *Store) OutboxSent(ctx context.Context, seq uint64, at time.Time) error {
	return s.updateState(ctx, func(t *Txn) error {
		e, ok, err := t.takeOutbox(seq)
		if err != nil || !ok {
			return err
		}
		if e.Key == "" {
			return nil
		}
		return t.setTTL(sendKeyOf(e.Key), SendRecord{Job: e.Kind, Slot: e.Key, Recipient: e.ToID, State: SendSent, At: at, Item: e.Item}, sendLogTTL)
	})
}

// OutboxFailed removes a message that cannot be delivered, lists the failure
// for the Cabinet's summary, and queues report (when given) in the same
// transaction: a failure is reported once.
func (s *Store) OutboxFailed(ctx context.Context, seq uint64, at time.Time, cause string, report *Outgoing) error {
	return s.updateState(ctx, func(t *Txn) error {
		e, ok, err := t.takeOutbox(seq)
		if err != nil || !ok {
			return err
		}
		r := SendRecord{Job: e.Kind, Slot: e.Created.UTC().Format(time.RFC3339), Recipient: recipientName(e.Outgoing),
			State: SendFailed, At: at, Err: cause, Item: e.Item}
		if e.Key != "" {
			r.Slot = e.Key
			if err := t.setTTL(sendKeyOf(e.Key), r, sendLogTTL); err != nil {
				return err
			}
		}
		if err := t.setTTL(failKey(at, r), r, sendLogTTL); err != nil {
			return err
		}
		if report == nil {
			return nil
		}
		return t.enqueue(*report, at)
	})
}

func recipientName(o Outgoing) string {
	if o.ToID == "" {
		return o.To
	}
	return o.To + " " + o.ToID
}
