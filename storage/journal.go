package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// An import is too big for one Badger transaction (a directory of 10,000
// rows with its audit entries is several times the limit), yet it must be all
// or nothing even when the process is killed half-way. So it runs as a
// journaled change:
//
//  1. a mark jm/<id> is committed: the import is under way;
//  2. each step is a transaction that writes its part of the import and, in
//     the same transaction, an undo record ju/<id>/<step> with what every
//     key it touches for the first time held before (or that it was absent);
//  3. deleting the mark, in one small transaction, makes the import final;
//     the undo records are dropped after.
//
// When a step fails, or at the next Open after a crash, an import whose mark
// is still there is undone: its undo records are applied newest first, each
// in the transaction that deletes it, then the mark goes. Undo records
// without a mark belong to imports that finished: Open drops them. An import
// runs alone on the committer, so no other write interleaves with its steps
// and undoing it never overwrites someone else's change; other writes wait
// for it (about half a second for 10,000 directory rows). Readers may see an
// import's first steps while it runs; after a failure or a crash it is gone
// whole.
const (
	pJournalMark = "jm/"
	pJournalUndo = "ju/"
)

func journalMarkKey(id string) []byte { return key(pJournalMark, id) }

func journalUndoKey(id string, step int) []byte {
	return key(pJournalUndo, id, "/", fmt.Sprintf("%08d", step))
}

// undoLog collects the before-images of one journaled change.
type undoLog struct {
	seen    map[string]bool // keys already remembered, in any step
	entries []undoEntry     // the current step's
	// codes caches the statistics codes read during the change (a name's
	// code never changes once given): a register import looks up the same
	// few departments and categories for every row.
	codes map[string]int
}

// undoEntry is what a key held before the import first touched it, or an
// item the import added.
type undoEntry struct {
	Key       []byte `json:"k,omitempty"`
	Value     []byte `json:"v,omitempty"`
	Absent    bool   `json:"a,omitempty"`
	ExpiresAt uint64 `json:"e,omitempty"`
	UserMeta  byte   `json:"m,omitempty"`
	// NewItem is the id of an item whose number was not in the register
	// ("2025/00000123"), written with its indexes, its postings and the
	// audit entry Audit: undoing it reads the item, deletes every key it
	// wrote and clears its bits, all derived again from the stored item.
	// One short entry instead of one per key keeps the undo record of a
	// 100,000-row register import small.
	NewItem string `json:"i,omitempty"`
	Audit   uint64 `json:"s,omitempty"`
}

// remember keeps the before-image of k, the first time a journaled change
// writes it. Outside a journaled change it does nothing.
func (t *Txn) remember(k []byte) error {
	u := t.undo
	if u == nil || u.seen[string(k)] {
		return nil
	}
	if bytes.HasPrefix(k, []byte(pAudit)) {
		// Audit entries are append-only: a key written is always new.
		t.fresh(k)
		return nil
	}
	e := undoEntry{Key: bytes.Clone(k)}
	item, err := t.txn.Get(k)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		e.Absent = true
	case err != nil:
		return fmt.Errorf("journal: read %q: %w", k, err)
	default:
		if e.Value, err = item.ValueCopy(nil); err != nil {
			return fmt.Errorf("journal: read %q: %w", k, err)
		}
		e.ExpiresAt, e.UserMeta = item.ExpiresAt(), item.UserMeta()
	}
	u.seen[string(k)] = true
	u.entries = append(u.entries, e)
	return nil
}

// fresh notes keys the caller knows were absent before the change (the
// indexes of an item whose number was not in the register): their
// before-image is "absent", without a read. Outside a journaled change it
// does nothing.
func (t *Txn) fresh(keys ...[]byte) {
	u := t.undo
	if u == nil {
		return
	}
	for _, k := range keys {
		if u.seen[string(k)] {
			continue
		}
		u.seen[string(k)] = true
		u.entries = append(u.entries, undoEntry{Key: bytes.Clone(k), Absent: true})
	}
}

