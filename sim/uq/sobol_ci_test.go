package uq

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var sobolTable = flag.Bool("sobol-table", false, "print the calibration table of Sobol' intervals (slow: minutes)")

// sobolCase is a test function with analytic indices.
type sobolCase struct {
	name   string
	d      int
	f      func([]float64) float64
	s1, st []float64
}

func sobolCases() []sobolCase {
	g := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	is1, ist := ishigamiIndices()
	gs1, gst := gIndices(g)
	return []sobolCase{
		{"Ishigami", 3, ishigami, is1, ist},
		{"G", len(g), func(x []float64) float64 { return gFunc(x, g) }, gs1, gst},
	}
}

// calibration is how a kind of interval fared over independent designs:
// per index (S1 then ST), the root mean square error of the estimate, the
// mean width of the interval and the share of intervals that held the
// analytic value.
type calibration struct {
	seeds              int
	rmse, width, cover []float64
}

// intervalKind makes one design from seed and estimates its indices.
type intervalKind func(c sobolCase, n int, seed uint64) *SobolResult

// replicated is the design of reps independent scrambles with Student-t
// intervals at 95%.
func replicated(reps int) intervalKind {
	return func(c sobolCase, n int, seed uint64) *SobolResult {
		s, err := NewSaltelliReplicates(n, c.d, reps, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			panic(err)
		}
		fA, fB, fAB, _ := s.Split(evalSaltelli(s, c.f))
		res, err := EstimateSobolReplicates(fA, fB, fAB, reps, 0.95)
		if err != nil {
			panic(err)
		}
		return res
	}
}

// bootstrapped is the design of one scramble with 95% percentile bootstrap
// intervals from 200 resamples (what chipsim used before replicates).
func bootstrapped(c sobolCase, n int, seed uint64) *SobolResult {
	s, _ := NewSaltelli(n, c.d, rand.New(rand.NewPCG(seed, 0)))
	fA, fB, fAB, _ := s.Split(evalSaltelli(s, c.f))
	res, err := EstimateSobol(fA, fB, fAB, &Bootstrap{Resamples: 200, Level: 0.95, Rand: rand.New(rand.NewPCG(seed, 1))})
	if err != nil {
		panic(err)
	}
	return res
}

// evalSaltelli is evalDesign for a Saltelli design, faster: each row's
// A and B points are computed once and AB_i built from them (the layout
// TestSaltelliReplicates checks against Point).
func evalSaltelli(s *Saltelli, f func([]float64) float64) []float64 {
	n, d := s.N(), s.Dim()
	y := make([]float64, s.Runs())
	a, b, x := make([]float64, d), make([]float64, d), make([]float64, d)
	for j := range n {
		s.Point(j, a)
		s.Point(n+j, b)
		y[j], y[n+j] = f(a), f(b)
		for i := range d {
			copy(x, a)
			x[i] = b[i]
			y[(2+i)*n+j] = f(x)
		}
	}
	return y
}

func calibrate(c sobolCase, n, seeds int, kind intervalKind) calibration {
	k := 2 * c.d
	cal := calibration{seeds: seeds, rmse: make([]float64, k), width: make([]float64, k), cover: make([]float64, k)}
	truth := slices.Concat(c.s1, c.st)
	for s := range seeds {
		r := kind(c, n, uint64(1000+s))
		est, lo, hi := slices.Concat(r.S1, r.ST), slices.Concat(r.S1Lo, r.STLo), slices.Concat(r.S1Hi, r.STHi)
		for i := range k {
			e := est[i] - truth[i]
			cal.rmse[i] += e * e
			cal.width[i] += hi[i] - lo[i]
			if lo[i] <= truth[i] && truth[i] <= hi[i] {
				cal.cover[i]++
			}
		}
	}
	for i := range k {
		cal.rmse[i] = math.Sqrt(cal.rmse[i] / float64(seeds))
		cal.width[i] /= float64(seeds)
		cal.cover[i] /= float64(seeds)
	}
	return cal
}

// z95 is the 97.5% quantile of the standard normal: an interval that knew
// the true error would be 2·z95·RMSE wide.
const z95 = 1.959963984540054

