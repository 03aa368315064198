package scheduler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
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

// WriteBackup writes a full, checked backup of the store to path
// (storage.Store.WriteBackup: the database's checksums verified first, the
// file written under a temporary name, read back whole, then renamed).
func WriteBackup(store *storage.Store, path string) error {
	_, err := store.WriteBackup(path)
	// A backup reads the whole database once; hand the memory it used back
	// to the system rather than keep it for the day (the process idles at
	// a few tens of MB otherwise).
	debug.FreeOSMemory()
	return err
}

// buildBackup makes the nightly backup and keeps the newest KeepBackups. A
// backup that fails keeps every older one, is logged and is listed in the
// next Cabinet summary.
func buildBackup(ctx context.Context, s *Scheduler, slot time.Time) ([]Message, error) {
	err := nightlyBackup(s, slot)
	if err != nil {
		s.log.Error("backup failed: the older backups are kept", "err", err)
		if rerr := s.cfg.Store.RecordJobFailure(context.WithoutCancel(ctx), "backup", slotKey(slot), s.now(), err); rerr != nil {
			s.log.Error("record the failed backup", "err", rerr)
		}
	}
	return nil, err
}

func nightlyBackup(s *Scheduler, slot time.Time) error {
	if s.cfg.BackupDir == "" {
		return fmt.Errorf("backup: no backup directory configured")
	}
	if err := os.MkdirAll(s.cfg.BackupDir, 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	name := backupPrefix + slot.In(calendar.Bucharest).Format("2006-01-02T1504") + backupSuffix
	path := filepath.Join(s.cfg.BackupDir, name)
	if err := WriteBackup(s.cfg.Store, path); err != nil {
		return err
	}
	s.log.Info("backup written", "file", path)
	return pruneBackups(s.cfg.BackupDir, s.cfg.KeepBackups)
}

// NewestBackup is the newest nightly backup in dir ("" when there is none).
func NewestBackup(dir string) string {
	names := backupNames(dir)
	if len(names) == 0 {
		return ""
	}
	return filepath.Join(dir, names[len(names)-1])
}

// backupNames are the nightly backups in dir, oldest first.
func backupNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) {
			names = append(names, n)
		}
	}
	sort.Strings(names) // the names sort by time
	return names
}

// pruneBackups deletes all but the newest keep backups in dir.
func pruneBackups(dir string, keep int) error {
	names := backupNames(dir)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return fmt.Errorf("backup: prune: %w", err)
		}
		names = names[1:]
	}
	return nil
}
