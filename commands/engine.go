// Package commands parses and runs the bot's commands, independent of any chat
// platform: it takes a Request (who is speaking and what they typed) and
// returns a Reply. The command table (table.go) declares every command, the
// role it needs and its help; access is checked in one place, Handle.
package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"text/template"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Request is one command as a platform delivered it.
type Request struct {
	Who  Identity
	Text string
	// EventID identifies the platform event (Slack event_id or message ts,
	// Telegram update_id) so that a redelivered event changes nothing twice.
	EventID string
	// Lang is the asker's language when the platform tells it; empty means:
	// English when the command was typed by its English name, else Romanian.
	Lang Lang
	// Item is the registration (N/YYYY) the conversation is about, e.g. the
	// card a department member replies to in a thread. Commands that take a
	// number use it when none is typed.
	Item string
	// Files are the files sent with the command, in the order sent: a chat
	// platform's adapter puts here the files uploaded with the message (a
	// Slack file share, a Telegram document with the command as caption);
	// the console reads the file a command line names (Engine.FileArgument),
	// or any path written @file.ics.
	// A command that takes a file (Command.File) reads the first one; a
	// command that takes none ignores them.
	Files []File
	// Event is the agenda event the conversation is about (the thread of a
	// preparing department's notice): `nota` uses it when no #ID is typed.
	Event int
}

// Config holds what the engine needs.
type Config struct {
	Store *storage.Store
	// Clock tells the time; nil means time.Now. Tests stand on any day.
	Clock func() time.Time
	// Rules are the configurable deadlines (press hours, default term).
	Rules calendar.Rules
	// Admins are identities (platform:id) that are admins whatever the
	// database says: CABINET_ADMINS, and the local console operator.
	Admins []string
	// AccessContact says whom strangers should ask for access.
	AccessContact string
	Logger        *slog.Logger
	// DraftTemplate is the path of the DOCX template of draft replies
	// (ciorna); empty means the one built in (templates.DraftDOCX).
	DraftTemplate string
	// Observe, when set, is told of every command run or refused: its
	// Romanian name, its result (Kind.String) and how long it took. The
	// operations endpoint counts them.
	Observe func(command, result string, took time.Duration)
	// Acknowledge turns on the acknowledgement by e-mail of what is
	// registered from the Cabinet's mailbox (CABINET_SMTP_URL set); AckTemplate
	// is its text/template (empty: templates.MailAck).
	Acknowledge bool
	AckTemplate string
	// AudienceDays is the target for scheduling an audience request, in
	// days (not a legal term); 0 means DefaultAudienceDays.
	AudienceDays int
	// NoteTemplate and ReferatTemplate are the paths of the DOCX templates
	// of nota-informare and referat; empty means the built-in ones.
	NoteTemplate    string
	ReferatTemplate string
}

// Engine runs commands. It is safe for concurrent use.
type Engine struct {
	store   *storage.Store
	clock   func() time.Time
	rules   calendar.Rules
	admins  map[string]bool
	contact string
	log     *slog.Logger
	table   *Table
	cal     atomic.Pointer[calendar.Calendar]
	dir     directoryCache     // the phone directory's search index
	draft   string             // the draft template's path, "" for the built-in one
	jobs    Jobs               // the scheduler, when it runs
	chats   ChatResolver       // looks chats up by public name, when a platform can
	ack     *template.Template // the acknowledgement of e-mails, nil when off
	observe func(command, result string, took time.Duration)
	// audienceDays is the target for scheduling an audience request.
	audienceDays int
	// noteTpl and referatTpl are the templates' paths ("" built in).
	noteTpl, referatTpl string
}