// ratio returns, per index, the mean width over the width 2·z95·RMSE of an
// interval that knew the true error.
func (c calibration) ratio() []float64 {
	out := make([]float64, len(c.rmse))
	for i := range out {
		out[i] = c.width[i] / (2 * z95 * c.rmse[i])
	}
	return out
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func geoMean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += math.Log(v)
	}
	return math.Exp(s / float64(len(x)))
}

// TestSobolReplicatesCoverage checks the replicate intervals against the
// analytic indices of Ishigami (a = 7, b = 0.1) and the G function
// (a = 0, 1, 4.5, 9, 99, 99, 99, 99) over 200 independent designs of 8
// replicates each, at N = 64 to 4096.
//
// Coverage pooled over the 2d indices must be within [0.91, 0.985] of a
// nominal 0.95 (its binomial standard error over 200 designs is under
// 0.01), and every index must be covered at ≥ 0.85 (≈ 4.5 standard
// errors below 0.95). Widths must fit the true error: the mean width over
// 2·1.96·RMSE, whose expectation is t₇·c₄(8)/1.96 ≈ 1.16 for an exact
// interval, must lie in [0.6, 2] for every index and its geometric mean
// over the indices in [0.9, 1.45]. The intervals measured 0.94–0.97
// pooled and 1.08–1.18. Both of the wrong intervals tried fail: the
// bootstrap on one scramble in 7 of the 8 cases (coverage 0.996–1.000 or
// width ratios 1.5–4.6), and a normal quantile in place of Student's t in
// 5 (coverage 0.90–0.91).
func TestSobolReplicatesCoverage(t *testing.T) {
	const seeds, reps = 200, 8
	for _, c := range sobolCases() {
		for _, n := range []int{64, 256, 1024, 4096} {
			t.Run(fmt.Sprintf("%s/N=%d", c.name, n), func(t *testing.T) {
				t.Parallel()
				cal := calibrate(c, n, seeds, replicated(reps))
				checkCalibration(t, cal, 0.91, 0.985, 0.85, 0.6, 2, 0.9, 1.45)
			})
		}
	}
}

// checkCalibration checks pooled coverage within [covLo, covHi], every
// index's coverage ≥ covMin, every width ratio in [rLo, rHi] and their
// geometric mean in [gLo, gHi].
func checkCalibration(t *testing.T, cal calibration, covLo, covHi, covMin, rLo, rHi, gLo, gHi float64) {
	t.Helper()
	ratio := cal.ratio()
	t.Logf("coverage %.3f (per index %.2f), width/(2·z·RMSE) geometric mean %.2f (per index %.2f)", mean(cal.cover), cal.cover, geoMean(ratio), ratio)
	if got := mean(cal.cover); got < covLo || got > covHi {
		t.Errorf("coverage over %d designs = %.3f, want it in [%g, %g]", cal.seeds, got, covLo, covHi)
	}
	for i, v := range cal.cover {
		if v < covMin {
			t.Errorf("coverage of index %d = %.3f, want ≥ %g", i, v, covMin)
		}
	}
	for i, r := range ratio {
		if r < rLo || r > rHi {
			t.Errorf("index %d: mean width %.3g = %.2f × 2·z·RMSE (RMSE %.3g), want [%g, %g]", i, cal.width[i], r, cal.rmse[i], rLo, rHi)
		}
	}
	if g := geoMean(ratio); g < gLo || g > gHi {
		t.Errorf("width/(2·z·RMSE) geometric mean = %.2f, want it in [%g, %g]", g, gLo, gHi)
	}
}

// TestSobolIntervalTable prints, with -sobol-table, the calibration of the
// bootstrap on one scramble and of replicate intervals, over 200 designs
// per row:
//
//	go test ./sim/uq -run TestSobolIntervalTable -sobol-table -v -timeout 30m
func TestSobolIntervalTable(t *testing.T) {
	if !*sobolTable {
		t.Skip("run with -sobol-table")
	}
	const seeds = 200
	var b strings.Builder
	fmt.Fprintf(&b, "\n| function | N | designs | design, 95%% interval | RMSE (mean over indices) | mean width | width / (2·1.96·RMSE): geo. mean [min, max] | coverage [min index] |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|\n")
	for _, c := range sobolCases() {
		for _, n := range []int{256, 1024, 4096} {
			for _, k := range []struct {
				name string
				kind intervalKind
			}{{"1 scramble, bootstrap (before)", bootstrapped}, {"8 replicates, Student t (after)", replicated(8)}, {"16 replicates, Student t", replicated(16)}} {
				cal := calibrate(c, n, seeds, k.kind)
				r := cal.ratio()
				fmt.Fprintf(&b, "| %s | %d | %d | %s | %.4f | %.4f | %.2f [%.2f, %.2f] | %.1f%% [%.1f%%] |\n", c.name, n, seeds, k.name,
					mean(cal.rmse), mean(cal.width), geoMean(r), slices.Min(r), slices.Max(r), 100*mean(cal.cover), 100*slices.Min(cal.cover))
			}
		}
	}
	t.Log(b.String())
}

