package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestEntriesHaveOneNaturalKey(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	a, err := s.AddEntry(ctx, Entry{Name: "Ion Popescu", Function: "Director", Dept: "DT", Extension: "5001"}, m)
	if err != nil || a.ID != "1" {
		t.Fatal(a, err)
	}
	b, err := s.AddEntry(ctx, Entry{Name: "Ion Popescu", Dept: "DT", Extension: "5002"}, m)
	if err != nil || b.ID != "2" {
		t.Fatal(b, err)
	}
	_, err = s.AddEntry(ctx, Entry{Name: "ION  POPESCU", Function: "director", Dept: "DT"}, m)
	var dup *DuplicateError
	if !errors.As(err, &dup) || dup.ID != "1" || !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.AddEntry(ctx, Entry{Dept: "DT", Phone: "1"}, m); !errors.Is(err, ErrEmptyEntry) {
		t.Fatalf("empty entry: %v", err)
	}
	// Changing 2 into 1's person, function and department is refused and
	// writes nothing.
	before, _ := s.Snapshot()
	if _, err := s.ChangeEntry(ctx, "2", m, func(e *Entry) error { e.Function = "Director"; return nil }); !errors.As(err, &dup) {
		t.Fatalf("change into a duplicate: %v", err)
	}
	if after, _ := s.Snapshot(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatal("a refused change wrote")
	}
	// Moving 1 away frees its key for 2.
	if _, err := s.ChangeEntry(ctx, "1", m, func(e *Entry) error { e.Dept = "DAS"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChangeEntry(ctx, "2", m, func(e *Entry) error { e.Function = "Director"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveEntry(ctx, "2", m); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveEntry(ctx, "2", m); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second removal: %v", err)
	}
	c, err := s.AddEntry(ctx, Entry{Name: "Ion Popescu", Function: "Director", Dept: "DT"}, m)
	if err != nil || c.ID != "3" {
		t.Fatalf("after removal the key is free, ids are not reused: %v %v", c, err)
	}
	hist, _ := s.History(KindEntry, "2")
	if len(hist) != 3 || hist[2].Action != "remove" {
		t.Fatalf("history of 2: %+v", hist)
	}
	// A redelivered event changes nothing twice.
	ev := Meta{Who: "test", At: t0, EventID: "slack/Ev1"}
	if _, err := s.AddEntry(ctx, Entry{Name: "Ana Pop", Extension: "1"}, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEntry(ctx, Entry{Name: "Ana Pop", Extension: "1"}, ev); !errors.Is(err, ErrReplay) {
		t.Fatalf("redelivery: %v", err)
	}
}

func TestImportEntriesInChunks(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	keep := func(old *Entry, row Entry) Entry {
		if old != nil && row.Notes == "" {
			row.Notes = old.Notes
		}
		return row
	}
	rows := make([]Entry, 1234) // more than two transactions' worth
	for i := range rows {
		rows[i] = Entry{Name: fmt.Sprintf("Persoana %d", i), Dept: "DT", Extension: fmt.Sprint(1000 + i)}
	}
	v0 := s.DirectoryVersion()
	res, err := s.ImportEntries(ctx, rows, keep, false, m)
	if err != nil || res != (ImportResult{Added: 1234}) {
		t.Fatal(res, err)
	}
	if s.DirectoryVersion() == v0 {
		t.Error("the version did not move")
	}
	res, err = s.ImportEntries(ctx, rows, keep, false, m)
	if err != nil || res != (ImportResult{Unchanged: 1234}) {
		t.Fatal(res, err)
	}
	if _, err := s.ChangeEntry(ctx, "5", m, func(e *Entry) error { e.Notes = "kept"; return nil }); err != nil {
		t.Fatal(err)
	}
	rows[4].Extension = "9"
	res, err = s.ImportEntries(ctx, rows[:600], keep, true, m)
	if err != nil || res != (ImportResult{Updated: 1, Unchanged: 599, Removed: 634}) {
		t.Fatal(res, err)
	}
	e, _ := s.Entry("5")
	if e.Extension != "9" || e.Notes != "kept" {
		t.Fatalf("entry 5: %+v", e)
	}
	all, _ := s.Entries()
	if len(all) != 600 {
		t.Fatalf("%d entries", len(all))
	}
	// A row with a known id updates that entry, even renamed.
	res, err = s.ImportEntries(ctx, []Entry{{ID: "5", Name: "Persoana cinci", Dept: "DT"}}, keep, false, m)
	if err != nil || res.Updated != 1 {
		t.Fatal(res, err)
	}
	if e, _ := s.Entry("5"); e.Name != "Persoana cinci" || e.Extension != "" {
		t.Fatalf("entry 5: %+v", e)
	}
}

func TestChartStaysATree(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	for _, d := range []Department{{Code: "DT", Name: "Direcția Tehnică"}, {Code: "SIP", Name: "Serviciul Iluminat", Parent: "DT"}, {Code: "BIP", Name: "Biroul X", Parent: "SIP"}} {
		if err := s.AddDepartment(ctx, d, m); err != nil {
			t.Fatal(err)
		}
	}
	var ce *ChartError
	if err := s.AddDepartment(ctx, Department{Code: "X", Name: "direcția tehnică"}, m); !errors.As(err, &ce) || ce.Reason != ChartName || ce.Other != "DT" {
		t.Fatalf("name taken: %v", err)
	}
	if err := s.AddDepartment(ctx, Department{Code: "X", Name: "X", Parent: "ZZ"}, m); !errors.As(err, &ce) || ce.Reason != ChartParent {
		t.Fatalf("unknown parent: %v", err)
	}
	if _, err := s.ChangeDepartment(ctx, "DT", "move", m, func(d *Department) error { d.Parent = "BIP"; return nil }); !errors.As(err, &ce) || ce.Reason != ChartCycle {
		t.Fatalf("loop: %v", err)
	}
	v := s.DirectoryVersion()
	if _, err := s.ChangeDepartment(ctx, "DT", "edit", m, func(d *Department) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if hist, _ := s.History(KindDepartment, "DT"); len(hist) != 1 {
		t.Fatalf("a change that changes nothing was audited: %+v", hist)
	}
	res, err := s.ImportDepartments(ctx, []Department{{Code: "DT", Name: "Direcția Tehnică", Phone: "1"}, {Code: "DU", Name: "Direcția Urbanism"}},
		func(old *Department, row Department) Department {
			if old != nil {
				old.Phone = row.Phone
				return *old
			}
			return row
		}, m)
	if err != nil || res != (ImportResult{Added: 1, Updated: 1}) {
		t.Fatal(res, err)
	}
	if s.DirectoryVersion() == v {
		t.Error("the version did not move")
	}
}
