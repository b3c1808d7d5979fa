package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/progress"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
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
	shard     shardSpec
	chart     chartOptions
}

func newSensitivityCmd(a *app) *cobra.Command {
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
                   quantiles), drawn as the μ*–σ plane

Outcomes (--outcome, repeatable): a metric at a year or period (ai.ssr_compute@2030),
the first period a metric crosses a threshold (first(ai.ssr_units >= 0.5); never is
+Inf), sums or means over a range (mean(ai.coverage, 2026..2030)). --per-period METRIC
adds indices of METRIC for every year, drawn as a heatmap over time.

Before running, the number of runs and an estimate of the wall time are printed.
Writes DIR/NAME-sobol.csv or DIR/NAME-morris.csv, and with --charts the charts.`,
		Example: `  chipsim sensitivity baseline-uncertain --method sobol --outcome ai.ssr_compute@2030 -n 1024
  chipsim sensitivity baseline-uncertain --method morris --outcome 'first(ai.ssr_units >= 0.7)' -n 40 --charts
  chipsim sensitivity baseline-uncertain --method sobol --per-period ai.ssr_units --until-ci 0.1 --charts`,
		Args:              argsRange(1, 1, "one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runSensitivity(c.Context(), a, args[0], &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.method, "method", "sobol", "`method`: sobol or morris")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "outcome `EXPR` (repeatable)")
	f.StringVar(&o.perPeriod, "per-period", "", "also compute indices of this `metric` for every year (Sobol only)")
	f.IntVarP(&o.n, "n", "n", 0, "Sobol base sample `N` (default 512), or Morris trajectories r (default 40)")
	f.IntVar(&o.levels, "levels", 4, "Morris grid `levels` p (even)")
	f.Uint64Var(&o.seed, "seed", 1, "random `seed`")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	f.IntVar(&o.bootstrap, "bootstrap", 500, "bootstrap `resamples` for Sobol confidence intervals")
	f.Float64Var(&o.level, "level", 0.95, "confidence `level`")
	f.Float64Var(&o.untilCI, "until-ci", 0, "double N until every Sobol interval is narrower than this `width` (0: run once)")
	f.IntVar(&o.maxN, "max-n", 1<<15, "largest `N` --until-ci may reach")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	shardFlags(c, &o.shard)
	chartFlags(c, &o.chart, false)
	return c
}

// sensJob is a sensitivity analysis ready to run.
type sensJob struct {
	s      *scenarios.Scenario
	ref    string
	outs   []*outcome.Outcome
	years  []int
	inputs []string
	draw   bool
	cfg    study.Sensitivity
}

func (o *sensOptions) config() (study.Sensitivity, error) {
	if len(o.outcomes) == 0 && o.perPeriod == "" {
		return study.Sensitivity{}, usagef("give at least one --outcome, such as --outcome ai.ssr_compute@2030 (or --per-period METRIC)")
	}
	if o.perPeriod != "" && o.method != study.Sobol {
		return study.Sensitivity{}, usagef("--per-period works with --method sobol")
	}
	if o.n == 0 {
		o.n = map[string]int{study.Sobol: 512, study.Morris: 40}[o.method]
	}
	k, shards, err := o.shard.parse()
	if err != nil {
		return study.Sensitivity{}, err
	}
	if o.workers < 1 {
		return study.Sensitivity{}, usagef("-j: want at least 1 worker, got %d", o.workers)
	}
	if shards > 1 && o.untilCI > 0 {
		return study.Sensitivity{}, usagef("--until-ci cannot be sharded: it decides N from the results")
	}
	cfg := study.Sensitivity{Method: o.method, N: o.n, Levels: o.levels, Seed: o.seed, Bootstrap: o.bootstrap, Level: o.level,
		UntilCI: o.untilCI, MaxN: o.maxN, Main: len(o.outcomes), Options: study.Options{Workers: o.workers, Shard: k, Shards: shards}}
	if err := cfg.Check(); err != nil {
		return cfg, usagef("%v (see chipsim sensitivity --help)", strings.TrimPrefix(err.Error(), "study: "))
	}
	return cfg, nil
}

// planSensitivity loads the scenario and resolves the outcomes.
func planSensitivity(a *app, ref string, o *sensOptions) (*sensJob, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, err
	}
	s, err := a.load(ref)
	if err != nil {
		return nil, err
	}
	job := &sensJob{s: s, ref: ref, cfg: cfg}
	if len(s.Quantities()) == 0 {
		return nil, usagef("%s has no uncertain inputs: give parameters or event values as distributions", s.File)
	}
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	exprs := append([]string{}, o.outcomes...)
	if o.perPeriod != "" {
		job.years = output.Years(m.Calendar())
		for _, y := range job.years {
			exprs = append(exprs, fmt.Sprintf("%s@%d", o.perPeriod, y))
		}
	}
	if job.outs, err = outcome.ParseList(exprs, m); err != nil {
		return nil, usageError{err}
	}
	for _, q := range s.Quantities() {
		job.inputs = append(job.inputs, q.Name)
	}
	return job, nil
}

func runSensitivity(ctx context.Context, a *app, ref string, o *sensOptions) error {
	job, err := planSensitivity(a, ref, o)
	if err != nil {
		return err
	}
	if job.draw, err = o.chart.drawing(); err != nil {
		return err
	}
	if job.s.Correlation() != nil {
		a.errorf("warning: Sobol and Morris designs treat the inputs as independent; the scenario's correlations are ignored here (chipsim mc uses them)")
	}
	perRun := timeRuns(job.s, job.outs)
	var bar *progress.Bar
	job.cfg.Round = func(p *study.Plan, runs int) {
		if bar != nil {
			bar.Finish()
			a.infof("widest %.0f%% interval > %g: doubling N", o.level*100, o.untilCI)
		}
		eta := time.Duration(float64(perRun) * float64(runs) / float64(min(o.workers, runtime.NumCPU())))
		a.infof("%s: %d inputs, %s: %d runs, about %s on %d workers", o.method, len(job.inputs), sizeText(p), runs, eta.Round(100*time.Millisecond), o.workers)
		bar = a.progress(runs)
	}
	job.cfg.Progress = func(done, _ int) { bar.Update(done) }
	res, err := study.RunSensitivity(ctx, job.s, job.outs, job.cfg)
	if bar != nil {
		bar.Finish()
	}
	switch {
	case errors.Is(err, ctx.Err()) && err != nil:
		return errInterrupted
	case errors.Is(err, study.ErrNonFinite):
		return usagef("%v: sensitivity indices need finite values (a first() never reached?); lower the threshold or use another outcome", err)
	case err != nil:
		return err
	case job.cfg.Shards > 1:
		set := sensSettings(o)
		p := &study.Partial{Kind: o.method, Scenario: job.s.Name, Ref: job.ref, Digest: digestOf(fmt.Sprint(set), job.s.Digest()),
			Settings: set, Shard: job.cfg.Shard, Shards: job.cfg.Shards, Table: res.Table}
		return writePartial(a, p, o.out, fmt.Sprintf("%s-%s-shard-%d-of-%d.json", job.s.Name, o.method, job.cfg.Shard+1, job.cfg.Shards))
	}
	if o.untilCI > 0 {
		n := res.Plan.Runs()
		if res.Width > o.untilCI {
			a.errorf("warning: widest interval %.3f is still above %.3f at %d runs (--max-n)", res.Width, o.untilCI, n)
		} else {
			a.infof("converged: widest %.0f%% interval %.3f ≤ %.3f at %s", o.level*100, res.Width, o.untilCI, sizeText(res.Plan))
		}
	}
	return writeSensitivity(a, job, o, res)
}

func sizeText(p *study.Plan) string {
	if m := p.MorrisDesign(); m != nil {
		return fmt.Sprintf("r = %d trajectories, %d levels", m.Trajectories(), m.Levels())
	}
	return fmt.Sprintf("N = %d", p.Saltelli().N())
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

// writeSensitivity prints the warnings and tables and writes the CSV and
// charts.
func writeSensitivity(a *app, job *sensJob, o *sensOptions, sr *study.SensitivityResult) error {
	res := &output.SensResult{Name: job.s.Name, Source: sourceOf(job.s, o.chart.opt.Date), Plan: sr.Plan, Inputs: job.inputs,
		Outcomes: job.outs, Main: len(o.outcomes), PerPeriod: o.perPeriod, Years: job.years, Sobol: sr.Sobol, Morris: sr.Morris,
		Flat: sr.Flat, Inert: sr.Inert}
	for _, w := range res.Warnings() {
		a.errorf("warning: %s", w)
	}
	if !a.quiet {
		if err := res.WriteTables(a.stdout); err != nil {
			return err
		}
	}
	b := o.chart.bundle(o.out)
	if err := b.File(job.s.Name+"-"+o.method+".csv", res.WriteCSV); err != nil || !job.draw {
		return a.done(b, err)
	}
	charts, err := res.Charts(o.chart.chart())
	if err == nil {
		err = b.Charts(job.s.Name+"-", charts)
	}
	return a.done(b, err)
}

func sourceOf(s *scenarios.Scenario, date string) string {
	out := "Source: chipsim " + chipsimVersion() + ", scenario " + s.Name
	if date != "" {
		out += ", run " + date
	}
	return out
}

// sensSettings are the settings that define a sensitivity job; merge
// rebuilds the job from them.
func sensSettings(o *sensOptions) map[string]string {
	return map[string]string{"method": o.method, "n": strconv.Itoa(o.n), "levels": strconv.Itoa(o.levels),
		"seed": strconv.FormatUint(o.seed, 10), "bootstrap": strconv.Itoa(o.bootstrap), "level": strconv.FormatFloat(o.level, 'g', -1, 64),
		"outcomes": strings.Join(o.outcomes, "\x00"), "per_period": o.perPeriod}
}

// mergeSensitivity finishes a sensitivity analysis from its shards'
// outcomes, as the unsharded run would.
func mergeSensitivity(a *app, p *study.Partial, scenarioRef, out string, co chartOptions, draw bool) error {
	set := p.Settings
	o := &sensOptions{method: set["method"], perPeriod: set["per_period"], out: out, chart: co, workers: 1}
	if set["outcomes"] != "" {
		o.outcomes = strings.Split(set["outcomes"], "\x00")
	}
	var errs []error
	atoi := func(k string) int { v, err := strconv.Atoi(set[k]); errs = append(errs, err); return v }
	o.n, o.levels, o.bootstrap = atoi("n"), atoi("levels"), atoi("bootstrap")
	var err1, err2 error
	o.seed, err1 = strconv.ParseUint(set["seed"], 10, 64)
	o.level, err2 = strconv.ParseFloat(set["level"], 64)
	if errors.Join(append(errs, err1, err2)...) != nil {
		return usagef("the shards' settings are damaged: %v", set)
	}
	ref := p.Ref
	if scenarioRef != "" {
		ref = scenarioRef
	}
	job, err := planSensitivity(a, ref, o)
	if err != nil {
		return usagef("merge reads the shards' scenario %s (give --scenario if it moved): %v", ref, err)
	}
	job.draw = draw
	if d := digestOf(fmt.Sprint(sensSettings(o)), job.s.Digest()); d != p.Digest {
		return usagef("%s is not the scenario the shards ran: its inputs differ", ref)
	}
	plan, err := job.cfg.Plan(len(job.inputs), o.n)
	if err != nil {
		return err
	}
	res, err := job.cfg.Analyse(plan, p.Table)
	if err != nil {
		return err
	}
	return writeSensitivity(a, job, o, res)
}
