package calendar

import (
	"strings"
	"testing"
)

// Each row is a rule applied to a registration day, with the date computed
// by hand and the article that sets it.
func TestEveryTermMovesOffDaysOff(t *testing.T) {
	c := New(nil)
	tests := []struct {
		article    string
		rule       Rule
		registered string
		nominal    string
		due        string
	}{
		{"OG 27/2002 art. 8", RulePetition, "25.11.2026", "25.12.2026", "28.12.2026"},
		{"OG 27/2002 art. 8", RulePetition, "15.03.2028", "14.04.2028", "18.04.2028"},  // Good Friday, Easter 16.04, Easter Monday 2028
		{"OG 27/2002 art. 8", RulePetition, "05.05.2028", "04.06.2028", "06.06.2028"},  // Pentecost 2028
		{"OG 27/2002 art. 8", RulePetition, "07.12.2027", "06.01.2028", "10.01.2028"},  // 6–7 January, then the weekend
		{"OG 27/2002 art. 6^1", RuleForward, "25.11.2026", "30.11.2026", "02.12.2026"}, // St Andrew, National Day
		{"OG 27/2002 art. 6^1", RuleForward, "10.04.2027", "15.04.2027", "15.04.2027"}, // a working Thursday stays
		{"OG 27/2002 art. 6^1", RuleForward, "27.04.2027", "02.05.2027", "04.05.2027"}, // Easter 2027
		{"Legea 544/2001 art. 7(2)", RuleInfoRefusal, "01.12.2026", "06.12.2026", "07.12.2026"},
		{"Legea 544/2001 art. 7(2)", RuleInfoRefusal, "27.12.2026", "01.01.2027", "04.01.2027"},
		{"Legea 544/2001 art. 7(2)", RuleInfoRefusal, "19.01.2028", "24.01.2028", "25.01.2028"}, // Union Day
		{"Legea 544/2001 art. 7(1)", RuleInfo, "27.12.2026", "06.01.2027", "08.01.2027"},
		{"Legea 544/2001 art. 7(1)", RuleInfo, "05.08.2028", "15.08.2028", "16.08.2028"},
		{"Legea 544/2001 art. 7(1)", RuleInfoNotice, "20.11.2027", "30.11.2027", "02.12.2027"},
		{"Legea 544/2001 art. 7(1)", RuleInfoComplex, "02.12.2027", "01.01.2028", "03.01.2028"},
		{"Legea 544/2001 art. 7(1)", RuleInfoComplex, "26.11.2028", "26.12.2028", "27.12.2028"},
		{"Legea 544/2001 art. 7(1)", RuleInfoComplex, "01.05.2026", "31.05.2026", "02.06.2026"}, // Pentecost, 1 June 2026
	}
	for _, tt := range tests {
		if tt.rule.Cite != tt.article {
			t.Errorf("%s cites %q, the row says %q", tt.rule.ID, tt.rule.Cite, tt.article)
		}
		term := c.Term(d(tt.registered), tt.rule.Days, tt.rule)
		if term.Nominal.String() != tt.nominal || term.Due.String() != tt.due {
			t.Errorf("%s (%s) registered %s: %s → %s, want %s → %s", tt.rule.ID, tt.article, tt.registered, term.Nominal, term.Due, tt.nominal, tt.due)
		}
		if !strings.Contains(term.Explain(false), tt.article) || !strings.Contains(term.Explain(false), tt.due) {
			t.Errorf("explanation %q lacks the article or the date", term.Explain(false))
		}
	}
}

// TestEveryHolidayOf2026To2028 lands every counted term on every legal
// holiday of 2026–2028 and checks the stated date is the first working day
// from it (Civil Code art. 2553, Labour Code art. 139).
func TestEveryHolidayOf2026To2028(t *testing.T) {
	c := New(nil)
	rules := []Rule{RulePetition, RuleForward, RuleInfo, RuleInfoRefusal, RuleInfoNotice, RuleInfoComplex}
	n := 0
	for year := 2026; year <= 2028; year++ {
		for day := range LegalHolidays(year) {
			for _, r := range rules {
				term := c.Term(day.AddDays(-r.Days), r.Days, r)
				if term.Nominal != day {
					t.Fatalf("%s: nominal %s, want %s", r.ID, term.Nominal, day)
				}
				if !c.IsWorkingDay(term.Due) || !term.Due.After(day) {
					t.Errorf("%s landing on %s: due %s is not a later working day", r.ID, day, term.Due)
				}
				for x := day; x.Before(term.Due); x = x.AddDays(1) {
					if c.IsWorkingDay(x) {
						t.Errorf("%s landing on %s: due %s skips the working day %s", r.ID, day, term.Due, x)
					}
				}
				n++
			}
		}
	}
	if n != 6*(16+17+17) {
		t.Errorf("%d cases, want every rule on the 50 holidays of 2026–2028", n)
	}
}

