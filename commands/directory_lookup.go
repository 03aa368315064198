package commands

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// maxLookupLines is how many lines a lookup shows before "and N more".
const maxLookupLines = 10

// maxQueryWords bounds the words of a lookup (and so the costs a search adds).
const maxQueryWords = 12

// fillerWords are dropped from a lookup when anything else is left: "telefon
// interior 5001", "numărul de la urbanism".
var fillerWords = map[string]bool{
	"tel": true, "telefon": true, "telefonul": true, "nr": true, "numar": true, "numarul": true, "number": true,
	"phone": true, "int": true, "interior": true, "interiorul": true, "ext": true, "extensia": true, "extension": true,
	"de": true, "la": true, "din": true, "si": true, "al": true, "a": true, "lui": true, "pentru": true, "cu": true,
	"in": true, "pe": true, "the": true, "of": true, "and": true, "for": true, "at": true,
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// phoneRun finds digit groups that may together be one phone number:
// "0264 596 030", "+40-264-596-030", "(0264) 596030".
var phoneRun = regexp.MustCompile(`\+?\(?\d[\d .\-/()]*\d`)

// queryWords folds a lookup into the words to search for. Digit groups
// written together make one number ("0264 596 030", "596 030" →
// 0264596030, 596030), with +40 written as 0; filler words are dropped when
// something else is left.
func queryWords(q string) []string {
	var words []string
	last := 0
	for _, m := range phoneRun.FindAllStringIndex(q, -1) {
		before, _ := utf8.DecodeLastRuneInString(q[:m[0]])
		after, _ := utf8.DecodeRuneInString(q[m[1]:])
		if isAlnum(before) || isAlnum(after) { // part of a word: B12, cuvant10
			continue
		}
		words = append(words, text.Words(q[last:m[0]])...)
		run := q[m[0]:m[1]]
		if d := phoneDigits(run); len(d) >= 5 {
			words = append(words, d)
		} else {
			words = append(words, text.Words(run)...)
		}
		last = m[1]
	}
	words = append(words, text.Words(q[last:])...)
	var kept []string
	seen := map[string]bool{}
	for _, w := range words {
		if !fillerWords[w] && !seen[w] {
			seen[w] = true
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return words
	}
	return kept
}

func runPhone(c *Call) (Reply, error) {
	q := strings.TrimSpace(strings.Join(c.Args, " "))
	if q == "" {
		return Reply{}, c.Fail("Spuneți pe cine căutați: un nume, o funcție, un departament, un interior sau un număr.",
			"Say whom you are looking for: a name, a function, a department, an extension or a number.")
	}
	words := queryWords(q)
	if len(words) > maxQueryWords {
		return Reply{}, c.Fail("Prea multe cuvinte (%d); căutați după cel mult %d.", "Too many words (%d); look up at most %d.", len(words), maxQueryWords)
	}
	longest := 0
	for _, w := range words {
		longest = max(longest, len([]rune(w)))
	}
	if longest < 2 {
		return Reply{}, c.Fail("„%s” e prea scurt: scrieți cel puțin două litere sau cifre ale unui nume, unei funcții, unui departament sau unui număr.",
			"“%s” is too short: type at least two letters or digits of a name, a function, a department or a number.", q)
	}
	ix, err := c.e.directory()
	if err != nil {
		return Reply{}, err
	}
	if len(ix.docs) == 0 {
		return Reply{Title: c.T("Agenda telefonică este goală.", "The phone directory is empty."),
			Lines: []string{c.T("Cabinetul o poate importa: import-director agenda.csv", "The Cabinet can import it: import-directory directory.csv")}}, nil
	}
	lines, total := ix.lookupLines(ix.search(words), c, maxLookupLines)
	if total == 0 {
		return Reply{Title: c.T("Nu am găsit „%s” în agenda telefonică.", "“%s” is not in the phone directory.", q),
			Lines: []string{c.T("Căutați după nume, funcție, departament, interior sau număr: telefon popescu, telefon urbanism, telefon 5001.",
				"Look up a name, a function, a department, an extension or a number: phone popescu, phone urbanism, phone 5001.")}}, nil
	}
	r := Reply{Title: c.T("Agenda telefonică — „%s”", "Phone directory — “%s”", q), Lines: lines}
	if more := total - len(lines); more > 0 {
		r.Lines = append(r.Lines, c.T("… și încă %d — restrângeți căutarea cu prenumele, funcția sau departamentul (telefon %s urbanism).",
			"… and %d more — narrow it with a first name, a function or the department (phone %s urbanism).", more, q))
	}
	return r, nil
}

// lookupLines writes the first limit lines of the results and counts them
// all. A department shows its own numbers, then its people and its
// sub-departments; people already shown are not repeated.
func (ix *dirIndex) lookupLines(hits []hit, c *Call, limit int) (lines []string, total int) {
	s := ix.scratch.Get().(*searchScratch)
	defer ix.scratch.Put(s)
	shown := s.shownList[:0]
	defer func() { s.shownList = shown[:0] }()
	emit := func(line func() string) {
		if total < limit {
			lines = append(lines, line())
		}
		total++
	}
	for _, h := range hits {
		d := ix.docs[h.doc]
		if d.entry != nil {
			if s.shown[h.doc] {
				continue
			}
			s.shown[h.doc] = true
			shown = append(shown, h.doc)
			emit(func() string { return ix.entryLine(d.entry, c, true) })
			continue
		}
		dp := d.dept
		emit(func() string { return ix.deptLine(dp, c) })
		for _, e := range ix.peopleOf(dp) {
			if s.shown[e] {
				continue
			}
			s.shown[e] = true
			shown = append(shown, e)
			emit(func() string { return "  · " + ix.entryLine(ix.docs[e].entry, c, false) })
		}
		for _, k := range ix.children[dp.Code] {
			emit(func() string { return "  ↳ " + ix.deptLine(ix.docs[k].dept, c) })
		}
	}
	for _, d := range shown {
		s.shown[d] = false
	}
	return lines, total
}

// peopleOf lists a department's entries, its head first.
func (ix *dirIndex) peopleOf(d *storage.Department) []int32 { return ix.byDept[d.Code] }

// entryLine writes an entry on one line: who, what, where, how to reach
// them; the Cabinet also sees its number (#17) for editing.
func (ix *dirIndex) entryLine(e *storage.Entry, c *Call, withDept bool) string {
	head := e.Name
	switch {
	case head == "":
		head = e.Function
	case e.Function != "":
		head += " — " + e.Function
	}
	parts := []string{head}
	if withDept && e.Dept != "" {
		if d := ix.depts[e.Dept]; d != nil {
			parts[0] += ", " + d.Name
		} else {
			parts[0] += ", " + e.Dept
		}
	}
	parts = append(parts, contactParts(c, e.Phone, e.Extension, e.Mobile, e.Email)...)
	if e.Office != "" {
		parts = append(parts, c.T("birou ", "office ")+e.Office)
	}
	if e.Notes != "" {
		parts = append(parts, text.Truncate(e.Notes, 60))
	}
	if c.Caller.isStaff() {
		parts = append(parts, "#"+e.ID)
	}
	return strings.Join(parts, " · ")
}

// deptLine writes a department's own numbers.
func (ix *dirIndex) deptLine(d *storage.Department, c *Call) string {
	head := d.Code + " — " + d.Name
	if d.Kind != "" {
		head += " (" + kindName(d.Kind, c.Lang) + ")"
	}
	parts := append([]string{head}, contactParts(c, d.Phone, "", "", d.Email)...)
	if d.Head != "" {
		parts = append(parts, c.T("șef: ", "head: ")+d.Head)
	}
	return strings.Join(parts, " · ")
}

func contactParts(c *Call, phone, ext, mobile, email string) []string {
	var parts []string
	switch {
	case phone != "" && ext != "":
		parts = append(parts, c.T("tel. %s, int. %s", "tel. %s, ext. %s", phone, ext))
	case phone != "":
		parts = append(parts, c.T("tel. ", "tel. ")+phone)
	case ext != "":
		parts = append(parts, c.T("int. ", "ext. ")+ext)
	}
	if mobile != "" {
		parts = append(parts, c.T("mobil ", "mobile ")+mobile)
	}
	if email != "" {
		parts = append(parts, email)
	}
	return parts
}
