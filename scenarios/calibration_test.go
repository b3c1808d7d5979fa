package scenarios

import (
	"math"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// The baseline's history facts (IDC's cards by year and vendor, H20 sales,
// SMIC yields and AI wafers, the HBM stockpile, ic.ssr_value), each with its
// source and tolerance, are chipsim check's shipped checks
// (scenarios/check/checks.yaml); package check's tests run them. The tests
// here check what a table of facts cannot: that the licence and quota rules
// hold in the numbers, and that the reported yield is the right die's.

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
	// Reuters 2026-01-28: China approved >400k for three buyers (nicoxz,
	// "NVIDIA H200 exports to China", early 2026), so 2026 imports are
	// positive and within the approvals.
	if got <= 0 || got > 400e3 {
		t.Errorf("H200 legal imports 2026 = %.4g, want in (0, 400k]", got)
	}
	// US rule of 2025-12 / 2026-01: China's volume at most 50%
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
		{2024, 0.13, 0.27, "910C ~20% late 2024 (Reuters, 2024-11)"},
		{2025, 0.25, 0.45, "~40% early 2025 (FT, 2025-02-25), ~30% by end-2025 (Morgan Stanley, 2025-09)"},
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
