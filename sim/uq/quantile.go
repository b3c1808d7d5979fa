package uq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Scale selects how a [Summary] spaces its bins.
type Scale uint8

const (
	// Linear bins of equal width, for quantities on a known bounded range
	// such as ratios in [0, 1].
	Linear Scale = 1
	// Log bins of equal ratio, for positive quantities spanning orders of
	// magnitude (volumes, revenues).
	Log Scale = 2
	// Log2 bins split each power of two into 2^k equal parts, found from
	// a value's exponent and top mantissa bits: no logarithm, so binning is
	// exact and fast on every CPU. The ratio of a bin's edges is at most
	// 1 + 2^-k.
	Log2 Scale = 3
)

func (s Scale) String() string {
	switch s {
	case Linear:
		return "linear"
	case Log:
		return "log"
	case Log2:
		return "log2"
	}
	return fmt.Sprintf("Scale(%d)", uint8(s))
}

// maxBins bounds the number of bins of a Summary.
const maxBins = 1 << 24

// Summary is a fixed-memory, mergeable summary of a stream of values for
// Monte Carlo percentile bands: a histogram with exact integer counts over a
// fixed range, exact counts below and above the range, the exact minimum and
// maximum, and the exact sum.
//
// Its state depends only on the multiset of values added — not on their
// order, on how they were split into shards, or on the order shards are
// merged in — so merging the summaries of K shards reproduces the
// single-pass state, and its encoding, bit for bit. (Bin assignment uses
// math.Log; on a different CPU architecture a value within ~1e-16 relative
// of a bin edge could land in the neighbouring bin.)
//
// Memory is bounded by the number of bins, never by the number of values:
// counts are kept only for the window of bins between the lowest and
// highest occupied ones. The sum is held in an exact fixed-point
// accumulator (2176 bits, enough for 2^64 values of any magnitude), so
// Sum and Mean are correctly rounded and independent of merge order.
//
// Quantile accuracy (see [Summary.Quantile]): for values inside the range,
// the estimate is within a factor [Summary.ErrorBound]+1 of the exact
// sample quantile on a Log scale (e.g. 0.23% for 1000 bins per decade,
// 0.1% for 2303) and within one bin width on a Linear scale.
//
// A Summary is not safe for concurrent use; give each goroutine its own and
// merge them. The zero value is not usable: create summaries with
// [NewLinearSummary] or [NewLogSummary], or decode one with UnmarshalBinary.
type Summary struct {
	scale  Scale
	lo, hi float64
	bins   int
	origin float64 // lo, or ln(lo) for Log
	width  float64 // bin width (of ln x for Log)
	inv    float64 // 1/width
	e0     int     // Log2: exponent of lo
	sub    int     // Log2: bits of mantissa per power of two

	n, nan, under, over uint64 // n counts every non-NaN value
	posInf, negInf      uint64
	min, max            float64
	pos, neg            exactSum // sums of positive values and of |negative| values

	first, last int      // occupied window of bins (valid when inRange() > 0)
	buf         []uint64 // counts for bins [bufFirst, bufFirst+len(buf))
	bufFirst    int
}

// NewLinearSummary returns an empty summary with bins equal-width bins on
// [lo, hi] (finite lo < hi, 1 ≤ bins ≤ 2^24).
func NewLinearSummary(lo, hi float64, bins int) (*Summary, error) {
	if !isFinite(lo) || !isFinite(hi) || !(lo < hi) || !isFinite(hi-lo) || bins < 1 || bins > maxBins {
		return nil, fmt.Errorf("uq: NewLinearSummary(%g, %g, %d): need finite lo < hi and 1 ≤ bins ≤ %d", lo, hi, bins, maxBins)
	}
	return newSummary(Linear, lo, hi, bins), nil
}

