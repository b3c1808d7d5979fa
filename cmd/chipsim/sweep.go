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

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/uq"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
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
	quiet    bool
	noCharts bool
	shard    string
	chart    chartOptions

	// A merge of shards sets these: the outcomes of every run, and the
	// digest the rebuilt sweep must have.
	mergeY      []float64
	mergeDigest string
}

func newSweepCmd() *cobra.Command { return newSweepCmdWith(&sweepOptions{}) }

// newSweepCmdWith builds the sweep command around options o, so that
// merge can rebuild a sharded sweep from its flags.
func newSweepCmdWith(o *sweepOptions) *cobra.Command {
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
		Example: `  chipsim sweep my-uncertain.yaml --oat --outcome ai.ssr_compute@2030
  chipsim sweep baseline --grid packaging.yield=0.6:0.95:8 --outcome ai.units_domestic@2026
  chipsim sweep baseline --grid packaging.yield=0.6:0.95:5 --grid foundry.smic_n2.learning_rate=0.7:0.9:5 --outcome ai.ssr_compute@2030
  chipsim sweep my-uncertain.yaml --lhs 500 --seed 1 --outcome "first(ai.ssr_units >= 0.5)"
  chipsim sweep --file sweeps/yield.yaml -o figs`,
		Args:              argsRange(0, 1, "one scenario, or --file"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runSweep(c, args, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.shard, "shard", "", "run only shard K of N of the runs (K from 1 to N) and write them for chipsim merge")
	f.StringVar(&o.file, "file", "", "read the sweep from a YAML file (scenario, outcomes, and oat, grid or lhs)")
	f.StringArrayVar(&o.outcomes, "outcome", nil, "an outcome to read from every run, such as ai.ssr_compute@2030 (repeatable)")
	f.BoolVar(&o.oat, "oat", false, "one-at-a-time design over every uncertain input")
	f.StringVar(&o.rng, "range", "p5-p95", "with --oat: the low and high ends, percentiles pA-pB or min-max (the distribution's support)")
	f.StringArrayVar(&o.grid, "grid", nil, "a grid axis NAME=LO:HI:N (repeatable: a full factorial grid)")
	f.IntVar(&o.lhs, "lhs", 0, "a Latin hypercube of N runs over every uncertain input")
	f.Uint64Var(&o.seed, "seed", 1, "with --lhs: random seed")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel workers")
	f.StringVarP(&o.out, "out", "o", "out", "folder to write results to")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar and no tables: only the files written")
	f.BoolVar(&o.noCharts, "no-charts", false, "write the CSV only")
	o.chart.flags(c, []string{"png"})
	return c
}

// sweepPos is a place in a sweep file; the zero value stands for the
// command line.
type sweepPos = scenarios.Pos

// sweepItem is a value of a sweep as written, with where it was written
// and what to call it in messages.
type sweepItem struct {
	text string
	pos  sweepPos
	what string // "--outcome", or a sweep file's key
}

type sweepGridSpec struct {
	name, from, to sweepItem
	steps          int
	stepsAt        sweepItem
	flag           string // the --grid value as given
}

// sweepDef is a sweep as flags or a sweep file define it.
type sweepDef struct {
	file     string
	scenario sweepItem
	outcomes []sweepItem
	mode     string // oat, grid or lhs
	rng      sweepItem
	grid     []sweepGridSpec
	runs     int
	runsAt   sweepItem
	seed     uint64
}

// sweepProblems collects bad input: positioned in a sweep file, or about flags.
type sweepProblems struct {
	list scenarios.ErrorList
	msgs []string
}

func (p *sweepProblems) add(it sweepItem, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if it.pos.File != "" {
		if it.what != "" {
			msg = it.what + ": " + msg
		}
		p.list.Add(it.pos, "%s", msg)
		return
	}
	if it.what != "" {
		msg = it.what + ": " + msg
	}
	p.msgs = append(p.msgs, msg)
}

func (p *sweepProblems) err() error {
	if err := p.list.Err(); err != nil {
		return err
	}
	if len(p.msgs) > 0 {
		return usageError{errors.New(strings.Join(p.msgs, "\n"))}
	}
	return nil
}

func runSweep(c *cobra.Command, args []string, o *sweepOptions) error {
	def, err := sweepDefinition(c, args, o)
	if err != nil {
		return err
	}
	if o.workers < 1 {
		return usagef("-j: want at least 1 worker, got %d", o.workers)
	}
	if !o.noCharts {
		if err := o.chart.check(); err != nil {
			return err
		}
	}
	job, err := planSweep(def, c.ErrOrStderr())
	if err != nil {
		return err
	}
	k, shards, err := parseShard(o.shard)
	if err != nil {
		return err
	}
	dig := sweepDigest(job, args, o)
	var y []float64
	if o.mergeY != nil {
		if dig != o.mergeDigest || len(o.mergeY) != job.runs*len(job.outcomes) {
			return usagef("the shards' sweep differs from the one their flags give now: its scenario or inputs changed")
		}
		y = o.mergeY
	} else {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		lo, hi := mcRange(job.runs, k, shards)
		bar := newProgress(c.ErrOrStderr(), hi-lo, o.quiet)
		y, err = job.run(ctx, o.workers, lo, hi, bar.update)
		bar.finish()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted: no results written")
			}
			return err
		}
		if shards > 1 {
			return writeSweepShard(c.OutOrStdout(), job.name, o, args, dig, job.runs, len(job.outcomes), k, shards, lo, hi, y)
		}
	}
	if !o.quiet {
		if err := job.writeTables(c.OutOrStdout(), y); err != nil {
			return err
		}
	}
	p := filepath.Join(o.out, job.name+"-sweep.csv")
	if err := output.WriteFile(p, func(w io.Writer) error { return job.writeCSV(w, y) }); err != nil {
		return err
	}
	wrote := []string{p}
	if !o.noCharts {
		charts, notes := job.charts(y, o.chart.chart())
		for _, n := range notes {
			fmt.Fprintln(c.ErrOrStderr(), "note:", n)
		}
		for _, ch := range charts {
			files, err := o.chart.save(ch, o.out, job.name+"-")
			wrote = append(wrote, files...)
			if err != nil {
				return err
			}
		}
	}
	return listWritten(c.OutOrStdout(), wrote)
}

