package commands

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// fileReasons are the reasons an item may be filed without an answer, by
// every accepted spelling.
var fileReasons = map[string]string{
	"anonima": "anonima", "anonim": "anonima", "anonymous": "anonima",
	"repetata": "repetata", "repeated": "repetata",
	"retrasa": "retrasa", "withdrawn": "retrasa",
	"necompetenta": "necompetenta", "competence": "necompetenta", "out-of-competence": "necompetenta",
	"alta": "alta", "alt": "alta", "other": "alta",
}

// fileReasonNames say each reason, with its article where the law has one.
var fileReasonNames = map[string][2]string{
	"anonima":      {"petiție anonimă sau fără date de identificare (OG 27/2002 art. 7)", "anonymous or unidentified petition (OG 27/2002 art. 7)"},
	"repetata":     {"petiție repetată după răspuns (OG 27/2002 art. 10(2))", "petition repeated after the answer (OG 27/2002 art. 10(2))"},
	"retrasa":      {"retrasă de petent", "withdrawn by the petitioner"},
	"necompetenta": {"în afara competenței instituției, după redirecționare", "out of the institution's competence, after forwarding"},
	"alta":         {"alt motiv", "another reason"},
}

// fileReasonList names the reasons in the caller's language.
func (c *Call) fileReasonList() string {
	return c.T("anonima, repetata, retrasa, necompetenta, alta", "anonymous, repeated, withdrawn, competence, other")
}

// filing is a checked request to file an item.
type filing struct {
	reason  string         // canonical reason
	earlier storage.Number // the answered item a repeated petition repeats
	details string
}

// runFile files an item without an answer, for a reason from the fixed list.
// A request for public information is never filed (Law 544/2001 art. 7).
func runFile(c *Call) (Reply, error) {
	it, err := c.item(0)
	if err != nil {
		return Reply{}, err
	}
	f, err := c.readFiling()
	if err != nil {
		return Reply{}, err
	}
	if err := c.checkFiling(it, f); err != nil {
		return Reply{}, err
	}
	note := c.filingNote(f)
	nums, err := c.withJoined(it)
	if err != nil {
		return Reply{}, err
	}
	changed, err := c.e.store.Change(c.Ctx, nums, "file", note, c.meta(), func(items []*storage.Item) error {
		if err := c.checkFiling(*items[0], f); err != nil {
			return err
		}
		if err := c.stillJoined(items); err != nil {
			return err
		}
		for i, x := range items {
			if i > 0 || x.ClosedAt.IsZero() { // a forwarded item keeps the day it was forwarded
				x.ClosedAt = c.e.Now()
			}
			x.Status, x.Note = storage.StatusFiled, note
		}
		if !f.earlier.IsZero() {
			items[0].Links = appendNumber(items[0].Links, f.earlier)
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("%s clasată: %s", "%s filed: %s", it.Number, c.Lang.name(fileReasonNames, f.reason)), changed[0])
	for _, j := range changed[1:] {
		r.Lines = append(r.Lines, c.T("Clasată odată cu ea (conexată): %s · %s", "Filed with it (joined): %s · %s", j.Number, j.Sender))
	}
	return r, nil
}

func (c *Call) filingNote(f filing) string {
	note := Romanian.name(fileReasonNames, f.reason)
	if !f.earlier.IsZero() {
		note += ", la " + f.earlier.String()
	}
	return note + prefixed(": ", f.details)
}

func (c *Call) readFiling() (filing, error) {
	var f filing
	v, ok := c.Key("motiv")
	if !ok {
		return f, c.Fail("Spuneți motivul clasării: motiv=%s.", "Give the reason for filing: reason=%s.", c.fileReasonList())
	}
	if f.reason, ok = choice(fileReasons, v); !ok {
		return f, c.Fail("Motiv de clasare necunoscut: „%s”. Motive: %s.", "Unknown reason for filing: “%s”. Reasons: %s.", v, c.fileReasonList())
	}
	f.details, _ = c.Key("detalii")
	f.details = strings.TrimSpace(f.details)
	if f.reason == "alta" && f.details == "" {
		return f, c.Fail("Pentru alt motiv, spuneți care: motiv=alta detalii=\"…\".", "For another reason, say which: reason=other details=\"…\".")
	}
	if f.reason != "repetata" {
		return f, nil
	}
	raw, ok := c.Key("anterior")
	if !ok {
		return f, c.Fail("O petiție repetată se clasează cu trimitere la cea anterioară %s: anterior=N/AAAA.",
			"A repeated petition is filed naming the earlier one %s: earlier=N/YYYY.", c.cite(calendar.RuleRepeated))
	}
	n, ok := ParseNumber(raw, c.e.Now().Year())
	if !ok {
		return f, c.Fail("„%s” nu este un număr de înregistrare; scrieți-l ca 12/2026.", "“%s” is not a registration number; write it as 12/2026.", raw)
	}
	f.earlier = n
	return f, nil
}

// checkFiling applies the filing rules to an item.
func (c *Call) checkFiling(it storage.Item, f filing) error {
	if it.Category == string(calendar.PublicInfo) {
		return c.Fail("%s este o cerere de informații publice: nu se clasează %s. Se răspunde sau se refuză motivat: rezolva %s refuz=\"temei\".",
			"%s is a request for public information: it is never filed %s. It is answered or refused with its ground: resolve %s refusal=\"ground\".",
			it.Number, c.cite(calendar.RuleInfoNoFiling), it.Number)
	}
	if f.reason == "necompetenta" {
		if it.Status != storage.StatusForwarded {
			return c.Fail("Se clasează pentru necompetență după redirecționare: redirectioneaza %s institutie=\"…\", apoi claseaza.",
				"Filed as out of competence after forwarding: forward %s institution=\"…\", then file.", it.Number)
		}
		return nil
	}
	if !it.Status.Open() {
		return c.closedError(it)
	}
	switch f.reason {
	case "anonima":
		if it.SenderType != "anonim" {
			return c.Fail("%s are petent identificat (%s): nu se clasează ca anonimă %s. Dacă tipul e greșit: corecteaza %s tip=anonim.",
				"%s has an identified petitioner (%s): it is not filed as anonymous %s. If the type is wrong: correct %s type=anonymous.",
				it.Number, it.Sender, c.cite(calendar.RuleAnonymous), it.Number)
		}
	case "repetata":
		return c.checkRepeated(it, f.earlier)
	}
	return nil
}

func (c *Call) checkRepeated(it storage.Item, n storage.Number) error {
	prev, err := c.e.store.Item(n)
	if err != nil {
		return c.Fail("Nu există înregistrarea anterioară %s.", "There is no earlier registration %s.", n)
	}
	if !earlier(prev.Number, it.Number) {
		return c.Fail("%s nu este anterioară lui %s.", "%s is not earlier than %s.", prev.Number, it.Number)
	}
	if prev.Status != storage.StatusResolved {
		return c.Fail("%s nu are încă răspuns (%s): o petiție repetată înainte de răspuns se conexează %s: conexeaza %s %s.",
			"%s has no answer yet (%s): a petition repeated before the answer is joined %s: join %s %s.",
			prev.Number, c.status(prev), c.cite(calendar.RuleJoin), it.Number, prev.Number)
	}
	return nil
}