// addedItem notes that the change wrote a new item (one whose number was not
// in the register) with the audit entry seq: undoing the change deletes the
// item, its indexes and that entry (undoNewItem). The keys were written
// without remembering each (setUnjournaled); should one be remembered again
// later, undoing restores that value first and then deletes it, newest
// first: it ends absent all the same. Outside a journaled change it does
// nothing.
func (t *Txn) addedItem(n Number, seq uint64) {
	if t.undo != nil {
		t.undo.entries = append(t.undo.entries, undoEntry{NewItem: n.id(), Audit: seq})
	}
}

// journalBefore adds before-images read elsewhere (an import's snapshot) to
// the step's undo record. Outside a journaled change it does nothing.
func (t *Txn) journalBefore(entries []undoEntry) {
	u := t.undo
	if u == nil {
		return
	}
	for _, e := range entries {
		if !u.seen[string(e.Key)] {
			u.seen[string(e.Key)] = true
			u.entries = append(u.entries, e)
		}
	}
}

// setUnjournaled writes a key without keeping its before-image: only for the
// keys of a new item, which addedItem accounts for.
func (t *Txn) setUnjournaled(k, v []byte) error { return t.txn.Set(k, v) }

// undoNewItem deletes an item the change added, every index its stored value
// gives, its bits in the posting indexes (in blocks, written by the caller:
// flushBlocks), and its audit entry. An item already gone leaves nothing to
// undo.
func (s *Store) undoNewItem(txn *badger.Txn, e undoEntry, blocks map[string][]byte) error {
	n, ok := numberFromID(e.NewItem)
	if !ok {
		return fmt.Errorf("undo: bad item id %q", e.NewItem)
	}
	item, err := txn.Get(itemKey(n))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var it Item
	if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &it) }); err != nil {
		return fmt.Errorf("undo: decode item %s: %w", n, err)
	}
	idx, err := it.indexes(s.words)
	if err != nil {
		return err
	}
	for _, x := range idx {
		if err := txn.Delete(x.k); err != nil {
			return err
		}
	}
	if err := clearTerms(txn, &it, s.words, blocks); err != nil {
		return err
	}
	if e.Audit != 0 {
		if err := txn.Delete(auditKey(KindItem, n.String(), e.Audit)); err != nil {
			return err
		}
	}
	return txn.Delete(itemKey(n))
}

// journal runs the steps of one all-or-nothing change.
type journal struct {
	s    *Store
	id   string
	step int
	undo *undoLog
}

// Step runs fn in a transaction of its own, committed (durably) before Step
// returns, together with the undo record of what it changed. When fn fails
// nothing of the step is written.
func (j *journal) Step(fn func(*Txn) error) error {
	t := &Txn{txn: j.s.db.NewTransaction(true), store: j.s, undo: j.undo}
	defer t.txn.Discard()
	j.undo.entries = j.undo.entries[:0]
	forget := func() {
		for _, e := range j.undo.entries {
			delete(j.undo.seen, string(e.Key))
		}
	}
	if err := safeRun(fn, t); err != nil {
		forget()
		return err
	}
	b, err := json.Marshal(j.undo.entries)
	if err != nil {
		forget()
		return fmt.Errorf("journal: encode: %w", err)
	}
	if err := t.txn.Set(journalUndoKey(j.id, j.step), b); err != nil {
		forget()
		return fmt.Errorf("journal: %w", err)
	}
	if err := t.txn.Commit(); err != nil {
		forget()
		return fmt.Errorf("journal: commit: %w", err)
	}
	j.step++
	return nil
}

// journaled runs fn as one change that is all or nothing even if the process
// dies, in as many transactions (journal.Step) as it needs. It runs alone on
// the committer: fn must not call the Store's other writing methods.
func (s *Store) journaled(ctx context.Context, fn func(*journal) error) error {
	if err := s.checkSpace(); err != nil {
		return err
	}
	w := &write{done: make(chan error, 1)}
	w.long = func() error { return s.runJournal(fn) }
	return s.enqueue(ctx, w)
}

