package scenarios

import (
	"fmt"
	"math"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/study"
)

// Quantities lists the scenario's uncertain inputs in file order:
// parameters first as they are met, then events' starts, durations and
// values.
func (s *Scenario) Quantities() []*Quantity { return s.quantities }

// Sampler redraws a scenario's uncertain inputs and runs it: one per
// worker, since it owns a private copy of the parameters that its model
// reads. Set and SetValues allocate nothing.
type Sampler struct {
	scn     *Scenario
	spec    *sim.Spec
	model   *sim.Model
	vals    []float64
	params  []paramTarget
	reset   []resetTarget
	events  []eventTarget
	entries map[*sim.Part][]sim.Series
	parts   []*sim.Part // part-period records replayed events write
	// partBase holds each of parts as the fixed events leave it.
	partBase []sim.Part
}

type paramTarget struct {
	ser sim.Series
	q   int
}

type resetTarget struct {
	ser, base sim.Series
}

type eventTarget struct {
	plan  *eventPlan
	sers  []sim.Series // per op
	parts []*sim.Part  // per op: the target entry's part-period record, or nil
	idx   []int        // per op: the target's place in its part-period record
	x     []float64    // per op: scratch for the values drawn
}

// NewSampler returns a sampler of s. Its model starts at the scenario's
// central values (each distribution's median), as chipsim run uses.
func (s *Scenario) NewSampler() (*Sampler, error) {
	spec := cloneSpec(s.Spec)
	m, err := sim.Compile(spec)
	if err != nil {
		return nil, err
	}
	sp := &Sampler{scn: s, spec: spec, model: m, vals: make([]float64, len(s.quantities))}
	sp.entries = entrySeries(spec)
	byPath := map[string]sim.Series{}
	partOf := map[string]*sim.Part{}
	partIdx := map[string]int{}
	for _, f := range spec.Fields() {
		if f.Num != nil {
			byPath[f.Path] = *f.Num
		}
		if f.Part != nil {
			partOf[f.Path], partIdx[f.Path] = f.Part, f.PartIndex
		}
	}
	// Events before the first that draws a value, or that changes a
	// parameter drawn itself, do the same in every run: they are applied
	// once, here, and every run starts from their result. Runs replay the
	// rest, on the series and part-period records those touch.
	fixed := len(s.plan)
	for i := range s.plan {
		if s.plan[i].drawn(s.paramQ) {
			fixed = i
			break
		}
	}
	touched := map[string]bool{}  // by any event or drawn parameter
	replayed := map[string]bool{} // by a drawn parameter or a replayed event
	for path, q := range s.paramQ {
		sp.params = append(sp.params, paramTarget{ser: byPath[path], q: q})
		touched[path], replayed[path] = true, true
	}
	var prefix []eventTarget
	var prefixParts []*sim.Part
	for i := range s.plan {
		p := &s.plan[i]
		et := eventTarget{plan: p}
		for _, op := range p.ops {
			et.sers = append(et.sers, byPath[op.path])
			pt := partOf[op.path]
			et.parts = append(et.parts, pt)
			et.idx = append(et.idx, partIdx[op.path])
			if pt != nil && pt.Share != nil {
				if i >= fixed && !containsPart(sp.parts, pt) {
					sp.parts = append(sp.parts, pt)
				}
				if !containsPart(prefixParts, pt) {
					prefixParts = append(prefixParts, pt)
				}
			}
			touched[op.path] = true
			if i >= fixed {
				replayed[op.path] = true
			}
		}
		et.x = make([]float64, len(p.ops))
		if i < fixed {
			prefix = append(prefix, et)
		} else {
			sp.events = append(sp.events, et)
		}
	}
	// The state the fixed events leave, from the values before any event.
	for _, f := range spec.Fields() {
		if f.Num != nil && touched[f.Path] {
			copy(*f.Num, s.base[f.Path])
		}
	}
	for _, pt := range prefixParts {
		for t := range pt.Share {
			pt.Share[t] = 1
		}
	}
	for _, e := range prefix {
		sp.apply(e)
	}
	var varying []sim.Series
	for _, f := range spec.Fields() {
		if f.Num != nil && replayed[f.Path] {
			sp.reset = append(sp.reset, resetTarget{ser: *f.Num, base: append(sim.Series(nil), *f.Num...)})
			varying = append(varying, *f.Num)
		}
	}
	for _, pt := range sp.parts {
		sp.partBase = append(sp.partBase, snapshotPart(pt))
	}
	// Only these series change between runs (part-period records are
	// always watched): the model's tables of everything else are computed
	// once per Result.
	m.Vary(varying...)
	for k, q := range s.quantities {
		sp.vals[k] = q.Dist.Quantile(0.5)
	}
	sp.replay() // the central values, as the scenario holds them
	return sp, nil
}

// drawn reports whether the event draws its start, duration or a value,
// or changes a parameter that is drawn itself (whose draw replaces the
// series the event would change).
func (p *eventPlan) drawn(paramQ map[string]int) bool {
	if p.atQ >= 0 || p.durQ >= 0 {
		return true
	}
	for _, op := range p.ops {
		if _, ok := paramQ[op.path]; ok || op.q >= 0 {
			return true
		}
	}
	return false
}

