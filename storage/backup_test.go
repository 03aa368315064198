package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backupOf registers n items in dir, writes a backup and closes the store.
func backupOf(t *testing.T, dir string, n int) string {
	t.Helper()
	s := openTemp(t, dir)
	defer s.Close()
	for range n {
		if _, _, err := s.Register(context.Background(), 2026, item("cerere"), Meta{Who: "test", At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddEntry(context.Background(), Entry{Name: "Ana Pop", Dept: "DT"}, Meta{Who: "test", At: t0}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.bak.gz")
	info, err := s.WriteBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Counts.Items != n || info.Counts.Entries != 1 || info.Counts.Numbers["2026"] != uint64(n) {
		t.Fatalf("backup counts %+v, want %d items, 1 entry", info.Counts, n)
	}
	return path
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	s := openTemp(t, dir)
	defer s.Close()
	m, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func restoreFile(dir, path string, force bool) (*RestoreReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Restore(dir, f, force, Options{})
}

func TestBackupRestoresKeyByKey(t *testing.T) {
	root := t.TempDir()
	path := backupOf(t, filepath.Join(root, "live"), 7)
	want := snapshot(t, filepath.Join(root, "live"))
	rep, err := restoreFile(filepath.Join(root, "new"), path, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.MovedTo != "" || rep.Info.Legacy {
		t.Fatalf("report %+v", rep)
	}
	if got := snapshot(t, filepath.Join(root, "new")); !maps.Equal(got, want) {
		t.Fatalf("restored %d keys, want %d, not the same", len(got), len(want))
	}
}

// untouched checks that a refused restore left dir as it was: same keys,
// nothing set aside, no half-restored directory, no LOCK file.
func untouched(t *testing.T, root, dir string, want map[string]string, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("the restore succeeded")
	}
	if !strings.Contains(err.Error(), "nothing was changed: the data in "+dir+" is as it was") {
		t.Fatalf("message %q does not say the data is untouched and where", err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "*restor*")); len(m) > 0 {
		t.Fatalf("left behind: %v", m)
	}
	if _, serr := os.Stat(filepath.Join(dir, "LOCK")); serr == nil {
		t.Fatal("LOCK left behind")
	}
	if got := snapshot(t, dir); !maps.Equal(got, want) {
		t.Fatalf("the data changed: %d keys, want %d", len(got), len(want))
	}
}

func TestRestoreRefusesWhileTheBotHoldsTheDirectory(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	path := backupOf(t, dir, 3)
	want := snapshot(t, dir)
	bot := openTemp(t, dir) // the running bot
	_, err := restoreFile(dir, path, true)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("restore while the bot runs: %v, want ErrLocked", err)
	}
	if _, _, err := bot.Register(context.Background(), 2026, item("încă una"), Meta{Who: "test", At: t0}); err != nil {
		t.Fatal(err)
	}
	bot.Close()
	if got := snapshot(t, dir); len(got) <= len(want) {
		t.Fatalf("the bot's registration was lost: %d keys, had %d", len(got), len(want))
	}
}

func TestRestoreRefusesBadFilesAndLeavesTheDataAlone(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	good := backupOf(t, dir, 4)
	want := snapshot(t, dir)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("Nr;Nume\n1;Ion Popescu\n"))
	zw.Close()
	garbled := bytes.Clone(b)
	garbled[len(garbled)-100] ^= 0xff
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("acesta nu este un backup\n"), ErrNotBackup},
		{"empty", nil, ErrNotBackup},
		{"gzip", gz.Bytes(), ErrNotBackup},
		{"truncated", b[:len(b)*2/3], ErrBadBackup},
		{"header only", b[:backupHeaderSize], ErrBadBackup},
		{"garbled", garbled, ErrBadBackup},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(root, c.name+".bak.gz")
			if err := os.WriteFile(path, c.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := restoreFile(dir, path, true)
			if !errors.Is(err, c.want) {
				t.Fatalf("restore of a %s file: %v, want %v", c.name, err, c.want)
			}
			untouched(t, root, dir, want, err)
		})
	}
}

func TestRestoreReadsTheOldFormat(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "live")
	s := openTemp(t, dir)
	for range 5 {
		if _, _, err := s.Register(context.Background(), 2026, item("cerere"), Meta{Who: "test", At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer // what `cabinetbot backup` wrote before the header
	zw := gzip.NewWriter(&buf)
	if _, err := s.db.Backup(zw, 0); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	s.Close()
	path := filepath.Join(root, "old.bak.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := restoreFile(filepath.Join(root, "new"), path, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Info.Legacy || rep.Info.Counts.Items != 5 {
		t.Fatalf("report %+v", rep.Info)
	}
	if !maps.Equal(snapshot(t, filepath.Join(root, "new")), snapshot(t, dir)) {
		t.Fatal("the old-format backup did not restore key by key")
	}
	// Cut short, it is refused (gzip's own checksum and length).
	if err := os.WriteFile(path, buf.Bytes()[:buf.Len()-20], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreFile(filepath.Join(root, "other"), path, false); err == nil {
		t.Fatal("a truncated old-format backup was restored")
	}
}

func TestRestoreOverDataSetsItAsideAndNeverReusesNumbers(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	path := backupOf(t, dir, 5)
	registerN(t, dir, 4) // 6…9/2026, after the backup
	rep, err := restoreFile(dir, path, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.MovedTo == "" || rep.Skipped["2026"] != [2]uint64{6, 9} {
		t.Fatalf("report %+v, want the old data aside and 6–9/2026 skipped", rep)
	}
	if n := len(snapshot(t, rep.MovedTo)); n == 0 {
		t.Fatal("the old data set aside is empty")
	}
	s := openTemp(t, dir)
	defer s.Close()
	it, _, err := s.Register(context.Background(), 2026, item("după restaurare"), Meta{Who: "test", At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if it.Number.String() != "10/2026" {
		t.Fatalf("after the restore the next number is %s, want 10/2026 (6–9 were given before)", it.Number)
	}
	if _, err := s.Item(Number{2026, 6}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("6/2026 after restoring a backup made at 5: %v", err)
	}
}

func TestBackupOfADamagedDatabaseFails(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	registerN(t, dir, 300)
	s := openTemp(t, dir)
	defer s.Close()
	f := tables(t, dir)[0]
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/8] ^= 0xff // in the first data block
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "b.bak.gz")
	_, err = s.WriteBackup(path)
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("backup of a garbled database: %v, want a *DamageError", err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "*")); len(m) != 2 { // data, data.integrity.json
		t.Fatalf("files after a failed backup: %v", m)
	}
}
