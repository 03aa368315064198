package commands

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// problem is what is wrong with a value, in both languages. Commands turn it
// into a user error; the CSV import into a bad row.
type problem struct{ ro, en string }

func probf(ro, en string, args ...any) *problem {
	return &problem{ro: fmt.Sprintf(ro, args...), en: fmt.Sprintf(en, args...)}
}

func (p *problem) err() error { return &UserError{Ro: p.ro, En: p.en} }

func (p *problem) text(l Lang) string { return l.pick(p.ro, p.en) }

// clearWord in a field's value clears the field: telefon=-.
const clearWord = "-"

// cleanText joins lines and collapses spaces: cells pasted from a
// spreadsheet may hold line breaks.
func cleanText(s string) string { return strings.Join(strings.Fields(s), " ") }

func checkLength(v string, n int, what, whatEn string) *problem {
	if utf8.RuneCountInString(v) > n {
		return &problem{ro: fmt.Sprintf("%s are mai mult de %d de caractere.", what, n),
			en: fmt.Sprintf("The %s is longer than %d characters.", whatEn, n)}
	}
	return nil
}

// checkPhone accepts a phone number as people write it (0264 596 030,
// +40 264 596 030, 0264-596-030) and keeps it so. A 9-digit number without
// its leading 0 (what a spreadsheet makes of 0264596030) gets it back.
func checkPhone(v string) (string, *problem) {
	v = cleanText(v)
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-./()", r):
		default:
			return "", probf("„%s” nu este un număr de telefon: doar cifre, spații și + - . / ( ); interiorul merge la interior=.",
				"“%s” is not a phone number: digits, spaces and + - . / ( ) only; the extension goes in extension=.", v)
		}
	}
	if digits < 3 || digits > 15 {
		return "", probf("„%s” nu este un număr de telefon: are %d cifre.", "“%s” is not a phone number: it has %d digits.", v, digits)
	}
	if digits == len(v) && digits == 9 && strings.ContainsRune("237", rune(v[0])) {
		v = "0" + v
	}
	return v, nil
}

var extensionPrefix = regexp.MustCompile(`^(interior|int|ext|extensia|extension)\.?\s*`)

// checkExtension accepts an internal extension: 5001, int. 5001, interior 5001.
func checkExtension(v string) (string, *problem) {
	x := extensionPrefix.ReplaceAllString(text.Fold(cleanText(v)), "")
	if x == "" || len(x) > 6 || !isDigits(x) {
		return "", probf("„%s” nu este un interior: scrieți cifrele lui, de exemplu 5001.", "“%s” is not an extension: write its digits, for example 5001.", v)
	}
	return x, nil
}

// checkEmail accepts a bare e-mail address.
func checkEmail(v string) (string, *problem) {
	v = strings.TrimSpace(v)
	a, err := mail.ParseAddress(v)
	_, domain, _ := strings.Cut(v, "@")
	if err != nil || a.Address != v || !strings.Contains(domain, ".") {
		return "", probf("„%s” nu este o adresă de e-mail.", "“%s” is not an e-mail address.", v)
	}
	return v, nil
}

var (
	slackMention = regexp.MustCompile(`^<#([A-Z0-9]+)(\|[^>]*)?>$`)
	slackID      = regexp.MustCompile(`^[CG][A-Z0-9]{6,}$`)
	telegramChat = regexp.MustCompile(`^-?\d{3,20}$`)
	telegramName = regexp.MustCompile(`^@[A-Za-z0-9_]{5,32}$`)
)

// checkSlackChannel accepts a channel ID (C0123ABC) or a channel mention as
// Slack sends it (<#C0123ABC|name>): the bot posts by ID.
func checkSlackChannel(v string) (string, *problem) {
	v = strings.TrimSpace(v)
	if m := slackMention.FindStringSubmatch(v); m != nil {
		return m[1], nil
	}
	if slackID.MatchString(v) {
		return v, nil
	}
	return "", probf("„%s” nu este un canal Slack: dați ID-ul canalului (C0123ABC) sau menționați canalul (#canal) în Slack.",
		"“%s” is not a Slack channel: give the channel's ID (C0123ABC) or mention the channel (#channel) in Slack.", v)
}

// checkTelegramChat accepts a numeric chat ID (-1001234567890): a public
// @name is resolved to one before (Call.telegramChat), or refused.
func checkTelegramChat(v string) (string, *problem) {
	v = strings.TrimSpace(v)
	if telegramChat.MatchString(v) {
		return v, nil
	}
	if telegramName.MatchString(v) {
		return "", notResolvable(v, ErrCannotResolve)
	}
	return "", probf("„%s” nu este un chat Telegram: dați ID-ul lui numeric (-1001234567890) sau @numele public.",
		"“%s” is not a Telegram chat: give its numeric ID (-1001234567890) or its public @name.", v)
}

