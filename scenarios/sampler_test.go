package scenarios

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

const uncertainSrc = `extends: baseline
name: unc
demand:
  growth: {dist: triangular, min: 0.3, mode: 0.45, max: 0.6}
events:
  - at: {dist: uniform, min: 2026Q1, max: 2027Q4}
    id: squeeze
    duration: {dist: discrete, values: [4, 8], weights: [0.5, 0.5]}
    scale: {foundry.smic_n2.capacity_wpm: {dist: uniform, min: 0.5, max: 0.9}}
  - at: 2026Q1
    id: h200
    set: {imports.H200.us_status: {dist: discrete, values: [licensed, banned], weights: [0.6, 0.4]}}
`

func TestSamplerReplaysTimeline(t *testing.T) {
	s, err := Parse("unc.yaml", []byte(uncertainSrc))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, q := range s.Quantities() {
		names = append(names, q.Name)
	}
	want := []string{"demand.growth", "squeeze.at", "squeeze.duration", "squeeze.foundry.smic_n2.capacity_wpm", "h200.imports.H200.us_status"}
	if len(names) != len(want) {
		t.Fatalf("Quantities() = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("Quantities() = %v, want %v", names, want)
		}
	}
	sp, err := s.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	field := func(sc *sim.Spec, path string) sim.Series {
		for _, f := range sc.Fields() {
			if f.Path == path {
				return *f.Num
			}
		}
		t.Fatalf("no field %s", path)
		return nil
	}
	// Medians reproduce the deterministic scenario bit for bit.
	sp.Set([]float64{0.5, 0.5, 0.5, 0.5, 0.5})
	for _, f := range s.Spec.Fields() {
		if f.Num == nil {
			continue
		}
		got := field(sp.spec, f.Path)
		for tt := range got {
			if got[tt] != (*f.Num)[tt] {
				t.Fatalf("%s[%d] = %v with medians, want %v as loaded", f.Path, tt, got[tt], (*f.Num)[tt])
			}
		}
	}
	// Hand-set values: start 2027Q1 (period 20), 4 periods, scale 0.5; H200 banned.
	cal := s.Spec.Calendar
	sp.SetValues([]float64{0.3, 20, 4, 0.5, sim.USBanned})
	base := s.base["foundry.smic_n2.capacity_wpm"]
	cap := field(sp.spec, "foundry.smic_n2.capacity_wpm")
	for tt := range cap {
		want := base[tt]
		if tt >= 20 && tt < 24 {
			want *= 0.5
		}
		if cap[tt] != want {
			t.Errorf("capacity in %s = %v, want %v", cal.Label(tt), cap[tt], want)
		}
	}
	if g := field(sp.spec, "demand.growth"); g[0] != 0.3 || g[cal.N-1] != 0.3 {
		t.Errorf("demand.growth = %v..%v, want 0.3 throughout", g[0], g[cal.N-1])
	}
	st := field(sp.spec, "imports.H200.us_status")
	if st[cal.Index(sim.MonthOf(2026, 1))] != sim.USBanned || st[0] != sim.USBanned {
		t.Errorf("H200 us_status 2022Q1, 2026Q1 = %v, %v, want banned, banned", st[0], st[cal.Index(sim.MonthOf(2026, 1))])
	}
	// Quantile draws stay inside the distributions and allocate nothing.
	u := []float64{0.01, 0.99, 0.99, 0.01, 0.99}
	if n := testing.AllocsPerRun(20, func() { sp.Set(u) }); n != 0 {
		t.Errorf("Set allocates %v times, want 0", n)
	}
	if v := sp.Values(); math.Abs(v[0]-0.3) > 0.05 || v[1] != 23 || v[2] != 8 {
		t.Errorf("Set(%v) values = %v, want growth near 0.3, start 23 (2027Q4), 8 periods", u, v)
	}
	r := sp.Model().NewResult()
	sp.Model().Run(r)
	if s1, _ := r.Series("ai.ssr_units", "all"); s1[cal.N-1] <= 0 {
		t.Errorf("a sampled run gives ai.ssr_units %v in the last period", s1[cal.N-1])
	}
}

func TestUncertainErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"share out of range", "extends: baseline\npackaging:\n  yield: {dist: uniform, min: 0.5, max: 1.2}\n",
			"t.yaml:3:10: packaging.yield: Uniform(0.5, 1.2) reaches [0.5, 1.2], outside the valid range [0, 1] (share 0..1); truncate it with lo and hi"},
		{"unknown dist", "extends: baseline\npackaging:\n  yield: {dist: gauss, mean: 0.5}\n",
			"t.yaml:3:17: packaging.yield: unknown distribution \"gauss\"; want beta, discrete, lognormal, normal, pert, triangular, uniform"},
		{"missing key", "extends: baseline\npackaging:\n  yield: {dist: triangular, min: 0.5, max: 0.9}\n",
			"t.yaml:3:10: packaging.yield: triangular distribution needs mode (it takes min, mode, max)"},
		{"scale leaves range", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {packaging.yield: {dist: uniform, min: 0.9, max: 1.5}}\n",
			"t.yaml:4:30: event scale packaging.yield: with Uniform(0.9, 1.5), the value in 2026Q1 can reach 1.35, outside [0, 1] (share 0..1)"},
		// Each value is valid at the centre; the chain leaves the range in
		// the top draws.
		{"chain leaves range", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {packaging.yield: {dist: uniform, min: 0.5, max: 0.95}}\n  - at: 2027Q1\n    add: {packaging.yield: 0.1}\n",
			"t.yaml:6:11: event add packaging.yield: over the range of the uncertain inputs, the value in 2027Q1 can reach 1.05, outside [0, 1] (share 0..1)"},
		{"uncertain parameter, then an event", "extends: baseline\npackaging:\n  yield: {dist: uniform, min: 0.5, max: 0.95}\nevents:\n  - at: 2030Q1\n    scale: {packaging.yield: 1.1}\n",
			"t.yaml:6:13: event scale packaging.yield: over the range of the uncertain inputs, the value in 2030Q1 can reach 1.045, outside [0, 1] (share 0..1)"},
		{"uncertain start reaches earlier periods", "extends: baseline\nevents:\n  - at: {dist: uniform, min: 2026Q1, max: 2028Q4}\n    duration: 4\n    set: {packaging.yield: 0.99}\n  - at: 2026Q1\n    end: 2026Q4\n    add: {packaging.yield: 0.05}\n",
			"t.yaml:8:11: event add packaging.yield: over the range of the uncertain inputs, the value in 2026Q1 can reach 1.04, outside [0, 1] (share 0..1)"},
		{"correlation of an unknown input", uncertainSrc + "correlations:\n  - [demand.growt, squeeze.at, 0.5]\n",
			"unc.yaml:14:6: correlations: no uncertain input demand.growt (did you mean demand.growth?)"},
		{"correlation out of range", uncertainSrc + "correlations:\n  - [demand.growth, squeeze.at, 1.5]\n",
			"unc.yaml:14:33: correlations: want a rank correlation strictly between -1 and 1, got the number 1.5"},
		{"correlations not positive definite", uncertainSrc + "correlations:\n  - [demand.growth, squeeze.at, 0.9]\n  - [demand.growth, squeeze.duration, 0.9]\n  - [squeeze.at, squeeze.duration, -0.9]\n",
			"unc.yaml:14:5: correlations: the matrix they make is not a valid correlation matrix (not positive definite)"},
		{"end with uncertain start", "extends: baseline\nevents:\n  - at: {dist: uniform, min: 2026Q1, max: 2026Q4}\n    end: 2027Q4\n    set: {market.listed_share: 0.5}\n",
			"t.yaml:3:5: event: an uncertain start takes a duration, not an end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "t.yaml"
			if strings.HasPrefix(tc.want, "unc.yaml") {
				name = "unc.yaml"
			}
			_, err := Parse(name, []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Parse(%q) error = %v, want %v", tc.src, err, tc.want)
			}
		})
	}
}

func TestExtendsAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	parent := dir + "/parent.yaml"
	if err := os.WriteFile(parent, []byte("extends: baseline\nname: parent\npackaging: {yield: 0.8}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Parse("elsewhere/child.yaml", []byte("extends: "+parent+"\nname: child\n"))
	if err != nil {
		t.Fatalf("extends by absolute path: %v", err)
	}
	if got := s.Spec.Packaging.Yield[0]; got != 0.8 {
		t.Errorf("packaging.yield = %v, want 0.8 from the parent", got)
	}
}

// TestSamplerDrawsStayInRange draws the shipped uncertain scenario at the
// corners of its inputs' ranges and at random: every parameter stays
// valid (the loader checked the chain of events over the inputs' range),
// and the model the sampler feeds runs without NaN.
func TestSamplerDrawsStayInRange(t *testing.T) {
	s, err := Load("baseline-uncertain")
	if err != nil {
		t.Fatal(err)
	}
	sp, err := s.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	n := sp.Dim()
	rng := rand.New(rand.NewPCG(7, 9))
	u := make([]float64, n)
	r := sp.Model().NewResult()
	for draw := 0; draw < 64; draw++ {
		for k := range u {
			switch {
			case draw < 2:
				u[k] = []float64{1e-12, 1 - 1e-12}[draw] // every input at one end
			case draw < 34:
				u[k] = []float64{1e-12, 1 - 1e-12}[rng.IntN(2)] // mixed corners
			default:
				u[k] = rng.Float64()
			}
		}
		sp.Set(u)
		for _, f := range sp.spec.Fields() {
			if f.Num == nil || f.Def.Kind != sim.Number {
				continue
			}
			for i, v := range *f.Num {
				if math.IsNaN(v) || v < f.Def.Min || v > f.Def.Max {
					t.Fatalf("draw %d: %s in %s = %v, outside [%v, %v]", draw, f.Path, sp.spec.Calendar.Label(i), v, f.Def.Min, f.Def.Max)
				}
			}
		}
		sp.Model().Run(r)
		for i, v := range r.Data {
			if math.IsNaN(v) {
				t.Fatalf("draw %d: NaN in slot %d", draw, i)
			}
		}
	}
}

// TestSamplerFixedEvents: events that draw nothing are applied once when
// the sampler is made, and runs replay only the rest. Set to any value,
// the sampler's parameters equal, bit for bit, those of the scenario
// written with that value fixed: fixed events before and after the drawn
// one, on the same series, and a fixed event dated by day (a part-period
// record) all keep their places in the timeline.
func TestSamplerFixedEvents(t *testing.T) {
	const src = `name: bake
extends: baseline
events:
  - at: 2025Q1
    name: before
    source: test
    scale: {foundry.smic_n2.capacity_wpm: 1.2}
  - at: 2026-08-15
    name: dated
    source: test
    export_status: {product: H20, status: banned}
  - at: 2027Q1
    name: drawn
    source: test
    scale: {foundry.smic_n2.capacity_wpm: %s}
  - at: 2027-05-10
    name: dated after
    source: test
    export_status: {product: H200, status: banned}
  - at: 2028Q1
    name: after
    source: test
    scale: {foundry.smic_n2.capacity_wpm: 1.1}
`
	s, err := Parse("bake.yaml", []byte(fmt.Sprintf(src, "{dist: uniform, min: 0.5, max: 0.9}")))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := s.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{0.9, 0.5, 0.7} {
		sp.SetValues([]float64{x})
		want, err := Parse("bake.yaml", []byte(fmt.Sprintf(src, strconv.FormatFloat(x, 'g', -1, 64))))
		if err != nil {
			t.Fatal(err)
		}
		if d := specDiff(sp.spec, want.Spec); d != "" {
			t.Fatalf("x = %v: %s", x, d)
		}
	}
}
