package main

import (
	"os"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// TestReadmeDeadlinesCiteEveryRule keeps the README's Deadlines table in
// step with the rules the bot applies: every rule's article is in it.
func TestReadmeDeadlinesCiteEveryRule(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## Deadlines\n")
	if i < 0 {
		t.Fatal("README.md has no Deadlines section")
	}
	section := s[i+1:]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	section = strings.ReplaceAll(section, "`", "")
	for _, r := range calendar.Law {
		if !strings.Contains(section, r.CiteEn) {
			t.Errorf("the Deadlines section does not cite %q (rule %s)", r.CiteEn, r.ID)
		}
	}
}
