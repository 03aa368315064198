package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// TestUpgradeFromTheFirstRelease opens a data directory written by the first
// release (testdata/upgrade): the start writes a backup of the old data,
// upgrades it (format 1 → 2 → 3: the index keys become posting blocks),
// and every record reads and is found as before.
func TestUpgradeFromTheFirstRelease(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	if err := os.CopyFS(dir, os.DirFS("testdata/upgrade/format1")); err != nil {
		t.Fatal(err)
	}

	out := runConsole(t, dir,
		"arata 1/2026",
		"arata 2/2026",
		"arata 3/2026",
		"telefon ionescu",
		"agenda 03.12.2026",
		"persoane",
		"cauta prefectura",
		"cauta stare=repartizata departament=DT",
		`inregistreaza de="Radu" tip=cetatean categorie=petitie subiect="După actualizare"`)
	for _, want := range []string{
		"Înregistrarea 1/2026", "Ion Popescu", "DT",
		"4521",                  // 2/2026's answer
		"Prefectura Cluj",       // 3/2026, assigned to DPM
		"Maria Ionescu",         // the directory
		"Ședința consiliului",   // the agenda
		"slack:U012AB3CD",       // the roles
		"Înregistrat 6/2026",    // numbering goes on after the five
		"3/2026 · DPM · termen", // found by a word: the index upgraded (format 3)
		"1/2026 · DT · termen",  // found by status and department
	} {
		if !strings.Contains(out, want) {
			t.Errorf("after the upgrade the console lacks %q:\n%s", want, out)
		}
	}

	backups, _ := filepath.Glob(filepath.Join(root, "backups", "cabinetbot-*-before-upgrade-format1.bak.gz"))
	if len(backups) != 1 {
		t.Fatalf("backups before the upgrade: %v", backups)
	}
	if info, err := storage.VerifyBackupFile(backups[0]); err != nil || info.Counts.Items != 5 {
		t.Fatalf("the backup before the upgrade: %+v, %v", info, err)
	}

	// Upgraded once: the next start takes no backup and reads the new format.
	runConsole(t, dir, "arata 6/2026")
	if again, _ := filepath.Glob(filepath.Join(root, "backups", "cabinetbot-*-before-upgrade-*")); len(again) != 1 {
		t.Fatalf("a second start upgraded again: %v", again)
	}
	s, err := storage.Open(dir, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if f, err := s.Format(); err != nil || f != storage.FormatVersion {
		t.Fatalf("format after the upgrade: %d, %v", f, err)
	}
}
