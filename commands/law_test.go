package commands

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

var fullDate = regexp.MustCompile(`\b\d{2}\.\d{2}\.\d{4}\b`)

// TestTermenStatesOnlyWorkingDays asks "termen" for every day of 2026–2028
// and every category: every date the answer states is a working day, every
// answer says how days are counted and cites the rule it applies.
func TestTermenStatesOnlyWorkingDays(t *testing.T) {
	w := newWorld(t, at("01.01.2026", "08:00"))
	cal := w.e.Calendar()
	cites := map[calendar.Category][]string{
		calendar.Petition:    {"OG 27/2002 art. 8", "OG 27/2002 art. 6^1", "OG 27/2002 art. 9", "OG 27/2002 art. 7"},
		calendar.PublicInfo:  {"Legea 544/2001 art. 7(1)", "Legea 544/2001 art. 7(2)"},
		calendar.Press:       {"practica biroului de presă, configurabil (CABINET_PRESS_DEADLINE_HOURS)"},
		calendar.Institution: {"CABINET_DEFAULT_DEADLINE_DAYS", "se păstrează"},
		calendar.Internal:    {"CABINET_DEFAULT_DEADLINE_DAYS"},
		calendar.Other:       {"CABINET_DEFAULT_DEADLINE_DAYS"},
	}
	for d, _ := calendar.NewDate(2026, time.January, 1); d.Year <= 2028; d = d.AddDays(1) {
		for _, cat := range calendar.Categories {
			r := w.as(operatorID, "termen "+d.String()+" "+string(cat))
			s := flat(r)
			if r.Kind != OK {
				t.Fatalf("%s %s: %s", d, cat, s)
			}
			for _, m := range fullDate.FindAllString(s, -1) {
				day, err := calendar.ParseDay(m, d)
				if err != nil || !cal.IsWorkingDay(day) {
					t.Errorf("termen %s %s states %s, not a working day: %s", d, cat, m, s)
				}
			}
			for _, want := range append(cites[cat], "Codul civil art. 2553") {
				if !strings.Contains(s, want) {
					t.Errorf("termen %s %s lacks %q: %s", d, cat, want, s)
				}
			}
			if cat == calendar.Press && strings.Contains(s, "544") {
				t.Errorf("a press request cites Law 544: %s", s)
			}
		}
	}
}

