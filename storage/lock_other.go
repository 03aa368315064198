//go:build !unix

package storage

// lockDir does not lock on this system; Badger's own lock still holds.
func lockDir(string) (func(), error) { return func() {}, nil }
