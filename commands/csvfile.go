package commands

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvTable is a CSV file as people export it from Excel here: UTF-8 with or
// without a byte order mark (or, failing that, Windows-1250 or UTF-16),
// separated by ";" (Excel in Romanian), "," or tabs, the first row a header.
type csvTable struct {
	header  []string
	headerL int // the header's line
	rows    []csvRow
	sep     rune
	// decoded says how the bytes were read when they were not UTF-8.
	decoded string
}

// csvRow is a row of cells and the line of the file it starts on, as Excel
// numbers rows (the header is line 1).
type csvRow struct {
	line  int
	cells []string
}

// readCSV decodes a CSV file. Blank rows and lines starting with # are
// skipped.
func readCSV(data []byte) (*csvTable, *problem) {
	t := &csvTable{}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, _, err := transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder(), data)
		if err != nil {
			return nil, probf("Fișierul pare UTF-16, dar nu se poate citi: %v.", "The file looks like UTF-16 but cannot be read: %v.", err)
		}
		data, t.decoded = out, "UTF-16"
	case !utf8.Valid(data):
		out, _, err := transform.Bytes(charmap.Windows1250.NewDecoder(), data)
		if err != nil {
			return nil, probf("Fișierul nu este UTF-8 și nu se poate citi: %v.", "The file is not UTF-8 and cannot be read: %v.", err)
		}
		data, t.decoded = out, "Windows-1250"
	}
	t.sep = guessSeparator(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.Comment, r.FieldsPerRecord, r.LazyQuotes, r.TrimLeadingSpace = t.sep, '#', -1, true, true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, probf("Rândul %d nu se poate citi: %v.", "Line %d cannot be read: %v.", pe.StartLine, pe.Err)
		}
		if err != nil {
			return nil, probf("Fișierul nu se poate citi: %v.", "The file cannot be read: %v.", err)
		}
		line, _ := r.FieldPos(0)
		blank := true
		for i, cell := range rec {
			// Tabs and line breaks in a cell are spaces to the fields that
			// read it; any other control character refuses the file.
			if r, bad := text.BadControl(cellSpaces.Replace(cell), true); bad {
				return nil, probf("Rândul %d, coloana %d: caracterul de control %s nu se păstrează; scoateți-l din fișier.",
					"Line %d, column %d: the control character %s is not kept; remove it from the file.", line, i+1, text.ControlName(r))
			}
			rec[i] = text.FromCSVCell(strings.TrimSpace(cell))
			blank = blank && rec[i] == ""
		}
		if blank {
			continue
		}
		if t.header == nil {
			t.header, t.headerL = rec, line
			continue
		}
		t.rows = append(t.rows, csvRow{line: line, cells: rec})
	}
	if t.header == nil {
		return nil, probf("Fișierul este gol.", "The file is empty.")
	}
	return t, nil
}

// guessSeparator picks the separator of the first row that is not a
// comment: the most frequent of ; , and tab outside quotes.
func guessSeparator(data []byte) rune {
	for _, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		counts := map[rune]int{}
		quoted := false
		for _, r := range s {
			switch {
			case r == '"':
				quoted = !quoted
			case !quoted && (r == ';' || r == ',' || r == '\t'):
				counts[r]++
			}
		}
		best := ','
		for _, r := range []rune{';', '\t'} {
			if counts[r] > counts[best] {
				best = r
			}
		}
		return best
	}
	return ','
}

// column is a field of an import and the header names it goes by (folded,
// Romanian and English).
type column struct {
	key   string
	names []string
}

// headerName folds a header cell for matching: "E-mail" and "e mail",
// "Funcția" and "FUNCTIA" are the same.
func headerName(s string) string { return strings.Join(text.Words(s), " ") }

// mapHeader finds which column holds each field. Columns it does not know
// are returned to be named in the reply (quiet ones, like a row counter, are
// not); a field named by two columns is an error.
func (t *csvTable) mapHeader(cols []column, quiet []string) (at map[string]int, unknown []string, p *problem) {
	names := map[string]string{}
	for _, c := range cols {
		for _, n := range c.names {
			names[headerName(n)] = c.key
		}
	}
	silent := map[string]bool{}
	for _, n := range quiet {
		silent[headerName(n)] = true
	}
	at = map[string]int{}
	for i, h := range t.header {
		key, ok := names[headerName(h)]
		switch {
		case ok:
			if j, dup := at[key]; dup {
				return nil, nil, probf("Coloanele %d („%s”) și %d („%s”) spun același lucru; păstrați una.",
					"Columns %d (“%s”) and %d (“%s”) say the same thing; keep one.", j+1, t.header[j], i+1, h)
			}
			at[key] = i
		case h == "" || silent[headerName(h)]:
		default:
			unknown = append(unknown, h)
		}
	}
	return at, unknown, nil
}

