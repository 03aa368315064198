package commands

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// iCalendar (RFC 5545) import and export of the agenda, on
// github.com/emersion/go-ical (content lines, parameters, values) and
// github.com/teambition/rrule-go (recurrence rules). What iCalendar has no
// property for travels in X- properties: the preparing department
// (X-CABINET-DEPARTMENT) and the participants as typed
// (X-CABINET-PARTICIPANTS; those with an e-mail address are also ATTENDEEs).
//
// A file is cut into its components first (splitICS), and each is decoded
// alone: a malformed line costs its event, not the file.

// The properties of ours.
const (
	propDept         = "X-CABINET-DEPARTMENT"
	propParticipants = "X-CABINET-PARTICIPANTS"
	icsDateTime      = "20060102T150405"
	icsDate          = "20060102"
)

// importError is what is wrong with an event of an imported file, in both
// languages.
type importError struct{ ro, en string }

func (e *importError) Error() string { return e.en }

func importErr(ro, en string, args ...any) error {
	return &importError{ro: fmt.Sprintf(ro, args...), en: fmt.Sprintf(en, args...)}
}

// importText writes an import error in the caller's language.
func (c *Call) importText(err error) string {
	var ie *importError
	if errors.As(err, &ie) {
		return c.T(ie.ro, ie.en)
	}
	return err.Error()
}

// icsBlock is one top-level component of a file, as text, with the line it
// starts on.
type icsBlock struct {
	name   string // VEVENT, VTIMEZONE…
	line   int
	text   string
	broken error
}

// splitICS unfolds a file's lines and cuts it into its top-level
// components, so that a malformed line costs one event, not the file.
func splitICS(data []byte) ([]icsBlock, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, importErr("fișierul nu este text UTF-8", "the file is not UTF-8 text")
	}
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	type logical struct {
		line int
		text string
	}
	var lines []logical
	for i, l := range raw {
		l = strings.TrimSuffix(l, "\r")
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 {
			lines[len(lines)-1].text += l[1:]
			continue
		}
		if strings.TrimSpace(l) != "" {
			lines = append(lines, logical{i + 1, l})
		}
	}
	var (
		blocks []icsBlock
		cur    *icsBlock
		body   strings.Builder
		depth  int
		inCal  bool
		found  bool
	)
	for _, l := range lines {
		name, value, _ := strings.Cut(l.text, ":")
		name, value = strings.ToUpper(strings.TrimSpace(name)), strings.ToUpper(strings.TrimSpace(value))
		switch {
		case !inCal:
			if name == "BEGIN" && value == "VCALENDAR" {
				inCal, found = true, true
			}
			continue
		case cur == nil && name == "END" && value == "VCALENDAR":
			inCal = false
			continue
		case cur == nil && name == "BEGIN":
			cur, depth = &icsBlock{name: value, line: l.line}, 1
			body.Reset()
		case cur == nil:
			continue // a calendar property
		case name == "BEGIN":
			depth++
		case name == "END" && value == "VCALENDAR":
			cur.broken = importErr("%s neînchis (lipsește END:%s)", "%s is never closed (END:%s is missing)", cur.name, cur.name)
			blocks = append(blocks, *cur)
			cur, inCal = nil, false
			continue
		case name == "END":
			depth--
		}
		body.WriteString(l.text)
		body.WriteString("\r\n")
		if depth == 0 {
			if name != "END" || value != cur.name {
				cur.broken = importErr("%s închis cu END:%s", "%s closed by END:%s", cur.name, value)
			}
			cur.text = body.String()
			blocks = append(blocks, *cur)
			cur = nil
		}
	}
	if cur != nil {
		cur.broken = importErr("%s neînchis (lipsește END:%s)", "%s is never closed (END:%s is missing)", cur.name, cur.name)
		blocks = append(blocks, *cur)
	}
	if !found {
		return nil, importErr("nu este un fișier iCalendar (lipsește BEGIN:VCALENDAR)", "it is not an iCalendar file (BEGIN:VCALENDAR is missing)")
	}
	return blocks, nil
}

