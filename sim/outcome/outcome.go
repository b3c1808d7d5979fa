package outcome

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/chipsim/chipsim/sim"
)

// kind is the form of an outcome.
type kind uint8

const (
	kAt        kind = iota // METRIC@PERIOD: one period's value
	kYear                  // METRIC@YEAR: the year's aggregate
	kFirst                 // first(METRIC op X): the first period that crosses
	kFirstYear             // first(METRIC@year op X): the first year that crosses
	kSum                   // sum(METRIC, A..B)
	kMean                  // mean(METRIC, A..B)
)

// op is a comparison of first().
type op uint8

const (
	opGE op = iota
	opGT
	opLE
	opLT
)

var opText = [...]string{opGE: ">=", opGT: ">", opLE: "<=", opLT: "<"}

func (c op) holds(v, x float64) bool {
	switch c {
	case opGE:
		return v >= x
	case opGT:
		return v > x
	case opLE:
		return v <= x
	}
	return v < x
}

// span is the periods of one year of the run, inclusive.
type span struct{ year, t0, t1 int }

// Outcome is a scalar read from a run: a metric at a period or year, the
// first period or year a metric crosses a threshold, or a sum or mean over a
// range of periods. Parse compiles it once against a model; Eval then reads
// any number of results of that model without allocating. An Outcome is
// immutable and safe for concurrent use.
type Outcome struct {
	text string // canonical expression
	kind kind
	def  *sim.MetricDef
	ent  string

	model  *sim.Model
	cal    sim.Calendar
	nslots int

	slot     int // the metric's slot for the entity
	num, den int // ratio metrics: the slots of the numerator and denominator
	// carry, numCarry, denCarry: the slots of the stocks the metric (or
	// its numerator or denominator) carries, or -1 (sim.MetricDef.Carry)
	carry, numCarry, denCarry int
	numD, denD                *sim.MetricDef // ratio metrics: numerator and denominator
	t0, t1                    int            // periods, inclusive: the period, year, range or start of first()
	cmp                       op
	x                         float64
	years                     []span // kFirstYear: the years to test, in order
}

// String returns the canonical form of the expression: Parse of it gives
// the same outcome.
func (o *Outcome) String() string { return o.text }

// Unit returns the unit of the values Eval returns: the metric's unit, or
// "year" for first().
func (o *Outcome) Unit() string {
	if o.kind == kFirst || o.kind == kFirstYear {
		return "year"
	}
	return o.def.Unit
}

// Eval returns the outcome's value in r. r must come from the model the
// outcome was parsed against, or from a model of the same shape (same
// calendar and output layout); Eval panics otherwise. It does not allocate.
//
// first() returns the start of the first period that crosses as a fractional
// year (2027Q3 is 2027.5, 2027-02 is 2027+1/12) or, with @year, the year; it
// returns +Inf when no period (or year) crosses. A ratio whose denominator
// is zero over a year counts as 0, as in the annual tables.
func (o *Outcome) Eval(r *sim.Result) float64 {
	o.check(r)
	switch o.kind {
	case kAt:
		return r.At(o.slot, o.t0)
	case kYear:
		return o.annual(r, o.t0, o.t1)
	case kSum, kMean:
		s := o.spanSum(r, o.def, o.slot, o.carry, o.t0, o.t1)
		if o.kind == kMean {
			s /= float64(o.t1 - o.t0 + 1)
		}
		return s
	case kFirst:
		for t := o.t0; t < o.cal.N; t++ {
			if o.cmp.holds(r.At(o.slot, t), o.x) {
				return float64(o.cal.Month(t)) / 12
			}
		}
	case kFirstYear:
		for _, y := range o.years {
			if o.cmp.holds(o.annual(r, y.t0, y.t1), o.x) {
				return float64(y.year)
			}
		}
	}
	return math.Inf(1)
}

