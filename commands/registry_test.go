package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/storage"
)

const petition = `inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă pe str. Horea" contact="0740 111 222"`

func TestRegisterReplyStatesNumberDateAndDeadline(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "09:15"))
	r := w.must(petition)
	contains(t, r, "Înregistrat 1/2026", "25.11.2026 09:15", "Termen: 28.12.2026", "nerepartizată",
		"30 de zile, OG 27/2002 art. 8; 25.12 și 26.12 sărbători legale, 27.12 duminică → 28.12.2026",
		"redirecționarea petiției către instituția competentă (5 zile, OG 27/2002 art. 6^1): 30.11 și 01.12 sărbători legale → 02.12.2026")
	if r.Item != "1/2026" {
		t.Errorf("reply item %q", r.Item)
	}
	contains(t, w.must(petition), "Înregistrat 2/2026")
	contains(t, w.must(`register from="Ministerul Finanțelor" type=ministry subject="Buget" deadline=10.12.2026`),
		"Registered 3/2026", "Deadline: 10.12.2026", "the deadline the letter gives")
}

func TestRegisterDefaultsAndVocabulary(t *testing.T) {
	w := newWorld(t, at("24.11.2026", "09:05"))
	tests := []struct{ line, want string }{
		{`inregistreaza de="Monitorul de Cluj" tip=presa subiect="Buget 2027"`, "Termen: 25.11.2026 09:05"},   // press: 24 h
		{`inregistreaza de="Prefectura" tip=prefect subiect="Adresă"`, "Categorie: instituție"},               // institution by default
		{`inregistreaza de="Ana" categorie=informatii subiect="Contracte"`, "Termen: 04.12.2026"},             // 10 days, Law 544
		{`inregistreaza tip=anonim subiect="Zgomot"`, "Petiție anonimă"},                                      // anonymous petition
		{`înregistrează de="X" subiect="Y" canal=poștă pagini=3 nr="123/20.11.2026"`, "poștă"},                // diacritics in command and values
		{`INREGISTREAZA De="X" SUBIECT="Y" Categorie=Petiție`, "Categorie: petiție"},                          // case-insensitive
		{`inregistreaza de="X" subiect="Y" categorie=interna termen=azi`, "Termen: 24.11.2026"},               // date words
		{`inregistreaza de="X" subiect="Y" categorie=institutie termen=mâine`, "Termen: 25.11.2026"},          //
		{`inregistreaza de="X" subiect=„Ghilimele românești” categorie=alta`, "Subiect: Ghilimele românești"}, // „…” quotes
		{`inregistreaza de="X" subiect="Y" categorie=alta termen=29.11`, "Termen: 30.11.2026 → no, moved"},    // placeholder replaced below
	}
	// A letter's fixed date on a Sunday is kept, the Friday before named.
	tests[len(tests)-1].want = "Termen: 29.11.2026 | Departament"
	tests = append(tests, struct{ line, want string }{`inregistreaza de="X" subiect="Y" categorie=alta termen=29.11`, "cade într-o zi nelucrătoare: răspundeți până pe 27.11.2026"})
	for _, tt := range tests {
		contains(t, w.must(tt.line), tt.want)
	}
}

