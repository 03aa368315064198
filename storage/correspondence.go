package storage

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Number is a registration number, N/YYYY.
type Number struct {
	Year int `json:"y"`
	Seq  int `json:"n"`
}

// String writes the number as N/YYYY.
func (n Number) String() string { return strconv.Itoa(n.Seq) + "/" + strconv.Itoa(n.Year) }

// IsZero reports whether n is unset.
func (n Number) IsZero() bool { return n.Seq == 0 }

// id is the number as it appears in keys: 2026/00000012, sortable.
func (n Number) id() string {
	b := appendPadded(make([]byte, 0, 13), n.Year, 4)
	return string(appendPadded(append(b, '/'), n.Seq, 8))
}

func numberFromID(s string) (Number, bool) {
	y, seq, ok := strings.Cut(s, "/")
	if !ok {
		return Number{}, false
	}
	yy, err1 := strconv.Atoi(y)
	nn, err2 := strconv.Atoi(seq)
	return Number{yy, nn}, err1 == nil && err2 == nil
}

// Status is where a piece of correspondence stands.
type Status string

// The statuses. The first two are open; the others close the item.
const (
	StatusRegistered Status = "inregistrata"   // registered, not yet assigned
	StatusAssigned   Status = "repartizata"    // assigned to a department
	StatusResolved   Status = "rezolvata"      // answered
	StatusFiled      Status = "clasata"        // filed without an answer (e.g. anonymous petitions)
	StatusForwarded  Status = "redirectionata" // sent to the competent institution
	StatusJoined     Status = "conexata"       // joined to an earlier item on the same matter
	StatusRefused    Status = "refuzata"       // a request for public information refused with its ground
)

// Statuses lists every status. The statistics keep a status as its index
// here: new ones go at the end.
var Statuses = []Status{StatusRegistered, StatusAssigned, StatusResolved, StatusFiled, StatusForwarded, StatusJoined, StatusRefused}

// Open reports whether the item still waits for something.
func (s Status) Open() bool { return s == StatusRegistered || s == StatusAssigned }

// Item is one piece of correspondence in the register.
type Item struct {
	Number       Number    `json:"number"`
	Registered   time.Time `json:"registered"`
	RegisteredBy string    `json:"registered_by"`
	Channel      string    `json:"channel,omitempty"` // posta, email, ghiseu, online, fax
	Sender       string    `json:"sender"`
	SenderType   string    `json:"sender_type"`
	// Contact holds the sender's contact details: personal data, shown only to
	// those who may see them.
	Contact   string `json:"contact,omitempty"`
	SenderRef string `json:"sender_ref,omitempty"` // the sender's own number and date
	Subject   string `json:"subject"`
	Category  string `json:"category"`
	Pages     int    `json:"pages,omitempty"`

	Dept       string    `json:"dept,omitempty"` // the responsible department's code
	CC         []string  `json:"cc,omitempty"`   // departments in copy
	AssignedAt time.Time `json:"assigned_at,omitzero"`

	Deadline     string `json:"deadline"`                // YYYY-MM-DD
	DeadlineTime string `json:"deadline_time,omitempty"` // HH:MM for deadlines in hours
	// Explicit is the deadline the letter itself gave, YYYY-MM-DD.
	Explicit     string `json:"explicit,omitempty"`
	ExtendedDays int    `json:"extended_days,omitempty"`
	Extensions   int    `json:"extensions,omitempty"`
	// LegalDeadline is the deadline the law allows, YYYY-MM-DD, kept when an
	// admin forced an extension past it: reports judge the item against it.
	LegalDeadline string `json:"legal_deadline,omitempty"`
	// Notified is the day the requester was told of a complex request's
	// extension (Law 544/2001 art. 7(1)), YYYY-MM-DD.
	Notified string `json:"notified,omitempty"`
	// Refusal is the ground of a refused request for public information.
	Refusal string `json:"refusal,omitempty"`

	Status      Status    `json:"status"`
	AnswerNo    string    `json:"answer_no,omitempty"`
	AnswerDate  string    `json:"answer_date,omitempty"` // YYYY-MM-DD
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	ForwardedTo string    `json:"forwarded_to,omitempty"`
	JoinedTo    Number    `json:"joined_to,omitzero"`
	Links       []Number  `json:"links,omitempty"`
	Note        string    `json:"note,omitempty"`

	// ExtRequest is the responsible department's request for more time,
	// while the Cabinet has not decided it.
	ExtRequest *ExtRequest `json:"ext_request,omitempty"`
	// ReturnedBy is the department that returned the item, while it waits
	// in the Cabinet's queue to be assigned again.
	ReturnedBy string         `json:"returned_by,omitempty"`
	Returns    []Return       `json:"returns,omitempty"`
	Consults   []Consultation `json:"consults,omitempty"`
	// MessageID is the Message-ID of the e-mail it was registered from.
	MessageID string `json:"message_id,omitempty"`
	// Files are the stored attachments (the e-mail's).
	Files []FileRef `json:"files,omitempty"`
	// Audience is set on an audience request (category audienta) and on the
	// follow-up registered from its outcome (audience.go).
	Audience *Audience `json:"audience,omitempty"`
}

