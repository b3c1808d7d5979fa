// Package discovercmd is chipsim discover: PRIM scenario discovery over
// Monte Carlo draws of a scenario's uncertain inputs.
package discovercmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
	"github.com/spf13/cobra"
)

type options struct {
	outcome        string
	below, above   float64
	runs, workers  int
	seed           uint64
	from, format   string
	out            string
	prim           uq.PRIMOptions
	chart          cmdutil.ChartOptions
	belowSet, aSet bool
}

// NewCmdDiscover returns the discover command.
func NewCmdDiscover(a *cmdutil.App) *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "discover SCENARIO --outcome EXPR (--below X | --above X) [-n N] [--seed S]",
		Short: "Scenario discovery: the input conditions under which an outcome happens (PRIM)",
		Long: `Find the box of uncertain inputs in which an outcome happens: draw the scenario's
uncertain inputs N times (as chipsim mc does), mark the runs whose outcome is below
(or above) a threshold as cases, and peel the input space with PRIM (Friedman and
Fisher 1999): each step removes the 5% (--alpha) of the remaining runs at the low or
high end of one input, whichever leaves the densest box, until the box would hold
less than --min-support of the runs. Prints the peeling trajectory (coverage: the
share of all cases in the box; density: the share of the box's runs that are cases)
and the chosen box, the densest with coverage at least --min-coverage, with the
inputs it restricts. --from FILE reads the runs that chipsim mc --outcomes wrote (CSV
or Parquet) instead of running them. --format json gives {"base_rate": r, "boxes":
[...]}.

Draws the trajectory, coverage against density with the chosen box and the base
rate, as DIR/NAME-discover-OUTCOME.png (--no-charts: none; --chart-format for SVG or
PDF), written at the end, atomically, whatever the --format.`,
		Example: `  chipsim discover baseline-uncertain --outcome ai.ssr_compute@2030 --below 0.8 -n 2000
  chipsim mc baseline-uncertain -n 5000 --outcome ai.ssr_compute@2030 --outcomes runs.csv
  chipsim discover baseline-uncertain --from runs.csv --outcome ai.ssr_compute@2030 --below 0.8 -o figs`,
		Args:              cmdutil.ArgsRange(1, 1, "one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			o.belowSet, o.aSet = c.Flags().Changed("below"), c.Flags().Changed("above")
			return run(a, args[0], &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.outcome, "outcome", "", "the outcome `EXPR`, such as ai.ssr_compute@2030")
	f.Float64Var(&o.below, "below", 0, "cases: runs whose outcome is below this `value`")
	f.Float64Var(&o.above, "above", 0, "cases: runs whose outcome is above this `value`")
	f.IntVarP(&o.runs, "runs", "n", 1000, "Monte Carlo `runs`")
	f.Uint64Var(&o.seed, "seed", 1, "random `seed`")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel `workers`")
	f.StringVar(&o.from, "from", "", "read the runs from this `file` (CSV or Parquet that chipsim mc --outcomes wrote) instead of running them")
	f.Float64Var(&o.prim.Alpha, "alpha", 0.05, "`share` of the box's runs each peel removes")
	f.Float64Var(&o.prim.MinSupport, "min-support", 0.05, "stop peeling below this `share` of the runs in the box")
	f.Float64Var(&o.prim.MinCoverage, "min-coverage", 0.5, "the chosen box: the densest whose coverage is at least this `share`")
	f.StringVar(&o.format, "format", "table", "print as `table`, csv or json")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write the chart to")
	cmdutil.ChartFlags(c, &o.chart, true)
	return c
}

