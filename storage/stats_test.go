package storage

import (
	"context"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func collectStats(t *testing.T, s *Store, answered bool, from, to string) []Stat {
	t.Helper()
	var out []Stat
	scan := s.StatsRegistered
	if answered {
		scan = s.StatsAnswered
	}
	if err := scan(from, to, func(st *Stat) bool { out = append(out, *st); return true }); err != nil {
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

// TestStatsFollowEveryChange: the statistics record of an item is written with
// the item and rewritten on every change in the same transaction; a
// reassigned item has one record, under its current department; a resolved
// one is also indexed by its answer date, and only while it is resolved.
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

	got := collectStats(t, s, false, "2026-11-25", "2026-11-25")
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
	ans := collectStats(t, s, true, "2026-12-01", "2026-12-01")
	if len(ans) != 1 || ans[0].Number != a.Number || ans[0].Dept != "DAS" || ans[0].Registered != 0 {
		t.Fatalf("answered on 01.12: %+v", ans)
	}
	if n := len(collectStats(t, s, false, "2026-11-26", "2026-12-31")); n != 0 {
		t.Fatalf("%d records after the registration day", n)
	}
	// Reopened (a correction): the answer index entry goes away.
	change(a.Number, func(it *Item) { it.Status, it.AnswerDate = StatusAssigned, "" })
	if n := len(collectStats(t, s, true, "2026-01-01", "2026-12-31")); n != 0 {
		t.Fatalf("%d answer records after reopening", n)
	}
	snap, _ := s.Snapshot()
	n := 0
	for k := range snap {
		if strings.HasPrefix(k, pStatByReg+"2026-11-25/"+a.Number.id()) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%s has %d registration stat keys", a.Number, n)
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
	if n := len(collectStats(t, s, false, "2026-11-25", "2026-11-26")); n != 3 {
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
	// Make it look like an older database: no statistics, no version.
	err := s.db.Update(func(txn *badger.Txn) error {
		var keys [][]byte
		scanKeys(txn, []byte("x/r"), func(k []byte) bool {
			if strings.HasPrefix(string(k), pStatByReg) || strings.HasPrefix(string(k), pStatByAnswer) {
				keys = append(keys, append([]byte(nil), k...))
			}
			return true
		})
		keys = append(keys, []byte(kStatsVersion))
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
	if n := len(collectStats(t, s, false, "2026-01-01", "2026-12-31")); n != 0 {
		t.Fatalf("%d records left", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTemp(t, dir)
	defer s.Close()
	if n := len(collectStats(t, s, false, "2026-01-01", "2026-12-31")); n != 3 {
		t.Fatalf("after reopening: %d records, want 3", n)
	}
}
