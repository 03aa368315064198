// Package storage keeps everything the bot knows in one embedded Badger
// database. It owns every key and every transaction: the rest of the program
// calls its methods and never sees Badger.
//
// All writes go through one committer goroutine that groups the writes that
// arrive together into one transaction and one disk sync (group commit). With
// one writer at a time nothing ever conflicts, counters read and written in
// the same transaction stay gapless, and concurrent registrations share the
// cost of a durable commit.
package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("storage is closed")

// Options tune the database. The zero value is the production setting.
type Options struct {
	// InMemory keeps nothing on disk (tests and benchmarks only).
	InMemory bool
	// NoSync turns off the sync on commit (tests only: a register is durable).
	NoSync bool
	// Logger receives Badger's warnings and errors; nil discards them.
	Logger *slog.Logger
	// Words splits text into the folded words the search indexes keep
	// (diacritics and case removed). Nil: lowercase words split on anything
	// that is not a letter or a digit.
	Words func(string) []string
	// MinFree is the free disk space under which changes are refused
	// (ErrNoSpace); 0 means DefaultMinFree, a negative value turns the check
	// off.
	MinFree int64
	// FreeSpace tells the free bytes of the file system holding dir; nil
	// asks the operating system (tests inject a full disk here).
	FreeSpace func(dir string) (uint64, error)
	// BeforeUpgrade, when set, runs before data of an older format is
	// upgraded (FormatVersion), with the store open on the old data: main
	// writes a backup there. An error stops the start, nothing changed.
	BeforeUpgrade func(s *Store, from, to int) error
	// MaxFileSize is the largest file the file store takes (files.go); 0
	// means DefaultMaxFileSize.
	MaxFileSize int64
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *badger.DB
	writes  chan *write
	stop    chan struct{}
	stopped sync.WaitGroup
	closeMu sync.RWMutex
	closed  bool
	log     *slog.Logger
	words   func(string) []string
	// dirVersion counts changes of the directory and departments.
	dirVersion atomic.Uint64
	// queuedSig is signalled after a commit that put messages in the outbox.
	queuedSig chan struct{}

	dir       string
	noSync    bool
	minFree   uint64
	freeSpace func(string) (uint64, error)
	lowSpace  atomic.Bool // the last check found too little space

	// maxFile is the file store's size limit; mem holds the files of an
	// in-memory store (files.go).
	maxFile int64
	mem     *memFiles

	// recPath is the integrity record (integrity.go), "" in memory; rec is
	// its content, written at Open and then by recordLoop.
	recPath string
	recMu   sync.Mutex
	rec     integrityRecord
	recordQ chan recordJob // commits waiting for the record (recordLoop)
}

// maxBatch bounds how many writes share one transaction.
const maxBatch = 256

