// Package telegram connects the bot to Telegram, where the Mayor reads the
// agenda on the phone and some departments work in groups. It runs the same
// command language as the console through commands.Engine: slash commands
// (/azi, /telefon …, parsed here, /cmd@botname included), plain text, replies
// to the bot's cards, inline buttons and short ForceReply conversations. It
// renders replies as HTML (user text escaped), pages long lists behind
// "Mai mult" buttons, and implements bot.Platform (and SendInThread) so the
// Hub and the scheduler can push.
//
// It connects by long polling (the default) or by webhook. Either way every
// update is handled exactly once: polling confirms an update to Telegram only
// after its change (and the notices it owes, in the outbox) was committed
// (gate.go) and keeps the last handled update_id in Badger to resume after
// it; the engine records each update's event ID with the change it makes,
// and a redelivered update finds it and is dropped. Replies go out after, in
// per-chat send lanes (lanes.go): a slow chat delays only itself.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Engine is what the adapter needs of the command engine; *commands.Engine
// is one.
type Engine interface {
	Handle(ctx context.Context, req commands.Request) commands.Reply
	// Redeem links an identity with a one-time code (/start CODE), before
	// any access check.
	Redeem(ctx context.Context, req commands.Request, code string) commands.Reply
	Caller(who commands.Identity) (commands.Caller, bool, error)
	Table() *commands.Table
	// Now is the engine's clock (Europe/Bucharest).
	Now() time.Time
	// FileArgument tells whether the command on a line takes a file (sent
	// as a document with the command as caption).
	FileArgument(line string) (name string, takes bool)
}

// Config is what the adapter needs. The token comes from TELEGRAM_BOT_TOKEN
// and is never logged.
type Config struct {
	Token string
	// APIURL overrides https://api.telegram.org (a local Bot API server, a
	// test server).
	APIURL string
	// WebhookURL selects the webhook: Telegram posts updates to it, and the
	// adapter serves them on ListenAddr (or Listener) at the URL's path.
	// WebhookSecret is required with it; requests without it are refused.
	WebhookURL    string
	WebhookSecret string
	ListenAddr    string
	Listener      net.Listener

	Engine Engine
	Store  *storage.Store
	// Hub delivers the notices of replies and binds posted messages to the
	// items they show.
	Hub    *bot.Hub
	Logger *slog.Logger
	// HTTPClient calls the Bot API; nil means a client sized for the poll.
	HTTPClient *http.Client

	// PollTimeout is the long-poll wait of getUpdates (default 50 s).
	PollTimeout time.Duration
	// ChatInterval spaces the messages to one chat (default 1 s; negative:
	// no pacing). Groups also get at most GroupLimit messages in any
	// GroupWindow (default 20 a minute).
	ChatInterval time.Duration
	GroupWindow  time.Duration
	GroupLimit   int
	// MaxRetries bounds the tries of a call Telegram answers 429 (default 5).
	MaxRetries int
	// Wait waits out a pause (pacing, retry_after); nil sleeps. Tests record
	// the pauses instead of sleeping them.
	Wait func(ctx context.Context, d time.Duration) error
	// PageLines is how many lines one message shows before "Mai mult"
	// (default 15: a phone screen).
	PageLines int
	// HandlerTimeout bounds the handling of one update (default 2 min).
	HandlerTimeout time.Duration
	// ReplyRetry is how long a reply is tried again after transient
	// failures (default 1 min); ReplyBackoff, the pause before try n+1
	// (default 1 s, 2 s, 4 s… up to 15 s).
	ReplyRetry   time.Duration
	ReplyBackoff func(n int) time.Duration
}

// Adapter is the Telegram platform.
type Adapter struct {
	cfg    Config
	b      *tgbot.Bot
	engine Engine
	store  *storage.Store
	hub    *bot.Hub
	log    *slog.Logger

	pace  *pacer
	lanes *bot.Lanes // per-chat send lanes for replies
	pages *pageStore
	forms *formStore
	track *tracker
	disp  *dispatcher

	meMu     sync.RWMutex
	me       models.User
	blockMu  sync.Mutex
	blocked  map[int64]bool // chats that answered 403, until they write again
	ready    chan struct{}
	stopping chan struct{}
	stopOnce sync.Once
	connOnce sync.Once // the first "platform connected"
	link     linkState // connected now, for /readyz
	namesMu  sync.Mutex
	names    map[string]int64 // public @name (lower case) → chat ID, for chats recorded by name
}

