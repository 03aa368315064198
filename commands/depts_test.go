package commands

import (
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

const deptPetition = `inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă pe str. Horea"`

// A department asks for more time: the law is checked at once, the Cabinet
// gets a card with Aprobă/Respinge, approving extends exactly as prelungeste
// (25.11.2026 + 30 days → 28.12.2026; +10 → 04.01.2027: 25.11 + 40 days),
// the department is told in the item's thread; a second request is refused
// by the law (OG 27/2002 art. 9).
func TestExtensionRequestApproved(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)
	w.must("repartizeaza 1/2026 DT")
	r := w.as(dtID, `cere-prelungire 1/2026 10 motiv="așteptăm avizul ISU"`)
	contains(t, r, "Cerere de prelungire trimisă Cabinetului: 1/2026, +10 zile")
	if len(r.Notices) != 1 || r.Notices[0].To.Kind != ToCabinet {
		t.Fatalf("notices %+v", r.Notices)
	}
	card := r.Notices[0].Reply
	contains(t, card, "DT cere prelungirea termenului pentru 1/2026 cu 10 zile", "așteptăm avizul ISU", "28.12.2026")
	if len(card.Actions) != 2 || card.Actions[0].Command != "aproba-prelungire 1/2026" || card.Actions[1].Inputs[0] != "motiv" {
		t.Fatalf("actions %+v", card.Actions)
	}
	w.refuses(t, dtID, `cere-prelungire 1/2026 5 motiv="încă"`, "deja o cerere de prelungire nedecisă")
	contains(t, w.as(anaID, "sinteza"), "Cereri de prelungire nedecise: 1", "1/2026 · DT · +10 zile")
	sum, err := w.e.CabinetSummary(t.Context(), calendar.DateOf(w.e.Now()), nil)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, sum, "Cereri de prelungire nedecise: 1", "1/2026 · DT · +10 zile · termen 28.12.2026")

	r = w.as(anaID, "aproba-prelungire 1/2026")
	contains(t, r, "Termenul pentru 1/2026 prelungit: 04.01.2027")
	if len(r.Notices) != 1 || r.Notices[0].To != (Recipient{Kind: ToItem, ID: "1/2026"}) {
		t.Fatalf("notices %+v", r.Notices)
	}
	contains(t, r.Notices[0].Reply, "Cererea de prelungire a DT aprobată: 1/2026, termen nou 04.01.2027")
	it, _ := w.store.Item(storage.Number{Year: 2026, Seq: 1})
	if it.ExtRequest != nil || it.Extensions != 1 || it.ExtendedDays != 10 || it.Deadline != "2027-01-04" {
		t.Fatalf("item %+v", it)
	}
	w.refuses(t, dtID, `cere-prelungire 1/2026 5 motiv="încă"`, "a fost deja prelungită o dată", "OG 27/2002 art. 9")
	w.refuses(t, anaID, "aproba-prelungire 1/2026", "nicio cerere de prelungire nedecisă")
	show := flat(w.as(anaID, "arata 1/2026"))
	assertOrder(t, show, "înregistrată", "repartizată", "prelungire cerută — +10 zile: așteptăm avizul ISU",
		"termen prelungit — +10 zile; cerută de DT: așteptăm avizul ISU")
}

// Refusing a request keeps the deadline and tells the department why.
func TestExtensionRequestRefused(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)
	w.must("repartizeaza 1/2026 DT")
	w.as(dtID, `cere-prelungire 1/2026 15 motiv="volum"`)
	w.refuses(t, anaID, "respinge-prelungire 1/2026", "Lipsește motivul")
	r := w.as(anaID, `respinge-prelungire 1/2026 motiv="nu e cazul"`)
	contains(t, r, "Cererea de prelungire pentru 1/2026 respinsă")
	contains(t, r.Notices[0].Reply, "Cererea de prelungire a DT respinsă: 1/2026 rămâne cu termenul 28.12.2026", "nu e cazul")
	it, _ := w.store.Item(storage.Number{Year: 2026, Seq: 1})
	if it.ExtRequest != nil || it.Extensions != 0 || it.Deadline != "2026-12-28" {
		t.Fatalf("item %+v", it)
	}
	// Refused, it may be asked again: the law's single extension is unused.
	contains(t, w.as(dtID, `cere-prelungire 1/2026 5 motiv="totuși"`), "Cerere de prelungire trimisă")
}

