package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// The file store keeps files (briefing notes, attachments) content-addressed
// under the data directory: DIR/files/<first two hex digits of the SHA-256>/
// <the other 62>. A file is written first (PutFile: a temporary file, synced,
// renamed into place), then referenced from Badger by a key written in the
// same transaction as the record that uses it (Txn.UseFile). A file written
// but never referenced (its transaction failed) is left alone and never
// backed up; a referenced file is never removed. Backups carry every
// referenced file, checked by its hash, and restores bring them back byte
// for byte (backup.go).

// DefaultMaxFileSize is the largest file the store takes unless
// Options.MaxFileSize says otherwise (a smaller limit).
const DefaultMaxFileSize = MaxFileLimit

// MaxFileLimit is the largest limit the store may be given: the largest
// file a chat platform hands the bot (Telegram's Bot API: 20 MB), which is
// what the adapters fetch.
const MaxFileLimit = 20 << 20

// ErrFileTooLarge is returned by PutFile for a file over the size limit.
var ErrFileTooLarge = errors.New("the file is larger than allowed")

// ErrBadFile is returned for a stored file whose content no longer matches
// its hash, or a hash that is not one.
var ErrBadFile = errors.New("the stored file is damaged or unknown")

// pFile is the prefix of file references: fl/<sha256>/<owner> → FileRef.
const pFile = "fl/"

// filesDirName is the file store's directory under the data directory.
const filesDirName = "files"

// FileRef names a stored file: its content's SHA-256 (hex) and size, and the
// name and media type it came with.
type FileRef struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
}

// memFiles keeps the files of an in-memory store (tests).
type memFiles struct {
	mu sync.Mutex
	m  map[string][]byte
}

// FilesDir is the file store's directory under the data directory dir.
func FilesDir(dir string) string { return filepath.Join(dir, filesDirName) }

// MaxFileSize is the largest file PutFile takes.
func (s *Store) MaxFileSize() int64 { return s.maxFile }

func validSHA(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	_, err := hex.DecodeString(sum)
	return err == nil && strings.ToLower(sum) == sum
}

// blobPath is where the file with the hash sum lives under the data dir.
func blobPath(dir, sum string) string {
	return filepath.Join(FilesDir(dir), sum[:2], sum[2:])
}

// PutFile stores the content read from r (at most MaxFileSize bytes, else
// ErrFileTooLarge) and returns its reference. The same content stored twice
// is one file. The file is durable when PutFile returns; it becomes part of
// the data (and of backups) once a transaction references it (Txn.UseFile).
func (s *Store) PutFile(r io.Reader, name, typ string) (FileRef, error) {
	if err := s.checkSpace(); err != nil {
		return FileRef{}, err
	}
	if s.mem != nil {
		b, err := io.ReadAll(io.LimitReader(r, s.maxFile+1))
		if err != nil {
			return FileRef{}, fmt.Errorf("store file: %w", err)
		}
		if int64(len(b)) > s.maxFile {
			return FileRef{}, fmt.Errorf("store file %q: %w (%d bytes at most)", name, ErrFileTooLarge, s.maxFile)
		}
		sum := sha256.Sum256(b)
		ref := FileRef{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Name: name, Type: typ}
		s.mem.mu.Lock()
		s.mem.m[ref.SHA256] = b
		s.mem.mu.Unlock()
		return ref, nil
	}
	ref, err := putBlob(s.dir, r, s.maxFile, !s.noSync)
	if err != nil {
		return FileRef{}, fmt.Errorf("store file %q: %w", name, err)
	}
	ref.Name, ref.Type = name, typ
	return ref, nil
}

// putBlob writes r into the file store of dir: a temporary file, hashed as it
// is written, synced, then renamed to its hash's name.
func putBlob(dir string, r io.Reader, limit int64, sync bool) (FileRef, error) {
	root := FilesDir(dir)
	if err := os.MkdirAll(root, 0o750); err != nil {
		return FileRef{}, err
	}
	tmp, err := os.CreateTemp(root, ".put-*")
	if err != nil {
		return FileRef{}, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%w (%d bytes at most)", ErrFileTooLarge, limit)
	}
	if err == nil && sync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FileRef{}, err
	}
	ref := FileRef{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	dst := blobPath(dir, ref.SHA256)
	if sameContent(dst, ref.SHA256) {
		return ref, nil // the same content is there already
	}
	// Not there, or damaged: the new copy takes its place.
	sub := filepath.Dir(dst)
	if err := os.MkdirAll(sub, 0o750); err != nil {
		return FileRef{}, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return FileRef{}, err
	}
	if sync {
		if err := syncDir(sub); err != nil {
			return FileRef{}, err
		}
		if err := syncDir(root); err != nil {
			return FileRef{}, err
		}
	}
	return ref, nil
}

// UseFile records, in this transaction, that owner (a record's key, such as
// "ag/12/nota/1") uses the stored file ref. The file must have been stored
// (PutFile) before.
func (t *Txn) UseFile(ref FileRef, owner string) error {
	if !validSHA(ref.SHA256) || owner == "" {
		return fmt.Errorf("use file %q for %q: %w", ref.SHA256, owner, ErrBadFile)
	}
	if !t.store.hasBlob(ref.SHA256) {
		return fmt.Errorf("use file %s for %s: it was not stored: %w", ref.SHA256, owner, ErrNotFound)
	}
	return t.setJSON(key(pFile, ref.SHA256, "/", owner), ref)
}

func (s *Store) hasBlob(sum string) bool {
	if s.mem != nil {
		s.mem.mu.Lock()
		defer s.mem.mu.Unlock()
		_, ok := s.mem.m[sum]
		return ok
	}
	_, err := os.Stat(blobPath(s.dir, sum))
	return err == nil
}

// openBlob opens the stored file with the hash sum.
func (s *Store) openBlob(sum string) (io.ReadCloser, error) {
	if !validSHA(sum) {
		return nil, fmt.Errorf("%q: %w", sum, ErrBadFile)
	}
	if s.mem != nil {
		s.mem.mu.Lock()
		b, ok := s.mem.m[sum]
		s.mem.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("file %s: %w", sum, ErrNotFound)
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	f, err := os.Open(blobPath(s.dir, sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("file %s: %w", sum, ErrNotFound)
	}
	return f, err
}

// ReadFile returns the content of a stored file, checked against its hash.
func (s *Store) ReadFile(sum string) ([]byte, error) {
	f, err := s.openBlob(sum)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read file %s: %w", sum, err)
	}
	if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("file %s: %w", sum, ErrBadFile)
	}
	return b, nil
}

// FileUsers returns the owners that use the stored file sum.
func (s *Store) FileUsers(sum string) ([]string, error) {
	var out []string
	p := key(pFile, sum, "/")
	err := s.view(func(txn *badger.Txn) error {
		scanKeys(txn, p, func(k []byte) bool {
			out = append(out, string(k[len(p):]))
			return true
		})
		return nil
	})
	return out, err
}

// fileOfKey returns the hash of a file reference key ("" for another key).
func fileOfKey(k []byte) string {
	if !bytes.HasPrefix(k, []byte(pFile)) || len(k) < len(pFile)+64 {
		return ""
	}
	return string(k[len(pFile) : len(pFile)+64])
}

// sameContent reports whether the file at path holds the content whose
// SHA-256 is sum.
func sameContent(path, sum string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return hex.EncodeToString(h.Sum(nil)) == sum
}
