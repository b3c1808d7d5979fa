package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/uq"
	"go.yaml.in/yaml/v3"
)

// Quantity is one uncertain input of a scenario: a parameter given as a
// distribution, an event's value, start or duration given as one.
type Quantity struct {
	Name string // a parameter path, or "EVENT.at", "EVENT.duration", "EVENT.PATH"
	Dist uq.Dist
	Pos  Pos
	Unit string
	// Choices names the codes of a choice parameter given as a discrete
	// distribution; Periods labels the periods of an uncertain start.
	Choices []string
	Periods []string
}

// Format formats a value of q for people: a choice's name, a period, or
// a number.
func (q *Quantity) Format(v float64) string {
	switch {
	case q.Choices != nil && v >= 0 && int(v) < len(q.Choices):
		return q.Choices[int(v)]
	case q.Periods != nil && v >= 0 && int(v) < len(q.Periods):
		return q.Periods[int(v)]
	}
	return fmt.Sprintf("%g", v)
}

// distKeys lists each distribution's parameters: required, then optional.
var distKeys = map[string][2][]string{
	"uniform":    {{"min", "max"}, nil},
	"triangular": {{"min", "mode", "max"}, nil},
	"pert":       {{"min", "mode", "max"}, nil},
	"normal":     {{"mean", "sd"}, {"lo", "hi"}},
	"lognormal":  {{}, {"median", "p90", "mean", "sd", "lo", "hi"}},
	"beta":       {{"alpha", "beta"}, {"min", "max"}},
	"discrete":   {{"values"}, {"weights"}},
}

func distNames() []string {
	var out []string
	for k := range distKeys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// isDist reports whether a value node is a distribution: a mapping with a
// dist key.
func isDist(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "dist" {
			return true
		}
	}
	return false
}

// distSpec is a parsed distribution mapping before it is built.
type distSpec struct {
	kind   string
	nums   map[string]float64
	values []*yaml.Node
	wts    []float64
	pos    Pos
}

// parseDistSpec reads a distribution mapping; with periods, min and max
// are periods (checked by the caller) rather than numbers. A key the
// distribution does not take is reported and left out: when the keys it
// needs are there, the distribution is built and checked in the same pass.
func parseDistSpec(src *source, what string, n *yaml.Node, periods bool, errs *ErrorList) (*distSpec, bool) {
	d := &distSpec{nums: map[string]float64{}, pos: pos(src, n)}
	good := true
	typo := false
	given := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "dist" {
			d.kind = n.Content[i+1].Value
			break // a second is reported as a key set twice
		}
	}
	keys, known := distKeys[d.kind]
	allowed := append(append([]string{"dist"}, keys[0]...), keys[1]...)
	pairs(src, n, errs, func(key string, k, v *yaml.Node) {
		if known && !contains(allowed, key) {
			errs.Add(pos(src, k), "%s: %s distribution takes no key %s%s; it takes %s", what, d.kind, key, didYouMean(key, allowed), strings.Join(allowed[1:], ", "))
			typo = true
			return
		}
		given[key] = true
		switch key {
		case "dist":
			if !known {
				errs.Add(pos(src, v), "%s: unknown distribution %s%s; want %s", what, quoteShort(v.Value), didYouMean(v.Value, distNames()), strings.Join(distNames(), ", "))
				good = false
			}
		case "values":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				errs.Add(pos(src, v), "%s: values: want a non-empty list, got %s", what, kindName(v))
				good = false
				return
			}
			d.values = v.Content
		case "weights":
			if v.Kind != yaml.SequenceNode {
				errs.Add(pos(src, v), "%s: weights: want a list of numbers, got %s", what, kindName(v))
				good = false
				return
			}
			for _, w := range v.Content {
				x, ok := number(w)
				if !ok || x < 0 {
					errs.Add(pos(src, w), "%s: weights: want numbers ≥ 0, got %s", what, kindName(w))
					good = false
					continue
				}
				d.wts = append(d.wts, x)
			}
		default:
			if periods && (key == "min" || key == "max") {
				d.nums[key] = 0 // present; the caller parses the period
				return
			}
			x, ok := number(v)
			if !ok {
				errs.Add(pos(src, v), "%s: %s: want a number, got %s", what, key, kindName(v))
				good = false
				return
			}
			d.nums[key] = x
		}
	})
	if !known {
		return nil, false
	}
	for _, k := range keys[0] {
		if !given[k] {
			if !typo { // else the misspelt key is likely the one missing
				errs.Add(d.pos, "%s: %s distribution needs %s (it takes %s)", what, d.kind, k, strings.Join(allowed[1:], ", "))
			}
			good = false
		}
	}
	if good && d.wts != nil && len(d.wts) != len(d.values) {
		errs.Add(d.pos, "%s: %d weights for %d values", what, len(d.wts), len(d.values))
		good = false
	}
	return d, good
}

