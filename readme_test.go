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

// TestReadmeReference keeps the README's command reference equal to the one
// generated from the command table. UPDATE_README=1 rewrites it.
func TestReadmeReference(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, refBegin), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the command reference markers")
	}
	want := readme[:i+len(refBegin)] + commands.Reference() + readme[j:]
	if want == readme {
		return
	}
	if os.Getenv("UPDATE_README") != "" {
		if err := os.WriteFile("README.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("the README's command reference is out of date: UPDATE_README=1 go test -run TestReadmeReference .")
}
