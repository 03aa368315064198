package commands

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// The phone directory is searched in memory. The store stays the source of
// truth: the index is rebuilt from it whenever storage.DirectoryVersion says
// an entry or a department changed, and a search never touches the database.
// Every field is folded once, at build time; a search looks its words up in
// a vocabulary (exact, prefix, or within one or two typos) and follows
// posting lists, so its cost depends on how much matches, not on the size of
// the directory.

// directoryCache holds the current index of an engine.
type directoryCache struct {
	mu  sync.Mutex // one build at a time
	cur atomic.Pointer[dirIndex]
}

// directory returns an index as fresh as the store.
func (e *Engine) directory() (*dirIndex, error) {
	v := e.store.DirectoryVersion()
	if ix := e.dir.cur.Load(); ix != nil && ix.version == v {
		return ix, nil
	}
	e.dir.mu.Lock()
	defer e.dir.mu.Unlock()
	v = e.store.DirectoryVersion()
	prev := e.dir.cur.Load()
	if prev != nil && prev.version == v {
		return prev, nil
	}
	depts, err := e.store.Departments()
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	entries, err := e.store.Entries()
	if err != nil {
		return nil, fmt.Errorf("read the directory: %w", err)
	}
	var folds map[string][]string
	if prev != nil {
		folds = prev.folds
	}
	ix := buildIndex(v, depts, entries, folds)
	e.dir.cur.Store(ix)
	return ix, nil
}

// Fields of a document, each with its own weight in the ranking.
const (
	fName     uint8 = iota // a person's name; a department's code and name
	fFunction              // a function; a department's head
	fDept                  // an entry's department
	fAbove                 // the departments above an entry's department
	fOther                 // office, e-mail, notes
	fNumber                // a phone number or an extension
)

var fieldPenalty = [...]uint16{fName: 0, fFunction: 1, fDept: 2, fAbove: 3, fOther: 3, fNumber: 0}

// doc is one searchable thing: a directory entry or an open department.
type doc struct {
	entry *storage.Entry
	dept  *storage.Department
	sort  string // folded display name: the order of equal matches
}

type posting struct {
	doc   int32
	field uint8
}

// number is a phone number of a document, its digits reversed so that a
// number's ending is a prefix.
type number struct {
	rev  string
	doc  int32
	full int // length of the whole number
}

// dirIndex is an immutable snapshot of the directory, ready to search.
type dirIndex struct {
	version  uint64
	docs     []doc
	entries  int              // how many docs are entries
	dept     map[string]int32 // department code → its doc (open ones)
	depts    map[string]*storage.Department
	byDept   map[string][]int32 // department code → its entries, by name
	children map[string][]int32 // department code → its open sub-departments
	terms    map[string]int32   // folded word → term id
	vocab    []string           // term id → word
	sorted   []int32            // term ids in word order: prefix search
	byLen    [][]int32          // rune length → term ids: typo search
	masks    []uint32           // term id → the letters it has
	postings [][]posting        // term id → documents
	numbers  []number           // sorted by rev
	exts     map[string][]int32 // extension → documents
	folds    map[string][]string
	scratch  sync.Pool // *searchScratch
}

