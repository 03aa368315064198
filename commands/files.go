package commands

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// MaxFileSize bounds a file a command accepts (Request.Files): the largest
// the file store may be set to take (CABINET_MAX_FILE_MB, 1–20; Telegram's
// Bot API hands bots no larger file either). Adapters fetch at most one byte
// more, so that a larger upload arrives cut and is refused for its size,
// never taken cut.
const MaxFileSize = storage.MaxFileLimit

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
	return f, c.checkFile(f, MaxFileSize)
}

// checkFile refuses an empty file and one larger than limit bytes.
func (c *Call) checkFile(f File, limit int64) error {
	if len(f.Data) == 0 {
		return c.Fail("Fișierul „%s” este gol.", "The file “%s” is empty.", f.Name)
	}
	if int64(len(f.Data)) > limit {
		return c.Fail("Fișierul „%s” are mai mult de %d MB; primesc cel mult %d MB.", "The file “%s” is over %d MB; the most I take is %d MB.",
			f.Name, limit>>20, limit>>20)
	}
	return nil
}

// storeFile keeps the first file sent with the command in the file store,
// after checking it against the store's limit; the caller references it in
// its change's transaction.
func (c *Call) storeFile(what string) (storage.FileRef, error) {
	f := c.Req.Files[0]
	if err := c.checkFile(f, c.e.store.MaxFileSize()); err != nil {
		return storage.FileRef{}, err
	}
	ref, err := c.e.store.PutFile(bytes.NewReader(f.Data), f.Name, f.MIME)
	if err != nil {
		return storage.FileRef{}, fmt.Errorf("store %s: %w", what, err)
	}
	return ref, nil
}

// notAPath tells the bare arguments that name no file: an event (#12), a
// day (03.12).
func notAPath(v string) bool {
	return strings.HasPrefix(v, "#") || strings.Trim(v, "0123456789.") == ""
}