// TestLawRefusalsChangeNothing: each rule's refusal gives its reason and an
// example, and leaves the database exactly as it was.
func TestLawRefusalsChangeNothing(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition)                                                                              // 1: Ion Popescu, due 02.12.2026
	w.must(`inregistreaza de="Ana Radu" categorie=informatii subiect="Contracte"`)                // 2: due 12.11.2026
	w.must(`inregistreaza tip=anonim subiect="Zgomot"`)                                           // 3: anonymous
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă, iar"`) // 4
	w.must(`inregistreaza de="Maria Ionescu" tip=cetatean categorie=petitie subiect="Groapă"`)    // 5
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=alta subiect="Groapă"`)         // 6
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Răspunsă"`)    // 7
	w.must(`rezolva 7/2026 raspuns=9`)                                                            //
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Răspunsă"`)    // 8
	w.must(`inregistreaza de="Ana Radu" categorie=informatii subiect="Bugete"`)                   // 9
	w.setNow(at("20.11.2026", "10:00"))
	w.must(`inregistreaza de="Dan" tip=cetatean categorie=petitie subiect="Nouă"`) // 10
	w.setNow(at("03.12.2026", "10:00"))                                            // 1 expired on 02.12
	tests := []struct {
		name string
		who  Identity
		line string
		want []string
	}{
		{"petition extended after its term (OG 27/2002 art. 9)", anaID, "prelungeste 1/2026 10", []string{"a expirat pe 02.12.2026", "OG 27/2002 art. 9", "motiv="}},
		{"forcing is for admins only", anaID, `prelungeste 1/2026 10 motiv="urgent"`, []string{"doar un administrator"}},
		{"petition extended by more than 15 days (OG 27/2002 art. 9)", operatorID, "prelungeste 10/2026 16", []string{"cel mult 15 zile", "OG 27/2002 art. 9"}},
		{"544 extended after its term (Law 544/2001 art. 7(1))", anaID, "prelungeste 2/2026 10 notificat=05.11.2026", []string{"a expirat", "Legea 544/2001 art. 7(1)"}},
		{"544 extended past 30 days (Law 544/2001 art. 7(1))", operatorID, "prelungeste 2/2026 21 notificat=05.11.2026", []string{"cel mult 30 de zile", "20 de zile"}},
		{"anonymous petition extended (OG 27/2002 art. 7)", operatorID, "prelungeste 3/2026 5", []string{"nu are termen", "OG 27/2002 art. 7"}},
		{"filing without a reason", operatorID, "claseaza 1/2026", []string{"Spuneți motivul", "anonima, repetata, retrasa, necompetenta, alta"}},
		{"filing for an unknown reason", operatorID, "claseaza 1/2026 motiv=plictiseala", []string{"Motiv de clasare necunoscut"}},
		{"filing a 544 request (Law 544/2001 art. 7)", operatorID, "claseaza 2/2026 motiv=retrasa", []string{"nu se clasează", "Legea 544/2001 art. 7", "refuz="}},
		{"filing an identified petitioner as anonymous (OG 27/2002 art. 7)", operatorID, "claseaza 1/2026 motiv=anonima", []string{"petent identificat (Ion Popescu)", "OG 27/2002 art. 7"}},
		{"filing as repeated without the earlier item (OG 27/2002 art. 10(2))", operatorID, "claseaza 8/2026 motiv=repetata", []string{"anterior=", "OG 27/2002 art. 10(2)"}},
		{"filing as repeated of an unanswered item (OG 27/2002 art. 10(2))", operatorID, "claseaza 4/2026 motiv=repetata anterior=1/2026", []string{"nu are încă răspuns", "conexeaza 4/2026 1/2026"}},
		{"filing as repeated of a later item", operatorID, "claseaza 4/2026 motiv=repetata anterior=8/2026", []string{"nu este anterioară"}},
		{"filing for another reason without saying it", operatorID, "claseaza 1/2026 motiv=alta", []string{"detalii="}},
		{"filing out of competence before forwarding", operatorID, "claseaza 1/2026 motiv=necompetenta", []string{"după redirecționare", "redirectioneaza 1/2026"}},
		{"joining to a later item (OG 27/2002 art. 10(1))", operatorID, "conexeaza 1/2026 4/2026", []string{"cea anterioară", "conexeaza 4/2026 1/2026", "OG 27/2002 art. 10(1)"}},
		{"joining to an answered item (OG 27/2002 art. 10(2))", operatorID, "conexeaza 8/2026 7/2026", []string{"are deja răspuns", "claseaza 8/2026 motiv=repetata anterior=7/2026"}},
		{"joining another petitioner (OG 27/2002 art. 10(1))", operatorID, "conexeaza 5/2026 1/2026", []string{"petenți diferiți (Maria Ionescu / Ion Popescu)", "confirma motiv="}},
		{"joining another petitioner, confirmed without a reason", operatorID, "conexeaza 5/2026 1/2026 confirma", []string{"petenți diferiți"}},
		{"joining another category (OG 27/2002 art. 10(1))", operatorID, "conexeaza 6/2026 1/2026", []string{"categorii diferite (altele / petiție)"}},
		{"refusing a petition (Law 544/2001 art. 7(2))", operatorID, `rezolva 1/2026 raspuns=3 refuz="nu"`, []string{"cererilor de informații publice", "Legea 544/2001 art. 7(2)"}},
		{"refusing without a ground (Law 544/2001 art. 7(2))", operatorID, `rezolva 9/2026 raspuns=3 refuz=""`, []string{"se motivează"}},
		{"recording a notice on a petition (Law 544/2001 art. 7(1))", operatorID, "prelungeste 1/2026 notificat=03.11.2026", []string{"cerere de informații publice prelungită"}},
		{"recording a notice on a request not extended", operatorID, "prelungeste 9/2026 notificat=03.11.2026", []string{"prelungită"}},
		{"correcting a closed item", operatorID, "corecteaza 7/2026 categorie=alta", []string{"deja închisă"}},
		{"correcting nothing", operatorID, "corecteaza 1/2026", []string{"Spuneți ce corectați"}},
		{"correcting to the same values", operatorID, "corecteaza 1/2026 categorie=petitie", []string{"Nimic de corectat"}},
		{"correcting an unknown category", operatorID, "corecteaza 1/2026 categorie=reclamatie", []string{"Categorie necunoscută"}},
		{"the responsible in copy", operatorID, "repartizeaza 1/2026 DT cc=DAS,DT", []string{"DT este responsabil", "nu poate fi și în copie"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { w.refuses(t, tt.who, tt.line, append(tt.want, "Exemplu:")...) })
	}
	// An item others are joined to is not joined on: they would be lost.
	w.must("conexeaza 8/2026 4/2026")
	w.refuses(t, operatorID, "conexeaza 4/2026 1/2026", "La 4/2026 sunt conexate altele", "8/2026", "Exemplu:")
	// A note's term may be extended after it (no law sets it).
	w.must(`inregistreaza de="Juridic" categorie=interna subiect="Aviz" termen=03.12.2026`) // 11
	w.setNow(at("04.12.2026", "10:00"))
	contains(t, w.as(anaID, "prelungeste 11/2026 5"), "08.12.2026")
	// The same with the notice too late: 9/2026 was registered 02.11, told
	// by 12.11 at the latest.
	w.setNow(at("11.11.2026", "10:00"))
	w.refuses(t, operatorID, "prelungeste 9/2026 5 notificat=01.11.2026", "înaintea înregistrării")
}

