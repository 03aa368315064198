package storage

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

var importKills = flag.Int("import-kills", 2, "how many times TestImportKilledAtRandomIsAllOrNothing kills each kind of import")

func keep(old *Entry, row Entry) Entry { return row }

func importRows(n int) []Entry {
	rows := make([]Entry, n)
	for i := range rows {
		rows[i] = Entry{Name: fmt.Sprintf("Persoana %05d", i), Dept: "DT", Phone: fmt.Sprintf("0264 %06d", i)}
	}
	return rows
}

// journalLeft lists the journal keys left in a store.
func journalLeft(t *testing.T, s *Store) []string {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range snap {
		if strings.HasPrefix(k, pJournalMark) || strings.HasPrefix(k, pJournalUndo) {
			out = append(out, k)
		}
	}
	return out
}

func TestImportThatFailsHalfwayChangesNothing(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	ana, err := s.AddEntry(ctx, Entry{Name: "Ana Pop", Dept: "DT", Phone: "1"}, Meta{Who: "test", At: t0})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	rows := append([]Entry{{Name: "Ana Pop", Dept: "DT", Phone: "2"}}, importRows(1200)...)
	rows[1100] = Entry{Dept: "DT"} // neither a person nor a function: the third chunk fails
	_, err = s.ImportEntries(ctx, rows, keep, false, Meta{Who: "test", At: t0})
	if !errors.Is(err, ErrEmptyEntry) {
		t.Fatalf("import with a bad row in its third chunk: %v", err)
	}
	after, _ := s.Snapshot()
	if len(after) != len(before) {
		t.Fatalf("%d keys after the failed import, %d before", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("key %q changed by a failed import", k)
		}
	}
	if e, _ := s.Entry(ana.ID); e.Phone != "1" {
		t.Fatalf("the entry updated by the first chunk kept %q", e.Phone)
	}
	// A good import afterwards is whole, and its journal is gone.
	res, err := s.ImportEntries(ctx, importRows(1200), keep, false, Meta{Who: "test", At: t0})
	if err != nil || res.Added != 1200 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if left := journalLeft(t, s); len(left) > 0 {
		t.Fatalf("journal left after a finished import: %v", left[:min(3, len(left))])
	}
}

func TestImportInterruptedIsUndoneAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := openTemp(t, dir)
	ctx := context.Background()
	if _, err := s.AddEntry(ctx, Entry{Name: "Ana Pop", Dept: "DT"}, Meta{Who: "test", At: t0}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	// An import as far as its second step, then the process "dies": the
	// commit point (the mark deleted) never comes.
	stop := errors.New("killed")
	err := s.journaled(ctx, func(j *journal) error {
		for _, chunk := range [][]Entry{importRows(700)[:500], importRows(700)[500:]} {
			err := j.Step(func(t *Txn) error {
				for _, r := range chunk {
					if _, _, err := t.importEntry(r, keep, Meta{Who: "test", At: t0}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		panic(stop) // leaves through safeJournal: rolled back in-process too
	})
	if err == nil {
		t.Fatal("a panicking import succeeded")
	}
	if n := len(mustEntries(t, s)); n != 1 {
		t.Fatalf("%d entries after an import that panicked, want 1", n)
	}
	// Now the real crash: steps committed, mark left, no rollback.
	j := &journal{s: s, id: "00000000000000000001", undo: &undoLog{seen: map[string]bool{}}}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(journalMarkKey(j.id), nil) }); err != nil {
		t.Fatal(err)
	}
	if err := j.Step(func(t *Txn) error {
		for _, r := range importRows(300) {
			if _, _, err := t.importEntry(r, keep, Meta{Who: "test", At: t0}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := len(mustEntries(t, s)); n != 301 {
		t.Fatalf("%d entries mid-import", n)
	}
	s.Close()
	s = openTemp(t, dir)
	defer s.Close()
	after, _ := s.Snapshot()
	if len(after) != len(before) {
		t.Fatalf("%d keys after the interrupted import was undone, %d before", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("key %q not restored", k)
		}
	}
}

func mustEntries(t *testing.T, s *Store) []Entry {
	t.Helper()
	es, err := s.Entries()
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// importKinds are the imports the kill test runs: how many rows, how to run
// one in the child, and how to count what is there after.
var importKinds = map[string]struct {
	rows  int
	run   func(s *Store, n int) error
	count func(t *testing.T, s *Store) int
}{
	"directory": {2000,
		func(s *Store, n int) error {
			_, err := s.ImportEntries(context.Background(), importRows(n), keep, false, Meta{Who: "test", At: t0})
			return err
		},
		func(t *testing.T, s *Store) int { return len(mustEntries(t, s)) }},
	"register": {2500,
		func(s *Store, n int) error {
			items := make([]Item, n)
			for i := range items {
				reg := t0.Add(time.Duration(i) * time.Minute)
				items[i] = Item{Number: Number{2025 + i%2, 1 + i/2}, Registered: reg, Sender: fmt.Sprintf("Petent %d", i),
					Subject: fmt.Sprintf("Sesizare %d despre iluminat", i), Status: StatusAssigned, Dept: "DT",
					AssignedAt: reg, Deadline: "2026-04-01", Category: "petitie"}
				if i%3 == 0 {
					items[i].Status, items[i].AnswerDate, items[i].ClosedAt = StatusResolved, "2026-03-01", reg
				}
			}
			_, _, err := s.ImportItems(context.Background(), RegisterImport{Items: items, Note: "importat din r.csv"}, Meta{Who: "test", At: t0})
			return err
		},
		func(t *testing.T, s *Store) int {
			n := 0
			for _, y := range []int{2025, 2026} {
				nums, err := s.ItemNumbers(y)
				if err != nil {
					t.Fatal(err)
				}
				n += len(nums)
			}
			if n == 0 { // undone: not one key of it may be left
				snap, _ := s.Snapshot()
				for k := range snap {
					if !strings.HasPrefix(k, "q/") {
						t.Fatalf("key %q left by an import that was undone", k)
					}
				}
			}
			return n
		}},
	"agenda": {800,
		func(s *Store, n int) error {
			evs := make([]AgendaEvent, n)
			for i := range evs {
				start := t0.Add(time.Duration(i) * time.Hour)
				evs[i] = AgendaEvent{UID: fmt.Sprintf("ev-%d@test", i), Title: fmt.Sprintf("Ședința %d", i),
					Start: start, End: start.Add(time.Hour), Status: AgendaConfirmed, Created: t0}
			}
			_, _, err := s.ImportAgenda(context.Background(), evs, Meta{Who: "test", At: t0})
			return err
		},
		func(t *testing.T, s *Store) int {
			evs, err := s.AgendaEvents()
			if err != nil {
				t.Fatal(err)
			}
			return len(evs)
		}},
}

// TestImportKilledAtRandomIsAllOrNothing runs a directory import of 2,000
// rows, a register import of 2,500 items and an agenda import of 800 events
// in a child process (this test
// binary again) and kills it at a random moment during the import, a few
// times each (-import-kills=N for more): every time, the next Open finds
// either nothing of the import or all of it, and no journal left.
func TestImportKilledAtRandomIsAllOrNothing(t *testing.T) {
	for _, kind := range []string{"directory", "register", "agenda"} {
		t.Run(kind, func(t *testing.T) { killImports(t, kind) })
	}
}

func killImports(t *testing.T, kind string) {
	rows := importKinds[kind].rows
	run := func(dir string, kill time.Duration) (time.Duration, bool) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$")
		cmd.Env = append(os.Environ(), "CABINET_IMPORT_CHILD="+dir, "CABINET_IMPORT_KIND="+kind)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for lines.Scan() && lines.Text() != "go" {
		}
		start := time.Now()
		done := make(chan bool, 1)
		go func() {
			for lines.Scan() {
				if lines.Text() == "done" {
					done <- true
					return
				}
			}
			done <- false
		}()
		finished := false
		if kill > 0 {
			select {
			case finished = <-done:
			case <-time.After(kill):
				cmd.Process.Kill()
			}
		} else {
			finished = <-done
		}
		took := time.Since(start)
		cmd.Wait()
		return took, finished
	}
	check := func(dir string) int {
		s, err := Open(dir, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n := importKinds[kind].count(t, s)
		if n != 0 && n != rows {
			t.Fatalf("after the kill: %d, want 0 or %d", n, rows)
		}
		if left := journalLeft(t, s); len(left) > 0 {
			t.Fatalf("journal left after recovery: %v", left[:min(3, len(left))])
		}
		return n
	}
	took, ok := run(filepath.Join(t.TempDir(), "calibrate"), 0)
	if !ok {
		t.Fatal("the child did not finish the import")
	}
	outcomes := map[int]int{}
	for i := range *importKills {
		dir := filepath.Join(t.TempDir(), fmt.Sprint(i))
		after := time.Duration(rand.Int64N(int64(took))) + time.Millisecond
		run(dir, after)
		outcomes[check(dir)]++
	}
	t.Logf("the %s import of %d takes %v; after %d kills: %v (found → runs)", kind, rows, took, *importKills, outcomes)
}

// TestImportChild is the child of TestImportKilledAtRandomIsAllOrNothing.
func TestImportChild(t *testing.T) {
	dir := os.Getenv("CABINET_IMPORT_CHILD")
	if dir == "" {
		t.Skip("only as a child process")
	}
	kind := importKinds[os.Getenv("CABINET_IMPORT_KIND")]
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("go")
	if err := kind.run(s, kind.rows); err != nil {
		t.Fatal(err)
	}
	fmt.Println("done")
	s.Close()
}

// An import of a register that dies after a step raised a year's counter is
// undone at the next start, counter included; the integrity record must
// follow the counter as it is after the undo, or every later start refuses
// the data (the record would say numbers were handed out that are not).
func TestInterruptedRegisterImportDoesNotBlockLaterStarts(t *testing.T) {
	dir := t.TempDir()
	s := openTemp(t, dir)
	j := &journal{s: s, id: "00000000000000000002", undo: &undoLog{seen: map[string]bool{}}}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(journalMarkKey(j.id), nil) }); err != nil {
		t.Fatal(err)
	}
	if err := j.Step(func(t *Txn) error {
		t.remember(counterKey(2026))
		return t.set(counterKey(2026), binary.BigEndian.AppendUint64(nil, 50))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close() // the process dies: the mark is still there
	for start := 1; start <= 2; start++ {
		s, err := Open(dir, Options{NoSync: true})
		if err != nil {
			t.Fatalf("start %d after the interrupted import: %v", start, err)
		}
		if n, _ := s.LastNumber(2026); n != 0 {
			t.Fatalf("start %d: counter %d after the undo, want 0", start, n)
		}
		s.Close()
	}
}
