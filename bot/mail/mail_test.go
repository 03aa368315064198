package mail_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/mail"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

var operator = commands.Identity{Platform: "console", ID: "operator"}

// imapServer is an in-process IMAP server on 127.0.0.1 with one user.
func imapServer(t *testing.T) (addr string, user *imapmemserver.User) {
	return imapServerCaps(t, imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}})
}

func imapServerCaps(t *testing.T, caps imap.CapSet) (addr string, user *imapmemserver.User) {
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("cabinet", "s3cret")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), user
}

// smtpServer records every message it receives.
type smtpServer struct {
	mu   sync.Mutex
	msgs []smtpMsg
}

type smtpMsg struct {
	to   []string
	data string
}

type smtpSession struct {
	s   *smtpServer
	cur smtpMsg
}

func (s *smtpSession) Reset()                               { s.cur = smtpMsg{} }
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.s.mu.Lock()
	s.s.msgs = append(s.s.msgs, s.cur)
	s.s.mu.Unlock()
	return nil
}

func (s *smtpServer) got() []smtpMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMsg(nil), s.msgs...)
}

func startSMTP(t *testing.T) (*smtpServer, string) {
	rec := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: rec}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return rec, ln.Addr().String()
}

// cabinet records the cards posted to the Cabinet's channel.
type cabinet struct {
	mu    sync.Mutex
	cards []commands.Reply
}

func (c *cabinet) Name() string { return "test" }
func (c *cabinet) Send(_ context.Context, _ string, r commands.Reply) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cards = append(c.cards, r)
	return fmt.Sprint(len(c.cards)), nil
}
func (c *cabinet) count() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.cards) }

// bot is the store, engine, outbox and mailbox reader, as main wires them.
type rig struct {
	store  *storage.Store
	engine *commands.Engine
	cab    *cabinet
	stop   func()
}