// NewLogSummary returns an empty summary with log-spaced bins on [lo, hi]
// (0 < lo < hi < +Inf): ⌈binsPerDecade·log10(hi/lo)⌉ bins of equal ratio,
// at least binsPerDecade per factor of ten. Values ≤ 0 count as below the
// range.
func NewLogSummary(lo, hi float64, binsPerDecade int) (*Summary, error) {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) || binsPerDecade < 1 {
		return nil, fmt.Errorf("uq: NewLogSummary(%g, %g, %d): need 0 < lo < hi < +Inf and binsPerDecade ≥ 1", lo, hi, binsPerDecade)
	}
	b := math.Ceil(float64(binsPerDecade) * math.Log10(hi/lo))
	if b > maxBins {
		return nil, fmt.Errorf("uq: NewLogSummary(%g, %g, %d): %g bins, more than %d", lo, hi, binsPerDecade, b, maxBins)
	}
	return newSummary(Log, lo, hi, max(int(b), 1)), nil
}

func validSummaryConfig(scale Scale, lo, hi float64, bins int) bool {
	if bins < 1 || bins > maxBins || !isFinite(lo) || !isFinite(hi) || !(lo < hi) {
		return false
	}
	switch scale {
	case Linear:
		return isFinite(hi - lo)
	case Log:
		return lo > 0
	case Log2:
		e0, e1 := math.Ilogb(lo), math.Ilogb(hi)
		span := e1 - e0
		return lo > 0 && math.Ldexp(1, e0) == lo && math.Ldexp(1, e1) == hi && span > 0 && bins%span == 0 && bins/span&(bins/span-1) == 0
	}
	return false
}

// NewLog2Summary returns an empty summary on [2^e0, 2^e1] whose bins split
// each power of two into 2^sub equal parts (sub from 0 to 20). Values ≤ 0
// count as below the range.
func NewLog2Summary(e0, e1, sub int) (*Summary, error) {
	if e1 <= e0 || sub < 0 || sub > 20 || e0 < -1000 || e1 > 1000 || (e1-e0)<<sub > maxBins {
		return nil, fmt.Errorf("uq: NewLog2Summary(%d, %d, %d): need e0 < e1, 0 ≤ sub ≤ 20 and at most %d bins", e0, e1, sub, maxBins)
	}
	return newSummary(Log2, math.Ldexp(1, e0), math.Ldexp(1, e1), (e1-e0)<<sub), nil
}

func newSummary(scale Scale, lo, hi float64, bins int) *Summary {
	s := &Summary{scale: scale, lo: lo, hi: hi, bins: bins}
	switch scale {
	case Log2:
		s.e0 = math.Ilogb(lo)
		s.sub = bits.Len(uint(bins/(math.Ilogb(hi)-s.e0))) - 1
		s.origin, s.width = lo, 1
	case Log:
		s.origin = math.Log(lo)
		s.width = (math.Log(hi) - s.origin) / float64(bins)
	default:
		s.origin = lo
		s.width = (hi - lo) / float64(bins)
	}
	s.inv = 1 / s.width
	s.Reset()
	return s
}

// Reset empties the summary, keeping its configuration.
func (s *Summary) Reset() {
	s.n, s.nan, s.under, s.over, s.posInf, s.negInf = 0, 0, 0, 0, 0, 0
	s.min, s.max = math.Inf(1), math.Inf(-1)
	s.pos, s.neg = exactSum{}, exactSum{}
	s.first, s.last = 0, -1
	clear(s.buf)
}

// Scale returns the bin spacing.
func (s *Summary) Scale() Scale { return s.scale }

// Range returns the histogram range [lo, hi].
func (s *Summary) Range() (lo, hi float64) { return s.lo, s.hi }

// Bins returns the number of bins.
func (s *Summary) Bins() int { return s.bins }

// ErrorBound returns the worst-case quantile error for values inside the
// range: relative (the bin ratio minus one) on a Log scale, absolute (the
// bin width) on a Linear scale.
func (s *Summary) ErrorBound() float64 {
	switch s.scale {
	case Log:
		return math.Expm1(s.width)
	case Log2:
		return math.Ldexp(1, -s.sub)
	}
	return s.width
}

// Count returns the number of values added, excluding NaNs.
func (s *Summary) Count() uint64 { return s.n }

// NaNs returns the number of NaN values added (they are otherwise ignored).
func (s *Summary) NaNs() uint64 { return s.nan }

// Under returns the number of values below the range (including −Inf, and
// values ≤ 0 on a Log scale).
func (s *Summary) Under() uint64 { return s.under }

