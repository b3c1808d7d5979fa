// Package output writes chipsim results: tidy CSV, a JSON summary, the
// headline table, and (with gonum/plot) charts. It reads sim results and
// never changes them.
package output

import (
	"github.com/chipsim/chipsim/sim"
)

// Years returns the calendar years a run covers, in order.
func Years(cal sim.Calendar) []int {
	var out []int
	for t := 0; t < cal.N; t++ {
		if y := cal.Year(t); len(out) == 0 || out[len(out)-1] != y {
			out = append(out, y)
		}
	}
	return out
}

// Annual returns a metric's yearly values for an entity, aggregated by the
// metric's rule: flows summed, stocks at the year's last period, ratios as
// the ratio of the yearly sums of their numerator and denominator.
func Annual(r *sim.Result, metric, entity string) ([]float64, bool) {
	m := r.Model()
	d, ok := sim.MetricByName(metric)
	if !ok {
		return nil, false
	}
	if d.Agg == sim.Ratio {
		num, ok1 := Annual(r, d.Num, "all")
		den, ok2 := Annual(r, d.Den, "all")
		if !ok1 || !ok2 {
			return nil, false
		}
		for i := range num {
			if den[i] > 0 {
				num[i] /= den[i]
			} else {
				num[i] = 0
			}
		}
		return num, true
	}
	s, ok := r.Series(metric, entity)
	if !ok {
		return nil, false
	}
	var carry []float64
	if d.Carry != "" {
		if carry, ok = r.Series(d.Carry, "all"); !ok {
			return nil, false
		}
	}
	cal := m.Calendar()
	y0 := cal.Year(0)
	return aggregate(d, s, carry, func(t int) int { return cal.Year(t) - y0 }, len(Years(cal))), true
}
