package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The statistics indexes. Every item has one compact binary record under its
// day of registration, and resolved items a second one under the day of their
// answer; putItem keeps both right in the same transaction as the record, so
// reports scan small keys and values in day order and never read a record:
//
//	x/rs/<registration day>/<num>  → stat value (every item)
//	x/ra/<answer day>/<num>        → stat value (resolved items)
//
// A stat value is version 1:
//
//	[0]      version (1)
//	[1]      status, as its index in Statuses
//	[2:6]    deadline, days since 1970-01-01 (int32, big endian)
//	[6:8]    deadline minute of the day for deadlines in hours, 0xFFFF for none
//	[8:12]   answer date, days since 1970-01-01 (0: none)
//	[12:]    category, sender type, responsible department: each one length
//	         byte and its bytes
const statVersion = 1

// The statistics key prefixes (documented with the others in keys.go).
const (
	pStatByReg    = "x/rs/"
	pStatByAnswer = "x/ra/"
	kStatsVersion = "q/stats"
)

const statFixed = 12

// Day is a civil date as a number of days since 1970-01-01: compact, and
// subtracting two gives the days between them.
type Day int32

// DayOf returns the Day of a YYYY-MM-DD date; false when s is not one.
func DayOf(iso string) (Day, bool) {
	if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(iso[0:4])
	m, ok2 := digits(iso[5:7])
	d, ok3 := digits(iso[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	return DayFromDate(y, time.Month(m), d), true
}

// DayFromDate returns the Day of a civil date.
func DayFromDate(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Date returns the civil date of the day.
func (d Day) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// ISO writes the day as YYYY-MM-DD.
func (d Day) ISO() string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// Stat is what reports know of an item: its compact statistics record.
type Stat struct {
	Number     Number
	Registered Day
	Deadline   Day
	// DeadlineMinute is the minute of the day of a deadline counted in
	// hours (press requests); -1 for deadlines counted in days.
	DeadlineMinute int
	Answered       Day // the answer date of a resolved item; 0 otherwise
	Status         Status
	Category       string
	SenderType     string
	Dept           string // the responsible department now; "" when unassigned
}

// statIndexes lists the statistics keys of an item in its current state.
func (it *Item) statIndexes() ([]indexEntry, error) {
	v, err := it.statValue()
	if err != nil {
		return nil, err
	}
	id := it.Number.id()
	out := []indexEntry{{k: key(pStatByReg, isoDay(it.Registered), "/", id), v: v}}
	if it.Status == StatusResolved && it.AnswerDate != "" {
		out = append(out, indexEntry{k: key(pStatByAnswer, it.AnswerDate, "/", id), v: v})
	}
	return out, nil
}

func (it *Item) statValue() ([]byte, error) {
	st := -1
	for i, s := range Statuses {
		if s == it.Status {
			st = i
		}
	}
	if st < 0 {
		return nil, fmt.Errorf("item %s: unknown status %q", it.Number, it.Status)
	}
	deadline, ok := DayOf(it.Deadline)
	if !ok && it.Deadline != "" {
		return nil, fmt.Errorf("item %s: bad deadline %q", it.Number, it.Deadline)
	}
	minute := uint16(0xFFFF)
	if it.DeadlineTime != "" {
		t, err := time.Parse("15:04", it.DeadlineTime)
		if err != nil {
			return nil, fmt.Errorf("item %s: bad deadline time %q", it.Number, it.DeadlineTime)
		}
		minute = uint16(t.Hour()*60 + t.Minute())
	}
	var answered Day
	if it.AnswerDate != "" {
		if answered, ok = DayOf(it.AnswerDate); !ok {
			return nil, fmt.Errorf("item %s: bad answer date %q", it.Number, it.AnswerDate)
		}
	}
	b := make([]byte, statFixed, statFixed+3+len(it.Category)+len(it.SenderType)+len(it.Dept))
	b[0], b[1] = statVersion, byte(st)
	binary.BigEndian.PutUint32(b[2:], uint32(deadline))
	binary.BigEndian.PutUint16(b[6:], minute)
	binary.BigEndian.PutUint32(b[8:], uint32(answered))
	for _, s := range []string{it.Category, it.SenderType, it.Dept} {
		if len(s) > 255 {
			s = s[:255]
		}
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	return b, nil
}

// statReader decodes stat keys and values, keeping one copy of each distinct
// category, sender type and department string (there are few): a scan of a
// million items allocates almost nothing.
type statReader struct {
	intern map[string]string
	day    []byte // the day part of the last key, and its value
	dayVal Day
}

func newStatReader() *statReader { return &statReader{intern: map[string]string{}} }

func (r *statReader) str(b []byte) string {
	if s, ok := r.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	r.intern[s] = s
	return s
}

// decode reads a key (<prefix><YYYY-MM-DD>/<YYYY>/<NNNNNNNN>) and its value
// into st. For the answer index the key's day is the answer day; the
// registration day is then unknown (0).
func (r *statReader) decode(prefixLen int, k, v []byte, st *Stat, byReg bool) error {
	rest := k[prefixLen:]
	if len(rest) != len("2026-11-25/2026/00000012") {
		return fmt.Errorf("stat key %q: bad length", k)
	}
	day := rest[:10]
	if !bytes.Equal(day, r.day) {
		d, ok := DayOf(string(day))
		if !ok {
			return fmt.Errorf("stat key %q: bad day", k)
		}
		r.day, r.dayVal = append(r.day[:0], day...), d
	}
	y, ok1 := digits(string(rest[11:15]))
	n, ok2 := digits(string(rest[16:]))
	if !ok1 || !ok2 {
		return fmt.Errorf("stat key %q: bad number", k)
	}
	if len(v) < statFixed || v[0] != statVersion || int(v[1]) >= len(Statuses) {
		return fmt.Errorf("stat value of %q: bad header", k)
	}
	st.Number = Number{Year: y, Seq: n}
	st.Registered = 0
	if byReg {
		st.Registered = r.dayVal
	}
	st.Status = Statuses[v[1]]
	st.Deadline = Day(int32(binary.BigEndian.Uint32(v[2:])))
	st.DeadlineMinute = -1
	if m := binary.BigEndian.Uint16(v[6:]); m != 0xFFFF {
		st.DeadlineMinute = int(m)
	}
	st.Answered = Day(int32(binary.BigEndian.Uint32(v[8:])))
	p := v[statFixed:]
	for _, dst := range []*string{&st.Category, &st.SenderType, &st.Dept} {
		if len(p) < 1 || len(p) < 1+int(p[0]) {
			return fmt.Errorf("stat value of %q: truncated", k)
		}
		*dst = r.str(p[1 : 1+p[0]])
		p = p[1+p[0]:]
	}
	return nil
}

// errStopScan ends a scan early without an error.
var errStopScan = errors.New("stop")

// StatsRegistered calls fn with the statistics of every item registered from
// one day to another (inclusive, YYYY-MM-DD), in order of registration. The
// Stat is reused between calls: copy it to keep it. fn returning false stops
// the scan.
func (s *Store) StatsRegistered(from, to string, fn func(*Stat) bool) error {
	return s.scanStats(pStatByReg, from, to, true, fn)
}

// StatsAnswered calls fn with the statistics of every resolved item whose
// answer date is from one day to another (inclusive), in order of answer
// date. Their Registered is 0: only the answer day is in the key.
func (s *Store) StatsAnswered(from, to string, fn func(*Stat) bool) error {
	return s.scanStats(pStatByAnswer, from, to, false, fn)
}

func (s *Store) scanStats(prefix, from, to string, byReg bool, fn func(*Stat) bool) error {
	return s.view(func(txn *badger.Txn) error {
		p := []byte(prefix)
		// Values are a few dozen bytes and live in the LSM tree beside their
		// keys: reading them in place is cheaper than prefetching copies.
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
		defer it.Close()
		r := newStatReader()
		var st Stat
		end := key(prefix, to, "/\xff")
		for it.Seek(key(prefix, from)); it.ValidForPrefix(p); it.Next() {
			item := it.Item()
			k := item.Key()
			if bytes.Compare(k, end) > 0 {
				break
			}
			err := item.Value(func(v []byte) error {
				if err := r.decode(len(p), k, v, &st, byReg); err != nil {
					return err
				}
				if !fn(&st) {
					return errStopScan
				}
				return nil
			})
			if errors.Is(err, errStopScan) {
				return nil
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ReadItems calls fn with the records of the given items, in the order given;
// numbers without a record are skipped. It is for exports, which need whole
// records: reports use the statistics indexes.
func (s *Store) ReadItems(nums []Number, fn func(*Item) error) error {
	return s.view(func(txn *badger.Txn) error {
		for _, n := range nums {
			var it Item
			err := readJSON(txn, itemKey(n), &it)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("item %s: %w", n, err)
			}
			if err := fn(&it); err != nil {
				return err
			}
		}
		return nil
	})
}

// statsBatch is how many items one rebuild transaction rewrites.
const statsBatch = 500

// buildStats writes the statistics indexes of every item when the database
// predates them (or an older version of them), then records the version: a
// database written by an earlier release gets its reports right at the first
// start. It costs one key lookup on every later start.
func (s *Store) buildStats() error {
	want := []byte{statVersion}
	var have []byte
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kStatsVersion))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		have, err = item.ValueCopy(nil)
		return err
	})
	if err != nil || bytes.Equal(have, want) {
		return err
	}
	var nums []Number
	err = s.view(func(txn *badger.Txn) error {
		scanKeys(txn, []byte(pItem), func(k []byte) bool {
			if n, ok := numberFromID(string(k[len(pItem):])); ok {
				nums = append(nums, n)
			}
			return true
		})
		return nil
	})
	if err != nil {
		return fmt.Errorf("list items for the statistics: %w", err)
	}
	if len(nums) > 0 {
		s.log.Info("building the statistics indexes", "items", len(nums))
	}
	ctx := context.Background()
	for start := 0; start < len(nums); start += statsBatch {
		chunk := nums[start:min(len(nums), start+statsBatch)]
		err := s.update(ctx, func(t *Txn) error {
			for _, n := range chunk {
				var it Item
				if err := t.getJSON(itemKey(n), &it); err != nil {
					return fmt.Errorf("item %s: %w", n, err)
				}
				stats, err := it.statIndexes()
				if err != nil {
					return err
				}
				for _, e := range stats {
					if err := t.set(e.k, e.v); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("build the statistics indexes: %w", err)
		}
	}
	return s.update(ctx, func(t *Txn) error { return t.set([]byte(kStatsVersion), want) })
}
