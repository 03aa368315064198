package storage

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/proto"
)

// A backup file (format 2) is a header of backupHeaderSize bytes — the line
// "CABINETBOT BACKUP", then a JSON BackupInfo padded with spaces, ending in a
// newline — followed by the body: a gzip of Badger's backup stream (frames of
// an 8-byte little-endian length and a protobuf KVList), one version of each
// live key. The header's SHA-256 and size cover the body; its counts say what
// the body holds, so a restore checks the whole file before it changes
// anything, and checks the restored database against them.
//
// Format 3 adds the stored files (files.go) after the first gzip member: a
// second gzip member holding a tar of every file the records use, each named
// by its SHA-256 and checked against it, in hash order. The header's counts
// say how many (Counts.Files) and FileBytes their total size. Format 2 is
// format 3 without the files.
//
// Format 1 (before the header) is a bare gzip of Badger's own backup stream;
// it is still restored, checked by gzip's CRC and by reading every record.
const (
	backupMagic      = "CABINETBOT BACKUP\n"
	backupFormat     = 3
	backupHeaderSize = 4096
	// maxFrame bounds one record of the stream: a bigger length means the
	// file is not a backup (Badger's Load would try to allocate it).
	maxFrame = 1 << 30
)

// ErrNotBackup is returned for a file that is not a cabinetbot backup.
var ErrNotBackup = errors.New("not a cabinetbot backup")

// ErrBadBackup is returned for a backup that is damaged or incomplete.
var ErrBadBackup = errors.New("the backup is damaged or incomplete")

