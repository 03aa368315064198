package storage

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func owing(to string) func(Made) ([]Outgoing, error) {
	return func(made Made) ([]Outgoing, error) {
		return []Outgoing{{Kind: OutNotice, To: "department", ToID: to, Item: made.Items[0].Number.String(), Body: json.RawMessage(`{}`)}}, nil
	}
}

// A change and the messages it owes are one transaction: both or neither.
func TestChangeAndItsMessagesAreOneWrite(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	saved, _, err := s.Register(ctx, 2026, item("Groapă"), Meta{Who: "t", At: t0})
	if err != nil {
		t.Fatal(err)
	}
	assign := func(m Meta) error {
		_, err := s.Change(ctx, []Number{saved.Number}, "assign", "DT", m, func(items []*Item) error {
			items[0].Dept, items[0].Status = "DT", StatusAssigned
			return nil
		})
		return err
	}
	// Messages that cannot be built undo the change.
	broken := Meta{Who: "t", At: t0, EventID: "ev1", Outbox: func(Made) ([]Outgoing, error) { return nil, errors.New("no template") }}
	if err := assign(broken); err == nil {
		t.Fatal("the change was made without its messages")
	}
	if it, _ := s.Item(saved.Number); it.Dept != "" {
		t.Fatalf("half a write: %+v", it)
	}
	if q, _ := s.Outbox(); len(q) != 0 {
		t.Fatalf("messages without their change: %+v", q)
	}
	// Built, they are written with it; a redelivered event writes neither again.
	m := Meta{Who: "t", At: t0, EventID: "ev2", Outbox: owing("DT")}
	if err := assign(m); err != nil {
		t.Fatal(err)
	}
	if err := assign(m); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: %v", err)
	}
	q, _ := s.Outbox()
	if len(q) != 1 || q[0].ToID != "DT" || q[0].Item != "1/2026" || !q[0].Created.Equal(t0) {
		t.Fatalf("outbox: %+v", q)
	}
	select {
	case <-s.Queued():
	default:
		t.Error("no signal after a commit that queued a message")
	}
}

func TestQueueSlotOncePerKey(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	msgs := []Outgoing{{Kind: OutPush, To: "person", ToID: "telegram:1", Body: json.RawMessage(`{}`), Key: SendKey("morning", "s1", "telegram:1")}}
	n, err := s.QueueSlot(ctx, "morning", "s1", t0, msgs, map[string]string{"sent/x": "1"})
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if n, err := s.QueueSlot(ctx, "morning", "s1", t0, msgs, nil); err != nil || n != 0 {
		t.Fatalf("a done slot queued %d again (%v)", n, err)
	}
	if n, err := s.QueueSlot(ctx, "morning", "manual-1", t0, msgs, nil); err != nil || n != 0 {
		t.Fatalf("a key in the send log queued %d again (%v)", n, err)
	}
	q, _ := s.Outbox()
	if err := s.OutboxSent(ctx, q[0].Seq, t0); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SendState("morning", "s1", "telegram:1"); st != SendSent {
		t.Fatalf("send log: %q", st)
	}
	if v, _ := s.State("sent/x"); v != "1" {
		t.Fatalf("state: %q", v)
	}
}

func TestMigrateChatOnce(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "t", At: t0}
	if err := s.AddDepartment(ctx, Department{Code: "DT", Name: "Direcția Tehnică", TelegramChat: "-1"}, m); err != nil {
		t.Fatal(err)
	}
	ref := MessageRef{Platform: "telegram", Chat: "-1", ID: "7"}
	if err := s.BindMessage(ctx, ref, Number{Year: 2026, Seq: 3}); err != nil {
		t.Fatal(err)
	}
	mv, changed, err := s.MigrateChat(ctx, "telegram", "-1", "-100", m)
	if err != nil || !changed || len(mv.Departments) != 1 || mv.Bindings != 1 {
		t.Fatalf("%+v %v %v", mv, changed, err)
	}
	if d, _ := s.Department("DT"); d.TelegramChat != "-100" {
		t.Fatalf("department: %+v", d)
	}
	if n, err := s.MessageItem(MessageRef{Platform: "telegram", Chat: "-100", ID: "7"}); err != nil || n.Seq != 3 {
		t.Fatalf("binding: %v %v", n, err)
	}
	if _, err := s.MessageItem(ref); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old binding kept: %v", err)
	}
	if to, _ := s.MovedChat("telegram", "-1"); to != "-100" {
		t.Fatalf("moved: %q", to)
	}
	if _, changed, err := s.MigrateChat(ctx, "telegram", "-1", "-100", m); err != nil || changed {
		t.Fatalf("a second migration changed something: %v %v", changed, err)
	}
	if h, _ := s.History(KindChat, "telegram:-1"); len(h) != 1 {
		t.Fatalf("audit: %+v", h)
	}
}
