package scheduler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// backupPrefix and backupSuffix name the nightly backup files:
// cabinetbot-2026-11-25T0230.bak.gz.
const (
	backupPrefix = "cabinetbot-"
	backupSuffix = ".bak.gz"
)

// WriteBackup writes a full, compressed backup of the store to path, through
// a temporary file renamed at the end: a half-written backup never has the
// final name.
func WriteBackup(store *storage.Store, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := store.Backup(tmp, 0); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// buildBackup makes the nightly backup and keeps the newest KeepBackups.
func buildBackup(_ context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	if s.cfg.BackupDir == "" {
		return nil, fmt.Errorf("backup: no backup directory configured")
	}
	if err := os.MkdirAll(s.cfg.BackupDir, 0o750); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	name := backupPrefix + slot.In(calendar.Bucharest).Format("2006-01-02T1504") + backupSuffix
	path := filepath.Join(s.cfg.BackupDir, name)
	if err := WriteBackup(s.cfg.Store, path); err != nil {
		return nil, err
	}
	s.log.Info("backup written", "file", path)
	return nil, pruneBackups(s.cfg.BackupDir, s.cfg.KeepBackups)
}

// pruneBackups deletes all but the newest keep backups in dir.
func pruneBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) {
			names = append(names, n)
		}
	}
	sort.Strings(names) // the names sort by time
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return fmt.Errorf("backup: prune: %w", err)
		}
		names = names[1:]
	}
	return nil
}
