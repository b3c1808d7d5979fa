package output

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/chipsim/chipsim/sim"
)

// Headline lists the metrics of the headline table, in column order.
var Headline = []string{
	"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage", "ic.ssr_value", "ic.ssr_located",
	"ai.units_domestic", "ai.units_import", "ai.units_grey", "ai.unmet_h100e",
}

// Event is a policy event as reported in summaries and on charts.
type Event struct {
	Period string `json:"period"`
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
	Where  string `json:"where"`
}

// Run is one scenario's results with what a report needs to describe it.
type Run struct {
	Scenario    string
	Description string
	Chain       []string
	Events      []Event
	Products    []Product
	Result      *sim.Result
}

// Summary is the JSON summary of one run.
type Summary struct {
	Scenario    string          `json:"scenario"`
	Description string          `json:"description"`
	Chain       []string        `json:"extends_chain"`
	Version     string          `json:"chipsim_version"`
	Start       string          `json:"start"`
	End         string          `json:"end"`
	Step        string          `json:"step"`
	Years       []int           `json:"years"`
	Metrics     []SummaryMetric `json:"metrics"`
	Binding     []Binding       `json:"binding_constraints"`
	Events      []Event         `json:"events"`
	Products    []Product       `json:"products"`
}

// SummaryMetric is one headline metric by year.
type SummaryMetric struct {
	Name       string    `json:"name"`
	Unit       string    `json:"unit"`
	Definition string    `json:"definition"`
	Annual     []float64 `json:"annual"`
}

// Binding is a domestic product's binding constraint by year (the last
// period of the year), by name.
type Binding struct {
	Product string   `json:"product"`
	Annual  []string `json:"annual"`
}

// NewSummary builds the JSON summary of a run.
func NewSummary(run *Run, version string) *Summary {
	r := run.Result
	m := r.Model()
	cal := m.Calendar()
	s := &Summary{
		Scenario: run.Scenario, Description: run.Description, Chain: run.Chain, Version: version,
		Start: cal.Label(0), End: cal.Label(cal.N - 1), Step: cal.Step.String(),
		Years: Years(cal), Events: run.Events, Products: run.Products,
	}
	for _, name := range Headline {
		d, _ := sim.MetricByName(name)
		v, _ := Annual(r, name, "all")
		for i := range v {
			v[i] = round(v[i])
		}
		s.Metrics = append(s.Metrics, SummaryMetric{Name: name, Unit: d.Unit, Definition: d.Doc, Annual: v})
	}
	bd, _ := sim.MetricByName("product.binding")
	for _, p := range m.Entities(bd) {
		v, _ := Annual(r, "product.binding", p)
		b := Binding{Product: p}
		for _, x := range v {
			b.Annual = append(b.Annual, sim.BindingNames[int(x)])
		}
		s.Binding = append(s.Binding, b)
	}
	return s
}

// round keeps 6 significant digits, so summaries do not show float noise.
func round(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// WriteJSON writes the summary as indented JSON.
func WriteJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteTable prints the headline ratios and volumes by year as a text
// table, with each ratio's definition below it.
func WriteTable(w io.Writer, run *Run) error {
	r := run.Result
	cal := r.Model().Calendar()
	years := Years(cal)
	cols := []struct{ metric, head string }{
		{"ai.ssr_units", "ssr_units"}, {"ai.ssr_compute", "ssr_compute"}, {"ai.ssr_stock", "ssr_stock"},
		{"ai.coverage", "coverage"}, {"ic.ssr_value", "ic_value"},
		{"ai.units_domestic", "domestic"}, {"ai.units_import", "imports"}, {"ai.units_grey", "grey"},
		{"ai.unmet_h100e", "unmet_H100e"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s to %s\n", run.Scenario, cal.Label(0), cal.Label(cal.N-1))
	fmt.Fprintf(&b, "%-6s", "year")
	for _, c := range cols {
		fmt.Fprintf(&b, " %11s", c.head)
	}
	b.WriteByte('\n')
	vals := make([][]float64, len(cols))
	for i, c := range cols {
		vals[i], _ = Annual(r, c.metric, "all")
	}
	for y, year := range years {
		fmt.Fprintf(&b, "%-6s", YearLabel(cal, year))
		for i, c := range cols {
			d, _ := sim.MetricByName(c.metric)
			if d.Unit == "ratio" {
				fmt.Fprintf(&b, " %11.3f", vals[i][y])
			} else {
				fmt.Fprintf(&b, " %11s", Human(vals[i][y]))
			}
		}
		b.WriteByte('\n')
	}
	b.WriteString(PartialYearsNote(cal))
	b.WriteString("\nDefinitions (yearly ratios are ratios of yearly sums; ssr_stock at year end):\n")
	for _, c := range cols[:5] {
		d, _ := sim.MetricByName(c.metric)
		fmt.Fprintf(&b, "  %-11s %s\n", c.head, d.Doc)
	}
	b.WriteString("  domestic, imports, grey: accelerator units delivered in the year; unmet_H100e: compute wanted that no source could serve\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Human formats a volume compactly: 812k, 1.65M.
func Human(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsInf(v, 0):
		return "inf"
	case a >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// WriteComparison prints one metric by year for several scenarios side by
// side, with the metric's definition.
func WriteComparison(w io.Writer, frames []*Frame, metric string) error {
	d, ok := sim.MetricByName(metric)
	if !ok {
		return fmt.Errorf("compare: unknown metric %q", metric)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n", metric, d.Unit, d.Doc)
	fmt.Fprintf(&b, "%-6s", "year")
	width := 11
	for _, f := range frames {
		width = max(width, len(f.Scenario))
	}
	vals := make([][]float64, len(frames))
	for i, f := range frames {
		fmt.Fprintf(&b, " %*s", width, f.Scenario)
		v, ok := f.Annual(metric, "all")
		if !ok {
			return fmt.Errorf("compare: %s has no %s", f.Scenario, metric)
		}
		vals[i] = v
	}
	b.WriteByte('\n')
	for y, year := range frames[0].Years() {
		fmt.Fprintf(&b, "%-6d", year)
		for i, f := range frames {
			cell := "–"
			if ys := f.Years(); y < len(ys) && ys[y] == year {
				if d.Unit == "ratio" {
					cell = fmt.Sprintf("%.3f", vals[i][y])
				} else {
					cell = Human(vals[i][y])
				}
			}
			fmt.Fprintf(&b, " %*s", width, cell)
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
