package storage

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// Backup writes a full (since = 0) or incremental backup of the database,
// gzip-compressed, and returns the version to pass as since next time.
// It runs while the bot serves: Badger backs up a consistent snapshot.
func (s *Store) Backup(w io.Writer, since uint64) (uint64, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return 0, ErrClosed
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return 0, err
	}
	next, err := s.db.Backup(zw, since)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("backup: compress: %w", err)
	}
	return next, nil
}

// ErrNotEmpty is returned by Restore for a data directory that holds data.
var ErrNotEmpty = errors.New("the data directory is not empty")

// Restore loads a backup made by Backup into the database directory dir. It
// refuses a directory that holds anything unless force is set; with force the
// old directory is kept beside it, renamed, not deleted.
func Restore(dir string, r io.Reader, force bool, o Options) (movedTo string, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return "", err
	case len(entries) > 0 && !force:
		return "", fmt.Errorf("%s: %w (use --force to set the old data aside)", dir, ErrNotEmpty)
	case len(entries) > 0:
		movedTo = fmt.Sprintf("%s.before-restore-%d", dir, os.Getpid())
		for i := 1; exists(movedTo); i++ {
			movedTo = fmt.Sprintf("%s.before-restore-%d-%d", dir, os.Getpid(), i)
		}
		if err := os.Rename(dir, movedTo); err != nil {
			return "", fmt.Errorf("set the old data aside: %w", err)
		}
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return movedTo, fmt.Errorf("restore: not a cabinetbot backup: %w", err)
	}
	s, err := Open(dir, o)
	if err != nil {
		return movedTo, err
	}
	if err := s.db.Load(zr, 256); err != nil {
		s.Close()
		return movedTo, fmt.Errorf("restore: load: %w", err)
	}
	return movedTo, s.Close()
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
