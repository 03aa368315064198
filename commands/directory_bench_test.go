package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// A generated, fictional directory for benchmarks: invented names, numbers
// in the 0264 0xx xxx and 0700 0xx xxx ranges, e-mails at exemplu.invalid.
var (
	benchFirst = strings.Fields(`Ion Ioana Maria Mihai Andrei Ana Elena Alexandru Cristina Dan Gabriela Vasile Radu Sorina
		Ștefan Ştefania Lucia Florin Tudor Bogdan Cosmin Andreea Adrian Alina Bianca Călin Camelia Claudiu Corina Daniela
		Dorin Emil Flavia Gheorghe Horia Irina Iulia Laura Liviu Lucian Marius Mirela Monica Nicolae Oana Ovidiu Paula
		Petru Raluca Remus Roxana Sebastian Silvia Simona Sorin Teodora Traian Valentin Viorica Zoltán Ildikó`)
	benchLast = strings.Fields(`Popescu Ionescu Pop Popa Mureșan Moldovan Ardeleanu Răducanu Țăranu Ţurcan Cozma Sârbu Lazăr
		Vlad Iliescu Toma Bogdan Nistor Dumitraș Ciobanu Rus Marian Dragomir Stoica Matei Constantin Stan Dumitru Munteanu
		Lungu Oprea Rusu Mocanu Florea Ursu Cristea Tănase Neagu Coman Voicu Ene Barbu Dinu Ghiță Mihăilă Nedelcu Păun
		Sandu Suciu Szabó Kovács Nagy Tóth Varga Balogh Farkas Molnár Câmpean Bucur Avram Chirilă Cârstea Bălan Crișan
		Drăgan Feier Gavrilă Hodiș Isac Jurj Lupu Man Mărginean Negrea Onu Pașca Pârvu Roman Rotar Sălăgean Șerban
		Țurcanu Tătar Ungur Vaida Zăgrean Bârsan Cioban Dobra Frâncu Gâlea Hossu Iancu Jitaru Kiss Lăcătuș Meseșan
		Nemeș Oltean Petrean Porumb Râpan Săcui Șandor Trif Vereș Zaharie Buta Cordoș Domuța Fodor Giurgiu Herța`)
	benchFunctions = []string{"Director executiv", "Director executiv adjunct", "Șef serviciu", "Șef birou", "Consilier",
		"Consilier juridic", "Inspector", "Inspector de specialitate", "Referent", "Arhitect", "Inginer", "Economist",
		"Asistent social", "Secretar", "Operator date", "Dispecer", "Auditor", "Expert", "Casier", "Arhivar"}
	benchAreas = []string{"Tehnică", "Urbanism", "Asistență Socială", "Patrimoniu Municipal", "Economică", "Juridică",
		"Resurse Umane", "Comunicare", "Mediu", "Transport Public", "Investiții", "Cultură și Sport"}
	benchUnits = []string{"Iluminat", "Drumuri", "Autorizări", "Evidență", "Control", "Achiziții", "Arhivă", "Registratură"}
)

// benchChart is 12 directions with 4 services each (60 departments).
func benchChart() []byte {
	rows := [][]string{{"cod", "denumire", "parinte", "telefon"}}
	for i, a := range benchAreas {
		code := fmt.Sprintf("D%02d", i)
		rows = append(rows, []string{code, "Direcția " + a, "", fmt.Sprintf("0264 0%02d 000", i)})
		for j := range 4 {
			u := benchUnits[(i+j)%len(benchUnits)]
			rows = append(rows, []string{fmt.Sprintf("%s-S%d", code, j), "Serviciul " + u + " " + a, code, fmt.Sprintf("0264 0%02d %d00", i, j+1)})
		}
	}
	return csvOf(";", rows...)
}

// benchEntries is a directory of n people over benchChart.
func benchEntries(n int) ([]byte, []storage.Entry) {
	rows := [][]string{{"nume", "functie", "departament", "telefon", "interior", "mobil", "email", "birou"}}
	var out []storage.Entry
	seen := map[string]bool{}
	for i := 0; len(out) < n; i++ {
		first, last := benchFirst[i%len(benchFirst)], benchLast[(i/len(benchFirst)+i*7)%len(benchLast)]
		if i >= len(benchFirst)*len(benchLast) {
			first += " " + benchFirst[(i/3)%len(benchFirst)]
		}
		dept := fmt.Sprintf("D%02d", i%len(benchAreas))
		if i%5 != 0 {
			dept += fmt.Sprintf("-S%d", i%4)
		}
		e := storage.Entry{Name: first + " " + last, Function: benchFunctions[i%len(benchFunctions)], Dept: dept,
			Phone: fmt.Sprintf("0264 0%02d %03d", i%100, i%1000), Extension: fmt.Sprint(10000 + i),
			Email: strings.ReplaceAll(text.Fold(first+"."+last), " ", ".") + "@exemplu.invalid", Office: fmt.Sprint(100 + i%400)}
		if i%3 == 0 {
			e.Mobile = fmt.Sprintf("0700 0%02d %03d", (i/1000)%100, i%1000)
		}
		if k := entryNaturalKey(e); seen[k] {
			continue
		} else {
			seen[k] = true
		}
		out = append(out, e)
		rows = append(rows, []string{e.Name, e.Function, e.Dept, e.Phone, e.Extension, e.Mobile, e.Email, e.Office})
	}
	return csvOf(";", rows...), out
}

