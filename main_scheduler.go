package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/scheduler"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// startOutbox starts delivering the outbox (notices, reports, timed pushes)
// through the hub; the function it returns stops it and waits.
func startOutbox(ctx context.Context, d deps) func() {
	ctx, cancel := context.WithCancel(ctx)
	o := bot.NewOutbox(bot.OutboxConfig{Store: d.store, Hub: d.hub, Logger: d.log,
		NoticeTTL: d.cfg.NoticeRetry, PushTTL: d.cfg.PushRetry})
	watchOutbox(d, o)
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
	watchScheduler(d, s)
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
	rep, err := storage.Restore(dataDir, f, force, storage.Options{})
	if err != nil {
		return openError(fmt.Errorf("restaurare refuzată, datele nu au fost atinse / %w", err))
	}
	c := rep.Info.Counts
	fmt.Fprintf(out, "restored %s into %s: %d registrations, %d directory entries, %d departments, %d agenda events, %d audit entries\n",
		file, dataDir, c.Items, c.Entries, c.Departments, c.Agenda, c.Audit)
	if rep.Info.Legacy {
		fmt.Fprintln(out, "the backup is in the old format (no header): it was checked by gzip's checksum and by reading every record")
	}
	if rep.MovedTo != "" {
		fmt.Fprintln(out, "the old data was set aside in", rep.MovedTo)
	}
	for y, r := range rep.Skipped {
		fmt.Fprintf(out, "numbers %d–%d/%s were handed out after this backup: they are lost with the data after it and are not given again; the register continues at %d/%s\n",
			r[0], r[1], y, r[1]+1, y)
	}
	return nil
}

// openError explains why a data directory cannot be used: another process
// holds it, or it is damaged (then: which backup to restore).
func openError(err error) error {
	if err != nil && strings.Contains(err.Error(), "Cannot acquire directory lock") {
		return fmt.Errorf("%w\nthe bot is running on this data directory: stop it first, or ask it for a backup with the admin command `digest acum backup`", err)
	}
	return err
}

// damageError is openError for the start of the bot: a damaged data
// directory names the newest backup to restore.
func damageError(err error, cfg config, dataDir string) error {
	var de *storage.DamageError
	if !errors.As(err, &de) {
		return openError(err)
	}
	dir := backupDir(cfg, dataDir)
	restore := fmt.Sprintf("no backup found in %s: restore the newest copy you have with `cabinetbot restore FILE --force --data %s`", dir, dataDir)
	if newest := scheduler.NewestBackup(dir); newest != "" {
		restore = fmt.Sprintf("restore the newest backup: cabinetbot restore %s --force --data %s", newest, dataDir)
	}
	return fmt.Errorf("nu pornesc: datele sunt deteriorate sau incomplete; nu s-a modificat nimic / will not start, nothing was changed: %w\n%s\n(the damaged data is set aside, not deleted; see README, Operations)", err, restore)
}

// storeOptions are the database options of every command that opens it:
// before data of an older format is upgraded, a backup is written to the
// backup directory (cabinetbot-YYYY-MM-DDTHHMM-before-upgrade-formatN.bak.gz,
// named like the nightly ones so that it sorts among them by time).
func storeOptions(cfg config, dataDir string, log *slog.Logger) storage.Options {
	return storage.Options{Logger: log, Words: text.Words, MinFree: cfg.MinFree, MaxFileSize: cfg.MaxFile,
		BeforeUpgrade: func(s *storage.Store, from, to int) error {
			dir := backupDir(cfg, dataDir)
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return fmt.Errorf("backup directory: %w", err)
			}
			path := filepath.Join(dir, fmt.Sprintf("cabinetbot-%s-before-upgrade-format%d.bak.gz", time.Now().In(calendar.Bucharest).Format("2006-01-02T1504"), from))
			if err := scheduler.WriteBackup(s, path); err != nil {
				return fmt.Errorf("backup before the upgrade: %w", err)
			}
			log.Warn("the data is upgraded to this release's format; a backup of the old data was written first",
				"from", from, "to", to, "backup", path)
			return nil
		}}
}
