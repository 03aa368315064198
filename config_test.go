package main

import (
	"strings"
	"testing"
	"time"
)

func TestDeliverySettings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.NoticeRetry != 24*time.Hour || c.PushRetry != time.Hour || c.MorningUntil != 10*time.Hour || c.CatchUpWindow != 2*time.Hour {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = loadConfig(env(map[string]string{envNoticeRetry: "48h", envPushRetry: "30m", envCatchUpAM: "09:30", envCatchUp: "90m"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.NoticeRetry != 48*time.Hour || c.PushRetry != 30*time.Minute || c.MorningUntil != 9*time.Hour+30*time.Minute || c.CatchUpWindow != 90*time.Minute {
		t.Fatalf("set: %+v", c)
	}
	for k, v := range map[string]string{envNoticeRetry: "ever", envPushRetry: "-1h", envCatchUpAM: "10", envCatchUp: "0s"} {
		if _, err := loadConfig(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}