func TestLetterDatesAndLegalTerms(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "09:00")).standard()
	// OG 27/2002 art. 8: a later date asked never lengthens the legal term.
	contains(t, w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="X" termen=31.03.2027`),
		"Termen: 28.12.2026", "adresa cere 31.03.2027, după termenul legal: se aplică termenul legal")
	// The Prefecture's 25.12 is a date: kept, the last working day named.
	contains(t, w.must(`inregistreaza de="Prefectura Cluj" tip=prefect subiect="Raport" termen=25.12.2026`),
		"Termen: 25.12.2026 | Departament", "cade într-o zi nelucrătoare: răspundeți până pe 24.12.2026")
	contains(t, w.must("arata 2/2026"), "răspundeți până pe 24.12.2026")
	contains(t, w.must("arata 1/2026"), "se aplică termenul legal", "OG 27/2002 art. 6^1")
	// The press office's term, not Law 544.
	r := w.must(`inregistreaza de="Monitorul de Cluj" tip=presa subiect="Buget"`)
	contains(t, r, "24 de ore, practica biroului de presă, configurabil (CABINET_PRESS_DEADLINE_HOURS)")
	if strings.Contains(flat(r), "544") {
		t.Errorf("press cites Law 544: %s", flat(r))
	}
	// Assumed defaults are named, with how to correct them.
	contains(t, w.must(`inregistreaza de="Şcoala Gimnazială „Ion Creangă”" subiect="Y"`),
		"Expeditor: Şcoala Gimnazială „Ion Creangă” (cetățean)", "s-a presupus „cetățean”", "corecteaza 4/2026 tip=…",
		"s-a presupus „petiție”", "corecteaza 4/2026 categorie=…")
	// A petition forwarded on 02.12 was on time: 30.11 and 01.12 are holidays (OG 27/2002 art. 6^1).
	w.setNow(at("02.12.2026", "10:00"))
	r = w.must(`redirectioneaza 1/2026 institutie="Prefectura Cluj"`)
	if strings.Contains(flat(r), "Atenție") {
		t.Errorf("forwarding on time warned: %s", flat(r))
	}
}

func TestAnonymousPetitionHasNoDeadline(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	r := w.must(`inregistreaza tip=anonim subiect="Zgomot"`)
	contains(t, r, "Termen: fără termen — se clasează (OG 27/2002 art. 7)", "claseaza 1/2026 motiv=anonima")
	w.must(`inregistreaza tip=anonim subiect="Gunoi"`)
	if n := w.must("repartizeaza 2/2026 DT").Notices[0].Reply.Title; !strings.Contains(n, "Vi s-a repartizat 2/2026, fără termen — se clasează (OG 27/2002 art. 7)") {
		t.Errorf("the department is told %q", n)
	}
	w.setNow(at("20.03.2027", "10:00"))
	contains(t, w.must("restante"), "Nicio restanță")
	contains(t, w.must("restante DT"), "Nicio restanță")
	contains(t, w.must("de-clasat"), "De clasat (OG 27/2002 art. 7): 2", "1/2026", "2/2026 · DT")
	contains(t, w.must("raport 2026"), "Restante acum: 0")
	contains(t, w.as(viewerID, "agenda"), "nicio restanță")
	sum, err := w.e.CabinetSummary(t.Context(), calendar.DateOf(w.now), nil)
	if err != nil || !strings.Contains(flat(sum), "Restante: 0") {
		t.Errorf("summary counts an anonymous petition overdue: %s %v", flat(sum), err)
	}
	if d, ok, _ := w.e.DepartmentDigest(t.Context(), "DT", calendar.DateOf(w.now), w.now); ok && strings.Contains(flat(d), "Restanțe") {
		t.Errorf("digest: %s", flat(d))
	}
	contains(t, w.must("claseaza 1/2026 motiv=anonima"), "1/2026 clasată: petiție anonimă sau fără date de identificare (OG 27/2002 art. 7)")
	contains(t, w.must("de-clasat"), ": 1", "2/2026")
}

func TestExtensionsWhileTheTermRuns(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition)                                                               // 1: due 02.12.2026
	w.must(`inregistreaza de="Ana Radu" categorie=informatii subiect="Contracte"`) // 2: due 12.11.2026, told by 12.11
	// The last day of the term still counts (Civil Code art. 2553).
	w.setNow(at("02.12.2026", "16:00"))
	contains(t, w.as(anaID, "prelungeste 1/2026 15"), "17.12.2026", "OG 27/2002 art. 9")
	w.setNow(at("12.11.2026", "09:00"))
	contains(t, w.as(anaID, "prelungeste 2/2026 20 notificat=12.11.2026"), "02.12.2026", "înștiințat la 12.11.2026")
	hist, _ := w.store.History(storage.KindItem, "2/2026")
	if last := hist[len(hist)-1]; last.Action != "extend" || !strings.Contains(last.Note, "solicitant înștiințat la 12.11.2026") {
		t.Errorf("audit %+v", last)
	}
	// Extended without the notice: the Cabinet is reminded until it is recorded.
	w.setNow(at("05.11.2026", "09:00"))
	w.must(`inregistreaza de="Dan" categorie=informatii subiect="Salarii"`) // 3: told by 16.11 (15.11 is a Sunday)
	contains(t, w.must("prelungeste 3/2026 20"), "Înștiințarea solicitantului nu e înregistrată (se trimite până pe 16.11.2026")
	reminded := func() bool {
		msgs, err := w.e.Reminders(t.Context(), calendar.DateOf(w.now))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Item.Number.String() == "3/2026" && m.To.Kind == ToCabinet && strings.Contains(m.Reply.Title, "fără înștiințarea") {
				return true
			}
		}
		return false
	}
	if !reminded() {
		t.Error("no reminder of the missing notice")
	}
	w.refuses(t, operatorID, "prelungeste 3/2026 notificat=17.11.2026", "în viitor")
	w.setNow(at("17.11.2026", "09:00"))
	w.refuses(t, operatorID, "prelungeste 3/2026 notificat=17.11.2026", "trebuia înștiințat până pe 16.11.2026")
	contains(t, w.must("prelungeste 3/2026 notificat=16.11.2026"), "înștiințarea solicitantului înregistrată (16.11.2026)", "înștiințat la 16.11.2026")
	if reminded() {
		t.Error("reminded after the notice was recorded")
	}
}

func TestForcedExtensionIsAuditedAndJudgedLegally(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition) // due 02.12.2026
	w.setNow(at("07.12.2026", "10:00"))
	r := w.must(`prelungeste 1/2026 10 motiv="dispoziția primarului nr. 12"`)
	// 02.11 + 40 days = 12.12, a Saturday → 14.12.
	contains(t, r, "Termen: 14.12.2026", "forțată", "termen legal 02.12.2026")
	hist, _ := w.store.History(storage.KindItem, "1/2026")
	if last := hist[len(hist)-1]; last.Who != operatorID.Key() || !strings.Contains(last.Note, "motiv: dispoziția primarului nr. 12") {
		t.Errorf("audit %+v", last)
	}
	w.setNow(at("10.12.2026", "10:00"))
	w.must("rezolva 1/2026 raspuns=5")
	r = w.must("raport 11.2026")
	for label, want := range map[string]string{"La termen": "0 (0%)", "Cu întârziere": "1"} {
		if got := reportField(t, r, label); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
}

func TestJoiningAndResolvingTogether(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition) // 1
	w.setNow(at("04.11.2026", "10:00"))
	w.must(`inregistreaza de="ion popescu" tip=cetatean categorie=petitie subiect="Groapă, din nou"`)  // 2: same petitioner, spelt otherwise
	w.must(`inregistreaza de="Maria Ionescu" tip=cetatean categorie=petitie subiect="Aceeași groapă"`) // 3
	contains(t, w.must("conexeaza 2/2026 1/2026"), "2/2026 conexată la 1/2026", "OG 27/2002 art. 10(1)")
	contains(t, w.must(`conexeaza 3/2026 1/2026 confirma motiv="vecini, aceeași groapă"`), "3/2026 conexată la 1/2026")
	d := w.as(anaID, "ciorna 1/2026")
	doc := docxText(t, d.Files[0].Data)
	for _, want := range []string{"nr. 2/2026 din 04.11.2026 (ion popescu)", "nr. 3/2026 din 04.11.2026 (Maria Ionescu)"} {
		if !strings.Contains(doc, want) || !strings.Contains(flat(d), want) {
			t.Errorf("draft lacks %q:\n%s\n%s", want, doc, flat(d))
		}
	}
	w.setNow(at("20.11.2026", "10:00"))
	r := w.must("rezolva 1/2026 raspuns=4521")
	contains(t, r, "Rezolvată odată cu ea (conexată): 2/2026 · ion popescu", "3/2026 · Maria Ionescu")
	for _, n := range []string{"2/2026", "3/2026"} {
		it, _ := w.store.Item(mustNumber(n))
		if it.Status != storage.StatusResolved || it.AnswerNo != "4521" || it.AnswerDate != "2026-11-20" {
			t.Errorf("%s: %+v", n, it)
		}
		hist, _ := w.store.History(storage.KindItem, n)
		if last := hist[len(hist)-1]; last.Action != "resolve" {
			t.Errorf("%s: last audit %+v", n, last)
		}
	}
}

func mustNumber(s string) storage.Number {
	n, ok := ParseNumber(s, 2026)
	if !ok {
		panic(s)
	}
	return n
}

func TestFilingWithReasons(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition)                                                                              // 1
	w.must(`rezolva 1/2026 raspuns=1`)                                                            //
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă, iar"`) // 2
	w.must(`inregistreaza de="X" tip=cetatean categorie=petitie subiect="Nu e a noastră"`)        // 3
	w.must(`inregistreaza de="Y" tip=cetatean categorie=petitie subiect="Retrasă"`)               // 4
	w.must(`inregistreaza de="Z" tip=cetatean categorie=alta subiect="Dublură"`)                  // 5
	contains(t, w.must("claseaza 2/2026 motiv=repetata anterior=1/2026"), "petiție repetată după răspuns (OG 27/2002 art. 10(2))", "Legături: 1/2026")
	w.must(`redirectioneaza 3/2026 institutie="Prefectura"`)
	contains(t, w.must("claseaza 3/2026 motiv=necompetenta"), "în afara competenței")
	contains(t, w.must("file 4/2026 reason=withdrawn"), "4/2026 filed: withdrawn by the petitioner")
	contains(t, w.must(`claseaza 5/2026 motiv=alta detalii="e-mail trimis de două ori"`), "alt motiv: e-mail trimis de două ori")
}