// Over returns the number of values above the range (including +Inf).
func (s *Summary) Over() uint64 { return s.over }

// Min returns the smallest value added (NaN if none).
func (s *Summary) Min() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.min
}

// Max returns the largest value added (NaN if none).
func (s *Summary) Max() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.max
}

func (s *Summary) inRange() uint64 { return s.n - s.under - s.over }

func (s *Summary) bin(x float64) int {
	if s.scale == Log2 {
		b := math.Float64bits(x)
		e := int(b>>52&0x7ff) - 1023
		m := int(b >> (52 - s.sub) & (1<<s.sub - 1))
		return max(0, min((e-s.e0)<<s.sub|m, s.bins-1))
	}
	var t float64
	if s.scale == Log {
		t = (math.Log(x) - s.origin) * s.inv
	} else {
		t = (x - s.origin) * s.inv
	}
	return max(0, min(int(t), s.bins-1))
}

// Add records x.
func (s *Summary) Add(x float64) {
	if math.IsNaN(x) {
		s.nan++
		return
	}
	if x == 0 {
		x = 0 // canonical +0, so that min/max do not depend on order
	}
	s.n++
	if x < s.min {
		s.min = x
	}
	if x > s.max {
		s.max = x
	}
	switch {
	case math.IsInf(x, 1):
		s.posInf++
	case math.IsInf(x, -1):
		s.negInf++
	case x > 0:
		s.pos.add(x)
	case x < 0:
		s.neg.add(-x)
	}
	switch {
	case x < s.lo || (s.scale != Linear && x <= 0):
		s.under++
	case x > s.hi:
		s.over++
	default:
		s.addBin(s.bin(x), 1)
	}
}

// AddAll records every value of xs, as Add does one at a time: the same
// state, whatever the split into calls. Values inside the range take a
// fast path that keeps the summary's bookkeeping in registers over the
// block: Monte Carlo adds a block of runs to each summary at once.
func (s *Summary) AddAll(xs []float64) {
	if len(xs) == 0 {
		return
	}
	// A block of positive values in range, the usual case, takes two
	// passes: one finds its extremes, the other counts bins inside the
	// window they span and sums exactly in registers.
	bmn, bmx := xs[0], xs[0]
	var z float64
	for _, x := range xs {
		if x < bmn {
			bmn = x
		}
		if x > bmx {
			bmx = x
		}
		z += x * 0 // ±0 for a finite x, NaN for NaN and ±Inf
	}
	if !(z == 0 && bmn > 0 && bmn >= s.lo && bmx <= s.hi) {
		s.addEach(xs)
		return
	}
	b0, b1 := s.bin(bmn), s.bin(bmx) // bin is monotonic
	if b0 < s.bufFirst || b1 >= s.bufFirst+len(s.buf) {
		s.growTo(b0, b1)
	}
	s.countBins(xs, s.buf[b0-s.bufFirst:b1-s.bufFirst+1], b0)
	e0 := uint(math.Float64bits(bmn) >> 52 & 0x7ff)
	e1 := uint(math.Float64bits(bmx) >> 52 & 0x7ff)
	if e0 == 0 || e1-e0 > 63 {
		// Subnormals, or a spread too wide to sum in 128 bits.
		for _, x := range xs {
			s.pos.add(x)
		}
	} else {
		// Sum the mantissas, shifted to the smallest exponent, in 128
		// bits: each is below 2^117, so 2^11 of them sum below 2^128.
		for rest := xs; len(rest) > 0; {
			n := min(len(rest), 1<<11)
			var lo, hi uint64
			for _, x := range rest[:n] {
				u := math.Float64bits(x)
				d := uint(u>>52&0x7ff) - e0
				m := u&(1<<52-1) | 1<<52
				var c uint64
				lo, c = bits.Add64(lo, m<<d, 0)
				hi += m>>(64-d) + c // for d == 0 the shift gives 0
			}
			s.pos.addWide(lo, hi, int(e0)-1)
			rest = rest[n:]
		}
	}
	s.n += uint64(len(xs))
	s.min, s.max = min(s.min, bmn), max(s.max, bmx)
	if s.last < s.first {
		s.first, s.last = b0, b1
	} else {
		s.first, s.last = min(s.first, b0), max(s.last, b1)
	}
}

