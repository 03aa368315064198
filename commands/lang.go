package commands

import "fmt"

// Lang is the language of a reply.
type Lang string

// The languages. Romanian comes first; English is for those who type the
// English command names or whose chat client is in English.
const (
	Romanian Lang = "ro"
	English  Lang = "en"
)

// pick returns ro or en formatted with args, in language l.
func (l Lang) pick(ro, en string, args ...any) string {
	s := ro
	if l == English {
		s = en
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
