package commands

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/docx"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/cluj-napoca/cabinetbot/templates"
)

// Notes of information (nota-informare) and referate for the Mayor, written
// from replaceable DOCX templates like the draft replies (ciorna): the
// configured file is read at each use and checked at start; `… sablon` hands
// out the current one.

// docTemplate is one replaceable document template.
type docTemplate struct {
	file    string // the file name handed out by `… sablon`
	env     string // the environment variable naming a replacement
	builtin []byte
	fields  []string
}

// imagesMarker is what the {{grafice}} placeholder is filled with before the
// charts take its paragraph.
const imagesMarker = "CABINETBOT-GRAFICE-PLACE"

var (
	noteTemplate = docTemplate{file: "sablon-nota-informare.docx", env: "CABINET_NOTE_TEMPLATE", builtin: templates.NoteDOCX,
		fields: []string{"numar", "data", "titlu", "continut", "cifre", "grafice", "intocmit"}}
	referatTemplate = docTemplate{file: "sablon-referat.docx", env: "CABINET_REFERAT_TEMPLATE", builtin: templates.ReferatDOCX,
		fields: []string{"numar", "data", "data_inregistrarii", "subiect", "expeditor", "categorie", "departament", "termen", "istoric", "intocmit"}}
)

// read returns the template: the file at path (read at each use) or the
// built-in one.
func (d docTemplate) read(path string) ([]byte, error) {
	if path == "" {
		return d.builtin, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", path, err)
	}
	return b, nil
}

// check refuses, at start, a template that is not a Word document or uses
// placeholders nobody fills.
func (d docTemplate) check(path string) error {
	tpl, err := d.read(path)
	if err != nil {
		return err
	}
	names, err := docx.Placeholders(tpl)
	if err != nil {
		return fmt.Errorf("%s template %s: %w", d.env, path, err)
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(d.fields, n) {
			unknown = append(unknown, "{{"+n+"}}")
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%s template %s: unknown placeholders %s (known: %s)", d.env, path, strings.Join(unknown, ", "), strings.Join(d.fields, ", "))
	}
	return nil
}

func (c *Call) templateReply(d docTemplate, path, ro, en string) (Reply, error) {
	if !c.Caller.isStaff() {
		return Reply{}, c.Fail("Șabloanele le văd doar Cabinetul și administratorii.", "Only the Cabinet and admins get the templates.")
	}
	tpl, err := d.read(path)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T(ro, en), Files: []File{{Name: d.file, MIME: mimeDOCX, Data: tpl}},
		Lines: []string{c.T("Câmpuri: %s.", "Fields: %s.", "{{"+strings.Join(d.fields, "}}, {{")+"}}"),
			c.T("Modificat, se pune pe server și se indică în %s.", "Once edited, put it on the server and name it in %s.", d.env)}}, nil
}

func noteCommands() []*Command {
	return []*Command{
		{Name: "nota-informare", Aliases: []string{"briefing-note", "notă-informare", "nota informare"}, Roles: staff, Group: groupReports,
			Usage:     "N/YYYY | departament=DEPARTAMENT [PERIOADĂ] | PERIOADĂ | sablon",
			UsageEn:   "N/YYYY | department=DEPARTMENT [PERIOD] | PERIOD | template",
			Summary:   "scrie o notă de informare pentru primar (DOCX): o înregistrare cu istoricul ei, sau cifrele unei perioade (ale unui departament sau ale registrului) cu graficele",
			SummaryEn: "writes a note of information for the Mayor (DOCX): an item with its history, or a period's figures (a department's or the register's) with the charts",
			Examples:  []string{"nota-informare 12/2026", "nota-informare departament=DT luna", "nota-informare 01.11.2026-30.11.2026", "nota-informare sablon"},
			Keys:      []Key{{"departament", "department"}}, Run: runNoteDoc},
		{Name: "referat", Aliases: []string{"report-draft"}, Roles: staff, Group: groupReports,
			Usage: "N/YYYY | sablon", UsageEn: "N/YYYY | template",
			Summary:   "scrie ciorna unui referat (DOCX) pentru o înregistrare, cu istoricul ei",
			SummaryEn: "writes a referat draft (DOCX) for an item, with its history",
			Examples:  []string{"referat 12/2026", "referat sablon"}, Run: runReferat},
	}
}

func isTemplateWord(args []string) bool {
	if len(args) != 1 {
		return false
	}
	w := text.Fold(args[0])
	return w == "sablon" || w == "template"
}

func docName(prefix, what string) string {
	return prefix + "-" + strings.NewReplacer("/", "-", " ", "-", ".", "-").Replace(what) + ".docx"
}

func (c *Call) drafter() string {
	if c.Caller.Name != "" {
		return c.Caller.Name
	}
	return c.Caller.Key()
}

