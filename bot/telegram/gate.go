package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Telegram forgets an update once getUpdates is called with an offset past
// it. go-telegram/bot's poller asks for the next batch as soon as it has
// queued the last one, before the handlers ran: a crash would lose the
// updates still queued. The gate sits in the SDK's HTTP client and holds
// each getUpdates until every update of the previous batch was handled —
// its change committed; its reply may still be on its way in the chat's
// lane — so Telegram only ever forgets what was committed. The tracker keeps the
// highest update_id below which everything was handled, and stores it;
// after a restart the poller starts after it (bot.WithInitialOffset).

// gate is the SDK's HTTP client: it passes every call through, holding
// getUpdates until the tracker is idle and noting the update IDs it returns.
type gate struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	track *tracker
	// polled, when set, is called after each getUpdates Telegram answered.
	polled func()
}

// Do implements the SDK's HttpClient.
func (g *gate) Do(req *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(req.URL.Path, "/getUpdates") {
		return g.next.Do(req)
	}
	if err := g.track.waitIdle(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := g.next.Do(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read getUpdates: %w", err)
	}
	var r struct {
		OK     bool `json:"ok"`
		Result []struct {
			ID int64 `json:"update_id"`
		} `json:"result"`
	}
	if json.Unmarshal(body, &r) == nil && r.OK {
		ids := make([]int64, 0, len(r.Result))
		for _, u := range r.Result {
			ids = append(ids, u.ID)
		}
		g.track.begin(ids)
		if g.polled != nil {
			g.polled()
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// tracker follows the updates between getUpdates and the end of their
// handling.
type tracker struct {
	mu      sync.Mutex
	order   []int64        // received and not yet below the mark, in order
	done    map[int64]bool // handled, waiting for the ones before them
	last    int64          // the mark: everything up to it was handled
	idle    chan struct{}  // closed while nothing is in flight
	save    func(int64)
	saveMu  sync.Mutex
	savedTo int64
}

func newTracker(last int64, save func(int64)) *tracker {
	t := &tracker{done: map[int64]bool{}, last: last, savedTo: last, save: save, idle: make(chan struct{})}
	close(t.idle)
	return t
}

// mark returns the last update_id below which everything was handled.
func (t *tracker) mark() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// begin notes a batch from getUpdates.
func (t *tracker) begin(ids []int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		if id <= t.last || t.done[id] {
			continue // a batch we already saw (a retried poll)
		}
		if len(t.order) == 0 {
			t.idle = make(chan struct{})
		}
		t.order = append(t.order, id)
	}
}

// finish notes that an update was handled, and stores the new mark when it
// moved.
func (t *tracker) finish(id int64) {
	t.mu.Lock()
	if !slices.Contains(t.order, id) {
		t.mu.Unlock()
		return
	}
	t.done[id] = true
	moved := false
	for len(t.order) > 0 && t.done[t.order[0]] {
		delete(t.done, t.order[0])
		t.last, t.order, moved = t.order[0], t.order[1:], true
	}
	if len(t.order) == 0 {
		select {
		case <-t.idle:
		default:
			close(t.idle)
		}
	}
	mark := t.last
	t.mu.Unlock()
	if moved && t.save != nil {
		t.saveMu.Lock()
		if mark > t.savedTo {
			t.save(mark)
			t.savedTo = mark
		}
		t.saveMu.Unlock()
	}
}

// waitIdle waits until every update received was handled.
func (t *tracker) waitIdle(ctx context.Context) error {
	t.mu.Lock()
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
