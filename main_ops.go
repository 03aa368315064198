package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/ops"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/scheduler"
)

// startOps serves the operations endpoint on CABINET_HTTP_ADDR: it adds the
// readiness checks and the register's metrics to srv, listens (so that a
// taken port stops the start), and serves until ctx ends.
func startOps(ctx context.Context, d deps, srv *ops.Server) error {
	if d.cfg.HTTPAddr == "" {
		return nil
	}
	srv.Profiler = d.cfg.Pprof
	addOpsChecks(d, srv)
	if err := addRegisterMetrics(d, srv); err != nil {
		return fmt.Errorf("ops endpoint: %w", err)
	}
	ln, err := net.Listen("tcp", d.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("%s: %w", envHTTPAddr, err)
	}
	go func() {
		if err := srv.ServeListener(ctx, ln); err != nil {
			d.log.Error("ops endpoint stopped", "err", err)
		}
	}()
	return nil
}

// addOpsChecks adds what /readyz checks: the database takes a durable
// write, and each connected platform says it is connected.
func addOpsChecks(d deps, srv *ops.Server) {
	srv.AddCheck("database", func(ctx context.Context) error {
		return d.store.SetState(ctx, "ops/ready", time.Now().UTC().Format(time.RFC3339))
	})
	srv.AddCheck("disk", func(context.Context) error {
		free, min, err := d.store.FreeSpace()
		switch {
		case err != nil:
			return fmt.Errorf("cannot measure the free space: %w", err)
		case free < min:
			return fmt.Errorf("%d MB free, under %d MB (%s): changes are refused", free>>20, min>>20, envMinFree)
		}
		return nil
	})
	srv.AddCheck("platforms", func(context.Context) error {
		var bad []string
		for _, p := range d.hub.Platforms() {
			if h, ok := p.(bot.HealthReporter); ok {
				if err := h.Healthy(); err != nil {
					bad = append(bad, p.Name()+": "+err.Error())
				}
			}
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s", strings.Join(bad, "; "))
		}
		return nil
	})
}

// metricsCacheTTL bounds how often a scrape rescans the register.
const metricsCacheTTL = 30 * time.Second

// addRegisterMetrics adds the register's figures, read at scrape time: the
// year's registrations by category, open and overdue items by department,
// the database's size and the newest backup.
func addRegisterMetrics(d deps, srv *ops.Server) error {
	today := func() calendar.Date { return calendar.DateOf(d.engine.Now()) }
	// One scan of the open items gives both the open and the overdue counts.
	openCounts := ops.Cached(metricsCacheTTL, nil, func() (map[string]float64, error) {
		overdue, open, err := d.store.OpenCounts(today().ISO())
		out := map[string]float64{}
		for k, v := range open {
			out["open/"+k] = float64(v)
		}
		for k, v := range overdue {
			out["overdue/"+k] = float64(v)
		}
		return out, err
	})
	part := func(prefix string) func() (map[string]float64, error) {
		return func() (map[string]float64, error) {
			all, err := openCounts()
			out := map[string]float64{}
			for k, v := range all {
				if dept, ok := strings.CutPrefix(k, prefix); ok {
					out[dept] = v
				}
			}
			return out, err
		}
	}
	return srv.AddFamilies(
		ops.Family{Name: "registrations", Label: "category", // a gauge: it starts again each year
			Help: "Items registered this calendar year, by category.",
			Read: ops.Cached(metricsCacheTTL, nil, func() (map[string]float64, error) {
				y := today().Year
				return d.store.RegistrationsByCategory(fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y))
			})},
		ops.Family{Name: "open_items", Label: "department",
			Help: "Open items by responsible department (- unassigned).",
			Read: part("open/")},
		ops.Family{Name: "overdue_items", Label: "department",
			Help: "Open items past their deadline, by responsible department (- unassigned).",
			Read: part("overdue/")},
		ops.Family{Name: "database_bytes", Label: "part",
			Help: "Size of the database on disk: lsm (tables) and vlog (value log).",
			Read: func() (map[string]float64, error) {
				lsm, vlog := d.store.Size()
				return map[string]float64{"lsm": float64(lsm), "vlog": float64(vlog)}, nil
			}},
		ops.Family{Name: "backup_last_timestamp_seconds",
			Help: "When the newest backup in the backup directory was written (Unix time; 0: none).",
			Read: ops.One(func() (float64, error) {
				when, _ := newestBackup(backupDir(d.cfg, d.dataDir))
				if when.IsZero() {
					return 0, nil
				}
				return float64(when.Unix()), nil
			})},
		ops.Family{Name: "backup_last_bytes",
			Help: "Size of the newest backup in the backup directory (0: none).",
			Read: ops.One(func() (float64, error) {
				_, size := newestBackup(backupDir(d.cfg, d.dataDir))
				return float64(size), nil
			})},
	)
}

