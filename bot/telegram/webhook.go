package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// secretHeader carries the webhook's secret token on every update Telegram
// posts. The SDK's own handler logs a wrong one and still answers 200; this
// one refuses it.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// runWebhook serves Telegram's posts on the listen address and registers the
// webhook. Telegram keeps the updates it could not deliver while the bot is
// down and posts them after: the webhook is left in place at shutdown.
func (a *Adapter) runWebhook(ctx context.Context) error {
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil {
		return fmt.Errorf("telegram: webhook URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln := a.cfg.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", a.cfg.ListenAddr); err != nil {
			return fmt.Errorf("telegram: listen on %s: %w", a.cfg.ListenAddr, err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle(path, a.WebhookHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	err = a.call(ctx, 0, func(ctx context.Context) error {
		_, err := a.b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: a.cfg.WebhookURL, SecretToken: a.cfg.WebhookSecret,
			AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}})
		return err
	})
	if err != nil {
		srv.Close()
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("telegram: Telegram refused the webhook %s: %w", a.cfg.WebhookURL, err)
	}
	close(a.ready)
	a.connected()
	a.log.Info("telegram: webhook", "bot", a.Username(), "url", a.cfg.WebhookURL, "listen", ln.Addr().String())
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("telegram: webhook server: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.log.Warn("telegram: webhook server shutdown", "err", err)
	}
	return nil
}

// WebhookHandler serves the updates Telegram posts. A request without the
// secret token is refused (401) and changes nothing. An update is answered
// 200 once it was handled; one cut short by a shutdown is answered 503, so
// that Telegram posts it again (a redelivery of a handled one is dropped).
func (a *Adapter) WebhookHandler() http.Handler {
	secret := []byte(a.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), secret) != 1 {
			a.log.Warn("telegram: webhook request with a wrong secret token refused", "remote", r.RemoteAddr)
			http.Error(w, "wrong secret token", http.StatusUnauthorized)
			return
		}
		var upd models.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&upd); err != nil {
			a.log.Warn("telegram: webhook body is not an update", "err", err)
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		done := make(chan bool, 1)
		if !a.disp.submit(updateChat(&upd), func() { done <- a.handle(&upd) }) {
			http.Error(w, "stopping", http.StatusServiceUnavailable)
			return
		}
		select {
		case handled := <-done:
			if !handled {
				http.Error(w, "stopping", http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		case <-a.stopping:
			http.Error(w, "stopping", http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	})
}
