package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// OpenDue lists open items whose deadline is between from and to (inclusive,
// YYYY-MM-DD; an empty from means from the beginning), in deadline order. With
// dept set, only that department's items ("-" for unassigned ones). It reads
// the open-item indexes only, never the records.
func (s *Store) OpenDue(from, to, dept string) ([]Summary, error) {
	prefix := []byte(pOpenByDue)
	if dept != "" {
		prefix = key(pOpenByDept, dept, "/")
	}
	var out []Summary
	err := s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Seek(append(slices.Clip(prefix), from...)); it.ValidForPrefix(prefix); it.Next() {
			rest := it.Item().Key()[len(prefix):]
			due, id, ok := bytes.Cut(rest, []byte("/"))
			if !ok || string(due) > to {
				break
			}
			sum, err := decodeSummary(it.Item(), string(due), string(id))
			if err != nil {
				return err
			}
			out = append(out, sum)
		}
		return nil
	})
	return out, err
}

func decodeSummary(item *badger.Item, due, id string) (Summary, error) {
	var sum Summary
	err := item.Value(func(v []byte) error { return json.Unmarshal(v, &sum) })
	if err != nil {
		return sum, fmt.Errorf("decode summary %s: %w", id, err)
	}
	n, ok := numberFromID(id)
	if !ok {
		return sum, fmt.Errorf("bad index key %s", id)
	}
	sum.Number = n
	if due != "" {
		sum.Deadline = due
	}
	return sum, nil
}

// OpenCounts counts open items by responsible department ("-": unassigned),
// split into those due before day (YYYY-MM-DD, overdue) and the rest.
func (s *Store) OpenCounts(day string) (overdue, open map[string]int, err error) {
	overdue, open = map[string]int{}, map[string]int{}
	err = s.view(func(txn *badger.Txn) error {
		scanKeys(txn, []byte(pOpenByDept), func(k []byte) bool {
			parts := strings.SplitN(string(k[len(pOpenByDept):]), "/", 3)
			if len(parts) == 3 {
				open[parts[0]]++
				if parts[1] != "" && parts[1] < day { // "": no deadline (anonymous petitions)
					overdue[parts[0]]++
				}
			}
			return true
		})
		return nil
	})
	return overdue, open, err
}

// Query selects items for find.
type Query struct {
	Words  []string // folded words that must all appear in the subject or sender
	Sender string   // folded sender prefix
	Status Status   // "" for any
	Dept   string   // responsible department code, "" for any
	From   string   // registered on or after, YYYY-MM-DD
	To     string   // registered on or before, YYYY-MM-DD
	Limit  int      // at most this many items, newest first (0: 50)
}

// Find returns the items that match q, newest first, and how many matched in
// all. It starts from the most selective index it has and reads only the
// records that pass every index condition.
func (s *Store) Find(q Query) ([]Item, int, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	var (
		out   []Item
		total int
	)
	err := s.view(func(txn *badger.Txn) error {
		ids, err := s.candidates(txn, q)
		if err != nil {
			return err
		}
		total = len(ids)
		slices.SortFunc(ids, func(a, b string) int { return strings.Compare(b, a) })
		for _, id := range ids[:min(len(ids), q.Limit)] {
			var it Item
			if err := readJSON(txn, key(pItem, id), &it); err != nil {
				return fmt.Errorf("item %s: %w", id, err)
			}
			out = append(out, it)
		}
		return nil
	})
	return out, total, err
}

// candidates intersects the index postings that q asks for.
func (s *Store) candidates(txn *badger.Txn, q Query) ([]string, error) {
	var sets [][]string
	var terms [][]byte
	for _, w := range q.Words {
		terms = append(terms, key(pWordBits, clip(w, 48), "/"))
	}
	if q.Status != "" {
		terms = append(terms, key(pStatusBits, string(q.Status), "/"))
	}
	if q.Dept != "" {
		terms = append(terms, key(pDeptBits, q.Dept, "/"))
	}
	for _, prefix := range terms {
		ids, err := postingIDs(txn, prefix)
		if err != nil {
			return nil, err
		}
		sets = append(sets, ids)
	}
	if q.Sender != "" {
		sets = append(sets, postings(txn, key(pBySender, clip(q.Sender, 64)), true))
	}
	if q.From != "" || q.To != "" {
		ids, err := dayRange(txn, q.From, q.To)
		if err != nil {
			return nil, err
		}
		sets = append(sets, ids)
	}
	if len(sets) == 0 {
		return postings(txn, []byte(pItem), false), nil
	}
	slices.SortFunc(sets, func(a, b []string) int { return len(a) - len(b) })
	for _, set := range sets {
		if !slices.IsSorted(set) { // the posting blocks give theirs in order
			slices.Sort(set)
		}
	}
	result := sets[0]
	for _, set := range sets[1:] {
		result = intersect(result, set)
	}
	return result, nil
}

// intersect keeps the ids of a that are in b, both sorted; it reuses a.
func intersect(a, b []string) []string {
	out, j := a[:0], 0
	for _, id := range a {
		for j < len(b) && b[j] < id {
			j++
		}
		if j < len(b) && b[j] == id {
			out = append(out, id)
		}
	}
	return out
}

// postings lists the item ids (2026/00000012) at the end of keys under
// prefix. With partial, the prefix may end inside a word (sender "pop" finds
// "popescu ion").
func postings(txn *badger.Txn, prefix []byte, partial bool) []string {
	var ids []string
	seen := map[string]bool{}
	scanKeys(txn, prefix, func(k []byte) bool {
		id := lastID(k)
		if partial && seen[id] {
			return true
		}
		seen[id] = true
		ids = append(ids, id)
		return true
	})
	return ids
}

// lastID returns the trailing YYYY/NNNNNNNN of an index key.
func lastID(k []byte) string {
	const n = len("2026/00000012")
	if len(k) < n {
		return ""
	}
	return string(k[len(k)-n:])
}

// dayRange lists the items registered from day from to day to (YYYY-MM-DD,
// either may be empty).
func dayRange(txn *badger.Txn, from, to string) ([]string, error) {
	prefix := []byte(pDayBits)
	var ids []string
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Seek(key(pDayBits, from)); it.ValidForPrefix(prefix); it.Next() {
		k := it.Item().Key()
		rest := k[len(prefix):] // YYYY-MM-DD/YYYY/BBBBBB
		if len(rest) < 11 {
			return nil, fmt.Errorf("posting index: bad entry %q", k)
		}
		if to != "" && string(rest[:10]) > to {
			break
		}
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return nil, err
		}
		if ids, err = appendPostings(ids, rest[11:], v); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
