package main

import (
	"strings"
	"testing"
)

// TestImpossibleJobScheduleInEnvironmentStopsTheStart: a CABINET_JOB_* value
// that never fires (or fires more often than once a minute) stops the start
// with a message naming the variable and the reason.
func TestImpossibleJobScheduleInEnvironmentStopsTheStart(t *testing.T) {
	for _, tc := range []struct{ name, spec, why string }{
		{"CABINET_JOB_MORNING", "0 8 31 2 *", "never runs within a year"},
		{"CABINET_JOB_DIGEST", "@every 1s", "once a minute"},
		{"CABINET_JOB_BACKUP", "TZ=Europe/Bucharest 0 3 * * *", "Romania's time"},
	} {
		_, err := loadConfig(func(k string) string {
			if k == tc.name {
				return tc.spec
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s=%q: %v", tc.name, tc.spec, err)
		}
	}
}

// CABINET_ADMINS and --as are identities typed by an admin: checked like the
// ones typed in chat.
func TestConfiguredIdentitiesAreValidated(t *testing.T) {
	for _, v := range []string{"slack:U1 U2", "telegram:abc", "slack:", "U012AB3CD", "console:ana pop"} {
		_, err := loadConfig(func(k string) string {
			if k == envAdmins {
				return v
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), envAdmins) {
			t.Errorf("%s=%q: %v", envAdmins, v, err)
		}
	}
	cfg, err := loadConfig(func(k string) string {
		if k == envAdmins {
			return " slack:U012AB3CD , telegram:123456 "
		}
		return ""
	})
	if err != nil || len(cfg.Admins) != 2 || cfg.Admins[1] != "telegram:123456" {
		t.Fatalf("%+v %v", cfg.Admins, err)
	}
	err = run([]string{"console", "--data", t.TempDir(), "--as", "ana pop"}, nil, &strings.Builder{}, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "--as") {
		t.Fatalf("--as with a space: %v", err)
	}
}
