package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/uq"
	"github.com/spf13/cobra"
)

type sensOptions struct {
	method    string
	outcomes  []string
	perPeriod string
	n         int
	levels    int
	seed      uint64
	workers   int
	bootstrap int
	level     float64
	untilCI   float64
	maxN      int
	out       string
	shard     string
	charts    bool
	quiet     bool
	chart     chartOptions
}

func newSensitivityCmd() *cobra.Command {
	var o sensOptions
	c := &cobra.Command{
		Use:   "sensitivity SCENARIO --method morris|sobol --outcome EXPR",
		Short: "Global sensitivity: which uncertain inputs drive an outcome (Morris screening, Sobol indices)",
		Long: `Rank the scenario's uncertain inputs (every parameter or event value, start or
duration given as a distribution) by their influence on outcomes.

  --method sobol   first-order (S1) and total (ST) Sobol indices on a Saltelli design
                   over a scrambled Sobol sequence (Saltelli 2010 and Jansen
                   estimators), N·(d+2) runs, with bootstrap confidence intervals;
                   --until-ci W doubles N until every interval is narrower than W
  --method morris  elementary effects over r trajectories on a p-level grid: μ*, μ, σ
                   (inputs are moved in quantile space between the 0.5% and 99.5%
                   quantiles)

Outcomes (--outcome, repeatable): a metric at a year or period (ai.ssr_compute@2030),
the first period a metric crosses a threshold (first(ai.ssr_units >= 0.5); never is
+Inf), sums or means over a range (mean(ai.coverage, 2026..2030)). --per-period METRIC
adds indices of METRIC for every year, drawn as a heatmap over time.

Before running, the number of runs and an estimate of the wall time are printed.`,
		Example: `  chipsim sensitivity my-uncertain.yaml --method sobol --outcome ai.ssr_compute@2030 -n 1024
  chipsim sensitivity my-uncertain.yaml --method morris --outcome 'first(ai.ssr_units >= 0.7)' -n 40
  chipsim sensitivity my-uncertain.yaml --method sobol --per-period ai.ssr_units --until-ci 0.1 --charts`,
		Args:              argsRange(1, 1, "one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runSensitivity(c, args[0], &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.method, "method", "sobol", "sobol or morris")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "outcome expression (repeatable)")
	f.StringVar(&o.perPeriod, "per-period", "", "also compute indices of this metric for every year (Sobol only)")
	f.IntVarP(&o.n, "n", "n", 0, "Sobol base sample N (default 512), or Morris trajectories r (default 40)")
	f.IntVar(&o.levels, "levels", 4, "Morris grid levels p (even)")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel workers")
	f.IntVar(&o.bootstrap, "bootstrap", 500, "bootstrap resamples for Sobol confidence intervals")
	f.Float64Var(&o.level, "level", 0.95, "confidence level")
	f.Float64Var(&o.untilCI, "until-ci", 0, "double N until every Sobol interval is narrower than this (0: run once)")
	f.IntVar(&o.maxN, "max-n", 1<<15, "largest N --until-ci may reach")
	f.StringVarP(&o.out, "out", "o", "out", "folder to write results to")
	f.StringVar(&o.shard, "shard", "", "run only shard K of N of the design (K from 1 to N) and write its outputs for chipsim merge")
	f.BoolVar(&o.charts, "charts", false, "draw bar charts of the indices (and a heatmap with --per-period)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar or time estimate")
	o.chart.flags(c, []string{"png"})
	return c
}

func runSensitivity(c *cobra.Command, ref string, o *sensOptions) error {
	if o.method != "sobol" && o.method != "morris" {
		return usagef("--method: want sobol or morris, got %q", o.method)
	}
	if len(o.outcomes) == 0 && o.perPeriod == "" {
		return usagef("give at least one --outcome, such as --outcome ai.ssr_compute@2030 (or --per-period METRIC)")
	}
	if o.perPeriod != "" && o.method != "sobol" {
		return usagef("--per-period works with --method sobol")
	}
	if o.n == 0 {
		o.n = map[string]int{"sobol": 512, "morris": 40}[o.method]
	}
	if o.n < 2 || o.workers < 1 || o.bootstrap < 10 || !(o.level > 0 && o.level < 1) || o.untilCI < 0 {
		return usagef("want -n ≥ 2, -j ≥ 1, --bootstrap ≥ 10, 0 < --level < 1 and --until-ci ≥ 0")
	}
	k, shards, err := parseShard(o.shard)
	if err != nil {
		return err
	}
	if shards > 1 && o.untilCI > 0 {
		return usagef("--until-ci cannot be sharded: it decides N from the results")
	}
	if o.charts {
		if err := o.chart.check(); err != nil {
			return err
		}
	}
	s, err := load(c.ErrOrStderr(), ref)
	if err != nil {
		return err
	}
	qs := s.Quantities()
	d := len(qs)
	if d == 0 {
		return usagef("%s has no uncertain inputs: give parameters or event values as distributions", s.File)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	if s.Correlation() != nil {
		fmt.Fprintln(c.ErrOrStderr(), "warning: Sobol and Morris designs treat the inputs as independent; the scenario's correlations are ignored here (chipsim mc uses them)")
	}
	exprs := append([]string{}, o.outcomes...)
	var years []int
	if o.perPeriod != "" {
		for t := 0; t < m.Calendar().N; t++ {
			if y := m.Calendar().Year(t); len(years) == 0 || years[len(years)-1] != y {
				years = append(years, y)
				exprs = append(exprs, fmt.Sprintf("%s@%d", o.perPeriod, y))
			}
		}
	}
	outs, err := outcome.ParseList(exprs, m)
	if err != nil {
		return usageError{err}
	}
	var inputs []string
	for _, q := range qs {
		inputs = append(inputs, q.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stderr := c.ErrOrStderr()
	perRun := timeRuns(s, outs)
	if o.method == "morris" {
		p := o.levels
		des, err := uq.NewMorris(o.n, d, p, rand.New(rand.NewPCG(o.seed, 0)))
		if err != nil {
			return usageError{err}
		}
		estimate(stderr, o.quiet, fmt.Sprintf("morris: %d inputs, r = %d trajectories, %d levels", d, o.n, p), des.Runs(), perRun, o.workers)
		lo, hi := mcRange(des.Runs(), k, shards)
		y, err := evalDesign(ctx, s, des, outs, o.workers, o.quiet, stderr, morrisU, lo, hi)
		if err != nil {
			return err
		}
		if shards > 1 {
			return writeSensShard(c.OutOrStdout(), s, ref, o, outs, des.Runs(), k, shards, lo, hi, y)
		}
		return writeMorris(c.OutOrStdout(), s, o, des, inputs, outs, y)
	}
	n := o.n
	for {
		des, err := uq.NewSaltelli(n, d, rand.New(rand.NewPCG(o.seed, 0)))
		if err != nil {
			return usageError{err}
		}
		lo, hi := mcRange(des.Runs(), k, shards)
		estimate(stderr, o.quiet, fmt.Sprintf("sobol: %d inputs, N = %d", d, n), hi-lo, perRun, o.workers)
		y, err := evalDesign(ctx, s, des, outs, o.workers, o.quiet, stderr, nil, lo, hi)
		if err != nil {
			return err
		}
		if shards > 1 {
			return writeSensShard(c.OutOrStdout(), s, ref, o, outs, des.Runs(), k, shards, lo, hi, y)
		}
		res, width, err := estimateSobol(stderr, o, des, outs, y)
		if err != nil {
			return err
		}
		if o.untilCI > 0 && width > o.untilCI {
			if 2*n <= o.maxN {
				fmt.Fprintf(stderr, "widest %.0f%% interval %.3f > %.3f: doubling N to %d\n", o.level*100, width, o.untilCI, 2*n)
				n *= 2
				continue
			}
			fmt.Fprintf(stderr, "warning: widest interval %.3f is still above %.3f at N = %d (--max-n)\n", width, o.untilCI, n)
		} else if o.untilCI > 0 {
			fmt.Fprintf(stderr, "converged: widest %.0f%% interval %.3f ≤ %.3f at N = %d\n", o.level*100, width, o.untilCI, n)
		}
		return writeSobol(c.OutOrStdout(), stderr, s, o, n, des.Runs(), inputs, outs, res, years)
	}
}

// morrisU moves Morris grid points from [0, 1] to the 0.5%–99.5% quantiles.
func morrisU(u []float64) {
	for k := range u {
		u[k] = 0.005 + 0.99*u[k]
	}
}

// estimateSobol computes every outcome's indices; it returns the widest
// interval too.
func estimateSobol(stderr io.Writer, o *sensOptions, des *uq.Saltelli, outs []*outcome.Outcome, y [][]float64) ([]*uq.SobolResult, float64, error) {
	res := make([]*uq.SobolResult, len(outs))
	width := 0.0
	for k := range outs {
		fA, fB, fAB, err := des.Split(y[k])
		if err != nil {
			return nil, 0, err
		}
		r, err := uq.EstimateSobol(fA, fB, fAB, &uq.Bootstrap{Resamples: o.bootstrap, Level: o.level, Rand: rand.New(rand.NewPCG(o.seed, uint64(1+k)))})
		if errors.Is(err, uq.ErrZeroVariance) {
			fmt.Fprintf(stderr, "warning: %s does not vary across the runs: it has no sensitivity indices\n", outs[k])
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		res[k] = r
		for i := range r.S1 {
			width = math.Max(width, math.Max(r.S1Hi[i]-r.S1Lo[i], r.STHi[i]-r.STLo[i]))
		}
	}
	return res, width, nil
}

// timeRuns measures a run's cost on this machine for the estimate.
func timeRuns(s *scenarios.Scenario, outs []*outcome.Outcome) time.Duration {
	sp, err := s.NewSampler()
	if err != nil {
		return 0
	}
	m := sp.Model()
	r := m.NewResult()
	u := make([]float64, sp.Dim())
	for k := range u {
		u[k] = 0.5
	}
	const n = 8
	start := time.Now()
	for i := 0; i < n; i++ {
		sp.Set(u)
		m.Run(r)
		for _, o := range outs {
			o.Eval(r)
		}
	}
	return time.Since(start) / n
}

func estimate(w io.Writer, quiet bool, what string, runs int, perRun time.Duration, workers int) {
	if quiet {
		return
	}
	eta := time.Duration(float64(perRun) * float64(runs) / float64(min(workers, runtime.NumCPU())))
	fmt.Fprintf(w, "%s: %d runs, about %s on %d workers\n", what, runs, eta.Round(100*time.Millisecond), workers)
}

// evalDesign runs every point of a design and evaluates the outcomes: y[k][run].
// Results are placed by run index, so they do not depend on -j.
// Only runs [lo, hi) are evaluated (a shard); the others stay 0.
func evalDesign(ctx context.Context, s *scenarios.Scenario, des uq.Design, outs []*outcome.Outcome, workers int, quiet bool, stderr io.Writer, mapU func([]float64), lo, hi int) ([][]float64, error) {
	runs := des.Runs()
	y := make([][]float64, len(outs))
	for k := range y {
		y[k] = make([]float64, runs)
	}
	bar := newProgress(stderr, hi-lo, quiet)
	var next, done atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sp, err := s.NewSampler()
			if err != nil {
				errs[w] = err
				return
			}
			m := sp.Model()
			r := m.NewResult()
			u := make([]float64, des.Dim())
			for ctx.Err() == nil {
				start := int(next.Add(32)) - 32
				if start >= hi {
					return
				}
				end := min(start+32, hi)
				for run := start; run < end; run++ {
					des.Point(run, u)
					if mapU != nil {
						mapU(u)
					}
					sp.Set(u)
					m.Run(r)
					for k, o := range outs {
						y[k][run] = o.Eval(r)
					}
				}
				bar.update(int(done.Add(int64(end - start))))
			}
		}(w)
	}
	wg.Wait()
	bar.finish()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted: no results written")
	}
	for k, o := range outs {
		for _, v := range y[k][lo:hi] {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, usagef("outcome %s is %s in some runs (never crossed?): sensitivity indices need finite values; lower the threshold or use another outcome", o, o.Format(v))
			}
		}
	}
	return y, nil
}

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func writeSobol(stdout, stderr io.Writer, s *scenarios.Scenario, o *sensOptions, n, runs int, inputs []string, outs []*outcome.Outcome, res []*uq.SobolResult, years []int) error {
	main := len(o.outcomes)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	var rows [][]string
	src := sourceOf(s, o.chart.date)
	var charts []*output.Chart
	for k := 0; k < main; k++ {
		r := res[k]
		if r == nil {
			continue
		}
		fmt.Fprintf(stdout, "%s (Sobol, N = %d, %d runs, %.0f%% bootstrap intervals)\n", outs[k], n, runs, r.Level*100)
		fmt.Fprintln(tw, "input\tS1\tS1 interval\tST\tST interval\tflag\t")
		order := byDesc(r.ST)
		for _, i := range order {
			flag := ""
			if r.Flags[i] != 0 {
				flag = r.Flags[i].String()
				fmt.Fprintf(stderr, "warning: %s, %s: %s (increase -n or --until-ci)\n", outs[k], inputs[i], flag)
			}
			fmt.Fprintf(tw, "%s\t%s\t[%s, %s]\t%s\t[%s, %s]\t%s\t\n", inputs[i], pct(r.S1[i]), pct(r.S1Lo[i]), pct(r.S1Hi[i]), pct(r.ST[i]), pct(r.STLo[i]), pct(r.STHi[i]), flag)
			rows = append(rows,
				[]string{"sobol", outs[k].String(), inputs[i], "S1", ff(r.S1[i]), ff(r.S1Lo[i]), ff(r.S1Hi[i])},
				[]string{"sobol", outs[k].String(), inputs[i], "ST", ff(r.ST[i]), ff(r.STLo[i]), ff(r.STHi[i])})
		}
		tw.Flush()
		fmt.Fprintln(stdout)
		if o.charts {
			names, s1, st := pick(inputs, order), pick(r.S1, order), pick(r.ST, order)
			ch, err := output.IndexBars("sobol-"+slug(outs[k].String()), "Sobol indices: "+outs[k].String(), "index (share of output variance)", names,
				[]output.IndexSeries{
					{Label: "first order S1", Values: s1, Lo: pick(r.S1Lo, order), Hi: pick(r.S1Hi, order), Colour: output.SensColour1},
					{Label: "total ST", Values: st, Lo: pick(r.STLo, order), Hi: pick(r.STHi, order), Colour: output.SensColour2, Pattern: true},
				}, true, []string{fmt.Sprintf("%s; N = %d, %d runs; whiskers: %.0f%% bootstrap intervals.", s.Name, n, runs, r.Level*100)}, src)
			if err != nil {
				return err
			}
			charts = append(charts, ch)
		}
	}
	var period [][]float64
	if len(years) > 0 {
		period = make([][]float64, len(inputs))
		for i := range inputs {
			period[i] = make([]float64, len(years))
			for y := range years {
				r := res[main+y]
				if r == nil {
					period[i][y] = math.NaN()
					continue
				}
				period[i][y] = r.ST[i]
				rows = append(rows, []string{"sobol", outs[main+y].String(), inputs[i], "ST", ff(r.ST[i]), ff(r.STLo[i]), ff(r.STHi[i])},
					[]string{"sobol", outs[main+y].String(), inputs[i], "S1", ff(r.S1[i]), ff(r.S1Lo[i]), ff(r.S1Hi[i])})
			}
		}
		fmt.Fprintf(stdout, "total indices ST of %s by year:\n", o.perPeriod)
		fmt.Fprintf(tw, "input\t")
		for _, y := range years {
			fmt.Fprintf(tw, "%d\t", y)
		}
		fmt.Fprintln(tw)
		for i, in := range inputs {
			fmt.Fprintf(tw, "%s\t", in)
			for y := range years {
				fmt.Fprintf(tw, "%.2f\t", period[i][y])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		if o.charts {
			ch, err := output.IndexHeatmap("sobol-periods-"+slug(o.perPeriod), "Total Sobol index of "+o.perPeriod+" by year", inputs, years, period,
				[]string{fmt.Sprintf("%s; N = %d; yearly values aggregate %s by its rule. Blank: the metric does not vary across runs that year.", s.Name, n, o.perPeriod)}, src)
			if err != nil {
				return err
			}
			charts = append(charts, ch)
		}
	}
	return writeIndices(stdout, s, o, rows, charts)
}

func writeMorris(stdout io.Writer, s *scenarios.Scenario, o *sensOptions, des *uq.Morris, inputs []string, outs []*outcome.Outcome, y [][]float64) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	var rows [][]string
	var charts []*output.Chart
	for k, oc := range outs {
		r, err := uq.EstimateMorris(des, y[k])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s (Morris, r = %d trajectories, %d levels, %d runs; effects per unit of quantile)\n", oc, des.Trajectories(), des.Levels(), des.Runs())
		fmt.Fprintln(tw, "input\tμ*\tμ\tσ\t")
		order := byDesc(r.MuStar)
		for _, i := range order {
			fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t\n", inputs[i], r.MuStar[i], r.Mu[i], r.Sigma[i])
			rows = append(rows,
				[]string{"morris", oc.String(), inputs[i], "mu_star", ff(r.MuStar[i]), "", ""},
				[]string{"morris", oc.String(), inputs[i], "mu", ff(r.Mu[i]), "", ""},
				[]string{"morris", oc.String(), inputs[i], "sigma", ff(r.Sigma[i]), "", ""})
		}
		tw.Flush()
		fmt.Fprintln(stdout)
		if o.charts {
			ch, err := output.IndexBars("morris-"+slug(oc.String()), "Morris screening: "+oc.String(), "elementary effect ("+oc.Unit()+" per unit of quantile)", pick(inputs, order),
				[]output.IndexSeries{
					{Label: "μ* (mean |effect|)", Values: pick(r.MuStar, order), Colour: output.SensColour1},
					{Label: "σ (interaction, non-linearity)", Values: pick(r.Sigma, order), Colour: output.SensColour2, Pattern: true},
				}, false, []string{fmt.Sprintf("%s; r = %d trajectories on %d levels, %d runs.", s.Name, des.Trajectories(), des.Levels(), des.Runs())}, sourceOf(s, o.chart.date))
			if err != nil {
				return err
			}
			charts = append(charts, ch)
		}
	}
	return writeIndices(stdout, s, o, rows, charts)
}

func writeIndices(stdout io.Writer, s *scenarios.Scenario, o *sensOptions, rows [][]string, charts []*output.Chart) error {
	p := filepath.Join(o.out, s.Name+"-"+o.method+".csv")
	err := output.WriteFile(p, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"method", "outcome", "input", "index", "value", "lo", "hi"})
		cw.WriteAll(rows)
		return cw.Error()
	})
	if err != nil {
		return err
	}
	wrote := []string{p}
	for _, ch := range charts {
		files, err := o.chart.save(ch, o.out, s.Name+"-")
		wrote = append(wrote, files...)
		if err != nil {
			return err
		}
	}
	return listWritten(stdout, wrote)
}

func sourceOf(s *scenarios.Scenario, date string) string {
	out := "Source: chipsim " + chipsimVersion() + ", scenario " + s.Name
	if date != "" {
		out += ", run " + date
	}
	return out
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

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

func slug(s string) string {
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
