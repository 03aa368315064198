package text

import (
	"errors"
	"strings"
	"unicode"
)

// Token is one word of a command line: a bare value (`12/2026`) or a keyed
// one (`de="Ion Popescu"`).
type Token struct {
	Key   string // folded key before '=', empty for a bare value
	Value string // the value, quotes removed, spelling kept
}

// ErrUnbalancedQuote is returned for a quote that is opened and never closed.
var ErrUnbalancedQuote = errors.New("unbalanced quote")

// closing maps each opening quote to the quote that closes it. People here
// type straight quotes, and phones and word processors give „…” or “…”. A
// value opened with " closes only at ", so a name may hold Romanian quotes:
// de="Şcoala Gimnazială „Ion Creangă”".
var closing = map[rune]string{
	'"': `"`,
	'„': `”`,
	'“': `”`,
	'«': `»`,
}

// Tokenize splits a command line into tokens. Quoted parts keep their spaces;
// `key=value` pairs become keyed tokens (the key folded: `subiect`, `Subiect`
// and `subiéct` are the same key).
func Tokenize(line string) ([]Token, error) {
	var (
		tokens  []Token
		cur     strings.Builder
		key     string
		inQuote string // the closing quotes expected, empty when outside quotes
		started bool   // a token is being built (even an empty quoted one)
	)
	flush := func() {
		if started {
			tokens = append(tokens, Token{Key: key, Value: cur.String()})
		}
		cur.Reset()
		key, started = "", false
	}
	for _, r := range line {
		switch {
		case inQuote != "":
			if strings.ContainsRune(inQuote, r) {
				inQuote = ""
				continue
			}
			cur.WriteRune(r)
		case closing[r] != "":
			inQuote, started = closing[r], true
		case unicode.IsSpace(r):
			flush()
		case r == '=' && key == "" && cur.Len() > 0 && !strings.ContainsAny(cur.String(), `"„“«`):
			key = Fold(cur.String())
			cur.Reset()
			started = true
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if inQuote != "" {
		return nil, ErrUnbalancedQuote
	}
	flush()
	return tokens, nil
}
