package slack

import (
	"context"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// onSlash handles `/cabinet <command>`: the same command language, answered
// in the channel (to the asker alone when the answer is private). With no
// command it shows the help; `/cabinet inregistreaza` alone opens the
// registration form.
func (a *Adapter) onSlash(ctx context.Context, sc slackgo.SlashCommand) {
	body := strings.TrimSpace(plainText(sc.Text))
	if body == "" {
		body = "ajutor"
	}
	who := commands.Identity{Platform: a.Name(), ID: sc.UserID, Name: sc.UserName}
	o := origin{Channel: sc.ChannelID, User: sc.UserID, ResponseURL: sc.ResponseURL}
	key := keyCommand + sc.TriggerID
	if sc.TriggerID == "" {
		key = keyCommand + sc.ChannelID + "/" + sc.UserID + "/" + body // no trigger: at least one answer per text
	}
	if english, ok := a.bareRegister(body); ok {
		a.openRegister(ctx, key, who, sc, o, english) // at once: the trigger lives 3 s
		return
	}
	req := commands.Request{Who: who, Text: body, EventID: key}
	a.spawn(ctx, &o, func(ctx context.Context) { a.run(ctx, req, o) })
}

// bareRegister reports whether a line is the register command with nothing
// after it (and whether it was its English name).
func (a *Adapter) bareRegister(line string) (english, ok bool) {
	words := strings.Fields(line)
	if len(words) != 1 {
		return false, false
	}
	cmd, english := a.lookup(line)
	return english, cmd != nil && cmd.Name == registerCommand
}

// registerCommand is the command the registration form fills in.
const registerCommand = "inregistreaza"

// allowed asks the engine, without changing anything, whether who may run a
// command: the help of a command is shown only to those who may run it. When
// they may not, it returns the refusal to show them — the engine's own, got
// by running the bare command (refused before it runs), or the stranger's
// one-time answer.
func (a *Adapter) allowed(ctx context.Context, who commands.Identity, command string, english bool) (bool, commands.Reply) {
	help := "ajutor "
	if english {
		help = "help "
	}
	r := a.engine.Handle(ctx, commands.Request{Who: who, Text: help + command})
	switch {
	case r.Silent || r.Kind == commands.Denied:
		return false, r // a stranger: refused once, then silence
	case r.Kind == commands.OK:
		return true, commands.Reply{}
	}
	return false, a.engine.Handle(ctx, commands.Request{Who: who, Text: command})
}
