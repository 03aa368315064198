package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/scheduler"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// config is everything read from the environment. Secrets (tokens) are kept
// here and handed to the adapters; they are never logged.
type config struct {
	DataDir       string
	Admins        []string
	AccessContact string
	Rules         calendar.Rules
	LogLevel      slog.Level
	// LogJSON writes the logs as JSON lines (CABINET_LOG_FORMAT=json).
	LogJSON bool
	// HTTPAddr is where the operations endpoint listens ("": off); Pprof
	// adds the Go profiler to it.
	HTTPAddr string
	Pprof    bool
	// Cabinet are the Cabinet's own channels, platform:chat.
	Cabinet []string
	// DraftTemplate is the DOCX template of draft replies ("": built in).
	DraftTemplate string
	// JobSpecs override the timed jobs' schedules: job → cron spec or "off".
	JobSpecs    map[string]string
	BackupDir   string
	KeepBackups int
	// NoticeRetry and PushRetry bound how long the outbox tries a notice
	// and a timed push; MorningUntil and CatchUpWindow, how late a missed
	// push is still caught up.
	NoticeRetry   time.Duration
	PushRetry     time.Duration
	MorningUntil  time.Duration // time of day
	CatchUpWindow time.Duration
	// MinFree is the free disk space under which changes are refused, in
	// bytes (-1: not checked).
	MinFree int64
	// MaxFile is the largest file the file store takes, in bytes.
	MaxFile int64
	// The Cabinet's mailbox (CABINET_IMAP_*) and the acknowledgements of
	// what is registered from it (CABINET_SMTP_*, CABINET_ACK_TEMPLATE).
	IMAPURL, IMAPPassword           string
	SMTPURL, SMTPPassword, SMTPFrom string
	AckTemplate                     string
	// AudienceDays is the target for scheduling an audience request.
	AudienceDays int
	// NoteTemplate and ReferatTemplate are the DOCX templates of
	// nota-informare and referat ("": built in).
	NoteTemplate, ReferatTemplate string
}

// env names, documented in the README's configuration section.
const (
	envDataDir     = "CABINET_DATA_DIR"
	envAdmins      = "CABINET_ADMINS"
	envContact     = "CABINET_ACCESS_CONTACT"
	envPressHours  = "CABINET_PRESS_DEADLINE_HOURS"
	envDefaultDays = "CABINET_DEFAULT_DEADLINE_DAYS"
	envLogLevel    = "CABINET_LOG_LEVEL"
	envLogFormat   = "CABINET_LOG_FORMAT"
	envHTTPAddr    = "CABINET_HTTP_ADDR"
	envPprof       = "CABINET_PPROF"
	envChannels    = "CABINET_CHANNELS"
	envDraft       = "CABINET_DRAFT_TEMPLATE"
	envBackupDir   = "CABINET_BACKUP_DIR"
	envBackupKeep  = "CABINET_BACKUP_KEEP"
	envMinFree     = "CABINET_MIN_FREE_MB"
	envMaxFile     = "CABINET_MAX_FILE_MB"
	envIMAPURL     = "CABINET_IMAP_URL"
	envIMAPPass    = "CABINET_IMAP_PASSWORD"
	envSMTPURL     = "CABINET_SMTP_URL"
	envSMTPPass    = "CABINET_SMTP_PASSWORD"
	envSMTPFrom    = "CABINET_SMTP_FROM"
	envAckTemplate = "CABINET_ACK_TEMPLATE"
	envAudience    = "CABINET_AUDIENCE_DAYS"
	envNoteTpl     = "CABINET_NOTE_TEMPLATE"
	envReferatTpl  = "CABINET_REFERAT_TEMPLATE"
	envJobPrefix   = "CABINET_JOB_" // + MORNING, DIGEST, SUMMARY, REMINDERS, ESCALATION, WEEKLY, BACKUP
	envNoticeRetry = "CABINET_NOTICE_RETRY"
	envPushRetry   = "CABINET_PUSH_RETRY"
	envCatchUpAM   = "CABINET_CATCHUP_MORNING_UNTIL"
	envCatchUp     = "CABINET_CATCHUP_WINDOW"
)

