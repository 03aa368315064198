// Command cabinetbot is the chat bot of the Mayor's Cabinet of Cluj-Napoca.
//
//	cabinetbot [--data DIR] [--as NAME]   run (the console when no chat tokens are set)
//	cabinetbot console [--as NAME]         the local console, explicitly
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/console"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// operator is the person at the local console: an admin (they hold the
// database files anyway).
const operator = "operator"

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "cabinetbot:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin *os.File, stdout io.Writer, getenv func(string) string) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	sub, fs := "", flag.NewFlagSet("cabinetbot", flag.ContinueOnError)
	dataDir := fs.String("data", cfg.DataDir, "data directory (also "+envDataDir+")")
	as := fs.String("as", operator, "who speaks at the console")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		sub = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil { // flags may follow the subcommand
			return err
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch sub {
	case "", "console", "run":
	default:
		return fmt.Errorf("unknown subcommand %q (try: console)", sub)
	}
	store, err := storage.Open(*dataDir, storage.Options{Logger: log, Words: text.Words})
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	engine, err := commands.New(commands.Config{Store: store, Rules: cfg.Rules, Logger: log,
		Admins: append(cfg.Admins, "console:"+operator), AccessContact: cfg.AccessContact})
	if err != nil {
		return err
	}
	hub := bot.NewHub(store, log)
	for _, a := range cfg.Cabinet {
		addr, _ := bot.ParseAddress(a)
		hub.Cabinet = append(hub.Cabinet, addr)
	}
	c := &console.Console{Handler: engine, In: stdin, Out: stdout, Prompt: isTerminal(stdin),
		Who: commands.Identity{Platform: "console", ID: *as}, Notices: hub}
	hub.SetFallback(c)
	if c.Prompt {
		fmt.Fprintf(stdout, "cabinetbot — consola locală, date în %s. Scrieți „ajutor”; Ctrl-D iese.\n", *dataDir)
	}
	err = c.Run(ctx)
	if errors.Is(ctx.Err(), context.Canceled) {
		log.Info("stopping on signal")
	}
	return err
}
