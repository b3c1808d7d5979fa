package sim_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// unboundedFields are the parameters that may be .inf, meaning no limit,
// each with the engine code that gives +Inf its meaning:
//
//   - demand.ceiling_h100e_per_year: Model.demand grows a logistic without
//     a ceiling as the exponential (math.IsInf case);
//   - market.outside_price_usd_per_h100e: allocate gives waiting no weight
//     (math.IsInf guard): no outside option;
//   - die_bank.max_draw_per_year: a min() in produce;
//   - hbm.domestic_capacity_stacks_per_year: hbmSources returns 0 for a
//     yield of 0 before it multiplies; domestic output is min(cap, need);
//   - packaging.capacity_units_per_year: produce skips the pro-rata share
//     of an infinite capacity (math.IsInf guard);
//   - products.*.plan_units_per_year: a min() in produce; its default, and
//     product.limit_plan reports it as +Inf;
//   - imports.*.supply_units_per_year, us_volume_units_per_year,
//     quota_units_per_year: mins in termsUnder, with licensed and the
//     "nobody buys" case guarding Inf × 0.
//
// foundry.*.cumulative_wafers was .inf-able too: +Inf there only stopped
// learning, through LearnedDefectDensity's to > from test failing on
// Inf/Inf. That is not "no limit", learning_rate: 1 says it plainly, and
// no scenario used it: it is now refused.
var unboundedFields = []string{
	"demand.ceiling_h100e_per_year",
	"die_bank.max_draw_per_year",
	"hbm.domestic_capacity_stacks_per_year",
	"imports.quota_units_per_year",
	"imports.supply_units_per_year",
	"imports.us_volume_units_per_year",
	"market.outside_price_usd_per_h100e",
	"packaging.capacity_units_per_year",
	"products.plan_units_per_year",
}

