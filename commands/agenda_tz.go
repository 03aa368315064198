package commands

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// Time zones in iCalendar files. Google Calendar writes IANA names
// (TZID=Europe/Bucharest); Outlook writes Windows names (TZID=GTB Standard
// Time) or its display names, always with a VTIMEZONE that defines them.
// A TZID is resolved, in order: as an IANA name (also inside a path, as
// /mozilla.org/…/Europe/Bucharest), as a Windows name, by the VTIMEZONE's
// X-LIC-LOCATION, and finally by matching the offsets the VTIMEZONE defines
// against the IANA zones of windowsZones. The event then keeps the IANA zone,
// whose wall clock its recurrence follows.

// windowsZones maps Windows time-zone names to IANA zones (after the CLDR
// windowsZones table, territory 001), for the zones a city hall is likely to
// meet.
var windowsZones = map[string]string{
	"GTB Standard Time":               "Europe/Bucharest",
	"E. Europe Standard Time":         "Europe/Chisinau",
	"FLE Standard Time":               "Europe/Kiev",
	"W. Europe Standard Time":         "Europe/Berlin",
	"Romance Standard Time":           "Europe/Paris",
	"Central Europe Standard Time":    "Europe/Budapest",
	"Central European Standard Time":  "Europe/Warsaw",
	"GMT Standard Time":               "Europe/London",
	"Greenwich Standard Time":         "Atlantic/Reykjavik",
	"UTC":                             "UTC",
	"Russian Standard Time":           "Europe/Moscow",
	"Kaliningrad Standard Time":       "Europe/Kaliningrad",
	"Belarus Standard Time":           "Europe/Minsk",
	"Turkey Standard Time":            "Europe/Istanbul",
	"Israel Standard Time":            "Asia/Jerusalem",
	"Jordan Standard Time":            "Asia/Amman",
	"Middle East Standard Time":       "Asia/Beirut",
	"Egypt Standard Time":             "Africa/Cairo",
	"South Africa Standard Time":      "Africa/Johannesburg",
	"W. Central Africa Standard Time": "Africa/Lagos",
	"Morocco Standard Time":           "Africa/Casablanca",
	"Arabian Standard Time":           "Asia/Dubai",
	"Arab Standard Time":              "Asia/Riyadh",
	"India Standard Time":             "Asia/Kolkata",
	"China Standard Time":             "Asia/Shanghai",
	"Singapore Standard Time":         "Asia/Singapore",
	"Tokyo Standard Time":             "Asia/Tokyo",
	"Korea Standard Time":             "Asia/Seoul",
	"AUS Eastern Standard Time":       "Australia/Sydney",
	"New Zealand Standard Time":       "Pacific/Auckland",
	"Eastern Standard Time":           "America/New_York",
	"Central Standard Time":           "America/Chicago",
	"Mountain Standard Time":          "America/Denver",
	"Pacific Standard Time":           "America/Los_Angeles",
	"Atlantic Standard Time":          "America/Halifax",
	"E. South America Standard Time":  "America/Sao_Paulo",
	"Azores Standard Time":            "Atlantic/Azores",
	"Cape Verde Standard Time":        "Atlantic/Cape_Verde",
}

