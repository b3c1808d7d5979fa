package calib

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// Space is what a calibration sets and runs: a scenario's sampler, whose
// inputs include the parameters to fit.
type Space interface {
	Model() *sim.Model
	Values() []float64
	SetValues(x []float64)
}

// Observation is one value the model should reproduce.
type Observation struct {
	Outcome *outcome.Outcome
	Value   float64
	// Scale divides the error: the residual is (model − Value) / Scale
	// (a standard deviation, 1/√weight, or |Value| for relative errors).
	Scale float64
	// Holdout keeps the observation out of the fit; its error is
	// reported apart.
	Holdout bool
}

// Param is an input of the space to fit, within bounds.
type Param struct {
	Input  int
	Lo, Hi float64
}

// Config is a calibration.
type Config struct {
	Params       []Param
	Observations []Observation
	Search       Settings
	// Level is the confidence level of the profile ranges, such as 0.95.
	Level float64
	// KnownScale says the scales are standard deviations: the ranges use
	// them as they are unless the fit is worse than they allow (a reduced
	// chi-square above 1 widens the ranges by its square root, the Birge
	// ratio). Otherwise the scales are relative weights and the ranges
	// estimate the error's size from the fit.
	KnownScale bool
}

// Result is a calibration's outcome.
type Result struct {
	Start, Fitted []float64 // per parameter
	// Ranges are the profile ranges, nil when the fit has no degrees of
	// freedom to size them (as many fitted observations as parameters, or
	// fewer, and unknown scales).
	Ranges []Range
	// Before and After are the model's values for every observation at
	// the start and at the fit.
	Before, After []float64
	// Objective is the sum of squared residuals over the fitted
	// observations; Holdout the same over the held-out ones.
	ObjectiveBefore, ObjectiveAfter float64
	HoldoutBefore, HoldoutAfter     float64
	// Fitted and Held count the observations in and out of the fit.
	NFit, NHeld int
	// Variance is the factor the ranges scale the residuals' variance by;
	// Margin the rise of the objective that bounds them.
	Variance, Margin float64
	Search           *Fit
}

// evaluator runs the model for parameter values.
type evaluator struct {
	ctx  context.Context
	sp   Space
	cfg  *Config
	res  *sim.Result
	full []float64
}

// values sets the parameters to x, runs, and writes every observation's
// model value into out (NaN for all when the run fails or is cancelled).
func (e *evaluator) values(x, out []float64) {
	if e.ctx.Err() != nil {
		for k := range out {
			out[k] = math.NaN()
		}
		return
	}
	for i, p := range e.cfg.Params {
		e.full[p.Input] = x[i]
	}
	e.sp.SetValues(e.full)
	m := e.sp.Model()
	m.Run(e.res)
	if e.res.CheckFinite() != nil {
		for k := range out {
			out[k] = math.NaN()
		}
		return
	}
	for k, o := range e.cfg.Observations {
		out[k] = o.Outcome.Eval(e.res)
	}
}

// Calibrate fits cfg's parameters to its observations by weighted least
// squares and sizes a range for each from its profile. It changes sp's
// inputs; they end at the fitted values.
func Calibrate(ctx context.Context, sp Space, cfg Config) (*Result, error) {
	if len(cfg.Params) == 0 {
		return nil, errors.New("calib: no parameters to fit")
	}
	if !(cfg.Level > 0 && cfg.Level < 1) {
		return nil, fmt.Errorf("calib: level %g: want a share in (0, 1)", cfg.Level)
	}
	var slots []int
	var fitIdx []int
	r := &Result{}
	for k, o := range cfg.Observations {
		if !(o.Scale > 0) || math.IsInf(o.Scale, 0) || math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
			return nil, fmt.Errorf("calib: observation %d (%s): value %g with scale %g: want a finite value and a positive scale", k+1, o.Outcome, o.Value, o.Scale)
		}
		slots = append(slots, o.Outcome.Slots()...)
		if o.Holdout {
			r.NHeld++
		} else {
			fitIdx = append(fitIdx, k)
		}
	}
	r.NFit = len(fitIdx)
	if r.NFit == 0 {
		return nil, errors.New("calib: every observation is held out: nothing to fit")
	}
	m := sp.Model()
	res, err := m.NewResultFor(slots)
	if err != nil {
		return nil, err
	}
	e := &evaluator{ctx: ctx, sp: sp, cfg: &cfg, res: res, full: append([]float64(nil), sp.Values()...)}
	d := len(cfg.Params)
	for _, p := range cfg.Params {
		if p.Input < 0 || p.Input >= len(e.full) {
			return nil, fmt.Errorf("calib: input %d: the space has %d", p.Input, len(e.full))
		}
	}
	vals := make([]float64, len(cfg.Observations))
	prob := &Problem{Lo: make([]float64, d), Hi: make([]float64, d), Start: make([]float64, d), M: len(fitIdx),
		Residuals: func(x, out []float64) {
			e.values(x, vals)
			for j, k := range fitIdx {
				o := cfg.Observations[k]
				out[j] = (vals[k] - o.Value) / o.Scale
			}
		}}
	for i, p := range cfg.Params {
		prob.Lo[i], prob.Hi[i] = p.Lo, p.Hi
		prob.Start[i] = math.Min(math.Max(e.full[p.Input], p.Lo), p.Hi)
	}
	r.Start = append([]float64(nil), prob.Start...)
	r.Before = make([]float64, len(vals))
	e.values(r.Start, r.Before)
	r.ObjectiveBefore, r.HoldoutBefore = cfg.split(r.Before)
	if math.IsNaN(r.ObjectiveBefore) {
		return nil, errors.New("calib: the model gives no finite value for an observation at the start")
	}
	fit, err := Minimize(prob, cfg.Search)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Search = fit
	r.Fitted = fit.X
	r.After = make([]float64, len(vals))
	e.values(fit.X, r.After)
	r.ObjectiveAfter, r.HoldoutAfter = cfg.split(r.After)
	dof := r.NFit - d
	switch {
	case dof > 0 && cfg.KnownScale:
		r.Variance = math.Max(1, fit.Objective/float64(dof))
	case dof > 0:
		r.Variance = fit.Objective / float64(dof)
	case cfg.KnownScale:
		r.Variance = 1
	}
	if r.Variance > 0 {
		r.Margin = r.Variance * distuv.ChiSquared{K: 1}.Quantile(cfg.Level)
		if r.Margin == 0 {
			// A perfect fit with unknown scales: the data allow no other value.
			r.Margin = math.SmallestNonzeroFloat64
		}
		r.Ranges, err = Profile(prob, fit, r.Margin, cfg.Search.MaxEvals)
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	// Leave the space at the fit.
	e.values(fit.X, vals)
	return r, nil
}

// split returns the sums of squared residuals of the fitted and the
// held-out observations for model values v.
func (cfg *Config) split(v []float64) (fit, held float64) {
	for k, o := range cfg.Observations {
		z := (v[k] - o.Value) / o.Scale
		if o.Holdout {
			held += z * z
		} else {
			fit += z * z
		}
	}
	return fit, held
}
