package commands

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/docx"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/cluj-napoca/cabinetbot/templates"
)

const mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// draftFields are the placeholders a draft template may use, with what they
// hold (the README lists them for admins who write their own template).
var draftFields = []string{
	"numar",              // our registration number: 12/2026
	"data",               // the date of the draft: 25.11.2026
	"data_inregistrarii", // the day of registration
	"nr_expeditor",       // the sender's own number and date, as registered
	"referinta",          // "adresa dumneavoastră nr. …, înregistrată la noi cu nr. … din …"
	"destinatar",         // the sender
	"adresa",             // the sender's contact details, for those who may see them
	"subiect",            //
	"categorie",          //
	"departament",        // the responsible department's name
	"termen",             // the deadline
	"intocmit",           // who drafted it
}

// draftTemplate reads the template: the configured file (read at each use,
// so an admin can replace it without a restart) or the built-in one.
func (e *Engine) draftTemplate() ([]byte, error) {
	if e.draft == "" {
		return templates.DraftDOCX, nil
	}
	b, err := os.ReadFile(e.draft)
	if err != nil {
		return nil, fmt.Errorf("draft template: %w", err)
	}
	return b, nil
}

// checkDraftTemplate refuses, at start, a template that is not a Word
// document or that uses placeholders nobody fills.
func (e *Engine) checkDraftTemplate() error {
	tpl, err := e.draftTemplate()
	if err != nil {
		return err
	}
	names, err := docx.Placeholders(tpl)
	if err != nil {
		return fmt.Errorf("draft template %s: %w", e.draft, err)
	}
	var unknown []string
	for _, n := range names {
		if !isDraftField(n) {
			unknown = append(unknown, "{{"+n+"}}")
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("draft template %s: unknown placeholders %s (known: %s)", e.draft, strings.Join(unknown, ", "), strings.Join(draftFields, ", "))
	}
	return nil
}

func isDraftField(name string) bool {
	for _, f := range draftFields {
		if f == name {
			return true
		}
	}
	return false
}

// runDraft writes a draft reply to an item from the template, or hands out
// the template itself ("ciorna sablon") for an admin to edit.
func runDraft(c *Call) (Reply, error) {
	if len(c.Args) == 1 {
		if w := text.Fold(c.Args[0]); w == "sablon" || w == "template" {
			return c.draftTemplateReply()
		}
	}
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	if !c.Caller.canResolve(it) {
		return Reply{}, c.Fail("Doar departamentul responsabil (%s) sau Cabinetul poate redacta răspunsul la %s.",
			"Only the responsible department (%s) or the Cabinet may draft the answer to %s.", c.holder(it.Dept, nil), it.Number)
	}
	tpl, err := c.e.draftTemplate()
	if err != nil {
		return Reply{}, err
	}
	joined, err := c.joinedTo(it)
	if err != nil {
		return Reply{}, err
	}
	out, unknown, err := docx.Fill(tpl, c.draftValues(it, joined))
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Ciorna răspunsului la %s", "Draft answer to %s", it.Number), it)
	r.Actions = nil
	r.Files = []File{{Name: "ciorna-" + strings.ReplaceAll(it.Number.String(), "/", "-") + ".docx", MIME: mimeDOCX, Data: out}}
	r.Lines = append(r.Lines, c.T("Completați textul răspunsului, apoi „rezolva %s raspuns=NR”.", "Write the answer's text, then “resolve %s answer=NO”.", it.Number))
	if len(joined) > 0 {
		r.Lines = append(r.Lines, c.T("Răspunsul privește și petițiile conexate %s: %s.", "The answer also covers the joined petitions %s: %s.",
			c.cite(calendar.RuleJoin), joinedList(joined)))
	}
	if !it.Status.Open() {
		r.Lines = append(r.Lines, c.T("Atenție: %s este deja închisă (%s).", "Note: %s is already closed (%s).", it.Number, c.status(it)))
	}
	if len(unknown) > 0 {
		r.Lines = append(r.Lines, c.T("Șablonul are câmpuri necunoscute, lăsate așa: %s.", "The template has unknown fields, left as they are: %s.", "{{"+strings.Join(unknown, "}}, {{")+"}}"))
	}
	return r, nil
}

func (c *Call) draftTemplateReply() (Reply, error) {
	if !c.Caller.isStaff() {
		return Reply{}, c.Fail("Șablonul ciornelor îl văd doar Cabinetul și administratorii.", "Only the Cabinet and admins get the draft template.")
	}
	tpl, err := c.e.draftTemplate()
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Title: c.T("Șablonul ciornelor de răspuns", "The draft reply template"), Files: []File{{Name: "sablon-ciorna.docx", MIME: mimeDOCX, Data: tpl}}}
	r.Lines = append(r.Lines, c.T("Câmpuri: %s.", "Fields: %s.", "{{"+strings.Join(draftFields, "}}, {{")+"}}"),
		c.T("Modificat, se pune pe server și se indică în CABINET_DRAFT_TEMPLATE.", "Once edited, put it on the server and name it in CABINET_DRAFT_TEMPLATE."))
	return r, nil
}

