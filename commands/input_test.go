package commands

import (
	"strings"
	"testing"
)

// A command over MaxCommandBytes from any platform gets a reason and changes
// nothing (the adapters hand the text to Handle as it came).
func TestOverlongCommandIsRefused(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	long := `inregistreaza de="Ion" subiect="` + strings.Repeat("a", MaxCommandBytes) + `"`
	for _, who := range []Identity{operatorID, anaID, viewerID} {
		w.refuses(t, who, long, "peste limita de 65536")
	}
	r := w.e.Handle(t.Context(), Request{Who: anaID, Text: "register " + strings.Repeat("b", 1<<20), Lang: English})
	contains(t, r, "over the limit of 65536")
}
