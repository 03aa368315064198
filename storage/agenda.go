package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// KindAgenda is the audit kind of agenda events.
const KindAgenda = "g"

// Agenda statuses, as kept in storage.
const (
	AgendaConfirmed = "confirmat"
	AgendaTentative = "provizoriu"
	AgendaCancelled = "anulat"
)

// AgendaEvent is one entry of the Mayor's work agenda: a meeting, an
// audience, a council session, a site visit. A recurring event is one record
// (its first occurrence, a recurrence rule and the exceptions of single
// occurrences); its occurrences are computed by the commands, never stored.
//
// Times are instants. Recurrences keep the wall-clock time of Start in Zone
// (an event at 10:00 stays at 10:00 local across daylight-saving changes).
type AgendaEvent struct {
	ID  int    `json:"id"`
	UID string `json:"uid"` // the iCalendar UID, kept across export and import
	// Start and End are the first occurrence (End is exclusive; End equal to
	// Start: no stated end).
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	AllDay bool      `json:"all_day,omitempty"` // a whole-day event (iCalendar DATE values)
	// Zone is the IANA zone whose wall clock the recurrence follows; empty
	// means Europe/Bucharest.
	Zone         string `json:"zone,omitempty"`
	Title        string `json:"title"`
	Place        string `json:"place,omitempty"`
	Participants string `json:"participants,omitempty"`
	Dept         string `json:"dept,omitempty"` // the department that prepares it (code)
	Notes        string `json:"notes,omitempty"`
	Status       string `json:"status"` // confirmat, provizoriu, anulat
	Private      bool   `json:"private,omitempty"`
	// Rule is an iCalendar RRULE value without DTSTART (FREQ=WEEKLY…);
	// empty for a single event.
	Rule   string      `json:"rule,omitempty"`
	RDates []time.Time `json:"rdates,omitempty"` // extra occurrences (iCalendar RDATE)
	// Exceptions change single occurrences of a recurring event. The key is
	// the occurrence's original start as wall-clock time in Zone, written as
	// an iCalendar RECURRENCE-ID: 20261202T100000.
	Exceptions map[string]AgendaException `json:"exceptions,omitempty"`
	Created    time.Time                  `json:"created"`
	CreatedBy  string                     `json:"created_by,omitempty"`
	Updated    time.Time                  `json:"updated,omitzero"`
	// BriefDue is when the preparing department's briefing note is due
	// (nota-pana); zero: the default (the working day before, 14:00).
	BriefDue time.Time `json:"brief_due,omitzero"`
	// Briefs are the briefing notes delivered, oldest first: the last one
	// for an occurrence is the current one, the others its history.
	Briefs []Brief `json:"briefs,omitempty"`
	// AudienceSlot, on a day of audiences (audiente deschide), is the length
	// of one slot in minutes.
	AudienceSlot int `json:"audience_slot,omitempty"`
}

// Brief is a briefing note delivered for an event (or one occurrence of a
// recurring event): a stored file (files.go), who delivered it and when.
type Brief struct {
	// Occurrence is the occurrence's RECURRENCE-ID (20261202T100000), empty
	// for a single event.
	Occurrence string    `json:"occurrence,omitempty"`
	File       FileRef   `json:"file"`
	By         string    `json:"by"`                // chat identity
	ByName     string    `json:"by_name,omitempty"` // as shown
	At         time.Time `json:"at"`
}

// AgendaException changes one occurrence of a recurring event. Empty fields
// keep the series' values.
type AgendaException struct {
	Removed      bool      `json:"removed,omitempty"` // it does not take place (iCalendar EXDATE)
	Start        time.Time `json:"start,omitzero"`    // moved to
	End          time.Time `json:"end,omitzero"`
	Title        string    `json:"title,omitempty"`
	Place        string    `json:"place,omitempty"`
	Participants string    `json:"participants,omitempty"`
	Notes        string    `json:"notes,omitempty"`
	Status       string    `json:"status,omitempty"` // anulat: this occurrence is cancelled
}

// Recurring reports whether the event has more than one occurrence.
func (ev *AgendaEvent) Recurring() bool { return ev.Rule != "" || len(ev.RDates) > 0 }

// Clone returns a deep copy.
func (ev AgendaEvent) Clone() AgendaEvent {
	ev.RDates = slices.Clone(ev.RDates)
	ev.Exceptions = maps.Clone(ev.Exceptions)
	ev.Briefs = slices.Clone(ev.Briefs)
	return ev
}

