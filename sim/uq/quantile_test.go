package uq

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// exactQuantile is the type-7 sample quantile of sorted data.
func exactQuantile(sorted []float64, p float64) float64 { return percentile(sorted, p) }

var testPs = []float64{0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}

func TestSummaryQuantileAccuracy(t *testing.T) {
	rng := newRand(1)
	ln, _ := LogNormal(math.Log(1e5), 1.5)
	be, _ := Beta(2, 5)
	logS, _ := NewLogSummary(1, 1e12, 1000)
	fineS, _ := NewLogSummary(1, 1e12, 2303)
	linS, _ := NewLinearSummary(0, 1, 1000)
	tests := []struct {
		name     string
		s        *Summary
		draw     func() float64
		relative bool
		bound    float64 // documented bound
	}{
		{"log 1000/decade", logS, func() float64 { return ln.Quantile(rng.Float64()) }, true, math.Pow(10, 1.0/1000) - 1},
		{"log 2303/decade", fineS, func() float64 { return ln.Quantile(rng.Float64()) }, true, math.Pow(10, 1.0/2303) - 1},
		{"linear 1000 bins", linS, func() float64 { return be.Quantile(rng.Float64()) }, false, 0.001},
		// Integers: many exact ties inside single bins.
		{"log integers", func() *Summary { s, _ := NewLogSummary(1, 1e6, 1000); return s }(), func() float64 { return float64(1 + rng.IntN(1000)) }, true, math.Pow(10, 1.0/1000) - 1},
	}
	for _, tc := range tests {
		if got := tc.s.ErrorBound(); got > tc.bound*1.0001 {
			t.Errorf("%s: ErrorBound() = %g, want ≤ %g", tc.name, got, tc.bound)
		}
		const n = 100000
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = tc.draw()
			tc.s.Add(xs[i])
		}
		slices.Sort(xs)
		var worst float64
		for _, p := range testPs {
			got, want := tc.s.Quantile(p), exactQuantile(xs, p)
			err := math.Abs(got - want)
			if tc.relative {
				err /= want
			}
			worst = math.Max(worst, err)
			if err > tc.s.ErrorBound()*(1+1e-9)+1e-12 {
				t.Errorf("%s: Quantile(%g) = %.10g, want %.10g within %g (error %g)", tc.name, p, got, want, tc.s.ErrorBound(), err)
			}
		}
		t.Logf("%s: worst quantile error %.3g (bound %.3g)", tc.name, worst, tc.s.ErrorBound())
		if tc.s.Count() != n || tc.s.Min() != xs[0] || tc.s.Max() != xs[n-1] {
			t.Errorf("%s: Count, Min, Max = %d, %g, %g; want %d, %g, %g", tc.name, tc.s.Count(), tc.s.Min(), tc.s.Max(), n, xs[0], xs[n-1])
		}
		if tc.s.Quantile(0) != xs[0] || tc.s.Quantile(1) != xs[n-1] {
			t.Errorf("%s: Quantile(0), Quantile(1) = %g, %g; want Min %g, Max %g", tc.name, tc.s.Quantile(0), tc.s.Quantile(1), xs[0], xs[n-1])
		}
	}
}