// countBins adds xs, all in range, to buf, the counts of bins b0 on:
// bin's arithmetic inlined for the linear and log2 scales.
func (s *Summary) countBins(xs []float64, buf []uint64, b0 int) {
	last := s.bins - 1
	switch s.scale {
	case Log2:
		e0, sub, mask := s.e0, s.sub, 1<<s.sub-1
		for _, x := range xs {
			u := math.Float64bits(x)
			b := (int(u>>52&0x7ff)-1023-e0)<<sub | int(u>>(52-sub))&mask
			buf[max(0, min(b, last))-b0]++
		}
	case Linear:
		origin, inv := s.origin, s.inv
		for _, x := range xs {
			buf[max(0, min(int((x-origin)*inv), last))-b0]++
		}
	default:
		for _, x := range xs {
			buf[s.bin(x)-b0]++
		}
	}
}

// addEach is AddAll value by value, for blocks with values outside the
// fast path's.
func (s *Summary) addEach(xs []float64) {
	mn, mx := s.min, s.max
	first, last := s.first, s.last
	var n uint64
	lo, hi := s.lo, s.hi
	for _, x := range xs {
		// The fast path takes positive values in range (finite, and not
		// NaN, which fails every comparison); Add takes the rest.
		if !(x > 0 && x >= lo && x <= hi) {
			s.min, s.max, s.first, s.last = mn, mx, first, last
			s.n += n
			n = 0
			s.Add(x)
			mn, mx, first, last = s.min, s.max, s.first, s.last
			continue
		}
		n++
		mn, mx = min(mn, x), max(mx, x)
		s.pos.add(x)
		b := s.bin(x)
		if b < s.bufFirst || b >= s.bufFirst+len(s.buf) {
			s.grow(b)
		}
		s.buf[b-s.bufFirst]++
		if last < first {
			first, last = b, b
		} else {
			first, last = min(first, b), max(last, b)
		}
	}
	s.min, s.max, s.first, s.last = mn, mx, first, last
	s.n += n
}

// addBin adds c to bin b's count, growing the window if needed.
func (s *Summary) addBin(b int, c uint64) {
	if b < s.bufFirst || b >= s.bufFirst+len(s.buf) {
		s.grow(b)
	}
	s.buf[b-s.bufFirst] += c
	if s.last < s.first {
		s.first, s.last = b, b
		return
	}
	s.first, s.last = min(s.first, b), max(s.last, b)
}

// grow reallocates the count buffer to cover bin b with slack on the side
// it grew, so that a window creeping one bin at a time costs amortised O(1).
func (s *Summary) grow(b int) {
	lo, hi := b, b+1
	if len(s.buf) > 0 {
		lo, hi = min(lo, s.bufFirst), max(hi, s.bufFirst+len(s.buf))
		slack := max(hi-lo, 16)
		if b < s.bufFirst {
			lo -= slack
		} else {
			hi += slack
		}
	} else {
		lo, hi = b-8, b+8
	}
	lo, hi = max(lo, 0), min(hi, s.bins)
	nb := make([]uint64, hi-lo)
	if len(s.buf) > 0 {
		copy(nb[s.bufFirst-lo:], s.buf)
	}
	s.buf, s.bufFirst = nb, lo
}

// growTo reallocates the count buffer to cover bins b0 to b1, with a
// quarter of the new window as slack on each side it grew: geometric
// growth, so that a window creeping a block at a time costs amortised
// O(1), with less memory than doubling.
func (s *Summary) growTo(b0, b1 int) {
	lo, hi := b0, b1+1
	if len(s.buf) > 0 {
		lo, hi = min(lo, s.bufFirst), max(hi, s.bufFirst+len(s.buf))
	}
	slack := max((hi-lo)/4, 8)
	if len(s.buf) == 0 || lo < s.bufFirst {
		lo -= slack
	}
	if len(s.buf) == 0 || hi > s.bufFirst+len(s.buf) {
		hi += slack
	}
	lo, hi = max(lo, 0), min(hi, s.bins)
	nb := make([]uint64, hi-lo)
	if len(s.buf) > 0 {
		copy(nb[s.bufFirst-lo:], s.buf)
	}
	s.buf, s.bufFirst = nb, lo
}

