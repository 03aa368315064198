package commands

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/charts"
	"github.com/cluj-napoca/cabinetbot/commands/stats"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func reportCommands() []*Command {
	return []*Command{
		{Name: "raport", Aliases: []string{"report"}, Roles: readers, Group: groupReports,
			Usage:     "[azi|saptamana|luna|an|LL.AAAA|DD.MM.YYYY-DD.MM.YYYY] [scurt|complet] [departament=...] [categorie=...]",
			UsageEn:   "[today|week|month|year|MM.YYYY|DD.MM.YYYY-DD.MM.YYYY] [short|full] [department=...] [category=...]",
			Summary:   "cifrele unei perioade: înregistrate, rezolvate (la termen), deschise, restante, pe departamente, categorii și expeditori, cu grafice",
			SummaryEn: "the figures of a period: registered, resolved (on time), open, overdue, by department, category and sender, with charts",
			Examples:  []string{"raport luna", "raport an departament=DT", "raport 01.11.2026-25.11.2026 categorie=petitie", "report week"},
			Keys:      []Key{{"departament", "department"}, {"categorie", "category"}}, Run: runReport},
		{Name: "sinteza", Aliases: []string{"summary", "sinteză"}, Roles: readers, Group: groupReports,
			Usage: "[DEPARTAMENT]", UsageEn: "[DEPARTMENT]",
			Summary: "pe un ecran: ce e restant, unde și de când", SummaryEn: "on one screen: what is late, where, and since when",
			Examples: []string{"sinteza", "sinteza DT", "summary"}, Run: runSummary},
		{Name: "exporta", Aliases: []string{"export", "exportă"}, Roles: readers, Group: groupReports,
			Usage:   "[PERIOADA] [format=xlsx|csv] [departament=...] [categorie=...]",
			UsageEn: "[PERIOD] [format=xlsx|csv] [department=...] [category=...]",
			Summary: "registrul unei perioade ca foaie de calcul (XLSX) sau CSV", SummaryEn: "the register of a period as a spreadsheet (XLSX) or CSV",
			Examples: []string{"exporta luna", "exporta 01.11.2026-25.11.2026 format=csv", "export year department=DT"},
			Keys:     []Key{{"format", "format"}, {"departament", "department"}, {"categorie", "category"}}, Run: runExport},
		{Name: "ciorna", Aliases: []string{"draft", "ciornă"}, Roles: resolvers, Group: groupReports,
			Usage: "N/YYYY | sablon", UsageEn: "N/YYYY | template",
			Summary: "ciorna răspunsului la o înregistrare, ca document Word (DOCX); „ciorna sablon” dă șablonul", SummaryEn: "a draft reply to a registration, as a Word document (DOCX); “draft template” gives the template",
			Examples: []string{"ciorna 12/2026", "ciorna sablon", "draft 12/2026"}, Run: runDraft, TakesItem: true},
	}
}

// reportFilter reads departament= and categorie=.
func (c *Call) reportFilter() (stats.Filter, error) {
	var f stats.Filter
	if v, ok := c.Key("departament"); ok {
		d, err := c.department(v)
		if err != nil {
			return f, err
		}
		f.Dept = d.Code
	}
	if v, ok := c.Key("categorie"); ok {
		w, ok := choice(categoryWords, v)
		if !ok {
			return f, c.Fail("Categorie necunoscută: „%s”. Categorii: %s.", "Unknown category: “%s”. Categories: %s.", v, choiceList(categoryWords))
		}
		f.Category = w
	}
	return f, nil
}

// collect counts the figures of a period: the items registered in it from
// their statistics records, and the answers given in it from the daily
// answer counts, the two reads side by side.
func (c *Call) collect(p span, f stats.Filter) (*stats.Report, error) {
	now := c.e.Now()
	from, to := p.days()
	b := stats.NewBuilder(from, to, f, dayOf(calendar.DateOf(now)), now.Hour()*60+now.Minute())
	var (
		wg        sync.WaitGroup
		errAnswer error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		errAnswer = c.e.store.AnswersBetween(p.from.ISO(), p.to.ISO(), func(a *storage.Answers) bool { b.AddAnswers(a); return true })
	}()
	errReg := c.e.store.StatsRegistered(p.from.ISO(), p.to.ISO(), func(st *storage.Stat) bool { b.AddRegistered(st); return true })
	wg.Wait()
	if errReg != nil {
		return nil, errReg
	}
	if errAnswer != nil {
		return nil, errAnswer
	}
	return b.Report(), nil
}