// decodeBlock parses one component with go-ical. The decoder panics on some
// malformed parameters: that is recovered and reported.
func decodeBlock(b icsBlock) (comp *ical.Component, err error) {
	defer func() {
		if r := recover(); r != nil {
			comp, err = nil, importErr("un rând de neînțeles", "a line that cannot be read")
		}
	}()
	cal, err := ical.NewDecoder(strings.NewReader("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b.text + "END:VCALENDAR\r\n")).Decode()
	if err != nil {
		return nil, importErr("rând de neînțeles: %v", "a line that cannot be read: %v", strings.TrimPrefix(err.Error(), "ical: "))
	}
	if len(cal.Children) != 1 {
		return nil, importErr("componentă de neînțeles", "a component that cannot be read")
	}
	return cal.Children[0], nil
}

// icsImport is what a file gave: the good events, ready to store, the
// reports of the broken ones, and remarks on the good ones.
type icsImport struct {
	events   []storage.AgendaEvent
	broken   []string
	warnings []string
	skipped  int // components that are not events (VTODO, VJOURNAL…)
}

// parsedEvent is a VEVENT read into an agenda event.
type parsedEvent struct {
	line     int
	ev       storage.AgendaEvent
	loc      *time.Location
	recurID  time.Time // for a changed occurrence: its original start
	isChange bool
}

// parseICS reads files into agenda events. Changed occurrences
// (RECURRENCE-ID) join their series, from the file or already stored.
func (c *Call) parseICS(files []File) (icsImport, error) {
	var res icsImport
	var blocks []icsBlock
	for _, f := range files {
		b, err := splitICS(f.Data)
		if err != nil {
			return res, importErr("%s: %s", "%s: %s", f.Name, c.importText(err))
		}
		blocks = append(blocks, b...)
	}
	var zones []*ical.Component
	for _, b := range blocks {
		if b.name == ical.CompTimezone && b.broken == nil {
			if comp, err := decodeBlock(b); err == nil {
				zones = append(zones, comp)
			}
		}
	}
	z := newZoneResolver(zones)
	depts, err := c.e.store.Departments()
	if err != nil {
		return res, err
	}
	known := map[string]bool{}
	for _, d := range depts {
		known[d.Code] = true
	}
	type brokenEvent struct {
		line int
		text string
	}
	var bad []brokenEvent
	report := func(line int, title string, err error) {
		where := c.T("rândul %d", "line %d", line)
		if title != "" {
			where += c.T(" „%s”", " “%s”", title)
		}
		bad = append(bad, brokenEvent{line, where + ": " + c.importText(err)})
	}
	var masters []*parsedEvent
	byUID := map[string]*parsedEvent{}
	var changes []*parsedEvent
	for _, b := range blocks {
		switch {
		case b.name == ical.CompTimezone:
			continue
		case b.name != ical.CompEvent:
			res.skipped++
			continue
		case b.broken != nil:
			report(b.line, "", b.broken)
			continue
		}
		comp, err := decodeBlock(b)
		if err != nil {
			report(b.line, "", err)
			continue
		}
		p, err := c.readVEvent(comp, z)
		if err != nil {
			report(b.line, textValue(comp.Props.Get(ical.PropSummary)), err)
			continue
		}
		p.line = b.line
		if p.ev.Dept != "" && !known[p.ev.Dept] {
			res.warnings = append(res.warnings, c.T("rândul %d „%s”: departamentul %s nu există aici; evenimentul intră fără el",
				"line %d “%s”: there is no department %s here; the event comes in without it", b.line, p.ev.Title, p.ev.Dept))
			p.ev.Dept = ""
		}
		if p.isChange {
			changes = append(changes, p)
			continue
		}
		if other, dup := byUID[p.ev.UID]; dup {
			report(b.line, p.ev.Title, importErr("același UID ca evenimentul de la rândul %d", "the same UID as the event on line %d", other.line))
			continue
		}
		byUID[p.ev.UID] = p
		masters = append(masters, p)
	}
	for _, ch := range changes {
		m, ok := byUID[ch.ev.UID]
		if !ok {
			stored, err := c.e.store.AgendaEventByUID(ch.ev.UID)
			if err != nil {
				report(ch.line, ch.ev.Title, importErr("apariție schimbată (RECURRENCE-ID) a unei serii care nu este nici în fișier, nici în agendă",
					"a changed occurrence (RECURRENCE-ID) of a series that is neither in the file nor in the agenda"))
				continue
			}
			m = &parsedEvent{line: ch.line, ev: stored.Clone(), loc: eventLoc(&stored)}
			byUID[m.ev.UID] = m
			masters = append(masters, m)
		}
		if !m.ev.Recurring() {
			report(ch.line, ch.ev.Title, importErr("apariție schimbată (RECURRENCE-ID) a unui eveniment care nu se repetă",
				"a changed occurrence (RECURRENCE-ID) of an event that does not repeat"))
			continue
		}
		applyChange(&m.ev, ch)
	}
	for _, m := range masters {
		if m.ev.Rule != "" {
			repeats, err := ruleRepeats(&m.ev)
			if err != nil {
				report(m.line, m.ev.Title, err)
				continue
			}
			if !repeats {
				// A rule that gives nothing after DTSTART would be searched
				// to the year 9999 on every view: the event is kept single.
				res.warnings = append(res.warnings, c.T("rândul %d „%s”: regula %s nu dă nicio altă apariție; evenimentul intră o singură dată",
					"line %d “%s”: the rule %s gives no other occurrence; the event comes in once", m.line, m.ev.Title, m.ev.Rule))
				m.ev.Rule = ""
				if len(m.ev.RDates) == 0 {
					m.ev.Exceptions, m.ev.Zone = nil, ""
				}
			}
		}
		res.events = append(res.events, m.ev)
	}
	slices.SortStableFunc(bad, func(a, b brokenEvent) int { return a.line - b.line })
	for _, b := range bad {
		res.broken = append(res.broken, b.text)
	}
	return res, nil
}

// ruleRepeats reports whether an event's rule gives an occurrence after its
// start.
func ruleRepeats(ev *storage.AgendaEvent) (bool, error) {
	loc := eventLoc(ev)
	opt, err := rrule.StrToROptionInLocation(ev.Rule, loc)
	if err == nil {
		opt.Dtstart = ev.Start.In(loc)
		var r *rrule.RRule
		if r, err = rrule.NewRRule(*opt); err == nil {
			return !r.After(ev.Start, false).IsZero(), nil
		}
	}
	return false, importErr("regulă de repetare greșită „%s”: %v", "a bad recurrence rule “%s”: %v", ev.Rule, err)
}

// applyChange records a changed occurrence on its series: only what differs
// from the series is kept.
func applyChange(ev *storage.AgendaEvent, ch *parsedEvent) {
	loc := eventLoc(ev)
	key := ch.recurID.In(loc).Format(recurKeyLayout)
	if ev.AllDay {
		key = time.Date(ch.recurID.Year(), ch.recurID.Month(), ch.recurID.Day(), 0, 0, 0, 0, loc).Format(recurKeyLayout)
	}
	x := storage.AgendaException{}
	orig, _ := time.ParseInLocation(recurKeyLayout, key, loc)
	if !ch.ev.Start.Equal(orig) || !ch.ev.End.Equal(wallAdd(orig, wallLength(ev.Start, ev.End, loc), loc)) {
		x.Start, x.End = ch.ev.Start, ch.ev.End
	}
	differ := func(v, series string) string {
		if v == series {
			return ""
		}
		return v
	}
	x.Title = differ(ch.ev.Title, ev.Title)
	x.Place = differ(ch.ev.Place, ev.Place)
	x.Participants = differ(ch.ev.Participants, ev.Participants)
	x.Notes = differ(ch.ev.Notes, ev.Notes)
	x.Status = differ(ch.ev.Status, ev.Status)
	if ev.Exceptions == nil {
		ev.Exceptions = map[string]storage.AgendaException{}
	}
	if x == (storage.AgendaException{}) {
		delete(ev.Exceptions, key)
		return
	}
	ev.Exceptions[key] = x
}

// readVEvent reads one VEVENT.
func (c *Call) readVEvent(comp *ical.Component, z *zoneResolver) (*parsedEvent, error) {
	startProp := comp.Props.Get(ical.PropDateTimeStart)
	if startProp == nil {
		return nil, importErr("lipsește DTSTART (începutul)", "DTSTART (the start) is missing")
	}
	start, allDay, loc, err := readTime(startProp, z)
	if err != nil {
		return nil, err
	}
	p := &parsedEvent{loc: loc}
	ev := &p.ev
	ev.Start, ev.AllDay = start, allDay
	switch endProp, durProp := comp.Props.Get(ical.PropDateTimeEnd), comp.Props.Get(ical.PropDuration); {
	case endProp != nil:
		end, endAllDay, _, err := readTime(endProp, z)
		if err != nil {
			return nil, err
		}
		if endAllDay != allDay {
			return nil, importErr("DTSTART și DTEND de feluri diferite (dată și dată cu oră)", "DTSTART and DTEND of different kinds (a date and a date-time)")
		}
		ev.End = end
	case durProp != nil:
		d, err := durProp.Duration()
		if err != nil {
			return nil, importErr("DURATION greșit: %s", "a bad DURATION: %s", durProp.Value)
		}
		switch {
		case allDay || d%(24*time.Hour) == 0:
			ev.End = wallAdd(start, d, loc) // whole days are nominal days (RFC 5545 3.3.6)
		default:
			ev.End = start.Add(d)
		}
	case allDay:
		ev.End = wallAdd(start, 24*time.Hour, calendar.Bucharest)
	default:
		ev.End = start
	}
	if ev.End.Before(ev.Start) {
		return nil, importErr("se termină înainte să înceapă", "it ends before it starts")
	}
	if ev.End.Sub(ev.Start) > 366*24*time.Hour {
		return nil, importErr("durează mai mult de un an", "it lasts more than a year")
	}
	ev.UID = textValue(comp.Props.Get(ical.PropUID))
	ev.Title = cut(oneLine(textValue(comp.Props.Get(ical.PropSummary))), 200)
	if ev.Title == "" {
		ev.Title = "(fără titlu)"
	}
	ev.Place = cut(oneLine(textValue(comp.Props.Get(ical.PropLocation))), 200)
	ev.Notes = cut(textValue(comp.Props.Get(ical.PropDescription)), 4000)
	ev.Dept = strings.ToUpper(strings.TrimSpace(textValue(comp.Props.Get(propDept))))
	ev.Participants = cut(oneLine(textValue(comp.Props.Get(propParticipants))), 500)
	if ev.Participants == "" {
		var names []string
		for _, a := range comp.Props.Values(ical.PropAttendee) {
			name := a.Params.Get(ical.ParamCommonName)
			email := strings.TrimPrefix(strings.TrimPrefix(a.Value, "mailto:"), "MAILTO:")
			switch {
			case name != "" && emailRe.MatchString(email):
				names = append(names, name+" <"+email+">")
			case name != "":
				names = append(names, name)
			case email != "":
				names = append(names, email)
			}
		}
		ev.Participants = cut(strings.Join(names, ", "), 500)
	}
	if err := importControls(ev); err != nil {
		return nil, err
	}
	switch strings.ToUpper(textValue(comp.Props.Get(ical.PropStatus))) {
	case "TENTATIVE":
		ev.Status = storage.AgendaTentative
	case "CANCELLED":
		ev.Status = storage.AgendaCancelled
	default:
		ev.Status = storage.AgendaConfirmed
	}
	switch strings.ToUpper(textValue(comp.Props.Get(ical.PropClass))) {
	case "PRIVATE", "CONFIDENTIAL":
		ev.Private = true
	}
	ev.Created = c.e.Now()
	if cr := comp.Props.Get(ical.PropCreated); cr != nil {
		if t, _, _, err := readTime(cr, z); err == nil {
			ev.Created = t
		}
	}
	ev.CreatedBy = c.Caller.Key()
	if ev.UID == "" {
		sum := sha256.Sum256([]byte(startProp.Value + "\x00" + ev.Title + "\x00" + ev.Place))
		ev.UID = "import-" + hex.EncodeToString(sum[:12]) + "@cabinetbot"
	}
	if rid := comp.Props.Get(ical.PropRecurrenceID); rid != nil {
		t, _, _, err := readTime(rid, z)
		if err != nil {
			return nil, err
		}
		p.recurID, p.isChange = t, true
		return p, nil
	}
	if err := readRecurrence(comp, p, z); err != nil {
		return nil, err
	}
	return p, nil
}

// readRecurrence reads RRULE, RDATE and EXDATE.
func readRecurrence(comp *ical.Component, p *parsedEvent, z *zoneResolver) error {
	ev := &p.ev
	rules := comp.Props.Values(ical.PropRecurrenceRule)
	if len(rules) > 1 {
		return importErr("mai multe RRULE (nu se mai folosesc din RFC 5545)", "several RRULEs (obsolete since RFC 5545)")
	}
	if comp.Props.Get("EXRULE") != nil {
		return importErr("EXRULE (nu se mai folosește din RFC 5545)", "EXRULE (obsolete since RFC 5545)")
	}
	if len(rules) == 1 {
		v := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(rules[0].Value, "RRULE:")))
		opt, err := rrule.StrToROptionInLocation(v, p.loc)
		if err != nil {
			return importErr("regulă de repetare greșită „%s”: %v", "a bad recurrence rule “%s”: %v", v, err)
		}
		if err := checkRule(opt); err != nil {
			return importErr("se repetă mai des de o dată pe oră sau de %d ori pe zi (%s)", "it repeats more often than once an hour or %d times a day (%s)", maxPerDay, v)
		}
		ev.Rule = v
	}
	for _, rd := range comp.Props.Values(ical.PropRecurrenceDates) {
		if strings.EqualFold(rd.Params.Get(ical.ParamValue), "PERIOD") {
			return importErr("RDATE cu perioade (VALUE=PERIOD) nu este acceptat", "RDATE with periods (VALUE=PERIOD) is not supported")
		}
		ts, err := readTimes(&rd, z)
		if err != nil {
			return err
		}
		ev.RDates = append(ev.RDates, ts...)
		if len(ev.RDates) > maxRDates {
			return importErr("mai mult de %d RDATE", "more than %d RDATEs", maxRDates)
		}
	}
	slices.SortFunc(ev.RDates, func(a, b time.Time) int { return a.Compare(b) })
	if ev.Recurring() && p.loc.String() != calendar.Bucharest.String() {
		ev.Zone = p.loc.String()
	}
	loc := eventLoc(ev)
	for _, ex := range comp.Props.Values(ical.PropExceptionDates) {
		ts, err := readTimes(&ex, z)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if ev.Exceptions == nil {
				ev.Exceptions = map[string]storage.AgendaException{}
			}
			if ev.AllDay {
				t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			}
			ev.Exceptions[t.In(loc).Format(recurKeyLayout)] = storage.AgendaException{Removed: true}
		}
	}
	if !ev.Recurring() {
		ev.Exceptions = nil
	}
	return nil
}