// TestUnboundedFields pins which parameters may be .inf, and that the
// schema is consistent: Max is +Inf exactly for Unbounded fields, at most
// 1e15 for the others, and Min is finite.
func TestUnboundedFields(t *testing.T) {
	var got []string
	for _, b := range sim.Blocks {
		for i := range b.Defs {
			d := &b.Defs[i]
			if d.Kind != sim.Number {
				if d.Unbounded {
					t.Errorf("%s.%s: a %s is Unbounded", b.Name, d.Name, d.Kind)
				}
				continue
			}
			if math.IsInf(d.Min, 0) || math.IsNaN(d.Min) {
				t.Errorf("%s.%s: Min = %v, want finite", b.Name, d.Name, d.Min)
			}
			if d.Unbounded != math.IsInf(d.Max, 1) {
				t.Errorf("%s.%s: Unbounded = %v with Max = %v", b.Name, d.Name, d.Unbounded, d.Max)
			}
			if !d.Unbounded && !(d.Max <= 1e15) {
				t.Errorf("%s.%s: Max = %v, want at most 1e15", b.Name, d.Name, d.Max)
			}
			if d.Unbounded {
				got = append(got, b.Name+"."+d.Name)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, unboundedFields) {
		t.Errorf("Unbounded fields = %q, want %q", got, unboundedFields)
	}
}

// def returns the definition of parameter name in block.
func def(tb testing.TB, block, name string) *sim.FieldDef {
	tb.Helper()
	b, ok := sim.BlockByName(block)
	if !ok {
		tb.Fatalf("no block %q", block)
	}
	for i := range b.Defs {
		if b.Defs[i].Name == name {
			return &b.Defs[i]
		}
	}
	tb.Fatalf("no parameter %s.%s", block, name)
	return nil
}

func TestFieldDefCheck(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		block, name string
		v           float64
		want        string // "" for valid
		infinite    bool   // errors.Is(err, sim.ErrInfinite)
	}{
		{"packaging", "yield", 0.9, "", false},
		{"packaging", "yield", 0, "", false},
		{"packaging", "yield", 1.5, "1.5 is above the maximum 1 (share 0..1)", false},
		{"packaging", "yield", inf, ".inf is not allowed: only limits (caps, capacities, quotas) may be .inf, for no limit; the maximum is 1 (share 0..1)", true},
		{"packaging", "yield", math.NaN(), "NaN is not a number", false},
		{"foundry", "capacity_wpm", -5, "-5 is below the minimum 0 (wafers/month)", false},
		{"foundry", "capacity_wpm", 1e15, "", false},
		{"foundry", "capacity_wpm", inf, ".inf is not allowed: only limits (caps, capacities, quotas) may be .inf, for no limit; the maximum is 1e+15 (wafers/month)", true},
		{"foundry", "capacity_wpm", math.Inf(-1), "-.inf is below the minimum 0 (wafers/month)", false},
		// Accepted before: .inf is no limit on a count of wafers run.
		{"foundry", "cumulative_wafers", inf, ".inf is not allowed: only limits (caps, capacities, quotas) may be .inf, for no limit; the maximum is 1e+15 (wafers)", true},
		{"grey", "cloud_h100e", inf, ".inf is not allowed: only limits (caps, capacities, quotas) may be .inf, for no limit; the maximum is 1e+15 (H100e)", true},
		{"products", "plan_units_per_year", inf, "", false},
		{"products", "plan_units_per_year", math.NaN(), "NaN is not a number", false},
		{"products", "plan_units_per_year", math.Inf(-1), "-.inf is below the minimum 0 (units/year)", false},
		{"imports", "quota_units_per_year", inf, "", false},
		{"market", "outside_price_usd_per_h100e", inf, "", false},
		{"market", "outside_price_usd_per_h100e", 0.5, "0.5 is below the minimum 1 (USD/H100e)", false},
		{"imports", "us_status", 2, "", false},
		{"imports", "us_status", 3, "3 is not a valid choice; want one of allowed, licensed, banned", false},
		{"imports", "us_status", 0.5, "0.5 is not a valid choice; want one of allowed, licensed, banned", false},
		{"imports", "us_status", inf, ".inf is not a valid choice; want one of allowed, licensed, banned", false},
		{"products", "launch", inf, "", false}, // no number to check
	} {
		d := def(t, tc.block, tc.name)
		err := d.Check(tc.v)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s.%s: Check(%v) = %q, want %q", tc.block, tc.name, tc.v, got, tc.want)
		}
		if is := errors.Is(err, sim.ErrInfinite); is != tc.infinite {
			t.Errorf("%s.%s: errors.Is(Check(%v), ErrInfinite) = %v, want %v", tc.block, tc.name, tc.v, is, tc.infinite)
		}
		var ve *sim.ValueError
		if err != nil && (!errors.As(err, &ve) || ve.Def != d || !(ve.Value == tc.v || math.IsNaN(tc.v))) {
			t.Errorf("%s.%s: Check(%v) = %#v, want a *ValueError for it", tc.block, tc.name, tc.v, err)
		}
	}
}

// nonFinite finds by brute force the first output of r that is NaN or
// infinite, other than +Inf in an Unbounded metric: what CheckFinite must
// report. It returns the slot and period, or -1, -1.
func nonFinite(r *sim.Result) (slot, t int) {
	m := r.Model()
	for t := 0; t < m.Calendar().N; t++ {
		for k, sl := range m.Slots() {
			v := r.At(k, t)
			if math.IsNaN(v) || math.IsInf(v, -1) || (math.IsInf(v, 1) && !sl.Metric.Unbounded()) {
				return k, t
			}
		}
	}
	return -1, -1
}

// checkAgrees checks that r.CheckFinite reports exactly the first
// non-finite output nonFinite finds, and returns its error.
func checkAgrees(t *testing.T, what string, r *sim.Result) error {
	t.Helper()
	err := r.CheckFinite()
	k, p := nonFinite(r)
	if k < 0 {
		if err != nil {
			t.Errorf("%s: CheckFinite() = %v, want nil (every output finite)", what, err)
		}
		return err
	}
	m := r.Model()
	sl := m.Slots()[k]
	want := &sim.NonFiniteError{Metric: sl.Metric.Name, Entity: sl.Entity, Period: m.Calendar().Label(p), T: p, Value: r.At(k, p)}
	var ne *sim.NonFiniteError
	if !errors.As(err, &ne) || ne.Metric != want.Metric || ne.Entity != want.Entity || ne.Period != want.Period || ne.T != want.T ||
		!(ne.Value == want.Value || math.IsNaN(ne.Value) && math.IsNaN(want.Value)) {
		t.Errorf("%s: CheckFinite() = %v, want %v", what, err, want)
	}
	return err
}