// TestSobolReplicatesLinearisation recomputes the standard errors with a
// numerical gradient: each index as a function of the pooled means
// (sobolMoments), differentiated by central differences, applied to each
// replicate's deviation from the pooled means.
func TestSobolReplicatesLinearisation(t *testing.T) {
	const n, reps, level = 100, 3, 0.9 // uneven replicates: 33 or 34 rows
	c := sobolCases()[0]
	s, err := NewSaltelliReplicates(n, c.d, reps, newRand(3))
	if err != nil {
		t.Fatal(err)
	}
	fA, fB, fAB, _ := s.Split(evalDesign(s, c.f))
	got, err := EstimateSobolReplicates(fA, fB, fAB, reps, level)
	if err != nil {
		t.Fatal(err)
	}
	moments := func(lo, hi int) []float64 {
		var m1, m2 float64
		p, h, w := make([]float64, c.d), make([]float64, c.d), make([]float64, c.d)
		for j := lo; j < hi; j++ {
			m1 += (fA[j] + fB[j]) / 2
			m2 += (fA[j]*fA[j] + fB[j]*fB[j]) / 2
			for i := range c.d {
				g := fAB[i][j] - fA[j]
				p[i] += fB[j] * g
				h[i] += g
				w[i] += g * g / 2
			}
		}
		out := slices.Concat([]float64{m1, m2}, p, h, w)
		for k := range out {
			out[k] /= float64(hi - lo)
		}
		return out
	}
	index := func(m []float64, i int, total bool) float64 {
		v := m[1] - m[0]*m[0]
		if total {
			return m[2+2*c.d+i] / v
		}
		return (m[2+i] - m[0]*m[2+c.d+i]) / v
	}
	pool := moments(0, n)
	p := (1 + level) / 2
	tq := (2*p - 1) / math.Sqrt(2*p*(1-p)) // Student's t quantile with 2 degrees of freedom
	for i := range c.d {
		for _, total := range []bool{false, true} {
			grad := make([]float64, len(pool))
			for k := range pool {
				h := 1e-6 * math.Max(1, math.Abs(pool[k]))
				up, dn := slices.Clone(pool), slices.Clone(pool)
				up[k] += h
				dn[k] -= h
				grad[k] = (index(up, i, total) - index(dn, i, total)) / (2 * h)
			}
			var ss float64
			for r := range reps {
				lo, hi := r*n/reps, (r+1)*n/reps
				mr := moments(lo, hi)
				var z float64
				for k := range grad {
					z += grad[k] * (mr[k] - pool[k])
				}
				w := float64(hi-lo) / n
				ss += w * w * z * z
			}
			want := tq * math.Sqrt(ss*reps/(reps-1))
			est, lo, hi := got.S1[i], got.S1Lo[i], got.S1Hi[i]
			if total {
				est, lo, hi = got.ST[i], got.STLo[i], got.STHi[i]
			}
			if !near(hi-est, want, 1e-6) || !near(est-lo, want, 1e-6) {
				t.Errorf("index %d (total %v): half-widths %.9f, %.9f, want %.9f", i, total, hi-est, est-lo, want)
			}
		}
	}
}

