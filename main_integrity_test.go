package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A damaged data directory stops the start with the reason and the restore
// command of the newest backup; restoring it lets the bot start again.
func TestDamagedDataRefusesToStartAndNamesTheNewestBackup(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	runConsole(t, dir, reg, reg)
	quiet := func(string) string { return "" }
	var out bytes.Buffer
	newest := filepath.Join(root, "backups", "cabinetbot-2026-11-25T0230.bak.gz")
	os.MkdirAll(filepath.Dir(newest), 0o750)
	for _, f := range []string{filepath.Join(root, "backups", "cabinetbot-2026-11-24T0230.bak.gz"), newest} {
		if err := run([]string{"backup", f, "--data", dir}, os.Stdin, &out, quiet); err != nil {
			t.Fatal(err)
		}
	}
	runConsole(t, dir, reg) // 3/YYYY, after the backups
	if err := os.Remove(filepath.Join(dir, "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"console", "--data", dir}, os.Stdin, &out, quiet)
	if err == nil {
		t.Fatal("the bot started on a directory without its MANIFEST")
	}
	for _, want := range []string{"nu pornesc", "MANIFEST is missing", "cabinetbot restore " + newest + " --force --data " + dir} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("the refusal %q does not say %q", err, want)
		}
	}
	out.Reset()
	if err := run([]string{"restore", newest, "--force", "--data", dir}, os.Stdin, &out, quiet); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "set aside in "+dir+".before-restore-") || !strings.Contains(out.String(), "numbers 3–3/") {
		t.Fatalf("restore said: %s", out.String())
	}
	if got := numbers(runConsole(t, dir, reg)); len(got) != 1 || !strings.HasPrefix(got[0], "4/") {
		t.Fatalf("after the restore the register continues at %v, want 4 (3 was given before)", got)
	}
}

func TestMinFreeFromTheEnvironment(t *testing.T) {
	for v, want := range map[string]int64{"": 0, "512": 512 << 20, "0": -1} {
		c, err := loadConfig(func(k string) string {
			if k == envMinFree {
				return v
			}
			return ""
		})
		if err != nil || c.MinFree != want {
			t.Fatalf("%s=%q: %d %v, want %d", envMinFree, v, c.MinFree, err, want)
		}
	}
	if _, err := loadConfig(func(k string) string {
		if k == envMinFree {
			return "un giga"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), envMinFree) {
		t.Fatalf("a bad %s: %v", envMinFree, err)
	}
}
