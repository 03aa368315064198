package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The send log makes timed pushes exactly-once per (job, slot, recipient):
// a slot's messages are put in the outbox in one transaction with a send-log
// record each and the slot's "done" mark, so a restart, a DST double firing
// or two overlapping runs never queue a message twice; the outbox then
// delivers each once (storage/outbox.go) and updates its record.

// Send states.
const (
	SendQueued = "queued" // in the outbox
	SendSent   = "sent"
	SendFailed = "failed"
	SendMissed = "missed" // the slot passed while the bot was down, past its catch-up window
)

// sendLogTTL bounds the log: slots older than this can no longer fire.
const sendLogTTL = 40 * 24 * time.Hour

// SendRecord is one (job, slot, recipient) of the send log, or a message
// that could not be delivered (listed for the Cabinet's summary).
type SendRecord struct {
	Job       string    `json:"job"`
	Slot      string    `json:"slot"`
	Recipient string    `json:"to"`
	State     string    `json:"state"`
	At        time.Time `json:"at"`
	Err       string    `json:"err,omitempty"`
	Item      string    `json:"item,omitempty"`
}

// SendKey names one push in the send log: job/slot/recipient.
func SendKey(job, slot, to string) string { return job + "/" + slot + "/" + to }

func sendKeyOf(k string) []byte           { return key(pSend, k) }
func sendKey(job, slot, to string) []byte { return sendKeyOf(SendKey(job, slot, to)) }
func slotKey(job, slot string) []byte     { return key(pSlot, job, "/", slot) }
func failKey(at time.Time, r SendRecord) []byte {
	return key(pSendFail, at.UTC().Format(time.RFC3339Nano), "/", r.Job, "/", r.Slot, "/", r.Recipient)
}

func (t *Txn) setTTL(k []byte, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", k, err)
	}
	return t.setEntry(badger.NewEntry(k, b).WithTTL(ttl))
}

// QueueSlot puts the messages of a job's slot in the outbox, each once (a
// message whose key job/slot/recipient is in the send log is skipped), marks
// the slot done and sets the given operational state, in one transaction. It
// returns how many messages were queued; none when the slot was done.
func (s *Store) QueueSlot(ctx context.Context, job, slot string, at time.Time, msgs []Outgoing, state map[string]string) (int, error) {
	n := 0
	err := s.updateState(ctx, func(t *Txn) error {
		n = 0
		if ok, err := t.exists(slotKey(job, slot)); err != nil || ok {
			return err
		}
		for _, m := range msgs {
			if m.Key == "" {
				return errors.New("queue slot: a push needs its send-log key")
			}
			if ok, err := t.exists(sendKeyOf(m.Key)); err != nil {
				return err
			} else if ok {
				continue
			}
			rec := SendRecord{Job: job, Slot: slot, Recipient: m.ToID, State: SendQueued, At: at, Item: m.Item}
			if err := t.setTTL(sendKeyOf(m.Key), rec, sendLogTTL); err != nil {
				return err
			}
			if err := t.enqueue(m, at); err != nil {
				return err
			}
			n++
		}
		for k, v := range state {
			if err := t.set(key(pState, k), []byte(v)); err != nil {
				return err
			}
		}
		return t.setTTL(slotKey(job, slot), map[string]time.Time{"at": at}, sendLogTTL)
	})
	return n, err
}

// MissSlot records that a job's slot passed while the bot was down and was
// not caught up (past its window): the slot is marked done and the miss is
// listed for the Cabinet's summary, once.
func (s *Store) MissSlot(ctx context.Context, job, slot string, at time.Time, why string) error {
	return s.updateState(ctx, func(t *Txn) error {
		if ok, err := t.exists(slotKey(job, slot)); err != nil || ok {
			return err
		}
		r := SendRecord{Job: job, Slot: slot, Recipient: "—", State: SendMissed, At: at, Err: why}
		if err := t.setTTL(failKey(at, r), r, sendLogTTL); err != nil {
			return err
		}
		return t.setTTL(slotKey(job, slot), map[string]time.Time{"at": at}, sendLogTTL)
	})
}

// RecordJobFailure lists a timed job that failed without a recipient (the
// nightly backup) with the failed sends, for the next Cabinet summary: its
// record has no Recipient.
func (s *Store) RecordJobFailure(ctx context.Context, job, slot string, at time.Time, jobErr error) error {
	r := SendRecord{Job: job, Slot: slot, State: SendFailed, At: at, Err: jobErr.Error()}
	return s.updateState(ctx, func(t *Txn) error { return t.setTTL(failKey(at, r), r, sendLogTTL) })
}

// SendState returns the state of one send ("" when never claimed).
func (s *Store) SendState(job, slot, to string) (string, error) {
	var r SendRecord
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, sendKey(job, slot, to), &r) })
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return r.State, err
}

// FailedSends lists the sends that failed for good since a moment, oldest first.
func (s *Store) FailedSends(since time.Time) ([]SendRecord, error) {
	var out []SendRecord
	err := s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pSendFail), PrefetchValues: true})
		defer it.Close()
		for it.Seek(key(pSendFail, since.UTC().Format(time.RFC3339Nano))); it.ValidForPrefix([]byte(pSendFail)); it.Next() {
			var r SendRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &r) }); err != nil {
				return fmt.Errorf("decode failed send: %w", err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// SlotDone reports whether every send of a job's slot was made.
func (s *Store) SlotDone(job, slot string) (bool, error) {
	var done bool
	err := s.view(func(txn *badger.Txn) error {
		_, err := txn.Get(slotKey(job, slot))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		done = err == nil
		return err
	})
	return done, err
}

// MarkSlotDone records that a job's slot ran to its end.
func (s *Store) MarkSlotDone(ctx context.Context, job, slot string, at time.Time) error {
	return s.updateState(ctx, func(t *Txn) error {
		return t.setTTL(slotKey(job, slot), map[string]time.Time{"at": at}, sendLogTTL)
	})
}