// TestInfiniteParameters sets each numeric parameter of the baseline, one
// at a time, to +Inf in every period. A parameter that is not Unbounded
// must be refused by FieldDef.Check and by Compile (with ErrInfinite); an
// Unbounded one must compile and run to outputs CheckFinite accepts, and
// finite outside the Unbounded metrics.
func TestInfiniteParameters(t *testing.T) {
	sc, _ := load(t, "baseline")
	inf := math.Inf(1)
	var accepted, refused int
	for _, f := range sc.Spec.Fields() {
		if f.Def.Kind != sim.Number || f.Num == nil {
			continue
		}
		old := slices.Clone(*f.Num)
		fill(*f.Num, inf)
		checkErr := f.Def.Check(inf)
		m, err := sim.Compile(sc.Spec)
		switch {
		case !f.Def.Unbounded:
			refused++
			if !errors.Is(checkErr, sim.ErrInfinite) {
				t.Errorf("%s: Check(+Inf) = %v, want ErrInfinite", f.Path, checkErr)
			}
			if !errors.Is(err, sim.ErrInfinite) || !strings.Contains(err.Error(), f.Path) {
				t.Errorf("%s = +Inf: Compile error %v, want ErrInfinite naming it", f.Path, err)
			}
		case checkErr != nil || err != nil:
			t.Errorf("%s = +Inf: Check %v, Compile %v; want both nil (no limit)", f.Path, checkErr, err)
		default:
			accepted++
			r := m.NewResult()
			m.Run(r)
			if err := checkAgrees(t, f.Path+" = +Inf", r); err != nil {
				t.Errorf("%s = +Inf (no limit): the run fails: %v", f.Path, err)
			}
		}
		copy(*f.Num, old)
	}
	t.Logf("+Inf accepted by %d parameters of the baseline, refused by %d", accepted, refused)
	if accepted < 40 || refused < 100 {
		t.Errorf("+Inf accepted by %d parameters, refused by %d: the test tests little", accepted, refused)
	}
}

