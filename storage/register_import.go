package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// One journal step of a register import writes at most registerChunk items,
// and ends earlier when what it writes, as the preparer estimates it,
// reaches stepBytes or stepEntries. Badger takes 15% of the memtable in one
// transaction (2.5 MB and 26,214 writes with this store's 16 MB), counting
// every write, and the undo of a step must fit in one too: long subjects
// make items, their audit entries and their posting blocks bigger.
const (
	registerChunk = 1000
	stepBytes     = 1_500_000
	stepEntries   = 15_000
)

// ErrNumberTaken is returned by ImportItems when an item's number is already
// in the register and the import does not update.
var ErrNumberTaken = errors.New("the number is already in the register")

// ItemNumbers lists the numbers the register holds in year, from the keys
// alone.
func (s *Store) ItemNumbers(year int) (nums map[int]bool, err error) {
	err = s.view(func(txn *badger.Txn) error {
		nums = itemNumbers(txn, year)
		return nil
	})
	return nums, err
}

func itemNumbers(txn *badger.Txn, year int) map[int]bool {
	out := map[int]bool{}
	scanKeys(txn, key(pItem, fmt.Sprintf("%04d/", year)), func(k []byte) bool {
		if n, ok := numberFromID(string(k[len(pItem):])); ok {
			out[n.Seq] = true
		}
		return true
	})
	return out
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
		chunks, stop := s.prepareItems(in, m)
		defer stop()
		start := 0
		for c := range chunks {
			if c.err != nil {
				return c.err
			}
			a, u := 0, 0
			err := j.Step(func(t *Txn) error {
				a, u = 0, 0
				t.later = map[string][]byte{}
				t.journalBefore(c.before)
				for _, p := range c.items {
					if p.prev == nil {
						if err := t.putPrepared(p); err != nil {
							return err
						}
						a++
						continue
					}
					if !in.Update {
						return fmt.Errorf("%s: %w", p.it.Number, ErrNumberTaken)
					}
					if err := t.replaceItem(p, m, in.Note); err != nil {
						return err
					}
					u++
				}
				if err := flushBlocks(t.txn, c.blocks); err != nil {
					return err
				}
				if err := t.flushLater(); err != nil {
					return err
				}
				// The audit counter follows the entries this step wrote.
				return t.set([]byte(kAuditSeq), binary.BigEndian.AppendUint64(nil, c.items[len(c.items)-1].seq))
			})
			if err != nil {
				return fmt.Errorf("import items %d–%d: %w", start+1, start+len(c.items), err)
			}
			added, updated = added+a, updated+u
			start += len(c.items)
		}
		if start != len(in.Items) {
			return fmt.Errorf("import: %d of %d items prepared", start, len(in.Items))
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
// step before it commits: the encoding (JSON, indexes, postings) and the reads
// it needs are most of an import's work outside Badger, and Badger commits
// on a goroutine of its own, so the two run side by side on two cores.
type preparedItem struct {
	it  Item
	seq uint64 // its audit entry
	// prev is the item the register holds under the same number (an
	// update), nil for a new number.
	prev *Item
	// kv, for a new number, holds every key the item is written under —
	// indexes, item, audit entry — all new, so written without reading.
	kv []indexEntry
}

// preparedChunk is a step's worth of prepared items, with the posting
// blocks the step writes (postings.go) as they stand after it, and what those
// blocks held before the import first changed them (for the undo record).
type preparedChunk struct {
	items  []preparedItem
	blocks map[string][]byte
	before []undoEntry
	err    error
	// bytes and entries estimate what the step writes, as Badger counts a
	// transaction: each write is its key, value and a few bytes more.
	bytes, entries int
}

// count adds a write to the estimate.
func (c *preparedChunk) count(k, v []byte) {
	c.bytes += len(k) + len(v) + 16
	c.entries++
}

// ErrDuplicateNumber is returned by ImportItems for a number that appears
// twice in one import.
var ErrDuplicateNumber = errors.New("the number appears twice in the import")

// prepareItems prepares in.Items in chunks (one a step: registerChunk items,
// fewer when they are big), one chunk ahead of the steps that write them. It
// reads the register in one snapshot taken at the start: the import runs
// alone on the committer, and each number and each posting block it reads
// is one no step has written yet, so what it reads holds. stop ends it,
// early or not, and waits until it has.
func (s *Store) prepareItems(in RegisterImport, m Meta) (<-chan preparedChunk, func()) {
	out := make(chan preparedChunk, 1)
	done, exited := make(chan struct{}), make(chan struct{})
	snap := s.db.NewTransaction(false)
	go func() {
		defer close(exited)
		defer close(out)
		defer snap.Discard()
		defer func() {
			if r := recover(); r != nil { // the step waiting for a chunk gets it as an error
				select {
				case out <- preparedChunk{err: fmt.Errorf("storage: preparing the import panicked: %v", r)}:
				case <-done:
				}
			}
		}()
		p := &preparer{s: s, snap: snap, in: in, m: m, taken: map[int]map[int]bool{}, seen: map[Number]bool{}, blocks: map[string][]byte{}, used: map[[2]int]bool{}}
		p.seq, p.err = readCounter(snap, []byte(kAuditSeq))
		for start := 0; start < len(in.Items); {
			c := p.chunk(in.Items[start:])
			start += len(c.items)
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
	// stop waits for the goroutine: its snapshot must be gone before the
	// store may close.
	return out, sync.OnceFunc(func() {
		close(done)
		<-exited
	})
}

// preparer is the state prepareItems keeps from chunk to chunk.
type preparer struct {
	s      *Store
	snap   *badger.Txn
	in     RegisterImport
	m      Meta
	seq    uint64               // the last audit entry numbered
	taken  map[int]map[int]bool // year → numbers in the register before the import
	seen   map[Number]bool      // numbers met in the import
	blocks map[string][]byte    // posting block key → its bitmap as the import leaves it so far
	used   map[[2]int]bool      // year and block → whether the register held any of its numbers
	err    error
}

// chunk prepares the next step's items from the start of items: up to
// registerChunk, fewer when the estimate of what the step writes reaches
// stepBytes or stepEntries (one item at least).
func (p *preparer) chunk(items []Item) preparedChunk {
	c := preparedChunk{items: make([]preparedItem, 0, min(len(items), registerChunk)), err: p.err}
	changed := map[string]bool{}
	for _, raw := range items {
		if c.err != nil {
			return c
		}
		if len(c.items) == registerChunk || (len(c.items) > 0 && (c.bytes >= stepBytes || c.entries >= stepEntries)) {
			break
		}
		p.seq++
		it := preparedItem{it: cloneItem(raw), seq: p.seq}
		c.err = p.item(&it, &c, changed)
		c.items = append(c.items, it)
	}
	c.blocks = make(map[string][]byte, len(changed))
	for k := range changed {
		c.blocks[k] = bytes.Clone(p.blocks[k]) // the next chunks change p.blocks[k] while this step commits
	}
	return c
}

// item prepares one item: its audit entry, its keys when it is new, the
// item it replaces otherwise, and its bits in the posting indexes.
func (p *preparer) item(pi *preparedItem, c *preparedChunk, changed map[string]bool) error {
	n := pi.it.Number
	if p.seen[n] {
		return fmt.Errorf("%s: %w", n, ErrDuplicateNumber)
	}
	p.seen[n] = true
	if p.taken[n.Year] == nil {
		p.taken[n.Year] = itemNumbers(p.snap, n.Year)
	}
	// About what a step writes for an item besides its keys: its share of
	// a statistics block and of a day's answers, its undo entry.
	c.bytes, c.entries = c.bytes+128, c.entries+2
	if p.taken[n.Year][n.Seq] {
		var prev Item
		if err := readJSON(p.snap, itemKey(n), &prev); err != nil {
			return fmt.Errorf("item %s: %w", n, err)
		}
		pi.prev = &prev
		// Its step deletes the keys of prev and writes the item's, each
		// remembered in the undo record: four times the item's keys, about.
		kv, err := pi.it.encode(p.s.words)
		if err != nil {
			return err
		}
		for _, e := range kv {
			for range 4 {
				c.count(e.k, e.v)
			}
		}
	} else {
		var err error
		if pi.kv, err = pi.encode(p.s.words, p.m, p.in.Note); err != nil {
			return err
		}
		for _, e := range pi.kv {
			c.count(e.k, e.v)
		}
	}
	gained, lost := termChanges(pi.prev, &pi.it, p.s.words)
	for _, tm := range gained {
		if err := p.postingBit(tm, n, true, c, changed); err != nil {
			return err
		}
	}
	for _, tm := range lost {
		if err := p.postingBit(tm, n, false, c, changed); err != nil {
			return err
		}
	}
	return nil
}

// postingBit sets or clears n's bit in term tm's block, reading the block
// from the snapshot the first time the import touches it.
func (p *preparer) postingBit(tm term, n Number, on bool, c *preparedChunk, changed map[string]bool) error {
	k := string(postingKey(tm, n))
	b, ok := p.blocks[k]
	if !ok {
		if !p.blockUsed(n) {
			// No item of the block was in the register: the key is new, and
			// undoing the import clears its items' bits (undoNewItem), so it
			// needs no before-image.
			b = make([]byte, postingBitmap)
			p.blocks[k] = b
			setBit(b, n.Seq, on)
			c.changed(changed, k)
			return nil
		}
		before := undoEntry{Key: []byte(k)}
		var err error
		if before.Value, err = readPostingBlock(p.snap, []byte(k)); err != nil {
			return err
		}
		if before.Absent = before.Value == nil; before.Absent {
			b = make([]byte, postingBitmap)
		} else {
			b = bytes.Clone(before.Value)
		}
		p.blocks[k] = b
		c.before = append(c.before, before)
		c.bytes += 2 * (len(k) + len(before.Value)) // in the undo record, base64
	}
	setBit(b, n.Seq, on)
	c.changed(changed, k)
	return nil
}

// changed notes that the step writes the posting block k.
func (c *preparedChunk) changed(changed map[string]bool, k string) {
	if !changed[k] {
		changed[k] = true
		c.bytes, c.entries = c.bytes+len(k)+postingBitmap+16, c.entries+1
	}
}

// blockUsed reports whether the register held any number of n's posting
// block before the import.
func (p *preparer) blockUsed(n Number) bool {
	b := [2]int{n.Year, n.Seq / postingBlock}
	used, ok := p.used[b]
	if !ok {
		first := b[1] * postingBlock
		for seq := first; seq < first+postingBlock && !used; seq++ {
			used = p.taken[n.Year][seq]
		}
		p.used[b] = used
	}
	return used
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

// putPrepared writes a new imported item prepared by prepareItems, with its
// statistics; its postings go with its chunk's (flushBlocks).
// Its own keys are all new: they are written without reading or
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

// replaceItem writes an imported item over the one the register held under
// its number, with its audit entry; its postings go with its chunk's.
func (t *Txn) replaceItem(p preparedItem, m Meta, note string) error {
	if err := t.writeItem(p.prev, &p.it, false); err != nil {
		return err
	}
	k, v, err := encodeAudit(p.seq, m, KindItem, p.it.Number.String(), "import", p.prev, p.it, note)
	if err != nil {
		return err
	}
	return t.set(k, v)
}
