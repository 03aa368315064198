package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func TestGuessSender(t *testing.T) {
	for _, tc := range []struct{ addr, subject, body, typ, cat string }{
		{"ion@gmail.com", "Sesizare groapă", "", "cetatean", "petitie"},
		{"cabinet@presidency.ro", "Adresă", "", "presedintie", "institutie"},
		{"secretariat@mdlpa.ro", "PNRR", "", "minister", "institutie"},
		{"x@prefecturacluj.ro", "Ordin", "", "prefect", "institutie"},
		{"ana@ziar.ro", "Cerere 544", "Redacția Ziarul", "presa", "informatii"},
		{"ana@ziar.ro", "Întrebare", "jurnalist la Ziarul", "presa", "presa"},
		{"ion@gmail.com", "Solicitare", "Vă rog informații de interes public despre contracte", "cetatean", "informatii"},
	} {
		typ, cat := GuessSender(tc.addr, tc.subject, tc.body)
		if typ != tc.typ || cat != tc.cat {
			t.Errorf("%s %q: %s/%s, want %s/%s", tc.addr, tc.subject, typ, cat, tc.typ, tc.cat)
		}
	}
}

// An attachment over the file store's limit is left out with a note; the
// proposal is made.
func TestProposeMailHugeAttachment(t *testing.T) {
	s, err := storage.Open(t.TempDir(), storage.Options{NoSync: true, Words: text.Words, MaxFileSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := New(Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	p, fresh, err := e.ProposeMail(context.Background(), Mail{MessageID: "<big@x>", FromAddr: "a@x.ro", Subject: "Mare", Date: time.Now(),
		Attachments: []File{{Name: "mare.bin", Data: make([]byte, 5<<10)}, {Name: "mic.txt", Data: []byte("mic")}}})
	if err != nil || !fresh {
		t.Fatalf("%v %v", fresh, err)
	}
	if len(p.Files) != 1 || p.Files[0].Name != "mic.txt" || !strings.Contains(strings.Join(p.Notes, " "), "„mare.bin”") {
		t.Errorf("proposal: %+v", p)
	}
	if _, fresh, _ := e.ProposeMail(context.Background(), Mail{MessageID: "<big@x>"}); fresh {
		t.Error("proposed twice")
	}
}
