package slack

import (
	"context"
	"strings"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// onEventsAPI handles an Events API callback (by Socket Mode or HTTP): a
// message to the bot, a mention, a reply in a card's thread.
func (a *Adapter) onEventsAPI(ctx context.Context, ev slackevents.EventsAPIEvent) {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" || e.User == a.BotUserID() {
			return
		}
		a.onMessage(ctx, e.Channel, e.User, e.Text, e.TimeStamp, e.ThreadTimeStamp, false, true, e.Files)
	case *slackevents.MessageEvent:
		switch e.SubType {
		case "", "thread_broadcast", "file_share":
		default:
			return // edits, deletions, joins, bots
		}
		if e.BotID != "" || e.User == "" || e.User == a.BotUserID() {
			return
		}
		a.onMessage(ctx, e.Channel, e.User, e.Text, e.TimeStamp, e.ThreadTimeStamp, e.ChannelType == "im", false, messageFiles(e))
	}
}

// messageFiles are the files shared with a message (slackevents keeps a
// plain message's fields in Message).
func messageFiles(e *slackevents.MessageEvent) []slackgo.File {
	if e.Message == nil {
		return nil
	}
	return e.Message.Files
}

// onMessage turns a message into a request. In a direct message everything
// is for the bot; in a channel, a message that mentions the bot (it arrives
// as app_mention) or, in the thread of a card, one that starts with a
// command (`rezolvat raspuns=…`), or, in the thread of a preparing
// department's notice, `nota` with the file. The files shared with a command
// that takes one are fetched (files.go).
func (a *Adapter) onMessage(ctx context.Context, channel, user, raw, ts, threadTS string, dm, mentioned bool, files []slackgo.File) {
	body, hasMention := stripMention(raw, a.BotUserID())
	if !dm && !mentioned && hasMention {
		return // the app_mention event of the same message handles it
	}
	body = a.trimCommandPunct(strings.TrimSpace(plainText(body)))
	item, event := "", 0
	if threadTS != "" {
		item = a.hub.ItemOf(storage.MessageRef{Platform: a.Name(), Chat: channel, ID: threadTS})
		event = a.hub.EventOf(storage.MessageRef{Platform: a.Name(), Chat: channel, ID: threadTS})
	}
	quiet := false
	if !dm && !mentioned {
		if (item == "" && event == 0) || !a.isCommand(body) {
			return // talk in a channel, not addressed to the bot
		}
		quiet = true
	}
	if body == "" {
		body = "ajutor"
	}
	thread := threadTS
	if thread == "" {
		thread = ts
	}
	o := origin{Channel: channel, Thread: thread, User: user, DM: dm, QuietErrors: quiet}
	req := commands.Request{Who: commands.Identity{Platform: a.Name(), ID: user}, Text: body,
		EventID: keyMessage + channel + "/" + ts, Item: item, Event: event}
	a.spawn(ctx, &o, func(ctx context.Context) {
		var err error
		if req.Files, err = a.attachments(ctx, body, files); err != nil {
			a.log.Error("slack: the files of a message were not fetched", "channel", channel, "err", err)
			a.later(channel, func(ctx context.Context) {
				_ = a.answer(ctx, o, commands.Reply{Kind: commands.Failed, Title: "Fișierul atașat nu a putut fi descărcat din Slack; nu s-a schimbat nimic, încercați din nou. / The attached file could not be fetched from Slack; nothing was changed, try again."})
			})
			return
		}
		a.run(ctx, req, o)
	})
}

// trimCommandPunct drops the punctuation people put after a command's name
// ("Rezolvat, raspuns=4521", "Restanțe?") when the word is then a command.
func (a *Adapter) trimCommandPunct(line string) string {
	if a.isCommand(line) {
		return line
	}
	first, rest, _ := strings.Cut(line, " ")
	trimmed := strings.TrimRight(first, ".,;:!?")
	if trimmed == first || trimmed == "" || !a.isCommand(trimmed) {
		return line
	}
	return strings.TrimSpace(trimmed + " " + rest)
}

// isCommand reports whether a line starts with the name of a command.
func (a *Adapter) isCommand(line string) bool {
	cmd, _ := a.lookup(line)
	return cmd != nil
}

// lookup finds the command a line names, and its English flag.
func (a *Adapter) lookup(line string) (*commands.Command, bool) {
	tokens, err := text.Tokenize(line)
	if err != nil {
		return nil, false
	}
	var words []string
	for _, t := range tokens {
		if t.Key != "" {
			break
		}
		words = append(words, t.Value)
	}
	cmd, _, english := a.engine.Table().Lookup(words)
	return cmd, english
}
