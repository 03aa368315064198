package telegram

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// menuCommands are the commands of the menu Telegram shows next to the text
// field: Romanian for everyone, English for users whose Telegram is in
// English. Both sets of names work for everybody.
func menuCommands() (ro, en []models.BotCommand) {
	for _, c := range slashCommands {
		if c.ro == "" {
			continue // an English alias: in the English menu under its Romanian twin
		}
		ro = append(ro, models.BotCommand{Command: c.name, Description: c.ro})
		name := c.name
		if e, ok := englishMenu[c.name]; ok {
			name = e
		}
		en = append(en, models.BotCommand{Command: name, Description: c.en})
	}
	return ro, en
}

// publishMenu sets the command menu (setMyCommands). A failure is logged:
// the commands work without the menu.
func (a *Adapter) publishMenu(ctx context.Context) {
	ro, en := menuCommands()
	for _, p := range []*tgbot.SetMyCommandsParams{{Commands: ro}, {Commands: en, LanguageCode: "en"}} {
		err := a.call(ctx, 0, func(ctx context.Context) error {
			_, err := a.b.SetMyCommands(ctx, p)
			return err
		})
		if err != nil {
			a.log.Warn("telegram: publish the command menu", "lang", p.LanguageCode, "err", err)
		}
	}
}