func run(a *cmdutil.App, ref string, o *options) error {
	switch {
	case o.outcome == "":
		return cmdutil.Usagef("give the outcome: --outcome EXPR, such as --outcome ai.ssr_compute@2030")
	case o.belowSet == o.aSet:
		return cmdutil.Usagef("give one of --below X and --above X: the runs that count as cases")
	case o.runs < 10 || o.workers < 1:
		return cmdutil.Usagef("-n and -j: want at least 10 runs and 1 worker, got %d and %d", o.runs, o.workers)
	}
	format, err := cmdutil.ParseFormat(o.format)
	if err != nil {
		return err
	}
	charts, err := o.chart.Drawing()
	if err != nil {
		return err
	}
	s, err := a.Load(ref)
	if err != nil {
		return err
	}
	if len(s.Quantities()) == 0 {
		return cmdutil.Usagef("%s has no uncertain inputs to discover conditions over", s.File)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	out, err := outcome.Parse(o.outcome, m)
	if err != nil {
		return cmdutil.UsageError{Err: err}
	}
	var x, vals []float64
	if o.from != "" {
		x, vals, err = readRuns(a, o.from, s, out.String())
	} else {
		x, vals, err = draw(a, s, out, o)
	}
	if err != nil {
		return err
	}
	y := make([]bool, len(vals))
	for i, v := range vals {
		y[i] = (o.belowSet && v < o.below) || (o.aSet && v > o.above)
	}
	res, err := uq.PRIM(x, len(s.Inputs()), y, o.prim)
	if err != nil {
		return cmdutil.Usagef("%s: %s", out, strings.TrimPrefix(err.Error(), "uq: PRIM: "))
	}
	cond := fmt.Sprintf("%s < %g", out, o.below)
	if o.aSet {
		cond = fmt.Sprintf("%s > %g", out, o.above)
	}
	if err := print(a, format, s, res, cond, len(vals)); err != nil || !charts {
		return err
	}
	return writeChart(a, s, res, o, out.String(), cond, len(vals))
}

// draw runs the Monte Carlo and returns the inputs (row-major) and the
// outcome of every run.
func draw(a *cmdutil.App, s *scenarios.Scenario, out *outcome.Outcome, o *options) (x, vals []float64, err error) {
	d := len(s.Inputs())
	x, vals = make([]float64, o.runs*d), make([]float64, o.runs)
	bar := a.Progress(o.runs)
	_, err = study.MonteCarlo(a.Ctx, s, study.MCConfig{Runs: o.runs, Seed: o.seed, Workers: o.workers, Outcomes: []*outcome.Outcome{out},
		Progress: func(done, _ int) { bar.Update(done) },
		Record: func(run int, in, outs []float64) error {
			copy(x[run*d:], in)
			vals[run] = outs[0]
			return nil
		}})
	bar.Finish()
	if err != nil && a.Ctx.Err() != nil {
		return nil, nil, cmdutil.ErrInterrupted
	}
	return x, vals, err
}

// readRuns reads the runs that chipsim mc --outcomes wrote, as CSV or
// Parquet: a run column, the scenario's inputs, then outcomes, one of them
// expr.
func readRuns(a *cmdutil.App, path string, s *scenarios.Scenario, expr string) (x, vals []float64, err error) {
	data, err := a.ReadRuns(path)
	if err != nil {
		return nil, nil, err
	}
	var t *runsTable
	if strings.EqualFold(filepath.Ext(path), ".parquet") {
		t, err = parquetRuns(path, data)
	} else {
		t, err = csvRuns(path, data)
	}
	if err != nil {
		return nil, nil, err
	}
	if t.rows == 0 {
		return nil, nil, cmdutil.Usagef("%s: no runs", path)
	}
	col := map[string]int{}
	for i, h := range t.head {
		col[h] = i
	}
	var cols []int
	for _, in := range s.Inputs() {
		i, ok := col[in.Name]
		if !ok {
			return nil, nil, cmdutil.Usagef("%s: no column %s: the file was not written for %s (its columns: %s)", path, in.Name, s.Name, strings.Join(t.head, ", "))
		}
		cols = append(cols, i)
	}
	oc, ok := col[expr]
	if !ok {
		return nil, nil, cmdutil.Usagef("%s: no column %s: write it with chipsim mc --outcome '%s' --outcomes %s", path, expr, expr, path)
	}
	for r := range t.rows {
		for _, i := range cols {
			v, err := t.value(r, i)
			if err != nil {
				return nil, nil, err
			}
			x = append(x, v)
		}
		v, err := t.value(r, oc)
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, v)
	}
	return x, vals, nil
}

// runsTable is a file of runs: its columns' names, how many rows it has
// and the value in row r of column i.
type runsTable struct {
	head  []string
	rows  int
	value func(r, i int) (float64, error)
}

// csvRuns reads the CSV form of runs.
func csvRuns(path string, data []byte) (*runsTable, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, cmdutil.Usagef("%s: %v", path, err)
	}
	if len(recs) == 0 {
		return nil, cmdutil.Usagef("%s: no runs", path)
	}
	t := &runsTable{rows: len(recs) - 1}
	for _, h := range recs[0] {
		t.head = append(t.head, output.UnquoteCell(h))
	}
	t.value = func(r, i int) (float64, error) {
		rec := recs[r+1]
		if i >= len(rec) {
			return 0, cmdutil.Usagef("%s:%d: %d fields, want %d", path, r+2, len(rec), len(t.head))
		}
		v, err := strconv.ParseFloat(rec[i], 64)
		if err != nil {
			return 0, cmdutil.Usagef("%s:%d: %s: want a number, got %q", path, r+2, t.head[i], rec[i])
		}
		return v, nil
	}
	return t, nil
}

// parquetRuns reads the Parquet form of runs.
func parquetRuns(path string, data []byte) (*runsTable, error) {
	head, rows, err := output.ReadRunsParquet(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, cmdutil.Usagef("%s: not a table of runs as chipsim mc --outcomes FILE.parquet writes: %v", path, err)
	}
	return &runsTable{head: head, rows: len(rows), value: func(r, i int) (float64, error) { return rows[r][i], nil }}, nil
}

type boxJSON struct {
	Coverage   float64               `json:"coverage"`
	Density    float64               `json:"density"`
	Support    float64               `json:"support"`
	Limits     map[string][2]float64 `json:"limits"`
	Restricted []string              `json:"restricted"`
}

// restricted lists the inputs the chosen box restricts.
func restricted(r *uq.PRIMResult, inputs int) []int {
	var out []int
	for j := range inputs {
		if r.Trajectory[r.Chosen].Restricted(j, &r.Full) {
			out = append(out, j)
		}
	}
	return out
}

