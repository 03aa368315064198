package commands

import "testing"

// May answers as the command's role check would, without running it.
func TestMayTellsWithoutRunning(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	before := w.snapshot()
	for _, c := range []struct {
		who  Identity
		line string
		want bool
	}{
		{anaID, "inregistreaza", true},
		{anaID, "assign 1/2026", true},
		{operatorID, "zi-libera adauga 2027", true},
		{viewerID, "inregistreaza", false},
		{dtID, "repartizeaza 1/2026 DT", false},
		{strangerID, "ajutor", false},
		{anaID, "nu-i-comanda", false},
		{anaID, `inregistreaza de="neînchis`, false},
	} {
		if got := w.e.May(c.who, c.line); got != c.want {
			t.Errorf("May(%s, %q) = %v, want %v", c.who.Key(), c.line, got, c.want)
		}
	}
	if after := w.snapshot(); len(after) != len(before) {
		t.Error("May changed the database")
	}
}
