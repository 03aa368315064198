package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The key space. Every key the program writes starts with one of these
// prefixes; nothing outside this package builds keys.
//
//	n/<year>                        last registration number of the year (uint64)
//	c/<year>/<seq>                  a correspondence record (JSON)
//	x/cc/<dept>/<num>               index: departments in copy
//	x/wb/, x/sb/, x/db/, x/rb/      posting indexes: words, status, department, day → bitmaps of 256 numbers (postings.go)
//	x/op/<dept>/<deadline>/<num>    index: open items by department and deadline → summary
//	x/dl/<deadline>/<num>           index: open items by deadline → summary
//	x/sn/<sender>/<num>             index: by folded sender
//	x/rs/<year>/<block>             statistics: 32 items' compact records per key (stats.go)
//	x/ra/<date>/<dept>/<category>   statistics: answers given that day → counts
//	q/sd/<kind>/<name>              statistics: the code of a department, category or sender type
//	q/sn/<kind>                     statistics: last code given for a kind (uint64)
//	q/stats                         version of the statistics (rebuilt at Open when older)
//	x/na/<dept>/<assigned>/<num>    index: open items by department and time of assignment
//	x/er/<dept>/<num>               index: an extension request waiting for the Cabinet → work entry (depts.go)
//	x/ct/<dept>/<due>/<num>/<id>    index: open consultations a department was asked → work entry
//	x/cf/<dept|->/<due>/<num>/<id>  index: open consultations a department (- the Cabinet) asked → work entry
//	x/rt/<date>/<dept>/<num>/<i>    index: returns by day and department that returned
//	x/ck/<date>/<dept>/<num>/<id>   index: consultations by day asked and consulted department
//	a/<kind>/<id>/<seq>             audit trail, append-only (JSON)
//	q/audit                         last audit sequence (uint64)
//	d/<code>                        a department (JSON)
//	p/<platform>:<id>               a person: chat identity → role (JSON)
//	h/<date>                        an extra day off added by an admin → reason
//	e/<source>/<id>                 a handled chat event (expires after a week)
//	s/<name>                        a setting
//	r/<platform>:<id>               a stranger who was told once they have no access
//	m/<platform>/<chat>/<msg>       a posted message → the item it shows
//	mi/<num>/<platform>/<chat>/<msg>  the messages that showed an item
//	me/<platform>/<chat>/<msg>      a posted message → the agenda event it shows (messages.go)
//	o/<name>                        operational state (offsets), not audited
//	o/moved/<platform>/<chat>      a chat that moved (a group become supergroup) → its new ID (migrate.go)
//	tel/<id>                        a phone directory entry (JSON)
//	telk/<person|function|dept>     the folded person, function and department of an entry → its id
//	q/tel                           last directory entry id (uint64)
//	ag/e/<id>                       an agenda event (JSON)
//	ag/n                            last agenda event ID (uint64)
//	ag/d/<utc-date>/<id>            index: single agenda events by every UTC day they touch
//	ag/r/<id>                       index: recurring (or month-long) agenda events, read for every range
//	ag/u/<uid>                      index: iCalendar UID → agenda event ID
//	ag/p/<platform>:<id>            an agenda import waiting for its author's confirmation (expires)
//	sl/<job>/<slot>/<recipient>     send log of timed pushes (expires)
//	sj/<job>/<slot>                 a timed job's slot ran to its end (expires)
//	sf/<time>/<job>/<slot>/<to>     failed sends, for the Cabinet summary (expires)
//	lk/<sha256(code)>               a one-time code linking a chat identity to a role (links.go; expires)
//	ob/<seq>                        a message waiting in the outbox (outbox.go)
//	q/outbox                        last outbox sequence (uint64)
//	q/id                            the database's fingerprint (integrity.go; also in DIR.integrity.json)
//	jm/<id>                         an import under way (journal.go): undone at Open if still there
//	ju/<id>/<step>                  what an import's step changed, to undo it (journal.go)
//	em/<id>                         an e-mail proposed for registration (mail.go)
//	emi/<message-id>                the Message-ID of a proposed e-mail → its proposal id
//	q/em                            last proposal id (uint64)
//	au/<event>/<unix>               an audience slot taken → the request's number (audience.go)
//	fl/<sha256>/<owner>             a stored file (DIR/files/…) used by a record → FileRef (files.go)
const (
	pCounter     = "n/"
	pItem        = "c/"
	pByCopy      = "x/cc/"
	pOpenByDept  = "x/op/"
	pOpenByDue   = "x/dl/"
	pBySender    = "x/sn/"
	pNewByDept   = "x/na/"
	pExtRequest  = "x/er/"
	pConsultTo   = "x/ct/"
	pConsultFrom = "x/cf/"
	pReturned    = "x/rt/"
	pConsulted   = "x/ck/"
	pAudit       = "a/"
	kAuditSeq    = "q/audit"
	pDept        = "d/"
	pPerson      = "p/"
	pDayOff      = "h/"
	pEvent       = "e/"
	pSetting     = "s/"
	pRefused     = "r/"
	pMessage     = "m/"
	pItemMessage = "mi/"
	pState       = "o/"
	pEntry       = "tel/"
	pEntryKey    = "telk/"
	kEntrySeq    = "q/tel"

	pAgenda        = "ag/e/"
	kAgendaSeq     = "ag/n"
	pAgendaDay     = "ag/d/"
	pAgendaWide    = "ag/r/"
	pAgendaUID     = "ag/u/"
	pAgendaPending = "ag/p/"
	pSend          = "sl/"
	pSlot          = "sj/"
	pSendFail      = "sf/"
	pLink          = "lk/"
	pOutbox        = "ob/"
	pProposal      = "em/"
	pProposalMsgID = "emi/"
	kProposalSeq   = "q/em"
	kOutboxSeq     = "q/outbox"
)

