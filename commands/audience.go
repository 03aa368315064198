package commands

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Citizens' audiences: a day of slots is an agenda event "Audiențe"
// (audiente deschide); a request is a registration of category audienta with
// a scheduling target (not a legal term) as its deadline; it is put in a free
// slot, moved, cancelled, and its outcome recorded, with a follow-up
// registration assigned to a department when one is needed.

// DefaultAudienceDays is the default target for scheduling an audience.
const DefaultAudienceDays = 30

const audienceTitle = "Audiențe"

func audienceCommands() []*Command {
	return []*Command{
		{Name: "audiente deschide", Aliases: []string{"audiences open", "audiențe deschide"}, Roles: staff, Group: groupAgenda,
			Usage:     `DD.MM.YYYY HH:MM-HH:MM [durata=15] [loc="..."]`,
			UsageEn:   `DD.MM.YYYY HH:MM-HH:MM [length=15] [place="..."]`,
			Summary:   "deschide o zi de audiențe: un eveniment „Audiențe” în agendă, împărțit în intervale",
			SummaryEn: "opens a day of audiences: an agenda event “Audiențe” split into slots",
			Examples:  []string{`audiente deschide 02.12.2026 09:00-12:00 durata=20 loc="Sala 12"`, "audiences open 02.12.2026 09:00-11:00"},
			Keys:      []Key{{"durata", "length"}, {"loc", "place"}}, Run: runAudienceOpen},
		{Name: "audiente", Aliases: []string{"audiences", "audiențe"}, Roles: []Role{RoleAdmin, RoleCabinet, RoleMayor}, Group: groupAgenda,
			Usage: "[DD.MM.YYYY]", UsageEn: "[DD.MM.YYYY]",
			Summary:   "intervalele de audiență ale unei zile și cine vine în fiecare",
			SummaryEn: "a day's audience slots and who comes in each",
			Examples:  []string{"audiente 02.12.2026", "audiences tomorrow"}, Run: runAudienceDay},
		{Name: "audienta cere", Aliases: []string{"audience request", "audiență cere"}, Roles: staff, Group: groupAgenda,
			Usage:     `de="..." subiect="..." [telefon=...] [email=...] [canal=ghiseu|posta|email|online|telefon]`,
			UsageEn:   `from="..." subject="..." [phone=...] [email=...] [channel=...]`,
			Summary:   "înregistrează o cerere de audiență (categoria audienta, cu termen de programare)",
			SummaryEn: "registers an audience request (category audienta, with a scheduling target)",
			Examples:  []string{`audienta cere de="Ion Pop" subiect="Autorizație de construire" telefon=0740123456`},
			Keys:      []Key{{"de", "from"}, {"subiect", "subject"}, {"telefon", "phone"}, {"email", "email"}, {"canal", "channel"}}, Run: runAudienceRequest},
		{Name: "audienta programeaza", Aliases: []string{"audience schedule", "audiență programează"}, Roles: staff, Group: groupAgenda,
			Usage: "N/YYYY DD.MM.YYYY HH:MM", UsageEn: "N/YYYY DD.MM.YYYY HH:MM",
			Summary:   "pune o cerere de audiență într-un interval liber (unul ocupat se refuză, cu următoarele libere)",
			SummaryEn: "puts an audience request in a free slot (a taken one is refused, with the next free ones)",
			Examples:  []string{"audienta programeaza 12/2026 02.12.2026 09:20"}, TakesItem: true, Run: runAudienceSchedule},
		{Name: "audienta muta", Aliases: []string{"audience move", "audiență mută"}, Roles: staff, Group: groupAgenda,
			Usage: "N/YYYY DD.MM.YYYY HH:MM", UsageEn: "N/YYYY DD.MM.YYYY HH:MM",
			Summary: "mută o audiență în alt interval liber", SummaryEn: "moves an audience to another free slot",
			Examples: []string{"audienta muta 12/2026 09.12.2026 10:00"}, TakesItem: true, Run: runAudienceSchedule},
		{Name: "audienta anuleaza", Aliases: []string{"audience cancel", "audiență anulează"}, Roles: staff, Group: groupAgenda,
			Usage: "N/YYYY", UsageEn: "N/YYYY",
			Summary: "anulează programarea unei audiențe (intervalul se eliberează)", SummaryEn: "cancels an audience's appointment (the slot is freed)",
			Examples: []string{"audienta anuleaza 12/2026"}, TakesItem: true, Run: runAudienceCancel},
		{Name: "audienta rezultat", Aliases: []string{"audience outcome", "audiență rezultat"}, Roles: staff, Group: groupAgenda,
			Usage:     `N/YYYY "..." [repartizeaza=DEPARTAMENT] [termen=DD.MM.YYYY]`,
			UsageEn:   `N/YYYY "..." [assign=DEPARTMENT] [deadline=DD.MM.YYYY]`,
			Summary:   "consemnează rezultatul audienței; cu un departament, înregistrează urmarea și i-o repartizează",
			SummaryEn: "records the audience's outcome; with a department, registers the follow-up and assigns it",
			Examples:  []string{`audienta rezultat 12/2026 "Se verifică pe teren" repartizeaza=DT termen=15.12.2026`},
			Keys:      []Key{{"repartizeaza", "assign"}, {"termen", "deadline"}}, TakesItem: true, Run: runAudienceOutcome},
	}
}

