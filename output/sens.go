package output

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
)

// SensResult is a finished global sensitivity analysis: Sobol indices or
// Morris elementary effects of each outcome.
type SensResult struct {
	Name   string // the scenario
	Source string // the source line of charts
	Plan   *study.Plan
	Inputs []string
	// Outcomes are the outcomes asked for, then, with PerPeriod, the
	// metric PerPeriod at each of Years.
	Outcomes  []*outcome.Outcome
	Main      int // how many of Outcomes were asked for
	PerPeriod string
	Years     []int
	// Sobol holds each outcome's indices (nil where the outcome does not
	// vary); Morris each outcome's effects.
	Sobol  []*uq.SobolResult
	Morris []*uq.MorrisResult
	// Flat lists the outcomes no input changes; Inert, per outcome, the
	// inputs that never change it (study.SensitivityResult).
	Flat  []int
	Inert [][]int
}

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
func ff(v float64) string  { return strconv.FormatFloat(v, 'g', 6, 64) }

// byDesc returns the indices of v, largest value first.
func byDesc(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] > v[idx[b]] })
	return idx
}

func pick[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}

// Slug makes a file-name-safe word of s: runs of other characters than
// letters, digits and _ become one dash.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// Warnings lists, one line each: the outcomes no input changes, the
// inputs with no effect on an outcome asked for, and the indices whose
// estimates look unreliable.
func (r *SensResult) Warnings() []string {
	var out, flat []string
	for _, k := range r.Flat {
		flat = append(flat, r.Outcomes[k].String())
	}
	if len(flat) > 0 {
		out = append(out, fmt.Sprintf("%s: no uncertain input changes %s in any run (the same in every run, e.g. history before the inputs act): no sensitivity indices for %s",
			r.Name, ListText(flat), either(len(flat), "it", "them")))
	}
	for k, inert := range r.Inert {
		if len(inert) == 0 || k >= r.Main {
			continue
		}
		names := pick(r.Inputs, inert)
		out = append(out, fmt.Sprintf("%s: %s %s no effect on %s: moving %s alone never changes it",
			r.Name, ListText(names), either(len(names), "has", "have"), r.Outcomes[k], either(len(names), "it", "them")))
	}
	for k := 0; k < r.Main && k < len(r.Sobol); k++ {
		s := r.Sobol[k]
		if s == nil {
			continue
		}
		for _, i := range byDesc(s.ST) {
			if s.Flags[i] != 0 {
				out = append(out, fmt.Sprintf("%s, %s: %s (increase -n or --until-ci)", r.Outcomes[k], r.Inputs[i], s.Flags[i]))
			}
		}
	}
	return out
}