// TestBadInputChangesNothing: every kind of bad input gets a one-line reason
// and an example, and leaves the database exactly as it was.
func TestBadInputChangesNothing(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(petition)                                                        // 1/2026
	w.must(`inregistreaza de="Ion" subiect="Altă problemă"`)                // 2/2026
	w.must(`repartizeaza 2/2026 DT`)                                        //
	w.must(`rezolva 2/2026 raspuns=77`)                                     // closed
	w.must(`inregistreaza de="Ana" subiect="Prelungită" categorie=petitie`) // 3/2026
	w.must(`prelungeste 3/2026 10`)                                         // petitions: once
	w.must(`inregistreaza de="Ana" subiect="A DT-ului" categorie=petitie`)  // 4/2026
	w.must(`repartizeaza 4/2026 DT`)                                        //
	tests := []struct {
		name string
		who  Identity
		line string
		want []string
	}{
		{"unknown command", operatorID, "inregistrez de=x", []string{"Comandă necunoscută", "Poate ați vrut: inregistreaza"}},
		{"unknown command in English", operatorID, "registr from=x", []string{"Did you mean: register"}},
		{"unknown number", operatorID, "arata 99/2026", []string{"Nu există înregistrarea 99/2026", "ultimul număr din 2026: 4", "Exemplu: arata 12/2026"}},
		{"not a number", operatorID, "arata doisprezece", []string{"nu este un număr de înregistrare"}},
		{"unknown department", operatorID, "repartizeaza 1/2026 ZZZ", []string{"Departament necunoscut: „ZZZ”", "DT", "Exemplu: repartizeaza"}},
		{"closed department", operatorID, "repartizeaza 1/2026 BRP", []string{"BRP", "desființat", "nu mai poate primi repartizări"}},
		{"closed department in copy", operatorID, "repartizeaza 1/2026 DT cc=BRP", []string{"desființat"}},
		{"ambiguous department", operatorID, "repartizeaza 1/2026 directia", []string{"mai multe departamente", "DAS", "DPM", "DT"}},
		{"unbalanced quote", operatorID, `inregistreaza de="Ion Popescu subiect=x`, []string{"Ghilimele", "Exemplu:"}},
		{"impossible date", operatorID, `inregistreaza de="X" subiect="Y" termen=31.02.2026`, []string{"Data „31.02.2026” nu există"}},
		{"not a date", operatorID, `termen cândva petitie`, []string{"nu este o dată"}},
		{"deadline before registration", operatorID, `inregistreaza de="X" subiect="Y" termen=01.11.2026`, []string{"înaintea datei înregistrării"}},
		{"missing subject", operatorID, `inregistreaza de="X"`, []string{"Lipsește subiectul", `Exemplu: inregistreaza de="Ion Popescu"`}},
		{"missing sender", operatorID, `inregistreaza subiect="Y"`, []string{"Lipsește expeditorul"}},
		{"missing sender in English", operatorID, `register subject="Y"`, []string{"The sender is missing", `Example: register from=`}},
		{"unknown key", operatorID, `inregistreaza de="X" subiect="Y" culoare=rosu`, []string{"Cheie necunoscută „culoare”", "de, tip, categorie"}},
		{"repeated key", operatorID, `inregistreaza de="X" de="Z" subiect="Y"`, []string{"de două ori"}},
		{"unknown category", operatorID, `inregistreaza de="X" subiect="Y" categorie=reclamatie`, []string{"Categorie necunoscută", "petitie"}},
		{"unknown sender type", operatorID, `inregistreaza de="X" subiect="Y" tip=extraterestru`, []string{"Tip de expeditor necunoscut"}},
		{"bad pages", operatorID, `inregistreaza de="X" subiect="Y" pagini=multe`, []string{"pagini"}},
		{"bare argument", operatorID, `inregistreaza Ion Popescu`, []string{"Argument neînțeles"}},
		{"missing number", operatorID, `repartizeaza`, []string{"Lipsește numărul"}},
		{"missing department", operatorID, `repartizeaza 1/2026`, []string{"Lipsește departamentul"}},
		{"resolve closed", operatorID, `rezolva 2/2026 raspuns=78`, []string{"deja închisă"}},
		{"resolve in the future", operatorID, `rezolva 1/2026 raspuns=5 data=30.11.2026`, []string{"în viitor"}},
		{"extend petition twice", operatorID, `prelungeste 3/2026 5`, []string{"deja prelungită o dată"}},
		{"extend petition too long", operatorID, `prelungeste 1/2026 20`, []string{"cel mult 15 zile"}},
		{"extend zero days", operatorID, `prelungeste 1/2026 0`, []string{"între 1 și 365"}},
		{"join to itself", operatorID, `conexeaza 1/2026 1/2026`, []string{"ea însăși"}},
		{"forward without institution", operatorID, `redirectioneaza 1/2026`, []string{"Lipsește instituția"}},
		{"find with nothing", operatorID, `cauta`, []string{"Spuneți ce căutați"}},
		{"find with bad period", operatorID, `cauta perioada=30.11.2026-01.11.2026`, []string{"înainte să înceapă"}},
		{"other department resolves", dasID, `rezolva 4/2026 raspuns=1`, []string{"Doar departamentul responsabil (DT"}},
		{"viewer registers", viewerID, petition, []string{"nu permite comanda „inregistreaza”"}},
		{"department member assigns", dtID, `repartizeaza 1/2026 DT`, []string{"nu permite"}},
		{"cabinet grants roles", anaID, `rol slack:UX cabinet`, []string{"nu permite comanda „rol”"}},
		{"role for a closed department", operatorID, `rol slack:UX departament=BRP`, []string{"desființat"}},
		{"unknown role", operatorID, `rol slack:UX sef`, []string{"Rol necunoscut"}},
		{"bad identity", operatorID, `rol "doi oameni" cabinet`, []string{"nu este o identitate"}},
		{"day off on a holiday", operatorID, `zi-libera 01.12.2026 "x"`, []string{"deja sărbătoare legală"}},
		{"day off without reason", operatorID, `zi-libera 02.12.2026`, []string{"motivul"}},
		{"empty line", operatorID, "   ", []string{"Scrieți o comandă"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { w.refuses(t, tt.who, tt.line, tt.want...) })
	}
}

func TestStrangerIsRefusedOnceAndNothingChanges(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00"))
	w.must(petition)
	items := func() string {
		its, _, _ := w.store.Find(storage.Query{From: "2000-01-01"})
		var s []string
		for _, it := range its {
			s = append(s, it.Number.String()+string(it.Status))
		}
		return strings.Join(s, ",")
	}
	before := items()
	r := w.as(strangerID, petition)
	if r.Kind != Denied || !strings.Contains(r.Title, "telegram:99999") || !r.Private {
		t.Fatalf("first refusal: %+v", r)
	}
	for _, line := range []string{petition, "ajutor", "rezolva 1/2026 raspuns=1"} {
		if r := w.as(strangerID, line); !r.Silent {
			t.Fatalf("second attempt answered: %s", flat(r))
		}
	}
	if items() != before {
		t.Fatal("a stranger changed the register")
	}
}

func TestAssignReassignAndDepartmentLoop(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(petition)
	r := w.as(anaID, "repartizeaza 1/2026 directia tehnica cc=das")
	contains(t, r, "1/2026 repartizată la DT", "DT — Direcția Tehnică", "în copie: DAS", "Termen: 28.12.2026")
	if len(r.Notices) != 2 || r.Notices[0].To != (Recipient{Kind: ToDepartment, ID: "DT"}) || r.Notices[1].To.ID != "DAS" {
		t.Fatalf("notices: %+v", r.Notices)
	}
	contains(t, r.Notices[0].Reply, "Vi s-a repartizat 1/2026, termen 28.12.2026")
	contains(t, w.as(anaID, "repartizeaza 1/2026 DPM"), "repartizată din nou: DT → DPM")
	// DT no longer has it; DPM's member would. DT may not resolve it.
	contains(t, w.as(dtID, "rezolva 1/2026 raspuns=5"), "Doar departamentul responsabil (DPM")
	w.must("repartizeaza 1/2026 DT")
	r = w.as(dtID, "rezolvat raspuns=5021") // a reply in the card's thread: the number comes from the thread
	if r.Kind != Invalid {
		t.Fatal("without a thread the number is required")
	}
	// In the card's thread the number is left out; a bare department word
	// there means that item too.
	contains(t, w.e.Handle(context.Background(), Request{Who: anaID, Text: "repartizeaza DT", Item: "1/2026"}), "1/2026")
	r = w.e.Handle(context.Background(), Request{Who: dtID, Text: "rezolvat raspuns=5021", Item: "1/2026"})
	contains(t, r, "1/2026 rezolvată: răspuns nr. 5021 din 25.11.2026")
	if len(r.Notices) != 1 || r.Notices[0].To.Kind != ToCabinet {
		t.Fatalf("the Cabinet is told: %+v", r.Notices)
	}
	hist := flat(w.must("arata 1/2026"))
	for _, want := range []string{"înregistrată", "repartizată — DT (cc DAS)", "repartizată din nou — DT → DPM", "rezolvată — răspuns nr. 5021", "slack:UDT"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q: %s", want, hist)
		}
	}
}

