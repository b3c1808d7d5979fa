// Package calibratecmd is chipsim calibrate: fit a scenario's parameters
// to observations by weighted least squares.
package calibratecmd

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/scenarios/check"
	"github.com/chipsim/chipsim/sim/calib"
	"github.com/spf13/cobra"
)

// History names the shipped observations: the facts of history that
// chipsim check holds the baseline to.
const History = "history"

type options struct {
	observations string
	params       []string
	holdout      []string
	relative     bool
	starts       int
	seed         uint64
	maxEvals     int
	level        float64
	out, format  string
	chart        cmdutil.ChartOptions
}

// NewCmdCalibrate returns the calibrate command.
func NewCmdCalibrate(a *cmdutil.App) *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "calibrate SCENARIO --observations FILE.csv --param PATH[=LO:HI]... [-o DIR]",
		Short: "Fit a scenario's parameters to observations (weighted least squares)",
		Long: `Fit parameters of a scenario to observed values: find the values of the --param
paths, within their ranges, that bring the model closest to the observations, by
weighted least squares minimised with Nelder-Mead from several starts (--starts: the
scenario's own values, then a Latin hypercube over the ranges, --seed).

Observations are tidy CSV with chipsim's own columns, so a subset of any chipsim
run CSV is one: period (a year, aggregated as the annual tables do, or a period
such as 2025Q1), metric, value, and optionally scenario, entity (default all),
unit (checked against the model's), sigma (a standard deviation that divides the
error) or weight (multiplies its square), id, holdout (true keeps the row out of
the fit) and source. --observations history uses the facts of history that
chipsim check holds the baseline to (two-sided ones up to 2025), sigma half their
accepted range. Observations in different units need sigma, weight or --relative.

A range left out is the input's distribution's support, or the parameter's own
bounds when they are finite. A path with a schedule is fitted as one value in
every period; the scenario's events still apply after it.

Writes DIR/NAME-calibrated.yaml (extends the scenario and sets the fitted values,
each with a comment giving the fit), DIR/NAME-calibration.json ({"params": {PATH:
value}, "fit": {PATH: {value, start, bounds, range}}, objective, every
observation's model value before and after, ...}) and a chart of every
observation's error before and after (DIR/NAME-calibration.png). The range of a
parameter is its profile range: the values at which the objective, refitted over
the other parameters, stays within the chi-square margin of --level (0.95) of the
best fit, the residuals' variance estimated from the fit (with sigmas: as given,
widened when the fit is worse than they allow). "(bound)" marks a side the
observations do not limit within the range searched.`,
		Example: `  chipsim calibrate baseline --observations history --param hbm.cxmt_ramp=0.2:3 -o fit
  chipsim run baseline -o out && grep ',ai.units_domestic,all,' out/baseline.csv > obs.csv
  chipsim calibrate baseline --observations my-obs.csv --param packaging.yield=0.6:0.95 --holdout ai.units_domestic@2025`,
		Args:              cmdutil.ArgsRange(1, 1, "one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return run(c, a, args[0], &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.observations, "observations", "", "observations `file` (CSV), or history for the shipped facts of history")
	cmdutil.StringsFlag(f, &o.params, "param", nil, "a parameter to fit and the range to search, `PATH[=LO:HI]` (repeatable)")
	cmdutil.StringsFlag(f, &o.holdout, "holdout", nil, "observation `ids` to keep out of the fit and report apart (comma-separated or repeated; an id is the file's id column, else METRIC[ENTITY]@PERIOD)")
	f.BoolVar(&o.relative, "relative", false, "relative errors: divide each error by the observed value")
	f.IntVar(&o.starts, "starts", 8, "`number` of starts of the search")
	f.Uint64Var(&o.seed, "seed", 1, "random `seed` of the starts")
	f.IntVar(&o.maxEvals, "max-evals", 800, "model `runs` per local search at most")
	f.Float64Var(&o.level, "level", 0.95, "confidence `level` of the parameters' ranges")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	f.StringVar(&o.format, "format", "table", "print as `table` or json")
	cmdutil.ChartFlags(c, &o.chart, true)
	return c
}

