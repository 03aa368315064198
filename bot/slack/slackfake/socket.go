package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// slackOrigin is the Origin slack-go's Socket Mode client dials with; the
// fake refuses others, as a check that the client is the real one.
const slackOrigin = "https://api.slack.com"

var upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	return r.Header.Get("Origin") == slackOrigin
}}

// envelope is a Socket Mode request: Slack keeps it until it is
// acknowledged, and sends it again on the next connection.
type envelope struct {
	id      string
	kind    string
	payload json.RawMessage
	attempt int
	sent    bool
}

func (e *envelope) frame() []byte {
	v := map[string]any{"envelope_id": e.id, "type": e.kind, "payload": e.payload,
		"accepts_response_payload": e.kind != "events_api", "retry_attempt": e.attempt}
	if e.attempt > 0 {
		v["retry_reason"] = "timeout"
	}
	b, _ := json.Marshal(v)
	return b
}

// wsConn is one Socket Mode connection: a writer goroutine sends frames in
// order, a reader takes acknowledgements, a ticker pings.
type wsConn struct {
	ws   *websocket.Conn
	out  chan []byte // nil frame: close after what was queued
	done chan struct{}
	once sync.Once
}

func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.UnderlyingConn().Close() // abrupt, like a dropped network
	})
}

func (c *wsConn) send(frame []byte) {
	select {
	case c.out <- frame:
	case <-c.done:
	}
}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") != slackOrigin {
		s.refuse("websocket: origin " + r.Header.Get("Origin"))
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsConn{ws: ws, out: make(chan []byte, 256), done: make(chan struct{})}
	go s.writeLoop(c)
	go s.pingLoop(c)
	s.mu.Lock()
	hold := s.hello
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-c.done:
			return
		}
	}
	s.mu.Lock()
	old := s.conn
	s.conn = c
	s.conns++
	hello, _ := json.Marshal(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": AppID},
		"debug_info":      map[string]any{"host": "fake", "approximate_connection_time": 3600}})
	c.send(hello)
	for _, e := range s.pending { // what was not acknowledged comes again
		if e.sent {
			e.attempt++
		}
		e.sent = true
		c.send(e.frame())
	}
	s.notify()
	s.mu.Unlock()
	if old != nil {
		old.close()
	}
	s.readLoop(c)
}

func (s *Server) writeLoop(c *wsConn) {
	for {
		select {
		case <-c.done:
			return
		case f := <-c.out:
			if f == nil {
				s.drop(c)
				return
			}
			_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, f); err != nil {
				s.drop(c)
				return
			}
		}
	}
}

func (s *Server) pingLoop(c *wsConn) {
	t := time.NewTicker(s.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second)); err != nil {
				s.drop(c)
				return
			}
		}
	}
}

func (s *Server) readLoop(c *wsConn) {
	defer s.drop(c)
	for {
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := c.ws.ReadJSON(&ack); err != nil {
			return
		}
		s.mu.Lock()
		s.acks[ack.EnvelopeID] = string(ack.Payload)
		for i, e := range s.pending {
			if e.id == ack.EnvelopeID {
				s.pending = append(s.pending[:i:i], s.pending[i+1:]...)
				break
			}
		}
		s.notify()
		s.mu.Unlock()
	}
}

// drop forgets a connection that ended.
func (s *Server) drop(c *wsConn) {
	c.close()
	s.mu.Lock()
	if s.conn == c {
		s.conn = nil
		s.notify()
	}
	s.mu.Unlock()
}

// DropSocket cuts the WebSocket without a close frame, as a network failure
// does. What was not acknowledged is delivered again when the bot
// reconnects; what is delivered meanwhile waits for it.
func (s *Server) DropSocket() {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		s.drop(c)
	}
}

// Disconnect asks the bot to reconnect, as Slack does before it moves a
// connection (type "disconnect", reason "refresh_requested").
func (s *Server) Disconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		b, _ := json.Marshal(map[string]any{"type": "disconnect", "reason": "refresh_requested"})
		s.conn.send(b)
	}
}

// deliverLocked queues an event as a new envelope and sends it when
// connected (called with mu held).
func (s *Server) deliverLocked(ev Event) string {
	e := &envelope{id: fmt.Sprintf("env-%04d", s.next()), kind: ev.Kind, payload: ev.Payload}
	s.pending = append(s.pending, e)
	if s.conn != nil {
		e.sent = true
		s.conn.send(e.frame())
	}
	s.notify()
	return e.id
}

// Deliver sends the events of x over Socket Mode (each in its own envelope)
// and returns x with the envelopes' IDs.
func (s *Server) Deliver(x Sent) Sent { return s.DeliverTimes(x, 1) }

// DeliverTimes sends each event of x n times at once, in n envelopes, as
// Slack does when it retries: the bot must act once.
func (s *Server) DeliverTimes(x Sent, n int) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range x.Events {
		for i := range n {
			e := &envelope{id: fmt.Sprintf("env-%04d", s.next()), kind: ev.Kind, payload: ev.Payload, attempt: i}
			s.pending = append(s.pending, e)
			if s.conn != nil {
				e.sent = true
				s.conn.send(e.frame())
			}
			x.Envelopes = append(x.Envelopes, e.id)
		}
	}
	s.notify()
	return x
}

// DeliverThenDrop sends the events of x and cuts the socket right after,
// before the bot can acknowledge them: Slack delivers them again on the next
// connection.
func (s *Server) DeliverThenDrop(x Sent) Sent {
	x = s.Deliver(x)
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.send(nil)
	}
	return x
}
