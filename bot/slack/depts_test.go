package slack_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// More departments for issue 16: DU (no channel) and DF (its channel CDF).
const (
	duMember = "UDU"
	dfMember = "UDF"
	dfChan   = "CDF"
)

func (w *world) departmentsTalk() {
	w.t.Helper()
	for _, line := range []string{
		`departament adauga DU "Direcția Urbanism"`,
		`departament adauga DF "Direcția Economică"`,
		`rol slack:` + duMember + ` departament=DU`,
		`rol slack:` + dfMember + ` departament=DF`,
	} {
		if r := w.engine.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "operator"}, Text: line}); r.Kind != commands.OK {
			w.t.Fatalf("%s: %s", line, r.Title)
		}
	}
	if _, err := w.store.ChangeDepartment(context.Background(), "DF", "channel", storage.Meta{Who: "test", At: now},
		func(d *storage.Department) error { d.SlackChannel = dfChan; return nil }); err != nil {
		w.t.Fatal(err)
	}
}

// registerAssigned registers a petition in the Cabinet's channel and assigns
// it; it returns the Cabinet's registration message and the department's card.
func (w *world) registerAssigned(n int, dept, deptChan string) (asked slackfake.Sent, card slackfake.Message) {
	w.t.Helper()
	num := strconv.Itoa(n) + "/2026"
	asked = w.fake.Mention(ana, cabinet, reg, "")
	w.waitFor("the registration", in(cabinet, "Înregistrat "+num))
	w.settle(asked, w.fake.Mention(ana, cabinet, "repartizeaza "+num+" "+dept, asked.TS))
	if deptChan != "" {
		card = w.waitFor("the department's card", in(deptChan, "Vi s-a repartizat "+num))
	}
	return asked, card
}

// DT asks for 10 more days on a petition; the Cabinet approves with the
// button; the deadline moves by the legal rule (28.12.2026 + 10 days:
// 25.11 + 40 = 04.01.2027) and DT is told in its card's thread; a second
// request is refused by the law, privately, and changes nothing.
func TestExtensionRequestThroughSlack(t *testing.T) {
	w := newWorld(t, "socket").start()
	_, card := w.registerAssigned(1, "DT", dtChan)

	asked := w.fake.Reply(dtMember, dtChan, card.TS, `cere-prelungire 1/2026 10 motiv="așteptăm avizul ISU"`)
	w.waitFor("the request's answer", in(dtChan, "Cerere de prelungire trimisă Cabinetului: 1/2026, +10 zile"))
	decide := w.waitFor("the Cabinet's card", in(cabinet, "DT cere prelungirea termenului pentru 1/2026 cu 10 zile", "așteptăm avizul ISU"))
	w.settle(asked)
	var labels []string
	for _, b := range decide.Buttons() {
		labels = append(labels, b.Text)
	}
	if !reflect.DeepEqual(labels, []string{"Aprobă", "Respinge"}) {
		t.Fatalf("buttons %v", labels)
	}

	w.settle(w.fake.Click(ana, decide, "Aprobă"))
	w.waitFor("the approval", in(cabinet, "Termenul pentru 1/2026 prelungit: 04.01.2027"))
	told := w.waitFor("DT told", in(dtChan, "Cererea de prelungire a DT aprobată: 1/2026, termen nou 04.01.2027"))
	if told.ThreadTS != card.TS {
		t.Errorf("DT was not told in its card's thread: %+v", told)
	}
	if it := w.item(1); it.Deadline != "2027-01-04" || it.ExtendedDays != 10 || it.ExtRequest != nil {
		t.Fatalf("item %+v", it)
	}

	before := w.business()
	again := w.fake.Reply(dtMember, dtChan, card.TS, `cere-prelungire 1/2026 5 motiv="încă puțin"`)
	refused := w.waitFor("the law's refusal", in(dtChan, "a fost deja prelungită o dată", "OG 27/2002 art. 9"))
	w.settle(again)
	if !refused.Ephemeral || refused.User != dtMember {
		t.Errorf("the refusal is not private: %+v", refused)
	}
	if !reflect.DeepEqual(before, w.business()) {
		t.Error("the refused request changed the register")
	}
}

