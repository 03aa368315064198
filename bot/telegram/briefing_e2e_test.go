package telegram_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/scheduler"
)

// A briefing note end to end: the department delivers a PDF as a Telegram
// document with `nota #1` as its caption; the note not delivered for another
// event is told to the Cabinet once, at its due time; the Mayor's morning
// agenda on Telegram says "predată" and carries the PDF, read from the file
// store by the outbox.
func TestBriefingNoteReachesTheMayorsMorning(t *testing.T) {
	e := newEnv(t).standard() // Wednesday 25.11.2026 10:00
	e.start()
	e.must(`programeaza 27.11.2026 10:00 "Ședința cu DT" pregateste=DT`)    // #1, due Thu 26.11 14:00
	e.must(`programeaza 27.11.2026 12:00 "Vizită la cămin" pregateste=DAS`) // #2, due Thu 26.11 14:00
	notices := e.replies(dtGroup.ID, 1)
	has(t, notices[0], "De pregătit: Ședința cu DT", "#1")

	sched, err := scheduler.New(scheduler.Config{Store: e.store, Engine: e.eng, Clock: e.clock,
		Specs: map[string]string{"backup": "off"}})
	if err != nil {
		t.Fatal(err)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0xe2, 0x80, 0x94, 0x00, 0xff}, 4000)...)
	e.advance(25*time.Hour + 30*time.Minute) // Thursday 11:30
	e.fake.PushDocument(dtGroup, member, "/nota #1", "nota-sedinta.pdf", "application/pdf", pdf)
	e.settle()
	got := e.fake.SentTo(dtGroup.ID)
	has(t, got[len(got)-1], "Notă primită pentru #1", "nota-sedinta.pdf")
	cabinet := e.replies(cabinetGroup.ID, 1)
	has(t, cabinet[len(cabinet)-1], "Notă predată pentru #1")
	before := len(e.fake.SentTo(cabinetGroup.ID))

	// 14:05: the slot of 14:00 tells the Cabinet of #2, once; later slots
	// and a second catch-up of the same slot do not.
	e.advance(2*time.Hour + 35*time.Minute)
	sched.CatchUp(context.Background())
	sched.CatchUp(context.Background())
	e.advance(15 * time.Minute)
	sched.CatchUp(context.Background())
	e.delivered()
	var told []string
	for _, m := range e.fake.SentTo(cabinetGroup.ID)[before:] {
		if strings.Contains(m.Text, "Notă nepredată") {
			told = append(told, m.Text)
		}
	}
	if len(told) != 1 || !strings.Contains(told[0], "#2") || !strings.Contains(told[0], "26.11 14:00") || !strings.Contains(told[0], "DAS") {
		t.Fatalf("the Cabinet was told %d times: %q\n%s", len(told), told, e.fake.Dump())
	}

	// Friday 07:35: the morning agenda, caught up, with the note.
	e.mu.Lock()
	e.now = time.Date(2026, 11, 27, 7, 35, 0, 0, calendar.Bucharest)
	e.mu.Unlock()
	sched.CatchUp(context.Background())
	e.delivered()
	var text string
	var doc []byte
	for _, m := range e.fake.SentTo(mayor.ID) {
		if strings.Contains(m.Text, "Bună dimineața") {
			text = m.Text
		}
		if m.Document == "nota-sedinta.pdf" {
			doc = m.Data
		}
	}
	if !strings.Contains(text, "Ședința cu DT: notă predată") || !strings.Contains(text, "Vizită la cămin: notă întârziată") {
		t.Fatalf("the morning agenda:\n%s", text)
	}
	if !bytes.Equal(doc, pdf) {
		t.Fatalf("the Mayor got %d bytes of the note, want the %d delivered\n%s", len(doc), len(pdf), e.fake.Dump())
	}
	for _, m := range e.fake.SentTo(cabinetGroup.ID)[before:] {
		if strings.Contains(m.Text, "Notă nepredată") && m.Text != told[0] {
			t.Errorf("told again: %s", m.Text)
		}
	}
}

// A department member answers the preparation notice with the note as a
// document captioned only /nota: the reply names the event.
func TestBriefingNoteInReplyToTheNotice(t *testing.T) {
	e := newEnv(t).standard() // Wednesday 25.11.2026 10:00
	e.start()
	e.must(`programeaza 27.11.2026 10:00 "Ședința cu DT" pregateste=DT`) // #1
	notices := e.replies(dtGroup.ID, 1)
	has(t, notices[0], "De pregătit: Ședința cu DT", "#1")
	pdf := []byte("%PDF-1.4 nota")
	e.fake.PushDocumentReply(dtGroup, member, "/nota", "nota.pdf", "application/pdf", pdf, notices[0].ID)
	e.settle()
	got := e.fake.SentTo(dtGroup.ID)
	has(t, got[len(got)-1], "Notă primită pentru #1", "nota.pdf")
}
