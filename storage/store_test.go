package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

func openTemp(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("EET", 2*3600))

func item(subject string) Item {
	return Item{Registered: t0, Sender: "Ion Popescu", SenderType: "cetatean", Subject: subject,
		Category: "petitie", Deadline: "2026-12-28", Status: StatusRegistered}
}

func TestConcurrentRegistrationsAreGaplessAndDistinct(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	const n = 1000
	var (
		mu   sync.Mutex
		seen = map[int]bool{}
		wg   sync.WaitGroup
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			it, _, err := s.Register(context.Background(), 2026, item(fmt.Sprintf("cerere %d", i)), Meta{Who: "test", At: t0})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[it.Number.Seq] {
				t.Errorf("number %s given twice", it.Number)
			}
			seen[it.Number.Seq] = true
		}()
	}
	wg.Wait()
	for i := 1; i <= n; i++ {
		if !seen[i] {
			t.Fatalf("number %d/2026 missing: not consecutive", i)
		}
	}
	if last, _ := s.LastNumber(2026); last != n {
		t.Fatalf("last number %d, want %d", last, n)
	}
}

func TestNumbersSurviveRestartAndRestartEachYear(t *testing.T) {
	dir := t.TempDir()
	s := openTemp(t, dir)
	for range 3 {
		if _, _, err := s.Register(context.Background(), 2026, item("x"), Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTemp(t, dir)
	defer s.Close()
	it, _, err := s.Register(context.Background(), 2026, item("y"), Meta{})
	if err != nil || it.Number.String() != "4/2026" {
		t.Fatalf("after restart got %s, %v; want 4/2026", it.Number, err)
	}
	it, _, _ = s.Register(context.Background(), 2027, item("z"), Meta{})
	if it.Number.String() != "1/2027" {
		t.Fatalf("first of 2027 is %s", it.Number)
	}
}

func TestRedeliveredEventRegistersOnce(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	m := Meta{Who: "slack:U1", At: t0, EventID: "slack/Ev123"}
	a, replay1, err := s.Register(context.Background(), 2026, item("x"), m)
	if err != nil || replay1 {
		t.Fatal(err, replay1)
	}
	b, replay2, err := s.Register(context.Background(), 2026, item("x"), m)
	if err != nil || !replay2 || a.Number != b.Number {
		t.Fatalf("redelivery: %s replay=%v err=%v, first was %s", b.Number, replay2, err, a.Number)
	}
	if st, _ := s.EventState("slack/Ev123"); st != EventApplied {
		t.Fatalf("event state %q", st)
	}
	if err := s.MarkReplied(context.Background(), "slack/Ev123"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.EventState("slack/Ev123"); st != EventReplied {
		t.Fatalf("event state %q", st)
	}
	_, err = s.Change(context.Background(), []Number{a.Number}, "file", "", m, func([]*Item) error { return nil })
	if !errors.Is(err, ErrReplay) {
		t.Fatalf("a change under a handled event: %v", err)
	}
	if last, _ := s.LastNumber(2026); last != 1 {
		t.Fatalf("last number %d", last)
	}
}

func TestFailedWriteLeavesItsBatchIntact(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	first, _, _ := s.Register(context.Background(), 2026, item("x"), Meta{})
	var wg sync.WaitGroup
	boom := errors.New("boom")
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				_, errs[i] = s.Change(context.Background(), []Number{first.Number}, "file", "", Meta{}, func(items []*Item) error {
					items[0].Note = "half-done"
					return boom
				})
				return
			}
			_, _, errs[i] = s.Register(context.Background(), 2026, item("y"), Meta{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if i%2 == 0 && !errors.Is(err, boom) || i%2 == 1 && err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	it, _ := s.Item(first.Number)
	if it.Note != "" {
		t.Fatal("a failed change was written")
	}
	if last, _ := s.LastNumber(2026); last != 21 {
		t.Fatalf("last number %d, want 21", last)
	}
}

func TestIndexesFollowChanges(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	a, _, _ := s.Register(ctx, 2026, item("Groapă pe strada Horea"), Meta{})
	b, _, _ := s.Register(ctx, 2026, item("Iluminat public"), Meta{})
	if _, err := s.Change(ctx, []Number{a.Number}, "assign", "", Meta{}, func(items []*Item) error {
		items[0].Dept, items[0].Status = "DT", StatusAssigned
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	due, _ := s.OpenDue("", "2026-12-31", "DT")
	if len(due) != 1 || due[0].Number != a.Number || due[0].Subject != "Groapă pe strada Horea" {
		t.Fatalf("DT open items: %+v", due)
	}
	if _, err := s.Change(ctx, []Number{a.Number}, "resolve", "", Meta{}, func(items []*Item) error {
		items[0].Status = StatusResolved
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	due, _ = s.OpenDue("", "2026-12-31", "")
	if len(due) != 1 || due[0].Number != b.Number {
		t.Fatalf("open items after resolving %s: %+v", a.Number, due)
	}
	found, total, _ := s.Find(Query{Words: []string{"horea"}})
	if total != 1 || found[0].Status != StatusResolved {
		t.Fatalf("find horea: %d %+v", total, found)
	}
	found, total, _ = s.Find(Query{Status: StatusResolved, Dept: "DT", From: "2026-11-25", To: "2026-11-25"})
	if total != 1 || found[0].Number != a.Number {
		t.Fatalf("find resolved DT: %d", total)
	}
	_, total, _ = s.Find(Query{Sender: "ion pop"})
	if total != 2 {
		t.Fatalf("find by sender prefix: %d", total)
	}
	hist, _ := s.History(KindItem, a.Number.String())
	var actions []string
	for _, h := range hist {
		actions = append(actions, h.Action)
	}
	if fmt.Sprint(actions) != "[register assign resolve]" {
		t.Fatalf("history %v", actions)
	}
	if hist[1].Before == nil || hist[1].After == nil {
		t.Fatal("audit entries keep before and after")
	}
}

func TestCloseRefusesLaterWrites(t *testing.T) {
	s := openTemp(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Register(context.Background(), 2026, item("x"), Meta{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal("second close:", err)
	}
}

// tempDirOutsideTest makes a directory for data shared by several benchmarks
// (b.TempDir would be removed after the first).
func tempDirOutsideTest() (string, error) { return os.MkdirTemp("", "cabinetbot-bench-") }
