package commands

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// MaxFileSize bounds a file a command accepts (Request.Files). Adapters need
// not fetch larger uploads: the command refuses them.
const MaxFileSize = 16 << 20

// FileArgument tells an adapter whether the command on a line takes a file
// (Command.File) and which bare argument names it, if one does. The console
// reads that path into Request.Files (`import-director agenda.csv`); a chat
// adapter uses takes to decide whether to fetch the files uploaded with the
// message at all. Nothing is run.
func (e *Engine) FileArgument(line string) (name string, takes bool) {
	tokens, err := text.Tokenize(line)
	if err != nil || len(tokens) == 0 {
		return "", false
	}
	cmd, used, _ := e.table.Lookup(leadingWords(tokens))
	if cmd == nil || cmd.File == "" {
		return "", false
	}
	if cmd.FileOptional {
		return "", true
	}
	for _, t := range tokens[used:] {
		if t.Key == "" && !notAPath(t.Value) {
			return t.Value, true
		}
	}
	return "", true
}

// file returns the file sent with the command, or a user error that says how
// to send one.
func (c *Call) file() (File, error) {
	if len(c.Req.Files) == 0 {
		if len(c.Args) > 0 {
			return File{}, c.Fail("Nu am primit fișierul „%s”: atașați-l la mesaj, cu comanda în text (la consola locală dați calea lui).",
				"The file “%s” did not arrive: attach it to the message, with the command as its text (at the local console give its path).", c.Args[0])
		}
		return File{}, c.Fail("Atașați fișierul %s la mesaj, cu comanda în text (la consola locală dați calea lui).",
			"Attach the %s file to the message, with the command as its text (at the local console give its path).", c.cmd.File)
	}
	f := c.Req.Files[0]
	if len(f.Data) > MaxFileSize {
		return File{}, c.Fail("Fișierul „%s” are %d MB; primesc cel mult %d MB.", "The file “%s” is %d MB; the most I take is %d MB.",
			f.Name, len(f.Data)>>20, MaxFileSize>>20)
	}
	if len(f.Data) == 0 {
		return File{}, c.Fail("Fișierul „%s” este gol.", "The file “%s” is empty.", f.Name)
	}
	return f, nil
}

// notAPath tells the bare arguments that name no file: an event (#12), a
// day (03.12).
func notAPath(v string) bool {
	return strings.HasPrefix(v, "#") || strings.Trim(v, "0123456789.") == ""
}
