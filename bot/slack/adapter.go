// Package slack connects the bot to Slack: direct messages, @mentions in
// channels, the /cabinet slash command, buttons and modals, all running the
// same command language as the console through commands.Engine. It connects
// by Socket Mode (an app-level token, no public URL) or serves the HTTP
// Events API (a signing secret and a listen address), renders replies as
// Block Kit cards and mrkdwn, uploads the files commands produce, and
// implements bot.Platform so the Hub can post to departments' channels.
//
// Every event is acknowledged at once and handled after; a redelivered
// event (Slack retries what was not acknowledged in 3 s, and after
// reconnects) is recognised by its message, command or view and has no
// second effect and no second reply.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Engine is what the adapter needs of the command engine; *commands.Engine
// is one.
type Engine interface {
	Handle(ctx context.Context, req commands.Request) commands.Reply
	Table() *commands.Table
	// May tells at once, running nothing, whether who may run a command
	// (before a form opens).
	May(who commands.Identity, line string) bool
}

// Config is what the adapter needs. The tokens come from the environment
// (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET) and are never
// logged.
type Config struct {
	// BotToken (xoxb-…) calls the Web API.
	BotToken string
	// AppToken (xapp-…, connections:write) selects Socket Mode.
	AppToken string
	// SigningSecret and ListenAddr select the HTTP Events API when there is
	// no AppToken: requests are served on ListenAddr at /slack/events,
	// /slack/commands and /slack/interactions, each signature verified.
	SigningSecret string
	ListenAddr    string
	// Listener, when set, is served instead of ListenAddr (tests, socket
	// activation).
	Listener net.Listener
	// APIURL overrides https://slack.com/api/ (a proxy, a test server).
	APIURL string

	Engine Engine
	Store  *storage.Store
	// Hub delivers the notices of replies and binds posted messages to the
	// items they show.
	Hub    *bot.Hub
	Logger *slog.Logger
	// Health answers GET /healthz in HTTP mode: the operations endpoint's
	// handler, so that both say the same; nil answers "ok".
	Health http.HandlerFunc
	// HTTPClient calls Slack; nil means a client with a 30 s timeout.
	HTTPClient *http.Client

	// PingInterval is how long the Socket Mode client waits for Slack's
	// WebSocket ping before it reconnects (default 30 s).
	PingInterval time.Duration
	// PostInterval spaces posts to one channel (default 1 s; negative: no
	// pacing), after a burst of PostBurst (default 3).
	PostInterval time.Duration
	PostBurst    int
	// MaxRetries bounds the tries of a call Slack answers 429 (default 5).
	MaxRetries int
	// Wait waits out a pause (pacing, Retry-After); nil sleeps. Tests record
	// the pauses instead of sleeping them.
	Wait func(ctx context.Context, d time.Duration) error
	// Workers bounds the events handled at once (default 16).
	Workers int
	// ReplyRetry is how long a reply is tried again after transient
	// failures (default 1 min); ReplyBackoff, the pause before try n+1
	// (default 1 s, 2 s, 4 s… up to 15 s).
	ReplyRetry   time.Duration
	ReplyBackoff func(n int) time.Duration
}

// Adapter is the Slack platform.
type Adapter struct {
	cfg    Config
	engine Engine
	store  *storage.Store
	hub    *bot.Hub
	log    *slog.Logger
	web    *web

	botMu sync.RWMutex
	botID string // the bot's user ID, from auth.test

	inMu     sync.Mutex
	inflight map[string]bool // events being handled now

	busyMu sync.Mutex
	busy   int        // events being handled
	idle   *sync.Cond // signalled when busy drops to 0
	sem    chan struct{}
	ready  chan struct{}
	lanes  *bot.Lanes // per-channel send lanes for replies
	// connOnce marks the first connection, logged as "platform connected".
	connOnce sync.Once
	link     linkState // connected now, for /readyz
}

// handlerTimeout bounds the handling of one event, Slack's waits included.
const handlerTimeout = 2 * time.Minute