// Merge adds the values summarised by o to s. Both must have the same
// configuration (scale, range and bins).
func (s *Summary) Merge(o *Summary) error {
	if s.scale != o.scale || s.lo != o.lo || s.hi != o.hi || s.bins != o.bins {
		return fmt.Errorf("uq: Summary.Merge: configurations differ (%v [%g, %g] %d bins vs %v [%g, %g] %d bins)",
			s.scale, s.lo, s.hi, s.bins, o.scale, o.lo, o.hi, o.bins)
	}
	s.n += o.n
	s.nan += o.nan
	s.under += o.under
	s.over += o.over
	s.posInf += o.posInf
	s.negInf += o.negInf
	s.min, s.max = math.Min(s.min, o.min), math.Max(s.max, o.max)
	s.pos.merge(&o.pos)
	s.neg.merge(&o.neg)
	if o.last >= o.first {
		for b := o.first; b <= o.last; b++ {
			if c := o.buf[b-o.bufFirst]; c > 0 {
				s.addBin(b, c)
			}
		}
	}
	return nil
}

// Sum returns the sum of the values added, excluding NaNs, correctly
// rounded from the exact sum (+Inf/−Inf if infinities of one sign were
// added, NaN if both).
func (s *Summary) Sum() float64 {
	if inf, ok := s.infSum(); ok {
		return inf
	}
	f, _ := s.exact().Float64()
	return f
}

// Mean returns Sum()/Count(), computed from the exact sum (NaN if empty).
func (s *Summary) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	if inf, ok := s.infSum(); ok {
		return inf
	}
	q := new(big.Float).SetPrec(256).Quo(s.exact(), new(big.Float).SetUint64(s.n))
	f, _ := q.Float64()
	return f
}

func (s *Summary) infSum() (float64, bool) {
	switch {
	case s.posInf > 0 && s.negInf > 0:
		return math.NaN(), true
	case s.posInf > 0:
		return math.Inf(1), true
	case s.negInf > 0:
		return math.Inf(-1), true
	}
	return 0, false
}

// exact returns the exact finite sum as a big.Float.
func (s *Summary) exact() *big.Float {
	i := s.pos.bigInt()
	i.Sub(i, s.neg.bigInt())
	f := new(big.Float).SetInt(i)
	return f.SetMantExp(f, -1074)
}

// Quantile returns an estimate of the p-quantile of the non-NaN values
// added, defined like the sample quantile by linear interpolation between
// order statistics (Hyndman–Fan type 7): with h = p·(n−1), the estimate is
// v_⌊h⌋ + (h−⌊h⌋)(v_⌊h⌋+1 − v_⌊h⌋), where v_k estimates the k-th smallest
// value. The extreme order statistics are exact (Quantile(0) = Min,
// Quantile(1) = Max). The c values of a bin are taken to sit at fractions
// (j+½)/c of the bin — linearly on a Linear scale, geometrically on a Log
// scale — clamped to [Min, Max]; values below (above) the range are spread
// evenly between Min and lo (hi and Max), where no error bound applies.
// Because each v_k lies in the same bin as the true k-th value, the
// estimate is within [Summary.ErrorBound] of the exact sample quantile when
// both neighbouring order statistics are inside the range. It returns NaN
// if the summary is empty or p is outside [0, 1].
func (s *Summary) Quantile(p float64) float64 {
	if s.n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	h := p * float64(s.n-1)
	k := uint64(h)
	if k >= s.n-1 {
		return s.max
	}
	f := h - float64(k)
	v := s.orderStat(k)
	if f == 0 {
		return v
	}
	w := s.orderStat(k + 1)
	if v == w {
		return v
	}
	return v + f*(w-v)
}

