package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Briefings for the agenda: an event with a preparing department
// (pregateste=) owes the Mayor a briefing note, due by default the working
// day before the event at 14:00 (nota-pana= on programeaza/modifica sets
// another time). The department or the Cabinet delivers it with `nota #ID`
// and a file (kept in the file store); `pregatiri` lists what is due; the
// reminders job reminds the department the morning of the due day, and the
// briefings job tells the Cabinet once, at the due time, of a note not
// delivered; the Mayor's morning agenda shows each note's state and carries
// the delivered notes.

// briefHour is the default time of day a briefing note is due.
const briefHour = 14 * 60

// briefState is where a briefing note stands.
type briefState int

const (
	briefOwed      briefState = iota // de pregătit
	briefDelivered                   // predată
	briefLate                        // întârziată
)

func briefingCommands() []*Command {
	return []*Command{
		{Name: "nota", Aliases: []string{"brief", "notă"}, Roles: resolvers, Group: groupAgenda,
			Usage:     "#ID [ZI-APARIȚIE] (cu fișierul notei atașat)",
			UsageEn:   "#ID [OCCURRENCE-DAY] (with the note's file attached)",
			Summary:   "predă nota de informare pentru un eveniment din agendă (departamentul care îl pregătește sau Cabinetul); una nouă o înlocuiește, cele vechi rămân în istoric",
			SummaryEn: "delivers the briefing note for an agenda event (the preparing department or the Cabinet); a new one replaces it, the old ones stay in the history",
			Examples:  []string{"nota #12 @nota-sedinta.pdf", "nota #7 03.12 @nota.docx", "brief #12"},
			File:      "notei", Run: runBrief},
		{Name: "pregatiri", Aliases: []string{"briefings", "pregătiri"}, Roles: []Role{RoleAdmin, RoleCabinet, RoleMayor, RoleDept}, Group: groupAgenda,
			Usage: "[azi|maine|saptamana|DD.MM[.YYYY]|DD.MM-DD.MM]", UsageEn: "[today|tomorrow|week|DD.MM[.YYYY]|DD.MM-DD.MM]",
			Summary:   "notele de informare datorate pentru evenimentele din agenda primarului (azi, mâine, săptămâna) și starea lor: de pregătit, predată (de cine, când), întârziată",
			SummaryEn: "the briefing notes owed for the events of the Mayor's agenda (today, tomorrow, the week) and their state: to prepare, delivered (by whom, when), late",
			Examples:  []string{"pregatiri", "pregatiri maine", "pregatiri saptamana", "briefings week"}, Run: runBriefings},
	}
}

// briefDue is when the briefing note of an occurrence is due.
func (e *Engine) briefDue(o occurrence) time.Time {
	if !o.Ev.BriefDue.IsZero() && o.Key == "" {
		return o.Ev.BriefDue
	}
	day := e.Calendar().AddWorkingDays(calendar.DateOf(o.Start), -1)
	t, _ := wallInstant(day, briefHour)
	return t
}

// briefOf returns the current briefing note of an occurrence, if delivered.
func briefOf(o occurrence) *storage.Brief {
	for i := len(o.Ev.Briefs) - 1; i >= 0; i-- {
		if o.Ev.Briefs[i].Occurrence == o.Key {
			return &o.Ev.Briefs[i]
		}
	}
	return nil
}

// owesBrief reports whether an occurrence owes a briefing note.
func owesBrief(o occurrence) bool { return o.Ev.Dept != "" && !o.cancelled() }

func (e *Engine) briefStateOf(o occurrence, now time.Time) (briefState, *storage.Brief) {
	if b := briefOf(o); b != nil {
		return briefDelivered, b
	}
	if !now.Before(e.briefDue(o)) {
		return briefLate, nil
	}
	return briefOwed, nil
}

func shortTime(t time.Time) string { return t.In(calendar.Bucharest).Format("02.01 15:04") }

// briefText says where an occurrence's briefing note stands.
func (c *Call) briefText(o occurrence) string {
	st, b := c.e.briefStateOf(o, c.e.Now())
	due := shortTime(c.e.briefDue(o))
	switch st {
	case briefDelivered:
		return c.T("notă predată (%s, %s)", "note delivered (%s, %s)", orDash(b.ByName), shortTime(b.At))
	case briefLate:
		return c.T("notă întârziată (termen %s, %s)", "note late (due %s, %s)", due, o.Ev.Dept)
	}
	return c.T("notă de pregătit până la %s (%s)", "note to prepare by %s (%s)", due, o.Ev.Dept)
}