// build makes the distribution; values are numbers already converted.
func (d *distSpec) build(values []float64) (uq.Dist, error) {
	g := func(k string) float64 { return d.nums[k] }
	has := func(k string) bool { _, ok := d.nums[k]; return ok }
	var dist uq.Dist
	var err error
	switch d.kind {
	case "uniform":
		dist, err = uq.Uniform(g("min"), g("max"))
	case "triangular":
		dist, err = uq.Triangular(g("min"), g("mode"), g("max"))
	case "pert":
		dist, err = uq.PERT(g("min"), g("mode"), g("max"))
	case "normal":
		dist, err = uq.Normal(g("mean"), g("sd"))
	case "lognormal":
		switch {
		case has("median") && has("p90") && !has("mean") && !has("sd"):
			dist, err = uq.LogNormalFromMedianP90(g("median"), g("p90"))
		case has("mean") && has("sd") && !has("median") && !has("p90"):
			dist, err = uq.LogNormalFromMeanSD(g("mean"), g("sd"))
		default:
			return nil, fmt.Errorf("lognormal distribution needs either median and p90, or mean and sd")
		}
	case "beta":
		if has("min") || has("max") {
			dist, err = uq.ScaledBeta(g("alpha"), g("beta"), g("min"), g("max"))
		} else {
			dist, err = uq.Beta(g("alpha"), g("beta"))
		}
	case "discrete":
		w := d.wts
		if w == nil {
			w = make([]float64, len(values))
			for i := range w {
				w[i] = 1
			}
		}
		dist, err = uq.Discrete(values, w)
	}
	if err != nil {
		return nil, err
	}
	if has("lo") || has("hi") {
		lo, hi := math.Inf(-1), math.Inf(1)
		if has("lo") {
			lo = g("lo")
		}
		if has("hi") {
			hi = g("hi")
		}
		dist, err = uq.Truncate(dist, lo, hi)
	}
	return dist, err
}

// parseValueDist parses a distribution for a parameter (or an event value
// on it): numbers in the field's unit, or a choice's names.
func parseValueDist(src *source, f sim.Field, what string, n *yaml.Node, errs *ErrorList) (*Quantity, bool) {
	d, ok := parseDistSpec(src, what, n, false, errs)
	if !ok {
		return nil, false
	}
	q := &Quantity{Pos: d.pos, Unit: f.Def.Unit}
	var values []float64
	if f.Def.Kind == sim.Enum {
		if d.kind != "discrete" {
			errs.Add(d.pos, "%s: a choice takes a discrete distribution over %s", what, strings.Join(f.Def.Enum, ", "))
			return nil, false
		}
		q.Choices = f.Def.Enum
	}
	good := true
	for _, v := range d.values {
		x, ok := scalar(f, v, src, errs)
		good = good && ok
		values = append(values, x)
	}
	if !good {
		return nil, false
	}
	dist, err := d.build(values)
	if err != nil {
		errs.Add(d.pos, "%s: %v", what, err)
		return nil, false
	}
	q.Dist = dist
	return q, true
}

