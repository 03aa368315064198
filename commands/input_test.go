package commands

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// A command over MaxCommandBytes from any platform gets a reason and changes
// nothing (the adapters hand the text to Handle as it came).
func TestOverlongCommandIsRefused(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	long := `inregistreaza de="Ion" subiect="` + strings.Repeat("a", MaxCommandBytes) + `"`
	for _, who := range []Identity{operatorID, anaID, viewerID} {
		w.refuses(t, who, long, "peste limita de 65536")
	}
	r := w.e.Handle(t.Context(), Request{Who: anaID, Text: "register " + strings.Repeat("b", 1<<20), Lang: English})
	contains(t, r, "over the limit of 65536")
}

// An admin named in the configuration cannot be revoked or changed by `rol`
// (the reply said "Acces retras" and the identity stayed admin).
func TestConfiguredAdminIsNotRevokedByRole(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	for _, line := range []string{"rol console:operator nimic", "rol console:operator cabinet", "role console:operator none"} {
		w.refuses(t, operatorID, line, "CABINET_ADMINS")
	}
	if r := w.as(operatorID, "persoane"); r.Kind != OK {
		t.Fatalf("the configured admin lost its role: %s", flat(r))
	}
}

// Identities are checked against their platform's form wherever they are
// typed.
func TestIdentitiesAreValidatedPerPlatform(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	bad := map[string]string{
		`rol "slack:U1 U2" cabinet`:              "U012AB3CD",
		"rol telegram:abc primar":                "telegram:123456789",
		"rol telegram:-100123 primar":            "telegram:123456789",
		"rol telegram:0123 primar":               "telegram:123456789",
		"rol slack:u012ab3cd cabinet":            "litere mari",
		"rol slack:C0123ABC cabinet":             "începe cu U sau W",
		"rol <@c01> cabinet":                     "începe cu U sau W",
		`rol "console:ana pop" cabinet`:          "console:ana.pop",
		"rol console:ana/pop cabinet":            "console:ana.pop",
		"rol discord:123 cabinet":                "nu este o identitate",
		"membru adauga DT slack:U012 telegram:x": "telegram:123456789",
		"membru adauga DT slack:UAB$":            "U012AB3CD",
		"role telegram:12a3 mayor":               "is not a Telegram user ID",
	}
	for line, want := range bad {
		w.refuses(t, operatorID, line, want)
	}
	for _, line := range []string{"rol slack:W0123ABCD cabinet", "rol <@U012AB3CD|ana> cabinet", "rol telegram:987654321 primar",
		"rol console:ana.pop-2 vizualizare", "membru adauga DT slack:U012AB3CD telegram:42"} {
		w.must(line)
	}
}

// csvCells reads a CSV the bot wrote (';' separated, with a BOM).
func csvCells(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma, r.FieldsPerRecord = ';', -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// noFormula fails for a cell a spreadsheet would run as a formula, or one
// holding a control character.
func noFormula(t *testing.T, what string, data []byte, want ...string) {
	t.Helper()
	all := ""
	for _, row := range csvCells(t, data) {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: a formula cell %q", what, cell)
			}
			if r, bad := text.BadControl(cell, true); bad {
				t.Errorf("%s: a control character %U in %q", what, r, cell)
			}
			all += cell + "\n"
		}
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s: no cell %q in\n%s", what, w, all)
		}
	}
}

// Every CSV the bot writes is safe to open in Excel, and the directory and
// department files still import back to the same data.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	w := sampleWorld(t)
	w.must(`inregistreaza de="=HYPERLINK(1)" subiect="@SUM(A1)" contact="=1+2"`)
	w.must(`inregistreaza de="+Ion" subiect="-2"`)
	exp := w.as(anaID, "exporta format=csv")
	if len(exp.Files) != 1 {
		t.Fatalf("export: %s", flat(exp))
	}
	noFormula(t, "exporta", exp.Files[0].Data, "'=HYPERLINK(1)", "'@SUM(A1)", "'+Ion", "'-2")

	w.must(`contact adauga "=1+2" functie="-Șef" telefon="+40 264 000 111" observatii="@birou"`)
	dir := w.must("export-director")
	noFormula(t, "export-director", dir.Files[0].Data, "'=1+2", "'-Șef", "'+40 264 000 111", "'@birou")
	before := w.snapshot()
	contains(t, w.withFile(anaID, "import-director", dir.Files[0].Name, dir.Files[0].Data), "neschimbate: 23")
	w.unchanged(before, "re-importing the exported directory")

	w.must(`departament adauga FX "=cmd|' /C calc'!A0" sef="@Ana" telefon="+40 264 000 222"`)
	depts := w.must("export-departamente")
	noFormula(t, "export-departamente", depts.Files[0].Data, "'=cmd|' /C calc'!A0", "'@Ana")
	before = w.snapshot()
	contains(t, w.withFile(anaID, "import-departamente", depts.Files[0].Name, depts.Files[0].Data), "modificate: 0")
	w.unchanged(before, "re-importing the exported departments")
}