// agendaWide is how long a single event may last and still be indexed by
// day; longer ones are read for every range, like recurring ones.
const agendaWide = 31 * 24 * time.Hour

func agendaID(id int) string           { return fmt.Sprintf("%08d", id) }
func agendaKey(id int) []byte          { return key(pAgenda, agendaID(id)) }
func agendaUIDKey(uid string) []byte   { return key(pAgendaUID, uidPart(uid)) }
func agendaPendingKey(w string) []byte { return key(pAgendaPending, w) }

// uidPart keeps short UIDs readable in keys and hashes long ones.
func uidPart(uid string) string {
	if len(uid) <= 160 {
		return uid
	}
	sum := sha256.Sum256([]byte(uid))
	return "#" + hex.EncodeToString(sum[:])
}

// agendaIndexes lists the index keys of an event: by UTC day for a single
// event (every day it touches), or the always-read list for a recurring or
// very long one; and its UID.
func (ev *AgendaEvent) indexes() []indexEntry {
	id := agendaID(ev.ID)
	out := []indexEntry{{k: agendaUIDKey(ev.UID), v: []byte(strconv.Itoa(ev.ID))}}
	if ev.Recurring() || ev.End.Sub(ev.Start) > agendaWide {
		return append(out, indexEntry{k: key(pAgendaWide, id)})
	}
	day := ev.Start.UTC().Truncate(24 * time.Hour)
	for {
		out = append(out, indexEntry{k: key(pAgendaDay, day.Format("2006-01-02"), "/", id)})
		day = day.Add(24 * time.Hour)
		if !day.Before(ev.End.UTC()) {
			return out
		}
	}
}

// putAgenda writes an event and its indexes, replacing those of its previous
// state (nil for a new event).
func (t *Txn) putAgenda(prev, ev *AgendaEvent) error {
	if prev != nil {
		for _, e := range prev.indexes() {
			if err := t.del(e.k); err != nil {
				return err
			}
		}
	}
	for _, e := range ev.indexes() {
		if err := t.set(e.k, e.v); err != nil {
			return err
		}
	}
	return t.setJSON(agendaKey(ev.ID), ev)
}

// addAgenda gives ev the next ID (and a UID when it has none) and writes it.
func (t *Txn) addAgenda(ev *AgendaEvent, m Meta, action string) error {
	if ev.UID != "" {
		if ok, err := t.exists(agendaUIDKey(ev.UID)); err != nil || ok {
			if ok {
				return fmt.Errorf("agenda event %s: %w", ev.UID, ErrExists)
			}
			return err
		}
	}
	n, err := t.next([]byte(kAgendaSeq))
	if err != nil {
		return err
	}
	ev.ID = int(n)
	if ev.UID == "" {
		ev.UID = fmt.Sprintf("%d.%d@cabinetbot", ev.ID, ev.Created.Unix())
	}
	if err := t.putAgenda(nil, ev); err != nil {
		return err
	}
	return t.audit(m, KindAgenda, strconv.Itoa(ev.ID), action, nil, ev, "")
}

// AddAgendaEvent gives the event the next ID and writes it, its indexes and
// its audit entry in one transaction. When m.EventID was already handled,
// nothing is written and the event saved the first time is returned with
// replay set.
func (s *Store) AddAgendaEvent(ctx context.Context, ev AgendaEvent, m Meta) (saved AgendaEvent, replay bool, err error) {
	err = s.update(ctx, func(t *Txn) error {
		saved, replay = ev.Clone(), false
		earlier, seen, err := t.claimEvent(m, "")
		if err != nil {
			return err
		}
		if seen {
			id, err := strconv.Atoi(earlier)
			if err != nil {
				return fmt.Errorf("event %s was handled without an agenda ID", m.EventID)
			}
			saved, replay = AgendaEvent{}, true
			return t.getJSON(agendaKey(id), &saved)
		}
		if err := t.addAgenda(&saved, m, "add"); err != nil {
			return err
		}
		if m.EventID != "" {
			if err := t.setEvent(eventKey(m.EventID), eventState{State: EventApplied, Result: strconv.Itoa(saved.ID)}); err != nil {
				return err
			}
		}
		return t.owe(m, Made{Events: []AgendaEvent{saved}})
	})
	return saved, replay, err
}

// ChangeAgendaEvent reads an event, lets fn change it and writes it back with
// its indexes and an audit entry (before and after), in one transaction.
// When fn fails nothing is written; ErrReplay when the chat event was already
// handled.
func (s *Store) ChangeAgendaEvent(ctx context.Context, id int, action, note string, m Meta, fn func(*AgendaEvent) error) (before, after AgendaEvent, err error) {
	return s.changeAgenda(ctx, id, action, note, m, fn, nil)
}