// Every wrong role and every request the law forbids is refused, and the
// database is exactly as before.
func TestDepartmentTalkRefusals(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)                                                                                // 1: petition, DT
	w.must("repartizeaza 1/2026 DT")                                                                    //
	w.must(`inregistreaza de="Ana Ionescu" tip=cetatean categorie=informatii subiect="Contracte 2025"`) // 2: 544, DT
	w.must("repartizeaza 2/2026 DT")                                                                    //
	w.must(deptPetition)                                                                                // 3: unassigned
	w.must(`inregistreaza de="Prefectura" tip=prefect subiect="Situație" termen=01.12.2026`)            // 4: fixed date
	w.must("repartizeaza 4/2026 DT")                                                                    //
	w.must(`inregistreaza de="Vasile Pop" tip=cetatean categorie=petitie subiect="Iluminat" `)          // 5: resolved
	w.must("repartizeaza 5/2026 DT")                                                                    //
	w.must("rezolva 5/2026 raspuns=1")                                                                  //
	for _, tc := range []struct {
		who  Identity
		line string
		want string
	}{
		{dasID, `cere-prelungire 1/2026 10 motiv="x"`, "Doar departamentul responsabil (DT) sau Cabinetul poate să ceară prelungirea pentru 1/2026."},
		{viewerID, `cere-prelungire 1/2026 10 motiv="x"`, "nu permite comanda"},
		{dtID, `aproba-prelungire 1/2026`, "nu permite comanda"},
		{dtID, `respinge-prelungire 1/2026 motiv="x"`, "nu permite comanda"},
		{dtID, `cere-prelungire 1/2026 16 motiv="x"`, "cel mult 15 zile"},
		{dtID, `cere-prelungire 1/2026 10`, "Lipsește motivul"},
		{dtID, `cere-prelungire 1/2026 zece motiv="x"`, "Zilele trebuie să fie un număr"},
		{dtID, `cere-prelungire 2/2026 21 motiv="x"`, "cel mult 20 de zile"},
		{dtID, `cere-prelungire 5/2026 5 motiv="x"`, "deja închisă"},
		{anaID, `cere-prelungire 3/2026 5 motiv="x"`, "nu este repartizată"},
		{dasID, `returneaza 1/2026 motiv="x"`, "Doar departamentul responsabil (DT) sau Cabinetul poate să o returneze pentru 1/2026."},
		{viewerID, `returneaza 1/2026 motiv="x"`, "nu permite comanda"},
		{dtID, `returneaza 1/2026`, "Lipsește motivul"},
		{dtID, `returneaza 3/2026 motiv="x"`, "nu este repartizată"},
		{dasID, `consulta 1/2026 DPM intrebare="x"`, "Doar departamentul responsabil (DT) sau Cabinetul poate să consulte pentru 1/2026."},
		{dtID, `consulta 1/2026 DT intrebare="x"`, "consultați alt departament"},
		{dtID, `consulta 1/2026 DPM`, "Lipsește întrebarea"},
		{dtID, `consulta 1/2026 BRP intrebare="x"`, "desființat"},
		{dtID, `consulta 1/2026 DPM intrebare="x" termen=29.12.2026`, "nu poate fi după termenul lui 1/2026 (28.12.2026)"},
		{dtID, `consulta 1/2026 DPM intrebare="x" termen=20.11.2026`, "în trecut"},
		{dasID, `raspunde-consultare 1/2026 "da"`, "nicio consultare deschisă"},
	} {
		t.Run(tc.line, func(t *testing.T) { w.refuses(t, tc.who, tc.line, tc.want) })
	}
	// Past its deadline, no consultation can be due in time.
	w.setNow(at("29.12.2026", "10:00"))
	w.refuses(t, dtID, `consulta 1/2026 DPM intrebare="x"`, "Termenul lui 1/2026 (28.12.2026) a trecut")
	w.setNow(at("25.11.2026", "10:00"))
	// The consulted department answers; others may not.
	w.as(dtID, `consulta 1/2026 DAS intrebare="Ajutor social?"`)
	w.refuses(t, dtID, `raspunde-consultare 1/2026 "da"`, "nicio consultare deschisă")
	w.refuses(t, dasID, `raspunde-consultare 1/2026`, "Lipsește răspunsul")
	w.refuses(t, viewerID, `raspunde-consultare 1/2026 "da"`, "nu permite comanda")
}

