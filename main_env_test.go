package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// configDocs are where an admin reads about the environment: every variable
// the program reads must be in each.
var configDocs = []string{"deploy/cabinetbot.env.example", "docs/admin.md"}

var envLiteral = regexp.MustCompile(`"((?:CABINET|SLACK|TELEGRAM)_[A-Z0-9_]*[A-Z0-9])"`)

// TestEveryVariableIsDocumented reads the program's sources for the
// environment variables they name and checks that the env file example and
// the admin's documentation both have each one.
func TestEveryVariableIsDocumented(t *testing.T) {
	vars := map[string]bool{}
	for _, j := range jobNames {
		vars[envJobPrefix+strings.ToUpper(j)] = true
	}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range envLiteral.FindAllSubmatch(b, -1) {
			vars[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(vars) < 20 {
		t.Fatalf("found only %d variables: the scan is broken", len(vars))
	}
	for _, doc := range configDocs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for v := range vars {
			if !regexp.MustCompile(`(?m)(^#?` + v + `=|\x60` + v + `\x60)`).Match(b) {
				t.Errorf("%s does not document %s", doc, v)
			}
		}
	}
}
