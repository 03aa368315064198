package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// ErrTransient marks a failure worth trying again: a 5xx, a dropped
// connection, a rate limit that outlasted the adapter's own waits. Adapters
// wrap such errors with it; anything else (403, chat not found, unknown
// channel) is permanent.
var ErrTransient = errors.New("transient failure")

// Transient reports whether a send may succeed if tried again.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, ErrTransient) || errors.Is(err, ErrNotConnected) ||
		errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne)
}

// OutboxConfig is what the outbox sender needs.
type OutboxConfig struct {
	Store  *storage.Store
	Hub    *Hub
	Logger *slog.Logger
	// Clock tells the time; nil means time.Now.
	Clock func() time.Time
	// NoticeTTL is how long a notice (or a failure report) is tried
	// (default 24 h); PushTTL, a timed push (default 1 h).
	NoticeTTL time.Duration
	PushTTL   time.Duration
	// Backoff is the pause before try n+1 (n ≥ 1) after a transient
	// failure; nil: 1 s, 2 s, 4 s… up to 5 min.
	Backoff func(n int) time.Duration
	// Rescan is how often the outbox is read again besides the signals of
	// new messages (default 30 s).
	Rescan time.Duration
	// SendTimeout bounds one try of one send (default 60 s).
	SendTimeout time.Duration
}

// Outbox delivers the messages of the outbox (storage.Outbox): each in the
// lane of each of its destinations, so a slow or rate-limited chat delays
// only its own messages; transient failures are tried again with backoff
// until the message's time runs out; each address reached is recorded, and
// the message is removed once delivered. A permanent failure is listed for
// the Cabinet's summary and reported to the Cabinet, once.
type Outbox struct {
	cfg   OutboxConfig
	log   *slog.Logger
	lanes *Lanes

	mu   sync.Mutex
	busy map[uint64]bool // entries being delivered
	wg   sync.WaitGroup

	stats outboxStats
}

// NewOutbox returns a sender; Run starts it.
func NewOutbox(cfg OutboxConfig) *Outbox {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.NoticeTTL <= 0 {
		cfg.NoticeTTL = 24 * time.Hour
	}
	if cfg.PushTTL <= 0 {
		cfg.PushTTL = time.Hour
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(n int) time.Duration { return min(time.Second<<min(n-1, 20), 5*time.Minute) }
	}
	if cfg.Rescan <= 0 {
		cfg.Rescan = 30 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = time.Minute
	}
	return &Outbox{cfg: cfg, log: cfg.Logger.With("component", "outbox"), lanes: NewLanes(), busy: map[uint64]bool{}}
}

// Run delivers what the outbox holds — first what a stop left behind — and
// what comes into it, until ctx ends; it then waits for the sends under way
// (a pause between tries ends at once: the message stays for the next start).
func (o *Outbox) Run(ctx context.Context) {
	tick := time.NewTicker(o.cfg.Rescan)
	defer tick.Stop()
	for {
		o.scan(ctx)
		select {
		case <-ctx.Done():
			o.wg.Wait()
			o.lanes.Stop()
			return
		case <-o.cfg.Store.Queued():
		case <-tick.C:
		}
	}
}

// scan starts the delivery of every entry not already under way, oldest
// first, so that messages to one chat keep their order.
func (o *Outbox) scan(ctx context.Context) {
	o.stats.lastScan.Store(time.Now().UnixNano())
	entries, err := o.cfg.Store.Outbox()
	if err != nil {
		o.log.Error("read the outbox", "err", err)
		return
	}
	for _, e := range entries {
		o.mu.Lock()
		busy := o.busy[e.Seq]
		if !busy {
			o.busy[e.Seq] = true
			o.wg.Add(1)
		}
		o.mu.Unlock()
		if busy {
			continue
		}
		// Read it again now that it is ours: the list may predate a
		// delivery that finished since (and was released).
		fresh, err := o.cfg.Store.OutboxEntry(e.Seq)
		if err != nil {
			o.release(e.Seq)
			continue
		}
		o.start(ctx, fresh)
	}
}

func (o *Outbox) release(seq uint64) {
	o.mu.Lock()
	delete(o.busy, seq)
	o.mu.Unlock()
	o.wg.Done()
}

func (o *Outbox) ttl(kind string) time.Duration {
	if kind == storage.OutPush {
		return o.cfg.PushTTL
	}
	return o.cfg.NoticeTTL
}