// reportGroupLimit is how many departments, categories or sender types a
// report lists before "and N more": it must fit a phone screen.
const reportGroupLimit = 6

// shortWords ask for the phone version of a report, fullWords for the whole.
var (
	shortWords = map[string]bool{"scurt": true, "short": true, "pe scurt": true}
	fullWords  = map[string]bool{"complet": true, "full": true, "detaliat": true, "detailed": true}
)

// reportLength reads a trailing "scurt" or "complet" off the arguments. The
// Mayor, who reads on the phone, gets the short version unless he asks for
// the whole; everyone else the whole unless they ask for the short one.
func (c *Call) reportLength() (short bool) {
	short = c.Caller.Role == RoleMayor
	if n := len(c.Args); n > 0 {
		switch w := text.Fold(c.Args[n-1]); {
		case shortWords[w]:
			short, c.Args = true, c.Args[:n-1]
		case fullWords[w]:
			short, c.Args = false, c.Args[:n-1]
		}
	}
	return short
}

// reportShortDepts is how many departments the short version names.
const reportShortDepts = 3

func runReport(c *Call) (Reply, error) {
	short := c.reportLength()
	p, err := c.reportPeriod()
	if err != nil {
		return Reply{}, err
	}
	f, err := c.reportFilter()
	if err != nil {
		return Reply{}, err
	}
	return c.reportReply(p, f, short, c.T("Raport %s", "Report %s", c.label(p))+c.filterSuffix(f))
}