// ErrUnreachable is returned by Send when the chat refuses the bot's
// messages (the bot was blocked, or removed from the group).
var ErrUnreachable = errors.New("telegram: the chat does not accept the bot's messages")

// offsetState is where the last handled update_id is kept (storage.State).
const offsetState = "telegram/offset"

// New checks the configuration and returns an adapter; Run connects it.
func New(cfg Config) (*Adapter, error) {
	switch {
	case cfg.Engine == nil || cfg.Store == nil || cfg.Hub == nil:
		return nil, errors.New("telegram: the engine, the store and the hub are required")
	case strings.TrimSpace(cfg.Token) == "":
		return nil, errors.New("telegram: a bot token is required")
	case cfg.WebhookURL != "" && cfg.WebhookSecret == "":
		return nil, errors.New("telegram: a webhook needs a secret token, so that forged updates are refused")
	}
	if cfg.WebhookURL != "" {
		if err := checkWebhook(cfg.WebhookURL, cfg.WebhookSecret); err != nil {
			return nil, err
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.ChatInterval == 0 {
		cfg.ChatInterval = time.Second
	}
	if cfg.GroupWindow <= 0 {
		cfg.GroupWindow = time.Minute
	}
	if cfg.GroupLimit <= 0 {
		cfg.GroupLimit = 20
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 5
	}
	if cfg.Wait == nil {
		cfg.Wait = bot.Sleep
	}
	if cfg.PageLines <= 0 {
		cfg.PageLines = 15
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = 2 * time.Minute
	}
	if cfg.ListenAddr == "" {
		cfg.ListenAddr = ":8443"
	}
	if cfg.ReplyRetry <= 0 {
		cfg.ReplyRetry = time.Minute
	}
	if cfg.ReplyBackoff == nil {
		cfg.ReplyBackoff = func(n int) time.Duration { return min(time.Second<<min(n-1, 10), 15*time.Second) }
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: cfg.PollTimeout + 15*time.Second}
	}
	a := &Adapter{cfg: cfg, engine: cfg.Engine, store: cfg.Store, hub: cfg.Hub, log: cfg.Logger.With("platform", "telegram"),
		pace: newPacer(cfg.ChatInterval, cfg.GroupWindow, cfg.GroupLimit), pages: newPageStore(), forms: newFormStore(),
		blocked: map[int64]bool{}, names: map[string]int64{}, ready: make(chan struct{}), stopping: make(chan struct{}), lanes: bot.NewLanes()}
	a.disp = newDispatcher()

	offset, err := a.savedOffset()
	if err != nil {
		return nil, err
	}
	a.track = newTracker(offset, a.saveOffset)
	opts := []tgbot.Option{
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(), // Run asks, with retries, instead of failing New
		tgbot.WithHTTPClient(cfg.PollTimeout+time.Second, &gate{next: cfg.HTTPClient, track: a.track, polled: a.connected}),
		tgbot.WithInitialOffset(offset),
		tgbot.WithDefaultHandler(a.onUpdate),
		tgbot.WithNotAsyncHandlers(), // onUpdate only queues: the order of updates is kept
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}),
		tgbot.WithErrorsHandler(func(err error) { a.log.Warn("telegram: bot api", "err", err) }),
	}
	if a.b, err = tgbot.New(cfg.Token, opts...); err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	return a, nil
}

// checkWebhook refuses a webhook URL Telegram would not call, and a secret
// Telegram would not accept (1–256 of A–Z, a–z, 0–9, _ and -).
func checkWebhook(u, secret string) error {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" && p.Scheme != "http" || p.Host == "" {
		return fmt.Errorf("telegram: the webhook URL %q is not an http(s) URL", u)
	}
	if len(secret) > 256 {
		return errors.New("telegram: the webhook secret is longer than 256 characters")
	}
	for _, r := range secret {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return errors.New("telegram: the webhook secret may hold only letters, digits, _ and -")
		}
	}
	return nil
}

