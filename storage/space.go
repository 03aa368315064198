package storage

import (
	"errors"
	"fmt"
)

// ErrNoSpace is returned for a change refused because the disk holding the
// data directory is nearly full: Badger maps its files in memory, and a write
// to a full disk kills the process (SIGBUS) instead of failing.
var ErrNoSpace = errors.New("not enough free disk space")

// SpaceError is the ErrNoSpace of one refused change.
type SpaceError struct {
	Free, Min uint64
	// First is set on the first refusal since there was enough space: the
	// one to tell the admins about.
	First bool
}

func (e *SpaceError) Error() string {
	return fmt.Sprintf("%v: %d MB free, at least %d MB needed", ErrNoSpace, e.Free>>20, e.Min>>20)
}

// Is makes errors.Is(err, ErrNoSpace) true.
func (e *SpaceError) Is(target error) bool { return target == ErrNoSpace }

// checkSpace refuses a change when the free space is under the threshold. A
// failing measure lets the write through: it is logged, not guessed.
func (s *Store) checkSpace() error {
	if s.minFree == 0 {
		return nil
	}
	free, err := s.freeSpace(s.dir)
	if err != nil {
		s.log.Warn("cannot measure the free disk space", "dir", s.dir, "err", err)
		return nil
	}
	if free >= s.minFree {
		if s.lowSpace.CompareAndSwap(true, false) {
			s.log.Info("enough free disk space again: changes are accepted", "free_mb", free>>20)
		}
		return nil
	}
	first := s.lowSpace.CompareAndSwap(false, true)
	if first {
		s.log.Error("disk nearly full: changes are refused", "dir", s.dir, "free_mb", free>>20, "min_mb", s.minFree>>20)
	}
	return &SpaceError{Free: free, Min: s.minFree, First: first}
}

// FreeSpace measures the free space on the data directory's disk and says
// whether it is under the threshold (changes refused). A store in memory,
// or without a threshold, reports min 0.
func (s *Store) FreeSpace() (free, min uint64, err error) {
	if s.minFree == 0 {
		return 0, 0, nil
	}
	free, err = s.freeSpace(s.dir)
	return free, s.minFree, err
}