// New checks the configuration and returns an adapter; Run connects it.
func New(cfg Config) (*Adapter, error) {
	switch {
	case cfg.Engine == nil || cfg.Store == nil || cfg.Hub == nil:
		return nil, errors.New("slack: the engine, the store and the hub are required")
	case cfg.BotToken == "":
		return nil, errors.New("slack: a bot token (xoxb-…) is required")
	case cfg.AppToken == "" && cfg.SigningSecret == "":
		return nil, errors.New("slack: give an app-level token (Socket Mode) or a signing secret (HTTP Events API)")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 30 * time.Second
	}
	if cfg.PostInterval == 0 {
		cfg.PostInterval = time.Second
	}
	if cfg.PostBurst <= 0 {
		cfg.PostBurst = 3
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 5
	}
	if cfg.Wait == nil {
		cfg.Wait = bot.Sleep
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.ListenAddr == "" {
		cfg.ListenAddr = ":3000"
	}
	if cfg.ReplyRetry <= 0 {
		cfg.ReplyRetry = time.Minute
	}
	if cfg.ReplyBackoff == nil {
		cfg.ReplyBackoff = func(n int) time.Duration { return min(time.Second<<min(n-1, 10), 15*time.Second) }
	}
	a := &Adapter{cfg: cfg, engine: cfg.Engine, store: cfg.Store, hub: cfg.Hub, log: cfg.Logger.With("platform", "slack"),
		inflight: map[string]bool{}, sem: make(chan struct{}, cfg.Workers), ready: make(chan struct{}), lanes: bot.NewLanes()}
	a.idle = sync.NewCond(&a.busyMu)
	opts := []slackgo.Option{slackgo.OptionHTTPClient(cfg.HTTPClient),
		slackgo.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug))}
	if cfg.APIURL != "" {
		opts = append(opts, slackgo.OptionAPIURL(apiURL(cfg.APIURL)))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slackgo.OptionAppLevelToken(cfg.AppToken))
	}
	a.web = &web{api: slackgo.New(cfg.BotToken, opts...), pace: newPacer(cfg.PostInterval, cfg.PostBurst),
		wait: cfg.Wait, now: time.Now, maxRetries: cfg.MaxRetries, log: a.log, dms: map[string]string{}}
	return a, nil
}

// apiURL ends the Web API base URL with the slash slack-go needs: it appends
// the method name to it as it is.
func apiURL(u string) string {
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// Name is the platform's identity prefix.
func (a *Adapter) Name() string { return "slack" }

// Mode says how the adapter connects: "socket" or "http".
func (a *Adapter) Mode() string {
	if a.cfg.AppToken != "" {
		return "socket"
	}
	return "http"
}

// Run connects to Slack and handles events until ctx ends; it then waits for
// the events being handled to finish. It returns an error only when Slack
// refuses a token (in Socket Mode: a refusal to open the connection that no
// retry mends, naming SLACK_APP_TOKEN and its scope) or the listen address
// cannot be used.
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.authenticate(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	var err error
	if a.Mode() == "socket" {
		err = a.runSocket(ctx)
	} else {
		err = a.runHTTP(ctx)
	}
	a.link.up.Store(false)
	a.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// Ready is closed once Run has authenticated and is taking events (in
// Socket Mode, the connection may still be opening).
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// Wait blocks until every event received so far has been handled.
func (a *Adapter) Wait() {
	a.busyMu.Lock()
	defer a.busyMu.Unlock()
	for a.busy > 0 {
		a.idle.Wait()
	}
}

// track counts an event in hand; done, when it is handled.
func (a *Adapter) track() {
	a.busyMu.Lock()
	a.busy++
	a.busyMu.Unlock()
}

func (a *Adapter) done() {
	a.busyMu.Lock()
	a.busy--
	if a.busy == 0 {
		a.idle.Broadcast()
	}
	a.busyMu.Unlock()
}

// BotUserID is the bot's own user ID ("" before Run has authenticated).
func (a *Adapter) BotUserID() string {
	a.botMu.RLock()
	defer a.botMu.RUnlock()
	return a.botID
}

// authenticate asks Slack who the bot is (auth.test), trying again with a
// growing pause while Slack cannot be reached; a refused token is fatal.
func (a *Adapter) authenticate(ctx context.Context) error {
	pause := time.Second
	for {
		var res *slackgo.AuthTestResponse
		err := a.web.call(ctx, "auth.test", func() error {
			var err error
			res, err = a.web.api.AuthTestContext(ctx)
			return err
		})
		if err == nil {
			a.botMu.Lock()
			a.botID = res.UserID
			a.botMu.Unlock()
			a.log.Info("slack: authenticated", "bot_user", res.UserID, "team", res.Team, "mode", a.Mode())
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fatalAuth(err) {
			return fmt.Errorf("slack: the bot token was refused: %w", err)
		}
		a.log.Warn("slack: cannot reach Slack, trying again", "err", err, "in", pause)
		if err := bot.Sleep(ctx, pause); err != nil {
			return err
		}
		pause = min(pause*2, time.Minute)
	}
}

// fatalAuth tells the errors no retry can mend.
func fatalAuth(err error) bool {
	for _, code := range []string{"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type"} {
		if strings.Contains(err.Error(), code) {
			return true
		}
	}
	return false
}
