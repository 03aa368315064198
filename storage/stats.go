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

// The statistics. Reports must read a year of a million items in well under
// a second, which per-item keys cannot do (iterating a million Badger keys
// alone takes most of a second here). So every item has a fixed-size record
// of 20 bytes in a block of 32 consecutive numbers, one key per block; and
// the answers given each day are counted per department and category.
// putItem keeps both right in the same transaction as the record:
//
//	x/rs/<year>/<block>             32 slots: the items <year>/<block·32 … block·32+31>
//	x/ra/<date>                     answers dated that day: entries of 11 bytes, department
//	                                code (uint16), category code, count and on time (uint32)
//	q/sd/<kind>/<name>              the code of a name (uint16); kinds: d (department),
//	                                c (category), s (sender type); code 0 is ""
//	q/sn/<kind>                     the last code given for a kind
//	q/stats                         the version of all this
//
// A slot is:
//
//	[0]      1 when the slot holds an item
//	[1]      status, as its index in Statuses
//	[2:6]    day of registration (Day, int32, big endian)
//	[6:10]   deadline (Day)
//	[10:12]  deadline minute of the day for deadlines in hours; 0xFFFF none
//	[12:16]  answer date (Day; 0 none)
//	[16:18]  department code
//	[18]     category code
//	[19]     sender type code
const (
	statVersion = 3
	slotSize    = 20
	blockItems  = 32
	blockSize   = slotSize * blockItems
)

// The statistics key prefixes (documented with the others in keys.go).
const (
	pStatBlock    = "x/rs/"
	pStatAnswers  = "x/ra/"
	pStatCode     = "q/sd/"
	pStatCodeSeq  = "q/sn/"
	kStatsVersion = "q/stats"
)

// The kinds of coded names.
const (
	codeDept     = "d"
	codeCategory = "c"
	codeSender   = "s"
)

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

// Answers counts the answers given on one day by one department in one
// category.
type Answers struct {
	Day      Day
	Dept     string // "" for items resolved while unassigned
	Category string
	Count    int
	OnTime   int // answered on or before the deadline
}

func blockKey(n Number) []byte {
	return key(pStatBlock, fmt.Sprintf("%04d/%08d", n.Year, n.Seq/blockItems))
}

func answersKey(day Day) []byte { return key(pStatAnswers, day.ISO()) }

// answerEntry is the size of one department and category's answers of a day.
const answerEntry = 11

