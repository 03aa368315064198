package commands

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

var registerBenchSize = 100_000

// benchRegisterFile writes a register of n rows over 2025 and 2026, a third of
// them answered, in the departments of benchChart.
func benchRegisterFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(registerHeader)
	depts := []string{"D00", "D01-S1", "D02-S3"}
	for i := range n {
		year, seq := 2025+i%2, i/2+1
		day := 1 + seq%28
		month := 1 + (seq/28)%11
		answer := ""
		if i%3 == 0 {
			answer = fmt.Sprintf("%d;%02d.%02d.%d", 9000+i, day, month+1, year)
		} else {
			answer = ";"
		}
		fmt.Fprintf(&b, "%d/%d;%02d.%02d.%d;Petent %d;Sesizare despre strada %d și iluminat;%s;;%s\n",
			seq, year, day, month, year, i%5000, i%700, depts[i%len(depts)], answer)
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
