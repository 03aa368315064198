package commands

import (
	"errors"
	"strings"
)

// The rules for the identities people type (rol, membru adauga,
// CABINET_ADMINS, the console's --as):
//   - Slack: a user ID as Slack writes it, U or W then 1 to 20 capital
//     letters or digits (U012AB3CD, W0123ABCD);
//   - Telegram: a user's numeric ID, 1 to 16 digits, not starting with 0
//     (123456789); group chats (negative IDs) are not people;
//   - console: a name of 1 to 32 ASCII letters, digits, '.', '_' or '-',
//     starting with a letter or a digit (operator, ana.pop).

// IdentityError says why an identity is not valid, in both languages.
type IdentityError struct{ Ro, En string }

func (e *IdentityError) Error() string { return e.En }

// CheckIdentity returns nil when who's ID has the form of its platform's
// IDs, else an *IdentityError with the rule and an example.
func CheckIdentity(who Identity) error {
	id := who.ID
	switch who.Platform {
	case "slack":
		if len(id) >= 2 && len(id) <= 21 && (id[0] == 'U' || id[0] == 'W') && allOf(id[1:], isUpperAlnum) {
			return nil
		}
		return &IdentityError{
			Ro: "„" + who.Key() + "” nu este un ID de utilizator Slack: acesta începe cu U sau W, urmat de litere mari și cifre (slack:U012AB3CD).",
			En: "“" + who.Key() + "” is not a Slack user ID: it starts with U or W, followed by capital letters and digits (slack:U012AB3CD).",
		}
	case "telegram":
		if len(id) >= 1 && len(id) <= 16 && id[0] != '0' && allOf(id, func(b byte) bool { return b >= '0' && b <= '9' }) {
			return nil
		}
		return &IdentityError{
			Ro: "„" + who.Key() + "” nu este un ID de utilizator Telegram: acesta e un număr (telegram:123456789).",
			En: "“" + who.Key() + "” is not a Telegram user ID: it is a number (telegram:123456789).",
		}
	case "console":
		if len(id) >= 1 && len(id) <= 32 && isASCIIAlnum(id[0]) && allOf(id, func(b byte) bool { return isASCIIAlnum(b) || strings.IndexByte("._-", b) >= 0 }) {
			return nil
		}
		return &IdentityError{
			Ro: "„" + who.Key() + "” nu este un nume de consolă: 1–32 litere fără diacritice, cifre, „.”, „_” sau „-” (console:ana.pop).",
			En: "“" + who.Key() + "” is not a console name: 1–32 letters without diacritics, digits, '.', '_' or '-' (console:ana.pop).",
		}
	}
	return &IdentityError{
		Ro: "„" + who.Key() + "” nu este o identitate; scrieți slack:U012AB3CD, telegram:123456 sau <@U012AB3CD>.",
		En: "“" + who.Key() + "” is not an identity; write slack:U012AB3CD, telegram:123456 or <@U012AB3CD>.",
	}
}

func isUpperAlnum(b byte) bool { return b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' }

func isASCIIAlnum(b byte) bool { return isUpperAlnum(b) || b >= 'a' && b <= 'z' }

func allOf(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// identity reads an identity a user typed (see ParseIdentity) and checks it
// against its platform's rule (CheckIdentity).
func (c *Call) identity(s string) (Identity, error) {
	who, ok := ParseIdentity(s, c.Caller.Platform)
	if !ok {
		return who, c.Fail("„%s” nu este o identitate; scrieți slack:U012AB3CD, telegram:123456 sau <@U012AB3CD>.",
			"“%s” is not an identity; write slack:U012AB3CD, telegram:123456 or <@U012AB3CD>.", s)
	}
	var bad *IdentityError
	if err := CheckIdentity(who); errors.As(err, &bad) {
		return who, &UserError{Ro: bad.Ro, En: bad.En}
	}
	return who, nil
}
