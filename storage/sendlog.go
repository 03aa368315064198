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
// a send is claimed (pending) before it goes out and marked sent after, so a
// restart, a DST double firing or two overlapping runs never send twice. A
// send that was pending when the process died is not repeated (it may have
// gone out): it is reported as uncertain instead.

// Send states.
const (
	SendPending = "pending"
	SendSent    = "sent"
	SendFailed  = "failed"
)

// sendLogTTL bounds the log: slots older than this can no longer fire.
const sendLogTTL = 40 * 24 * time.Hour

// SendRecord is one (job, slot, recipient) of the send log.
type SendRecord struct {
	Job       string    `json:"job"`
	Slot      string    `json:"slot"`
	Recipient string    `json:"to"`
	State     string    `json:"state"`
	At        time.Time `json:"at"`
	Err       string    `json:"err,omitempty"`
}

func sendKey(job, slot, to string) []byte { return key(pSend, job, "/", slot, "/", to) }
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

// ClaimSend claims the send of a slot to a recipient. It returns false when
// the send was already claimed (sent, failed for good, or in flight).
func (s *Store) ClaimSend(ctx context.Context, job, slot, to string, at time.Time) (bool, error) {
	claimed := false
	err := s.updateState(ctx, func(t *Txn) error {
		claimed = false
		if ok, err := t.exists(sendKey(job, slot, to)); err != nil || ok {
			return err
		}
		claimed = true
		return t.setTTL(sendKey(job, slot, to), SendRecord{Job: job, Slot: slot, Recipient: to, State: SendPending, At: at}, sendLogTTL)
	})
	return claimed, err
}

// FinishSend records how a claimed send ended: sent, or failed with sendErr
// (a failure is also listed for the next Cabinet summary).
func (s *Store) FinishSend(ctx context.Context, job, slot, to string, at time.Time, sendErr error) error {
	r := SendRecord{Job: job, Slot: slot, Recipient: to, State: SendSent, At: at}
	if sendErr != nil {
		r.State, r.Err = SendFailed, sendErr.Error()
	}
	return s.updateState(ctx, func(t *Txn) error {
		if err := t.setTTL(sendKey(job, slot, to), r, sendLogTTL); err != nil {
			return err
		}
		if sendErr != nil {
			return t.setTTL(failKey(at, r), r, sendLogTTL)
		}
		return nil
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

// PendingSends lists the sends of a slot that were claimed and never finished
// (the process stopped while sending).
func (s *Store) PendingSends(job, slot string) ([]SendRecord, error) {
	var out []SendRecord
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, key(pSend, job, "/", slot, "/"), func(r *SendRecord) {
			if r.State == SendPending {
				out = append(out, *r)
			}
		})
	})
	return out, err
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
