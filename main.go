// Command cabinetbot is the chat bot of the Mayor's Cabinet of Cluj-Napoca.
//
//	cabinetbot [--data DIR] [--as NAME]   run: the chat platforms whose tokens are set, else the console
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

// deps is what a platform needs to start.
type deps struct {
	engine  *commands.Engine
	store   *storage.Store
	hub     *bot.Hub
	log     *slog.Logger
	getenv  func(string) string
	cfg     config
	dataDir string
}

// platformStarter connects one chat platform when its environment is set: it
// returns a nil platform when it is not configured, else the platform and
// the function that serves it until ctx ends.
type platformStarter func(ctx context.Context, d deps) (bot.Platform, func(context.Context) error, error)

// platformStarters are the chat platforms the bot can serve at once.
var platformStarters = []platformStarter{startSlack, startTelegram}

func run(args []string, stdin *os.File, stdout io.Writer, getenv func(string) string) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	sub, fs := "", flag.NewFlagSet("cabinetbot", flag.ContinueOnError)
	dataDir := fs.String("data", cfg.DataDir, "data directory (also "+envDataDir+")")
	as := fs.String("as", operator, "who speaks at the console")
	replace := fs.Bool("replace", false, "import directory: also remove the entries the file lacks")
	force := fs.Bool("force", false, "restore: set a non-empty data directory aside")
	withJobs := fs.Bool("scheduler", false, "console: also run the timed pushes (they print here)")
	pos, err := parseInterleaved(fs, args) // flags may come before or after the subcommand and its arguments
	if err != nil {
		return err
	}
	if err := commands.CheckIdentity(commands.Identity{Platform: "console", ID: *as}); err != nil {
		return fmt.Errorf("--as: %w", err)
	}
	arg := func(i int) string {
		if i < len(pos) {
			return pos[i]
		}
		return ""
	}
	sub = arg(0)
	switch sub {
	case "", "console", "run", "backup":
	case "import":
		return runImport(importArgs(pos[1:], *replace), *dataDir, cfg, stdout)
	case "restore":
		return runRestore(*dataDir, arg(1), *force, stdout)
	default:
		return fmt.Errorf("unknown subcommand %q (try: console, backup FILE, restore FILE)", sub)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := storage.Open(*dataDir, storage.Options{Logger: log, Words: text.Words, MinFree: cfg.MinFree, MaxFileSize: cfg.MaxFile})
	if err != nil {
		return damageError(err, cfg, *dataDir)
	}
	defer func() { // last: after every platform and job has stopped
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	engine, err := commands.New(commands.Config{Store: store, Rules: cfg.Rules, Logger: log,
		Admins: append(cfg.Admins, "console:"+operator), AccessContact: cfg.AccessContact, DraftTemplate: cfg.DraftTemplate, AudienceDays: cfg.AudienceDays,
		NoteTemplate: cfg.NoteTemplate, ReferatTemplate: cfg.ReferatTemplate})
	if err != nil {
		return err
	}
	hub := bot.NewHub(store, log)
	engine.SetChatResolver(hub) // a Telegram @name given for a department is stored as its numeric ID
	for _, a := range cfg.Cabinet {
		addr, _ := bot.ParseAddress(a)
		hub.Cabinet = append(hub.Cabinet, addr)
	}
	if sub == "backup" {
		return runBackup(store, arg(1), stdout)
	}
	d := deps{engine: engine, store: store, hub: hub, log: log, getenv: getenv, cfg: cfg, dataDir: *dataDir}
	if sub != "console" {
		served, err := serve(ctx, d)
		if served || err != nil {
			return err
		}
	}
	c := &console.Console{Handler: engine, In: stdin, Out: stdout, Prompt: isTerminal(stdin),
		Who: commands.Identity{Platform: "console", ID: *as}, Outbox: true}
	hub.SetFallback(c)
	defer startOutbox(ctx, d)() // stopped before the database closes
	if *withJobs {
		jobs, err := startScheduler(ctx, d)
		if err != nil {
			return err
		}
		defer jobs.Stop()
	}
	if c.Prompt {
		fmt.Fprintf(stdout, "cabinetbot — consola locală, date în %s. Scrieți „ajutor”; Ctrl-D iese.\n", *dataDir)
	}
	return c.Run(ctx)
}

// serve starts every configured chat platform and serves them until ctx ends
// (SIGINT, SIGTERM). It reports served=false when none is configured.
func serve(ctx context.Context, d deps) (served bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var runs []func(context.Context) error
	for _, start := range platformStarters {
		p, runFn, err := start(ctx, d)
		if err != nil {
			return true, err
		}
		if p != nil {
			d.hub.Add(p)
			runs = append(runs, runFn) // each logs "platform connected" once it is
		}
	}
	if len(runs) == 0 {
		return false, nil
	}
	defer startOutbox(ctx, d)() // stopped after the scheduler, before the database closes
	jobs, err := startScheduler(ctx, d)
	if err != nil {
		return true, err
	}
	defer jobs.Stop() // before the database closes: running jobs finish first
	errc := make(chan error, len(runs))
	for _, r := range runs {
		go func() { errc <- r(ctx) }()
	}
	var errs []error
	for range runs {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
			cancel() // one platform failing for good stops the process: a supervisor restarts it
		}
	}
	d.log.Info("stopped")
	return true, errors.Join(errs...)
}

// parseInterleaved parses flags wherever they are among the arguments and
// returns the other arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// importArgs gives `cabinetbot import` its arguments back, with the flag it
// alone takes.
func importArgs(pos []string, replace bool) []string {
	if replace {
		return append(pos, "--replace")
	}
	return pos
}
