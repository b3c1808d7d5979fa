package study

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/chipsim/chipsim/sim/uq"
)

// Methods of a Plan.
const (
	OAT       = "oat"       // one at a time
	Grid      = "grid"      // full factorial over given levels
	Factorial = "factorial" // two-level full factorial
	LHS       = "lhs"       // Latin hypercube
	Sobol     = "sobol"     // Saltelli design for Sobol indices
	Morris    = "morris"    // Morris elementary effects
)

// MaxRuns bounds the runs of a design whose points are held in memory.
const MaxRuns = 10_000_000

// Plan is a design over a problem's inputs: the runs of an experiment,
// each a point in input space. Plans are immutable and safe for
// concurrent use.
type Plan struct {
	Method string
	design uq.Design
	// values: the design's points are input values; else quantiles in
	// (0, 1) the Space maps through the inputs' distributions.
	values bool
	// mapU, if set, maps quantile points before they are set (Morris
	// keeps clear of infinite tails).
	mapU func([]float64)
	// expand, if set, writes the full input vector from a design point
	// (grids vary some inputs and hold the others).
	expand func(point, x []float64)
	dim    int

	// Low and High are the ends each input takes in a one-at-a-time plan.
	Low, High []float64
	// LowTag and HighTag name the ends (p5 and p95, or min and max).
	LowTag, HighTag string
	// Axes are the inputs a grid or factorial varies, and Levels their
	// levels, in the grid's order (the last axis varies fastest).
	Axes   []int
	Levels [][]float64

	saltelli *uq.Saltelli
	morris   *uq.Morris
}

// Runs returns the number of runs in the plan.
func (p *Plan) Runs() int { return p.design.Runs() }

// Dim returns the number of inputs a point sets.
func (p *Plan) Dim() int { return p.dim }

// Values reports whether Point gives input values (true) or quantiles.
func (p *Plan) Values() bool { return p.values }

// Point writes run's point into x (Dim values): input values, or
// quantiles when Values is false.
func (p *Plan) Point(run int, x []float64) {
	if p.expand == nil {
		p.design.Point(run, x)
	} else {
		buf := make([]float64, p.design.Dim())
		p.design.Point(run, buf)
		p.expand(buf, x)
	}
	if p.mapU != nil {
		p.mapU(x)
	}
}

// pointer returns, for one goroutine, Point before mapU, without
// allocation.
func (p *Plan) pointer() func(run int, x []float64) {
	if p.expand == nil {
		return p.design.Point
	}
	buf := make([]float64, p.design.Dim())
	return func(run int, x []float64) {
		p.design.Point(run, buf)
		p.expand(buf, x)
	}
}

// set applies run's point to sp.
func (p *Plan) set(sp Space, point func(int, []float64), run int, x []float64) {
	point(run, x)
	if p.mapU != nil {
		p.mapU(x)
	}
	if p.values {
		sp.SetValues(x)
	} else {
		sp.Set(x)
	}
}

// Saltelli returns the design behind a Sobol plan, nil otherwise.
func (p *Plan) Saltelli() *uq.Saltelli { return p.saltelli }

// MorrisDesign returns the design behind a Morris plan, nil otherwise.
func (p *Plan) MorrisDesign() *uq.Morris { return p.morris }

func medians(inputs []Input) []float64 {
	base := make([]float64, len(inputs))
	for k, in := range inputs {
		base[k] = in.Median()
	}
	return base
}

