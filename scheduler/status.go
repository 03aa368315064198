package scheduler

import (
	"sync"
	"time"
)

// RunStatus is the last run of a timed job in this process: when it ran,
// which slot, and whether it failed.
type RunStatus struct {
	Job  string
	At   time.Time // when the run ended
	Slot string
	OK   bool
	Err  string
}

// runLog keeps the last run of each job, for the operations endpoint.
type runLog struct {
	mu      sync.Mutex
	last    map[string]RunStatus
	running bool
}

func (l *runLog) record(st RunStatus) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil {
		l.last = map[string]RunStatus{}
	}
	l.last[st.Job] = st
}

func (l *runLog) setRunning(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running = on
}

// LastRuns returns the last run of each job that ran since the start.
func (s *Scheduler) LastRuns() []RunStatus {
	s.runs.mu.Lock()
	defer s.runs.mu.Unlock()
	out := make([]RunStatus, 0, len(s.runs.last))
	for _, j := range s.jobs {
		if st, ok := s.runs.last[j.Name]; ok {
			out = append(out, st)
		}
	}
	return out
}

// Running reports whether the cron runs: between Start and Stop.
func (s *Scheduler) Running() bool {
	s.runs.mu.Lock()
	defer s.runs.mu.Unlock()
	return s.runs.running
}