// entryKeys are the key=value arguments of a directory entry, in the order
// help lists them.
var entryKeys = []Key{{"nume", "name"}, {"functie", "function"}, {"departament", "department"}, {"telefon", "phone"},
	{"interior", "extension"}, {"mobil", "mobile"}, {"email", "e-mail"}, {"birou", "office"}, {"observatii", "notes"}}

// setEntryField sets one field of an entry from what was typed (or read from
// a CSV cell), checked; "-" or an empty value clears it. The department
// (departament) is resolved by the caller.
func setEntryField(e *storage.Entry, key, v string) *problem {
	v = cleanText(v)
	if v == clearWord {
		v = ""
	}
	var p *problem
	switch key {
	case "nume":
		e.Name, p = v, checkLength(v, 120, "Numele", "name")
	case "functie":
		e.Function, p = v, checkLength(v, 120, "Funcția", "function")
	case "telefon":
		e.Phone, p = orEmpty(v, checkPhone)
	case "mobil":
		e.Mobile, p = orEmpty(v, checkPhone)
	case "interior":
		e.Extension, p = orEmpty(v, checkExtension)
	case "email":
		e.Email, p = orEmpty(v, checkEmail)
	case "birou":
		e.Office, p = v, checkLength(v, 60, "Biroul", "office")
	case "observatii":
		e.Notes, p = v, checkLength(v, 300, "Observațiile", "notes")
	}
	return p
}

func orEmpty(v string, check func(string) (string, *problem)) (string, *problem) {
	if v == "" {
		return "", nil
	}
	return check(v)
}

// checkEntry checks an entry as a whole: who it is and how to reach them.
func checkEntry(e storage.Entry) *problem {
	if e.Name == "" && e.Function == "" {
		return probf("Lipsesc și numele, și funcția: dați cel puțin unul.", "Both the name and the function are missing: give at least one.")
	}
	if e.Phone == "" && e.Extension == "" && e.Mobile == "" && e.Email == "" {
		return probf("Lipsește un mijloc de contact: telefon, interior, mobil sau e-mail.",
			"There is no way to reach them: give a phone, an extension, a mobile or an e-mail.")
	}
	return nil
}

// deptKeys are the key=value arguments that describe a department.
var deptKeys = []Key{{"tip", "kind"}, {"sef", "head"}, {"telefon", "phone"}, {"email", "e-mail"},
	{"slack", "slack-channel"}, {"telegram", "telegram-chat"}}

// setDeptField sets one descriptive field of a department, checked; "-" or
// an empty value clears it.
func setDeptField(d *storage.Department, key, v string) *problem {
	v = cleanText(v)
	if v == clearWord {
		v = ""
	}
	var p *problem
	switch key {
	case "tip":
		if v == "" {
			d.Kind = ""
			return nil
		}
		k, ok := choice(kindWords, v)
		if !ok {
			return probf("Tip necunoscut: „%s”. Tipuri: %s.", "Unknown kind: “%s”. Kinds: %s.", v, choiceList(kindWords))
		}
		d.Kind = k
	case "sef":
		d.Head, p = v, checkLength(v, 120, "Numele șefului", "head's name")
	case "telefon":
		d.Phone, p = orEmpty(v, checkPhone)
	case "email":
		d.Email, p = orEmpty(v, checkEmail)
	case "slack":
		d.SlackChannel, p = orEmpty(v, checkSlackChannel)
	case "telegram":
		d.TelegramChat, p = orEmpty(v, checkTelegramChat)
	}
	return p
}

// checkDeptName checks a department's name.
func checkDeptName(name string) *problem {
	if name == "" {
		return probf("Lipsește numele departamentului.", "The department's name is missing.")
	}
	return checkLength(name, 120, "Numele departamentului", "department's name")
}

// guessKind reads a department's kind from its name: Direcția…, Serviciul…
func guessKind(name string) string {
	w := text.Words(name)
	if len(w) == 0 {
		return ""
	}
	switch {
	case strings.HasPrefix(w[0], "directi"):
		return "directie"
	case strings.HasPrefix(w[0], "servici"):
		return "serviciu"
	case strings.HasPrefix(w[0], "birou"):
		return "birou"
	case strings.HasPrefix(w[0], "compartiment"):
		return "compartiment"
	}
	return ""
}

// kindName is a department kind as people say it.
func kindName(kind string, l Lang) string {
	switch kind {
	case "directie":
		return l.pick("direcție", "direction")
	case "serviciu":
		return l.pick("serviciu", "service")
	case "birou":
		return l.pick("birou", "office")
	case "compartiment":
		return l.pick("compartiment", "compartment")
	}
	return kind
}
