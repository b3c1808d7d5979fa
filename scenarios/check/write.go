package check

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim"
)

// WriteTable prints results for people, under a heading per kind when
// headings is set; cite shortens a source for the table (the CSV and JSON
// keep it whole).
func WriteTable(w io.Writer, rs []Result, headings bool, cite func(string) string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	kind := ""
	for _, r := range rs {
		if r.Kind != kind && headings {
			if kind != "" {
				fmt.Fprintln(tw)
			}
			kind = r.Kind
			fmt.Fprintf(tw, "%s\tcheck\tscenario\tmodel\texpected\tsource or detail\n", kindTitle(kind))
		}
		mark := "ok"
		if !r.Pass {
			mark = "FAIL"
		}
		note := cite(r.Source)
		if note == "" || (!r.Pass && r.Detail != "") {
			note = r.Detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, r.What, r.Scenario, value(r), r.Expected, note)
	}
	return tw.Flush()
}

func kindTitle(kind string) string {
	return map[string]string{"history": "HISTORY", "comparison": "STORIES", "binding": "BINDING", "invariant": "INVARIANTS"}[kind]
}

// value formats a result's model value: comparisons as a signed percent,
// binding shares as a percent of periods.
func value(r Result) string {
	switch r.Kind {
	case "comparison":
		if math.IsInf(r.Value, 0) {
			return fmt.Sprint(r.Value)
		}
		return fmt.Sprintf("%+.1f%%", 100*r.Value)
	case "binding":
		return fmt.Sprintf("%.0f%%", 100*r.Value)
	}
	return Format(r.Value)
}

type checkJSON struct {
	Kind     string   `json:"kind"`
	ID       string   `json:"id"`
	Scenario string   `json:"scenario"`
	What     string   `json:"what"`
	Value    *float64 `json:"value"`
	Expected string   `json:"expected"`
	Pass     bool     `json:"pass"`
	Detail   string   `json:"detail,omitempty"`
	Source   string   `json:"source,omitempty"`
	Position string   `json:"position"`
}

// WriteJSON writes results as a JSON array of objects.
func WriteJSON(w io.Writer, rs []Result) error {
	out := make([]checkJSON, 0, len(rs))
	for _, r := range rs {
		j := checkJSON{Kind: r.Kind, ID: r.ID, Scenario: r.Scenario, What: r.What, Expected: r.Expected, Pass: r.Pass,
			Detail: r.Detail, Source: r.Source, Position: r.Pos.String()}
		if v := r.Value; !math.IsNaN(v) && !math.IsInf(v, 0) {
			j.Value = &v
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// WriteCSV writes results as CSV with a header row, each cell through
// cell (output.SafeCell keeps spreadsheets from running text as formulas).
func WriteCSV(w io.Writer, rs []Result, cell func(string) string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kind", "id", "scenario", "what", "value", "expected", "pass", "detail", "source", "position"})
	for _, r := range rs {
		rec := []string{r.Kind, r.ID, r.Scenario, r.What, strconv.FormatFloat(r.Value, 'g', -1, 64), r.Expected,
			strconv.FormatBool(r.Pass), r.Detail, r.Source, r.Pos.String()}
		for i := range rec {
			rec[i] = cell(rec[i])
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteObservations writes f's facts of history up to HistoryEnds as an
// observations file for chipsim calibrate: a row per fact with both ends
// of its accepted range, its middle as the value and half the range's
// width as sigma (the tolerance that fits the spread of the sources
// stands for one standard deviation). One-sided facts (only a min or a
// max) are left out: they bound the model rather than observe a value.
func (f *File) WriteObservations(w io.Writer, cell func(string) string) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "scenario", "period", "metric", "entity", "value", "sigma", "source"})
	var end sim.Month = math.MaxInt32
	if f.HistoryEnds != "" {
		e, step, err := sim.ParseMonth(f.HistoryEnds)
		if err != nil {
			return fmt.Errorf("%s: history_ends %q: %w", f.Name, f.HistoryEnds, err)
		}
		end = e + sim.Month(step) - 1
	}
	for _, o := range f.History {
		m, _, err := sim.ParseMonth(o.Period)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", o.Pos, o.ID, err)
		}
		if m > end || math.IsInf(o.Lo, 0) || math.IsInf(o.Hi, 0) || !(o.Hi > o.Lo) {
			continue
		}
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		cw.Write([]string{cell(o.ID), cell(o.Scenario), o.Period, o.Metric, cell(o.Entity), g((o.Lo + o.Hi) / 2), g((o.Hi - o.Lo) / 2), cell(o.Source)})
	}
	cw.Flush()
	return cw.Error()
}