// checkSupport reports a parameter distribution that reaches outside the
// field's valid range.
func checkSupport(q *Quantity, d *sim.FieldDef, what string, errs *ErrorList) bool {
	lo, hi := q.Dist.Support()
	if d.Kind == sim.Number && (lo < d.Min || hi > d.Max) {
		errs.Add(q.Pos, "%s: %s reaches [%s, %s], outside the valid range [%s, %s] (%s); truncate it with lo and hi",
			what, q.Dist, fmtNum(lo), fmtNum(hi), fmtNum(d.Min), fmtNum(d.Max), d.Unit)
		return false
	}
	return true
}

// parsePeriodDist parses an uncertain event start: a uniform or discrete
// distribution over periods. It returns the candidate months and weights.
func parsePeriodDist(src *source, what string, n *yaml.Node, errs *ErrorList) (months []sim.Month, weights []float64, uniform, ok bool) {
	d, ok := parseDistSpec(src, what, n, true, errs)
	if !ok {
		return nil, nil, false, false
	}
	switch d.kind {
	case "discrete":
		for _, v := range d.values {
			m, _, good := parseMonth(src, what, v, errs)
			if !good {
				return nil, nil, false, false
			}
			months = append(months, m)
		}
		weights = d.wts
	case "uniform":
		// min and max were read as numbers when written as years; re-read
		// them as periods from the node.
		var lo, hi sim.Month
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "min" || k.Value == "max" {
				m, _, good := parseMonth(src, what+" "+k.Value, v, errs)
				if !good {
					return nil, nil, false, false
				}
				if k.Value == "min" {
					lo = m
				} else {
					hi = m
				}
			}
		}
		if hi < lo {
			errs.Add(d.pos, "%s: max is before min", what)
			return nil, nil, false, false
		}
		return []sim.Month{lo, hi}, nil, true, true
	default:
		errs.Add(d.pos, "%s: an uncertain period takes a uniform or discrete distribution, not %s", what, d.kind)
		return nil, nil, false, false
	}
	return months, weights, false, true
}

// parseCountDist parses an uncertain whole number of periods (an event's
// duration): uniform over whole numbers, or discrete.
func parseCountDist(src *source, what string, n *yaml.Node, errs *ErrorList) (uq.Dist, bool) {
	d, ok := parseDistSpec(src, what, n, false, errs)
	if !ok {
		return nil, false
	}
	var vals, wts []float64
	switch d.kind {
	case "uniform":
		lo, hi := d.nums["min"], d.nums["max"]
		if lo != math.Trunc(lo) || hi != math.Trunc(hi) || lo < 1 || hi < lo {
			errs.Add(d.pos, "%s: want whole numbers of periods, 1 ≤ min ≤ max", what)
			return nil, false
		}
		for v := lo; v <= hi; v++ {
			vals, wts = append(vals, v), append(wts, 1)
		}
	case "discrete":
		for _, v := range d.values {
			x, ok := number(v)
			if !ok || x != math.Trunc(x) || x < 1 {
				errs.Add(pos(src, v), "%s: want whole numbers of periods ≥ 1, got %s", what, kindName(v))
				return nil, false
			}
			vals = append(vals, x)
		}
		wts = d.wts
		if wts == nil {
			wts = make([]float64, len(vals))
			for i := range wts {
				wts[i] = 1
			}
		}
	default:
		errs.Add(d.pos, "%s: a duration takes a uniform or discrete distribution of whole periods, not %s", what, d.kind)
		return nil, false
	}
	dist, err := uq.Discrete(vals, wts)
	if err != nil {
		errs.Add(d.pos, "%s: %v", what, err)
		return nil, false
	}
	return dist, true
}

// corrSpec is one entry of a scenario's correlations list.
type corrSpec struct {
	a, b   string
	rho    float64
	pos    Pos
	aP, bP Pos
}

