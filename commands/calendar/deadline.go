package calendar

import (
	"fmt"
	"strings"
	"time"
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
	base    string    // the rule, Romanian
	baseEn  string    // the rule, English
}

// Request describes what a deadline is computed for.
type Request struct {
	Category   Category
	Registered time.Time
	// Explicit is the deadline the letter itself gives (zero when none).
	Explicit Date
	// ExtraDays is the extension granted (petitions: once, at most 15).
	ExtraDays int
}

// Compute returns the deadline of a piece of correspondence: calendar days
// from the day of registration, moved to the next working day when it falls
// on a weekend or a holiday.
func (c *Calendar) Compute(req Request, rules Rules) Deadline {
	regDay := DateOf(req.Registered)
	var dl Deadline
	switch {
	case !req.Explicit.IsZero():
		dl.Nominal = req.Explicit.AddDays(req.ExtraDays)
		dl.base, dl.baseEn = "termenul dat în adresă", "the deadline the letter gives"
	case req.Category == Press:
		at := req.Registered.In(Bucharest).Add(time.Duration(rules.PressHours) * time.Hour)
		dl.Nominal = DateOf(at).AddDays(req.ExtraDays)
		dl.Time = at.Format("15:04")
		dl.base = fmt.Sprintf("%d de ore, cerere de presă (Legea 544/2001)", rules.PressHours)
		dl.baseEn = fmt.Sprintf("%d hours, press request (Law 544/2001)", rules.PressHours)
	default:
		days, ro, en := c.termFor(req.Category, rules)
		dl.Nominal = regDay.AddDays(days + req.ExtraDays)
		dl.base, dl.baseEn = ro, en
	}
	if req.ExtraDays > 0 {
		dl.base += fmt.Sprintf(", prelungit cu %d zile", req.ExtraDays)
		dl.baseEn += fmt.Sprintf(", extended by %d days", req.ExtraDays)
	}
	due, skipped := c.NextWorkingDay(dl.Nominal)
	dl.Due = due
	for _, d := range skipped {
		h, ok := c.HolidayOn(d)
		if !ok {
			h = Holiday{Date: d}
		}
		dl.Moved = append(dl.Moved, h)
	}
	return dl
}

func (c *Calendar) termFor(cat Category, rules Rules) (int, string, string) {
	switch cat {
	case Petition:
		return PetitionDays, "30 de zile, OG 27/2002", "30 days, OG 27/2002"
	case PublicInfo:
		return PublicInfoDays, "10 zile, Legea 544/2001", "10 days, Law 544/2001"
	default:
		return rules.DefaultDays,
			fmt.Sprintf("%d de zile, termenul implicit", rules.DefaultDays),
			fmt.Sprintf("%d days, the default term", rules.DefaultDays)
	}
}

// String writes the deadline: 28.12.2026, or 26.11.2026 14:30 for hours.
func (d Deadline) String() string {
	if d.Time == "" {
		return d.Due.String()
	}
	return d.Due.String() + " " + d.Time
}

// Explain says how the deadline was found, in Romanian or (en) English:
// "30 de zile, OG 27/2002; 25.12 și 26.12 sărbători legale, 27.12 duminică → 28.12.2026".
func (d Deadline) Explain(en bool) string {
	rule := d.base
	if en {
		rule = d.baseEn
	}
	if len(d.Moved) == 0 {
		return rule + " → " + d.String()
	}
	return rule + "; " + describeMoved(d.Moved, en) + " → " + d.String()
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
		parts = append(parts, joinAnd(holidays, en)+plural(len(holidays), en, " sărbătoare legală", " sărbători legale", " public holiday", " public holidays"))
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
