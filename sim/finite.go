package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// This file holds the checks that keep NaN and infinities out of a run:
// FieldDef.Check on the way in, Result.CheckFinite on the way out.

// ErrInfinite is the error a ValueError wraps when a parameter that is not
// a limit (FieldDef.Unbounded) is given +Inf: .inf means "no limit", and
// means nothing for a stock, a price, a share or a rate.
var ErrInfinite = errors.New("sim: infinite value for a parameter that is not a limit")

// A ValueError reports a value that a parameter cannot take. Its message
// names the value and the valid range, not the parameter: callers put the
// parameter's path (and the value's position in a file) in front.
type ValueError struct {
	Def   *FieldDef
	Value float64
}

func (e *ValueError) Error() string {
	d, v := e.Def, e.Value
	switch {
	case d.Kind == Enum:
		return fmt.Sprintf("%s is not a valid choice; want one of %s", fmtValue(v), strings.Join(d.Enum, ", "))
	case math.IsNaN(v):
		return "NaN is not a number"
	case math.IsInf(v, 1) && !d.Unbounded:
		return fmt.Sprintf(".inf is not allowed: only limits (caps, capacities, quotas) may be .inf, for no limit; the maximum is %s (%s)", fmtValue(d.Max), d.Unit)
	case v < d.Min:
		return fmt.Sprintf("%s is below the minimum %s (%s)", fmtValue(v), fmtValue(d.Min), d.Unit)
	}
	return fmt.Sprintf("%s is above the maximum %s (%s)", fmtValue(v), fmtValue(d.Max), d.Unit)
}

// Unwrap returns ErrInfinite for +Inf given to a parameter that is not
// Unbounded, and nil otherwise.
func (e *ValueError) Unwrap() error {
	if e.Def.Kind == Number && math.IsInf(e.Value, 1) && !e.Def.Unbounded {
		return ErrInfinite
	}
	return nil
}

// fmtValue writes a value as scenario files do: %g, with .inf for +Inf.
func fmtValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return ".inf"
	case math.IsInf(v, -1):
		return "-.inf"
	}
	return fmt.Sprintf("%g", v)
}

// Check reports whether v is a valid value of the parameter in one period:
// for a Number, not NaN, in [Min, Max], and +Inf only if the field is
// Unbounded; for an Enum, the code of one of its choices. It returns nil
// or a *ValueError; errors.Is(err, ErrInfinite) tells +Inf given to a
// parameter that is not a limit. Text, Date and Flag fields hold no
// numbers: Check accepts any v for them.
//
// Every value a scenario gives a Number or Enum parameter, directly, by an
// event or as the support of a distribution, must pass Check; Compile
// checks the Spec's values again.
func (d *FieldDef) Check(v float64) error {
	switch d.Kind {
	case Number:
		if math.IsNaN(v) || (math.IsInf(v, 1) && !d.Unbounded) || v < d.Min || v > d.Max {
			return &ValueError{Def: d, Value: v}
		}
	case Enum:
		// Compared as floats: int(v) of +Inf is undefined.
		if v != math.Trunc(v) || v < 0 || v >= float64(len(d.Enum)) {
			return &ValueError{Def: d, Value: v}
		}
	}
	return nil
}

// Unbounded reports whether the metric may be +Inf, meaning no limit: the
// limits on a domestic product's output that are not there
// (product.limit_plan without a plan, product.limit_hbm for a product
// without HBM, product.limit_packaging for one without CoWoS-class
// packaging). Every other output of a run is finite, and no output is ever
// NaN or -Inf (Result.CheckFinite).
func (d *MetricDef) Unbounded() bool {
	switch d.Name {
	case "product.limit_plan", "product.limit_hbm", "product.limit_packaging":
		return true
	}
	return false
}

// A NonFiniteError reports an output of a run that is NaN, -Inf, or +Inf
// in a metric that is not Unbounded.
type NonFiniteError struct {
	Metric string  // the metric's name, as ai.ssr_units
	Entity string  // the entity, "all" for a metric with one value
	Period string  // the period's label, as 2027Q3
	T      int     // the period's index
	Value  float64 // NaN, -Inf or +Inf
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("%s[%s] in %s is %v", e.Metric, e.Entity, e.Period, e.Value)
}

// CheckFinite returns a *NonFiniteError for the first output of the run
// that is NaN or infinite (first by period, then in Slots order), ignoring
// +Inf in the metrics that may hold it (MetricDef.Unbounded), and nil
// when there is none. It makes one pass over the results and allocates
// nothing unless it finds one.
//
// A run with a non-finite output is a failed run: its numbers must not be
// written or summed, however valid its inputs were. Call CheckFinite after
// every Run whose results leave the program.
func (r *Result) CheckFinite() error {
	m := r.m
	if r.kept != nil {
		if r.failT < 0 {
			return nil
		}
		sl := m.slots[r.failS]
		return &NonFiniteError{Metric: sl.Metric.Name, Entity: sl.Entity, Period: m.cal.Label(r.failT), T: r.failT, Value: r.failV}
	}
	ns := len(m.slots)
	for t := 0; t < m.cal.N; t++ {
		row := r.Data[t*ns : (t+1)*ns]
		if !m.rowFinite(row) {
			s, v := m.firstNonFinite(row)
			sl := m.slots[s]
			return &NonFiniteError{Metric: sl.Metric.Name, Entity: sl.Entity, Period: m.cal.Label(t), T: t, Value: v}
		}
	}
	return nil
}

// rowFinite reports whether a period's row of every slot holds only
// finite values, but for +Inf in the metrics that may hold it.
func (m *Model) rowFinite(row []float64) bool {
	ok := true
	for _, g := range m.finiteSlots {
		ok = ok && allFinite(row[g[0]:g[1]])
	}
	for _, g := range m.limitSlots {
		ok = ok && noNaN(row[g[0]:g[1]])
	}
	return ok
}

// allFinite reports whether every value of x is finite: x*0 is ±0 for a
// finite x and NaN for NaN and ±Inf. Two sums keep each add from waiting
// for the one before.
func allFinite(x []float64) bool {
	var a, b float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		a += x[i] * 0
		b += x[i+1] * 0
	}
	if i < len(x) {
		a += x[i] * 0
	}
	return a+b == 0
}

// noNaN reports whether no value of x is NaN or -Inf (+Inf may be).
func noNaN(x []float64) bool {
	for _, v := range x {
		if !(v > math.Inf(-1)) {
			return false
		}
	}
	return true
}

// firstNonFinite returns the first slot of a row that rowFinite refuses,
// and its value.
func (m *Model) firstNonFinite(row []float64) (slot int, v float64) {
	for s, sl := range m.slots {
		v := row[s]
		if math.IsNaN(v) || math.IsInf(v, -1) || (math.IsInf(v, 1) && !sl.Metric.Unbounded()) {
			return s, v
		}
	}
	panic("sim: rowFinite refused a row with no non-finite value")
}
