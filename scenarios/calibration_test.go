package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// Product groups of the IDC 2025 breakdown.
var (
	nvidiaProducts = []string{"A800", "H800", "H20", "RTX_AI", "H200", "B200"}
	amdProducts    = []string{"MI308"}
)

// ascendProducts lists the baseline's Huawei Ascend products.
func ascendProducts(t *testing.T, x *run) []string {
	t.Helper()
	var out []string
	for _, p := range x.s.Spec.Products {
		if strings.HasPrefix(p.ID, "ascend_") {
			out = append(out, p.ID)
		}
	}
	if len(out) < 2 {
		t.Fatalf("baseline has %d ascend_* products (%v), want the 910B, 910C and successors", len(out), out)
	}
	return out
}

// TestCalibration checks that the baseline reproduces the calibration facts
// of MODEL.md, each within the stated tolerance. Deliveries are annual sums
// of product.units (all channels: legal, affiliates, smuggled).
func TestCalibration(t *testing.T) {
	x := runShipped(t, "baseline")
	huawei := ascendProducts(t, x)
	units := func(year int, ids ...string) func() float64 {
		return func() float64 { return x.sumAt(t, "product.units", ids, year) }
	}
	metric := func(name string, year int) func() float64 {
		return func() float64 { return x.at(t, name, "all", year) }
	}
	tests := []struct {
		fact   string
		got    func() float64
		want   float64
		relTol float64 // relative tolerance, or
		absTol float64 // absolute tolerance when relTol is 0
	}{
		// IDC via Reuters, Apr 2026: accelerator cards delivered in China, 2025.
		{"NVIDIA cards 2025", units(2025, nvidiaProducts...), 2.2e6, 0.12, 0},        // IDC ~2.2M; ±12% as the H20/RTX split is uncertain
		{"AMD cards 2025", units(2025, amdProducts...), 160e3, 0.15, 0},              // IDC ~160k; ±15%, a small number
		{"domestic cards 2025", metric("ai.units_domestic", 2025), 1.65e6, 0.10, 0},  // IDC ~1.65M; ±10%
		{"Huawei cards 2025", units(2025, huawei...), 812e3, 0.10, 0},                // IDC ~812k; ±10%
		{"Alibaba T-Head cards 2025", units(2025, "thead_ppu"), 265e3, 0.10, 0},      // IDC ~265k; ±10%
		{"Baidu Kunlunxin cards 2025", units(2025, "kunlunxin"), 116e3, 0.10, 0},     // IDC ~116k; ±10%
		{"Cambricon cards 2025", units(2025, "cambricon"), 116e3, 0.10, 0},           // IDC ~116k; ±10%
		{"other domestic cards 2025", units(2025, "other_domestic"), 340e3, 0.10, 0}, // IDC ~340k; ±10%
		{"all cards 2025", metric("ai.units_delivered", 2025), 4.0e6, 0.10, 0},       // IDC ~4.0M; ±10%
		{"ai.ssr_units 2025", metric("ai.ssr_units", 2025), 0.41, 0, 0.04},           // IDC: 1.65M / 4.0M = 41%; ±4 points
		{"Huawei Ascend 2024", units(2024, huawei...), 200e3, 0.15, 0},               // FT: ~200k (910B) in 2024; ±15%
		{"Ascend 910C 2026", units(2026, "ascend_910c"), 600e3, 0.25, 0},             // Bloomberg/FT/seed 004: ~600k 910C planned for 2026; ±25%, a plan
		{"ic.ssr_value 2023", metric("ic.ssr_value", 2023), 0.20, 0, 0.02},           // local companies' revenue / China's IC market 20% (2023); ±2 points
		{"ic.ssr_value 2024", metric("ic.ssr_value", 2024), 0.24, 0, 0.02},           // same definition, 24% (2024); ±2 points
	}
	for _, tt := range tests {
		got := tt.got()
		tol := tt.absTol
		if tt.relTol > 0 {
			tol = tt.relTol * tt.want
		}
		if math.IsNaN(got) || math.Abs(got-tt.want) > tol {
			t.Errorf("%s = %.4g, want %.4g ± %.3g", tt.fact, got, tt.want, tol)
		}
	}
}

