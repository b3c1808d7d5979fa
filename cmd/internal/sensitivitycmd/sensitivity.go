// Package sensitivitycmd is chipsim sensitivity: Morris screening and
// Sobol indices of a scenario's uncertain inputs, and their merge from
// shards.
package sensitivitycmd

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/progress"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
)

type sensOptions struct {
	cfg   study.Sensitivity
	out   string
	shard cmdutil.ShardSpec
	chart cmdutil.ChartOptions
	nSet  bool // -n given
	// bootstrapSet: --bootstrap given, which Sobol intervals from
	// replicates ignore (the option is kept for scripts, with a warning).
	bootstrapSet bool
}

// NewCmdSensitivity returns the sensitivity command: Morris screening and
// Sobol indices.
func NewCmdSensitivity(a *cmdutil.App) *cobra.Command {
	var o sensOptions
	c := &cobra.Command{
		Use:   "sensitivity SCENARIO --method morris|sobol --outcome EXPR",
		Short: "Global sensitivity: which uncertain inputs drive an outcome (Morris screening, Sobol indices)",
		Long: `Rank the scenario's uncertain inputs (every parameter or event value, start or
duration given as a distribution) by their influence on outcomes.

  --method sobol   first-order (S1) and total (ST) Sobol indices on a Saltelli design
                   over a scrambled Sobol sequence (Saltelli 2010 and Jansen
                   estimators), N·(d+2) runs; the N base points are R independently
                   scrambled replicates (--replicates, default 8) whose spread gives
                   Student-t confidence intervals that hold their level (a bootstrap
                   over one quasi-random sequence overstates the error 1.5-13 times;
                   --replicates 1 keeps it, with --bootstrap resamples);
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
		Args:              cmdutil.ArgsRange(1, 1, "one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			o.nSet = c.Flags().Changed("n")
			o.bootstrapSet = c.Flags().Changed("bootstrap")
			return runSensitivity(c.Context(), a, args[0], &o)
		},
	}
	f, cfg := c.Flags(), &o.cfg
	f.StringVar(&cfg.Method, "method", "sobol", "`method`: sobol or morris")
	f.StringArrayVar(&cfg.Outcomes, "outcome", nil, "outcome `EXPR` (repeatable)")
	f.StringVar(&cfg.PerPeriod, "per-period", "", "also compute indices of this `metric` for every year (Sobol only)")
	f.IntVarP(&cfg.N, "n", "n", 0, "Sobol base sample `N` (default 512), or Morris trajectories r (default 40)")
	f.IntVar(&cfg.Levels, "levels", 4, "Morris grid `levels` p (even)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "random `seed`")
	f.IntVarP(&cfg.Workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	f.IntVar(&cfg.Replicates, "replicates", study.DefaultReplicates, "Sobol: independently scrambled `replicates` the intervals come from; 1 for one sequence with bootstrap intervals")
	f.IntVar(&cfg.Bootstrap, "bootstrap", 500, "with --replicates 1: bootstrap `resamples` for the intervals (ignored otherwise)")
	f.Float64Var(&cfg.Level, "level", 0.95, "confidence `level`")
	f.Float64Var(&cfg.UntilCI, "until-ci", 0, "double N until every Sobol interval is narrower than this `width` (0: run once)")
	f.IntVar(&cfg.MaxN, "max-n", 1<<15, "largest `N` --until-ci may reach")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	cmdutil.ShardFlags(c, &o.shard)
	cmdutil.ChartFlags(c, &o.chart, false)
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

// planSensitivity checks the settings, loads the scenario and resolves
// the outcomes.
func planSensitivity(a *cmdutil.App, ref string, cfg study.Sensitivity) (*sensJob, error) {
	switch {
	case len(cfg.Outcomes) == 0 && cfg.PerPeriod == "":
		return nil, cmdutil.Usagef("give at least one --outcome, such as --outcome ai.ssr_compute@2030 (or --per-period METRIC)")
	case cfg.Shards > 1 && cfg.UntilCI > 0:
		return nil, cmdutil.Usagef("--until-ci cannot be sharded: it decides N from the results")
	case cfg.Workers < 1:
		return nil, cmdutil.Usagef("-j: want at least 1 worker, got %d", cfg.Workers)
	case cfg.Replicates < 1:
		return nil, cmdutil.Usagef("--replicates %d: want at least 1 (1: one sequence with bootstrap intervals; default %d)", cfg.Replicates, study.DefaultReplicates)
	}
	if err := cfg.Check(); err != nil {
		return nil, cmdutil.Usagef("%v (see chipsim sensitivity --help)", strings.TrimPrefix(err.Error(), "study: "))
	}
	s, err := a.Load(ref)
	if err != nil {
		return nil, err
	}
	if len(s.Quantities()) == 0 {
		return nil, cmdutil.Usagef("%s has no uncertain inputs: give parameters or event values as distributions", s.File)
	}
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	job := &sensJob{s: s, ref: ref}
	if job.outs, job.years, err = cfg.Parse(m); err != nil {
		return nil, cmdutil.UsageError{Err: err}
	}
	for _, in := range s.Inputs() {
		job.inputs = append(job.inputs, in.Name)
	}
	job.cfg = cfg
	return job, nil
}

func runSensitivity(ctx context.Context, a *cmdutil.App, ref string, o *sensOptions) error {
	var err error
	if o.cfg.Shard, o.cfg.Shards, err = o.shard.Parse(); err != nil {
		return err
	}
	if o.nSet && o.cfg.N < 2 {
		return cmdutil.Usagef("-n %d: want at least 2 (leave it out for the method's default: 512 for sobol, 40 for morris)", o.cfg.N)
	}
	job, err := planSensitivity(a, ref, o.cfg)
	if err != nil {
		return err
	}
	if job.draw, err = o.chart.Drawing(); err != nil {
		return err
	}
	if o.bootstrapSet && job.cfg.BootstrapIgnored() && job.cfg.Method == study.Sobol {
		a.Errorf("warning: --bootstrap is ignored: Sobol intervals come from %d independently scrambled replicates (--replicates); --replicates 1 gives bootstrap intervals on one sequence", job.cfg.Replicates)
	}
	if job.s.Correlation() != nil {
		a.Errorf("warning: Sobol and Morris designs treat the inputs as independent; the scenario's correlations are ignored here (chipsim mc uses them)")
	}
	perRun := timeRuns(job.s, job.outs)
	var bar *progress.Bar
	job.cfg.Round = func(p *study.Plan, runs int) {
		if bar != nil {
			bar.Finish()
			a.Infof("widest %.0f%% interval > %g: doubling N", job.cfg.Level*100, job.cfg.UntilCI)
		}
		eta := time.Duration(float64(perRun) * float64(runs) / float64(min(job.cfg.Workers, runtime.NumCPU())))
		a.Infof("%s: %d inputs, %s: %d runs, about %s on %d workers", job.cfg.Method, len(job.inputs), sizeText(p), runs, eta.Round(100*time.Millisecond), job.cfg.Workers)
		bar = a.Progress(runs)
	}
	job.cfg.Progress = func(done, _ int) { bar.Update(done) }
	res, err := study.RunSensitivity(ctx, job.s, job.outs, job.cfg)
	if bar != nil {
		bar.Finish()
	}
	switch {
	case errors.Is(err, ctx.Err()) && err != nil:
		return cmdutil.ErrInterrupted
	case errors.Is(err, study.ErrNonFinite):
		return cmdutil.Usagef("%v: sensitivity indices need finite values (a first() never reached?); lower the threshold or use another outcome", err)
	case err != nil:
		return err
	case job.cfg.Shards > 1:
		set := job.cfg.Settings()
		p := &study.Partial{Build: a.Build(), Kind: job.cfg.Method, Scenario: job.s.Name, Ref: job.ref, Digest: cmdutil.DigestOf(fmt.Sprint(set), job.s.Digest()),
			Settings: set, Shard: job.cfg.Shard, Shards: job.cfg.Shards, Table: res.Table}
		return a.WritePartial(p, o.out, fmt.Sprintf("%s-%s-shard-%d-of-%d.json", job.s.Name, job.cfg.Method, job.cfg.Shard+1, job.cfg.Shards))
	}
	if u := job.cfg.UntilCI; u > 0 && res.Width > u {
		a.Errorf("warning: widest interval %.3f is still above %.3f at %s (--max-n)", res.Width, u, sizeText(res.Plan))
	} else if u > 0 {
		a.Infof("converged: widest %.0f%% interval %.3f ≤ %.3f at %s", job.cfg.Level*100, res.Width, u, sizeText(res.Plan))
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
func writeSensitivity(a *cmdutil.App, job *sensJob, o *sensOptions, sr *study.SensitivityResult) error {
	res := &output.SensResult{Name: job.s.Name, Source: sourceOf(a, job.s, o.chart.Chart.Date), Plan: sr.Plan, Inputs: job.inputs,
		Outcomes: job.outs, Main: job.cfg.Main, PerPeriod: job.cfg.PerPeriod, Years: job.years, Sobol: sr.Sobol, Morris: sr.Morris,
		Flat: sr.Flat, Inert: sr.Inert}
	for _, w := range res.Warnings() {
		a.Errorf("warning: %s", w)
	}
	if !a.Quiet {
		if err := res.WriteTables(a.Stdout); err != nil {
			return err
		}
	}
	b := o.chart.Bundle(o.out)
	if err := b.File(job.s.Name+"-"+job.cfg.Method+".csv", res.WriteCSV); err != nil || !job.draw {
		return a.Done(b, err)
	}
	charts, err := res.Charts(o.chart.Chart)
	if err == nil {
		err = b.Charts(job.s.Name+"-", charts)
	}
	return a.Done(b, err)
}

func sourceOf(a *cmdutil.App, s *scenarios.Scenario, date string) string {
	out := "Source: chipsim " + a.Version() + ", scenario " + s.Name
	if date != "" {
		out += ", run " + date
	}
	return out
}

// Merge finishes a sensitivity analysis from its shards' outcomes, p, as
// the unsharded run would, into the folder out; scenarioRef names the
// scenario if its path moved since the shards ran.
func Merge(a *cmdutil.App, p *study.Partial, scenarioRef, out string, co cmdutil.ChartOptions, draw bool) error {
	o := &sensOptions{out: out, chart: co}
	cfg, err := study.SensitivityFromSettings(p.Settings)
	if err != nil {
		return cmdutil.Usagef("the shards' settings are damaged: %v", err)
	}
	ref := p.Ref
	if scenarioRef != "" {
		ref = scenarioRef
	}
	cfg.Workers = 1
	job, err := planSensitivity(a, ref, cfg)
	if err != nil {
		return cmdutil.Usagef("merge reads the shards' scenario %s (give --scenario if it moved): %v", ref, err)
	}
	job.draw = draw
	if d := cmdutil.DigestOf(fmt.Sprint(cfg.Settings()), job.s.Digest()); d != p.Digest {
		return cmdutil.Usagef("%s is not the scenario the shards ran: its inputs differ", ref)
	}
	plan, err := cfg.Plan(len(job.inputs), cfg.N)
	if err != nil {
		return err
	}
	res, err := cfg.Analyse(plan, p.Table)
	if err != nil {
		return err
	}
	return writeSensitivity(a, job, o, res)
}
