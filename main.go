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
	"github.com/cluj-napoca/cabinetbot/bot/mail"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/console"
	"github.com/cluj-napoca/cabinetbot/bot/ops"
	"github.com/cluj-napoca/cabinetbot/commands"
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
	ops     *ops.Server  // the operations endpoint: /healthz, /readyz, /metrics
	mailbox *mail.Reader // the Cabinet's mailbox, nil when not configured
}

// errNothingToRun stops a start with no chat platform configured and no
// person at a terminal: a service that would otherwise exit at once,
// "successfully", with nobody to notice.
var errNothingToRun = errors.New("no chat platform is configured (set " + envSlackBotToken + " with " + envSlackAppToken +
	" or " + envSlackSigningSecret + ", or " + envTelegramToken + ") and standard input is not a terminal: " +
	"nothing to run. For the local console with piped input, run `cabinetbot console`; `cabinetbot check` lists what is missing")

// platformStarter connects one chat platform when its environment is set: it
// returns a nil platform when it is not configured, else the platform and
// the function that serves it until ctx ends.
type platformStarter func(ctx context.Context, d deps) (bot.Platform, func(context.Context) error, error)

// platformStarters are the chat platforms the bot can serve at once.
var platformStarters = []platformStarter{startSlack, startTelegram}

func run(args []string, stdin *os.File, stdout io.Writer, getenv func(string) string) error {
	cfg, cfgErr := loadConfig(getenv) // check reports it whole; everything else stops on it
	sub, fs := "", flag.NewFlagSet("cabinetbot", flag.ContinueOnError)
	dataDir := fs.String("data", cfg.DataDir, "data directory (also "+envDataDir+")")
	as := fs.String("as", operator, "who speaks at the console")
	replace := fs.Bool("replace", false, "import directory: also remove the entries the file lacks")
	force := fs.Bool("force", false, "restore: set a non-empty data directory aside")
	createDepts := fs.Bool("create-departments", false, "import register: create the departments the file names that do not exist")
	update := fs.Bool("update", false, "import register: replace the items whose numbers are already in the register")
	dryRun := fs.Bool("dry-run", false, "import register: check and count, write nothing")
	withJobs := fs.Bool("scheduler", false, "console: also run the timed pushes (they print here)")
	showVersion := fs.Bool("version", false, "print the version and exit")
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
	if *showVersion {
		sub = "version"
	}
	switch sub {
	case "version":
		printVersion(stdout)
		return nil
	case "check":
		explicit := ""
		if flagSet(fs, "data") {
			explicit = *dataDir
		}
		return runCheck(getenv, explicit, stdin, stdout)
	}
	if cfgErr != nil {
		return cfgErr
	}
	switch sub {
	case "", "console", "run", "backup":
	case "import":
		return runImport(importArgs(pos[1:], map[string]bool{"--replace": *replace,
			"--create-departments": *createDepts, "--update": *update, "--dry-run": *dryRun}), *dataDir, cfg, stdout)
	case "restore":
		return runRestore(*dataDir, arg(1), *force, stdout)
	default:
		return fmt.Errorf("unknown subcommand %q (try: console, check, version, backup FILE, restore FILE)", sub)
	}
	if (sub == "" || sub == "run") && !platformsConfigured(getenv) && !isTerminal(stdin) {
		return errNothingToRun
	}
	log := newLogger(cfg, os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := storage.Open(*dataDir, storeOptions(cfg, *dataDir, log))
	if err != nil {
		return damageError(err, cfg, *dataDir)
	}
	defer func() { // last: after every platform and job has stopped
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	opsSrv := ops.New(log)
	engine, err := commands.New(commands.Config{Store: store, Rules: cfg.Rules, Logger: log,
		Admins: append(cfg.Admins, "console:"+operator), AccessContact: cfg.AccessContact, DraftTemplate: cfg.DraftTemplate,
		Acknowledge: cfg.SMTPURL != "", AckTemplate: cfg.AckTemplate, AudienceDays: cfg.AudienceDays,
		NoteTemplate: cfg.NoteTemplate, ReferatTemplate: cfg.ReferatTemplate,
		Observe: ops.NewCommandMetrics(opsSrv.Registry()).Observe})
	if err != nil {
		return err
	}
	hub := bot.NewHub(store, log)
	mailbox, err := mailParts(cfg, engine, hub, log)
	if err != nil {
		return err
	}
	engine.SetChatResolver(hub) // a Telegram @name given for a department is stored as its numeric ID
	for _, a := range cfg.Cabinet {
		addr, _ := bot.ParseAddress(a)
		hub.Cabinet = append(hub.Cabinet, addr)
	}
	if sub == "backup" {
		return runBackup(store, arg(1), stdout)
	}
	d := deps{engine: engine, store: store, hub: hub, log: log, getenv: getenv, cfg: cfg, dataDir: *dataDir, ops: opsSrv, mailbox: mailbox}
	if err := startOps(ctx, d, opsSrv); err != nil {
		return err
	}
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
	defer startMailbox(ctx, d)()
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
	defer startMailbox(ctx, d)()
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

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
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

// importArgs gives `cabinetbot import` its arguments back, with the flags it
// alone takes.
func importArgs(pos []string, flags map[string]bool) []string {
	for _, f := range []string{"--replace", "--create-departments", "--update", "--dry-run"} {
		if flags[f] {
			pos = append(pos, f)
		}
	}
	return pos
}
