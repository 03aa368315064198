package ops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// scrape reads /metrics with the Prometheus text parser.
func scrape(t *testing.T, srv *httptest.Server) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := get(t, srv, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

func TestHealthzAnswersWhileNotReady(t *testing.T) {
	s := New(nil)
	s.AddCheck("database", func(context.Context) error { return errors.New("closed") })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if code, body := get(t, srv, "/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
}

func TestReadyzNamesEachCheck(t *testing.T) {
	s := New(nil)
	dbErr := errors.New("storage is closed")
	var dbDown bool
	s.AddCheck("database", func(context.Context) error {
		if dbDown {
			return dbErr
		}
		return nil
	})
	s.AddCheck("platforms", func(context.Context) error { return nil })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	code, body := get(t, srv, "/readyz")
	var r Readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("readyz body %q: %v", body, err)
	}
	if code != 200 || !r.Ready || !r.Checks["database"].OK || !r.Checks["platforms"].OK {
		t.Fatalf("ready: %d %+v", code, r)
	}

	dbDown = true
	code, body = get(t, srv, "/readyz")
	r = Readiness{}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if code != http.StatusServiceUnavailable || r.Ready || r.Checks["database"].OK || r.Checks["database"].Error != dbErr.Error() || !r.Checks["platforms"].OK {
		t.Fatalf("database down: %d %+v", code, r)
	}
}

func TestReadyzSurvivesAHangingOrPanickingCheck(t *testing.T) {
	s := New(nil)
	s.timeout = 50 * time.Millisecond
	s.AddCheck("hangs", func(ctx context.Context) error { select {} })
	s.AddCheck("panics", func(context.Context) error { panic("boom") })
	r := s.Ready(context.Background())
	if r.Ready || r.Checks["hangs"].Error == "" || !strings.Contains(r.Checks["panics"].Error, "boom") {
		t.Fatalf("%+v", r)
	}
}

func TestMetricsParseAndCount(t *testing.T) {
	s := New(nil)
	m := NewCommandMetrics(s.Registry())
	m.Observe("inregistreaza", "ok", 3*time.Millisecond)
	m.Observe("inregistreaza", "ok", 4*time.Millisecond)
	m.Observe("inregistreaza", "invalid", time.Millisecond)
	open := map[string]float64{"DT": 3, "-": 1}
	s.AddFamilies(
		Family{Name: "open_items", Label: "department", Help: "open", Read: func() (map[string]float64, error) { return open, nil }},
		Family{Name: "backup_last_bytes", Help: "size", Read: One(func() (float64, error) { return 1234, nil })},
		Family{Name: "broken", Help: "fails", Read: func() (map[string]float64, error) { return nil, errors.New("no") }},
	)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	// The failing family is left out; the others are served.
	fams := scrape(t, srv)
	if fams["cabinetbot_broken"] != nil {
		t.Fatal("a family that failed was served")
	}

	total := fams["cabinetbot_commands_total"]
	if total == nil {
		t.Fatal("no cabinetbot_commands_total")
	}
	got := map[string]float64{}
	for _, mt := range total.Metric {
		got[label(mt, "command")+"/"+label(mt, "result")] = mt.GetCounter().GetValue()
	}
	if got["inregistreaza/ok"] != 2 || got["inregistreaza/invalid"] != 1 {
		t.Fatalf("commands_total = %v", got)
	}
	h := fams["cabinetbot_command_duration_seconds"]
	if h == nil || h.Metric[0].GetHistogram().GetSampleCount() != 3 {
		t.Fatalf("duration histogram: %v", h)
	}
	oi := fams["cabinetbot_open_items"]
	if oi == nil || len(oi.Metric) != 2 {
		t.Fatalf("open_items: %v", oi)
	}
	for _, mt := range oi.Metric {
		if mt.GetGauge().GetValue() != open[label(mt, "department")] {
			t.Fatalf("open_items %s = %v", label(mt, "department"), mt.GetGauge().GetValue())
		}
	}
	if b := fams["cabinetbot_backup_last_bytes"]; b == nil || b.Metric[0].GetGauge().GetValue() != 1234 {
		t.Fatalf("backup_last_bytes: %v", b)
	}
	if fams["go_goroutines"] == nil || fams["process_resident_memory_bytes"] == nil {
		t.Fatal("the Go runtime and process metrics are missing")
	}
}

func TestCachedReadsOncePerTTL(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	reads := 0
	read := Cached(30*time.Second, func() time.Time { return now }, func() (map[string]float64, error) {
		reads++
		return map[string]float64{"x": float64(reads)}, nil
	})
	read()
	now = now.Add(10 * time.Second)
	if v, _ := read(); v["x"] != 1 || reads != 1 {
		t.Fatalf("read again within the TTL: %v, %d reads", v, reads)
	}
	now = now.Add(30 * time.Second)
	if v, _ := read(); v["x"] != 2 {
		t.Fatalf("not read again after the TTL: %v", v)
	}
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func TestProfilerOnlyWhenAsked(t *testing.T) {
	for _, on := range []bool{false, true} {
		s := New(nil)
		s.Profiler = on
		srv := httptest.NewServer(s.Handler())
		code, _ := get(t, srv, "/debug/pprof/")
		srv.Close()
		if (code == http.StatusOK) != on {
			t.Errorf("profiler %v: /debug/pprof/ answered %d", on, code)
		}
	}
}