func runAudienceOpen(c *Call) (Reply, error) {
	example := c.T(`Exemplu: audiente deschide 02.12.2026 09:00-12:00 durata=15 loc="Sala 12"`, `Example: audiences open 02.12.2026 09:00-12:00 length=15`)
	if len(c.Args) < 2 {
		return Reply{}, c.Fail("Dați ziua și intervalul orar. %s", "Give the day and the hours. %s", example)
	}
	day, err := c.date(c.Args[0])
	if err != nil {
		return Reply{}, err
	}
	from, to, hasEnd, ok := clockRange(c.Args[1])
	if !ok || !hasEnd || to <= from {
		return Reply{}, c.Fail("„%s” nu este un interval orar. %s", "“%s” is not a span of hours. %s", c.Args[1], example)
	}
	length := 15
	if v, ok := c.Key("durata"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 120 {
			return Reply{}, c.Fail("Durata unei audiențe este în minute, între 5 și 120, nu „%s”. %s", "An audience's length is in minutes, 5 to 120, not “%s”. %s", v, example)
		}
		length = n
	}
	if (to-from)/length < 1 {
		return Reply{}, c.Fail("Intervalul nu cuprinde nicio audiență de %d minute. %s", "The span holds no audience of %d minutes. %s", length, example)
	}
	start, _ := wallInstant(day, from)
	end, _ := wallInstant(day, to)
	place, _ := c.Key("loc")
	ev := storage.AgendaEvent{Start: start, End: end, Title: audienceTitle, Place: place, Status: storage.AgendaConfirmed,
		AudienceSlot: length, Created: c.e.Now(), CreatedBy: c.Caller.Key()}
	saved, _, err := c.e.store.AddAgendaEvent(c.Ctx, ev, c.meta())
	if err != nil {
		return Reply{}, err
	}
	n := (to - from) / length
	return Reply{Title: c.T("Audiențe deschise #%d: %s, %s–%s", "Audiences opened #%d: %s, %s–%s", saved.ID, day, hhmm(from), hhmm(to)),
		Lines: []string{c.T("%d intervale de %d minute.", "%d slots of %d minutes.", n, length)}}, nil
}

