package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Send posts a reply to a chat (a person's user ID or a group's negative
// ID) and returns the ID of its first message. It implements bot.Platform:
// the Hub delivers notices, digests and the Mayor's morning agenda with it.
func (a *Adapter) Send(ctx context.Context, chat string, r commands.Reply) (string, error) {
	return a.push(ctx, chat, 0, r)
}

// SendInThread posts a reply as an answer to an earlier message (a
// reminder under an item's card). It implements the Hub's ThreadSender.
func (a *Adapter) SendInThread(ctx context.Context, chat, parentID string, r commands.Reply) (string, error) {
	parent, err := strconv.Atoi(parentID)
	if err != nil {
		return "", fmt.Errorf("telegram: %q is not a message ID", parentID)
	}
	return a.push(ctx, chat, parent, r)
}

func (a *Adapter) push(ctx context.Context, chat string, parent int, r commands.Reply) (string, error) {
	id, err := a.chatID(ctx, chat)
	if err != nil {
		return "", err
	}
	if a.isBlocked(id) {
		return "", fmt.Errorf("chat %d: %w", id, ErrUnreachable)
	}
	if r.Silent {
		return "", nil
	}
	first, err := a.sendReply(ctx, id, r, sendOpts{replyTo: parent})
	if err != nil || first == 0 {
		return "", err
	}
	return strconv.Itoa(first), nil
}

type sendOpts struct {
	replyTo int  // the message this answers (0: none)
	english bool // the bot's own words (buttons) in English
	bind    bool // bind the first message to the reply's item (the Hub binds what it sends)
}

// sendReply renders a reply and sends it: the first page with the reply's
// buttons (and "More" when there are more pages), then its files. It
// returns the first message's ID (0 when nothing was sent).
func (a *Adapter) sendReply(ctx context.Context, chat int64, r commands.Reply, o sendOpts) (int, error) {
	rows, typed := actionButtons(r.Actions)
	if len(typed) > 0 {
		r.Lines = slices.Clip(r.Lines)
		for _, c := range typed {
			r.Lines = append(r.Lines, pick(o.english, "De scris: ", "Type: ")+c)
		}
	}
	first := 0
	pages := renderPages(r, a.cfg.PageLines)
	if len(pages) > 0 {
		firstRows := rows
		if len(pages) > 1 {
			set := a.pages.put(&pageSet{chat: chat, pages: pages, actions: rows, english: o.english, at: a.engine.Now()})
			firstRows = append(slices.Clip(rows), []models.InlineKeyboardButton{moreButton(set, 2, o.english)})
		}
		m, err := a.sendMessage(ctx, chat, pages[0], o.replyTo, keyboard(firstRows))
		if err != nil {
			return 0, err
		}
		first = m.ID
		if o.bind && a.hub != nil {
			a.hub.Bind(ctx, messageRef(chat, m.ID), r.Item)
		}
	}
	for _, f := range r.Files {
		m, err := a.sendDocument(ctx, chat, f, o.replyTo)
		if err != nil {
			return first, err
		}
		if first == 0 {
			first = m.ID
		}
	}
	return first, nil
}

// sendMessage posts one HTML message. A group that became a supergroup is
// followed to its new ID once.
func (a *Adapter) sendMessage(ctx context.Context, chat int64, html string, replyTo int, markup models.ReplyMarkup) (*models.Message, error) {
	p := &tgbot.SendMessageParams{ChatID: chat, Text: html, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}, ReplyMarkup: markup}
	if replyTo > 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	var m *models.Message
	send := func(ctx context.Context) error {
		var err error
		m, err = a.b.SendMessage(ctx, p)
		return err
	}
	err := a.call(ctx, chat, send)
	if to := a.movedTo(ctx, chat, err); to != 0 {
		p.ChatID = to
		err = a.call(ctx, to, send)
	}
	if err != nil {
		return nil, fmt.Errorf("telegram: send to %d: %w", chat, err)
	}
	return m, nil
}

// movedTo tells, from the error of a send, the new ID of a group that became
// a supergroup, after recording it (0: the error is something else).
func (a *Adapter) movedTo(ctx context.Context, chat int64, err error) int64 {
	var mig *tgbot.MigrateError
	if !errors.As(err, &mig) || mig.MigrateToChatID == 0 {
		return 0
	}
	to := int64(mig.MigrateToChatID)
	a.log.Warn("telegram: the group became a supergroup; following it", "old", chat, "new", to)
	a.migrate(ctx, chat, to)
	return to
}

