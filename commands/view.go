package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// stamp writes a moment as people here read it: 25.11.2026 14:03.
func stamp(t time.Time) string { return t.In(calendar.Bucharest).Format("02.01.2006 15:04") }

// isoToDate writes a stored YYYY-MM-DD date as 25.11.2026.
func isoToDate(iso string) string {
	d, err := calendar.ParseISO(iso)
	if err != nil {
		return iso
	}
	return d.String()
}

// roDeadline writes an item's deadline in Romanian, for what goes out in
// Romanian whatever the caller's language: 28.12.2026, 26.11.2026 14:30, or
// "fără termen — se clasează" for an anonymous petition.
func roDeadline(it storage.Item) string {
	if it.Deadline == "" {
		return calendar.NoDeadline(false)
	}
	return isoToDate(it.Deadline) + prefixed(" ", it.DeadlineTime)
}

// roDue is "termen 28.12.2026", or "fără termen — se clasează (…)".
func roDue(it storage.Item) string {
	if it.Deadline == "" {
		return roDeadline(it)
	}
	return "termen " + roDeadline(it)
}

// deadlineText writes an item's deadline, with how late it is when it is.
func (c *Call) deadlineText(deadline, hour string, open bool) string {
	if deadline == "" {
		return calendar.NoDeadline(c.Lang == English)
	}
	s := isoToDate(deadline)
	if hour != "" {
		s += " " + hour
	}
	if !open {
		return s
	}
	due, err := calendar.ParseISO(deadline)
	if err != nil {
		return s
	}
	today := calendar.DateOf(c.e.Now())
	switch late := due.DaysUntil(today); {
	case late > 0:
		s += c.T(" (depășit cu %s)", " (%s late)", c.dayCount(late))
	case late == 0:
		s += c.T(" (azi)", " (today)")
	}
	return s
}

// deptNames maps department codes to names, for display.
func (c *Call) deptNames() map[string]string {
	out := map[string]string{}
	depts, err := c.e.store.Departments()
	if err != nil {
		c.e.log.Warn("list departments", "err", err)
		return out
	}
	for _, d := range depts {
		out[d.Code] = d.Name
	}
	return out
}

// holder says who has an item: "DT — Direcția Tehnică", or unassigned.
func (c *Call) holder(dept string, names map[string]string) string {
	if dept == "" || dept == "-" {
		return c.T("nerepartizată", "not assigned")
	}
	if n := names[dept]; n != "" {
		return dept + " — " + n
	}
	return dept
}

// card renders an item as a card: the fields everyone asks for and the
// buttons the caller may press.
func (c *Call) card(title string, it storage.Item) Reply {
	names := c.deptNames()
	r := Reply{Title: title, Item: it.Number.String()}
	add := func(ro, en, v string) {
		if v != "" {
			r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: v})
		}
	}
	add("Număr", "Number", it.Number.String())
	add("Înregistrată", "Registered", stamp(it.Registered)+channelSuffix(c, it.Channel))
	sender := it.Sender + " (" + c.Lang.name(senderTypeNames, it.SenderType) + ")"
	if it.SenderRef != "" {
		sender += ", " + c.T("nr. %s", "ref. %s", it.SenderRef)
	}
	add("Expeditor", "Sender", sender)
	if c.Caller.canSeeContact(it) {
		add("Contact", "Contact", it.Contact)
	}
	add("Subiect", "Subject", it.Subject)
	cat := c.Lang.category(it.Category)
	if it.Pages > 0 {
		cat += c.T(", %d file", ", %d pages", it.Pages)
	}
	add("Categorie", "Category", cat)
	add("Termen", "Deadline", c.deadlineText(it.Deadline, it.DeadlineTime, it.Status.Open()))
	holder := c.holder(it.Dept, names)
	if len(it.CC) > 0 {
		holder += c.T("; în copie: %s", "; in copy: %s", strings.Join(it.CC, ", "))
	}
	add("Departament", "Department", holder)
	add("Stare", "Status", c.status(it))
	if len(it.Links) > 0 {
		var links []string
		for _, n := range it.Links {
			links = append(links, n.String())
		}
		add("Legături", "Links", strings.Join(links, ", "))
	}
	c.audienceFields(&r, it)
	if it.Status.Open() {
		r.Actions = c.itemActions(it)
	}
	return r
}

