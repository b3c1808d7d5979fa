package check

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// Result is the outcome of one check on one scenario.
type Result struct {
	Kind     string // history, comparison, binding or invariant
	ID       string
	Scenario string
	What     string  // what was measured: an outcome, a constraint over a span, a rule
	Value    float64 // the model's value (comparisons: the relative difference)
	Lo, Hi   float64 // history: the accepted range
	Expected string  // the accepted values, as text
	Pass     bool
	Detail   string
	Source   string
	Pos      scenarios.Pos // where the check is written
}

// Loader loads a scenario by reference (a shipped name or a file).
type Loader func(ref string) (*scenarios.Scenario, error)

// run is one scenario, loaded and run once.
type run struct {
	sc  *scenarios.Scenario
	m   *sim.Model
	res *sim.Result
}

// runner runs each scenario once and keeps the result, or the error.
type runner struct {
	load   Loader
	runs   map[string]*run
	failed map[string]bool
}

// errReported stands for a scenario that failed to load, reported at the
// first check that named it.
var errReported = errors.New("scenario reported already")

func (rn *runner) get(ref string, at scenarios.Pos) (*run, error) {
	if r, ok := rn.runs[ref]; ok {
		return r, nil
	}
	if rn.failed[ref] {
		return nil, errReported
	}
	sc, err := rn.load(ref)
	if err == nil {
		_, err = sc.Model()
	}
	if err != nil {
		rn.failed[ref] = true
		return nil, fmt.Errorf("%s: scenario %s: %w", at, ref, err)
	}
	m, _ := sc.Model()
	res := m.NewResult()
	m.Run(res)
	r := &run{sc: sc, m: m, res: res}
	rn.runs[ref] = r
	return r, nil
}

// Run evaluates every check of f, loading each scenario it names once.
// A check that cannot be evaluated (an unknown scenario, entity or
// outcome) is an error naming its position; failing checks are results.
func (f *File) Run(load Loader) ([]Result, error) {
	return f.run(load, "")
}

// RunOn evaluates on scenario ref the history and binding checks of f
// written for the baseline up to f.HistoryEnds, and the invariants written
// for every scenario or for ref by name: does a variant still reproduce
// history and keep the invariants? Comparisons are skipped: they name their
// scenarios.
func (f *File) RunOn(ref string, load Loader) ([]Result, error) {
	return f.run(load, ref)
}

func (f *File) run(load Loader, on string) ([]Result, error) {
	rn := &runner{load: load, runs: map[string]*run{}, failed: map[string]bool{}}
	var out []Result
	var errs []string
	fail := func(err error) {
		if err != errReported {
			errs = append(errs, err.Error())
		}
	}
	target := func(s string) (string, bool) {
		if on == "" {
			return s, true
		}
		return on, s == "baseline"
	}
	// after reports whether a period or year begins after the history.
	after := func(when string) bool {
		if on == "" || f.HistoryEnds == "" || when == "" {
			return false
		}
		end, step, _ := sim.ParseMonth(f.HistoryEnds)
		m, _, _ := sim.ParseMonth(when)
		return m > end+sim.Month(step)-1
	}
	for _, o := range f.History {
		ref, ok := target(o.Scenario)
		if !ok || after(o.Period) {
			continue
		}
		r, err := f.history(rn, o, ref)
		if err != nil {
			fail(err)
			continue
		}
		out = append(out, r)
	}
	if on == "" {
		for _, c := range f.Comparisons {
			r, err := f.comparison(rn, c)
			if err != nil {
				fail(err)
				continue
			}
			out = append(out, r)
		}
	}
	for _, b := range f.Bindings {
		ref, ok := target(b.Scenario)
		if !ok || after(b.To) {
			continue
		}
		r, err := f.binding(rn, b, ref)
		if err != nil {
			fail(err)
			continue
		}
		out = append(out, r)
	}
	for _, in := range f.Invariants {
		refs := in.Scenarios
		switch {
		case on != "" && len(refs) > 0 && !contains(refs, on):
			continue // written for other scenarios
		case on != "":
			refs = []string{on}
		case len(refs) == 0:
			refs = scenarios.ShippedNames()
		}
		for _, ref := range refs {
			r, err := f.invariant(rn, in, ref)
			if err != nil {
				fail(err)
				continue
			}
			out = append(out, r)
		}
	}
	if len(errs) > 0 {
		return out, &Error{Msgs: errs}
	}
	return out, nil
}