func run(c *cobra.Command, a *cmdutil.App, ref string, o *options) error {
	switch {
	case o.observations == "":
		return cmdutil.Usagef("give the observations: --observations FILE.csv (or history)")
	case len(o.params) == 0:
		return cmdutil.Usagef("give at least one parameter to fit: --param PATH[=LO:HI], such as --param packaging.yield=0.6:0.95")
	case o.starts < 1 || o.maxEvals < 20:
		return cmdutil.Usagef("--starts and --max-evals: want at least 1 start and 20 runs, got %d and %d", o.starts, o.maxEvals)
	case !(o.level > 0 && o.level < 1):
		return cmdutil.Usagef("--level %g: want a share between 0 and 1, such as 0.95", o.level)
	}
	format, err := cmdutil.ParseFormat(o.format)
	if err != nil {
		return err
	}
	if format == output.FormatCSV {
		return cmdutil.Usagef("--format csv: calibrate prints a table or json (the JSON file holds every observation)")
	}
	draw, err := o.chart.Drawing()
	if err != nil {
		return err
	}
	var params []scenarios.CalibrationParam
	for _, s := range o.params {
		p, err := scenarios.ParseCalibrationParam(s)
		if err != nil {
			return cmdutil.UsageError{Err: err}
		}
		params = append(params, p)
	}
	s, err := a.Load(ref)
	if err != nil {
		return err
	}
	obsName, data, err := readObservations(a, o.observations)
	if err != nil {
		return err
	}
	obs, err := scenarios.ParseObservations(obsName, data)
	if err != nil {
		return cmdutil.UsageError{Err: err}
	}
	cal, err := s.Calibration(ref, params)
	if err != nil {
		return cmdutil.UsageError{Err: err}
	}
	for _, n := range cal.Notes {
		a.Notef("note: %s", n)
	}
	targets, err := cal.Targets(obsName, obs, o.relative, o.holdout)
	if err != nil {
		return cmdutil.UsageError{Err: err}
	}
	sp, err := cal.Scenario.NewSampler()
	if err != nil {
		return err
	}
	weights := weighting(obs)
	cfg := calib.Config{Level: o.level, KnownScale: weights == "sigma",
		Search: calib.Settings{Starts: o.starts, Seed: o.seed, MaxEvals: o.maxEvals}}
	for i, in := range cal.Inputs {
		cfg.Params = append(cfg.Params, calib.Param{Input: in, Lo: cal.Params[i].Lo, Hi: cal.Params[i].Hi})
	}
	for _, t := range targets {
		cfg.Observations = append(cfg.Observations, calib.Observation{Outcome: t.Outcome, Value: t.Value, Scale: t.Scale, Holdout: t.Holdout})
	}
	// The fit starts from the scenario's own values.
	start := append([]float64(nil), sp.Values()...)
	for i, in := range cal.Inputs {
		start[in] = cal.Start[i]
	}
	sp.SetValues(start)
	a.Infof("fitting %d parameters to %d observations from %d starts...", len(params), len(targets), o.starts)
	res, err := calib.Calibrate(c.Context(), sp, cfg)
	if err != nil {
		if ierr := cmdutil.Interrupted(c.Context(), err); ierr != err {
			return ierr
		}
		return cmdutil.UsageError{Err: fmt.Errorf("calibrate %s: %w", s.Name, err)}
	}
	report := summarise(a, s.Name, obsName, weights, o, cal, targets, res)
	if format == output.FormatJSON {
		if err := report.WriteJSON(a.Stdout); err != nil {
			return err
		}
	} else if !a.Quiet {
		if err := report.WriteText(a.Stdout); err != nil {
			return err
		}
	}
	b := o.chart.Bundle(o.out)
	name := s.Name + "-calibrated"
	yml, err := cal.Calibrated(name, o.out, res.Fitted, comments(obsName, report), header(a, s.Name, obsName, o, report))
	if err != nil {
		return err
	}
	if err := b.Data(name+".yaml", yml); err != nil {
		return a.Done(b, err)
	}
	if err := b.File(s.Name+"-calibration.json", report.WriteJSON); err != nil || !draw {
		return a.Done(b, err)
	}
	ch, err := report.Chart(o.chart.Chart)
	if err != nil {
		return a.Done(b, err)
	}
	return a.Done(b, b.Charts(s.Name+"-", []*output.Chart{ch}))
}