func runBrief(c *Call) (Reply, error) {
	example := c.T("Exemplu: nota #12 cu fișierul notei atașat.", "Example: brief #12 with the note's file attached.")
	if (len(c.Args) == 0 || strings.HasPrefix(c.Args[0], "@")) && c.Req.Event > 0 {
		c.Args = append([]string{"#" + strconv.Itoa(c.Req.Event)}, c.Args...)
	}
	if len(c.Args) == 0 {
		return Reply{}, c.Fail("Spuneți pentru ce eveniment este nota. %s", "Say which event the note is for. %s", example)
	}
	ev, err := c.agendaEvent(0)
	if err != nil {
		return Reply{}, err
	}
	id := ev.ID
	if ev.Dept == "" {
		return Reply{}, c.Fail("Evenimentul #%d nu are un departament care îl pregătește; dați-l cu „modifica %d pregateste=DEPARTAMENT”.",
			"Event #%d has no preparing department; set one with “edit %d prepares=DEPARTMENT”.", id, id)
	}
	if c.Caller.Role == RoleDept && c.Caller.Dept != ev.Dept {
		return Reply{}, c.Fail("Nota pentru #%d o predă %s (sau Cabinetul).", "The note for #%d is delivered by %s (or the Cabinet).", id, ev.Dept)
	}
	o, err := c.briefOccurrence(&ev, c.Args[1:])
	if err != nil {
		return Reply{}, err
	}
	if len(c.Req.Files) == 0 {
		return Reply{}, c.Fail("Atașați fișierul notei la mesaj, cu comanda în text (la consola locală: nota #%d @nota.pdf).",
			"Attach the note's file to the message, with the command as its text (at the local console: brief #%d @note.pdf).", id, id)
	}
	f := c.Req.Files[0]
	ref, err := c.storeFile("the note")
	if err != nil {
		return Reply{}, err
	}
	by := c.Caller.Key()
	if p, err := c.e.store.Person(by); err == nil && p.Name != "" {
		by = p.Name
	}
	now := c.e.Now()
	b := storage.Brief{Occurrence: o.Key, File: ref, By: c.Caller.Key(), ByName: by, At: now}
	replaced := briefOf(*o) != nil
	m := c.owe(func(made storage.Made) []Notice {
		if c.Caller.isStaff() {
			return nil
		}
		return []Notice{{To: Recipient{Kind: ToCabinet}, Reply: Reply{
			Title: fmt.Sprintf("Notă predată pentru #%d: %s", id, o.Title),
			Lines: []string{fmt.Sprintf("%s · %s, %s · %s", c.when(*o), ev.Dept, by, f.Name)}}}}
	})
	if _, _, err := c.e.store.DeliverBrief(c.Ctx, id, b, m); err != nil {
		if errors.Is(err, storage.ErrReplay) {
			return Reply{Title: c.T("Nota pentru #%d a fost deja primită.", "The note for #%d was already received.", id)}, nil
		}
		return Reply{}, err
	}
	r := Reply{Title: c.T("Notă primită pentru #%d: %s", "Note received for #%d: %s", id, o.Title),
		Fields: []Field{{c.T("Când", "When"), c.when(*o)}, {c.T("Fișier", "File"), fmt.Sprintf("%s (%s)", f.Name, sizeText(ref.Size))}}}
	if replaced {
		r.Lines = append(r.Lines, c.T("O înlocuiește pe cea predată înainte (care rămâne în istoric).", "It replaces the one delivered before (which stays in the history)."))
	}
	if due := c.e.briefDue(*o); now.After(due) {
		r.Lines = append(r.Lines, c.T("Termenul era %s.", "It was due %s.", shortTime(due)))
	}
	return r, nil
}

// sizeText writes a file's size for a person: 2.4 MB, 310 KB, 12 B.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// briefOccurrence picks the occurrence a note is for: the one on the day
// given, else the next one (or the only one).
func (c *Call) briefOccurrence(ev *storage.AgendaEvent, args []string) (*occurrence, error) {
	if !ev.Recurring() {
		return firstOccurrence(ev), nil
	}
	var from, to time.Time
	if len(args) > 0 && !strings.HasPrefix(args[0], "@") {
		d, err := c.date(args[0])
		if err != nil {
			return nil, err
		}
		from, to = dayRange(d, d)
	} else {
		from = c.e.Now()
		to = from.AddDate(1, 0, 0)
	}
	occ, err := occurrences(ev, from, to)
	if err != nil {
		return nil, err
	}
	for _, o := range occ {
		if !o.cancelled() {
			return &o, nil
		}
	}
	return nil, c.Fail("Evenimentul #%d nu are o apariție în ziua aceea.", "Event #%d has no occurrence on that day.", ev.ID)
}

// briefsBetween lists the occurrences owing a note due between from and to.
func (e *Engine) briefsBetween(from, to time.Time) ([]occurrence, error) {
	occ, err := e.agendaBetween(from, to.AddDate(0, 0, 31))
	if err != nil {
		return nil, err
	}
	var out []occurrence
	for _, o := range occ {
		if due := e.briefDue(o); owesBrief(o) && !due.Before(from) && due.Before(to) {
			out = append(out, o)
		}
	}
	return out, nil
}