func TestSummaryOutOfRange(t *testing.T) {
	s, _ := NewLogSummary(10, 1000, 100)
	vals := []float64{-5, 0, 3, 20, 30, 500, 2000, 5e4, math.NaN(), math.Inf(1)}
	for _, v := range vals {
		s.Add(v)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"Count", float64(s.Count()), 9},
		{"NaNs", float64(s.NaNs()), 1},
		{"Under", float64(s.Under()), 3},
		{"Over", float64(s.Over()), 3},
		{"Min", s.Min(), -5},
		{"Max", s.Max(), math.Inf(1)},
		{"Sum", s.Sum(), math.Inf(1)},
		{"Quantile(0)", s.Quantile(0), -5},
		{"Quantile(1)", s.Quantile(1), math.Inf(1)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("Summary.%s = %g, want %g", c.name, c.got, c.want)
		}
	}
	// Rank 4 of 9 (the median) is in range: 30 within 1 bin ratio.
	if q := s.Quantile(0.5); math.Abs(q/30-1) > s.ErrorBound() {
		t.Errorf("Summary.Quantile(0.5) = %g, want 30 within %g", q, s.ErrorBound())
	}
	// Under/overflow estimates stay within [Min, lo] and [hi, Max].
	if q := s.Quantile(0.125); !(q >= -5 && q <= 10) {
		t.Errorf("Summary.Quantile(0.125) = %g, want in [-5, 10]", q)
	}
	if q := s.Quantile(0.8); !(q >= 1000) {
		t.Errorf("Summary.Quantile(0.8) = %g, want ≥ 1000", q)
	}
	e, _ := NewLinearSummary(0, 1, 10)
	if !math.IsNaN(e.Quantile(0.5)) || !math.IsNaN(e.Mean()) || !math.IsNaN(e.Min()) || e.Sum() != 0 {
		t.Errorf("empty Summary: Quantile, Mean, Min, Sum = %g, %g, %g, %g; want NaN, NaN, NaN, 0", e.Quantile(0.5), e.Mean(), e.Min(), e.Sum())
	}
	e.Add(0.5)
	if !math.IsNaN(e.Quantile(-0.1)) || !math.IsNaN(e.Quantile(math.NaN())) || e.Quantile(0.3) != 0.5 {
		t.Errorf("Summary.Quantile(-0.1), (NaN), (0.3) = %g, %g, %g; want NaN, NaN, 0.5", e.Quantile(-0.1), e.Quantile(math.NaN()), e.Quantile(0.3))
	}
}

// TestSummaryInterpolation pins down the in-bin placement on hand-worked
// cases: the c values of a bin sit at fractions (j+½)/c of it, linearly or
// geometrically.
func TestSummaryInterpolation(t *testing.T) {
	lin, _ := NewLinearSummary(0, 10, 10)
	for _, v := range []float64{0.5, 1.1, 1.9, 9.5} {
		lin.Add(v)
	}
	lg, _ := NewLogSummary(1, 100, 1) // bins [1, 10) and [10, 100]
	for _, v := range []float64{1.5, 5, 20, 50} {
		lg.Add(v)
	}
	// Values bunched inside one bin: pseudo-points are clamped to
	// [Min, Max].
	bunch, _ := NewLinearSummary(0, 10, 10)
	for _, v := range []float64{5.1, 5.2, 5.3} {
		bunch.Add(v)
	}
	tests := []struct {
		name    string
		s       *Summary
		p, want float64
	}{
		{"bunched", bunch, 0.5, 5.3},  // middle pseudo-point 5.5 clamped to Max
		{"bunched", bunch, 0.25, 5.2}, // between Min 5.1 and the clamped 5.3
		{"linear", lin, 0, 0.5},
		{"linear", lin, 1.0 / 3, 1.25}, // 2nd value: 1st of 2 in bin [1, 2)
		{"linear", lin, 0.5, 1.5},      // halfway between 1.25 and 1.75
		{"linear", lin, 2.0 / 3, 1.75},
		{"linear", lin, 1, 9.5},
		{"log", lg, 1.0 / 3, math.Pow(10, 0.75)}, // 2nd of 2 in [1, 10)
		{"log", lg, 2.0 / 3, math.Pow(10, 1.25)}, // 1st of 2 in [10, 100]
	}
	for _, tc := range tests {
		if got := tc.s.Quantile(tc.p); !near(got, tc.want, 1e-12) {
			t.Errorf("%s Summary.Quantile(%g) = %.15g, want %.15g", tc.name, tc.p, got, tc.want)
		}
	}
}

// TestSummaryExactSum: the sum is exact (then correctly rounded), unlike
// any floating-point accumulation.
func TestSummaryExactSum(t *testing.T) {
	tests := []struct {
		vals []float64
		sum  float64
	}{
		{[]float64{1e308, 1, -1e308}, 1},
		{[]float64{1e308, 1e308, -1e308}, 1e308}, // intermediate overflow
		{[]float64{0.1, 0.2, 0.3, -0.6}, exactSumFloat([]float64{0.1, 0.2, 0.3, -0.6})},
		{[]float64{5e-324, 5e-324, -1e-300, 1e-300}, 1e-323},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, math.Inf(1)},
		{[]float64{-0.0, 0}, 0},
	}
	for _, tc := range tests {
		s, _ := NewLinearSummary(0, 1, 4)
		for _, v := range tc.vals {
			s.Add(v)
		}
		if got := s.Sum(); got != tc.sum {
			t.Errorf("Sum(%v) = %g, want %g", tc.vals, got, tc.sum)
		}
	}
	rng := newRand(3)
	s, _ := NewLinearSummary(0, 1, 4)
	vals := make([]float64, 10000)
	for i := range vals {
		vals[i] = (rng.Float64() - 0.3) * math.Pow(10, float64(rng.IntN(40)-20))
		s.Add(vals[i])
	}
	if got, want := s.Sum(), exactSumFloat(vals); got != want {
		t.Errorf("Sum(10000 mixed values) = %.17g, want %.17g", got, want)
	}
	if got, want := s.Mean(), exactSumFloat(vals)/float64(len(vals)); !near(got, want, 1e-15) {
		t.Errorf("Mean(10000 mixed values) = %.17g, want %.17g", got, want)
	}
}