// newestBackup is the newest backup in dir (scheduler.NewestBackup), with
// when it was written and its size; zero when there is none.
func newestBackup(dir string) (when time.Time, size int64) {
	info, err := os.Stat(scheduler.NewestBackup(dir))
	if err != nil || info.IsDir() {
		return time.Time{}, 0
	}
	return info.ModTime(), info.Size()
}

// watchOutbox adds the outbox to the endpoint: its depth, the age of its
// oldest message, what it delivered and failed, and, for /readyz, whether
// it is stuck (its loop stopped looking, or a message outlived its time).
func watchOutbox(d deps, o *bot.Outbox) {
	if d.ops == nil || d.cfg.HTTPAddr == "" {
		return
	}
	oldest := func() (int, time.Duration, error) {
		entries, err := d.store.Outbox()
		if err != nil || len(entries) == 0 {
			return 0, 0, err
		}
		first := entries[0].Created
		for _, e := range entries {
			if e.Created.Before(first) {
				first = e.Created
			}
		}
		return len(entries), time.Since(first), nil
	}
	err := d.ops.AddFamilies(
		ops.Family{Name: "outbox_depth", Help: "Messages waiting in the outbox (notices, pushes, reports).",
			Read: ops.One(func() (float64, error) { n, _, err := oldest(); return float64(n), err })},
		ops.Family{Name: "outbox_oldest_seconds", Help: "Age of the oldest message waiting in the outbox (0: empty).",
			Read: ops.One(func() (float64, error) { _, age, err := oldest(); return age.Seconds(), err })},
		ops.Family{Name: "outbox_delivered_total", Counter: true, Help: "Messages the outbox delivered since the start.",
			Read: ops.One(func() (float64, error) { return float64(o.Status().Delivered), nil })},
		ops.Family{Name: "outbox_failed_total", Counter: true, Help: "Messages the outbox gave up on since the start (reported to the Cabinet).",
			Read: ops.One(func() (float64, error) { return float64(o.Status().Failed), nil })},
	)
	if err != nil {
		d.log.Error("ops endpoint: outbox metrics", "err", err)
	}
	longest := max(d.cfg.NoticeRetry, d.cfg.PushRetry, 24*time.Hour)
	d.ops.AddCheck("outbox", func(context.Context) error {
		st := o.Status()
		if st.LastScan.IsZero() || time.Since(st.LastScan) > 3*st.Rescan+time.Minute {
			return fmt.Errorf("the sender has not looked at the outbox since %s", st.LastScan.Format(time.RFC3339))
		}
		n, age, err := oldest()
		if err != nil {
			return err
		}
		if age > longest+time.Hour {
			return fmt.Errorf("%d messages waiting, the oldest for %s: past the time to try them", n, age.Round(time.Minute))
		}
		return nil
	})
}

// watchScheduler adds the timed jobs to the endpoint: the last run of each
// and its result, and, for /readyz, whether the cron runs.
func watchScheduler(d deps, s *scheduler.Scheduler) {
	if d.ops == nil || d.cfg.HTTPAddr == "" {
		return
	}
	runs := func(ok bool) func() (map[string]float64, error) {
		return func() (map[string]float64, error) {
			out := map[string]float64{}
			for _, r := range s.LastRuns() {
				if ok {
					out[r.Job] = 0
					if r.OK {
						out[r.Job] = 1
					}
				} else {
					out[r.Job] = float64(r.At.Unix())
				}
			}
			return out, nil
		}
	}
	err := d.ops.AddFamilies(
		ops.Family{Name: "job_last_run_timestamp_seconds", Label: "job", Help: "When each timed job last ran (Unix time), since the start.", Read: runs(false)},
		ops.Family{Name: "job_last_run_success", Label: "job", Help: "1 when the job's last run succeeded, 0 when it failed.", Read: runs(true)},
	)
	if err != nil {
		d.log.Error("ops endpoint: job metrics", "err", err)
	}
	d.ops.AddCheck("scheduler", func(context.Context) error {
		if !s.Running() {
			return errors.New("the timed jobs are not running")
		}
		return nil
	})
}
