package commands

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func TestFullDiskRefusesChangesKeepsReadsAndAlertsOnce(t *testing.T) {
	var free atomic.Uint64
	free.Store(10 << 30)
	s, err := storage.Open(t.TempDir(), storage.Options{NoSync: true, Words: text.Words,
		FreeSpace: func(string) (uint64, error) { return free.Load(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := &world{t: t, store: s, now: at("25.11.2026", "10:00")}
	w.e, err = New(Config{Store: s, Clock: w.clock, Admins: []string{operatorID.Key()}})
	if err != nil {
		t.Fatal(err)
	}
	w.standard()
	w.must(`rol slack:UADMIN admin`)
	w.must(`inregistreaza de="Ion Popescu" subiect="Groapă"`)

	free.Store(100 << 20) // under the 256 MB default
	r := w.as(operatorID, `inregistreaza de="Ana" subiect="Iluminat"`)
	if r.Kind != Failed || !strings.Contains(r.Title, "Spațiu insuficient pe disc") {
		t.Fatalf("registration on a full disk: %s", flat(r))
	}
	var alerted []string
	for _, n := range r.Notices {
		alerted = append(alerted, n.To.ID)
		if !strings.Contains(flat(n.Reply), "100 MB") {
			t.Fatalf("the alert does not say how much is free: %s", flat(n.Reply))
		}
	}
	if strings.Join(alerted, ",") != operatorID.Key()+",slack:UADMIN" {
		t.Fatalf("alerted %v, want every admin", alerted)
	}
	// The alerts wait in the outbox, which a full disk does not stop.
	if queued, err := s.Outbox(); err != nil || len(queued) != 2 {
		t.Fatalf("outbox after the alert: %d entries (%v), want 2", len(queued), err)
	}
	r = w.as(operatorID, `repartizeaza 1/2026 DT`)
	if r.Kind != Failed || len(r.Notices) != 0 {
		t.Fatalf("second refusal: %s, %d notices (the admins are alerted once)", flat(r), len(r.Notices))
	}
	if r := w.as(operatorID, "arata 1/2026"); r.Kind != OK {
		t.Fatalf("a read on a full disk: %s", flat(r))
	}
	if n, _ := s.LastNumber(2026); n != 1 {
		t.Fatalf("last number %d after refusals, want 1", n)
	}
	// Space freed: changes go through, and a new shortage alerts again.
	free.Store(10 << 30)
	w.must(`inregistreaza de="Ana" subiect="Iluminat"`)
	free.Store(1 << 20)
	if r := w.as(operatorID, `inregistreaza de="Ana" subiect="Iluminat"`); len(r.Notices) == 0 {
		t.Fatalf("a new shortage is not alerted: %s", flat(r))
	}
	// The bot's own bookkeeping goes on (an answered event is recorded).
	if err := s.MarkReplied(context.Background(), "slack/ts-1"); err != nil {
		t.Fatalf("bookkeeping on a full disk: %v", err)
	}
}
