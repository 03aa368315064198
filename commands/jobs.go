package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Jobs is what the scheduler offers to the admins' `digest` command. The
// scheduler implements it; main connects them with Engine.SetJobs.
type Jobs interface {
	// List describes every timed job.
	List() []JobInfo
	// RunNow runs a job at once, outside its schedule, and says what it did.
	RunNow(ctx context.Context, name string) (string, error)
	// SetSchedule changes when a job runs (a cron spec, validated), and keeps
	// the change.
	SetSchedule(ctx context.Context, name, spec, who string) error
	// SetEnabled turns a job on or off, and keeps the change.
	SetEnabled(ctx context.Context, name string, on bool, who string) error
}

// JobInfo describes a timed job.
type JobInfo struct {
	Name        string // canonical (English) name: morning, digest…
	Aliases     []string
	Title       string // Romanian
	TitleEn     string
	Spec        string // cron spec, Europe/Bucharest
	Enabled     bool
	WorkingDays bool // runs on working days only
	Next        time.Time
}

// ErrUnknownJob is returned for a job name the scheduler does not have.
var ErrUnknownJob = errors.New("unknown job")

// ErrBadSchedule wraps a schedule the cron parser refused.
var ErrBadSchedule = errors.New("bad schedule")

// ScheduleError is a schedule refused for a reason told in both languages
// (one that never runs, one that runs too often); it is an ErrBadSchedule.
type ScheduleError struct{ Ro, En string }

func (e *ScheduleError) Error() string { return ErrBadSchedule.Error() + ": " + e.En }

// Unwrap makes errors.Is(err, ErrBadSchedule) hold.
func (e *ScheduleError) Unwrap() error { return ErrBadSchedule }

// SetJobs connects the scheduler to the admins' `digest` command.
func (e *Engine) SetJobs(j Jobs) { e.jobs = j }

func jobCommands() []*Command {
	return []*Command{
		{Name: "digest", Aliases: []string{"jobs", "trimiteri"}, Roles: admins, Group: groupAdmin,
			Usage:     `[acum TRIMITERE | ora TRIMITERE HH:MM | ora TRIMITERE "MIN ORA * * ZILE" | opreste TRIMITERE | porneste TRIMITERE]`,
			UsageEn:   `[now JOB | time JOB HH:MM | time JOB "MIN HOUR * * DAYS" | off JOB | on JOB]`,
			Summary:   "trimiterile programate (agenda de dimineață, rezumate, reamintiri, copii de siguranță): le arată, le rulează acum, le schimbă ora, le oprește",
			SummaryEn: "the timed pushes (morning agenda, digests, reminders, backups): lists them, runs one now, changes its time, turns it off",
			Examples:  []string{"digest", "digest acum dimineata", "digest ora departamente 08:30", "digest now morning", `digest time weekly "0 9 * * 1"`, "digest opreste reamintiri"},
			Run:       runDigest},
	}
}

var digestVerbs = map[string]string{
	"acum": "now", "now": "now",
	"ora": "time", "time": "time", "program": "time",
	"opreste": "off", "off": "off", "stop": "off",
	"porneste": "on", "on": "on", "start": "on",
}