// draftValues are the placeholders' values for an item, in Romanian: the
// letter goes to a Romanian addressee whatever language the drafter uses.
func (c *Call) draftValues(it storage.Item, joined []storage.Item) map[string]string {
	regDay := calendar.DateOf(it.Registered)
	ref := "scrisoarea dumneavoastră"
	switch calendar.Category(it.Category) {
	case calendar.Petition:
		ref = "petiția dumneavoastră"
	case calendar.PublicInfo:
		ref = "cererea dumneavoastră de informații publice"
	case calendar.Press:
		ref = "solicitarea dumneavoastră"
	}
	if it.SenderRef != "" {
		ref = "adresa dumneavoastră nr. " + it.SenderRef
	}
	ref += fmt.Sprintf(", înregistrată la Primăria Municipiului Cluj-Napoca cu nr. %s din %s", it.Number, regDay)
	if len(joined) > 0 {
		ref += ", precum și petițiile conexate cu aceasta (OG 27/2002 art. 10(1)): " + joinedList(joined)
	}
	contact := ""
	if c.Caller.canSeeContact(it) {
		contact = it.Contact
	}
	dept := ""
	if it.Dept != "" {
		dept = it.Dept
		if d, err := c.e.store.Department(it.Dept); err == nil && d.Name != "" {
			dept = d.Name
		}
	}
	drafter := c.Caller.Name
	if drafter == "" {
		drafter = c.Caller.Key()
	}
	catRo, _ := calendar.Category(it.Category).Names()
	return map[string]string{
		"numar": it.Number.String(), "data": calendar.DateOf(c.e.Now()).String(), "data_inregistrarii": regDay.String(),
		"nr_expeditor": it.SenderRef, "referinta": ref, "destinatar": it.Sender, "adresa": contact,
		"subiect": it.Subject, "categorie": catRo, "departament": dept,
		"termen": roDeadline(it), "intocmit": drafter,
	}
}

// joinedList names joined items with their petitioners and dates:
// "15/2026 din 26.11.2026 (Ion Popescu), 17/2026 din 27.11.2026 (Ana Pop)".
func joinedList(items []storage.Item) string {
	var parts []string
	for _, j := range items {
		parts = append(parts, fmt.Sprintf("nr. %s din %s (%s)", j.Number, calendar.DateOf(j.Registered), j.Sender))
	}
	return strings.Join(parts, ", ")
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// CheckDraftTemplate checks a draft template file as the engine does at
// start ("" is the built-in one): `cabinetbot check` runs it.
func CheckDraftTemplate(path string) error {
	return (&Engine{draft: path}).checkDraftTemplate()
}

// CheckTemplates checks every replaceable document template as the engine
// does at start ("" is a built-in one): the draft reply, the note of
// information and the referat. `cabinetbot check` runs it.
func CheckTemplates(draft, note, referat string) error {
	return errors.Join(CheckDraftTemplate(draft), noteTemplate.check(note), referatTemplate.check(referat))
}
