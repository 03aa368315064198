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
