package scenarios

import (
	"fmt"
	"math"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/chipsim/chipsim/sim"
)

// Warning is something in a valid scenario that a reader should look at:
// the scenario loads and runs as written, but probably not as meant.
type Warning struct {
	Pos Pos
	Msg string
}

// String formats w as file:line:col: warning: message.
func (w Warning) String() string { return w.Pos.String() + ": warning: " + w.Msg }

// auditOverrides warns about schedule keys that never take effect: a key
// whose period an event of the same file, begun earlier, sets over. Such
// a key reads as a change in the file but changes nothing (issue 7 found
// the baseline's 2025 entity-listing step hidden this way). Events of a
// child file that set over a parent's schedule are what extends is for,
// and are not reported.
func (s *Scenario) auditOverrides() {
	cal := s.Spec.Calendar
	paths := make([]string, 0, len(s.touched))
	for p := range s.touched {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		v := s.Values[path]
		if v == nil || v.Node == nil || v.Node.Kind != yaml.MappingNode {
			continue
		}
		keys := v.Node
		if len(keys.Content) == 2 && keys.Content[0].Value == "linear" {
			keys = keys.Content[1]
		}
		for k := 2; k+1 < len(keys.Content); k += 2 { // the first key starts the run
			kn := keys.Content[k]
			m, _, err := sim.ParseMonth(kn.Value)
			if err != nil {
				continue
			}
			t := cal.Index(m)
			if t < 0 || t >= cal.N {
				continue
			}
			j := s.touched[path][t]
			if j < 0 {
				continue
			}
			ev := s.Events[j]
			if ev.Pos.File != v.Pos.File || ev.At >= m || !setsPath(ev, path) {
				continue
			}
			name := ev.Name
			if name == "" {
				name = eventName(ev, j)
			}
			s.Warnings = append(s.Warnings, Warning{
				Pos: Pos{File: v.Pos.File, Line: kn.Line, Col: kn.Column},
				Msg: fmt.Sprintf("%s: schedule key %s never takes effect: event %q (line %d), from %s, sets %s over it; give the event an end, or write the change as an event",
					path, kn.Value, name, ev.Pos.Line, cal.Step.Label(ev.At), path),
			})
		}
	}
}

// setsPath reports whether ev sets path (rather than scaling or adding
// to it, which leaves the schedule's own changes in place).
func setsPath(ev *Event, path string) bool {
	for _, op := range ev.Ops {
		if op.Kind != "set" {
			continue
		}
		if op.Path == path {
			return true
		}
		for _, p := range op.Targets {
			if p == path {
				return true
			}
		}
	}
	return false
}

// bound holds the least and most value each period of a parameter can
// take over every draw of the uncertain inputs.
type bound struct{ lo, hi sim.Series }

// propagateBounds carries the range of every value an uncertain input can
// reach through event plan p, which applies next, and reports an
// operation that takes a parameter out of its valid range in some draw
// (the central values may be fine: 0.25 × uniform(0.5, 3) + 0.3 exceeds
// a share's 1 only in the top draws). Parameters no uncertain input
// reaches are left to the central-value check.
func (s *Scenario) propagateBounds(p *eventPlan, first, last int, timing bool, earliest int, opPos []Pos, byPath map[string]sim.Field, errs *ErrorList) {
	cal := s.Spec.Calendar
	uncertain := timing
	for _, op := range p.ops {
		uncertain = uncertain || op.q >= 0
	}
	from, to := first, last
	if timing {
		from, to = earliest, cal.N-1
	}
	for k, op := range p.ops {
		if op.enum {
			continue
		}
		f := byPath[op.path]
		b := s.bounds[op.path]
		if b == nil {
			if _, drawn := s.paramQ[op.path]; !uncertain && !drawn {
				continue
			}
			b = s.newBound(f)
		}
		xs := []float64{op.x}
		if op.q >= 0 {
			lo, hi := s.quantities[op.q].Dist.Support()
			xs = []float64{lo, hi}
		}
		reported := false
		for t := max(from, 0); t <= to; t++ {
			ws := []float64{p.rampAt(t, first)}
			if f.Part == nil {
				ws[0] *= p.partial(cal, t, first, last)
			} else if ws[0] < 1 || p.partial(cal, t, first, last) < 1 {
				ws = append(ws, 0) // part of the period runs on the values before
			}
			if timing || t < first || t > last {
				ws = append(ws, 0, 1) // whether, and how far into its ramp, the event covers t
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, old := range []float64{b.lo[t], b.hi[t]} {
				for _, x := range xs {
					for _, w := range ws {
						v := transform(op.kind, false, old, x, w)
						lo, hi = math.Min(lo, v), math.Max(hi, v)
					}
				}
			}
			b.lo[t], b.hi[t] = lo, hi
			for _, v := range []float64{lo, hi} {
				if msg := outOfRange(f.Def, v); (msg != "" || math.IsNaN(v)) && !reported {
					errs.Add(opPos[k], "event %s %s: over the range of the uncertain inputs, the value in %s can reach %s, outside [%s, %s] (%s)",
						op.kind, op.path, cal.Label(t), fmtNum(v), fmtNum(f.Def.Min), fmtNum(f.Def.Max), f.Def.Unit)
					reported = true
				}
			}
		}
	}
}

// newBound starts the range of parameter f from its values before the
// events that follow: its distribution's support in every period when
// the parameter itself is uncertain, else its values, with those kept for
// the part of a period before a change dated by day.
func (s *Scenario) newBound(f sim.Field) *bound {
	ser := *f.Num
	b := &bound{lo: append(sim.Series(nil), ser...), hi: append(sim.Series(nil), ser...)}
	if q, ok := s.paramQ[f.Path]; ok {
		lo, hi := s.quantities[q].Dist.Support()
		for t := range ser {
			b.lo[t], b.hi[t] = lo, hi
		}
	}
	// A period split by an event dated by day also runs on the values
	// before it, which later events change too.
	if pt := f.Part; pt != nil && pt.Share != nil && f.PartIndex < len(pt.Alt) && pt.Alt[f.PartIndex] != nil {
		alt := pt.Alt[f.PartIndex]
		for t := range ser {
			if pt.Share[t] < 1 {
				b.lo[t], b.hi[t] = math.Min(b.lo[t], alt[t]), math.Max(b.hi[t], alt[t])
			}
		}
	}
	s.bounds[f.Path] = b
	return b
}
