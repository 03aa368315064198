package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
)

// web is the adapter's side of the Slack Web API: every call waits out rate
// limits (429, Retry-After) and posts are paced per channel.
type web struct {
	api        *slackgo.Client
	pace       *pacer
	wait       func(context.Context, time.Duration) error
	now        func() time.Time
	maxRetries int
	log        *slog.Logger

	mu  sync.Mutex
	dms map[string]string // user ID → the bot's DM channel with them
}

// target is where a message goes.
type target struct {
	Channel string
	// Thread is the ts of the thread's first message ("" = top level).
	Thread string
	// Ephemeral is the user who alone sees the message ("" = everyone).
	Ephemeral string
	// Broadcast also shows a thread reply in the channel.
	Broadcast bool
	// ResponseURL answers a slash command where the bot cannot post (a
	// channel it is not in, a DM between two people).
	ResponseURL string
}

// call runs one Web API call, waiting and trying again while Slack answers
// 429 (at most maxRetries times): the call is made once more only when Slack
// said it did not take it.
func (w *web) call(ctx context.Context, method string, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		d, limited := retryAfter(err)
		if !limited || attempt >= w.maxRetries {
			switch {
			case err == nil:
				return nil
			case transient(err):
				return fmt.Errorf("%s: %w: %w", method, bot.ErrTransient, err)
			}
			return fmt.Errorf("%s: %w", method, err)
		}
		w.log.Warn("slack rate limit: waiting", "method", method, "retry_after", d, "attempt", attempt+1)
		if err := w.wait(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
	}
}

// retryAfter tells whether err is Slack's "slow down" and how long to wait.
func retryAfter(err error) (time.Duration, bool) {
	if err == nil {
		return 0, false
	}
	var rl *slackgo.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter, true
	}
	var sc slackgo.StatusCodeError
	if errors.As(err, &sc) && sc.Code == http.StatusTooManyRequests {
		return time.Second, true // no Retry-After: wait a second
	}
	if err.Error() == "ratelimited" { // the error field of a 200 answer
		return time.Second, true
	}
	return 0, false
}

// transient tells the failures worth trying again: Slack's 5xx, a rate
// limit that outlasted maxRetries, a dropped connection, Slack's own
// "try later" error codes. Other error codes (channel_not_found,
// not_in_channel, invalid_auth…) are permanent.
func transient(err error) bool {
	if _, limited := retryAfter(err); limited {
		return true
	}
	var sc slackgo.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	switch err.Error() {
	case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
		return true
	}
	return false
}

// paced waits for the channel's turn.
func (w *web) paced(ctx context.Context, channel string) error {
	return w.wait(ctx, w.pace.delay(channel, w.now()))
}

// post sends a rendered reply and returns the ID of the channel it went to
// (Slack's, when it was addressed by name) and its ts ("" for ephemeral
// messages and answers through a response URL, which cannot be replied to).
func (w *web) post(ctx context.Context, t target, m rendered) (channel, ts string, err error) {
	opts := []slackgo.MsgOption{slackgo.MsgOptionText(m.Text, false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slackgo.MsgOptionBlocks(m.Blocks...))
	}
	if t.Thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(t.Thread))
		if t.Broadcast && t.Ephemeral == "" {
			opts = append(opts, slackgo.MsgOptionBroadcast())
		}
	}
	if err := w.paced(ctx, t.Channel); err != nil {
		return "", "", err
	}
	channel = t.Channel
	if t.Ephemeral != "" {
		err = w.call(ctx, "chat.postEphemeral", func() error {
			_, err := w.api.PostEphemeralContext(ctx, t.Channel, t.Ephemeral, opts...)
			return err
		})
	} else {
		err = w.call(ctx, "chat.postMessage", func() error {
			ch, posted, err := w.api.PostMessageContext(ctx, t.Channel, opts...)
			if err == nil {
				ts = posted
				if ch != "" {
					channel = ch
				}
			}
			return err
		})
	}
	if err != nil && t.ResponseURL != "" && cannotPost(err) {
		return t.Channel, "", w.respond(ctx, t, m)
	}
	return channel, ts, err
}

