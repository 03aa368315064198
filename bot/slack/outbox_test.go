package slack_test

import (
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
)

// An assignment's notice to a department's channel meets a 500 and then a
// dropped connection: the outbox tries again and the channel gets it once.
func TestNoticeAfterTwoTransientFailuresArrivesOnce(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.settle(w.fake.DM(ana, reg))
	calls, posted := w.fake.Calls("chat.postMessage"), len(w.fake.Messages())
	w.fake.Fail("chat.postMessage", slackfake.Fault{Status: 500, Channel: dtChan})
	w.fake.Fail("chat.postMessage", slackfake.Fault{Drop: true, Channel: dtChan})
	w.settle(w.fake.DM(ana, "repartizeaza 1/2026 DT"))
	if n := count(w.fake.Messages(), in(dtChan, "Vi s-a repartizat 1/2026")); n != 1 {
		t.Fatalf("the department got the notice %d times", n)
	}
	// Both faults were met: two posts more were tried than went through.
	if tried, went := w.fake.Calls("chat.postMessage")-calls, len(w.fake.Messages())-posted; tried != went+2 {
		t.Fatalf("%d posts tried for %d that went through: the faults were not met", tried, went)
	}
}

// A channel whose posts take 4 s delays only its own replies: a direct
// message asked meanwhile is answered in well under 200 ms.
func TestASlowChannelDelaysOnlyItself(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.Slow(dtChan, 4*time.Second)
	slow := w.fake.Mention(dtMember, dtChan, "restante", "")
	w.fake.Wait("the channel's reply under way", func(st slackfake.State) bool { return st.Calls["chat.postMessage"] >= 1 })
	start := time.Now()
	fast := w.fake.DM(ana, "restante")
	w.waitFor("the direct answer", in(slackfake.DMChannel(ana), "restan"))
	took := time.Since(start)
	if took >= 200*time.Millisecond {
		t.Fatalf("the direct message waited %v behind the slow channel", took)
	}
	if n := count(w.fake.Messages(), func(m slackfake.Message) bool { return m.Channel == dtChan }); n != 0 {
		t.Fatalf("the slow channel's reply finished first: the test measured nothing")
	}
	t.Logf("the direct answer took %v while the channel's took 4 s", took)
	w.settle(slow, fast)
}
