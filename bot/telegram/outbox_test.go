package telegram_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// An assignment's notice meets a 500 and then a dropped connection: the
// outbox tries again and the department gets it once.
func TestNoticeAfterTwoTransientFailuresArrivesOnce(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.fake.Fail("sendMessage", dtGroup.ID, 500, "Internal Server Error", 0, 1)
	e.fake.Drop("sendMessage", dtGroup.ID, 1)
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	e.must(`repartizeaza 1/2026 DT`)
	e.delivered()
	got := e.fake.SentTo(dtGroup.ID)
	if len(got) != 1 {
		t.Fatalf("the department got %d messages, want 1:\n%s", len(got), e.fake.Dump())
	}
	has(t, got[0], "Vi s-a repartizat 1/2026")
	if n := e.fake.CallsTo("sendMessage", dtGroup.ID); n != 3 {
		t.Errorf("%d tries, want 3 (500, dropped, delivered)", n)
	}
}

// A chat that refuses the bot (403) is a permanent failure: not tried again,
// reported to the Cabinet once, with the item, and listed for its summary.
func TestPermanentFailureIsReportedOnce(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.fake.Block(dtGroup.ID, true)
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	e.must(`repartizeaza 1/2026 DT`)
	e.delivered()
	if n := e.fake.CallsTo("sendMessage", dtGroup.ID); n != 1 {
		t.Errorf("a 403 was tried %d times", n)
	}
	reports := e.fake.SentTo(cabinetGroup.ID)
	if len(reports) != 1 {
		t.Fatalf("the Cabinet got %d reports:\n%s", len(reports), e.fake.Dump())
	}
	has(t, reports[0], "Mesaj nelivrat către department DT", "1/2026", "Vi s-a repartizat 1/2026")
	failed, err := e.store.FailedSends(e.clock().Add(-time.Hour))
	if err != nil || len(failed) != 1 || failed[0].Item != "1/2026" {
		t.Fatalf("listed for the summary: %+v %v", failed, err)
	}
}

// The child of TestKilledAfterTheCommitNoticeArrivesAfterRestart: it opens
// the database, assigns an item (the change and its notice are committed),
// says so, and waits to be killed.
func killedChild(dir string) {
	store, err := storage.Open(dir, storage.Options{Words: text.Words}) // synced, as in production
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	clock := func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }
	eng, err := commands.New(commands.Config{Store: store, Clock: clock, Admins: []string{operator}})
	if err != nil {
		fmt.Println("engine:", err)
		os.Exit(2)
	}
	r := eng.Handle(context.Background(), commands.Request{Who: commands.Identity{Platform: "console", ID: "operator"},
		Text: "repartizeaza 1/2026 DT"})
	fmt.Println("committed:", r.Title)
	select {} // no notice is ever sent here: the process dies first
}

const childEnv = "CABINETBOT_KILLED_CHILD_DIR"

// kill -9 after the commit of an assignment and before its notice: a child
// process (this test binary run again) makes the assignment on the real
// database and is killed with SIGKILL — no deferred code, no Close, the
// files as a crash leaves them. A new process (this one) opens the same
// directory and the notice goes out, once.
func TestKilledAfterTheCommitNoticeArrivesAfterRestart(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		killedChild(dir)
		return
	}
	dir := t.TempDir()
	e := newEnvIn(t, dir).standard()
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	e.store.Close() // the first process stops cleanly; the child takes the directory

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledAfterTheCommitNoticeArrivesAfterRestart$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "committed: 1/2026 repartizată la DT") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the child was not killed: %v", err)
	}

	e.reopen(dir)
	if it, err := e.store.Item(storage.Number{Year: 2026, Seq: 1}); err != nil || it.Dept != "DT" {
		t.Fatalf("the assignment did not survive: %+v %v", it, err)
	}
	e.start()
	e.delivered()
	got := e.fake.SentTo(dtGroup.ID)
	if len(got) != 1 {
		t.Fatalf("after the restart the department got %d messages:\n%s", len(got), e.fake.Dump())
	}
	has(t, got[0], "Vi s-a repartizat 1/2026", "Groapă pe str. Horea")
}

// A department group whose sends take 4 s holds up only itself: the Mayor's
// private /azi, sent while the group's reply is being posted, is answered
// in well under 200 ms.
func TestASlowGroupDelaysOnlyItself(t *testing.T) {
	e := newEnv(t).standard()
	e.needs("agenda")
	e.start()
	e.fake.Slow(dtGroup.ID, 4*time.Second)
	e.say(dtGroup, member, "/restante@cabinetbot", 0)
	e.fake.WaitFor(t, "the group's reply under way", func() bool { return e.fake.CallsTo("sendMessage", dtGroup.ID) == 1 })
	start := time.Now()
	e.say(tgfake.Private(mayor), mayor, "/azi", 0)
	e.fake.WaitFor(t, "the Mayor's answer", func() bool { return len(e.fake.SentTo(mayor.ID)) == 1 })
	took := time.Since(start)
	if took >= 200*time.Millisecond {
		t.Fatalf("the Mayor waited %v behind the slow group", took)
	}
	if n := len(e.fake.SentTo(dtGroup.ID)); n != 0 {
		t.Fatalf("the group's reply finished first (%d): the test measured nothing", n)
	}
	t.Logf("the Mayor's answer took %v while the group's took 4 s", took)
	e.replies(dtGroup.ID, 1)
}

