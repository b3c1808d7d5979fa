package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
)

type mcOptions struct {
	runs      int
	seed      uint64
	workers   int
	quantiles []float64
	metrics   []string
	outcomes  []string
	draws     string
	records   string
	out       string
	by        string
	shard     shardSpec
	chart     chartOptions
}

func newMCCmd(a *app) *cobra.Command {
	var o mcOptions
	c := &cobra.Command{
		Use:   "mc SCENARIO -n N [--seed S] [-j WORKERS]",
		Short: "Monte Carlo: draw the scenario's uncertain inputs N times and write percentile bands",
		Long: `Run a scenario N times, each with its uncertain inputs (parameters and event values,
starts and durations given as distributions in the file) drawn at random, and write
percentile bands of every whole-market metric (or --metric):
  DIR/NAME-mc-yearly.csv  by year: flows summed over the year, stocks at its end,
                          ratios of the yearly sums
  DIR/NAME-mc.csv         period by period
Both have the columns scenario, period, metric, entity, stat, value, unit, per (per:
the span a flow counts, quarter or year); stats: runs, mean, min, max and each
quantile. The table and the fan charts (--charts) show years; --by quarter shows
periods.

Per-run outcomes (--outcome EXPR, repeatable) with every run's inputs go to
--outcomes FILE.csv or FILE.parquet, for pandas, DuckDB or chipsim discover; --draws
FILE writes the inputs alone.

Summaries are streamed: memory does not grow with N. Run r draws from a generator
seeded with (seed, r), so the same seed gives the same bytes for any -j, and shards
(--shard K/N, or --shard auto in a job array) merged with chipsim merge give the
bytes of the whole run. Ctrl-C stops cleanly: no partial file is left.`,
		Example: `  chipsim mc baseline-uncertain -n 10000 --seed 1 -j 2
  chipsim mc baseline-uncertain -n 5000 --outcome ai.ssr_compute@2030 --outcomes runs.parquet
  chipsim mc baseline-uncertain -n 100000 --shard 3/10 -o shards   # then: chipsim merge shards/*.bin`,
		Args:              argsRange(1, 1, "one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runMC(c, a, args[0], &o)
		},
	}
	f := c.Flags()
	f.IntVarP(&o.runs, "runs", "n", 1000, "number of `runs`")
	f.Uint64Var(&o.seed, "seed", 1, "random `seed`")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	f.Float64SliceVar(&o.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "`quantiles` to report, in (0, 1), ascending (comma-separated)")
	f.StringSliceVar(&o.metrics, "metric", nil, "`metrics` to summarise (default: every whole-market metric)")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "an outcome `EXPR` to record for every run, such as ai.ssr_compute@2030 (repeatable; with --outcomes)")
	f.StringVar(&o.records, "outcomes", "", "write every run's inputs and outcomes to this `file`: CSV, or Parquet if it ends in .parquet")
	f.StringVar(&o.draws, "draws", "", "write every run's input values to this `file`: CSV, or Parquet if it ends in .parquet")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	f.StringVar(&o.by, "by", "year", "the table's and charts' `span`: year or quarter (the run's period)")
	shardFlags(c, &o.shard)
	chartFlags(c, &o.chart, false)
	return c
}

// mcJob is a Monte Carlo ready to run.
type mcJob struct {
	s       *scenarios.Scenario
	m       *sim.Model
	slots   []int
	user    []*outcome.Outcome // --outcome, recorded per run
	yearly  output.Yearly
	cfg     study.MCConfig
	k, n    int
	ref     string
	drawing bool
}

func runMC(c *cobra.Command, a *app, ref string, o *mcOptions) error {
	job, err := planMC(a, ref, o)
	if err != nil {
		return err
	}
	sinks, paths, err := mcSinks(job, o)
	if err != nil {
		return err
	}
	defer func() {
		for _, r := range sinks {
			r.Abort()
		}
	}()
	lo, hi := study.Range(o.runs, job.k, job.n)
	bar := a.progress(hi - lo)
	job.cfg.Progress = func(done, _ int) { bar.Update(done) }
	start := time.Now()
	sums, err := study.MonteCarlo(c.Context(), job.s, job.cfg)
	bar.Finish()
	if err != nil {
		if errors.Is(err, c.Context().Err()) {
			return errInterrupted
		}
		return err
	}
	var wrote []string
	defer func() { a.wrote(wrote) }()
	for len(sinks) > 0 {
		if err := sinks[0].Commit(); err != nil {
			return err
		}
		wrote, sinks = append(wrote, paths[len(wrote)]), sinks[1:]
	}
	files, err := writeMCResults(a, job, sums, o)
	wrote = append(wrote, files...)
	if err != nil {
		return err
	}
	el := time.Since(start)
	a.infof("%d runs in %s (%.0f runs/s, %d workers)", hi-lo, el.Round(time.Millisecond), float64(hi-lo)/el.Seconds(), o.workers)
	return nil
}