func TestBareResolvedInAThread(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(petition)
	w.must("repartizeaza 1/2026 DT")
	r := w.e.Handle(context.Background(), Request{Who: dtID, Text: "rezolvat", Item: "1/2026"})
	contains(t, r, "1/2026 rezolvată: răspuns nr. — din 25.11.2026", "rezolvată la 25.11.2026, fără număr de răspuns", "Fără numărul răspunsului")
}

func TestContactIsPersonalData(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(petition)
	w.must("repartizeaza 1/2026 DT")
	contains(t, w.as(anaID, "arata 1/2026"), "Contact: 0740 111 222")
	contains(t, w.as(dtID, "arata 1/2026"), "Contact: 0740 111 222")
	for _, who := range []Identity{dasID, viewerID} {
		if strings.Contains(flat(w.as(who, "arata 1/2026")), "0740") {
			t.Errorf("%s sees the sender's contact", who.Key())
		}
	}
}

func TestExtendForwardJoinFile(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(petition) // 1: petition of 02.11 → 02.12
	contains(t, w.must("prelungeste 1/2026 15"), "17.12.2026", "prelungit cu 15 zile", "înștiințat")
	w.must(`inregistreaza de="X" subiect="Cerere" categorie=informatii`)                                        // 2
	contains(t, w.must("prelungeste 2/2026 20 notificat=02.11.2026"), "02.12.2026", "înștiințat la 02.11.2026") // 10 + 20 = 30 days
	w.must(`inregistreaza de="Y" subiect="Nu e de competența noastră"`)                                         // 3
	w.setNow(at("10.11.2026", "10:00"))
	contains(t, w.must(`redirectioneaza 3/2026 institutie="Prefectura Cluj"`), "redirecționată către Prefectura Cluj", "în 5 zile", "09.11.2026") // 07.11 is a Saturday
	w.must(`inregistreaza de="Ion Popescu" subiect="Groapă, din nou"`)                                                                            // 4
	r := w.must("conexeaza 4/2026 1/2026")
	contains(t, r, "4/2026 conexată la 1/2026", "Legături: 4/2026", "urmărește de acum prin 1/2026")
	contains(t, w.must("arata 4/2026"), "conexată la 1/2026")
	contains(t, w.as(operatorID, "conexeaza 4/2026 1/2026"), "deja închisă")
	w.must(`inregistreaza tip=anonim subiect="Reclamație"`) // 5
	contains(t, w.must(`claseaza 5/2026 motiv=anonima`), "5/2026 clasată", "OG 27/2002 art. 7")
}

