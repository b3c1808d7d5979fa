package study

import (
	"fmt"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/suggest"
)

// MetricSlots returns the result slots of the named metrics, every entity
// of each, or, with no names, of every whole-market metric (codes left
// out): what a Monte Carlo summarises by default.
func MetricSlots(m *sim.Model, metrics []string) ([]int, error) {
	var out []int
	if len(metrics) == 0 {
		for i, sl := range m.Slots() {
			if sl.Metric.Per == "" && sl.Metric.Unit != "code" {
				out = append(out, i)
			}
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, name := range metrics {
		if seen[name] {
			continue // a metric named twice is summarised once
		}
		seen[name] = true
		d, ok := sim.MetricByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown metric %q%s", name, nearest(name))
		}
		for _, e := range m.Entities(d) {
			i, _ := m.SlotIndex(name, e)
			out = append(out, i)
		}
	}
	return out, nil
}

func nearest(name string) string {
	best, bestD := "", 4
	for _, md := range sim.Metrics {
		if d := suggest.Distance(strings.ToLower(name), md.Name); d < bestD {
			best, bestD = md.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// YearlyOutcomes returns, for each slot and each year of the run, the
// outcome of the slot's yearly value (flows summed, stocks at the year's
// end, ratios of yearly sums), slot by slot; and the years.
func YearlyOutcomes(m *sim.Model, slots []int) ([]*outcome.Outcome, []int, error) {
	cal := m.Calendar()
	var years []int
	for t := 0; t < cal.N; t++ {
		if y := cal.Year(t); len(years) == 0 || years[len(years)-1] != y {
			years = append(years, y)
		}
	}
	var exprs []string
	for _, sl := range slots {
		s := m.Slots()[sl]
		ref := s.Metric.Name
		if s.Metric.Per != "" {
			ref += "[" + s.Entity + "]"
		}
		for _, y := range years {
			exprs = append(exprs, fmt.Sprintf("%s@%d", ref, y))
		}
	}
	outs, err := outcome.ParseList(exprs, m)
	return outs, years, err
}
