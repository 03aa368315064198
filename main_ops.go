package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/ops"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// startOps serves the operations endpoint on CABINET_HTTP_ADDR: it adds the
// readiness checks and the register's metrics to srv, listens (so that a
// taken port stops the start), and serves until ctx ends.
func startOps(ctx context.Context, d deps, srv *ops.Server) error {
	if d.cfg.HTTPAddr == "" {
		return nil
	}
	addOpsChecks(d, srv)
	addRegisterMetrics(d, srv)
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
func addRegisterMetrics(d deps, srv *ops.Server) {
	today := func() calendar.Date { return calendar.DateOf(d.engine.Now()) }
	srv.AddFamilies(
		ops.Family{Name: "registrations", Label: "category", Counter: true,
			Help: "Items registered this calendar year, by category.",
			Read: ops.Cached(metricsCacheTTL, nil, func() (map[string]float64, error) {
				y := today().Year
				return d.store.RegistrationsByCategory(fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y))
			})},
		ops.Family{Name: "open_items", Label: "department",
			Help: "Open items by responsible department (- unassigned).",
			Read: ops.Cached(metricsCacheTTL, nil, func() (map[string]float64, error) {
				_, open, err := d.store.OpenCounts(today().ISO())
				return floats(open), err
			})},
		ops.Family{Name: "overdue_items", Label: "department",
			Help: "Open items past their deadline, by responsible department (- unassigned).",
			Read: ops.Cached(metricsCacheTTL, nil, func() (map[string]float64, error) {
				overdue, _, err := d.store.OpenCounts(today().ISO())
				return floats(overdue), err
			})},
		ops.Family{Name: "database_bytes", Label: "part",
			Help: "Size of the database on disk: lsm (tables) and vlog (value log).",
			Read: func() (map[string]float64, error) {
				lsm, vlog := d.store.Size()
				return map[string]float64{"lsm": float64(lsm), "vlog": float64(vlog)}, nil
			}},
		ops.Family{Name: "backup_last_timestamp_seconds",
			Help: "When the newest backup in the backup directory was written (Unix time; 0: none).",
			Read: ops.One(func() (float64, error) {
				_, when, _ := newestBackup(backupDir(d.cfg, d.dataDir))
				if when.IsZero() {
					return 0, nil
				}
				return float64(when.Unix()), nil
			})},
		ops.Family{Name: "backup_last_bytes",
			Help: "Size of the newest backup in the backup directory (0: none).",
			Read: ops.One(func() (float64, error) {
				_, _, size := newestBackup(backupDir(d.cfg, d.dataDir))
				return float64(size), nil
			})},
	)
}

func floats(m map[string]int) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}

// newestBackup finds the most recent backup file in dir.
func newestBackup(dir string) (name string, when time.Time, size int64) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", time.Time{}, 0
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), "cabinetbot-") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().After(when) {
			continue
		}
		name, when, size = filepath.Join(dir, e.Name()), info.ModTime(), info.Size()
	}
	return name, when, size
}
