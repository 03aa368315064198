package slack_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack"
	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// A direct message registers a letter: the card answers in the message's
// thread, the subject is escaped for mrkdwn, the buttons are there, and the
// thread is about the new item from then on.
func TestDMRegistration(t *testing.T) {
	w := newWorld(t, "socket").start()
	dm := w.fake.DM(ana, reg)
	card := w.waitFor("the registration card", saying("Înregistrat 1/2026"))
	if card.Channel != slackfake.DMChannel(ana) || card.ThreadTS != dm.TS {
		t.Errorf("the card is not in the DM's thread: %+v (asked at %s)", card, dm.TS)
	}
	for _, part := range []string{"Groapă &lt;mare&gt; &amp; adâncă", "*Număr*", "Ion Popescu", "28.12.2026"} {
		if !strings.Contains(card.AllText(), part) {
			t.Errorf("the card lacks %q:\n%s", part, card.AllText())
		}
	}
	if strings.Contains(card.AllText(), "<mare>") {
		t.Error("user text reached mrkdwn unescaped")
	}
	var labels []string
	for _, b := range card.Buttons() {
		labels = append(labels, b.Text)
	}
	if want := []string{"Repartizează", "Rezolvat", "Prelungește"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("buttons %v, want %v", labels, want)
	}
	if it := w.item(1); it.Subject != "Groapă <mare> & adâncă pe str. Horea" || it.RegisteredBy != "slack:"+ana {
		t.Errorf("stored %+v", it)
	}

	// In the thread, the item is understood: "arata" alone shows it.
	w.fake.Deliver(w.fake.NewDM(ana, "arata", dm.TS))
	shown := w.waitFor("the item shown in the thread", saying("Înregistrarea 1/2026", "Istoric"))
	if shown.ThreadTS != dm.TS {
		t.Errorf("the answer left the thread: %+v", shown)
	}
}

// A mention in a channel is answered once (Slack sends it as app_mention and
// as a channel message), in its thread; assigning posts the card to the
// department's channel; a member of another department may not resolve it; a
// member of the department resolves it by replying in the card's thread, and
// the Cabinet's thread of the item is told. Talk in the thread is ignored.
func TestDepartmentLoop(t *testing.T) {
	w := newWorld(t, "socket").start()
	asked := w.fake.Mention(ana, cabinet, reg, "")
	w.waitFor("the registration card", in(cabinet, "Înregistrat 1/2026"))
	assign := w.fake.Mention(ana, cabinet, "repartizeaza 1/2026 DT", "")
	w.settle(asked, assign)
	msgs := w.fake.Messages()
	if n := count(msgs, in(cabinet, "Înregistrat 1/2026")); n != 1 {
		t.Fatalf("the mention was answered %d times:%v", n, msgs)
	}
	if m := msgs[0]; m.ThreadTS != asked.TS {
		t.Errorf("the answer to a mention is not in its thread: %+v", m)
	}
	card := w.waitFor("the department's card", in(dtChan, "Vi s-a repartizat 1/2026"))
	if card.ThreadTS != "" || len(card.Buttons()) != 1 || card.Buttons()[0].Text != "Rezolvat" {
		t.Fatalf("department card: %+v buttons %v", card, card.Buttons())
	}

	before := w.business()
	other := w.fake.Reply(dasMemb, dtChan, card.TS, "rezolvat raspuns=99")
	refused := w.waitFor("the refusal", in(dtChan, "Doar departamentul responsabil"))
	if !refused.Ephemeral || refused.User != dasMemb {
		t.Errorf("a refusal in a card's thread is shown to all: %+v", refused)
	}
	chatter := w.fake.Reply(dtMember, dtChan, card.TS, "am sunat petentul, revin")
	w.settle(other, chatter)
	if !reflect.DeepEqual(before, w.business()) {
		t.Error("another department's member changed the item")
	}
	n := len(w.fake.Messages())

	done := w.fake.Reply(dtMember, dtChan, card.TS, "Rezolvat, raspuns=4521")
	answer := w.waitFor("the resolution", in(dtChan, "1/2026 rezolvată: răspuns nr. 4521"))
	if answer.ThreadTS != card.TS || answer.Ephemeral {
		t.Errorf("the resolution is not in the card's thread: %+v", answer)
	}
	told := w.waitFor("the Cabinet told", in(cabinet, "1/2026 rezolvată de DT"))
	if told.ThreadTS != asked.TS || !told.Broadcast {
		t.Errorf("the Cabinet was not told in the item's thread: %+v (thread %s)", told, asked.TS)
	}
	w.settle(done)
	if got := len(w.fake.Messages()); got != n+2 {
		t.Errorf("the chatter or the resolution posted %d messages, want 2", got-n)
	}
	if it := w.item(1); it.Status != storage.StatusResolved || it.AnswerNo != "4521" {
		t.Errorf("item after resolution: %+v", it)
	}
}

