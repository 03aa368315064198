package storage

import (
	"bytes"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DeptDigest is what a department's morning digest says. It is read from the
// open-item indexes only: keys, and the small summaries of the items it prints.
type DeptDigest struct {
	Overdue      []Summary // the oldest overdue items, at most the limit
	OverdueCount int       // all overdue items
	Due          []Summary // due from today to the horizon, at most the limit
	DueCount     int
	New          []Summary // assigned since the last digest, at most the limit
	NewCount     int
}

// Empty reports whether the digest has nothing to say.
func (d DeptDigest) Empty() bool { return d.OverdueCount+d.DueCount+d.NewCount == 0 }

// DepartmentDigest gathers a department's digest: items past their deadline
// (before today), due between today and until (YYYY-MM-DD, inclusive), and
// assigned since the given moment. Each list keeps at most limit items.
func (s *Store) DepartmentDigest(dept, today, until string, since time.Time, limit int) (DeptDigest, error) {
	var d DeptDigest
	err := s.view(func(txn *badger.Txn) error {
		prefix := key(pOpenByDept, dept, "/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			due, id, ok := bytes.Cut(it.Item().Key()[len(prefix):], []byte("/"))
			if !ok {
				continue
			}
			var list *[]Summary
			switch day := string(due); {
			case day == "": // no deadline (anonymous petitions): never overdue
				continue
			case day < today:
				d.OverdueCount++
				list = &d.Overdue
			case day <= until:
				d.DueCount++
				list = &d.Due
			default:
				return d.newSince(txn, dept, since, limit)
			}
			if len(*list) < limit {
				sum, err := decodeSummary(it.Item(), string(due), string(id))
				if err != nil {
					return err
				}
				*list = append(*list, sum)
			}
		}
		return d.newSince(txn, dept, since, limit)
	})
	return d, err
}

// newSince adds the items assigned to dept after since.
func (d *DeptDigest) newSince(txn *badger.Txn, dept string, since time.Time, limit int) error {
	prefix := key(pNewByDept, dept, "/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Seek(key(pNewByDept, dept, "/", since.UTC().Add(time.Second).Format(time.RFC3339))); it.ValidForPrefix(prefix); it.Next() {
		d.NewCount++
		if len(d.New) >= limit {
			continue
		}
		sum, err := decodeSummary(it.Item(), "", lastID(it.Item().Key()))
		if err != nil {
			return err
		}
		d.New = append(d.New, sum)
	}
	return nil
}

// DayCounts counts what happened from one day to another (YYYY-MM-DD,
// inclusive): registrations (from the day index) and answers given (from the
// statistics' daily answer counts).
func (s *Store) DayCounts(from, to string) (registered, answered int, err error) {
	err = s.view(func(txn *badger.Txn) error {
		ids, err := dayRange(txn, from, to)
		registered = len(ids)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	err = s.AnswersBetween(from, to, func(a *Answers) bool { answered += a.Count; return true })
	return registered, answered, err
}
