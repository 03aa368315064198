package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Entry is one line of the phone directory (agenda telefonică): a person or a
// function of a department, and how to reach them.
type Entry struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`     // the person
	Function  string `json:"function,omitempty"` // director executiv, secretariat…
	Dept      string `json:"dept,omitempty"`     // the department's code
	Phone     string `json:"phone,omitempty"`    // as written: 0264 596 030
	Extension string `json:"ext,omitempty"`      // internal extension: 5001
	Mobile    string `json:"mobile,omitempty"`
	Email     string `json:"email,omitempty"`
	Office    string `json:"office,omitempty"` // office or room
	Notes     string `json:"notes,omitempty"`
}

// KindEntry is the audit kind of directory entries.
const KindEntry = "t"

// importChunk is how many imported rows share one transaction: a whole
// directory (rows, keys and audit entries) does not fit in one Badger
// transaction.
const importChunk = 500

func entryKey(id string) []byte { return key(pEntry, id) }

// naturalKey identifies an entry independently of its ID: the folded person,
// function and department. Two entries cannot share it, and an import matches
// rows to entries by it.
func (s *Store) naturalKey(e Entry) string {
	k := strings.Join(s.words(e.Name), " ") + "|" + strings.Join(s.words(e.Function), " ") + "|" + e.Dept
	if len(k) > 400 {
		k = k[:400]
	}
	return k
}

func (s *Store) entryNameKey(e Entry) []byte { return key(pEntryKey, s.naturalKey(e)) }

// ErrEmptyEntry is returned for an entry with neither a person nor a function.
var ErrEmptyEntry = errors.New("a directory entry needs a person or a function")

// DuplicateError is returned when an entry would have the same person,
// function and department as another one.
type DuplicateError struct{ ID string }

func (d *DuplicateError) Error() string {
	return "the directory already has this person, function and department as entry " + d.ID
}

// Is makes errors.Is(err, ErrExists) true for a duplicate.
func (d *DuplicateError) Is(target error) bool { return target == ErrExists }

// DirectoryVersion changes whenever a directory entry or a department changes
// in this process, so that in-memory indexes know when to rebuild. The
// database directory is locked by one process, so no other writer exists.
func (s *Store) DirectoryVersion() uint64 { return s.dirVersion.Load() }

// directoryChanged is called after a committed change of entries or
// departments.
func (s *Store) directoryChanged(err error) error {
	if err == nil {
		s.dirVersion.Add(1)
	}
	return err
}

// AddEntry gives a new entry the next ID and writes it with its audit entry.
// A *DuplicateError (errors.Is ErrExists) names the entry that already has
// the same person, function and department.
func (s *Store) AddEntry(ctx context.Context, e Entry, m Meta) (Entry, error) {
	if e.Name == "" && e.Function == "" {
		return e, ErrEmptyEntry
	}
	var saved Entry
	err := s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, "add"); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		var err error
		saved, err = t.putNewEntry(e, m)
		return err
	})
	return saved, s.directoryChanged(err)
}

// putNewEntry writes e under a new ID after checking its natural key.
func (t *Txn) putNewEntry(e Entry, m Meta) (Entry, error) {
	nk := t.store.entryNameKey(e)
	if id, err := t.get(nk); err == nil {
		return e, &DuplicateError{ID: string(id)}
	} else if !errors.Is(err, ErrNotFound) {
		return e, err
	}
	seq, err := t.next([]byte(kEntrySeq))
	if err != nil {
		return e, err
	}
	e.ID = strconv.FormatUint(seq, 10)
	if err := t.setJSON(entryKey(e.ID), e); err != nil {
		return e, err
	}
	if err := t.set(nk, []byte(e.ID)); err != nil {
		return e, err
	}
	return e, t.audit(m, KindEntry, e.ID, "add", nil, e, "")
}

// replaceEntry writes after over before (same ID), moving its natural key.
func (t *Txn) replaceEntry(before, after Entry, action string, m Meta) error {
	oldKey, newKey := t.store.entryNameKey(before), t.store.entryNameKey(after)
	if string(oldKey) != string(newKey) {
		if id, err := t.get(newKey); err == nil && string(id) != after.ID {
			return &DuplicateError{ID: string(id)}
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := t.del(oldKey); err != nil {
			return err
		}
		if err := t.set(newKey, []byte(after.ID)); err != nil {
			return err
		}
	}
	if err := t.setJSON(entryKey(after.ID), after); err != nil {
		return err
	}
	return t.audit(m, KindEntry, after.ID, action, before, after, "")
}

// ChangeEntry lets fn change an entry and writes it back with an audit entry;
// nothing is written when fn fails or when the change would duplicate
// another entry (*DuplicateError).
func (s *Store) ChangeEntry(ctx context.Context, id string, m Meta, fn func(*Entry) error) (Entry, error) {
	var after Entry
	err := s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, "edit"); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		var before Entry
		if err := t.getJSON(entryKey(id), &before); err != nil {
			return fmt.Errorf("entry %s: %w", id, err)
		}
		after = before
		if err := fn(&after); err != nil {
			return err
		}
		after.ID = id
		if after.Name == "" && after.Function == "" {
			return ErrEmptyEntry
		}
		if after == before {
			return nil
		}
		return t.replaceEntry(before, after, "edit", m)
	})
	return after, s.directoryChanged(err)
}

// RemoveEntry deletes an entry (its history stays in the audit trail).
func (s *Store) RemoveEntry(ctx context.Context, id string, m Meta) (Entry, error) {
	var before Entry
	err := s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, "remove"); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		if err := t.getJSON(entryKey(id), &before); err != nil {
			return fmt.Errorf("entry %s: %w", id, err)
		}
		return t.removeEntry(before, m)
	})
	return before, s.directoryChanged(err)
}

func (t *Txn) removeEntry(e Entry, m Meta) error {
	if err := t.del(entryKey(e.ID)); err != nil {
		return err
	}
	nk := t.store.entryNameKey(e)
	if id, err := t.get(nk); err == nil && string(id) == e.ID {
		if err := t.del(nk); err != nil {
			return err
		}
	}
	return t.audit(m, KindEntry, e.ID, "remove", e, nil, "")
}

// Entry returns one directory entry by its ID.
func (s *Store) Entry(id string) (Entry, error) {
	var e Entry
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, entryKey(id), &e) })
	return e, err
}

// Entries lists the whole directory, in no particular order.
func (s *Store) Entries() ([]Entry, error) {
	var out []Entry
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte(pEntry), func(e *Entry) { out = append(out, *e) })
	})
	return out, err
}

// ImportResult says what an import did.
type ImportResult struct {
	Added, Updated, Unchanged, Removed int
}

// ImportEntries writes a directory the caller has checked. Each row updates
// the entry with its ID when it has one that exists, else the entry with the
// same person, function and department, else becomes a new entry: importing
// the same file twice changes nothing the second time. merge makes the entry
// to keep from the stored one (nil for a new entry) and the row, e.g. keeping
// the fields the file has no column for. With replace, the entries that no
// row matched are removed afterwards.
//
// Rows are written importChunk at a time, each chunk in one transaction with
// its audit entries, as one journaled change (journal.go): a failure, or the
// process killed part-way, leaves the directory as it was before the import.
func (s *Store) ImportEntries(ctx context.Context, rows []Entry, merge func(old *Entry, row Entry) Entry, replace bool, m Meta) (ImportResult, error) {
	var total ImportResult
	err := s.journaled(ctx, func(j *journal) error {
		total = ImportResult{}
		kept := map[string]bool{}
		for start := 0; start < len(rows); start += importChunk {
			chunk := rows[start:min(start+importChunk, len(rows))]
			var res ImportResult
			var ids []string
			err := j.Step(func(t *Txn) error {
				res, ids = ImportResult{}, ids[:0]
				for _, r := range chunk {
					id, action, err := t.importEntry(r, merge, m)
					if err != nil {
						return err
					}
					ids = append(ids, id)
					switch action {
					case "add":
						res.Added++
					case "edit":
						res.Updated++
					default:
						res.Unchanged++
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("import rows %d–%d: %w", start+1, start+len(chunk), err)
			}
			total.Added, total.Updated, total.Unchanged = total.Added+res.Added, total.Updated+res.Updated, total.Unchanged+res.Unchanged
			for _, id := range ids {
				kept[id] = true
			}
		}
		if !replace {
			return nil
		}
		for {
			removed := 0
			err := j.Step(func(t *Txn) error {
				removed = 0
				var gone []Entry
				err := scanJSON(t.txn, []byte(pEntry), func(e *Entry) {
					if !kept[e.ID] && len(gone) < importChunk {
						gone = append(gone, *e)
					}
				})
				if err != nil {
					return err
				}
				for _, e := range gone {
					if err := t.removeEntry(e, m); err != nil {
						return err
					}
				}
				removed = len(gone)
				return nil
			})
			if err != nil {
				return fmt.Errorf("remove entries not in the import: %w", err)
			}
			total.Removed += removed
			if removed < importChunk {
				return nil
			}
		}
	})
	s.dirVersion.Add(1) // also after a failure: readers may have seen its first steps
	return total, err
}

// importEntry writes one imported row and says what it did: add, edit or
// nothing.
func (t *Txn) importEntry(r Entry, merge func(*Entry, Entry) Entry, m Meta) (id, action string, err error) {
	var before Entry
	found := false
	if r.ID != "" {
		if err := t.getJSON(entryKey(r.ID), &before); err == nil {
			found = true
		} else if !errors.Is(err, ErrNotFound) {
			return "", "", err
		}
	}
	if !found {
		nk, err := t.get(t.store.entryNameKey(r))
		switch {
		case err == nil:
			if err := t.getJSON(entryKey(string(nk)), &before); err != nil {
				return "", "", fmt.Errorf("entry %s: %w", nk, err)
			}
			found = true
		case !errors.Is(err, ErrNotFound):
			return "", "", err
		}
	}
	if !found {
		r = merge(nil, r)
		if r.Name == "" && r.Function == "" {
			return "", "", ErrEmptyEntry
		}
		r.ID = ""
		saved, err := t.putNewEntry(r, m)
		return saved.ID, "add", err
	}
	r = merge(&before, r)
	if r.Name == "" && r.Function == "" {
		return "", "", ErrEmptyEntry
	}
	r.ID = before.ID
	if r == before {
		return r.ID, "", nil
	}
	return r.ID, "edit", t.replaceEntry(before, r, "import", m)
}