// readObservations reads the observations file, or the shipped history.
func readObservations(a *cmdutil.App, ref string) (string, []byte, error) {
	if ref != History {
		data, err := a.ReadInput(ref)
		return ref, data, err
	}
	f, err := check.Shipped()
	if err != nil {
		return "", nil, err
	}
	var b bytes.Buffer
	if err := f.WriteObservations(&b, output.SafeCell); err != nil {
		return "", nil, err
	}
	return "history (" + check.ShippedName + ")", b.Bytes(), nil
}

// weighting names how the file weighs its observations: "sigma",
// "weight" or "none" (a file has one column or the other, never both).
func weighting(obs []scenarios.Observation) string {
	switch {
	case !math.IsNaN(obs[0].Sigma):
		return "sigma"
	case !math.IsNaN(obs[0].Weight):
		return "weight"
	}
	return "none"
}

// summarise gathers what the calibration found for the files and the
// terminal.
func summarise(a *cmdutil.App, name, obsName, weights string, o *options, cal *scenarios.Calibration, ts []scenarios.Target, res *calib.Result) *output.Calibration {
	r := &output.Calibration{Scenario: name, Observations: obsName, Errors: "absolute", Weights: weights,
		Objective: output.CalibrationBefore{Before: res.ObjectiveBefore, After: res.ObjectiveAfter},
		Level:     o.level, Variance: res.Variance, NFit: res.NFit, NHeld: res.NHeld,
		Starts: len(res.Search.Starts), Evals: res.Search.Evals, Version: a.Version(), RangeNotes: cal.Notes}
	if o.relative {
		r.Errors = "relative"
	}
	if res.NHeld > 0 {
		r.Holdout = &output.CalibrationBefore{Before: res.HoldoutBefore, After: res.HoldoutAfter}
	}
	for i, p := range cal.Params {
		cp := output.CalibratedParam{Path: p.Path, Unit: cal.Units[i], Start: res.Start[i], Value: res.Fitted[i], Lo: p.Lo, Hi: p.Hi}
		if res.Ranges != nil {
			rg := res.Ranges[i]
			cp.HasRange, cp.RangeLo, cp.RangeHi, cp.AtLo, cp.AtHi = true, rg.Lo, rg.Hi, rg.AtLo, rg.AtHi
		}
		r.Params = append(r.Params, cp)
	}
	for k, t := range ts {
		r.Rows = append(r.Rows, output.CalibrationRow{ID: t.ID, Line: t.Line, Metric: t.Metric, Entity: t.Entity, Period: t.Period,
			Unit: t.Outcome.Unit(), Observed: t.Value, Scale: t.Scale, Holdout: t.Holdout, Before: res.Before[k], After: res.After[k]})
	}
	return r
}

// comments are the fitted values' sources in the calibrated scenario.
func comments(obsName string, r *output.Calibration) []string {
	var out []string
	for _, p := range r.Params {
		out = append(out, fmt.Sprintf("calibrated to %s (%d observations); %g%% range %s; was %s (%s)",
			obsName, r.NFit, 100*r.Level, p.RangeText(), strconv.FormatFloat(p.Start, 'g', 6, 64), p.Unit))
	}
	return out
}

func header(a *cmdutil.App, name, obsName string, o *options, r *output.Calibration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "chipsim %s calibrate %s --observations %s", a.Version(), name, o.observations)
	for _, p := range o.params {
		fmt.Fprintf(&b, " --param %s", p)
	}
	fmt.Fprintf(&b, "\nFitted to %d observations from %s (%s errors, weights: %s)", r.NFit, obsName, r.Errors, r.Weights)
	if r.NHeld > 0 {
		fmt.Fprintf(&b, ", %d held out", r.NHeld)
	}
	fmt.Fprintf(&b, ".\nSum of squared errors: %s before, %s after.", strconv.FormatFloat(r.Objective.Before, 'g', 4, 64), strconv.FormatFloat(r.Objective.After, 'g', 4, 64))
	return b.String()
}