func buildIndex(version uint64, depts []storage.Department, entries []storage.Entry, oldFolds map[string][]string) *dirIndex {
	ix := &dirIndex{version: version, dept: map[string]int32{}, depts: map[string]*storage.Department{},
		byDept: map[string][]int32{}, children: map[string][]int32{}, terms: map[string]int32{},
		exts: map[string][]int32{}, folds: make(map[string][]string, len(oldFolds))}
	fold := func(s string) []string {
		if s == "" {
			return nil
		}
		if w, ok := ix.folds[s]; ok {
			return w
		}
		w, ok := oldFolds[s]
		if !ok {
			w = text.Words(s)
		}
		ix.folds[s] = w
		return w
	}
	for i := range depts {
		ix.depts[depts[i].Code] = &depts[i]
	}
	for i := range entries {
		e := &entries[i]
		ix.docs = append(ix.docs, doc{entry: e, sort: strings.Join(fold(entryTitle(e)), " ")})
	}
	ix.entries = len(ix.docs)
	for i := range depts {
		if !depts[i].Closed {
			ix.docs = append(ix.docs, doc{dept: &depts[i], sort: strings.Join(fold(depts[i].Name), " ")})
		}
	}
	es, ds := ix.docs[:ix.entries], ix.docs[ix.entries:]
	byName := func(a, b doc) int { return cmp.Or(cmp.Compare(a.sort, b.sort), cmp.Compare(docID(a), docID(b))) }
	slices.SortFunc(es, byName)
	slices.SortFunc(ds, byName)

	add := func(d int32, field uint8, words []string) {
		for _, w := range words {
			id, ok := ix.terms[w]
			if !ok {
				id = int32(len(ix.vocab))
				ix.terms[w] = id
				ix.vocab = append(ix.vocab, w)
				ix.postings = append(ix.postings, nil)
			}
			ps := ix.postings[id]
			if n := len(ps); n > 0 && ps[n-1].doc == d {
				if fieldPenalty[field] < fieldPenalty[ps[n-1].field] {
					ps[n-1].field = field
				}
				continue
			}
			ix.postings[id] = append(ps, posting{d, field})
		}
	}
	addNumber := func(d int32, s string) {
		if digits := phoneDigits(s); len(digits) >= 3 {
			ix.numbers = append(ix.numbers, number{rev: reverse(digits), doc: d, full: len(digits)})
		}
	}
	for i := range ix.docs {
		d := int32(i)
		if e := ix.docs[i].entry; e != nil {
			add(d, fName, fold(e.Name))
			add(d, fFunction, fold(e.Function))
			if e.Dept != "" {
				add(d, fDept, fold(e.Dept))
				if dp := ix.depts[e.Dept]; dp != nil {
					add(d, fDept, fold(dp.Name))
					for up, n := ix.depts[dp.Parent], 0; up != nil && n < 8; up, n = ix.depts[up.Parent], n+1 {
						add(d, fAbove, fold(up.Code))
						add(d, fAbove, fold(up.Name))
					}
				}
				ix.byDept[e.Dept] = append(ix.byDept[e.Dept], d)
			}
			add(d, fOther, fold(e.Office))
			add(d, fOther, fold(emailLocal(e.Email)))
			add(d, fOther, fold(e.Notes))
			addNumber(d, e.Phone)
			addNumber(d, e.Mobile)
			if x := phoneDigits(e.Extension); x != "" {
				ix.exts[x] = append(ix.exts[x], d)
			}
			continue
		}
		dp := ix.docs[i].dept
		ix.dept[dp.Code] = d
		add(d, fName, fold(dp.Code))
		add(d, fName, fold(dp.Name))
		if !ix.hasEntry(dp.Code, strings.Join(fold(dp.Head), " ")) { // else the head's own entry is found
			add(d, fFunction, fold(dp.Head))
		}
		add(d, fOther, fold(emailLocal(dp.Email)))
		addNumber(d, dp.Phone)
		if dp.Parent != "" {
			ix.children[dp.Parent] = append(ix.children[dp.Parent], d)
		}
	}
	for code, people := range ix.byDept { // the head first, then by name
		if dp := ix.depts[code]; dp != nil && dp.Head != "" {
			head := strings.Join(fold(dp.Head), " ")
			if i := slices.IndexFunc(people, func(e int32) bool { return ix.docs[e].sort == head }); i > 0 {
				h := people[i]
				copy(people[1:i+1], people[:i])
				people[0] = h
			}
		}
	}
	slices.SortFunc(ix.numbers, func(a, b number) int { return strings.Compare(a.rev, b.rev) })
	ix.sorted = make([]int32, len(ix.vocab))
	ix.masks = make([]uint32, len(ix.vocab))
	for id, w := range ix.vocab {
		ix.sorted[id] = int32(id)
		ix.masks[id] = letterMask(w)
		n := utf8.RuneCountInString(w)
		for len(ix.byLen) <= n {
			ix.byLen = append(ix.byLen, nil)
		}
		ix.byLen[n] = append(ix.byLen[n], int32(id))
	}
	sort.Slice(ix.sorted, func(i, j int) bool { return ix.vocab[ix.sorted[i]] < ix.vocab[ix.sorted[j]] })
	n := len(ix.docs)
	ix.scratch.New = func() any { return newScratch(n) }
	return ix
}

