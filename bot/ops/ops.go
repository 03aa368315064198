// Package ops serves the operations endpoint of the bot: /healthz (the
// process is alive), /readyz (every part it needs is working, each with its
// state) and /metrics (Prometheus). It knows nothing of the chat platforms or
// the database: main hands it readiness checks and metric collectors.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one readiness condition: nil when the part is ready, else an
// error saying what is wrong.
type Check func(ctx context.Context) error

// Server is the operations endpoint. Add checks and collectors before
// serving; it is safe for concurrent use afterwards.
type Server struct {
	// Profiler serves the Go profiler under /debug/pprof/ (set before
	// Handler is called).
	Profiler bool

	reg     *prometheus.Registry
	log     *slog.Logger
	timeout time.Duration

	mu     sync.RWMutex
	checks map[string]Check
}

// New returns a server whose registry already holds the Go runtime and
// process collectors.
func New(log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Server{reg: reg, log: log, timeout: 5 * time.Second, checks: map[string]Check{}}
}

// Registry is where the bot's metrics are registered.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// AddCheck adds (or replaces) a named readiness check.
func (s *Server) AddCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks[name] = c
}

// Handler serves /healthz, /readyz and /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.Healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.Profiler {
		// The Go profiler, for an operator who must see where memory or
		// time goes; off unless asked for (it reveals much and costs CPU).
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{ErrorLog: slogAdapter{s.log},
		// A family that cannot be read (the database closed) is logged and
		// left out; the others are still served.
		ErrorHandling: promhttp.ContinueOnError}))
	return mux
}

// Healthz answers that the process is alive: it serves HTTP.
func (s *Server) Healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// CheckState is one check's result in /readyz's body.
type CheckState struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Readiness is /readyz's body.
type Readiness struct {
	Ready  bool                  `json:"ready"`
	Checks map[string]CheckState `json:"checks"`
}

// Ready runs every check (side by side, each within the timeout) and says
// whether all passed.
func (s *Server) Ready(ctx context.Context) Readiness {
	s.mu.RLock()
	names := make([]string, 0, len(s.checks))
	for n := range s.checks {
		names = append(names, n)
	}
	checks := make([]Check, len(names))
	sort.Strings(names)
	for i, n := range names {
		checks[i] = s.checks[n]
	}
	s.mu.RUnlock()

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { errs[i] = runCheck(ctx, c) })
	}
	wg.Wait()
	r := Readiness{Ready: true, Checks: map[string]CheckState{}}
	for i, n := range names {
		st := CheckState{OK: errs[i] == nil}
		if errs[i] != nil {
			st.Error = errs[i].Error()
			r.Ready = false
		}
		r.Checks[n] = st
	}
	return r
}

// runCheck runs one check, turning a panic or a timeout into an error.
func runCheck(ctx context.Context, c Check) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- c(ctx)
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return errors.New("no answer in time")
	}
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	st := s.Ready(r.Context())
	w.Header().Set("Content-Type", "application/json")
	if !st.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if err := json.NewEncoder(w).Encode(st); err != nil {
		s.log.Debug("ops: write readiness", "err", err)
	}
}

// Serve listens on addr and serves the endpoint until ctx ends.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ops endpoint: listen on %s: %w", addr, err)
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves the endpoint on ln until ctx ends.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	s.log.Info("ops endpoint listening", "addr", ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("ops endpoint: %w", err)
	}
	return nil
}

// slogAdapter lets promhttp log its errors through slog.
type slogAdapter struct{ log *slog.Logger }

func (a slogAdapter) Println(v ...any) { a.log.Error("ops: metrics", "err", fmt.Sprint(v...)) }