func TestRefusalIsItsOwnResolution(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(`inregistreaza de="Ana Radu" categorie=informatii subiect="Salarii"`)
	w.setNow(at("10.11.2026", "10:00"))
	r := w.must(`rezolva 1/2026 raspuns=77 refuz="date personale, art. 12 alin. (1) lit. d"`)
	// 02.11 + 5 = 07.11, a Saturday → 09.11: the refusal of 10.11 is late.
	contains(t, r, "1/2026 refuzată (Legea 544/2001 art. 7(2)): date personale", "Refuzul trebuia comunicat până pe 09.11.2026")
	contains(t, w.must("arata 1/2026"), "refuzată (date personale, art. 12 alin. (1) lit. d), nr. 77 din 10.11.2026")
	contains(t, w.must("cauta stare=refuzata"), "Găsite: 1")
}

func TestDayOffMovesOpenDeadlines(t *testing.T) {
	w := newWorld(t, at("27.10.2026", "10:00")).standard()
	w.must(petition)                                                                       // 1: due 26.11.2026 (Thursday)
	w.must(`inregistreaza de="Prefectura" tip=prefect subiect="Raport" termen=26.11.2026`) // 2: a letter's date, kept
	w.setNow(at("16.11.2026", "10:00"))
	w.must(`inregistreaza de="Ana" categorie=informatii subiect="Contracte"`) // 3: due 26.11.2026
	w.must(`inregistreaza de="Ana" categorie=informatii subiect="Rezolvată"`) // 4: due 26.11.2026, closed
	w.must("rezolva 4/2026 raspuns=1")
	r := w.must(`zi-libera 26.11.2026 "HG 1/2026"`)
	contains(t, r, "Termene mutate: 2", "1/2026 → 27.11.2026", "3/2026 → 27.11.2026")
	if strings.Contains(flat(r), "2/2026") || strings.Contains(flat(r), "4/2026") {
		t.Errorf("moved a letter's date or a closed item: %s", flat(r))
	}
	it, _ := w.store.Item(mustNumber("2/2026"))
	if it.Deadline != "2026-11-26" {
		t.Errorf("letter's date moved to %s", it.Deadline)
	}
	hist, _ := w.store.History(storage.KindItem, "1/2026")
	if last := hist[len(hist)-1]; last.Action != "dayoff" || !strings.Contains(last.Note, "HG 1/2026") {
		t.Errorf("audit %+v", last)
	}
	contains(t, w.must("arata 1/2026"), "Termen: 27.11.2026", "termen mutat (zi liberă)")
	r = w.must("zi-libera sterge 26.11.2026")
	contains(t, r, "Termene mutate: 2", "1/2026 → 26.11.2026", "3/2026 → 26.11.2026")
	contains(t, w.must(`zi-libera 03.12.2026 "HG 2/2026"`), "Niciun termen deschis nu se mută")
}