// DeliverBrief adds a briefing note to an event: the file (stored before
// with PutFile) is referenced, the event written with its audit entry and
// the notices it owes, in one transaction.
func (s *Store) DeliverBrief(ctx context.Context, id int, b Brief, m Meta) (before, after AgendaEvent, err error) {
	owner := fmt.Sprintf("%s%s/brief/%s/%d", pAgenda, agendaID(id), b.Occurrence, b.At.UnixNano())
	return s.changeAgenda(ctx, id, "brief", b.File.Name, m, func(ev *AgendaEvent) error {
		ev.Briefs = append(ev.Briefs, b)
		return nil
	}, func(t *Txn) error { return t.UseFile(b.File, owner) })
}

func (s *Store) changeAgenda(ctx context.Context, id int, action, note string, m Meta, fn func(*AgendaEvent) error, also func(*Txn) error) (before, after AgendaEvent, err error) {
	err = s.update(ctx, func(t *Txn) error {
		if _, seen, err := t.claimEvent(m, action); err != nil || seen {
			if seen {
				return ErrReplay
			}
			return err
		}
		before = AgendaEvent{}
		if err := t.getJSON(agendaKey(id), &before); err != nil {
			return fmt.Errorf("agenda event %d: %w", id, err)
		}
		after = before.Clone()
		if err := fn(&after); err != nil {
			return err
		}
		after.ID, after.UID = before.ID, before.UID
		after.Updated = m.At
		if err := t.putAgenda(&before, &after); err != nil {
			return err
		}
		if also != nil {
			if err := also(t); err != nil {
				return err
			}
		}
		if err := t.audit(m, KindAgenda, strconv.Itoa(id), action, before, after, note); err != nil {
			return err
		}
		return t.owe(m, Made{Events: []AgendaEvent{before, after}})
	})
	return before, after, err
}

// importBatch is how many imported events share a transaction: a year of
// events with their audit entries would overflow one.
const importBatch = 200

// ImportAgenda writes imported events: an event whose UID is already stored
// replaces it (keeping its ID and creation), the others are added. It
// returns the events as saved, and which of them were updates. Events are
// written in transactions of importBatch, as one journaled change
// (journal.go): when one fails, or the process is killed part-way, the agenda
// is left as it was before the import. A chat event already handled changes
// nothing (ErrReplay).
func (s *Store) ImportAgenda(ctx context.Context, events []AgendaEvent, m Meta) (saved []AgendaEvent, updated []bool, err error) {
	err = s.journaled(ctx, func(j *journal) error {
		saved, updated = nil, nil
		for start := 0; start < len(events); start += importBatch {
			batch := events[start:min(start+importBatch, len(events))]
			var bs []AgendaEvent
			var bu []bool
			err := j.Step(func(t *Txn) error {
				bs, bu = nil, nil
				if start == 0 {
					if _, seen, err := t.claimEvent(m, "import"); err != nil || seen {
						if seen {
							return ErrReplay
						}
						return err
					}
				}
				for _, in := range batch {
					ev, up, err := t.importOne(in, m)
					if err != nil {
						return err
					}
					bs, bu = append(bs, ev), append(bu, up)
				}
				return t.owe(m, Made{Events: bs})
			})
			if err != nil {
				return err
			}
			saved, updated = append(saved, bs...), append(updated, bu...)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return saved, updated, nil
}

// importOne adds an imported event, or replaces the one with its UID.
func (t *Txn) importOne(in AgendaEvent, m Meta) (AgendaEvent, bool, error) {
	ev := in.Clone()
	b, err := t.get(agendaUIDKey(ev.UID))
	switch {
	case errors.Is(err, ErrNotFound):
		return ev, false, t.addAgenda(&ev, m, "import")
	case err != nil:
		return ev, false, err
	}
	id, err := strconv.Atoi(string(b))
	if err != nil {
		return ev, false, fmt.Errorf("agenda UID index %q: %w", ev.UID, err)
	}
	var before AgendaEvent
	if err := t.getJSON(agendaKey(id), &before); err != nil {
		return ev, false, fmt.Errorf("agenda event %d: %w", id, err)
	}
	ev.ID, ev.Created, ev.CreatedBy, ev.Updated = id, before.Created, before.CreatedBy, m.At
	if err := t.putAgenda(&before, &ev); err != nil {
		return ev, false, err
	}
	return ev, true, t.audit(m, KindAgenda, strconv.Itoa(id), "import-update", before, ev, "")
}

// AgendaEvent returns one event by its ID.
func (s *Store) AgendaEvent(id int) (AgendaEvent, error) {
	var ev AgendaEvent
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, agendaKey(id), &ev) })
	return ev, err
}