// BackupInfo is the header of a backup file.
type BackupInfo struct {
	Format      int       `json:"format"`
	Created     time.Time `json:"created"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Counts      Counts    `json:"counts"`
	BodySize    int64     `json:"body_size"`
	// FileBytes is the total size of the stored files the backup carries.
	FileBytes int64  `json:"file_bytes,omitempty"`
	SHA256    string `json:"sha256"`
	// Legacy marks a backup of format 1 (no header): its counts were read
	// from its records.
	Legacy bool `json:"-"`
}

// Counts are what a database or a backup holds: its keys without a time
// limit (what expires is left out), some by kind, and each year's last
// registration number.
type Counts struct {
	Keys        int `json:"keys"`
	Items       int `json:"items"`
	Entries     int `json:"entries"`
	Departments int `json:"departments"`
	Agenda      int `json:"agenda"`
	People      int `json:"people"`
	Audit       int `json:"audit"`
	// Files are the stored files the records use (files.go), each once.
	Files   int               `json:"files,omitempty"`
	Numbers map[string]uint64 `json:"numbers"`
}

// counter adds up Counts over keys in key order, newest version first.
type counter struct {
	c       Counts
	fp      string
	lastKey []byte
	// files are the hashes of the stored files the records use, in order.
	files []string
}

func newCounter() *counter { return &counter{c: Counts{Numbers: map[string]uint64{}}} }

// bitDelete is Badger's meta bit of a deletion marker (in format 1 streams).
const bitDelete = 1

func (n *counter) add(k, v []byte, expiresAt uint64, deleted bool) {
	if n.lastKey != nil && bytes.Equal(k, n.lastKey) {
		return // an older version
	}
	n.lastKey = append(n.lastKey[:0], k...)
	if deleted || expiresAt != 0 {
		return
	}
	c := &n.c
	c.Keys++
	ks := string(k)
	switch {
	case strings.HasPrefix(ks, pItem):
		c.Items++
	case strings.HasPrefix(ks, pEntry):
		c.Entries++
	case strings.HasPrefix(ks, pDept):
		c.Departments++
	case strings.HasPrefix(ks, pAgenda):
		c.Agenda++
	case strings.HasPrefix(ks, pPerson):
		c.People++
	case strings.HasPrefix(ks, pAudit):
		c.Audit++
	case strings.HasPrefix(ks, pCounter) && len(v) == 8:
		c.Numbers[ks[len(pCounter):]] = binary.BigEndian.Uint64(v)
	case ks == kFingerprint:
		n.fp = string(v)
	}
	if sum := fileOfKey(k); sum != "" && (len(n.files) == 0 || n.files[len(n.files)-1] != sum) {
		n.files = append(n.files, sum)
		c.Files++
	}
}

// differ says how two counts differ ("" when they are the same).
func (c Counts) differ(o Counts) string {
	var out []string
	for _, f := range []struct {
		name string
		a, b int
	}{{"keys", c.Keys, o.Keys}, {"registrations", c.Items, o.Items}, {"directory entries", c.Entries, o.Entries},
		{"departments", c.Departments, o.Departments}, {"agenda events", c.Agenda, o.Agenda},
		{"people", c.People, o.People}, {"audit entries", c.Audit, o.Audit}, {"stored files", c.Files, o.Files}} {
		if f.a != f.b {
			out = append(out, fmt.Sprintf("%s %d, expected %d", f.name, f.b, f.a))
		}
	}
	if !maps.Equal(c.Numbers, o.Numbers) {
		out = append(out, fmt.Sprintf("last numbers %s, expected %s", lastNumbers(o.Numbers), lastNumbers(c.Numbers)))
	}
	return strings.Join(out, "; ")
}

// WriteBackup writes a full backup of the database to path. The database's
// checksums are verified first: a damaged database gives no backup (the
// older ones stay good). The file is written under a temporary name, synced,
// read back whole, and only then renamed to path: a file with a backup's name
// is always a complete, checked backup. It runs while the bot serves, on one
// consistent snapshot.
func (s *Store) WriteBackup(path string) (BackupInfo, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return BackupInfo{}, ErrClosed
	}
	if err := verifyChecksum(s.db); err != nil {
		return BackupInfo{}, damage(s.dir, err, "its checksums do not verify (%v)", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	info, err := s.writeBackup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	if _, err := VerifyBackupFile(tmp.Name()); err != nil {
		return info, fmt.Errorf("backup: the file written does not read back: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	return info, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeBackup writes the header's room, the body, then the header.
func (s *Store) writeBackup(f *os.File) (BackupInfo, error) {
	info := BackupInfo{Format: backupFormat, Created: time.Now().UTC()}
	if _, err := f.Write(bytes.Repeat([]byte{' '}, backupHeaderSize)); err != nil {
		return info, err
	}
	h := sha256.New()
	body := &countingWriter{w: io.MultiWriter(f, h)}
	zw, err := gzip.NewWriterLevel(body, gzip.BestSpeed)
	if err != nil {
		return info, err
	}
	n, err := s.stream(zw)
	if err != nil {
		return info, err
	}
	if err := zw.Close(); err != nil {
		return info, fmt.Errorf("compress: %w", err)
	}
	if info.FileBytes, err = s.writeFiles(body, n.files); err != nil {
		return info, err
	}
	info.Counts, info.Fingerprint = n.c, n.fp
	info.BodySize, info.SHA256 = body.n, hex.EncodeToString(h.Sum(nil))
	hdr, err := encodeHeader(info)
	if err != nil {
		return info, err
	}
	_, err = f.WriteAt(hdr, 0)
	return info, err
}

func encodeHeader(info BackupInfo) ([]byte, error) {
	j, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	hdr := append([]byte(backupMagic), j...)
	if len(hdr) > backupHeaderSize-1 {
		return nil, fmt.Errorf("backup header too long (%d bytes)", len(hdr))
	}
	hdr = append(hdr, bytes.Repeat([]byte{' '}, backupHeaderSize-1-len(hdr))...)
	return append(hdr, '\n'), nil
}

// stream writes every live key, its newest version, in Badger's backup
// format (what DB.Load reads), counting as it goes. One producer: one read
// transaction, one consistent snapshot (Badger's own Backup reads with
// several, each at its own time).
func (s *Store) stream(w io.Writer) (*counter, error) {
	st := s.db.NewStream()
	st.NumGo = 1
	st.LogPrefix = "cabinetbot backup"
	var mu sync.Mutex
	var readErr error
	st.KeyToList = func(key []byte, itr *badger.Iterator) (*pb.KVList, error) {
		item := itr.Item()
		if item.IsDeletedOrExpired() {
			return nil, nil
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			// The stream only logs a key it cannot read and goes on: a
			// backup must not.
			mu.Lock()
			readErr = errors.Join(readErr, fmt.Errorf("read %q: %w", key, err))
			mu.Unlock()
			return nil, err
		}
		kv := &pb.KV{Key: bytes.Clone(key), Value: v, UserMeta: []byte{item.UserMeta()},
			Version: item.Version(), ExpiresAt: item.ExpiresAt()}
		return &pb.KVList{Kv: []*pb.KV{kv}}, nil
	}
	n := newCounter()
	st.Send = func(buf *z.Buffer) error {
		list, err := badger.BufferToKVList(buf)
		if err != nil {
			return err
		}
		out := list.Kv[:0]
		for _, kv := range list.Kv {
			if kv.StreamDone {
				continue
			}
			n.add(kv.Key, kv.Value, kv.ExpiresAt, false)
			out = append(out, kv)
		}
		list.Kv = out
		return writeFrame(w, list)
	}
	if err := st.Orchestrate(context.Background()); err != nil {
		return nil, fmt.Errorf("read the database: %w", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if readErr != nil {
		return nil, fmt.Errorf("read the database: %w", readErr)
	}
	return n, nil
}

func writeFrame(w io.Writer, list *pb.KVList) error {
	b, err := proto.Marshal(list)
	if err != nil {
		return err
	}
	if _, err := w.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(b)))); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// VerifyBackupFile checks a whole backup file (VerifyBackup).
func VerifyBackupFile(path string) (BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	return VerifyBackup(f)
}

// VerifyBackup reads a whole backup and checks it: the header, the body's
// size and SHA-256, every record, and the counts of the records against the
// header's. It returns the header (for a format 1 backup, counts read from
// its records). ErrNotBackup: not a backup; ErrBadBackup: damaged or cut.
func VerifyBackup(r io.ReadSeeker) (BackupInfo, error) {
	info, err := readHeader(r)
	if err != nil {
		return info, err
	}
	if !info.Legacy {
		h := sha256.New()
		n, err := io.Copy(h, r)
		if err != nil {
			return info, fmt.Errorf("read the backup: %w", err)
		}
		switch {
		case n < info.BodySize:
			return info, fmt.Errorf("%w: %d of its %d bytes are there (cut short)", ErrBadBackup, n, info.BodySize)
		case n > info.BodySize:
			return info, fmt.Errorf("%w: %d bytes where the header says %d", ErrBadBackup, n, info.BodySize)
		case hex.EncodeToString(h.Sum(nil)) != info.SHA256:
			return info, fmt.Errorf("%w: its checksum (SHA-256) does not match", ErrBadBackup)
		}
	}
	zr, br, err := openBody(r, info)
	if err != nil {
		return info, err
	}
	n, err := readStream(zr, nil)
	if err != nil {
		return info, err
	}
	if info.Format >= 3 {
		got, err := readFiles(zr, br, n.files, nil)
		if err != nil {
			return info, err
		}
		if got != info.FileBytes {
			return info, fmt.Errorf("%w: its files hold %d bytes where the header says %d", ErrBadBackup, got, info.FileBytes)
		}
	}
	if info.Legacy {
		info.Counts, info.Fingerprint = n.c, n.fp
	} else if d := info.Counts.differ(n.c); d != "" {
		return info, fmt.Errorf("%w: its records do not match its header (%s)", ErrBadBackup, d)
	}
	return info, nil
}

// readHeader reads a backup's header and leaves r at the start of its body.
func readHeader(r io.ReadSeeker) (BackupInfo, error) {
	var info BackupInfo
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return info, err
	}
	hdr := make([]byte, backupHeaderSize)
	n, err := io.ReadFull(r, hdr)
	hdr = hdr[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return info, fmt.Errorf("read the backup: %w", err)
	}
	switch {
	case len(hdr) >= 2 && hdr[0] == 0x1f && hdr[1] == 0x8b: // gzip: format 1
		info.Format, info.Legacy = 1, true
		_, err := r.Seek(0, io.SeekStart)
		return info, err
	case !bytes.HasPrefix(hdr, []byte(backupMagic)):
		return info, ErrNotBackup
	case len(hdr) < backupHeaderSize:
		return info, fmt.Errorf("%w: the header is cut short", ErrBadBackup)
	}
	if err := json.Unmarshal(bytes.TrimSpace(hdr[len(backupMagic):]), &info); err != nil {
		return info, fmt.Errorf("%w: the header does not read (%v)", ErrBadBackup, err)
	}
	if info.Format > backupFormat {
		return info, fmt.Errorf("the backup is in format %d, written by a newer cabinetbot (this one reads up to %d)", info.Format, backupFormat)
	}
	return info, nil
}

// openBody positions r at the body and decompresses its first member (the
// records); br is what the files' member (format 3) is read from after it.
func openBody(r io.ReadSeeker, info BackupInfo) (zr *gzip.Reader, br *bufio.Reader, err error) {
	off := int64(backupHeaderSize)
	if info.Legacy {
		off = 0
	}
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return nil, nil, err
	}
	br = bufio.NewReader(r)
	zr, err = gzip.NewReader(br)
	if err != nil {
		if info.Legacy {
			return nil, nil, fmt.Errorf("%w (%v)", ErrNotBackup, err)
		}
		return nil, nil, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	zr.Multistream(false)
	return zr, br, nil
}

// writeFiles writes the stored files sums (in hash order) as the body's
// second gzip member, a tar, each checked against its hash as it is read;
// it returns their total size.
func (s *Store) writeFiles(w io.Writer, sums []string) (int64, error) {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return 0, err
	}
	tw := tar.NewWriter(zw)
	var total int64
	for _, sum := range sums {
		b, err := s.ReadFile(sum)
		if err != nil {
			return 0, fmt.Errorf("the stored file %s, which the records use: %w", sum, err)
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: sum, Size: int64(len(b)), Mode: 0o640, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return 0, fmt.Errorf("write the files: %w", err)
		}
		if _, err := tw.Write(b); err != nil {
			return 0, fmt.Errorf("write the files: %w", err)
		}
		total += int64(len(b))
	}
	if err := tw.Close(); err != nil {
		return 0, fmt.Errorf("write the files: %w", err)
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("compress the files: %w", err)
	}
	return total, nil
}

// readFiles reads the files' member of a format 3 body after the records'
// member zr has been read to its end. Each file must match its name (its
// SHA-256); want, when not nil, are the hashes the records use, all of which
// must be there and nothing else. fn, when not nil, gets each file. It
// returns their total size.
func readFiles(zr *gzip.Reader, br *bufio.Reader, want []string, fn func(sum string, b []byte) error) (int64, error) {
	if err := zr.Reset(br); err != nil {
		return 0, fmt.Errorf("%w: the stored files are missing (%v)", ErrBadBackup, err)
	}
	zr.Multistream(false)
	tr := tar.NewReader(zr)
	var total int64
	i := 0
	for ; ; i++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%w: stored file %d: %v", ErrBadBackup, i+1, err)
		}
		if !validSHA(hdr.Name) || hdr.Size < 0 || hdr.Size > maxFrame {
			return 0, fmt.Errorf("%w: stored file %d has a bad name or size (%q, %d)", ErrBadBackup, i+1, hdr.Name, hdr.Size)
		}
		if want != nil && (i >= len(want) || want[i] != hdr.Name) {
			return 0, fmt.Errorf("%w: the stored file %s is not one the records use, or out of order", ErrBadBackup, hdr.Name)
		}
		var buf bytes.Buffer
		if _, err := io.CopyN(&buf, tr, hdr.Size); err != nil {
			return 0, fmt.Errorf("%w: the stored file %s is cut short (%v)", ErrBadBackup, hdr.Name, err)
		}
		if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != hdr.Name {
			return 0, fmt.Errorf("%w: the stored file %s does not match its hash", ErrBadBackup, hdr.Name)
		}
		total += hdr.Size
		if fn != nil {
			if err := fn(hdr.Name, buf.Bytes()); err != nil {
				return 0, err
			}
		}
	}
	if want != nil && i != len(want) {
		return 0, fmt.Errorf("%w: %d of the %d stored files the records use are there", ErrBadBackup, i, len(want))
	}
	if _, err := io.Copy(io.Discard, zr); err != nil { // the member's checksum
		return 0, fmt.Errorf("%w: the stored files: %v", ErrBadBackup, err)
	}
	return total, nil
}

// readStream reads every record of a backup stream, counting, and hands each
// list to fn (nil: only check). Lengths are bounded and read as they come, so
// a file that is not a backup is refused, never allocated.
func readStream(r io.Reader, fn func(*pb.KVList) error) (*counter, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	n := newCounter()
	var buf bytes.Buffer
	for i := 0; ; i++ {
		var sz [8]byte
		if _, err := io.ReadFull(br, sz[:]); errors.Is(err, io.EOF) {
			return n, nil
		} else if err != nil {
			return nil, badStream(i, err)
		}
		size := binary.LittleEndian.Uint64(sz[:])
		if size > maxFrame {
			return nil, fmt.Errorf("%w: record %d claims %d bytes", ErrNotBackup, i+1, size)
		}
		buf.Reset()
		if _, err := io.CopyN(&buf, br, int64(size)); err != nil {
			return nil, badStream(i, err)
		}
		list := &pb.KVList{}
		if err := proto.Unmarshal(buf.Bytes(), list); err != nil {
			return nil, fmt.Errorf("%w: record %d does not read (%v)", ErrBadBackup, i+1, err)
		}
		for _, kv := range list.Kv {
			deleted := len(kv.Meta) > 0 && kv.Meta[0]&bitDelete != 0
			n.add(kv.Key, kv.Value, kv.ExpiresAt, deleted)
		}
		if fn != nil {
			if err := fn(list); err != nil {
				return nil, err
			}
		}
	}
}

func badStream(i int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: it ends in the middle of record %d (cut short)", ErrBadBackup, i+1)
	}
	return fmt.Errorf("%w: record %d: %v", ErrBadBackup, i+1, err)
}

// countDB counts what a database holds, as a backup's header does.
func countDB(db *badger.DB) (*counter, error) {
	n := newCounter()
	err := db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			var v []byte
			if k := item.Key(); bytes.HasPrefix(k, []byte(pCounter)) || string(k) == kFingerprint {
				var err error
				if v, err = item.ValueCopy(nil); err != nil {
					return err
				}
			}
			n.add(item.Key(), v, item.ExpiresAt(), false)
		}
		return nil
	})
	return n, err
}

// ErrNotEmpty is returned by Restore for a data directory that holds data.
var ErrNotEmpty = errors.New("the data directory is not empty")

// RestoreReport says what a restore did.
type RestoreReport struct {
	Info BackupInfo
	// MovedTo is where the data that was in the directory was set aside
	// ("" when there was none).
	MovedTo string
	// Skipped are, per year, the numbers handed out after the backup was
	// made (the integrity record knows them): they are lost with the data
	// and never given again; the restored register continues after them.
	Skipped map[string][2]uint64
}

// Restore loads a backup into the data directory dir. It takes the
// directory's lock first (a running bot holds it: refused), refuses a
// directory that holds data unless force is set, checks the whole file
// (VerifyBackup), loads it into a new directory beside dir, checks that one
// (it opens, its counts are the backup's), and only then swaps it in with a
// rename; the old data is kept beside, renamed. On any failure dir is left as
// it was, and the error says so.
//
// The registration counters of the restored data are raised to the
// integrity record's: numbers handed out after the backup was made are not
// given again (Skipped).
func Restore(dir string, r io.ReadSeeker, force bool, o Options) (*RestoreReport, error) {
	dir = filepath.Clean(dir)
	rep, err := restore(dir, r, force, o)
	if err != nil {
		where := fmt.Sprintf("the data in %s is as it was", dir)
		if entries, rerr := os.ReadDir(dir); rerr != nil || len(entries) == 0 {
			where = fmt.Sprintf("%s holds no data", dir)
		}
		return nil, fmt.Errorf("restore: %w — nothing was changed: %s", err, where)
	}
	return rep, nil
}

func restore(dir string, r io.ReadSeeker, force bool, o Options) (*RestoreReport, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	entries, err := os.ReadDir(dir)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	hasData := len(entries) > 0
	if hasData && !force {
		return nil, fmt.Errorf("%s: %w (use --force to set the old data aside)", dir, ErrNotEmpty)
	}
	if exists {
		unlock, err := lockDir(dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	info, err := VerifyBackup(r)
	if err != nil {
		return nil, err
	}
	stamp := time.Now().Format("20060102T150405")
	stage := dir + ".restoring-" + stamp
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return nil, err
	}
	if err := os.Mkdir(stage, 0o750); err != nil {
		return nil, err
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(stage)
		}
	}()
	rep := &RestoreReport{Info: info, Skipped: map[string][2]uint64{}}
	rec, err := loadInto(dir, stage, r, info, o, log, rep)
	if err != nil {
		return nil, err
	}
	unlockStage, err := lockDir(stage) // a bot started now waits for the swap
	if err != nil {
		return nil, err
	}
	defer unlockStage()
	if hasData {
		if rep.MovedTo, err = swapDirs(stage, dir, dir+".before-restore-"+stamp); err != nil {
			return nil, fmt.Errorf("swap in the restored data: %w", err)
		}
	} else if err := renameOver(stage, dir); err != nil {
		return nil, fmt.Errorf("move the restored data in place: %w", err)
	}
	swapped = true
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return rep, err
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err == nil {
		err = writeFileAtomic(RecordPath(dir), append(b, '\n'), !o.NoSync)
	}
	if err != nil {
		return rep, fmt.Errorf("the backup was restored into %s (the old data is in %s), but its integrity record could not be written: %w", dir, rep.MovedTo, err)
	}
	return rep, nil
}

// loadInto loads a checked backup into the empty directory stage, checks
// it, raises its counters to the integrity record of dir, and returns the
// record to write once it is in place.
func loadInto(dir, stage string, r io.ReadSeeker, info BackupInfo, o Options, log *slog.Logger, rep *RestoreReport) (integrityRecord, error) {
	var rec integrityRecord
	opts := badgerOptions(stage, Options{NoSync: o.NoSync}, log)
	db, err := openBadger(opts)
	if err != nil {
		return rec, err
	}
	zr, br, err := openBody(r, info)
	if err == nil {
		err = loadSafe(db, zr)
	}
	if err == nil && info.Format >= 3 {
		_, err = readFiles(zr, br, nil, func(sum string, b []byte) error {
			ref, err := putBlob(stage, bytes.NewReader(b), int64(len(b)), !o.NoSync)
			if err == nil && ref.SHA256 != sum {
				err = fmt.Errorf("the stored file %s was written as %s", sum, ref.SHA256)
			}
			return err
		})
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rec, fmt.Errorf("load: %w", err)
	}
	if err := verifyTables(stage, opts); err != nil {
		return rec, err
	}
	if db, err = openBadger(opts); err != nil {
		return rec, fmt.Errorf("the restored data does not open: %w", err)
	}
	defer db.Close()
	n, err := countDB(db)
	if err != nil {
		return rec, fmt.Errorf("read the restored data: %w", err)
	}
	if d := info.Counts.differ(n.c); d != "" {
		return rec, fmt.Errorf("the restored data does not match the backup (%s)", d)
	}
	for _, sum := range n.files {
		if _, err := os.Stat(blobPath(stage, sum)); err != nil {
			return rec, fmt.Errorf("the restored data uses the stored file %s, which is not there: %w", sum, err)
		}
	}
	old, _, err := readRecord(RecordPath(dir))
	if err != nil {
		log.Warn("the integrity record cannot be read: restoring without it", "err", err)
	}
	rec = integrityRecord{Format: 1, Fingerprint: n.fp, Numbers: maps.Clone(n.c.Numbers), Updated: time.Now().UTC()}
	err = db.Update(func(txn *badger.Txn) error {
		t := &Txn{txn: txn}
		if rec.Fingerprint == "" {
			rec.Fingerprint = newFingerprint()
			if err := t.set([]byte(kFingerprint), []byte(rec.Fingerprint)); err != nil {
				return err
			}
		}
		for _, y := range slices.Sorted(maps.Keys(old.Numbers)) {
			have, had := rec.Numbers[y], old.Numbers[y]
			if have >= had {
				continue
			}
			year, err := strconv.Atoi(y)
			if err != nil {
				continue
			}
			rep.Skipped[y] = [2]uint64{have + 1, had}
			rec.Numbers[y] = had
			if err := t.set(counterKey(year), binary.BigEndian.AppendUint64(nil, had)); err != nil {
				return err
			}
			note := fmt.Sprintf("numerele %d–%d/%s au fost date după copia de siguranță restaurată; se pierd cu datele de după ea și nu se mai dau / numbers %d–%d/%s were handed out after the restored backup; they are lost with the data after it and never given again",
				have+1, had, y, have+1, had, y)
			if err := t.audit(Meta{Who: "restore", At: time.Now()}, KindSetting, "numbers/"+y, "restore", have, had, note); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rec, fmt.Errorf("raise the counters: %w", err)
	}
	return rec, nil
}

// verifyChecksum is DB.VerifyChecksum with its panic turned into an error:
// Badger v4.9.6 reports a block that fails its checksum through the nil block
// it got (table.go: b.offset), a nil pointer dereference.
func verifyChecksum(db *badger.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("a table fails its checksum (Badger panicked: %v)", r)
		}
	}()
	return db.VerifyChecksum()
}

// loadSafe is DB.Load with a panic turned into an error.
func loadSafe(db *badger.DB, r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("load panicked in Badger: %v", p)
		}
	}()
	return db.Load(r, 256)
}