func TestCorrectARegistration(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "09:00")).standard()
	w.must(`inregistreaza de="Popescu" tip=institutie subiect="Groapă"`) // institution: 30 days default → 28.12
	r := w.as(anaID, `corecteaza 1/2026 de="Ion Popescu" tip=cetatean categorie=informatii`)
	// Law 544: 25.11 + 10 = 05.12, a Saturday → 07.12.
	contains(t, r, "1/2026 corectată", "Termen: 07.12.2026", "categorie: institutie → informatii", "de: Popescu → Ion Popescu")
	hist, _ := w.store.History(storage.KindItem, "1/2026")
	last := hist[len(hist)-1]
	if last.Action != "correct" || !strings.Contains(string(last.Before), `"category":"institutie"`) || !strings.Contains(string(last.After), `"category":"informatii"`) {
		t.Errorf("audit %+v", last)
	}
	contains(t, w.must(`correct 1/2026 category=petition`), "1/2026 corrected", "Deadline: 28.12.2026")
	contains(t, w.must("cauta de=popescu"), "Găsite: 1", "1/2026")
}

func TestCopiesCollapse(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "09:00")).standard()
	w.must(petition)
	r := w.must("repartizeaza 1/2026 DT cc=DAS,das,DPM,DAS")
	contains(t, r, "în copie: DAS, DPM |")
	if n := len(r.Notices); n != 3 {
		t.Errorf("%d notices, want DT, DAS and DPM", n)
	}
}