// reportReply counts a period's figures and writes them: the short version
// for a phone, or the whole with its breakdowns; both with the charts.
func (c *Call) reportReply(p span, f stats.Filter, short bool, title string) (Reply, error) {
	rep, err := c.collect(p, f)
	if err != nil {
		return Reply{}, err
	}
	t := &rep.Total
	if t.Registered == 0 && rep.Answered == 0 {
		r := Reply{Title: title, Lines: []string{c.T("Nicio înregistrare în această perioadă.", "Nothing was registered in this period.")}}
		return r, c.deptTalkFields(&r, p, f)
	}
	r := Reply{Title: title}
	add := func(ro, en, v string) { r.Fields = append(r.Fields, Field{Label: c.T(ro, en), Value: v}) }
	add("Înregistrate", "Registered", c.num(t.Registered))
	add("Rezolvate", "Resolved", c.num(t.Resolved)+c.share(t.Resolved, t.Registered))
	if pct, ok := t.OnTimeShare(); ok {
		add("La termen", "On time", c.num(t.OnTime)+" ("+strconv.Itoa(pct)+"%)")
		add("Cu întârziere", "Late", c.num(t.Late))
	}
	if t.Refused > 0 {
		add("Refuzate (Legea 544/2001 art. 7(2))", "Refused (Law 544/2001 art. 7(2))", c.num(t.Refused))
	}
	add("Încă deschise", "Still open", c.num(t.Open))
	add("Restante acum", "Overdue now", c.num(t.Overdue)+c.since(t.OldestOverdue))
	if t.Filed+t.Forwarded+t.Joined > 0 {
		add("Închise altfel", "Closed otherwise", c.T("clasate %s · redirecționate %s · conexate %s", "filed %s · forwarded %s · joined %s",
			c.num(t.Filed), c.num(t.Forwarded), c.num(t.Joined)))
	}
	if med, ok := t.Percentile(50); ok {
		p90, _ := t.Percentile(90)
		add("Timp de rezolvare", "Time to resolution", c.T("mediana %s, 90%% în %s", "median %s, 90%% within %s", c.dayCount(med), c.dayCount(p90)))
	}
	add("Răspunsuri date în perioadă", "Answers given in the period", c.num(rep.Answered)+c.T(", %s la termen", ", %s on time", c.pct(rep.AnsweredOnTime, rep.Answered)))
	if err := c.deptTalkFields(&r, p, f); err != nil {
		return Reply{}, err
	}
	if f.Dept == "" {
		aud, err := c.audienceFigures(p.from, p.to)
		if err != nil {
			return Reply{}, err
		}
		if aud != "" {
			add("Audiențe", "Audiences", aud)
		}
	}

	names := c.deptNames()
	if short {
		if f.Dept == "" && t.Overdue > 0 {
			r.Lines = append(r.Lines, c.T("Cele mai multe restanțe:", "The most overdue:"))
			for _, k := range stats.ByOverdue(rep.ByDept)[:min(len(rep.ByDept), reportShortDepts)] {
				if g := rep.ByDept[k]; g.Overdue > 0 {
					r.Lines = append(r.Lines, "• "+c.deptLabel(k)+": "+c.num(g.Overdue)+c.since(g.OldestOverdue))
				}
			}
		}
		r.Lines = append(r.Lines, c.T("Pe departamente, categorii și expeditori: „raport … complet”.", "By department, category and sender: “report … full”."))
		r.Files = c.reportCharts(p, rep, names)
		return r, nil
	}
	if f.Dept == "" {
		r.Lines = append(r.Lines, c.T("Departamente, cele mai multe restanțe întâi:", "Departments, the most overdue first:"))
		r.Lines = append(r.Lines, c.groupLines(rep.ByDept, stats.ByOverdue(rep.ByDept), c.deptLabel, true)...)
	}
	if f.Category == "" {
		r.Lines = append(r.Lines, c.T("Pe categorii:", "By category:"))
		r.Lines = append(r.Lines, c.groupLines(rep.ByCategory, stats.ByRegistered(rep.ByCategory), c.Lang.category, false)...)
	}
	r.Lines = append(r.Lines, c.T("Pe tip de expeditor:", "By sender type:"))
	r.Lines = append(r.Lines, c.groupLines(rep.BySender, stats.ByRegistered(rep.BySender), func(s string) string { return c.Lang.name(senderTypeNames, s) }, false)...)
	r.Lines = append(r.Lines, c.T("La termen: data răspunsului ≤ termen. Conexatele se urmăresc prin înregistrarea la care au fost conexate și se rezolvă odată cu ea (OG 27/2002 art. 10(1)); refuzurile (Legea 544/2001 art. 7(2)) se numără aparte.",
		"On time: answer date ≤ deadline. Joined items are followed through the item they were joined to and resolved with it (OG 27/2002 art. 10(1)); refusals (Law 544/2001 art. 7(2)) are counted apart."),
		c.T("Termenul judecat este cel legal: o prelungire forțată de administrator după expirare nu îl mută.",
			"The deadline judged is the legal one: an extension an admin forced after expiry does not move it."))
	r.Files = c.reportCharts(p, rep, names)
	return r, nil
}

// filterSuffix names the filter in a title: " · DT · petiție".
func (c *Call) filterSuffix(f stats.Filter) string {
	s := ""
	if f.Dept != "" {
		s += " · " + f.Dept
	}
	if f.Category != "" {
		s += " · " + c.Lang.category(f.Category)
	}
	return s
}

func (c *Call) deptLabel(code string) string {
	if code == "" {
		return c.T("nerepartizate", "unassigned")
	}
	return code
}

// groupLines writes one line per group, at most reportGroupLimit.
func (c *Call) groupLines(m map[string]*stats.Counts, keys []string, name func(string) string, withTime bool) []string {
	var out []string
	for _, k := range keys[:min(len(keys), reportGroupLimit)] {
		g := m[k]
		line := "• " + name(k) + ": " + c.T("%s înreg. · %s rez.", "%s reg. · %s res.", c.num(g.Registered), c.num(g.Resolved))
		if pct, ok := g.OnTimeShare(); ok {
			line += c.T(" (%d%% la termen)", " (%d%% on time)", pct)
		}
		if g.Open > 0 {
			line += c.T(" · %s %s", " · %s open", c.num(g.Open), text.Agree(g.Open, text.Deschise))
		}
		if g.Overdue > 0 {
			line += c.T(" · %s %s%s", " · %s overdue%s", c.num(g.Overdue), text.Agree(g.Overdue, text.Restante), c.since(g.OldestOverdue))
		}
		if med, ok := g.Percentile(50); ok && withTime {
			line += c.T(" · mediana %s", " · median %s", c.dayCount(med))
		}
		out = append(out, line)
	}
	if len(keys) > reportGroupLimit {
		out = append(out, c.T("  … și încă %d", "  … and %d more", len(keys)-reportGroupLimit))
	}
	return out
}

