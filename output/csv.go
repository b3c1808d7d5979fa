package output

import (
	"encoding/csv"
	"io"

	"github.com/chipsim/chipsim/output/tidy"
	"github.com/chipsim/chipsim/sim"
)

// CSVHeader is the header of chipsim's tidy results CSV.
var CSVHeader = tidy.CSVHeader

// WriteCSV writes r as tidy long CSV: one row per scenario, period, metric
// and entity, with the metric's unit (tidy.WriteCSV).
func WriteCSV(w io.Writer, scenario string, r *sim.Result, header bool) error {
	return tidy.WriteCSV(w, scenario, r, header)
}

// SafeCell escapes text for a CSV cell that a spreadsheet might otherwise
// run as a formula (tidy.SafeCell).
func SafeCell(s string) string { return tidy.SafeCell(s) }

// UnquoteCell undoes SafeCell for a reader of chipsim's CSV
// (tidy.UnquoteCell).
func UnquoteCell(s string) string { return tidy.UnquoteCell(s) }

// safeCSV is a CSV writer that escapes every cell with SafeCell.
type safeCSV struct {
	*csv.Writer
	buf []string
}

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{Writer: csv.NewWriter(w)} }

// Write writes a record, each cell through SafeCell.
func (c *safeCSV) Write(rec []string) error {
	c.buf = c.buf[:0]
	for _, s := range rec {
		c.buf = append(c.buf, SafeCell(s))
	}
	return c.Writer.Write(c.buf)
}

// WriteAll writes records and flushes.
func (c *safeCSV) WriteAll(recs [][]string) error {
	for _, r := range recs {
		if err := c.Write(r); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