func TestOverdueAndFind(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "10:00")).standard()
	w.must(`inregistreaza de="A" subiect="Iluminat stradal Mănăștur" categorie=informatii`) // due 12.11
	w.must(`inregistreaza de="B" subiect="Groapă Horea"`)                                   // due 02.12
	w.must("repartizeaza 1/2026 DT")
	w.setNow(at("20.11.2026", "10:00"))
	contains(t, w.must("restante"), "Restanțe: 1", "1/2026 · DT · termen 12.11.2026 (depășit cu 8 zile) · Iluminat stradal Mănăștur")
	contains(t, w.must("restante DAS"), "Nicio restanță — DAS")
	contains(t, w.as(viewerID, "overdue"), "Overdue: 1", "8 days late")
	contains(t, w.must("cauta manastur"), "Găsite: 1", "1/2026")
	contains(t, w.must("cauta iluminat mănăștur stare=repartizata"), "Găsite: 1")
	contains(t, w.must("cauta stare=inregistrata"), "Găsite: 1", "2/2026")
	contains(t, w.must("cauta de=b perioada=02.11.2026-03.11.2026"), "Găsite: 1", "2/2026")
	contains(t, w.must("cauta girafa"), "Nu am găsit nimic")
}

func TestDeadlineCommandAndDaysOff(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00"))
	contains(t, w.must("termen 25.11.2026 petitie"), "Termen: 28.12.2026", "27.12 duminică")
	contains(t, w.must("deadline 16.11.2026 public-info"), "Deadline: 26.11.2026")
	contains(t, w.must(`zi-libera 26.11.2026 "HG 1/2026"`), "este zi liberă")
	contains(t, w.must("termen 16.11.2026 informatii"), "Termen: 27.11.2026", "26.11 zi liberă")
	contains(t, w.must("zi-libera"), "26.11.2026 joi · HG 1/2026 (adăugată)", "01.12.2026 marți")
	w.must("zi-libera sterge 26.11.2026")
	contains(t, w.must("termen 16.11.2026 informatii"), "Termen: 26.11.2026")
}

