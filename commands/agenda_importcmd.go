package commands

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Import limits: a file larger than this, or with more events, is refused
// whole (a year of the Mayor's agenda is a few hundred events).
const (
	maxImportBytes  = 8 << 20
	maxImportEvents = 5000
	// pendingImportTTL is how long an import with broken events waits for
	// its author's confirmation.
	pendingImportTTL = 30 * time.Minute
)

func runAgendaImport(c *Call) (Reply, error) {
	if len(c.Args) > 0 {
		switch text.Fold(strings.Join(c.Args, " ")) {
		case "confirma", "confirm", "da", "yes":
			return c.confirmImport()
		case "renunta", "discard", "anuleaza", "cancel", "nu", "no":
			return c.discardImport()
		}
		if len(c.Req.Files) == 0 {
			return Reply{}, c.Fail("Nu înțeleg „%s”; atașați un fișier .ics, sau scrieți „agenda importa confirma” ori „agenda importa renunta”.",
				"I do not understand “%s”; attach an .ics file, or write “agenda import confirm” or “agenda import discard”.", strings.Join(c.Args, " "))
		}
	}
	var files []File
	total := 0
	for _, f := range c.Req.Files {
		total += len(f.Data)
		if bytes.Contains(f.Data[:min(len(f.Data), 4096)], []byte("BEGIN:VCALENDAR")) || strings.HasSuffix(strings.ToLower(f.Name), ".ics") {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return Reply{}, c.Fail("Atașați un fișier iCalendar (.ics) exportat din Outlook sau Google Calendar (în consolă: agenda importa @cale/agenda.ics).",
			"Attach an iCalendar file (.ics) exported from Outlook or Google Calendar (at the console: agenda import @path/agenda.ics).")
	}
	if total > maxImportBytes {
		return Reply{}, c.Fail("Fișierul are %d MB; primesc cel mult %d MB.", "The file is %d MB; I take at most %d MB.", total>>20, maxImportBytes>>20)
	}
	res, err := c.parseICS(files)
	var ie *importError
	if errors.As(err, &ie) {
		return Reply{}, c.Fail("Nu pot citi fișierul: %s.", "I cannot read the file: %s.", c.importText(err))
	}
	if err != nil {
		return Reply{}, err
	}
	if len(res.events)+len(res.broken) > maxImportEvents {
		return Reply{}, c.Fail("Fișierul are %s; primesc cel mult %d odată.", "The file has %s; I take at most %d at once.",
			c.events(len(res.events)+len(res.broken)), maxImportEvents)
	}
	names := fileNames(files)
	if len(res.broken) == 0 {
		if len(res.events) == 0 {
			return Reply{}, c.Fail("Fișierul %s nu conține niciun eveniment.", "The file %s holds no event.", names)
		}
		return c.importEvents(res.events, res.warnings, names)
	}
	r := Reply{Kind: Invalid}
	if len(res.events) == 0 {
		r.Title = c.T("Niciun eveniment din %s nu poate fi importat; nu s-a schimbat nimic.", "No event of %s can be imported; nothing was changed.", names)
		r.Lines = brokenLines(c, res.broken)
		return r, nil
	}
	pending := storage.PendingAgendaImport{Events: res.events, Broken: res.broken, Warnings: res.warnings, Files: names, At: c.e.Now()}
	if err := c.e.store.SetPendingAgendaImport(c.Ctx, c.Caller.Key(), pending, pendingImportTTL); err != nil {
		return Reply{}, err
	}
	r = Reply{Title: c.T("%s: evenimente stricate: %d din %d; nu am importat încă nimic.", "%s: broken events: %d of %d; nothing is imported yet.",
		names, len(res.broken), len(res.broken)+len(res.events))}
	r.Lines = brokenLines(c, res.broken)
	r.Lines = append(r.Lines, c.T("Import restul (%s)? „agenda importa confirma” (în %d de minute) sau „agenda importa renunta”.",
		"Import the rest (%s)? “agenda import confirm” (within %d minutes) or “agenda import discard”.", c.events(len(res.events)), int(pendingImportTTL.Minutes())))
	r.Actions = []Action{
		{ID: "agenda-import-confirm", Label: c.T("Importă restul (%d)", "Import the rest (%d)", len(res.events)), Command: "agenda importa confirma"},
		{ID: "agenda-import-discard", Label: c.T("Renunță", "Discard"), Command: "agenda importa renunta"},
	}
	return r, nil
}

// importOverlaps names the overlaps of imported occurrences with the rest
// of the agenda (and with each other), each pair once, at most five.
func (c *Call) importOverlaps(occ []occurrence) ([]string, error) {
	pairs, err := c.e.conflicts(occ)
	if err != nil {
		return nil, err
	}
	const shown = 5
	seen := map[string]bool{}
	var out []string
	n := 0
	for _, p := range pairs {
		o, x := p[0], p[1]
		a, b := fmt.Sprintf("%d/%s", o.Ev.ID, o.Key), fmt.Sprintf("%d/%s", x.Ev.ID, x.Key)
		if b < a {
			a, b = b, a
		}
		if seen[a+" "+b] {
			continue
		}
		seen[a+" "+b] = true
		n++
		if n <= shown {
			out = append(out, c.T("⚠ #%d „%s” (%s) se suprapune cu #%d „%s” (%s).", "⚠ #%d “%s” (%s) overlaps #%d “%s” (%s).",
				o.Ev.ID, o.Title, calendar.DateOf(o.Start).String()+" "+c.span(o, calendar.Date{}),
				x.Ev.ID, c.visibleTitle(x), c.span(x, calendar.Date{})))
		}
	}
	if n > shown {
		out = append(out, "⚠ … "+c.more(n-shown, "suprapunere", "suprapuneri", "overlap"))
	}
	return out, nil
}

// visibleTitle is an occurrence's title, or "ocupat" for a private event
// the caller may not see.
func (c *Call) visibleTitle(o occurrence) string {
	if o.Ev.Private && !canSeePrivate(c.Caller, o.Ev) {
		return c.T("ocupat", "busy")
	}
	return o.Title
}

// events counts events: 1 eveniment, 5 evenimente, 20 de evenimente.
func (c *Call) events(n int) string {
	if c.Lang == English {
		return plural(n, "no events", "1 event", "%d events", "%d events")
	}
	return plural(n, "niciun eveniment", "1 eveniment", "%d evenimente", "%d de evenimente")
}

func fileNames(files []File) string {
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

func brokenLines(c *Call, broken []string) []string {
	const shown = 10
	var out []string
	for i, b := range broken {
		if i == shown {
			out = append(out, c.T("… și încă %d", "… and %d more", len(broken)-shown))
			break
		}
		out = append(out, "✗ "+b)
	}
	return out
}

func (c *Call) confirmImport() (Reply, error) {
	p, err := c.e.store.PendingAgendaImport(c.Caller.Key())
	if errors.Is(err, storage.ErrNotFound) {
		return Reply{}, c.Fail("Nu aveți niciun import care să aștepte confirmarea (expiră după %d de minute); trimiteți din nou fișierul.",
			"You have no import waiting for confirmation (it expires after %d minutes); send the file again.", int(pendingImportTTL.Minutes()))
	}
	if err != nil {
		return Reply{}, err
	}
	r, err := c.importEvents(p.Events, p.Warnings, p.Files)
	if err != nil {
		return r, err
	}
	if err := c.e.store.DropPendingAgendaImport(c.Ctx, c.Caller.Key()); err != nil {
		c.e.log.Warn("drop pending agenda import", "who", c.Caller.Key(), "err", err)
	}
	r.Lines = append(r.Lines, c.T("Stricate, neimportate: %s.", "Broken, not imported: %s.", c.events(len(p.Broken))))
	return r, nil
}

func (c *Call) discardImport() (Reply, error) {
	if _, err := c.e.store.PendingAgendaImport(c.Caller.Key()); errors.Is(err, storage.ErrNotFound) {
		return Reply{}, c.Fail("Nu aveți niciun import care să aștepte confirmarea.", "You have no import waiting for confirmation.")
	} else if err != nil {
		return Reply{}, err
	}
	if err := c.e.store.DropPendingAgendaImport(c.Ctx, c.Caller.Key()); err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Am renunțat la import; nu s-a schimbat nimic.", "The import is discarded; nothing was changed.")}, nil
}

// importEvents stores imported events (new ones added, those whose UID is
// known replaced), warns of overlaps, and tells each preparing department
// once, with the list of its events.
func (c *Call) importEvents(events []storage.AgendaEvent, warnings []string, names string) (Reply, error) {
	now := c.e.Now()
	m := c.oweBatches(func(made storage.Made) []Notice { return c.importNotices(made.Events, now) })
	saved, updated, err := c.e.store.ImportAgenda(c.Ctx, events, m)
	if err != nil {
		return Reply{}, err
	}
	added := 0
	for _, u := range updated {
		if !u {
			added++
		}
	}
	r := Reply{Title: c.T("Importat din %s: %s (%d noi, %d actualizate).", "Imported from %s: %s (%d new, %d updated).",
		names, c.events(len(saved)), added, len(saved)-added)}
	for i, w := range warnings {
		if i == 10 {
			r.Lines = append(r.Lines, "… "+c.more(len(warnings)-10, "observație", "observații", "remark"))
			break
		}
		r.Lines = append(r.Lines, "• "+w)
	}
	var occ []occurrence
	for i := range saved {
		ev := &saved[i]
		if !ev.End.After(now) && !ev.Recurring() {
			continue // the past: nothing to prepare, nothing to overlap
		}
		up, err := upcoming(ev, now)
		if err != nil {
			return Reply{}, err
		}
		occ = append(occ, up...)
	}
	lines, err := c.importOverlaps(occ)
	if err != nil {
		return Reply{}, err
	}
	r.Lines = append(r.Lines, lines...)
	return r, nil
}

// importNotices tell each preparing department, once per import batch, the
// list of its imported events still to come.
func (c *Call) importNotices(saved []storage.AgendaEvent, now time.Time) []Notice {
	perDept := map[string][]string{}
	ro := &Call{Lang: Romanian, Caller: c.Caller, e: c.e}
	for i := range saved {
		ev := &saved[i]
		if !ev.End.After(now) && !ev.Recurring() {
			continue
		}
		if ev.Dept != "" && ev.Status != storage.AgendaCancelled {
			perDept[ev.Dept] = append(perDept[ev.Dept], fmt.Sprintf("#%d %s — %s", ev.ID, ro.when(*firstOccurrence(ev)), ev.Title))
		}
	}
	var out []Notice
	for _, dept := range sortedKeys(perDept) {
		list := perDept[dept]
		n := Reply{Title: "Agenda primarului: importate, de pregătit de dumneavoastră: " + ro.events(len(list))}
		if len(list) > 10 {
			list = append(slices.Clone(list[:10]), fmt.Sprintf("… și încă %d", len(list)-10))
		}
		n.Lines = append(list, "Vă rugăm să pregătiți documentarea (nota de informare) pentru primar.")
		out = append(out, Notice{To: Recipient{Kind: ToDepartment, ID: dept}, Reply: n})
	}
	return out
}
