package sim_test

import (
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// Regression tests for two engine bugs found while writing this suite.

// A constraint reported as binding must be used up: a product cannot be
// packaging-bound while packaging lines stand idle, nor HBM-bound while
// stacks that may be drawn this period are left (the stock beyond the
// period's release is rationed for later, by design). (produce once shared
// them by planned need and left die-limited products' shares idle.)
func TestBindingConstraintIsUsedUp(t *testing.T) {
	for _, name := range scenarios.ShippedNames() {
		t.Run(name, func(t *testing.T) {
			spec, m, r := run(t, name)
			cal := m.Calendar()
			spy := cal.Step.PerYear()
			avail, used := series(t, r, "hbm.available", "all"), series(t, r, "hbm.used", "all")
			packFails, hbmFails := 0, 0
			for tt := 0; tt < cal.N; tt++ {
				var packUsed float64
				var hbmBound, packBound []string
				for _, e := range entities(t, m, "product.output") {
					if !advancedPackaging(spec, e) {
						continue
					}
					packUsed += series(t, r, "product.output", e)[tt] / spec.Packaging.Yield[tt]
					switch series(t, r, "product.binding", e)[tt] {
					case sim.BindHBM:
						hbmBound = append(hbmBound, e)
					case sim.BindPackaging:
						packBound = append(packBound, e)
					}
				}
				if packCap := spec.Packaging.Capacity[tt] / spy; len(packBound) > 0 && packUsed < packCap*(1-1e-6) {
					if packFails++; packFails <= 3 {
						t.Errorf("%s: %v bind on packaging, but only %.0f of %.0f packages were assembled",
							cal.Label(tt), packBound, packUsed, packCap)
					}
				}
				if len(hbmBound) > 0 && used[tt] < avail[tt]*(1-1e-6) {
					if hbmFails++; hbmFails <= 3 {
						t.Errorf("%s: %v bind on HBM, but only %.0f of the %.0f stacks that may be drawn were used", cal.Label(tt), hbmBound, used[tt], avail[tt])
					}
				}
			}
			if packFails+hbmFails > 3 {
				t.Errorf("%d periods with idle packaging, %d with idle HBM, in all", packFails, hbmFails)
			}
		})
	}
}

func advancedPackaging(spec *sim.Spec, id string) bool {
	for i := range spec.Products {
		if spec.Products[i].ID == id {
			return spec.Products[i].AdvPackage
		}
	}
	return false
}

// fee_share is documented as the "US revenue-share fee on licensed sales"
// (schema.go) and money.us_fee_musd as "fees on licensed sales"
// (metrics.go); run.go once charged it, and cut purchases by it, whatever
// the export status. A fee left over on an allowed product must do nothing.
func TestFeeOnlyOnLicensedSales(t *testing.T) {
	_, _, base := run(t, "baseline")
	r := variant(t, func(s *sim.Spec) { fill(importOf(t, s, "H20").Fee, 0.5) })
	cal := base.Model().Calendar()
	tt := cal.Index(sim.MonthOf(2024, 7)) // 2024Q3: H20 allowed, nothing licensed
	sc, _ := load(t, "baseline")
	if st := importOf(t, sc.Spec, "H20").USStatus[tt]; st != sim.USAllowed {
		t.Fatalf("baseline H20 us_status in %s = %v, want allowed", cal.Label(tt), st)
	}
	if fee := series(t, r, "money.us_fee_musd", "all")[tt]; fee != 0 {
		t.Errorf("%s: H20 allowed with fee_share 0.5: money.us_fee_musd = %v, want 0 (no licensed sales)", cal.Label(tt), fee)
	}
	got, want := series(t, r, "product.imports_legal", "H20")[tt], series(t, base, "product.imports_legal", "H20")[tt]
	if !eq(got, want, 1e-9) {
		t.Errorf("%s: H20 allowed with fee_share 0.5: product.imports_legal = %v, want %v as without the fee", cal.Label(tt), got, want)
	}
}

// TestPullForwardBeforeDeFactoBan: the April 2025 rule made the H20
// "licensed" with no volume, a ban in all but name. Buyers who see it
// coming try to buy ahead in 2025Q1 (NVIDIA's $4.6B H20 quarter): the
// extra purchases show in demand that quarter (issue 7 found that only
// "banned" triggered them). In the baseline the H20 was already selling
// all NVIDIA could ship, so they add to unmet demand, not to H20 units.
func TestPullForwardBeforeDeFactoBan(t *testing.T) {
	_, m, base := run(t, "baseline")
	q := m.Calendar().Index(sim.MonthOf(2025, 1))
	none := variant(t, func(s *sim.Spec) {
		fill(importOf(t, s, "H20").PullForward, 0)
		fill(importOf(t, s, "MI308").PullForward, 0)
	})
	with, without := series(t, base, "ai.demand_h100e", "all")[q], series(t, none, "ai.demand_h100e", "all")[q]
	if !(with > without*1.02) {
		t.Errorf("compute wanted in 2025Q1: %v with pull-forward, %v without; want more with it", with, without)
	}
	// With more H20 to sell, the pulled-forward buyers take it.
	more := func(s *sim.Spec) { fill(importOf(t, s, "H20").Supply, 1e7) }
	a, b := variant(t, more), variant(t, func(s *sim.Spec) {
		more(s)
		fill(importOf(t, s, "H20").PullForward, 0)
	})
	if x, y := series(t, a, "product.units", "H20")[q], series(t, b, "product.units", "H20")[q]; !(x > y*1.1) {
		t.Errorf("H20 units in 2025Q1 with ample supply: %v with pull-forward, %v without; want at least 10%% more with it", x, y)
	}
	// Nothing is pulled forward a year earlier, when no ban was in sight.
	q0 := m.Calendar().Index(sim.MonthOf(2024, 1))
	if x, y := series(t, base, "ai.demand_h100e", "all")[q0], series(t, none, "ai.demand_h100e", "all")[q0]; x != y {
		t.Errorf("compute wanted in 2024Q1: %v with pull-forward, %v without; want equal", x, y)
	}
}