func TestDeadlineLawRows(t *testing.T) {
	c := New(nil)
	tests := []struct {
		name    string
		article string
		req     Request
		due     string
		expl    string
	}{
		{"a later date asked on a petition: the legal term applies", "OG 27/2002 art. 8",
			Request{Category: Petition, Registered: d("25.11.2026").At(9, 0), Explicit: d("31.03.2027")}, "28.12.2026",
			"adresa cere 31.03.2027, după termenul legal: se aplică termenul legal"},
		{"an earlier date asked on a petition is kept", "OG 27/2002 art. 8",
			Request{Category: Petition, Registered: d("25.11.2026").At(9, 0), Explicit: d("10.12.2026")}, "10.12.2026", "termenul dat în adresă"},
		{"a later date asked on a 544 request: the legal term applies", "Legea 544/2001 art. 7(1)",
			Request{Category: PublicInfo, Registered: d("16.11.2026").At(9, 0), Explicit: d("30.12.2026")}, "26.11.2026", "se aplică termenul legal"},
		{"a later date asked on a press request: the press term applies", "CABINET_PRESS_DEADLINE_HOURS",
			Request{Category: Press, Registered: d("24.11.2026").At(9, 5), Explicit: d("30.12.2026")}, "25.11.2026 09:05", "practica biroului de presă"},
		{"the Prefecture's 25.12 is kept, the day before named", "termenul instituției",
			Request{Category: Institution, Registered: d("01.12.2026").At(9, 0), Explicit: d("25.12.2026")}, "25.12.2026",
			"cade într-o zi nelucrătoare: răspundeți până pe 24.12.2026"},
		{"a fixed date on a working day has no warning", "termenul instituției",
			Request{Category: Institution, Registered: d("01.12.2026").At(9, 0), Explicit: d("23.12.2026")}, "23.12.2026", "termenul dat în adresă → 23.12.2026"},
		{"an anonymous petition has no deadline", "OG 27/2002 art. 7",
			Request{Category: Petition, Registered: d("25.11.2026").At(9, 0), Anonymous: true}, "—", "fără termen — se clasează (OG 27/2002 art. 7)"},
		{"an extended petition", "OG 27/2002 art. 8",
			Request{Category: Petition, Registered: d("02.11.2026").At(9, 0), ExtraDays: 15}, "17.12.2026", "prelungit cu 15 zile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl := c.Compute(tt.req, DefaultRules)
			if dl.String() != tt.due {
				t.Errorf("due %s, want %s", dl, tt.due)
			}
			if !strings.Contains(dl.Explain(false)+" "+dl.Rule.Cite+" "+RuleAnonymous.Cite, tt.article) {
				t.Errorf("no article %q in %q", tt.article, dl.Explain(false))
			}
			if !strings.Contains(dl.Explain(false), tt.expl) {
				t.Errorf("explanation %q lacks %q", dl.Explain(false), tt.expl)
			}
		})
	}
}

func TestSecondaryTermsAreStated(t *testing.T) {
	c := New(nil)
	dl := c.Compute(Request{Category: PublicInfo, Registered: d("27.12.2026").At(9, 0)}, DefaultRules)
	want := map[string]string{RuleInfoRefusal.ID: "04.01.2027", RuleInfoNotice.ID: "08.01.2027", RuleInfoComplex.ID: "26.01.2027"}
	if len(dl.Secondary) != len(want) {
		t.Fatalf("secondary %v", dl.Secondary)
	}
	for _, term := range dl.Secondary {
		if term.Due.String() != want[term.Rule.ID] {
			t.Errorf("%s: %s, want %s", term.Rule.ID, term.Due, want[term.Rule.ID])
		}
	}
	p := c.Compute(Request{Category: Petition, Registered: d("25.11.2026").At(9, 0)}, DefaultRules)
	if f, ok := p.SecondaryTerm(RuleForward); !ok || f.Due.String() != "02.12.2026" {
		t.Errorf("forwarding %v", f)
	}
}
