package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Department is a unit of the city hall: a direction, service, office or
// compartment. Correspondence is assigned to departments.
type Department struct {
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind,omitempty"`   // directie, serviciu, birou, compartiment
	Parent       string    `json:"parent,omitempty"` // the parent department's code
	Head         string    `json:"head,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	Email        string    `json:"email,omitempty"`
	SlackChannel string    `json:"slack_channel,omitempty"`
	TelegramChat string    `json:"telegram_chat,omitempty"`
	Members      []string  `json:"members,omitempty"` // chat identities
	Closed       bool      `json:"closed,omitempty"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
}

// ErrExists is returned when creating something that already exists.
var ErrExists = errors.New("already exists")

func deptKey(code string) []byte { return key(pDept, code) }

// AddDepartment creates a department; ErrExists when its code is taken.
func (s *Store) AddDepartment(ctx context.Context, d Department, m Meta) error {
	return s.update(ctx, func(t *Txn) error {
		if ok, err := t.exists(deptKey(d.Code)); err != nil || ok {
			if ok {
				return fmt.Errorf("department %s: %w", d.Code, ErrExists)
			}
			return err
		}
		if err := t.setJSON(deptKey(d.Code), d); err != nil {
			return err
		}
		return t.audit(m, KindDepartment, d.Code, "add", nil, d, "")
	})
}

// ChangeDepartment lets fn change a department and writes it back with an
// audit entry; nothing is written when fn fails.
func (s *Store) ChangeDepartment(ctx context.Context, code, action string, m Meta, fn func(*Department) error) (Department, error) {
	var after Department
	err := s.update(ctx, func(t *Txn) error {
		var before Department
		if err := t.getJSON(deptKey(code), &before); err != nil {
			return fmt.Errorf("department %s: %w", code, err)
		}
		after = before
		after.Members = append([]string(nil), before.Members...)
		if err := fn(&after); err != nil {
			return err
		}
		if err := t.setJSON(deptKey(code), after); err != nil {
			return err
		}
		return t.audit(m, KindDepartment, code, action, before, after, "")
	})
	return after, err
}

// Department returns one department by its exact code.
func (s *Store) Department(code string) (Department, error) {
	var d Department
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, deptKey(code), &d) })
	return d, err
}

// Departments lists every department, closed ones included, by code.
func (s *Store) Departments() ([]Department, error) {
	var out []Department
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte(pDept), func(d *Department) { out = append(out, *d) })
	})
	return out, err
}

// scanJSON decodes every value under prefix into a fresh T.
func scanJSON[T any](txn *badger.Txn, prefix []byte, fn func(*T)) error {
	return scanValues(txn, prefix, func(k, v []byte) (bool, error) {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return false, fmt.Errorf("decode %q: %w", k, err)
		}
		fn(&x)
		return true, nil
	})
}
