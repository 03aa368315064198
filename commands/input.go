package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// MaxCommandBytes is the longest command line the bot takes, in bytes, on
// every platform: a pasted letter subject is long, a 1 MB line is a mistake.
// A longer line gets TooLong's answer and runs nothing; the console goes on
// with the next line.
const MaxCommandBytes = 64 << 10

// TooLong is the answer to a command line of n bytes, over MaxCommandBytes.
func TooLong(n int, l Lang) Reply {
	if l == "" {
		l = Romanian
	}
	return invalid(l.pick(
		"Comanda are %d octeți, peste limita de %d; nu s-a rulat și nu s-a modificat nimic. Scurtați textul.",
		"The command has %d bytes, over the limit of %d; it was not run and nothing was changed. Shorten the text.", n, MaxCommandBytes),
		`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`, l)
}

// multiLineKeys are the key=value arguments whose text may have several
// lines: an event's notes, a directory entry's remarks, a letter's subject
// (the Slack registration form asks for it on several lines). Every other
// argument is one line.
var multiLineKeys = map[string]bool{"note": true, "observatii": true, "subiect": true}

// checkControls refuses a command whose arguments hold a control character
// (NUL, ESC, tab, DEL, C1, bidirectional overrides; a line break outside the
// fields that take several lines): nothing is stored raw, and nothing that
// could reach a terminal, a CSV or a calendar file as a control sequence.
func checkControls(c *Call) *Reply {
	bad := func(r rune, whereRo, whereEn string) *Reply {
		rep := (&UserError{
			Ro: "Textul " + whereRo + " conține caracterul de control " + text.ControlName(r) + ", care nu se păstrează; scrieți-l fără el (rânduri noi doar în subiect=…, note=… și observatii=…).",
			En: "The text " + whereEn + " holds the control character " + text.ControlName(r) + ", which is not kept; write it without (new lines only in subject=… and notes=…).",
		}).reply(c)
		return &rep
	}
	for i, a := range c.Args {
		if r, ok := text.BadControl(a, false); ok {
			shown := text.Printable(a, false)
			return bad(r, fmt.Sprintf("„%s” (argumentul %d)", shown, i+1), fmt.Sprintf("“%s” (argument %d)", shown, i+1))
		}
	}
	for k, v := range c.keys {
		if r, ok := text.BadControl(v, multiLineKeys[k]); ok {
			return bad(r, k+"=…", k+"=…")
		}
	}
	return nil
}

// The years a date may have (calendar.NewDate): outside them a date is out
// of range, which is not the same as a day that does not exist (31.02).
const (
	minYear = 1900
	maxYear = 2999
)

// typedYear is the year written in a date as ParseDay reads it: the last
// part of 25.11.2026, the first of 2026-11-25.
func typedYear(s string) (int, bool) {
	w := strings.TrimSuffix(strings.TrimSpace(s), ".")
	if parts := strings.Split(w, "-"); len(parts) == 3 && len(parts[0]) == 4 {
		y, err := strconv.Atoi(parts[0])
		return y, err == nil
	}
	if parts := strings.Split(w, "."); len(parts) == 3 && len(parts[2]) == 4 {
		y, err := strconv.Atoi(parts[2])
		return y, err == nil
	}
	return 0, false
}