func exactSumFloat(vals []float64) float64 {
	acc := new(big.Float).SetPrec(4096)
	for _, v := range vals {
		acc.Add(acc, new(big.Float).SetPrec(4096).SetFloat64(v))
	}
	f, _ := acc.Float64()
	return f
}

// mixedValues returns n values that exercise every code path: in range,
// below (negative, zero, subnormal), above, huge, ±Inf and NaN.
func mixedValues(n int) []float64 {
	rng := newRand(11)
	ln, _ := LogNormal(math.Log(1e3), 2)
	out := make([]float64, n)
	for i := range out {
		switch k := rng.IntN(100); {
		case k < 80:
			out[i] = ln.Quantile(rng.Float64())
		case k < 85:
			out[i] = -rng.Float64() * 1e300
		case k < 88:
			out[i] = 0
		case k < 90:
			out[i] = 5e-324 * float64(rng.IntN(1000))
		case k < 97:
			out[i] = rng.Float64() * 1e307
		case k < 98:
			out[i] = math.Inf(1)
		case k < 99:
			out[i] = math.Inf(-1)
		default:
			out[i] = math.NaN()
		}
	}
	return out
}

// TestSummaryMergeBitIdentical: summarising K contiguous shards of the runs
// and merging them gives exactly the single-pass state (compared through
// the canonical encoding), for any shard boundaries and any merge order.
func TestSummaryMergeBitIdentical(t *testing.T) {
	mixed := mixedValues(200000)
	finite := slices.DeleteFunc(slices.Clone(mixed), func(v float64) bool { return math.IsInf(v, 0) })
	for _, vals := range [][]float64{mixed, finite} {
		testMergeBitIdentical(t, vals)
	}
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func testMergeBitIdentical(t *testing.T, vals []float64) {
	newS := func() *Summary { s, _ := NewLogSummary(1e-3, 1e9, 500); return s }
	single := newS()
	for _, v := range vals {
		single.Add(v)
	}
	want, err := single.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(5)
	for _, k := range []int{1, 2, 3, 7, 64} {
		cuts := []int{0}
		for range k - 1 {
			cuts = append(cuts, rng.IntN(len(vals)+1))
		}
		cuts = append(cuts, len(vals))
		slices.Sort(cuts)
		shards := make([]*Summary, k)
		for i := range shards {
			shards[i] = newS()
			for _, v := range vals[cuts[i]:cuts[i+1]] {
				shards[i].Add(v)
			}
		}
		for _, order := range []string{"forward", "reverse"} {
			merged := newS()
			for i := range shards {
				j := i
				if order == "reverse" {
					j = k - 1 - i
				}
				if err := merged.Merge(shards[j]); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := merged.MarshalBinary()
			if !bytes.Equal(got, want) {
				t.Errorf("merge of %d shards (%s) encodes to %d bytes differing from the single pass (%d bytes)", k, order, len(got), len(want))
			}
			if !sameFloat(merged.Sum(), single.Sum()) || !sameFloat(merged.Mean(), single.Mean()) || merged.Quantile(0.37) != single.Quantile(0.37) {
				t.Errorf("merge of %d shards (%s): Sum, Quantile(0.37) = %g, %g; want %g, %g", k, order, merged.Sum(), merged.Quantile(0.37), single.Sum(), single.Quantile(0.37))
			}
		}
	}
	// Merging requires equal configurations.
	other, _ := NewLogSummary(1e-3, 1e9, 501)
	if err := single.Merge(other); err == nil {
		t.Error("Merge(different bins) error = nil, want an error")
	}
	lin, _ := NewLinearSummary(1e-3, 1e9, other.Bins())
	if err := other.Merge(lin); err == nil {
		t.Error("Merge(different scale) error = nil, want an error")
	}
}

// TestSummaryConstantMemory: neither the in-memory counts nor the encoding
// grow with the number of values beyond what the bin count dictates.
func TestSummaryConstantMemory(t *testing.T) {
	const bins = 1000
	maxEnc := 0
	for _, n := range []int{1000, 100000, 1000000} {
		s, _ := NewLinearSummary(0, 1, bins)
		rng := newRand(uint64(n))
		for range n {
			s.Add(rng.Float64())
		}
		enc, _ := s.MarshalBinary()
		// Header ≤ 100 bytes; each count is a uvarint of ≤ 10 bytes.
		if len(enc) > 100+10*bins || len(s.buf) > bins {
			t.Errorf("n=%d: encoding %d bytes, %d counts kept; want ≤ %d bytes and ≤ %d counts", n, len(enc), len(s.buf), 100+10*bins, bins)
		}
		maxEnc = max(maxEnc, len(enc))
		t.Logf("n=%d: encoding %d bytes", n, len(enc))
	}
	// Once the window covers the data, Add does not allocate.
	s, _ := NewLogSummary(1, 1e6, 1000)
	for x := 1.0; x < 1e6; x *= 1.001 {
		s.Add(x)
	}
	rng := newRand(1)
	if a := testing.AllocsPerRun(10000, func() { s.Add(1 + rng.Float64()*1e5) }); a != 0 {
		t.Errorf("Summary.Add allocated %v times per call, want 0", a)
	}
	// A narrow distribution keeps a narrow window.
	n, _ := NewLogSummary(1e-6, 1e12, 1000)
	for range 100000 {
		n.Add(100 * (1 + 0.1*rng.Float64()))
	}
	if w := n.last - n.first + 1; len(n.buf) > 2*w+32 {
		t.Errorf("narrow data: %d counts kept for %d occupied bins, want ≤ %d", len(n.buf), w, 2*w+32)
	}
}

func TestSummaryMarshalRoundTrip(t *testing.T) {
	vals := mixedValues(5000)
	for _, s := range []*Summary{
		func() *Summary { s, _ := NewLogSummary(1, 1e6, 100); return s }(),
		func() *Summary { s, _ := NewLinearSummary(-1e300, 1e300, 7); return s }(),
	} {
		var empty Summary
		if b, _ := s.MarshalBinary(); empty.UnmarshalBinary(b) != nil {
			t.Errorf("UnmarshalBinary(empty %v summary) failed", s.Scale())
		}
		for _, v := range vals {
			s.Add(v)
		}
		b, _ := s.MarshalBinary()
		var u Summary
		if err := u.UnmarshalBinary(b); err != nil {
			t.Fatalf("UnmarshalBinary: %v", err)
		}
		b2, _ := u.MarshalBinary()
		if !bytes.Equal(b, b2) {
			t.Errorf("%v: re-encoding differs after a round trip", s.Scale())
		}
		for _, p := range testPs {
			if got, want := u.Quantile(p), s.Quantile(p); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%v: decoded Quantile(%g) = %g, want %g", s.Scale(), p, got, want)
			}
		}
		// Decoded summaries keep accepting values and merging.
		u.Add(3)
		if err := u.Merge(s); err != nil || u.Count() != 2*s.Count()+1 {
			t.Errorf("decoded summary: Merge = %v, Count = %d; want nil, %d", err, u.Count(), 2*s.Count()+1)
		}
		// Every truncation and a corrupted magic are rejected.
		for i := range len(b) {
			if err := new(Summary).UnmarshalBinary(b[:i]); err == nil {
				t.Fatalf("UnmarshalBinary(first %d of %d bytes) error = nil, want an error", i, len(b))
			}
		}
		// Inconsistent counts: bump the last bin count (a one-byte varint
		// in these data) so the bins no longer add up to Count.
		if b[len(b)-1] < 0x7f {
			bad := slices.Clone(b)
			bad[len(bad)-1]++
			if err := new(Summary).UnmarshalBinary(bad); err == nil {
				t.Error("UnmarshalBinary(inconsistent bin counts) error = nil, want an error")
			}
		} else {
			t.Fatalf("test data: last encoded byte %#x is not a small varint", b[len(b)-1])
		}
		bad := slices.Clone(b)
		bad[0] = 'X'
		if err := new(Summary).UnmarshalBinary(bad); err == nil {
			t.Error("UnmarshalBinary(bad magic) error = nil, want an error")
		}
		if err := new(Summary).UnmarshalBinary(append(slices.Clone(b), 0)); err == nil {
			t.Error("UnmarshalBinary(trailing byte) error = nil, want an error")
		}
	}
}

func FuzzSummaryUnmarshal(f *testing.F) {
	s, _ := NewLogSummary(1, 1e3, 10)
	for _, v := range []float64{0.5, 2, 3, 500, 5000} {
		s.Add(v)
	}
	b, _ := s.MarshalBinary()
	f.Add(b)
	e, _ := NewLinearSummary(0, 1, 3)
	b, _ = e.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var u Summary
		if u.UnmarshalBinary(data) != nil {
			return
		}
		// A valid encoding is canonical and its summary usable.
		out, _ := u.MarshalBinary()
		if !bytes.Equal(out, data) {
			t.Fatalf("re-encoding of accepted data differs")
		}
		for _, p := range testPs {
			u.Quantile(p)
		}
		u.Add(1)
	})
}

