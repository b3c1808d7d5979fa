package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim"
)

// Format is how a command prints data: an aligned table for people, or
// CSV or JSON for programs.
type Format string

// Formats of printed data.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
)

// ParseFormat reads table, csv or json.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.TrimSpace(s)); f {
	case FormatTable, FormatCSV, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q; want table, csv or json", s)
}

// Table is rows of text under named columns. As a table for people it
// prints the columns' names in capitals when Header is set; as CSV it
// always has a header row; as JSON it is an array of objects keyed by the
// columns' names.
type Table struct {
	Columns []string
	Rows    [][]string
	Header  bool
	// Numeric marks the columns JSON writes as numbers (a cell that is not
	// a number is written as a string).
	Numeric []bool
}

// Write prints the table in format f.
func (t *Table) Write(w io.Writer, f Format) error {
	switch f {
	case FormatCSV:
		cw := newSafeCSV(w)
		cw.Write(t.Columns)
		cw.WriteAll(t.Rows)
		return cw.Error()
	case FormatJSON:
		return t.writeJSON(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if t.Header {
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.Columns, "\t")))
	}
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// writeJSON writes the rows as an array of objects, keys in column order.
func (t *Table) writeJSON(w io.Writer) error {
	rows := make([]orderedRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = orderedRow{t: t, cells: r}
	}
	return WriteJSONValue(w, rows)
}

// orderedRow is a table row as a JSON object with its keys in column
// order.
type orderedRow struct {
	t     *Table
	cells []string
}

func (r orderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for j, c := range r.t.Columns {
		if j > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(c)
		cell := ""
		if j < len(r.cells) {
			cell = r.cells[j]
		}
		val, _ := json.Marshal(cell)
		if j < len(r.t.Numeric) && r.t.Numeric[j] {
			if v, err := strconv.ParseFloat(cell, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
				val = []byte(cell)
			}
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// WriteJSONValue writes v as indented JSON, ending in a newline. A nil
// slice is written as [].
func WriteJSONValue(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ComparisonTable lists metrics by year for several scenarios: one row
// per metric, year and scenario, values at full precision.
func ComparisonTable(frames []*Frame, metrics []string) (*Table, error) {
	t := &Table{Columns: []string{"metric", "year", "scenario", "value", "unit"}, Header: true, Numeric: []bool{false, true, false, true}}
	for _, m := range metrics {
		for _, f := range frames {
			v, ok := f.Annual(m, "all")
			if !ok {
				return nil, fmt.Errorf("compare: %s has no %s", f.Scenario, m)
			}
			unit := ""
			if d, ok := sim.MetricByName(m); ok {
				unit = d.Unit
			}
			for i, y := range f.Years() {
				t.Rows = append(t.Rows, []string{m, strconv.Itoa(y), f.Scenario, strconv.FormatFloat(v[i], 'g', -1, 64), unit})
			}
		}
	}
	return t, nil
}

// WriteComparisons prints metrics by year for several scenarios: a table
// per metric for people, or one record per metric, year and scenario as
// CSV or JSON.
func WriteComparisons(w io.Writer, frames []*Frame, metrics []string, f Format) error {
	if f != FormatTable {
		t, err := ComparisonTable(frames, metrics)
		if err != nil {
			return err
		}
		return t.Write(w, f)
	}
	for _, m := range metrics {
		if err := WriteComparison(w, frames, m); err != nil {
			return err
		}
	}
	return nil
}

// Rows is data a command prints: as an aligned table or CSV, its rows
// under its columns; as JSON, the value itself.
type Rows interface {
	Columns() []string
	Rows() [][]string
}

// Texter is data with its own layout for people.
type Texter interface {
	WriteText(w io.Writer) error
}

// Print prints v in format f: JSON of v, CSV of its rows, or for people
// its own text when it has one, else its rows under a header in capitals.
func Print(w io.Writer, f Format, v Rows) error {
	switch f {
	case FormatJSON:
		return WriteJSONValue(w, v)
	case FormatTable:
		if t, ok := v.(Texter); ok {
			return t.WriteText(w)
		}
	}
	t := &Table{Columns: v.Columns(), Rows: v.Rows(), Header: true}
	return t.Write(w, f)
}

// JSON encodes the table as an array of objects, keys in column order.
func (t *Table) JSON() ([]byte, error) {
	rows := make([]orderedRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = orderedRow{t: t, cells: r}
	}
	return json.Marshal(rows)
}
