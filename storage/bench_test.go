package storage

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// benchItem is a registration of typical size.
func benchItem() Item {
	it := item("Solicitare privind repararea carosabilului pe strada Horea, între nr. 10 și 24")
	it.Contact = "0740 000 000, ion.popescu@example.ro"
	it.Channel = "email"
	it.Pages = 2
	return it
}

// BenchmarkDurableRegister measures durable registrations per second (sync on
// every commit) with 1 and 8 concurrent writers, beside raw Badger durable
// writes of one key per transaction with a value of the same size. Compare the
// regs/s and writes/s metrics:
//
//	go test ./storage -run '^$' -bench Durable -benchtime 3000x
//
// record=off leaves out the integrity record's update (an atomic file write
// with two syncs after each commit that hands out numbers), to see its cost.
func BenchmarkDurableRegister(b *testing.B) {
	for _, bench := range []struct {
		writers int
		record  bool
	}{{1, true}, {1, false}, {8, true}, {8, false}} {
		writers := bench.writers
		b.Run(fmt.Sprintf("writers=%d/record=%v", writers, bench.record), func(b *testing.B) {
			s := openTemp(b, b.TempDir())
			defer s.Close()
			if !bench.record {
				s.recPath = ""
			}
			it := benchItem()
			b.ResetTimer()
			start := time.Now()
			parallel(b.N, writers, func(int) {
				if _, _, err := s.Register(context.Background(), 2026, it, Meta{Who: "bench", At: t0}); err != nil {
					b.Error(err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "regs/s")
		})
	}
}

// BenchmarkDurableRawBadger is the baseline: one key per transaction, synced,
// value the size of a registration record.
func BenchmarkDurableRawBadger(b *testing.B) {
	val, _ := json.Marshal(benchItem())
	for _, writers := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := openTemp(b, b.TempDir())
			defer s.Close()
			var n atomic.Uint64
			b.ResetTimer()
			start := time.Now()
			parallel(b.N, writers, func(int) {
				k := binary.BigEndian.AppendUint64([]byte("raw/"), n.Add(1))
				err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(k, val) })
				if err != nil {
					b.Error(err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
		})
	}
}

// parallel runs n calls of fn spread over w goroutines.
func parallel(n, w int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				fn(int(i))
			}
		}()
	}
	wg.Wait()
}
