package bot

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// recorder is a platform that keeps what it was asked to send.
type recorder struct {
	name string
	mu   sync.Mutex
	sent []Address
	fail error
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Send(_ context.Context, chat string, _ commands.Reply) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return "", r.fail
	}
	r.sent = append(r.sent, Address{r.name, chat})
	return "msg" + chat, nil
}

func TestHubFindsEveryAddressAndBindsItems(t *testing.T) {
	s, err := storage.Open(t.TempDir(), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	m := storage.Meta{Who: "test", At: time.Now()}
	s.AddDepartment(ctx, storage.Department{Code: "DT", Name: "Direcția Tehnică", SlackChannel: "CDT", TelegramChat: "-100"}, m)
	s.AddDepartment(ctx, storage.Department{Code: "DAS", Name: "Asistență"}, m)
	s.SetPerson(ctx, storage.Person{Identity: "telegram:42", Role: "primar"}, m)
	s.SetPerson(ctx, storage.Person{Identity: "telegram:43", Role: "primar", Unreachable: true}, m)
	s.SetPerson(ctx, storage.Person{Identity: "slack:U1", Role: "cabinet"}, m)

	sl, tg := &recorder{name: "slack"}, &recorder{name: "telegram"}
	h := NewHub(s, nil)
	h.Add(sl)
	h.Add(tg)
	h.Cabinet = []Address{{"slack", "CCAB"}}

	if err := h.Deliver(ctx, commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, commands.Reply{Title: "x", Item: "7/2026"}); err != nil {
		t.Fatal(err)
	}
	if len(sl.sent) != 1 || sl.sent[0].Chat != "CDT" || len(tg.sent) != 1 || tg.sent[0].Chat != "-100" {
		t.Fatalf("department delivery: slack %v telegram %v", sl.sent, tg.sent)
	}
	n, err := s.MessageItem(storage.MessageRef{Platform: "slack", Chat: "CDT", ID: "msgCDT"})
	if err != nil || n.String() != "7/2026" {
		t.Fatalf("binding: %v %v", n, err)
	}
	refs, _ := s.ItemMessages(storage.Number{Year: 2026, Seq: 7})
	if len(refs) != 2 {
		t.Fatalf("item messages: %v", refs)
	}
	if err := h.Deliver(ctx, commands.Recipient{Kind: commands.ToMayor}, commands.Reply{Title: "agenda"}); err != nil {
		t.Fatal(err)
	}
	if last := tg.sent[len(tg.sent)-1]; last.Chat != "42" || len(tg.sent) != 2 {
		t.Fatalf("mayor delivery (the unreachable chat skipped): %v", tg.sent)
	}
	h.Deliver(ctx, commands.Recipient{Kind: commands.ToCabinet}, commands.Reply{Title: "c"})
	if sl.sent[len(sl.sent)-1].Chat != "CCAB" {
		t.Fatalf("cabinet delivery: %v", sl.sent)
	}
	if err := h.Deliver(ctx, commands.Recipient{Kind: commands.ToDepartment, ID: "DAS"}, commands.Reply{}); !errors.Is(err, ErrNoAddress) {
		t.Fatalf("a department without channels: %v", err)
	}
	fb := &recorder{name: "console"}
	h.SetFallback(fb)
	if err := h.Deliver(ctx, commands.Recipient{Kind: commands.ToDepartment, ID: "DAS"}, commands.Reply{}); err != nil || len(fb.sent) != 1 {
		t.Fatalf("fallback: %v %v", err, fb.sent)
	}
	sl.fail = errors.New("down")
	if err := h.Deliver(ctx, commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, commands.Reply{}); err == nil {
		t.Fatal("a failed send is reported")
	}
}