// A department returns an item: back in the Cabinet's queue as "returnată
// de DT", DT no longer responsible, the deadline still running, the card
// with Repartizează and the time lost; assigning clears it.
func TestReturn(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)
	w.must("repartizeaza 1/2026 DT")
	contains(t, w.as(dtID, `cere-prelungire 1/2026 5 motiv="x"`), "Cerere de prelungire trimisă")
	w.setNow(at("27.11.2026", "11:00"))
	r := w.as(dtID, `returneaza 1/2026 motiv="ține de patrimoniu"`)
	contains(t, r, "1/2026 returnată Cabinetului", "Termenul curge în continuare: 28.12.2026")
	card := r.Notices[0]
	if card.To.Kind != ToCabinet || len(card.Reply.Actions) != 1 || card.Reply.Actions[0].Command != "repartizeaza 1/2026" {
		t.Fatalf("card %+v", card)
	}
	contains(t, card.Reply, "1/2026 returnată de DT", "ține de patrimoniu", "28.12.2026 (curge în continuare)", "Timp pierdut: 2 zile la DT")
	it, _ := w.store.Item(storage.Number{Year: 2026, Seq: 1})
	if it.Dept != "" || it.ReturnedBy != "DT" || it.Status != storage.StatusRegistered || it.Deadline != "2026-12-28" || it.ExtRequest != nil {
		t.Fatalf("item %+v", it)
	}
	contains(t, w.as(anaID, "arata 1/2026"), "Stare: returnată de DT")
	contains(t, w.as(anaID, "cauta stare=inregistrata"), "1/2026 · returnată de DT · termen 28.12.2026")
	w.setNow(at("29.12.2026", "11:00"))
	contains(t, w.as(anaID, "restante"), "1/2026 · returnată de DT · termen 28.12.2026")
	w.setNow(at("27.11.2026", "11:00"))
	if s := flat(w.as(anaID, "sinteza")); strings.Contains(s, "Cereri de prelungire") {
		t.Errorf("the returning department's request is still pending: %s", s)
	}
	w.refuses(t, dtID, `rezolva 1/2026 raspuns=1`, "Doar departamentul responsabil")
	contains(t, w.as(anaID, "repartizeaza 1/2026 DPM"), "1/2026 repartizată la DPM")
	it, _ = w.store.Item(storage.Number{Year: 2026, Seq: 1})
	if it.ReturnedBy != "" || it.Dept != "DPM" {
		t.Fatalf("item %+v", it)
	}
	assertOrder(t, flat(w.as(anaID, "arata 1/2026")), "repartizată — DT", "returnată Cabinetului — DT: ține de patrimoniu", "repartizată — DPM (returnată de DT)")
}

// assertOrder checks that s has every part, in order.
func assertOrder(t *testing.T, s string, parts ...string) {
	t.Helper()
	rest := s
	for _, p := range parts {
		i := strings.Index(rest, p)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", p, s)
		}
		rest = rest[i+len(p):]
	}
}