// sweepDefinition reads the sweep from the flags or from --file.
func sweepDefinition(c *cobra.Command, args []string, o *sweepOptions) (*sweepDef, error) {
	fl := c.Flags()
	if o.file != "" {
		var given []string
		for _, name := range []string{"outcome", "oat", "range", "grid", "lhs", "seed"} {
			if fl.Changed(name) {
				given = append(given, "--"+name)
			}
		}
		if len(given) > 0 || len(args) > 0 {
			if len(args) > 0 {
				given = append([]string{"the scenario " + args[0]}, given...)
			}
			return nil, usagef("--file %s defines the whole sweep: drop %s (or drop --file)", o.file, strings.Join(given, ", "))
		}
		return readSweepFile(o.file)
	}
	if len(args) == 0 {
		return nil, usagef("sweep: want a scenario (or --file SWEEP.yaml)\nRun '%s --help' for usage.", c.CommandPath())
	}
	def := &sweepDef{scenario: sweepItem{text: args[0]}, seed: o.seed}
	var modes []string
	if o.oat {
		modes = append(modes, "--oat")
		def.mode = "oat"
	}
	if len(o.grid) > 0 {
		modes = append(modes, "--grid")
		def.mode = "grid"
	}
	if fl.Changed("lhs") {
		modes = append(modes, "--lhs")
		def.mode = "lhs"
	}
	switch {
	case len(modes) == 0:
		return nil, usagef("sweep: choose a design: --oat, --grid NAME=LO:HI:N or --lhs N")
	case len(modes) > 1:
		return nil, usagef("sweep: %s: choose one design", strings.Join(modes, " and "))
	}
	if fl.Changed("range") && def.mode != "oat" {
		return nil, usagef("--range: only with --oat")
	}
	if fl.Changed("seed") && def.mode != "lhs" {
		return nil, usagef("--seed: only with --lhs (the other designs draw nothing at random)")
	}
	if len(o.outcomes) == 0 {
		return nil, usagef("sweep: want at least one --outcome, such as --outcome ai.ssr_compute@2030 (see 'chipsim sweep --help')")
	}
	for _, e := range o.outcomes {
		def.outcomes = append(def.outcomes, sweepItem{text: e})
	}
	def.rng = sweepItem{text: o.rng, what: "--range"}
	def.runs = o.lhs
	def.runsAt = sweepItem{what: "--lhs"}
	var bad sweepProblems
	for _, g := range o.grid {
		it := sweepItem{what: "--grid " + g}
		name, rest, ok := strings.Cut(g, "=")
		parts := strings.Split(rest, ":")
		if !ok || strings.TrimSpace(name) == "" || len(parts) != 3 {
			bad.add(it, "want NAME=LO:HI:N, such as packaging.yield=0.6:0.95:8")
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil {
			bad.add(it, "steps %q: want a whole number of levels, such as 8", parts[2])
			continue
		}
		def.grid = append(def.grid, sweepGridSpec{
			name:    sweepItem{text: strings.TrimSpace(name), what: it.what},
			from:    sweepItem{text: strings.TrimSpace(parts[0]), what: it.what},
			to:      sweepItem{text: strings.TrimSpace(parts[1]), what: it.what},
			steps:   n,
			stepsAt: it,
			flag:    g,
		})
	}
	return def, bad.err()
}

// sweepKeys are the keys of a sweep file.
var sweepKeys = []string{"scenario", "description", "outcomes", "oat", "grid", "lhs"}

// readSweepFile reads and checks a sweep file's structure; what it names
// (the scenario, outcomes, inputs) is checked when the sweep is planned.
func readSweepFile(path string) (*sweepDef, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	at := func(n *yaml.Node) sweepPos { return sweepPos{File: path, Line: n.Line, Col: n.Column} }
	var errs scenarios.ErrorList
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		errs.Add(sweepPos{File: path, Line: 1, Col: 1}, "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, errs.Err()
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		errs.Add(sweepPos{File: path, Line: 1, Col: 1}, "want a sweep: a mapping with scenario, outcomes and one of oat, grid or lhs")
		return nil, errs.Err()
	}
	root := doc.Content[0]
	def := &sweepDef{file: path, seed: 1}
	seen := map[string]*yaml.Node{}
	var modes []*yaml.Node
	scalar := func(key string, v *yaml.Node) (string, bool) {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			errs.Add(at(v), "%s: want a single value, got %s", key, sweepNodeKind(v))
			return "", false
		}
		return v.Value, true
	}
	whole := func(key string, v *yaml.Node, lo int) (int, bool) {
		n, err := strconv.Atoi(strings.ReplaceAll(v.Value, "_", ""))
		if v.Kind != yaml.ScalarNode || err != nil || n < lo {
			errs.Add(at(v), "%s: want a whole number ≥ %d, got %s", key, lo, sweepNodeText(v))
			return 0, false
		}
		return n, true
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			errs.Add(at(k), "key %s given twice (first at line %d)", k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "scenario":
			if s, ok := scalar("scenario", v); ok {
				if scenarios.IsPath(s) && !filepath.IsAbs(s) {
					s = filepath.Join(filepath.Dir(path), s)
				}
				def.scenario = sweepItem{text: s, pos: at(v), what: "scenario"}
			}
		case "description":
		case "outcomes":
			items := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				items = v.Content
			}
			for _, it := range items {
				if s, ok := scalar("outcomes", it); ok {
					def.outcomes = append(def.outcomes, sweepItem{text: s, pos: at(it)})
				}
			}
			if len(items) == 0 {
				errs.Add(at(v), "outcomes: want at least one, such as ai.ssr_compute@2030")
			}
		case "oat":
			modes = append(modes, k)
			def.mode = "oat"
			def.rng = sweepItem{text: "p5-p95", pos: at(v), what: "oat: range"}
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.MappingNode {
				errs.Add(at(v), "oat: want a mapping such as {range: p5-p95}, got %s", sweepNodeKind(v))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				if kk.Value != "range" {
					errs.Add(at(kk), "oat: unknown key %s%s; want range", kk.Value, suggestName(kk.Value, []string{"range"}))
					continue
				}
				if s, ok := scalar("oat: range", vv); ok {
					def.rng = sweepItem{text: s, pos: at(vv), what: "oat: range"}
				}
			}
		case "grid":
			modes = append(modes, k)
			def.mode = "grid"
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				errs.Add(at(v), "grid: want a list of axes such as - {name: packaging.yield, from: 0.6, to: 0.95, steps: 8}, got %s", sweepNodeKind(v))
				continue
			}
			for _, ax := range v.Content {
				if ax.Kind != yaml.MappingNode {
					errs.Add(at(ax), "grid: want an axis {name, from, to, steps}, got %s", sweepNodeKind(ax))
					continue
				}
				g := sweepGridSpec{stepsAt: sweepItem{pos: at(ax), what: "grid"}}
				got := map[string]bool{}
				good := true
				for j := 0; j+1 < len(ax.Content); j += 2 {
					kk, vv := ax.Content[j], ax.Content[j+1]
					if got[kk.Value] {
						errs.Add(at(kk), "grid: key %s given twice", kk.Value)
						good = false
						continue
					}
					got[kk.Value] = true
					switch kk.Value {
					case "name", "from", "to":
						s, ok := scalar("grid: "+kk.Value, vv)
						good = good && ok
						it := sweepItem{text: s, pos: at(vv), what: "grid: " + kk.Value}
						switch kk.Value {
						case "name":
							g.name = it
						case "from":
							g.from = it
						default:
							g.to = it
						}
					case "steps":
						n, ok := whole("grid: steps", vv, 2)
						good = good && ok
						g.steps, g.stepsAt = n, sweepItem{pos: at(vv), what: "grid: steps"}
					default:
						errs.Add(at(kk), "grid: unknown key %s%s; an axis takes name, from, to and steps", kk.Value, suggestName(kk.Value, []string{"name", "from", "to", "steps"}))
						good = false
					}
				}
				for _, key := range []string{"name", "from", "to", "steps"} {
					if !got[key] {
						errs.Add(at(ax), "grid: axis has no %s (an axis takes name, from, to and steps)", key)
						good = false
					}
				}
				if good {
					g.flag = fmt.Sprintf("%s=%s:%s:%d", g.name.text, g.from.text, g.to.text, g.steps)
					def.grid = append(def.grid, g)
				}
			}
		case "lhs":
			modes = append(modes, k)
			def.mode = "lhs"
			if v.Kind != yaml.MappingNode {
				errs.Add(at(v), "lhs: want a mapping such as {runs: 500, seed: 1}, got %s", sweepNodeKind(v))
				continue
			}
			hasRuns := false
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				switch kk.Value {
				case "runs":
					hasRuns = true
					if n, ok := whole("lhs: runs", vv, 1); ok {
						def.runs = n
						def.runsAt = sweepItem{pos: at(vv), what: "lhs: runs"}
					}
				case "seed":
					s, err := strconv.ParseUint(vv.Value, 10, 64)
					if vv.Kind != yaml.ScalarNode || err != nil {
						errs.Add(at(vv), "lhs: seed: want a whole number ≥ 0, got %s", sweepNodeText(vv))
						continue
					}
					def.seed = s
				default:
					errs.Add(at(kk), "lhs: unknown key %s%s; want runs and seed", kk.Value, suggestName(kk.Value, []string{"runs", "seed"}))
				}
			}
			if !hasRuns {
				errs.Add(at(v), "lhs: want runs, the number of runs")
			}
		default:
			errs.Add(at(k), "unknown key %s%s; a sweep file takes %s", k.Value, suggestName(k.Value, sweepKeys), strings.Join(sweepKeys, ", "))
		}
	}
	top := sweepPos{File: path, Line: root.Line, Col: root.Column}
	if seen["scenario"] == nil {
		errs.Add(top, "missing key scenario: a shipped name or a path relative to this file")
	}
	if seen["outcomes"] == nil {
		errs.Add(top, "missing key outcomes: a list such as [ai.ssr_compute@2030]")
	}
	switch len(modes) {
	case 0:
		errs.Add(top, "missing design: want one of oat, grid or lhs")
	case 1:
	default:
		for _, m := range modes[1:] {
			errs.Add(at(m), "%s: a sweep has one design, and %s is given at line %d", m.Value, modes[0].Value, modes[0].Line)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return def, nil
}

func sweepNodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func sweepNodeText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return sweepNodeKind(n)
}

