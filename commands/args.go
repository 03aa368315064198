package commands

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// ParseNumber reads a registration number: 12/2026, nr. 12/2026, #12, or 12
// alone for this year.
func ParseNumber(s string, thisYear int) (storage.Number, bool) {
	s = strings.TrimSpace(text.Fold(s))
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(s, "nr."), "nr"), "#")
	seq, year, hasYear := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(seq)
	if err != nil || n <= 0 || strings.HasPrefix(seq, "+") {
		return storage.Number{}, false
	}
	y := thisYear
	if hasYear {
		if y, err = strconv.Atoi(year); err != nil || y < 1990 || y > 2999 {
			return storage.Number{}, false
		}
	}
	return storage.Number{Year: y, Seq: n}, true
}

// item reads the registration number in the i-th argument and loads the
// item (see Command.TakesItem for a number left out in a thread).
func (c *Call) item(i int) (storage.Item, error) {
	raw := ""
	if i < len(c.Args) {
		raw = c.Args[i]
	}
	if raw == "" {
		return storage.Item{}, c.Fail("Lipsește numărul de înregistrare (N/AAAA).", "The registration number (N/YYYY) is missing.")
	}
	n, ok := ParseNumber(raw, c.e.Now().Year())
	if !ok {
		return storage.Item{}, c.Fail("„%s” nu este un număr de înregistrare; scrieți-l ca 12/2026.",
			"“%s” is not a registration number; write it as 12/2026.", raw)
	}
	it, err := c.e.store.Item(n)
	if errors.Is(err, storage.ErrNotFound) {
		last, _ := c.e.store.LastNumber(n.Year)
		return it, c.Fail("Nu există înregistrarea %s (ultimul număr din %d: %d).",
			"There is no registration %s (the last number of %d: %d).", n, n.Year, last)
	}
	return it, err
}

// date reads a day in any form people write it (25.11.2026, 25.11, azi, mâine).
func (c *Call) date(s string) (calendar.Date, error) {
	d, err := calendar.ParseDay(s, calendar.DateOf(c.e.Now()))
	switch {
	case errors.Is(err, calendar.ErrImpossibleDate):
		if y, ok := typedYear(s); ok && (y < minYear || y > maxYear) {
			return d, c.Fail("Anul %d din „%s” este în afara intervalului acceptat (%d–%d).",
				"The year %d in “%s” is out of the accepted range (%d–%d).", y, s, minYear, maxYear)
		}
		return d, c.Fail("Data „%s” nu există.", "There is no such date as “%s”.", s)
	case err != nil:
		return d, c.Fail("„%s” nu este o dată; scrieți 25.11.2026, 25.11, azi sau mâine.",
			"“%s” is not a date; write 25.11.2026, 25.11, today or tomorrow.", s)
	}
	return d, nil
}

// department finds a department by code or name: exact code, exact name,
// then a unique part of a name or a near-miss, all diacritics-insensitive.
func (c *Call) department(s string) (storage.Department, error) {
	depts, err := c.e.store.Departments()
	if err != nil {
		return storage.Department{}, err
	}
	d, matches := matchDepartment(depts, s)
	if d != nil {
		return *d, nil
	}
	if len(matches) > 1 {
		return storage.Department{}, c.Fail("„%s” se potrivește cu mai multe departamente: %s. Folosiți codul.",
			"“%s” matches several departments: %s. Use the code.", s, strings.Join(matches, ", "))
	}
	var codes []string
	for _, d := range depts {
		if !d.Closed {
			codes = append(codes, d.Code)
		}
	}
	if len(codes) == 0 {
		return storage.Department{}, c.Fail("Nu există încă niciun departament; adăugați unul cu „departament adauga COD \"Nume\"”.",
			"There are no departments yet; add one with “department add CODE \"Name\"”.")
	}
	return storage.Department{}, c.Fail("Departament necunoscut: „%s”. Departamente: %s.",
		"Unknown department: “%s”. Departments: %s.", s, strings.Join(codes, ", "))
}

// matchDepartment returns the department s names, or the codes of the
// candidates when it is ambiguous.
func matchDepartment(depts []storage.Department, s string) (*storage.Department, []string) {
	q := text.Fold(strings.TrimSpace(s))
	if q == "" {
		return nil, nil
	}
	for i, d := range depts {
		if text.Fold(d.Code) == q || text.Fold(d.Name) == q {
			return &depts[i], nil
		}
	}
	var hits []int
	for i, d := range depts {
		if strings.Contains(text.Fold(d.Name), q) {
			hits = append(hits, i)
		}
	}
	if len(hits) == 0 && len(q) >= 4 {
		for i, d := range depts {
			if text.Distance(q, text.Fold(d.Name)) <= 2 || text.Distance(q, text.Fold(d.Code)) <= 1 {
				hits = append(hits, i)
			}
		}
	}
	if len(hits) == 1 {
		return &depts[hits[0]], nil
	}
	var codes []string
	for _, i := range hits {
		codes = append(codes, depts[i].Code)
	}
	sort.Strings(codes)
	return nil, codes
}

// positiveInt reads a whole number ≥ 1.
func positiveInt(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n > 0
}

// choice finds a word among the accepted spellings (folded) of a closed set.
func choice(words map[string]string, s string) (string, bool) {
	v, ok := words[text.Fold(strings.TrimSpace(s))]
	return v, ok
}

// choiceList writes the accepted canonical values of a closed set.
func choiceList(words map[string]string) string {
	seen := map[string]bool{}
	var out []string
	for _, v := range words {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
