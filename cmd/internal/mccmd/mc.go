// Package mccmd is chipsim mc, the Monte Carlo over a scenario's uncertain
// inputs, and what chipsim merge writes from its shards.
package mccmd

import (
	"fmt"
	"runtime"
	"time"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
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
	shard     cmdutil.ShardSpec
	chart     cmdutil.ChartOptions
}

// NewCmdMC returns the mc command: a Monte Carlo over the uncertain inputs
// of a scenario.
func NewCmdMC(a *cmdutil.App) *cobra.Command {
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
		Args:              cmdutil.ArgsRange(1, 1, "one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runMC(c, a, args[0], &o)
		},
	}
	f := c.Flags()
	f.IntVarP(&o.runs, "runs", "n", 1000, "number of `runs`")
	f.Uint64Var(&o.seed, "seed", 1, "random `seed`")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	cmdutil.FloatsFlag(f, &o.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "`quantiles` to report, in (0, 1), ascending (comma-separated)")
	cmdutil.StringsFlag(f, &o.metrics, "metric", nil, "`metrics` to summarise (default: every whole-market metric)")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "an outcome `EXPR` to record for every run, such as ai.ssr_compute@2030 (repeatable; with --outcomes)")
	f.StringVar(&o.records, "outcomes", "", "write every run's inputs and outcomes to this `file`: CSV, or Parquet if it ends in .parquet")
	f.StringVar(&o.draws, "draws", "", "write every run's input values to this `file`: CSV, or Parquet if it ends in .parquet")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	f.StringVar(&o.by, "by", "year", "the table's and charts' `span`: year or quarter (the run's period)")
	cmdutil.ShardFlags(c, &o.shard)
	cmdutil.ChartFlags(c, &o.chart, false)
	return c
}

// mcJob is a Monte Carlo ready to run.
type mcJob struct {
	s      *scenarios.Scenario
	m      *sim.Model
	yearly output.Yearly
	cfg    study.MCConfig
	ref    string
	draw   bool
}

func runMC(c *cobra.Command, a *cmdutil.App, ref string, o *mcOptions) error {
	job, err := planMC(a, ref, o)
	if err != nil {
		return err
	}
	var names []string
	for _, in := range job.s.Inputs() {
		names = append(names, in.Name)
	}
	b := o.chart.Bundle(o.out)
	defer b.Abort()
	rec, err := b.RunRecords(o.records, o.draws, names, o.outcomes)
	if err != nil {
		return cmdutil.OutputError(err)
	}
	if !rec.Empty() {
		job.cfg.Record = rec.Record
	}
	lo, hi := study.Range(o.runs, job.cfg.Shard, job.cfg.Shards)
	bar := a.Progress(hi - lo)
	job.cfg.Progress = func(done, _ int) { bar.Update(done) }
	start := time.Now()
	sums, err := study.MonteCarlo(c.Context(), job.s, job.cfg)
	bar.Finish()
	if err != nil {
		return cmdutil.Interrupted(c.Context(), err)
	}
	err = writeMCResults(a, b, job, sums, o)
	el := time.Since(start)
	a.Infof("%d runs in %s (%.0f runs/s, %d workers)", hi-lo, el.Round(time.Millisecond), float64(hi-lo)/el.Seconds(), o.workers)
	return a.Done(b, err)
}

// planMC checks the flags, loads the scenario and chooses what to keep.
func planMC(a *cmdutil.App, ref string, o *mcOptions) (*mcJob, error) {
	switch {
	case o.runs < 1 || o.workers < 1:
		return nil, cmdutil.Usagef("-n and -j: want at least 1 run and 1 worker, got %d and %d", o.runs, o.workers)
	case o.by != "year" && o.by != "quarter":
		return nil, cmdutil.Usagef("--by: want year or quarter, got %q", o.by)
	case (len(o.outcomes) > 0) != (o.records != ""):
		return nil, cmdutil.Usagef("--outcome and --outcomes go together: --outcome EXPR names what to record, --outcomes FILE where")
	}
	if err := CheckQuantiles(o.quantiles); err != nil {
		return nil, err
	}
	k, n, err := o.shard.Parse()
	if err != nil {
		return nil, err
	}
	job := &mcJob{ref: ref, cfg: study.MCConfig{Runs: o.runs, Seed: o.seed, Workers: o.workers, Shard: k, Shards: n}}
	if job.draw, err = o.chart.Drawing(); err != nil {
		return nil, err
	}
	if job.s, err = a.Load(ref); err != nil {
		return nil, err
	}
	if len(job.s.Quantities()) == 0 {
		return nil, cmdutil.Usagef("%s has no uncertain inputs: give a parameter or an event value as a distribution, such as growth: {dist: triangular, min: 0.3, mode: 0.45, max: 0.6}", job.s.File)
	}
	if job.m, err = job.s.Model(); err != nil {
		return nil, err
	}
	if job.cfg.Slots, err = study.MetricSlots(job.m, o.metrics); err != nil {
		return nil, cmdutil.Usagef("--metric: %v", err)
	}
	user, err := outcome.ParseList(o.outcomes, job.m)
	if err != nil {
		return nil, cmdutil.UsageError{Err: err}
	}
	yearly, years, err := study.YearlyOutcomes(job.m, job.cfg.Slots)
	job.yearly = output.Yearly{Years: years, Offset: len(user)}
	job.cfg.Outcomes = append(user, yearly...)
	return job, err
}