// sweepInput is a column of inputs in the CSV: an uncertain input of the
// scenario that runs.
type sweepInput struct {
	q   *scenarios.Quantity
	idx int // in the scenario's Quantities
}

func (in sweepInput) labelled() bool { return in.q.Choices != nil || in.q.Periods != nil }

// sweepGridAxis is an axis of a grid, resolved.
type sweepGridAxis struct {
	sweepInput
	levels   []float64
	scenario float64 // the scenario's own value, NaN if it has none
}

// sweepJob is a sweep ready to run.
type sweepJob struct {
	name     string
	version  string
	scn      *scenarios.Scenario // what runs: the scenario, or a child of it for grid paths
	mode     string
	runs     int
	base     []float64 // every input at its median
	inputs   []sweepInput
	outcomes []*outcome.Outcome
	docs     []string
	// newPoint returns, for one worker, a function that writes run's values
	// of every input into x.
	newPoint func() func(run int, x []float64)

	// oat
	low, high       []float64
	lowTag, highTag string
	// grid
	axes []sweepGridAxis
}

// planSweep loads the scenario and resolves the sweep's outcomes, inputs
// and levels: every bad input is reported before anything runs.
func planSweep(def *sweepDef, stderr io.Writer) (*sweepJob, error) {
	s, err := load(stderr, def.scenario.text)
	if err != nil {
		if def.file != "" && !errors.As(err, new(scenarios.ErrorList)) {
			var el scenarios.ErrorList
			el.Add(def.scenario.pos, "scenario: %v", err)
			return nil, el
		}
		return nil, err
	}
	job := &sweepJob{name: s.Name, version: chipsimVersion(), scn: s, mode: def.mode}
	var bad sweepProblems
	if def.mode == "grid" {
		if err := job.planGrid(def, s, &bad, stderr); err != nil {
			return nil, err
		}
	}
	// Outcomes are read the same way from the scenario and from the grid's
	// child of it: parse them against the scenario's model.
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	for _, it := range def.outcomes {
		oc, err := outcome.Parse(it.text, m)
		if err != nil {
			bad.add(sweepItem{pos: it.pos}, "%v", err)
			continue
		}
		job.outcomes = append(job.outcomes, oc)
		job.docs = append(job.docs, sweepOutcomeDoc(oc))
	}
	if len(def.outcomes) == 0 {
		bad.add(sweepItem{what: "sweep"}, "want at least one outcome")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	qs := job.scn.Quantities()
	job.base = make([]float64, len(qs))
	for k, q := range qs {
		job.base[k] = q.Dist.Quantile(0.5)
	}
	switch def.mode {
	case "oat":
		job.planOAT(def, &bad)
	case "lhs":
		job.planLHS(def, &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return job, nil
}

// sweepNoQuantities explains what a design over uncertain inputs needs.
func sweepNoQuantities(s *scenarios.Scenario, design string) string {
	return fmt.Sprintf("%s: %s has no uncertain inputs: give a parameter or an event value as a distribution, such as learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}, or sweep parameters with --grid", design, s.File)
}

func (job *sweepJob) planOAT(def *sweepDef, bad *sweepProblems) {
	qs := job.scn.Quantities()
	if len(qs) == 0 {
		bad.add(sweepItem{pos: def.scenario.pos}, "%s", sweepNoQuantities(job.scn, "oat"))
		return
	}
	pl, ph, support, ok := parseSweepRange(def.rng.text)
	if !ok {
		bad.add(def.rng, "%q: want percentiles pA-pB with 0 ≤ A < B ≤ 100, such as p5-p95 or p10-p90, or min-max for each distribution's support", def.rng.text)
		return
	}
	job.lowTag, job.highTag = "p"+sweepTrim(pl*100), "p"+sweepTrim(ph*100)
	if support {
		job.lowTag, job.highTag = "min", "max"
	}
	for k, q := range qs {
		lo, hi := q.Dist.Quantile(pl), q.Dist.Quantile(ph)
		if support {
			lo, hi = q.Dist.Support()
		}
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			bad.add(def.rng, "%s: %s is unbounded: use percentiles such as p5-p95, or truncate it with lo and hi", q.Name, q.Dist)
			continue
		}
		job.low, job.high = append(job.low, lo), append(job.high, hi)
		job.inputs = append(job.inputs, sweepInput{q: q, idx: k})
	}
	if len(job.low) != len(qs) {
		return
	}
	d, err := uq.NewOAT(job.base, job.low, job.high)
	if err != nil {
		bad.add(def.rng, "%v", err)
		return
	}
	job.runs = d.Runs()
	job.newPoint = func() func(int, []float64) { return d.Point }
}

// parseSweepRange reads p5-p95 (as 0.05, 0.95) or min-max / support.
func parseSweepRange(s string) (lo, hi float64, support, ok bool) {
	switch s {
	case "min-max", "support":
		return 0, 1, true, true
	}
	a, b, found := strings.Cut(s, "-")
	if !found || !strings.HasPrefix(a, "p") || !strings.HasPrefix(b, "p") {
		return 0, 0, false, false
	}
	x, err1 := strconv.ParseFloat(a[1:], 64)
	y, err2 := strconv.ParseFloat(b[1:], 64)
	if err1 != nil || err2 != nil || !(x >= 0 && x < y && y <= 100) {
		return 0, 0, false, false
	}
	return x / 100, y / 100, false, true
}

func sweepTrim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (job *sweepJob) planLHS(def *sweepDef, bad *sweepProblems) {
	qs := job.scn.Quantities()
	if len(qs) == 0 {
		bad.add(sweepItem{pos: def.scenario.pos}, "%s", sweepNoQuantities(job.scn, "lhs"))
		return
	}
	if def.runs < 1 {
		bad.add(def.runsAt, "want at least 1 run, got %d", def.runs)
		return
	}
	const maxRuns = 10_000_000
	if def.runs > maxRuns {
		bad.add(def.runsAt, "%d runs: at most %d (chipsim mc summarises any number of runs)", def.runs, maxRuns)
		return
	}
	d := len(qs)
	pts, err := uq.LatinHypercube(def.runs, d, rand.New(rand.NewPCG(def.seed, 0x6c6873)))
	if err != nil {
		bad.add(def.runsAt, "%v", err)
		return
	}
	// Map the design to values once: run i's inputs are row i.
	x := pts.Data()
	for i := 0; i < def.runs; i++ {
		for k, q := range qs {
			x[i*d+k] = q.Dist.Quantile(x[i*d+k])
		}
	}
	for k, q := range qs {
		job.inputs = append(job.inputs, sweepInput{q: q, idx: k})
	}
	job.runs = def.runs
	job.newPoint = func() func(int, []float64) { return pts.Point }
}

// planGrid resolves the axes. A parameter path that is not an uncertain
// input becomes one: a child scenario in memory extends the original and
// gives the path a uniform distribution over the axis's range.
func (job *sweepJob) planGrid(def *sweepDef, s *scenarios.Scenario, bad *sweepProblems, stderr io.Writer) error {
	qs := s.Quantities()
	qByName := map[string]int{}
	var names []string
	for k, q := range qs {
		qByName[q.Name] = k
		names = append(names, q.Name)
	}
	fields := map[string]sim.Field{}
	for _, f := range s.Spec.Fields() {
		if f.Num != nil {
			fields[f.Path] = f
			if _, ok := qByName[f.Path]; !ok {
				names = append(names, f.Path)
			}
		}
	}
	type axisDef struct {
		spec   sweepGridSpec
		lo, hi float64
		path   bool // a parameter path made uncertain for the sweep
	}
	var axes []axisDef
	seen := map[string]bool{}
	runs := 1
	for _, g := range def.grid {
		name := g.name.text
		if seen[name] {
			bad.add(g.name, "%s is swept twice", name)
			continue
		}
		seen[name] = true
		if g.steps < 2 {
			bad.add(g.stepsAt, "%d levels: want at least 2", g.steps)
			continue
		}
		if runs > 10_000_000/g.steps {
			bad.add(g.stepsAt, "the grid has more than 10000000 runs")
			continue
		}
		runs *= g.steps
		if k, ok := qByName[name]; ok {
			q := qs[k]
			if q.Choices != nil {
				bad.add(g.name, "%s is a choice (%s), not a number: sweep it with --oat or --lhs", name, strings.Join(q.Choices, ", "))
				continue
			}
			lo, ok1 := sweepLevel(g.from, q, s, bad)
			hi, ok2 := sweepLevel(g.to, q, s, bad)
			if !ok1 || !ok2 {
				continue
			}
			if !(lo < hi) {
				bad.add(g.to, "%s: want from < to, got %s to %s", name, g.from.text, g.to.text)
				continue
			}
			slo, shi := q.Dist.Support()
			for _, v := range []struct {
				x  float64
				it sweepItem
			}{{lo, g.from}, {hi, g.to}} {
				if v.x < slo || v.x > shi {
					from := fmt.Sprintf("%s at %s", q.Dist, q.Pos)
					if q.Periods != nil {
						from = "set at " + q.Pos.String()
					}
					bad.add(v.it, "%s = %s is outside its distribution's range [%s, %s] (%s): the scenario does not allow it",
						name, q.Format(v.x), q.Format(slo), q.Format(shi), from)
				}
			}
			axes = append(axes, axisDef{spec: g, lo: lo, hi: hi})
			continue
		}
		f, ok := fields[name]
		if !ok {
			bad.add(g.name, "no uncertain input or numeric parameter %q%s (see chipsim params %s)", name, suggestName(name, names), sweepRef(def.scenario.text))
			continue
		}
		if f.Def.Kind == sim.Enum {
			bad.add(g.name, "%s is a choice (%s), not a number: give it as a discrete distribution in the scenario and sweep it with --oat or --lhs", name, strings.Join(f.Def.Enum, ", "))
			continue
		}
		lo, ok1 := sweepNumber(g.from, bad)
		hi, ok2 := sweepNumber(g.to, bad)
		if !ok1 || !ok2 {
			continue
		}
		if !(lo < hi) {
			bad.add(g.to, "%s: want from < to, got %s to %s", name, g.from.text, g.to.text)
			continue
		}
		if lo < f.Def.Min {
			bad.add(g.from, "%s = %s is below its minimum %s (%s)", name, g.from.text, sweepTrim(f.Def.Min), f.Def.Unit)
			continue
		}
		if hi > f.Def.Max {
			bad.add(g.to, "%s = %s is above its maximum %s (%s)", name, g.to.text, sweepTrim(f.Def.Max), f.Def.Unit)
			continue
		}
		axes = append(axes, axisDef{spec: g, lo: lo, hi: hi, path: true})
	}
	if err := bad.err(); err != nil {
		return nil
	}
	// Give the paths distributions in a child scenario.
	var paths []axisDef
	for _, a := range axes {
		if a.path {
			paths = append(paths, a)
		}
	}
	scn := s
	if len(paths) > 0 {
		tree := map[string]any{}
		for _, a := range paths {
			parts := strings.Split(a.spec.name.text, ".")
			node := tree
			for _, p := range parts[:len(parts)-1] {
				next, ok := node[p].(map[string]any)
				if !ok {
					next = map[string]any{}
					node[p] = next
				}
				node = next
			}
			node[parts[len(parts)-1]] = map[string]any{"dist": "uniform", "min": a.lo, "max": a.hi}
		}
		// The child sits beside the scenario's file and extends it by a
		// relative path; a shipped scenario is extended by name.
		ext, at := def.scenario.text, "--grid"
		if scenarios.IsPath(ext) {
			at = filepath.Join(filepath.Dir(ext), "--grid")
			ext = "./" + filepath.Base(ext)
		}
		tree["extends"] = ext
		tree["name"] = s.Name
		data, err := yaml.Marshal(tree)
		if err != nil {
			return err
		}
		child, err := scenarios.Parse(at, data)
		if err != nil {
			return fmt.Errorf("sweep: the scenario with the grid's parameters as inputs does not load: %w", err)
		}
		scn = child
		for _, a := range paths {
			job.notePath(s, a.spec.name.text, stderr)
		}
	}
	job.scn = scn
	cqs := scn.Quantities()
	idx := map[string]int{}
	for k, q := range cqs {
		idx[q.Name] = k
	}
	for _, a := range axes {
		k, ok := idx[a.spec.name.text]
		if !ok {
			return fmt.Errorf("sweep: %s is not an input of the scenario built for the grid", a.spec.name.text)
		}
		q := cqs[k]
		lv, err := uq.EvenLevels(a.lo, a.hi, a.spec.steps)
		if err != nil {
			bad.add(a.spec.stepsAt, "%v", err)
			continue
		}
		whole := q.Periods != nil || q.Unit == "periods"
		for i := range lv {
			lv[i] = sweepCleanLevel(lv[i])
			if whole {
				lv[i] = math.Round(lv[i])
				if i > 0 && lv[i] == lv[i-1] {
					bad.add(a.spec.stepsAt, "%s: %d levels from %s to %s would repeat periods: at most %d", q.Name, a.spec.steps, a.spec.from.text, a.spec.to.text, int(a.hi-a.lo)+1)
					break
				}
			}
		}
		ax := sweepGridAxis{sweepInput: sweepInput{q: q, idx: k}, levels: lv, scenario: q.Dist.Quantile(0.5)}
		if a.path {
			ax.scenario = sweepWrittenValue(s, q.Name)
		}
		job.axes = append(job.axes, ax)
		job.inputs = append(job.inputs, ax.sweepInput)
	}
	if err := bad.err(); err != nil {
		return nil
	}
	levels := make([][]float64, len(job.axes))
	for i, a := range job.axes {
		levels[i] = a.levels
	}
	g, err := uq.NewGrid(levels)
	if err != nil {
		bad.add(sweepItem{what: "grid"}, "%v", err)
		return nil
	}
	job.runs = g.Runs()
	base := make([]float64, len(cqs))
	for k, q := range cqs {
		base[k] = q.Dist.Quantile(0.5)
	}
	axes2 := job.axes
	job.newPoint = func() func(int, []float64) {
		buf := make([]float64, len(axes2))
		return func(run int, x []float64) {
			copy(x, base)
			g.Point(run, buf)
			for i, a := range axes2 {
				x[a.idx] = buf[i]
			}
		}
	}
	return nil
}

// sweepRef is a scenario reference as chipsim params takes it.
func sweepRef(ref string) string {
	if strings.ContainsAny(ref, " \t") {
		return strconv.Quote(ref)
	}
	return ref
}

// sweepCleanLevel drops floating-point noise from a grid level (0.7000000000000001
// is 0.7), so that the value run is the value printed.
func sweepCleanLevel(v float64) float64 {
	x, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return x
}

func sweepNumber(it sweepItem, bad *sweepProblems) (float64, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(it.text, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		bad.add(it, "%q is not a number", it.text)
		return 0, false
	}
	return v, true
}

// sweepLevel reads a level of an uncertain input: a period for an event
// start, else a number.
func sweepLevel(it sweepItem, q *scenarios.Quantity, s *scenarios.Scenario, bad *sweepProblems) (float64, bool) {
	if q.Periods == nil {
		return sweepNumber(it, bad)
	}
	cal := s.Spec.Calendar
	lo, _ := q.Dist.Support()
	example := q.Format(lo)
	m, _, err := sim.ParseMonth(it.text)
	if err != nil {
		bad.add(it, "%s starts in a period: want a period such as %s, got %q", q.Name, example, it.text)
		return 0, false
	}
	t := cal.Index(m)
	switch {
	case !cal.Step.Aligned(m):
		bad.add(it, "%s: %s does not start a %s of the run: want a period such as %s", q.Name, it.text, cal.Step, example)
		return 0, false
	case t < 0 || t >= cal.N:
		bad.add(it, "%s: %s is outside the run (%s to %s)", q.Name, it.text, cal.Label(0), cal.Label(cal.N-1))
		return 0, false
	}
	return float64(t), true
}

// sweepWrittenValue is a parameter's value as the scenario writes it when it is
// one number, else NaN.
func sweepWrittenValue(s *scenarios.Scenario, path string) float64 {
	v := s.Values[path]
	if v == nil || v.Node == nil || v.Node.Kind != yaml.ScalarNode {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(v.Node.Value, "_", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// notePath tells what sweeping a parameter path means when the scenario
// gives it a schedule or events change it.
func (job *sweepJob) notePath(s *scenarios.Scenario, path string, stderr io.Writer) {
	if v := s.Values[path]; v != nil && v.Node != nil && v.Node.Kind != yaml.ScalarNode {
		fmt.Fprintf(stderr, "note: %s is a schedule in %s; the sweep holds it constant at each level\n", path, v.Pos)
	}
	var evs []string
	for _, e := range s.Events {
		for _, op := range e.Ops {
			if op.Path == path {
				evs = append(evs, fmt.Sprintf("%s (%s)", e.Name, s.Spec.Calendar.Step.Label(e.At)))
				break
			}
		}
	}
	if len(evs) > 0 {
		fmt.Fprintf(stderr, "note: events also change %s: %s; the sweep sets its value before them\n", path, strings.Join(evs, ", "))
	}
}

// sweepOutcomeDoc is the definition of the metric an outcome reads.
func sweepOutcomeDoc(o *outcome.Outcome) string {
	for _, tok := range strings.FieldsFunc(o.String(), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	}) {
		if d, ok := sim.MetricByName(tok); ok {
			return d.Name + ": " + d.Doc
		}
	}
	return ""
}

// run runs every point of the sweep on workers, each with its own sampler,
// and returns the outcomes by run: y[run*len(outcomes)+k].
// run evaluates runs [lo, hi); y holds every run's outcomes, 0 outside.
func (job *sweepJob) run(ctx context.Context, workers, lo, hi int, progress func(int)) ([]float64, error) {
	n, K := job.runs, len(job.outcomes)
	y := make([]float64, n*K)
	workers = max(1, min(workers, hi-lo))
	samplers := make([]*scenarios.Sampler, workers)
	for w := range samplers {
		sp, err := job.scn.NewSampler()
		if err != nil {
			return nil, err
		}
		samplers[w] = sp
	}
	var next, done atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	for _, sp := range samplers {
		wg.Add(1)
		go func(sp *scenarios.Sampler) {
			defer wg.Done()
			m := sp.Model()
			r := m.NewResult()
			x := make([]float64, sp.Dim())
			point := job.newPoint()
			for ctx.Err() == nil {
				run := int(next.Add(1)) - 1
				if run >= hi {
					return
				}
				point(run, x)
				sp.SetValues(x)
				m.Run(r)
				for k, o := range job.outcomes {
					y[run*K+k] = o.Eval(r)
				}
				if d := int(done.Add(1)); d%8 == 0 || d == hi-lo {
					progress(d)
				}
			}
		}(sp)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return y, nil
}

func isFirstOutcome(o *outcome.Outcome) bool { return o.Unit() == "year" }

// writeCSV writes a row per run: the inputs' values (with a label column
// for periods and choices) and each outcome's value (with a label column
// for first()).
func (job *sweepJob) writeCSV(w io.Writer, y []float64) error {
	cw := csv.NewWriter(w)
	head := []string{"run"}
	if job.mode == "oat" {
		head = append(head, "varied", "end")
	}
	for _, in := range job.inputs {
		head = append(head, in.q.Name)
		if in.labelled() {
			head = append(head, in.q.Name+"_label")
		}
	}
	for _, o := range job.outcomes {
		head = append(head, o.String())
		if isFirstOutcome(o) {
			head = append(head, o.String()+"_label")
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	num := sweepCSVNumber
	x := make([]float64, len(job.scn.Quantities()))
	point := job.newPoint()
	K := len(job.outcomes)
	row := make([]string, 0, len(head))
	for run := 0; run < job.runs; run++ {
		point(run, x)
		row = append(row[:0], strconv.Itoa(run))
		if job.mode == "oat" {
			switch {
			case run == 0:
				row = append(row, "", "median")
			case run%2 == 1:
				row = append(row, job.inputs[(run-1)/2].q.Name, job.lowTag)
			default:
				row = append(row, job.inputs[(run-1)/2].q.Name, job.highTag)
			}
		}
		for _, in := range job.inputs {
			v := x[in.idx]
			row = append(row, num(v))
			if in.labelled() {
				row = append(row, in.q.Format(v))
			}
		}
		for k, o := range job.outcomes {
			v := y[run*K+k]
			row = append(row, num(v))
			if isFirstOutcome(o) {
				row = append(row, o.Format(v))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sweepCSVNumber writes a value with the fewest digits that read back
// exactly, without an exponent for everyday magnitudes (2406562.5, not
// 2.4065625e+06); +Inf is never for first().
func sweepCSVNumber(v float64) string {
	if a := math.Abs(v); a == 0 || (a >= 1e-4 && a < 1e15) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// sweepInputText formats an input value for tables and charts.
func sweepInputText(q *scenarios.Quantity, v float64) string {
	if q.Choices != nil || q.Periods != nil {
		return q.Format(v)
	}
	return output.FormatInput(v)
}

// sweepSwingText formats the distance between two outcome values.
func sweepSwingText(o *outcome.Outcome, a, b float64) string {
	if math.IsInf(a, 0) != math.IsInf(b, 0) {
		return "never at one end"
	}
	if math.IsInf(a, 0) {
		return "0"
	}
	d := math.Abs(b - a)
	if isFirstOutcome(o) {
		return strconv.FormatFloat(d, 'f', 2, 64) + " years"
	}
	return o.Format(d)
}

func (job *sweepJob) tornadoBars(k int, y []float64) []output.TornadoBar {
	K := len(job.outcomes)
	bars := make([]output.TornadoBar, len(job.inputs))
	for i, in := range job.inputs {
		bars[i] = output.TornadoBar{
			Input: in.q.Name,
			Low:   sweepInputText(in.q, job.low[i]), High: sweepInputText(in.q, job.high[i]),
			AtLow: y[(1+2*i)*K+k], AtHigh: y[(2+2*i)*K+k],
		}
	}
	output.SortTornado(bars)
	return bars
}

// writeTables prints what the sweep found.
func (job *sweepJob) writeTables(w io.Writer, y []float64) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	K := len(job.outcomes)
	switch {
	case job.mode == "oat":
		fmt.Fprintf(tw, "%s: one at a time, %d inputs, %d runs; each input alone at its %s and %s, others at their medians\n", job.name, len(job.inputs), job.runs, job.lowTag, job.highTag)
		for k, o := range job.outcomes {
			fmt.Fprintf(tw, "\n%s (%s): %s with every input at its median\n", o, o.Unit(), o.Format(y[k]))
			fmt.Fprintf(tw, "input\t%s\t%s\tat %s\tat %s\tswing\n", job.lowTag, job.highTag, job.lowTag, job.highTag)
			for _, b := range job.tornadoBars(k, y) {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Input, b.Low, b.High, o.Format(b.AtLow), o.Format(b.AtHigh), sweepSwingText(o, b.AtLow, b.AtHigh))
			}
		}
	case job.mode == "grid" && len(job.axes) == 2:
		ax, ay := job.axes[0], job.axes[1]
		fmt.Fprintf(tw, "%s: grid of %d runs%s\n", job.name, job.runs, job.fixedText())
		for k, o := range job.outcomes {
			fmt.Fprintf(tw, "\n%s (%s): rows %s, columns %s\n", o, o.Unit(), ax.q.Name, ay.q.Name)
			cells := []string{""}
			for _, v := range ay.levels {
				cells = append(cells, sweepInputText(ay.q, v))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
			for i, vx := range ax.levels {
				cells = append(cells[:0], sweepInputText(ax.q, vx))
				for j := range ay.levels {
					cells = append(cells, o.Format(y[(i*len(ay.levels)+j)*K+k]))
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
			}
		}
	case job.mode == "grid":
		fmt.Fprintf(tw, "%s: grid of %d runs%s\n\n", job.name, job.runs, job.fixedText())
		var cells []string
		for _, a := range job.axes {
			cells = append(cells, a.q.Name)
		}
		for _, o := range job.outcomes {
			cells = append(cells, o.String())
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		x := make([]float64, len(job.scn.Quantities()))
		point := job.newPoint()
		for run := 0; run < job.runs; run++ {
			point(run, x)
			cells = cells[:0]
			for _, a := range job.axes {
				cells = append(cells, sweepInputText(a.q, x[a.idx]))
			}
			for k, o := range job.outcomes {
				cells = append(cells, o.Format(y[run*K+k]))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	case job.mode == "lhs":
		job.writeLHS(tw, y)
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// writeLHS prints each outcome's spread over the hypercube and the inputs
// most rank-correlated with it.
func (job *sweepJob) writeLHS(w io.Writer, y []float64) {
	K := len(job.outcomes)
	d := len(job.inputs)
	fmt.Fprintf(w, "%s: Latin hypercube, %d runs over %d inputs\n", job.name, job.runs, d)
	// Inputs and one outcome as columns, for rank correlations.
	x := make([]float64, len(job.scn.Quantities()))
	point := job.newPoint()
	m := make([]float64, job.runs*(d+1))
	for run := 0; run < job.runs; run++ {
		point(run, x)
		for i, in := range job.inputs {
			m[run*(d+1)+i] = x[in.idx]
		}
	}
	for k, o := range job.outcomes {
		vals := make([]float64, job.runs)
		never := 0
		for run := range vals {
			vals[run] = y[run*K+k]
			m[run*(d+1)+d] = vals[run]
			if math.IsInf(vals[run], 1) {
				never++
			}
		}
		sorted := append([]float64(nil), vals...)
		sort.Float64s(sorted)
		q := func(p float64) float64 { return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))] }
		fmt.Fprintf(w, "\n%s (%s): min %s, p5 %s, median %s, p95 %s, max %s\n", o, o.Unit(),
			o.Format(sorted[0]), o.Format(q(0.05)), o.Format(q(0.5)), o.Format(q(0.95)), o.Format(sorted[len(sorted)-1]))
		if never > 0 {
			fmt.Fprintf(w, "never in %d of %d runs\n", never, job.runs)
		}
		rho, err := uq.SpearmanMatrix(m, d+1)
		if err != nil || job.runs < 3 {
			continue
		}
		type cor struct {
			name string
			r    float64
		}
		var cs []cor
		for i, in := range job.inputs {
			if r := rho[i*(d+1)+d]; !math.IsNaN(r) {
				cs = append(cs, cor{in.q.Name, r})
			}
		}
		sort.SliceStable(cs, func(a, b int) bool { return math.Abs(cs[a].r) > math.Abs(cs[b].r) })
		if len(cs) == 0 {
			continue
		}
		fmt.Fprintln(w, "input\trank correlation")
		for _, c := range cs[:min(len(cs), 8)] {
			fmt.Fprintf(w, "%s\t%+.2f\n", c.name, c.r)
		}
	}
}

// sweepOutcome describes an outcome for charts.
func (job *sweepJob) sweepOutcome(k int) output.SweepOutcome {
	o := job.outcomes[k]
	return output.SweepOutcome{Name: o.String(), Unit: o.Unit(), Doc: job.docs[k], Format: o.Format}
}

func (a *sweepGridAxis) sweepAxis() output.SweepAxis {
	q := a.q
	return output.SweepAxis{Name: q.Name, Unit: q.Unit, Levels: a.levels, Scenario: a.scenario,
		Format: func(v float64) string { return sweepInputText(q, v) }}
}

// fixedText says where a grid holds the scenario's other uncertain inputs.
func (job *sweepJob) fixedText() string {
	switch n := len(job.scn.Quantities()) - len(job.axes); n {
	case 0:
		return ""
	case 1:
		return "; the scenario's other uncertain input at its median"
	default:
		return fmt.Sprintf("; the scenario's %d other uncertain inputs at their medians", n)
	}
}

// charts draws the design's charts; notes say which could not be drawn.
func (job *sweepJob) charts(y []float64, co output.ChartOptions) ([]*output.Chart, []string) {
	var out []*output.Chart
	var notes []string
	K := len(job.outcomes)
	fixed := ""
	if t := job.fixedText(); t != "" {
		fixed = strings.ToUpper(t[2:3]) + t[3:] + "."
	}
	for k, o := range job.outcomes {
		var ch *output.Chart
		var err error
		switch {
		case job.mode == "oat":
			if math.IsInf(y[k], 0) {
				notes = append(notes, fmt.Sprintf("tornado chart: %s is never reached with every input at its median; no chart drawn", o))
				continue
			}
			ch, err = output.Tornado(output.TornadoData{Scenario: job.name, Version: job.version, Outcome: job.sweepOutcome(k),
				Base: y[k], LowLabel: job.lowTag, HighLabel: job.highTag, Bars: job.tornadoBars(k, y)}, co)
		case job.mode == "grid" && len(job.axes) == 1:
			ys := make([]float64, job.runs)
			for run := range ys {
				ys[run] = y[run*K+k]
			}
			ch, err = output.SweepLine(output.SweepLineData{Scenario: job.name, Version: job.version, Axis: job.axes[0].sweepAxis(),
				Outcome: job.sweepOutcome(k), Y: ys, Fixed: fixed}, co)
		case job.mode == "grid" && len(job.axes) == 2:
			zs := make([]float64, job.runs)
			for run := range zs {
				zs[run] = y[run*K+k]
			}
			ch, err = output.Heatmap(output.HeatmapData{Scenario: job.name, Version: job.version, X: job.axes[0].sweepAxis(), Y: job.axes[1].sweepAxis(),
				Outcome: job.sweepOutcome(k), Z: zs, Fixed: fixed}, co)
		default:
			continue
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%v; no chart drawn", err))
			continue
		}
		out = append(out, ch)
	}
	// Two outcomes with the same slug would write the same file.
	used := map[string]int{}
	for _, ch := range out {
		used[ch.Name]++
		if n := used[ch.Name]; n > 1 {
			ch.Name = fmt.Sprintf("%s-%d", ch.Name, n)
		}
	}
	return out, notes
}
