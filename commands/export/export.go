// Package export writes tables as files people open in a spreadsheet: CSV
// for anything, and XLSX (with github.com/xuri/excelize/v2) as a real
// spreadsheet with typed date and number cells, a frozen header row, set
// and set column widths.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Kind is the type of a column's cells.
type Kind int

// The kinds of cells.
const (
	Text Kind = iota
	Int       // a whole number, or empty
	Date      // a civil date, or empty
)

// Column is a column of a table.
type Column struct {
	Header string
	Kind   Kind
	Width  float64 // in characters, as spreadsheets measure it
}

// Cell is one value: Text cells use S, Int cells N (when Set), Date cells D
// (when Set; only its year, month and day count).
type Cell struct {
	S   string
	N   int
	D   time.Time
	Set bool
}

// Str, Num and Day build cells.
func Str(s string) Cell    { return Cell{S: s, Set: s != ""} }
func Num(n int) Cell       { return Cell{N: n, Set: true} }
func Day(t time.Time) Cell { return Cell{D: t, Set: !t.IsZero()} }
func Blank() Cell          { return Cell{} }
func NumIf(n int, ok bool) Cell {
	if !ok {
		return Blank()
	}
	return Num(n)
}

// Table is what is exported: a sheet name, columns and rows.
type Table struct {
	Sheet   string
	Columns []Column
	Rows    [][]Cell
}

func (t *Table) check() error {
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("export: row %d has %d cells for %d columns", i+1, len(r), len(t.Columns))
		}
	}
	return nil
}

// CSV writes the table for a spreadsheet in a Romanian locale: UTF-8 with a
// byte-order mark (so that diacritics survive opening it in Excel), ';'
// between fields (the list separator where ',' is the decimal comma), dates
// as 25.11.2026. A text cell that a spreadsheet would take for a formula
// (=, +, -, @…) is prefixed with ' (text.CSVCell).
func CSV(t *Table) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.UseCRLF = true
	row := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = text.CSVCell(c.Header)
	}
	if err := w.Write(row); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			row[i] = ""
			if !c.Set {
				continue
			}
			switch t.Columns[i].Kind {
			case Int:
				row[i] = strconv.Itoa(c.N)
			case Date:
				row[i] = c.D.Format("02.01.2006")
			default:
				row[i] = text.CSVCell(c.S) // no formulas, no control characters
			}
		}
		if err := w.Write(row); err != nil {
			return nil, fmt.Errorf("export csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	return b.Bytes(), nil
}

// dateFormat is how date cells show (the cell holds a date serial number).
const dateFormat = "dd.mm.yyyy"

// XLSX writes the table as a workbook of one sheet, streaming its rows.
func XLSX(t *Table) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	dateFmt := dateFormat
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	// Widths and panes go before the first row.
	for i, c := range t.Columns {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return nil, fmt.Errorf("export xlsx: %w", err)
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	row := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = excelize.Cell{StyleID: header, Value: c.Header}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	for n, r := range t.Rows {
		for i, c := range r {
			switch {
			case !c.Set:
				row[i] = nil
			case t.Columns[i].Kind == Int:
				row[i] = c.N
			case t.Columns[i].Kind == Date:
				y, m, d := c.D.Date()
				row[i] = excelize.Cell{StyleID: date, Value: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
			default:
				// A string cell is never a formula in a workbook: only the
				// control characters go (XML cannot hold most of them).
				row[i] = text.Printable(c.S, true)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, fmt.Errorf("export xlsx: row %d: %w", n+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	return b.Bytes(), nil
}
