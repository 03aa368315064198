// Package slackfake is a fake Slack for end-to-end tests: the Web API
// methods the bot calls (chat.*, views.open, files.*, conversations.open,
// auth.test, apps.connections.open), a Socket Mode WebSocket that sends
// hello, pings the client, delivers envelopes and redelivers those not
// acknowledged after a reconnect, and signed requests for the HTTP Events
// API. It runs on 127.0.0.1 inside the test process, for the real slack-go
// client. (slack-go's own slacktest speaks the older RTM protocol.)
//
// A test sends what people do (DM, Mention, Slash, Click, Submit), waits
// for what the bot did (WaitMessages, Wait), and injects faults (Fail,
// DropSocket, NotMember).
package slackfake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities of the fake workspace.
const (
	BotToken  = "xoxb-fake-bot-token"
	AppToken  = "xapp-fake-app-token"
	BotUserID = "UBOT"
	BotID     = "BBOT"
	TeamID    = "TFAKE"
	AppID     = "AFAKE"
)

// WaitTimeout is how long Wait and its kin wait before they fail the test:
// a guard against a hang, not a timing assertion.
var WaitTimeout = 15 * time.Second

// Server is a fake Slack.
type Server struct {
	// URL is the server's base (http://127.0.0.1:port); the Web API is at
	// APIURL().
	URL string
	// PingInterval is how often the WebSocket is pinged (Slack pings every
	// few seconds; the client reconnects when pings stop).
	PingInterval time.Duration
	// EchoBotMessages delivers, over Socket Mode, a message event for each
	// message the bot posts, as Slack does: the bot must ignore its own.
	EchoBotMessages bool
	// TriggerLife, when set, is how long a trigger ID can open a view after
	// the click or command that made it (Slack: 3 s); views.open later gets
	// expired_trigger_id. Zero: triggers never expire.
	TriggerLife time.Duration

	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	seq      int
	messages []Message
	views    []View
	files    []File
	shared   map[string][]byte // files users shared, by ID (served at /private-files/{id})
	uploads  map[string]*File  // upload ID → file being uploaded
	calls    map[string]int
	faults   map[string][]Fault
	triggers map[string]string        // trigger ID → user; "" once used
	madeAt   map[string]time.Time     // trigger ID → when it was made
	always   map[string]Fault         // method → the fault every call gets
	hello    chan struct{}            // when set, hello waits until it is closed
	slow     map[string]time.Duration // channel → how long its posts take
	respURLs map[string]respTarget
	notIn    map[string]bool
	// Socket Mode
	conns    int
	conn     *wsConn
	pending  []*envelope // delivered or waiting, not acknowledged
	acks     map[string]string
	refusals []string // what the fake refused (bad origin, bad token…)
	closed   bool
}

type respTarget struct{ channel, user string }

// New starts a fake Slack; it is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{PingInterval: 50 * time.Millisecond, EchoBotMessages: true, t: t,
		changed: make(chan struct{}), uploads: map[string]*File{}, calls: map[string]int{},
		faults: map[string][]Fault{}, triggers: map[string]string{}, madeAt: map[string]time.Time{}, always: map[string]Fault{},
		slow: map[string]time.Duration{}, respURLs: map[string]respTarget{},
		notIn: map[string]bool{}, acks: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.api)
	mux.HandleFunc("POST /upload/{id}", s.upload)
	mux.HandleFunc("GET /private-files/{id}", s.download)
	mux.HandleFunc("POST /response/{id}", s.response)
	mux.HandleFunc("/ws", s.websocket)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// APIURL is the Web API base URL to give slack.OptionAPIURL (with its
// trailing slash) or SLACK_API_URL.
func (s *Server) APIURL() string { return s.URL + "/api/" }

// Close stops the server and drops the socket.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notify wakes the waiters (called with mu held).
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// next returns a new sequence number (called with mu held).
func (s *Server) next() int {
	s.seq++
	return s.seq
}

// ts returns a new message timestamp, increasing and sortable as text
// (called with mu held).
func (s *Server) ts() string { return fmt.Sprintf("1764000000.%06d", s.next()) }

// State is what the fake has seen, for Wait conditions and assertions.
type State struct {
	Messages    []Message
	Views       []View
	Files       []File
	Calls       map[string]int
	Acks        map[string]string // envelope ID → ack payload ("" when none)
	Connections int               // WebSocket connections ever opened
	Connected   bool
	Refusals    []string
}

