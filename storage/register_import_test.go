package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// An import that fails in its second step is undone whole: the items of the
// first step, the counter and the integrity record are as before.
func TestImportItemsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: time.Now()}
	reg := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if _, _, err := s.Register(ctx, 2026, Item{Registered: reg, Sender: "A", Subject: "x", Status: StatusRegistered, Deadline: "2026-04-01"}, m); err != nil {
		t.Fatal(err)
	}
	var items []Item
	for i := range registerChunk {
		items = append(items, Item{Number: Number{2026, 100 + i}, Registered: reg, Sender: "B", Subject: "y", Status: StatusRegistered, Deadline: "2026-04-01"})
	}
	items = append(items, Item{Number: Number{2026, 1}, Registered: reg, Sender: "C", Subject: "dup", Status: StatusRegistered})
	before, _ := s.Snapshot()
	_, _, err = s.ImportItems(ctx, RegisterImport{Items: items, Note: "importat din t.csv"}, m)
	if !errors.Is(err, ErrNumberTaken) {
		t.Fatalf("err = %v, want ErrNumberTaken", err)
	}
	after, _ := s.Snapshot()
	for k, v := range after {
		if before[k] != v {
			t.Errorf("key %q changed or left by the failed import", k)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d keys after the failed import, %d before", len(after), len(before))
	}
	if n, _ := s.LastNumber(2026); n != 1 {
		t.Errorf("counter %d after a failed import, want 1", n)
	}
	if _, err := s.Item(Number{2026, 100}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an item of the failed import stayed: %v", err)
	}
	rec, _ := os.ReadFile(RecordPath(dir))
	if !strings.Contains(string(rec), `"2026": 1`) {
		t.Errorf("integrity record: %s", rec)
	}
	// Fixed, it goes in whole and the counter follows.
	added, _, err := s.ImportItems(ctx, RegisterImport{Items: items[:len(items)-1]}, m)
	if err != nil || added != registerChunk {
		t.Fatalf("added %d, %v", added, err)
	}
	if n, _ := s.LastNumber(2026); n != 100+registerChunk-1 {
		t.Errorf("counter %d", n)
	}
}

// longSubject is a subject of n distinct words, like the long ones clerks
// copy from a petition; with short, the words are short and many items fit
// in a step.
func longSubject(i, n int, short bool) string {
	var w []string
	for j := range n {
		if short {
			w = append(w, fmt.Sprintf("c%dv%d", j, i%5))
		} else {
			w = append(w, fmt.Sprintf("cuvantul%dvarianta%d", j, i%5))
		}
	}
	return strings.Join(w, " ")
}

// Items with long subjects make bigger steps: the import cuts them to what
// Badger takes in one transaction, and goes in whole.
func TestImportOfLongSubjectsGoesIn(t *testing.T) {
	s, err := Open(t.TempDir(), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var items []Item
	for i := range 2500 {
		items = append(items, Item{Number: Number{2026, 1 + i}, Registered: t0, Sender: "Ion Popescu", Subject: longSubject(i, 40, false),
			Status: StatusAssigned, Dept: "DT", AssignedAt: t0, Deadline: "2026-12-20"})
	}
	added, _, err := s.ImportItems(context.Background(), RegisterImport{Items: items, Note: "importat din lung.csv"}, Meta{Who: "test", At: t0})
	if err != nil || added != len(items) {
		t.Fatalf("added %d, %v", added, err)
	}
	if got := findIDs(t, s, Query{Words: []string{"cuvantul39varianta3"}}); len(got) != 500 {
		t.Fatalf("a word of the long subjects finds %d items", len(got))
	}
}

// An import of long subjects that fails in its last step is undone whole,
// then and at the next start: undoing a step writes each posting block
// once, so it fits in one transaction as the step did.
func TestUndoingAnImportOfLongSubjectsFits(t *testing.T) {
	dir := t.TempDir()
	s := openTemp(t, dir)
	ctx := context.Background()
	var items []Item
	for i := range registerChunk {
		items = append(items, Item{Number: Number{2026, 1 + i}, Registered: t0, Sender: "Ion Popescu", Subject: longSubject(i, 100, true),
			Status: StatusRegistered, Deadline: "2026-12-20"})
	}
	items = append(items, Item{Number: Number{2026, 5000}, Registered: t0, Sender: "X", Subject: "y", Status: StatusRegistered, Deadline: "mâine"})
	before, _ := s.Snapshot()
	_, _, err := s.ImportItems(ctx, RegisterImport{Items: items}, Meta{Who: "test", At: t0})
	if err == nil || strings.Contains(err.Error(), "undo") {
		t.Fatalf("import with a bad last row: %v", err)
	}
	if after, _ := s.Snapshot(); len(after) != len(before) {
		t.Fatalf("%d keys after the failed import, %d before", len(after), len(before))
	}
	// The same, killed after its first step: undone at the next start.
	j := &journal{s: s, id: "00000000000000000003", undo: &undoLog{seen: map[string]bool{}}}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(journalMarkKey(j.id), nil) }); err != nil {
		t.Fatal(err)
	}
	chunks, stop := s.prepareItems(RegisterImport{Items: items[:registerChunk]}, Meta{Who: "test", At: t0})
	for c := range chunks {
		if c.err != nil {
			t.Fatal(c.err)
		}
		if err := j.Step(func(t *Txn) error {
			t.journalBefore(c.before)
			for _, p := range c.items {
				if err := t.putPrepared(p); err != nil {
					return err
				}
			}
			return flushBlocks(t.txn, c.blocks)
		}); err != nil {
			t.Fatal(err)
		}
	}
	stop()
	s.Close()
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("the start after the interrupted import: %v", err)
	}
	defer s.Close()
	if after, _ := s.Snapshot(); len(after) != len(before) {
		t.Fatalf("%d keys after the interrupted import was undone, %d before", len(after), len(before))
	}
}

// Closing the store right after a failed import is safe: the goroutine that
// prepared it is gone with its snapshot (it read on a closed database and
// crashed the process before).
func TestCloseRightAfterAFailedImport(t *testing.T) {
	if dir := os.Getenv("CABINET_CLOSE_CHILD"); dir != "" {
		closeAfterFailedImport(t, dir)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCloseRightAfterAFailedImport$")
	cmd.Env = append(os.Environ(), "CABINET_CLOSE_CHILD="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the process died after closing the store: %v\n%.1500s", err, out)
	}
}

func closeAfterFailedImport(t *testing.T, dir string) {
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	var items []Item
	for i := range 2 * registerChunk {
		items = append(items, Item{Number: Number{2026, 1 + i}, Registered: t0, Sender: fmt.Sprintf("Petent %d", i),
			Subject: fmt.Sprintf("Sesizare %d despre strada %d", i, i%700), Status: StatusRegistered, Deadline: "2026-12-20"})
	}
	if _, _, err := s.ImportItems(ctx, RegisterImport{Items: items}, m); err != nil {
		t.Fatal(err)
	}
	// The first step fails at once (its numbers are taken); the preparer
	// is then at work on the second chunk, whose last item is of a year it
	// has not read yet.
	again := append([]Item(nil), items[:registerChunk]...)
	for i := range registerChunk - 1 {
		it := items[i]
		it.Number = Number{2026, 10000 + i}
		again = append(again, it)
	}
	last := items[0]
	last.Number = Number{2025, 1}
	if _, _, err := s.ImportItems(ctx, RegisterImport{Items: append(again, last)}, m); !errors.Is(err, ErrNumberTaken) {
		t.Fatalf("err = %v", err)
	}
	s.Close()
	time.Sleep(300 * time.Millisecond)
}
