//go:build unix

package storage

import "syscall"

// diskFree is the space available to this user on the file system of dir.
func diskFree(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil // the field types differ between systems
}
