package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// checkedEnv are the variables `cabinetbot check` reads one by one, so that
// every bad one is named, not only the first.
var checkedEnv = []string{envDataDir, envAdmins, envContact, envPressHours, envDefaultDays, envLogLevel, envLogFormat,
	envChannels, envDraft, envBackupDir, envBackupKeep, envHTTPAddr, envMinFree, envNoticeRetry, envPushRetry, envCatchUpAM, envCatchUp, envMaxFile, envIMAPURL, envSMTPURL, envAckTemplate, envAudience, envNoteTpl, envReferatTpl, envPprof}

// runCheck is `cabinetbot check`: it validates the environment, the tokens'
// shapes, the data directory, the draft template and the job schedules,
// prints every problem, and fails when there is one. The systemd unit runs
// it before starting the bot.
func runCheck(getenv func(string) string, dataDir string, stdin *os.File, out io.Writer) error {
	var problems []string
	add := func(err error) {
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	for _, name := range append(checkedEnv, jobEnvNames()...) {
		_, err := loadConfig(only(getenv, name))
		add(err)
	}
	cfg, err := loadConfig(getenv)
	minFree := int64(storage.DefaultMinFree)
	if err == nil {
		if cfg.MinFree != 0 {
			minFree = cfg.MinFree
		}
		if dataDir == "" {
			dataDir = cfg.DataDir
		}
	}
	// The templates are checked whatever else is wrong: every problem at once.
	add(commands.CheckTemplates(strings.TrimSpace(getenv(envDraft)), strings.TrimSpace(getenv(envNoteTpl)), strings.TrimSpace(getenv(envReferatTpl))))
	if !platformsConfigured(getenv) && !isTerminal(stdin) {
		add(errors.New("no chat platform is configured (" + envSlackBotToken + " or " + envTelegramToken +
			"), and this is no terminal: `cabinetbot run` would have nothing to serve"))
	}
	for _, err := range platformProblems(getenv) {
		add(err)
	}
	if dataDir == "" {
		dataDir = "data"
	}
	for _, err := range dataDirProblems(dataDir, minFree) {
		add(err)
	}
	if len(problems) == 0 {
		fmt.Fprintf(out, "ok: configuration and data directory %s are ready (%s)\n", dataDir, platformSummary(getenv))
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(out, "problem:", p)
	}
	return fmt.Errorf("check: %d problem(s)", len(problems))
}

// only is getenv seeing one variable: loadConfig then reports that
// variable's problem alone.
func only(getenv func(string) string, name string) func(string) string {
	return func(k string) string {
		if k == name {
			return getenv(k)
		}
		return ""
	}
}

func jobEnvNames() []string {
	var out []string
	for _, j := range jobNames {
		out = append(out, envJobPrefix+strings.ToUpper(j))
	}
	return out
}

var (
	slackBotToken = regexp.MustCompile(`^xoxb-[0-9A-Za-z-]+$`)
	slackAppToken = regexp.MustCompile(`^xapp-[0-9A-Za-z-]+$`)
	telegramToken = regexp.MustCompile(`^[0-9]{3,}:[0-9A-Za-z_-]{30,}$`)
	webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// platformProblems checks the chat platforms' variables: which are set
// together, and the shapes of the tokens (never printed).
func platformProblems(getenv func(string) string) []error {
	v := func(k string) string { return strings.TrimSpace(getenv(k)) }
	var errs []error
	bot, app, secret := v(envSlackBotToken), v(envSlackAppToken), v(envSlackSigningSecret)
	switch {
	case bot == "" && (app != "" || secret != ""):
		errs = append(errs, fmt.Errorf("%s is not set, but other Slack variables are: give the bot token (xoxb-…)", envSlackBotToken))
	case bot != "" && !slackBotToken.MatchString(bot):
		errs = append(errs, fmt.Errorf("%s does not look like a bot token (xoxb-…, from the app's OAuth & Permissions page)", envSlackBotToken))
	case bot != "" && app == "" && secret == "":
		errs = append(errs, fmt.Errorf("%s is set, but neither %s (Socket Mode) nor %s (HTTP Events API)", envSlackBotToken, envSlackAppToken, envSlackSigningSecret))
	}
	if app != "" && !slackAppToken.MatchString(app) {
		errs = append(errs, fmt.Errorf("%s does not look like an app-level token (xapp-…, scope connections:write)", envSlackAppToken))
	}
	tok, hook, hookSecret := v(envTelegramToken), v(envTelegramWebhookURL), v(envTelegramWebhookSecret)
	switch {
	case tok == "" && (hook != "" || hookSecret != ""):
		errs = append(errs, fmt.Errorf("a Telegram webhook is configured but %s is not", envTelegramToken))
	case tok != "" && !telegramToken.MatchString(tok):
		errs = append(errs, fmt.Errorf("%s does not look like a bot token (123456789:AA…, from @BotFather)", envTelegramToken))
	}
	switch {
	case hook != "" && !strings.HasPrefix(hook, "https://"):
		errs = append(errs, fmt.Errorf("%s must be a public https:// URL", envTelegramWebhookURL))
	case hook != "" && !webhookSecret.MatchString(hookSecret):
		errs = append(errs, fmt.Errorf("%s needs %s: 1–256 of A-Z a-z 0-9 _ -", envTelegramWebhookURL, envTelegramWebhookSecret))
	case hook == "" && hookSecret != "":
		errs = append(errs, fmt.Errorf("%s is set but %s is not", envTelegramWebhookSecret, envTelegramWebhookURL))
	}
	return errs
}

// platformsConfigured reports whether any chat platform's variables are set.
func platformsConfigured(getenv func(string) string) bool {
	for _, k := range []string{envSlackBotToken, envSlackAppToken, envSlackSigningSecret, envTelegramToken, envTelegramWebhookURL} {
		if strings.TrimSpace(getenv(k)) != "" {
			return true
		}
	}
	return false
}

// platformSummary names the platforms the environment turns on.
func platformSummary(getenv func(string) string) string {
	var on []string
	if getenv(envSlackBotToken) != "" {
		on = append(on, "Slack")
	}
	if getenv(envTelegramToken) != "" {
		on = append(on, "Telegram")
	}
	if len(on) == 0 {
		return "no chat platform configured: only the console will run"
	}
	return "platforms: " + strings.Join(on, ", ")
}

// dataDirProblems checks that the data directory exists (or can be made),
// is writable, has room (minFree bytes; negative: not checked), and is not
// held by a running bot.
func dataDirProblems(dir string, minFree int64) []error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		parent := filepath.Dir(filepath.Clean(dir))
		if err := writable(parent); err != nil {
			return []error{fmt.Errorf("data directory %s does not exist and cannot be created: %w", dir, err)}
		}
		return nil // the first start creates it
	case err != nil:
		return []error{fmt.Errorf("data directory %s: %w", dir, err)}
	case !st.IsDir():
		return []error{fmt.Errorf("data directory %s is not a directory", dir)}
	}
	var errs []error
	if err := writable(dir); err != nil {
		errs = append(errs, fmt.Errorf("data directory %s is not writable: %w", dir, err))
	}
	if parent := filepath.Dir(filepath.Clean(dir)); writable(parent) != nil {
		errs = append(errs, fmt.Errorf("the folder holding the data directory (%s) is not writable: the integrity record %s lives there", parent, storage.RecordPath(dir)))
	}
	if free, err := freeBytes(dir); err == nil && minFree > 0 && free < uint64(minFree) {
		errs = append(errs, fmt.Errorf("data directory %s: only %d MB free (the bot refuses changes under %d MB, %s)", dir, free>>20, minFree>>20, envMinFree))
	}
	if locked(dir) {
		errs = append(errs, fmt.Errorf("data directory %s is in use by a running bot (locked)", dir))
	}
	return errs
}

// writable tries to create and remove a file in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".cabinetbot-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// locked reports whether another process holds the data directory: Badger
// takes an exclusive flock on the directory itself while it is open.
func locked(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}
