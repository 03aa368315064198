package commands

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/emersion/go-vcard"
)

func TestDepartmentsInFull(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	contains(t, w.as(anaID, `departament adauga SIP "Serviciul Iluminat Public" parinte="directia tehnica" sef="Radu Bogdan" telefon="0264 000 110" email=iluminat@exemplu.invalid slack=<#C0SIP0001|iluminat> telegram=-1001234567890`),
		"Departament adăugat: SIP — Serviciul Iluminat Public")
	sip, _ := w.store.Department("SIP")
	want := storage.Department{Code: "SIP", Name: "Serviciul Iluminat Public", Kind: "serviciu", Parent: "DT", Head: "Radu Bogdan",
		Phone: "0264 000 110", Email: "iluminat@exemplu.invalid", SlackChannel: "C0SIP0001", TelegramChat: "-1001234567890"}
	if sip.Code != want.Code || sip.Kind != want.Kind || sip.Parent != want.Parent || sip.SlackChannel != want.SlackChannel || sip.TelegramChat != want.TelegramChat || sip.Email != want.Email {
		t.Fatalf("SIP = %+v", sip)
	}
	contains(t, w.as(anaID, `department edit SIP head="Ana Moldovan" e-mail=- phone="+40 264 000 111"`), "Department changed: SIP", "Head: Ana Moldovan", "Phone: +40 264 000 111")
	if sip, _ = w.store.Department("SIP"); sip.Email != "" || sip.Head != "Ana Moldovan" || sip.SlackChannel != "C0SIP0001" {
		t.Fatalf("after edit: %+v", sip)
	}
	contains(t, w.as(anaID, `departament redenumeste SIP "Serviciul Iluminat Public și Semaforizare"`), "SIP se numește acum „Serviciul Iluminat Public și Semaforizare”")
	contains(t, w.as(anaID, "membru adauga SIP slack:U1 <@U2> telegram:3"), "Membri noi în SIP: slack:U1, slack:U2, telegram:3")
	contains(t, w.as(anaID, "member remove SIP slack:U2"), "Removed from SIP: slack:U2", "Members: slack:U1, telegram:3")
	w.must(`contact adauga "Ana Moldovan" functie="Șef serviciu" departament=SIP interior=5010`)
	w.must(`contact adauga "Ștefan Mureșan" functie=Inginer departament="iluminat public" interior=5011`)
	contains(t, w.as(viewerID, "departament iluminat"), "SIP — Serviciul Iluminat Public și Semaforizare", "Tip: serviciu", "Subordonat lui: DT — Direcția Tehnică",
		"Șef: Ana Moldovan", "Canal Slack: C0SIP0001", "Membri: slack:U1, telegram:3", "Ana Moldovan — Șef serviciu · int. 5010 | Ștefan Mureșan")
	contains(t, w.as(viewerID, "departamente"), "DT — Direcția Tehnică", "  SIP — Serviciul Iluminat Public și Semaforizare · tel. +40 264 000 111 · șef: Ana Moldovan")
	contains(t, w.as(anaID, "departament muta SIP DAS"), "SIP este acum subordonat lui DAS")
	contains(t, w.as(anaID, "department move SIP none"), "SIP is now at the top of the chart")
	w.must("departament muta SIP DT")
	w.must(`departament adauga BIP "Biroul Întreținere" parinte=SIP`)
	contains(t, w.as(anaID, "departament muta DT BIP"), "DT nu poate fi mutat sub BIP")
	contains(t, w.as(anaID, "departament inchide DT"), "DT are subunități active (SIP)")
	// The renamed and moved department still takes assignments by its new name.
	w.must(`inregistreaza de="Ion" subiect="Stâlp căzut"`)
	contains(t, w.as(anaID, "repartizeaza 1/2026 semaforizare"), "1/2026 repartizată la SIP")
	hist, _ := w.store.History(storage.KindDepartment, "SIP")
	var actions []string
	for _, h := range hist {
		actions = append(actions, h.Action)
	}
	if strings.Join(actions, " ") != "add edit rename members members move move move" {
		t.Errorf("SIP history: %v", actions)
	}
}

