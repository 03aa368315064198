package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/ops"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func TestNoPlatformAndNoTerminalExitsNonZero(t *testing.T) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	err = run([]string{"--data", dir}, devnull, &out, func(string) string { return "" })
	if !errors.Is(err, errNothingToRun) {
		t.Fatalf("run with stdin /dev/null and no platform: %v", err)
	}
	for _, v := range []string{envSlackBotToken, envSlackAppToken, envTelegramToken, "cabinetbot console"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("the message does not name %s: %v", v, err)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused start created the data directory: %v", err)
	}
}

// TestBinaryWithNoPlatformExitsNonZero runs the built program the way a
// supervisor does: no tokens, stdin /dev/null.
func TestBinaryWithNoPlatformExitsNonZero(t *testing.T) {
	if os.Getenv("CABINETBOT_CHILD") == "nothing" {
		os.Args = []string{"cabinetbot"} // as a supervisor starts it: no arguments
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBinaryWithNoPlatformExitsNonZero$")
	cmd.Env = []string{"CABINETBOT_CHILD=nothing", "CABINET_DATA_DIR=" + filepath.Join(t.TempDir(), "d")}
	cmd.Stdin = nil // /dev/null
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "no chat platform is configured") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out bytes.Buffer
		if err := run(args, nil, &out, func(string) string { return "" }); err != nil {
			t.Fatal(args, err)
		}
		if !regexp.MustCompile(`(?m)^cabinetbot \S+\nrevision \S+`).MatchString(out.String()) || !strings.Contains(out.String(), "go1.") {
			t.Fatalf("%v:\n%s", args, out.String())
		}
	}
}

