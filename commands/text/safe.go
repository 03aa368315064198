package text

import (
	"fmt"
	"strings"
)

// isControl reports the characters no text field keeps: C0 controls (NUL,
// ESC, tab, CR, LF…), DEL, C1 controls, and the bidirectional overrides and
// isolates that make a terminal or an editor show text in another order than
// it is stored.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// BadControl returns the first control character of s that a field may not
// hold: every one, except a line feed (and a CR before it) where the field
// allows several lines (multiLine).
func BadControl(s string, multiLine bool) (rune, bool) {
	for i, r := range s {
		if !isControl(r) {
			continue
		}
		if multiLine && (r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n")) {
			continue
		}
		return r, true
	}
	return 0, false
}

// ControlName names a control character for a message: U+001B (ESC).
func ControlName(r rune) string {
	names := map[rune]string{0: "NUL", '\t': "TAB", '\n': "LF", '\r': "CR", 0x1b: "ESC", 0x7f: "DEL"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// Printable makes stored text safe to write out (a terminal, a CSV, an ICS
// or vCard file): a tab, and a line break where only one line is wanted,
// become a space; every other control character is dropped. Where several
// lines are wanted (multiLine), line breaks stay as "\n".
func Printable(s string, multiLine bool) string {
	clean := true
	for _, r := range s {
		if isControl(r) && !(multiLine && r == '\n') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' && multiLine:
			b.WriteRune(r)
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// formulaStart reports a cell a spreadsheet would take for a formula (OWASP's
// CSV injection rule): one starting with =, +, -, @, a tab or a CR.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// CSVCell makes a cell safe for a spreadsheet: control characters out (see
// Printable; line breaks stay, quoted by the CSV writer), and a cell that
// would start a formula is prefixed with ' so that it is shown as text.
// A cell that already starts with quotes before such a character gets one
// more, so that FromCSVCell gives back exactly what was written.
func CSVCell(s string) string {
	s = Printable(s, true)
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// FromCSVCell undoes CSVCell on a cell read back from a file: the ' added
// before a formula character goes; anything else is kept as it is.
func FromCSVCell(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}