// CheckQuantiles checks --quantiles: ascending values in (0, 1), at least
// one.
func CheckQuantiles(qs []float64) error {
	for i, q := range qs {
		if !(q > 0 && q < 1) || (i > 0 && q <= qs[i-1]) {
			return cmdutil.Usagef("--quantiles: want ascending values in (0, 1), got %v", qs)
		}
	}
	if len(qs) == 0 {
		return cmdutil.Usagef("--quantiles: want at least one")
	}
	return nil
}

// writeMCResults writes a shard's state, or the bands, table and charts.
func writeMCResults(a *cmdutil.App, b *output.Bundle, job *mcJob, sums *study.Summaries, o *mcOptions) error {
	if job.cfg.Shards > 1 {
		h := study.Header{Build: a.Build(), Scenario: job.s.Name, Ref: job.ref, Digest: mcDigest(job.s, o, job.cfg.Slots, len(job.cfg.Outcomes)),
			Runs: o.runs, Seed: o.seed, Shard: job.cfg.Shard, Shards: job.cfg.Shards}
		data, err := study.EncodeSummaries(h, sums)
		if err != nil {
			return err
		}
		return b.Data(fmt.Sprintf("%s-mc-shard-%d-of-%d.bin", job.s.Name, job.cfg.Shard+1, job.cfg.Shards), data)
	}
	return writeMC(a, b, job.s.Name, job.m, sums, job.yearly, o, job.draw)
}

// writeMC prints the table and writes the bands and, if asked, fan charts.
func writeMC(a *cmdutil.App, b *output.Bundle, name string, m *sim.Model, sums *study.Summaries, y output.Yearly, o *mcOptions, draw bool) error {
	if !a.Quiet {
		if err := output.WriteBandsTable(a.Stdout, name, m, sums, y, o.quantiles); err != nil {
			return err
		}
	}
	if err := output.WriteMC(b, name, m, sums, y, o.quantiles); err != nil || !draw {
		return err
	}
	charts, err := output.FanCharts(name, a.Version(), m, sums, y, o.quantiles, o.by == "year", o.chart.Chart)
	if err != nil {
		return err
	}
	return b.Charts(name+"-", charts)
}

// mcDigest identifies a Monte Carlo job: the scenario's resolved inputs
// and the settings that change its summaries.
func mcDigest(s *scenarios.Scenario, o *mcOptions, slots []int, outcomes int) string {
	return cmdutil.DigestOf(s.Digest(), fmt.Sprintf("runs=%d seed=%d slots=%v outcomes=%d", o.runs, o.seed, slots, outcomes))
}

// MergeOptions are the settings of chipsim merge that shape a Monte
// Carlo's results.
type MergeOptions struct {
	Scenario  string    // the scenario's path, if it moved since the shards ran
	Quantiles []float64 // --quantiles
	By        string    // the table's and charts' span: year or quarter
	Out       string    // the folder to write results to
	Chart     cmdutil.ChartOptions
	Draw      bool // draw the fan charts
}

// Merge writes what one Monte Carlo run writes from the merged summaries
// of its shards, whose header is h, once it has checked that the
// scenario is the one the shards ran.
func Merge(a *cmdutil.App, h study.Header, sums *study.Summaries, mo MergeOptions) error {
	ref := h.Ref
	if mo.Scenario != "" {
		ref = mo.Scenario
	}
	s, err := a.Load(ref)
	if err != nil {
		return cmdutil.Usagef("merge reads the shards' scenario %s to label the results (give --scenario if it moved): %v", ref, err)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	if err := sums.Fits(m); err != nil {
		return cmdutil.Usagef("%s is not the scenario the shards ran: %v", ref, err)
	}
	_, years, err := study.YearlyOutcomes(m, sums.Slots)
	if err != nil {
		return err
	}
	o := &mcOptions{runs: h.Runs, seed: h.Seed, quantiles: mo.Quantiles, by: mo.By, out: mo.Out, chart: mo.Chart}
	if d := mcDigest(s, o, sums.Slots, len(sums.Outcome)); d != h.Digest {
		return cmdutil.Usagef("%s is not the scenario the shards ran: its inputs differ (digest %s, shards %s)", ref, d, h.Digest)
	}
	y := output.Yearly{Years: years, Offset: len(sums.Outcome) - len(years)*len(sums.Slots)}
	b := o.chart.Bundle(o.out)
	return a.Done(b, writeMC(a, b, h.Scenario, m, sums, y, o, mo.Draw))
}
