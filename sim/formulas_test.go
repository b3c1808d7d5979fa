package sim_test

import (
	"math"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// closeTo reports whether got is within rel (relative) of want.
func closeTo(got, want, rel float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(got), math.Abs(want))
}

func TestGrossDies(t *testing.T) {
	// DPW = floor(π d²/(4A) − π d/√(2A)), d = diameter − 2·edge.
	tests := []struct {
		name                 string
		area, diameter, edge float64
		want                 float64
	}{
		// d = 297: π·297²/(4·666) = 277111.1/2664 = 104.023;
		// π·297/√1332 = 933.053/36.497 = 25.565; 104.023 − 25.565 = 78.46 -> 78
		// (Morgan Stanley: 78 Ascend 910B-class dies per wafer).
		{"ascend 666mm2", 666, 300, 1.5, 78},
		// d = 300: π·90000/400 = 706.858; π·300/√200 = 942.478/14.142 = 66.643;
		// 706.858 − 66.643 = 640.22 -> 640.
		{"100mm2 no edge", 100, 300, 0, 640},
		// d = 294: π·86436/400 = 678.867; π·294/√200 = 923.628/14.142 = 65.310;
		// 678.867 − 65.310 = 613.56 -> 613 (edge exclusion costs 27 dies).
		{"100mm2 3mm edge", 100, 300, 3, 613},
		// d = 297: π·88209/2400 = 115.465; π·297/√1200 = 933.053/34.641 = 26.935;
		// 115.465 − 26.935 = 88.53 -> 88.
		{"600mm2", 600, 300, 1.5, 88},
		// d = 200: π·40000/200 = 628.319; π·200/√100 = 62.832;
		// 628.319 − 62.832 = 565.49 -> 565.
		{"50mm2 on 200mm", 50, 200, 0, 565},
		// d = 80: π·6400/3600 = 5.585; π·80/√1800 = 251.327/42.426 = 5.924;
		// 5.585 − 5.924 < 0 -> 0: the die is too big for the usable disc.
		{"die too big", 900, 100, 10, 0},
		// d = 100: π·10000/8000 = 3.927; π·100/√4000 = 314.159/63.246 = 4.967 -> 0.
		{"die too big 2", 2000, 100, 0, 0},
		{"zero area", 0, 300, 1.5, 0},
		{"negative area", -100, 300, 1.5, 0},
		// d = 300 − 2·150 = 0: no usable wafer.
		{"edge eats wafer", 100, 300, 150, 0},
		{"edge beyond wafer", 100, 300, 200, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sim.GrossDies(tc.area, tc.diameter, tc.edge)
			if got != tc.want {
				t.Errorf("GrossDies(%v, %v, %v) = %v, want %v", tc.area, tc.diameter, tc.edge, got, tc.want)
			}
		})
	}
}

func TestGrossDiesMonotone(t *testing.T) {
	// Bigger dies never give more dies per wafer; a wider edge exclusion
	// never gives more either.
	prev := math.Inf(1)
	for a := 10.0; a <= 900; a += 10 {
		got := sim.GrossDies(a, 300, 1.5)
		if got > prev {
			t.Errorf("GrossDies(%v, 300, 1.5) = %v, more than %v for a smaller die", a, got, prev)
		}
		prev = got
	}
	prev = math.Inf(1)
	for e := 0.0; e <= 20; e++ {
		got := sim.GrossDies(666, 300, e)
		if got > prev {
			t.Errorf("GrossDies(666, 300, %v) = %v, more than %v with a narrower edge", e, got, prev)
		}
		prev = got
	}
}

func TestPoissonYield(t *testing.T) {
	// Y = exp(−A·D0) with A in cm² (A/100 for mm²).
	tests := []struct {
		area, d0, want float64
	}{
		{100, 0.1, 0.9048374180359595},     // 1 cm² · 0.1 = 0.1; exp(−0.1) = 0.904837
		{100, 1, 0.36787944117144233},      // 1 cm² · 1 = 1; exp(−1) = 0.367879
		{666, 1.16, 0.0004413819312819508}, // 6.66 · 1.16 = 7.7256; exp(−7.7256) = 4.4138e-4
		{200, 0.25, 0.6065306597126334},    // 2 · 0.25 = 0.5; exp(−0.5) = 0.606531
		{500, 0, 1},                        // no defects: every die good
	}
	for _, tc := range tests {
		got := sim.PoissonYield(tc.area, tc.d0)
		if !closeTo(got, tc.want, 1e-12) {
			t.Errorf("PoissonYield(%v, %v) = %v, want %v", tc.area, tc.d0, got, tc.want)
		}
	}
}