func channelSuffix(c *Call, ch string) string {
	if ch == "" {
		return ""
	}
	return ", " + c.Lang.name(channelNames, ch)
}

// status writes the item's status with what closed it.
func (c *Call) status(it storage.Item) string {
	s := c.Lang.name(statusNames, string(it.Status))
	switch it.Status {
	case storage.StatusResolved:
		if it.AnswerNo == "" {
			s += c.T(" la %s, fără număr de răspuns", " on %s, no answer number", isoToDate(it.AnswerDate))
		} else {
			s += c.T(", răspuns nr. %s din %s", ", answer no. %s of %s", it.AnswerNo, isoToDate(it.AnswerDate))
		}
	case storage.StatusForwarded:
		s += c.T(" către %s", " to %s", it.ForwardedTo)
	case storage.StatusJoined:
		s += c.T(" la %s", " to %s", it.JoinedTo)
	case storage.StatusRefused:
		s += c.T(" (%s), nr. %s din %s", " (%s), no. %s of %s", it.Refusal, orDash(it.AnswerNo), isoToDate(it.AnswerDate))
	case storage.StatusFiled:
		s += prefixed(": ", it.Note)
	}
	if it.ReturnedBy != "" && it.Status.Open() {
		s = c.T("returnată de %s", "returned by %s", it.ReturnedBy)
	}
	if r := it.ExtRequest; r != nil && it.Status.Open() {
		s += c.T("; cerere de prelungire nedecisă (+%s, %s)", "; extension request undecided (+%s, %s)", c.dayCount(r.Days), r.Dept)
	}
	if it.Extensions > 0 {
		s += c.T("; prelungit cu %s", "; extended by %s", c.dayCount(it.ExtendedDays))
	}
	if it.Notified != "" {
		s += c.T("; solicitant înștiințat la %s", "; requester told on %s", isoToDate(it.Notified))
	}
	if it.LegalDeadline != "" {
		s += c.T("; termen legal %s (prelungire forțată)", "; legal deadline %s (forced extension)", isoToDate(it.LegalDeadline))
	}
	return s
}

// itemActions are the buttons on an open item's card, the ones the caller may
// press: each is also a typed command.
func (c *Call) itemActions(it storage.Item) []Action {
	n := it.Number.String()
	var out []Action
	if c.Caller.isStaff() {
		out = append(out, Action{ID: "assign", Label: c.T("Repartizează", "Assign"), Command: "repartizeaza " + n, Inputs: []string{"departament"}})
	}
	if c.Caller.canResolve(it) {
		out = append(out, Action{ID: "resolve", Label: c.T("Rezolvat", "Resolved"), Command: "rezolva " + n, Inputs: []string{"raspuns", "data"}})
	}
	if c.Caller.isStaff() {
		out = append(out, Action{ID: "extend", Label: c.T("Prelungește", "Extend"), Command: "prelungeste " + n, Inputs: []string{"zile"}})
	}
	return out
}

// summaryLine writes one line of a list: number, department, deadline, subject.
func (c *Call) summaryLine(s storage.Summary) string {
	dept := s.Dept
	if dept == "" || dept == "-" {
		dept = c.T("nerepartizată", "unassigned")
		if s.Returned != "" {
			dept = c.T("returnată de %s", "returned by %s", s.Returned)
		}
	}
	due := c.T("termen", "due") + " " + c.deadlineText(s.Deadline, s.DeadlineTime, true)
	if s.Deadline == "" {
		due = calendar.NoDeadline(c.Lang == English)
	}
	return fmt.Sprintf("%s · %s · %s · %s", s.Number, dept, due, text.Truncate(s.Subject, 60))
}