// TestReportLawFixture: a month with a joined group, a refusal, a
// permitted 544 extension and a forced late one, worked out by hand.
func TestReportLawFixture(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	step := func(day string, lines ...string) {
		t.Helper()
		w.setNow(at(day, "10:00"))
		for _, l := range lines {
			w.must(l)
		}
	}
	step("02.11.2026", petition)                                                                              // 1 (p1): due 02.12
	step("03.11.2026", `inregistreaza de="Ana Pop" tip=cetatean categorie=petitie subiect="Parcare"`)         // 2 (p3): due 03.12
	step("04.11.2026", `inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă, iar"`, // 3 (p2): due 04.12
		"conexeaza 3/2026 1/2026")
	step("05.11.2026", `inregistreaza de="Dan Radu" categorie=informatii subiect="Salarii"`, // 4 (i1): due 16.11
		`inregistreaza de="Dan Radu" categorie=informatii subiect="Contracte"`) // 5 (i2): due 16.11
	step("06.11.2026", `inregistreaza tip=anonim subiect="Zgomot"`) // 6 (a1): no deadline
	step("09.11.2026", `rezolva 4/2026 raspuns=55 refuz="date personale"`)
	step("12.11.2026", "prelungeste 5/2026 20 notificat=10.11.2026") // 05.11 + 30 = 05.12, Saturday → 07.12
	step("01.12.2026", "rezolva 1/2026 raspuns=100")                 // resolves 3/2026 too
	step("04.12.2026", "rezolva 5/2026 raspuns=101")
	step("07.12.2026", `prelungeste 2/2026 10 motiv="dispoziție"`) // forced: the legal term stays 03.12
	step("10.12.2026", "rezolva 2/2026 raspuns=102")
	w.setNow(at("15.12.2026", "10:00"))
	r := w.as(anaID, "raport 01.11.2026-30.11.2026")
	want := map[string]string{
		"Înregistrate": "6",       // 1–6
		"Rezolvate":    "4 (66%)", // 1, 3 (with 1), 5, 2
		// On time: 1 (01.12 ≤ 02.12), 3 (01.12 ≤ 04.12), 5 (04.12 ≤ 07.12,
		// extended in time); late: 2 (10.12 > 03.12, its legal term).
		"La termen":                           "3 (75%)",
		"Cu întârziere":                       "1",
		"Refuzate (Legea 544/2001 art. 7(2))": "1", // 4
		"Încă deschise":                       "1", // 6, anonymous
		"Restante acum":                       "0", // 6 has no deadline
		// Days to answer: 3: 27, 1: 29, 5: 29, 2: 37 → median (2nd of 4) 29,
		// 90th percentile (4th of 4) 37.
		"Timp de rezolvare": "mediana 29 de zile, 90% în 37 de zile",
	}
	for label, v := range want {
		if got := reportField(t, r, label); got != v {
			t.Errorf("%s: %q, want %q", label, got, v)
		}
	}
	if strings.Contains(flat(r), "Închise altfel") {
		t.Errorf("nothing is closed otherwise: %s", flat(r))
	}
}