// The slash command answers in the channel, privately when the answer is
// private, and through the response URL where the bot is not a member.
func TestSlashCommand(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.Slash(ana, cabinet, "termen 25.11.2026 petitie")
	m := w.waitFor("the answer", in(cabinet, "Termen: 28.12.2026"))
	if m.Ephemeral || m.ThreadTS != "" || m.ViaResponseURL {
		t.Errorf("a public answer: %+v", m)
	}
	w.fake.Slash(ana, cabinet, "ajutor")
	help := w.waitFor("the help", in(cabinet, "Comenzi (rol: cabinet)"))
	if !help.Ephemeral || help.User != ana {
		t.Errorf("help is private: %+v", help)
	}
	w.fake.Slash(ana, cabinet, "")
	w.waitFor("help for an empty command", func(m slackfake.Message) bool { return m.TS != help.TS && saying("Comenzi (rol: cabinet)")(m) })

	w.fake.NotMember("CSECRET")
	sent := w.fake.Slash(ana, "CSECRET", reg)
	got := w.waitFor("the answer through the response URL", in("CSECRET", "Înregistrat 1/2026"))
	if !got.ViaResponseURL || got.Ephemeral {
		t.Errorf("not answered in the channel through the response URL: %+v", got)
	}
	w.settle(sent)
	if w.last() != 1 {
		t.Errorf("%d registrations", w.last())
	}
}

