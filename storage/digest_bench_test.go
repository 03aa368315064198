package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// bigRegister is a database of 1,000,000 items of one year across 100
// departments, 5% of them open, built once per benchmark run.
var bigRegister struct {
	once sync.Once
	s    *Store
	err  error
}

const (
	bigItems = 1_000_000
	bigDepts = 100
)

func openBigRegister(b *testing.B) *Store {
	bigRegister.once.Do(func() {
		dir, err := benchDir()
		if err != nil {
			bigRegister.err = err
			return
		}
		s, err := Open(dir, Options{NoSync: true})
		if err != nil {
			bigRegister.err = err
			return
		}
		start := time.Now()
		if last, _ := s.LastNumber(2026); last == 0 {
			bigRegister.err = loadItems(s, bigItems)
			if bigRegister.err == nil {
				bigRegister.err = s.update(context.Background(), func(t *Txn) error {
					_, err := t.next(counterKey(2026)) // marks the database as built
					return err
				})
			}
		}
		b.Logf("built %d items in %s", bigItems, time.Since(start).Round(time.Second))
		bigRegister.s = s
	})
	if bigRegister.err != nil {
		b.Fatal(bigRegister.err)
	}
	return bigRegister.s
}

// loadItems writes n items straight through putItem (no audit entries: this
// is test data, not registrations), many per transaction.
func loadItems(s *Store, n int) error {
	year0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.FixedZone("EET", 2*3600))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w + 1; i <= n; i += 16 {
				it := bigItem(i, year0)
				err := s.update(context.Background(), func(t *Txn) error { return t.putItem(nil, &it) })
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func bigItem(i int, year0 time.Time) Item {
	reg := year0.Add(time.Duration(i) * 31 * time.Second) // spread over the year
	it := Item{Number: Number{Year: 2026, Seq: i}, Registered: reg, Sender: fmt.Sprintf("Cetățean %d", i%5000),
		SenderType: "cetatean", Subject: fmt.Sprintf("Cerere %d", i), Category: "petitie",
		Dept: fmt.Sprintf("D%03d", i%bigDepts), AssignedAt: reg.Add(time.Hour),
		Deadline: reg.AddDate(0, 0, 30).Format("2006-01-02"), Status: StatusResolved, ClosedAt: reg.AddDate(0, 0, 10)}
	if i%20 == 0 { // 5% open
		it.Status, it.ClosedAt = StatusAssigned, time.Time{}
	}
	return it
}

// BenchmarkDepartmentDigests computes the morning digests of all 100
// departments over 1,000,000 items (5% open), reading the open-item indexes.
//
//	go test ./storage -run '^$' -bench 'DepartmentDigests|FullScan' -benchtime 20x
func BenchmarkDepartmentDigests(b *testing.B) {
	s := openBigRegister(b)
	today, until := "2026-11-25", "2026-11-30"
	since := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for range b.N {
		lines := 0
		for d := range bigDepts {
			dg, err := s.DepartmentDigest(fmt.Sprintf("D%03d", d), today, until, since, 10)
			if err != nil {
				b.Fatal(err)
			}
			lines += len(dg.Overdue) + len(dg.Due) + len(dg.New)
		}
		if lines == 0 {
			b.Fatal("empty digests")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/all-digests")
}

// BenchmarkFullScan is the baseline: the same digests found by reading and
// decoding every record.
func BenchmarkFullScan(b *testing.B) {
	s := openBigRegister(b)
	b.ResetTimer()
	for range b.N {
		open := 0
		err := s.view(func(txn *badger.Txn) error {
			return scanValues(txn, []byte(pItem), func(_, v []byte) (bool, error) {
				var it Item
				if err := json.Unmarshal(v, &it); err != nil {
					return false, err
				}
				if it.Status.Open() {
					open++
				}
				return true, nil
			})
		})
		if err != nil || open != bigItems/20 {
			b.Fatalf("open %d, err %v", open, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/scan")
}

// benchDir is CABINET_BENCH_DIR when set (a database kept between runs, built
// on first use), else a fresh temporary directory.
func benchDir() (string, error) {
	if d := os.Getenv("CABINET_BENCH_DIR"); d != "" {
		return d, nil
	}
	return tempDirOutsideTest()
}