func TestRedeliveredEventHasOneEffect(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00"))
	req := Request{Who: operatorID, Text: petition, EventID: "slack/Ev1"}
	a := w.e.Handle(context.Background(), req)
	b := w.e.Handle(context.Background(), req)
	if a.Item != "1/2026" || b.Item != "1/2026" {
		t.Fatalf("redelivered registration: %q then %q", a.Item, b.Item)
	}
	if last, _ := w.store.LastNumber(2026); last != 1 {
		t.Fatalf("%d registrations", last)
	}
	req = Request{Who: operatorID, Text: "claseaza 1/2026 motiv=retrasa", EventID: "slack/Ev2"}
	contains(t, w.e.Handle(context.Background(), req), "1/2026 clasată")
	// Crashed before the reply went out: the redelivery changes nothing and
	// says where the item stands.
	contains(t, w.e.Handle(context.Background(), req), "1/2026 este deja închisă (clasată")
	// The adapter marks the event answered: from then on a redelivery is dropped.
	if err := w.e.MarkReplied(context.Background(), "slack/Ev2"); err != nil {
		t.Fatal(err)
	}
	if r := w.e.Handle(context.Background(), req); !r.Silent {
		t.Fatalf("redelivered change answered again: %s", flat(r))
	}
	hist, _ := w.store.History(storage.KindItem, "1/2026")
	if len(hist) != 2 {
		t.Fatalf("history has %d entries", len(hist))
	}
}

func TestHelpShowsOnlyWhatTheCallerMayRun(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	viewer := flat(w.as(viewerID, "ajutor"))
	if strings.Contains(viewer, "inregistreaza") || strings.Contains(viewer, "rol —") || !strings.Contains(viewer, "restante") {
		t.Errorf("viewer's help: %s", viewer)
	}
	admin := flat(w.must("help"))
	if !strings.Contains(admin, "register —") || !strings.Contains(admin, "role —") {
		t.Errorf("admin's help: %s", admin)
	}
	contains(t, w.must("ajutor repartizeaza"), "repartizeaza N/YYYY DEPARTAMENT", "Exemplu: repartizeaza 12/2026 DT cc=DAS,DPM", "assign")
	contains(t, w.as(viewerID, "ajutor rol"), "Nu cunosc comanda")
}

func TestPanicInAHandlerIsAnswered(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00"))
	w.e.table.add(&Command{Name: "boom", Aliases: []string{"bang"}, Roles: everyone, Group: groupHelp, Examples: []string{"boom"},
		Run: func(*Call) (Reply, error) { panic("deliberate") }})
	r := w.must2("boom")
	if r.Kind != Failed || !strings.Contains(r.Title, "eroare internă") {
		t.Fatalf("panic reply: %+v", r)
	}
}

func (w *world) must2(line string) Reply { return w.as(operatorID, line) }

func TestTableIsConsistent(t *testing.T) {
	tbl := NewTable()
	for _, c := range tbl.Commands() {
		if len(c.Examples) == 0 || c.Summary == "" || c.SummaryEn == "" || len(c.Roles) == 0 || len(c.Aliases) == 0 {
			t.Errorf("%s: every command needs an English alias, roles, summaries and an example", c.Name)
		}
		for _, ex := range c.Examples {
			cmd, _, _ := tbl.Lookup(strings.Fields(ex))
			if cmd != c {
				t.Errorf("%s: example %q runs another command", c.Name, ex)
			}
		}
	}
	if !strings.Contains(Reference(), "| `inregistreaza` | `register` |") {
		t.Error("the reference lacks register")
	}
}

func TestParseNumber(t *testing.T) {
	tests := map[string]string{"12/2026": "12/2026", "nr. 12/2026": "12/2026", "Nr.12/2025": "12/2025", "#7": "7/2026", "7": "7/2026"}
	for in, want := range tests {
		n, ok := ParseNumber(in, 2026)
		if !ok || n.String() != want {
			t.Errorf("ParseNumber(%q) = %s, %v", in, n, ok)
		}
	}
	for _, in := range []string{"", "0/2026", "-3", "12/26", "abc", "12/2026/1", "+5"} {
		if n, ok := ParseNumber(in, 2026); ok {
			t.Errorf("ParseNumber(%q) = %s", in, n)
		}
	}
}