func TestCheckListsEveryProblem(t *testing.T) {
	env := map[string]string{
		envBackupKeep:                    "x",
		envLogFormat:                     "yaml",
		envHTTPAddr:                      "nowhere",
		envSlackBotToken:                 "xoxp-user-token",
		envTelegramToken:                 "12",
		envJobPrefix + "MORNING":         "not a schedule",
		envDraft:                         filepath.Join(t.TempDir(), "missing.docx"),
		envNoteTpl:                       "/nonexistent/nota.docx",
		envTelegramWebhookURL + "_UNSET": "",
	}
	var out bytes.Buffer
	err := run([]string{"check", "--data", t.TempDir()}, nil, &out, func(k string) string { return env[k] })
	if err == nil {
		t.Fatalf("check passed:\n%s", out.String())
	}
	for _, want := range []string{envBackupKeep, envLogFormat, envHTTPAddr, envSlackBotToken, envTelegramToken, envJobPrefix + "MORNING", "missing.docx", "/nonexistent/nota.docx"} {
		if !strings.Contains(out.String(), "problem: "+want) && !strings.Contains(out.String(), want) {
			t.Errorf("check does not name %s:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "xoxp-user-token") {
		t.Error("check printed a token")
	}

	out.Reset()
	if err := run([]string{"check", "--data", t.TempDir()}, nil, &out, func(string) string { return "" }); err == nil ||
		!strings.Contains(out.String(), "no chat platform is configured") {
		t.Errorf("check with no platform and no terminal (as a service runs it): %v\n%s", err, out.String())
	}

	out.Reset()
	huge := map[string]string{envMinFree: "1048576", envTelegramToken: telegramOnly(envTelegramToken)} // 1 TB: more than this disk has
	if err := run([]string{"check", "--data", t.TempDir()}, nil, &out, func(k string) string { return huge[k] }); err == nil ||
		!strings.Contains(out.String(), "MB free") {
		t.Errorf("check does not report a disk under %s: %v\n%s", envMinFree, err, out.String())
	}

	out.Reset()
	good := map[string]string{envSlackBotToken: "xoxb-1-2-abc", envSlackAppToken: "xapp-1-A1-2-abc",
		envTelegramToken: "123456789:AAabcdefghijklmnopqrstuvwxyz0123456", envHTTPAddr: "127.0.0.1:9090"}
	if err := run([]string{"check", "--data", t.TempDir()}, nil, &out, func(k string) string { return good[k] }); err != nil {
		t.Fatalf("a good configuration: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Slack, Telegram") {
		t.Fatalf("check does not say which platforms run:\n%s", out.String())
	}
}

// telegramOnly is an environment with a token of the right shape: check
// then has a platform to expect.
func telegramOnly(k string) string {
	if k == envTelegramToken {
		return "123456789:AAabcdefghijklmnopqrstuvwxyz0123456"
	}
	return ""
}

func TestCheckRefusesAHeldDataDirectory(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run([]string{"check", "--data", dir}, nil, &out, telegramOnly)
	s.Close()
	if err == nil || !strings.Contains(out.String(), "in use by a running bot") {
		t.Fatalf("check on a held directory: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run([]string{"check", "--data", dir}, nil, &out, telegramOnly); err != nil {
		t.Fatalf("check after the bot stopped: %v\n%s", err, out.String())
	}
}

// fakePlatform is a chat platform whose connection a test turns on and off.
type fakePlatform struct{ down atomic.Bool }

func (p *fakePlatform) Name() string { return "fake" }
func (p *fakePlatform) Send(context.Context, string, commands.Reply) (string, error) {
	return "", nil
}
func (p *fakePlatform) Healthy() error {
	if p.down.Load() {
		return errors.New("disconnected")
	}
	return nil
}

func TestOpsEndpoint(t *testing.T) {
	dir := t.TempDir()
	store, err := storage.Open(dir, storage.Options{NoSync: true, Words: text.Words})
	if err != nil {
		t.Fatal(err)
	}
	srv := ops.New(nil)
	engine, err := commands.New(commands.Config{Store: store, Admins: []string{"console:op"},
		Observe: ops.NewCommandMetrics(srv.Registry()).Observe})
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(store, nil)
	fake := &fakePlatform{}
	hub.Add(fake)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := config{HTTPAddr: addr, DataDir: dir}
	d := deps{engine: engine, store: store, hub: hub, cfg: cfg, dataDir: dir, ops: srv, log: discardLog()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := startOps(ctx, d, srv); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr

	who := commands.Identity{Platform: "console", ID: "op"}
	for _, line := range []string{reg, reg, `inregistreaza de="Ana" subiect="x" categorie=informatii`, "inregistreaza"} {
		engine.Handle(ctx, commands.Request{Who: who, Text: line})
	}

	fams := scrapeMetrics(t, base)
	counts := map[string]float64{}
	for _, m := range fams["cabinetbot_commands_total"].GetMetric() {
		counts[labelOf(m.GetLabel(), "command")+"/"+labelOf(m.GetLabel(), "result")] = m.GetCounter().GetValue()
	}
	if counts["inregistreaza/ok"] != 3 || counts["inregistreaza/invalid"] != 1 {
		t.Fatalf("commands_total: %v", counts)
	}
	cats := map[string]float64{}
	for _, m := range fams["cabinetbot_registrations"].GetMetric() {
		cats[labelOf(m.GetLabel(), "category")] = m.GetGauge().GetValue()
	}
	if cats["petitie"] != 2 || cats["informatii"] != 1 {
		t.Fatalf("registrations by category: %v", cats)
	}
	open := 0.0
	for _, m := range fams["cabinetbot_open_items"].GetMetric() {
		open += m.GetGauge().GetValue()
	}
	if open != 3 {
		t.Fatalf("open items: %v", open)
	}
	onDisk := 0.0
	for _, m := range fams["cabinetbot_database_bytes"].GetMetric() {
		onDisk += m.GetGauge().GetValue()
	}
	if onDisk == 0 {
		t.Error("cabinetbot_database_bytes says the database takes nothing on disk")
	}
	for _, name := range []string{"cabinetbot_backup_last_timestamp_seconds", "go_goroutines"} {
		if fams[name] == nil {
			t.Errorf("no %s", name)
		}
	}

	stopOutbox := startOutbox(ctx, d)
	defer stopOutbox()
	jobs, err := startScheduler(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.RunNow(ctx, "summary"); err != nil {
		t.Fatal(err)
	}
	fams = scrapeMetrics(t, base)
	for _, name := range []string{"cabinetbot_outbox_depth", "cabinetbot_outbox_oldest_seconds", "cabinetbot_outbox_delivered_total",
		"cabinetbot_outbox_failed_total", "cabinetbot_job_last_run_timestamp_seconds"} {
		if fams[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	lastOK := map[string]float64{}
	for _, m := range fams["cabinetbot_job_last_run_success"].GetMetric() {
		lastOK[labelOf(m.GetLabel(), "job")] = m.GetGauge().GetValue()
	}
	if v, ok := lastOK["summary"]; !ok || v != 1 {
		t.Errorf("job_last_run_success: %v", lastOK)
	}
	if ready, body := readyz(t, base); !ready || !strings.Contains(body, `"scheduler":{"ok":true}`) || !strings.Contains(body, `"outbox":{"ok":true}`) {
		t.Fatalf("not ready with everything running: %s", body)
	}
	jobs.Stop()
	if ready, body := readyz(t, base); ready || !strings.Contains(body, "the timed jobs are not running") {
		t.Fatalf("ready with the scheduler stopped: %s", body)
	}
	srv.AddCheck("scheduler", func(context.Context) error { return nil }) // as if running, for what follows
	fake.down.Store(true)
	if ready, body := readyz(t, base); ready || !strings.Contains(body, "fake: disconnected") {
		t.Fatalf("ready with a platform down: %s", body)
	}
	fake.down.Store(false)
	store.Close()
	if ready, body := readyz(t, base); ready || !strings.Contains(body, `"database":{"ok":false`) {
		t.Fatalf("ready with the database closed: %s", body)
	}
	if code := httpGet(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz with the database closed: %d (the process is alive)", code)
	}
}

func scrapeMetrics(t *testing.T, base string) map[string]*dtoFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the Prometheus text parser refuses /metrics: %v", err)
	}
	return fams
}

func readyz(t *testing.T, base string) (bool, string) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r ops.Readiness
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("readyz body %q: %v", b, err)
	}
	if r.Ready != (resp.StatusCode == http.StatusOK) {
		t.Fatalf("readyz status %d with ready=%v", resp.StatusCode, r.Ready)
	}
	return r.Ready, string(b)
}

func httpGet(t *testing.T, url string) int {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

type dtoFamily = dto.MetricFamily

func labelOf(labels []*dto.LabelPair, name string) string {
	for _, l := range labels {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestJSONLogs(t *testing.T) {
	cfg, err := loadConfig(func(k string) string {
		if k == envLogFormat {
			return "json"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	newLogger(cfg, &buf).Info("platform connected", "platform", "slack")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["msg"] != "platform connected" || line["platform"] != "slack" {
		t.Fatalf("a JSON log line: %q (%v)", buf.String(), err)
	}
}
