package slack_test

import (
	"bytes"
	"testing"
)

// A preparing department delivers its briefing note by sharing the PDF in
// the thread of the notice it got, with `nota` as the message: the adapter
// fetches the file with the bot's token, the note is kept in the file store,
// the department is answered in the thread and the Cabinet told.
func TestBriefingNoteSharedInTheNoticesThread(t *testing.T) {
	w := newWorld(t, "socket").start()
	asked := w.fake.Mention(ana, cabinet, `programeaza 27.11.2026 10:00 "Ședința cu DT" pregateste=DT`, "")
	notice := w.waitFor("the department's notice", in(dtChan, "De pregătit: Ședința cu DT"))
	w.settle(asked)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 3000)...)

	// Chatter with a file in the thread is not a command; a stranger's note is refused.
	w.fake.ReplyWithFile(dtMember, dtChan, notice.TS, "uitați schița", "schita.pdf", "application/pdf", pdf)
	shared := w.fake.ReplyWithFile(dtMember, dtChan, notice.TS, "nota", "nota-sedinta.pdf", "application/pdf", pdf)
	got := w.waitFor("the receipt", in(dtChan, "Notă primită pentru #1", "nota-sedinta.pdf"))
	if got.ThreadTS != notice.TS {
		t.Errorf("the receipt is not in the notice's thread: %+v", got)
	}
	w.settle(shared)
	w.waitFor("the Cabinet's notice", in(cabinet, "Notă predată pentru #1"))
	ev, err := w.store.AgendaEvent(1)
	if err != nil || len(ev.Briefs) != 1 {
		t.Fatalf("briefs %+v %v", ev.Briefs, err)
	}
	b, err := w.store.ReadFile(ev.Briefs[0].File.SHA256)
	if err != nil || !bytes.Equal(b, pdf) {
		t.Fatalf("the stored note: %d bytes, %v", len(b), err)
	}
	if n := w.fake.Calls("files.download"); n != 1 {
		t.Errorf("%d downloads, want 1 (the chatter's file is not fetched)", n)
	}
}