// planMC checks the flags, loads the scenario and chooses what to keep.
func planMC(a *app, ref string, o *mcOptions) (*mcJob, error) {
	if o.runs < 1 {
		return nil, usagef("-n: want at least 1 run, got %d", o.runs)
	}
	if o.workers < 1 {
		return nil, usagef("-j: want at least 1 worker, got %d", o.workers)
	}
	if o.by != "year" && o.by != "quarter" {
		return nil, usagef("--by: want year or quarter, got %q", o.by)
	}
	if err := checkQuantiles(o.quantiles); err != nil {
		return nil, err
	}
	if (len(o.outcomes) > 0) != (o.records != "") {
		return nil, usagef("--outcome and --outcomes go together: --outcome EXPR names what to record, --outcomes FILE where")
	}
	job := &mcJob{ref: ref}
	var err error
	if job.k, job.n, err = o.shard.parse(os.Getenv); err != nil {
		return nil, err
	}
	if job.drawing, err = o.chart.drawing(); err != nil {
		return nil, err
	}
	if job.s, err = a.load(ref); err != nil {
		return nil, err
	}
	if len(job.s.Quantities()) == 0 {
		return nil, usagef("%s has no uncertain inputs: give a parameter or an event value as a distribution, such as growth: {dist: triangular, min: 0.3, mode: 0.45, max: 0.6}", job.s.File)
	}
	if job.m, err = job.s.Model(); err != nil {
		return nil, err
	}
	if job.slots, err = mcSlots(job.m, o.metrics); err != nil {
		return nil, err
	}
	if job.user, err = outcome.ParseList(o.outcomes, job.m); err != nil {
		return nil, usageError{err}
	}
	yearly, years, err := yearlyOutcomes(job.m, job.slots)
	if err != nil {
		return nil, err
	}
	job.yearly = output.Yearly{Years: years, Offset: len(job.user)}
	job.cfg = study.MCConfig{Runs: o.runs, Seed: o.seed, Workers: o.workers, Shard: job.k, Shards: job.n, Slots: job.slots,
		Outcomes: append(append([]*outcome.Outcome{}, job.user...), yearly...)}
	return job, nil
}

// mcSinks opens the files that record every run: outcomes, then draws.
func mcSinks(job *mcJob, o *mcOptions) ([]output.Records, []string, error) {
	var names []string
	for _, q := range job.s.Quantities() {
		names = append(names, q.Name)
	}
	var sinks []output.Records
	var paths []string
	var rec, draws output.Records
	var err error
	if o.records != "" {
		if rec, err = output.NewRecords(o.records, append(append([]string{}, names...), o.outcomes...)); err != nil {
			return nil, nil, err
		}
		sinks, paths = append(sinks, rec), append(paths, o.records)
	}
	if o.draws != "" {
		if draws, err = output.NewRecords(o.draws, names); err != nil {
			for _, s := range sinks {
				s.Abort()
			}
			return nil, nil, err
		}
		sinks, paths = append(sinks, draws), append(paths, o.draws)
	}
	if len(sinks) == 0 {
		return nil, nil, nil
	}
	nu := len(job.user)
	job.cfg.Record = func(run int, inputs, outcomes []float64) error {
		if rec != nil {
			if err := rec.Row(run, inputs, outcomes[:nu]); err != nil {
				return err
			}
		}
		if draws != nil {
			return draws.Row(run, inputs)
		}
		return nil
	}
	return sinks, paths, nil
}

