package storage

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swapDirs puts the directory from in the place of to, atomically (one
// renameat2 RENAME_EXCHANGE: there is no moment without a directory at to),
// then moves what was at to aside, and returns where it is (from, if that
// last rename failed). Where the file system cannot exchange, it falls back
// on two renames, undoing the first when the second fails.
func swapDirs(from, to, aside string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		if os.Rename(from, aside) != nil {
			return from, nil // from now holds the old data
		}
		return aside, nil
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		return aside, swapByRenames(from, to, aside)
	default:
		return "", err
	}
}

// renameOver renames the directory from to to, replacing to when it is an
// empty directory (os.Rename refuses any existing directory).
func renameOver(from, to string) error {
	if err := unix.Rename(from, to); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