// jobNames are the timed jobs whose schedule the environment may set.
var jobNames = []string{"morning", "digest", "summary", "reminders", "escalation", "weekly", "backup", "briefings"}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{DataDir: "data", Rules: calendar.DefaultRules, AccessContact: getenv(envContact), DraftTemplate: getenv(envDraft)}
	if v := getenv(envDataDir); v != "" {
		c.DataDir = v
	}
	for _, a := range strings.Split(getenv(envAdmins), ",") {
		if a = strings.TrimSpace(a); a != "" {
			who, ok := commands.ParseIdentity(a, "")
			if !ok || !strings.Contains(a, ":") {
				return c, fmt.Errorf("%s: %q is not platform:id (slack:U012AB3CD, telegram:123456)", envAdmins, a)
			}
			if err := commands.CheckIdentity(who); err != nil {
				return c, fmt.Errorf("%s: %w", envAdmins, err)
			}
			c.Admins = append(c.Admins, who.Key())
		}
	}
	for _, a := range strings.Split(getenv(envChannels), ",") {
		if a = strings.TrimSpace(a); a != "" {
			if _, ok := bot.ParseAddress(a); !ok {
				return c, fmt.Errorf("%s: %q is not platform:chat (slack:C0123ABC, telegram:-1001234)", envChannels, a)
			}
			c.Cabinet = append(c.Cabinet, a)
		}
	}
	c.JobSpecs = map[string]string{}
	for _, j := range jobNames {
		if v := strings.TrimSpace(getenv(envJobPrefix + strings.ToUpper(j))); v != "" {
			if v != "off" {
				if _, err := scheduler.ParseSpec(v); err != nil {
					return c, fmt.Errorf("%s%s: %w", envJobPrefix, strings.ToUpper(j), err)
				}
			}
			c.JobSpecs[j] = v
		}
	}
	c.BackupDir = getenv(envBackupDir)
	var err error
	if c.KeepBackups, err = positiveEnv(getenv, envBackupKeep, 14, 1000); err != nil {
		return c, err
	}
	if v := strings.TrimSpace(getenv(envMinFree)); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 0 || mb > 1<<20 {
			return c, fmt.Errorf("%s: %q is not a number of megabytes from 0 (no check) to %d", envMinFree, v, 1<<20)
		}
		c.MinFree = int64(mb) << 20
		if mb == 0 {
			c.MinFree = -1
		}
	}
	mb, err := positiveEnv(getenv, envMaxFile, storage.DefaultMaxFileSize>>20, storage.MaxFileLimit>>20)
	if err != nil {
		return c, err
	}
	c.MaxFile = int64(mb) << 20
	c.IMAPURL, c.IMAPPassword = strings.TrimSpace(getenv(envIMAPURL)), getenv(envIMAPPass)
	c.SMTPURL, c.SMTPPassword, c.SMTPFrom = strings.TrimSpace(getenv(envSMTPURL)), getenv(envSMTPPass), strings.TrimSpace(getenv(envSMTPFrom))
	c.AckTemplate = strings.TrimSpace(getenv(envAckTemplate))
	if c.IMAPURL != "" && c.IMAPPassword == "" {
		return c, fmt.Errorf("%s is set but %s is not", envIMAPURL, envIMAPPass)
	}
	c.NoteTemplate, c.ReferatTemplate = getenv(envNoteTpl), getenv(envReferatTpl)
	if c.AudienceDays, err = positiveEnv(getenv, envAudience, commands.DefaultAudienceDays, 365); err != nil {
		return c, err
	}
	if c.Rules.PressHours, err = positiveEnv(getenv, envPressHours, c.Rules.PressHours, 24*30); err != nil {
		return c, err
	}
	if c.Rules.DefaultDays, err = positiveEnv(getenv, envDefaultDays, c.Rules.DefaultDays, 365); err != nil {
		return c, err
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv(envLogFormat))); v {
	case "", "text":
	case "json":
		c.LogJSON = true
	default:
		return c, fmt.Errorf("%s: %q is neither text nor json", envLogFormat, v)
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv(envPprof))); v {
	case "", "off", "0":
	case "on", "1":
		c.Pprof = true
	default:
		return c, fmt.Errorf("%s: %q is neither on nor off", envPprof, v)
	}
	if c.HTTPAddr = strings.TrimSpace(getenv(envHTTPAddr)); c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			return c, fmt.Errorf("%s: %q is not host:port (127.0.0.1:9090, :9090)", envHTTPAddr, c.HTTPAddr)
		}
	}
	if err := c.loadDelivery(getenv); err != nil {
		return c, err
	}
	if v := getenv(envLogLevel); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("%s: %w", envLogLevel, err)
		}
	}
	return c, nil
}

// loadDelivery reads how long deliveries are tried and missed pushes caught
// up.
func (c *config) loadDelivery(getenv func(string) string) error {
	var err error
	if c.NoticeRetry, err = durationEnv(getenv, envNoticeRetry, 24*time.Hour); err != nil {
		return err
	}
	if c.PushRetry, err = durationEnv(getenv, envPushRetry, time.Hour); err != nil {
		return err
	}
	if c.CatchUpWindow, err = durationEnv(getenv, envCatchUp, 2*time.Hour); err != nil {
		return err
	}
	c.MorningUntil = 10 * time.Hour
	if v := strings.TrimSpace(getenv(envCatchUpAM)); v != "" {
		t, err := time.Parse("15:04", v)
		if err != nil {
			return fmt.Errorf("%s: %q is not a time of day (HH:MM, e.g. 10:00)", envCatchUpAM, v)
		}
		c.MorningUntil = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	return nil
}

// durationEnv reads a positive Go duration (90m, 24h).
func durationEnv(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration (e.g. 90m, 24h)", name, v)
	}
	return d, nil
}

func positiveEnv(getenv func(string) string, name string, def, max int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("%s: %q is not a whole number from 1 to %d", name, v, max)
	}
	return n, nil
}

// isTerminal reports whether f is a terminal a person types at (not
// /dev/null, which is a character device too, nor a pipe).
func isTerminal(f *os.File) bool {
	return f != nil && term.IsTerminal(int(f.Fd()))
}

// newLogger writes to standard error, as text or JSON lines, at the
// configured level.
func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