// yearlyOutcomes returns, for each slot and year, the outcome of the
// slot's yearly value.
func yearlyOutcomes(m *sim.Model, slots []int) ([]*outcome.Outcome, []int, error) {
	years := output.Years(m.Calendar())
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

// mcSlots selects the result slots to summarise.
func mcSlots(m *sim.Model, metrics []string) ([]int, error) {
	var out []int
	if len(metrics) == 0 {
		for i, sl := range m.Slots() {
			if sl.Metric.Per == "" && sl.Metric.Unit != "code" {
				out = append(out, i)
			}
		}
		return out, nil
	}
	for _, name := range metrics {
		d, ok := sim.MetricByName(name)
		if !ok {
			var names []string
			for _, md := range sim.Metrics {
				names = append(names, md.Name)
			}
			return nil, usagef("--metric: unknown metric %q%s", name, scenarios.DidYouMean(name, names))
		}
		for _, e := range m.Entities(d) {
			i, _ := m.SlotIndex(name, e)
			out = append(out, i)
		}
	}
	return out, nil
}

func checkQuantiles(qs []float64) error {
	if len(qs) == 0 {
		return usagef("--quantiles: want at least one")
	}
	for i, q := range qs {
		if !(q > 0 && q < 1) || (i > 0 && q <= qs[i-1]) {
			return usagef("--quantiles: want ascending values in (0, 1), got %v", qs)
		}
	}
	return nil
}

// writeMCResults writes a shard's state, or the bands, table and charts.
func writeMCResults(a *app, job *mcJob, sums *study.Summaries, o *mcOptions) ([]string, error) {
	if job.n > 1 {
		h := study.Header{Scenario: job.s.Name, Ref: job.ref, Digest: mcDigest(job.s, o, job.slots, len(job.cfg.Outcomes)), Runs: o.runs, Seed: o.seed, Shard: job.k, Shards: job.n}
		data, err := study.EncodeSummaries(h, sums)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(o.out, fmt.Sprintf("%s-mc-shard-%d-of-%d.bin", job.s.Name, job.k+1, job.n))
		return []string{p}, output.WriteFile(p, func(w io.Writer) error { _, err := w.Write(data); return err })
	}
	return writeMC(a, job.s.Name, job.m, sums, job.yearly, o, job.drawing)
}

// writeMC writes the bands CSVs, prints the table and, if asked, draws
// fan charts.
func writeMC(a *app, name string, m *sim.Model, sums *study.Summaries, y output.Yearly, o *mcOptions, draw bool) ([]string, error) {
	if !a.quiet {
		if err := output.WriteBandsTable(a.stdout, name, m, sums, y, o.quantiles); err != nil {
			return nil, err
		}
	}
	p := filepath.Join(o.out, name+"-mc.csv")
	if err := output.WriteFile(p, func(w io.Writer) error { return output.WriteBands(w, name, m, sums, o.quantiles) }); err != nil {
		return nil, err
	}
	py := filepath.Join(o.out, name+"-mc-yearly.csv")
	if err := output.WriteFile(py, func(w io.Writer) error { return output.WriteYearlyBands(w, name, m, sums, y, o.quantiles) }); err != nil {
		return []string{p}, err
	}
	wrote := []string{p, py}
	if !draw {
		return wrote, nil
	}
	for _, sl := range sums.Slots {
		if m.Slots()[sl].Metric.Per != "" {
			continue
		}
		var ch *output.Chart
		var err error
		if o.by == "year" {
			ch, err = output.FanYearly(name, chipsimVersion(), m, sums, y, sl, o.quantiles, sums.Runs(), o.chart.chart())
		} else {
			ch, err = output.Fan(name, chipsimVersion(), m, sums, sl, o.quantiles, sums.Runs(), o.chart.chart())
		}
		if err != nil {
			return wrote, err
		}
		files, err := o.chart.save(ch, o.out, name+"-")
		wrote = append(wrote, files...)
		if err != nil {
			return wrote, err
		}
	}
	return wrote, nil
}

// mcDigest identifies a Monte Carlo job: the scenario's resolved inputs
// and the settings that change its summaries.
func mcDigest(s *scenarios.Scenario, o *mcOptions, slots []int, outcomes int) string {
	return digestOf(s.Digest(), fmt.Sprintf("runs=%d seed=%d slots=%v outcomes=%d", o.runs, o.seed, slots, outcomes))
}
