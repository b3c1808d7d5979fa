package sim_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// sameBits reports the first index where a and b differ bit for bit, or -1.
func sameBits(a, b []float64) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestRunDeterministic(t *testing.T) {
	_, m := load(t, "baseline")
	r := m.NewResult()
	m.Run(r)
	first := slices.Clone(r.Data)
	m.Run(r)
	if i := sameBits(first, r.Data); i >= 0 {
		t.Fatalf("second Run into the same Result differs at %s: %v, then %v", locate(r, i), first[i], r.Data[i])
	}
	r2 := m.NewResult()
	m.Run(r2)
	if i := sameBits(first, r2.Data); i >= 0 {
		t.Fatalf("Run into a new Result differs at %s: %v, then %v", locate(r2, i), first[i], r2.Data[i])
	}
	// A freshly loaded and compiled copy gives the same numbers.
	_, _, r3 := run(t, "baseline")
	if i := sameBits(first, r3.Data); i >= 0 {
		t.Fatalf("a second load of baseline differs at %s: %v, then %v", locate(r3, i), first[i], r3.Data[i])
	}
}

// Run must not depend on what a Result held before: garbage in Data and in
// the scratch state of an earlier, different run leave no trace.
func TestRunResetsResult(t *testing.T) {
	sc, m := load(t, "baseline")
	r := m.NewResult()
	m.Run(r)
	want := slices.Clone(r.Data)

	for i := range r.Data {
		r.Data[i] = 12345
	}
	m.Run(r)
	if i := sameBits(want, r.Data); i >= 0 {
		t.Fatalf("Run after filling Data with 12345 differs at %s: %v, want %v", locate(r, i), r.Data[i], want[i])
	}

	// Run a different parameter set into r, restore the Spec, run again.
	p := &sc.Spec.Foundry[0]
	saved := slices.Clone(p.Capacity)
	for i := range p.Capacity {
		p.Capacity[i] *= 3
	}
	m.Run(r)
	if sameBits(want, r.Data) < 0 {
		t.Fatal("tripling foundry capacity changed no output: the Model does not read the Spec at run time")
	}
	copy(p.Capacity, saved)
	m.Run(r)
	if i := sameBits(want, r.Data); i >= 0 {
		t.Fatalf("Run after a different run differs at %s: %v, want %v", locate(r, i), r.Data[i], want[i])
	}
}

func TestRunAllocs(t *testing.T) {
	for _, name := range scenarios.ShippedNames() {
		_, m := load(t, name)
		r := m.NewResult()
		if got := testing.AllocsPerRun(10, func() { m.Run(r) }); got != 0 {
			t.Errorf("%s: Run allocates %v times per run, want 0", name, got)
		}
	}
}

func TestSeriesAndSlots(t *testing.T) {
	_, m, r := run(t, "baseline")
	n := m.Calendar().N
	if n != 56 {
		t.Errorf("baseline has %d periods, want 56 (2022Q1–2035Q4)", n)
	}
	for k, sl := range m.Slots() {
		s, ok := r.Series(sl.Metric.Name, sl.Entity)
		if !ok {
			t.Errorf("Series(%q, %q) not found for slot %d", sl.Metric.Name, sl.Entity, k)
			continue
		}
		if i, _ := m.SlotIndex(sl.Metric.Name, sl.Entity); i != k {
			t.Errorf("SlotIndex(%q, %q) = %d, want %d", sl.Metric.Name, sl.Entity, i, k)
		}
		if len(s) != n {
			t.Errorf("Series(%q, %q) has %d values, want %d", sl.Metric.Name, sl.Entity, len(s), n)
			continue
		}
		for tt := range s {
			if math.Float64bits(s[tt]) != math.Float64bits(r.At(k, tt)) {
				t.Errorf("Series(%q, %q)[%d] = %v, At(%d, %d) = %v", sl.Metric.Name, sl.Entity, tt, s[tt], k, tt, r.At(k, tt))
				break
			}
		}
	}
	if _, ok := r.Series("ai.ssr_units", "H200"); ok {
		t.Error(`Series("ai.ssr_units", "H200") found a series`)
	}
	if _, ok := r.Series("product.output", "H200"); ok {
		t.Error(`Series("product.output", "H200"): a foreign product has no domestic output`)
	}
	if _, ok := r.Series("no.such", "all"); ok {
		t.Error(`Series("no.such", "all") found a series`)
	}
}

