package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// The paths the HTTP Events API is served on (the request URLs of the app's
// manifest).
const (
	PathEvents       = "/slack/events"
	PathCommands     = "/slack/commands"
	PathInteractions = "/slack/interactions"
)

// maxBody bounds a request from Slack.
const maxBody = 1 << 20

// runHTTP serves the HTTP Events API on ListenAddr until ctx ends.
func (a *Adapter) runHTTP(ctx context.Context) error {
	if a.cfg.Listener != nil {
		return a.serveHTTP(ctx, a.cfg.Listener)
	}
	ln, err := net.Listen("tcp", a.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("slack: listen on %s: %w", a.cfg.ListenAddr, err)
	}
	return a.serveHTTP(ctx, ln)
}

func (a *Adapter) serveHTTP(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.HTTPHandler(ctx), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	a.log.Info("slack: serving the Events API", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	close(a.ready)
	a.connected() // auth.test passed and the server listens
	select {
	case err := <-errc:
		return fmt.Errorf("slack: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("slack: HTTP shutdown", "err", err)
	}
	return nil
}

// HTTPHandler serves Slack's requests: events, slash commands and
// interactions. Every request's signature is checked against the signing
// secret (401 when it does not match or is older than 5 minutes); each is
// answered at once and handled after. ctx is the context handlers start
// from.
func (a *Adapter) HTTPHandler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathEvents, func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.verified(w, r)
		if !ok {
			return
		}
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		switch ev.Type {
		case slackevents.URLVerification:
			var ch slackevents.ChallengeResponse
			if err := json.Unmarshal(body, &ch); err != nil {
				http.Error(w, "bad challenge", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(ch.Challenge))
		case slackevents.CallbackEvent:
			if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
				a.log.Info("slack: event redelivered", "attempt", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
			}
			a.dispatch(func() { a.onEventsAPI(ctx, ev) })
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
	mux.HandleFunc("POST "+PathCommands, func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.verified(w, r)
		if !ok {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		sc, err := slackgo.SlashCommandParse(r)
		if err != nil {
			http.Error(w, "bad command", http.StatusBadRequest)
			return
		}
		a.dispatch(func() { a.onSlash(ctx, sc) })
		w.WriteHeader(http.StatusOK) // an empty answer: the reply follows as a message
	})
	mux.HandleFunc("POST "+PathInteractions, func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.verified(w, r)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		var cb slackgo.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		a.dispatch(func() { a.onInteraction(ctx, cb) })
		w.WriteHeader(http.StatusOK) // closes a submitted form
	})
	health := a.cfg.Health
	if health == nil {
		health = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }
	}
	mux.HandleFunc("GET /healthz", health)
	return mux
}

// dispatch runs the quick, synchronous part of handling a request (it hands
// the work to a goroutine), recovering a panic so the request is still
// answered.
func (a *Adapter) dispatch(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("slack: request dispatch panicked", "panic", r)
		}
	}()
	fn()
}

// verified reads a request's body and checks its signature; it answers 401
// and returns false when the request is not from Slack.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	sv, err := slackgo.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		a.log.Warn("slack: request with a bad signature refused", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}
