package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// What departments say back about an item (issue 16): a request for more
// time, a return to the Cabinet, consultations of other departments. They
// live in the item's record, so every step is written with the item, its
// audit entry and its notices in one transaction; the indexes below let the
// digests and reports find them without reading records.

// ExtRequest is a department's request for more time, waiting for the
// Cabinet's decision.
type ExtRequest struct {
	Dept   string    `json:"dept"`
	Days   int       `json:"days"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Return is an item a department sent back to the Cabinet as not its own.
type Return struct {
	Dept   string    `json:"dept"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	// Held is how long the department had it, from its assignment.
	Held time.Duration `json:"held,omitempty"`
}

// Consultation is a question one department (or the Cabinet) asks another
// about an item, with its own due date, and its answer.
type Consultation struct {
	ID         int       `json:"id"`   // 1, 2… within the item
	From       string    `json:"from"` // the asking department's code, "" for the Cabinet
	To         string    `json:"to"`   // the consulted department's code
	Question   string    `json:"q"`
	Due        string    `json:"due"` // YYYY-MM-DD
	AskedBy    string    `json:"asked_by"`
	AskedAt    time.Time `json:"asked_at"`
	Answer     string    `json:"answer,omitempty"`
	AnsweredBy string    `json:"answered_by,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	// File is the file sent with the answer, kept in the file store.
	File *FileRef `json:"file,omitempty"`
}

// Open reports whether the consultation still waits for its answer.
func (c Consultation) Open() bool { return c.AnsweredAt.IsZero() }

// WorkEntry is one line of a department's work: a pending extension
// request, a consultation to answer or one it waits on.
type WorkEntry struct {
	Number  Number `json:"-"`
	Subject string `json:"s"`
	Due     string `json:"due,omitempty"`  // the consultation's due date, or the item's deadline
	Other   string `json:"o,omitempty"`    // the other department ("" for the Cabinet); a request's own
	Days    int    `json:"days,omitempty"` // an extension request's days
	ID      int    `json:"id,omitempty"`   // the consultation's ID
}

// work lists the department-work index entries of an item in its state.
func (it *Item) work() ([]indexEntry, error) {
	var out []indexEntry
	id := it.Number.id()
	add := func(k []byte, w WorkEntry) error {
		w.Subject = clip(it.Subject, summarySubjectMax)
		v, err := json.Marshal(w)
		if err != nil {
			return fmt.Errorf("encode work entry: %w", err)
		}
		out = append(out, indexEntry{k: k, v: v})
		return nil
	}
	for i, r := range it.Returns {
		out = append(out, indexEntry{k: key(pReturned, isoDay(r.At), "/", r.Dept, "/", id, "/", strconv.Itoa(i))})
	}
	for _, c := range it.Consults {
		out = append(out, indexEntry{k: key(pConsulted, isoDay(c.AskedAt), "/", c.To, "/", id, "/", strconv.Itoa(c.ID))})
		if !c.Open() || !it.Status.Open() {
			continue
		}
		cid := strconv.Itoa(c.ID)
		if err := add(key(pConsultTo, c.To, "/", c.Due, "/", id, "/", cid), WorkEntry{Due: c.Due, Other: c.From, ID: c.ID}); err != nil {
			return nil, err
		}
		if err := add(key(pConsultFrom, deptOrNone(c.From), "/", c.Due, "/", id, "/", cid), WorkEntry{Due: c.Due, Other: c.To, ID: c.ID}); err != nil {
			return nil, err
		}
	}
	if r := it.ExtRequest; r != nil && it.Status.Open() {
		if err := add(key(pExtRequest, r.Dept, "/", id), WorkEntry{Due: it.Deadline, Days: r.Days, Other: r.Dept}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Work is what a department has to do or waits for besides its items.
type Work struct {
	Requests []WorkEntry // its extension requests the Cabinet has not decided
	ToAnswer []WorkEntry // open consultations it was asked, by due date
	Waiting  []WorkEntry // open consultations it asked, by due date
}

// Empty reports whether there is nothing.
func (w Work) Empty() bool { return len(w.Requests)+len(w.ToAnswer)+len(w.Waiting) == 0 }

// DepartmentWork reads a department's pending extension requests and open
// consultations from their indexes ("" as dept: every pending extension
// request; the Cabinet's own consultations are under "-").
func (s *Store) DepartmentWork(dept string) (Work, error) {
	var w Work
	err := s.view(func(txn *badger.Txn) error {
		var err error
		prefix := key(pExtRequest)
		if dept != "" {
			prefix = key(pExtRequest, dept, "/")
		}
		if w.Requests, err = workEntries(txn, prefix); err != nil {
			return err
		}
		if dept == "" {
			return nil
		}
		if w.ToAnswer, err = workEntries(txn, key(pConsultTo, dept, "/")); err != nil {
			return err
		}
		w.Waiting, err = workEntries(txn, key(pConsultFrom, dept, "/"))
		return err
	})
	return w, err
}

func workEntries(txn *badger.Txn, prefix []byte) ([]WorkEntry, error) {
	var out []WorkEntry
	err := scanValues(txn, prefix, func(k, v []byte) (bool, error) {
		var e WorkEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return false, fmt.Errorf("decode work entry %q: %w", k, err)
		}
		n, ok := numberIn(string(k))
		if !ok {
			return false, fmt.Errorf("bad work key %q", k)
		}
		e.Number = n
		out = append(out, e)
		return true, nil
	})
	return out, err
}

// numberIn finds the YYYY/NNNNNNNN part of an index key.
func numberIn(k string) (Number, bool) {
	parts := strings.Split(k, "/")
	for i := 0; i+1 < len(parts); i++ {
		if len(parts[i]) == 4 && len(parts[i+1]) == 8 {
			if n, ok := numberFromID(parts[i] + "/" + parts[i+1]); ok {
				return n, true
			}
		}
	}
	return Number{}, false
}

// DeptCounts counts returns (by the department that returned) and
// consultations asked (by the consulted department) on the days from..to
// (YYYY-MM-DD, inclusive).
func (s *Store) DeptCounts(from, to string) (returns, consults map[string]int, err error) {
	returns, consults = map[string]int{}, map[string]int{}
	count := func(txn *badger.Txn, prefix string, into map[string]int) {
		p := []byte(prefix)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		defer it.Close()
		for it.Seek(key(prefix, from)); it.ValidForPrefix(p); it.Next() {
			parts := strings.SplitN(string(it.Item().Key()[len(p):]), "/", 3)
			if len(parts) < 3 || parts[0] > to {
				return
			}
			into[parts[1]]++
		}
	}
	err = s.view(func(txn *badger.Txn) error {
		count(txn, pReturned, returns)
		count(txn, pConsulted, consults)
		return nil
	})
	return returns, consults, err
}

// useFiles records, in the item's transaction, the stored files its
// consultations' answers use (the file store's references).
func (t *Txn) useFiles(it *Item) error {
	for _, c := range it.Consults {
		if c.File == nil {
			continue
		}
		if err := t.UseFile(*c.File, string(itemKey(it.Number))+"/consult/"+strconv.Itoa(c.ID)); err != nil {
			return err
		}
	}
	return nil
}
