package slack

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer spaces the posts to each channel: Slack allows about one message per
// second per channel, with short bursts. Each channel has a token bucket
// (golang.org/x/time/rate); a post reserves a token and waits for it.
type pacer struct {
	every time.Duration
	burst int

	mu    sync.Mutex
	chans map[string]*paced
}

type paced struct {
	lim  *rate.Limiter
	used time.Time
}

// idleAfter is how long a channel's bucket is kept after its last post; a
// bucket idle that long is full again anyway.
const idleAfter = 10 * time.Minute

func newPacer(every time.Duration, burst int) *pacer {
	if burst < 1 {
		burst = 1
	}
	return &pacer{every: every, burst: burst, chans: map[string]*paced{}}
}

// delay reserves the next post to channel at now and returns how long to
// wait before making it. A pacer with no interval never waits.
func (p *pacer) delay(channel string, now time.Time) time.Duration {
	if p == nil || p.every <= 0 {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chans[channel]
	if c == nil {
		p.sweep(now)
		c = &paced{lim: rate.NewLimiter(rate.Every(p.every), p.burst)}
		p.chans[channel] = c
	}
	c.used = now
	return c.lim.ReserveN(now, 1).DelayFrom(now)
}

// sweep forgets the buckets of channels idle for long (called with mu held,
// when a channel is added, so the map stays as small as the active set).
func (p *pacer) sweep(now time.Time) {
	for ch, c := range p.chans {
		if now.Sub(c.used) > idleAfter {
			delete(p.chans, ch)
		}
	}
}