// zoneCandidates are the IANA zones a custom VTIMEZONE is matched against:
// Bucharest first, then the Windows zones' IANA names.
var zoneCandidates = func() []string {
	seen := map[string]bool{"Europe/Bucharest": true}
	out := []string{"Europe/Bucharest"}
	var rest []string
	for _, v := range windowsZones {
		if !seen[v] {
			seen[v] = true
			rest = append(rest, v)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}()

// zoneResolver finds the location of the TZIDs of one file.
type zoneResolver struct {
	defs  map[string]*ical.Component // the file's VTIMEZONEs by TZID
	cache map[string]*time.Location
}

func newZoneResolver(defs []*ical.Component) *zoneResolver {
	z := &zoneResolver{defs: map[string]*ical.Component{}, cache: map[string]*time.Location{}}
	for _, d := range defs {
		if p := d.Props.Get(ical.PropTimezoneID); p != nil {
			z.defs[p.Value] = d
		}
	}
	return z
}

// location resolves a TZID; around is a moment the file's times are near
// (a VTIMEZONE is matched over the years around it).
func (z *zoneResolver) location(tzid string, around time.Time) (*time.Location, error) {
	if tzid == "" {
		return calendar.Bucharest, nil
	}
	if loc, ok := z.cache[tzid]; ok {
		return loc, nil
	}
	loc, err := z.resolve(tzid, around)
	if err != nil {
		return nil, err
	}
	z.cache[tzid] = loc
	return loc, nil
}

func (z *zoneResolver) resolve(tzid string, around time.Time) (*time.Location, error) {
	if loc := ianaZone(tzid); loc != nil {
		return loc, nil
	}
	if name, ok := windowsZones[strings.TrimSpace(tzid)]; ok {
		return time.LoadLocation(name)
	}
	def, ok := z.defs[tzid]
	if !ok {
		return nil, importErr("fusul orar „%s” nu este cunoscut și fișierul nu îl definește", "the time zone “%s” is unknown and the file does not define it", tzid)
	}
	if p := def.Props.Get("X-LIC-LOCATION"); p != nil {
		if loc := ianaZone(p.Value); loc != nil {
			return loc, nil
		}
	}
	from := time.Date(around.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(around.Year()+2, 1, 1, 0, 0, 0, 0, time.UTC)
	vt, err := parseVTimezone(def, from, to)
	if err != nil {
		return nil, importErr("fusul orar „%s” este definit greșit: %v", "the time zone “%s” is badly defined: %v", tzid, err)
	}
	for _, name := range zoneCandidates {
		loc, err := time.LoadLocation(name)
		if err == nil && vt.matches(loc, from, to) {
			return loc, nil
		}
	}
	return nil, importErr("fusul orar „%s” nu se potrivește cu niciun fus cunoscut", "the time zone “%s” matches no known zone", tzid)
}

// ianaZone loads an IANA zone name, also at the end of a path
// (/mozilla.org/20070129_1/Europe/Bucharest); nil when it is none.
func ianaZone(name string) *time.Location {
	name = strings.Trim(strings.TrimSpace(name), `"`)
	if name == "" || name == "Local" || strings.Contains(name, "..") {
		return nil
	}
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for n := min(3, len(parts)); n >= 1; n-- {
		cand := strings.Join(parts[len(parts)-n:], "/")
		if n == 1 && cand != "UTC" && cand != "GMT" {
			continue
		}
		if loc, err := time.LoadLocation(cand); err == nil {
			return loc
		}
	}
	return nil
}

// vtZone is a VTIMEZONE evaluated over a span of years: its transitions,
// in UTC.
type vtZone struct {
	trans  []vtTransition
	before int // the offset before the first transition, seconds east of UTC
}

type vtTransition struct {
	at     time.Time
	offset int
}

// parseVTimezone evaluates the STANDARD and DAYLIGHT parts of a VTIMEZONE
// between from and to.
func parseVTimezone(def *ical.Component, from, to time.Time) (*vtZone, error) {
	vt := &vtZone{}
	earliest := time.Time{}
	for _, part := range def.Children {
		if part.Name != ical.CompTimezoneStandard && part.Name != ical.CompTimezoneDaylight {
			continue
		}
		fromOff, err1 := utcOffset(part.Props.Get(ical.PropTimezoneOffsetFrom))
		toOff, err2 := utcOffset(part.Props.Get(ical.PropTimezoneOffsetTo))
		start := part.Props.Get(ical.PropDateTimeStart)
		if err1 != nil || err2 != nil || start == nil {
			return nil, fmt.Errorf("%s without DTSTART, TZOFFSETFROM or TZOFFSETTO", part.Name)
		}
		wall, err := time.ParseInLocation("20060102T150405", start.Value, time.UTC)
		if err != nil {
			return nil, fmt.Errorf("%s: DTSTART %q: %w", part.Name, start.Value, err)
		}
		onsets := []time.Time{wall}
		if rr := part.Props.Get(ical.PropRecurrenceRule); rr != nil {
			opt, err := rrule.StrToROptionInLocation(rr.Value, time.UTC)
			if err != nil {
				return nil, fmt.Errorf("%s: RRULE %q: %w", part.Name, rr.Value, err)
			}
			if opt.Freq > rrule.MONTHLY { // clocks change once or twice a year
				return nil, fmt.Errorf("%s: RRULE %q: more often than monthly", part.Name, rr.Value)
			}
			opt.Dtstart = wall
			r, err := rrule.NewRRule(*opt)
			if err != nil {
				return nil, fmt.Errorf("%s: RRULE %q: %w", part.Name, rr.Value, err)
			}
			onsets = append(onsets, between(r.Iterator(), wall, to.Add(48*time.Hour))...)
		}
		for _, rd := range part.Props.Values(ical.PropRecurrenceDates) {
			for _, v := range strings.Split(rd.Value, ",") {
				if t, err := time.ParseInLocation("20060102T150405", v, time.UTC); err == nil {
					onsets = append(onsets, t)
				}
			}
		}
		for _, w := range onsets {
			at := w.Add(-time.Duration(fromOff) * time.Second)
			vt.trans = append(vt.trans, vtTransition{at: at, offset: toOff})
			if earliest.IsZero() || at.Before(earliest) {
				earliest, vt.before = at, fromOff
			}
		}
	}
	if len(vt.trans) == 0 {
		return nil, fmt.Errorf("VTIMEZONE without STANDARD or DAYLIGHT")
	}
	slices.SortFunc(vt.trans, func(a, b vtTransition) int { return a.at.Compare(b.at) })
	vt.trans = slices.CompactFunc(vt.trans, func(a, b vtTransition) bool { return a.at.Equal(b.at) })
	return vt, nil
}

// utcOffset reads +0200, -0500 or +053000 as seconds east of UTC.
func utcOffset(p *ical.Prop) (int, error) {
	if p == nil {
		return 0, fmt.Errorf("missing offset")
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("bad offset %q", v)
	}
	h, err1 := strconv.Atoi(v[1:3])
	m, err2 := strconv.Atoi(v[3:5])
	s := 0
	var err3 error
	if len(v) == 7 {
		s, err3 = strconv.Atoi(v[5:7])
	}
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, fmt.Errorf("bad offset %q", v)
	}
	off := h*3600 + m*60 + s
	if v[0] == '-' {
		off = -off
	}
	return off, nil
}

// offsetAt is the offset in force at the instant u.
func (vt *vtZone) offsetAt(u time.Time) int {
	i := sort.Search(len(vt.trans), func(i int) bool { return vt.trans[i].at.After(u) })
	if i == 0 {
		return vt.before
	}
	return vt.trans[i-1].offset
}

// matches reports whether loc keeps the same offsets as the VTIMEZONE over
// [from, to): around every transition and twice a month.
func (vt *vtZone) matches(loc *time.Location, from, to time.Time) bool {
	same := func(u time.Time) bool {
		_, off := u.In(loc).Zone()
		return off == vt.offsetAt(u)
	}
	for _, tr := range vt.trans {
		if tr.at.Before(from) || !tr.at.Before(to) {
			continue
		}
		if !same(tr.at.Add(-time.Hour)) || !same(tr.at.Add(time.Hour)) {
			return false
		}
	}
	for u := from; u.Before(to); u = u.AddDate(0, 0, 14) {
		if !same(u) {
			return false
		}
	}
	return true
}

// vtimezone writes the VTIMEZONE of loc for the years from..to: one
// observance per kind of change, as a yearly rule when the changes follow
// one (the last Sunday of March…), else as the list of their dates.
func vtimezone(loc *time.Location, fromYear, toYear int) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	trans := transitions(loc, fromYear, toYear)
	if len(trans) == 0 {
		name, off := time.Date(fromYear, 1, 1, 0, 0, 0, 0, loc).Zone()
		tz.Children = append(tz.Children, observance(ical.CompTimezoneStandard, "19700101T000000", off, off, name))
		return tz
	}
	type group struct {
		dst      bool
		from, to int
		name     string
		walls    []time.Time
	}
	var groups []*group
	for _, tr := range trans {
		var g *group
		for _, x := range groups {
			if x.dst == tr.dst && x.from == tr.from && x.to == tr.to && x.name == tr.name {
				g = x
			}
		}
		if g == nil {
			g = &group{dst: tr.dst, from: tr.from, to: tr.to, name: tr.name}
			groups = append(groups, g)
		}
		g.walls = append(g.walls, tr.at.Add(time.Duration(tr.from)*time.Second).UTC())
	}
	for _, g := range groups {
		kind := ical.CompTimezoneStandard
		if g.dst {
			kind = ical.CompTimezoneDaylight
		}
		obs := observance(kind, g.walls[0].Format("20060102T150405"), g.from, g.to, g.name)
		if rule, ok := yearlyRule(g.walls, toYear-fromYear+1); ok {
			p := ical.NewProp(ical.PropRecurrenceRule)
			p.Value = rule
			obs.Props.Set(p)
		} else if len(g.walls) > 1 {
			var dates []string
			for _, w := range g.walls[1:] {
				dates = append(dates, w.Format("20060102T150405"))
			}
			p := ical.NewProp(ical.PropRecurrenceDates)
			p.Value = strings.Join(dates, ",")
			obs.Props.Set(p)
		}
		tz.Children = append(tz.Children, obs)
	}
	return tz
}

func observance(kind, start string, from, to int, name string) *ical.Component {
	obs := ical.NewComponent(kind)
	for _, p := range []struct{ name, value string }{
		{ical.PropDateTimeStart, start}, {ical.PropTimezoneOffsetFrom, offsetText(from)},
		{ical.PropTimezoneOffsetTo, offsetText(to)},
	} {
		prop := ical.NewProp(p.name)
		prop.Value = p.value
		obs.Props.Set(prop)
	}
	if name != "" && !strings.HasPrefix(name, "+") && !strings.HasPrefix(name, "-") {
		obs.Props.SetText(ical.PropTimezoneName, name)
	}
	return obs
}

func offsetText(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// yearlyRule finds the rule of a kind of change that happens once a year
// on the n-th (or last) same weekday of the same month at the same time.
func yearlyRule(walls []time.Time, years int) (string, bool) {
	if len(walls) != years || years < 2 {
		return "", false
	}
	var rule string
	for i, w := range walls {
		ord := (w.Day()-1)/7 + 1
		if w.Day()+7 > daysIn(w.Year(), w.Month()) {
			ord = -1
		}
		r := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(w.Month()), ord, strings.ToUpper(w.Weekday().String()[:2]))
		if i > 0 && (r != rule || w.Format("150405") != walls[0].Format("150405") || w.Year() != walls[i-1].Year()+1) {
			return "", false
		}
		rule = r
	}
	return rule, true
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

type zoneTransition struct {
	at       time.Time
	from, to int
	name     string
	dst      bool
}

// transitions lists the changes of offset of loc in the years from..to.
func transitions(loc *time.Location, fromYear, toYear int) []zoneTransition {
	var out []zoneTransition
	t := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(toYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, off := t.In(loc).Zone()
	for t.Before(end) {
		next := t.Add(12 * time.Hour)
		_, o := next.In(loc).Zone()
		if o != off {
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, mo := mid.In(loc).Zone(); mo == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			name, _ := hi.In(loc).Zone()
			out = append(out, zoneTransition{at: hi, from: off, to: o, name: name, dst: hi.In(loc).IsDST()})
			off = o
		}
		t = next
	}
	return out
}
