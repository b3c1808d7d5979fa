// Package sweepcmd is chipsim sweep: one-at-a-time, grid and Latin
// hypercube sweeps over a scenario's inputs, and their merge from shards.
package sweepcmd

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type sweepOptions struct {
	file     string
	outcomes []string
	oat      bool
	rng      string
	grid     []string
	lhs      int
	seed     uint64
	workers  int
	out      string
	shard    cmdutil.ShardSpec
	chart    cmdutil.ChartOptions
}

// NewCmdSweep returns the sweep command: one-at-a-time, grid and Latin
// hypercube sweeps.
func NewCmdSweep(a *cmdutil.App) *cobra.Command {
	var o sweepOptions
	c := &cobra.Command{
		Use:   "sweep SCENARIO --outcome EXPR... (--oat | --grid NAME=LO:HI:N... | --lhs N)",
		Short: "Sensitivity sweeps: one-at-a-time (tornado), grids over inputs, Latin hypercube",
		Long: `Run a scenario many times with chosen inputs set to chosen values, and read
scalar outcomes from each run (--outcome, repeatable: ai.ssr_compute@2030,
first(ai.ssr_units >= 0.5), sum(ai.units_domestic, 2025..2030), ...).

Designs (choose one):
  --oat            one at a time: every uncertain input of the scenario alone at
                   the low and the high end of its range (--range p5-p95 by
                   default, or min-max for its distribution's support), every
                   other at its median. Prints each outcome's swings, widest
                   first, and draws a tornado chart per outcome:
                   DIR/NAME-tornado-OUTCOME.png
  --grid NAME=LO:HI:N
                   N evenly spaced levels from LO to HI; repeat for a full
                   factorial grid. NAME is an uncertain input (see the
                   scenario's distributions; event starts take periods such as
                   2026Q3) or any numeric parameter path (chipsim params): a
                   path is held constant at each level in every period, before
                   the scenario's events apply. Other uncertain inputs stay at
                   their medians. One axis draws a line per outcome
                   (DIR/NAME-sweep-AXIS-OUTCOME.png), two a heatmap
                   (DIR/NAME-heatmap-X-Y-OUTCOME.png), more a table only.
  --lhs N          a Latin hypercube of N runs over every uncertain input
                   (--seed S); prints each outcome's spread and the inputs
                   that move it most (Spearman rank correlation).

Every design writes DIR/NAME-sweep.csv: a row per run with the inputs' values and
each outcome's (first() as a fractional year, +Inf for never, with a _label
column). Runs are spread over -j workers and placed by run index, so the files are
the same for any -j. Files are written at the end, atomically: Ctrl-C leaves none.

A sweep file holds a sweep for reuse (paths relative to the file):
  scenario: my-uncertain.yaml
  outcomes: [ai.ssr_compute@2030, "first(ai.ssr_units >= 0.5)"]
  grid:
    - {name: packaging.yield, from: 0.6, to: 0.95, steps: 8}
or  oat: {range: p5-p95}    or  lhs: {runs: 500, seed: 1}`,
		Example: `  chipsim sweep baseline-uncertain --oat --outcome ai.ssr_compute@2030
  chipsim sweep baseline --grid packaging.yield=0.6:0.95:8 --outcome ai.units_domestic@2026
  chipsim sweep baseline --grid packaging.yield=0.6:0.95:5 --grid foundry.smic_n2.learning_rate=0.7:0.9:5 --outcome ai.ssr_compute@2030
  chipsim sweep baseline-uncertain --lhs 500 --seed 1 --outcome "first(ai.ssr_units >= 0.5)"
  chipsim sweep --file sweeps/yield.yaml -o figs`,
		Args:              cmdutil.ArgsRange(0, 1, "one scenario, or --file"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runSweep(c, a, args, &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.file, "file", "", "read the sweep from a YAML `file` (scenario, outcomes, and oat, grid or lhs)")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "an outcome `EXPR` to read from every run, such as ai.ssr_compute@2030 (repeatable)")
	f.BoolVar(&o.oat, "oat", false, "one-at-a-time design over every uncertain input")
	f.StringVar(&o.rng, "range", "p5-p95", "with --oat: the low and high `ends`, percentiles pA-pB or min-max (the distribution's support)")
	f.StringArrayVar(&o.grid, "grid", nil, "a grid axis `NAME=LO:HI:N` (repeatable: a full factorial grid)")
	f.IntVar(&o.lhs, "lhs", 0, "a Latin hypercube of `N` runs over every uncertain input")
	f.Uint64Var(&o.seed, "seed", 1, "with --lhs: random `seed`")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	cmdutil.ShardFlags(c, &o.shard)
	cmdutil.ChartFlags(c, &o.chart, true)
	return c
}

func runSweep(c *cobra.Command, a *cmdutil.App, args []string, o *sweepOptions) error {
	def, err := sweepDefinition(a, c.Flags(), args, o)
	if err != nil {
		return err
	}
	if o.workers < 1 {
		return cmdutil.Usagef("-j: want at least 1 worker, got %d", o.workers)
	}
	draw, err := o.chart.Drawing()
	if err != nil {
		return err
	}
	k, shards, err := o.shard.Parse()
	if err != nil {
		return err
	}
	sw, err := planSweep(a, def)
	if err != nil {
		return err
	}
	lo, hi := study.Range(sw.Plan.Runs(), k, shards)
	bar := a.Progress(hi - lo)
	t, err := study.Run(c.Context(), sw.Scenario, sw.Plan, sw.Outcomes, study.Options{Workers: o.workers, Shard: k, Shards: shards,
		Progress: func(done, _ int) { bar.Update(done) }})
	bar.Finish()
	if err != nil {
		return cmdutil.Interrupted(c.Context(), err)
	}
	if shards > 1 {
		p := &study.Partial{Build: a.Build(), Kind: "sweep", Scenario: sw.Name, Digest: sweepDigest(def, sw), Settings: def.Settings(), Shard: k, Shards: shards, Table: t}
		return a.WritePartial(p, o.out, fmt.Sprintf("%s-sweep-shard-%d-of-%d.json", sw.Name, k+1, shards))
	}
	return finishSweep(a, sw, t, o, draw)
}

// planSweep checks a sweep against its scenario, printing its notes.
func planSweep(a *cmdutil.App, def *scenarios.SweepDef) (*scenarios.Sweep, error) {
	sw, err := def.Plan()
	if err != nil {
		if errors.As(err, new(scenarios.ErrorList)) {
			return nil, err
		}
		return nil, cmdutil.UsageError{Err: err}
	}
	a.Warn(sw.Warnings)
	for _, n := range sw.Notes {
		a.Notef("note: %s", n)
	}
	return sw, nil
}

// finishSweep prints the tables and writes the CSV and charts.
func finishSweep(a *cmdutil.App, sw *scenarios.Sweep, t *study.Table, o *sweepOptions, draw bool) error {
	res := &output.SweepResult{Name: sw.Name, Version: a.Version(), Plan: sw.Plan, Inputs: sw.Scenario.Inputs(),
		Columns: sw.Columns, AxisValue: sw.AxisValue, Outcomes: sw.Outcomes, Table: t}
	if !a.Quiet {
		if err := res.WriteTables(a.Stdout); err != nil {
			return err
		}
	}
	b := o.chart.Bundle(o.out)
	if err := b.File(sw.Name+"-sweep.csv", res.WriteCSV); err != nil || !draw {
		return a.Done(b, err)
	}
	charts, notes := res.Charts(o.chart.Chart)
	for _, n := range notes {
		a.Notef("note: %s", n)
	}
	return a.Done(b, b.Charts(sw.Name+"-", charts))
}

// sweepDefinition reads the sweep from the flags or from --file.
func sweepDefinition(a *cmdutil.App, fl *pflag.FlagSet, args []string, o *sweepOptions) (*scenarios.SweepDef, error) {
	if o.file != "" {
		var given []string
		for _, name := range []string{"outcome", "oat", "range", "grid", "lhs", "seed"} {
			if fl.Changed(name) {
				given = append(given, "--"+name)
			}
		}
		if len(args) > 0 {
			given = append([]string{"the scenario " + args[0]}, given...)
		}
		if len(given) > 0 {
			return nil, cmdutil.Usagef("--file %s defines the whole sweep: drop %s (or drop --file)", o.file, strings.Join(given, ", "))
		}
		data, err := a.ReadInput(o.file)
		if err != nil {
			return nil, err
		}
		return scenarios.ParseSweepFile(o.file, data)
	}
	if len(args) == 0 {
		return nil, cmdutil.Usagef("sweep: want a scenario (or --file SWEEP.yaml)\nRun 'chipsim sweep --help' for usage.")
	}
	design, err := scenarios.SweepGiven{OAT: o.oat, Grid: len(o.grid) > 0, LHS: fl.Changed("lhs"),
		Range: fl.Changed("range"), Seed: fl.Changed("seed")}.Design()
	if err != nil {
		return nil, cmdutil.UsageError{Err: err}
	}
	def, err := scenarios.SweepFromFlags(scenarios.SweepFlags{Scenario: args[0], Outcomes: o.outcomes, Design: design,
		Range: o.rng, Grid: o.grid, Runs: o.lhs, Seed: o.seed})
	if err != nil && !errors.As(err, new(scenarios.ErrorList)) {
		return nil, cmdutil.UsageError{Err: err}
	}
	return def, err
}

// sweepDigest identifies a sweep: its definition and its scenario's
// inputs.
func sweepDigest(def *scenarios.SweepDef, sw *scenarios.Sweep) string {
	return cmdutil.DigestOf(fmt.Sprintf("%v runs=%d", def.Settings(), sw.Plan.Runs()), sw.Scenario.Digest())
}

// Merge finishes a sweep from its shards' outcomes, p: the same files as
// the unsharded sweep writes, into the folder out. It rebuilds the sweep
// from the definition the shards recorded.
func Merge(a *cmdutil.App, p *study.Partial, out string, co cmdutil.ChartOptions, draw bool) error {
	def, err := scenarios.SweepFromSettings(p.Settings, a.ReadInput)
	if err != nil {
		return cmdutil.Usagef("the shards' sweep does not load: %v", err)
	}
	sw, err := planSweep(a, def)
	if err != nil {
		return err
	}
	if sweepDigest(def, sw) != p.Digest || sw.Plan.Runs() != p.Table.Runs {
		return cmdutil.Usagef("the shards' sweep differs from the one its definition gives now: its scenario or inputs changed")
	}
	return finishSweep(a, sw, p.Table, &sweepOptions{out: out, chart: co}, draw)
}
