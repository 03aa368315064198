package telegram

import "sync"

// dispatcher runs the updates of each chat one after the other, in the order
// they came, and the chats side by side: a list paced out to the Mayor's
// chat does not hold up a department's group. A chat's goroutine lives while
// its queue has work.
type dispatcher struct {
	mu      sync.Mutex
	queues  map[int64][]func()
	stopped bool
	running sync.WaitGroup
}

func newDispatcher() *dispatcher { return &dispatcher{queues: map[int64][]func(){}} }

// submit queues fn after the earlier work of chat. It reports false when the
// dispatcher is stopped (fn will not run).
func (d *dispatcher) submit(chat int64, fn func()) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return false
	}
	q, busy := d.queues[chat]
	d.queues[chat] = append(q, fn)
	if !busy {
		d.running.Add(1)
		go d.drain(chat)
	}
	return true
}

func (d *dispatcher) drain(chat int64) {
	defer d.running.Done()
	for {
		d.mu.Lock()
		q := d.queues[chat]
		if len(q) == 0 || d.stopped {
			delete(d.queues, chat)
			d.mu.Unlock()
			return
		}
		fn := q[0]
		d.queues[chat] = q[1:]
		d.mu.Unlock()
		fn()
	}
}

// stop drops the work not started and waits for the work under way.
func (d *dispatcher) stop() {
	d.mu.Lock()
	d.stopped = true
	d.mu.Unlock()
	d.running.Wait()
}
