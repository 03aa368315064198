package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Category is the legal kind of a piece of correspondence; it decides the
// deadline. The values are the canonical (Romanian) words kept in storage.
type Category string

// The categories of correspondence.
const (
	Petition    Category = "petitie"
	PublicInfo  Category = "informatii"
	Press       Category = "presa"
	Institution Category = "institutie"
	Internal    Category = "interna"
	Other       Category = "alta"
	// Audience is a citizen's request for an audience with the Mayor: its
	// deadline is the Cabinet's scheduling target, not a legal term; it is
	// registered only by `audienta cere`, so it is not in Categories.
	Audience Category = "audienta"
)

// Categories lists every category, in the order help shows them.
var Categories = []Category{Petition, PublicInfo, Press, Institution, Internal, Other}

// Names returns the Romanian and English names of the category.
func (c Category) Names() (ro, en string) {
	switch c {
	case Petition:
		return "petiție", "petition"
	case PublicInfo:
		return "informații publice", "public information"
	case Press:
		return "presă", "press"
	case Institution:
		return "instituție", "institution"
	case Internal:
		return "notă internă", "internal note"
	case Audience:
		return "audiență", "audience"
	default:
		return "altele", "other"
	}
}

// Rules are the configurable parts of the deadline engine.
type Rules struct {
	// PressHours is the answer time for a press request (24 by default).
	PressHours int
	// DefaultDays applies to institutions' letters, internal notes and others
	// when the letter gives no deadline of its own.
	DefaultDays int
}

// DefaultRules are the deadlines used when nothing is configured.
var DefaultRules = Rules{PressHours: 24, DefaultDays: 30}

// Legal terms, in calendar days.
const (
	PetitionDays          = 30 // OG 27/2002 art. 8
	PetitionMaxExtension  = 15 // OG 27/2002 art. 9
	PetitionForwardDays   = 5  // OG 27/2002 art. 6^1
	PublicInfoDays        = 10 // Law 544/2001 art. 7(1)
	PublicInfoComplexDays = 30 // Law 544/2001 art. 7(1), complex requests
	PublicInfoRefusalDays = 5  // Law 544/2001 art. 7(2)
)

// Deadline is a computed deadline and the reasoning behind it.
type Deadline struct {
	Due Date
	// Time is the hour of a deadline counted in hours (press), "15:04"; empty
	// for deadlines counted in days (the whole day counts).
	Time    string
	Nominal Date      // before moving off weekends and holidays
	Moved   []Holiday // the days it was moved over, weekends included
	// None marks an item without a deadline (an anonymous petition).
	None bool
	// Fixed marks a date set by the letter: kept as given, never moved.
	Fixed bool
	// LastWorking is, for a fixed date on a day off, the last working day
	// before it: the day to answer by.
	LastWorking Date
	// Asked is the later date a letter asked for, when the legal term
	// applies instead (a date asked for never makes a legal term longer).
	Asked Date
	// Rule is the rule that set the deadline.
	Rule Rule
	// Secondary are the other dates the law sets for the item (forwarding,
	// refusal, the notice of a complex request and its limit).
	Secondary []Term
	base      string // the rule, Romanian
	baseEn    string // the rule, English
}

// Request describes what a deadline is computed for.
type Request struct {
	Category   Category
	Registered time.Time
	// Explicit is the deadline the letter itself gives (zero when none).
	Explicit Date
	// ExtraDays is the extension granted (petitions: once, at most 15).
	ExtraDays int
	// Anonymous marks a petition without the petitioner's identity.
	Anonymous bool
}

// Legal reports whether the category has a term set by law (or by the press
// office's practice), which a letter's own date can shorten but not lengthen.
func (c Category) Legal() bool { return c == Petition || c == PublicInfo || c == Press }

