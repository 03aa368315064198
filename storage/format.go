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
//	3  the posting indexes (postings.go: x/wb/, x/sb/, x/db/, x/rb/, a bitmap
//	   per term and block of 256 numbers) replace the index keys of one item
//	   each by word, status, department and day (x/w/, x/st/, x/dp/, x/rg/)
const FormatVersion = 3

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

// migrations upgrade the data from format n to n+1, keyed by n. Each may
// take many transactions and must be safe to run again from the start after
// a stop half-way: the version is recorded only once it has finished.
var migrations = map[int]func(s *Store) error{
	// 1 → 2: nothing to convert. The keys format 2 adds are written by the
	// code that needs them, and records only gained fields (an item without
	// LegalDeadline is judged against its deadline). The version is recorded
	// so that a later release knows what it reads.
	1: func(*Store) error { return nil },
	2: (*Store).toPostings,
}

// formerIndexes are the per-item index keys format 3 replaces
// (<prefix><term>/<YYYY>/<NNNNNNNN>), with the posting index each goes to.
var formerIndexes = []struct{ old, posting string }{
	{"x/w/", pWordBits},
	{"x/st/", pStatusBits},
	{"x/dp/", pDeptBits},
	{"x/rg/", pDayBits},
}

// toPostings (format 2 → 3) turns the former index keys into posting
// blocks, 2,000 keys a transaction, in key order: each transaction sets the
// bits and deletes the keys it read, so a stop half-way leaves the rest for
// the next start, and what was done is not done twice.
func (s *Store) toPostings() error {
	moved := 0
	for _, ix := range formerIndexes {
		from := []byte(ix.old)
		for {
			var keys [][]byte
			err := s.view(func(txn *badger.Txn) error {
				// From after the last key moved, not from the prefix: the
				// keys moved are deleted, and skipping their tombstones again
				// on every pass would make the upgrade quadratic.
				it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(ix.old)})
				defer it.Close()
				for it.Seek(from); it.ValidForPrefix([]byte(ix.old)) && len(keys) < 2000; it.Next() {
					keys = append(keys, it.Item().KeyCopy(nil))
				}
				return nil
			})
			if err != nil || len(keys) == 0 {
				if err != nil {
					return err
				}
				break
			}
			err = s.updateState(context.Background(), func(t *Txn) error {
				return t.moveToPostings(keys, ix.old, ix.posting)
			})
			if err != nil {
				return fmt.Errorf("index %s: %w", ix.old, err)
			}
			moved += len(keys)
			from = append(keys[len(keys)-1], 0)
		}
	}
	if moved > 0 {
		s.log.Info("index keys turned into posting blocks", "keys", moved)
	}
	return nil
}

// moveToPostings sets the bits of former index keys under old in the
// posting index posting, and deletes them. A key that names no item number
// is dropped.
func (t *Txn) moveToPostings(keys [][]byte, old, posting string) error {
	const idLen = len("2026/00000012")
	blocks := map[string][]byte{}
	for _, k := range keys {
		rest := string(k[len(old):]) // <term>/YYYY/NNNNNNNN
		if len(rest) > idLen+1 && rest[len(rest)-idLen-1] == '/' {
			if n, ok := numberFromID(rest[len(rest)-idLen:]); ok {
				pk := string(postingKey(term{posting, rest[:len(rest)-idLen-1]}, n))
				b, ok := blocks[pk]
				if !ok {
					var err error
					if b, err = t.postingBlock([]byte(pk)); err != nil {
						return err
					}
					blocks[pk] = b
				}
				setBit(b, n.Seq, true)
			}
		}
		if err := t.del(k); err != nil {
			return err
		}
	}
	for k, b := range blocks {
		if err := t.set([]byte(k), b); err != nil {
			return err
		}
	}
	return nil
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
// migrations one by one and records the version each reached.
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
		if err := step(s); err != nil {
			return fmt.Errorf("upgrade the data from format %d to %d: %w", v, v+1, err)
		}
		if err := s.updateState(context.Background(), func(t *Txn) error {
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
