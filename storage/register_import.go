package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// registerChunk is how many imported items one journal step writes: an item
// with its indexes, statistics and audit entry is a few dozen keys, and a
// Badger transaction holds a few tens of thousands.
const registerChunk = 1000

// ErrNumberTaken is returned by ImportItems when an item's number is already
// in the register and the import does not update.
var ErrNumberTaken = errors.New("the number is already in the register")

// ItemNumbers lists the numbers the register holds in year, from the keys
// alone.
func (s *Store) ItemNumbers(year int) (map[int]bool, error) {
	out := map[int]bool{}
	prefix := key(pItem, fmt.Sprintf("%04d/", year))
	err := s.view(func(txn *badger.Txn) error {
		scanKeys(txn, prefix, func(k []byte) bool {
			if n, ok := numberFromID(string(k[len(pItem):])); ok {
				out[n.Seq] = true
			}
			return true
		})
		return nil
	})
	return out, err
}

// RegisterImport is what ImportItems writes.
type RegisterImport struct {
	// Departments are created first (import with create-departments).
	Departments []Department
	// Items keep their own numbers; a number already in the register is
	// replaced when Update is set, else the import fails with ErrNumberTaken.
	Items  []Item
	Update bool
	// Note goes in every audit entry ("importat din registru-2025.xlsx").
	Note string
}

// ImportItems writes an existing register the caller has checked: each item
// keeps its number, and the counter of each year is raised to the highest
// number imported, so the next registration continues after it. It is one
// journaled change (journal.go): all or nothing, even if the process dies.
// The integrity record follows the counters once the import is final.
func (s *Store) ImportItems(ctx context.Context, in RegisterImport, m Meta) (added, updated int, err error) {
	last := map[int]uint64{}
	err = s.journaled(ctx, func(j *journal) error {
		added, updated = 0, 0
		if len(in.Departments) > 0 {
			err := j.Step(func(t *Txn) error {
				for _, d := range in.Departments {
					if ok, err := t.exists(deptKey(d.Code)); err != nil || ok {
						if ok {
							return fmt.Errorf("department %s: %w", d.Code, ErrExists)
						}
						return err
					}
					if err := t.setJSON(deptKey(d.Code), d); err != nil {
						return err
					}
					if err := t.audit(m, KindDepartment, d.Code, "import", nil, d, in.Note); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("create departments: %w", err)
			}
		}
		for start := 0; start < len(in.Items); start += registerChunk {
			chunk := in.Items[start:min(start+registerChunk, len(in.Items))]
			a, u := 0, 0
			err := j.Step(func(t *Txn) error {
				a, u = 0, 0
				for i := range chunk {
					it := cloneItem(chunk[i])
					var prev *Item
					var before Item
					err := t.getJSON(itemKey(it.Number), &before)
					switch {
					case err == nil:
						if !in.Update {
							return fmt.Errorf("%s: %w", it.Number, ErrNumberTaken)
						}
						prev = &before
						u++
					case errors.Is(err, ErrNotFound):
						a++
					default:
						return err
					}
					if prev == nil {
						err = t.putNewItem(&it)
					} else {
						err = t.putItem(prev, &it)
					}
					if err != nil {
						return err
					}
					var bv any
					if prev != nil {
						bv = before
					}
					if err := t.audit(m, KindItem, it.Number.String(), "import", bv, it, in.Note); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("import items %d–%d: %w", start+1, start+len(chunk), err)
			}
			added, updated = added+a, updated+u
		}
		for _, it := range in.Items {
			last[it.Number.Year] = max(last[it.Number.Year], uint64(it.Number.Seq))
		}
		return j.Step(func(t *Txn) error {
			for y, n := range last {
				cur := uint64(0)
				b, err := t.get(counterKey(y))
				switch {
				case errors.Is(err, ErrNotFound):
				case err != nil:
					return err
				default:
					cur = binary.BigEndian.Uint64(b)
				}
				if n > cur {
					if err := t.set(counterKey(y), binary.BigEndian.AppendUint64(nil, n)); err != nil {
						return fmt.Errorf("counter %s: %w", strconv.Itoa(y), err)
					}
				} else {
					last[y] = cur
				}
			}
			return nil
		})
	})
	if len(in.Departments) > 0 {
		s.dirVersion.Add(1)
	}
	if err != nil {
		return 0, 0, err
	}
	// Only now, with the import final: raised earlier, a rolled-back import
	// would leave the record above the register and stop the next start.
	s.noteNumbers(last)
	return added, updated, nil
}

// putNewItem is putItem for an item whose number was not in the register:
// every index key holds its number, so each is new too and is written
// without reading what it held (setFresh).
func (t *Txn) putNewItem(it *Item) error { return t.writeItem(nil, it, t.setFresh) }
