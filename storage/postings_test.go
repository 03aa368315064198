package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// findIDs runs a search and gives the numbers found, oldest first.
func findIDs(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	q.Limit = 10000
	its, _, err := s.Find(q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range its {
		out = append(out, it.Number.String())
	}
	slices.Reverse(out)
	return out
}

// noEmptyBlocks fails when a posting block has no bit set: such a key is
// deleted, not kept.
func noEmptyBlocks(t *testing.T, s *Store) {
	t.Helper()
	snap, _ := s.Snapshot()
	for k, v := range snap {
		if strings.HasPrefix(k, "x/") && k[3:5] == "b/" && allClear([]byte(v)) {
			t.Fatalf("posting block %q kept with no bit set", k)
		}
	}
}

// A change moves an item's bits: the words, status, department and day it
// lost find it no more, the ones it gained do.
func TestPostingsFollowChanges(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	var nums []Number
	for i := range 3 {
		it, _, err := s.Register(ctx, 2026, Item{Registered: t0, Sender: "Ana Pop", Subject: fmt.Sprintf("Groapa strada Horea %d", i),
			Status: StatusRegistered, Deadline: "2026-12-20"}, m)
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, it.Number)
	}
	if got := findIDs(t, s, Query{Words: []string{"horea"}}); !slices.Equal(got, []string{"1/2026", "2/2026", "3/2026"}) {
		t.Fatalf("horea: %v", got)
	}
	_, err := s.Change(ctx, nums[1:2], "correct", "", m, func(its []*Item) error {
		its[0].Subject, its[0].Status, its[0].Dept = "Iluminat strada Dorobantilor", StatusAssigned, "DT"
		its[0].Registered = t0.AddDate(0, 0, 2)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    Query
		want []string
	}{
		{Query{Words: []string{"horea"}}, []string{"1/2026", "3/2026"}},
		{Query{Words: []string{"groapa"}}, []string{"1/2026", "3/2026"}},
		{Query{Words: []string{"iluminat"}}, []string{"2/2026"}},
		{Query{Words: []string{"strada", "pop"}}, []string{"1/2026", "2/2026", "3/2026"}},
		{Query{Status: StatusRegistered}, []string{"1/2026", "3/2026"}},
		{Query{Status: StatusAssigned}, []string{"2/2026"}},
		{Query{Dept: "DT"}, []string{"2/2026"}},
		{Query{Dept: "-"}, []string{"1/2026", "3/2026"}},
		{Query{From: "2026-11-26"}, []string{"2/2026"}},
		{Query{To: "2026-11-25"}, []string{"1/2026", "3/2026"}},
		{Query{Words: []string{"dorobantilor"}, Dept: "DT", From: "2026-11-27", To: "2026-11-27"}, []string{"2/2026"}},
	} {
		if got := findIDs(t, s, c.q); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
	noEmptyBlocks(t, s)
}

// An update import that fails in its last step is undone whole, the
// posting blocks it shared with the items already there included.
func TestFailedUpdateImportRestoresThePostings(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	var first []Item
	for i := range 1500 {
		first = append(first, Item{Number: Number{2026, 1 + 2*i}, Registered: t0, Sender: "Ana Pop", Subject: fmt.Sprintf("Groapa %d", i%7),
			Status: StatusRegistered, Deadline: "2026-12-20"})
	}
	if _, _, err := s.ImportItems(ctx, RegisterImport{Items: first}, m); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	// Every existing item changes words, status and department; new items
	// fill the numbers between them, in the same blocks; the last is bad.
	var next []Item
	for i := range 1500 {
		up := first[i]
		up.Subject, up.Status, up.Dept, up.AssignedAt = "Iluminat public", StatusAssigned, "DT", t0
		next = append(next, up, Item{Number: Number{2026, 2 + 2*i}, Registered: t0, Sender: "Ion Rus", Subject: "Iluminat",
			Status: StatusRegistered, Deadline: "2026-12-20"})
	}
	next[len(next)-1].Deadline = "mâine"
	_, _, err := s.ImportItems(ctx, RegisterImport{Items: next, Update: true}, m)
	if err == nil || errors.Is(err, ErrNumberTaken) {
		t.Fatalf("import with a bad deadline: %v", err)
	}
	after, _ := s.Snapshot()
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("key %q not restored", k)
		}
	}
	if len(after) != len(before) {
		t.Fatalf("%d keys after the failed import, %d before", len(after), len(before))
	}
	// Without the bad row it goes in, and the blocks say what the items say.
	next = next[:len(next)-1]
	if _, _, err := s.ImportItems(ctx, RegisterImport{Items: next, Update: true}, m); err != nil {
		t.Fatal(err)
	}
	if got := findIDs(t, s, Query{Words: []string{"groapa"}}); len(got) != 0 {
		t.Fatalf("groapa after the update: %d items", len(got))
	}
	if got := findIDs(t, s, Query{Words: []string{"iluminat"}}); len(got) != 2999 {
		t.Fatalf("iluminat: %d items", len(got))
	}
	if got := findIDs(t, s, Query{Status: StatusAssigned, Dept: "DT"}); len(got) != 1500 {
		t.Fatalf("assigned to DT: %d items", len(got))
	}
	noEmptyBlocks(t, s)
}

// BenchmarkSearch runs searches over a register of 100,000 items (two
// years, about 200 a day, three departments): a word every item has, the
// same with a department, a word 20 items have, and a week of
// registrations.
//
//	go test ./storage -run '^$' -bench Search -benchtime 20x
func BenchmarkSearch(b *testing.B) {
	s, err := Open(b.TempDir(), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.ImportItems(context.Background(), RegisterImport{Items: benchItems(100_000)}, Meta{Who: "test", At: t0}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    Query
		want int
	}{
		{"common-word", Query{Words: []string{"iluminat"}}, 100_000},
		{"common-word+dept", Query{Words: []string{"iluminat"}, Dept: "D1"}, 33_333},
		{"rare-word", Query{Words: []string{"petent", "4321"}}, 20},
		{"a-week", Query{From: "2026-12-10", To: "2026-12-16"}, 2_800},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				_, total, err := s.Find(c.q)
				if err != nil || total != c.want {
					b.Fatalf("%d found, want %d (%v)", total, c.want, err)
				}
			}
		})
	}
}

// benchItems is a register of n items over two years, about 200 a day,
// assigned to three departments, for the benchmarks.
func benchItems(n int) []Item {
	items := make([]Item, 0, n)
	for i := range n {
		reg := t0.AddDate(0, 0, i/400)
		items = append(items, Item{Number: Number{2025 + i%2, 1 + i/2}, Registered: reg, Sender: fmt.Sprintf("Petent %d", i%5000),
			Subject: fmt.Sprintf("Sesizare despre strada %d și iluminat", i%700), Status: StatusAssigned, Dept: fmt.Sprintf("D%d", i%3),
			AssignedAt: reg, Deadline: "2027-06-01"})
	}
	return items
}