func print(a *cmdutil.App, f output.Format, s *scenarios.Scenario, r *uq.PRIMResult, cond string, runs int) error {
	ins := s.Inputs()
	b := r.Trajectory[r.Chosen]
	switch f {
	case output.FormatJSON:
		bj := boxJSON{Coverage: b.Coverage, Density: b.Density, Support: b.Support, Limits: map[string][2]float64{}, Restricted: []string{}}
		for j, in := range ins {
			bj.Limits[in.Name] = [2]float64{b.Lo[j], b.Hi[j]}
		}
		for _, j := range restricted(r, len(ins)) {
			bj.Restricted = append(bj.Restricted, ins[j].Name)
		}
		var traj [][3]float64
		for _, t := range r.Trajectory {
			traj = append(traj, [3]float64{t.Coverage, t.Density, t.Support})
		}
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"condition": cond, "runs": runs, "base_rate": r.BaseRate, "boxes": []boxJSON{bj},
			"trajectory": map[string]any{"columns": []string{"coverage", "density", "support"}, "rows": traj}})
	case output.FormatCSV:
		w := csv.NewWriter(a.Stdout)
		w.Write([]string{"input", "lo", "hi", "restricted"})
		for j, in := range ins {
			w.Write([]string{output.SafeCell(in.Name), strconv.FormatFloat(b.Lo[j], 'g', -1, 64), strconv.FormatFloat(b.Hi[j], 'g', -1, 64), strconv.FormatBool(b.Restricted(j, &r.Full))})
		}
		w.Flush()
		return w.Error()
	}
	if a.Quiet {
		return nil
	}
	return writeText(a.Stdout, ins, r, cond, runs)
}

// show formats a value of an input for people.
func show(in study.Input, v float64) string {
	if in.Labelled() {
		return in.Format(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func writeText(w io.Writer, ins []study.Input, r *uq.PRIMResult, cond string, runs int) error {
	b := r.Trajectory[r.Chosen]
	fmt.Fprintf(w, "cases: %s in %.1f%% of %d runs (the base rate)\n\n", cond, 100*r.BaseRate, runs)
	fmt.Fprintf(w, "peeling trajectory (coverage: share of all cases in the box; density: share of the box that are cases)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\tcoverage\tdensity\tsupport\t")
	for k, t := range r.Trajectory {
		mark := ""
		if k == r.Chosen {
			mark = " <- chosen"
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%.3f\t%.3f\t%s\n", k, t.Coverage, t.Density, t.Support, mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nchosen box: coverage %.3f, density %.3f (%.1fx the base rate), %.1f%% of the runs\n", b.Coverage, b.Density, b.Density/r.BaseRate, 100*b.Support)
	js := restricted(r, len(ins))
	if len(js) == 0 {
		fmt.Fprintln(w, "it restricts no input: the cases are spread over the whole input space")
		return nil
	}
	fmt.Fprintln(w, "the inputs it restricts (the others may take any value they span):")
	for _, j := range js {
		in := ins[j]
		fmt.Fprintf(w, "  %s: %s to %s (of %s to %s)\n", in.Name, show(in, b.Lo[j]), show(in, b.Hi[j]), show(in, r.Full.Lo[j]), show(in, r.Full.Hi[j]))
	}
	return nil
}

// writeChart draws the peeling trajectory as DIR/NAME-discover-OUTCOME
// in each chart format.
func writeChart(a *cmdutil.App, s *scenarios.Scenario, r *uq.PRIMResult, o *options, expr, cond string, runs int) error {
	d := output.PRIMData{Name: "discover-" + output.OutcomeSlug(expr), Title: cond + ": PRIM peeling trajectory",
		Scenario: s.Name, Version: a.Version(), Chosen: r.Chosen, BaseRate: r.BaseRate}
	for _, t := range r.Trajectory {
		d.Coverage = append(d.Coverage, t.Coverage)
		d.Density = append(d.Density, t.Density)
	}
	d.Notes = append(d.Notes, fmt.Sprintf("%s: %d runs, %.1f%% of them cases; each peel removes %.3g%% of the box's runs, down to %.3g%% of all runs; "+
		"the chosen box is the densest with coverage at least %.3g.", s.Name, runs, 100*r.BaseRate, 100*o.prim.Alpha, 100*o.prim.MinSupport, o.prim.MinCoverage))
	ins, b := s.Inputs(), r.Trajectory[r.Chosen]
	var lims []string
	for _, j := range restricted(r, len(ins)) {
		in := ins[j]
		lims = append(lims, fmt.Sprintf("%s %s to %s", in.Name, show(in, b.Lo[j]), show(in, b.Hi[j])))
	}
	if len(lims) > 0 {
		d.Notes = append(d.Notes, "The chosen box restricts "+strings.Join(lims, "; ")+".")
	}
	bu := o.chart.Bundle(o.out)
	c, err := output.PRIMTrajectory(d, o.chart.Chart)
	if err == nil {
		err = bu.Charts(s.Name+"-", []*output.Chart{c})
	}
	return a.Done(bu, err)
}