// TestCheckFinite pokes non-finite values into a baseline run: CheckFinite
// names the metric, entity and period of the first, and lets +Inf be in
// the Unbounded limits only.
func TestCheckFinite(t *testing.T) {
	_, m, r := run(t, "baseline")
	if err := r.CheckFinite(); err != nil {
		t.Fatalf("baseline: CheckFinite() = %v, want nil", err)
	}
	if k, _ := m.SlotIndex("product.limit_plan", "kunlunxin"); !math.IsInf(r.At(k, 0), 1) {
		t.Fatalf("product.limit_plan[kunlunxin] in %s = %v, want +Inf (no plan): the test tests little", m.Calendar().Label(0), r.At(k, 0))
	}
	cal := m.Calendar()
	type poke struct {
		metric, entity, period string
		v                      float64
	}
	for _, tc := range []struct {
		name  string
		pokes []poke
		want  string // "" for nil
	}{
		{"NaN ratio", []poke{{"ai.ssr_units", "all", "2027Q3", math.NaN()}}, "ai.ssr_units[all] in 2027Q3 is NaN"},
		{"infinite units", []poke{{"product.units", "ascend_910c", "2030Q1", math.Inf(1)}}, "product.units[ascend_910c] in 2030Q1 is +Inf"},
		{"negative infinity", []poke{{"hbm.stock", "all", "2022Q1", math.Inf(-1)}}, "hbm.stock[all] in 2022Q1 is -Inf"},
		{"no plan", []poke{{"product.limit_plan", "ascend_910c", "2030Q1", math.Inf(1)}}, ""},
		{"no packaging limit", []poke{{"product.limit_packaging", "ascend_910c", "2030Q1", math.Inf(1)}}, ""},
		{"NaN limit", []poke{{"product.limit_hbm", "ascend_910c", "2030Q1", math.NaN()}}, "product.limit_hbm[ascend_910c] in 2030Q1 is NaN"},
		{"-Inf limit", []poke{{"product.limit_plan", "kunlunxin", "2030Q1", math.Inf(-1)}}, "product.limit_plan[kunlunxin] in 2030Q1 is -Inf"},
		{"first by period", []poke{
			{"ai.ssr_units", "all", "2031Q1", math.NaN()},
			{"sector.domestic_usd_bn", "ai_accelerators", "2028Q2", math.Inf(1)},
		}, "sector.domestic_usd_bn[ai_accelerators] in 2028Q2 is +Inf"},
		{"first by slot", []poke{
			{"money.us_fee_musd", "all", "2028Q2", math.NaN()},
			{"ai.coverage", "all", "2028Q2", math.NaN()},
		}, "ai.coverage[all] in 2028Q2 is NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := slices.Clone(r.Data)
			defer copy(r.Data, saved)
			for _, p := range tc.pokes {
				k, ok := m.SlotIndex(p.metric, p.entity)
				if !ok {
					t.Fatalf("no slot %s[%s]", p.metric, p.entity)
				}
				tt := -1
				for i := 0; i < cal.N; i++ {
					if cal.Label(i) == p.period {
						tt = i
					}
				}
				if tt < 0 {
					t.Fatalf("no period %s", p.period)
				}
				r.Data[dataIndex(t, r, k, tt)] = p.v
			}
			err := checkAgrees(t, tc.name, r)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckFinite() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCheckFiniteAllocs: CheckFinite allocates nothing on a good run.
func TestCheckFiniteAllocs(t *testing.T) {
	_, _, r := run(t, "baseline")
	if n := testing.AllocsPerRun(10, func() { _ = r.CheckFinite() }); n != 0 {
		t.Errorf("CheckFinite allocates %v times per call, want 0", n)
	}
}

// TestCheckFiniteValidInputs: valid but extreme finite inputs can still
// drive a value out of float64's range; CheckFinite must then fail the
// run. A packaging yield of 1e-300 divides dies by it (die_bank_dies +Inf,
// then output NaN): chipsim run wrote that to CSV and exited 0.
func TestCheckFiniteValidInputs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(s *sim.Spec)
	}{
		{"packaging yield 1e-300", func(s *sim.Spec) { fill(s.Packaging.Yield, 1e-300) }},
		{"packaging yield 0", func(s *sim.Spec) { fill(s.Packaging.Yield, 0) }},
		{"every limit unbounded", func(s *sim.Spec) {
			for _, f := range s.Fields() {
				if f.Def.Unbounded {
					fill(*f.Num, math.Inf(1))
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, _ := load(t, "baseline")
			tc.change(sc.Spec)
			m, err := sim.Compile(sc.Spec)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			r := m.NewResult()
			m.Run(r)
			if err := checkAgrees(t, tc.name, r); err != nil {
				t.Logf("%s: the run fails: %v", tc.name, err)
			}
		})
	}
}

// TestCompileRefusesInfiniteChoice: a choice's code of +Inf once passed
// Compile (int(+Inf) is undefined; on amd64 it is negative).
func TestCompileRefusesInfiniteChoice(t *testing.T) {
	sc, _ := load(t, "baseline")
	sc.Spec.Imports[0].USStatus[3] = math.Inf(1)
	_, err := sim.Compile(sc.Spec)
	if err == nil || !strings.Contains(err.Error(), "us_status") || !strings.Contains(err.Error(), "not a valid choice") {
		t.Errorf("Compile with us_status +Inf: %v, want not a valid choice", err)
	}
}

// TestCheckFiniteEverySlot: a NaN in any slot, and +Inf in any slot of a
// metric that is not Unbounded, fails the run and is named.
func TestCheckFiniteEverySlot(t *testing.T) {
	_, m, r := run(t, "baseline")
	n := m.Calendar().N
	for k, sl := range m.Slots() {
		tt := (k * 7) % n
		i := dataIndex(t, r, k, tt)
		old := r.Data[i]
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			r.Data[i] = v
			err := r.CheckFinite()
			want := ""
			if !(math.IsInf(v, 1) && sl.Metric.Unbounded()) {
				want = fmt.Sprintf("%s[%s] in %s is %v", sl.Metric.Name, sl.Entity, m.Calendar().Label(tt), v)
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != want {
				t.Errorf("CheckFinite() with %v in slot %d = %q, want %q", v, k, got, want)
			}
		}
		r.Data[i] = old
	}
}