func runDigest(c *Call) (Reply, error) {
	if c.e.jobs == nil {
		return Reply{}, c.Fail("Trimiterile programate nu rulează în acest mod (consola locală fără --scheduler).",
			"Timed pushes do not run in this mode (the local console without --scheduler).")
	}
	if len(c.Args) == 0 {
		return c.listJobs(), nil
	}
	verb, ok := digestVerbs[text.Fold(c.Args[0])]
	if !ok || len(c.Args) < 2 {
		return Reply{}, c.Fail("Spuneți ce faceți (acum, ora, opreste, porneste) și cu ce trimitere.",
			"Say what to do (now, time, off, on) and with which job.")
	}
	job, err := c.job(c.Args[1])
	if err != nil {
		return Reply{}, err
	}
	switch verb {
	case "now":
		what, err := c.e.jobs.RunNow(c.Ctx, job.Name)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Title: c.T("%s: rulat acum. %s", "%s: run now. %s", c.jobTitle(job), what)}, nil
	case "time":
		if len(c.Args) < 3 {
			return Reply{}, c.Fail("Dați ora (08:30) sau programul cron („30 8 * * 1-5”).", "Give the time (08:30) or a cron schedule (\"30 8 * * 1-5\").")
		}
		spec := specFor(strings.Join(c.Args[2:], " "), job)
		err := c.e.jobs.SetSchedule(c.Ctx, job.Name, spec, c.Caller.Key())
		if errors.Is(err, ErrBadSchedule) {
			return Reply{}, c.Fail("Programul „%s” nu este valid: %v. Exemplu: 08:30 sau „30 8 * * 1-5” (minut oră zi lună zile-din-săptămână).",
				"The schedule “%s” is not valid: %v. Example: 08:30 or \"30 8 * * 1-5\" (minute hour day month weekdays).", spec, c.scheduleReason(err))
		}
		if err != nil {
			return Reply{}, err
		}
		return Reply{Title: c.T("%s: program nou „%s” (ora României).", "%s: new schedule “%s” (Romania's time).", c.jobTitle(job), spec)}, nil
	default:
		on := verb == "on"
		if err := c.e.jobs.SetEnabled(c.Ctx, job.Name, on, c.Caller.Key()); err != nil {
			return Reply{}, err
		}
		if on {
			return Reply{Title: c.T("%s: pornit.", "%s: on.", c.jobTitle(job))}, nil
		}
		return Reply{Title: c.T("%s: oprit.", "%s: off.", c.jobTitle(job))}, nil
	}
}

// scheduleReason is the scheduler's reason for refusing a schedule, in the
// caller's language when it has one, without the "bad schedule: " prefix.
func (c *Call) scheduleReason(err error) string {
	var se *ScheduleError
	if errors.As(err, &se) {
		return c.T(se.Ro, se.En)
	}
	return strings.TrimPrefix(err.Error(), ErrBadSchedule.Error()+": ")
}

// specFor turns HH:MM into a daily cron spec at that time; anything else is
// taken as a cron spec.
func specFor(s string, job JobInfo) string {
	if h, m, ok := calendar.ParseClock(s); ok && strings.Contains(s, ":") {
		days := "*"
		if job.WorkingDays {
			days = "1-5"
		}
		if fields := strings.Fields(job.Spec); len(fields) == 5 {
			days = fields[4] // keep the days the job had
		}
		return fmt.Sprintf("%d %d * * %s", m, h, days)
	}
	return strings.TrimSpace(s)
}

func (c *Call) job(word string) (JobInfo, error) {
	w := text.Fold(word)
	var names []string
	for _, j := range c.e.jobs.List() {
		names = append(names, j.Aliases[0])
		if w == j.Name {
			return j, nil
		}
		for _, a := range j.Aliases {
			if w == text.Fold(a) {
				return j, nil
			}
		}
	}
	return JobInfo{}, c.Fail("Trimitere necunoscută: „%s”. Trimiteri: %s.", "Unknown job: “%s”. Jobs: %s.", word, strings.Join(names, ", "))
}

func (c *Call) jobTitle(j JobInfo) string { return c.T(j.Title, j.TitleEn) }

func (c *Call) listJobs() Reply {
	r := Reply{Title: c.T("Trimiteri programate (ora României)", "Timed pushes (Romania's time)")}
	for _, j := range c.e.jobs.List() {
		state := c.T("oprit", "off")
		if j.Enabled {
			state = c.T("următoarea: ", "next: ") + stamp(j.Next)
		}
		days := ""
		if j.WorkingDays {
			days = c.T(", doar în zile lucrătoare", ", working days only")
		}
		r.Lines = append(r.Lines, fmt.Sprintf("%s (%s) · „%s”%s · %s", j.Aliases[0], c.jobTitle(j), j.Spec, days, state))
	}
	return r
}
