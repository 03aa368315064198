// Package text holds the small text tools every command needs: folding
// Romanian diacritics for matching, and splitting a command line into words.
package text

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// folder decomposes letters (NFD), drops the combining marks — the breve of
// ă, the circumflex of â and î, the comma below of ș and ț and the cedilla of
// ş and ţ — and recomposes what is left.
var folder = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold lowercases s and strips its diacritics, so that "Direcția Tehnică",
// "DIRECŢIA TEHNICĂ" and "directia tehnica" compare equal.
func Fold(s string) string {
	if isPlainLower(s) {
		return s
	}
	t := folder.Get().(transform.Transformer)
	defer folder.Put(t)
	t.Reset()
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

func isPlainLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// Words splits folded text into words of letters and digits, for indexing
// and searching.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Distance is the Levenshtein edit distance between a and b, in runes.
func Distance(a, b string) int { return levenshtein.ComputeDistance(a, b) }

// Truncate cuts s to at most n runes, ending with "…" when it was cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
