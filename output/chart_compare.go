package output

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/suggest"
	"gonum.org/v1/plot"
)

// CompareMetrics are the metrics compared when none is chosen: the
// headline self-sufficiency ratios and the coverage of demand.
var CompareMetrics = []string{"ai.ssr_units", "ai.ssr_compute", "ai.coverage", "ic.ssr_value"}

// CompareCharts draws a Compare chart of each metric, in order.
func CompareCharts(frames []*Frame, metrics []string, o ChartOptions) ([]*Chart, error) {
	var out []*Chart
	for _, m := range metrics {
		ch, err := Compare(frames, m, o)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// Compare draws one metric by year for several scenarios, one line each.
// The metric must have a whole-market value (entity "all"); ratios are
// drawn as percentages on a 0-100% axis.
func Compare(frames []*Frame, metric string, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("compare chart: %w", err)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("compare chart: no scenarios")
	}
	d, ok := sim.MetricByName(metric)
	if !ok {
		names := make([]string, len(sim.Metrics))
		for i, m := range sim.Metrics {
			names[i] = m.Name
		}
		msg := fmt.Sprintf("compare chart: unknown metric %q", metric)
		if near := nearest(metric, names, 3); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, " or ") + "?)"
		}
		return nil, fmt.Errorf("%s", msg)
	}
	if d.Per != "" {
		var whole []string
		for _, m := range sim.Metrics {
			if m.Per == "" {
				whole = append(whole, m.Name)
			}
		}
		msg := fmt.Sprintf("compare chart: metric %s is reported per %s, with no whole-market value to compare", metric, d.Per)
		if near := nearest(metric, whole, 3); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, " or ") + "?)"
		}
		return nil, fmt.Errorf("%s", msg)
	}
	ratio := d.Unit == "ratio" || d.Unit == "share"
	years := map[int]bool{}
	vals := make([][]float64, len(frames))
	var names []string
	peak := 0.0
	for i, f := range frames {
		v, ok := f.Annual(metric, "all")
		if !ok {
			if d.Agg == sim.Ratio {
				return nil, fmt.Errorf("compare chart: scenario %s has no values for %s: a ratio needs %s and %s", f.Scenario, metric, d.Num, d.Den)
			}
			return nil, fmt.Errorf("compare chart: scenario %s has no values for %s", f.Scenario, metric)
		}
		vals[i] = v
		for _, y := range f.Years() {
			years[y] = true
		}
		for _, x := range v {
			if !math.IsInf(x, 0) && !math.IsNaN(x) {
				peak = max(peak, math.Abs(x))
			}
		}
		names = append(names, f.Scenario)
	}
	div, unit := 1.0, d.Unit
	if !ratio {
		div, unit = scaleUnit(peak, d.Unit)
	}
	def := shortDoc(d.Doc)
	c := &Chart{
		Name:     "compare-" + strings.ReplaceAll(metric, ".", "-"),
		Title:    capitalise(MetricTitle(metric)) + ", by scenario",
		Subtitle: metric + ": " + def,
		Source:   sourceLine(names, frames[0].Version, o.Date),
	}
	// The y label names the quantity when it fits beside the unit, else
	// only the unit: the title defines the metric in full.
	unitText := unit + aggWord(d.Agg)
	if ratio {
		unitText = "%"
	}
	ylabel := def + " (" + unitText + ")"
	if len([]rune(ylabel)) > 34 {
		ylabel = unitText
		if ratio {
			ylabel = "share (%)"
		}
	}
	p := newPlot("year", ylabel)
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{offset: 0.5}
	for i, f := range frames {
		xs := make([]float64, len(vals[i]))
		ys := make([]float64, len(vals[i]))
		for j, y := range f.Years() {
			xs[j] = float64(y) + 0.5
			ys[j] = vals[i][j] / div
		}
		sty := LineStyle(i)
		if err := segments(p, xs, ys, sty); err != nil {
			return nil, err
		}
		c.addLegend(f.Scenario, lineThumb(sty))
	}
	var all []int
	for y := range years {
		all = append(all, y)
	}
	sort.Ints(all)
	p.X.Min, p.X.Max = float64(all[0])+0.5, float64(all[len(all)-1])+0.5
	if ratio {
		p.Y.Tick.Marker = percentTicks{}
		p.Y.Min, p.Y.Max = 0, 1
	} else {
		p.Y.Tick.Marker = fewTicks{}
		if p.Y.Min > 0 {
			p.Y.Min = 0
		}
		p.Y.Max = roundUp(p.Y.Min, p.Y.Max)
	}
	note := aggNote(d.Agg) + "."
	if d.Doc != def {
		note = metric + ": " + d.Doc + "; " + note
	} else {
		note = strings.ToUpper(note[:1]) + note[1:]
	}
	c.Notes = []string{note}
	seen := map[string]bool{}
	for _, f := range frames {
		if n := f.partialYears(); n != "" && !seen[n] {
			seen[n] = true
			c.Notes = append(c.Notes, f.Scenario+": "+n)
		}
	}
	c.Plots = []*plot.Plot{p}
	return c, nil
}

// shortDoc is a metric's definition up to its first aside.
func shortDoc(doc string) string {
	for _, sep := range []string{" (", ", ", "; "} {
		if i := strings.Index(doc, sep); i > 0 {
			doc = doc[:i]
		}
	}
	return doc
}

// aggWord qualifies a unit by how a metric's periods make a year.
func aggWord(a sim.Agg) string {
	switch a {
	case sim.Sum:
		return " per year"
	case sim.Last:
		return ", end of year"
	case sim.Mean:
		return ", yearly mean"
	}
	return ""
}

func aggNote(a sim.Agg) string {
	switch a {
	case sim.Sum:
		return "yearly sums"
	case sim.Last:
		return "value at the end of each year"
	case sim.Mean:
		return "yearly means"
	}
	return "yearly, as the ratio of the year's sums"
}

// scaleUnit picks a multiple of a unit that keeps axis numbers short.
func scaleUnit(peak float64, unit string) (float64, string) {
	switch unit {
	case "USD m":
		if peak >= 1e3 {
			return 1e3, "USD bn"
		}
		return 1, unit
	case "USD bn":
		return 1, unit
	}
	switch {
	case peak >= 1e9:
		return 1e9, "billion " + unit
	case peak >= 1e6:
		return 1e6, "million " + unit
	case peak >= 1e4:
		return 1e3, "thousand " + unit
	}
	return 1, unit
}

// nearest returns up to n candidates closest to s by edit distance (or
// containing it), best first; none when nothing is close.
func nearest(s string, candidates []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	limit := max(2, len(s)/3)
	var got []scored
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := suggest.Distance(ls, lc)
		if len(ls) >= 3 && (strings.Contains(lc, ls) || strings.Contains(ls, lc)) {
			d = min(d, limit)
		}
		if d <= limit {
			got = append(got, scored{c, d})
		}
	}
	sort.SliceStable(got, func(i, j int) bool { return got[i].d < got[j].d })
	var out []string
	for i := 0; i < len(got) && i < n; i++ {
		out = append(out, got[i].name)
	}
	return out
}
