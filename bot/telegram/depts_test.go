package telegram_test

import (
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The Cabinet approves a department's extension request with the card's
// inline button: the deadline moves by the legal rule (28.12.2026 + 10 days
// → 04.01.2027), the press is answered, and DT is told in a reply to its
// card; a second request is refused by the law.
func TestExtensionRequestApprovedWithInlineButtons(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea" categorie=petitie`)
	e.must(`repartizeaza 1/2026 DT`)
	card := e.replies(dtGroup.ID, 1)[0]

	e.say(dtGroup, member, `cere-prelungire 1/2026 10 motiv="așteptăm avizul ISU"`, card.ID)
	has(t, e.replies(dtGroup.ID, 2)[1], "Cerere de prelungire trimisă Cabinetului: 1/2026, +10 zile")
	decide := e.replies(cabinetGroup.ID, 1)[0]
	has(t, decide, "DT cere prelungirea termenului pentru 1/2026 cu 10 zile", "așteptăm avizul ISU")
	var approve tgfake.Button
	var labels []string
	for _, row := range decide.Buttons {
		for _, b := range row {
			labels = append(labels, b.Text)
			if b.Text == "Aprobă" {
				approve = b
			}
		}
	}
	if len(labels) != 2 || labels[1] != "Respinge" || approve.Data == "" {
		t.Fatalf("buttons %v", labels)
	}
	_, qid := e.fake.PushCallback(cabinetGroup, admin, decide.ID, approve.Data)
	e.fake.WaitFor(t, "the callback answer", func() bool { return answered(e.fake, qid) })
	// The answer to the press and the notice in the item's thread (the
	// Cabinet's card is one of them), in either order.
	cab := e.replies(cabinetGroup.ID, 3)
	has(t, tgfake.Message{Text: cab[1].Text + "\n" + cab[2].Text}, "Termenul pentru 1/2026 prelungit: 04.01.2027", "Cererea de prelungire a DT aprobată")
	told := e.replies(dtGroup.ID, 3)[2]
	has(t, told, "Cererea de prelungire a DT aprobată: 1/2026, termen nou 04.01.2027")
	if told.ReplyTo != card.ID {
		t.Errorf("DT was not told in reply to its card: %+v", told)
	}
	if it, _ := e.store.Item(storage.Number{Year: 2026, Seq: 1}); it.Deadline != "2027-01-04" || it.ExtRequest != nil {
		t.Fatalf("item %+v", it)
	}
	before := e.snapshot()
	e.say(dtGroup, member, `cere-prelungire 1/2026 5 motiv="încă"`, card.ID)
	has(t, e.replies(dtGroup.ID, 4)[3], "a fost deja prelungită o dată", "OG 27/2002 art. 9")
	for _, k := range changes(before, e.snapshot()) {
		if !strings.HasPrefix(k, "e/") && !strings.HasPrefix(k, "o/") { // the handled update, the offset
			t.Errorf("the refused request changed %s", k)
		}
	}
}

// DAS answers a consultation with a document whose caption is the command:
// the file is fetched, kept in the file store and sent with the answer to
// DT's group, in reply to its card.
func TestConsultationAnsweredWithADocument(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea" categorie=petitie`)
	e.must(`repartizeaza 1/2026 DT`)
	card := e.replies(dtGroup.ID, 1)[0]
	e.say(dtGroup, member, `consulta 1/2026 DAS intrebare="Are dosar social?"`, card.ID)
	has(t, e.replies(dtGroup.ID, 2)[1], "1/2026: DAS consultat")
	pdf := []byte("%PDF-1.4 aviz DAS")
	e.fake.PushDocument(tgfake.Private(other), other, `raspunde-consultare 1/2026 "Da, dosar 55/2025"`, "aviz.pdf", "application/pdf", pdf)
	has(t, e.replies(other.ID, 1)[0], "1/2026: răspunsul DAS la consultare trimis lui DT")
	msgs := e.replies(dtGroup.ID, 4)
	has(t, msgs[2], "Răspunsul DAS la consultarea pentru 1/2026", "Da, dosar 55/2025", "aviz.pdf")
	if msgs[2].ReplyTo != card.ID {
		t.Errorf("the answer is not a reply to DT's card: %+v", msgs[2])
	}
	if msgs[3].Document != "aviz.pdf" || string(msgs[3].Data) != string(pdf) {
		t.Errorf("the file did not follow the answer: %+v", msgs[3])
	}
}