// benchEngine is an engine on a durable store (synced commits, as in
// production) in dir, with the chart imported.
func benchEngine(b *testing.B, dir string) (*Engine, *storage.Store) {
	b.Helper()
	s, err := storage.Open(dir, storage.Options{Words: text.Words})
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(Config{Store: s, Admins: []string{operatorID.Key()}})
	if err != nil {
		b.Fatal(err)
	}
	r := e.Handle(context.Background(), Request{Who: operatorID, Text: "import-departamente", Files: []File{{Name: "chart.csv", Data: benchChart()}}})
	if r.Kind != OK {
		b.Fatal(flat(r))
	}
	return e, s
}

const benchSize = 10_000

// BenchmarkDirectoryImport imports a 10,000-row directory file into an
// empty, durable database: checking every row, then writing them with their
// audit entries, 500 rows a transaction.
//
//	go test ./commands -run '^$' -bench DirectoryImport -benchtime 3x
func BenchmarkDirectoryImport(b *testing.B) {
	data, _ := benchEntries(benchSize)
	for b.Loop() {
		b.StopTimer()
		e, s := benchEngine(b, b.TempDir())
		b.StartTimer()
		r := e.Handle(context.Background(), Request{Who: operatorID, Text: "import-director", Files: []File{{Name: "agenda.csv", Data: data}}})
		b.StopTimer()
		if r.Kind != OK || !strings.Contains(flat(r), fmt.Sprintf("Adăugate: %d", benchSize)) {
			b.Fatal(flat(r))
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
	b.ReportMetric(float64(benchSize*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDirectoryLookup measures `telefon …` end to end (role check,
// parsing, search, reply) over 10,000 entries, with a mix of what people
// type: surnames, typos, first and last names, diacritics either way,
// extensions, whole and partial numbers, departments by code or a part of
// their name, functions, and two-letter prefixes that match hundreds. It
// reports the latency percentiles and the time to rebuild the index after a
// change.
//
//	go test ./commands -run '^$' -bench DirectoryLookup -benchtime 20000x
func BenchmarkDirectoryLookup(b *testing.B) {
	e, s := benchEngine(b, b.TempDir())
	defer s.Close()
	data, entries := benchEntries(benchSize)
	ctx := context.Background()
	if r := e.Handle(ctx, Request{Who: operatorID, Text: "import-director", Files: []File{{Name: "agenda.csv", Data: data}}}); r.Kind != OK {
		b.Fatal(flat(r))
	}
	viewer := Identity{Platform: "telegram", ID: "555"}
	if r := e.Handle(ctx, Request{Who: operatorID, Text: "rol telegram:555 primar"}); r.Kind != OK {
		b.Fatal(flat(r))
	}
	start := time.Now()
	if _, err := e.directory(); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	// Rebuild after a change, with the folding of unchanged text reused.
	if _, err := s.ChangeEntry(ctx, "17", storage.Meta{Who: "bench"}, func(x *storage.Entry) error { x.Extension = "99999"; return nil }); err != nil {
		b.Fatal(err)
	}
	start = time.Now()
	if _, err := e.directory(); err != nil {
		b.Fatal(err)
	}
	rebuild := time.Since(start)

	var queries []string
	for i := 0; i < 200; i++ {
		en := entries[(i*7919)%len(entries)]
		words := strings.Fields(en.Name)
		last := words[len(words)-1]
		switch i % 10 {
		case 0:
			queries = append(queries, "telefon "+last)
		case 1:
			r := []rune(text.Fold(last))
			if len(r) > 4 {
				r = append(r[:2], r[3:]...) // one letter left out
			}
			queries = append(queries, "telefon "+string(r))
		case 2:
			queries = append(queries, "telefon "+text.Fold(en.Name))
		case 3:
			queries = append(queries, "telefon "+en.Extension)
		case 4:
			queries = append(queries, "telefon "+en.Phone)
		case 5:
			queries = append(queries, "telefon "+strings.ToLower(benchAreas[i%len(benchAreas)][:5]))
		case 6:
			queries = append(queries, "telefon "+en.Dept)
		case 7:
			queries = append(queries, "telefon "+strings.ToLower(en.Function))
		case 8:
			queries = append(queries, "telefon "+strings.ReplaceAll(strings.ReplaceAll(en.Name, "ș", "ş"), "ț", "ţ")+" "+text.Fold(benchAreas[i%len(benchAreas)]))
		case 9:
			queries = append(queries, "telefon "+text.Fold(words[0])[:2])
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t := time.Now()
		r := e.Handle(ctx, Request{Who: viewer, Text: q})
		lat = append(lat, time.Since(t))
		if r.Kind != OK {
			b.Fatalf("%q: %s", q, flat(r))
		}
	}
	b.StopTimer()
	if testing.Verbose() {
		for k := range 10 {
			var kl []time.Duration
			for j := k; j < len(lat); j += 10 {
				kl = append(kl, lat[j])
			}
			slices.Sort(kl)
			b.Logf("kind %d (%q…): p50 %v p90 %v p99 %v", k, queries[k], kl[len(kl)/2], kl[len(kl)*9/10], kl[len(kl)*99/100])
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(rebuild.Milliseconds()), "rebuild-ms")
}
