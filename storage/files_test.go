package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func useFile(t *testing.T, s *Store, ref FileRef, owner string) error {
	t.Helper()
	return s.update(context.Background(), func(tx *Txn) error { return tx.UseFile(ref, owner) })
}

func putBytes(t *testing.T, s *Store, b []byte, name string) FileRef {
	t.Helper()
	ref, err := s.PutFile(bytes.NewReader(b), name, "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestFileStoreKeepsFilesByContent(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pdf := []byte("%PDF-1.4 nota de fundamentare")
	ref := putBytes(t, s, pdf, "nota.pdf")
	if ref.Size != int64(len(pdf)) || ref.Name != "nota.pdf" || len(ref.SHA256) != 64 {
		t.Fatalf("ref %+v", ref)
	}
	on, err := os.ReadFile(filepath.Join(dir, "files", ref.SHA256[:2], ref.SHA256[2:]))
	if err != nil || !bytes.Equal(on, pdf) {
		t.Fatalf("the file under DIR/files: %q, %v", on, err)
	}
	if again := putBytes(t, s, pdf, "alta.pdf"); again.SHA256 != ref.SHA256 {
		t.Fatalf("the same content stored twice has two hashes: %s, %s", ref.SHA256, again.SHA256)
	}
	if err := useFile(t, s, ref, "ag/1/nota/1"); err != nil {
		t.Fatal(err)
	}
	users, err := s.FileUsers(ref.SHA256)
	if err != nil || len(users) != 1 || users[0] != "ag/1/nota/1" {
		t.Fatalf("users %v, %v", users, err)
	}
	got, err := s.ReadFile(ref.SHA256)
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("read back %q, %v", got, err)
	}

	// Over the limit: refused, nothing left behind.
	if _, err := s.PutFile(bytes.NewReader(make([]byte, 1001)), "mare.pdf", ""); !errors.Is(err, ErrFileTooLarge) {
		t.Fatalf("a file over the limit: %v", err)
	}
	if _, err := s.PutFile(bytes.NewReader(make([]byte, 1000)), "exact.pdf", ""); err != nil {
		t.Fatalf("a file at the limit: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "files"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Fatalf("a temporary file was left: %s", e.Name())
		}
	}
	// A file never stored cannot be referenced; a bad hash is not a path.
	if err := useFile(t, s, FileRef{SHA256: strings.Repeat("ab", 32)}, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a reference to a file never stored: %v", err)
	}
	if _, err := s.ReadFile("../../etc/passwd"); !errors.Is(err, ErrBadFile) {
		t.Fatalf("a bad hash read: %v", err)
	}
	// A damaged file is told, not served.
	if err := os.WriteFile(filepath.Join(dir, "files", ref.SHA256[:2], ref.SHA256[2:]), bytes.Repeat([]byte("x"), len(pdf)) /* same size, other content */, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadFile(ref.SHA256); !errors.Is(err, ErrBadFile) {
		t.Fatalf("a damaged file was read: %v", err)
	}
	if _, err := s.WriteBackup(filepath.Join(t.TempDir(), "b.bak")); err == nil {
		t.Fatal("a backup was written over a damaged stored file")
	}
	// Delivered again, the file mends the damaged copy.
	putBytes(t, s, pdf, "nota.pdf")
	if got, err := s.ReadFile(ref.SHA256); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("the damaged file was not mended: %q %v", got, err)
	}
}

func TestFileStoreInMemory(t *testing.T) {
	s, err := Open("", Options{InMemory: true, MaxFileSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ref := putBytes(t, s, []byte("abc"), "a.txt")
	if err := useFile(t, s, ref, "o/1"); err != nil {
		t.Fatal(err)
	}
	if b, err := s.ReadFile(ref.SHA256); err != nil || string(b) != "abc" {
		t.Fatalf("%q %v", b, err)
	}
	if _, err := s.PutFile(bytes.NewReader(make([]byte, 11)), "b", ""); !errors.Is(err, ErrFileTooLarge) {
		t.Fatalf("over the limit in memory: %v", err)
	}
}

func TestBackupRestoresStoredFilesByteForByte(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	s := openTemp(t, dir)
	big := make([]byte, 3<<20)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"big.pdf": big, "nota.pdf": []byte("%PDF-1.7\x00\x01\xff nota"), "gol.txt": {}}
	refs := map[string]FileRef{}
	for name, b := range files {
		refs[name] = putBytes(t, s, b, name)
	}
	for name, ref := range refs {
		if err := useFile(t, s, ref, "test/"+name); err != nil {
			t.Fatal(err)
		}
	}
	// The same file used twice is carried once.
	if err := useFile(t, s, refs["nota.pdf"], "test/again"); err != nil {
		t.Fatal(err)
	}
	orphan := putBytes(t, s, []byte("never referenced"), "orphan")
	path := filepath.Join(root, "b.bak")
	info, err := s.WriteBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if info.Format != 3 || info.Counts.Files != 3 || info.FileBytes != int64(len(big)+len(files["nota.pdf"])) {
		t.Fatalf("backup header %+v", info)
	}
	restored := filepath.Join(root, "restored")
	if _, err := restoreFile(restored, path, false); err != nil {
		t.Fatal(err)
	}
	for name, ref := range refs {
		on, err := os.ReadFile(blobPath(restored, ref.SHA256))
		if err != nil || !bytes.Equal(on, files[name]) {
			t.Fatalf("%s restored as %d bytes (%v), want %d", name, len(on), err, len(files[name]))
		}
	}
	if _, err := os.Stat(blobPath(restored, orphan.SHA256)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an unreferenced file was carried: %v", err)
	}
	r := openTemp(t, restored)
	defer r.Close()
	if b, err := r.ReadFile(refs["big.pdf"].SHA256); err != nil || !bytes.Equal(b, big) {
		t.Fatalf("the restored store reads the big file wrong: %v", err)
	}

	// A backup cut in its files is refused before anything changes.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(root, "cut.bak")
	if err := os.WriteFile(cut, raw[:len(raw)-100], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreFile(filepath.Join(root, "other"), cut, false); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("a backup cut in its files: %v", err)
	}
}