func runNoteDoc(c *Call) (Reply, error) {
	if isTemplateWord(c.Args) {
		return c.templateReply(noteTemplate, c.e.noteTpl, "Șablonul notelor de informare", "The note of information template")
	}
	tpl, err := noteTemplate.read(c.e.noteTpl)
	if err != nil {
		return Reply{}, err
	}
	_, byDept := c.Key("departament")
	if len(c.Args) > 0 && !byDept {
		if _, ok := ParseNumber(c.Args[0], c.e.Now().Year()); ok {
			return c.itemNote(tpl)
		}
	}
	p, err := c.reportPeriod()
	if err != nil {
		return Reply{}, err
	}
	f, err := c.reportFilter()
	if err != nil {
		return Reply{}, err
	}
	what := c.label(p) + c.filterSuffix(f)
	rep, err := c.reportReply(p, f, false, what)
	if err != nil {
		return Reply{}, err
	}
	var figures []string
	for _, fl := range rep.Fields {
		figures = append(figures, fl.Label+": "+fl.Value)
	}
	var pngs [][]byte
	for _, file := range rep.Files {
		if file.MIME == "image/png" || strings.HasSuffix(file.Name, ".png") {
			pngs = append(pngs, file.Data)
		}
	}
	scope := "întregul registru"
	if f.Dept != "" {
		scope = c.deptLabel(f.Dept)
	}
	number := calendar.DateOf(c.e.Now()).String()
	values := map[string]string{"numar": "—", "data": number, "titlu": "privind activitatea de registratură — " + scope + ", " + c.label(p),
		"continut": strings.Join(rep.Lines, "\n"), "cifre": strings.Join(figures, "\n"), "grafice": imagesMarker, "intocmit": c.drafter()}
	out, err := c.fillDoc(tpl, values, pngs)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Notă de informare: %s", "Note of information: %s", what), Fields: rep.Fields,
		Files: []File{{Name: docName("nota-informare", strings.TrimSpace(f.Dept+" "+c.label(p))), MIME: mimeDOCX, Data: out}}}, nil
}

// fillDoc fills a template and puts the images in the {{grafice}} place.
func (c *Call) fillDoc(tpl []byte, values map[string]string, pngs [][]byte) ([]byte, error) {
	out, _, err := docx.Fill(tpl, values)
	if err != nil {
		return nil, err
	}
	if values["grafice"] == imagesMarker {
		if out, err = docx.Images(out, imagesMarker, pngs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Call) itemNote(tpl []byte) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	hist, err := c.itemHistory(it)
	if err != nil {
		return Reply{}, err
	}
	card := c.card("", it)
	var lines []string
	for _, f := range card.Fields {
		lines = append(lines, f.Label+": "+f.Value)
	}
	values := map[string]string{"numar": it.Number.String(), "data": calendar.DateOf(c.e.Now()).String(),
		"titlu":    fmt.Sprintf("privind înregistrarea nr. %s — %s", it.Number, it.Subject),
		"continut": strings.Join(lines, "\n"), "cifre": strings.Join(hist, "\n"), "grafice": imagesMarker, "intocmit": c.drafter()}
	out, err := c.fillDoc(tpl, values, nil)
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Notă de informare privind %s", "Note of information on %s", it.Number), it)
	r.Actions = nil
	r.Files = []File{{Name: docName("nota-informare", it.Number.String()), MIME: mimeDOCX, Data: out}}
	return r, nil
}

// itemHistory writes an item's audit trail, one line a step.
func (c *Call) itemHistory(it storage.Item) ([]string, error) {
	entries, err := c.e.store.History(storage.KindItem, it.Number.String())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		who := e.Who
		if p, err := c.e.store.Person(e.Who); err == nil && p.Name != "" {
			who = p.Name
		}
		line := fmt.Sprintf("%s — %s (%s)", e.At.In(calendar.Bucharest).Format("02.01.2006 15:04"), historyAction(e), who)
		if e.Note != "" {
			line += ": " + e.Note
		}
		out = append(out, line)
	}
	return out, nil
}

func historyAction(e storage.AuditEntry) string {
	if n, ok := actionNames[e.Action]; ok {
		return n[0]
	}
	return strings.TrimPrefix(strings.ReplaceAll(e.Action, "-", " "), " ")
}

func runReferat(c *Call) (Reply, error) {
	if isTemplateWord(c.Args) {
		return c.templateReply(referatTemplate, c.e.referatTpl, "Șablonul referatelor", "The referat template")
	}
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	tpl, err := referatTemplate.read(c.e.referatTpl)
	if err != nil {
		return Reply{}, err
	}
	hist, err := c.itemHistory(it)
	if err != nil {
		return Reply{}, err
	}
	catRo, _ := calendar.Category(it.Category).Names()
	dept := c.holder(it.Dept, c.deptNames())
	values := map[string]string{"numar": it.Number.String(), "data": calendar.DateOf(c.e.Now()).String(),
		"data_inregistrarii": calendar.DateOf(it.Registered).String(), "subiect": it.Subject, "expeditor": it.Sender,
		"categorie": catRo, "departament": dept, "termen": roDeadline(it), "istoric": strings.Join(hist, "\n"), "intocmit": c.drafter()}
	out, err := c.fillDoc(tpl, values, nil)
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Referat pentru %s", "Referat for %s", it.Number), it)
	r.Actions = nil
	r.Files = []File{{Name: docName("referat", it.Number.String()), MIME: mimeDOCX, Data: out}}
	return r, nil
}
