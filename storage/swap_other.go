//go:build !linux

package storage

import "os"

// swapDirs puts the directory from in the place of to and moves what was
// at to aside, with two renames (the first undone when the second fails).
func swapDirs(from, to, aside string) (string, error) { return aside, swapByRenames(from, to, aside) }

// renameOver renames the directory from to to, replacing to when it is an
// empty directory.
func renameOver(from, to string) error {
	_ = os.Remove(to) // only an empty directory goes
	return os.Rename(from, to)
}
