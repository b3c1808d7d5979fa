// Package calib fits a model's parameters to observations: bounded
// weighted least squares minimised from several starts, with a range per
// parameter from its profile. It is pure: no I/O, deterministic given the
// seed.
package calib

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"

	"github.com/chipsim/chipsim/sim/uq"
)

// Problem is a bounded least-squares problem: minimise the sum of squared
// residuals over x with Lo ≤ x ≤ Hi.
type Problem struct {
	Lo, Hi []float64 // bounds per parameter, Lo < Hi
	// Start is the first start, inside the bounds (a model's current
	// values).
	Start []float64
	// M is the number of residuals.
	M int
	// Residuals fills r (length M) at x. A residual that is not finite
	// makes the point unacceptable.
	Residuals func(x, r []float64)
}

// Settings tune the search.
type Settings struct {
	// Starts is the number of starts: Start and Starts-1 points of a Latin
	// hypercube over the bounds drawn with Seed. At least 1.
	Starts int
	Seed   uint64
	// MaxEvals bounds the evaluations of each local search.
	MaxEvals int
}

// Fit is a fit's result.
type Fit struct {
	X         []float64 // the best point
	Objective float64   // its sum of squared residuals
	Evals     int       // evaluations over all starts
	// Starts lists each start's point and where its search ended.
	Starts []Start
}

// Start is one local search.
type Start struct {
	From, X   []float64
	Objective float64
	Evals     int
}

// objective wraps a problem with the bounds' transform: the search runs
// over z in R^d and x = lo + (hi-lo)·logistic(z), so every point it tries
// is inside the bounds.
type objective struct {
	p     *Problem
	fixed int     // index of a parameter held at fixVal, or -1
	fix   float64 // its value
	x, r  []float64
	evals int
}

func newObjective(p *Problem) *objective {
	return &objective{p: p, fixed: -1, x: make([]float64, len(p.Lo)), r: make([]float64, p.M)}
}

// toX maps the search's z (which skips a fixed parameter) into o.x.
func (o *objective) toX(z []float64) {
	k := 0
	for i := range o.x {
		if i == o.fixed {
			o.x[i] = o.fix
			continue
		}
		o.x[i] = o.p.Lo[i] + (o.p.Hi[i]-o.p.Lo[i])/(1+math.Exp(-z[k]))
		k++
	}
}

// toZ maps x into the search's coordinates, nudging a point on a bound a
// hair inside it.
func (o *objective) toZ(x []float64) []float64 {
	var z []float64
	for i, v := range x {
		if i == o.fixed {
			continue
		}
		lo, hi := o.p.Lo[i], o.p.Hi[i]
		u := (v - lo) / (hi - lo)
		u = math.Min(math.Max(u, 1e-9), 1-1e-9)
		z = append(z, math.Log(u/(1-u)))
	}
	return z
}

// sse returns the sum of squared residuals at o.x, +Inf when one is not
// finite.
func (o *objective) sse() float64 {
	o.evals++
	o.p.Residuals(o.x, o.r)
	s := 0.0
	for _, v := range o.r {
		s += v * v
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return math.Inf(1)
	}
	return s
}

func (o *objective) f(z []float64) float64 {
	o.toX(z)
	return o.sse()
}

// at evaluates the objective at x (every parameter, fixed one included).
func (o *objective) at(x []float64) float64 {
	copy(o.x, x)
	if o.fixed >= 0 {
		o.x[o.fixed] = o.fix
	}
	return o.sse()
}

// local runs a Nelder-Mead search from x and a restart from where it ends
// (a collapsed simplex is the method's known failure), returning the best
// point in x's space and its objective.
func (o *objective) local(from []float64, maxEvals int) ([]float64, float64) {
	best := append([]float64(nil), from...)
	if o.fixed >= 0 {
		best[o.fixed] = o.fix
	}
	fbest := o.at(best)
	if o.fixed >= 0 && len(o.x) == 1 {
		return best, fbest
	}
	z := o.toZ(from)
	for range 2 {
		res, _ := optimize.Minimize(optimize.Problem{Func: o.f}, z,
			&optimize.Settings{FuncEvaluations: maxEvals / 2, Converger: &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-10, Iterations: 40}},
			&optimize.NelderMead{SimplexSize: 0.5})
		// A search that stops on its evaluation limit still reports
		// its best point; only a search with no point is dropped.
		if res == nil || res.X == nil {
			break
		}
		if res.F < fbest {
			fbest = res.F
			o.toX(res.X)
			copy(best, o.x)
		}
		z = res.X
	}
	return best, fbest
}