func TestMurphyYield(t *testing.T) {
	// Y = ((1 − exp(−x))/x)², x = A/100·D0.
	tests := []struct {
		area, d0, want float64
	}{
		// x = 0.1: (1 − 0.904837)/0.1 = 0.951626; squared 0.905592.
		{100, 0.1, 0.9055917006062723},
		// x = 1: (1 − 0.367879)/1 = 0.632121; squared 0.399576.
		{100, 1, 0.39957640089372803},
		// x = 7.7256: (1 − 0.000441)/7.7256 = 0.129383; squared 0.016740.
		{666, 1.16, 0.01673987069809023},
		// x = 0.5: (1 − 0.606531)/0.5 = 0.786939; squared 0.619272.
		{200, 0.25, 0.6192724869847019},
		// x = 0: the limit is 1.
		{500, 0, 1},
	}
	for _, tc := range tests {
		got := sim.MurphyYield(tc.area, tc.d0)
		if !closeTo(got, tc.want, 1e-12) {
			t.Errorf("MurphyYield(%v, %v) = %v, want %v", tc.area, tc.d0, got, tc.want)
		}
	}
}

func TestMurphyAtLeastPoisson(t *testing.T) {
	// ((1 − e^−x)/x)² >= e^−x for every x > 0 (Murphy's model clusters
	// defects and is the more forgiving one), with equality only as x -> 0.
	for _, area := range []float64{10, 50, 100, 300, 666, 900} {
		for _, d0 := range []float64{0.01, 0.05, 0.1, 0.3, 0.5, 1, 2, 5} {
			p, m := sim.PoissonYield(area, d0), sim.MurphyYield(area, d0)
			if m < p {
				t.Errorf("MurphyYield(%v, %v) = %v < PoissonYield = %v", area, d0, m, p)
			}
			if m <= 0 || m > 1 || p <= 0 || p > 1 {
				t.Errorf("yields at (%v, %v) out of (0, 1]: Murphy %v, Poisson %v", area, d0, m, p)
			}
		}
	}
}

func TestYieldDispatch(t *testing.T) {
	if got, want := sim.Yield(sim.Poisson, 666, 0.5), sim.PoissonYield(666, 0.5); got != want {
		t.Errorf("Yield(Poisson, 666, 0.5) = %v, want %v", got, want)
	}
	if got, want := sim.Yield(sim.Murphy, 666, 0.5), sim.MurphyYield(666, 0.5); got != want {
		t.Errorf("Yield(Murphy, 666, 0.5) = %v, want %v", got, want)
	}
}

func TestLearnedDefectDensity(t *testing.T) {
	// D = D0 · (to/from)^log2(rate), never below floor.
	tests := []struct {
		name                      string
		d0, rate, floor, from, to float64
		want                      float64
	}{
		// one doubling: 1.0 · 2^log2(0.7) = 0.7
		{"one doubling", 1.0, 0.7, 0.1, 1000, 2000, 0.7},
		// two doublings: 1.0 · 0.7² = 0.49
		{"two doublings", 1.0, 0.7, 0.1, 1000, 4000, 0.49},
		// three doublings of 1.16 at 0.8: 1.16 · 0.512 = 0.59392
		{"three doublings", 1.16, 0.8, 0.05, 5000, 40000, 0.59392},
		// half a doubling: 2 · 0.5^0.5 = 1.414214 (√2 more wafers)
		{"half doubling", 2.0, 0.5, 0.1, 1000, 1000 * math.Sqrt2, math.Sqrt2},
		// 0.49 would fall below the floor 0.6: the floor holds
		{"floor", 1.0, 0.7, 0.6, 1000, 4000, 0.6},
		// rate 1: no learning
		{"no learning", 0.8, 1, 0.1, 1000, 1e6, 0.8},
		// no new wafers, or fewer: unchanged
		{"from equals to", 1.0, 0.7, 0.1, 2000, 2000, 1.0},
		{"from above to", 1.0, 0.7, 0.1, 3000, 2000, 1.0},
		// no base for the curve: unchanged
		{"from zero", 1.0, 0.7, 0.1, 0, 2000, 1.0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sim.LearnedDefectDensity(tc.d0, tc.rate, tc.floor, tc.from, tc.to)
			if !closeTo(got, tc.want, 1e-12) {
				t.Errorf("LearnedDefectDensity(%v, %v, %v, %v, %v) = %v, want %v",
					tc.d0, tc.rate, tc.floor, tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestLearnedDefectDensityPathIndependent(t *testing.T) {
	// Learning in two steps (1000 -> 2000 -> 8000) equals learning in one
	// (1000 -> 8000) while above the floor: 0.7³ = 0.343.
	two := sim.LearnedDefectDensity(sim.LearnedDefectDensity(1, 0.7, 0.01, 1000, 2000), 0.7, 0.01, 2000, 8000)
	one := sim.LearnedDefectDensity(1, 0.7, 0.01, 1000, 8000)
	if !closeTo(two, one, 1e-12) || !closeTo(one, 0.343, 1e-12) {
		t.Errorf("two steps give %v, one step %v, want both 0.343", two, one)
	}
}
