package bot

import (
	"context"
	"sync"
	"time"
)

// Lanes run work per destination: the work of one lane (a chat) one piece
// after the other, in the order submitted, and the lanes side by side, so
// that a slow or rate-limited chat delays only itself. A lane's goroutine
// lives while it has work.
type Lanes struct {
	mu      sync.Mutex
	queues  map[string][]func()
	pending int        // work queued or running
	idle    *sync.Cond // signalled when pending drops to 0
	stopped bool
	running sync.WaitGroup
}

// NewLanes returns lanes with no work.
func NewLanes() *Lanes {
	l := &Lanes{queues: map[string][]func(){}}
	l.idle = sync.NewCond(&l.mu)
	return l
}

// Idle waits until every piece of work submitted so far is done.
func (l *Lanes) Idle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.pending > 0 {
		l.idle.Wait()
	}
}

// Submit queues fn after the earlier work of lane. It reports false when the
// lanes are stopped (fn will not run).
func (l *Lanes) Submit(lane string, fn func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return false
	}
	q, busy := l.queues[lane]
	l.queues[lane] = append(q, fn)
	l.pending++
	if !busy {
		l.running.Add(1)
		go l.drain(lane)
	}
	return true
}

func (l *Lanes) drain(lane string) {
	defer l.running.Done()
	for {
		l.mu.Lock()
		q := l.queues[lane]
		if len(q) == 0 {
			delete(l.queues, lane)
			l.mu.Unlock()
			return
		}
		fn := q[0]
		l.queues[lane] = q[1:]
		l.mu.Unlock()
		fn()
		l.mu.Lock()
		if l.pending--; l.pending == 0 {
			l.idle.Broadcast()
		}
		l.mu.Unlock()
	}
}

// Stop takes no more work and waits until the work queued is done.
func (l *Lanes) Stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
	l.running.Wait()
}

// RetryPolicy says how long a send is tried again after transient failures
// (Transient), and the pause before try n+1.
type RetryPolicy struct {
	Within  time.Duration
	Backoff func(n int) time.Duration
	// Stop, when closed, ends the tries after the one under way (the
	// adapter is stopping).
	Stop <-chan struct{}
	// OnRetry is told of each failure that will be tried again.
	OnRetry func(n int, pause time.Duration, err error)
}

// Retry runs send until it succeeds, fails for good, or the policy's time is
// over; it returns the last error.
func (p RetryPolicy) Retry(ctx context.Context, send func(ctx context.Context) error) error {
	deadline := time.Now().Add(p.Within)
	for n := 1; ; n++ {
		err := send(ctx)
		if err == nil || !Transient(err) {
			return err
		}
		pause := p.Backoff(n)
		if time.Now().Add(pause).After(deadline) {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(n, pause, err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-p.Stop:
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