func (a *Adapter) sendDocument(ctx context.Context, chat int64, f commands.File, replyTo int) (*models.Message, error) {
	m, err := a.sendDocumentTo(ctx, chat, f, replyTo)
	if to := a.movedTo(ctx, chat, err); to != 0 {
		m, err = a.sendDocumentTo(ctx, to, f, replyTo)
	}
	return m, err
}

func (a *Adapter) sendDocumentTo(ctx context.Context, chat int64, f commands.File, replyTo int) (*models.Message, error) {
	var m *models.Message
	err := a.call(ctx, chat, func(ctx context.Context) error {
		p := &tgbot.SendDocumentParams{ChatID: chat, Document: &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}}
		if replyTo > 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
		}
		var err error
		m, err = a.b.SendDocument(ctx, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("telegram: send %s to %d: %w", f.Name, chat, err)
	}
	return m, nil
}

// editButtons replaces the buttons of a message (none: removes them).
func (a *Adapter) editButtons(ctx context.Context, chat int64, msgID int, rows [][]models.InlineKeyboardButton) {
	if msgID == 0 {
		return
	}
	if rows == nil {
		rows = [][]models.InlineKeyboardButton{}
	}
	err := a.call(ctx, chat, func(ctx context.Context) error {
		_, err := a.b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: chat, MessageID: msgID,
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: rows}})
		return err
	})
	if err != nil {
		a.log.Info("telegram: edit buttons", "chat", chat, "err", err)
	}
}

func answerParams(id, text string) *tgbot.AnswerCallbackQueryParams {
	return &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text}
}

// call runs one Bot API call. A call that posts to a chat (chat ≠ 0) waits
// for its slot (pacer). On 429 it waits the retry_after Telegram gives, keeps
// the chat's other messages back as long, and tries again, up to MaxRetries
// times. A 403 (the bot blocked, or removed from the group) marks the chat
// unreachable and is not retried.
func (a *Adapter) call(ctx context.Context, chat int64, fn func(context.Context) error) error {
	for attempt := 0; ; attempt++ {
		if chat != 0 {
			if d := a.pace.reserve(chat, time.Now()); d > 0 {
				if err := a.cfg.Wait(ctx, d); err != nil {
					return err
				}
			}
		}
		err := fn(ctx)
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &tooMany) && attempt < a.cfg.MaxRetries:
			wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
			a.log.Warn("telegram: rate limited, waiting", "chat", chat, "retry_after", wait, "attempt", attempt+1)
			if chat != 0 {
				a.pace.holdUntil(chat, time.Now().Add(wait))
				continue // the pacer waits out the hold
			}
			if err := a.cfg.Wait(ctx, wait); err != nil {
				return err
			}
		case errors.Is(err, tgbot.ErrorForbidden):
			if chat != 0 {
				a.markUnreachable(ctx, chat, err)
			}
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		case transient(err):
			return fmt.Errorf("%w: %w", bot.ErrTransient, err)
		default:
			return err
		}
	}
}

// transient tells the failures worth trying again: a 5xx, a dropped
// connection, an answer that is not the Bot API's, a rate limit that
// outlasted MaxRetries. Telegram's 4xx answers (and a migration) are
// permanent.
func transient(err error) bool {
	var mig *tgbot.MigrateError
	if errors.As(err, &mig) || errors.Is(err, context.Canceled) {
		return false
	}
	for _, permanent := range []error{tgbot.ErrorForbidden, tgbot.ErrorBadRequest, tgbot.ErrorUnauthorized,
		tgbot.ErrorNotFound, tgbot.ErrorConflict} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	return true
}

// markUnreachable remembers that a chat refuses the bot: nothing more is
// sent to it until it writes again, and a person's record says so (the Hub
// stops sending them the agenda).
func (a *Adapter) markUnreachable(ctx context.Context, chat int64, cause error) {
	a.blockMu.Lock()
	a.blocked[chat] = true
	a.blockMu.Unlock()
	if isGroup(chat) {
		a.log.Warn("telegram: the bot may not post in this group (removed or restricted); its messages are dropped until the group writes to the bot",
			"chat", chat, "err", cause)
		return
	}
	who := "telegram:" + strconv.FormatInt(chat, 10)
	changed, err := a.hub.SetReachable(ctx, who, false, "telegram")
	switch {
	case errors.Is(err, storage.ErrNotFound):
		a.log.Warn("telegram: a chat without a role blocked the bot", "who", who)
	case err != nil:
		a.log.Error("telegram: mark a chat unreachable", "who", who, "err", err)
	case changed:
		a.log.Warn("telegram: the person blocked the bot; marked unreachable until they write again", "who", who)
	}
}

// The Hub delivers through these.
var (
	_ bot.Platform     = (*Adapter)(nil)
	_ bot.ThreadSender = (*Adapter)(nil)
)