// since writes " (din 12.10.2026)" for the oldest overdue deadline.
func (c *Call) since(oldest storage.Day) string {
	if oldest == 0 {
		return ""
	}
	return c.T(" (din %s)", " (since %s)", dateOfDay(oldest))
}

// num writes a count with thousands separated as the language does: 1.240
// in Romanian, 1,240 in English.
func (c *Call) num(n int) string {
	s := strconv.Itoa(n)
	sep := c.T(".", ",")
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// share writes " (85%)", the part of a whole, or nothing when the whole is 0.
func (c *Call) share(part, whole int) string {
	if whole == 0 {
		return ""
	}
	return " (" + c.pct(part, whole) + ")"
}

func (c *Call) pct(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return strconv.Itoa(part*100/whole) + "%"
}

// chartDepts is how many departments the bar chart shows.
const chartDepts = 12

// reportCharts draws the report's two charts: open and overdue items per
// department, and registered versus resolved per day, week or month. A chart
// that fails is logged and left out: the figures still go.
func (c *Call) reportCharts(p span, rep *stats.Report, names map[string]string) []File {
	var files []File
	base := "raport-" + p.from.ISO() + "_" + p.to.ISO()
	if rep.Total.Open > 0 {
		var labels []string
		open, overdue := charts.Series{Name: c.T("Deschise", "Open")}, charts.Series{Name: c.T("Restante", "Overdue"), Tone: charts.Alert}
		for _, k := range stats.ByOverdue(rep.ByDept) {
			g := rep.ByDept[k]
			if g.Open == 0 || len(labels) == chartDepts {
				continue
			}
			labels = append(labels, c.deptLabel(k))
			open.Values = append(open.Values, float64(g.Open))
			overdue.Values = append(overdue.Values, float64(g.Overdue))
		}
		title := c.T("Deschise și restante pe departamente", "Open and overdue by department")
		if rep.Filter.Dept != "" {
			title += " — " + c.holder(rep.Filter.Dept, names)
		}
		title += " · " + c.T("înregistrate %s", "registered %s", c.label(p))
		if png, err := charts.Bars(title, labels, []charts.Series{open, overdue}); err != nil {
			c.e.log.Error("draw the department chart", "err", err)
		} else {
			files = append(files, File{Name: base + "-departamente.png", MIME: "image/png", Data: png})
		}
	}
	s := rep.Series
	if len(s.Starts) > 1 { // one point is no evolution
		labels := make([]string, len(s.Starts))
		reg, res := charts.Series{Name: c.T("Înregistrate", "Registered")}, charts.Series{Name: c.T("Rezolvate", "Resolved"), Tone: charts.Good}
		for i, d := range s.Starts {
			date := dateOfDay(max(d, rep.From)) // the first week or month may start before the period
			labels[i] = date.Short()
			if s.Step == stats.ByMonth {
				labels[i] = fmt.Sprintf("%02d.%d", int(date.Month), date.Year)
			}
			reg.Values = append(reg.Values, float64(s.Registered[i]))
			res.Values = append(res.Values, float64(s.Resolved[i]))
		}
		step := map[stats.Step][2]string{stats.ByDay: {"pe zile", "by day"}, stats.ByWeek: {"pe săptămâni", "by week"}, stats.ByMonth: {"pe luni", "by month"}}[s.Step]
		title := c.T("Înregistrate și rezolvate %s", "Registered and resolved %s", c.T(step[0], step[1])) + " · " + c.label(p) + c.filterSuffix(rep.Filter)
		if png, err := charts.Lines(title, labels, []charts.Series{reg, res}); err != nil {
			c.e.log.Error("draw the registered/resolved chart", "err", err)
		} else {
			files = append(files, File{Name: base + "-evolutie.png", MIME: "image/png", Data: png})
		}
	}
	return files
}
