// Package tidy writes chipsim's tidy results CSV (one row per scenario,
// period, metric and entity) and escapes CSV cells against formula
// injection. It imports only the engine, so that the explorer's
// WebAssembly engine writes the same bytes as chipsim run without
// carrying the chart and report code.
package tidy

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
)

// CSVHeader is the header of chipsim's tidy results CSV.
var CSVHeader = []string{"scenario", "period", "metric", "entity", "value", "unit"}

// WriteCSV writes r as tidy long CSV: one row per scenario, period, metric
// and entity, with the metric's unit. Values are written with the fewest
// digits that read back exactly; +Inf marks an unbounded limit.
func WriteCSV(w io.Writer, scenario string, r *sim.Result, header bool) error {
	cw := csv.NewWriter(w)
	if header {
		if err := cw.Write(CSVHeader); err != nil {
			return err
		}
	}
	m := r.Model()
	cal := m.Calendar()
	labels := make([]string, cal.N)
	for t := range labels {
		labels[t] = SafeCell(cal.Label(t))
	}
	// Names come from scenario files: escape those a spreadsheet would
	// take for formulas.
	scenario = SafeCell(scenario)
	slots := m.Slots()
	names := make([][3]string, len(slots)) // metric, entity, unit
	for s, slot := range slots {
		names[s] = [3]string{SafeCell(slot.Metric.Name), SafeCell(slot.Entity), SafeCell(slot.Metric.Unit)}
	}
	row := make([]string, 6)
	buf := make([]byte, 0, 32)
	for t := 0; t < cal.N; t++ {
		for s := range slots {
			buf = strconv.AppendFloat(buf[:0], r.At(s, t), 'g', -1, 64)
			n := &names[s]
			row[0], row[1], row[2], row[3], row[4], row[5] = scenario, labels[t], n[0], n[1], string(buf), n[2]
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell escapes text for a CSV cell that a spreadsheet might otherwise
// run as a formula (CSV or formula injection): text beginning with =, +,
// -, @, a tab or a carriage return gets a single quote in front, unless it
// is a number, such as -0.5, +1e3 or -Inf, which is returned as it is. So
// are all other cells. Use it on every cell that holds text from input:
// scenario, input, entity and event names, sources, labels.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if !isNumber(s) {
			return "'" + s
		}
	}
	return s
}

// UnquoteCell undoes SafeCell for a reader of chipsim's CSV: it drops the
// single quote in front of text that SafeCell would escape. (Text that
// began with a quote and then such a character before SafeCell loses its
// quote too: SafeCell does not mark those.)
func UnquoteCell(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && SafeCell(rest) == s {
		return rest
	}
	return s
}

// isNumber reports whether s is a decimal number as strconv.FormatFloat
// and people write them, with an optional sign and exponent, or ±Inf:
// text no spreadsheet runs. Forms that strconv.ParseFloat also reads,
// such as hexadecimal, are not numbers here.
func isNumber(s string) bool {
	if s == "+Inf" || s == "-Inf" {
		return true
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