func TestDepartmentBadInputChangesNothing(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.must(`departament adauga SIP "Serviciul Iluminat Public" parinte=DT`)
	w.must(`contact adauga "Ion Popescu" departament=DT telefon="0264 000 102"`)
	w.must(`contact adauga "Ion Popescu" functie=Inginer departament=DT telefon="0264 000 103"`)
	tests := []struct {
		name string
		who  Identity
		line string
		want []string
	}{
		{"add: name taken", anaID, `departament adauga DT2 "Direcția Tehnica"`, []string{"DT are deja acest nume"}},
		{"add: code taken", anaID, `departament adauga DT "Altceva"`, []string{"Există deja un departament cu codul DT"}},
		{"add: code of no department", anaID, `departament adauga - "Altceva"`, []string{"Codul „-” nu e bun"}},
		{"add: code begins with a dash", anaID, `departament adauga -DT "Altceva"`, []string{"nu la început"}},
		{"add: bad phone", anaID, `departament adauga X "X" telefon=abc`, []string{"„abc” nu este un număr de telefon"}},
		{"add: bad Slack channel", anaID, `departament adauga X "X" slack=general`, []string{"nu este un canal Slack"}},
		{"add: bad Telegram chat", anaID, `departament adauga X "X" telegram=grup`, []string{"nu este un chat Telegram"}},
		{"add: closed parent", anaID, `departament adauga X "X" parinte=BRP`, []string{"desființat"}},
		{"edit: nothing", anaID, `departament modifica DT`, []string{"Spuneți ce se schimbă"}},
		{"edit: bad e-mail", anaID, `departament modifica DT email=dt`, []string{"„dt” nu este o adresă de e-mail"}},
		{"edit: unknown kind", anaID, `departament modifica DT tip=sectie`, []string{"Tip necunoscut"}},
		{"rename: same name", anaID, `departament redenumeste DT "Direcția Tehnică"`, []string{"se numește deja"}},
		{"rename: taken", anaID, `departament redenumeste DT "Direcția Patrimoniu Municipal"`, []string{"DPM are deja acest nume"}},
		{"move: under itself", anaID, `departament muta DT DT`, []string{"DT nu poate fi mutat sub DT"}},
		{"move: under its child", anaID, `departament muta DT SIP`, []string{"sub SIP"}},
		{"move: already there", anaID, `departament muta SIP DT`, []string{"deja acolo"}},
		{"move: a closed one", anaID, `departament muta BRP DT`, []string{"BRP este desființat"}},
		{"move: under a closed one", anaID, `departament muta SIP BRP`, []string{"desființat"}},
		{"close: has open children", anaID, `departament inchide DT`, []string{"subunități active (SIP)"}},
		{"member: bad identity", anaID, `membru adauga DT "doi oameni"`, []string{"nu este o identitate"}},
		{"member: not a member", anaID, `membru sterge DT slack:U9`, []string{"nu este membru"}},
		{"member: closed", anaID, `membru adauga BRP slack:U9`, []string{"desființat"}},
		{"viewer edits", viewerID, `departament modifica DT sef=X`, []string{"nu permite"}},
		{"unknown department", viewerID, `departament ZZZ`, []string{"Departament necunoscut"}},
		{"contact: nothing to reach", anaID, `contact adauga "Ana Pop" departament=DT`, []string{"Lipsește un mijloc de contact"}},
		{"contact: nobody", anaID, `contact adauga telefon="0264 000 100"`, []string{"Lipsesc și numele, și funcția"}},
		{"contact: name twice", anaID, `contact adauga "Ana Pop" nume="Ana" interior=1`, []string{"o singură dată"}},
		{"contact: duplicate", anaID, `contact adauga "ion popescu" departament="directia tehnica" interior=5`, []string{"Există deja în agendă, ca #1"}},
		{"contact: closed department", anaID, `contact adauga "Ana Pop" departament=BRP interior=5`, []string{"BRP (Biroul Relații Publice) este desființat"}},
		{"contact: bad extension", anaID, `contact adauga "Ana Pop" interior=cinci`, []string{"nu este un interior"}},
		{"contact: too long", anaID, `contact adauga "` + strings.Repeat("a", 121) + `" interior=5`, []string{"Numele are mai mult de 120"}},
		{"edit: ambiguous name", anaID, `contact modifica "Ion Popescu" interior=5`, []string{"are mai multe intrări", "#1", "#2"}},
		{"edit: unknown", anaID, `contact modifica "Ion Popscu" interior=5`, []string{"Nu am în agendă „Ion Popscu”. Poate: #1 Ion Popescu, #2 Ion Popescu?"}},
		{"edit: unknown number", anaID, `contact modifica #99 interior=5`, []string{"Nu există intrarea #99"}},
		{"edit: nothing", anaID, `contact modifica #1`, []string{"Spuneți ce se schimbă"}},
		{"edit: into a duplicate", anaID, `contact modifica #2 functie=-`, []string{"ca #1"}},
		{"edit: nobody left", anaID, `contact modifica #1 nume=-`, []string{"Lipsesc și numele, și funcția"}},
		{"remove: nothing named", anaID, `contact sterge`, []string{"Spuneți care intrare"}},
		{"viewer adds", viewerID, `contact adauga "Ana" interior=1`, []string{"nu permite"}},
		{"export: format", viewerID, `export-director pdf`, []string{"Format necunoscut"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { w.refuses(t, tt.who, tt.line, tt.want...) })
	}
}

func TestDirectoryEntryLifecycle(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	r := w.as(anaID, `contact add "Ion Popescu" function="Director executiv" department=DT phone="0264 000 101" extension="int. 5001" mobile=264000199 e-mail=ion.popescu@exemplu.invalid office="cam. 12" notes="doar dimineața"`)
	contains(t, r, "Added to the phone directory: #1 Ion Popescu",
		"Ion Popescu — Director executiv, Direcția Tehnică · tel. 0264 000 101, ext. 5001 · mobile 0264000199 · ion.popescu@exemplu.invalid · office cam. 12 · doar dimineața · #1")
	contains(t, w.as(anaID, `contact modifica "ion popescu" mobil=- interior=5002`), "Modificat în agenda telefonică: #1", "int. 5002")
	if strings.Contains(flat(w.must("telefon popescu")), "mobil") {
		t.Error("the mobile was not cleared")
	}
	contains(t, w.as(anaID, `contact modifica #1 departament=DAS`), "Direcția de Asistență Socială")
	contains(t, w.must("telefon asistenta sociala"), "DAS — Direcția de Asistență Socială", "  · Ion Popescu")
	contains(t, w.as(anaID, "contact sterge #1"), "Scos din agenda telefonică: #1 Ion Popescu")
	contains(t, w.must("telefon popescu"), "Nu am găsit")
	hist, _ := w.store.History(storage.KindEntry, "1")
	if len(hist) != 4 || hist[3].Action != "remove" || hist[3].Before == nil {
		t.Fatalf("history: %+v", hist)
	}
}

func TestExportVCardReadsBack(t *testing.T) {
	w := sampleWorld(t)
	r := w.as(viewerID, "export-director vcf")
	if len(r.Files) != 1 || r.Files[0].MIME != "text/vcard" || !strings.HasSuffix(r.Files[0].Name, ".vcf") {
		t.Fatalf("export: %s %+v", flat(r), r.Files)
	}
	dec := vcard.NewDecoder(bytes.NewReader(r.Files[0].Data))
	cards := map[string]vcard.Card{}
	for {
		card, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if card.Value(vcard.FieldVersion) != "3.0" {
			t.Fatalf("version %q", card.Value(vcard.FieldVersion))
		}
		cards[card.PreferredValue(vcard.FieldFormattedName)] = card
	}
	if len(cards) != 22+9 {
		t.Fatalf("%d cards", len(cards))
	}
	ion := cards["Ion Popescu"]
	if n := ion.Name(); n.GivenName != "Ion" || n.FamilyName != "Popescu" {
		t.Errorf("N = %+v", n)
	}
	if got := ion.Values(vcard.FieldTelephone); len(got) != 2 || got[0] != "0264 000 102" || got[1] != "0700 000 102" {
		t.Errorf("TEL = %v", got)
	}
	if ion.Value(vcard.FieldOrganization) != "Primăria Municipiului Cluj-Napoca;Direcția Tehnică" || ion.Value(vcard.FieldTitle) != "Director executiv adjunct" ||
		ion.Value(vcard.FieldNote) != "Interior 5001 · Birou 102" || ion.Value(vcard.FieldEmail) != "ion.popescu@exemplu.invalid" {
		t.Errorf("card: %+v", ion)
	}
	if reg, ok := cards["Registratura generală — Cabinetul Primarului"]; !ok || reg.Value(vcard.FieldNote) != "Interior 1000 · Birou parter · luni–vineri 8–16" {
		t.Errorf("registry card: %v", reg)
	}
	if du := cards["Direcția Urbanism"]; du.Value(vcard.FieldTelephone) != "0264 000 200" || du.Value(vcard.FieldNote) != "Șef: Ioana Răducanu" {
		t.Errorf("department card: %v", du)
	}
	// One department and what is under it.
	r = w.as(viewerID, "export-directory vcf department=urbanism")
	contains(t, r, "Phone directory (DU — Direcția Urbanism): 4 entries", "and 2 department numbers")
}