func (a *Adapter) savedOffset() (int64, error) {
	v, err := a.hub.State(offsetState)
	if err != nil {
		return 0, fmt.Errorf("telegram: read the last update handled: %w", err)
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("telegram: the stored offset %q is not a number: %w", v, err)
	}
	return n, nil
}

func (a *Adapter) saveOffset(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.hub.SetState(ctx, offsetState, strconv.FormatInt(id, 10)); err != nil {
		a.log.Error("telegram: store the last update handled", "update_id", id, "err", err)
	}
}

// Name is the platform's identity prefix.
func (a *Adapter) Name() string { return "telegram" }

// Mode says how the adapter receives updates: "polling" or "webhook".
func (a *Adapter) Mode() string {
	if a.cfg.WebhookURL != "" {
		return "webhook"
	}
	return "polling"
}

// Ready is closed once Run knows who the bot is and takes updates.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// Username is the bot's @username, without the @ ("" before Run).
func (a *Adapter) Username() string {
	a.meMu.RLock()
	defer a.meMu.RUnlock()
	return a.me.Username
}

func (a *Adapter) botID() int64 {
	a.meMu.RLock()
	defer a.meMu.RUnlock()
	return a.me.ID
}

// Run connects to Telegram and handles updates until ctx ends; it then lets
// the updates being handled finish, drops those not started (Telegram gives
// them again after a restart) and returns. It returns an error only when
// Telegram refuses the token or the webhook cannot be served.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.stop()
	go func() {
		select {
		case <-ctx.Done():
			a.stopOnce.Do(func() { close(a.stopping) })
		case <-a.stopping:
		}
	}()
	if err := a.whoAmI(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.publishMenu(ctx)
	var err error
	if a.Mode() == "webhook" {
		err = a.runWebhook(ctx)
	} else {
		err = a.runPolling(ctx)
	}
	a.link.running.Store(false)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// stop stops taking updates and waits for those being handled.
func (a *Adapter) stop() {
	a.stopOnce.Do(func() { close(a.stopping) })
	a.disp.stop()
	a.lanes.Stop() // the replies queued go out (each tried for ReplyRetry at most)
}

// Stopping is closed once the adapter stops taking updates (its Run context
// ended): what is being handled finishes, what fails from now on is left for
// Telegram to give again after a restart.
func (a *Adapter) Stopping() <-chan struct{} { return a.stopping }

func (a *Adapter) isStopping() bool {
	select {
	case <-a.stopping:
		return true
	default:
		return false
	}
}

func (a *Adapter) runPolling(ctx context.Context) error {
	// getUpdates is refused while a webhook is set: remove it (keeping the
	// updates Telegram holds).
	if err := a.call(ctx, 0, func(ctx context.Context) error {
		_, err := a.b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
		return err
	}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("telegram: delete webhook", "err", err)
	}
	close(a.ready)
	a.log.Info("telegram: polling", "bot", a.Username(), "after_update", a.track.mark())
	a.b.Start(ctx)
	return nil
}

// whoAmI asks Telegram who the bot is (getMe), trying again with a growing
// pause while Telegram cannot be reached; a refused token is fatal.
func (a *Adapter) whoAmI(ctx context.Context) error {
	pause := time.Second
	for {
		me, err := a.b.GetMe(ctx)
		if err == nil {
			a.meMu.Lock()
			a.me = *me
			a.meMu.Unlock()
			a.log.Info("telegram: authenticated", "bot", me.Username, "id", me.ID, "mode", a.Mode())
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return fmt.Errorf("telegram: the bot token was refused (%w)", err)
		}
		a.log.Warn("telegram: cannot reach Telegram, trying again", "err", err, "in", pause)
		if err := bot.Sleep(ctx, pause); err != nil {
			return err
		}
		pause = min(pause*2, time.Minute)
	}
}

// connected logs, once, that Telegram is connected: getMe passed and
// Telegram answered a getUpdates, or took the webhook.
func (a *Adapter) connected() {
	a.link.heard(time.Now())
	a.connOnce.Do(func() { a.log.Info("platform connected", "mode", a.Mode(), "bot", a.Username()) })
}
