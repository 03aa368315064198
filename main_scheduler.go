package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/scheduler"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// startOutbox starts delivering the outbox (notices, reports, timed pushes)
// through the hub; the function it returns stops it and waits.
func startOutbox(ctx context.Context, d deps) func() {
	ctx, cancel := context.WithCancel(ctx)
	o := bot.NewOutbox(bot.OutboxConfig{Store: d.store, Hub: d.hub, Logger: d.log,
		NoticeTTL: d.cfg.NoticeRetry, PushTTL: d.cfg.PushRetry})
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// startScheduler starts the timed pushes, delivering through the hub, and
// connects them to the admins' digest command.
func startScheduler(ctx context.Context, d deps) (*scheduler.Scheduler, error) {
	s, err := scheduler.New(scheduler.Config{Store: d.store, Engine: d.engine, Logger: d.log,
		Specs: d.cfg.JobSpecs, MorningUntil: d.cfg.MorningUntil, CatchUpWindow: d.cfg.CatchUpWindow, BackupDir: backupDir(d.cfg, d.dataDir), KeepBackups: d.cfg.KeepBackups})
	if err != nil {
		return nil, err
	}
	d.engine.SetJobs(s)
	s.Start(ctx)
	return s, nil
}

// backupDir is CABINET_BACKUP_DIR, else "backups" beside the data directory.
func backupDir(cfg config, dataDir string) string {
	if cfg.BackupDir != "" {
		return cfg.BackupDir
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "backups"
	}
	return filepath.Join(filepath.Dir(abs), "backups")
}

// runBackup is `cabinetbot backup FILE`: the same backup as the nightly job.
func runBackup(store *storage.Store, file string, out io.Writer) error {
	if file == "" {
		return errors.New("backup: give the file to write, e.g. cabinetbot backup /srv/backups/cabinet.bak.gz")
	}
	if err := scheduler.WriteBackup(store, file); err != nil {
		return err
	}
	fmt.Fprintln(out, "backup written:", file)
	return nil
}

// runRestore is `cabinetbot restore FILE [--force]`.
func runRestore(dataDir, file string, force bool, out io.Writer) error {
	if file == "" {
		return errors.New("restore: give the backup file, e.g. cabinetbot restore cabinet.bak.gz")
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	moved, err := storage.Restore(dataDir, f, force, storage.Options{})
	if err != nil {
		return openError(err)
	}
	if moved != "" {
		fmt.Fprintln(out, "the old data was set aside in", moved)
	}
	fmt.Fprintln(out, "restored", file, "into", dataDir)
	return nil
}

// openError explains the error of a data directory another process holds.
func openError(err error) error {
	if err != nil && strings.Contains(err.Error(), "Cannot acquire directory lock") {
		return fmt.Errorf("%w\nthe bot is running on this data directory: stop it first, or ask it for a backup with the admin command `digest acum backup`", err)
	}
	return err
}