// Error reports checks that could not be evaluated, each with its position.
type Error struct{ Msgs []string }

func (e *Error) Error() string { return strings.Join(e.Msgs, "\n") }

// parseAt compiles an outcome for a check, naming the check's position.
func parseAt(expr string, m *sim.Model, at scenarios.Pos) (*outcome.Outcome, error) {
	o, err := outcome.Parse(expr, m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	return o, nil
}

func (f *File) history(rn *runner, o *Observation, ref string) (Result, error) {
	r, err := rn.get(ref, o.Pos)
	if err != nil {
		return Result{}, err
	}
	expr := o.Metric + bracket(o.Entity) + "@" + o.Period
	oc, err := parseAt(expr, r.m, o.Pos)
	if err != nil {
		return Result{}, err
	}
	v := oc.Eval(r.res)
	res := Result{Kind: "history", ID: o.ID, Scenario: ref, What: expr, Value: v, Lo: o.Lo, Hi: o.Hi,
		Expected: rangeText(o), Pass: v >= o.Lo && v <= o.Hi, Source: o.Source, Pos: o.Pos, Detail: o.Note}
	return res, nil
}

func rangeText(o *Observation) string {
	switch {
	case o.Tolerance != "":
		return fmt.Sprintf("%s ± %s", Format(o.Value), o.Tolerance)
	case math.IsInf(o.Lo, -1):
		return "≤ " + Format(o.Hi)
	case math.IsInf(o.Hi, 1):
		return "≥ " + Format(o.Lo)
	}
	return fmt.Sprintf("%s to %s", Format(o.Lo), Format(o.Hi))
}

func (f *File) comparison(rn *runner, c *Comparison) (Result, error) {
	a, err := rn.get(c.Scenario, c.Pos)
	if err != nil {
		return Result{}, err
	}
	b, err := rn.get(c.Against, c.Pos)
	if err != nil {
		return Result{}, err
	}
	oa, err := parseAt(c.Outcome, a.m, c.Pos)
	if err != nil {
		return Result{}, err
	}
	ob, err := parseAt(c.Outcome, b.m, c.Pos)
	if err != nil {
		return Result{}, err
	}
	va, vb := oa.Eval(a.res), ob.Eval(b.res)
	d := relDiff(va, vb)
	res := Result{Kind: "comparison", ID: c.ID, Scenario: c.Scenario, What: c.Outcome + " vs " + c.Against, Value: d,
		Source: c.Source, Pos: c.Pos, Detail: fmt.Sprintf("%s: %s; %s: %s", c.Scenario, Format(va), c.Against, Format(vb))}
	if c.Story != "" {
		res.Detail = c.Story + " (" + res.Detail + ")"
	}
	const eps = 1e-9
	if c.Expect == "higher" {
		res.Expected = "higher"
		res.Pass = d > eps
		if c.ByAtLeast > 0 {
			res.Expected = fmt.Sprintf("≥ +%s", pct(c.ByAtLeast))
			res.Pass = d >= c.ByAtLeast
		}
	} else {
		res.Expected = "lower"
		res.Pass = d < -eps
		if c.ByAtLeast > 0 {
			res.Expected = fmt.Sprintf("≤ -%s", pct(c.ByAtLeast))
			res.Pass = d <= -c.ByAtLeast
		}
	}
	return res, nil
}

// relDiff returns (a − b) / |b|, or ±Inf (0 when equal) when b is 0 or
// infinite (an outcome such as first(...) that never happens is +Inf: a
// scenario where it happens is lower, without bound).
func relDiff(a, b float64) float64 {
	if b == 0 || math.IsInf(b, 0) {
		if a == b {
			return 0
		}
		if math.IsInf(b, 0) {
			if a < b {
				return math.Inf(-1)
			}
			return math.Inf(1)
		}
		switch {
		case a > 0:
			return math.Inf(1)
		case a < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return (a - b) / math.Abs(b)
}

func pct(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", 100*x), "0"), ".") + "%"
}

// span returns the periods [t0, t1] that from and to (years or periods)
// cover in cal.
func span(cal sim.Calendar, from, to string, at scenarios.Pos) (int, int, error) {
	bound := func(s string, last bool) (int, error) {
		m, step, err := sim.ParseMonth(s)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", at, err)
		}
		if last {
			m += sim.Month(step) - 1
		}
		return cal.Index(m), nil
	}
	t0, t1 := 0, cal.N-1
	var err error
	if from != "" {
		if t0, err = bound(from, false); err != nil {
			return 0, 0, err
		}
	}
	if to != "" {
		if t1, err = bound(to, true); err != nil {
			return 0, 0, err
		}
	}
	t0, t1 = max(t0, 0), min(t1, cal.N-1)
	if t0 > t1 {
		return 0, 0, fmt.Errorf("%s: %s..%s is outside the run (%s to %s)", at, orStart(from), orEnd(to), cal.Label(0), cal.Label(cal.N-1))
	}
	return t0, t1, nil
}

func orStart(s string) string {
	if s == "" {
		return "start"
	}
	return s
}

func orEnd(s string) string {
	if s == "" {
		return "end"
	}
	return s
}

func (f *File) binding(rn *runner, b *Binding, ref string) (Result, error) {
	r, err := rn.get(ref, b.Pos)
	if err != nil {
		return Result{}, err
	}
	cal := r.m.Calendar()
	t0, t1, err := span(cal, b.From, b.To, b.Pos)
	if err != nil {
		return Result{}, err
	}
	var slot int
	var ok bool
	if b.Product != "" {
		slot, ok = r.m.SlotIndex("product.binding", b.Product)
		if !ok {
			def, _ := sim.MetricByName("product.binding")
			return Result{}, fmt.Errorf("%s: %s has no domestic product %s; domestic products: %s", b.Pos, ref, b.Product, strings.Join(r.m.Entities(def), ", "))
		}
	} else {
		slot, ok = r.m.SlotIndex("foundry.ai_utilization", b.Process)
		if !ok {
			def, _ := sim.MetricByName("foundry.ai_utilization")
			return Result{}, fmt.Errorf("%s: %s has no foundry process %s; processes: %s", b.Pos, ref, b.Process, strings.Join(r.m.Entities(def), ", "))
		}
	}
	code := -1
	for c, name := range sim.BindingNames {
		if name == b.Constraint {
			code = c
		}
	}
	hit := 0
	var first, seen []string
	for t := t0; t <= t1; t++ {
		v := r.res.At(slot, t)
		var binds bool
		if b.Process != "" {
			binds = v >= 0.99
		} else {
			binds = int(math.Round(v)) == code
			if name := sim.BindingNames[min(max(int(math.Round(v)), 0), len(sim.BindingNames)-1)]; !contains(seen, name) {
				seen = append(seen, name)
			}
		}
		if binds {
			hit++
			if len(first) < 1 {
				first = append(first, cal.Label(t))
			}
		}
	}
	share := float64(hit) / float64(t1-t0+1)
	what := b.Product + b.Process
	res := Result{Kind: "binding", ID: b.ID, Scenario: ref, What: fmt.Sprintf("%s binds on %s, %s..%s", what, b.Constraint, cal.Label(t0), cal.Label(t1)),
		Value: share, Source: b.Source, Pos: b.Pos}
	if b.AtLeast > 0 {
		res.Expected = "≥ " + pct(b.AtLeast) + " of periods"
		res.Pass = share >= b.AtLeast
	} else {
		res.Expected = "some period"
		res.Pass = hit > 0
	}
	if b.Product != "" {
		res.Detail = "constraints binding in the span: " + strings.Join(seen, ", ")
	}
	return res, nil
}

func (f *File) invariant(rn *runner, in *Invariant, ref string) (Result, error) {
	r, err := rn.get(ref, in.Pos)
	if err != nil {
		return Result{}, err
	}
	cal := r.m.Calendar()
	t0, t1, err := span(cal, in.From, in.To, in.Pos)
	if err != nil {
		return Result{}, err
	}
	res := Result{Kind: "invariant", ID: in.ID, Scenario: ref, Source: in.Source, Pos: in.Pos, Pass: true}
	switch in.Rule {
	case "max_jump", "max_drop":
		why := explanations(r)
		res.What = in.Rule + " " + strings.Join(in.Metrics, ", ")
		if in.Rule == "max_jump" {
			res.Expected = "≤ " + Format(in.Limit) + " a period, or explained"
		} else {
			res.Expected = "≤ " + pct(in.Limit) + " fall a period, or explained"
		}
		worst, worstAt := 0.0, ""
		var explained []string
		for _, metric := range in.Metrics {
			slot, ok := r.m.SlotIndex(metric, "all")
			if !ok {
				return Result{}, fmt.Errorf("%s: %s is reported per entity; invariants take metrics with one value per period", in.Pos, metric)
			}
			for t := max(t0, 1); t <= t1; t++ {
				a, b := r.res.At(slot, t-1), r.res.At(slot, t)
				d := math.Abs(b - a)
				if in.Rule == "max_drop" {
					d = 0
					if a > 0 && b < a {
						d = (a - b) / a
					}
				}
				if d <= in.Limit {
					continue
				}
				if w := why[t]; w != "" {
					if len(explained) < 3 {
						explained = append(explained, fmt.Sprintf("%s %s (%s)", metric, cal.Label(t), w))
					}
					continue
				}
				if d > worst {
					worst, worstAt = d, metric+" in "+cal.Label(t)
				}
			}
		}
		res.Value = worst
		res.Pass = worstAt == ""
		switch {
		case worstAt != "":
			res.Detail = "largest unexplained move: " + worstAt
		case len(explained) > 0:
			res.Detail = "moves above the limit, each explained: " + strings.Join(explained, "; ")
		}
	case "nondecreasing":
		res.What = "yearly " + strings.Join(in.Metrics, ", ") + " never fall"
		res.Expected = "never falls"
		for _, metric := range in.Metrics {
			years := wholeYears(cal, t0, t1)
			prev := math.NaN()
			for _, y := range years {
				o, err := parseAt(fmt.Sprintf("%s@%d", metric, y), r.m, in.Pos)
				if err != nil {
					return Result{}, err
				}
				v := o.Eval(r.res)
				if !math.IsNaN(prev) && v < prev*(1-1e-9) {
					if d := (prev - v) / prev; d > res.Value {
						res.Value = d
						res.Pass = false
						res.Detail = fmt.Sprintf("%s falls %s from %d to %d", metric, pct(d), y-1, y)
					}
				}
				prev = v
			}
		}
	case "max_inventory_months":
		res.What = "finished stock of each domestic product at year end, months of the year's sales"
		res.Expected = "≤ " + Format(in.Limit) + " months"
		inv, _ := sim.MetricByName("product.inventory")
		for _, e := range r.m.Entities(inv) {
			p := productByID(r.sc.Spec, e)
			for _, y := range wholeYears(cal, t0, t1) {
				if p != nil && (p.Launch > sim.MonthOf(y, 1) || p.End < sim.MonthOf(y, 12)) {
					continue // a year it is sold only in part: stock built before launch or left at the end
				}
				stock, err := parseAt(fmt.Sprintf("product.inventory[%s]@%d", e, y), r.m, in.Pos)
				if err != nil {
					return Result{}, err
				}
				sold, err := parseAt(fmt.Sprintf("product.units[%s]@%d", e, y), r.m, in.Pos)
				if err != nil {
					return Result{}, err
				}
				st, sales := stock.Eval(r.res), sold.Eval(r.res)/12
				if sales <= 0 || st <= 0 {
					continue
				}
				if mo := st / sales; mo > in.Limit && mo > res.Value {
					res.Value = mo
					res.Pass = false
					res.Detail = fmt.Sprintf("%s holds %s months of its %d sales at the end of %d", e, Format(mo), y, y)
				}
			}
		}
	}
	return res, nil
}

func productByID(s *sim.Spec, id string) *sim.Product {
	for i := range s.Products {
		if s.Products[i].ID == id {
			return &s.Products[i]
		}
	}
	return nil
}

// wholeYears lists the calendar years the periods [t0, t1] cover whole.
func wholeYears(cal sim.Calendar, t0, t1 int) []int {
	var out []int
	per := int(cal.Step.PerYear())
	for t := t0; t <= t1; t++ {
		if cal.Month(t).MonthOfYear() == 1 && t+per-1 <= t1 {
			out = append(out, cal.Year(t))
		}
	}
	return out
}

// explanations lists, for each period, what in the scenario explains a
// jump there: a policy event that starts or ends in it or the next period
// (buyers see a ban coming), the period after an event dated by day (its
// first period held only part of it), or a product that launches or ends.
func explanations(r *run) []string {
	cal := r.m.Calendar()
	why := make([]string, cal.N)
	all := make([][]string, cal.N)
	noteIn := func(u int, s string) {
		if u >= 0 && u < cal.N && !contains(all[u], s) {
			all[u] = append(all[u], s)
		}
	}
	note := func(t int, s string) { noteIn(t, s); noteIn(t-1, s) } // in t, or seen ahead in t-1
	for _, ev := range r.sc.Events {
		start := cal.Index(ev.At)
		note(start, ev.Name)
		if ev.AtDay.Day > 0 {
			noteIn(start+1, ev.Name+" (in full effect)") // dated by day: its first period holds only part of it
		}
		switch {
		case ev.HasEnd:
			note(cal.Index(ev.End)+1, "end of "+ev.Name)
		case ev.Duration > 0:
			note(start+ev.Duration, "end of "+ev.Name)
		}
	}
	for _, p := range r.sc.Spec.Products {
		// A launch shows in its period and the one before (stock built
		// ahead); an end in the period after the last sale only.
		note(cal.Index(p.Launch), p.ID+" launches")
		noteIn(cal.Index(p.End)+1, p.ID+" ends")
	}
	for t, list := range all {
		// Name a few; a table cell cannot hold a quarter's whole timeline.
		if len(list) > 3 {
			list = append(list[:3:3], fmt.Sprintf("%d more", len(list)-3))
		}
		why[t] = strings.Join(list, "; ")
	}
	return why
}

// Format formats a value for tables: shares and small numbers with three
// significant digits, large ones with k, M or bn (rounded first, so that
// 999999 is 1M, not 1e+03k).
func Format(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Sprint(v)
	}
	r, _ := strconv.ParseFloat(fmt.Sprintf("%.3g", v), 64)
	a := math.Abs(r)
	plain := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch {
	case a >= 1e9:
		return plain(r/1e9) + "bn"
	case a >= 1e6:
		return plain(r/1e6) + "M"
	case a >= 1e4:
		return plain(r/1e3) + "k"
	case a >= 1:
		return plain(r) // 8160, not 8.16e+03
	}
	return fmt.Sprintf("%.3g", r)
}

// Summary counts results that passed and failed.
func Summary(rs []Result) (pass, fail int) {
	for _, r := range rs {
		if r.Pass {
			pass++
		} else {
			fail++
		}
	}
	return pass, fail
}

// SortByKind orders results history, comparison, binding, invariant,
// keeping file order within each kind.
func SortByKind(rs []Result) {
	order := map[string]int{"history": 0, "comparison": 1, "binding": 2, "invariant": 3}
	sort.SliceStable(rs, func(i, j int) bool { return order[rs[i].Kind] < order[rs[j].Kind] })
}
