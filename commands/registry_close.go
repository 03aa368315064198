package commands

import (
	"errors"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Closing an item the ways the law allows: joining it to an earlier one
// (OG 27/2002 art. 10(1)), answering or refusing it (Law 544/2001 art. 7),
// filing it with a reason from a fixed list.

// sameSender reports whether two items come from the same sender, spelling
// and diacritics aside.
func sameSender(a, b storage.Item) bool {
	return strings.Join(text.Words(a.Sender), " ") == strings.Join(text.Words(b.Sender), " ") && a.SenderType == b.SenderType
}

// earlier reports whether a was registered before b.
func earlier(a, b storage.Number) bool {
	return a.Year < b.Year || a.Year == b.Year && a.Seq < b.Seq
}

func runJoin(c *Call) (Reply, error) {
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Conexarea are nevoie de două numere: cea nouă și cea anterioară.", "Joining needs two numbers: the new one and the earlier one.")
	}
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	to, err := c.item(1)
	if err != nil {
		return Reply{}, err
	}
	confirmed := len(c.Args) > 2 && (text.Fold(c.Args[2]) == "confirma" || text.Fold(c.Args[2]) == "confirm")
	reason, _ := c.Key("motiv")
	reason = strings.TrimSpace(reason)
	if err := c.checkJoin(it, to, confirmed, reason); err != nil {
		return Reply{}, err
	}
	if children, err := c.joinedTo(it); err != nil || len(children) > 0 {
		if err != nil {
			return Reply{}, err
		}
		return Reply{}, c.Fail("La %s sunt conexate altele (%s); conexați-le întâi direct la %s.", "Others are joined to %s (%s); join them to %s first.",
			it.Number, joinedList(children), to.Number)
	}
	note := it.Number.String() + " → " + to.Number.String() + " (OG 27/2002 art. 10(1))" + prefixed("; motiv: ", reason)
	changed, err := c.e.store.Change(c.Ctx, []storage.Number{it.Number, to.Number}, "join", note, c.meta(), func(items []*storage.Item) error {
		x, y := items[0], items[1]
		if err := c.checkJoin(*x, *y, confirmed, reason); err != nil {
			return err
		}
		x.Status, x.JoinedTo, x.ClosedAt = storage.StatusJoined, y.Number, c.e.Now()
		x.Links = appendNumber(x.Links, y.Number)
		y.Links = appendNumber(y.Links, x.Number)
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s conexată la %s", "%s joined to %s", it.Number, to.Number), changed[1])
	r.Lines = append(r.Lines, c.T("%s se urmărește de acum prin %s (termen %s, %s); răspunsul la %s le rezolvă pe amândouă %s.",
		"%s is now followed through %s (due %s, %s); the answer to %s resolves both %s.",
		it.Number, to.Number, c.deadlineText(changed[1].Deadline, changed[1].DeadlineTime, false), c.holder(changed[1].Dept, c.deptNames()), to.Number, c.cite(calendar.RuleJoin)))
	return r, nil
}

// checkJoin applies the joining rules: to the earlier item, still open; a
// different petitioner or category only when confirmed, with a reason.
func (c *Call) checkJoin(it, to storage.Item, confirmed bool, reason string) error {
	switch {
	case it.Number == to.Number:
		return c.Fail("O înregistrare nu se poate conexa la ea însăși.", "A registration cannot be joined to itself.")
	case !it.Status.Open():
		return c.closedError(it)
	case !earlier(to.Number, it.Number):
		return c.Fail("Se conexează cea nouă la cea anterioară %s: conexeaza %s %s.", "The new one is joined to the earlier one %s: join %s %s.",
			c.cite(calendar.RuleJoin), to.Number, it.Number)
	case to.Status == storage.StatusJoined:
		return c.Fail("%s este ea însăși conexată la %s; conexați la aceea.", "%s is itself joined to %s; join to that one.", to.Number, to.JoinedTo)
	case to.Status == storage.StatusResolved || to.Status == storage.StatusRefused:
		return c.Fail("%s are deja răspuns (%s); o petiție repetată după răspuns se clasează %s: claseaza %s motiv=repetata anterior=%s.",
			"%s was already answered (%s); a petition repeated after the answer is filed %s: file %s reason=repeated earlier=%s.",
			to.Number, c.status(to), c.cite(calendar.RuleRepeated), it.Number, to.Number)
	case !to.Status.Open():
		return c.closedError(to)
	}
	var diff []string
	if !sameSender(it, to) {
		diff = append(diff, c.T("petenți diferiți (%s / %s)", "different petitioners (%s / %s)", it.Sender, to.Sender))
	}
	if it.Category != to.Category {
		diff = append(diff, c.T("categorii diferite (%s / %s)", "different categories (%s / %s)", c.Lang.category(it.Category), c.Lang.category(to.Category)))
	}
	if len(diff) > 0 && (!confirmed || reason == "") {
		return c.Fail("Conexarea privește același petent și aceeași problemă %s, iar aici sunt %s. Dacă totuși e cazul: conexeaza %s %s confirma motiv=\"…\".",
			"Joining is for the same petitioner on the same matter %s, and here there are %s. If it is right all the same: join %s %s confirm reason=\"…\".",
			c.cite(calendar.RuleJoin), strings.Join(diff, c.T(" și ", " and ")), it.Number, to.Number)
	}
	return nil
}

// joinedTo returns the items joined to it, in number order.
func (c *Call) joinedTo(it storage.Item) ([]storage.Item, error) {
	var out []storage.Item
	for _, n := range it.Links {
		x, err := c.e.store.Item(n)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if x.JoinedTo == it.Number && x.Status == storage.StatusJoined {
			out = append(out, x)
		}
	}
	return out, nil
}

// withJoined lists an item's number and the numbers of the items joined to
// it: they close together (OG 27/2002 art. 10(1)).
func (c *Call) withJoined(it storage.Item) ([]storage.Number, error) {
	joined, err := c.joinedTo(it)
	if err != nil {
		return nil, err
	}
	nums := []storage.Number{it.Number}
	for _, j := range joined {
		nums = append(nums, j.Number)
	}
	return nums, nil
}

// stillJoined checks, inside the transaction, that items[1:] are still
// joined to items[0].
func (c *Call) stillJoined(items []*storage.Item) error {
	for _, x := range items[1:] {
		if x.Status != storage.StatusJoined || x.JoinedTo != items[0].Number {
			return c.Fail("%s nu mai este conexată la %s; încercați din nou.", "%s is no longer joined to %s; try again.", x.Number, items[0].Number)
		}
	}
	return nil
}

// answer is how an item is closed by rezolva: an answer, or a refusal with
// its ground (requests for public information and the press).
type answer struct {
	no      string
	day     calendar.Date
	refusal string
}

// runResolve closes an item with its answer, or refuses it with a ground;
// every item joined to it is resolved with the same answer, each with its
// own audit entry. Department members may resolve only what their
// department has; the Cabinet is told when they do.
func runResolve(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	ans, err := c.readAnswer(it)
	if err != nil {
		return Reply{}, err
	}
	if err := c.checkResolve(it); err != nil {
		return Reply{}, err
	}
	nums, err := c.withJoined(it)
	if err != nil {
		return Reply{}, err
	}
	shown := ans.no
	if shown == "" {
		shown = "—"
	}
	action, note := "resolve", c.T("răspuns nr. %s", "answer no. %s", shown)
	if ans.refusal != "" {
		action, note = "refuse", c.T("refuz: %s", "refusal: %s", ans.refusal)
	}
	m := c.owe(func(made storage.Made) []Notice { return c.resolveNotices(made.Items[0], ans, shown) })
	changed, err := c.e.store.Change(c.Ctx, nums, action, note, m, func(items []*storage.Item) error {
		if err := c.checkResolve(*items[0]); err != nil {
			return err
		}
		if err := c.stillJoined(items); err != nil {
			return err
		}
		for _, x := range items {
			c.close(x, ans)
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.resolvedReply(changed, ans, shown), nil
}

func (c *Call) close(x *storage.Item, ans answer) {
	x.Status, x.AnswerNo, x.AnswerDate, x.ClosedAt = storage.StatusResolved, ans.no, ans.day.ISO(), c.e.Now()
	if ans.refusal != "" {
		x.Status, x.Refusal = storage.StatusRefused, ans.refusal
	}
}

func (c *Call) resolvedReply(changed []storage.Item, ans answer, shown string) Reply {
	done := changed[0]
	title := c.T("%s rezolvată: răspuns nr. %s din %s", "%s resolved: answer no. %s of %s", done.Number, shown, ans.day)
	if ans.refusal != "" {
		title = c.T("%s refuzată (%s): %s", "%s refused (%s): %s", done.Number, calendar.RuleInfoRefusal.Article(c.Lang == English), ans.refusal)
	}
	r := c.card(title, done)
	if ans.no == "" {
		r.Lines = append(r.Lines, c.T("Fără numărul răspunsului: Cabinetul îl poate cere departamentului.", "No answer number given: the Cabinet may ask the department for it."))
	}
	if due, err := calendar.ParseISO(done.Deadline); err == nil && ans.day.After(due) {
		r.Lines = append(r.Lines, c.T("Rezolvată cu %s după termen.", "Resolved %s after the deadline.", c.dayCount(due.DaysUntil(ans.day))))
	}
	if ans.refusal != "" {
		refusal := c.e.Calendar().Term(calendar.DateOf(done.Registered), calendar.PublicInfoRefusalDays, calendar.RuleInfoRefusal)
		if ans.day.After(refusal.Due) {
			r.Lines = append(r.Lines, c.T("Refuzul trebuia comunicat până pe %s %s.", "The refusal was due by %s %s.", refusal.Due, c.cite(calendar.RuleInfoRefusal)))
		}
	}
	for _, j := range changed[1:] {
		r.Lines = append(r.Lines, c.T("Rezolvată odată cu ea (conexată): %s · %s", "Resolved with it (joined): %s · %s", j.Number, j.Sender))
	}
	return r
}

// resolveNotices tell the Cabinet when a department resolved (or refused)
// an item; written to the outbox with the change.
func (c *Call) resolveNotices(done storage.Item, ans answer, shown string) []Notice {
	if c.Caller.isStaff() {
		return nil
	}
	title := Romanian.pick("%s rezolvată de %s (%s): răspuns nr. %s din %s", "", done.Number, done.Dept, c.Caller.Key(), shown, ans.day)
	if ans.refusal != "" {
		title = Romanian.pick("%s refuzată de %s (%s): %s", "", done.Number, done.Dept, c.Caller.Key(), ans.refusal)
	}
	return []Notice{{To: Recipient{Kind: ToCabinet}, Reply: Reply{Item: done.Number.String(), Title: title}}}
}

// readAnswer reads the answer's number (optional: a department confirms in
// a thread with a bare "rezolvat"), its date and a refusal's ground.
func (c *Call) readAnswer(it storage.Item) (answer, error) {
	var ans answer
	v, _ := c.Key("raspuns")
	ans.no = strings.TrimSpace(v)
	ans.day = calendar.DateOf(c.e.Now())
	if v, ok := c.Key("data"); ok {
		d, err := c.date(v)
		if err != nil {
			return ans, err
		}
		if d.After(calendar.DateOf(c.e.Now())) {
			return ans, c.Fail("Data răspunsului (%s) este în viitor.", "The answer's date (%s) is in the future.", d)
		}
		if d.Before(calendar.DateOf(it.Registered)) {
			return ans, c.Fail("Data răspunsului (%s) este înaintea înregistrării (%s).", "The answer's date (%s) is before the registration (%s).", d, calendar.DateOf(it.Registered))
		}
		ans.day = d
	}
	if v, ok := c.Key("refuz"); ok {
		if ans.refusal = strings.TrimSpace(v); ans.refusal == "" {
			return ans, c.Fail("Refuzul se motivează %s: refuz=\"temeiul\".", "A refusal states its ground %s: refusal=\"the ground\".", c.cite(calendar.RuleInfoRefusal))
		}
		if cat := calendar.Category(it.Category); cat != calendar.PublicInfo && cat != calendar.Press {
			return ans, c.Fail("Refuzul motivat e al cererilor de informații publice și de presă %s; %s are categoria „%s”: rezolvați-o sau clasați-o.",
				"A reasoned refusal is for requests for public information and the press %s; %s is %s: resolve or file it.",
				c.cite(calendar.RuleInfoRefusal), it.Number, c.Lang.category(it.Category))
		}
	}
	return ans, nil
}

func (c *Call) checkResolve(it storage.Item) error {
	if !it.Status.Open() {
		return c.closedError(it)
	}
	if !c.Caller.canResolve(it) {
		return c.Fail("Doar departamentul responsabil (%s) sau Cabinetul poate rezolva %s.",
			"Only the responsible department (%s) or the Cabinet may resolve %s.", c.holder(it.Dept, nil), it.Number)
	}
	return nil
}
