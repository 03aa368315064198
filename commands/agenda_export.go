package commands

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Exporting the agenda as iCalendar (RFC 5545), with github.com/emersion/go-ical.

// icsExport writes events as an iCalendar file as viewer may see them:
// private events they may not see are exported as "Ocupat", with nothing
// but their times.
func (c *Call) icsExport(events []storage.AgendaEvent) ([]byte, error) {
	now := c.e.Now().UTC()
	cal := ical.NewCalendar()
	setRaw(cal.Props, ical.PropVersion, "2.0")
	setRaw(cal.Props, ical.PropProductID, "-//Primaria Cluj-Napoca//cabinetbot//RO")
	setRaw(cal.Props, ical.PropCalendarScale, "GREGORIAN")
	setRaw(cal.Props, ical.PropMethod, "PUBLISH")
	setRaw(cal.Props, "X-WR-CALNAME", "Agenda primarului")
	setRaw(cal.Props, "X-WR-TIMEZONE", "Europe/Bucharest")
	years := map[string][2]int{}
	var comps []*ical.Component
	for i := range events {
		ev := &events[i]
		loc := eventLoc(ev)
		y0, y1 := ev.Start.Year(), max(ev.End.Year(), now.Year())
		if ev.Recurring() {
			y1 = max(y1, now.Year()+1)
		}
		if r, ok := years[loc.String()]; ok {
			y0, y1 = min(y0, r[0]), max(y1, r[1])
		}
		if loc != time.UTC {
			years[loc.String()] = [2]int{y0, y1}
		}
		comps = append(comps, c.icsEvent(ev, now)...)
	}
	for _, name := range sortedKeys(years) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("zone %s: %w", name, err)
		}
		cal.Children = append(cal.Children, vtimezone(loc, years[name][0]-1, years[name][1]))
	}
	cal.Children = append(cal.Children, comps...)
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("encode iCalendar: %w", err)
	}
	return foldLines(buf.Bytes()), nil
}

// escapeText writes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	s = text.Printable(s, true) // no control character goes out, whatever was stored
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

func setRaw(props ical.Props, name, value string) {
	p := ical.NewProp(name)
	p.Value = value
	props.Set(p)
}

// icsEvent writes an event as a VEVENT, and one more VEVENT for each of its
// changed occurrences (RECURRENCE-ID).
func (c *Call) icsEvent(ev *storage.AgendaEvent, now time.Time) []*ical.Component {
	loc := eventLoc(ev)
	hidden := ev.Private && !canSeePrivate(c.Caller, ev)
	base := func() *ical.Component {
		comp := ical.NewComponent(ical.CompEvent)
		comp.Props.SetText(ical.PropUID, text.Printable(ev.UID, false))
		comp.Props.SetDateTime(ical.PropDateTimeStamp, now)
		if !ev.Created.IsZero() {
			comp.Props.SetDateTime(ical.PropCreated, ev.Created.UTC())
		}
		if !ev.Updated.IsZero() {
			comp.Props.SetDateTime(ical.PropLastModified, ev.Updated.UTC())
		}
		class := "PUBLIC"
		if ev.Private {
			class = "PRIVATE"
		}
		setRaw(comp.Props, ical.PropClass, class)
		return comp
	}
	fill := func(comp *ical.Component, o occurrence) {
		setTime(comp.Props, ical.PropDateTimeStart, o.Start, ev.AllDay, loc)
		if o.End.After(o.Start) {
			setTime(comp.Props, ical.PropDateTimeEnd, o.End, ev.AllDay, loc)
		}
		transp := "OPAQUE"
		if o.cancelled() {
			transp = "TRANSPARENT"
		}
		setRaw(comp.Props, ical.PropTransparency, transp)
		setRaw(comp.Props, ical.PropStatus, icsStatus(o.Status))
		if hidden {
			comp.Props.SetText(ical.PropSummary, "Ocupat")
			return
		}
		comp.Props.SetText(ical.PropSummary, text.Printable(o.Title, false))
		for _, f := range []struct{ name, v string }{{ical.PropLocation, o.Place}, {ical.PropDescription, o.Notes}, {propParticipants, o.People}, {propDept, ev.Dept}} {
			if f.v != "" {
				setRaw(comp.Props, f.name, escapeText(f.v))
			}
		}
		for _, a := range attendees(o.People) {
			p := ical.NewProp(ical.PropAttendee)
			if a.name != "" {
				p.Params.Set(ical.ParamCommonName, strings.ReplaceAll(a.name, `"`, "'"))
			}
			p.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
			p.Value = "mailto:" + a.email
			comp.Props.Add(p)
		}
	}
	master := base()
	fill(master, occurrence{Ev: ev, Start: ev.Start, End: ev.End, Title: ev.Title, Place: ev.Place, People: ev.Participants,
		Notes: ev.Notes, Status: ev.Status})
	if ev.Rule != "" {
		setRaw(master.Props, ical.PropRecurrenceRule, ev.Rule)
	}
	for _, d := range ev.RDates {
		p := timeProp(ical.PropRecurrenceDates, d, ev.AllDay, loc)
		master.Props.Add(p)
	}
	out := []*ical.Component{master}
	length := wallLength(ev.Start, ev.End, loc)
	for _, k := range sortedKeys(ev.Exceptions) {
		x := ev.Exceptions[k]
		orig, err := time.ParseInLocation(recurKeyLayout, k, loc)
		if err != nil {
			continue
		}
		if x.Removed {
			master.Props.Add(timeProp(ical.PropExceptionDates, orig, ev.AllDay, loc))
			continue
		}
		o := occurrence{Ev: ev, Start: orig, End: wallAdd(orig, length, loc), Title: ev.Title, Place: ev.Place,
			People: ev.Participants, Notes: ev.Notes, Status: ev.Status}
		applyException(&o, x)
		comp := base()
		comp.Props.Set(timeProp(ical.PropRecurrenceID, orig, ev.AllDay, loc))
		fill(comp, o)
		out = append(out, comp)
	}
	return out
}

