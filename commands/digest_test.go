package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func TestDepartmentDigestSaysWhatIsDueOverdueAndNew(t *testing.T) {
	w := newWorld(t, at("02.11.2026", "09:00")).standard()
	w.must(`inregistreaza de="A" subiect="Iluminat Mănăștur" categorie=informatii`)                    // due 12.11
	w.must(`inregistreaza de="B" subiect="Raport trimestrial" categorie=institutie termen=27.11.2026`) // due 27.11
	w.must(`inregistreaza de="C" subiect="Groapă Horea"`)                                              // due 02.12
	w.must("repartizeaza 1/2026 DT")
	w.must("repartizeaza 2/2026 DT")
	w.setNow(at("24.11.2026", "15:00"))
	w.must("repartizeaza 3/2026 DT")
	ctx := context.Background()
	day := calendar.DateOf(at("25.11.2026", "08:00"))
	r, ok, err := w.e.DepartmentDigest(ctx, "DT", day, at("24.11.2026", "08:00"))
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	contains(t, r, "Registratura — DT, 25.11.2026", "Restanțe: 1", "1/2026 · DT · termen 12.11.2026", "Iluminat Mănăștur",
		"Termene până la 02.12.2026: 2", "2/2026 · DT · termen 27.11.2026", "Repartizate de la ultimul rezumat: 1", "3/2026")
	if _, ok, _ := w.e.DepartmentDigest(ctx, "DAS", day, at("24.11.2026", "08:00")); ok {
		t.Error("DAS has nothing to say")
	}
	s, err := w.e.CabinetSummary(ctx, day, []storage.SendRecord{{Job: "morning", Recipient: "telegram:1", Slot: "2026-11-25T07:30", Err: "blocked"}})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, s, "Restante: 1", "Deschise: 3", "DT — Direcția Tehnică: 1", "Mesaje nelivrate", "morning → telegram:1")
	if !strings.Contains(flat(s), "Înregistrate 24.11.2026: 0") {
		t.Errorf("summary: %s", flat(s))
	}
}

func TestMorningAgendaAndWeeklySynthesis(t *testing.T) {
	w := newWorld(t, at("16.11.2026", "09:00")).standard()
	w.must(`inregistreaza de="A" subiect="Contracte 2026" categorie=informatii`) // due 26.11
	w.must("repartizeaza 1/2026 DT")
	w.must(`inregistreaza de="B" subiect="Groapă Horea"`)
	w.must("rezolva 2/2026 raspuns=77")
	w.must(`programeaza 26.11.2026 10:00-11:00 "Ședința de guvernanță" loc="Sala mare"`)
	ctx := context.Background()
	r, err := w.e.MorningAgenda(ctx, calendar.DateOf(at("26.11.2026", "07:30")))
	if err != nil {
		t.Fatal(err)
	}
	contains(t, r, "Bună dimineața!", "10:00", "Ședința de guvernanță", "Termene azi:", "1/2026 · DT · termen 26.11.2026")
	w.setNow(at("23.11.2026", "09:00"))
	weekly, err := w.e.WeeklySynthesis(ctx, calendar.DateOf(at("16.11.2026", "00:00")), calendar.DateOf(at("22.11.2026", "00:00")))
	if err != nil {
		t.Fatal(err)
	}
	contains(t, weekly, "Sinteza săptămânii 16.11.2026 – 22.11.2026", "Înregistrate: 2", "Rezolvate: 1", "La termen: 1", "DT")
	if len(weekly.Files) == 0 {
		t.Error("the weekly synthesis carries the charts")
	}
}