// Open opens (or creates) the database in dir. After a crash Badger can fail
// once on a half-written memtable file (upstream issue #2207): Open retries
// once before giving up. A directory that cannot be trusted — table files
// without their MANIFEST, a table that fails its checksum or makes Badger
// panic, registration counters behind the integrity record — is refused with
// a *DamageError, and nothing in it is changed.
func Open(dir string, o Options) (*Store, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := badgerOptions(dir, o, log)
	if !o.InMemory {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		if err := checkFiles(dir, opts); err != nil {
			return nil, err
		}
	}
	db, err := openBadger(opts)
	var panicked *openPanic
	if err != nil && !o.InMemory && !isLocked(err) && !errors.As(err, &panicked) {
		log.Warn("opening the database failed, retrying once", "dir", dir, "err", err)
		db, err = openBadger(opts)
	}
	switch {
	case err != nil && (o.InMemory || isLocked(err)):
		return nil, fmt.Errorf("open database in %s: %w", dir, err)
	case err != nil:
		return nil, damage(dir, err, "Badger cannot open it (%v)", err)
	}
	s := newStore(db, dir, o, log)
	if !o.InMemory {
		s.recPath = RecordPath(dir)
		if err := s.checkIntegrity(dir); err != nil {
			db.Close()
			return nil, err
		}
	}
	s.stopped.Add(2)
	go s.commitLoop()
	go s.recordLoop()
	if err := s.upgradeFormat(o.BeforeUpgrade); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.buildStats(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DefaultMinFree is the free disk space under which changes are refused.
const DefaultMinFree = 256 << 20

func newStore(db *badger.DB, dir string, o Options, log *slog.Logger) *Store {
	s := &Store{db: db, writes: make(chan *write, maxBatch), stop: make(chan struct{}), log: log, words: o.Words,
		recordQ: make(chan recordJob, maxBatch), queuedSig: make(chan struct{}, 1),
		dir: dir, noSync: o.NoSync, freeSpace: o.FreeSpace}
	if s.words == nil {
		s.words = plainWords
	}
	s.maxFile = o.MaxFileSize
	if s.maxFile <= 0 || s.maxFile > MaxFileLimit {
		s.maxFile = DefaultMaxFileSize
	}
	if o.InMemory {
		s.mem = &memFiles{m: map[string][]byte{}}
	}
	switch {
	case o.InMemory || o.MinFree < 0:
	case o.MinFree == 0:
		s.minFree = DefaultMinFree
	default:
		s.minFree = uint64(o.MinFree)
	}
	if s.freeSpace == nil {
		s.freeSpace = diskFree
	}
	return s
}

// isLocked reports the error of a directory another process holds: retrying
// cannot help.
func isLocked(err error) bool {
	return errors.Is(err, ErrLocked) || strings.Contains(err.Error(), "Cannot acquire directory lock")
}

// badgerOptions sizes Badger for a small service: a few MB of memtables and
// caches instead of the defaults meant for big servers, 64 MB value-log files,
// values kept in the LSM tree (records are small), and a sync on every commit.
func badgerOptions(dir string, o Options, log *slog.Logger) badger.Options {
	opts := badger.DefaultOptions(dir).
		WithSyncWrites(!o.NoSync).
		WithMemTableSize(16 << 20).
		WithNumMemtables(2).
		WithValueThreshold(64 << 10).
		WithBlockCacheSize(32 << 20).
		WithIndexCacheSize(16 << 20).
		WithValueLogFileSize(64 << 20).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithMetricsEnabled(false).
		WithDetectConflicts(false). // one committer: nothing can conflict
		// Blocks are verified as they are read; whole tables at Open by
		// verifyTables (Badger's own check at open skips a bad table).
		WithChecksumVerificationMode(options.OnBlockRead).
		WithLogger(badgerLogger{log})
	if o.InMemory {
		opts = opts.WithDir("").WithValueDir("").WithInMemory(true)
	}
	return opts
}

// Close stops accepting writes, finishes the ones under way and closes the
// database. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	s.closeMu.Unlock()
	s.stopped.Wait()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// write is one logical write waiting for the committer: fn, run in a group
// commit with others, or long, run alone in transactions of its own (an
// import, journal.go).
type write struct {
	fn   func(*Txn) error
	long func() error
	done chan error
}

// Txn is a read-write transaction handed to a write function. It is only
// valid inside that function.
type Txn struct {
	txn   *badger.Txn
	store *Store
	// queued is set when the transaction put a message in the outbox.
	queued bool
	// numbers are the registration numbers handed out, year → last.
	numbers map[int]uint64
	// undo, during an import, keeps what each key held before (journal.go).
	undo *undoLog
	// later, during an import's step, holds the statistics keys the step
	// rewrites item after item, written once at its end (flushLater): a
	// statistics block is shared by 32 items, and each write of a key counts
	// against Badger's limit of a transaction.
	later map[string][]byte
}

// update runs fn inside the next group commit and waits until it is durable.
// fn must do all its checks before its first write, and may be run more than
// once (when another write of its batch fails, the batch is run again without
// it); it sees the writes of the functions before it in the same batch.
// It is for changes: on a nearly full disk it refuses them (ErrNoSpace).
func (s *Store) update(ctx context.Context, fn func(*Txn) error) error {
	if err := s.checkSpace(); err != nil {
		return err
	}
	return s.enqueue(ctx, &write{fn: fn, done: make(chan error, 1)})
}

// updateState is update for the bot's own bookkeeping (events answered, send
// logs, offsets): small writes that go on while changes are refused for lack
// of disk space, so that nothing is delivered twice.
func (s *Store) updateState(ctx context.Context, fn func(*Txn) error) error {
	return s.enqueue(ctx, &write{fn: fn, done: make(chan error, 1)})
}

func (s *Store) enqueue(ctx context.Context, w *write) error {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	select {
	case s.writes <- w:
		s.closeMu.RUnlock()
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	// Once queued, a write is carried out even if ctx ends: the caller gets
	// the outcome, so that an answered registration always exists.
	return <-w.done
}

func (s *Store) commitLoop() {
	defer s.stopped.Done()
	defer close(s.recordQ)
	batch := make([]*write, 0, maxBatch)
	var held *write // a long write met while draining: it runs after the batch
	for {
		var w *write
		if held != nil {
			w, held = held, nil
		} else {
			select {
			case w = <-s.writes:
			case <-s.stop:
				// Writers that got in before Close are still served.
				for {
					select {
					case w := <-s.writes:
						s.commit([]*write{w})
					default:
						return
					}
				}
			}
		}
		if w.long != nil {
			w.done <- w.long()
			continue
		}
		batch = append(batch[:0], w)
		// Writers released by the previous commit are about to queue
		// again: let them run before draining, so they share this commit.
		runtime.Gosched()
	drain:
		for len(batch) < maxBatch {
			select {
			case w := <-s.writes:
				if w.long != nil {
					held = w
					break drain
				}
				batch = append(batch, w)
			default:
				break drain
			}
		}
		s.commit(batch)
	}
}

// commit runs a batch of writes in as few transactions as possible. A write
// that fails is answered with its error and the rest are run again without it,
// so one bad write never takes the others down with it.
func (s *Store) commit(batch []*write) {
	pending := batch
	for len(pending) > 0 {
		if pending[0].long != nil { // only at Close
			pending[0].done <- pending[0].long()
			pending = pending[1:]
			continue
		}
		txn := &Txn{txn: s.db.NewTransaction(true), store: s}
		n, failed, err := runBatch(txn, pending)
		if failed >= 0 {
			txn.txn.Discard()
			pending[failed].done <- err
			pending = append(pending[:failed:failed], pending[failed+1:]...)
			continue
		}
		err = txn.txn.Commit()
		if err == nil && txn.queued {
			select {
			case s.queuedSig <- struct{}{}:
			default:
			}
		}
		if err == nil && len(txn.numbers) > 0 && s.recPath != "" {
			// Answered once the integrity record has the numbers, by the
			// recorder, while this goroutine goes on with the next batch.
			s.recordQ <- recordJob{nums: txn.numbers, waiters: append([]*write(nil), pending[:n]...)}
		} else {
			for _, w := range pending[:n] {
				w.done <- err
			}
		}
		pending = pending[n:]
	}
}

// runBatch applies writes until one fails (failed is its index) or the
// transaction is full (n < len(batch)).
func runBatch(txn *Txn, batch []*write) (n, failed int, err error) {
	for i, w := range batch {
		err := safeRun(w.fn, txn)
		if errors.Is(err, badger.ErrTxnTooBig) && i > 0 {
			return i, -1, nil
		}
		if err != nil {
			return i, i, err
		}
	}
	return len(batch), -1, nil
}

// safeRun keeps a panicking write function from killing the committer.
func safeRun(fn func(*Txn) error, txn *Txn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("storage: write panicked: %v", r)
		}
	}()
	return fn(txn)
}

// view runs a read-only transaction.
func (s *Store) view(fn func(*badger.Txn) error) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.db.View(fn)
}

// badgerLogger sends Badger's warnings and errors to slog and drops the rest.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any) {
	l.log.Error(trimNL(fmt.Sprintf(f, a...)), "component", "badger")
}
func (l badgerLogger) Warningf(f string, a ...any) {
	msg := trimNL(fmt.Sprintf(f, a...))
	if strings.HasPrefix(msg, "Block cache might be too small") || strings.HasPrefix(msg, "Cache life expectancy") {
		// Badger's minute-by-minute cache statistics: after a backup has
		// read every table once they say the cache is small, which it is
		// by design here. Not a warning for an admin.
		l.log.Debug(msg, "component", "badger")
		return
	}
	l.log.Warn(msg, "component", "badger")
}
func (l badgerLogger) Infof(string, ...any)  {}
func (l badgerLogger) Debugf(string, ...any) {}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

func plainWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
