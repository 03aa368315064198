package templates

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// build zips the XML source of a template: [Content_Types].xml first, the
// rest in name order, with fixed times so that the file is reproducible.
func build(t *testing.T, dir string) []byte {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func entries(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}

// TestDraftTemplateIsUpToDate keeps ciorna.docx equal to its XML source.
// UPDATE_TEMPLATES=1 rebuilds it.
func TestDraftTemplateIsUpToDate(t *testing.T) {
	upToDate(t, "ciorna", DraftDOCX)
}

// TestNoteTemplatesAreUpToDate keeps nota-informare.docx and referat.docx
// equal to their XML sources.
func TestNoteTemplatesAreUpToDate(t *testing.T) {
	upToDate(t, "nota-informare", NoteDOCX)
	upToDate(t, "referat", ReferatDOCX)
}

func upToDate(t *testing.T, name string, have []byte) {
	t.Helper()
	want := build(t, name)
	if os.Getenv("UPDATE_TEMPLATES") != "" {
		if err := os.WriteFile(name+".docx", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, wantEntries := entries(t, have), entries(t, want)
	if len(got) != len(wantEntries) {
		t.Fatalf("%s.docx has %d parts, its source %d: run UPDATE_TEMPLATES=1 go test ./templates", name, len(got), len(wantEntries))
	}
	for part, data := range wantEntries {
		if got[part] != data {
			t.Errorf("%s.docx: %s differs from its source: run UPDATE_TEMPLATES=1 go test ./templates", name, part)
		}
	}
}
