package uq

import (
	"math"
	"strings"
	"testing"
)

// near reports whether got is within tol of want, absolutely or relative
// to |want| (whichever is looser); infinities must match exactly.
func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func mustDist(t *testing.T, d Dist, err error) Dist {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDistQuantileAndMean(t *testing.T) {
	z975 := 1.959963984540054
	must := func(d Dist, err error) Dist { return mustDist(t, d, err) }
	tn := must(Normal(0, 1))
	type qc struct{ p, want float64 }
	tests := []struct {
		d     Dist
		qs    []qc
		mean  float64
		lo    float64
		hi    float64
		descr string
	}{
		{must(Uniform(2, 6)), []qc{{0, 2}, {0.25, 3}, {0.5, 4}, {1, 6}}, 4, 2, 6, "Uniform(2, 6)"},
		// F(x) = x²/2 on [0, 1], 1 − (2−x)²/2 on [1, 2].
		{must(Triangular(0, 1, 2)), []qc{{0.125, 0.5}, {0.5, 1}, {0.875, 1.5}, {0, 0}, {1, 2}}, 1, 0, 2, "Triangular(0, 1, 2)"},
		// Mode at the lower end: F(x) = 1 − (1−x/4)², Q(p) = 4(1 − √(1−p)).
		{must(Triangular(0, 0, 4)), []qc{{0.75, 2}, {0.19, 4 * (1 - 0.9)}}, 4.0 / 3, 0, 4, "Triangular(0, 0, 4)"},
		// PERT(0, 0, 1) = Beta(1, 5): F(x) = 1 − (1−x)^5.
		{must(PERT(0, 0, 1)), []qc{{0.5, 1 - math.Pow(0.5, 0.2)}, {0.9, 1 - math.Pow(0.1, 0.2)}}, 1.0 / 6, 0, 1, "PERT(0, 0, 1)"},
		// Symmetric PERT: Beta(3, 3) on [0, 10], median 5.
		{must(PERT(0, 5, 10)), []qc{{0.5, 5}}, 5, 0, 10, "PERT(0, 5, 10)"},
		// PERT(10, 20, 60): mean (10 + 80 + 60)/6 = 25; Beta(1.8, 4.2) scaled.
		{must(PERT(10, 20, 60)), []qc{{0, 10}, {1, 60}}, 25, 10, 60, "PERT(10, 20, 60)"},
		// Beta(2, 2): F(x) = 3x² − 2x³, F(0.25) = 0.15625.
		{must(Beta(2, 2)), []qc{{0.15625, 0.25}, {0.5, 0.5}}, 0.5, 0, 1, "Beta(2, 2)"},
		{must(ScaledBeta(2, 2, 10, 14)), []qc{{0.15625, 11}}, 12, 10, 14, "Beta(2, 2, 10, 14)"},
		{must(Normal(10, 2)), []qc{{0.975, 10 + 2*z975}, {0.025, 10 - 2*z975}, {0.5, 10}, {0, math.Inf(-1)}, {1, math.Inf(1)}}, 10, math.Inf(-1), math.Inf(1), "Normal(10, 2)"},
		{must(LogNormal(0, 1)), []qc{{0.5, 1}, {0.975, math.Exp(z975)}, {0, 0}}, math.Exp(0.5), 0, math.Inf(1), "LogNormal(0, 1)"},
		{must(LogNormalFromMedianP90(100, 200)), []qc{{0.5, 100}, {0.9, 200}}, 100 * math.Exp(math.Pow(math.Log(2)/z90, 2)/2), 0, math.Inf(1), "LogNormal("},
		{must(LogNormalFromMeanSD(10, 3)), []qc{{0.5, 10 / math.Sqrt(1.09)}}, 10, 0, math.Inf(1), "LogNormal("},
		// Half-normal: mean √(2/π), median Φ⁻¹(0.75).
		{must(Truncate(tn, 0, math.Inf(1))), []qc{{0.5, 0.6744897501960817}, {0, 0}, {1, math.Inf(1)}}, math.Sqrt(2 / math.Pi), 0, math.Inf(1), "Truncated(Normal(0, 1), 0, +Inf)"},
		// Upper-tail truncation, evaluated through the survival function:
		// mean φ(5)/(1−Φ(5)) and median 5 + small.
		{must(Truncate(tn, 5, math.Inf(1))), []qc{{0, 5}, {0.5, tnMedianAbove5()}}, stdPDF(5) / stdSF(5), 5, math.Inf(1), "Truncated("},
		// Far upper tail: 1 − Φ(10) ≈ 7.6e-24 is lost entirely in 1 − p arithmetic.
		{must(Truncate(tn, 10, math.Inf(1))), []qc{{0.5, -inverseStdCDF(stdSF(10) / 2)}}, stdPDF(10) / stdSF(10), 10, math.Inf(1), "Truncated("},
		{must(Truncate(tn, -1, 1)), []qc{{0.5, 0}, {0, -1}, {1, 1}}, 0, -1, 1, "Truncated("},
		// Triangular(0,1,2) on [1.2, 2] (falling piece only): mean 1.2 + 0.8/3;
		// on [0.5, 1.5] (both pieces): mean 1 by symmetry.
		{must(Truncate(must(Triangular(0, 1, 2)), 1.2, 5)), []qc{{1, 2}}, 1.2 + 0.8/3, 1.2, 2, "Truncated(Triangular"},
		{must(Truncate(must(Triangular(0, 1, 2)), 0.5, 1.5)), []qc{{0.5, 1}}, 1, 0.5, 1.5, "Truncated(Triangular"},
		{must(Truncate(must(Uniform(0, 10)), 2, 4)), []qc{{0.5, 3}, {0.25, 2.5}}, 3, 2, 4, "Truncated(Uniform(0, 10), 2, 4)"},
		// Triangular(0,1,2) on [0,1]: CDF x², mean 2/3.
		{must(Truncate(must(Triangular(0, 1, 2)), -5, 1)), []qc{{0.25, 0.5}}, 2.0 / 3, 0, 1, "Truncated(Triangular"},
		// Beta(1, 1) = Uniform(0, 1), truncated to [0.2, 0.6].
		{must(Truncate(must(Beta(1, 1)), 0.2, 0.6)), []qc{{0.5, 0.4}}, 0.4, 0.2, 0.6, "Truncated(Beta(1, 1)"},
		// LogNormal(0,1) truncated to [1, e²] (log in [0, 2]): median
		// exp(Φ⁻¹(0.5+0.5·(Φ(2)−0.5))), mean e^{1/2}·(Φ(1)−Φ(−1))/(Φ(2)−½).
		{must(Truncate(must(LogNormal(0, 1)), 1, math.Exp(2))), []qc{{0.5, math.Exp(inverseStdCDF(0.5 + 0.5*(stdCDF(2)-0.5)))}}, math.Exp(0.5) * (stdCDF(1) - stdCDF(-1)) / (stdCDF(2) - 0.5), 1, math.Exp(2), "Truncated(LogNormal"},
		// Truncating twice intersects the intervals.
		{must(Truncate(must(Truncate(tn, -1, 3)), -2, 1)), []qc{{0.5, 0}}, 0, -1, 1, "Truncated(Normal(0, 1), -1, 1)"},
		{must(Discrete([]float64{3, 1, 2, 2}, []float64{2, 1, 0.5, 0.5})), []qc{{0, 1}, {0.2, 1}, {0.25, 1}, {0.26, 2}, {0.5, 2}, {0.51, 3}, {1, 3}}, 2.25, 1, 3, "Discrete(1:0.25, 2:0.25, 3:0.5)"},
		{must(Discrete([]float64{7, 9}, []float64{0, 1})), []qc{{0, 9}, {1, 9}}, 9, 9, 9, "Discrete(9:1)"},
	}
	for _, tc := range tests {
		name := tc.d.String()
		if !strings.HasPrefix(name, tc.descr) {
			t.Errorf("String() = %q, want prefix %q", name, tc.descr)
		}
		for _, q := range tc.qs {
			if got := tc.d.Quantile(q.p); !near(got, q.want, 1e-9) {
				t.Errorf("%s.Quantile(%g) = %.15g, want %.15g", name, q.p, got, q.want)
			}
		}
		if got := tc.d.Mean(); !near(got, tc.mean, 1e-9) {
			t.Errorf("%s.Mean() = %.15g, want %.15g", name, got, tc.mean)
		}
		lo, hi := tc.d.Support()
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("%s.Support() = (%g, %g), want (%g, %g)", name, lo, hi, tc.lo, tc.hi)
		}
		for _, p := range []float64{-0.1, 1.1, math.NaN()} {
			if got := tc.d.Quantile(p); !math.IsNaN(got) {
				t.Errorf("%s.Quantile(%g) = %g, want NaN", name, p, got)
			}
		}
		// Quantiles are monotone and inside the support, and their average
		// over a fine midpoint grid is the mean (∫Q(p)dp = E[X]).
		prev := math.Inf(-1)
		const m = 20000
		var avg float64
		for k := range m {
			p := (float64(k) + 0.5) / m
			x := tc.d.Quantile(p)
			if x < prev || x < lo || x > hi {
				t.Fatalf("%s.Quantile(%g) = %g: not monotone (prev %g) or outside [%g, %g]", name, p, x, prev, lo, hi)
			}
			prev = x
			avg += x / m
		}
		if !near(avg, tc.mean, 2e-3) {
			t.Errorf("%s: mean of quantiles = %.6g, want ≈ Mean() = %.6g", name, avg, tc.mean)
		}
	}
}