// start queues one entry in the lane of each of its targets not reached
// yet, and records the outcome once every lane has tried.
func (o *Outbox) start(ctx context.Context, e storage.OutboxEntry) {
	n, err := commands.DecodeNotice(e.Outgoing)
	if err == nil {
		err = o.loadFiles(&n.Reply)
	}
	if err != nil {
		o.fail(ctx, e, err)
		o.release(e.Seq)
		return
	}
	targets, err := o.cfg.Hub.Targets(n.To)
	if err != nil {
		if Transient(err) {
			o.release(e.Seq) // a platform not connected yet: the next scan
			return
		}
		o.fail(ctx, e, err)
		o.release(e.Seq)
		return
	}
	deadline := e.Created.Add(o.ttl(e.Kind))
	results := make(chan error, len(targets))
	waiting := 0
	for _, t := range targets {
		if slices.Contains(e.Done, t.Address.String()) {
			continue
		}
		if !o.lanes.Submit(t.Address.String(), func() { results <- o.sendOne(ctx, e, t, n.Reply, deadline) }) {
			results <- ctx.Err() // stopping: the entry stays for the next start
		}
		waiting++
	}
	go o.finish(ctx, e, results, waiting)
}

// finish waits for the lanes' outcomes and records the entry sent or failed.
func (o *Outbox) finish(ctx context.Context, e storage.OutboxEntry, results <-chan error, waiting int) {
	defer o.release(e.Seq)
	var errs []error
	for range waiting {
		if err := <-results; err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case ctx.Err() != nil && len(errs) > 0:
		return // cut short by a stop: tried again at the next start
	case len(errs) > 0:
		o.stats.failed.Add(1)
		o.fail(ctx, e, errors.Join(errs...))
	default:
		o.stats.delivered.Add(1)
		if err := o.cfg.Store.OutboxSent(context.WithoutCancel(ctx), e.Seq, o.cfg.Clock()); err != nil {
			o.log.Error("mark a message sent", "seq", e.Seq, "err", err)
		}
	}
}

// sendOne sends a message to one target, trying again after transient
// failures until the deadline; it records the address reached.
func (o *Outbox) sendOne(ctx context.Context, e storage.OutboxEntry, t Target, r commands.Reply, deadline time.Time) error {
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A send under way is not cut by a stop: cutting it could not
		// unsend it, and would send it twice after the restart.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.cfg.SendTimeout)
		_, err := o.cfg.Hub.SendTarget(sctx, t, r)
		cancel()
		if err == nil {
			if err := o.cfg.Store.OutboxReached(context.WithoutCancel(ctx), e.Seq, t.Address.String()); err != nil {
				o.log.Error("record a message delivered", "seq", e.Seq, "to", t.Address.String(), "err", err)
			}
			return nil
		}
		pause := o.cfg.Backoff(attempt)
		if !Transient(err) || o.cfg.Clock().Add(pause).After(deadline) {
			return err
		}
		o.log.Warn("delivery failed, trying again", "seq", e.Seq, "to", t.Address.String(), "attempt", attempt, "in", pause, "err", err)
		if err := Sleep(ctx, pause); err != nil {
			return err
		}
	}
}

// fail removes a message that cannot be delivered, lists it for the
// Cabinet's summary and reports it to the Cabinet (a failed report is only
// logged: reporting it would loop).
func (o *Outbox) fail(ctx context.Context, e storage.OutboxEntry, cause error) {
	o.log.Error("message not delivered", "seq", e.Seq, "kind", e.Kind, "to", e.To, "id", e.ToID, "item", e.Item, "err", cause)
	var report *storage.Outgoing
	if e.Kind != storage.OutReport {
		r, err := failureReport(e, cause)
		if err != nil {
			o.log.Error("build a failure report", "seq", e.Seq, "err", err)
		} else {
			report = &r
		}
	}
	if err := o.cfg.Store.OutboxFailed(context.WithoutCancel(ctx), e.Seq, o.cfg.Clock(), cause.Error(), report); err != nil {
		o.log.Error("record a failed message", "seq", e.Seq, "err", err)
	}
}

func failureReport(e storage.OutboxEntry, cause error) (storage.Outgoing, error) {
	what := ""
	if n, err := commands.DecodeNotice(e.Outgoing); err == nil {
		what = n.Reply.Title
	}
	to := e.To
	if e.ToID != "" {
		to += " " + e.ToID
	}
	r := commands.Reply{Kind: commands.Failed, Item: e.Item,
		Title: fmt.Sprintf("Mesaj nelivrat către %s: %v", to, cause)}
	if e.Item != "" {
		r.Lines = append(r.Lines, "Înregistrarea: "+e.Item)
	}
	if what != "" {
		r.Lines = append(r.Lines, "Mesajul: "+what)
	}
	n := commands.Notice{To: commands.Recipient{Kind: commands.ToCabinet}, Reply: r}
	out, err := n.Outgoing()
	out.Kind = storage.OutReport
	return out, err
}

// Sleep waits for d, or until ctx ends (its error then). A wait of zero or
// less returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// loadFiles reads the stored files a message names (File.Stored).
func (o *Outbox) loadFiles(r *commands.Reply) error {
	for i, f := range r.Files {
		if f.Stored == "" || f.Data != nil {
			continue
		}
		b, err := o.cfg.Store.ReadFile(f.Stored)
		if err != nil {
			return fmt.Errorf("the file %s of the message: %w", f.Name, err)
		}
		r.Files[i].Data = b
	}
	return nil
}
