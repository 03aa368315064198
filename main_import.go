package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"

	"github.com/cluj-napoca/cabinetbot/bot/console"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// importCommands maps what `cabinetbot import WHAT FILE` imports to the
// bot's command that does it: the import runs exactly as if the operator
// typed it at the console, with the same checks and the same answer.
var importCommands = map[string]string{
	"directory": "import-director", "director": "import-director", "agenda-telefonica": "import-director",
	"departments": "import-departamente", "departamente": "import-departamente", "organigrama": "import-departamente",
}

const importUsage = "usage: cabinetbot import directory|departments FILE.csv [--replace] [--data DIR]"

// runImport is `cabinetbot import directory FILE.csv` (and `import
// departments`): it opens the database (the bot must not be running: the
// directory is locked), imports the file as the local operator and prints
// the reply. A file with bad rows imports nothing, lists them and exits 1.
func runImport(args []string, dataDir string, cfg config, stdout io.Writer) error {
	fs := flag.NewFlagSet("cabinetbot import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", dataDir, "data directory")
	replace := fs.Bool("replace", false, "directory: also remove the entries the file lacks")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("%w\n%s", err, importUsage)
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != 2 {
		return errors.New(importUsage)
	}
	cmd, ok := importCommands[text.Fold(pos[0])]
	if !ok {
		return fmt.Errorf("cannot import %q\n%s", pos[0], importUsage)
	}
	file, err := console.ReadFile(pos[1])
	if err != nil {
		return fmt.Errorf("read %s: %w", pos[1], err)
	}
	line := cmd + " " + strconv.Quote(file.Name)
	if *replace {
		if cmd != "import-director" {
			return errors.New("--replace is for the directory only")
		}
		line += " mod=inlocuire"
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	store, err := storage.Open(*data, storage.Options{Logger: log, Words: text.Words, MinFree: cfg.MinFree, MaxFileSize: cfg.MaxFile})
	if err != nil {
		return damageError(err, cfg, *data)
	}
	defer store.Close()
	engine, err := commands.New(commands.Config{Store: store, Rules: cfg.Rules, Logger: log,
		Admins: []string{"console:" + operator}, AccessContact: cfg.AccessContact})
	if err != nil {
		return err
	}
	r := engine.Handle(context.Background(), commands.Request{
		Who: commands.Identity{Platform: "console", ID: operator}, Text: line, Files: []commands.File{file}})
	fmt.Fprintln(stdout, console.Render(r))
	switch r.Kind {
	case commands.OK:
	case commands.Invalid:
		return errors.New("nothing was imported (the reasons are above)")
	default:
		return errors.New("the import failed (the reason is above)")
	}
	return store.Close()
}