// A group that became a supergroup: the first send learns the new ID from
// Telegram's error, every stored reference follows (once, audited), the
// notice is sent again there, and the next one goes straight to the new ID.
func TestMigratedGroupIsFollowed(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	const newID = -1009001
	e.fake.Migrate(dtGroup.ID, newID)
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	e.must(`inregistreaza de="Maria Pop" subiect="Iluminat"`)
	e.must(`repartizeaza 1/2026 DT`)
	card := e.replies(newID, 1)[0]
	has(t, card, "Vi s-a repartizat 1/2026")
	d, err := e.store.Department("DT")
	if err != nil || d.TelegramChat != "-1009001" {
		t.Fatalf("the department's chat: %+v %v", d, err)
	}
	if hist, _ := e.store.History(storage.KindChat, "telegram:-1001"); len(hist) != 1 {
		t.Errorf("the move is audited once: %+v", hist)
	}
	has(t, e.replies(cabinetGroup.ID, 1)[0], "telegram:-1001", "-1009001", "DT")
	old := e.fake.CallsTo("sendMessage", dtGroup.ID)
	e.must(`repartizeaza 2/2026 DT`)
	has(t, e.replies(newID, 2)[1], "Vi s-a repartizat 2/2026")
	if n := e.fake.CallsTo("sendMessage", dtGroup.ID); n != old {
		t.Errorf("the next notice tried the old ID again (%d calls, was %d)", n, old)
	}
	// A reply to the card in the new group is still about its item.
	e.say(tgfake.Group(newID, "Direcția Tehnică"), member, "rezolvat raspuns=4521", card.ID)
	has(t, e.replies(newID, 3)[2], "1/2026 rezolvată")
}

// The service message of a migration updates the stored chat before any
// send fails.
func TestMigrationServiceMessage(t *testing.T) {
	e := newEnv(t).standard()
	e.start()
	e.fake.PushMigration(dtGroup, member, -1009002)
	e.settle()
	if d, _ := e.store.Department("DT"); d.TelegramChat != "-1009002" {
		t.Fatalf("the department's chat: %q", d.TelegramChat)
	}
	e.fake.PushMigration(dtGroup, member, -1009002) // Telegram says it twice: once is recorded
	e.settle()
	if hist, _ := e.store.History(storage.KindChat, "telegram:-1001"); len(hist) != 1 {
		t.Errorf("audited %d times", len(hist))
	}
	e.must(`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`)
	e.must(`repartizeaza 1/2026 DT`)
	has(t, e.replies(-1009002, 1)[0], "Vi s-a repartizat 1/2026")
	if n := e.fake.CallsTo("sendMessage", dtGroup.ID); n != 0 {
		t.Errorf("%d sends to the old ID", n)
	}
}

// An answer meets a 502 and a dropped connection: it is tried again and
// arrives once. An answer that keeps failing is given up after ReplyRetry
// and logged — not dropped silently.
func TestRepliesAreTriedAgainThenLogged(t *testing.T) {
	e := newEnv(t).standard()
	e.cfg.ReplyBackoff = func(int) time.Duration { return 20 * time.Millisecond }
	e.cfg.ReplyRetry = 300 * time.Millisecond
	e.start()
	e.fake.Fail("sendMessage", mayor.ID, 502, "Bad Gateway", 0, 1)
	e.fake.Drop("sendMessage", mayor.ID, 1)
	e.say(tgfake.Private(mayor), mayor, "/restante", 0)
	e.settle()
	if got := e.fake.SentTo(mayor.ID); len(got) != 1 || e.fake.CallsTo("sendMessage", mayor.ID) != 3 {
		t.Fatalf("%d answers after %d tries:\n%s", len(got), e.fake.CallsTo("sendMessage", mayor.ID), e.fake.Dump())
	}
	e.fake.Fail("sendMessage", mayor.ID, 500, "Internal Server Error", 0, 1000)
	e.say(tgfake.Private(mayor), mayor, "/restante", 0)
	e.settle()
	if n := e.logs.count("telegram: reply not sent"); n != 1 {
		t.Fatalf("the lost answer was logged %d times", n)
	}
	if n := e.logs.count("telegram: reply failed, trying again"); n < 3 {
		t.Errorf("only %d retries logged", n)
	}
}
