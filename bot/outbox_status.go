package bot

import (
	"sync/atomic"
	"time"
)

// outboxStats counts what the sender did, for the operations endpoint.
type outboxStats struct {
	delivered atomic.Uint64
	failed    atomic.Uint64
	lastScan  atomic.Int64 // Unix nanoseconds of the last look at the outbox
}

// OutboxStatus is what the sender did since the start.
type OutboxStatus struct {
	Delivered, Failed uint64
	// LastScan is when the sender last looked at the outbox (zero before
	// Run): it looks at least every Rescan.
	LastScan time.Time
	// Rescan is how often it looks without being woken.
	Rescan time.Duration
}

// Status tells what the sender did since the start.
func (o *Outbox) Status() OutboxStatus {
	st := OutboxStatus{Delivered: o.stats.delivered.Load(), Failed: o.stats.failed.Load(), Rescan: o.cfg.Rescan}
	if ns := o.stats.lastScan.Load(); ns != 0 {
		st.LastScan = time.Unix(0, ns)
	}
	return st
}