// orderStat estimates the k-th smallest value (0-based, k < n).
func (s *Summary) orderStat(k uint64) float64 {
	switch {
	case k == 0:
		return s.min
	case k == s.n-1:
		return s.max
	case k < s.under:
		if math.IsInf(s.min, -1) {
			return s.min
		}
		top := math.Min(s.lo, s.max)
		return s.min + float64(k)/float64(s.under)*(top-s.min)
	}
	k -= s.under
	if k >= s.inRange() {
		k -= s.inRange()
		if math.IsInf(s.max, 1) {
			return s.max
		}
		bottom := math.Max(s.hi, s.min)
		return bottom + float64(k+1)/float64(s.over)*(s.max-bottom)
	}
	for b := s.first; b <= s.last; b++ {
		c := s.buf[b-s.bufFirst]
		if k >= c {
			k -= c
			continue
		}
		t := float64(b) + (float64(k)+0.5)/float64(c)
		var x float64
		switch s.scale {
		case Log2:
			e := b >> s.sub
			x = math.Ldexp(1+(t-float64(e<<s.sub))/float64(int(1)<<s.sub), s.e0+e)
		case Log:
			x = math.Exp(s.origin + t*s.width)
		default:
			x = s.origin + t*s.width
		}
		return math.Max(s.min, math.Min(s.max, x))
	}
	panic("uq: Summary: inconsistent counts")
}

// ---------------------------------------------------------------- encoding

const summaryMagic = "UQS1"

// MarshalBinary encodes the summary compactly (its configuration, exact
// counters, exact sum and the occupied window of bin counts as varints).
// The encoding is canonical: equal states give equal bytes, so the
// encodings of a merged and a single-pass summary can be compared
// directly. Its size is bounded by the number of bins, independent of the
// number of values.
func (s *Summary) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 128+2*(s.last-s.first+1))
	b = append(b, summaryMagic...)
	b = append(b, byte(s.scale))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.lo))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.hi))
	b = binary.AppendUvarint(b, uint64(s.bins))
	for _, v := range []uint64{s.n, s.nan, s.under, s.over, s.posInf, s.negInf} {
		b = binary.AppendUvarint(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.min))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.max))
	b = s.pos.appendTo(b)
	b = s.neg.appendTo(b)
	if s.inRange() > 0 {
		b = binary.AppendUvarint(b, uint64(s.first))
		b = binary.AppendUvarint(b, uint64(s.last-s.first+1))
		for _, c := range s.buf[s.first-s.bufFirst : s.last-s.bufFirst+1] {
			b = binary.AppendUvarint(b, c)
		}
	}
	return b, nil
}

var errSummaryData = errors.New("uq: Summary.UnmarshalBinary: malformed data")

