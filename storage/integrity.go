package storage

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// The integrity record is a small JSON file kept beside the data directory
// (DIR.integrity.json), outside Badger: the database's fingerprint and the
// last registration number handed out in each year. It is rewritten
// atomically (temporary file, fsync, rename, fsync of the directory) after
// every commit that hands out numbers, before the numbers are answered. At
// start, a database whose counters are behind it, or that is not the one it
// names, is refused: Badger can cut a damaged log silently, and a register
// must never give a number twice.

// kFingerprint is the database's identity, a random value written when the
// database is created and kept in the integrity record.
const kFingerprint = "q/id"

// DamageError says why a data directory cannot be trusted: the bot refuses to
// start on it (or a restore refuses to use it).
type DamageError struct {
	Dir    string
	Reason string
	Err    error
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("the data in %s is damaged or incomplete: %s", e.Dir, e.Reason)
}

func (e *DamageError) Unwrap() error { return e.Err }

func damage(dir string, err error, format string, a ...any) *DamageError {
	return &DamageError{Dir: dir, Reason: fmt.Sprintf(format, a...), Err: err}
}

// integrityRecord is the content of DIR.integrity.json.
type integrityRecord struct {
	Format      int               `json:"format"`
	Fingerprint string            `json:"fingerprint"`
	Numbers     map[string]uint64 `json:"numbers"` // year → last number handed out
	Updated     time.Time         `json:"updated"`
}

// RecordPath is where the integrity record of the data directory dir is kept.
func RecordPath(dir string) string { return filepath.Clean(dir) + ".integrity.json" }

// readRecord reads the integrity record at path; ok is false when there is
// none.
func readRecord(path string) (rec integrityRecord, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, err
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, false, fmt.Errorf("%s: %w", path, err)
	}
	if rec.Fingerprint == "" {
		return rec, false, fmt.Errorf("%s: no fingerprint", path)
	}
	return rec, true, nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, synced, renamed over path, and the directory synced (sync false
// skips the syncs: tests only).
func writeFileAtomic(path string, data []byte, sync bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if sync {
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if sync {
		return syncDir(dir)
	}
	return nil
}

// syncDir makes the entries of a directory (a rename) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

func (s *Store) writeRecord(rec integrityRecord) error {
	rec.Format, rec.Updated = 1, time.Now().UTC()
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.recPath, append(b, '\n'), !s.noSync); err != nil {
		return fmt.Errorf("write the integrity record %s: %w", s.recPath, err)
	}
	s.rec = rec
	return nil
}

// recordJob is a commit that handed out numbers: its writers are answered
// once the integrity record has them.
type recordJob struct {
	nums    map[int]uint64
	waiters []*write
}

// recordLoop writes the integrity record for the commits that handed out
// numbers and then answers their writers, so that every answered number is
// in the record. It runs beside the committer: while it syncs the record, the
// next batch commits; the commits that queued meanwhile share the next write
// (group commit, again).
func (s *Store) recordLoop() {
	defer s.stopped.Done()
	for job := range s.recordQ {
		jobs := []recordJob{job}
	drain:
		for {
			select {
			case j, ok := <-s.recordQ:
				if !ok {
					break drain
				}
				jobs = append(jobs, j)
			default:
				break drain
			}
		}
		nums := map[int]uint64{}
		for _, j := range jobs {
			for y, n := range j.nums {
				nums[y] = max(nums[y], n)
			}
		}
		s.noteNumbers(nums)
		for _, j := range jobs {
			for _, w := range j.waiters {
				w.done <- nil
			}
		}
	}
}

// noteNumbers raises the record to the numbers commits handed out (one
// write for all of them).
func (s *Store) noteNumbers(nums map[int]uint64) {
	if s.recPath == "" || len(nums) == 0 {
		return
	}
	s.recMu.Lock()
	defer s.recMu.Unlock()
	next := s.rec
	next.Numbers = maps.Clone(s.rec.Numbers)
	if next.Numbers == nil {
		next.Numbers = map[string]uint64{}
	}
	raised := false
	for y, n := range nums {
		if k := strconv.Itoa(y); n > next.Numbers[k] {
			next.Numbers[k], raised = n, true
		}
	}
	if !raised {
		return
	}
	if err := s.writeRecord(next); err != nil {
		// The numbers are durable in Badger; only the guard against losing
		// them later is behind. Say it loudly.
		s.log.Error("the integrity record could not be updated", "err", err)
	}
}

// preflight looks at the files of a data directory before Badger opens it:
// without its MANIFEST, Badger opens an empty database and deletes the tables.
func preflight(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read data dir: %w", err)
	}
	tables, manifest := 0, false
	for _, e := range entries {
		switch {
		case e.Name() == "MANIFEST":
			manifest = true
		case strings.HasSuffix(e.Name(), ".sst"):
			tables++
		}
	}
	if tables > 0 && !manifest {
		return damage(dir, nil, "%d table files (.sst) are there but Badger's MANIFEST is missing; opening it would delete them", tables)
	}
	return nil
}

// ErrLocked is returned for a data directory another process holds: the bot
// runs on it.
var ErrLocked = errors.New("the data directory is in use by another process (Cannot acquire directory lock): the bot is running on it")