func TestSummaryConfigErrors(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct{ lo, hi float64 }{{0, 10}, {-1, 10}, {10, 1}, {1, inf}, {1, 1}} {
		if _, err := NewLogSummary(c.lo, c.hi, 100); err == nil {
			t.Errorf("NewLogSummary(%g, %g, 100) error = nil, want an error", c.lo, c.hi)
		}
	}
	if _, err := NewLogSummary(1, 10, 0); err == nil {
		t.Error("NewLogSummary(1, 10, 0) error = nil, want an error")
	}
	if _, err := NewLogSummary(1e-300, 1e300, 1<<20); err == nil {
		t.Error("NewLogSummary(600 decades × 2^20) error = nil, want an error (too many bins)")
	}
	for _, c := range []struct {
		lo, hi float64
		bins   int
	}{{1, 0, 10}, {0, inf, 10}, {0, 1, 0}, {math.NaN(), 1, 10}, {-math.MaxFloat64, math.MaxFloat64, 10}} {
		if _, err := NewLinearSummary(c.lo, c.hi, c.bins); err == nil {
			t.Errorf("NewLinearSummary(%g, %g, %d) error = nil, want an error", c.lo, c.hi, c.bins)
		}
	}
}

func BenchmarkSummaryAdd(b *testing.B) {
	ln, _ := LogNormal(math.Log(1e5), 1)
	vals := make([]float64, 4096)
	rng := newRand(1)
	for i := range vals {
		vals[i] = ln.Quantile(rng.Float64())
	}
	for _, tc := range []struct {
		name string
		s    *Summary
	}{
		{"log1000", func() *Summary { s, _ := NewLogSummary(1, 1e12, 1000); return s }()},
		{"linear1000", func() *Summary { s, _ := NewLinearSummary(0, 1e6, 1000); return s }()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tc.s.Add(vals[i&4095])
				i++
			}
		})
	}
}

