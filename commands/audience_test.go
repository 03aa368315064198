package commands

import (
	"strings"
	"testing"
)

func TestAudienceDay(t *testing.T) {
	w := agendaWorld(t) // Wednesday 25.11.2026 10:00
	r := w.must(`audiente deschide 02.12.2026 09:00-10:30 durata=15 loc="Sala 12"`)
	contains(t, r, "Audiențe deschise #1", "6 intervale de 15 minute")
	w.refuses(t, operatorID, `audiente deschide 02.12.2026 09:00 durata=15`, "Exemplu")
	w.refuses(t, operatorID, `audiente deschide 02.12.2026 09:00-10:00 durata=2`, "între 5 și 120")

	people := []string{"Ion Pop", "Maria Rus", "Vasile Man", "Elena Dan", "Petru Sas", "Ana Bot"}
	for i, p := range people {
		r := w.must(`audienta cere de="` + p + `" subiect="Problema ` + p + `" telefon=07401234` + string(rune('0'+i)))
		contains(t, r, "Cerere de audiență înregistrată: "+itoa(i+1)+"/2026", "Categorie", "Categorie: audiență", "Termen: 25.12.2026", "nu un termen legal",
			"neprogramată")
	}
	w.refuses(t, operatorID, `audienta cere subiect="x"`, "de=")

	for i, slot := range []string{"09:00", "09:15", "09:30", "09:45"} {
		contains(t, w.must("audienta programeaza "+itoa(i+1)+"/2026 02.12.2026 "+slot), "Audiență programată", "02.12.2026 "+slot)
	}
	// A taken slot is refused with the next free ones; nothing changes.
	w.refuses(t, operatorID, "audienta programeaza 5/2026 02.12.2026 09:15", "ocupat (2/2026)", "10:00, 10:15")
	w.refuses(t, operatorID, "audienta programeaza 5/2026 02.12.2026 09:10", "nu este începutul", "10:00")
	w.refuses(t, operatorID, "audienta programeaza 5/2026 03.12.2026 09:00", "nicio zi de audiențe")
	contains(t, w.must("audienta programeaza 5/2026 02.12.2026 10:00"), "Audiență programată: 5/2026")
	contains(t, w.must("audienta muta 4/2026 02.12.2026 10:15"), "Audiență mutată: 4/2026", "02.12.2026 10:15")

	day := w.must("audiente 02.12.2026")
	contains(t, day, "09:00 — 1/2026 Ion Pop: Problema Ion Pop", "09:45 — liber", "10:00 — 5/2026 Petru Sas", "10:15 — 4/2026 Elena Dan", "1 interval liber")
	if strings.Contains(flat(day), "Ana Bot") {
		t.Error("an unscheduled request is in a slot")
	}
	// The Mayor's day view lists the citizens and their subjects.
	w.must(`rol telegram:700 primar nume="Primarul"`)
	mayorDay := w.as(Identity{Platform: "telegram", ID: "700"}, "agenda 02.12.2026")
	contains(t, mayorDay, "Audiențe", "09:00 Ion Pop — Problema Ion Pop", "10:15 Elena Dan — Problema Elena Dan")
	if strings.Contains(flat(mayorDay), "Ana Bot") {
		t.Error("an unscheduled request is in the day view")
	}
	// A department member does not see the audiences.
	if r := w.as(dtID, "audiente 02.12.2026"); r.Kind == OK {
		t.Errorf("a department member sees the audiences: %s", flat(r))
	}

	// Before the audience takes place, no outcome.
	w.refuses(t, operatorID, `audienta rezultat 5/2026 "prea devreme"`, "programată pe 02.12.2026 10:00", "după ce are loc")
	w.setNow(at("02.12.2026", "11:00"))
	w.refuses(t, operatorID, "audienta rezultat 6/2026 \"x\"", "nu a fost programată")
	w.must(`audienta rezultat 1/2026 "Lămurit pe loc"`)
	r = w.must(`audienta rezultat 2/2026 "Se verifică pe teren" repartizeaza=DT termen=15.12.2026`)
	contains(t, r, "Rezultat: Se verifică pe teren", "Urmare: 7/2026", "Urmarea: 7/2026, repartizată la DT, termen 15.12.2026")
	if len(r.Notices) != 1 || r.Notices[0].To != (Recipient{Kind: ToDepartment, ID: "DT"}) {
		t.Fatalf("the follow-up's notices: %+v", r.Notices)
	}
	w.must(`audienta rezultat 3/2026 "Ajutor social" repartizeaza=DAS`)
	w.must(`audienta rezultat 4/2026 "Informat"`)
	w.refuses(t, operatorID, `audienta rezultat 4/2026 "din nou"`, "deja consemnat")
	contains(t, w.must("audienta anuleaza 5/2026"), "Audiență anulată: 5/2026", "anulată")
	contains(t, w.must("arata 7/2026"), "Urmare a audienței: 2/2026", "Departament", "DT")

	w.setNow(at("10.12.2026", "10:00"))
	w.must("rezolva 7/2026 raspuns=100")
	w.must("rezolva 8/2026 raspuns=101")
	// Hand-computed: 6 asked, 4 held (1–4), 2 with follow-ups (2, 3), both resolved.
	rep := w.must("raport 01.11.2026-31.12.2026")
	if got := field(rep, "Audiențe"); got != "6 cerute · 4 ținute · 2 cu urmări · 2 urmări rezolvate" {
		t.Fatalf("raport: %q\n%s", got, flat(rep))
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+n))) }