// cell returns the value of a field in a row, and whether the file has the
// column.
func (r csvRow) cell(at map[string]int, key string) (string, bool) {
	i, ok := at[key]
	if !ok {
		return "", false
	}
	if i < len(r.cells) {
		return r.cells[i], true
	}
	return "", true
}

// extraCells reports a row with more cells than the header: usually a
// separator inside a value that was not quoted.
func (t *csvTable) extraCells(r csvRow) *problem {
	for i := len(t.header); i < len(r.cells); i++ {
		if r.cells[i] != "" {
			return probf("are %d coloane, antetul %d — un „%c” nescăpat într-o valoare? Puneți valoarea între ghilimele.",
				"has %d columns, the header %d — a “%c” inside a value that is not quoted? Put the value in quotes.", len(r.cells), len(t.header), t.sep)
		}
	}
	return nil
}

// badRow is a row the import refuses, and why.
type badRow struct {
	line int
	why  []*problem
}

// maxBadRows is how many bad rows a reply lists.
const maxBadRows = 20

// rejectImport is the reply to a file with bad rows: each is listed by line,
// and nothing is imported.
func (c *Call) rejectImport(name string, bad []badRow, rows int) Reply {
	are := c.T("sunt greșite", "are wrong")
	if len(bad) == 1 {
		are = c.T("este greșit", "is wrong")
	}
	r := Reply{Kind: Invalid, Title: c.T("Nu am importat nimic din „%s”: %d din %s %s.", "Nothing was imported from “%s”: %d of %s %s.",
		name, len(bad), c.countOf(rows, text.Randuri, "row", "rows"), are)}
	for i, b := range bad {
		if i == maxBadRows {
			r.Lines = append(r.Lines, c.T("… și încă %s.", "… and %s more.", c.countOf(len(bad)-i, text.RanduriGresite, "bad row", "bad rows")))
			break
		}
		var why []string
		for _, p := range b.why {
			why = append(why, strings.TrimSuffix(p.text(c.Lang), "."))
		}
		r.Lines = append(r.Lines, c.T("rândul %d: %s", "line %d: %s", b.line, strings.Join(why, "; ")))
	}
	r.Lines = append(r.Lines, c.T("Corectați rândurile și importați din nou tot fișierul.", "Fix the rows and import the whole file again."))
	return r
}

// importNotes tells how the file was read, when that is worth knowing.
func (c *Call) importNotes(t *csvTable, unknown []string) []string {
	var out []string
	if t.decoded != "" {
		out = append(out, c.T("Fișierul nu era UTF-8; l-am citit ca %s.", "The file was not UTF-8; it was read as %s.", t.decoded))
	}
	if len(unknown) > 0 {
		out = append(out, c.T("Coloane ignorate: %s.", "Columns ignored: %s.", strings.Join(unknown, ", ")))
	}
	return out
}

// writeCSV writes rows as Excel here opens them: UTF-8 with a byte order
// mark (else Excel reads Windows-1250), ";" separated, CRLF line ends. A
// cell a spreadsheet would take for a formula (=, +, -, @…) is prefixed
// with ', which readCSV takes off again (text.CSVCell, text.FromCSVCell).
func writeCSV(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	b.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = ';', true
	safe := make([][]string, len(rows))
	for i, row := range rows {
		safe[i] = make([]string, len(row))
		for j, cell := range row {
			safe[i][j] = text.CSVCell(cell)
		}
	}
	if err := w.WriteAll(safe); err != nil {
		return nil, fmt.Errorf("write CSV: %w", err)
	}
	return b.Bytes(), nil
}

// cellSpaces turns tabs and carriage returns inside a cell into spaces.
var cellSpaces = strings.NewReplacer("\t", " ", "\r", " ")
