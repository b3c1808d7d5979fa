package sim_test

import (
	"math"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// TestInfiniteLimitsRun sets, one at a time, every number the schema lets
// be .inf (a limit that is not there: no plan, no quota, no packaging
// ceiling) to +Inf in every period of the baseline: the run must give no
// NaN anywhere. Quantities for which .inf means nothing have a finite
// maximum, which Compile enforces.
func TestInfiniteLimitsRun(t *testing.T) {
	sc, _ := load(t, "baseline")
	tried := 0
	for k := range sc.Spec.Fields() {
		sc, _ := load(t, "baseline")
		f := sc.Spec.Fields()[k]
		if f.Def.Kind != sim.Number || f.Num == nil {
			continue
		}
		for i := range *f.Num {
			(*f.Num)[i] = math.Inf(1)
		}
		m, err := sim.Compile(sc.Spec)
		if !math.IsInf(f.Def.Max, 1) {
			if err == nil {
				t.Errorf("%s = +Inf compiled; its maximum is %v", f.Path, f.Def.Max)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s = +Inf: %v", f.Path, err)
			continue
		}
		tried++
		r := m.NewResult()
		m.Run(r)
		ns := len(r.Data) / m.Calendar().N
		for i, v := range r.Data {
			if math.IsNaN(v) {
				t.Errorf("%s = +Inf: NaN in slot %d of %s", f.Path, i%ns, m.Calendar().Label(i/ns))
				break
			}
		}
	}
	if tried < 10 {
		t.Errorf("only %d fields may be +Inf: the test tests little", tried)
	}
}

// TestInfiniteLimitCombinations: limits the schema lets be .inf, combined
// with zeros elsewhere (a review found each gave NaN): no NaN anywhere,
// and the zero wins.
func TestInfiniteLimitCombinations(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name   string
		change func(s *sim.Spec)
		check  func(t *testing.T, r *sim.Result)
	}{
		{"logistic demand without a ceiling", func(s *sim.Spec) {
			fill(s.Demand.Model, sim.Logistic)
			fill(s.Demand.Ceiling, inf)
		}, nil},
		{"unbounded packaging that passes nothing", func(s *sim.Spec) {
			fill(s.Packaging.Capacity, inf)
			fill(s.Packaging.Yield, 0)
		}, func(t *testing.T, r *sim.Result) {
			if v := series(t, r, "ai.units_domestic", "all"); v[len(v)-1] != 0 {
				t.Errorf("domestic units %v with packaging yield 0", v[len(v)-1])
			}
		}},
		{"unbounded domestic HBM that passes nothing", func(s *sim.Spec) {
			fill(s.HBM.DomCapacity, inf)
			fill(s.HBM.DomYield, 0)
		}, func(t *testing.T, r *sim.Result) {
			for _, v := range series(t, r, "hbm.domestic_stacks", "all") {
				if v != 0 {
					t.Fatalf("domestic stacks %v with HBM yield 0", v)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := variant(t, tc.change)
			ns := len(r.Data) / r.Model().Calendar().N
			for i, v := range r.Data {
				if math.IsNaN(v) {
					t.Fatalf("NaN in slot %d of %s", i%ns, r.Model().Calendar().Label(i/ns))
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// TestUnboundedSupplyNobodyBuys: an import with unbounded supply that
// buyers shun entirely (discouraged, with no compliance) for part of a
// period still sells in the rest of it (Inf × 0 once made the whole
// period NaN and then nothing).
func TestUnboundedSupplyNobodyBuys(t *testing.T) {
	src := `extends: baseline
imports:
  RTX_AI:
    supply_units_per_year: .inf # test
market:
  discouraged_compliance: 0 # test
events:
  - at: 2026-02-15
    source: test
    import_stance: {product: RTX_AI, stance: discouraged}
`
	sc, err := scenarios.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := sc.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	q := m.Calendar().Index(sim.MonthOf(2026, 1))
	u := series(t, r, "product.units", "RTX_AI")
	if !(u[q] > 0) || math.IsNaN(u[q]) || u[q+1] != 0 {
		t.Errorf("RTX_AI units 2026Q1 %v (want some: sold until 02-15), 2026Q2 %v (want 0)", u[q], u[q+1])
	}
}
