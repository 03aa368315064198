package telegram

import (
	"context"
	"runtime/debug"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// onUpdate is the SDK's handler. The SDK calls it from one goroutine, in
// update order: it only queues the update behind the earlier ones of its
// chat, and notes it handled (for the poll offset) as soon as its change is
// committed: its reply goes out in the chat's send lane (later), so a slow
// chat holds up neither the poll nor the other chats.
func (a *Adapter) onUpdate(_ context.Context, _ *tgbot.Bot, upd *models.Update) {
	a.disp.submit(updateChat(upd), func() {
		if a.handle(upd) {
			a.track.finish(upd.ID)
		}
	})
}

// updateChat is the chat an update belongs to (0 for updates without one).
func updateChat(upd *models.Update) int64 {
	switch {
	case upd.Message != nil:
		return upd.Message.Chat.ID
	case upd.CallbackQuery != nil:
		chat, _ := callbackMessage(upd.CallbackQuery)
		return chat
	}
	return 0
}

// callbackMessage is the chat and message a button was pressed on.
func callbackMessage(q *models.CallbackQuery) (chat int64, msg int) {
	switch {
	case q.Message.Message != nil:
		return q.Message.Message.Chat.ID, q.Message.Message.ID
	case q.Message.InaccessibleMessage != nil:
		return q.Message.InaccessibleMessage.Chat.ID, q.Message.InaccessibleMessage.MessageID
	}
	return q.From.ID, 0
}

func eventID(upd *models.Update) string { return "telegram/" + strconv.FormatInt(upd.ID, 10) }

// handle runs one update. It reports false only when the update was cut
// short by the adapter stopping, so that it is given again after the
// restart; anything else (a reply Telegram refused, a panic) is handled, or
// the same update would fail forever.
func (a *Adapter) handle(upd *models.Update) (handled bool) {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.HandlerTimeout)
	defer cancel()
	ev := eventID(upd)
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("telegram: update handler panicked", "update_id", upd.ID, "panic", r, "stack", string(debug.Stack()))
			a.apologise(ctx, upd)
			handled = true
		}
	}()
	if a.hub.Handled(ev) {
		a.log.Debug("telegram: update already handled", "update_id", upd.ID)
		if q := upd.CallbackQuery; q != nil {
			a.answer(ctx, q.ID, "")
		}
		return true
	}
	var err error
	switch {
	case upd.Message != nil:
		err = a.onMessage(ctx, upd.Message, ev)
	case upd.CallbackQuery != nil:
		err = a.onCallback(ctx, upd.CallbackQuery, ev)
	default:
		return true
	}
	if err != nil && a.isStopping() {
		a.log.Warn("telegram: update left for after the restart", "update_id", upd.ID, "err", err)
		return false
	}
	if err != nil {
		a.log.Error("telegram: reply not sent", "update_id", upd.ID, "err", err)
	}
	return true
}

// migrated handles the service message of a group that became a supergroup
// (in the old group: migrate_to_chat_id; in the new one: migrate_from_chat_id).
func (a *Adapter) migrated(ctx context.Context, msg *models.Message) {
	if msg.MigrateToChatID != 0 {
		a.migrate(ctx, msg.Chat.ID, msg.MigrateToChatID)
		return
	}
	a.migrate(ctx, msg.MigrateFromChatID, msg.Chat.ID)
}

// apologise answers an update whose handling panicked.
func (a *Adapter) apologise(ctx context.Context, upd *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("telegram: apology panicked", "panic", r)
		}
	}()
	if q := upd.CallbackQuery; q != nil {
		a.answer(ctx, q.ID, "")
	}
	chat := updateChat(upd)
	if chat == 0 {
		return
	}
	if _, err := a.sendReply(ctx, chat, bot.Apology, sendOpts{}); err != nil {
		a.log.Warn("telegram: apology not sent", "chat", chat, "err", err)
	}
}

// identity is the chat identity of a Telegram user.
func identity(u *models.User) commands.Identity {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.Username != "" {
		name = "@" + u.Username
	}
	return commands.Identity{Platform: "telegram", ID: strconv.FormatInt(u.ID, 10), Name: name}
}

func (a *Adapter) onMessage(ctx context.Context, msg *models.Message, ev string) error {
	if msg.MigrateToChatID != 0 || msg.MigrateFromChatID != 0 {
		a.migrated(ctx, msg) // a service message, whoever (or nobody) it is from
		return nil
	}
	if msg.From == nil || msg.From.IsBot {
		return nil
	}
	chat := msg.Chat.ID
	private := msg.Chat.Type == models.ChatTypePrivate
	who := identity(msg.From)
	a.unblock(chat)
	if private {
		a.clearUnreachable(ctx, who)
	}
	txt := msg.Text
	if txt == "" {
		txt = msg.Caption
	}
	p, ok := a.readMessage(msg, txt, private)
	if !ok {
		return nil // group chatter, or a command for another bot
	}
	req := commands.Request{Who: who, Text: p.Line, EventID: ev, Lang: p.Lang, Item: a.itemOf(chat, msg.ReplyToMessage),
		Event: a.eventOf(chat, msg.ReplyToMessage)}
	replyTo := 0
	if !private {
		replyTo = msg.ID
	}
	if msg.Document != nil && !p.Start {
		if _, known, _ := a.engine.Caller(who); known { // a stranger's upload is not fetched
			files, err := a.attachment(ctx, msg, p.Line)
			if err != nil {
				a.log.Warn("telegram: a document could not be fetched", "who", who.Key(), "err", err)
				english := a.english(p)
				failed := commands.Reply{Kind: commands.Failed, Title: pick(english,
					"Nu am putut descărca fișierul de la Telegram; nu s-a modificat nimic. Trimiteți-l din nou.",
					"The file could not be fetched from Telegram; nothing was changed. Send it again.")}
				a.later(chat, ev, func(ctx context.Context) error {
					return a.respond(ctx, chat, private, msg.From.ID, replyTo, failed, english)
				})
				return nil
			}
			req.Files = files
		}
	}
	var reply commands.Reply
	if p.Start && p.Code != "" {
		reply = a.engine.Redeem(ctx, req, p.Code)
	} else {
		reply = a.engine.Handle(ctx, req)
	}
	english := a.english(p)
	a.later(chat, ev, func(ctx context.Context) error {
		return a.respond(ctx, chat, private, msg.From.ID, replyTo, reply, english)
	})
	return nil
}