// audienceDaysOn returns the audience days of day (agenda events with slots).
func (e *Engine) audienceDaysOn(day calendar.Date) ([]storage.AgendaEvent, error) {
	from, to := dayRange(day, day)
	evs, err := e.store.AgendaBetween(from, to)
	if err != nil {
		return nil, err
	}
	var out []storage.AgendaEvent
	for _, ev := range evs {
		if ev.AudienceSlot > 0 && ev.Status != storage.AgendaCancelled {
			out = append(out, ev)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

func slotsOf(ev storage.AgendaEvent) []time.Time {
	var out []time.Time
	step := time.Duration(ev.AudienceSlot) * time.Minute
	for t := ev.Start; !t.Add(step).After(ev.End); t = t.Add(step) {
		out = append(out, t)
	}
	return out
}

func runAudienceDay(c *Call) (Reply, error) {
	day := calendar.DateOf(c.e.Now())
	if len(c.Args) > 0 {
		d, err := c.date(strings.Join(c.Args, " "))
		if err != nil {
			return Reply{}, err
		}
		day = d
	}
	evs, err := c.e.audienceDaysOn(day)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Audiențe — %s %s", "Audiences — %s %s", weekdayName(day, c.Lang), day)}
	if len(evs) == 0 {
		r.Lines = append(r.Lines, c.T("Nicio zi de audiențe deschisă; „audiente deschide %s 09:00-12:00”.", "No audience day is open; “audiences open %s 09:00-12:00”.", day))
		return r, nil
	}
	for _, ev := range evs {
		taken, err := c.e.store.AudienceSlots(ev.ID)
		if err != nil {
			return Reply{}, err
		}
		if ev.Place != "" {
			r.Lines = append(r.Lines, c.T("#%d · %s", "#%d · %s", ev.ID, ev.Place))
		}
		free := 0
		for _, s := range slotsOf(ev) {
			at := s.In(calendar.Bucharest).Format("15:04")
			n, ok := taken[s.Unix()]
			if !ok {
				free++
				r.Lines = append(r.Lines, fmt.Sprintf("%s — %s", at, c.T("liber", "free")))
				continue
			}
			it, err := c.e.store.Item(n)
			if err != nil {
				return Reply{}, err
			}
			r.Lines = append(r.Lines, fmt.Sprintf("%s — %s %s: %s", at, n, it.Sender, it.Subject))
		}
		r.Lines = append(r.Lines, c.countOf(free, text.IntervaleLibere, "free slot", "free slots")+".")
	}
	return r, nil
}

func runAudienceRequest(c *Call) (Reply, error) {
	example := c.T(`Exemplu: audienta cere de="Ion Pop" subiect="Autorizație de construire" telefon=0740123456`,
		`Example: audience request from="Ion Pop" subject="Building permit" phone=0740123456`)
	if len(c.Args) > 0 {
		return Reply{}, c.Fail("Argument neînțeles: „%s”. %s", "Argument not understood: “%s”. %s", c.Args[0], example)
	}
	from, _ := c.Key("de")
	subject, _ := c.Key("subiect")
	if strings.TrimSpace(from) == "" || strings.TrimSpace(subject) == "" {
		return Reply{}, c.Fail("Lipsesc cine cere audiența (de=) sau subiectul (subiect=). %s", "Who asks (from=) or the subject (subject=) is missing. %s", example)
	}
	now := c.e.Now()
	it := storage.Item{Registered: now, RegisteredBy: c.Caller.Key(), Status: storage.StatusRegistered, SenderType: "cetatean",
		Sender: strings.TrimSpace(from), Subject: strings.TrimSpace(subject), Category: storage.CategoryAudience, Channel: "ghiseu",
		Audience: &storage.Audience{}}
	var contact []string
	if v, ok := c.Key("telefon"); ok && v != "" {
		contact = append(contact, "tel. "+v)
	}
	if v, ok := c.Key("email"); ok && v != "" {
		contact = append(contact, v)
	}
	it.Contact = strings.Join(contact, ", ")
	if v, ok := c.Key("canal"); ok {
		ch, ok := choice(channelWords, v)
		if !ok {
			return Reply{}, c.Fail("Canal necunoscut: „%s”. Canale: %s.", "Unknown channel: “%s”. Channels: %s.", v, choiceList(channelWords))
		}
		it.Channel = ch
	}
	it.Deadline = calendar.DateOf(now).AddDays(c.e.audienceDays).ISO()
	saved, _, err := c.e.store.Register(c.Ctx, now.Year(), it, c.meta())
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Cerere de audiență înregistrată: %s", "Audience request registered: %s", saved.Number), saved)
	r.Lines = append(r.Lines, c.T("Termenul de programare (%s) este o țintă a Cabinetului, nu un termen legal.",
		"The scheduling target (%s) is the Cabinet's aim, not a legal term.", c.dayCount(c.e.audienceDays)))
	return r, nil
}

// audienceItem loads the request in the first argument.
func (c *Call) audienceItem() (storage.Item, error) {
	it, err := c.item(0)
	if err != nil {
		return it, err
	}
	if it.Category != storage.CategoryAudience {
		return it, c.Fail("%s nu este o cerere de audiență (categoria ei: %s).", "%s is not an audience request (its category: %s).", it.Number, it.Category)
	}
	return it, nil
}

func runAudienceSchedule(c *Call) (Reply, error) {
	it, err := c.audienceItem()
	if err != nil {
		return Reply{}, err
	}
	if !it.Status.Open() {
		return Reply{}, c.closedError(it)
	}
	if len(c.Args) < 3 {
		return Reply{}, c.Fail("Dați ziua și ora: audienta programeaza %s 02.12.2026 09:20.", "Give the day and the time: audience schedule %s 02.12.2026 09:20.", it.Number)
	}
	day, err := c.date(c.Args[1])
	if err != nil {
		return Reply{}, err
	}
	mins, _, hasEnd, ok := clockRange(c.Args[2])
	if !ok || hasEnd {
		return Reply{}, c.Fail("„%s” nu este o oră; scrieți 09:20.", "“%s” is not a time; write 09:20.", c.Args[2])
	}
	slot, _ := wallInstant(day, mins)
	evs, err := c.e.audienceDaysOn(day)
	if err != nil {
		return Reply{}, err
	}
	var ev *storage.AgendaEvent
	for i := range evs {
		for _, s := range slotsOf(evs[i]) {
			if s.Equal(slot) {
				ev = &evs[i]
			}
		}
	}
	if ev == nil {
		free, err := c.freeSlots(evs, time.Time{}, 5)
		if err != nil {
			return Reply{}, err
		}
		if len(free) == 0 {
			return Reply{}, c.Fail("Nu este un interval de audiență în %s; nicio zi de audiențe deschisă atunci („audiente deschide”).",
				"There is no audience slot on %s; no audience day is open then (“audiences open”).", day)
		}
		return Reply{}, c.Fail("%s %s nu este începutul unui interval de audiență. Libere: %s.", "%s %s does not start an audience slot. Free: %s.",
			day, c.Args[2], strings.Join(free, ", "))
	}
	action := "audience-schedule"
	if it.Audience != nil && it.Audience.Event != 0 {
		action = "audience-move"
	}
	saved, err := c.e.store.SetAudienceSlot(c.Ctx, it.Number, ev.ID, slot, action, "", c.meta(), func(x *storage.Item) error {
		x.Audience.Cancelled = false
		return nil
	})
	var taken *storage.SlotTakenError
	if errors.As(err, &taken) {
		free, ferr := c.freeSlots(evs, slot, 3)
		if ferr != nil {
			return Reply{}, ferr
		}
		next := c.T("niciun interval liber după el în ziua aceasta", "no free slot after it that day")
		if len(free) > 0 {
			next = c.T("următoarele libere: %s", "the next free ones: %s", strings.Join(free, ", "))
		}
		return Reply{}, c.Fail("Intervalul %s %s este ocupat (%s); %s.", "The slot %s %s is taken (%s); %s.", day, c.Args[2], taken.By, next)
	}
	if err != nil {
		return Reply{}, err
	}
	title := c.T("Audiență programată: %s", "Audience scheduled: %s", it.Number)
	if action == "audience-move" {
		title = c.T("Audiență mutată: %s", "Audience moved: %s", it.Number)
	}
	return c.card(title, saved), nil
}

// freeSlots lists up to n free slots of the days' events after from.
func (c *Call) freeSlots(evs []storage.AgendaEvent, from time.Time, n int) ([]string, error) {
	var out []string
	for _, ev := range evs {
		taken, err := c.e.store.AudienceSlots(ev.ID)
		if err != nil {
			return nil, err
		}
		for _, s := range slotsOf(ev) {
			if _, ok := taken[s.Unix()]; !ok && s.After(from) && len(out) < n {
				out = append(out, s.In(calendar.Bucharest).Format("15:04"))
			}
		}
	}
	return out, nil
}

func runAudienceCancel(c *Call) (Reply, error) {
	it, err := c.audienceItem()
	if err != nil {
		return Reply{}, err
	}
	if it.Audience == nil || it.Audience.Event == 0 {
		return Reply{}, c.Fail("%s nu este programată.", "%s is not scheduled.", it.Number)
	}
	saved, err := c.e.store.SetAudienceSlot(c.Ctx, it.Number, 0, time.Time{}, "audience-cancel", "", c.meta(), func(x *storage.Item) error {
		x.Audience.Cancelled = true
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	return c.card(c.T("Audiență anulată: %s (intervalul s-a eliberat)", "Audience cancelled: %s (the slot is free)", it.Number), saved), nil
}

func runAudienceOutcome(c *Call) (Reply, error) {
	it, err := c.audienceItem()
	if err != nil {
		return Reply{}, err
	}
	example := c.T(`Exemplu: audienta rezultat %s "Se verifică pe teren" repartizeaza=DT termen=15.12.2026`,
		`Example: audience outcome %s "To be checked on site" assign=DT deadline=15.12.2026`, it.Number)
	if len(c.Args) < 2 || strings.TrimSpace(strings.Join(c.Args[1:], " ")) == "" {
		return Reply{}, c.Fail("Spuneți rezultatul audienței, între ghilimele. %s", "Say the audience's outcome, in quotes. %s", example)
	}
	if it.Audience == nil || it.Audience.Event == 0 {
		return Reply{}, c.Fail("%s nu a fost programată; programați-o întâi („audienta programeaza”).", "%s was not scheduled; schedule it first (“audience schedule”).", it.Number)
	}
	if it.Audience.Held {
		return Reply{}, c.Fail("Rezultatul audienței %s este deja consemnat.", "The outcome of %s is already recorded.", it.Number)
	}
	if slot := it.Audience.Slot; !slot.IsZero() && c.e.Now().Before(slot) {
		return Reply{}, c.Fail("Audiența %s este programată pe %s: rezultatul se consemnează după ce are loc.",
			"The audience %s is scheduled for %s: its outcome is recorded once it took place.", it.Number, slot.In(calendar.Bucharest).Format("02.01.2006 15:04"))
	}
	outcome := strings.TrimSpace(strings.Join(c.Args[1:], " "))
	now := c.e.Now()
	var follow storage.Item
	if v, ok := c.Key("repartizeaza"); ok {
		d, err := c.openDepartment(v)
		if err != nil {
			return Reply{}, err
		}
		deadline := calendar.DateOf(now).AddDays(c.e.rules.DefaultDays)
		if t, ok := c.Key("termen"); ok {
			if deadline, err = c.date(t); err != nil {
				return Reply{}, err
			}
		}
		follow = storage.Item{Registered: now, RegisteredBy: c.Caller.Key(), Channel: it.Channel, Sender: it.Sender, SenderType: it.SenderType,
			Contact: it.Contact, Subject: c.T("Urmare audiență %s: %s", "Audience follow-up %s: %s", it.Number, outcome), Category: string(calendar.Petition),
			Dept: d.Code, Status: storage.StatusAssigned, AssignedAt: now, Deadline: deadline.ISO()}
	} else if _, ok := c.Key("termen"); ok {
		return Reply{}, c.Fail("„termen” se dă cu „repartizeaza”. %s", "“deadline” goes with “assign”. %s", example)
	}
	m := c.owe(func(made storage.Made) []Notice {
		if len(made.Items) < 2 {
			return nil
		}
		return c.assignNotices(made.Items[1])
	})
	req, saved, err := c.e.store.RegisterFollowUp(c.Ctx, now.Year(), it.Number, follow, m, func(x *storage.Item) error {
		x.Audience.Held, x.Audience.Outcome = true, outcome
		x.Status, x.ClosedAt, x.AnswerDate = storage.StatusResolved, now, now.Format("2006-01-02")
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Rezultatul audienței %s consemnat", "Outcome of %s recorded", it.Number), req)
	if saved.Number.Seq != 0 {
		r.Lines = append(r.Lines, c.T("Urmarea: %s, repartizată la %s, termen %s.", "Follow-up: %s, assigned to %s, due %s.",
			saved.Number, saved.Dept, isoToDate(saved.Deadline)))
	}
	return r, nil
}

// audienceFields add an audience's appointment and outcome to its card.
func (c *Call) audienceFields(r *Reply, it storage.Item) {
	a := it.Audience
	if a == nil {
		return
	}
	add := func(ro, en, v string) { r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: v}) }
	if !a.Of.IsZero() {
		add("Urmare a audienței", "Follow-up of the audience", a.Of.String())
		return
	}
	switch {
	case a.Event != 0:
		add("Audiență", "Audience", fmt.Sprintf("%s (#%d)", a.Slot.In(calendar.Bucharest).Format("02.01.2006 15:04"), a.Event))
	case a.Cancelled:
		add("Audiență", "Audience", c.T("anulată", "cancelled"))
	default:
		add("Audiență", "Audience", c.T("neprogramată (termenul de programare nu este un termen legal)", "not scheduled (the scheduling target is not a legal term)"))
	}
	if a.Held {
		add("Rezultat", "Outcome", a.Outcome)
	}
	if !a.FollowUp.IsZero() {
		add("Urmare", "Follow-up", a.FollowUp.String())
	}
}

// audienceFigures counts, for raport, the audience requests registered in
// the period: asked, held, with a follow-up, follow-ups resolved.
func (c *Call) audienceFigures(from, to calendar.Date) (string, error) {
	items, _, err := c.e.store.Find(storage.Query{From: from.ISO(), To: to.ISO(), Limit: 1 << 20})
	if err != nil {
		return "", err
	}
	var asked, held, followed, resolved int
	for _, it := range items {
		if it.Category != storage.CategoryAudience {
			continue
		}
		asked++
		if it.Audience == nil {
			continue
		}
		if it.Audience.Held {
			held++
		}
		if !it.Audience.FollowUp.IsZero() {
			followed++
			if f, err := c.e.store.Item(it.Audience.FollowUp); err == nil && !f.Status.Open() {
				resolved++
			}
		}
	}
	if asked == 0 {
		return "", nil
	}
	return c.T("%d cerute · %d ținute · %d cu urmări · %d urmări rezolvate",
		"%d asked · %d held · %d with follow-ups · %d follow-ups resolved", asked, held, followed, resolved), nil
}

// audienceLines list under a day of audiences, for the Cabinet and the
// Mayor, who comes when and why.
func (c *Call) audienceLines(r *Reply, o occurrence) error {
	if o.Ev.AudienceSlot == 0 || o.cancelled() || !(c.Caller.isStaff() || c.Caller.Role == RoleMayor) {
		return nil
	}
	taken, err := c.e.store.AudienceSlots(o.Ev.ID)
	if err != nil {
		return err
	}
	for _, s := range slotsOf(*o.Ev) {
		n, ok := taken[s.Unix()]
		if !ok {
			continue
		}
		it, err := c.e.store.Item(n)
		if err != nil {
			return err
		}
		r.Lines = append(r.Lines, fmt.Sprintf("    %s %s — %s", s.In(calendar.Bucharest).Format("15:04"), it.Sender, it.Subject))
	}
	return nil
}