// hasEntry reports whether a department has an entry for a person (folded
// words joined by spaces).
func (ix *dirIndex) hasEntry(code, name string) bool {
	if name == "" {
		return false
	}
	for _, e := range ix.byDept[code] {
		if ix.docs[e].sort == name {
			return true
		}
	}
	return false
}

func docID(d doc) string {
	if d.entry != nil {
		return d.entry.ID
	}
	return d.dept.Code
}

// entryTitle is what an entry is called: its person, else its function.
func entryTitle(e *storage.Entry) string {
	if e.Name != "" {
		return e.Name
	}
	return e.Function
}

func emailLocal(s string) string {
	local, _, _ := strings.Cut(s, "@")
	return local
}

// phoneDigits keeps the digits of a phone number, writing +40 and 0040 as 0:
// "+40 264 596 030" and "0264-596-030" are both 0264596030.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	t := strings.TrimLeft(s, " \t(")
	switch {
	case strings.HasPrefix(t, "+40") && len(d) > 2:
		d = "0" + d[2:]
	case strings.HasPrefix(d, "0040") && len(d) > 4:
		d = "0" + d[4:]
	}
	return d
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// letterMask has a bit for each letter (and a few for digits) of a word. An
// edit changes at most two bits, so words whose masks differ in more than
// 2·d bits cannot be within d edits: most of the vocabulary is skipped
// without computing a distance.
func letterMask(w string) uint32 {
	var m uint32
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			m |= 1 << (r - 'a')
		case r >= '0' && r <= '9':
			m |= 1 << (26 + (r-'0')%5)
		default:
			m |= 1 << 31
		}
	}
	return m
}

// unset marks a document without a cost in a scratch array.
const unset = 0xFFFF

// searchScratch is per-search working memory, one cost per document.
type searchScratch struct {
	acc, cur []uint16
	shown    []bool
	// touched documents, kept between searches to spare allocations
	accList, curList, shownList []int32
}

func newScratch(n int) *searchScratch {
	s := &searchScratch{acc: make([]uint16, n), cur: make([]uint16, n), shown: make([]bool, n)}
	for i := range s.acc {
		s.acc[i], s.cur[i] = unset, unset
	}
	return s
}

// termHit is a vocabulary word that matches a query word, and at what cost.
type termHit struct {
	term int32
	cost uint16
}

// hit is a document that matches every word of a query.
type hit struct {
	doc   int32
	score uint16
}

// Costs of how a word matched.
const (
	costExact  = 0
	costPrefix = 1
	costTypo   = 1 // plus the number of typos
	costSuffix = 1 // the end of a phone number
)

// match finds the terms a folded query word matches.
func (ix *dirIndex) match(w string, out []termHit) []termHit {
	if id, ok := ix.terms[w]; ok {
		out = append(out, termHit{id, costExact})
	}
	if len(w) >= 2 {
		i := sort.Search(len(ix.sorted), func(i int) bool { return ix.vocab[ix.sorted[i]] >= w })
		for ; i < len(ix.sorted) && strings.HasPrefix(ix.vocab[ix.sorted[i]], w); i++ {
			if t := ix.sorted[i]; ix.vocab[t] != w {
				out = append(out, termHit{t, costPrefix})
			}
		}
	}
	n := utf8.RuneCountInString(w)
	maxd := typos(n)
	if maxd == 0 || isDigits(w) {
		return out
	}
	qm := letterMask(w)
	for l := max(1, n-maxd); l <= n+maxd && l < len(ix.byLen); l++ {
		for _, t := range ix.byLen[l] {
			if bits.OnesCount32(ix.masks[t]^qm) > 2*maxd {
				continue
			}
			v := ix.vocab[t]
			if strings.HasPrefix(v, w) {
				continue // found above
			}
			if d := text.Distance(w, v); d <= maxd {
				out = append(out, termHit{t, costTypo + uint16(d)})
			}
		}
	}
	return out
}

