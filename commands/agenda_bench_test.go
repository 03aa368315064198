package commands

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// benchAgenda is an engine holding a busy year: 2,000 single events (eight
// a working day) and 30 weekly series with exceptions.
func benchAgenda(b *testing.B) *Engine {
	b.Helper()
	s, err := storage.Open(b.TempDir(), storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := at("05.01.2026", "08:00")
	e, err := New(Config{Store: s, Clock: func() time.Time { return now }, Admins: []string{operatorID.Key()}})
	if err != nil {
		b.Fatal(err)
	}
	run := func(line string) {
		if r := e.Handle(context.Background(), Request{Who: operatorID, Text: line}); r.Kind != OK {
			b.Fatalf("%s: %s", line, flat(r))
		}
	}
	day, n := calendar.Date{Year: 2026, Month: 1, Day: 5}, 0
	for n < 2000 {
		if day.Weekday() != time.Saturday && day.Weekday() != time.Sunday {
			for h := 8; h < 16; h++ {
				run(fmt.Sprintf(`programeaza %s %02d:00-%02d:45 "Întâlnirea %d" loc="Sala %d"`, day, h, h, n, n%20))
				n++
			}
		}
		day = day.AddDays(1)
	}
	for i := range 30 {
		d := calendar.Date{Year: 2026, Month: 1, Day: 5 + i%5}
		run(fmt.Sprintf(`programeaza %s 17:%02d "Serie %d" repeta=saptamanal`, d, i, i))
		run(fmt.Sprintf("anuleaza %d %s", 2001+i, d.AddDays(14)))
		run(fmt.Sprintf("muta %d %s %s 18:00", 2001+i, d.AddDays(21), d.AddDays(22)))
	}
	return e
}

// BenchmarkAgendaDayView: the Mayor's day (8 events and 6 series) in a
// year of 2,030 events.
func BenchmarkAgendaDayView(b *testing.B) {
	e := benchAgenda(b)
	day := calendar.Date{Year: 2026, Month: 6, Day: 10}
	b.ResetTimer()
	for b.Loop() {
		if r := e.DayView(day, Caller{Role: RoleMayor}); len(r.Lines) < 8 {
			b.Fatalf("%s", flat(r))
		}
	}
}

// BenchmarkAgendaExport: the whole year as one .ics file.
func BenchmarkAgendaExport(b *testing.B) {
	e := benchAgenda(b)
	b.ResetTimer()
	for b.Loop() {
		r := e.Handle(context.Background(), Request{Who: operatorID, Text: "agenda exporta"})
		if len(r.Files) != 1 {
			b.Fatalf("%s", flat(r))
		}
		b.SetBytes(int64(len(r.Files[0].Data)))
	}
}

// BenchmarkAgendaImport: that file read back into the agenda (every event
// an update by its UID), with the overlap check.
func BenchmarkAgendaImport(b *testing.B) {
	e := benchAgenda(b)
	file := e.Handle(context.Background(), Request{Who: operatorID, Text: "agenda exporta"}).Files
	b.SetBytes(int64(len(file[0].Data)))
	b.ResetTimer()
	for b.Loop() {
		r := e.Handle(context.Background(), Request{Who: operatorID, Text: "agenda importa", Files: file})
		if r.Kind != OK {
			b.Fatalf("%s", flat(r))
		}
	}
}
