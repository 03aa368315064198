package commands

import (
	"strings"
	"testing"
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