// Compute returns the deadline of a piece of correspondence: calendar days
// from the day of registration, moved to the next working day when it falls
// on a weekend or a holiday; a date fixed by the letter is kept as given.
func (c *Calendar) Compute(req Request, rules Rules) Deadline {
	regDay := DateOf(req.Registered)
	if req.Category == Petition && req.Anonymous {
		return Deadline{None: true, Rule: RuleAnonymous}
	}
	var dl Deadline
	switch {
	case req.Category == Press:
		dl = c.pressDeadline(req, rules)
	case req.Category == Petition:
		dl = c.counted(regDay, PetitionDays, req.ExtraDays, RulePetition)
	case req.Category == PublicInfo:
		dl = c.counted(regDay, PublicInfoDays, req.ExtraDays, RuleInfo)
	case !req.Explicit.IsZero():
		dl = c.fixed(req.Explicit.AddDays(req.ExtraDays), req.ExtraDays)
	default:
		dl = c.counted(regDay, rules.DefaultDays, req.ExtraDays, RuleDefault)
	}
	if req.Category.Legal() && !req.Explicit.IsZero() && req.ExtraDays == 0 {
		switch {
		case req.Explicit.Before(dl.Due):
			legal := dl
			dl = c.fixed(req.Explicit, 0)
			dl.base += fmt.Sprintf(", înaintea termenului legal (%s, %s)", legal.Due, legal.Rule.Cite)
			dl.baseEn += fmt.Sprintf(", before the legal term (%s, %s)", legal.Due, legal.Rule.CiteEn)
		case req.Explicit.After(dl.Due):
			dl.Asked = req.Explicit
		}
	}
	dl.Secondary = c.secondary(req.Category, regDay)
	return dl
}

// counted is a term of days (plus an extension) from the day of
// registration, moved off days off.
func (c *Calendar) counted(regDay Date, days, extra int, rule Rule) Deadline {
	t := c.Term(regDay, days+extra, rule)
	dl := Deadline{Due: t.Due, Nominal: t.Nominal, Moved: t.Moved, Rule: rule}
	dl.base = text.Count(days, text.Zile) + ", " + rule.Cite
	dl.baseEn = text.CountEn(days, "day", "days") + ", " + rule.CiteEn
	if extra > 0 {
		dl.base += ", prelungit cu " + text.Count(extra, text.Zile)
		dl.baseEn += ", extended by " + text.CountEn(extra, "day", "days")
	}
	return dl
}

// fixed is a date the letter sets: kept as given, with the last working day
// before it when it falls on a day off.
func (c *Calendar) fixed(d Date, extra int) Deadline {
	dl := Deadline{Due: d, Nominal: d, Fixed: true, Rule: RuleLetter}
	dl.base, dl.baseEn = "termenul dat în adresă", "the deadline the letter gives"
	if extra > 0 {
		dl.base += ", prelungit cu " + text.Count(extra, text.Zile)
		dl.baseEn += ", extended by " + text.CountEn(extra, "day", "days")
	}
	if !c.IsWorkingDay(d) {
		dl.LastWorking = c.LastWorkingDayBefore(d)
	}
	return dl
}

// pressDeadline is the press office's term in hours, its day moved off days
// off, the hour kept.
func (c *Calendar) pressDeadline(req Request, rules Rules) Deadline {
	at := req.Registered.In(Bucharest).Add(time.Duration(rules.PressHours) * time.Hour)
	due, moved := c.moveOff(DateOf(at).AddDays(req.ExtraDays))
	dl := Deadline{Due: due, Nominal: DateOf(at).AddDays(req.ExtraDays), Moved: moved, Time: at.Format("15:04"), Rule: RulePress}
	dl.base = text.Count(rules.PressHours, text.Ore) + ", " + RulePress.Cite
	dl.baseEn = text.CountEn(rules.PressHours, "hour", "hours") + ", " + RulePress.CiteEn
	if req.ExtraDays > 0 {
		dl.base += ", prelungit cu " + text.Count(req.ExtraDays, text.Zile)
		dl.baseEn += ", extended by " + text.CountEn(req.ExtraDays, "day", "days")
	}
	return dl
}

