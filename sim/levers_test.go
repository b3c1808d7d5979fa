package sim_test

import (
	"flag"
	"fmt"
	"math"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

var showLevers = flag.Bool("levers", false, "print each lever's measured effect (go test ./sim -run Levers -levers -v)")

// lever is one input a user can pull, changed from 2026 (or, for the
// history-only levers, over the whole run), and the effect it must have on
// an outcome of the baseline: the relative change of the outcome lies in
// [lo, hi]. The bands are the measured effect with room for recalibration
// (about a third either side): a lever that stops moving its outcome, or
// moves it the wrong way, or many times as far, fails.
type lever struct {
	name    string
	change  func(s *sim.Spec, from int)
	outcome outcomeFn
	lo, hi  float64
}

// outcomeFn measures a run.
type outcomeFn struct {
	name string
	eval func(t *testing.T, r *sim.Result) float64
}

// sumYears is a metric's total over calendar years y0..y1.
func sumYears(metric, entity string, y0, y1 int) outcomeFn {
	return outcomeFn{fmt.Sprintf("sum(%s[%s], %d..%d)", metric, entity, y0, y1), func(t *testing.T, r *sim.Result) float64 {
		s := series(t, r, metric, entity)
		cal := r.Model().Calendar()
		var sum float64
		for i, v := range s {
			if y := cal.Year(i); y >= y0 && y <= y1 {
				sum += v
			}
		}
		return sum
	}}
}

// ratioYears is a ratio of two metrics' totals over y0..y1.
func ratioYears(num, den string, y0, y1 int) outcomeFn {
	n, d := sumYears(num, "all", y0, y1), sumYears(den, "all", y0, y1)
	return outcomeFn{fmt.Sprintf("%s / %s, %d..%d", num, den, y0, y1), func(t *testing.T, r *sim.Result) float64 {
		return n.eval(t, r) / d.eval(t, r)
	}}
}

// from applies f to every period from t0.
func from(s sim.Series, t0 int, f func(float64) float64) {
	for t := t0; t < len(s); t++ {
		s[t] = f(s[t])
	}
}

func times(k float64) func(float64) float64 { return func(v float64) float64 { return v * k } }
func to(x float64) func(float64) float64    { return func(float64) float64 { return x } }

func process(t *testing.T, s *sim.Spec, id string) *sim.Process {
	for i := range s.Foundry {
		if s.Foundry[i].ID == id {
			return &s.Foundry[i]
		}
	}
	t.Fatalf("no process %s", id)
	return nil
}

func product(t *testing.T, s *sim.Spec, id string) *sim.Product {
	for i := range s.Products {
		if s.Products[i].ID == id {
			return &s.Products[i]
		}
	}
	t.Fatalf("no product %s", id)
	return nil
}

// TestLeversMoveOutcomes: every lever the README names moves the headline
// numbers where it binds, by a measured amount (chipsim's "what if" is only
// as good as the mechanisms behind it). Print the measured effects with
// go test ./sim -run Levers -levers -v.
func TestLeversMoveOutcomes(t *testing.T) {
	dom := sumYears("ai.h100e_domestic", "all", 2027, 2030)
	dom26 := sumYears("ai.h100e_domestic", "all", 2026, 2028)
	ssr := ratioYears("ai.h100e_domestic", "ai.delivered_h100e", 2026, 2030)
	imp := sumYears("ai.h100e_import", "all", 2026, 2028)
	hist := sumYears("ai.h100e_domestic", "all", 2024, 2026)
	hbm := sumYears("ai.h100e_domestic", "all", 2026, 2027) // while HBM binds
	late := ratioYears("ai.h100e_domestic", "ai.delivered_h100e", 2031, 2035)
	levers := []lever{
		// Supply: the foundry binds 2028-30, HBM 2025Q4-2028Q1.
		{"SMIC N+2 capacity x1.3", func(s *sim.Spec, t0 int) { from(process(t, s, "smic_n2").Capacity, t0, times(1.3)) }, dom, 0.01, 0.08},
		{"SMIC N+3 capacity x2", func(s *sim.Spec, t0 int) { from(process(t, s, "smic_n3").Capacity, t0, times(2)) }, dom, 0.01, 0.08},
		{"SMIC N+2 AI share x1.3", func(s *sim.Spec, t0 int) { from(process(t, s, "smic_n2").AIShare, t0, times(1.3)) }, dom, 0.01, 0.08},
		{"SMIC N+2 learns faster (0.75 -> 0.6)", func(s *sim.Spec, t0 int) { from(process(t, s, "smic_n2").LearningRate, t0, to(0.6)) }, dom, 0.002, 0.06},
		{"SMIC N+2 cycle time x2", func(s *sim.Spec, t0 int) { from(process(t, s, "smic_n2").CycleTime, t0, times(2)) }, dom, -0.06, -0.001},
		// More HBM helps while HBM binds (2026-27); later the dies it would
		// have waited for are used anyway, so 2027-30 moves little.
		{"domestic HBM capacity x1.5", func(s *sim.Spec, t0 int) { from(s.HBM.DomCapacity, t0, times(1.5)) }, hbm, 0.02, 0.3},
		{"domestic HBM capacity x0.5", func(s *sim.Spec, t0 int) { from(s.HBM.DomCapacity, t0, times(0.5)) }, dom, -0.5, -0.1},
		{"domestic HBM yield +0.1", func(s *sim.Spec, t0 int) { from(s.HBM.DomYield, t0, func(v float64) float64 { return v + 0.1 }) }, hbm, 0.005, 0.2},
		{"HBM stock released at a quarter the pace", func(s *sim.Spec, t0 int) { from(s.HBM.Release, 0, times(0.25)) }, hist, -0.6, -0.05},
		{"packaging capacity x0.5", func(s *sim.Spec, t0 int) { from(s.Packaging.Capacity, t0, times(0.5)) }, dom, -0.5, -0.02},
		{"packaging yield 0.9 -> 0.7", func(s *sim.Spec, t0 int) { from(s.Packaging.Yield, t0, to(0.7)) }, dom, -0.4, -0.02},
		{"no TSMC-made die bank", func(s *sim.Spec, t0 int) { from(s.DieBank.Initial, 0, to(0)) }, hist, -0.5, -0.02},
		// Demand and the market.
		{"demand growth x1.2 from 2026", func(s *sim.Spec, t0 int) { from(s.Demand.Growth, t0, times(1.2)) }, dom, 0.02, 0.3},
		// Compute is paid below the $40k reference price: with an
		// elasticity, cheaper compute raises demand, and domestic sales.
		{"demand answers to price (elasticity 0.5)", func(s *sim.Spec, t0 int) { from(s.Demand.Elasticity, t0, to(0.5)) }, dom, 0.02, 0.3},
		{"buyers wait sooner (outside price /2)", func(s *sim.Spec, t0 int) { from(s.Market.OutsidePrice, t0, times(0.5)) }, dom, -0.3, -0.002},
		{"deferred demand kept (backlog loss 0.6 -> 0.1)", func(s *sim.Spec, t0 int) { from(s.Demand.BacklogLoss, t0, to(0.1)) }, dom, 0.002, 0.2},
		// Preference moves buyers only where domestic chips have room
		// (from 2031, when demand binds some of them).
		{"domestic preference +1", func(s *sim.Spec, t0 int) { from(s.Market.DomesticPref, t0, func(v float64) float64 { return v + 1 }) }, late, 0.005, 0.2},
		{"domestic preference +1, 2026-30", func(s *sim.Spec, t0 int) { from(s.Market.DomesticPref, t0, func(v float64) float64 { return v + 1 }) }, ssr, 0.001, 0.2},
		// Import policy: buyers turn to domestic chips, up to the binding limit.
		{"China bans the H200", func(s *sim.Spec, t0 int) {
			s.WholePeriods()
			from(importOf(t, s, "H200").CNStance, t0, to(sim.CNBanned))
		}, dom26, 0.005, 0.2},
		{"US licenses the H200 tier at full cap", func(s *sim.Spec, t0 int) {
			s.WholePeriods()
			from(importOf(t, s, "H200").CapShare, t0, to(1))
			from(importOf(t, s, "H200").Quota, t0, to(math.Inf(1)))
		}, imp, 0.05, 1.5},
		{"US fee on the H200 0.25 -> 0.5", func(s *sim.Spec, t0 int) { from(importOf(t, s, "H200").Fee, t0, to(0.5)) }, imp, -0.4, -0.01},
		{"more buyers entity-listed (+0.2)", func(s *sim.Spec, t0 int) {
			from(s.Market.ListedShare, t0, func(v float64) float64 { return math.Min(1, v+0.2) })
		}, imp, -0.4, -0.02},
		{"tighter smuggling enforcement (0.9)", func(s *sim.Spec, t0 int) { from(s.Grey.Enforcement, t0, to(0.9)) }, sumYears("ai.h100e_grey", "all", 2026, 2028), -1, -0.1},
		// Allocation among domestic designers.
		{"Cambricon's reserved wafers x3", func(s *sim.Spec, t0 int) {
			p := product(t, s, "cambricon")
			from(p.WaferShare, t0, times(3))
			from(p.WaferMax, t0, func(v float64) float64 { return math.Min(1, 3*v) })
		}, sumYears("product.units", "cambricon", 2028, 2030), 0.2, 3},
	}
	_, m, base := run(t, "baseline")
	t0 := m.Calendar().Index(sim.MonthOf(2026, 1))
	for _, lv := range levers {
		t.Run(lv.name, func(t *testing.T) {
			r := variant(t, func(s *sim.Spec) { lv.change(s, t0) })
			b, v := lv.outcome.eval(t, base), lv.outcome.eval(t, r)
			d := v/b - 1
			if *showLevers {
				t.Logf("%-45s %-50s %+.2f%%", lv.name, lv.outcome.name, 100*d)
			}
			if !(d >= lv.lo && d <= lv.hi) {
				t.Errorf("%s moves %s by %+.2f%% (%.4g against %.4g), want %+.1f%% to %+.1f%%", lv.name, lv.outcome.name, 100*d, v, b, 100*lv.lo, 100*lv.hi)
			}
		})
	}
}