// readTime reads a DATE or DATE-TIME property: UTC (…Z), with a TZID, or
// floating (taken as Bucharest time). Dates are whole days in Bucharest.
func readTime(p *ical.Prop, z *zoneResolver) (t time.Time, allDay bool, loc *time.Location, err error) {
	v := strings.TrimSpace(p.Value)
	isDate := strings.EqualFold(p.Params.Get(ical.ParamValue), "DATE") || len(v) == len(icsDate)
	if isDate {
		d, err := time.ParseInLocation(icsDate, v, calendar.Bucharest)
		if err != nil {
			return t, false, nil, importErr("dată greșită în %s: „%s”", "a bad date in %s: “%s”", p.Name, v)
		}
		return d, true, calendar.Bucharest, nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.ParseInLocation(icsDateTime+"Z", v, time.UTC)
		if err != nil {
			return t, false, nil, importErr("dată și oră greșite în %s: „%s”", "a bad date-time in %s: “%s”", p.Name, v)
		}
		return t, false, time.UTC, nil
	}
	wall, err := time.ParseInLocation(icsDateTime, v, time.UTC)
	if err != nil {
		return t, false, nil, importErr("dată și oră greșite în %s: „%s”", "a bad date-time in %s: “%s”", p.Name, v)
	}
	loc, err = z.location(p.Params.Get(ical.PropTimezoneID), wall)
	if err != nil {
		return t, false, nil, err
	}
	return fromWall(wall, loc), false, loc, nil
}

