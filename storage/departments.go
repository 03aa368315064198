package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
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

// ChartError is a change that would break the organisation chart.
type ChartError struct {
	Code  string // the department added or changed
	Other string // the other department involved
	// Reason: ChartName (Other already has that name), ChartCycle (the new
	// parent Other is Code itself or one of its sub-departments),
	// ChartParent (the parent Other does not exist).
	Reason string
}

// ChartError reasons.
const (
	ChartName   = "name"
	ChartCycle  = "cycle"
	ChartParent = "parent"
)

func (e *ChartError) Error() string {
	switch e.Reason {
	case ChartName:
		return fmt.Sprintf("department %s: %s already has that name", e.Code, e.Other)
	case ChartCycle:
		return fmt.Sprintf("department %s cannot be placed under %s, its own sub-department", e.Code, e.Other)
	default:
		return fmt.Sprintf("department %s: no parent department %s", e.Code, e.Other)
	}
}

func deptKey(code string) []byte { return key(pDept, code) }

// AddDepartment creates a department; ErrExists when its code is taken, a
// *ChartError when its name is another's or its parent does not exist.
func (s *Store) AddDepartment(ctx context.Context, d Department, m Meta) error {
	return s.directoryChanged(s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, "add"); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		if ok, err := t.exists(deptKey(d.Code)); err != nil || ok {
			if ok {
				return fmt.Errorf("department %s: %w", d.Code, ErrExists)
			}
			return err
		}
		all, err := t.departments()
		if err != nil {
			return err
		}
		all[d.Code] = d
		if err := t.store.checkChart(all, d.Code); err != nil {
			return err
		}
		if err := t.setJSON(deptKey(d.Code), d); err != nil {
			return err
		}
		return t.audit(m, KindDepartment, d.Code, "add", nil, d, "")
	}))
}

// ChangeDepartment lets fn change a department and writes it back with an
// audit entry; nothing is written when fn fails, when nothing changed, or
// when the change would break the chart (*ChartError: a name taken, a parent
// that does not exist, a department under its own sub-department).
func (s *Store) ChangeDepartment(ctx context.Context, code, action string, m Meta, fn func(*Department) error) (Department, error) {
	var after Department
	err := s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, action); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		all, err := t.departments()
		if err != nil {
			return err
		}
		before, ok := all[code]
		if !ok {
			return fmt.Errorf("department %s: %w", code, ErrNotFound)
		}
		after = before
		after.Members = slices.Clone(before.Members)
		if err := fn(&after); err != nil {
			return err
		}
		after.Code = code
		if reflect.DeepEqual(before, after) {
			return nil
		}
		all[code] = after
		if err := t.store.checkChart(all, code); err != nil {
			return err
		}
		if err := t.setJSON(deptKey(code), after); err != nil {
			return err
		}
		return t.audit(m, KindDepartment, code, action, before, after, "")
	})
	return after, s.directoryChanged(err)
}

// ImportDepartments adds or updates many departments in one transaction:
// merge makes the record to keep from the stored one (nil for a new code)
// and the imported row. Rows that change nothing are not written. The chart
// is checked as a whole after the merge.
func (s *Store) ImportDepartments(ctx context.Context, rows []Department, merge func(old *Department, row Department) Department, m Meta) (ImportResult, error) {
	var res ImportResult
	err := s.update(ctx, func(t *Txn) error {
		res = ImportResult{}
		all, err := t.departments()
		if err != nil {
			return err
		}
		before := maps.Clone(all)
		for _, r := range rows {
			var old *Department
			if d, ok := all[r.Code]; ok {
				old = &d
			}
			d := merge(old, r)
			d.Code = r.Code
			all[d.Code] = d
		}
		for _, r := range rows {
			if err := t.store.checkChart(all, r.Code); err != nil {
				return err
			}
		}
		for _, r := range rows {
			d := all[r.Code]
			prev, existed := before[r.Code]
			if existed && reflect.DeepEqual(prev, d) {
				res.Unchanged++
				continue
			}
			if err := t.setJSON(deptKey(d.Code), d); err != nil {
				return err
			}
			if !existed {
				res.Added++
				err = t.audit(m, KindDepartment, d.Code, "import", nil, d, "")
			} else {
				res.Updated++
				err = t.audit(m, KindDepartment, d.Code, "import", prev, d, "")
			}
			if err != nil {
				return err
			}
			before[r.Code] = d // a code given twice is written once per change
		}
		return nil
	})
	return res, s.directoryChanged(err)
}

// departments reads every department inside a write, with the writes of the
// batch so far.
func (t *Txn) departments() (map[string]Department, error) {
	all := map[string]Department{}
	err := scanJSON(t.txn, []byte(pDept), func(d *Department) { all[d.Code] = *d })
	return all, err
}

// checkChart checks department code against the others: a name of its own,
// an existing parent, and no loop through its parents.
func (s *Store) checkChart(all map[string]Department, code string) error {
	d := all[code]
	name := strings.Join(s.words(d.Name), " ")
	for _, o := range all {
		if o.Code != code && strings.Join(s.words(o.Name), " ") == name {
			return &ChartError{Code: code, Other: o.Code, Reason: ChartName}
		}
	}
	seen := map[string]bool{code: true}
	for p := d.Parent; p != ""; p = all[p].Parent {
		if _, ok := all[p]; !ok {
			return &ChartError{Code: code, Other: p, Reason: ChartParent}
		}
		if seen[p] {
			return &ChartError{Code: code, Other: d.Parent, Reason: ChartCycle}
		}
		seen[p] = true
	}
	return nil
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
