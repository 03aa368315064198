package commands

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The register's commands that apply the law: extending, forwarding,
// joining, resolving or refusing, filing, and the deadline question. Every
// rule and its article come from calendar's rule table.

// legalRequest is what the deadline of an item is computed from.
func legalRequest(it storage.Item) calendar.Request {
	req := calendar.Request{Category: calendar.Category(it.Category), Registered: it.Registered,
		ExtraDays: it.ExtendedDays, Anonymous: it.SenderType == "anonim"}
	if it.Explicit != "" {
		req.Explicit, _ = calendar.ParseISO(it.Explicit)
	}
	return req
}

// recompute finds an item's deadline again from its registration.
func (c *Call) recompute(it storage.Item) calendar.Deadline {
	return c.e.Calendar().Compute(legalRequest(it), c.e.rules)
}

// setDeadline writes a computed deadline into an item ("" when it has none).
func setDeadline(it *storage.Item, dl calendar.Deadline) {
	it.Deadline, it.DeadlineTime = dl.Due.ISO(), dl.Time
	if dl.None {
		it.Deadline, it.DeadlineTime = "", ""
	}
}

// cite writes a rule's article in parentheses, in the caller's language.
func (c *Call) cite(r calendar.Rule) string { return "(" + r.Article(c.Lang == English) + ")" }

// dayCount writes a number of days with its noun, agreed.
func (c *Call) dayCount(n int) string {
	if c.Lang == English {
		return text.CountEn(n, "day", "days")
	}
	return text.Count(n, text.Zile)
}

// countOf writes a count with its noun, agreed in Romanian.
func (c *Call) countOf(n int, ro text.Noun, enOne, enMany string) string {
	if c.Lang == English {
		return text.CountEn(n, enOne, enMany)
	}
	return text.Count(n, ro)
}

// deadlineLines are the lines that explain an item's deadline and the other
// dates the law sets for it.
func (c *Call) deadlineLines(dl calendar.Deadline) []string {
	en := c.Lang == English
	lines := []string{c.T("Termen: %s", "Deadline: %s", dl.Explain(en))}
	for _, t := range dl.Secondary {
		lines = append(lines, "• "+t.Explain(en))
	}
	return lines
}

// extension is a checked request to extend a deadline.
type extension struct {
	days     int
	forced   string // the admin's reason for extending past the term
	notified calendar.Date
}

// runExtend extends a deadline while its term runs: petitions once, by at
// most 15 days (OG 27/2002 art. 9); requests for public information once, to
// at most 30 days from registration, the requester told within 10 days (Law
// 544/2001 art. 7(1)). An admin may force an expired one, with a reason.
func runExtend(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if _, ok := c.Key("notificat"); ok && len(c.Args) == 1 {
		return c.recordNotice(it)
	}
	ext, err := c.readExtension()
	if err != nil {
		return Reply{}, err
	}
	return c.extend(it, ext, "", c.meta(), nil)
}