// BenchmarkSummaryAddAll adds blocks of 128 values as Monte Carlo does
// (a metric in one period over a block of runs); ns/op is per value.
func BenchmarkSummaryAddAll(b *testing.B) {
	ln, _ := LogNormal(math.Log(1e5), 0.3)
	vals := make([]float64, 128*64)
	rng := newRand(1)
	for i := range vals {
		vals[i] = ln.Quantile(rng.Float64())
	}
	for _, tc := range []struct {
		name string
		s    *Summary
	}{
		{"log2", func() *Summary { s, _ := NewLog2Summary(-20, 50, 7); return s }()},
		{"linear1000", func() *Summary { s, _ := NewLinearSummary(0, 1e6, 1000); return s }()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				tc.s.AddAll(vals[k*128 : (k+1)*128])
				k = (k + 1) % 64
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*128), "ns/value")
		})
	}
}

func BenchmarkSummaryQuantileMergeMarshal(b *testing.B) {
	mk := func(seed uint64) *Summary {
		s, _ := NewLogSummary(1, 1e12, 1000)
		ln, _ := LogNormal(math.Log(1e5), 1)
		rng := newRand(seed)
		for range 100000 {
			s.Add(ln.Quantile(rng.Float64()))
		}
		return s
	}
	s, o := mk(1), mk(2)
	b.Run("Quantile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Quantile(0.95)
		}
	})
	b.Run("Merge", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Merge(o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MarshalBinary", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.MarshalBinary(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestLog2Summary(t *testing.T) {
	s, err := NewLog2Summary(-10, 50, 9)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.ErrorBound(), 1.0/512; got != want {
		t.Errorf("ErrorBound() = %v, want %v", got, want)
	}
	// Exact bins: 3 is 1.5·2^1, so it falls in the bin starting at
	// 1.5·2^1 = 3 of the power of two [2, 4).
	if b, want := s.bin(3), (1+10)<<9|256; b != want {
		t.Errorf("bin(3) = %d, want %d", b, want)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	for i := 0; i < 20000; i++ {
		x := math.Exp(rng.NormFloat64()*2 + 5)
		xs = append(xs, x)
		s.Add(x)
	}
	sort.Float64s(xs)
	for _, p := range []float64{0.05, 0.5, 0.95} {
		exact := xs[int(p*float64(len(xs)))]
		if got := s.Quantile(p); math.Abs(got/exact-1) > 2*s.ErrorBound() {
			t.Errorf("Quantile(%v) = %v, want %v within %v", p, got, exact, 2*s.ErrorBound())
		}
	}
	data, _ := s.MarshalBinary()
	var s2 Summary
	if err := s2.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if s2.Quantile(0.5) != s.Quantile(0.5) || s2.Scale() != Log2 {
		t.Errorf("a Log2 summary does not survive encoding: %v %v", s2.Scale(), s2.Quantile(0.5))
	}
	if _, err := NewLog2Summary(5, 5, 3); err == nil {
		t.Error("NewLog2Summary(5, 5, 3) accepted an empty range")
	}
}

// AddAll leaves a summary in the state Add leaves it in, value by value,
// bit for bit in its encoding, whatever the values (NaN, ±Inf, ±0,
// negatives, out of range) and however they are split into blocks.
func TestSummaryAddAllEqualsAdd(t *testing.T) {
	rng := newRand(7)
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), -3, 1e-30, 1e30, 5e-324}
	vals := make([]float64, 5000)
	for i := range vals {
		switch rng.IntN(10) {
		case 0:
			vals[i] = special[rng.IntN(len(special))]
		case 1:
			vals[i] = -rng.Float64() * 1e6
		default:
			vals[i] = math.Exp(rng.NormFloat64()*4 + 5)
		}
	}
	// Blocks of positive values in range take AddAll's fast path: narrow
	// spreads (one exact sum for the block), spreads over 64 binary orders
	// and subnormals (each value summed alone), and blocks over 2^11.
	fast := make([]float64, 12000)
	for i := range fast {
		fast[i] = math.Exp(rng.NormFloat64()*0.5 + 3)
		switch {
		case i >= 3000 && i < 3300 && rng.IntN(4) == 0:
			fast[i] *= 1e25
		case i >= 3300 && i < 3400 && rng.IntN(4) == 0:
			fast[i] = 5e-324 * float64(1+rng.IntN(9))
		}
	}
	for _, c := range []struct {
		vals     []float64
		maxBlock int
	}{{vals, 300}, {fast, 300}, {fast, 5000}} {
		for _, mk := range []func() *Summary{
			func() *Summary { s, _ := NewLinearSummary(0, 1000, 1000); return s },
			func() *Summary { s, _ := NewLinearSummary(-100, 100, 64); return s },
			func() *Summary { s, _ := NewLogSummary(1e-3, 1e9, 200); return s },
			func() *Summary { s, _ := NewLog2Summary(-20, 50, 7); return s },
			func() *Summary { s, _ := NewLinearSummary(0, 1e30, 1000); return s },
			func() *Summary { s, _ := NewLog2Summary(-60, 100, 3); return s },
		} {
			vals := c.vals
			one, all := mk(), mk()
			for _, x := range vals {
				one.Add(x)
			}
			for i := 0; i < len(vals); {
				k := min(len(vals)-i, 1+rng.IntN(c.maxBlock))
				all.AddAll(vals[i : i+k])
				i += k
			}
			a, err := one.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b, err := all.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%v [%g, %g]: AddAll's encoding differs from Add's (n %d vs %d, min %g vs %g, max %g vs %g)",
					one.Scale(), one.lo, one.hi, one.Count(), all.Count(), one.Min(), all.Min(), one.Max(), all.Max())
			}
		}
	}
}