// DU returns an item: it is back in the Cabinet's queue, the Cabinet's
// channel gets a card with Repartizează, and one click (and the
// department's choice) assigns it elsewhere.
func TestReturnThroughSlack(t *testing.T) {
	w := newWorld(t, "socket")
	w.departmentsTalk()
	w.start()
	w.registerAssigned(1, "DU", "")

	back := w.fake.DM(duMember, `returneaza 1/2026 motiv="ține de Direcția Tehnică"`)
	w.waitFor("the answer", in(slackfake.DMChannel(duMember), "1/2026 returnată Cabinetului"))
	card := w.waitFor("the Cabinet's card", in(cabinet, "1/2026 returnată de DU", "ține de Direcția Tehnică", "curge în continuare"))
	w.settle(back)
	if it := w.item(1); it.Dept != "" || it.ReturnedBy != "DU" || it.Status != storage.StatusRegistered {
		t.Fatalf("item %+v", it)
	}
	if len(card.Buttons()) != 1 || card.Buttons()[0].Text != "Repartizează" {
		t.Fatalf("buttons %+v", card.Buttons())
	}
	w.fake.Click(ana, card, "Repartizează")
	st := w.fake.Wait("the form", func(st slackfake.State) bool { return len(st.Views) == 1 })
	w.settle(w.fake.Submit(ana, st.Views[0], map[string]string{"in_departament": "DT"}))
	w.waitFor("the department's card", in(dtChan, "Vi s-a repartizat 1/2026"))
	if it := w.item(1); it.Dept != "DT" || it.ReturnedBy != "" {
		t.Fatalf("item %+v", it)
	}
}

// DT consults DF with a due date; DF answers in its card's thread with a
// file; DT's thread shows the answer with the file (fetched from Slack with
// the bot token, kept in the file store, uploaded in DT's thread) and the
// history has every step, in order.
func TestConsultationThroughSlack(t *testing.T) {
	w := newWorld(t, "socket")
	w.departmentsTalk()
	w.start()
	_, card := w.registerAssigned(1, "DT", dtChan)

	ask := w.fake.Reply(dtMember, dtChan, card.TS, `consulta 1/2026 DF intrebare="Există fonduri?" termen=04.12.2026`)
	w.waitFor("the answer", in(dtChan, "1/2026: DF consultat, răspuns până pe 04.12.2026"))
	dfCard := w.waitFor("DF's card", in(dfChan, "DT vă consultă pentru 1/2026, răspuns până pe 04.12.2026", "Există fonduri?"))
	w.settle(ask)

	pdf := []byte("%PDF-1.4 nota DF")
	answer := w.fake.ReplyWithFile(dfMember, dfChan, dfCard.TS, `raspunde-consultare "Da, capitolul 70.02"`, "nota-DF.pdf", "application/pdf", pdf)
	got := w.waitFor("the answer in DT's thread", in(dtChan, "Răspunsul DF la consultarea pentru 1/2026", "Da, capitolul 70.02", "nota-DF.pdf"))
	w.settle(answer)
	if got.ThreadTS != card.TS {
		t.Errorf("the answer is not in DT's thread: %+v", got)
	}
	// A file shared with a command that takes none is not fetched.
	w.settle(w.fake.ReplyWithFile(dtMember, dtChan, card.TS, "arata 1/2026", "poza.jpg", "image/jpeg", []byte("jpg")))
	if n := w.fake.Calls("files.download"); n != 1 {
		t.Errorf("%d downloads, want the answer's only", n)
	}
	var inDT []slackfake.File
	for _, f := range w.fake.State().Files {
		if f.Channel == dtChan {
			inDT = append(inDT, f)
		}
	}
	if len(inDT) != 1 || inDT[0].Name != "nota-DF.pdf" || inDT[0].ThreadTS != card.TS || string(inDT[0].Content) != string(pdf) {
		t.Fatalf("the file in DT's channel: %+v", inDT)
	}
	if k := w.item(1).Consults[0]; k.File == nil || k.File.Name != "nota-DF.pdf" {
		t.Fatalf("consultation %+v", k)
	} else if data, err := w.store.ReadFile(k.File.SHA256); err != nil || string(data) != string(pdf) {
		t.Fatalf("the stored file: %q %v", data, err)
	}
	w.settle(w.fake.DM(ana, "arata 1/2026"))
	hist := w.waitFor("the history", in(slackfake.DMChannel(ana), "Istoric"))
	_, all, _ := strings.Cut(hist.AllText(), "Istoric:")
	last := -1
	for _, step := range []string{"înregistrată", "repartizată", "consultare cerută", "DT → DF, până pe 04.12.2026: Există fonduri?", "consultare răspunsă", "Da, capitolul 70.02 (fișier: nota-DF.pdf)"} {
		i := strings.Index(all, step)
		if i < 0 || i < last {
			t.Fatalf("%q missing or out of order in %s", step, all)
		}
		last = i
	}
}