// A button with inputs opens a modal; its submission runs the command like
// typed text, and answers in the card's thread.
func TestButtonsAndModals(t *testing.T) {
	w := newWorld(t, "socket").start()
	dm := w.fake.DM(ana, reg)
	card := w.waitFor("the card", saying("Înregistrat 1/2026"))

	w.fake.Click(ana, card, "Repartizează")
	st := w.fake.Wait("the assignment form", func(st slackfake.State) bool { return len(st.Views) == 1 })
	form := st.Views[0]
	inputs := form.Inputs()
	if len(inputs) != 1 || inputs[0].BlockID != "in_departament" || inputs[0].Type != "static_select" ||
		!reflect.DeepEqual(inputs[0].Options, []string{"DAS", "DPM", "DT"}) {
		t.Fatalf("assignment form inputs: %+v", inputs)
	}
	if form.User != ana || form.Title != "Repartizează" {
		t.Errorf("form %+v", form)
	}
	w.fake.Submit(ana, form, map[string]string{"in_departament": "DT"})
	assigned := w.waitFor("the assignment", saying("1/2026 repartizată la DT"))
	if assigned.Channel != card.Channel || assigned.ThreadTS != dm.TS {
		t.Errorf("the assignment is not in the card's thread: %+v", assigned)
	}
	deptCard := w.waitFor("the department's card", in(dtChan, "Vi s-a repartizat 1/2026"))

	// A mistake in a form is answered with the command the form made, to be
	// corrected and typed (here in the direct messages: nothing to hide).
	w.fake.Click(ana, assigned, "Prelungește")
	st = w.fake.Wait("the extension form", func(st slackfake.State) bool { return len(st.Views) == 2 })
	w.fake.Submit(ana, st.Views[1], map[string]string{"in_zile": "zece"})
	wrong := w.waitFor("the mistake", saying("Zilele trebuie să fie un număr", `prelungeste 1/2026 "zece"`))
	if wrong.ThreadTS != dm.TS {
		t.Errorf("the mistake is not answered in the card's thread: %+v", wrong)
	}

	w.fake.Click(ana, assigned, "Prelungește")
	st = w.fake.Wait("the extension form", func(st slackfake.State) bool { return len(st.Views) == 3 })
	w.fake.Submit(ana, st.Views[2], map[string]string{"in_zile": "10"})
	w.waitFor("the extension", saying("Termenul pentru 1/2026 prelungit"))
	if it := w.item(1); it.ExtendedDays != 10 {
		t.Errorf("extended by %d days", it.ExtendedDays)
	}

	w.fake.Click(dtMember, deptCard, "Rezolvat")
	st = w.fake.Wait("the resolution form", func(st slackfake.State) bool { return len(st.Views) == 4 })
	w.fake.Submit(dtMember, st.Views[3], map[string]string{"in_raspuns": "4521/B", "in_data": "2026-12-01"})
	future := w.waitFor("the mistake", in(dtChan, "este în viitor", `rezolva 1/2026 raspuns="4521/B" data="01.12.2026"`))
	if !future.Ephemeral || future.User != dtMember {
		t.Errorf("a mistake in a form is shown to the whole channel: %+v", future)
	}

	w.fake.Click(dtMember, deptCard, "Rezolvat")
	st = w.fake.Wait("the resolution form", func(st slackfake.State) bool { return len(st.Views) == 5 })
	var ids []string
	for _, in := range st.Views[4].Inputs() {
		ids = append(ids, in.BlockID+"/"+in.Type)
	}
	if want := []string{"in_raspuns/plain_text_input", "in_data/datepicker"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("resolution form: %v", ids)
	}
	w.fake.Submit(dtMember, st.Views[4], map[string]string{"in_raspuns": "4521/B", "in_data": "2026-11-25"})
	done := w.waitFor("the resolution", in(dtChan, "1/2026 rezolvată: răspuns nr. 4521/B din 25.11.2026"))
	if done.ThreadTS != deptCard.TS {
		t.Errorf("the resolution is not in the department card's thread: %+v", done)
	}
	if it := w.item(1); it.Status != storage.StatusResolved || it.AnswerDate != "2026-11-25" {
		t.Errorf("item %+v", it)
	}
	w.waitFor("the Cabinet told", in(cabinet, "1/2026 rezolvată de DT"))
}

// `/cabinet inregistreaza` alone opens the registration form for those who
// may register; others get the engine's refusal and no form.
func TestRegistrationModal(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.Slash(ana, cabinet, "inregistreaza")
	st := w.fake.Wait("the registration form", func(st slackfake.State) bool { return len(st.Views) == 1 })
	form := st.Views[0]
	var blocks []string
	for _, in := range form.Inputs() {
		blocks = append(blocks, in.BlockID)
	}
	if want := []string{"in_de", "in_tip", "in_subiect", "in_categorie", "in_canal", "in_pagini", "in_termen", "in_contact", "in_nr"}; !reflect.DeepEqual(blocks, want) {
		t.Fatalf("form inputs %v", blocks)
	}
	w.fake.Submit(ana, form, map[string]string{"in_de": `Ministerul "Dezvoltării"`, "in_tip": "minister",
		"in_subiect": "Situația PNRR\npe trimestrul IV", "in_canal": "email", "in_pagini": "3", "in_termen": "2026-12-10",
		"in_nr": "MDLPA 123/2026"})
	m := w.waitFor("the registration", in(cabinet, "Înregistrat 1/2026"))
	if m.Ephemeral || m.ThreadTS != "" {
		t.Errorf("the registration is answered in the channel: %+v", m)
	}
	it := w.item(1)
	if it.Sender != `Ministerul "Dezvoltării"` || it.SenderType != "minister" || it.Subject != "Situația PNRR pe trimestrul IV" ||
		it.Channel != "email" || it.Pages != 3 || it.Deadline != "2026-12-10" || it.SenderRef != "MDLPA 123/2026" || it.Category != "institutie" {
		t.Errorf("registered %+v", it)
	}

	before := w.business()
	viewerAsk := w.fake.Slash(viewer, cabinet, "inregistreaza")
	denied := w.waitFor("the viewer's refusal", in(cabinet, "nu permite comanda"))
	strangerAsk := w.fake.Slash(stranger, cabinet, "register")
	refused := w.waitFor("the stranger's refusal", in(cabinet, "slack:"+stranger))
	w.settle(viewerAsk, strangerAsk)
	if !denied.Ephemeral || !refused.Ephemeral || len(w.fake.State().Views) != 1 {
		t.Errorf("refusals %+v %+v, views %d", denied, refused, len(w.fake.State().Views))
	}
	if !reflect.DeepEqual(before, w.business()) {
		t.Error("a refused registration changed the register")
	}
}

