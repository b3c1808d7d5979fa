package main

import (
	"path/filepath"
	"testing"
)

// TestSobolBaselineUncertainEveryInputMatters runs Sobol on the shipped
// baseline-uncertain (issue "Model v2"): SMIC capacity, yield learning and
// floor, the HBM ramp and demand growth each get a total index above zero
// for the 2030 compute ratio; the H200 licence's timing, which binds in
// 2026, gets one there. A mechanism that never moves the outcome would
// show an index of exactly 0.
func TestSobolBaselineUncertainEveryInputMatters(t *testing.T) {
	dir := t.TempDir()
	chipsimOK(t, "sensitivity", "baseline-uncertain", "--method", "sobol", "--outcome", "ai.ssr_compute@2030", "--outcome", "ai.ssr_compute@2026",
		"-n", "256", "--bootstrap", "100", "-o", dir, "-q")
	tb := readTable(t, filepath.Join(dir, "baseline-uncertain-sobol.csv"))
	st := map[[2]string]float64{}
	for r, row := range tb.rows {
		if row[tb.head["index"]] == "ST" {
			st[[2]string{row[tb.head["outcome"]], row[tb.head["input"]]}] = tb.num(t, r, "value")
		}
	}
	for _, tc := range []struct{ outcome, input string }{
		{"ai.ssr_compute@2030", "smic.foundry.smic_n2.capacity_wpm"},
		{"ai.ssr_compute@2030", "smic_n3.foundry.smic_n3.capacity_wpm"},
		{"ai.ssr_compute@2030", "learning.foundry.smic_n2.learning_rate"},
		{"ai.ssr_compute@2030", "yield_floor.foundry.smic_n2.defect_density_floor"},
		{"ai.ssr_compute@2030", "hbm.hbm.domestic_capacity_stacks_per_year"},
		{"ai.ssr_compute@2030", "demand.demand.growth"},
		{"ai.ssr_compute@2030", "packaging.packaging.capacity_units_per_year"},
		{"ai.ssr_compute@2026", "h200_timing.at"},
		{"ai.ssr_compute@2026", "h200.tiers.prior_gen.cap_share"},
	} {
		v, ok := st[[2]string{tc.outcome, tc.input}]
		switch {
		case !ok:
			t.Errorf("%s: no total index for %s", tc.outcome, tc.input)
		case !(v > 0):
			t.Errorf("%s: total index of %s = %v, want above 0", tc.outcome, tc.input, v)
		}
	}
	// HBM dominates 2030 in the baseline (it binds longest); the licence
	// dominates 2026.
	if a, b := st[[2]string{"ai.ssr_compute@2030", "hbm.hbm.domestic_capacity_stacks_per_year"}], st[[2]string{"ai.ssr_compute@2030", "smic.foundry.smic_n2.capacity_wpm"}]; !(a > b) {
		t.Errorf("2030: HBM's total index %v is not above SMIC N+2 capacity's %v", a, b)
	}
	if a := st[[2]string{"ai.ssr_compute@2026", "smic_n3.foundry.smic_n3.capacity_wpm"}]; a > 0.01 {
		t.Errorf("2026: N+3 capacity's total index %v; N+3 makes nothing before 2027", a)
	}
}