// State returns a copy of what the fake has seen.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state()
}

func (s *Server) state() State {
	st := State{Messages: append([]Message(nil), s.messages...), Views: append([]View(nil), s.views...),
		Files: append([]File(nil), s.files...), Calls: map[string]int{}, Acks: map[string]string{},
		Connections: s.conns, Connected: s.conn != nil, Refusals: append([]string(nil), s.refusals...)}
	for k, v := range s.calls {
		st.Calls[k] = v
	}
	for k, v := range s.acks {
		st.Acks[k] = v
	}
	return st
}

// Wait blocks until cond holds for the fake's state and returns that state;
// it fails the test after WaitTimeout.
func (s *Server) Wait(what string, cond func(State) bool) State {
	s.t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		st := s.state()
		ch := s.changed
		s.mu.Unlock()
		if cond(st) {
			return st
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("slackfake: waited %s for %s; messages: %s", WaitTimeout, what, describe(st.Messages))
			return st
		}
	}
}

// waitLocked is Wait for conditions cheap to test: cond runs with the lock
// held, on the fake's own fields, and copies nothing.
func (s *Server) waitLocked(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("slackfake: waited %s for %s; messages: %s", WaitTimeout, what, describe(s.Messages()))
			return
		}
	}
}

// WaitMessages waits until the bot has posted at least n messages (ephemeral
// ones and answers through response URLs included) and returns them all.
func (s *Server) WaitMessages(n int) []Message {
	s.t.Helper()
	s.waitLocked(fmt.Sprintf("%d messages", n), func() bool { return len(s.messages) >= n })
	return s.Messages()
}

// WaitAcked waits until every envelope was acknowledged.
func (s *Server) WaitAcked(envelopes ...string) {
	s.t.Helper()
	s.waitLocked("acknowledgements of "+strings.Join(envelopes, ", "), func() bool {
		for _, e := range envelopes {
			if _, ok := s.acks[e]; !ok {
				return false
			}
		}
		return true
	})
}

// WaitConnected waits until the bot has opened at least n WebSocket
// connections and is connected.
func (s *Server) WaitConnected(n int) {
	s.t.Helper()
	s.waitLocked(fmt.Sprintf("connection #%d", n), func() bool { return s.conns >= n && s.conn != nil })
}

// Messages returns what the bot has posted so far.
func (s *Server) Messages() []Message { return s.State().Messages }

// Calls returns how many times a Web API method was called.
func (s *Server) Calls(method string) int { return s.State().Calls[method] }

// Fault is a wrong answer the next call of a method gets.
type Fault struct {
	// Status is the HTTP status (429 for a rate limit); 0 means 200 with
	// Error as Slack's error code.
	Status int
	// RetryAfter is the Retry-After header of a 429, in seconds.
	RetryAfter string
	Error      string
	// Needed and Provided are the scopes a missing_scope answer names.
	Needed, Provided string
	// Channel limits the fault to calls about one channel ("" = any).
	Channel string
	// Drop closes the connection without an answer (a network failure).
	Drop bool
}

// Slow makes every post to channel take d before it is answered.
func (s *Server) Slow(channel string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow[channel] = d
}

// Fail queues a fault for the next call of a Web API method.
func (s *Server) Fail(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], f)
}

// FailAlways makes every call of a Web API method fail with f (after the
// faults queued by Fail), as a token without a scope does.
func (s *Server) FailAlways(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.always[method] = f
}

// HoldHello makes the Socket Mode connections opened from now on wait
// before Slack's hello until release is called: the bot is connected only
// once it has the hello.
func (s *Server) HoldHello() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.hello = ch
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// NotMember makes the bot a stranger to a channel: posts there fail with
// not_in_channel, as when nobody invited the bot.
func (s *Server) NotMember(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notIn[channel] = true
}

// DMChannel is the channel of the bot's direct messages with a user.
func DMChannel(user string) string { return "D" + strings.TrimPrefix(user, "U") }

func describe(ms []Message) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("[%s %s thread=%s eph=%v] %q", m.Channel, m.TS, m.ThreadTS, m.Ephemeral, truncate(m.AllText(), 120)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return "\n  " + strings.Join(parts, "\n  ")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
