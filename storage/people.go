package storage

import (
	"context"
	"errors"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Person ties a chat identity to a person and a role.
type Person struct {
	Identity  string    `json:"identity"` // platform:id, e.g. slack:U012AB3CD, telegram:123456
	Name      string    `json:"name,omitempty"`
	Role      string    `json:"role"`           // admin, cabinet, departament, primar, vizualizare
	Dept      string    `json:"dept,omitempty"` // for department members
	GrantedBy string    `json:"granted_by,omitempty"`
	At        time.Time `json:"at"`
	// Unreachable marks a chat that refused our messages (a blocked bot).
	Unreachable bool `json:"unreachable,omitempty"`
}

func personKey(identity string) []byte { return key(pPerson, identity) }

// Person returns the person behind a chat identity.
func (s *Store) Person(identity string) (Person, error) {
	var p Person
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, personKey(identity), &p) })
	return p, err
}

// People lists every known identity.
func (s *Store) People() ([]Person, error) {
	var out []Person
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte(pPerson), func(p *Person) { out = append(out, *p) })
	})
	return out, err
}

// SetPerson creates or replaces a person (a role granted or changed); an
// empty role removes them.
func (s *Store) SetPerson(ctx context.Context, p Person, m Meta) error {
	return s.update(ctx, func(t *Txn) error {
		var before *Person
		var prev Person
		if err := t.getJSON(personKey(p.Identity), &prev); err == nil {
			before = &prev
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if p.Role == "" {
			if before == nil {
				return nil
			}
			if err := t.del(personKey(p.Identity)); err != nil {
				return err
			}
			return t.audit(m, KindPerson, p.Identity, "revoke", before, nil, "")
		}
		if err := t.setJSON(personKey(p.Identity), p); err != nil {
			return err
		}
		return t.audit(m, KindPerson, p.Identity, "grant", before, p, "")
	})
}

// DaysOff returns the extra days off an admin added (YYYY-MM-DD → reason).
func (s *Store) DaysOff() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(txn *badger.Txn) error {
		return scanValues(txn, []byte(pDayOff), func(k, v []byte) (bool, error) {
			out[string(k[len(pDayOff):])] = string(v)
			return true, nil
		})
	})
	return out, err
}

// SetDayOff adds (or, with an empty reason, removes) an extra day off.
func (s *Store) SetDayOff(ctx context.Context, day, reason string, m Meta) error {
	return s.update(ctx, func(t *Txn) error {
		k := key(pDayOff, day)
		prev, err := t.get(k)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var before any
		if prev != nil {
			before = string(prev)
		}
		if reason == "" {
			if prev == nil {
				return ErrNotFound
			}
			if err := t.del(k); err != nil {
				return err
			}
			return t.audit(m, KindDayOff, day, "remove", before, nil, "")
		}
		if err := t.set(k, []byte(reason)); err != nil {
			return err
		}
		return t.audit(m, KindDayOff, day, "add", before, reason, "")
	})
}

// Setting returns a stored setting ("" when unset).
func (s *Store) Setting(name string) (string, error) { return s.getString(key(pSetting, name)) }

// getString reads a string value ("" when the key is absent).
func (s *Store) getString(k []byte) (string, error) {
	var v string
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get(k)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		b, err := item.ValueCopy(nil)
		v = string(b)
		return err
	})
	return v, err
}

// SetSetting stores a setting, with an audit entry.
func (s *Store) SetSetting(ctx context.Context, name, value string, m Meta) error {
	return s.update(ctx, func(t *Txn) error {
		k := key(pSetting, name)
		prev, err := t.get(k)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := t.set(k, []byte(value)); err != nil {
			return err
		}
		return t.audit(m, KindSetting, name, "set", string(prev), value, "")
	})
}

// NoteRefusal records that an identity without a role was refused, and
// reports whether this was the first time (the only time it is answered).
func (s *Store) NoteRefusal(ctx context.Context, identity string, at time.Time) (first bool, err error) {
	err = s.updateState(ctx, func(t *Txn) error {
		k := key(pRefused, identity)
		seen, err := t.exists(k)
		if err != nil {
			return err
		}
		first = !seen
		if seen {
			return nil
		}
		return t.set(k, []byte(at.UTC().Format(time.RFC3339)))
	})
	return first, err
}