// The same event delivered three times at once, and once more later, has
// one effect: one number, one reply.
func TestRedeliveredEventHasOneEffect(t *testing.T) {
	w := newWorld(t, "socket").start()
	x := w.fake.DeliverTimes(w.fake.NewDM(ana, reg, ""), 3)
	w.settle(x)
	again := w.fake.Deliver(slackfake.Sent{Events: x.Events})
	w.settle(again)
	if n := count(w.fake.Messages(), saying("Înregistrat")); n != 1 || w.last() != 1 {
		t.Errorf("%d replies, %d registrations; want one of each", n, w.last())
	}

	// A mention comes as two events; three deliveries of both: one answer.
	m := w.fake.DeliverTimes(w.fake.NewMention(ana, cabinet, "repartizeaza 1/2026 DT", ""), 3)
	w.settle(m)
	if n := count(w.fake.Messages(), saying("repartizată la DT")); n != 1 {
		t.Errorf("the assignment was answered %d times", n)
	}
	if n := count(w.fake.Messages(), in(dtChan, "Vi s-a repartizat")); n != 1 {
		t.Errorf("the department was told %d times", n)
	}
	hist, _ := w.store.History(storage.KindItem, "1/2026")
	if len(hist) != 2 {
		t.Errorf("history %+v", hist)
	}

	// A button pressed once but delivered twice, and a form submitted once
	// but delivered twice: one form, one change.
	card := w.waitFor("the card", saying("Înregistrat 1/2026"))
	w.settle(w.fake.DeliverTimes(w.fake.NewClick(ana, card, "Prelungește"), 2))
	if v := len(w.fake.State().Views); v != 1 {
		t.Fatalf("%d forms opened", v)
	}
	w.settle(w.fake.DeliverTimes(w.fake.NewSubmit(ana, w.fake.State().Views[0], map[string]string{"in_zile": "5"}), 2))
	if it := w.item(1); it.ExtendedDays != 5 || it.Extensions != 1 {
		t.Errorf("extended %d times by %d days", it.Extensions, it.ExtendedDays)
	}
}

// A stranger is told once that they have no access (with their ID), then
// gets silence; nothing in the register changes.
func TestStrangerRefused(t *testing.T) {
	w := newWorld(t, "socket").start()
	before := w.business()
	first := w.fake.DM(stranger, reg)
	m := w.waitFor("the refusal", saying("Nu aveți acces", "slack:"+stranger))
	second := w.fake.DM(stranger, "restante")
	mention := w.fake.Mention(stranger, cabinet, reg, "")
	w.settle(first, second, mention)
	if n := len(w.fake.Messages()); n != 1 {
		t.Errorf("the stranger got %d answers, want 1: %+v", n, w.fake.Messages())
	}
	if m.Channel != slackfake.DMChannel(stranger) {
		t.Errorf("refusal %+v", m)
	}
	if !reflect.DeepEqual(before, w.business()) {
		t.Error("a stranger changed the register")
	}
	if !strings.Contains(w.logs.String(), "identity without a role") {
		t.Error("the attempt was not logged")
	}
}

