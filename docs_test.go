package main

import (
	"os"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands"
)

const (
	refBegin = "<!-- commands:begin -->\n"
	refEnd   = "<!-- commands:end -->"
)

// generatedReferences are the documents that carry a command reference
// generated from the command table, and the generator of each.
var generatedReferences = []struct {
	file     string
	generate func() string
}{
	{"docs/reference.md", commands.Reference},
	{"docs/ghid.md", commands.ReferenceRO},
}

// TestReadmeReference keeps each document's command reference equal to the
// one generated from the command table, so the docs never drift from help.
// UPDATE_README=1 rewrites them.
func TestReadmeReference(t *testing.T) {
	for _, doc := range generatedReferences {
		t.Run(doc.file, func(t *testing.T) {
			b, err := os.ReadFile(doc.file)
			if err != nil {
				t.Fatal(err)
			}
			have := string(b)
			i, j := strings.Index(have, refBegin), strings.Index(have, refEnd)
			if i < 0 || j < i {
				t.Fatalf("%s lacks the command reference markers", doc.file)
			}
			want := have[:i+len(refBegin)] + doc.generate() + have[j:]
			if want == have {
				return
			}
			if os.Getenv("UPDATE_README") != "" {
				if err := os.WriteFile(doc.file, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Fatalf("the command reference of %s is out of date: UPDATE_README=1 go test -run TestReadmeReference .", doc.file)
		})
	}
}