// TestFixedDateOnADayOffIsRemindedByTheWorkingDayBefore: the Prefecture's
// 25.12.2026 (a holiday) is answered by 24.12: reminded on 23.12 for the
// next working day, escalated on 28.12.
func TestFixedDateOnADayOffIsRemindedByTheWorkingDayBefore(t *testing.T) {
	w := newWorld(t, at("01.12.2026", "09:00")).standard()
	w.must(`inregistreaza de="Prefectura Cluj" tip=prefect subiect="Raport" termen=25.12.2026`)
	numbers := func(msgs []ItemMessage) []string {
		var out []string
		for _, m := range msgs {
			out = append(out, m.Item.Number.String()+" "+m.Reply.Title)
		}
		return out
	}
	for _, tt := range []struct {
		day      string
		reminded bool
	}{{"22.12.2026", false}, {"23.12.2026", true}, {"24.12.2026", false}} {
		d, _ := calendar.ParseDay(tt.day, calendar.DateOf(w.now))
		msgs, err := w.e.Reminders(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		got := numbers(msgs)
		if (len(got) > 0) != tt.reminded || tt.reminded && !strings.Contains(got[0], "în următoarea zi lucrătoare") {
			t.Errorf("reminders on %s: %v", tt.day, got)
		}
	}
	for _, tt := range []struct {
		day       string
		escalated bool
	}{{"24.12.2026", false}, {"28.12.2026", true}, {"29.12.2026", false}} {
		d, _ := calendar.ParseDay(tt.day, calendar.DateOf(w.now))
		msgs, err := w.e.Escalations(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		if (len(msgs) > 0) != tt.escalated {
			t.Errorf("escalations on %s: %v", tt.day, numbers(msgs))
		}
	}
}

// TestJoinedItemsCloseWithTheirItem: forwarding or filing the item others
// are joined to takes them along, each with its own audit entry.
func TestJoinedItemsCloseWithTheirItem(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition)                                                                              // 1
	w.must(`inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă, iar"`) // 2
	w.must(`inregistreaza de="Ana" tip=cetatean categorie=petitie subiect="Nu e a noastră"`)      // 3
	w.must(`inregistreaza de="Ana" tip=cetatean categorie=petitie subiect="Tot a lor"`)           // 4
	w.must("conexeaza 2/2026 1/2026")
	w.must("conexeaza 4/2026 3/2026")
	contains(t, w.must("claseaza 1/2026 motiv=retrasa"), "Clasată odată cu ea (conexată): 2/2026 · Ion Popescu")
	contains(t, w.must(`redirectioneaza 3/2026 institutie="Prefectura"`), "Redirecționată odată cu ea (conexată): 4/2026 · Ana")
	for n, want := range map[string]storage.Status{"2/2026": storage.StatusFiled, "4/2026": storage.StatusForwarded} {
		it, _ := w.store.Item(mustNumber(n))
		hist, _ := w.store.History(storage.KindItem, n)
		if it.Status != want || len(hist) != 3 {
			t.Errorf("%s: %s with %d audit entries, want %s with 3", n, it.Status, len(hist), want)
		}
	}
}
