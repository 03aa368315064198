package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
)

// ResolveChat finds the numeric ID of a group or channel by its public
// @username (getChat). The commands store that ID rather than the name:
// replies in the group, the messages bound to items and a supergroup's
// migration all know the chat by its number. It implements
// bot.ChatResolver.
func (a *Adapter) ResolveChat(ctx context.Context, name string) (string, error) {
	id, err := a.lookUp(ctx, name)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(id, 10), nil
}

func (a *Adapter) lookUp(ctx context.Context, name string) (int64, error) {
	name = "@" + strings.TrimPrefix(strings.TrimSpace(name), "@")
	var chat *models.ChatFullInfo
	err := a.call(ctx, 0, func(ctx context.Context) error {
		var err error
		chat, err = a.b.GetChat(ctx, &tgbot.GetChatParams{ChatID: name})
		return err
	})
	switch {
	case errors.Is(err, tgbot.ErrorBadRequest):
		return 0, fmt.Errorf("telegram: no chat %s the bot can see: %w", name, err)
	case err != nil:
		return 0, fmt.Errorf("telegram: getChat %s: %w", name, err)
	case chat == nil || chat.ID == 0:
		return 0, fmt.Errorf("telegram: getChat %s: no chat in the answer", name)
	case chat.Type == models.ChatTypePrivate:
		return 0, fmt.Errorf("telegram: %s is a person, not a group or a channel", name)
	}
	return chat.ID, nil
}

// chatID reads the chat an address names: a numeric ID, or — recorded
// before names were resolved at input — a public @name, looked up once and
// remembered.
func (a *Adapter) chatID(ctx context.Context, chat string) (int64, error) {
	chat = strings.TrimSpace(chat)
	if !strings.HasPrefix(chat, "@") {
		id, err := strconv.ParseInt(chat, 10, 64)
		if err != nil || id == 0 {
			return 0, fmt.Errorf("telegram: %q is not a chat ID", chat)
		}
		return id, nil
	}
	key := strings.ToLower(chat)
	a.namesMu.Lock()
	id, ok := a.names[key]
	a.namesMu.Unlock()
	if ok {
		return id, nil
	}
	id, err := a.lookUp(ctx, chat)
	if err != nil {
		return 0, err
	}
	a.log.Warn("telegram: a chat is recorded by its @name; record its numeric ID instead", "name", chat, "id", id)
	a.namesMu.Lock()
	a.names[key] = id
	a.namesMu.Unlock()
	return id, nil
}

var _ bot.ChatResolver = (*Adapter)(nil)
