package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func TestANewDatabaseRecordsItsFormat(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error {
		t.Error("a new database is not upgraded")
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.getString(key(kFormat)); err != nil || v != strconv.Itoa(FormatVersion) {
		t.Fatalf("q/format = %q, %v", v, err)
	}
	if f, _ := s.Format(); f != FormatVersion {
		t.Fatalf("format %d", f)
	}
}

func TestANewerFormatIsRefusedAndNothingChanges(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.updateState(context.Background(), func(t *Txn) error { return t.set(key(kFormat), []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	s.Close()
	_, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error {
		t.Error("a newer format is not upgraded")
		return nil
	}})
	var fe *FormatError
	if !errors.Is(err, ErrNewerFormat) || !errors.As(err, &fe) || fe.Have != 99 || fe.Want != FormatVersion {
		t.Fatalf("open a newer format: %v", err)
	}
	s, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error { return nil }})
	if err == nil {
		s.Close()
		t.Fatal("opened the second time")
	}
	// Look at the data with Badger alone: it is as it was.
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	after := map[string]string{}
	if err := db.View(func(txn *badger.Txn) error {
		return scanValues(txn, nil, func(k, v []byte) (bool, error) {
			after[string(k)] = string(v)
			return true, nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("a refused start changed the data")
	}
}

func TestAFailedBackupStopsTheUpgrade(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Register(context.Background(), 2026, Item{Sender: "Ana", Subject: "x", Category: "petitie", Status: StatusRegistered}, Meta{Who: "console:op"}); err != nil {
		t.Fatal(err)
	}
	// Make it look like the first release's data.
	if err := s.updateState(context.Background(), func(t *Txn) error { return t.del(key(kFormat)) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(_ *Store, from, to int) error {
		if from != 1 || to != FormatVersion {
			t.Errorf("upgrade %d → %d", from, to)
		}
		return errors.New("disk full")
	}})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("open: %v", err)
	}
	s, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error { return nil }})
	if err != nil {
		t.Fatalf("the next start: %v", err)
	}
	defer s.Close()
	if v, _ := s.getString(key(kFormat)); v != strconv.Itoa(FormatVersion) {
		t.Fatalf("q/format %q after the upgrade", v)
	}
}

// A format 2 register keeps one index key per item and word, status,
// department and day; the upgrade to format 3 turns them into the posting
// blocks this release writes, in several transactions, and every search
// finds what it found before.
func TestFormat2IndexesBecomePostingBlocks(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	for i := range 700 {
		reg := t0.AddDate(0, 0, i/40)
		it := Item{Number: Number{2025 + i%2, 1 + i/2}, Registered: reg, Sender: fmt.Sprintf("Petent %d", i%90),
			Subject: fmt.Sprintf("Cerere %d privind strada %d", i, i%13), Status: StatusRegistered, Deadline: "2026-06-01"}
		if i%4 == 0 {
			it.Status, it.Dept, it.AssignedAt = StatusAssigned, fmt.Sprintf("D%d", i%3), reg
		}
		items = append(items, it)
	}
	ctx := context.Background()
	if _, _, err := s.ImportItems(ctx, RegisterImport{Items: items}, Meta{Who: "test", At: t0}); err != nil {
		t.Fatal(err)
	}
	queries := []Query{{Words: []string{"privind"}}, {Words: []string{"strada", "11"}}, {Words: []string{"petent", "12"}},
		{Status: StatusAssigned}, {Dept: "D1"}, {Dept: "-", Words: []string{"cerere"}}, {From: "2026-11-28", To: "2026-11-30"},
		{From: "2026-12-05"}, {Status: StatusRegistered, To: "2026-11-27"}}
	found := func(s *Store) []string {
		var out []string
		for _, q := range queries {
			q.Limit = 1000
			its, total, err := s.Find(q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range its {
				ids = append(ids, it.Number.id())
			}
			out = append(out, fmt.Sprintf("%+v: %d %v", q, total, ids))
		}
		return out
	}
	want := found(s)
	for i, w := range want {
		if strings.Contains(w, ": 0 []") {
			t.Fatalf("query %d finds nothing: the test tests nothing", i)
		}
	}
	postings, _ := s.Snapshot()
	// Turn the data into format 2: the former keys instead of the blocks.
	formerKeys := toFormat2(t, s, items)
	if formerKeys <= 2000 {
		t.Fatalf("%d former keys: the upgrade would take one transaction", formerKeys)
	}
	s.Close()

	upgraded := 0
	s, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(_ *Store, from, to int) error {
		upgraded++
		if from != 2 || to != 3 {
			t.Errorf("upgrade %d → %d", from, to)
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if upgraded != 1 {
		t.Fatalf("%d backups before the upgrade", upgraded)
	}
	after, _ := s.Snapshot()
	for k, v := range after {
		for _, ix := range formerIndexes {
			if strings.HasPrefix(k, ix.old) {
				t.Fatalf("former index key %q left", k)
			}
		}
		if strings.HasPrefix(k, "x/") && k[3:5] == "b/" && postings[k] != v {
			t.Fatalf("posting block %q differs after the upgrade", k)
		}
	}
	for k, v := range postings {
		if k != kFormat && after[k] != v {
			t.Fatalf("key %q differs after the upgrade", k)
		}
	}
	if got := found(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("searches after the upgrade:\n%s\nbefore:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// toFormat2 turns a register into format 2: the posting blocks go, and each
// item gets the former index keys. It returns how many.
func toFormat2(t testing.TB, s *Store, items []Item) int {
	t.Helper()
	ctx := context.Background()
	old := map[string]string{pWordBits: "x/w/", pStatusBits: "x/st/", pDeptBits: "x/dp/", pDayBits: "x/rg/"}
	for _, prefix := range []string{pWordBits, pStatusBits, pDeptBits, pDayBits} {
		if err := s.db.DropPrefix([]byte(prefix)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.updateState(ctx, func(tx *Txn) error { return tx.set(key(kFormat), []byte("2")) }); err != nil {
		t.Fatal(err)
	}
	n := 0
	for start := 0; start < len(items); start += 500 {
		err := s.updateState(ctx, func(tx *Txn) error {
			for _, it := range items[start:min(start+500, len(items))] {
				for _, tm := range it.terms(s.words) {
					n++
					if err := tx.set(key(old[tm.prefix], tm.value, "/", it.Number.id()), nil); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// BenchmarkUpgradeToPostings times the first start of this release on a
// format 2 register of 100,000 items: the upgrade turns their index keys
// (about 1.2 million) into posting blocks.
//
//	go test ./storage -run '^$' -bench UpgradeToPostings -benchtime 1x
func BenchmarkUpgradeToPostings(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		items := benchItems(100_000)
		if _, _, err := s.ImportItems(context.Background(), RegisterImport{Items: items}, Meta{Who: "test", At: t0}); err != nil {
			b.Fatal(err)
		}
		keys := toFormat2(b, s, items)
		s.Close()
		b.StartTimer()
		s, err = Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if f, _ := s.Format(); f != FormatVersion {
			b.Fatalf("format %d", f)
		}
		s.Close()
		b.ReportMetric(float64(keys), "keys")
		b.StartTimer()
	}
}
