package storage

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
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
