package calendar

import (
	"fmt"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Rule is one rule of the law the register applies, written once: what it
// is about, its term when it has one, and the article it comes from. Answers
// cite it; the README's table is made of the same rules.
type Rule struct {
	ID     string
	Days   int    // the term in calendar days; 0 when the rule sets none
	Ro, En string // what the rule says, in Romanian and English
	Cite   string // the article, in Romanian
	CiteEn string // the article, in English
}

// Article returns the rule's article in the language.
func (r Rule) Article(en bool) string {
	if en {
		return r.CiteEn
	}
	return r.Cite
}

// Text returns what the rule says in the language.
func (r Rule) Text(en bool) string {
	if en {
		return r.En
	}
	return r.Ro
}

// The rules of the register.
var (
	RuleCounting = Rule{ID: "calcul",
		Ro:   "ziua înregistrării nu se numără; termenul se împlinește la sfârșitul ultimei zile; dacă ultima zi e nelucrătoare, termenul se mută pe următoarea zi lucrătoare",
		En:   "the day of registration is not counted; a term ends at the end of its last day; when the last day is a day off, it moves to the next working day",
		Cite: "Codul civil art. 2553", CiteEn: "Civil Code art. 2553"}
	RuleHolidays = Rule{ID: "sarbatori",
		Ro:   "zile nelucrătoare: sâmbăta, duminica, sărbătorile legale (1–2, 6–7, 24 ianuarie, Vinerea Mare, Paștele, 1 mai, 1 iunie, Rusaliile, 15 august, 30 noiembrie, 1 decembrie, 25–26 decembrie) și zilele libere adăugate (zi-libera)",
		En:   "days off: Saturdays, Sundays, public holidays (1–2, 6–7, 24 January, Good Friday, Easter, 1 May, 1 June, Pentecost, 15 August, 30 November, 1 December, 25–26 December) and the days off added (day-off)",
		Cite: "Codul muncii art. 139", CiteEn: "Labour Code art. 139"}
	RulePetition = Rule{ID: "petitie", Days: PetitionDays,
		Ro: "răspunsul la petiție", En: "the answer to a petition",
		Cite: "OG 27/2002 art. 8", CiteEn: "OG 27/2002 art. 8"}
	RulePetitionExtension = Rule{ID: "prelungire-petitie", Days: PetitionMaxExtension,
		Ro:   "prelungirea: o singură dată, cu cel mult 15 zile, cât timp termenul curge; petentul e înștiințat înainte de expirarea termenului inițial",
		En:   "extension: once, by at most 15 days, while the term runs; the petitioner is told before the first term ends",
		Cite: "OG 27/2002 art. 9", CiteEn: "OG 27/2002 art. 9"}
	RuleForward = Rule{ID: "redirectionare", Days: PetitionForwardDays,
		Ro: "redirecționarea petiției către instituția competentă", En: "forwarding a petition to the competent institution",
		Cite: "OG 27/2002 art. 6^1", CiteEn: "OG 27/2002 art. 6^1"}
	RuleAnonymous = Rule{ID: "anonima",
		Ro: "petiția anonimă sau fără date de identificare: fără termen — se clasează", En: "an anonymous or unidentified petition: no deadline — it is filed",
		Cite: "OG 27/2002 art. 7", CiteEn: "OG 27/2002 art. 7"}
	RuleJoin = Rule{ID: "conexare",
		Ro:   "petițiile aceluiași petent pe aceeași problemă se conexează la cea anterioară, încă deschisă, și primesc un singur răspuns",
		En:   "petitions of the same petitioner on the same matter are joined to the earlier, still open one and get one answer",
		Cite: "OG 27/2002 art. 10(1)", CiteEn: "OG 27/2002 art. 10(1)"}
	RuleRepeated = Rule{ID: "repetata",
		Ro: "petiția repetată după răspuns, pe aceeași problemă: se clasează, cu trimitere la cea anterioară", En: "a petition repeated after the answer, on the same matter: filed, naming the earlier one",
		Cite: "OG 27/2002 art. 10(2)", CiteEn: "OG 27/2002 art. 10(2)"}
	RuleInfo = Rule{ID: "informatii", Days: PublicInfoDays,
		Ro: "răspunsul la cererea de informații publice", En: "the answer to a request for public information",
		Cite: "Legea 544/2001 art. 7(1)", CiteEn: "Law 544/2001 art. 7(1)"}
	RuleInfoNotice = Rule{ID: "instiintare-complexa", Days: PublicInfoDays,
		Ro: "înștiințarea solicitantului că cererea e complexă", En: "telling the requester the request is complex",
		Cite: "Legea 544/2001 art. 7(1)", CiteEn: "Law 544/2001 art. 7(1)"}
	RuleInfoComplex = Rule{ID: "complexa", Days: PublicInfoComplexDays,
		Ro:   "cererea complexă, prelungită o singură dată, cu solicitantul înștiințat în 10 zile: răspunsul, cel mult",
		En:   "a complex request, extended once, the requester told within 10 days: the answer, at the latest",
		Cite: "Legea 544/2001 art. 7(1)", CiteEn: "Law 544/2001 art. 7(1)"}
	RuleInfoRefusal = Rule{ID: "refuz", Days: PublicInfoRefusalDays,
		Ro: "refuzul motivat al comunicării informațiilor", En: "the reasoned refusal to give the information",
		Cite: "Legea 544/2001 art. 7(2)", CiteEn: "Law 544/2001 art. 7(2)"}
	RuleInfoNoFiling = Rule{ID: "fara-clasare",
		Ro: "cererea de informații publice nu se clasează: primește răspuns sau refuz motivat", En: "a request for public information is never filed: it is answered or refused with its ground",
		Cite: "Legea 544/2001 art. 7", CiteEn: "Law 544/2001 art. 7"}
	RulePress = Rule{ID: "presa",
		Ro: "răspunsul la cererea de presă", En: "the answer to a press request",
		Cite:   "practica biroului de presă, configurabil (CABINET_PRESS_DEADLINE_HOURS)",
		CiteEn: "press office practice, configurable (CABINET_PRESS_DEADLINE_HOURS)"}
	RuleLetter = Rule{ID: "adresa",
		Ro:   "data fixată de instituție în adresă: se păstrează așa cum e dată; dacă e zi nelucrătoare, se răspunde în ultima zi lucrătoare dinainte; nu lungește un termen legal",
		En:   "the date an institution sets in its letter: kept as given; on a day off, answer by the last working day before it; it never makes a legal term longer",
		Cite: "termenul instituției", CiteEn: "the institution's term"}
	RuleDefault = Rule{ID: "implicit",
		Ro: "scrisorile fără termen (instituții, note interne, altele)", En: "letters without a deadline (institutions, internal notes, others)",
		Cite: "termenul implicit, configurabil (CABINET_DEFAULT_DEADLINE_DAYS)", CiteEn: "the default term, configurable (CABINET_DEFAULT_DEADLINE_DAYS)"}
)

// Law lists the rules in the order the README's table shows them.
var Law = []Rule{RuleCounting, RuleHolidays, RulePetition, RulePetitionExtension, RuleForward, RuleAnonymous,
	RuleJoin, RuleRepeated, RuleInfo, RuleInfoNotice, RuleInfoComplex, RuleInfoRefusal, RuleInfoNoFiling,
	RulePress, RuleLetter, RuleDefault}

// CountingLine is the counting rule in one line, with its article.
func CountingLine(en bool) string {
	if en {
		return "Counting: " + RuleCounting.En + " (" + RuleCounting.CiteEn + ")."
	}
	return "Calcul: " + RuleCounting.Ro + " (" + RuleCounting.Cite + ")."
}

// Term is a date the law sets by counting days from registration.
type Term struct {
	Rule    Rule
	Days    int
	Nominal Date      // registration day + days
	Due     Date      // Nominal, moved off days off
	Moved   []Holiday // the days it was moved over
}

// Term counts days calendar days from the day of registration (not
// counted) and moves the last day to the next working day (Civil Code art.
// 2553, Labour Code art. 139).
func (c *Calendar) Term(registered Date, days int, rule Rule) Term {
	t := Term{Rule: rule, Days: days, Nominal: registered.AddDays(days)}
	t.Due, t.Moved = c.moveOff(t.Nominal)
	return t
}

// moveOff returns the first working day from d and the days skipped, named.
func (c *Calendar) moveOff(d Date) (Date, []Holiday) {
	due, skipped := c.NextWorkingDay(d)
	var moved []Holiday
	for _, s := range skipped {
		h, ok := c.HolidayOn(s)
		if !ok {
			h = Holiday{Date: s}
		}
		moved = append(moved, h)
	}
	return due, moved
}

// LastWorkingDayBefore returns the last working day before d.
func (c *Calendar) LastWorkingDayBefore(d Date) Date {
	d = d.AddDays(-1)
	for !c.IsWorkingDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// Explain writes the term: "redirecționarea petiției … (5 zile, OG 27/2002
// art. 6^1): 30.11 sărbătoare legală → 02.12.2026".
func (t Term) Explain(en bool) string {
	count := text.Count(t.Days, text.Zile)
	if en {
		count = text.CountEn(t.Days, "day", "days")
	}
	s := fmt.Sprintf("%s (%s, %s): ", t.Rule.Text(en), count, t.Rule.Article(en))
	if len(t.Moved) > 0 {
		s += describeMoved(t.Moved, en) + " → "
	}
	return s + t.Due.String()
}