// Minimize fits p from several starts and returns the best point.
func Minimize(p *Problem, s Settings) (*Fit, error) {
	d := len(p.Lo)
	if err := p.check(); err != nil {
		return nil, err
	}
	if s.Starts < 1 {
		return nil, fmt.Errorf("calib: %d starts: want at least 1", s.Starts)
	}
	if s.MaxEvals < 10 {
		return nil, fmt.Errorf("calib: %d evaluations per search: want at least 10", s.MaxEvals)
	}
	starts := [][]float64{append([]float64(nil), p.Start...)}
	if s.Starts > 1 {
		lhs, err := uq.LatinHypercube(s.Starts-1, d, rand.New(rand.NewPCG(s.Seed, 0x63616c6962)))
		if err != nil {
			return nil, err
		}
		u := make([]float64, d)
		for k := range s.Starts - 1 {
			lhs.Point(k, u)
			x := make([]float64, d)
			for i := range x {
				x[i] = p.Lo[i] + u[i]*(p.Hi[i]-p.Lo[i])
			}
			starts = append(starts, x)
		}
	}
	o := newObjective(p)
	fit := &Fit{Objective: math.Inf(1)}
	for _, from := range starts {
		before := o.evals
		x, f := o.local(from, s.MaxEvals)
		fit.Starts = append(fit.Starts, Start{From: from, X: x, Objective: f, Evals: o.evals - before})
		if f < fit.Objective {
			fit.X, fit.Objective = x, f
		}
	}
	fit.Evals = o.evals
	if math.IsInf(fit.Objective, 1) {
		return nil, errors.New("calib: the model gives no finite value for the observations anywhere the search went")
	}
	return fit, nil
}

func (p *Problem) check() error {
	d := len(p.Lo)
	if d == 0 || len(p.Hi) != d || len(p.Start) != d {
		return fmt.Errorf("calib: %d parameters with %d upper bounds and %d start values", d, len(p.Hi), len(p.Start))
	}
	if p.M < 1 || p.Residuals == nil {
		return errors.New("calib: no residuals to fit")
	}
	for i := range d {
		if !(p.Lo[i] < p.Hi[i]) || math.IsInf(p.Lo[i], 0) || math.IsInf(p.Hi[i], 0) {
			return fmt.Errorf("calib: parameter %d: bounds [%g, %g]: want finite lo < hi", i+1, p.Lo[i], p.Hi[i])
		}
		if !(p.Start[i] >= p.Lo[i] && p.Start[i] <= p.Hi[i]) {
			return fmt.Errorf("calib: parameter %d: start %g is outside [%g, %g]", i+1, p.Start[i], p.Lo[i], p.Hi[i])
		}
	}
	return nil
}

// Range is the profile range of one parameter: the values at which the
// objective, minimised over the other parameters, stays within a margin of
// the best fit's. AtLo and AtHi say the range reaches a bound: the
// observations do not limit the parameter on that side.
type Range struct {
	Lo, Hi     float64
	AtLo, AtHi bool
}

// Profile returns each parameter's range: where the profile objective
// (the objective with the parameter fixed and the others refitted) rises
// by at most delta above fit's. Each side is found by stepping out from
// the best value with growing steps until the profile exceeds the margin
// or a bound is reached, then bisecting.
func Profile(p *Problem, fit *Fit, delta float64, maxEvals int) ([]Range, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if !(delta > 0) {
		return nil, fmt.Errorf("calib: profile margin %g: want > 0", delta)
	}
	d := len(p.Lo)
	out := make([]Range, d)
	limit := fit.Objective + delta
	for i := range d {
		o := newObjective(p)
		o.fixed = i
		// prof refits the others with parameter i at v, warm from the
		// last refit on this side.
		var warm []float64
		prof := func(v float64) float64 {
			o.fix = v
			x, f := o.local(warm, maxEvals)
			copy(warm, x)
			return f
		}
		side := func(dir float64) (float64, bool) {
			warm = append(warm[:0], fit.X...)
			bound := p.Hi[i]
			if dir < 0 {
				bound = p.Lo[i]
			}
			in := fit.X[i]
			step := (p.Hi[i] - p.Lo[i]) / 64
			for {
				v := in + dir*step
				if (dir > 0 && v >= bound) || (dir < 0 && v <= bound) {
					if prof(bound) <= limit {
						return bound, true
					}
					v = bound
				} else if prof(v) <= limit {
					in, step = v, step*2
					continue
				}
				out := v
				for range 8 {
					mid := (in + out) / 2
					if prof(mid) <= limit {
						in = mid
					} else {
						out = mid
					}
				}
				return in, false
			}
		}
		out[i].Lo, out[i].AtLo = side(-1)
		out[i].Hi, out[i].AtHi = side(1)
	}
	return out, nil
}