// Summary is what lists print of an item. The open-item indexes carry it as
// their value, so digests and overdue lists never read the full record.
type Summary struct {
	Number       Number `json:"-"`
	Deadline     string `json:"dl,omitempty"`
	Dept         string `json:"d,omitempty"`
	Subject      string `json:"s"`
	Sender       string `json:"f,omitempty"`
	DeadlineTime string `json:"t,omitempty"`
	Category     string `json:"c,omitempty"`
	Status       Status `json:"st,omitempty"`
	// AssignedAt is when the responsible department got it (Unix seconds).
	AssignedAt int64 `json:"a,omitempty"`
	// Returned is the department that returned it, while it waits to be
	// assigned again.
	Returned string `json:"r,omitempty"`
}

const summarySubjectMax = 80

func (it *Item) summary() Summary {
	subj := it.Subject
	if r := []rune(subj); len(r) > summarySubjectMax {
		subj = string(r[:summarySubjectMax-1]) + "…"
	}
	s := Summary{Deadline: it.Deadline, Dept: it.Dept, Subject: subj, Sender: it.Sender, DeadlineTime: it.DeadlineTime, Category: it.Category, Status: it.Status, Returned: it.ReturnedBy}
	if !it.AssignedAt.IsZero() {
		s.AssignedAt = it.AssignedAt.Unix()
	}
	return s
}

func itemKey(n Number) []byte { return key(pItem, n.id()) }

func counterKey(year int) []byte { return key(pCounter, strconv.Itoa(year)) }

// deptOrNone is the department part of index keys for unassigned items.
func deptOrNone(d string) string {
	if d == "" {
		return "-"
	}
	return d
}

// indexEntry is one secondary-index key and its value.
type indexEntry struct {
	k []byte
	v []byte
}

// indexes lists the secondary-index keys of an item in its current state,
// but for the posting indexes, whose keys items share (postings.go).
func (it *Item) indexes(words func(string) []string) ([]indexEntry, error) {
	id := it.Number.id()
	var out []indexEntry
	if sender := strings.Join(words(it.Sender), " "); sender != "" {
		out = append(out, indexEntry{k: key(pBySender, clip(sender, 64), "/", id)})
	}
	for _, cc := range it.CC {
		out = append(out, indexEntry{k: key(pByCopy, cc, "/", id)})
	}
	if it.Status.Open() {
		v, err := json.Marshal(it.summary())
		if err != nil {
			return nil, fmt.Errorf("encode summary: %w", err)
		}
		if it.Dept != "" && !it.AssignedAt.IsZero() {
			out = append(out, indexEntry{k: key(pNewByDept, it.Dept, "/", it.AssignedAt.UTC().Format(time.RFC3339), "/", id), v: v})
		}
		out = append(out,
			indexEntry{k: key(pOpenByDept, deptOrNone(it.Dept), "/", it.Deadline, "/", id), v: v},
			indexEntry{k: key(pOpenByDue, it.Deadline, "/", id), v: v})
	}
	work, err := it.work()
	if err != nil {
		return nil, err
	}
	return append(out, work...), nil
}

func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ReplaceAll(s, "/", " ")
}

// isoDay is the Bucharest day of t, set by the caller's clock. Registration
// times are stored in the zone they were made in, so the day is t's own.
func isoDay(t time.Time) string { return t.Format("2006-01-02") }

// putItem writes an item with its indexes, replacing the indexes of its
// previous state (nil for a new item).
func (t *Txn) putItem(prev, it *Item) error { return t.writeItem(prev, it, true) }

// writeItem writes an item, its indexes, statistics and file references,
// and its postings (postings.go) unless the caller writes them (an import,
// a chunk at once).
func (t *Txn) writeItem(prev, it *Item, terms bool) error {
	if prev != nil {
		old, err := prev.indexes(t.store.words)
		if err != nil {
			return err
		}
		for _, e := range old {
			if err := t.del(e.k); err != nil {
				return err
			}
		}
	}
	kv, err := it.encode(t.store.words)
	if err != nil {
		return err
	}
	for _, e := range kv {
		if err := t.set(e.k, e.v); err != nil {
			return err
		}
	}
	if terms {
		if err := t.putTerms(prev, it); err != nil {
			return err
		}
	}
	return t.itemRefs(prev, it)
}