// A 429 on chat.postMessage is waited out (Retry-After) and the message is
// posted once.
func TestRateLimitedPostIsRetried(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.Fail("chat.postMessage", slackfake.Fault{Status: 429, RetryAfter: "7"})
	w.fake.Fail("chat.postMessage", slackfake.Fault{Status: 429})
	w.settle(w.fake.DM(ana, reg))
	if n := len(w.fake.Messages()); n != 1 || w.fake.Calls("chat.postMessage") != 3 {
		t.Errorf("%d messages after %d calls; want 1 after 3", n, w.fake.Calls("chat.postMessage"))
	}
	if got := w.waits.list(); !reflect.DeepEqual(got, []time.Duration{7 * time.Second, time.Second}) {
		t.Errorf("waited %v; want Retry-After (7s), then 1s without the header", got)
	}
	if w.last() != 1 {
		t.Errorf("%d registrations", w.last())
	}
}

// A dropped socket is reconnected; what was sent while it was down, and
// what was delivered but not acknowledged when it dropped, is handled once.
func TestDroppedSocketLosesNothing(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.DM(ana, reg)
	w.waitFor("the first card", saying("Înregistrat 1/2026"))

	w.fake.DropSocket()
	queued := w.fake.DM(ana, `inregistreaza de="Maria" subiect="Iluminat"`) // waits for the bot
	w.fake.WaitConnected(2)
	w.waitFor("the second card", saying("Înregistrat 2/2026"))

	cut := w.fake.DeliverThenDrop(w.fake.NewDM(ana, `inregistreaza de="Petru" subiect="Trotuar"`, ""))
	w.fake.WaitConnected(3)
	w.settle(queued, cut)
	msgs := w.fake.Messages()
	for i := 1; i <= 3; i++ {
		if n := count(msgs, saying("Înregistrat "+string(rune('0'+i))+"/2026")); n != 1 {
			t.Errorf("registration %d answered %d times", i, n)
		}
	}
	if w.last() != 3 {
		t.Errorf("%d registrations, want 3", w.last())
	}

	// Slack's own "disconnect" request: the client reconnects by itself.
	w.fake.Disconnect()
	w.fake.WaitConnected(4)
	w.fake.DM(ana, "restante")
	w.waitFor("an answer after the refresh", saying("Nicio restanță"))
}

// panicky is an engine whose handler panics on "boom" (a fault in the
// adapter's work, past the engine's own recovery).
type panicky struct{ *commands.Engine }

func (p panicky) Handle(ctx context.Context, req commands.Request) commands.Reply {
	if req.Text == "boom" {
		panic("boom")
	}
	if req.Text == "raport" { // a reply with a file, as the reports will make
		return commands.Reply{Title: "Raport", Item: "", Files: []commands.File{{Name: "restante.csv", MIME: "text/csv", Data: []byte("nr;termen\n1/2026;28.12.2026\n")}}}
	}
	if req.Text == "raport privat" {
		return commands.Reply{Title: "Raport", Private: true, Files: []commands.File{{Name: "agenda.ics", MIME: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}}}
	}
	return p.Engine.Handle(ctx, req)
}

