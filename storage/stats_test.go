package storage

import (
	"context"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func collectStats(t *testing.T, s *Store, from, to string) []Stat {
	t.Helper()
	var out []Stat
	if err := s.StatsRegistered(from, to, func(st *Stat) bool { out = append(out, *st); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func collectAnswers(t *testing.T, s *Store, from, to string) []Answers {
	t.Helper()
	var out []Answers
	if err := s.AnswersBetween(from, to, func(a *Answers) bool { out = append(out, *a); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func day(t *testing.T, iso string) Day {
	t.Helper()
	d, ok := DayOf(iso)
	if !ok {
		t.Fatalf("bad day %q", iso)
	}
	return d
}

func TestDay(t *testing.T) {
	d := day(t, "2026-11-25")
	if d.ISO() != "2026-11-25" || day(t, "2026-12-28")-d != 33 || day(t, "1970-01-02") != 1 {
		t.Fatalf("day arithmetic: %d %s", d, d.ISO())
	}
	for _, bad := range []string{"", "2026-13-01", "2026/11/25", "2026-11-2x", "26-11-25"} {
		if _, ok := DayOf(bad); ok {
			t.Errorf("DayOf(%q) accepted", bad)
		}
	}
}

// TestStatsFollowEveryChange: the statistics record of an item is written
// with the item and rewritten on every change in the same transaction; a
// reassigned item has one record, under its current department; an answer
// is counted under its day, department and category, and moved or taken
// back when they change.
func TestStatsFollowEveryChange(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	press := item("Buget")
	press.Category, press.SenderType, press.Deadline, press.DeadlineTime = "presa", "presa", "2026-11-26", "10:00"
	a, _, _ := s.Register(ctx, 2026, item("Groapă"), Meta{})
	b, _, _ := s.Register(ctx, 2026, press, Meta{})
	change := func(n Number, fn func(*Item)) {
		t.Helper()
		if _, err := s.Change(ctx, []Number{n}, "x", "", Meta{}, func(items []*Item) error { fn(items[0]); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	change(a.Number, func(it *Item) { it.Dept, it.Status = "DT", StatusAssigned })
	change(a.Number, func(it *Item) { it.Dept = "DAS" })
	change(a.Number, func(it *Item) { it.Status, it.AnswerDate = StatusResolved, "2026-12-01" })

	got := collectStats(t, s, "2026-11-25", "2026-11-25")
	if len(got) != 2 {
		t.Fatalf("%d stat records, want 2: %+v", len(got), got)
	}
	want := Stat{Number: a.Number, Registered: day(t, "2026-11-25"), Deadline: day(t, "2026-12-28"), DeadlineMinute: -1,
		Answered: day(t, "2026-12-01"), Status: StatusResolved, Category: "petitie", SenderType: "cetatean", Dept: "DAS"}
	if got[0] != want {
		t.Fatalf("stat of %s:\n got %+v\nwant %+v", a.Number, got[0], want)
	}
	if got[1].Number != b.Number || got[1].DeadlineMinute != 600 || got[1].Dept != "" || got[1].Status != StatusRegistered || got[1].Category != "presa" {
		t.Fatalf("stat of %s: %+v", b.Number, got[1])
	}
	ans := collectAnswers(t, s, "2026-12-01", "2026-12-01")
	if len(ans) != 1 || ans[0] != (Answers{Day: day(t, "2026-12-01"), Dept: "DAS", Category: "petitie", Count: 1, OnTime: 1}) {
		t.Fatalf("answers on 01.12: %+v", ans)
	}
	if n := len(collectStats(t, s, "2026-11-26", "2026-12-31")); n != 0 {
		t.Fatalf("%d records after the registration day", n)
	}
	// The answer's date corrected to after the deadline: moved, and late.
	change(a.Number, func(it *Item) { it.AnswerDate = "2026-12-29" })
	ans = collectAnswers(t, s, "2026-01-01", "2026-12-31")
	if len(ans) != 1 || ans[0].Day != day(t, "2026-12-29") || ans[0].Count != 1 || ans[0].OnTime != 0 {
		t.Fatalf("answers after the correction: %+v", ans)
	}
	// Reopened: the answer is no longer counted anywhere.
	change(a.Number, func(it *Item) { it.Status, it.AnswerDate = StatusAssigned, "" })
	if ans := collectAnswers(t, s, "2026-01-01", "2026-12-31"); len(ans) != 0 {
		t.Fatalf("answers after reopening: %+v", ans)
	}
	snap, _ := s.Snapshot()
	for k := range snap {
		if strings.HasPrefix(k, pStatAnswers) {
			t.Errorf("answer counter %q left at zero", k)
		}
	}
	if got := collectStats(t, s, "2026-11-25", "2026-11-25"); len(got) != 2 || got[0].Answered != 0 || got[0].Status != StatusAssigned {
		t.Fatalf("after reopening: %+v", got)
	}
}

// TestStatsScanStopsAndBounds: both ends of the range are included, and fn
// returning false stops the scan.
func TestStatsScanStopsAndBounds(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	for _, day := range []int{24, 25, 25, 26, 27} {
		it := item("x")
		it.Registered = t0.AddDate(0, 0, day-25)
		if _, _, err := s.Register(ctx, 2026, it, Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(collectStats(t, s, "2026-11-25", "2026-11-26")); n != 3 {
		t.Fatalf("25–26.11: %d records, want 3", n)
	}
	calls := 0
	if err := s.StatsRegistered("2026-01-01", "2026-12-31", func(*Stat) bool { calls++; return calls < 2 }); err != nil || calls != 2 {
		t.Fatalf("stop after 2: %d calls, %v", calls, err)
	}
}

// TestStatsBuiltForOlderDatabases: a database written before the statistics
// indexes existed gets them at the next Open.
func TestStatsBuiltForOlderDatabases(t *testing.T) {
	dir := t.TempDir()
	s := openTemp(t, dir)
	ctx := context.Background()
	for range 3 {
		if _, _, err := s.Register(ctx, 2026, item("x"), Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Change(ctx, []Number{{Year: 2026, Seq: 1}}, "x", "", Meta{}, func(items []*Item) error {
		items[0].Status, items[0].AnswerDate = StatusResolved, "2026-11-30"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Make it look like an older database: no statistics, no version.
	err := s.db.Update(func(txn *badger.Txn) error {
		var keys [][]byte
		for _, p := range []string{pStatBlock, pStatAnswers, pStatCode, pStatCodeSeq, kStatsVersion} {
			scanKeys(txn, []byte(p), func(k []byte) bool {
				keys = append(keys, append([]byte(nil), k...))
				return true
			})
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(collectStats(t, s, "2026-01-01", "2026-12-31")); n != 0 {
		t.Fatalf("%d records left", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTemp(t, dir)
	defer s.Close()
	got := collectStats(t, s, "2026-01-01", "2026-12-31")
	if len(got) != 3 || got[0].Status != StatusResolved || got[0].Category != "petitie" {
		t.Fatalf("after reopening: %+v", got)
	}
	if ans := collectAnswers(t, s, "2026-11-30", "2026-11-30"); len(ans) != 1 || ans[0].Count != 1 {
		t.Fatalf("answers after reopening: %+v", ans)
	}
}

// TestStatsAcrossBlocksAndYears: records in several blocks and two years
// are all found, each under its own number.
func TestStatsAcrossBlocksAndYears(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	for i := range 130 {
		it := item("x")
		it.Registered = t0.AddDate(0, 0, i%3)
		if _, _, err := s.Register(ctx, 2026, it, Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	next := item("y")
	next.Registered = t0.AddDate(1, 0, 0)
	if _, _, err := s.Register(ctx, 2027, next, Meta{}); err != nil {
		t.Fatal(err)
	}
	got := collectStats(t, s, "2026-11-27", "2027-12-31") // 2026's third day, and 2027
	if len(got) != 44 {
		t.Fatalf("%d records, want 43 of 27.11.2026 and 1 of 2027", len(got))
	}
	for i, st := range got[:43] {
		if st.Number.Seq != 3+3*i || st.Registered != day(t, "2026-11-27") {
			t.Fatalf("record %d: %+v", i, st)
		}
	}
	if last := got[43]; last.Number != (Number{2027, 1}) || last.Registered != day(t, "2027-11-25") {
		t.Fatalf("2027: %+v", last)
	}
}