// code returns the code of a name of a kind, giving it the next one when it
// has none. "" is 0.
func (t *Txn) code(kind, name string, limit int) (int, error) {
	if name == "" {
		return 0, nil
	}
	k := key(pStatCode, kind, "/", name)
	if t.undo != nil {
		if n, ok := t.undo.codes[string(k)]; ok {
			return n, nil
		}
	}
	b, err := t.get(k)
	if err == nil && len(b) == 2 {
		n := int(binary.BigEndian.Uint16(b))
		if t.undo != nil {
			if t.undo.codes == nil {
				t.undo.codes = map[string]int{}
			}
			t.undo.codes[string(k)] = n
		}
		return n, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	n, err := t.next(key(pStatCodeSeq, kind))
	if err != nil {
		return 0, err
	}
	if int(n) > limit {
		return 0, fmt.Errorf("statistics: more than %d names of kind %s", limit, kind)
	}
	return int(n), t.set(k, binary.BigEndian.AppendUint16(nil, uint16(n)))
}

// slot encodes an item's statistics record.
func (t *Txn) slot(it *Item) ([]byte, error) {
	st := -1
	for i, s := range Statuses {
		if s == it.Status {
			st = i
		}
	}
	if st < 0 {
		return nil, fmt.Errorf("item %s: unknown status %q", it.Number, it.Status)
	}
	reg, _ := DayOf(isoDay(it.Registered))
	judged := it.Deadline
	if it.LegalDeadline != "" {
		judged = it.LegalDeadline // reports judge against the legal term
	}
	deadline, ok := DayOf(judged)
	if !ok && judged != "" {
		return nil, fmt.Errorf("item %s: bad deadline %q", it.Number, it.Deadline)
	}
	minute := uint16(0xFFFF)
	if it.DeadlineTime != "" {
		tm, err := time.Parse("15:04", it.DeadlineTime)
		if err != nil {
			return nil, fmt.Errorf("item %s: bad deadline time %q", it.Number, it.DeadlineTime)
		}
		minute = uint16(tm.Hour()*60 + tm.Minute())
	}
	var answered Day
	if it.AnswerDate != "" {
		if answered, ok = DayOf(it.AnswerDate); !ok {
			return nil, fmt.Errorf("item %s: bad answer date %q", it.Number, it.AnswerDate)
		}
	}
	dept, err := t.code(codeDept, it.Dept, 0xFFFF)
	if err != nil {
		return nil, err
	}
	cat, err := t.code(codeCategory, it.Category, 0xFF)
	if err != nil {
		return nil, err
	}
	sender, err := t.code(codeSender, it.SenderType, 0xFF)
	if err != nil {
		return nil, err
	}
	b := make([]byte, slotSize)
	b[0], b[1] = 1, byte(st)
	binary.BigEndian.PutUint32(b[2:], uint32(reg))
	binary.BigEndian.PutUint32(b[6:], uint32(deadline))
	binary.BigEndian.PutUint16(b[10:], minute)
	binary.BigEndian.PutUint32(b[12:], uint32(answered))
	binary.BigEndian.PutUint16(b[16:], uint16(dept))
	b[18], b[19] = byte(cat), byte(sender)
	return b, nil
}

// putStats writes an item's statistics record into its block, and moves its
// answer from the day, department and category it was counted under (prev)
// to the ones it has now.
func (t *Txn) putStats(prev, it *Item) error {
	s, err := t.slot(it)
	if err != nil {
		return err
	}
	k := blockKey(it.Number)
	block, err := t.getStat(k)
	switch {
	case errors.Is(err, ErrNotFound):
		block = make([]byte, blockSize)
	case err != nil:
		return err
	case len(block) != blockSize:
		return fmt.Errorf("statistics block %s: %d bytes", k, len(block))
	}
	copy(block[it.Number.Seq%blockItems*slotSize:], s)
	if err := t.setStat(k, block); err != nil {
		return err
	}
	var before, after []byte // the slots whose answers count, if any
	if prev != nil && prev.Status == StatusResolved && prev.AnswerDate != "" {
		if before, err = t.slot(prev); err != nil {
			return err
		}
	}
	if it.Status == StatusResolved && it.AnswerDate != "" {
		after = s
	}
	if before != nil && after != nil && bytes.Equal(before[12:19], after[12:19]) && answeredOnTime(before) == answeredOnTime(after) {
		return nil // counted where it was: same day, department, category, timeliness
	}
	if before != nil {
		if err := t.countAnswer(before, -1); err != nil {
			return err
		}
	}
	if after != nil {
		return t.countAnswer(after, +1)
	}
	return nil
}

// getStat reads a statistics key, from the step's kept rewrites first
// (Txn.later).
func (t *Txn) getStat(k []byte) ([]byte, error) {
	if v, ok := t.later[string(k)]; ok {
		if len(v) == 0 {
			return nil, ErrNotFound
		}
		return v, nil
	}
	return t.get(k)
}

// setStat writes a statistics key (deletes it when v is empty), or keeps it
// for the end of the step when the step keeps them (Txn.later).
func (t *Txn) setStat(k, v []byte) error {
	switch {
	case t.later != nil:
		t.later[string(k)] = v
		return nil
	case len(v) == 0:
		return t.del(k)
	}
	return t.set(k, v)
}

// flushLater writes the statistics keys the step kept, once each.
func (t *Txn) flushLater() error {
	later := t.later
	t.later = nil
	for k, v := range later {
		if err := t.setStat([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

func answeredOnTime(slot []byte) bool {
	return binary.BigEndian.Uint32(slot[12:]) <= binary.BigEndian.Uint32(slot[6:])
}

// countAnswer adds delta to the answers of a slot's day, department and
// category.
func (t *Txn) countAnswer(slot []byte, delta int) error {
	k := answersKey(Day(int32(binary.BigEndian.Uint32(slot[12:]))))
	v, err := t.getStat(k)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return err
	case len(v)%answerEntry != 0:
		return fmt.Errorf("answers %s: %d bytes", k, len(v))
	}
	id := slot[16:19] // department code and category code
	at := -1
	for i := 0; i < len(v); i += answerEntry {
		if bytes.Equal(v[i:i+3], id) {
			at = i
			break
		}
	}
	if at < 0 {
		at = len(v)
		v = append(append(v, id...), make([]byte, 8)...)
	}
	e := v[at : at+answerEntry]
	count := int(binary.BigEndian.Uint32(e[3:])) + delta
	onTime := int(binary.BigEndian.Uint32(e[7:]))
	if answeredOnTime(slot) {
		onTime += delta
	}
	if count <= 0 {
		v = append(v[:at], v[at+answerEntry:]...)
	} else {
		binary.BigEndian.PutUint32(e[3:], uint32(count))
		binary.BigEndian.PutUint32(e[7:], uint32(max(onTime, 0)))
	}
	return t.setStat(k, v) // empty: deleted
}

// names reads the code tables: kind → code → name.
func names(txn *badger.Txn) (map[string][]string, error) {
	out := map[string][]string{codeDept: {""}, codeCategory: {""}, codeSender: {""}}
	err := scanValues(txn, []byte(pStatCode), func(k, v []byte) (bool, error) {
		kind, name, ok := bytes.Cut(k[len(pStatCode):], []byte("/"))
		if !ok || len(v) != 2 {
			return false, fmt.Errorf("statistics code %q: malformed", k)
		}
		code := int(binary.BigEndian.Uint16(v))
		list := out[string(kind)]
		for len(list) <= code {
			list = append(list, "")
		}
		list[code] = string(name)
		out[string(kind)] = list
		return true, nil
	})
	return out, err
}

func nameOf(list []string, code int) string {
	if code < len(list) {
		return list[code]
	}
	return ""
}

// StatsRegistered calls fn with the statistics of every item registered from
// one day to another (inclusive, YYYY-MM-DD), in order of number. The Stat
// is reused between calls: copy it to keep it. fn returning false stops the
// scan. It reads the blocks of the years the period touches: 31,250 keys
// for a year of a million items.
func (s *Store) StatsRegistered(from, to string, fn func(*Stat) bool) error {
	first, ok1 := DayOf(from)
	last, ok2 := DayOf(to)
	if !ok1 || !ok2 {
		return fmt.Errorf("statistics: bad period %q–%q", from, to)
	}
	return s.view(func(txn *badger.Txn) error {
		codes, err := names(txn)
		if err != nil {
			return err
		}
		depts, cats, senders := codes[codeDept], codes[codeCategory], codes[codeSender]
		var st Stat
		fy, _, _ := first.Date()
		ly, _, _ := last.Date()
		for year := fy; year <= ly; year++ {
			prefix := key(pStatBlock, fmt.Sprintf("%04d/", year))
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			stop := false
			for it.Seek(prefix); it.ValidForPrefix(prefix) && !stop; it.Next() {
				item := it.Item()
				block, ok := digits(string(item.Key()[len(prefix):]))
				if !ok {
					it.Close()
					return fmt.Errorf("statistics block %q: bad key", item.Key())
				}
				verr := item.Value(func(v []byte) error {
					if len(v) != blockSize {
						return fmt.Errorf("statistics block %q: %d bytes", item.Key(), len(v))
					}
					for i := 0; i < blockItems && !stop; i++ {
						sl := v[i*slotSize : (i+1)*slotSize]
						if sl[0] != 1 {
							continue
						}
						reg := Day(int32(binary.BigEndian.Uint32(sl[2:])))
						if reg < first || reg > last {
							continue
						}
						if int(sl[1]) >= len(Statuses) {
							return fmt.Errorf("statistics block %q: bad status", item.Key())
						}
						st = Stat{Number: Number{Year: year, Seq: block*blockItems + i}, Registered: reg,
							Deadline: Day(int32(binary.BigEndian.Uint32(sl[6:]))), DeadlineMinute: -1,
							Answered: Day(int32(binary.BigEndian.Uint32(sl[12:]))), Status: Statuses[sl[1]],
							Dept:     nameOf(depts, int(binary.BigEndian.Uint16(sl[16:]))),
							Category: nameOf(cats, int(sl[18])), SenderType: nameOf(senders, int(sl[19]))}
						if m := binary.BigEndian.Uint16(sl[10:]); m != 0xFFFF {
							st.DeadlineMinute = int(m)
						}
						stop = !fn(&st)
					}
					return nil
				})
				if verr != nil {
					it.Close()
					return verr
				}
			}
			it.Close()
			if stop {
				return nil
			}
		}
		return nil
	})
}

// AnswersBetween calls fn with the answers given from one day to another
// (inclusive, YYYY-MM-DD), whenever the items were registered, per day,
// department and category.
func (s *Store) AnswersBetween(from, to string, fn func(*Answers) bool) error {
	return s.view(func(txn *badger.Txn) error {
		codes, err := names(txn)
		if err != nil {
			return err
		}
		p := []byte(pStatAnswers)
		end := key(pStatAnswers, to)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true})
		defer it.Close()
		var a Answers
		for it.Seek(key(pStatAnswers, from)); it.ValidForPrefix(p); it.Next() {
			item := it.Item()
			k := item.Key()
			if bytes.Compare(k, end) > 0 {
				break
			}
			day, ok := DayOf(string(k[len(p):]))
			if !ok {
				return fmt.Errorf("answers key %q: malformed", k)
			}
			stop := false
			err := item.Value(func(v []byte) error {
				if len(v)%answerEntry != 0 {
					return fmt.Errorf("answers %q: %d bytes", k, len(v))
				}
				for i := 0; i < len(v) && !stop; i += answerEntry {
					e := v[i : i+answerEntry]
					a = Answers{Day: day, Dept: nameOf(codes[codeDept], int(binary.BigEndian.Uint16(e))),
						Category: nameOf(codes[codeCategory], int(e[2])),
						Count:    int(binary.BigEndian.Uint32(e[3:])), OnTime: int(binary.BigEndian.Uint32(e[7:]))}
					stop = !fn(&a)
				}
				return nil
			})
			if err != nil || stop {
				return err
			}
		}
		return nil
	})
}

// ReadItems calls fn with the records of the given items, in the order given;
// numbers without a record are skipped. It is for exports, which need whole
// records: reports use the statistics.
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

// buildStats writes the statistics of every item when the database predates
// them (or has an older version of them), then records the version: a
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
	if have != nil {
		// An older version: nothing writes yet, clear what it left.
		if err := s.db.DropPrefix([]byte(pStatBlock), []byte(pStatAnswers), []byte(pStatCode), []byte(pStatCodeSeq)); err != nil {
			return fmt.Errorf("clear the old statistics: %w", err)
		}
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
		s.log.Info("building the statistics", "items", len(nums))
	}
	ctx := context.Background()
	for start := 0; start < len(nums); start += statsBatch {
		chunk := nums[start:min(len(nums), start+statsBatch)]
		err := s.updateState(ctx, func(t *Txn) error {
			for _, n := range chunk {
				var it Item
				if err := t.getJSON(itemKey(n), &it); err != nil {
					return fmt.Errorf("item %s: %w", n, err)
				}
				if err := t.putStats(nil, &it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("build the statistics: %w", err)
		}
	}
	return s.updateState(ctx, func(t *Txn) error { return t.set([]byte(kStatsVersion), want) })
}
