package commands

import (
	"errors"
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func adminCommands() []*Command {
	return []*Command{
		{Name: "rol", Aliases: []string{"role"}, Roles: admins, Group: groupAdmin,
			Usage: `IDENTITATE admin|cabinet|departament=COD|primar|vizualizare|nimic [nume="..."]`, UsageEn: `IDENTITY admin|cabinet|department=CODE|mayor|viewer|none [name="..."]`,
			Summary: "dă, schimbă sau retrage rolul unei identități (slack:U…, telegram:…, <@U…>)", SummaryEn: "grants, changes or removes the role of an identity (slack:U…, telegram:…, <@U…>)",
			Examples: []string{`rol slack:U012AB3CD cabinet nume="Ana Pop"`, "rol telegram:123456 primar", "role <@U02> department=DT"},
			Keys:     []Key{{"nume", "name"}, {"departament", "department"}}, Run: runRole},
		{Name: "persoane", Aliases: []string{"people"}, Roles: admins, Group: groupAdmin,
			Summary: "cine are acces și cu ce rol", SummaryEn: "who has access, with which role",
			Examples: []string{"persoane", "people"}, Run: runPeople},
		{Name: "zi-libera", Aliases: []string{"day-off", "zi libera", "zi-liberă", "zi liberă", "day off"}, Roles: admins, Group: groupAdmin,
			Usage: `[DD.MM.YYYY "motiv" | sterge DD.MM.YYYY | AN]`, UsageEn: `[DD.MM.YYYY "reason" | remove DD.MM.YYYY | YEAR]`,
			Summary: "adaugă o zi liberă decisă de Guvern (mută termenele), o șterge, sau arată zilele libere ale anului", SummaryEn: "adds a day off decided by the Government (it moves deadlines), removes one, or lists the year's days off",
			Examples: []string{`zi-libera 02.01.2026 "HG 1234/2025"`, "zi-libera sterge 02.01.2026", "day-off 2027"}, Run: runDayOff},
	}
}

func runRole(c *Call) (Reply, error) {
	if len(c.Args) < 1 {
		return Reply{}, c.Fail("Dați identitatea și rolul.", "Give the identity and the role.")
	}
	who, err := c.identity(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	if c.e.admins[who.Key()] {
		// An admin named in the configuration stays admin whatever is
		// stored: changing the stored role would say one thing and do another.
		return Reply{}, &UserError{
			Ro:      "„" + who.Key() + "” este administrator din configurare (CABINET_ADMINS sau operatorul consolei); rolul nu se schimbă de aici. Scoateți-l din CABINET_ADMINS și reporniți botul. Nu s-a modificat nimic.",
			En:      "“" + who.Key() + "” is an admin from the configuration (CABINET_ADMINS or the console operator); its role is not changed from here. Remove it from CABINET_ADMINS and restart the bot. Nothing was changed.",
			Example: "rol telegram:123456 nimic"}
	}
	p := storage.Person{Identity: who.Key(), GrantedBy: c.Caller.Key(), At: c.e.Now()}
	p.Name, _ = c.Key("nume")
	roleWord := ""
	if len(c.Args) > 1 {
		roleWord = c.Args[1]
	}
	dept, hasDept := c.Key("departament")
	if hasDept && roleWord == "" {
		roleWord = "departament"
	}
	if f := text.Fold(roleWord); f == "nimic" || f == "none" {
		if err := c.e.store.SetPerson(c.Ctx, p, c.meta()); err != nil {
			return Reply{}, err
		}
		return Reply{Title: c.T("Acces retras pentru %s.", "Access removed for %s.", who.Key())}, nil
	}
	role, ok := roleWords[text.Fold(roleWord)]
	if !ok {
		return Reply{}, c.Fail("Rol necunoscut: „%s”. Roluri: admin, cabinet, departament=COD, primar, vizualizare, nimic.",
			"Unknown role: “%s”. Roles: admin, cabinet, department=CODE, mayor, viewer, none.", roleWord)
	}
	p.Role = string(role)
	if role == RoleDept {
		if !hasDept {
			return Reply{}, c.Fail("Spuneți al cărui departament: departament=COD.", "Say which department: department=CODE.")
		}
		d, err := c.openDepartment(dept)
		if err != nil {
			return Reply{}, err
		}
		p.Dept = d.Code
	}
	if err := c.e.store.SetPerson(c.Ctx, p, c.meta()); err != nil {
		return Reply{}, err
	}
	what := string(role)
	if p.Dept != "" {
		what += " " + p.Dept
	}
	return Reply{Title: c.T("%s are acum rolul %s.", "%s now has the role %s.", who.Key(), what)}, nil
}

func runPeople(c *Call) (Reply, error) {
	people, err := c.e.store.People()
	if err != nil {
		return Reply{}, err
	}
	var lines []string
	for id := range c.e.admins {
		lines = append(lines, id+" · admin "+c.T("(din configurare)", "(from the configuration)"))
	}
	for _, p := range people {
		line := p.Identity + " · " + p.Role
		if p.Dept != "" {
			line += " " + p.Dept
		}
		if p.Name != "" {
			line += " · " + p.Name
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return Reply{Title: c.T("Persoane cu acces: %d", "People with access: %d", len(lines)), Lines: lines}, nil
}

func runDayOff(c *Call) (Reply, error) {
	today := calendar.DateOf(c.e.Now())
	switch {
	case len(c.Args) == 0:
		return c.listDaysOff(today.Year), nil
	case len(c.Args) == 1 && len(c.Args[0]) == 4:
		year, ok := positiveInt(c.Args[0])
		if !ok || year < 2000 || year > 2100 {
			return Reply{}, c.Fail("„%s” nu este un an.", "“%s” is not a year.", c.Args[0])
		}
		return c.listDaysOff(year), nil
	}
	remove := false
	if f := text.Fold(c.Args[0]); f == "sterge" || f == "remove" {
		remove = true
		c.Args = c.Args[1:]
		if len(c.Args) == 0 {
			return Reply{}, c.Fail("Ce zi ștergeți?", "Which day do you remove?")
		}
	}
	day, err := c.date(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	reason := strings.TrimSpace(strings.Join(c.Args[1:], " "))
	if remove {
		err := c.e.store.SetDayOff(c.Ctx, day.ISO(), "", c.meta())
		if errors.Is(err, storage.ErrNotFound) {
			return Reply{}, c.Fail("%s nu este o zi liberă adăugată.", "%s is not an added day off.", day)
		}
		if err != nil {
			return Reply{}, err
		}
	} else {
		if reason == "" {
			return Reply{}, c.Fail("Spuneți motivul (de exemplu hotărârea Guvernului).", "Give the reason (the Government decision, say).")
		}
		if h, ok := c.e.Calendar().HolidayOn(day); ok && !h.Extra {
			return Reply{}, c.Fail("%s este deja sărbătoare legală (%s).", "%s is already a public holiday (%s).", day, h.Name)
		}
		if err := c.e.store.SetDayOff(c.Ctx, day.ISO(), reason, c.meta()); err != nil {
			return Reply{}, err
		}
	}
	if err := c.e.reloadCalendar(); err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("%s (%s) este zi liberă: termenele care cad atunci se mută.", "%s (%s) is a day off: deadlines falling on it move.",
		day, calendar.WeekdayName(day.Weekday(), c.Lang == English))}
	if remove {
		r.Title = c.T("%s nu mai este zi liberă: termenele mutate de ea revin.", "%s is no longer a day off: the deadlines it moved come back.", day)
	}
	moved, err := c.moveDeadlines(day, remove, reason)
	if err != nil {
		return Reply{}, err
	}
	r.Lines = moved
	return r, nil
}

// dayOffWindow is how far after a day off a deadline it moved may lie.
const dayOffWindow = 20

// moveDeadlines moves the open counted deadlines a day off added lands on to
// the next working day, or, when it is removed, back onto it; each move is
// audited. Dates a letter fixed are not moved. It returns a line per item.
func (c *Call) moveDeadlines(day calendar.Date, removed bool, reason string) ([]string, error) {
	open, err := c.e.store.OpenDue(day.ISO(), day.AddDays(dayOffWindow).ISO(), "")
	if err != nil {
		return nil, err
	}
	var nums []storage.Number
	for _, s := range open {
		it, err := c.e.store.Item(s.Number)
		if err != nil {
			return nil, err
		}
		if dl := c.recompute(it); c.movesWith(it, dl, day, removed) {
			nums = append(nums, it.Number)
		}
	}
	if len(nums) == 0 {
		return []string{c.T("Niciun termen deschis nu se mută.", "No open deadline moves.")}, nil
	}
	note := Romanian.pick("zi liberă adăugată %s (%s)", "", day, reason)
	if removed {
		note = Romanian.pick("zi liberă ștearsă %s", "", day)
	}
	changed, err := c.e.store.Change(c.Ctx, nums, "dayoff", note, c.meta(), func(items []*storage.Item) error {
		for _, x := range items {
			setDeadline(x, c.recompute(*x))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lines := []string{c.T("Termene mutate: %d", "Deadlines moved: %d", len(changed))}
	for _, x := range changed {
		lines = append(lines, "• "+x.Number.String()+" → "+c.deadlineText(x.Deadline, x.DeadlineTime, false)+" · "+text.Truncate(x.Subject, 50))
	}
	return lines, nil
}

// movesWith reports whether an item's deadline moves with the day off: a
// counted one on the added day, or one that comes back onto a removed day.
func (c *Call) movesWith(it storage.Item, dl calendar.Deadline, day calendar.Date, removed bool) bool {
	if dl.Fixed || dl.None || dl.Due.ISO() == it.Deadline {
		return false
	}
	if removed {
		return dl.Due == day
	}
	return it.Deadline == day.ISO()
}

func (c *Call) listDaysOff(year int) Reply {
	r := Reply{Title: c.T("Zile libere în %d", "Days off in %d", year)}
	for _, h := range c.e.Calendar().Holidays(year) {
		line := h.Date.String() + " " + calendar.WeekdayName(h.Date.Weekday(), c.Lang == English) + " · " + h.Name
		if h.Extra {
			line += c.T(" (adăugată)", " (added)")
		}
		r.Lines = append(r.Lines, line)
	}
	return r
}
