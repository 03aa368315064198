package commands

import "github.com/cluj-napoca/cabinetbot/commands/text"

// May reports, without running anything, whether who may run the command a
// line names: the quick check an adapter makes before it opens a form (a
// Slack form's trigger lives 3 s, too short to wait for a command to run).
// Strangers, unknown commands and a failed look-up are false; the command
// checks the role again when it runs.
func (e *Engine) May(who Identity, line string) bool {
	caller, known, err := e.Caller(who)
	if err != nil || !known {
		return false
	}
	tokens, err := text.Tokenize(line)
	if err != nil {
		return false
	}
	cmd, _, _ := e.table.Lookup(leadingWords(tokens))
	return cmd != nil && caller.may(cmd.Roles)
}