// New returns an engine over the store.
func New(cfg Config) (*Engine, error) {
	e := &Engine{store: cfg.Store, clock: cfg.Clock, rules: cfg.Rules, admins: map[string]bool{},
		contact: cfg.AccessContact, log: cfg.Logger, table: NewTable(), draft: cfg.DraftTemplate, observe: cfg.Observe}
	if e.observe == nil {
		e.observe = func(string, string, time.Duration) {}
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.rules == (calendar.Rules{}) {
		e.rules = calendar.DefaultRules
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.audienceDays = cfg.AudienceDays
	if e.audienceDays <= 0 {
		e.audienceDays = DefaultAudienceDays
	}
	if e.contact == "" {
		e.contact = "Cabinetul Primarului"
	}
	for _, a := range cfg.Admins {
		e.admins[strings.TrimSpace(a)] = true
	}
	if err := e.reloadCalendar(); err != nil {
		return nil, err
	}
	if err := e.checkDraftTemplate(); err != nil {
		return nil, err
	}
	if cfg.Acknowledge {
		t, err := parseAckTemplate(cfg.AckTemplate)
		if err != nil {
			return nil, err
		}
		e.ack = t
	}
	e.noteTpl, e.referatTpl = cfg.NoteTemplate, cfg.ReferatTemplate
	if err := noteTemplate.check(e.noteTpl); err != nil {
		return nil, err
	}
	if err := referatTemplate.check(e.referatTpl); err != nil {
		return nil, err
	}
	return e, nil
}

// Table returns the command table.
func (e *Engine) Table() *Table { return e.table }

// Now returns the current time in Europe/Bucharest.
func (e *Engine) Now() time.Time { return e.clock().In(calendar.Bucharest) }

// Calendar returns the working-day calendar, with the admins' days off.
func (e *Engine) Calendar() *calendar.Calendar { return e.cal.Load() }

func (e *Engine) reloadCalendar() error {
	days, err := e.store.DaysOff()
	if err != nil {
		return fmt.Errorf("load days off: %w", err)
	}
	extra := map[calendar.Date]string{}
	for iso, why := range days {
		d, err := calendar.ParseISO(iso)
		if err != nil {
			return err
		}
		extra[d] = why
	}
	e.cal.Store(calendar.New(extra))
	return nil
}

// MarkReplied records that the reply to a platform event went out, so that a
// redelivery of the event is dropped. Adapters call it after sending.
func (e *Engine) MarkReplied(ctx context.Context, eventID string) error {
	if eventID == "" {
		return nil
	}
	return e.store.MarkReplied(ctx, eventID)
}

// Caller finds the role of an identity: an admin named in the configuration,
// or the person stored for it. ok is false for strangers.
func (e *Engine) Caller(who Identity) (Caller, bool, error) {
	c := Caller{Identity: who}
	if e.admins[who.Key()] {
		c.Role = RoleAdmin
		return c, true, nil
	}
	p, err := e.store.Person(who.Key())
	if errors.Is(err, storage.ErrNotFound) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("look up %s: %w", who.Key(), err)
	}
	c.Role, c.Dept = Role(p.Role), p.Dept
	if c.Name == "" {
		c.Name = p.Name
	}
	return c, c.Role != "", nil
}

// Handle runs one request and returns the reply. It never panics: a panic in a
// handler is recovered, logged and answered with an apology.
func (e *Engine) Handle(ctx context.Context, req Request) (reply Reply) {
	lang := req.Lang
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("command panicked", "who", req.Who.Key(), "panic", r, "stack", string(debug.Stack()))
			reply = Reply{Kind: Failed, Title: lang.pick(
				"Ne pare rău, a apărut o eroare internă. Nu s-a modificat nimic; încercați din nou sau anunțați administratorul.",
				"Sorry, something went wrong on our side. Nothing was changed; try again or tell the administrator.")}
		}
	}()
	caller, known, err := e.Caller(req.Who)
	if err != nil {
		e.log.Error("identity lookup failed", "who", req.Who.Key(), "err", err)
		return failure(lang)
	}
	if !known {
		return e.refuse(ctx, req, lang)
	}
	if req.EventID != "" {
		if st, err := e.store.EventState(req.EventID); err == nil && st == storage.EventReplied {
			return Reply{Silent: true} // a redelivery of what was already answered
		}
	}
	if len(req.Text) > MaxCommandBytes {
		return TooLong(len(req.Text), lang)
	}
	tokens, err := text.Tokenize(req.Text)
	if err != nil {
		return invalid(lang.pick("Ghilimele deschise și neînchise.", "A quote is opened and never closed."),
			`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`, lang)
	}
	if len(tokens) == 0 {
		return invalid(lang.pick("Scrieți o comandă.", "Type a command."), "ajutor", lang)
	}
	words := leadingWords(tokens)
	cmd, used, english := e.table.Lookup(words)
	if lang == "" {
		lang = Romanian
		if english {
			lang = English
		}
	}
	if cmd == nil {
		return e.unknown(tokens[0].Value, caller, lang)
	}
	if !caller.may(cmd.Roles) {
		e.log.Warn("command refused", "who", req.Who.Key(), "role", caller.Role, "command", cmd.Name)
		e.observe(cmd.Name, Denied.String(), 0)
		return Reply{Kind: Denied, Title: lang.pick(
			"Rolul dumneavoastră (%s) nu permite comanda „%s”. Scrieți „ajutor” pentru ce puteți folosi.",
			"Your role (%s) does not allow “%s”. Type “help” for what you can use.", caller.Role, cmd.Name)}
	}
	call, bad := newCall(ctx, e, cmd, caller, req, lang, tokens[used:])
	if bad != nil {
		return *bad
	}
	if bad := checkControls(call); bad != nil {
		return *bad
	}
	return e.checkExtra(call)
}

// leadingWords are the bare words before the first key=value.
func leadingWords(tokens []Token) []string {
	var out []string
	for _, t := range tokens {
		if t.Key != "" {
			break
		}
		out = append(out, t.Value)
	}
	return out
}

// Token is a word of a command line.
type Token = text.Token

