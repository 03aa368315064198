package commands

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// world is an engine on a real Badger database in a temp dir, with a clock
// the test sets.
type world struct {
	t     *testing.T
	store *storage.Store
	e     *Engine
	mu    sync.Mutex
	now   time.Time
}

var (
	operatorID = Identity{Platform: "console", ID: "operator"}
	anaID      = Identity{Platform: "slack", ID: "UANA"}     // cabinet
	dtID       = Identity{Platform: "slack", ID: "UDT"}      // member of DT
	dasID      = Identity{Platform: "slack", ID: "UDAS"}     // member of DAS
	viewerID   = Identity{Platform: "telegram", ID: "555"}   // viewer
	strangerID = Identity{Platform: "telegram", ID: "99999"} // nobody
)

// at returns a moment in Bucharest.
func at(day string, hhmm string) time.Time {
	t, err := time.ParseInLocation("02.01.2006 15:04", day+" "+hhmm, calendar.Bucharest)
	if err != nil {
		panic(err)
	}
	return t
}

func newWorld(t *testing.T, now time.Time) *world {
	t.Helper()
	s, err := storage.Open(t.TempDir(), storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w := &world{t: t, store: s, now: now}
	w.e, err = New(Config{Store: s, Clock: w.clock, Admins: []string{operatorID.Key()}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) setNow(t time.Time) {
	w.mu.Lock()
	w.now = t
	w.mu.Unlock()
}

// as runs a command as who and returns the reply.
func (w *world) as(who Identity, line string) Reply {
	w.t.Helper()
	return w.e.Handle(context.Background(), Request{Who: who, Text: line})
}

// must runs a command as the operator and fails the test unless it succeeds.
func (w *world) must(line string) Reply {
	w.t.Helper()
	r := w.as(operatorID, line)
	if r.Kind != OK {
		w.t.Fatalf("%q: %s", line, flat(r))
	}
	return r
}

// standard sets up departments and people used across tests.
func (w *world) standard() *world {
	w.must(`departament adauga DT "Direcția Tehnică" tip=directie`)
	w.must(`departament adauga DAS "Direcția de Asistență Socială"`)
	w.must(`departament adauga DPM "Direcția Patrimoniu Municipal"`)
	w.must(`departament adauga BRP "Biroul Relații Publice"`)
	w.must(`departament inchide BRP`)
	w.must(`rol slack:UANA cabinet nume="Ana Pop"`)
	w.must(`rol slack:UDT departament=DT`)
	w.must(`rol slack:UDAS departament=DAS`)
	w.must(`rol telegram:555 vizualizare`)
	return w
}

// flat writes a reply on one line for assertions and failure messages.
func flat(r Reply) string {
	var parts []string
	parts = append(parts, r.Title)
	for _, f := range r.Fields {
		parts = append(parts, f.Label+": "+f.Value)
	}
	parts = append(parts, r.Lines...)
	return strings.Join(parts, " | ")
}

func (w *world) snapshot() map[string]string {
	w.t.Helper()
	snap, err := w.store.Snapshot()
	if err != nil {
		w.t.Fatal(err)
	}
	return snap
}

// unchanged fails when the database differs from before.
func (w *world) unchanged(before map[string]string, what string) {
	w.t.Helper()
	after := w.snapshot()
	if !reflect.DeepEqual(before, after) {
		for k, v := range after {
			if before[k] != v {
				w.t.Errorf("%s changed %q", what, k)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				w.t.Errorf("%s deleted %q", what, k)
			}
		}
	}
}

func contains(t *testing.T, r Reply, parts ...string) {
	t.Helper()
	s := flat(r)
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("reply lacks %q:\n%s", p, s)
		}
	}
}

// refuses runs a line that must be refused: the reply is not OK, says each
// of want, and the database is exactly as before.
func (w *world) refuses(t *testing.T, who Identity, line string, want ...string) {
	t.Helper()
	before := w.snapshot()
	r := w.as(who, line)
	if r.Kind == OK {
		t.Errorf("accepted: %s", flat(r))
	}
	contains(t, r, want...)
	w.unchanged(before, line)
}