func runBriefings(c *Call) (Reply, error) {
	rng, err := c.parseAgendaRange(c.Args)
	if err != nil {
		return Reply{}, err
	}
	from, to := dayRange(rng.From, rng.To)
	occ, err := c.e.agendaBetween(from, to)
	if err != nil {
		return Reply{}, err
	}
	title := c.T("Note de informare pentru agenda din %s", "Briefing notes for the agenda of %s", rng.From.String())
	if rng.To != rng.From {
		title = c.T("Note de informare pentru agenda %s – %s", "Briefing notes for the agenda %s – %s", rng.From, rng.To)
	}
	r := Reply{Title: title}
	for _, o := range occ {
		if !owesBrief(o) || !canSeePrivate(c.Caller, o.Ev) || (c.Caller.Role == RoleDept && o.Ev.Dept != c.Caller.Dept) {
			continue
		}
		r.Lines = append(r.Lines, fmt.Sprintf("• #%d %s — %s: %s", o.Ev.ID, c.when(o), o.Title, c.briefText(o)))
	}
	if len(r.Lines) == 0 {
		r.Lines = append(r.Lines, c.T("Nicio notă datorată în perioada aceasta.", "No note due in this period."))
	}
	return r, nil
}

// BriefReminders are the reminders of the briefing notes due on day and not
// delivered, for the preparing departments (the reminders job, the morning
// of the due day).
func (e *Engine) BriefReminders(ctx context.Context, day calendar.Date) ([]Push, error) {
	c := e.system(ctx)
	from, to := dayRange(day, day)
	occ, err := e.briefsBetween(from, to)
	if err != nil {
		return nil, err
	}
	var out []Push
	for _, o := range occ {
		if briefOf(o) != nil {
			continue
		}
		r := Reply{Title: fmt.Sprintf("Reamintire: nota de informare pentru #%d are termen azi, %s", o.Ev.ID, shortTime(e.briefDue(o))),
			Lines: []string{fmt.Sprintf("%s · %s", o.Title, c.when(o)),
				fmt.Sprintf("Predați-o cu „nota #%d” și fișierul atașat.", o.Ev.ID)}}
		out = append(out, Push{Key: briefKey(o) + "/" + o.Ev.Dept, To: Recipient{Kind: ToDepartment, ID: o.Ev.Dept}, Reply: r})
	}
	return out, nil
}

// BriefEscalations tell the Cabinet of the briefing notes that fell due in
// (since, until] without being delivered: each once, at its due time (the
// briefings job runs often; each note's due time is in one of its slots).
func (e *Engine) BriefEscalations(ctx context.Context, since, until time.Time) ([]Push, error) {
	c := e.system(ctx)
	occ, err := e.briefsBetween(since.Add(time.Nanosecond), until.Add(time.Nanosecond))
	if err != nil {
		return nil, err
	}
	var out []Push
	for _, o := range occ {
		if briefOf(o) != nil {
			continue
		}
		head := ""
		if d, err := e.store.Department(o.Ev.Dept); err == nil && d.Head != "" {
			head = " În atenția: " + d.Head + "."
		}
		r := Reply{Title: fmt.Sprintf("Notă nepredată: #%d %s (termen %s)", o.Ev.ID, o.Title, shortTime(e.briefDue(o))),
			Lines: []string{fmt.Sprintf("%s · %s nu a predat nota de informare.%s", c.when(o), o.Ev.Dept, head)}}
		out = append(out, Push{Key: briefKey(o), To: Recipient{Kind: ToCabinet}, Reply: r})
	}
	return out, nil
}

// Push is a timed push the engine builds for the scheduler: its key is
// unique within the job's slot.
type Push struct {
	Key   string
	To    Recipient
	Reply Reply
}

func briefKey(o occurrence) string {
	k := fmt.Sprintf("brief/%d", o.Ev.ID)
	if o.Key != "" {
		k += "/" + o.Key
	}
	return k
}

// morningBriefs adds to the morning agenda where each event's briefing note
// stands, and the delivered notes, as stored files the outbox reads when it
// delivers.
func (c *Call) morningBriefs(r *Reply, day calendar.Date) error {
	from, to := dayRange(day, day)
	occ, err := c.e.agendaBetween(from, to)
	if err != nil {
		return err
	}
	head := false
	for _, o := range occ {
		if !owesBrief(o) {
			continue
		}
		if !head {
			r.Lines, head = append(r.Lines, "", "Note de informare:"), true
		}
		r.Lines = append(r.Lines, fmt.Sprintf("• %s %s: %s", o.Start.In(calendar.Bucharest).Format("15:04"), o.Title, c.briefText(o)))
		if b := briefOf(o); b != nil {
			r.Files = append(r.Files, File{Name: b.File.Name, MIME: b.File.Type, Stored: b.File.SHA256})
		}
	}
	return nil
}

// briefDueArg reads nota-pana="DD.MM.YYYY HH:MM".
func (c *Call) briefDueArg(v string) (time.Time, error) {
	fail := c.Fail("„%s” nu este un termen pentru notă; scrieți nota-pana=\"25.11.2026 12:00\".",
		"“%s” is not a due time for the note; write brief-by=\"25.11.2026 12:00\".", v)
	day, clock, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return time.Time{}, fail
	}
	d, err := c.date(day)
	if err != nil {
		return time.Time{}, fail
	}
	from, _, hasEnd, ok := clockRange(strings.TrimSpace(clock))
	if !ok || hasEnd {
		return time.Time{}, fail
	}
	t, ok := wallInstant(d, from)
	if !ok {
		return time.Time{}, fail
	}
	return t, nil
}