// AgendaEventByUID returns the event with an iCalendar UID.
func (s *Store) AgendaEventByUID(uid string) (AgendaEvent, error) {
	var ev AgendaEvent
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get(agendaUIDKey(uid))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("get agenda UID %q: %w", uid, err)
		}
		b, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		id, err := strconv.Atoi(string(b))
		if err != nil {
			return fmt.Errorf("agenda UID index %q: %w", uid, err)
		}
		return readJSON(txn, agendaKey(id), &ev)
	})
	return ev, err
}

// AgendaEvents lists every event, by ID.
func (s *Store) AgendaEvents() ([]AgendaEvent, error) {
	var out []AgendaEvent
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte(pAgenda), func(ev *AgendaEvent) { out = append(out, *ev) })
	})
	return out, err
}

// AgendaBetween returns the events that may have an occurrence between from
// and to: the single events that overlap [from, to) (or start in it), and
// every recurring or very long event, whose occurrences the caller computes.
// Events come in ID order.
func (s *Store) AgendaBetween(from, to time.Time) ([]AgendaEvent, error) {
	ids := map[int]bool{}
	err := s.view(func(txn *badger.Txn) error {
		scanKeys(txn, []byte(pAgendaWide), func(k []byte) bool {
			if id, err := strconv.Atoi(string(k[len(pAgendaWide):])); err == nil {
				ids[id] = true
			}
			return true
		})
		prefix := []byte(pAgendaDay)
		last := to.UTC().Format("2006-01-02")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(key(pAgendaDay, from.UTC().Format("2006-01-02"))); it.ValidForPrefix(prefix); it.Next() {
			k := it.Item().Key()[len(prefix):]
			if len(k) < 11 || string(k[:10]) > last {
				break
			}
			if id, err := strconv.Atoi(string(k[11:])); err == nil {
				ids[id] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sorted := slices.Sorted(maps.Keys(ids))
	out := make([]AgendaEvent, 0, len(sorted))
	err = s.view(func(txn *badger.Txn) error {
		for _, id := range sorted {
			var ev AgendaEvent
			if err := readJSON(txn, agendaKey(id), &ev); err != nil {
				return fmt.Errorf("agenda event %d: %w", id, err)
			}
			if !ev.Recurring() && ev.End.Sub(ev.Start) <= agendaWide && !touches(ev.Start, ev.End, from, to) {
				continue
			}
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

// touches reports whether [start, end) overlaps [from, to); an event without
// a stated end touches the range it starts in.
func touches(start, end, from, to time.Time) bool {
	if !end.After(start) {
		return !start.Before(from) && start.Before(to)
	}
	return start.Before(to) && end.After(from)
}

// PendingAgendaImport is an import that waits for its author's confirmation
// because some of its events were broken: the good events, parsed, and what
// was wrong with the others.
type PendingAgendaImport struct {
	Events   []AgendaEvent `json:"events"`
	Broken   []string      `json:"broken"`
	Warnings []string      `json:"warnings,omitempty"` // remarks on good events (a department unknown here…)
	Files    string        `json:"files"`
	At       time.Time     `json:"at"`
}

// SetPendingAgendaImport keeps an import waiting for the confirmation of who
// (a chat identity) for ttl; a newer one replaces it. It is operational state:
// not audited, and it expires by itself.
func (s *Store) SetPendingAgendaImport(ctx context.Context, who string, p PendingAgendaImport, ttl time.Duration) error {
	return s.update(ctx, func(t *Txn) error {
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("encode pending import: %w", err)
		}
		return t.setEntry(badger.NewEntry(agendaPendingKey(who), b).WithTTL(ttl))
	})
}

// PendingAgendaImport returns the import waiting for who's confirmation;
// ErrNotFound when there is none (or it expired).
func (s *Store) PendingAgendaImport(who string) (PendingAgendaImport, error) {
	var p PendingAgendaImport
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, agendaPendingKey(who), &p) })
	return p, err
}

// DropPendingAgendaImport forgets the import waiting for who's confirmation.
func (s *Store) DropPendingAgendaImport(ctx context.Context, who string) error {
	return s.updateState(ctx, func(t *Txn) error { return t.del(agendaPendingKey(who)) })
}