// NewOAT plans a one-at-a-time design: a run with every input at its
// median, then each input alone at its quantile lo and hi (or, with
// support, at the ends of its distribution's support). It refuses an
// unbounded input at the support's ends.
func NewOAT(inputs []Input, lo, hi float64, support bool) (*Plan, error) {
	if len(inputs) == 0 {
		return nil, ErrNoInputs
	}
	if !support && !(lo >= 0 && lo < hi && hi <= 1) {
		return nil, fmt.Errorf("study: quantiles %g and %g: want 0 ≤ lo < hi ≤ 1", lo, hi)
	}
	p := &Plan{Method: OAT, values: true, dim: len(inputs)}
	p.LowTag, p.HighTag = "p"+trim(lo*100), "p"+trim(hi*100)
	if support {
		p.LowTag, p.HighTag = "min", "max"
	}
	var errs []error
	for _, in := range inputs {
		a, b := in.Dist.Quantile(lo), in.Dist.Quantile(hi)
		if support {
			a, b = in.Dist.Support()
		}
		if math.IsInf(a, 0) || math.IsInf(b, 0) {
			errs = append(errs, &InputError{Input: in.Name, Err: fmt.Errorf("%s is unbounded: use percentiles such as p5-p95, or truncate it with lo and hi", in.Dist)})
		}
		p.Low, p.High = append(p.Low, a), append(p.High, b)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	d, err := uq.NewOAT(medians(inputs), p.Low, p.High)
	if err != nil {
		return nil, err
	}
	p.design = d
	return p, nil
}

// Axis is an input a grid varies, with its levels.
type Axis struct {
	Input  int // index into the problem's inputs
	Levels []float64
}

// NewGrid plans a full factorial grid over axes; inputs on no axis stay
// at their medians. The last axis varies fastest.
func NewGrid(inputs []Input, axes []Axis) (*Plan, error) {
	if len(axes) == 0 {
		return nil, errors.New("study: a grid needs at least one axis")
	}
	levels := make([][]float64, len(axes))
	runs := 1
	seen := map[int]bool{}
	p := &Plan{Method: Grid, values: true, dim: len(inputs)}
	for i, a := range axes {
		if a.Input < 0 || a.Input >= len(inputs) || seen[a.Input] {
			return nil, fmt.Errorf("study: grid axis %d: input %d is out of range or repeated", i, a.Input)
		}
		seen[a.Input] = true
		if len(a.Levels) == 0 {
			return nil, fmt.Errorf("study: grid axis %d has no levels", i)
		}
		if runs > MaxRuns/len(a.Levels) {
			return nil, fmt.Errorf("study: the grid has more than %d runs", MaxRuns)
		}
		runs *= len(a.Levels)
		levels[i] = append([]float64(nil), a.Levels...)
		p.Axes = append(p.Axes, a.Input)
	}
	g, err := uq.NewGrid(levels)
	if err != nil {
		return nil, err
	}
	p.design, p.Levels = g, levels
	base := medians(inputs)
	idx := append([]int(nil), p.Axes...) // the plan's own copy: Axes is for reading
	p.expand = func(point, x []float64) {
		copy(x, base)
		for i, k := range idx {
			x[k] = point[i]
		}
	}
	return p, nil
}

// NewFactorial plans a two-level full factorial design (2^k runs) over
// the inputs which, each at its quantile lo and hi; the others stay at
// their medians.
func NewFactorial(inputs []Input, which []int, lo, hi float64) (*Plan, error) {
	if !(lo >= 0 && lo < hi && hi <= 1) {
		return nil, fmt.Errorf("study: quantiles %g and %g: want 0 ≤ lo < hi ≤ 1", lo, hi)
	}
	var axes []Axis
	for _, k := range which {
		if k < 0 || k >= len(inputs) {
			return nil, fmt.Errorf("study: input %d out of range", k)
		}
		a, b := inputs[k].Dist.Quantile(lo), inputs[k].Dist.Quantile(hi)
		if math.IsInf(a, 0) || math.IsInf(b, 0) || !(a < b) {
			return nil, &InputError{Input: inputs[k].Name, Err: fmt.Errorf("%s has no finite, distinct levels at quantiles %g and %g", inputs[k].Dist, lo, hi)}
		}
		axes = append(axes, Axis{Input: k, Levels: []float64{a, b}})
	}
	p, err := NewGrid(inputs, axes)
	if err != nil {
		return nil, err
	}
	p.Method = Factorial
	p.LowTag, p.HighTag = "p"+trim(lo*100), "p"+trim(hi*100)
	return p, nil
}

// NewLHS plans a Latin hypercube of n runs over every input, drawn with
// seed.
func NewLHS(inputs []Input, n int, seed uint64) (*Plan, error) {
	if len(inputs) == 0 {
		return nil, ErrNoInputs
	}
	if n < 1 || n > MaxRuns {
		return nil, fmt.Errorf("study: %d runs: want 1 to %d", n, MaxRuns)
	}
	d := len(inputs)
	pts, err := uq.LatinHypercube(n, d, rand.New(rand.NewPCG(seed, 0x6c6873)))
	if err != nil {
		return nil, err
	}
	// Map the design to values once: run i's inputs are row i.
	x := pts.Data()
	for i := 0; i < n; i++ {
		for k, in := range inputs {
			x[i*d+k] = in.Dist.Quantile(x[i*d+k])
		}
	}
	return &Plan{Method: LHS, design: pts, values: true, dim: d}, nil
}

// NewSobol plans a Saltelli design of n·(d+2) runs over a scrambled Sobol
// sequence, for first-order and total Sobol indices of d inputs.
func NewSobol(d, n int, seed uint64) (*Plan, error) {
	if d == 0 {
		return nil, ErrNoInputs
	}
	s, err := uq.NewSaltelli(n, d, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		return nil, err
	}
	return &Plan{Method: Sobol, design: s, dim: d, saltelli: s}, nil
}

// NewMorris plans r Morris trajectories on a p-level grid over d inputs,
// moved in quantile space between the 0.5% and 99.5% quantiles so that
// unbounded inputs stay finite.
func NewMorris(d, r, levels int, seed uint64) (*Plan, error) {
	if d == 0 {
		return nil, ErrNoInputs
	}
	m, err := uq.NewMorris(r, d, levels, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		return nil, err
	}
	return &Plan{Method: Morris, design: m, dim: d, morris: m, mapU: morrisU}, nil
}

// morrisU moves Morris grid points from [0, 1] to the 0.5%–99.5% quantiles.
func morrisU(u []float64) {
	for k := range u {
		u[k] = 0.005 + 0.99*u[k]
	}
}

// ErrNoInputs reports a design over a problem with no uncertain inputs.
var ErrNoInputs = errors.New("study: the problem has no uncertain inputs")

// InputError is an error about one input of a design.
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return e.Input + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func trim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
