package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDraftTemplateFromEnvironment: CABINET_DRAFT_TEMPLATE names the draft
// template; one the bot cannot use stops it at start, with the reason.
func TestDraftTemplateFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	tpl := filepath.Join(dir, "ciorna.docx")
	f, err := os.Create(tpl)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{{nr_inregistrare}}</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	env := func(k string) string {
		switch k {
		case envDraft:
			return tpl
		case envLogLevel:
			return "error"
		}
		return ""
	}
	cfg, err := loadConfig(env)
	if err != nil || cfg.DraftTemplate != tpl {
		t.Fatalf("config: %+v %v", cfg, err)
	}
	in, _ := os.Open(os.DevNull)
	defer in.Close()
	err = run([]string{"console", "--data", filepath.Join(dir, "data")}, in, &strings.Builder{}, env)
	if err == nil || !strings.Contains(err.Error(), "{{nr_inregistrare}}") {
		t.Fatalf("start with a bad template: %v", err)
	}
}
