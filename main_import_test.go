package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func quietEnv(k string) string {
	if k == envLogLevel {
		return "error"
	}
	return ""
}

// TestImportSubcommand imports the fictional sample chart and directory with
// `cabinetbot import`, looks a number up at the console, and re-imports the
// directory there by its path.
func TestImportSubcommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"import", "departments", "testdata/exemplu-fictiv-departamente.csv", "--data", dir}, nil, &out, quietEnv); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if err := run([]string{"--data", dir, "import", "directory", "testdata/exemplu-fictiv-agenda-telefonica.csv"}, nil, &out, quietEnv); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"Organigrama importată din „exemplu-fictiv-departamente.csv”: 9 departamente.", "Adăugate: 22"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("lacks %q:\n%s", want, out.String())
		}
	}
	got := runConsole(t, dir, "telefon popscu", "import-director testdata/exemplu-fictiv-agenda-telefonica.csv", "import-director nu-exista.csv")
	for _, want := range []string{"Ion Popescu — Director executiv adjunct, Direcția Tehnică · tel. 0264 000 102, int. 5001", "neschimbate: 22",
		"Nu pot citi fișierul „nu-exista.csv”"} {
		if !strings.Contains(got, want) {
			t.Fatalf("console lacks %q:\n%s", want, got)
		}
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Nume;Telefon;Departament\nIon Pop;0264 000 999;DT\nAna Pop;abc;DT\nDan Pop;0264 000 998;ZZ\n"), 0o600)
	out.Reset()
	err := run([]string{"import", "directory", bad, "--data", dir, "--replace"}, nil, &out, quietEnv)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(out.String(), "rândul 3: „abc”") || !strings.Contains(out.String(), "rândul 4: departament necunoscut „ZZ”") {
		t.Fatalf("bad file: %v\n%s", err, out.String())
	}
	for _, args := range [][]string{{"import"}, {"import", "directory"}, {"import", "agenda-de-lucru", bad}, {"import", "departments", bad, "--replace"}} {
		if err := run(append(args, "--data", dir), nil, &out, quietEnv); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	if got := runConsole(t, dir, "telefon 0264 000 999"); !strings.Contains(got, "Nu am găsit") {
		t.Fatalf("a refused import wrote:\n%s", got)
	}
}

// TestImportRegisterSubcommand: `cabinetbot import register` with its flags;
// the dry run writes nothing, the import continues the numbering.
func TestImportRegisterSubcommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"import", "departments", "testdata/exemplu-fictiv-departamente.csv", "--data", dir}, nil, &out, quietEnv); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	out.Reset()
	err := run([]string{"import", "register", "testdata/exemplu-fictiv-registru.csv", "--data", dir}, nil, &out, quietEnv)
	if err == nil || !strings.Contains(out.String(), "departament necunoscut „Serviciul Spații Verzi”") {
		t.Fatalf("unknown department: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run([]string{"import", "register", "testdata/exemplu-fictiv-registru.csv", "--data", dir, "--dry-run", "--create-departments"}, nil, &out, quietEnv); err != nil ||
		!strings.Contains(out.String(), "s-ar importa 4 înregistrări") {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if got := runConsole(t, dir, "import-registru testdata/exemplu-fictiv-registru.csv verifica=da creeaza-departamente=da"); !strings.Contains(got, "s-ar importa 4 înregistrări") {
		t.Fatalf("console dry run:\n%s", got)
	}
	if got := runConsole(t, dir, "arata 40/2026"); !strings.Contains(got, "Nu există înregistrarea 40/2026") {
		t.Fatalf("the dry run wrote:\n%s", got)
	}
	out.Reset()
	if err := run([]string{"--create-departments", "import", "register", "testdata/exemplu-fictiv-registru.csv", "--data", dir}, nil, &out, quietEnv); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got := runConsole(t, dir, `inregistreaza de="Ion Pop" subiect="Test"`); !strings.Contains(got, "41/2026") {
		t.Fatalf("numbering does not continue:\n%s", got)
	}
	if err := run([]string{"import", "directory", "testdata/exemplu-fictiv-registru.csv", "--dry-run", "--data", dir}, nil, &out, quietEnv); err == nil {
		t.Error("--dry-run accepted for the directory")
	}
}
