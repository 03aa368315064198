package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var eet = time.FixedZone("EET", 2*3600)

func agendaEvent(title string, start time.Time, d time.Duration) AgendaEvent {
	return AgendaEvent{Title: title, Start: start, End: start.Add(d), Status: AgendaConfirmed, Created: t0}
}

func ids(evs []AgendaEvent) string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Title)
	}
	return strings.Join(out, ",")
}

// TestAgendaBetweenFindsWhatTouchesTheRange: single events by every day they
// touch (an event late at night falls on the next UTC day), recurring ones
// always; moving an event moves its index.
func TestAgendaBetweenFindsWhatTouchesTheRange(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	m := Meta{Who: "test", At: t0}
	day := func(d int, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, eet) }
	add := func(ev AgendaEvent) AgendaEvent {
		t.Helper()
		saved, _, err := s.AddAgendaEvent(ctx, ev, m)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	add(agendaEvent("morning", day(26, 9), time.Hour))
	add(agendaEvent("midnight", day(26, 1), time.Hour)) // 25.11 23:00 UTC
	add(agendaEvent("three-days", day(24, 10), 50*time.Hour))
	weekly := agendaEvent("weekly", day(2, 9), time.Hour)
	weekly.Rule = "FREQ=WEEKLY"
	add(weekly)
	long := add(agendaEvent("long", day(1, 0), 40*24*time.Hour))
	add(agendaEvent("no-end", day(27, 12), 0))

	for _, tt := range []struct {
		from, to time.Time
		want     string
	}{
		{day(26, 0), day(27, 0), "morning,midnight,three-days,weekly,long"},
		{day(25, 0), day(26, 0), "three-days,weekly,long"},
		{day(27, 0), day(28, 0), "weekly,long,no-end"},
		{day(27, 12), day(27, 13), "weekly,long,no-end"},
		{day(27, 13), day(28, 0), "weekly,long"},
	} {
		got, err := s.AgendaBetween(tt.from, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		if ids(got) != tt.want {
			t.Errorf("%s–%s: %s, want %s", tt.from, tt.to, ids(got), tt.want)
		}
	}
	// Moved to December, the morning event leaves November's index.
	_, after, err := s.ChangeAgendaEvent(ctx, 1, "move", "", m, func(ev *AgendaEvent) error {
		ev.Start, ev.End = day(30, 9).AddDate(0, 0, 5), day(30, 10).AddDate(0, 0, 5)
		return nil
	})
	if err != nil || after.UID == "" || after.ID != 1 {
		t.Fatalf("%+v %v", after, err)
	}
	if got, _ := s.AgendaBetween(day(26, 0), day(27, 0)); strings.Contains(ids(got), "morning") {
		t.Errorf("the moved event is still on 26.11: %s", ids(got))
	}
	// A failing change writes nothing.
	boom := errors.New("boom")
	if _, _, err := s.ChangeAgendaEvent(ctx, long.ID, "edit", "", m, func(ev *AgendaEvent) error { ev.Title = "x"; return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if ev, _ := s.AgendaEvent(long.ID); ev.Title != "long" {
		t.Errorf("a failed change was written: %q", ev.Title)
	}
	if h, _ := s.History(KindAgenda, "1"); len(h) != 2 || h[1].Action != "move" {
		t.Errorf("history: %+v", h)
	}
}

func TestAgendaImportReplacesByUIDAndAddIsNotRepeated(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, eet)
	first, _, err := s.AddAgendaEvent(ctx, agendaEvent("ours", start, time.Hour), Meta{Who: "ana", At: t0, EventID: "slack:1"})
	if err != nil {
		t.Fatal(err)
	}
	// The same chat event delivered again adds nothing.
	again, replay, err := s.AddAgendaEvent(ctx, agendaEvent("ours", start, time.Hour), Meta{Who: "ana", At: t0, EventID: "slack:1"})
	if err != nil || !replay || again.ID != first.ID {
		t.Fatalf("replay: %+v %v %v", again, replay, err)
	}
	imported := agendaEvent("theirs, changed", start.Add(time.Hour), time.Hour)
	imported.UID = first.UID
	fresh := agendaEvent("new", start, time.Hour)
	fresh.UID = "new@example.com"
	saved, updated, err := s.ImportAgenda(ctx, []AgendaEvent{imported, fresh}, Meta{Who: "ion", At: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 2 || !updated[0] || updated[1] || saved[0].ID != first.ID || saved[1].ID != 2 {
		t.Fatalf("saved %+v updated %v", saved, updated)
	}
	ev, _ := s.AgendaEvent(first.ID)
	if ev.Title != "theirs, changed" || ev.CreatedBy != first.CreatedBy || !ev.Start.Equal(start.Add(time.Hour)) {
		t.Errorf("after import: %+v", ev)
	}
	if byUID, err := s.AgendaEventByUID("new@example.com"); err != nil || byUID.ID != 2 {
		t.Errorf("by UID: %+v %v", byUID, err)
	}
	if _, err := s.AgendaEventByUID("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown UID: %v", err)
	}
	all, _ := s.AgendaEvents()
	if len(all) != 2 {
		t.Errorf("%d events", len(all))
	}
	// A long UID is kept whole, its index key hashed.
	long := agendaEvent("long uid", start, time.Hour)
	long.UID = strings.Repeat("x", 500) + "@example.com"
	if _, _, err := s.ImportAgenda(ctx, []AgendaEvent{long}, Meta{Who: "ion", At: t0}); err != nil {
		t.Fatal(err)
	}
	if ev, err := s.AgendaEventByUID(long.UID); err != nil || ev.UID != long.UID {
		t.Errorf("long UID: %v", err)
	}
}

func TestPendingAgendaImportIsPerPerson(t *testing.T) {
	s := openTemp(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	p := PendingAgendaImport{Events: []AgendaEvent{agendaEvent("x", t0, time.Hour)}, Broken: []string{"line 3"}, Files: "a.ics", At: t0}
	if err := s.SetPendingAgendaImport(ctx, "slack:U1", p, time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingAgendaImport("slack:U1")
	if err != nil || len(got.Events) != 1 || got.Files != "a.ics" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.PendingAgendaImport("slack:U2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("someone else's: %v", err)
	}
	if err := s.DropPendingAgendaImport(ctx, "slack:U1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PendingAgendaImport("slack:U1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after drop: %v", err)
	}
}