// timeProp writes a time as a DATE (whole-day events), a UTC DATE-TIME, or
// a local DATE-TIME with its TZID.
func timeProp(name string, t time.Time, allDay bool, loc *time.Location) *ical.Prop {
	p := ical.NewProp(name)
	switch {
	case allDay:
		p.SetDate(t.In(calendar.Bucharest))
	case loc == time.UTC:
		p.SetDateTime(t.UTC())
	default:
		p.SetDateTime(t.In(loc))
	}
	return p
}

func setTime(props ical.Props, name string, t time.Time, allDay bool, loc *time.Location) {
	props.Set(timeProp(name, t, allDay, loc))
}

func icsStatus(s string) string {
	switch s {
	case storage.AgendaTentative:
		return "TENTATIVE"
	case storage.AgendaCancelled:
		return "CANCELLED"
	}
	return "CONFIRMED"
}

type attendee struct{ name, email string }

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// attendees finds the participants that have an e-mail address: "Ana Pop
// <ana.pop@primariaclujnapoca.ro>, DT" gives Ana Pop.
func attendees(participants string) []attendee {
	var out []attendee
	for _, part := range strings.FieldsFunc(participants, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		email := emailRe.FindString(part)
		if email == "" {
			continue
		}
		name := strings.TrimSpace(strings.Trim(strings.TrimSpace(strings.Replace(part, email, "", 1)), "<>()"))
		out = append(out, attendee{name: name, email: email})
	}
	return out
}

// foldLines folds content lines longer than 75 octets (RFC 5545 3.1),
// between characters, continuing with a space.
func foldLines(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\r\n")) {
		body := bytes.TrimSuffix(line, []byte("\r\n"))
		limit := 75
		for len(body) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(body[cut]) {
				cut--
			}
			out.Write(body[:cut])
			out.WriteString("\r\n ")
			body = body[cut:]
			limit = 74
		}
		out.Write(body)
		if bytes.HasSuffix(line, []byte("\r\n")) {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}

func runAgendaExport(c *Call) (Reply, error) {
	var (
		events []storage.AgendaEvent
		err    error
		name   = "agenda-primar.ics"
		what   = c.T("toată agenda", "the whole agenda")
	)
	if len(c.Args) == 0 {
		events, err = c.e.store.AgendaEvents()
		if err != nil {
			return Reply{}, err
		}
	} else {
		rng, err := c.parseAgendaRange(c.Args)
		if err != nil {
			return Reply{}, err
		}
		if rng.English && c.Req.Lang == "" {
			c.Lang = English
		}
		from, to := dayRange(rng.From, rng.To)
		all, err := c.e.store.AgendaBetween(from, to)
		if err != nil {
			return Reply{}, err
		}
		for i := range all {
			if occ, err := occurrences(&all[i], from, to); err == nil && len(occ) > 0 {
				events = append(events, all[i])
			}
		}
		name = fmt.Sprintf("agenda-%s_%s.ics", rng.From.ISO(), rng.To.ISO())
		what = rng.From.String() + "–" + rng.To.String()
	}
	if len(events) == 0 {
		return Reply{Title: c.T("Nimic de exportat: agenda este goală (%s).", "Nothing to export: the agenda is empty (%s).", what)}, nil
	}
	data, err := c.icsExport(events)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Agenda (%s): %s în %s", "The agenda (%s): %s in %s", what, c.events(len(events)), name),
		Files: []File{{Name: name, MIME: "text/calendar; charset=utf-8", Data: data}}}
	r.Lines = append(r.Lines, c.T("Se deschide cu Outlook, Google Calendar sau Calendarul telefonului; evenimentele care se repetă rămân serii.",
		"It opens in Outlook, Google Calendar or the phone's calendar; recurring events stay series."))
	return r, nil
}