// DT consults DAS: 5 working days by default (26, 27 November, 2, 3, 4
// December: 30 November and 1 December are holidays); DAS sees it in its
// digest, its summary and its overdue list apart from its own items; DT
// sees what it waits on; DAS answers, the answer goes to the item's threads
// and into the history.
func TestConsultation(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)
	w.must("repartizeaza 1/2026 DT")
	r := w.as(dtID, `consulta 1/2026 DAS intrebare="Are petentul dosar de ajutor social?"`)
	contains(t, r, "1/2026: DAS consultat, răspuns până pe 04.12.2026")
	n := r.Notices[0]
	if n.To != (Recipient{Kind: ToDepartment, ID: "DAS"}) || n.Reply.Item != "1/2026" || n.Reply.Actions[0].Command != "raspunde-consultare 1/2026" || n.Reply.Actions[0].Inputs[0] != "text" {
		t.Fatalf("notice %+v", n)
	}
	contains(t, n.Reply, "DT vă consultă pentru 1/2026, răspuns până pe 04.12.2026", "Are petentul dosar")
	contains(t, w.as(dasID, "sinteza DAS"), "Consultări de răspuns: 1", "1/2026 · de la DT · până pe 04.12.2026")
	contains(t, w.as(dtID, "sinteza DT"), "Consultări așteptate: 1", "1/2026 · DAS · până pe 04.12.2026")

	w.setNow(at("07.12.2026", "09:00"))
	contains(t, w.as(dasID, "restante DAS"), "Nicio restanță — DAS.", "Consultări de răspuns (în afara înregistrărilor proprii): 1, restante 1",
		"1/2026 · de la DT · până pe 04.12.2026 (restantă)")
	dig, ok, err := w.e.DepartmentDigest(t.Context(), "DAS", calendar.DateOf(w.e.Now()), at("04.12.2026", "08:00"))
	if err != nil || !ok {
		t.Fatalf("DAS has a consultation and no digest: %v", err)
	}
	contains(t, dig, "Consultări de răspuns: 1", "1/2026 · de la DT · până pe 04.12.2026 (restantă)")

	w.refuses(t, dtID, `raspunde-consultare 1/2026 "da"`, "nicio consultare deschisă")
	r = w.as(dasID, `raspunde-consultare 1/2026 "Da, dosar 55/2025"`)
	contains(t, r, "1/2026: răspunsul DAS la consultare trimis lui DT")
	if n := r.Notices[0]; n.To != (Recipient{Kind: ToItem, ID: "1/2026"}) {
		t.Fatalf("notice %+v", n)
	}
	contains(t, r.Notices[0].Reply, "Răspunsul DAS la consultarea pentru 1/2026", "Are petentul dosar", "Da, dosar 55/2025")
	if _, ok, _ := w.e.DepartmentDigest(t.Context(), "DAS", calendar.DateOf(w.e.Now()), at("07.12.2026", "08:00")); ok {
		t.Error("an answered consultation is still in DAS's digest")
	}
	assertOrder(t, flat(w.as(anaID, "arata 1/2026")), "repartizată — DT",
		"consultare cerută — DT → DAS, până pe 04.12.2026: Are petentul dosar de ajutor social?", "consultare răspunsă — Da, dosar 55/2025")
}