// cannotPost reports the errors of a bot that may not post in a
// conversation: not a member, or not a conversation it can see.
func cannotPost(err error) bool {
	for _, code := range []string{"not_in_channel", "channel_not_found", "is_archived", "restricted_action"} {
		if strings.Contains(err.Error(), code) {
			return true
		}
	}
	return false
}

// respond answers a slash command through its response URL.
func (w *web) respond(ctx context.Context, t target, m rendered) error {
	kind := slackgo.ResponseTypeInChannel
	if t.Ephemeral != "" {
		kind = slackgo.ResponseTypeEphemeral
	}
	opts := []slackgo.MsgOption{slackgo.MsgOptionResponseURL(t.ResponseURL, kind), slackgo.MsgOptionText(m.Text, false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slackgo.MsgOptionBlocks(m.Blocks...))
	}
	return w.call(ctx, "response_url", func() error {
		_, _, err := w.api.PostMessageContext(ctx, t.Channel, opts...)
		return err
	})
}

// upload shares a file in a conversation (in a thread when thread is set):
// files.getUploadURLExternal, the upload, files.completeUploadExternal.
func (w *web) upload(ctx context.Context, channel, thread string, f commands.File) error {
	if len(f.Data) == 0 {
		return fmt.Errorf("file %s is empty", f.Name)
	}
	if err := w.paced(ctx, channel); err != nil {
		return err
	}
	return w.call(ctx, "files.upload", func() error {
		_, err := w.api.UploadFileContext(ctx, slackgo.UploadFileParameters{
			Reader: bytes.NewReader(f.Data), FileSize: len(f.Data), Filename: f.Name, Title: f.Name,
			Channel: channel, ThreadTimestamp: thread,
		})
		return err
	})
}

// conversation returns the channel to post to for an address: a user ID
// (U…, W…) becomes the bot's direct-message channel with them.
func (w *web) conversation(ctx context.Context, chat string) (string, error) {
	if m := channelRef.FindStringSubmatch(chat); m != nil {
		return m[1], nil // <#C0123ABC|dt>, as a channel typed in Slack reads
	}
	if !isUserID(chat) {
		return chat, nil
	}
	w.mu.Lock()
	ch, ok := w.dms[chat]
	w.mu.Unlock()
	if ok {
		return ch, nil
	}
	var c *slackgo.Channel
	err := w.call(ctx, "conversations.open", func() error {
		var err error
		c, _, _, err = w.api.OpenConversationContext(ctx, &slackgo.OpenConversationParameters{Users: []string{chat}})
		return err
	})
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	w.dms[chat] = c.ID
	w.mu.Unlock()
	return c.ID, nil
}

// channelRef is a channel as Slack writes a #mention of it.
var channelRef = regexp.MustCompile(`^<#([A-Z0-9]+)(?:\|[^>]*)?>$`)

// isUserID tells a Slack user ID (U…, W…) from a conversation ID (C…, G…, D…).
func isUserID(s string) bool {
	return len(s) > 1 && (s[0] == 'U' || s[0] == 'W')
}

// triggerLife is how long a trigger ID can open a view.
const triggerLife = 3 * time.Second

// openView opens a modal for the person who pressed a button or ran a
// slash command. It is tried once, within the trigger's 3 s: a 429 is
// returned, not waited out — the trigger would be dead by then.
func (w *web) openView(ctx context.Context, trigger string, v slackgo.ModalViewRequest) error {
	ctx, cancel := context.WithTimeout(ctx, triggerLife)
	defer cancel()
	if _, err := w.api.OpenViewContext(ctx, trigger, v); err != nil {
		return fmt.Errorf("views.open: %w", err)
	}
	return nil
}