func (e *Engine) run(call *Call) (reply Reply) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			e.observe(call.cmd.Name, Failed.String(), time.Since(start))
			panic(p) // Handle logs it and apologises
		}
		e.observe(call.cmd.Name, reply.Kind.String(), time.Since(start))
	}()
	reply, err := call.cmd.Run(call)
	var uerr *UserError
	switch {
	case err == nil:
		reply.Notices = append(reply.Notices, call.owed...)
		return reply
	case errors.As(err, &uerr):
		return uerr.reply(call)
	case errors.Is(err, storage.ErrReplay):
		return Reply{Silent: true}
	case errors.Is(err, storage.ErrNoSpace):
		return e.noSpace(call, err)
	default:
		e.log.Error("command failed", "command", call.cmd.Name, "who", call.Caller.Key(), "err", err)
		return failure(call.Lang)
	}
}

// noSpace answers a change refused because the disk is nearly full (reads
// go on); the first refusal since there was enough space also alerts the
// admins.
func (e *Engine) noSpace(call *Call, err error) Reply {
	r := Reply{Kind: Failed, Title: call.Lang.pick(
		"Spațiu insuficient pe disc: modificarea nu s-a făcut. Consultările merg în continuare; administratorii au fost anunțați.",
		"Not enough disk space: the change was not made. Lookups still work; the administrators have been told.")}
	var se *storage.SpaceError
	if !errors.As(err, &se) || !se.First {
		return r
	}
	alert := Reply{Kind: Failed, Title: "Spațiu insuficient pe disc / Disk nearly full", Lines: []string{
		fmt.Sprintf("Au rămas %d MB liberi pe discul datelor (minimum %d MB): botul refuză modificările până se face loc; consultările merg.",
			se.Free>>20, se.Min>>20),
		fmt.Sprintf("%d MB free on the data disk (%d MB needed): changes are refused until space is freed; lookups still work.",
			se.Free>>20, se.Min>>20),
		"Ce e de făcut / what to do: README, Operations."}}
	var alerts []Notice
	for _, id := range e.adminIDs() {
		alerts = append(alerts, Notice{To: Recipient{Kind: ToPerson, ID: id}, Reply: alert})
	}
	// Queued in the outbox, which still takes the bot's own small writes.
	out, oerr := Outgoings(alerts)
	if oerr == nil {
		oerr = e.store.Enqueue(call.Ctx, e.Now(), out...)
	}
	if oerr != nil {
		e.log.Error("queue the disk-space alert", "err", oerr)
		return r
	}
	r.Notices = alerts
	return r
}

// adminIDs are the identities of every admin: configured and stored.
func (e *Engine) adminIDs() []string {
	var out []string
	for id := range e.admins {
		out = append(out, id)
	}
	people, err := e.store.People()
	if err != nil {
		e.log.Error("list the admins", "err", err)
	}
	for _, p := range people {
		if Role(p.Role) == RoleAdmin && !e.admins[p.Identity] {
			out = append(out, p.Identity)
		}
	}
	sort.Strings(out)
	return out
}

func failure(l Lang) Reply {
	return Reply{Kind: Failed, Title: l.pick(
		"Nu am putut duce comanda la capăt din cauza unei erori interne; încercați din nou.",
		"The command could not be completed because of an internal error; try again.")}
}

func invalid(reason, example string, l Lang) Reply {
	return Reply{Kind: Invalid, Title: reason, Lines: []string{l.pick("Exemplu: %s", "Example: %s", example)}}
}

// refuse answers a stranger: once, with their ID and whom to ask; later
// attempts get silence. Every attempt is logged.
func (e *Engine) refuse(ctx context.Context, req Request, lang Lang) Reply {
	e.log.Warn("message from an identity without a role", "who", req.Who.Key(), "name", req.Who.Name)
	if lang == "" {
		lang = Romanian
	}
	first, err := e.store.NoteRefusal(ctx, req.Who.Key(), e.Now())
	if err != nil {
		e.log.Error("record refusal", "who", req.Who.Key(), "err", err)
	}
	if !first {
		return Reply{Silent: true}
	}
	return Reply{Kind: Denied, Private: true, Title: lang.pick(
		"Nu aveți acces la acest bot. Cereți acces la %s, comunicând identificatorul %s.",
		"You have no access to this bot. Ask %s for access, quoting the ID %s.", e.contact, req.Who.Key())}
}

func (e *Engine) unknown(word string, caller Caller, lang Lang) Reply {
	suggestions := e.table.Suggest(word, caller)
	if len(suggestions) > 0 && e.table.english[suggestions[0]] && lang == Romanian {
		lang = English
	}
	r := Reply{Kind: Invalid, Title: lang.pick("Comandă necunoscută: „%s”.", "Unknown command: “%s”.", word)}
	if len(suggestions) > 0 {
		r.Lines = append(r.Lines, lang.pick("Poate ați vrut: %s?", "Did you mean: %s?", strings.Join(suggestions, ", ")))
	}
	r.Lines = append(r.Lines, lang.pick("Scrieți „ajutor” pentru lista comenzilor.", "Type “help” for the list of commands."))
	return r
}
