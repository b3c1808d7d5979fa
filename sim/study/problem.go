package study

import (
	"strconv"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/uq"
)

// Input is one uncertain input of a problem: a parameter, or an event's
// value, start or duration, with the distribution its draws follow.
type Input struct {
	Name string // a parameter path, or "EVENT.at", "EVENT.duration", "EVENT.PATH"
	Unit string
	Dist uq.Dist
	// Labels, when set, name the values 0, 1, 2, ...: a choice's codes, or
	// the periods an uncertain start can take.
	Labels []string
}

// Labelled reports whether the input's values are codes with names
// (choices, periods) rather than quantities.
func (in Input) Labelled() bool { return in.Labels != nil }

// Format formats a value of the input for people: a choice's or a
// period's name, else the number.
func (in Input) Format(v float64) string {
	if in.Labels != nil && v >= 0 && int(v) < len(in.Labels) {
		return in.Labels[int(v)]
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Median returns the input's median, where one-at-a-time designs and
// grids hold the inputs they do not vary.
func (in Input) Median() float64 { return in.Dist.Quantile(0.5) }

// Space is a compiled model whose uncertain inputs can be set between
// runs. A Space belongs to one goroutine: studies make one per worker.
type Space interface {
	// Model is the compiled model the inputs are set on.
	Model() *sim.Model
	// Dim is the number of inputs.
	Dim() int
	// Set sets the inputs from quantiles in (0, 1) of their distributions.
	Set(u []float64)
	// SetValues sets the inputs to values.
	SetValues(x []float64)
	// Values returns the inputs' current values.
	Values() []float64
}

// Problem is what a study explores: a model's uncertain inputs, and a
// factory of Spaces over them. scenarios.Scenario implements it.
type Problem interface {
	// Inputs describes the uncertain inputs, in the order Space uses.
	Inputs() []Input
	// NewSpace compiles a fresh Space; each worker calls it once.
	NewSpace() (Space, error)
	// Correlation returns the inputs' target rank correlations, row-major
	// Dim × Dim, or nil when they are independent. Monte Carlo honours
	// them; designs for sensitivity analysis treat inputs as independent.
	Correlation() []float64
}
