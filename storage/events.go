package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Chat platforms deliver some events more than once (Slack retries what was
// not acknowledged in 3 s, both redeliver after reconnects). A change records
// its event in the same transaction as the change itself, so a redelivered
// event finds its mark and changes nothing; after the reply is sent the
// adapter marks the event replied, so it is not answered twice either.

// Event states.
const (
	EventNew     = ""        // never seen
	EventApplied = "applied" // its change is in the database; the reply may not have gone out
	EventReplied = "replied" // handled and answered
)

func eventKey(id string) []byte { return key(pEvent, id) }

// claimEvent records the event of a change; it returns the result stored by
// the first delivery when the event was already handled.
func (t *Txn) claimEvent(m Meta, result string) (earlier string, seen bool, err error) {
	if m.EventID == "" {
		return "", false, nil
	}
	k := eventKey(m.EventID)
	b, err := t.get(k)
	if err == nil {
		var st eventState
		if err := json.Unmarshal(b, &st); err != nil {
			return "", true, fmt.Errorf("decode event %s: %w", m.EventID, err)
		}
		return st.Result, true, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return "", false, err
	}
	return "", false, t.setEvent(k, eventState{State: EventApplied, Result: result})
}

type eventState struct {
	State  string `json:"s"`
	Result string `json:"r,omitempty"`
}

func (t *Txn) setEvent(k []byte, st eventState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	return t.setEntry(badger.NewEntry(k, b).WithTTL(eventTTL))
}

// EventState tells whether a chat event was handled: EventNew, EventApplied or
// EventReplied.
func (s *Store) EventState(id string) (string, error) {
	var st eventState
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, eventKey(id), &st) })
	if errors.Is(err, ErrNotFound) {
		return EventNew, nil
	}
	return st.State, err
}

// MarkReplied records that the event was answered: a redelivery is dropped.
func (s *Store) MarkReplied(ctx context.Context, id string) error {
	return s.updateState(ctx, func(t *Txn) error {
		var st eventState
		if err := t.getJSON(eventKey(id), &st); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		st.State = EventReplied
		return t.setEvent(eventKey(id), st)
	})
}
