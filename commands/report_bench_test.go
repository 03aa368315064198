package commands

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/stats"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// benchItems is the size of the register the report benchmark reads:
// 1,000,000 items registered over 2026 (BENCH_ITEMS overrides it).
func benchItems() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ITEMS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchRegister builds a register of benchItems() items over the year 2026
// through the real write path (Store.Register: record, indexes, statistics
// and audit entry in one transaction), in their final states: in the last
// month 60% still open; before it about 92% resolved (mostly on time), 3%
// still open and overdue, 5% filed, forwarded or joined; over 40
// departments and every category and sender type. It returns the store
// (reopened, as after a restart) and how long the building took.
//
// BENCH_DIR keeps the register in that directory and uses it again when it
// already holds benchItems() items (building takes minutes).
func benchRegister(b *testing.B) (*storage.Store, time.Duration) {
	dir := os.Getenv("BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	s, err := storage.Open(dir, storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		b.Fatal(err)
	}
	n := benchItems()
	switch last, err := s.LastNumber(2026); {
	case err != nil:
		b.Fatal(err)
	case last == n:
		b.Cleanup(func() { s.Close() })
		return s, 0
	case last != 0:
		b.Fatalf("%s holds a register of %d items, not %d: use an empty directory", dir, last, n)
	}
	start := time.Now()
	cats := []string{"petitie", "petitie", "petitie", "informatii", "presa", "institutie", "interna", "alta"}
	senders := []string{"cetatean", "cetatean", "cetatean", "firma", "ong", "presa", "minister", "prefect", "institutie", "consilier", "anonim"}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				it := benchItem(rng, int(i), n, cats, senders)
				if _, _, err := s.Register(context.Background(), 2026, it, storage.Meta{Who: "bench", At: it.Registered}); err != nil {
					errs <- err
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	s, err = storage.Open(dir, storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, time.Since(start)
}

func benchItem(rng *rand.Rand, i, n int, cats, senders []string) storage.Item {
	jan1 := time.Date(2026, 1, 1, 8, 0, 0, 0, calendar.Bucharest)
	regDay := i * 365 / n
	reg := jan1.AddDate(0, 0, regDay).Add(time.Duration(rng.IntN(9*60)) * time.Minute)
	due := calendar.DateOf(reg).AddDays(10 + rng.IntN(25))
	it := storage.Item{Registered: reg, RegisteredBy: "bench", Sender: "Expeditor " + strconv.Itoa(rng.IntN(50_000)),
		SenderType: senders[rng.IntN(len(senders))], Category: cats[rng.IntN(len(cats))],
		Subject: "Solicitare " + strconv.Itoa(rng.IntN(5000)), Deadline: due.ISO(), Status: storage.StatusAssigned,
		Dept: fmt.Sprintf("D%02d", rng.IntN(40)), AssignedAt: reg}
	r := rng.IntN(100)
	if regDay >= 335 { // December: 60% still open, the rest resolved
		if r < 60 {
			return it
		}
		r = 99
	}
	switch {
	case r < 3: // open, long overdue
	case r < 5:
		it.Status = storage.StatusFiled
	case r < 7:
		it.Status, it.ForwardedTo = storage.StatusForwarded, "Prefectura Cluj"
	case r < 8:
		it.Status = storage.StatusJoined
	default:
		answered := calendar.DateOf(reg).AddDays(rng.IntN(40))
		if answered.Year > 2026 {
			answered = calendar.Date{Year: 2026, Month: 12, Day: 31}
		}
		it.Status, it.AnswerNo, it.AnswerDate = storage.StatusResolved, strconv.Itoa(i), answered.ISO()
	}
	return it
}

// BenchmarkReportYear measures the year's report over a register of a
// million items: the whole command (figures, text and both charts) and the
// figures alone. The register is built once, before the first timing
// (about a minute on two cores):
//
//	go test ./commands -run '^$' -bench ReportYear -benchtime 5x
func BenchmarkReportYear(b *testing.B) {
	s, built := benchRegister(b)
	clock := func() time.Time { return time.Date(2026, 12, 31, 18, 0, 0, 0, calendar.Bucharest) }
	e, err := New(Config{Store: s, Clock: clock, Admins: []string{operatorID.Key()}})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("register of %d items built in %s", benchItems(), built.Round(time.Second))
	b.Run("command", func(b *testing.B) {
		for b.Loop() {
			r := e.Handle(context.Background(), Request{Who: operatorID, Text: "raport 2026"})
			if r.Kind != OK || len(r.Files) != 2 || r.Fields[0].Value != (&Call{Lang: Romanian}).num(benchItems()) {
				b.Fatalf("report: %s (%d files)", flat(r), len(r.Files))
			}
		}
	})
	b.Run("figures", func(b *testing.B) {
		c := &Call{e: e, Lang: Romanian}
		for b.Loop() {
			rep, err := c.collect(yearSpan(2026), stats.Filter{})
			if err != nil || rep.Total.Registered != benchItems() {
				b.Fatalf("%v: %d items", err, rep.Total.Registered)
			}
		}
	})
}