// eventTTL is how long a handled chat event is remembered. Slack retries for
// minutes and Telegram keeps updates for a day; a week is ample.
const eventTTL = 7 * 24 * time.Hour

func key(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func (t *Txn) get(k []byte) ([]byte, error) {
	item, err := t.txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", k, err)
	}
	return item.ValueCopy(nil)
}

func (t *Txn) exists(k []byte) (bool, error) {
	_, err := t.txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (t *Txn) set(k, v []byte) error {
	if err := t.remember(k); err != nil {
		return err
	}
	return t.txn.Set(k, v)
}

func (t *Txn) del(k []byte) error {
	if err := t.remember(k); err != nil {
		return err
	}
	return t.txn.Delete(k)
}

// setEntry writes an entry with options (a time to live).
func (t *Txn) setEntry(e *badger.Entry) error {
	if err := t.remember(e.Key); err != nil {
		return err
	}
	return t.txn.SetEntry(e)
}

// handOut notes a registration number given in this transaction, for the
// integrity record.
func (t *Txn) handOut(year int, n uint64) {
	if t.numbers == nil {
		t.numbers = map[int]uint64{}
	}
	t.numbers[year] = max(t.numbers[year], n)
}

func (t *Txn) getJSON(k []byte, v any) error {
	b, err := t.get(k)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (t *Txn) setJSON(k []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", k, err)
	}
	return t.set(k, b)
}

// next increments the counter at k and returns its new value.
func (t *Txn) next(k []byte) (uint64, error) {
	var n uint64
	b, err := t.get(k)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return 0, err
	default:
		n = binary.BigEndian.Uint64(b)
	}
	n++
	return n, t.set(k, binary.BigEndian.AppendUint64(nil, n))
}

// readJSON reads one JSON value outside a write.
func readJSON(txn *badger.Txn, k []byte, v any) error {
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("get %q: %w", k, err)
	}
	return item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

// scan calls fn for each key under prefix, in key order, without values.
func scanKeys(txn *badger.Txn, prefix []byte, fn func(k []byte) bool) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		if !fn(it.Item().Key()) {
			return
		}
	}
}

// scanValues calls fn for each key and value under prefix, in key order.
func scanValues(txn *badger.Txn, prefix []byte, fn func(k, v []byte) (bool, error)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		var goOn bool
		err := it.Item().Value(func(v []byte) error {
			var err error
			goOn, err = fn(it.Item().Key(), v)
			return err
		})
		if err != nil || !goOn {
			return err
		}
	}
	return nil
}

// Snapshot returns every live key and value. It is meant for verification
// (tests, and checking a restored backup key by key), not for serving.
func (s *Store) Snapshot() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(txn *badger.Txn) error {
		return scanValues(txn, nil, func(k, v []byte) (bool, error) {
			out[string(k)] = string(v)
			return true, nil
		})
	})
	return out, err
}