// raport counts, by hand: in 23–29.11.2026, returns by the department that
// returned — DT 1 (1/2026 on 25.11), DPM 1 (1/2026 on 26.11); 3/2026's
// return by DAS on 02.12 is outside — and consultations by the department
// consulted — DAS (2/2026, 25.11), DPM (2/2026, 26.11), DT (3/2026, 27.11).
func TestReportCountsReturnsAndConsultations(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "09:00")).standard()
	w.must(`departament adauga DU "Direcția Urbanism"`)
	w.must(`rol slack:UDU departament=DU`)
	duID := Identity{Platform: "slack", ID: "UDU"}
	for range 3 {
		w.must(deptPetition)
	}
	w.must("repartizeaza 1/2026 DT")
	w.must("repartizeaza 2/2026 DT")
	w.must("repartizeaza 3/2026 DAS")
	steps := []struct {
		day  string
		who  Identity
		line string
	}{
		{"25.11.2026", dtID, `returneaza 1/2026 motiv="nu e al nostru"`},
		{"25.11.2026", anaID, "repartizeaza 1/2026 DPM"},
		{"25.11.2026", dtID, `consulta 2/2026 DAS intrebare="a?"`},
		{"26.11.2026", dtID, `consulta 2/2026 DPM intrebare="b?"`},
		{"26.11.2026", operatorID, `rol slack:UDPM departament=DPM`},
		{"26.11.2026", Identity{Platform: "slack", ID: "UDPM"}, `returneaza 1/2026 motiv="nici al nostru"`},
		{"26.11.2026", anaID, "repartizeaza 1/2026 DU"},
		{"27.11.2026", dasID, `consulta 3/2026 DT intrebare="c?"`},
		{"02.12.2026", dasID, `returneaza 3/2026 motiv="urbanism"`},
		{"02.12.2026", duID, `consulta 1/2026 DAS intrebare="d?"`},
	}
	for _, s := range steps {
		w.setNow(at(s.day, "10:00"))
		if r := w.as(s.who, s.line); r.Kind != OK {
			t.Fatalf("%s: %s", s.line, flat(r))
		}
	}
	r := w.as(anaID, "raport 23.11.2026-29.11.2026")
	for label, v := range map[string]string{
		"Înregistrate":          "3",
		"Returnate Cabinetului": "2 (DPM 1, DT 1)",
		"Consultări cerute":     "3 (DAS 1, DPM 1, DT 1)",
	} {
		if got := reportField(t, r, label); got != v {
			t.Errorf("%s: %q, want %q", label, got, v)
		}
	}
	r = w.as(anaID, "raport 23.11.2026-29.11.2026 departament=DT")
	if got := reportField(t, r, "Returnate Cabinetului"); got != "1 (DT 1)" {
		t.Errorf("DT's returns: %q", got)
	}
	r = w.as(anaID, "raport 01.12.2026-31.12.2026")
	if got := reportField(t, r, "Returnate Cabinetului"); got != "1 (DAS 1)" {
		t.Errorf("December's returns: %q", got)
	}
	if got := reportField(t, r, "Consultări cerute"); got != "1 (DAS 1)" {
		t.Errorf("December's consultations: %q", got)
	}
}

// An answer with a file: the file goes to the file store, referenced in the
// answer's transaction, and travels with the answer to the item's threads.
func TestConsultationAnswerWithAFile(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(deptPetition)
	w.must("repartizeaza 1/2026 DT")
	w.as(dtID, `consulta 1/2026 DAS intrebare="Dosar?"`)
	pdf := File{Name: "aviz.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 aviz DAS")}
	before := w.snapshot()
	r := w.e.Handle(t.Context(), Request{Who: dasID, Text: `raspunde-consultare 1/2026`, Files: []File{pdf}})
	if r.Kind == OK {
		t.Fatal("an answer without text was accepted")
	}
	w.unchanged(before, "an answer without text")
	r = w.e.Handle(t.Context(), Request{Who: dasID, Text: `raspunde-consultare 1/2026 "Vezi avizul"`, Files: []File{pdf}})
	contains(t, r, "răspunsul DAS la consultare trimis lui DT")
	n := r.Notices[0].Reply
	if len(n.Files) != 1 || n.Files[0].Name != "aviz.pdf" || string(n.Files[0].Data) != string(pdf.Data) {
		t.Fatalf("notice files %+v", n.Files)
	}
	it, _ := w.store.Item(storage.Number{Year: 2026, Seq: 1})
	ref := it.Consults[0].File
	if ref == nil || ref.Name != "aviz.pdf" {
		t.Fatalf("consultation %+v", it.Consults[0])
	}
	users, err := w.store.FileUsers(ref.SHA256)
	if err != nil || len(users) != 1 || users[0] != "c/2026/00000001/consult/1" {
		t.Fatalf("file users %v %v", users, err)
	}
	if data, err := w.store.ReadFile(ref.SHA256); err != nil || string(data) != string(pdf.Data) {
		t.Fatalf("stored file %q %v", data, err)
	}
	contains(t, w.as(anaID, "arata 1/2026"), "consultare răspunsă — Vezi avizul (fișier: aviz.pdf)")
}
