// Package output writes chipsim results: tidy CSV, a JSON summary, the
// headline table, and (with gonum/plot) charts. It reads sim results and
// never changes them.
package output

import (
	"fmt"
	"strconv"
	"strings"

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

// YearLabel names year y of a run for tables: "2030", or "2030*" when
// the run covers only part of it (its yearly flows then sum fewer periods).
func YearLabel(cal sim.Calendar, y int) string {
	if cal.WholeYear(y) {
		return strconv.Itoa(y)
	}
	return strconv.Itoa(y) + "*"
}

// PartialYearsNote explains the years YearLabel marks, or is "" when the
// run covers whole years.
func PartialYearsNote(cal sim.Calendar) string {
	var parts []string
	for _, y := range Years(cal) {
		if cal.WholeYear(y) {
			continue
		}
		first, last := -1, -1
		for t := 0; t < cal.N; t++ {
			if cal.Year(t) == y {
				if first < 0 {
					first = t
				}
				last = t
			}
		}
		parts = append(parts, fmt.Sprintf("%d: the run covers %s to %s only", y, cal.Label(first), cal.Label(last)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "* partial year, " + strings.Join(parts, "; ") + "\n"
}

// partialYears explains the years a frame covers only in part, for the
// notes of charts that show yearly values, or is "".
func (f *Frame) partialYears() string {
	n := len(f.Labels)
	if n == 0 {
		return ""
	}
	first, _, err1 := sim.ParseMonth(f.Labels[0])
	last, _, err2 := sim.ParseMonth(f.Labels[n-1])
	if err1 != nil || err2 != nil {
		return ""
	}
	cal := sim.NewCalendar(first, last, f.Step)
	note := strings.TrimSuffix(PartialYearsNote(cal), "\n")
	if note == "" {
		return ""
	}
	return "Yearly values of " + strings.TrimPrefix(note, "* partial year, ") + "."
}