// readMessage turns a message into a command line: the answer to a button's
// prompt, a slash command, or plain text meant for the bot.
func (a *Adapter) readMessage(msg *models.Message, txt string, private bool) (parsed, bool) {
	if r := msg.ReplyToMessage; r != nil {
		if f, ok := a.forms.take(msg.Chat.ID, r.ID, msg.From.ID, a.engine.Now()); ok {
			p := parsed{Line: fillForm(f.command, f.inputs, a.keysOf(f.command), txt)}
			if f.english {
				p.Lang = commands.English
			}
			return p, true
		}
	}
	if private && strings.TrimSpace(txt) == "" {
		return parsed{}, true // a sticker or a photo: the engine asks for a command (or refuses a stranger)
	}
	addressed := private || a.repliesToBot(msg)
	return parseText(txt, a.Username(), addressed)
}

// keysOf tells which words are key=value keys of the command a line starts
// with (the others a form fills are positional).
func (a *Adapter) keysOf(line string) func(string) bool {
	keys := map[string]bool{}
	if cmd, _, _ := a.engine.Table().Lookup(strings.Fields(line)); cmd != nil {
		for _, k := range cmd.Keys {
			keys[k.Name] = true
		}
	}
	return func(k string) bool { return keys[text.Fold(k)] }
}

func (a *Adapter) repliesToBot(msg *models.Message) bool {
	r := msg.ReplyToMessage
	return r != nil && r.From != nil && r.From.ID == a.botID()
}

// itemOf is the registration a replied-to message shows ("" if none).
func (a *Adapter) itemOf(chat int64, replied *models.Message) string {
	if replied == nil {
		return ""
	}
	return a.itemOfMessage(chat, replied.ID)
}

// eventOf is the agenda event the message replied to shows (a preparing
// department's notice), 0 when none: `nota` in reply to it is about it.
func (a *Adapter) eventOf(chat int64, replied *models.Message) int {
	if replied == nil {
		return 0
	}
	return a.hub.EventOf(messageRef(chat, replied.ID))
}

func (a *Adapter) itemOfMessage(chat int64, msgID int) string {
	if msgID == 0 {
		return ""
	}
	return a.hub.ItemOf(messageRef(chat, msgID))
}

func messageRef(chat int64, msgID int) storage.MessageRef {
	return storage.MessageRef{Platform: "telegram", Chat: strconv.FormatInt(chat, 10), ID: strconv.Itoa(msgID)}
}

// english tells whether the reply's own words (its buttons) should be in
// English: the command was typed by its English name.
func (a *Adapter) english(p parsed) bool {
	if p.Lang != "" {
		return p.Lang == commands.English
	}
	tokens, err := text.Tokenize(p.Line)
	if err != nil {
		return false
	}
	var words []string
	for _, t := range tokens {
		if t.Key != "" {
			break
		}
		words = append(words, t.Value)
	}
	_, _, en := a.engine.Table().Lookup(words)
	return en
}

// respond sends a reply where it belongs: a private reply asked in a group
// goes to the asker's own chat (a refusal stays in the group when the
// person never wrote to the bot, who may not write first).
func (a *Adapter) respond(ctx context.Context, chat int64, private bool, user int64, replyTo int, reply commands.Reply, english bool) error {
	if reply.Silent {
		return nil
	}
	if reply.Private && !private {
		_, err := a.sendReply(ctx, user, reply, sendOpts{english: english, bind: true})
		if err == nil || a.isStopping() {
			return err
		}
		a.log.Info("telegram: a private reply could not go to the person's chat; telling the group", "user", user, "err", err)
		if reply.Kind != commands.Denied {
			name := "@" + a.Username()
			reply = commands.Reply{Title: pick(english,
				"Răspunsul este doar pentru dumneavoastră: scrieți-mi întâi în privat ("+name+"), apoi trimiteți comanda acolo.",
				"This answer is for you only: write to me privately first ("+name+"), then send the command there.")}
		}
	}
	_, err := a.sendReply(ctx, chat, reply, sendOpts{replyTo: replyTo, english: english, bind: true})
	return err
}

func pick(english bool, ro, en string) string {
	if english {
		return en
	}
	return ro
}

// unblock forgets that a chat refused the bot: it just wrote to it.
func (a *Adapter) unblock(chat int64) {
	a.blockMu.Lock()
	delete(a.blocked, chat)
	a.blockMu.Unlock()
}

func (a *Adapter) isBlocked(chat int64) bool {
	a.blockMu.Lock()
	defer a.blockMu.Unlock()
	return a.blocked[chat]
}

// clearUnreachable lifts the unreachable mark of a person who writes to the
// bot again (they unblocked it).
func (a *Adapter) clearUnreachable(ctx context.Context, who commands.Identity) {
	if a.hub.Reachable(who.Key()) {
		return
	}
	if _, err := a.hub.SetReachable(ctx, who.Key(), true, "telegram"); err != nil {
		a.log.Warn("telegram: clear the unreachable mark", "who", who.Key(), "err", err)
		return
	}
	a.log.Info("telegram: chat reachable again", "who", who.Key())
}
