package sim

import (
	"errors"
	"fmt"
	"math"
)

// Model is a Spec compiled for repeated runs: indices resolved, output
// layout fixed. It reads the Spec's series when it runs, so a caller may
// change parameter values in place (as Monte Carlo does) and run again; it
// must not change the Spec's shape (entries, origins, calendar).
type Model struct {
	spec *Spec
	cal  Calendar
	spy  float64

	dom, frn []int // product indices by origin
	proc     []int // per product: foundry index, or -1
	eco      []int // per product: ecosystem index
	imp      []int // per product: imports index, or -1
	launch   []int // per product: first period on sale
	end      []int // per product: last period on sale
	byProc   [][]int
	entity   []int             // per product: its index among products of its origin
	vendor   []int             // per product: index into vendors
	vendors  []string          // vendor names, in catalogue order of first mention
	ringN    int               // periods the dies-in-process ring spans
	vary     map[*float64]bool // series the caller changes between runs (Vary), by first element; nil: any
	varied   []Series          // the same series, in the order Vary was given them

	slots []Slot
	base  [numMetrics]int // per metric: first slot
	// Slot ranges [lo, hi) of the metrics that may be +Inf
	// (MetricDef.Unbounded) and of the others, for CheckFinite.
	limitSlots, finiteSlots [][2]int
}

// Slot names one output series: a metric for an entity.
type Slot struct {
	Metric *MetricDef
	Entity string
}