// encode gives the keys an item is stored under: its indexes, then the item
// itself, last. It reads nothing.
func (it *Item) encode(words func(string) []string) ([]indexEntry, error) {
	kv, err := it.indexes(words)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(it)
	if err != nil {
		return nil, fmt.Errorf("encode item %s: %w", it.Number, err)
	}
	return append(kv, indexEntry{k: itemKey(it.Number), v: b}), nil
}

// itemRefs updates what an item's change counts in other records: its
// statistics and the references to its files.
func (t *Txn) itemRefs(prev, it *Item) error {
	if err := t.putStats(prev, it); err != nil {
		return err
	}
	return t.useFiles(it)
}

// Register gives the item the next number of year and writes it, its indexes
// and its audit entry in one transaction. When meta.EventID was already
// handled, nothing is written and the item registered the first time is
// returned with replay set.
func (s *Store) Register(ctx context.Context, year int, it Item, m Meta) (saved Item, replay bool, err error) {
	err = s.update(ctx, func(t *Txn) error {
		saved, replay = it, false
		earlier, seen, err := t.claimEvent(m, "")
		if err != nil {
			return err
		}
		if seen {
			n, ok := numberFromID(earlier)
			if !ok {
				return fmt.Errorf("event %s was handled without a number", m.EventID)
			}
			replay = true
			return t.getJSON(itemKey(n), &saved)
		}
		seq, err := t.next(counterKey(year))
		if err != nil {
			return err
		}
		saved.Number = Number{Year: year, Seq: int(seq)}
		t.handOut(year, seq)
		if m.EventID != "" {
			if err := t.setEvent(eventKey(m.EventID), eventState{State: EventApplied, Result: saved.Number.id()}); err != nil {
				return err
			}
		}
		if err := t.putItem(nil, &saved); err != nil {
			return err
		}
		return t.audit(m, KindItem, saved.Number.String(), "register", nil, saved, "")
	})
	return saved, replay, err
}

// ErrReplay is returned by Change when the event was already handled: the
// change was made by the first delivery and is not made again.
var ErrReplay = errors.New("event already handled")

// Change reads the items with the given numbers, lets fn change them, and
// writes them back with their indexes and one audit entry each, in one
// transaction. When fn returns an error nothing is written.
func (s *Store) Change(ctx context.Context, nums []Number, action, note string, m Meta, fn func(items []*Item) error) ([]Item, error) {
	var out []Item
	err := s.update(ctx, func(t *Txn) error {
		out = nil
		if _, seen, err := t.claimEvent(m, action); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		before := make([]Item, len(nums))
		items := make([]*Item, len(nums))
		for i, n := range nums {
			if err := t.getJSON(itemKey(n), &before[i]); err != nil {
				return fmt.Errorf("item %s: %w", n, err)
			}
			cp := cloneItem(before[i])
			items[i] = &cp
		}
		if err := fn(items); err != nil {
			return err
		}
		for i, it := range items {
			if err := t.putItem(&before[i], it); err != nil {
				return err
			}
			if err := t.audit(m, KindItem, it.Number.String(), action, before[i], it, note); err != nil {
				return err
			}
			out = append(out, *it)
		}
		return t.owe(m, Made{Items: out})
	})
	return out, err
}

func cloneItem(it Item) Item {
	it.CC = append([]string(nil), it.CC...)
	it.Links = append([]Number(nil), it.Links...)
	it.Returns = append([]Return(nil), it.Returns...)
	it.Consults = append([]Consultation(nil), it.Consults...)
	for i, c := range it.Consults {
		if c.File != nil {
			f := *c.File
			it.Consults[i].File = &f
		}
	}
	if it.ExtRequest != nil {
		r := *it.ExtRequest
		it.ExtRequest = &r
	}
	it.Files = append([]FileRef(nil), it.Files...)
	if it.Audience != nil {
		a := *it.Audience
		it.Audience = &a
	}
	return it
}

// Item returns the item with the given number.
func (s *Store) Item(n Number) (Item, error) {
	var it Item
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, itemKey(n), &it) })
	return it, err
}

// LastNumber returns the last number given in year (0 when none).
func (s *Store) LastNumber(year int) (int, error) {
	var n uint64
	err := s.view(func(txn *badger.Txn) (err error) {
		n, err = readCounter(txn, counterKey(year))
		return err
	})
	return int(n), err
}

// readCounter reads the counter at k outside a write (0 when absent).
func readCounter(txn *badger.Txn, k []byte) (uint64, error) {
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", k, err)
	}
	var n uint64
	err = item.Value(func(v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("counter %s: %d bytes", k, len(v))
		}
		n = binary.BigEndian.Uint64(v)
		return nil
	})
	return n, err
}