func start(t *testing.T, dir, imapAddr, smtpAddr string, poll ...time.Duration) *rig {
	t.Helper()
	every := 300 * time.Millisecond
	if len(poll) > 0 {
		every = poll[0]
	}
	s, err := storage.Open(dir, storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	e, err := commands.New(commands.Config{Store: s, Admins: []string{operator.Key()}, Acknowledge: true})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{store: s, engine: e, cab: &cabinet{}}
	hub := bot.NewHub(s, nil)
	hub.Cabinet = []bot.Address{{Platform: "test", Chat: "CAB"}}
	hub.Add(r.cab)
	sender, err := mail.NewSender(mail.SenderConfig{URL: "smtp+plain://" + smtpAddr, From: "cabinet@primariaclujnapoca.ro"})
	if err != nil {
		t.Fatal(err)
	}
	hub.Add(sender)
	reader, err := mail.NewReader(mail.ReaderConfig{URL: "imap://cabinet@" + imapAddr + "/INBOX", Password: "s3cret", Poll: every,
		Propose: func(ctx context.Context, m commands.Mail) error { _, _, err := e.ProposeMail(ctx, m); return err }})
	if err != nil {
		t.Fatal(err)
	}
	ob := bot.NewOutbox(bot.OutboxConfig{Store: s, Hub: hub, Rescan: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ob.Run(ctx) }()
	go func() { defer wg.Done(); reader.Run(ctx) }()
	r.stop = func() { cancel(); wg.Wait(); s.Close() }
	return r
}

func (r *rig) do(t *testing.T, line string) commands.Reply {
	t.Helper()
	return r.engine.Handle(context.Background(), commands.Request{Who: operator, Text: line})
}

func flat(r commands.Reply) string {
	parts := []string{r.Title}
	for _, f := range r.Fields {
		parts = append(parts, f.Label+": "+f.Value)
	}
	return strings.Join(append(parts, r.Lines...), " | ")
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func appendMsg(t *testing.T, user *imapmemserver.User, raw string) {
	t.Helper()
	if _, err := user.Append("INBOX", bytes.NewReader([]byte(strings.ReplaceAll(raw, "\n", "\r\n"))), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestMailboxProposalsRegisterIgnoreRestart(t *testing.T) {
	imapAddr, user := imapServer(t)
	smtpRec, smtpAddr := startSMTP(t)
	dir := t.TempDir()
	pdf := make([]byte, 70_000)
	rand.Read(pdf)
	pdf = append([]byte("%PDF-1.4\n"), pdf...)

	appendMsg(t, user, "From: Ion Popescu <ion.popescu@example.ro>\nTo: cabinet@primariaclujnapoca.ro\nSubject: =?utf-8?q?Peti=C8=9Bie_groap=C4=83_str._Horea?=\n"+
		"Date: Mon, 30 Nov 2026 10:00:00 +0200\nMessage-ID: <a1@example.ro>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"+
		"--XX\nContent-Type: text/plain; charset=utf-8\n\nBună ziua, vă sesizez o groapă.\n"+
		"--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"poza groapa.pdf\"\nContent-Transfer-Encoding: base64\n\n"+
		base64.StdEncoding.EncodeToString(pdf)+"\n--XX--\n")
	appendMsg(t, user, "From: Redactia Ziarul <redactie@ziarul.ro>\nSubject: Cerere 544 - contracte\nDate: Mon, 30 Nov 2026 11:00:00 +0200\n"+
		"Message-ID: <b2@ziarul.ro>\nContent-Type: text/plain; charset=iso-8859-2\n\nSolicit\xe3 informa\xfeii publice.\n")
	appendMsg(t, user, "From: promo@spam.example\nSubject: Oferta\nMessage-ID: <c3@spam.example>\n\nCumparati.\n")
	// Bad mail: no sender, a broken multipart, a charset nobody knows.
	appendMsg(t, user, "Subject: =?x-unknown?q?Ciudat?=\nMessage-ID: <d4@nowhere>\nContent-Type: multipart/mixed; boundary=ZZ\n\n--ZZ\nContent-Type: text/plain\n\ntext fara sfarsit")

	r := start(t, dir, imapAddr, smtpAddr)
	waitFor(t, "4 proposals", func() bool { ps, _ := r.store.Proposals(); return len(ps) == 4 })
	waitFor(t, "4 cards", func() bool { return r.cab.count() == 4 })
	got := map[string]string{}
	for _, c := range r.cab.cards {
		got[c.Title] = flat(c)
		if len(c.Actions) != 3 || c.Actions[0].Label != "Înregistrează" || c.Actions[1].Label != "Editează" || c.Actions[2].Label != "Ignoră" {
			t.Errorf("card buttons: %+v", c.Actions)
		}
	}
	all := fmt.Sprint(got)
	for _, want := range []string{"Petiție groapă str. Horea", "Ion Popescu <ion.popescu@example.ro>", "poza groapa.pdf", "Categorie (ghicită): petiție",
		"Cerere 544", "Categorie (ghicită): informații", "Solicită informaţii publice", "Tip (ghicit): presă", "Notă: mesajul nu are expeditor"} {
		if !strings.Contains(all, want) {
			t.Errorf("cards lack %q:\n%s", want, all)
		}
	}
	if s := flat(r.do(t, "propuneri")); !strings.Contains(s, "Propuneri din e-mail: 4") {
		t.Errorf("propuneri: %s", s)
	}

	r1 := r.do(t, "inregistreaza-email 1")
	if r1.Kind != commands.OK || !strings.Contains(flat(r1), "Înregistrat 1/") {
		t.Fatalf("register 1: %s", flat(r1))
	}
	if r2 := r.do(t, "inregistreaza-email 2 categorie=informatii tip=presa"); r2.Kind != commands.OK {
		t.Fatalf("register 2: %s", flat(r2))
	}
	if r3 := r.do(t, "ignora-email 3"); r3.Kind != commands.OK {
		t.Fatalf("ignore 3: %s", flat(r3))
	}
	if r4 := r.do(t, "inregistreaza-email 1"); r4.Kind == commands.OK || !strings.Contains(flat(r4), "deja înregistrat") {
		t.Errorf("registered twice: %s", flat(r4))
	}
	year := time.Now().Year()
	it, err := r.store.Item(storage.Number{Year: year, Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	if it.MessageID != "<a1@example.ro>" || len(it.Files) != 1 || it.Channel != "email" {
		t.Fatalf("item 1: %+v", it)
	}
	back, err := r.store.ReadFile(it.Files[0].SHA256)
	if err != nil || !bytes.Equal(back, pdf) {
		t.Fatalf("the attachment did not round-trip (%v, %d bytes of %d)", err, len(back), len(pdf))
	}
	waitFor(t, "2 acknowledgements", func() bool { return len(smtpRec.got()) == 2 })
	acks := fmt.Sprint(smtpRec.got())
	for _, want := range []string{"ion.popescu@example.ro", "redactie@ziarul.ro", "=C3=AEnregistrat=C4=83 cu nr. 1/" + fmt.Sprint(year)} {
		if !strings.Contains(acks, want) {
			t.Errorf("acknowledgements lack %q:\n%s", want, acks)
		}
	}
	r.stop()

	// Restart, with the mailbox's flags lost: every message is read again,
	// nothing is proposed or registered twice, no acknowledgement again.
	c, err := imapclient.DialInsecure(imapAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login("cabinet", "s3cret").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	flags, err := c.Fetch(imap.SeqSetNum(1, 2, 3, 4), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(flags) != 4 {
		t.Fatalf("fetch flags: %v", err)
	}
	for _, m := range flags {
		if fl := strings.ToLower(fmt.Sprint(m.Flags)); !strings.Contains(fl, strings.ToLower(string(mail.Proposed))) || !strings.Contains(fl, `\seen`) {
			t.Errorf("message %d not flagged: %v", m.SeqNum, m.Flags)
		}
	}
	if err := c.Store(imap.SeqSetNum(1, 2, 3, 4), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{mail.Proposed, imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
	c.Close()

	r = start(t, dir, imapAddr, smtpAddr)
	defer r.stop()
	waitFor(t, "the messages flagged again", func() bool {
		c, err := imapclient.DialInsecure(imapAddr, nil)
		if err != nil {
			return false
		}
		defer c.Close()
		c.Login("cabinet", "s3cret").Wait()
		c.Select("INBOX", nil).Wait()
		res, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{mail.Proposed}}, nil).Wait()
		return err == nil && len(res.AllUIDs()) == 0
	})
	time.Sleep(100 * time.Millisecond)
	if n := r.cab.count(); n != 0 {
		t.Errorf("%d cards posted again after the restart", n)
	}
	if ps, _ := r.store.Proposals(); len(ps) != 1 || ps[0].ID != 4 {
		t.Errorf("open proposals after the restart: %+v", ps)
	}
	if n, _ := r.store.LastNumber(year); n != 2 {
		t.Errorf("last number %d, want 2", n)
	}
	if n := len(smtpRec.got()); n != 2 {
		t.Errorf("%d acknowledgements, want 2", n)
	}
}

// A 4xx answer is tried again by the outbox; a 5xx one is not.
func TestSenderClassifiesFailures(t *testing.T) {
	for _, tc := range []struct {
		code      int
		transient bool
	}{{451, true}, {550, false}} {
		srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
			return &refusing{code: tc.code}, nil
		}))
		srv.Domain = "localhost"
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(ln)
		s, err := mail.NewSender(mail.SenderConfig{URL: "smtp+plain://" + ln.Addr().String(), From: "cabinet@example.ro"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Send(context.Background(), "ion@example.ro", commands.Reply{Title: "T", Lines: []string{"x"}})
		if err == nil || bot.Transient(err) != tc.transient {
			t.Errorf("%d: %v (transient %v)", tc.code, err, bot.Transient(err))
		}
		srv.Close()
	}
}

type refusing struct {
	smtpSession
	code int
}

func (r *refusing) Rcpt(string, *smtp.RcptOptions) error {
	return &smtp.SMTPError{Code: r.code, Message: "no"}
}

// A message that arrives while the reader waits is proposed: woken by IDLE,
// or at the next poll on a server without IDLE.
func TestMailboxNewMessageIdleAndPoll(t *testing.T) {
	for name, tc := range map[string]struct {
		caps imap.CapSet
		poll time.Duration // IDLE must wake the reader long before its poll
	}{
		"idle": {imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIdle: {}}, time.Hour},
		"poll": {imap.CapSet{imap.CapIMAP4rev1: {}}, 200 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			imapAddr, user := imapServerCaps(t, tc.caps)
			_, smtpAddr := startSMTP(t)
			r := start(t, t.TempDir(), imapAddr, smtpAddr, tc.poll)
			defer r.stop()
			time.Sleep(100 * time.Millisecond) // connected, waiting
			appendMsg(t, user, "From: a@example.ro\nSubject: Sesizare\nMessage-ID: <late@example.ro>\n\nText.\n")
			waitFor(t, "the late message proposed", func() bool { ps, _ := r.store.Proposals(); return len(ps) == 1 })
		})
	}
}
