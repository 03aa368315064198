package commands

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

var registerBenchSize = 100_000

// benchRegisterFile writes a register of n rows over 2025 and 2026, a third of
// them answered, in the departments of benchChart. As in a real register,
// the numbers follow the days: about 200 registrations a day, each year's
// from 2 January on; an answer comes 20 days after its registration.
func benchRegisterFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(registerHeader)
	depts := []string{"D00", "D01-S1", "D02-S3"}
	for i := range n {
		year, seq := 2025+i%2, i/2+1
		reg := time.Date(year, 1, 2+seq/200, 0, 0, 0, 0, time.UTC)
		answer := ";"
		if i%3 == 0 {
			answer = fmt.Sprintf("%d;%s", 9000+i, reg.AddDate(0, 0, 20).Format("02.01.2006"))
		}
		fmt.Fprintf(&b, "%d/%d;%s;Petent %d;Sesizare despre strada %d și iluminat;%s;;%s\n",
			seq, year, reg.Format("02.01.2006"), i%5000, i%700, depts[i%len(depts)], answer)
	}
	return b.Bytes()
}

// BenchmarkRegisterImport imports a 100,000-row register (two years) into a
// durable database: every row checked, then written with its indexes,
// statistics and audit entry as one journaled change.
//
//	go test ./commands -run '^$' -bench RegisterImport -benchtime 1x
func BenchmarkRegisterImport(b *testing.B) {
	data := benchRegisterFile(registerBenchSize)
	for b.Loop() {
		b.StopTimer()
		e, s := benchEngine(b, b.TempDir())
		b.StartTimer()
		r := e.Handle(context.Background(), Request{Who: operatorID, Text: "import-registru", Files: []File{{Name: "registru.csv", Data: data}}})
		b.StopTimer()
		if r.Kind != OK || !strings.Contains(flat(r), fmt.Sprintf("Adăugate: %d", registerBenchSize)) {
			b.Fatal(flat(r))
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
	b.ReportMetric(float64(registerBenchSize*b.N)/b.Elapsed().Seconds(), "rows/s")
}