func TestCompileRejects(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *sim.Spec)
		want   []string // substrings of the error
	}{
		{"series too short", func(s *sim.Spec) {
			s.Demand.Growth = s.Demand.Growth[:len(s.Demand.Growth)-1]
		}, []string{"demand.growth has 55 values, want 56"}},
		{"series too long", func(s *sim.Spec) {
			s.Foundry[0].Capacity = append(s.Foundry[0].Capacity, 1)
		}, []string{"foundry.smic_n2.capacity_wpm has 57 values"}},
		{"foreign product without imports entry", func(s *sim.Spec) {
			s.Imports = slices.DeleteFunc(s.Imports, func(im sim.Import) bool { return im.ID == "H200" })
		}, []string{"foreign product H200 has no imports entry"}},
		{"imports entry for a domestic product", func(s *sim.Spec) {
			im := s.Imports[0]
			im.ID = "ascend_910c"
			s.Imports = append(s.Imports, im)
		}, []string{"imports entry ascend_910c names no foreign product"}},
		{"share above 1", func(s *sim.Spec) { s.Packaging.Yield[10] = 1.5 }, []string{"packaging.yield", "1.5 is outside [0, 1]"}},
		{"NaN", func(s *sim.Spec) { s.Market.FeeElasticity[3] = math.NaN() }, []string{"market.fee_elasticity", "NaN"}},
		{"bad choice", func(s *sim.Spec) { s.Imports[0].USStatus[0] = 3 }, []string{"us_status", "not a valid choice"}},
		{"fractional choice", func(s *sim.Spec) { s.HBM.Import[5] = 0.5 }, []string{"hbm.imports", "not a valid choice"}},
		{"unknown process", func(s *sim.Spec) {
			for i := range s.Products {
				if s.Products[i].Origin == "domestic" {
					s.Products[i].Process = "tsmc_n7"
					return
				}
			}
		}, []string{`unknown foundry process "tsmc_n7"`}},
		{"unknown ecosystem", func(s *sim.Spec) { s.Products[0].Ecosystem = "rocm" }, []string{`unknown ecosystem "rocm"`}},
		{"bad origin", func(s *sim.Spec) { s.Products[0].Origin = "allied" }, []string{`origin "allied"`}},
		{"ends before launch", func(s *sim.Spec) { s.Products[0].End = s.Products[0].Launch - 3 }, []string{"ends before it launches"}},
		{"no periods", func(s *sim.Spec) { s.Calendar.N = 0 }, []string{"no periods"}},
		// Reserved shares count from the build-ahead before launch: the
		// 970 (launch 2028Q4) is made on N+3 from 2028Q1, beside the 960
		// on sale since 2027Q4; counting products on sale only, the
		// overlap would start in 2028Q4.
		{"reserved wafers during build-ahead", func(s *sim.Spec) {
			for i := range s.Products {
				switch s.Products[i].ID {
				case "ascend_960", "ascend_970":
					for t := range s.Products[i].WaferShare {
						s.Products[i].WaferShare[t], s.Products[i].WaferMax[t] = 0.6, 1
					}
				}
			}
		}, []string{"foundry smic_n3 in 2028Q1", "being made", "reserve 1.2"}},
		{"share above its cap", func(s *sim.Spec) {
			for i := range s.Products {
				if s.Products[i].ID == "cambricon" {
					s.Products[i].WaferShare[20] = 0.5
				}
			}
		}, []string{"products.cambricon in 2027Q1: wafer_share 0.5 is above wafer_share_max"}},
		{"every problem reported", func(s *sim.Spec) {
			s.Packaging.Yield[10] = 2
			s.Products[0].Ecosystem = "rocm"
		}, []string{"packaging.yield", `unknown ecosystem "rocm"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenarios.Load("baseline")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sim.Compile(sc.Spec); err != nil {
				t.Fatalf("baseline does not compile before the change: %v", err)
			}
			tc.break_(sc.Spec)
			m, err := sim.Compile(sc.Spec)
			if err == nil {
				t.Fatalf("Compile accepted a broken Spec (%s)", tc.name)
			}
			if m != nil {
				t.Errorf("Compile returned a Model with error %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Compile error %q does not mention %q", err, w)
				}
			}
		})
	}
}