// tnMedianAbove5 is the median of N(0,1) truncated to [5, ∞): the point
// whose upper-tail probability is half that of 5.
func tnMedianAbove5() float64 { return -inverseStdCDF(stdSF(5) / 2) }

// inverseStdCDF inverts stdCDF by bisection (independent of mathext).
func inverseStdCDF(p float64) float64 {
	lo, hi := -40.0, 40.0
	for range 200 {
		mid := (lo + hi) / 2
		if stdCDF(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func TestLogNormalFromMeanSD(t *testing.T) {
	d, err := LogNormalFromMeanSD(10, 3)
	if err != nil {
		t.Fatal(err)
	}
	ln := d.(*logNormal)
	// Variance of a log-normal: (e^{σ²} − 1)·e^{2μ+σ²}.
	sd := math.Sqrt(math.Expm1(ln.sigma*ln.sigma) * math.Exp(2*ln.mu+ln.sigma*ln.sigma))
	if !near(sd, 3, 1e-12) {
		t.Errorf("LogNormalFromMeanSD(10, 3) sd = %.15g, want 3", sd)
	}
}

func TestTruncationRespected(t *testing.T) {
	n, _ := Normal(100, 30)
	ln, _ := LogNormal(3, 2)
	pe, _ := PERT(0, 1, 10)
	for _, tc := range []struct {
		d      Dist
		lo, hi float64
	}{{n, 90, 95}, {n, 200, 210}, {n, -10, 0}, {ln, 5, 6}, {ln, 1e4, 1e5}, {pe, 9, 9.5}, {pe, 0, 0.01}} {
		td, err := Truncate(tc.d, tc.lo, tc.hi)
		if err != nil {
			t.Fatalf("Truncate(%v, %g, %g): %v", tc.d, tc.lo, tc.hi, err)
		}
		prev := tc.lo
		for k := 0; k <= 1000; k++ {
			x := td.Quantile(float64(k) / 1000)
			if x < tc.lo || x > tc.hi || x < prev {
				t.Fatalf("%v.Quantile(%g) = %g, want non-decreasing in [%g, %g]", td, float64(k)/1000, x, tc.lo, tc.hi)
			}
			prev = x
		}
		if m := td.Mean(); m < tc.lo || m > tc.hi {
			t.Errorf("%v.Mean() = %g, want in [%g, %g]", td, m, tc.lo, tc.hi)
		}
		// Exactness: the truncated quantile at p maps back to
		// F(lo) + p·(F(hi) − F(lo)) under the base CDF.
		c := tc.d.(continuous)
		p := 0.3
		x := td.Quantile(p)
		want := p
		got := (c.cdf(x) - c.cdf(tc.lo)) / (c.cdf(tc.hi) - c.cdf(tc.lo))
		if c.cdf(tc.lo) > 0.5 {
			got = (c.sf(tc.lo) - c.sf(x)) / (c.sf(tc.lo) - c.sf(tc.hi))
		}
		if !near(got, want, 1e-7) {
			t.Errorf("%v: F_T(Quantile(%g)) = %.10g, want %g", td, p, got, want)
		}
	}
}

func TestDistInvalidParameters(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	n, _ := Normal(0, 1)
	disc, _ := Discrete([]float64{1}, []float64{1})
	tests := []struct {
		name string
		f    func() (Dist, error)
	}{
		{"Uniform(1, 1)", func() (Dist, error) { return Uniform(1, 1) }},
		{"Uniform(2, 1)", func() (Dist, error) { return Uniform(2, 1) }},
		{"Uniform(0, Inf)", func() (Dist, error) { return Uniform(0, inf) }},
		{"Uniform(NaN, 1)", func() (Dist, error) { return Uniform(nan, 1) }},
		{"Triangular(0, 3, 2)", func() (Dist, error) { return Triangular(0, 3, 2) }},
		{"Triangular(0, -1, 2)", func() (Dist, error) { return Triangular(0, -1, 2) }},
		{"Triangular(1, 1, 1)", func() (Dist, error) { return Triangular(1, 1, 1) }},
		{"PERT(0, 5, 4)", func() (Dist, error) { return PERT(0, 5, 4) }},
		{"PERT(0, NaN, 4)", func() (Dist, error) { return PERT(0, nan, 4) }},
		{"Normal(0, 0)", func() (Dist, error) { return Normal(0, 0) }},
		{"Normal(0, -1)", func() (Dist, error) { return Normal(0, -1) }},
		{"Normal(Inf, 1)", func() (Dist, error) { return Normal(inf, 1) }},
		{"LogNormal(0, 0)", func() (Dist, error) { return LogNormal(0, 0) }},
		{"LogNormalFromMedianP90(10, 5)", func() (Dist, error) { return LogNormalFromMedianP90(10, 5) }},
		{"LogNormalFromMedianP90(0, 5)", func() (Dist, error) { return LogNormalFromMedianP90(0, 5) }},
		{"LogNormalFromMeanSD(-1, 1)", func() (Dist, error) { return LogNormalFromMeanSD(-1, 1) }},
		{"LogNormalFromMeanSD(1, 0)", func() (Dist, error) { return LogNormalFromMeanSD(1, 0) }},
		{"Beta(0, 1)", func() (Dist, error) { return Beta(0, 1) }},
		{"Beta(1, Inf)", func() (Dist, error) { return Beta(1, inf) }},
		{"ScaledBeta(1, 1, 3, 3)", func() (Dist, error) { return ScaledBeta(1, 1, 3, 3) }},
		{"Discrete(nil, nil)", func() (Dist, error) { return Discrete(nil, nil) }},
		{"Discrete(len mismatch)", func() (Dist, error) { return Discrete([]float64{1, 2}, []float64{1}) }},
		{"Discrete(negative weight)", func() (Dist, error) { return Discrete([]float64{1, 2}, []float64{1, -1}) }},
		{"Discrete(zero weights)", func() (Dist, error) { return Discrete([]float64{1, 2}, []float64{0, 0}) }},
		{"Discrete(NaN value)", func() (Dist, error) { return Discrete([]float64{nan}, []float64{1}) }},
		{"Discrete(Inf weight)", func() (Dist, error) { return Discrete([]float64{1}, []float64{inf}) }},
		{"Truncate(lo > hi)", func() (Dist, error) { return Truncate(n, 1, 0) }},
		{"Truncate(NaN)", func() (Dist, error) { return Truncate(n, nan, 0) }},
		{"Truncate(zero mass)", func() (Dist, error) { return Truncate(n, 50, 60) }},
		{"Truncate(outside support)", func() (Dist, error) {
			u, _ := Uniform(0, 1)
			return Truncate(u, 2, 3)
		}},
		{"Truncate(Discrete)", func() (Dist, error) { return Truncate(disc, 0, 2) }},
	}
	for _, tc := range tests {
		if d, err := tc.f(); err == nil {
			t.Errorf("%s = %v, nil; want an error", tc.name, d)
		}
	}
}

func BenchmarkQuantile(b *testing.B) {
	n, _ := Normal(0, 1)
	tn, _ := Truncate(n, 0.5, 3)
	pe, _ := PERT(0, 2, 10)
	ln, _ := LogNormal(0, 1)
	for _, d := range []Dist{n, tn, pe, ln} {
		b.Run(strings.SplitN(d.String(), "(", 2)[0], func(b *testing.B) {
			b.ReportAllocs()
			var s float64
			p := 0.0
			for b.Loop() {
				p += 0.618033988749895
				if p >= 1 {
					p--
				}
				s += d.Quantile(p)
			}
			_ = s
		})
	}
}