// TestSobolReplicatesPointEstimates: the estimates are those of
// EstimateSobol on all rows, bit for bit, whatever the replicates.
func TestSobolReplicatesPointEstimates(t *testing.T) {
	c := sobolCases()[1]
	s, _ := NewSaltelliReplicates(256, c.d, 8, newRand(4))
	fA, fB, fAB, _ := s.Split(evalDesign(s, c.f))
	plain, err := EstimateSobol(fA, fB, fAB, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, reps := range []int{2, 8, 256} {
		got, err := EstimateSobolReplicates(fA, fB, fAB, reps, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.S1, plain.S1) || !slices.Equal(got.ST, plain.ST) || got.Variance != plain.Variance {
			t.Errorf("R = %d: S1, ST = %v, %v; want %v, %v", reps, got.S1, got.ST, plain.S1, plain.ST)
		}
		if got.Replicates != reps || got.Level != 0.95 || got.N != 256 {
			t.Errorf("R = %d: Replicates, Level, N = %d, %g, %d; want %d, 0.95, 256", reps, got.Replicates, got.Level, got.N, reps)
		}
		for i := range c.d {
			if !(got.S1Lo[i] <= got.S1[i] && got.S1[i] <= got.S1Hi[i] && got.STLo[i] <= got.ST[i] && got.ST[i] <= got.STHi[i]) {
				t.Errorf("R = %d: index %d outside its interval: S1 %g [%g, %g], ST %g [%g, %g]", reps, i,
					got.S1[i], got.S1Lo[i], got.S1Hi[i], got.ST[i], got.STLo[i], got.STHi[i])
			}
		}
	}
}

// TestSobolReplicatesInert: an input that never changes the output has
// ST = 0 in every replicate, hence the interval [0, 0].
func TestSobolReplicatesInert(t *testing.T) {
	s, _ := NewSaltelliReplicates(64, 4, 8, newRand(2))
	fA, fB, fAB, _ := s.Split(evalDesign(s, func(x []float64) float64 { return ishigami(x[:3]) }))
	res, err := EstimateSobolReplicates(fA, fB, fAB, 8, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if res.ST[3] != 0 || res.STLo[3] != 0 || res.STHi[3] != 0 || res.S1Lo[3] > 0 || res.S1Hi[3] < 0 {
		t.Errorf("dummy input: S1 %g [%g, %g], ST %g [%g, %g]; want ST 0 [0, 0] and an S1 interval around 0",
			res.S1[3], res.S1Lo[3], res.S1Hi[3], res.ST[3], res.STLo[3], res.STHi[3])
	}
}

func TestSobolReplicatesDeterministic(t *testing.T) {
	c := sobolCases()[0]
	run := func(seed uint64) *SobolResult { return replicated(8)(c, 128, seed) }
	a, b, other := run(1), run(1), run(2)
	for i := range c.d {
		if math.Float64bits(a.S1Lo[i]) != math.Float64bits(b.S1Lo[i]) || math.Float64bits(a.STHi[i]) != math.Float64bits(b.STHi[i]) {
			t.Errorf("same seed: S1Lo[%d] = %g vs %g, STHi = %g vs %g; want equal bits", i, a.S1Lo[i], b.S1Lo[i], a.STHi[i], b.STHi[i])
		}
	}
	if a.S1Lo[0] == other.S1Lo[0] {
		t.Error("different seeds gave identical intervals")
	}
}

func TestEstimateSobolReplicatesErrors(t *testing.T) {
	ok := []float64{1, 2, 3, 4}
	tests := []struct {
		name       string
		fA, fB     []float64
		fAB        [][]float64
		reps       int
		level      float64
		zeroVarErr bool
	}{
		{"short", []float64{1}, []float64{1}, [][]float64{{1}}, 2, 0.9, false},
		{"len fAB", ok, ok, [][]float64{{1}}, 2, 0.9, false},
		{"NaN", ok, []float64{1, math.NaN(), 3, 4}, [][]float64{ok}, 2, 0.9, false},
		{"one replicate", ok, ok, [][]float64{ok}, 1, 0.9, false},
		{"more replicates than rows", ok, ok, [][]float64{ok}, 5, 0.9, false},
		{"level 0", ok, ok, [][]float64{ok}, 2, 0, false},
		{"level NaN", ok, ok, [][]float64{ok}, 2, math.NaN(), false},
		{"constant", []float64{5, 5}, []float64{5, 5}, [][]float64{{5, 5}}, 2, 0.9, true},
	}
	for _, tc := range tests {
		_, err := EstimateSobolReplicates(tc.fA, tc.fB, tc.fAB, tc.reps, tc.level)
		if err == nil {
			t.Errorf("EstimateSobolReplicates(%s) error = nil, want an error", tc.name)
		} else if got := errors.Is(err, ErrZeroVariance); got != tc.zeroVarErr {
			t.Errorf("EstimateSobolReplicates(%s) error = %v, errors.Is(ErrZeroVariance) = %v, want %v", tc.name, err, got, tc.zeroVarErr)
		}
	}
}

// TestSaltelliReplicates checks the replicated design: base row j of
// replicate r is point j − lo_r of the r-th sequence scrambled from the
// generator, one replicate is NewSaltelli's design, and a replicate's
// points do not depend on N or R.
func TestSaltelliReplicates(t *testing.T) {
	const n, d, reps = 50, 3, 4 // 12 or 13 rows per replicate
	s, err := NewSaltelliReplicates(n, d, reps, newRand(9))
	if err != nil {
		t.Fatal(err)
	}
	if s.Runs() != n*(d+2) || s.N() != n || s.Replicates() != reps {
		t.Fatalf("Runs, N, Replicates = %d, %d, %d; want %d, %d, %d", s.Runs(), s.N(), s.Replicates(), n*(d+2), n, reps)
	}
	rng := newRand(9)
	seqs := make([]*Sobol, reps)
	for r := range seqs {
		seqs[r], _ = NewSobol(2*d, rng)
	}
	base, x := make([]float64, 2*d), make([]float64, d)
	for run := range s.Runs() {
		block, row := s.Block(run)
		r, lo, hi := s.Replicate(row)
		if lo != r*n/reps || hi != (r+1)*n/reps || row < lo || row >= hi {
			t.Fatalf("Replicate(%d) = %d, [%d, %d); want the r with r·n/R ≤ row < (r+1)·n/R", row, r, lo, hi)
		}
		seqs[r].At(uint64(row-lo), base)
		want := slices.Clone(base[:d])
		switch {
		case block == 1:
			want = slices.Clone(base[d:])
		case block >= 2:
			want[block-2] = base[d+block-2]
		}
		if s.Point(run, x); !slices.Equal(x, want) {
			t.Fatalf("Point(%d) (block %d, row %d, replicate %d) = %v, want %v", run, block, row, r, x, want)
		}
	}
	// One replicate is NewSaltelli's design; replicate 1 of a larger
	// design starts with the same points.
	one, _ := NewSaltelliReplicates(n, d, 1, newRand(9))
	plain, _ := NewSaltelli(n, d, newRand(9))
	big, _ := NewSaltelliReplicates(4*n, d, 2*reps, newRand(9))
	y := make([]float64, d)
	for run := range one.Runs() {
		one.Point(run, x)
		plain.Point(run, y)
		if !slices.Equal(x, y) {
			t.Fatalf("1 replicate: Point(%d) = %v, NewSaltelli's = %v", run, x, y)
		}
	}
	_, lo1, hi1 := s.Replicate(n / reps)            // replicate 1 of s: rows [12, 25)
	_, bigLo1, _ := big.Replicate(4 * n / 2 / reps) // replicate 1 of big: rows [25, 50)
	for j := range hi1 - lo1 {
		for _, block := range []int{0, 1, 2 + d - 1} {
			s.Point(block*n+lo1+j, x)
			big.Point(block*4*n+bigLo1+j, y)
			if !slices.Equal(x, y) {
				t.Fatalf("replicate 1, row %d, block %d: %v with N = %d, R = %d but %v with N = %d, R = %d", j, block, x, n, reps, y, 4*n, 2*reps)
			}
		}
	}
	for _, bad := range [][3]int{{8, 2, 0}, {8, 2, 9}, {1 << 20, 1, MaxReplicates + 1}} {
		if _, err := NewSaltelliReplicates(bad[0], bad[1], bad[2], newRand(1)); err == nil {
			t.Errorf("NewSaltelliReplicates(%d, %d, %d) error = nil, want an error", bad[0], bad[1], bad[2])
		}
	}
	if _, err := NewSaltelliReplicates(8, 2, 2, nil); !errors.Is(err, errNilRand) {
		t.Errorf("NewSaltelliReplicates(8, 2, 2, nil) error = %v, want errNilRand", err)
	}
}