// TestCalibrationNVIDIAGroup guards the NVIDIA group above: every product
// it names exists, is foreign and is sold by NVIDIA, so that a renamed
// product cannot silently drop out of the sum.
func TestCalibrationNVIDIAGroup(t *testing.T) {
	x := runShipped(t, "baseline")
	for _, group := range []struct {
		vendor string
		ids    []string
	}{{"NVIDIA", nvidiaProducts}, {"AMD", amdProducts}} {
		for _, id := range group.ids {
			p := product(x.s.Spec, id)
			if p == nil {
				t.Errorf("baseline has no product %s", id)
				continue
			}
			if p.Vendor != group.vendor || p.Origin != "foreign" {
				t.Errorf("product %s: vendor %q origin %q, want %q foreign", id, p.Vendor, p.Origin, group.vendor)
			}
		}
	}
}

func product(s *sim.Spec, id string) *sim.Product {
	for i := range s.Products {
		if s.Products[i].ID == id {
			return &s.Products[i]
		}
	}
	return nil
}

func importOf(s *sim.Spec, id string) *sim.Import {
	for i := range s.Imports {
		if s.Imports[i].ID == id {
			return &s.Imports[i]
		}
	}
	return nil
}

// TestCalibrationH200 checks H200 legal imports in 2026 against China's
// approvals and the US licence cap.
func TestCalibrationH200(t *testing.T) {
	x := runShipped(t, "baseline")
	got := x.at(t, "product.imports_legal", "H200", 2026)
	// Reuters 2026-01-28: China approved >400k for three buyers; first
	// shipment 40k-80k in 2026-02 (seed 004), so 2026 imports are positive
	// and within the approvals.
	if got <= 0 || got > 400e3 {
		t.Errorf("H200 legal imports 2026 = %.4g, want in (0, 400k]", got)
	}
	// US rule of 2025-12 / 2026-01 (seed 004): China's volume at most 50%
	// of US-customer volume, the imports.H200.us_volume_units_per_year
	// parameter summed over 2026.
	im := importOf(x.s.Spec, "H200")
	if im == nil {
		t.Fatal("baseline has no imports.H200")
	}
	cal := x.s.Spec.Calendar
	var usVolume float64
	for p := 0; p < cal.N; p++ {
		if cal.Year(p) == 2026 {
			usVolume += im.USVolume[p] / cal.Step.PerYear()
		}
	}
	if got > 0.5*usVolume {
		t.Errorf("H200 legal imports 2026 = %.4g, want <= 50%% of US volume %.4g", got, usVolume)
	}
}

// TestCalibrationYield checks the yield of the 666 mm² Ascend die on SMIC
// N+2 at the end of 2024 and 2025 (foundry.yield is the year's last period).
func TestCalibrationYield(t *testing.T) {
	x := runShipped(t, "baseline")
	tests := []struct {
		year   int
		lo, hi float64
		source string
	}{
		{2024, 0.15, 0.30, "910C ~20% late 2024 (Reuters; FT)"},
		{2025, 0.28, 0.50, "~40% early 2025, SMIC 7 nm below 50% (Reuters; FT; Bloomberg)"},
	}
	for _, tt := range tests {
		got := x.at(t, "foundry.yield", "smic_n2", tt.year)
		if got < tt.lo || got > tt.hi {
			t.Errorf("foundry.yield smic_n2 end-%d = %.3f, want in [%.2f, %.2f]: %s", tt.year, got, tt.lo, tt.hi, tt.source)
		}
		// foundry.yield is for the largest die on the process: it must be
		// the 666 mm² Ascend die (Morgan Stanley), as a Poisson yield of
		// the same period's defect density.
		d0 := x.at(t, "foundry.defect_density", "smic_n2", tt.year)
		if want := sim.PoissonYield(666, d0); math.Abs(got-want) > 1e-9 {
			t.Errorf("foundry.yield smic_n2 end-%d = %.6f, want the 666 mm² die's %.6f (D0 %.4f)", tt.year, got, want, d0)
		}
	}
}