// WriteTables prints each outcome's indices, most influential input first.
func (r *SensResult) WriteTables(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	if r.Plan.Method == study.Morris {
		des := r.Plan.MorrisDesign()
		for k, oc := range r.Outcomes {
			m := r.Morris[k]
			fmt.Fprintf(w, "%s (Morris, r = %d trajectories, %d levels, %d runs; effects per unit of quantile)\n", oc, des.Trajectories(), des.Levels(), des.Runs())
			fmt.Fprintln(tw, "input\tμ*\tμ\tσ\t")
			for _, i := range byDesc(m.MuStar) {
				fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t\n", r.Inputs[i], m.MuStar[i], m.Mu[i], m.Sigma[i])
			}
			tw.Flush()
			fmt.Fprintln(w)
		}
		return nil
	}
	des := r.Plan.Saltelli()
	for k := 0; k < r.Main; k++ {
		s := r.Sobol[k]
		if s == nil {
			continue
		}
		fmt.Fprintf(w, "%s (Sobol, N = %d, %d runs, %s)\n", r.Outcomes[k], des.N(), des.Runs(), intervalText(s))
		fmt.Fprintln(tw, "input\tS1\tS1 interval\tST\tST interval\tflag\t")
		for _, i := range byDesc(s.ST) {
			flag := ""
			if s.Flags[i] != 0 {
				flag = s.Flags[i].String()
			}
			fmt.Fprintf(tw, "%s\t%s\t[%s, %s]\t%s\t[%s, %s]\t%s\t\n", r.Inputs[i], pct(s.S1[i]), pct(s.S1Lo[i]), pct(s.S1Hi[i]), pct(s.ST[i]), pct(s.STLo[i]), pct(s.STHi[i]), flag)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	if len(r.Years) == 0 {
		return nil
	}
	period := r.periodST()
	fmt.Fprintf(w, "total indices ST of %s by year:\n", r.PerPeriod)
	fmt.Fprintf(tw, "input\t")
	for _, y := range r.Years {
		fmt.Fprintf(tw, "%d\t", y)
	}
	fmt.Fprintln(tw)
	for i, in := range r.Inputs {
		fmt.Fprintf(tw, "%s\t", in)
		for y := range r.Years {
			if v := period[i][y]; math.IsNaN(v) {
				fmt.Fprint(tw, "–\t") // the metric does not vary that year
			} else {
				fmt.Fprintf(tw, "%.2f\t", v)
			}
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// periodST returns the total index of each input in each year (NaN where
// the metric does not vary that year).
func (r *SensResult) periodST() [][]float64 {
	period := make([][]float64, len(r.Inputs))
	for i := range r.Inputs {
		period[i] = make([]float64, len(r.Years))
		for y := range r.Years {
			if s := r.Sobol[r.Main+y]; s != nil {
				period[i][y] = s.ST[i]
			} else {
				period[i][y] = math.NaN()
			}
		}
	}
	return period
}

// WriteCSV writes the indices as rows of method, outcome, input, index,
// value, lo, hi.
func (r *SensResult) WriteCSV(w io.Writer) error {
	var rows [][]string
	if r.Plan.Method == study.Morris {
		for k, oc := range r.Outcomes {
			m := r.Morris[k]
			for _, i := range byDesc(m.MuStar) {
				rows = append(rows,
					[]string{"morris", oc.String(), r.Inputs[i], "mu_star", ff(m.MuStar[i]), "", ""},
					[]string{"morris", oc.String(), r.Inputs[i], "mu", ff(m.Mu[i]), "", ""},
					[]string{"morris", oc.String(), r.Inputs[i], "sigma", ff(m.Sigma[i]), "", ""})
			}
		}
	} else {
		for k := 0; k < r.Main; k++ {
			s := r.Sobol[k]
			if s == nil {
				continue
			}
			for _, i := range byDesc(s.ST) {
				rows = append(rows,
					[]string{"sobol", r.Outcomes[k].String(), r.Inputs[i], "S1", ff(s.S1[i]), ff(s.S1Lo[i]), ff(s.S1Hi[i])},
					[]string{"sobol", r.Outcomes[k].String(), r.Inputs[i], "ST", ff(s.ST[i]), ff(s.STLo[i]), ff(s.STHi[i])})
			}
		}
		for i := range r.Inputs {
			for y := range r.Years {
				s := r.Sobol[r.Main+y]
				if s == nil {
					continue
				}
				oc := r.Outcomes[r.Main+y].String()
				rows = append(rows, []string{"sobol", oc, r.Inputs[i], "ST", ff(s.ST[i]), ff(s.STLo[i]), ff(s.STHi[i])},
					[]string{"sobol", oc, r.Inputs[i], "S1", ff(s.S1[i]), ff(s.S1Lo[i]), ff(s.S1Hi[i])})
			}
		}
	}
	cw := newSafeCSV(w)
	cw.Write([]string{"method", "outcome", "input", "index", "value", "lo", "hi"})
	cw.WriteAll(rows)
	return cw.Error()
}

// Charts draws the indices: bars of S1 and ST per outcome and a heatmap
// by year for Sobol; the μ*–σ plane per outcome for Morris.
func (r *SensResult) Charts(o ChartOptions) ([]*Chart, error) {
	var charts []*Chart
	if r.Plan.Method == study.Morris {
		des := r.Plan.MorrisDesign()
		for k, oc := range r.Outcomes {
			m := r.Morris[k]
			ch, err := morrisChart(r, oc, des, m, o)
			if err != nil {
				return nil, err
			}
			charts = append(charts, ch)
		}
		return charts, nil
	}
	des := r.Plan.Saltelli()
	for k := 0; k < r.Main; k++ {
		s := r.Sobol[k]
		if s == nil {
			continue
		}
		order := byDesc(s.ST)
		ch, err := IndexBars("sobol-"+Slug(r.Outcomes[k].String()), "Sobol indices: "+r.Outcomes[k].String(), "index (share of output variance)", pick(r.Inputs, order),
			[]IndexSeries{
				{Label: "first order S1", Values: pick(s.S1, order), Lo: pick(s.S1Lo, order), Hi: pick(s.S1Hi, order), Colour: SensColour1},
				{Label: "total ST", Values: pick(s.ST, order), Lo: pick(s.STLo, order), Hi: pick(s.STHi, order), Colour: SensColour2, Pattern: true},
			}, true, []string{fmt.Sprintf("%s; N = %d, %d runs; whiskers: %s.", r.Name, des.N(), des.Runs(), intervalText(s))}, r.Source)
		if err != nil {
			return nil, err
		}
		charts = append(charts, ch)
	}
	if len(r.Years) > 0 {
		ch, err := IndexHeatmap("sobol-periods-"+Slug(r.PerPeriod), "Total Sobol index of "+r.PerPeriod+" by year", r.Inputs, r.Years, r.periodST(),
			[]string{fmt.Sprintf("%s; N = %d; yearly values aggregate %s by its rule. Blank: the metric does not vary across runs that year.", r.Name, des.N(), r.PerPeriod)}, r.Source)
		if err != nil {
			return nil, err
		}
		charts = append(charts, ch)
	}
	return charts, nil
}

// morrisChart draws one outcome's elementary effects as the μ*–σ plane.
func morrisChart(r *SensResult, oc *outcome.Outcome, des *uq.Morris, m *uq.MorrisResult, o ChartOptions) (*Chart, error) {
	return MorrisScatter("morris-"+Slug(oc.String()), "Morris screening: "+oc.String(), oc.Unit()+" per unit of quantile", r.Inputs, m.MuStar, m.Sigma,
		[]string{fmt.Sprintf("%s; r = %d trajectories on %d levels, %d runs.", r.Name, des.Trajectories(), des.Levels(), des.Runs())}, r.Source, o)
}

func either(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ListText lists names, eliding the middle of a long list.
func ListText(names []string) string {
	if len(names) > 6 {
		return fmt.Sprintf("%s, %s, ... %s (%d)", names[0], names[1], names[len(names)-1], len(names))
	}
	return strings.Join(names, ", ")
}

// intervalText says what a Sobol result's intervals are: "95% intervals
// from 8 replicates", or "95% bootstrap intervals" for one sequence.
func intervalText(s *uq.SobolResult) string {
	if s.Replicates > 1 {
		return fmt.Sprintf("%.0f%% intervals from %d replicates", s.Level*100, s.Replicates)
	}
	return fmt.Sprintf("%.0f%% bootstrap intervals", s.Level*100)
}
