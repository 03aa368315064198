package storage

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// The posting indexes answer "which items have this word in their subject
// or sender", "… have this status", "… are with this department" and "… were
// registered on this day". Each key covers one term and a block of
// postingBlock consecutive numbers of a year; its value is a bitmap of the
// numbers in the block that have the term: bit seq%postingBlock, byte
// (seq%postingBlock)/8, low bit first. A key with no bit set is deleted.
//
//	x/wb/<word>/<year>/<block>      words of the subject and sender
//	x/sb/<status>/<year>/<block>    status
//	x/db/<dept|->/<year>/<block>    responsible department (-: none)
//	x/rb/<date>/<year>/<block>      day of registration
//
// One key per term and block, not one per term and item: items registered
// together share their day, status and department, and the common words
// ("cerere", "strada", "privind"), so a register keeps about two keys of
// these per item instead of a dozen — keys are most of the cost of writing
// an import of 100,000 items — and a search for a common term reads a few
// hundred short values instead of a key per item.
const (
	pWordBits   = "x/wb/"
	pStatusBits = "x/sb/"
	pDeptBits   = "x/db/"
	pDayBits    = "x/rb/"

	postingBlock  = 256
	postingBitmap = postingBlock / 8
)

// term is one posting an item has: its index (a prefix above) and value.
type term struct{ prefix, value string }

// postingKey is the key of term t's block holding n.
func postingKey(t term, n Number) []byte {
	k := make([]byte, 0, len(t.prefix)+len(t.value)+12)
	k = append(append(k, t.prefix...), t.value...)
	k = appendPadded(append(k, '/'), n.Year, 4)
	return appendPadded(append(k, '/'), n.Seq/postingBlock, 6)
}

// appendPadded appends n in decimal with at least width digits.
func appendPadded(b []byte, n, width int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// terms lists an item's postings: its status, department, day of
// registration, and the distinct words of its subject and sender that the
// index keeps (two letters or more, clipped as in the keys).
func (it *Item) terms(words func(string) []string) []term {
	out := []term{
		{pStatusBits, string(it.Status)},
		{pDeptBits, deptOrNone(it.Dept)},
		{pDayBits, isoDay(it.Registered)},
	}
	seen := map[string]bool{}
	for _, w := range append(words(it.Subject), words(it.Sender)...) {
		if len(w) < 2 {
			continue
		}
		w = clip(w, 48)
		if !seen[w] {
			seen[w] = true
			out = append(out, term{pWordBits, w})
		}
	}
	return out
}

// termChanges lists the postings an item gains and loses going from prev
// (nil: a new item) to it.
func termChanges(prev, it *Item, words func(string) []string) (gained, lost []term) {
	gone := map[term]bool{}
	if prev != nil {
		for _, t := range prev.terms(words) {
			gone[t] = true
		}
	}
	for _, t := range it.terms(words) {
		if gone[t] {
			delete(gone, t)
		} else {
			gained = append(gained, t)
		}
	}
	for t := range gone {
		lost = append(lost, t)
	}
	return gained, lost
}

// putTerms updates the posting indexes of an item going from prev (nil: a
// new item) to it.
func (t *Txn) putTerms(prev, it *Item) error {
	gained, lost := termChanges(prev, it, t.store.words)
	for _, tm := range gained {
		if err := t.postingBit(tm, it.Number, true); err != nil {
			return err
		}
	}
	for _, tm := range lost {
		if err := t.postingBit(tm, it.Number, false); err != nil {
			return err
		}
	}
	return nil
}

// postingBit sets or clears n's bit in term tm's block.
func (t *Txn) postingBit(tm term, n Number, on bool) error {
	k := postingKey(tm, n)
	b, err := t.postingBlock(k)
	if err != nil {
		return err
	}
	setBit(b, n.Seq, on)
	if allClear(b) {
		return t.del(k)
	}
	return t.set(k, b)
}

// postingBlock reads the block at k: all clear when there is none.
func (t *Txn) postingBlock(k []byte) ([]byte, error) {
	b, err := readPostingBlock(t.txn, k)
	if b == nil && err == nil {
		b = make([]byte, postingBitmap)
	}
	return b, err
}

// readPostingBlock reads a copy of the block at k: nil when there is none.
func readPostingBlock(txn *badger.Txn, k []byte) ([]byte, error) {
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("posting index %q: %w", k, err)
	}
	b, err := item.ValueCopy(nil)
	if err == nil && len(b) != postingBitmap {
		err = fmt.Errorf("posting index %q: %d bytes", k, len(b))
	}
	return b, err
}

// setBit sets or clears seq's bit in its block's bitmap b.
func setBit(b []byte, seq int, on bool) {
	i := seq % postingBlock
	if on {
		b[i/8] |= 1 << (i % 8)
	} else {
		b[i/8] &^= 1 << (i % 8)
	}
}

func allClear(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// clearTerms clears an item's bits in the posting indexes, directly in a
// Badger transaction (undoing an import: undoNewItem), in blocks: the blocks
// read so far, changed and not yet written (flushBlocks), so that undoing a
// step writes each block once however many of its items it clears. A block
// already gone is left alone.
func clearTerms(txn *badger.Txn, it *Item, words func(string) []string, blocks map[string][]byte) error {
	for _, tm := range it.terms(words) {
		k := string(postingKey(tm, it.Number))
		b, ok := blocks[k]
		if !ok {
			var err error
			if b, err = readPostingBlock(txn, []byte(k)); err != nil {
				return err
			}
			if b == nil {
				continue
			}
			blocks[k] = b
		}
		setBit(b, it.Number.Seq, false)
	}
	return nil
}

// flushBlocks writes posting blocks changed in bulk (by clearTerms, by an
// import's chunk), deleting the empty ones.
func flushBlocks(txn *badger.Txn, blocks map[string][]byte) error {
	for k, b := range blocks {
		var err error
		if allClear(b) {
			err = txn.Delete([]byte(k))
		} else {
			err = txn.Set([]byte(k), b)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// postingIDs lists the ids (2026/00000012) of the items with a term, in
// order: prefix is the term's prefix and value with its slash
// (x/wb/iluminat/).
func postingIDs(txn *badger.Txn, prefix []byte) ([]string, error) {
	var ids []string
	err := scanValues(txn, prefix, func(k, v []byte) (bool, error) {
		var err error
		ids, err = appendPostings(ids, k[len(prefix):], v)
		return err == nil, err
	})
	return ids, err
}

// appendPostings appends the ids of a block's bitmap v; tail is the end of
// its key, YYYY/BBBBBB.
func appendPostings(ids []string, tail, v []byte) ([]string, error) {
	if len(tail) != len("2026/000000") || len(v) != postingBitmap {
		return ids, fmt.Errorf("posting index: bad entry %q", tail)
	}
	year, err1 := strconv.Atoi(string(tail[:4]))
	block, err2 := strconv.Atoi(string(tail[5:]))
	if err1 != nil || err2 != nil {
		return ids, fmt.Errorf("posting index: bad entry %q", tail)
	}
	for i, x := range v {
		for x != 0 {
			bit := bits.TrailingZeros8(x)
			x &^= 1 << bit
			ids = append(ids, Number{Year: year, Seq: block*postingBlock + i*8 + bit}.id())
		}
	}
	return ids, nil
}
