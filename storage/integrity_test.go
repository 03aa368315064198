package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// registerN registers n items in 2026 and closes the store.
func registerN(t *testing.T, dir string, n int) {
	t.Helper()
	s := openTemp(t, dir)
	for range n {
		if _, _, err := s.Register(context.Background(), 2026, item("cerere"), Meta{Who: "test", At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func tables(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no table files in %s (%v)", dir, err)
	}
	return m
}

// wantDamage opens dir and wants a *DamageError whose reason has want.
func wantDamage(t *testing.T, dir, want string) *DamageError {
	t.Helper()
	s, err := Open(dir, Options{})
	if err == nil {
		s.Close()
		t.Fatalf("Open succeeded on a damaged directory, want a refusal (%s)", want)
	}
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("Open: %v, want a *DamageError", err)
	}
	if !strings.Contains(de.Reason, want) {
		t.Fatalf("Open refused with %q, want %q in the reason", de.Reason, want)
	}
	t.Log(de)
	return de
}

func TestIntegrityRecordFollowsTheNumbers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	registerN(t, dir, 3)
	b, err := os.ReadFile(RecordPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	var rec integrityRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Numbers["2026"] != 3 || rec.Fingerprint == "" {
		t.Fatalf("record %s, want 3/2026 and a fingerprint", b)
	}
	registerN(t, dir, 2) // a clean restart is accepted
	if b, _ := os.ReadFile(RecordPath(dir)); !strings.Contains(string(b), `"2026": 5`) {
		t.Fatalf("record after 5 registrations: %s", b)
	}
}

func TestOpenRefusesTablesWithoutManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	registerN(t, dir, 50)
	ssts := tables(t, dir)
	if err := os.Remove(filepath.Join(dir, "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "MANIFEST is missing")
	for _, f := range ssts { // Badger never got to delete them
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("table %s gone after the refusal: %v", f, err)
		}
	}
}

func TestOpenRefusesAGarbledTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	registerN(t, dir, 200)
	f := tables(t, dir)[0]
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 4; i < len(b)/4+min(4096, len(b)/4); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "fails its check")
}

func TestOpenRefusesATruncatedTableWithoutPanicking(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	registerN(t, dir, 200)
	f := tables(t, dir)[0]
	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(f, st.Size()/2); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "fails its check")
}

func TestOpenRefusesACounterBehindItsRecord(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	registerN(t, dir, 5)
	// What a cut log leaves: the directory as it was at 5, the record at 9.
	old := filepath.Join(root, "copy")
	copyDir(t, dir, old)
	registerN(t, dir, 4)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(old, dir); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "stops at 5/2026, but 9/2026 was already handed out")
}

func TestOpenRefusesAnEmptiedDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	registerN(t, dir, 5)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "the database is empty")
}

// A database that never gave a number, emptied, is refused all the same
// (its directory or agenda may have been there), and the reason says so.
func TestOpenRefusesAnEmptiedDirectoryWithoutNumbers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := openTemp(t, dir)
	s.Close()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, dir, "the database is empty, but "+RecordPath(dir)+" says a database was here before it")
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// A memtable log damaged in a crash: Badger cuts it at the damage, silently,
// and the numbers after it would be given again. The record stops the start.
func TestOpenRefusesAMemtableCutShort(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	s := openTemp(t, dir)
	for range 60 {
		if _, _, err := s.Register(context.Background(), 2026, item("cerere"), Meta{Who: "test", At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	// The image a crash leaves: the files as they are while the bot runs.
	crash := filepath.Join(root, "crash")
	copyDir(t, dir, crash)
	rec, err := os.ReadFile(RecordPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(RecordPath(crash), rec, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Close()
	mems, _ := filepath.Glob(filepath.Join(crash, "*.mem"))
	if len(mems) == 0 {
		t.Fatal("no memtable log")
	}
	b, err := os.ReadFile(mems[0])
	if err != nil {
		t.Fatal(err)
	}
	end := len(b)
	for end > 0 && b[end-1] == 0 {
		end--
	}
	for i := end * 6 / 10; i < end*6/10+64; i++ { // garble the log two fifths from its end
		b[i] ^= 0xff
	}
	if err := os.WriteFile(mems[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, crash, "was already handed out")
}

// Every number is in the record before it is answered, with writers at once.
func TestRecordHasEveryAnsweredNumber(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := openTemp(t, dir)
	defer s.Close()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 15 {
				it, _, err := s.Register(context.Background(), 2026, item("cerere"), Meta{Who: "test", At: t0})
				if err != nil {
					errs <- err
					return
				}
				rec, _, err := readRecord(RecordPath(dir))
				if err != nil {
					errs <- err
					return
				}
				if rec.Numbers["2026"] < uint64(it.Number.Seq) {
					errs <- fmt.Errorf("%s answered, the record says %d", it.Number, rec.Numbers["2026"])
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
