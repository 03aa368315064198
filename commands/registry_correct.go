package commands

import (
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/storage"
)

// runCorrect fixes a wrong sender, type, category, subject, contact,
// reference or deadline of an open item; the deadline is computed again by
// the law's rules, and the audit entry keeps the item before and after.
func runCorrect(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if len(c.keys) == 0 {
		return Reply{}, c.Fail("Spuneți ce corectați: de=, tip=, categorie=, subiect=, contact=, nr= sau termen=.",
			"Say what to correct: from=, type=, category=, subject=, contact=, ref= or deadline=.")
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	fixed := it
	if _, err := c.readFields(&fixed, false); err != nil {
		return Reply{}, err
	}
	if fixed.Sender == "" {
		return Reply{}, c.Fail("Expeditorul nu poate fi gol.", "The sender cannot be empty.")
	}
	dl := c.recompute(fixed)
	setDeadline(&fixed, dl)
	diff := itemDiff(it, fixed)
	if len(diff) == 0 {
		return Reply{}, c.Fail("Nimic de corectat: %s are deja aceste valori.", "Nothing to correct: %s already has these values.", it.Number)
	}
	note := strings.Join(diff, "; ")
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "correct", note, c.meta(), func(items []*storage.Item) error {
		x := items[0]
		if !x.Status.Open() {
			return c.closedError(*x)
		}
		x.Sender, x.SenderType, x.Category, x.Subject = fixed.Sender, fixed.SenderType, fixed.Category, fixed.Subject
		x.Contact, x.SenderRef, x.Explicit = fixed.Contact, fixed.SenderRef, fixed.Explicit
		setDeadline(x, c.recompute(*x))
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s corectată", "%s corrected", it.Number), changed[0])
	r.Lines = append(r.Lines, c.T("Schimbat: %s", "Changed: %s", note))
	r.Lines = append(r.Lines, c.deadlineLines(dl)...)
	return r, nil
}

// itemDiff lists the registration fields that differ, "field: before → after".
func itemDiff(a, b storage.Item) []string {
	var out []string
	add := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s: %s → %s", name, orDash(x), orDash(y)))
		}
	}
	add("de", a.Sender, b.Sender)
	add("tip", a.SenderType, b.SenderType)
	add("categorie", a.Category, b.Category)
	add("subiect", a.Subject, b.Subject)
	add("contact", a.Contact, b.Contact)
	add("nr", a.SenderRef, b.SenderRef)
	add("termen dat", isoToDate(a.Explicit), isoToDate(b.Explicit))
	add("termen", isoToDate(a.Deadline)+prefixed(" ", a.DeadlineTime), isoToDate(b.Deadline)+prefixed(" ", b.DeadlineTime))
	return out
}

// runToFile lists the open items without a deadline: the anonymous
// petitions, which are filed (OG 27/2002 art. 7) and never overdue.
func runToFile(c *Call) (Reply, error) {
	items, err := c.e.store.OpenDue("", "", "")
	if err != nil {
		return Reply{}, err
	}
	if len(items) == 0 {
		return Reply{Title: c.T("Nimic de clasat.", "Nothing to file.")}, nil
	}
	r := Reply{Title: c.T("De clasat (OG 27/2002 art. 7): %d", "To file (OG 27/2002 art. 7): %d", len(items))}
	for _, s := range items[:min(len(items), listLimit)] {
		r.Lines = append(r.Lines, c.summaryLine(s)+" — "+c.T("claseaza %s motiv=anonima", "file %s reason=anonymous", s.Number))
	}
	if len(items) > listLimit {
		r.Lines = append(r.Lines, c.T("… și încă %d.", "… and %d more.", len(items)-listLimit))
	}
	return r, nil
}