// readTimes reads a list property (EXDATE, RDATE: values separated by
// commas, one TZID for all).
func readTimes(p *ical.Prop, z *zoneResolver) ([]time.Time, error) {
	var out []time.Time
	for _, v := range strings.Split(p.Value, ",") {
		one := *p
		one.Value = v
		t, _, _, err := readTime(&one, z)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// importControls refuses an imported event whose text holds a control
// character (NUL, ESC…; line breaks only in the notes): the same rule as
// for what is typed (checkControls).
func importControls(ev *storage.AgendaEvent) error {
	for _, f := range []struct {
		prop, v string
		multi   bool
	}{{"UID", ev.UID, false}, {"SUMMARY", ev.Title, false}, {"LOCATION", ev.Place, false}, {"DESCRIPTION", ev.Notes, true},
		{"X-CABINET-PARTICIPANTS", ev.Participants, false}, {"X-CABINET-DEPARTMENT", ev.Dept, false}} {
		if r, bad := text.BadControl(f.v, f.multi); bad {
			return importErr("%s conține caracterul de control %s", "%s holds the control character %s", f.prop, text.ControlName(r))
		}
	}
	return nil
}

// cut keeps at most n characters of an imported text (the limits of the
// commands, more generous for notes: Outlook's descriptions run long).
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// textValue reads a TEXT value whole: go-ical's Text stops at the first
// unescaped comma, which producers leave in summaries and descriptions.
func textValue(p *ical.Prop) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	v := p.Value
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i+1 == len(v) {
			b.WriteByte(v[i])
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(v[i])
		}
	}
	return strings.TrimSpace(b.String())
}