// extend runs a checked extension: the legal check again inside the
// transaction, the new deadline, the audit entry (its note after the days)
// and the notices m owes; also changes the item further in the same
// transaction (a decided request is cleared). It answers with the card.
func (c *Call) extend(it storage.Item, ext extension, why string, m storage.Meta, also func(*storage.Item) error) (Reply, error) {
	if err := c.checkExtension(it, ext); err != nil {
		return Reply{}, err
	}
	note := "+" + text.Count(ext.days, text.Zile)
	if !ext.notified.IsZero() {
		note += "; solicitant înștiințat la " + ext.notified.String()
	}
	if ext.forced != "" {
		note += "; motiv: " + ext.forced
	}
	note += why
	var dl calendar.Deadline
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "extend", note, m, func(items []*storage.Item) error {
		x := items[0]
		if err := c.checkExtension(*x, ext); err != nil {
			return err
		}
		if ext.forced != "" && c.expired(*x) && x.LegalDeadline == "" {
			x.LegalDeadline = x.Deadline // reports keep judging against it
		}
		x.Extensions++
		x.ExtendedDays += ext.days
		if !ext.notified.IsZero() {
			x.Notified = ext.notified.ISO()
		}
		dl = c.recompute(*x)
		setDeadline(x, dl)
		if also != nil {
			return also(x)
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.extendReply(it, ext, dl, changed[0]), nil
}

// extendReply is the card of an extended item, with what the law still asks.
func (c *Call) extendReply(it storage.Item, ext extension, dl calendar.Deadline, x storage.Item) Reply {
	r := c.card(c.T("Termenul pentru %s prelungit: %s", "Deadline of %s extended: %s", it.Number, dl), x)
	r.Lines = append(r.Lines, c.deadlineLines(dl)[0])
	if ext.forced != "" && x.LegalDeadline != "" {
		r.Lines = append(r.Lines, c.T("Prelungire forțată după expirarea termenului (%s); rapoartele judecă după termenul legal, %s.",
			"Extension forced after the term expired (%s); reports judge against the legal deadline, %s.", ext.forced, isoToDate(x.LegalDeadline)))
	}
	if it.Category == string(calendar.PublicInfo) && x.Notified == "" {
		r.Lines = append(r.Lines, c.noticeMissing(x))
	}
	if it.Category == string(calendar.Petition) {
		r.Lines = append(r.Lines, c.T("Petentul trebuie înștiințat de prelungire înainte de expirarea termenului inițial %s.",
			"The petitioner must be told of the extension before the first deadline expires %s.", c.cite(calendar.RulePetitionExtension)))
	}
	return r
}

func (c *Call) readExtension() (extension, error) {
	var ext extension
	if len(c.Args) < 2 {
		return ext, c.Fail("Lipsește numărul de zile.", "The number of days is missing.")
	}
	days, ok := positiveInt(c.Args[1])
	if !ok || days > 365 {
		return ext, c.Fail("Zilele trebuie să fie un număr întreg între 1 și 365, nu „%s”.", "Days must be a whole number from 1 to 365, not “%s”.", c.Args[1])
	}
	n, err := c.readNotice()
	if err != nil {
		return ext, err
	}
	ext.days, ext.notified = days, n.notified
	if v, ok := c.Key("motiv"); ok {
		if ext.forced = strings.TrimSpace(v); ext.forced == "" {
			return ext, c.Fail("Motivul nu poate fi gol: motiv=\"…\".", "The reason cannot be empty: reason=\"…\".")
		}
	}
	return ext, nil
}

// readNotice reads notificat=DD.MM.YYYY, if given.
func (c *Call) readNotice() (extension, error) {
	var ext extension
	v, ok := c.Key("notificat")
	if !ok {
		return ext, nil
	}
	d, err := c.date(v)
	if err != nil {
		return ext, err
	}
	if d.After(calendar.DateOf(c.e.Now())) {
		return ext, c.Fail("Data înștiințării (%s) este în viitor.", "The notice date (%s) is in the future.", d)
	}
	ext.notified = d
	return ext, nil
}

// expired reports whether an item's term is over: its last day has passed
// (Civil Code art. 2553), or, for a deadline in hours, its hour.
func (c *Call) expired(it storage.Item) bool {
	due, err := calendar.ParseISO(it.Deadline)
	if err != nil {
		return false
	}
	now := c.e.Now()
	today := calendar.DateOf(now)
	return today.After(due) || today == due && it.DeadlineTime != "" && now.Format("15:04") >= it.DeadlineTime
}

func (c *Call) checkExtension(it storage.Item, ext extension) error {
	if !it.Status.Open() {
		return c.closedError(it)
	}
	if it.Deadline == "" {
		return c.Fail("%s nu are termen: o petiție anonimă se clasează %s.", "%s has no deadline: an anonymous petition is filed %s.", it.Number, c.cite(calendar.RuleAnonymous))
	}
	if err := c.checkExtensionLimits(it, ext); err != nil {
		return err
	}
	if cat := calendar.Category(it.Category); cat != calendar.Petition && cat != calendar.PublicInfo || !c.expired(it) {
		return nil // the law's terms are extended only while they run
	}
	switch {
	case ext.forced == "":
		return c.Fail("Termenul lui %s a expirat pe %s: un termen se prelungește doar cât timp curge %s. Un administrator o poate forța, cu motiv: prelungeste %s %d motiv=\"…\".",
			"The term of %s expired on %s: a term is extended only while it runs %s. An admin may force it, with a reason: extend %s %d reason=\"…\".",
			it.Number, c.deadlineText(it.Deadline, it.DeadlineTime, false), c.cite(c.extensionRule(it)), it.Number, ext.days)
	case c.Caller.Role != RoleAdmin:
		return c.Fail("Termenul lui %s a expirat; doar un administrator poate forța prelungirea.", "The term of %s has expired; only an admin may force the extension.", it.Number)
	}
	return nil
}

func (c *Call) extensionRule(it storage.Item) calendar.Rule {
	if it.Category == string(calendar.PublicInfo) {
		return calendar.RuleInfoComplex
	}
	return calendar.RulePetitionExtension
}

func (c *Call) checkExtensionLimits(it storage.Item, ext extension) error {
	switch calendar.Category(it.Category) {
	case calendar.Petition:
		if it.Extensions > 0 {
			return c.Fail("Petiția %s a fost deja prelungită o dată (cu %s); se permite o singură prelungire %s.",
				"Petition %s was already extended once (by %s); a single extension is allowed %s.", it.Number, c.dayCount(it.ExtendedDays), c.cite(calendar.RulePetitionExtension))
		}
		if ext.days > calendar.PetitionMaxExtension {
			return c.Fail("O petiție se poate prelungi cu cel mult %s %s, nu %d.",
				"A petition may be extended by at most %s %s, not %d.", c.dayCount(calendar.PetitionMaxExtension), c.cite(calendar.RulePetitionExtension), ext.days)
		}
	case calendar.PublicInfo:
		return c.checkInfoExtension(it, ext)
	}
	return nil
}

func (c *Call) checkInfoExtension(it storage.Item, ext extension) error {
	most := calendar.PublicInfoComplexDays - calendar.PublicInfoDays
	if it.Extensions > 0 || ext.days > most {
		return c.Fail("O cerere de informații publice se prelungește o singură dată, până la cel mult %s de la înregistrare, deci cu cel mult %s %s.",
			"A request for public information is extended once, to at most %s from registration, so by at most %s %s.",
			c.dayCount(calendar.PublicInfoComplexDays), c.dayCount(most), c.cite(calendar.RuleInfoComplex))
	}
	if ext.notified.IsZero() {
		return nil // recorded later; reminded until it is
	}
	return c.checkNoticeDate(it, ext)
}

// checkNoticeDate checks the day the requester was told: not before the
// registration, within the 10 days (Law 544/2001 art. 7(1)) unless forced.
func (c *Call) checkNoticeDate(it storage.Item, ext extension) error {
	reg := calendar.DateOf(it.Registered)
	notice := c.e.Calendar().Term(reg, calendar.PublicInfoDays, calendar.RuleInfoNotice)
	switch {
	case ext.notified.Before(reg):
		return c.Fail("Înștiințarea (%s) nu poate fi înaintea înregistrării (%s).", "The notice (%s) cannot be before the registration (%s).", ext.notified, reg)
	case ext.notified.After(notice.Due) && ext.forced == "":
		return c.Fail("Solicitantul trebuia înștiințat până pe %s %s, nu pe %s.", "The requester had to be told by %s %s, not on %s.", notice.Due, c.cite(calendar.RuleInfoNotice), ext.notified)
	}
	return nil
}

// noticeMissing says the notice of a complex request is not recorded yet.
func (c *Call) noticeMissing(it storage.Item) string {
	notice := c.e.Calendar().Term(calendar.DateOf(it.Registered), calendar.PublicInfoDays, calendar.RuleInfoNotice)
	return c.T("Înștiințarea solicitantului nu e înregistrată (se trimite până pe %s %s): „prelungeste %s notificat=DD.MM.YYYY”; până atunci, Cabinetul primește o reamintire în fiecare zi lucrătoare.",
		"The requester's notice is not recorded (due by %s %s): “extend %s notified=DD.MM.YYYY”; until then the Cabinet is reminded every working day.",
		notice.Due, c.cite(calendar.RuleInfoNotice), it.Number)
}

// recordNotice records the day the requester of an extended request for
// public information was told (Law 544/2001 art. 7(1)).
func (c *Call) recordNotice(it storage.Item) (Reply, error) {
	ext, err := c.readNotice()
	if err != nil {
		return Reply{}, err
	}
	check := func(x storage.Item) error {
		if x.Category != string(calendar.PublicInfo) || x.Extensions == 0 {
			return c.Fail("Înștiințarea se înregistrează pentru o cerere de informații publice prelungită %s.",
				"The notice is recorded for an extended request for public information %s.", c.cite(calendar.RuleInfoNotice))
		}
		if !x.Status.Open() {
			return c.closedError(x)
		}
		return c.checkNoticeDate(x, ext)
	}
	if err := check(it); err != nil {
		return Reply{}, err
	}
	note := "solicitant înștiințat la " + ext.notified.String()
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number}, "notice", note, c.meta(), func(items []*storage.Item) error {
		if err := check(*items[0]); err != nil {
			return err
		}
		items[0].Notified = ext.notified.ISO()
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.card(c.T("%s: înștiințarea solicitantului înregistrată (%s)", "%s: the requester's notice recorded (%s)", it.Number, ext.notified), changed[0]), nil
}

// runForward sends an item to the competent institution; a petition within
// 5 days of registration (OG 27/2002 art. 6^1), the last day moved off days
// off like every term.
func runForward(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	to, _ := c.Key("institutie")
	if to == "" && len(c.Args) > 1 {
		to = strings.Join(c.Args[1:], " ")
	}
	if to = strings.TrimSpace(to); to == "" {
		return Reply{}, c.Fail("Lipsește instituția: institutie=\"...\".", "The institution is missing: institution=\"...\".")
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	nums, err := c.withJoined(it)
	if err != nil {
		return Reply{}, err
	}
	changed, err := c.e.store.Change(c.Ctx, nums, "forward", to, c.meta(), func(items []*storage.Item) error {
		if !items[0].Status.Open() {
			return c.closedError(*items[0])
		}
		if err := c.stillJoined(items); err != nil {
			return err
		}
		for _, x := range items {
			x.Status, x.ForwardedTo, x.ClosedAt = storage.StatusForwarded, to, c.e.Now()
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s redirecționată către %s", "%s forwarded to %s", it.Number, to), changed[0])
	if it.Category == string(calendar.Petition) {
		limit := c.e.Calendar().Term(calendar.DateOf(it.Registered), calendar.PetitionForwardDays, calendar.RuleForward)
		if today := calendar.DateOf(c.e.Now()); today.After(limit.Due) {
			r.Lines = append(r.Lines, c.T("Atenție: petițiile se redirecționează în 5 zile de la înregistrare %s; termenul a fost %s.",
				"Note: petitions are forwarded within 5 days of registration %s; that was %s.", c.cite(calendar.RuleForward), limit.Due))
		}
		r.Lines = append(r.Lines, c.T("Petentul trebuie înștiințat de redirecționare.", "The petitioner must be told it was forwarded."))
	}
	for _, j := range changed[1:] {
		r.Lines = append(r.Lines, c.T("Redirecționată odată cu ea (conexată): %s · %s", "Forwarded with it (joined): %s · %s", j.Number, j.Sender))
	}
	return r, nil
}

func runDeadline(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați data înregistrării și categoria.", "Give the registration date and the category.")
	}
	day, err := c.date(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	w, ok := choice(categoryWords, c.Args[1])
	if !ok {
		return Reply{}, c.Fail("Categorie necunoscută: „%s”. Categorii: %s.", "Unknown category: “%s”. Categories: %s.", c.Args[1], choiceList(categoryWords))
	}
	cat := calendar.Category(w)
	at := day.At(12, 0)
	if day == calendar.DateOf(c.e.Now()) {
		at = c.e.Now()
	}
	dl := c.e.Calendar().Compute(calendar.Request{Category: cat, Registered: at}, c.e.rules)
	en := c.Lang == English
	r := Reply{Title: c.T("Termen: %s", "Deadline: %s", dl), Lines: []string{dl.Explain(en)}}
	for _, t := range dl.Secondary {
		r.Lines = append(r.Lines, "• "+t.Explain(en))
	}
	switch cat {
	case calendar.Petition:
		r.Lines = append(r.Lines, "• "+calendar.RulePetitionExtension.Text(en)+" "+c.cite(calendar.RulePetitionExtension),
			"• "+calendar.RuleAnonymous.Text(en)+" "+c.cite(calendar.RuleAnonymous))
	case calendar.PublicInfo:
		r.Lines = append(r.Lines, "• "+calendar.RuleInfoNoFiling.Text(en)+" "+c.cite(calendar.RuleInfoNoFiling))
	case calendar.Institution, calendar.Internal, calendar.Other:
		r.Lines = append(r.Lines, "• "+calendar.RuleLetter.Text(en))
	}
	r.Lines = append(r.Lines, calendar.CountingLine(en))
	return r, nil
}