func parseCorr(src *source, n *yaml.Node, errs *ErrorList) (corrSpec, bool) {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 3 || n.Content[0].Kind != yaml.ScalarNode || n.Content[1].Kind != yaml.ScalarNode {
		errs.Add(pos(src, n), "correlations: want [input, input, rank correlation], such as [foundry.smic_n2.learning_rate, demand.demand.growth, -0.4]")
		return corrSpec{}, false
	}
	rho, ok := number(n.Content[2])
	if !ok || !(rho > -1 && rho < 1) {
		errs.Add(pos(src, n.Content[2]), "correlations: want a rank correlation strictly between -1 and 1, got %s", kindName(n.Content[2]))
		return corrSpec{}, false
	}
	return corrSpec{a: n.Content[0].Value, b: n.Content[1].Value, rho: rho, pos: pos(src, n), aP: pos(src, n.Content[0]), bP: pos(src, n.Content[1])}, true
}

// checkCorrPairs reports a pair of inputs that one file's correlations
// list gives twice, in either order ([a, b] and [b, a] are one pair):
// with two values, which one holds would be up to the order of the list.
// A file that extends another may give a pair its parent gives, and its
// value is the one that holds, as for any key.
func checkCorrPairs(specs []corrSpec, errs *ErrorList) {
	first := map[[2]string]corrSpec{}
	for _, sp := range specs {
		key := [2]string{sp.a, sp.b}
		if key[1] < key[0] {
			key[0], key[1] = key[1], key[0]
		}
		prev, dup := first[key]
		if !dup {
			first[key] = sp
			continue
		}
		if prev.rho == sp.rho {
			errs.Add(sp.pos, "correlations: %s and %s are correlated twice, here and at line %d, both with %s; give each pair once",
				sp.a, sp.b, prev.pos.Line, fmtNum(sp.rho))
			continue
		}
		errs.Add(sp.pos, "correlations: %s and %s are correlated twice, with %s here and %s at line %d; give each pair once, with one value",
			sp.a, sp.b, fmtNum(sp.rho), fmtNum(prev.rho), prev.pos.Line)
	}
}

// resolveCorrelations builds the target rank-correlation matrix among the
// scenario's quantities, checking names and positive definiteness.
func (s *Scenario) resolveCorrelations(specs []corrSpec, errs *ErrorList) {
	if len(specs) == 0 {
		return
	}
	d := len(s.quantities)
	idx := map[string]int{}
	var names []string
	for i, q := range s.quantities {
		idx[q.Name] = i
		names = append(names, q.Name)
	}
	c := make([]float64, d*d)
	for i := 0; i < d; i++ {
		c[i*d+i] = 1
	}
	good := true
	for _, sp := range specs {
		i, ok1 := idx[sp.a]
		j, ok2 := idx[sp.b]
		if !ok1 {
			errs.Add(sp.aP, "correlations: no uncertain input %s%s", sp.a, didYouMean(sp.a, names))
			good = false
		}
		if !ok2 {
			errs.Add(sp.bP, "correlations: no uncertain input %s%s", sp.b, didYouMean(sp.b, names))
			good = false
		}
		if !ok1 || !ok2 {
			continue
		}
		if i == j {
			errs.Add(sp.pos, "correlations: %s is correlated with itself", sp.a)
			good = false
			continue
		}
		c[i*d+j], c[j*d+i] = sp.rho, sp.rho
	}
	if !good {
		return
	}
	if _, err := uq.ValidateCorrelation(c, d); err != nil {
		errs.Add(specs[0].pos, "correlations: the matrix they make is not a valid correlation matrix (not positive definite): %v", err)
		return
	}
	s.corr = c
}

// Correlation returns the target rank-correlation matrix of the uncertain
// inputs (row-major, Dim × Dim), or nil when they are independent.
func (s *Scenario) Correlation() []float64 { return s.corr }
