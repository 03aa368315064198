package storage

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Meta says who makes a change, when, and on behalf of which chat event.
type Meta struct {
	Who string    // the identity acting, e.g. "slack:U012AB3CD"
	At  time.Time // the time of the change (from the injected clock)
	// EventID identifies the chat event that asked for the change. A change
	// whose event was already handled is not made again. Empty: no dedupe.
	EventID string
	// Outbox, when set, builds the messages the change owes (a notice to a
	// department, to the Cabinet…) from what it made; they are written to
	// the outbox in the change's own transaction. It may run more than once.
	Outbox func(Made) ([]Outgoing, error)
}

// AuditEntry is one line of the append-only audit trail: who changed what,
// when, before and after.
type AuditEntry struct {
	Seq    uint64          `json:"seq"`
	At     time.Time       `json:"at"`
	Who    string          `json:"who"`
	Action string          `json:"action"`
	Kind   string          `json:"kind"` // c: correspondence, d: department, p: person, h: day off, …
	ID     string          `json:"id"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	Note   string          `json:"note,omitempty"`
}

// Audit kinds.
const (
	KindItem       = "c"
	KindDepartment = "d"
	KindPerson     = "p"
	KindDayOff     = "h"
	KindSetting    = "s"
	KindMail       = "em"
)

// audit appends an entry. Entries are never changed or deleted.
func (t *Txn) audit(m Meta, kind, id, action string, before, after any, note string) error {
	seq, err := t.next([]byte(kAuditSeq))
	if err != nil {
		return err
	}
	k, v, err := encodeAudit(seq, m, kind, id, action, before, after, note)
	if err != nil {
		return err
	}
	return t.set(k, v)
}

// encodeAudit gives the key and value of the audit entry seq.
func encodeAudit(seq uint64, m Meta, kind, id, action string, before, after any, note string) (k, v []byte, err error) {
	e := AuditEntry{Seq: seq, At: m.At, Who: m.Who, Action: action, Kind: kind, ID: id, Note: note}
	if e.Before, err = rawJSON(before); err != nil {
		return nil, nil, err
	}
	if e.After, err = rawJSON(after); err != nil {
		return nil, nil, err
	}
	if v, err = json.Marshal(e); err != nil {
		return nil, nil, fmt.Errorf("encode audit entry: %w", err)
	}
	return auditKey(kind, id, seq), v, nil
}

func auditKey(kind, id string, seq uint64) []byte {
	return key(pAudit, kind, "/", id, "/", fmt.Sprintf("%016d", seq))
}

func rawJSON(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode audit value: %w", err)
	}
	return b, nil
}

// History returns the audit trail of one thing, oldest first.
func (s *Store) History(kind, id string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.view(func(txn *badger.Txn) error {
		return scanValues(txn, key(pAudit, kind, "/", id, "/"), func(_, v []byte) (bool, error) {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return false, fmt.Errorf("decode audit entry: %w", err)
			}
			out = append(out, e)
			return true, nil
		})
	})
	return out, err
}