// typos is how many typos a query word of n letters may have: none below
// four letters (too many words are that close), one up to six, then two.
func typos(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 7:
		return 1
	default:
		return 2
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// search returns the documents that match every query word, best first (then
// departments before people, then by name).
func (ix *dirIndex) search(words []string) []hit {
	if len(ix.docs) == 0 || len(words) == 0 {
		return nil
	}
	s := ix.scratch.Get().(*searchScratch)
	defer ix.scratch.Put(s)
	acc, cur := s.accList[:0], s.curList[:0] // touched documents
	defer func() { s.accList, s.curList = acc[:0], cur[:0] }()
	var th []termHit
	for i, w := range words {
		cur = cur[:0]
		set := func(d int32, c uint16) {
			if s.cur[d] == unset {
				cur = append(cur, d)
				s.cur[d] = c
			} else if c < s.cur[d] {
				s.cur[d] = c
			}
		}
		th = ix.match(w, th[:0])
		for _, h := range th {
			for _, p := range ix.postings[h.term] {
				set(p.doc, h.cost+fieldPenalty[p.field])
			}
		}
		if isDigits(w) {
			for _, d := range ix.exts[w] {
				set(d, costExact)
			}
			if len(w) >= 3 {
				rw := reverse(w)
				j := sort.Search(len(ix.numbers), func(j int) bool { return ix.numbers[j].rev >= rw })
				for ; j < len(ix.numbers) && strings.HasPrefix(ix.numbers[j].rev, rw); j++ {
					c := uint16(costExact)
					if ix.numbers[j].full != len(w) {
						c = costSuffix
					}
					set(ix.numbers[j].doc, c)
				}
			}
		}
		if i == 0 {
			acc = append(acc, cur...)
			for _, d := range cur {
				s.acc[d], s.cur[d] = s.cur[d], unset
			}
			continue
		}
		kept := acc[:0]
		for _, d := range acc {
			if c := s.cur[d]; c != unset {
				s.acc[d] += c
				kept = append(kept, d)
			} else {
				s.acc[d] = unset
			}
		}
		for _, d := range cur {
			s.cur[d] = unset
		}
		acc = kept
		if len(acc) == 0 {
			break
		}
	}
	return ix.rank(s, acc)
}

// rank orders the matching documents best first, then departments before
// people, then by name (the order of the documents), and clears the scratch.
// Small results are sorted; large ones (a two-letter prefix can match
// thousands) are counted into score buckets in one pass over the documents
// in that order, so that no result costs more than a linear pass.
func (ix *dirIndex) rank(s *searchScratch, acc []int32) []hit {
	hits := make([]hit, len(acc))
	if len(acc) <= 256 {
		for i, d := range acc {
			hits[i] = hit{d, s.acc[d]}
			s.acc[d] = unset
		}
		entries := int32(ix.entries)
		slices.SortFunc(hits, func(a, b hit) int {
			if a.score != b.score {
				return cmp.Compare(a.score, b.score)
			}
			ad, bd := a.doc >= entries, b.doc >= entries
			if ad != bd {
				if ad {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.doc, b.doc)
		})
		return hits
	}
	top := uint16(0)
	for _, d := range acc {
		top = max(top, s.acc[d])
	}
	pos := make([]int, int(top)+2)
	for _, d := range acc {
		pos[s.acc[d]+1]++
	}
	for i := 1; i < len(pos); i++ {
		pos[i] += pos[i-1]
	}
	place := func(from, to int) {
		for d := from; d < to; d++ {
			if c := s.acc[d]; c != unset {
				hits[pos[c]] = hit{int32(d), c}
				pos[c]++
				s.acc[d] = unset
			}
		}
	}
	place(ix.entries, len(ix.docs))
	place(0, ix.entries)
	return hits
}
