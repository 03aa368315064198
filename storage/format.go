package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// FormatVersion is the data format this release reads and writes. A data
// directory records its format (q/format); one written before formats were
// numbered is format 1. An older format is upgraded in place at Open, after
// Options.BeforeUpgrade (a backup); a newer one is refused.
//
//	1  the first release (no q/format key)
//	2  q/format recorded; the outbox (ob/), the integrity fingerprint (q/id),
//	   import journals (jm/, ju/) and the legal deadline of items
//	   (LegalDeadline, read as the deadline when absent) may be present
const FormatVersion = 2

const kFormat = "q/format"

// ErrNewerFormat is returned by Open for data written by a newer release.
var ErrNewerFormat = errors.New("the data was written by a newer release of cabinetbot")

// FormatError says which format the data has and which this release reads.
type FormatError struct{ Have, Want int }

func (e *FormatError) Error() string {
	return fmt.Sprintf("%v (data format %d; this release reads formats up to %d): "+
		"install that release again, or restore a backup made by this one — nothing was changed",
		ErrNewerFormat, e.Have, e.Want)
}

// Is makes errors.Is(err, ErrNewerFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrNewerFormat }

// migrations upgrade the data from format n to n+1, in one transaction
// each, keyed by n.
var migrations = map[int]func(t *Txn) error{
	// 1 → 2: nothing to convert. The keys format 2 adds are written by the
	// code that needs them, and records only gained fields (an item without
	// LegalDeadline is judged against its deadline). The version is recorded
	// so that a later release knows what it reads.
	1: func(*Txn) error { return nil },
}

// Format reads the data format of the database: FormatVersion for a new,
// empty one.
func (s *Store) Format() (int, error) {
	v, err := s.getString(key(kFormat)) // "" when absent
	switch {
	case err == nil && v == "":
		empty, err := s.empty()
		if err != nil {
			return 0, err
		}
		if empty {
			return FormatVersion, nil
		}
		return 1, nil
	case err != nil:
		return 0, fmt.Errorf("data format: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("data format: bad value %q", v)
	}
	return n, nil
}

// empty reports whether the database holds nothing but what Open itself
// writes (q/ bookkeeping such as the fingerprint).
func (s *Store) empty() (bool, error) {
	empty := true
	err := s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if !strings.HasPrefix(string(it.Item().Key()), "q/") {
				empty = false
				return nil
			}
		}
		return nil
	})
	return empty, err
}

// upgradeFormat brings the data to FormatVersion: it refuses a newer format,
// calls before (a backup) when there is something to upgrade, runs the
// migrations one by one and records the version, each step in its own
// transaction with the version it reached.
func (s *Store) upgradeFormat(before func(s *Store, from, to int) error) error {
	have, err := s.Format()
	if err != nil {
		return err
	}
	if have > FormatVersion {
		return &FormatError{Have: have, Want: FormatVersion}
	}
	if v, err := s.getString(key(kFormat)); err == nil && v == strconv.Itoa(FormatVersion) {
		return nil
	}
	if have < FormatVersion && before != nil {
		if err := before(s, have, FormatVersion); err != nil {
			return fmt.Errorf("before upgrading the data from format %d to %d: %w (nothing was changed)", have, FormatVersion, err)
		}
	}
	for v := have; v < FormatVersion; v++ {
		step := migrations[v]
		if step == nil {
			return fmt.Errorf("no upgrade from data format %d", v)
		}
		if err := s.updateState(context.Background(), func(t *Txn) error {
			if err := step(t); err != nil {
				return err
			}
			return t.set(key(kFormat), []byte(strconv.Itoa(v+1)))
		}); err != nil {
			return fmt.Errorf("upgrade the data from format %d to %d: %w", v, v+1, err)
		}
		s.log.Info("data upgraded", "from", v, "to", v+1)
	}
	if have == FormatVersion { // a new database: record its format
		return s.updateState(context.Background(), func(t *Txn) error {
			return t.set(key(kFormat), []byte(strconv.Itoa(FormatVersion)))
		})
	}
	return nil
}