// verifyTables reads every table the MANIFEST lists and checks its checksums,
// before Badger opens them: Badger, asked to verify tables at open, skips a
// table that fails (its data silently gone) and panics, in a goroutine of its
// own that nothing can recover, on a table whose index is damaged.
func verifyTables(dir string, opts badger.Options) error {
	f, err := os.Open(filepath.Join(dir, "MANIFEST"))
	if errors.Is(err, os.ErrNotExist) {
		return nil // a new directory (preflight refused tables without it)
	}
	if err != nil {
		return fmt.Errorf("read the MANIFEST: %w", err)
	}
	m, _, err := badger.ReplayManifestFile(f, opts.ExternalMagicVersion, opts)
	f.Close()
	if err != nil {
		return damage(dir, err, "Badger's MANIFEST cannot be read (%v)", err)
	}
	for _, id := range slices.Sorted(maps.Keys(m.Tables)) {
		name := table.NewFilename(id, dir)
		if err := verifyTable(name, m.Tables[id], opts); err != nil {
			return damage(dir, err, "the table %s fails its check (%v)", filepath.Base(name), err)
		}
	}
	return nil
}

func verifyTable(name string, tm badger.TableManifest, o badger.Options) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading it panics: %s", strings.Join(strings.Fields(fmt.Sprint(r)), " "))
		}
	}()
	mf, err := z.OpenMmapFile(name, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	t, err := table.OpenTable(mf, table.Options{ChkMode: options.OnTableRead, BlockSize: o.BlockSize,
		BloomFalsePositive: o.BloomFalsePositive, Compression: tm.Compression, ZSTDCompressionLevel: o.ZSTDCompressionLevel})
	if err != nil {
		return err
	}
	return t.MmapFile.Close(-1) // not DecrRef: that deletes the file
}

// openBadger opens Badger, turning a panic (a truncated table) into an error.
func openBadger(opts badger.Options) (db *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, &openPanic{r}
		}
	}()
	return badger.Open(opts)
}

type openPanic struct{ v any }

func (p *openPanic) Error() string { return fmt.Sprintf("Badger panicked while opening: %v", p.v) }

// identity reads the database's fingerprint and registration counters, and
// whether it holds anything at all.
func identity(db *badger.DB) (fp string, nums map[string]uint64, empty bool, err error) {
	nums = map[string]uint64{}
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		it.Rewind()
		empty = !it.Valid()
		it.Close()
		if item, err := txn.Get([]byte(kFingerprint)); err == nil {
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			fp = string(v)
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		return scanValues(txn, []byte(pCounter), func(k, v []byte) (bool, error) {
			if len(v) == 8 {
				nums[string(k[len(pCounter):])] = binary.BigEndian.Uint64(v)
			}
			return true, nil
		})
	})
	return fp, nums, empty, err
}

func newFingerprint() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// checkIntegrity runs at Open, before anything is served: the database
// against its integrity record (nothing is written before it passes), then
// the imports a crash interrupted are undone. A database without a record (a
// new one, or one from before the record existed) gets one.
func (s *Store) checkIntegrity(dir string) error {
	fp, nums, empty, err := identity(s.db)
	if err != nil {
		return damage(dir, err, "reading it fails (%v)", err)
	}
	rec, ok, err := readRecord(s.recPath)
	if err != nil {
		return damage(dir, err, "its integrity record cannot be read (%v)", err)
	}
	if ok {
		switch {
		case fp == "" && empty && len(rec.Numbers) == 0:
			return damage(dir, nil, "the database is empty, but %s says a database was here before it (fingerprint %s)", s.recPath, rec.Fingerprint)
		case fp == "" && empty:
			return damage(dir, nil, "the database is empty, but %s says numbers up to %s were already handed out", s.recPath, lastNumbers(rec.Numbers))
		case fp != rec.Fingerprint:
			return damage(dir, nil, "the database is not the one %s belongs to (fingerprint %q, expected %q)", s.recPath, fp, rec.Fingerprint)
		}
		for _, y := range slices.Sorted(maps.Keys(rec.Numbers)) {
			if nums[y] < rec.Numbers[y] {
				return damage(dir, nil, "the register of %s stops at %d/%s, but %d/%s was already handed out (%s); numbers would be given twice",
					y, nums[y], y, rec.Numbers[y], y, s.recPath)
			}
		}
	} else if !empty {
		s.log.Warn("no integrity record: writing one", "record", s.recPath)
	}
	// Only now that the data is known good, anything is written.
	if err := s.recoverJournals(); err != nil {
		return fmt.Errorf("undo an interrupted import: %w", err)
	}
	// An import undone may have lowered the counters it had raised (it
	// raises the record only once final): the record follows the counters
	// as they are now, or the next start would refuse them.
	if _, nums, _, err = identity(s.db); err != nil {
		return damage(dir, err, "reading it fails (%v)", err)
	}
	if fp == "" {
		fp = newFingerprint()
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(kFingerprint), []byte(fp)) }); err != nil {
			return fmt.Errorf("write the database's fingerprint: %w", err)
		}
	}
	for y, n := range rec.Numbers {
		nums[y] = max(nums[y], n)
	}
	return s.writeRecord(integrityRecord{Fingerprint: fp, Numbers: nums})
}

// lastNumbers writes a record's numbers as N/YYYY, N/YYYY.
func lastNumbers(nums map[string]uint64) string {
	var out []string
	for _, y := range slices.Sorted(maps.Keys(nums)) {
		out = append(out, fmt.Sprintf("%d/%s", nums[y], y))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// checkFiles looks at a data directory before Badger opens it, holding its
// lock (a running bot's files are not ours to judge): table files without
// their MANIFEST, and every table's checksums.
func checkFiles(dir string, opts badger.Options) error {
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := preflight(dir); err != nil {
		return err
	}
	return verifyTables(dir, opts)
}

// swapByRenames is swapDirs with two renames.
func swapByRenames(from, to, aside string) error {
	if err := os.Rename(to, aside); err != nil {
		return err
	}
	if err := os.Rename(from, to); err != nil {
		if uerr := os.Rename(aside, to); uerr != nil {
			return fmt.Errorf("%w; and putting the old data back failed too (it is in %s): %v", err, aside, uerr)
		}
		return err
	}
	return nil
}
