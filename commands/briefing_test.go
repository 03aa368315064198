package commands

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

func (w *world) sendFile(who Identity, line string, f File) Reply {
	w.t.Helper()
	return w.e.Handle(context.Background(), Request{Who: who, Text: line, Files: []File{f}})
}

func TestBriefingNotes(t *testing.T) {
	w := agendaWorld(t) // Wednesday 25.11.2026 10:00
	w.must(`rol telegram:700 primar nume="Primarul"`)
	w.must(`programeaza 27.11.2026 10:00 "Ședința cu DT" pregateste=DT`)                              // #1: due Thu 26.11 14:00
	w.must(`programeaza 27.11.2026 12:00 "Vizită cămin" pregateste=DAS nota-pana="26.11.2026 16:00"`) // #2
	w.must(`programeaza 27.11.2026 15:00 "Fără notă"`)                                                // #3
	contains(t, w.must("pregatiri 27.11"), "#1", "notă de pregătit până la 26.11 14:00 (DT)", "#2", "până la 26.11 16:00 (DAS)")
	if strings.Contains(flat(w.must("pregatiri 27.11")), "#3") {
		t.Error("an event with no preparing department owes a note")
	}

	pdf := File{Name: "nota-DT.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 nota DT v1")}
	before := w.snapshot()
	for _, bad := range []struct {
		who  Identity
		line string
		f    *File
		want string
	}{
		{dasID, "nota #1", &pdf, "DT"},                   // another department
		{dtID, "nota #1", nil, "Atașați fișierul"},       // no file
		{dtID, "nota #3", &pdf, "nu are un departament"}, // nothing to prepare
		{dtID, "nota 1x", &pdf, "#12"},
		{viewerID, "nota #1", &pdf, ""},
		// an upload over the limit arrives cut at the limit + 1 byte (the
		// adapters fetch no more): refused for its size, never taken cut
		{dtID, "nota #1", &File{Name: "mare.pdf", Data: make([]byte, MaxFileSize+1)}, "primesc cel mult 20 MB"},
		{dtID, "nota #1", &File{Name: "gol.pdf"}, "este gol"},
	} {
		var r Reply
		if bad.f != nil {
			r = w.sendFile(bad.who, bad.line, *bad.f)
		} else {
			r = w.as(bad.who, bad.line)
		}
		if r.Kind == OK || !strings.Contains(flat(r), bad.want) {
			t.Errorf("%s by %s: %s", bad.line, bad.who.Key(), flat(r))
		}
	}
	w.unchanged(before, "refused notes")

	w.setNow(at("26.11.2026", "11:30"))
	r := w.sendFile(dtID, "nota #1", pdf)
	if r.Kind != OK {
		t.Fatal(flat(r))
	}
	contains(t, r, "Notă primită pentru #1", "nota-DT.pdf")
	if len(r.Notices) != 1 || r.Notices[0].To.Kind != ToCabinet || !strings.Contains(flat(r.Notices[0].Reply), "Notă predată pentru #1") {
		t.Fatalf("notices %+v", r.Notices)
	}
	v2 := File{Name: "nota-DT-v2.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 nota DT v2")}
	w.setNow(at("26.11.2026", "12:00"))
	contains(t, w.sendFile(dtID, "nota #1", v2), "O înlocuiește")
	contains(t, w.must("pregatiri maine"), "#1", "notă predată (slack:UDT, 26.11 12:00)", "#2", "de pregătit")

	// The morning of the due day the department is reminded; DT delivered.
	rem, err := w.e.BriefReminders(context.Background(), calendar.DateOf(at("26.11.2026", "08:30")))
	if err != nil || len(rem) != 1 || rem[0].To != (Recipient{Kind: ToDepartment, ID: "DAS"}) {
		t.Fatalf("reminders %+v %v", rem, err)
	}
	// The Cabinet is told once, in the slot the due time falls in.
	told := 0
	for slot := at("26.11.2026", "13:00"); slot.Before(at("26.11.2026", "18:00")); slot = slot.Add(15 * 60e9) {
		ps, err := w.e.BriefEscalations(context.Background(), slot.Add(-15*60e9), slot)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			told++
			if p.To.Kind != ToCabinet || !strings.Contains(flat(p.Reply), "#2") || !slot.Equal(at("26.11.2026", "16:00")) {
				t.Errorf("at %s: %+v", slot, p)
			}
		}
	}
	if told != 1 {
		t.Fatalf("the Cabinet was told %d times", told)
	}

	// The Mayor's morning: each event's state, the delivered note attached.
	w.setNow(at("27.11.2026", "07:30"))
	m, err := w.e.MorningAgenda(context.Background(), calendar.DateOf(w.now))
	if err != nil {
		t.Fatal(err)
	}
	contains(t, m, "notă predată (slack:UDT, 26.11 12:00)", "notă întârziată (termen 26.11 16:00, DAS)")
	if len(m.Files) != 1 || m.Files[0].Name != "nota-DT-v2.pdf" || m.Files[0].Stored == "" || m.Files[0].Data != nil {
		t.Fatalf("morning files %+v", m.Files)
	}
	b, err := w.store.ReadFile(m.Files[0].Stored)
	if err != nil || !bytes.Equal(b, v2.Data) {
		t.Fatalf("the stored note: %q %v", b, err)
	}
	ev, _ := w.store.AgendaEvent(1)
	if len(ev.Briefs) != 2 || ev.Briefs[0].File.Name != "nota-DT.pdf" {
		t.Fatalf("the history of notes: %+v", ev.Briefs)
	}
	// Bad due times are refused with an example.
	w.refuses(t, operatorID, `modifica 3 nota-pana="mâine"`, "nota-pana=")
}