// snapshotPart copies a part-period record.
func snapshotPart(p *sim.Part) sim.Part {
	c := *p
	clonePart(&c)
	return c
}

// cloneSpec copies a Spec deeply: entries and every series.
func cloneSpec(s *sim.Spec) *sim.Spec {
	c := *s
	c.Ecosystems = append([]sim.Ecosystem(nil), s.Ecosystems...)
	c.Foundry = append([]sim.Process(nil), s.Foundry...)
	c.Products = append([]sim.Product(nil), s.Products...)
	c.Imports = append([]sim.Import(nil), s.Imports...)
	c.Segments = append([]sim.Segment(nil), s.Segments...)
	for _, f := range c.Fields() {
		if f.Num != nil {
			*f.Num = append(sim.Series(nil), *f.Num...)
		}
	}
	clonePart(&c.HBM.Part)
	for i := range c.Imports {
		clonePart(&c.Imports[i].Part)
	}
	return &c
}

// clonePart gives p copies of its series.
func clonePart(p *sim.Part) {
	if p.Share == nil {
		return
	}
	p.Share = append(sim.Series(nil), p.Share...)
	alt := make([]sim.Series, len(p.Alt))
	for i, a := range p.Alt {
		if a != nil {
			alt[i] = append(sim.Series(nil), a...)
		}
	}
	p.Alt = alt
}

// Model returns the compiled model that reads the sampler's parameters.
func (sp *Sampler) Model() *sim.Model { return sp.model }

// Correlation returns the target rank correlations of the inputs, or nil.
func (sp *Sampler) Correlation() []float64 { return sp.scn.corr }

// Dim returns the number of uncertain inputs.
func (sp *Sampler) Dim() int { return len(sp.vals) }

// Values returns the inputs' current values (read-only).
func (sp *Sampler) Values() []float64 { return sp.vals }

// Set draws every uncertain input at the quantiles u (one per input, in
// (0, 1)) and rebuilds the parameters the model reads.
func (sp *Sampler) Set(u []float64) {
	for k, q := range sp.scn.quantities {
		sp.vals[k] = q.Dist.Quantile(u[k])
	}
	sp.replay()
}

// SetValues sets the uncertain inputs to values directly (a sweep's grid
// points) and rebuilds the parameters the model reads. Starts are period
// indices and durations whole periods; both are rounded.
func (sp *Sampler) SetValues(x []float64) {
	copy(sp.vals, x)
	sp.replay()
}

// CheckValues reports a value outside its input's distribution's support
// (a sweep grid point the scenario does not allow).
func (sp *Sampler) CheckValues(x []float64) error {
	for k, q := range sp.scn.quantities {
		lo, hi := q.Dist.Support()
		if x[k] < lo || x[k] > hi || math.IsNaN(x[k]) {
			return fmt.Errorf("%s = %g is outside its distribution's range [%g, %g]", q.Name, x[k], lo, hi)
		}
	}
	return nil
}

func (sp *Sampler) replay() {
	for _, r := range sp.reset {
		copy(r.ser, r.base)
	}
	for i, pt := range sp.parts {
		b := &sp.partBase[i]
		copy(pt.Share, b.Share)
		for k, a := range b.Alt {
			if a != nil && pt.Alt[k] != nil {
				copy(pt.Alt[k], a)
			}
		}
	}
	for _, p := range sp.params {
		x := sp.vals[p.q]
		for t := range p.ser {
			p.ser[t] = x
		}
	}
	for _, e := range sp.events {
		sp.apply(e)
	}
}

// apply applies one event with the inputs' current values.
func (sp *Sampler) apply(e eventTarget) {
	cal := sp.spec.Calendar
	p := e.plan
	first, dur := p.first, p.dur
	if p.atQ >= 0 {
		first = int(math.Round(sp.vals[p.atQ]))
	}
	if p.durQ >= 0 {
		dur = int(math.Round(sp.vals[p.durQ]))
	}
	first, last := p.window(first, dur, cal.N)
	for k, op := range p.ops {
		e.x[k] = op.x
		if op.q >= 0 {
			e.x[k] = sp.vals[op.q]
		}
	}
	p.applyEvent(cal, first, last, e.x, e.sers, e.parts, e.idx, sp.entries, nil, nil)
}

// Inputs describes the scenario's uncertain inputs for experiments, in
// the order its Sampler sets them (study.Problem).
func (s *Scenario) Inputs() []study.Input {
	out := make([]study.Input, len(s.quantities))
	for i, q := range s.quantities {
		out[i] = study.Input{Name: q.Name, Unit: q.Unit, Dist: q.Dist, Labels: q.Choices}
		if q.Periods != nil {
			out[i].Labels = q.Periods
		}
	}
	return out
}

// NewSpace compiles a Sampler for an experiment's worker (study.Problem).
func (s *Scenario) NewSpace() (study.Space, error) { return s.NewSampler() }