// Compile checks the shape of s and the values of its parameters
// (FieldDef.Check: no NaN, +Inf only in limits) and returns a Model that
// runs it. It reports every problem it finds, joined.
func Compile(s *Spec) (*Model, error) {
	m := &Model{spec: s, cal: s.Calendar, spy: s.Calendar.Step.PerYear()}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	n := s.Calendar.N
	if n < 1 {
		return nil, errors.New("compile: calendar has no periods")
	}
	for _, f := range s.Fields() {
		if f.Part != nil && f.Part.Share != nil {
			checkPart(f, n, s.Calendar, bad)
		}
		if f.Num == nil {
			continue
		}
		if len(*f.Num) != n {
			bad("compile: %s has %d values, want %d", f.Path, len(*f.Num), n)
			continue
		}
		for t, v := range *f.Num {
			if f.Def.Kind == Enum {
				if f.Def.Check(v) != nil {
					bad("compile: %s in %s: %v is not a valid choice", f.Path, s.Calendar.Label(t), v)
					break
				}
			} else if math.IsInf(v, 1) && !f.Def.Unbounded {
				bad("compile: %s in %s: %w", f.Path, s.Calendar.Label(t), f.Def.Check(v))
				break
			} else if math.IsNaN(v) || v < f.Def.Min || v > f.Def.Max {
				bad("compile: %s in %s: %v is outside [%v, %v]", f.Path, s.Calendar.Label(t), v, f.Def.Min, f.Def.Max)
				break
			}
		}
	}
	procIdx := map[string]int{}
	for i, p := range s.Foundry {
		procIdx[p.ID] = i
	}
	ecoIdx := map[string]int{}
	for i, e := range s.Ecosystems {
		ecoIdx[e.ID] = i
	}
	impIdx := map[string]int{}
	for i, im := range s.Imports {
		impIdx[im.ID] = i
	}
	m.byProc = make([][]int, len(s.Foundry))
	vendorIdx := map[string]int{}
	for i := range s.Products {
		p := &s.Products[i]
		v, ok := vendorIdx[p.Vendor]
		if !ok {
			v = len(m.vendors)
			vendorIdx[p.Vendor] = v
			m.vendors = append(m.vendors, p.Vendor)
		}
		m.vendor = append(m.vendor, v)
		m.launch = append(m.launch, s.Calendar.Index(p.Launch))
		end := s.Calendar.Index(p.End)
		if end >= s.Calendar.N-1 {
			// On sale to the run's end: the vendor plans beyond it, as it
			// would for a product still selling (no wind-down at the edge).
			end = math.MaxInt32
		}
		m.end = append(m.end, end)
		if p.End < p.Launch {
			bad("compile: product %s ends before it launches", p.ID)
		}
		e, ok := ecoIdx[p.Ecosystem]
		if !ok {
			bad("compile: product %s: unknown ecosystem %q", p.ID, p.Ecosystem)
		}
		m.eco = append(m.eco, e)
		switch p.Origin {
		case "domestic":
			m.entity = append(m.entity, len(m.dom))
			m.dom = append(m.dom, i)
			f, ok := procIdx[p.Process]
			if !ok {
				bad("compile: product %s: unknown foundry process %q", p.ID, p.Process)
				f = -1
			} else {
				m.byProc[f] = append(m.byProc[f], i)
			}
			m.proc = append(m.proc, f)
			m.imp = append(m.imp, -1)
		case "foreign":
			m.entity = append(m.entity, len(m.frn))
			m.frn = append(m.frn, i)
			m.proc = append(m.proc, -1)
			k, ok := impIdx[p.ID]
			if !ok {
				bad("compile: foreign product %s has no imports entry", p.ID)
				k = -1
			}
			m.imp = append(m.imp, k)
		default:
			m.entity = append(m.entity, -1)
			bad("compile: product %s: origin %q, want domestic or foreign", p.ID, p.Origin)
			m.proc = append(m.proc, -1)
			m.imp = append(m.imp, -1)
		}
	}
	for _, im := range s.Imports {
		i := -1
		for j := range s.Products {
			if s.Products[j].ID == im.ID {
				i = j
			}
		}
		if i < 0 || s.Products[i].Origin != "foreign" {
			bad("compile: imports entry %s names no foreign product", im.ID)
		}
	}
	if len(errs) == 0 {
		m.checkWaferShares(bad)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Dies arrive at most MaxCycleMonths after their wafers start, plus
	// the period a fraction spills into.
	m.ringN = int(math.Ceil(MaxCycleMonths/float64(s.Calendar.Step))) + 2
	m.layout()
	return m, nil
}

// Entities returns the entities a metric is reported for.
func (m *Model) Entities(d *MetricDef) []string {
	s := m.spec
	var out []string
	switch d.Per {
	case "":
		out = []string{"all"}
	case "product":
		for _, p := range s.Products {
			out = append(out, p.ID)
		}
	case "domestic":
		for _, i := range m.dom {
			out = append(out, s.Products[i].ID)
		}
	case "foreign":
		for _, i := range m.frn {
			out = append(out, s.Products[i].ID)
		}
	case "process":
		for _, p := range s.Foundry {
			out = append(out, p.ID)
		}
	case "segment":
		for _, g := range s.Segments {
			out = append(out, g.ID)
		}
		out = append(out, AISegment)
	case "origin":
		out = Origins[:]
	case "vendor":
		out = append(out, m.vendors...)
	}
	return out
}

func (m *Model) layout() {
	for i := range Metrics {
		d := &Metrics[i]
		m.base[i] = len(m.slots)
		for _, e := range m.Entities(d) {
			m.slots = append(m.slots, Slot{Metric: d, Entity: e})
		}
		lo, hi := m.base[i], len(m.slots)
		ranges := &m.finiteSlots
		if d.Unbounded() {
			ranges = &m.limitSlots
		}
		if k := len(*ranges); k > 0 && (*ranges)[k-1][1] == lo {
			(*ranges)[k-1][1] = hi
		} else if hi > lo {
			*ranges = append(*ranges, [2]int{lo, hi})
		}
	}
}

// Spec returns the specification the model runs.
func (m *Model) Spec() *Spec { return m.spec }

// Calendar returns the model's time axis.
func (m *Model) Calendar() Calendar { return m.cal }

// Slots lists the model's output series in the order Result stores them.
func (m *Model) Slots() []Slot { return m.slots }

// SlotIndex returns the slot of a metric for an entity ("all" for metrics
// with one value per period).
func (m *Model) SlotIndex(metric, entity string) (int, bool) {
	for i := range Metrics {
		if Metrics[i].Name != metric {
			continue
		}
		for j, e := range m.Entities(&Metrics[i]) {
			if e == entity {
				return m.base[i] + j, true
			}
		}
	}
	return 0, false
}

// checkPart checks a field's part-period record: shares in [0, 1] and
// earlier values of the field's kind.
func checkPart(f Field, n int, cal Calendar, bad func(string, ...any)) {
	p := f.Part
	if len(p.Share) != n || len(p.Alt) <= f.PartIndex {
		bad("compile: %s: part-period record has %d shares, want %d", f.Path, len(p.Share), n)
		return
	}
	alt := p.Alt[f.PartIndex]
	for t := range p.Share {
		if x := p.Share[t]; math.IsNaN(x) || x < 0 || x > 1 {
			bad("compile: %s in %s: part-period share %v is outside [0, 1]", f.Path, cal.Label(t), x)
			return
		}
		if x := p.Share[t]; x == 1 || alt == nil {
			continue
		}
		a := alt[t]
		if f.Def.Kind == Enum && f.Def.Check(a) != nil {
			bad("compile: %s in %s: earlier value %v is not a valid choice", f.Path, cal.Label(t), a)
			return
		}
		if f.Def.Kind == Number && math.IsInf(a, 1) && !f.Def.Unbounded {
			bad("compile: %s in %s: earlier value: %w", f.Path, cal.Label(t), f.Def.Check(a))
			return
		}
		if f.Def.Kind == Number && (math.IsNaN(a) || a < f.Def.Min || a > f.Def.Max) {
			bad("compile: %s in %s: earlier value %v is outside [%v, %v]", f.Path, cal.Label(t), a, f.Def.Min, f.Def.Max)
			return
		}
	}
}

// checkWaferShares checks that no process reserves more than all its AI
// wafers for the products it makes in any period.
func (m *Model) checkWaferShares(bad func(string, ...any)) {
	s := m.spec
	for _, i := range m.dom {
		p := &s.Products[i]
		for t := 0; t < m.cal.N; t++ {
			if p.WaferShare[t] > p.WaferMax[t] {
				bad("compile: products.%s in %s: wafer_share %v is above wafer_share_max %v: a product cannot reserve more than it may take", p.ID, m.cal.Label(t), p.WaferShare[t], p.WaferMax[t])
				break
			}
		}
	}
	for f := range s.Foundry {
		for t := 0; t < m.cal.N; t++ {
			var sum float64
			for _, i := range m.byProc[f] {
				if m.making(i, t) {
					sum += s.Products[i].WaferShare[t]
				}
			}
			if sum > 1+1e-9 {
				bad("compile: foundry %s in %s: the products being made (on sale, or built ahead of launch over the cycle time) reserve %.3g of its AI wafers (products.*.wafer_share), more than all of them", s.Foundry[f].ID, m.cal.Label(t), sum)
				break
			}
		}
	}
}