// annual aggregates periods t0..t1 (one year) by the metric's rule, as the
// annual tables do: flows summed, stocks at the last period, levels
// averaged, ratios as the ratio of the sums of their numerator and
// denominator.
func (o *Outcome) annual(r *sim.Result, t0, t1 int) float64 {
	switch o.def.Agg {
	case sim.Last:
		return r.At(o.slot, t1)
	case sim.Ratio:
		n := o.spanSum(r, o.numDef(), o.num, o.numCarry, t0, t1)
		d := o.spanSum(r, o.denDef(), o.den, o.denCarry, t0, t1)
		if d > 0 {
			return n / d
		}
		return 0
	}
	s := o.spanSum(r, o.def, o.slot, o.carry, t0, t1)
	if o.def.Agg == sim.Mean {
		s /= float64(t1 - t0 + 1)
	}
	return s
}

// spanSum totals slot over t0..t1 by d's definition (sim.Result.SpanSum).
func (o *Outcome) spanSum(r *sim.Result, d *sim.MetricDef, slot, carry, t0, t1 int) float64 {
	return r.SpanSum(d, slot, carry, t0, t1)
}

// Slots returns the result slots Eval reads: a Result made with
// sim.Model.NewResultFor for this outcome must keep them.
func (o *Outcome) Slots() []int {
	out := []int{o.slot}
	add := func(s int) {
		if s >= 0 {
			out = append(out, s)
		}
	}
	add(o.carry)
	if o.def.Agg == sim.Ratio {
		out = append(out, o.num, o.den)
		add(o.numCarry)
		add(o.denCarry)
	}
	return out
}

func (o *Outcome) numDef() *sim.MetricDef { return o.numD }
func (o *Outcome) denDef() *sim.MetricDef { return o.denD }

// check panics unless r has the layout the outcome was compiled for.
func (o *Outcome) check(r *sim.Result) {
	rm := r.Model()
	if rm == o.model {
		return
	}
	slots := rm.Slots()
	// Models compiled from one scenario (a worker's each) share the
	// metric definitions: pointers compare.
	ok := rm.Calendar() == o.cal && len(slots) == o.nslots &&
		slots[o.slot].Metric == o.def && slots[o.slot].Entity == o.ent
	if ok && o.def.Agg == sim.Ratio {
		ok = slots[o.num].Metric == o.numD && slots[o.den].Metric == o.denD
	}
	if !ok {
		panic(fmt.Sprintf("outcome %q: result from a model of another shape than the one it was parsed against", o.text))
	}
}

// Format formats a value of the outcome for display. For first() it returns
// "never" for +Inf and the period label (2027Q3, 2027-07, or the year with
// @year) for a value that starts a period of the run's step; other values,
// such as a mean of first() over Monte Carlo draws, print as a fractional
// year with two decimals. Other outcomes print as numbers: whole above 1000,
// else with 4 significant digits.
func (o *Outcome) Format(v float64) string {
	if o.kind != kFirst && o.kind != kFirstYear {
		return formatNumber(v)
	}
	if math.IsInf(v, 1) {
		return "never"
	}
	if v > 0 && v < 10000 {
		if o.kind == kFirstYear {
			if v == math.Trunc(v) {
				return strconv.Itoa(int(v))
			}
		} else if m := math.Round(v * 12); math.Abs(v*12-m) < 1e-6 && o.cal.Step.Aligned(sim.Month(m)) {
			return o.cal.Step.Label(sim.Month(m))
		}
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.Abs(v) >= 1e15:
		return strconv.FormatFloat(v, 'g', 6, 64)
	case math.Abs(v) >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// ParseList parses every expression against m. It reports every error,
// joined, and then returns no outcomes.
func ParseList(exprs []string, m *sim.Model) ([]*Outcome, error) {
	out := make([]*Outcome, 0, len(exprs))
	var errs []error
	for _, e := range exprs {
		o, err := Parse(e, m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