// A panic while handling is recovered, logged and answered with an apology;
// the bot goes on.
func TestPanicIsAnsweredWithAnApology(t *testing.T) {
	w := newWorld(t, "socket", func(c *slack.Config) { c.Engine = panicky{c.Engine.(*commands.Engine)} }).start()
	dm := w.fake.DM(ana, "boom")
	m := w.waitFor("the apology", saying("Ne pare rău"))
	if m.ThreadTS != dm.TS {
		t.Errorf("apology %+v", m)
	}
	if !strings.Contains(w.logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
	w.fake.DM(ana, "restante")
	w.waitFor("the next answer", saying("Nicio restanță"))
}

// Files are uploaded to the conversation, in the answer's thread; private
// files go to the asker's direct messages.
func TestFilesAreUploaded(t *testing.T) {
	w := newWorld(t, "socket", func(c *slack.Config) { c.Engine = panicky{c.Engine.(*commands.Engine)} }).start()
	asked := w.fake.Mention(ana, cabinet, "raport", "")
	st := w.fake.Wait("the file", func(st slackfake.State) bool { return len(st.Files) == 1 })
	f := st.Files[0]
	if f.Name != "restante.csv" || f.Channel != cabinet || f.ThreadTS != asked.TS || string(f.Content) != "nr;termen\n1/2026;28.12.2026\n" {
		t.Errorf("file %+v %q", f, f.Content)
	}
	w.fake.Mention(ana, cabinet, "raport privat", "")
	st = w.fake.Wait("the private file", func(st slackfake.State) bool { return len(st.Files) == 2 })
	if f := st.Files[1]; f.Channel != slackfake.DMChannel(ana) || f.ThreadTS != "" {
		t.Errorf("a private file was not sent to the DM: %+v", f)
	}
	for _, call := range []string{"files.getUploadURLExternal", "files.completeUploadExternal"} {
		if w.fake.Calls(call) != 2 {
			t.Errorf("%s called %d times", call, w.fake.Calls(call))
		}
	}
}

// The Hub reaches people by their user ID (a direct message) and posts by
// the adapter's Send.
func TestSendToAPerson(t *testing.T) {
	w := newWorld(t, "socket").start()
	err := w.hub.Deliver(context.Background(), commands.Recipient{Kind: commands.ToPerson, ID: "slack:UMAYOR"},
		commands.Reply{Title: "Agenda de mâine", Lines: []string{"09:00 Ședință <operativă>"}})
	if err != nil {
		t.Fatal(err)
	}
	m := w.waitFor("the message", saying("Agenda de mâine", "Ședință &lt;operativă&gt;"))
	if m.Channel != slackfake.DMChannel("UMAYOR") || m.ThreadTS != "" {
		t.Errorf("message %+v", m)
	}
	// A channel recorded as Slack writes a #mention of it is posted to by ID.
	if _, err := w.ad.Send(context.Background(), "<#CDTX|dt-tehnic>", commands.Reply{Title: "Salut"}); err != nil {
		t.Fatal(err)
	}
	w.waitFor("the post by channel mention", in("CDTX", "Salut"))
	if refusals := w.fake.State().Refusals; len(refusals) > 0 {
		t.Errorf("the fake refused: %v", refusals)
	}
}

// Buttons carry the typed command they stand for.
func TestButtonValuesAreCommands(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.DM(ana, reg)
	card := w.waitFor("the card", saying("Înregistrat 1/2026"))
	var v struct {
		C string   `json:"c"`
		I []string `json:"i"`
	}
	if err := json.Unmarshal([]byte(card.Buttons()[1].Value), &v); err != nil || v.C != "rezolva 1/2026" ||
		!reflect.DeepEqual(v.I, []string{"raspuns", "data"}) {
		t.Errorf("button value %q: %+v %v", card.Buttons()[1].Value, v, err)
	}
}

// Posts to one channel are spaced (about one a second after a burst); posts
// to another channel do not wait for them.
func TestPostsArePacedPerChannel(t *testing.T) {
	w := newWorld(t, "socket", func(c *slack.Config) { c.PostInterval = time.Second; c.PostBurst = 1 }).start()
	ctx := context.Background()
	for _, title := range []string{"unu", "doi", "trei"} {
		if err := w.hub.Deliver(ctx, commands.Recipient{Kind: commands.ToPerson, ID: "slack:UMAYOR"}, commands.Reply{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.hub.Deliver(ctx, commands.Recipient{Kind: commands.ToCabinet}, commands.Reply{Title: "patru"}); err != nil {
		t.Fatal(err)
	}
	got := w.waits.list()
	if len(got) != 2 || got[0] <= 500*time.Millisecond || got[0] > time.Second || got[1] <= 1500*time.Millisecond || got[1] > 2*time.Second {
		t.Errorf("paused %v; want about 1s then 2s before the 2nd and 3rd post to the same channel, none for the other", got)
	}
	if n := len(w.fake.Messages()); n != 4 {
		t.Errorf("%d messages", n)
	}
}

// A refused app-level token stops Run with the reason; there is nothing to
// reconnect to.
func TestRefusedTokenStopsRun(t *testing.T) {
	w := newWorld(t, "socket", func(c *slack.Config) { c.AppToken = "xapp-revoked" })
	err := w.ad.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("Run: %v", err)
	}
	w2 := newWorld(t, "socket", func(c *slack.Config) { c.BotToken = "xoxb-revoked" })
	if err := w2.ad.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "bot token was refused") {
		t.Fatalf("Run: %v", err)
	}
}