// UnmarshalBinary replaces s with the summary encoded by MarshalBinary,
// validating its consistency.
func (s *Summary) UnmarshalBinary(data []byte) error {
	r := reader{b: data}
	if string(r.next(len(summaryMagic))) != summaryMagic {
		return errSummaryData
	}
	scale := Scale(r.byte1())
	lo, hi := r.f64(), r.f64()
	bins := r.uvarint()
	if r.err != nil || bins > maxBins {
		return errSummaryData
	}
	if !validSummaryConfig(scale, lo, hi, int(bins)) {
		return errSummaryData
	}
	t := newSummary(scale, lo, hi, int(bins))
	t.n, t.nan, t.under, t.over, t.posInf, t.negInf = r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint()
	t.min, t.max = r.f64(), r.f64()
	t.pos.readFrom(&r)
	t.neg.readFrom(&r)
	if r.err != nil || t.under > t.n || t.over > t.n-t.under || t.posInf > t.over || t.negInf > t.under {
		return errSummaryData
	}
	if t.n == 0 {
		if t.min != math.Inf(1) || t.max != math.Inf(-1) {
			return errSummaryData
		}
	} else if math.IsNaN(t.min) || math.IsNaN(t.max) || t.min > t.max {
		return errSummaryData
	}
	if m := t.inRange(); m > 0 {
		first, width := r.uvarint(), r.uvarint()
		// Each count takes at least one byte: reject before allocating.
		if r.err != nil || width == 0 || first >= bins || width > bins-first || width > uint64(len(r.b)) {
			return errSummaryData
		}
		t.first, t.last = int(first), int(first+width-1)
		t.bufFirst, t.buf = t.first, make([]uint64, width)
		var total uint64
		for i := range t.buf {
			c := r.uvarint()
			if total+c < total {
				return errSummaryData
			}
			t.buf[i], total = c, total+c
		}
		if r.err != nil || total != m || t.buf[0] == 0 || t.buf[width-1] == 0 {
			return errSummaryData
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return errSummaryData
	}
	*s = *t
	return nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil || len(r.b) < n {
		r.err = errSummaryData
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) byte1() byte {
	if b := r.next(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.next(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	// binary.Uvarint reports n == 0 for a truncated varint and n < 0 for
	// one that overflows 64 bits or runs past ten bytes, but accepts
	// padded encodings such as 0x80 0x00 for 0. MarshalBinary writes the
	// minimal form only, so a varint whose last byte is zero (beyond the
	// first) is refused: otherwise two encodings would decode to one
	// summary and the encoding would not be canonical.
	v, n := binary.Uvarint(r.b)
	if n <= 0 || (n > 1 && r.b[n-1] == 0) {
		r.err = errSummaryData
		return 0
	}
	r.b = r.b[n:]
	return v
}

// --------------------------------------------------------- exact summation

// accWords is the size of the exact accumulator in 64-bit words: finite
// float64 values are integer multiples of 2^−1074 below 2^1024, i.e.
// integers below 2^2098 in that unit; 2^64 of them sum below 2^2162 <
// 2^(64·34).
const accWords = 34

// exactSum is an exact fixed-point accumulator of non-negative float64
// values: the value is Σ w[i]·2^(64i) · 2^−1074. Addition is exact, hence
// associative and commutative.
type exactSum struct{ w [accWords]uint64 }

func (a *exactSum) add(x float64) {
	u := math.Float64bits(x)
	exp := int(u >> 52 & 0x7ff)
	mant := u & (1<<52 - 1)
	shift := 0
	if exp != 0 {
		mant |= 1 << 52
		shift = exp - 1
	}
	i, off := shift/64, uint(shift%64)
	var c uint64
	a.w[i], c = bits.Add64(a.w[i], mant<<off, 0)
	// For off == 0 the shift count is 64 and Go defines the result as 0.
	a.w[i+1], c = bits.Add64(a.w[i+1], mant>>(64-off), c)
	for j := i + 2; c != 0 && j < accWords; j++ {
		a.w[j], c = bits.Add64(a.w[j], 0, c)
	}
}

// addWide adds the 128-bit integer hi·2^64 + lo times 2^shift.
func (a *exactSum) addWide(lo, hi uint64, shift int) {
	i, off := shift/64, uint(shift%64)
	var c uint64
	a.w[i], c = bits.Add64(a.w[i], lo<<off, 0)
	a.w[i+1], c = bits.Add64(a.w[i+1], lo>>(64-off)|hi<<off, c)
	a.w[i+2], c = bits.Add64(a.w[i+2], hi>>(64-off), c)
	for j := i + 3; c != 0 && j < accWords; j++ {
		a.w[j], c = bits.Add64(a.w[j], 0, c)
	}
}

func (a *exactSum) merge(o *exactSum) {
	var c uint64
	for j := range a.w {
		a.w[j], c = bits.Add64(a.w[j], o.w[j], c)
	}
}

func (a *exactSum) bigInt() *big.Int {
	var be [accWords * 8]byte
	for j, w := range a.w {
		binary.BigEndian.PutUint64(be[(accWords-1-j)*8:], w)
	}
	return new(big.Int).SetBytes(be[:])
}

// appendTo encodes the number of significant words and those words.
func (a *exactSum) appendTo(b []byte) []byte {
	k := accWords
	for k > 0 && a.w[k-1] == 0 {
		k--
	}
	b = binary.AppendUvarint(b, uint64(k))
	for _, w := range a.w[:k] {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func (a *exactSum) readFrom(r *reader) {
	k := r.uvarint()
	if k > accWords {
		r.err = errSummaryData
		return
	}
	*a = exactSum{}
	for j := range int(k) {
		a.w[j] = r.u64()
	}
	if k > 0 && a.w[k-1] == 0 {
		r.err = errSummaryData
	}
}
