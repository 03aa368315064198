package storage

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

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
		seq, err := s.auditSeq()
		if err != nil {
			return err
		}
		chunks, stop := s.prepareItems(in, m, seq)
		defer stop()
		for start := 0; start < len(in.Items); start += registerChunk {
			c := <-chunks
			if c.err != nil {
				return c.err
			}
			a, u := 0, 0
			err := j.Step(func(t *Txn) error {
				a, u = 0, 0
				for _, p := range c.items {
					if p.kv != nil {
						if err := t.putPrepared(p); err != nil {
							return err
						}
						a++
						continue
					}
					if !in.Update {
						return fmt.Errorf("%s: %w", p.it.Number, ErrNumberTaken)
					}
					var before Item
					if err := t.getJSON(itemKey(p.it.Number), &before); err != nil {
						return err
					}
					if err := t.putItem(&before, &p.it); err != nil {
						return err
					}
					k, v, err := encodeAudit(p.seq, m, KindItem, p.it.Number.String(), "import", before, p.it, in.Note)
					if err != nil {
						return err
					}
					if err := t.set(k, v); err != nil {
						return err
					}
					u++
				}
				// The audit counter follows the entries this step wrote.
				return t.set([]byte(kAuditSeq), binary.BigEndian.AppendUint64(nil, c.items[len(c.items)-1].seq))
			})
			if err != nil {
				return fmt.Errorf("import items %d–%d: %w", start+1, start+len(c.items), err)
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

// preparedItem is an imported item encoded ahead of its step, while the
// step before it commits: the encoding (JSON, indexes) is most of an
// import's work outside Badger, and Badger commits on a goroutine of its
// own, so the two run side by side on two cores.
type preparedItem struct {
	it  Item
	seq uint64 // its audit entry
	// kv, for an item whose number was not in the register, holds every
	// key it is written under — indexes, item, audit entry — all new; nil
	// for an item already there, which its step reads and replaces.
	kv []indexEntry
}

type preparedChunk struct {
	items []preparedItem
	err   error
}

// prepareItems encodes in.Items in chunks of registerChunk, one chunk ahead
// of the steps that write them, numbering their audit entries after seq.
// stop ends it early. The import runs alone on the committer, so the
// numbers in the register and the audit counter it reads at the start hold
// until the import ends.
func (s *Store) prepareItems(in RegisterImport, m Meta, seq uint64) (<-chan preparedChunk, func()) {
	out := make(chan preparedChunk, 1)
	done := make(chan struct{})
	go func() {
		defer close(out)
		taken := map[int]map[int]bool{}
		for start := 0; start < len(in.Items); start += registerChunk {
			c := preparedChunk{items: make([]preparedItem, 0, registerChunk)}
			for _, raw := range in.Items[start:min(start+registerChunk, len(in.Items))] {
				seq++
				p := preparedItem{it: cloneItem(raw), seq: seq}
				n := p.it.Number
				if taken[n.Year] == nil {
					if taken[n.Year], c.err = s.ItemNumbers(n.Year); c.err != nil {
						break
					}
				}
				if !taken[n.Year][n.Seq] {
					taken[n.Year][n.Seq] = true
					if p.kv, c.err = p.encode(s.words, m, in.Note); c.err != nil {
						break
					}
				}
				c.items = append(c.items, p)
			}
			select {
			case out <- c:
			case <-done:
				return
			}
			if c.err != nil {
				return
			}
		}
	}()
	return out, sync.OnceFunc(func() { close(done) })
}

// encode gives every key a new imported item is written under.
func (p *preparedItem) encode(words func(string) []string, m Meta, note string) ([]indexEntry, error) {
	kv, err := p.it.encode(words)
	if err != nil {
		return nil, err
	}
	itemJSON := json.RawMessage(kv[len(kv)-1].v)
	k, v, err := encodeAudit(p.seq, m, KindItem, p.it.Number.String(), "import", nil, itemJSON, note)
	if err != nil {
		return nil, err
	}
	return append(kv, indexEntry{k: k, v: v}), nil
}

// putPrepared writes a new imported item encoded by prepareItems, with its
// statistics. Its keys are all new: they are written without reading or
// remembering what they held, and one undo entry (addedItem) stands for all
// of them.
func (t *Txn) putPrepared(p preparedItem) error {
	for _, e := range p.kv {
		if err := t.setUnjournaled(e.k, e.v); err != nil {
			return err
		}
	}
	if err := t.itemRefs(nil, &p.it); err != nil {
		return err
	}
	t.addedItem(p.it.Number, p.seq)
	return nil
}

// auditSeq reads the audit counter: the last entry's sequence number.
func (s *Store) auditSeq() (uint64, error) {
	var n uint64
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kAuditSeq))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("audit counter: %d bytes", len(v))
			}
			n = binary.BigEndian.Uint64(v)
			return nil
		})
	})
	return n, err
}