// secondary are the other terms the law sets for a category, each counted
// and moved like the main one.
func (c *Calendar) secondary(cat Category, regDay Date) []Term {
	switch cat {
	case Petition:
		return []Term{c.Term(regDay, PetitionForwardDays, RuleForward)}
	case PublicInfo:
		return []Term{
			c.Term(regDay, PublicInfoRefusalDays, RuleInfoRefusal),
			c.Term(regDay, PublicInfoDays, RuleInfoNotice),
			c.Term(regDay, PublicInfoComplexDays, RuleInfoComplex),
		}
	}
	return nil
}

// SecondaryTerm returns the secondary term of the rule, if the deadline has it.
func (d Deadline) SecondaryTerm(rule Rule) (Term, bool) {
	for _, t := range d.Secondary {
		if t.Rule.ID == rule.ID {
			return t, true
		}
	}
	return Term{}, false
}

// String writes the deadline: 28.12.2026, or 26.11.2026 14:30 for hours.
func (d Deadline) String() string {
	if d.None {
		return "—"
	}
	if d.Time == "" {
		return d.Due.String()
	}
	return d.Due.String() + " " + d.Time
}

// Explain says how the deadline was found, in Romanian or (en) English:
// "30 de zile, OG 27/2002; 25.12 și 26.12 sărbători legale, 27.12 duminică → 28.12.2026".
func (d Deadline) Explain(en bool) string {
	if d.None {
		return NoDeadline(en)
	}
	rule := d.base
	if en {
		rule = d.baseEn
	}
	s := rule + " → " + d.String()
	if len(d.Moved) > 0 {
		s = rule + "; " + describeMoved(d.Moved, en) + " → " + d.String()
	}
	if !d.LastWorking.IsZero() {
		s += pick(en, "; cade într-o zi nelucrătoare: răspundeți până pe %s", "; it falls on a day off: answer by %s", d.LastWorking)
	}
	if !d.Asked.IsZero() {
		s += pick(en, "; adresa cere %s, după termenul legal: se aplică termenul legal", "; the letter asks for %s, after the legal term: the legal term applies", d.Asked)
	}
	return s
}

// NoDeadline is what an anonymous petition's card says instead of a date.
func NoDeadline(en bool) string {
	return pick(en, "fără termen — se clasează (%s)", "no deadline — it is filed (%s)", RuleAnonymous.Article(en))
}

func pick(en bool, ro, enText string, args ...any) string {
	if en {
		return fmt.Sprintf(enText, args...)
	}
	return fmt.Sprintf(ro, args...)
}

// describeMoved groups the skipped days: holidays first, then weekend days,
// each with its name.
func describeMoved(days []Holiday, en bool) string {
	var holidays, extra []string
	var parts []string
	for _, h := range days {
		switch {
		case h.Name != "" && h.Extra:
			extra = append(extra, h.Date.Short())
		case h.Name != "":
			holidays = append(holidays, h.Date.Short())
		}
	}
	if len(holidays) > 0 {
		parts = append(parts, joinAnd(holidays, en)+plural(len(holidays), en, " "+text.Sarbatori.One, " "+text.Sarbatori.Many, " public holiday", " public holidays"))
	}
	if len(extra) > 0 {
		parts = append(parts, joinAnd(extra, en)+plural(len(extra), en, " zi liberă", " zile libere", " day off", " days off"))
	}
	for _, h := range days {
		if h.Name == "" {
			parts = append(parts, h.Date.Short()+" "+weekdayName(h.Date.Weekday(), en))
		}
	}
	return strings.Join(parts, ", ")
}

func joinAnd(items []string, en bool) string {
	and := " și "
	if en {
		and = " and "
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}

func plural(n int, en bool, roOne, roMany, enOne, enMany string) string {
	switch {
	case en && n == 1:
		return enOne
	case en:
		return enMany
	case n == 1:
		return roOne
	default:
		return roMany
	}
}

var weekdaysRo = [...]string{"duminică", "luni", "marți", "miercuri", "joi", "vineri", "sâmbătă"}

// WeekdayName names a day of the week in Romanian, or (en) English.
func WeekdayName(wd time.Weekday, en bool) string { return weekdayName(wd, en) }

func weekdayName(wd time.Weekday, en bool) string {
	if en {
		return strings.ToLower(wd.String())
	}
	return weekdaysRo[wd]
}
