package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/telegram"
	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// needs skips a test whose command another branch brings.
func (e *env) needs(name string) {
	e.t.Helper()
	if c, _, _ := e.eng.Table().Lookup([]string{name}); c == nil || c.Name != name {
		e.t.Skipf("the %q command has not landed on this branch yet", name)
	}
}

func TestMenuIsPublishedInRomanianAndEnglish(t *testing.T) {
	e := newEnv(t)
	e.start()
	names := func(cmds []models.BotCommand) string {
		var out []string
		for _, c := range cmds {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	if got := names(e.fake.Menu("")); got != "start azi maine saptamana agenda telefon restante cauta arata ajutor" {
		t.Errorf("Romanian menu: %s", got)
	}
	if got := names(e.fake.Menu("en")); got != "start today tomorrow week agenda phone overdue find show help" {
		t.Errorf("English menu: %s", got)
	}
}

func TestMayorAsksForTheDay(t *testing.T) {
	e := newEnv(t).standard()
	e.needs("agenda")
	e.must(`programeaza 25.11.2026 12:00-13:00 "Ședință de lucru cu DT" loc="Sala de Consiliu"`)
	e.start()
	e.say(tgfake.Private(mayor), mayor, "/azi", 0)
	m := e.replies(mayor.ID, 1)[0]
	has(t, m, "Ședință de lucru cu DT", "12:00")
	e.say(tgfake.Private(mayor), mayor, "/today", 0)
	has(t, e.replies(mayor.ID, 2)[1], "Ședință de lucru cu DT")
}

func TestMayorLooksUpAPhoneWithDiacritics(t *testing.T) {
	e := newEnv(t).standard()
	e.needs("telefon")
	e.must(`contact adauga "Ștefan Țăranu" functie="Director" departament=DT telefon="0264 596 030" interior=5001`)
	e.start()
	e.say(tgfake.Private(mayor), mayor, "/telefon ştefan ţăranu", 0) // cedilla forms
	has(t, e.replies(mayor.ID, 1)[0], "Ștefan Țăranu", "0264 596 030")
	e.say(tgfake.Private(mayor), mayor, "/phone taranu", 0)
	has(t, e.replies(mayor.ID, 2)[1], "5001")
}

func TestGroupCommandsAddressedToTheBot(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	id := e.say(dtGroup, member, "/restante@cabinetbot", 0)
	m := e.replies(dtGroup.ID, 1)[0]
	has(t, m, "Nicio restanță")
	if m.ReplyTo != id {
		t.Errorf("the answer in the group does not reply to the command: %d, want %d", m.ReplyTo, id)
	}
	// Commands for another bot, and chatter, are left alone.
	e.say(dtGroup, member, "/restante@otherbot", 0)
	e.say(dtGroup, member, "bună dimineața, colegi", 0)
	e.say(dtGroup, member, "/overdue@CabinetBot", 0) // usernames are case-insensitive
	e.say(dtGroup, member, "@cabinetbot restante DT", 0)
	e.settle()
	got := e.fake.SentTo(dtGroup.ID)
	if len(got) != 3 {
		t.Fatalf("want 3 answers in the group, got:\n%s", e.fake.Dump())
	}
	has(t, got[1], "Nothing overdue")
	has(t, got[2], "Nicio restanță — DT")
}

func TestMayorAsksForTheDayInAGroup(t *testing.T) {
	e := newEnv(t).standard()
	e.needs("agenda")
	e.start()
	id := e.say(dtGroup, mayor, "/azi@cabinetbot", 0)
	m := e.replies(dtGroup.ID, 1)[0]
	if m.ReplyTo != id {
		t.Errorf("the answer does not reply to /azi@cabinetbot: %+v", m)
	}
	has(t, m, "Agenda — miercuri 25.11.2026")
}

var codeRe = regexp.MustCompile(`/start ([A-Z2-9]{8})`)

func TestPairingWithAOneTimeCode(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	adminChat := tgfake.Private(admin)
	e.say(adminChat, admin, "leaga telegram primar", 0)
	m := codeRe.FindStringSubmatch(e.replies(admin.ID, 1)[0].Text)
	if m == nil {
		t.Fatalf("no code in:\n%s", e.fake.Dump())
	}
	code := m[1]

	// A valid code: the stranger gets the role, the admin hears of it.
	newcomer := models.User{ID: 300, FirstName: "Ana", LastName: "Nouă"}
	e.say(tgfake.Private(newcomer), newcomer, "/start "+code, 0)
	has(t, e.replies(newcomer.ID, 1)[0], "Bun venit", "primar")
	if p, err := e.store.Person("telegram:300"); err != nil || p.Role != "primar" || p.Name != "Ana Nouă" {
		t.Fatalf("after pairing: %+v %v", p, err)
	}
	has(t, e.replies(admin.ID, 2)[1], "Codul de legare a fost folosit", "telegram:300")
	e.say(tgfake.Private(newcomer), newcomer, "/restante", 0)
	has(t, e.replies(newcomer.ID, 2)[1], "Nicio restanță")

	// The same code again, by someone else: refused, nothing granted.
	reuser := models.User{ID: 301, FirstName: "Ion"}
	before := e.snapshot()
	e.say(tgfake.Private(reuser), reuser, "/start "+code, 0)
	has(t, e.replies(reuser.ID, 1)[0], "deja folosit", "telegram:301")
	if _, err := e.store.Person("telegram:301"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a reused code granted a role: %v", err)
	}
	e.settle()
	onlyOperational(t, before, e.snapshot())

	// An expired code.
	e.say(adminChat, admin, "link telegram viewer", 0)
	code2 := codeRe.FindStringSubmatch(e.replies(admin.ID, 3)[2].Text)[1]
	e.advance(16 * time.Minute)
	late := models.User{ID: 302, FirstName: "Radu"}
	e.say(tgfake.Private(late), late, "/start "+code2, 0)
	has(t, e.replies(late.ID, 1)[0], "a expirat", "telegram:302")
	if _, err := e.store.Person("telegram:302"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("an expired code granted a role: %v", err)
	}
}

// onlyOperational fails when anything but operational state changed: the
// poll offset, handled events, the note that a stranger was told once.
func onlyOperational(t *testing.T, before, after map[string]string) {
	t.Helper()
	for _, k := range changes(before, after) {
		k = strings.TrimPrefix(k, "-")
		if !strings.HasPrefix(k, "o/") && !strings.HasPrefix(k, "e/") && !strings.HasPrefix(k, "r/") {
			t.Errorf("changed: %s", k)
		}
	}
}

func TestStrangerIsRefusedOnceAndLogged(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	before := e.snapshot()
	chat := tgfake.Private(stranger)
	e.say(chat, stranger, "/restante", 0)
	m := e.replies(stranger.ID, 1)[0]
	has(t, m, "Nu aveți acces", "telegram:999")
	for _, line := range []string{"restante", "/azi", "/start", "/start ABCDEFGH", `inregistreaza de="X" subiect="Y"`, "/ajutor"} {
		e.say(chat, stranger, line, 0)
	}
	e.say(dtGroup, stranger, "/restante@cabinetbot", 0)
	e.settle()
	if got := e.fake.SentTo(stranger.ID); len(got) != 1 {
		t.Fatalf("the stranger was answered %d times:\n%s", len(got), e.fake.Dump())
	}
	if got := e.fake.SentTo(dtGroup.ID); len(got) != 0 {
		t.Fatalf("the stranger was answered in the group:\n%s", e.fake.Dump())
	}
	if n := e.logs.count("message from an identity without a role"); n < 8 {
		t.Errorf("%d of 8 attempts logged", n)
	}
	onlyOperational(t, before, e.snapshot())
}

func TestDepartmentConfirmsResolutionByReplyAndByButton(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea" categorie=petitie`)
	e.must(`repartizeaza 1/2026 DT`)
	card := e.replies(dtGroup.ID, 1)[0]
	has(t, card, "Vi s-a repartizat 1/2026", "Groapă pe str. Horea")
	if len(card.Buttons) == 0 || card.Buttons[0][0].Text != "Rezolvat" {
		t.Fatalf("card without its button: %+v", card)
	}

	// Someone from another department may not.
	e.say(dtGroup, other, "rezolvat raspuns=1", card.ID)
	has(t, e.replies(dtGroup.ID, 2)[1], "Doar departamentul responsabil (DT)")

	// A member of DT replies to the card.
	e.say(dtGroup, member, "rezolvat raspuns=4521", card.ID)
	has(t, e.replies(dtGroup.ID, 3)[2], "1/2026 rezolvată", "4521")
	it, _ := e.store.Item(storage.Number{Year: 2026, Seq: 1})
	if it.Status != storage.StatusResolved || it.AnswerNo != "4521" {
		t.Fatalf("item after the reply: %+v", it)
	}
	has(t, e.replies(cabinetGroup.ID, 1)[0], "1/2026 rezolvată de DT", "4521")

	// The button: a prompt, then the member's reply to it.
	e.must(`inregistreaza de="Maria Ionescu" subiect="Iluminat public" categorie=petitie`)
	e.must(`repartizeaza 2/2026 DT`)
	card2 := e.replies(dtGroup.ID, 4)[3]
	_, qid := e.fake.PushCallback(dtGroup, member, card2.ID, card2.Buttons[0][0].Data)
	prompt := e.replies(dtGroup.ID, 5)[4]
	has(t, prompt, "rezolva 2/2026", "raspuns")
	if !prompt.ForceReply || prompt.ReplyTo != card2.ID {
		t.Fatalf("the prompt: %+v", prompt)
	}
	e.fake.WaitFor(t, "the callback answer", func() bool { return answered(e.fake, qid) })
	e.say(dtGroup, member, "4522 -", prompt.ID)
	has(t, e.replies(dtGroup.ID, 6)[5], "2/2026 rezolvată", "4522")
	if it, _ := e.store.Item(storage.Number{Year: 2026, Seq: 2}); it.Status != storage.StatusResolved {
		t.Fatalf("item 2 after the button: %+v", it)
	}
}

func answered(f *tgfake.Server, qid string) bool {
	for _, a := range f.Answers() {
		if a.QueryID == qid {
			return true
		}
	}
	return false
}

func TestRateLimitIsWaitedOutAndDeliveredOnce(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.fake.Fail("sendMessage", mayor.ID, 429, "Too Many Requests: retry after 1", 1, 1)
	e.say(tgfake.Private(mayor), mayor, "/restante", 0)
	has(t, e.replies(mayor.ID, 1)[0], "Nicio restanță")
	e.settle()
	if n := len(e.fake.SentTo(mayor.ID)); n != 1 {
		t.Fatalf("delivered %d times:\n%s", n, e.fake.Dump())
	}
	if n := e.fake.Calls("sendMessage"); n != 2 {
		t.Errorf("sendMessage called %d times, want 2 (429, then the retry)", n)
	}
	if w := e.waits.longest(); w < 900*time.Millisecond || w > time.Second {
		t.Errorf("waited %v for retry_after 1", w)
	}
}

// An update is confirmed to Telegram once its change is committed; its reply
// goes out in the chat's lane. A stop while a reply is being sent waits for
// it (tried again after the dropped connection): no reply is lost, none is
// sent twice, nothing is registered twice.
func TestStopWhileAReplyIsSent(t *testing.T) {
	e := newEnv(t).standard()
	e.cfg.ReplyBackoff = func(int) time.Duration { return 10 * time.Millisecond }
	chat := tgfake.Private(admin)
	for k := 1; k <= 6; k++ {
		e.say(chat, admin, fmt.Sprintf(`inregistreaza de="Cetățean %d" subiect="Cerere %d"`, k, k), 0)
	}
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.fake.OnSend(func(m tgfake.Message) error {
		failed := false
		if strings.Contains(m.Text, "Cetățean 3") {
			once.Do(func() {
				close(reached)
				<-release
				failed = true
			})
		}
		if failed {
			return errors.New("the connection dropped")
		}
		return nil
	})
	a := e.start()
	<-reached
	e.cancel() // the process is stopped while the third is answered
	<-a.Stopping()
	close(release)
	for range 2 {
		if err := <-e.done; err != nil {
			t.Fatal(err)
		}
	}
	e.cancel = nil
	if n := len(e.fake.SentTo(admin.ID)); n < 3 {
		t.Fatalf("the reply under way at the stop was not finished: %d replies\n%s", n, e.fake.Dump())
	}

	e.fake.OnSend(nil)
	e.start()
	e.settle()
	got := e.fake.SentTo(admin.ID)
	if len(got) != 6 {
		t.Fatalf("want 6 answers, got:\n%s", e.fake.Dump())
	}
	for k := 1; k <= 6; k++ {
		n := 0
		for _, m := range got {
			if strings.Contains(m.Text, fmt.Sprintf("Expeditor: Cetățean %d (", k)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Cetățean %d answered %d times", k, n)
		}
		it, err := e.store.Item(storage.Number{Year: 2026, Seq: k})
		if err != nil || it.Sender != fmt.Sprintf("Cetățean %d", k) {
			t.Errorf("registration %d/2026: %+v %v", k, it, err)
		}
	}
	if last, _ := e.store.LastNumber(2026); last != 6 {
		t.Errorf("last number %d, want 6: something was registered twice", last)
	}
}

func TestLongListsArePaged(t *testing.T) {
	e := newEnv(t).standard()
	e.mu.Lock()
	e.now = time.Date(2026, 9, 1, 10, 0, 0, 0, e.now.Location())
	e.mu.Unlock()
	for k := 1; k <= 20; k++ {
		e.must(fmt.Sprintf(`inregistreaza de="Presa %d" subiect="Întrebare %d" categorie=presa`, k, k))
	}
	e.advance(60 * 24 * time.Hour)
	e.start()
	e.say(tgfake.Private(mayor), mayor, "/restante", 0)
	first := e.replies(mayor.ID, 1)[0]
	has(t, first, "Restanțe: 20", "(1/2)")
	more := first.Buttons[len(first.Buttons)-1][0]
	if more.Text != "Mai mult ▾" {
		t.Fatalf("no More button: %+v", first.Buttons)
	}
	_, qid := e.fake.PushCallback(tgfake.Private(mayor), mayor, first.ID, more.Data)
	second := e.replies(mayor.ID, 2)[1]
	has(t, second, "(2/2)")
	if len(second.Buttons) != 0 {
		t.Errorf("the last page has buttons: %+v", second.Buttons)
	}
	e.fake.WaitFor(t, "the More button to go", func() bool {
		m := e.fake.SentTo(mayor.ID)[0]
		return m.Edits == 1 && len(m.Buttons) == 0
	})
	if !answered(e.fake, qid) {
		t.Error("the More press was not answered")
	}
	// A page set the bot no longer has (a restart): answered with a reason.
	_, stale := e.fake.PushCallback(tgfake.Private(mayor), mayor, first.ID, "p|00000000|2")
	e.fake.WaitFor(t, "the stale press answered", func() bool { return answered(e.fake, stale) })
	for _, a := range e.fake.Answers() {
		if a.QueryID == stale && !strings.Contains(a.Text, "nu mai este disponibilă") {
			t.Errorf("stale press answered %q", a.Text)
		}
	}
	e.say(tgfake.Private(mayor), mayor, "/overdue", 0)
	en := e.replies(mayor.ID, 3)[2]
	if b := en.Buttons[len(en.Buttons)-1][0]; b.Text != "More ▾" {
		t.Errorf("English More button: %+v", en.Buttons)
	}
	// Unknown buttons are answered too.
	_, odd := e.fake.PushCallback(tgfake.Private(mayor), mayor, first.ID, "zzz")
	e.fake.WaitFor(t, "the odd press answered", func() bool { return answered(e.fake, odd) })
}

func TestBlockedChatsAreMarkedUnreachable(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	ctx := context.Background()
	e.fake.Block(mayor.ID, true)
	err := e.hub.Deliver(ctx, commands.Recipient{Kind: commands.ToMayor}, commands.Reply{Title: "Agenda de azi"})
	if !errors.Is(err, telegram.ErrUnreachable) {
		t.Fatalf("deliver to a blocked mayor: %v", err)
	}
	if p, _ := e.store.Person("telegram:100"); !p.Unreachable {
		t.Fatal("the mayor's chat is not marked unreachable")
	}
	calls := e.fake.Calls("sendMessage")
	if err := e.hub.Deliver(ctx, commands.Recipient{Kind: commands.ToMayor}, commands.Reply{Title: "again"}); !errors.Is(err, bot.ErrNoAddress) {
		t.Fatalf("the hub still sends to the blocked mayor: %v", err)
	}
	// A group that removed the bot: one try, then nothing until it writes.
	e.fake.Block(dtGroup.ID, true)
	notice := commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}
	if err := e.hub.Deliver(ctx, notice, commands.Reply{Title: "x"}); !errors.Is(err, telegram.ErrUnreachable) {
		t.Fatalf("deliver to a group that removed the bot: %v", err)
	}
	if err := e.hub.Deliver(ctx, notice, commands.Reply{Title: "y"}); !errors.Is(err, telegram.ErrUnreachable) {
		t.Fatalf("second delivery: %v", err)
	}
	if n := e.fake.Calls("sendMessage") - calls; n != 1 {
		t.Errorf("%d sends after the chats refused the bot, want 1", n)
	}
	// The mayor unblocks the bot and writes: reachable again.
	e.fake.Block(mayor.ID, false)
	e.say(tgfake.Private(mayor), mayor, "/restante", 0)
	e.replies(mayor.ID, 1)
	if p, _ := e.store.Person("telegram:100"); p.Unreachable {
		t.Fatal("the mark stays after the mayor wrote")
	}
}

// panicky is an engine whose Handle panics on "boom": the adapter's own
// recovery is what is tested (the real engine recovers its commands).
type panicky struct{ telegram.Engine }

func (p panicky) Handle(ctx context.Context, req commands.Request) commands.Reply {
	if req.Text == "boom" {
		panic("boom")
	}
	return p.Engine.Handle(ctx, req)
}

func TestAHandlerPanicIsRecoveredAndAnswered(t *testing.T) {
	e := newEnv(t).standard()
	e.engine = panicky{e.eng}
	e.start()
	e.say(tgfake.Private(mayor), mayor, "boom", 0)
	has(t, e.replies(mayor.ID, 1)[0], "eroare internă")
	e.say(tgfake.Private(mayor), mayor, "restante", 0)
	has(t, e.replies(mayor.ID, 2)[1], "Nicio restanță")
	if e.logs.count("panicked") == 0 {
		t.Error("the panic was not logged")
	}
}

func TestPrivateRepliesInAGroupGoToThePerson(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.say(dtGroup, member, "/ajutor@cabinetbot", 0)
	has(t, e.replies(member.ID, 1)[0], "Comenzi (rol: departament)")
	// Someone who never wrote to the bot cannot be written to first.
	e.fake.Block(other.ID, true)
	e.say(dtGroup, other, "/ajutor", 0)
	has(t, e.replies(dtGroup.ID, 1)[0], "scrieți-mi întâi în privat (@cabinetbot)")
	e.settle()
	if n := len(e.fake.SentTo(dtGroup.ID)); n != 1 {
		t.Errorf("the group got %d messages:\n%s", n, e.fake.Dump())
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.must(`inregistreaza de="Ion <b>Pop</b> & fiii" subiect="Cerere \"urgentă\" <script>"`)
	e.say(tgfake.Private(mayor), mayor, "/arata 1/2026", 0)
	m := e.replies(mayor.ID, 1)[0]
	has(t, m, "Ion <b>Pop</b> & fiii", "<script>")
	if strings.Contains(m.HTML, "<script>") {
		t.Errorf("unescaped HTML sent: %s", m.HTML)
	}
}

func TestPushesFilesAndThreads(t *testing.T) {
	e := newEnv(t).standard()
	a := e.start()
	ctx := context.Background()
	id, err := a.Send(ctx, "100", commands.Reply{Title: "Export", Files: []commands.File{{Name: "registru.csv", MIME: "text/csv", Data: []byte("nr;subiect\n1;x\n")}}})
	if err != nil || id == "" {
		t.Fatalf("send: %q %v", id, err)
	}
	got := e.replies(mayor.ID, 2)
	if got[1].Document != "registru.csv" || !bytes.Equal(got[1].Data, []byte("nr;subiect\n1;x\n")) {
		t.Errorf("document: %+v", got[1])
	}
	if _, err := a.SendInThread(ctx, "-1001", "7", commands.Reply{Title: "Reamintire: 1/2026"}); err != nil {
		t.Fatal(err)
	}
	if m := e.replies(dtGroup.ID, 1)[0]; m.ReplyTo != 7 {
		t.Errorf("thread reply: %+v", m)
	}
	// The morning agenda reaches the Mayor through the Hub.
	if err := e.hub.Deliver(ctx, commands.Recipient{Kind: commands.ToMayor}, commands.Reply{Title: "Agenda de azi, miercuri 25.11",
		Lines: []string{"09:00 Ședință operativă", "12:00 Audiențe"}}); err != nil {
		t.Fatal(err)
	}
	has(t, e.replies(mayor.ID, 3)[2], "Agenda de azi", "12:00 Audiențe")
	if _, err := a.Send(ctx, "not-a-chat", commands.Reply{Title: "x"}); err == nil {
		t.Error("a bad chat ID was accepted")
	}
}

func TestWebhookChecksTheSecret(t *testing.T) {
	e := newEnv(t).standard()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/telegram/hook"
	e.cfg.WebhookURL, e.cfg.WebhookSecret, e.cfg.Listener = url, "s3cret_token-1", ln
	e.start()
	if u, s := e.fake.Webhook(); u != url || s != "s3cret_token-1" {
		t.Fatalf("webhook set to %q %q", u, s)
	}
	upd, _ := e.fake.PushText(tgfake.Private(mayor), mayor, "/restante", 0)
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(e.fake.Raw(upd)))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	before := e.snapshot()
	if code := post("wrong"); code != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", code)
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Fatalf("no secret: %d", code)
	}
	if len(e.fake.SentTo(mayor.ID)) != 0 || len(changes(before, e.snapshot())) != 0 {
		t.Fatal("a forged update was handled")
	}
	if code := post("s3cret_token-1"); code != http.StatusOK {
		t.Fatalf("right secret: %d", code)
	}
	has(t, e.replies(mayor.ID, 1)[0], "Nicio restanță")
	if code := post("s3cret_token-1"); code != http.StatusOK { // Telegram redelivers
		t.Fatalf("redelivery: %d", code)
	}
	if n := len(e.fake.SentTo(mayor.ID)); n != 1 {
		t.Errorf("a redelivered update was answered again (%d answers)", n)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}

func TestARefusedTokenStopsTheAdapter(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Engine, cfg.Token = e.engine, "999:wrong"
	a, err := telegram.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Run(ctx); err == nil || !strings.Contains(err.Error(), "token was refused") {
		t.Fatalf("Run with a wrong token: %v", err)
	}
}

func TestAssignButtonAsksForTheDepartment(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	chat := tgfake.Private(admin)
	e.say(chat, admin, `inregistreaza de="Ion Popescu" subiect="Iluminat pe Horea"`, 0)
	card := e.replies(admin.ID, 1)[0]
	var assign tgfake.Button
	for _, row := range card.Buttons {
		for _, b := range row {
			if b.Text == "Repartizează" {
				assign = b
			}
		}
	}
	if assign.Data == "" {
		t.Fatalf("no Repartizează button: %+v", card.Buttons)
	}
	e.fake.PushCallback(chat, admin, card.ID, assign.Data)
	prompt := e.replies(admin.ID, 2)[1]
	has(t, prompt, "repartizeaza 1/2026", "departament")
	e.say(chat, admin, `"directia tehnica"`, prompt.ID)
	has(t, e.replies(admin.ID, 3)[2], "1/2026 repartizată la DT")
	has(t, e.replies(dtGroup.ID, 1)[0], "Vi s-a repartizat 1/2026")
	// An answer to nobody's question is just a message.
	e.say(chat, admin, "restante", prompt.ID)
	has(t, e.replies(admin.ID, 4)[3], "Nicio restanță")
}

func TestADocumentWithItsCommandAsCaption(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	csv := "Nume;Funcție;Departament;Telefon;Interior\nȘtefan Țăranu;Director;DT;0264 596 030;5001\n"
	e.fake.PushDocument(tgfake.Private(admin), admin, "import-director agenda.csv", "agenda.csv", "text/csv", []byte(csv))
	e.replies(admin.ID, 1)
	e.say(tgfake.Private(admin), admin, "/telefon taranu", 0)
	has(t, e.replies(admin.ID, 2)[1], "Ștefan Țăranu", "5001")
	// A stranger's upload is not even fetched; a command that takes no file
	// leaves the document alone.
	e.fake.PushDocument(tgfake.Private(stranger), stranger, "import-director x.csv", "x.csv", "text/csv", []byte(csv))
	e.fake.PushDocument(tgfake.Private(admin), admin, "restante", "x.csv", "text/csv", []byte(csv))
	has(t, e.replies(admin.ID, 3)[2], "Nicio restanță")
	e.settle()
	if n := e.fake.Calls("download"); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
}
