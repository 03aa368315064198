package slack_test

import (
	"strings"
	"testing"
)

// A message over commands.MaxCommandBytes gets a reason in its thread, and
// the next message is answered as usual.
func TestOverlongMessageGetsAReason(t *testing.T) {
	w := newWorld(t, "socket").start()
	w.fake.DM(ana, `inregistreaza de="Ion" subiect="`+strings.Repeat("ș", 40000)+`"`)
	w.waitFor("the refusal", saying("peste limita de 65536"))
	w.fake.DM(ana, reg)
	w.waitFor("the next registration", saying("Înregistrat 1/2026"))
}
