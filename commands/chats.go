package commands

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ChatResolver finds the numeric ID of a chat given by its public name on a
// platform (a Telegram @username). The Hub is one, through the connected
// adapters; main connects it with Engine.SetChatResolver.
type ChatResolver interface {
	ResolveChat(ctx context.Context, platform, name string) (id string, err error)
}

// ErrCannotResolve is wrapped by a ChatResolver's error when it cannot look
// names up at all (the platform is not connected), as opposed to a name the
// platform does not know.
var ErrCannotResolve = errors.New("chats cannot be looked up by name now")

// SetChatResolver lets the commands that record a chat accept its public
// name and store its numeric ID.
func (e *Engine) SetChatResolver(r ChatResolver) { e.chats = r }

// resolveTimeout bounds a look-up of a chat by name.
const resolveTimeout = 15 * time.Second

// telegramExample is how a department's group is recorded.
const telegramExample = "departament modifica DT telegram=-1001234567890"

// telegramChat turns a Telegram chat as typed into what is stored: a
// numeric ID as it is; a public @name resolved once to its numeric ID (the
// messages of a group, replies bound to items and a supergroup's migration
// all know the chat by it), with a note for the reply. A name that cannot
// be resolved is refused with the reason.
func (c *Call) telegramChat(v string) (id, note string, p *problem) {
	v = cleanText(v)
	if !strings.HasPrefix(v, "@") {
		return v, "", nil
	}
	if !telegramName.MatchString(v) {
		return "", "", probf("„%s” nu este un nume public Telegram (@ urmat de 5–32 litere, cifre sau _).",
			"“%s” is not a Telegram public name (@ and 5–32 letters, digits or _).", v)
	}
	if c.e.chats == nil {
		return "", "", notResolvable(v, ErrCannotResolve)
	}
	ctx, cancel := context.WithTimeout(c.Ctx, resolveTimeout)
	defer cancel()
	id, err := c.e.chats.ResolveChat(ctx, "telegram", v)
	if err != nil {
		c.e.log.Warn("telegram chat not resolved", "name", v, "err", err)
		return "", "", notResolvable(v, err)
	}
	return id, c.T("%s → %s (ID-ul numeric al chatului, cu care se păstrează)", "%s → %s (the chat's numeric ID, which is what is kept)", v, id), nil
}

// notResolvable explains why a Telegram @name was not taken.
func notResolvable(name string, err error) *problem {
	if errors.Is(err, ErrCannotResolve) {
		return probf("„%s” este un nume public; botul păstrează ID-ul numeric al chatului și îl poate afla singur doar cât timp Telegram e conectat (TELEGRAM_BOT_TOKEN). "+
			"Repetați când botul rulează cu Telegram, sau dați ID-ul numeric (-1001234567890; îl arată web.telegram.org în adresa grupului).",
			"“%s” is a public name; the bot keeps the chat's numeric ID and can look it up only while Telegram is connected (TELEGRAM_BOT_TOKEN). "+
				"Try again while the bot runs with Telegram, or give the numeric ID (-1001234567890; web.telegram.org shows it in the group's address).", name)
	}
	return probf("Telegram nu a găsit chatul „%s” (%v). Un nume public îl au doar canalele și grupurile publice, iar botul trebuie să fie în ele; "+
		"pentru un grup privat dați ID-ul numeric (-1001234567890; îl arată web.telegram.org în adresa grupului).",
		"Telegram did not find the chat “%s” (%v). Only public channels and groups have a public name, and the bot must be in them; "+
			"for a private group give the numeric ID (-1001234567890; web.telegram.org shows it in the group's address).", name, err)
}