func (s *Store) runJournal(fn func(*journal) error) error {
	id := fmt.Sprintf("%020d", time.Now().UnixNano())
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(journalMarkKey(id), nil) }); err != nil {
		return fmt.Errorf("journal: start: %w", err)
	}
	j := &journal{s: s, id: id, undo: &undoLog{seen: map[string]bool{}}}
	err := safeJournal(fn, j)
	if err == nil {
		// The commit point: once the mark is gone, the change stays.
		err = s.db.Update(func(txn *badger.Txn) error { return txn.Delete(journalMarkKey(id)) })
		if err == nil {
			if err := s.dropUndo(id); err != nil {
				s.log.Warn("journal: undo records left for the next start to drop", "id", id, "err", err)
			}
			return nil
		}
		err = fmt.Errorf("journal: finish: %w", err)
	}
	if uerr := s.rollback(id); uerr != nil {
		s.log.Error("journal: undoing a failed import failed; it is undone at the next start", "id", id, "err", uerr)
		return errors.Join(err, fmt.Errorf("undo: %w", uerr))
	}
	return err
}

func safeJournal(fn func(*journal) error, j *journal) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("storage: journaled change panicked: %v", r)
		}
	}()
	return fn(j)
}

// rollback undoes a journaled change whose mark is still there: the undo
// records newest first, each applied in the transaction that deletes it,
// then the mark.
func (s *Store) rollback(id string) error {
	var steps [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		scanKeys(txn, key(pJournalUndo, id, "/"), func(k []byte) bool {
			steps = append(steps, bytes.Clone(k))
			return true
		})
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range slices.Backward(steps) {
		err := s.db.Update(func(txn *badger.Txn) error {
			item, err := txn.Get(k)
			if err != nil {
				return err
			}
			var entries []undoEntry
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &entries) }); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			blocks := map[string][]byte{} // posting blocks cleared, written at the end
			for _, e := range slices.Backward(entries) {
				if e.NewItem == "" {
					delete(blocks, string(e.Key)) // its older before-image wins
				}
				switch {
				case e.NewItem != "":
					err = s.undoNewItem(txn, e, blocks)
				case e.Absent:
					err = txn.Delete(e.Key)
				default:
					err = txn.SetEntry(&badger.Entry{Key: e.Key, Value: e.Value, ExpiresAt: e.ExpiresAt, UserMeta: e.UserMeta})
				}
				if err != nil {
					return err
				}
			}
			if err := flushBlocks(txn, blocks); err != nil {
				return err
			}
			return txn.Delete(k)
		})
		if err != nil {
			return fmt.Errorf("undo %q: %w", k, err)
		}
	}
	return s.db.Update(func(txn *badger.Txn) error { return txn.Delete(journalMarkKey(id)) })
}

// dropUndo deletes the undo records of a finished change.
func (s *Store) dropUndo(id string) error {
	prefix := key(pJournalUndo, id, "/")
	if id == "" {
		prefix = []byte(pJournalUndo)
	}
	for {
		var ks [][]byte
		err := s.db.View(func(txn *badger.Txn) error {
			scanKeys(txn, prefix, func(k []byte) bool {
				ks = append(ks, bytes.Clone(k))
				return len(ks) < 1000
			})
			return nil
		})
		if err != nil || len(ks) == 0 {
			return err
		}
		err = s.db.Update(func(txn *badger.Txn) error {
			for _, k := range ks {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// recoverJournals runs at Open: it undoes the journaled changes a crash
// interrupted and drops the undo records of finished ones.
func (s *Store) recoverJournals() error {
	var ids []string
	err := s.db.View(func(txn *badger.Txn) error {
		scanKeys(txn, []byte(pJournalMark), func(k []byte) bool {
			ids = append(ids, string(k[len(pJournalMark):]))
			return true
		})
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.log.Warn("an import interrupted by a stop is undone", "journal", id)
		if err := s.rollback(id); err != nil {
			return err
		}
	}
	return s.dropUndo("")
}
