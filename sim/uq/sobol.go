package uq

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// MaxSobolDim (256) is the largest dimension supported by [NewSobol]:
// dimension 1 is the van der Corput sequence and dimensions 2..256 use the
// embedded Joe–Kuo direction numbers (see sobol_table.go). A Saltelli design
// with d factors needs 2d Sobol' dimensions, so it supports d ≤ 128.
const MaxSobolDim = len(joeKuo) + 1

// sobolBits is the number of bits of each coordinate's integer state. With
// 64 direction numbers per dimension the sequence has 2^64 distinct points.
const sobolBits = 64

type jkRow struct {
	s int      // degree of the primitive polynomial
	a uint32   // interior coefficients of the polynomial
	m []uint32 // initial direction integers m_1..m_s
}

// Sobol generates the Sobol' low-discrepancy sequence with the Joe–Kuo
// "new-joe-kuo-6.21201" direction numbers, optionally randomised.
//
// Unscrambled (rng == nil in [NewSobol]), the classic sequence is produced
// with its first point, the origin, skipped: the origin maps to −Inf under
// the quantile of any unbounded distribution. Point k of the generator is
// therefore point k+1 of the classic sequence, and its coordinates are exact
// dyadic rationals in (0, 1).
//
// Scrambled (rng != nil), the generator applies Matoušek's random linear
// matrix scramble followed by a random digital shift ("LMS + digital shift",
// J. Matoušek, "On the L2-discrepancy for anchored boxes", J. Complexity 14
// (1998); the default of SciPy's qmc.Sobol). This is not Owen's nested
// uniform scramble, but it preserves the (t, m, s)-net structure of the
// sequence, makes every point uniformly distributed on the unit cube and
// gives unbiased integral estimates. The origin is NOT skipped in this mode:
// after scrambling it is an ordinary point, and dropping it would break the
// balance of the first 2^m points (A. B. Owen, "On dropping the first Sobol'
// point", 2022). Scrambled coordinates are cell midpoints
// (k + 1/2)·2^−52, so they lie strictly inside (0, 1).
//
// Use powers of two for the number of points to get the best uniformity.
//
// Next advances internal state and is not safe for concurrent use; At is
// read-only and may be called from several goroutines at once.
type Sobol struct {
	dim       int
	scrambled bool
	offset    uint64   // sequence index of generator point 0 (1 if the origin is skipped)
	dirs      []uint64 // dim*sobolBits direction numbers, possibly scrambled
	shift     []uint64 // digital shift per dimension (zero when unscrambled)
	x         []uint64 // state: integer coordinates of sequence point idx-1
	idx       uint64   // sequence index of the next point Next returns
}

// NewSobol returns a Sobol' generator in dim dimensions (1 ≤ dim ≤
// [MaxSobolDim]). If rng is nil the sequence is unscrambled and skips the
// origin; otherwise it is scrambled with a linear matrix scramble and digital
// shift drawn from rng (dim·64 + dim calls of rng.Uint64, in dimension order),
// which makes the generator a deterministic function of rng's state.
func NewSobol(dim int, rng *rand.Rand) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("uq: Sobol dimension %d outside [1, %d]", dim, MaxSobolDim)
	}
	s := &Sobol{
		dim:   dim,
		dirs:  make([]uint64, dim*sobolBits),
		shift: make([]uint64, dim),
		x:     make([]uint64, dim),
	}
	for j := range dim {
		sobolDirections(j, s.dirs[j*sobolBits:(j+1)*sobolBits])
	}
	if rng == nil {
		s.offset = 1
	} else {
		s.scrambled = true
		var rows [sobolBits]uint64
		for j := range dim {
			// Random lower-triangular matrix with unit diagonal, stored by
			// rows: output bit (63-r) is the parity of rows[r] & input, and
			// rows[r] only involves input bits at least as significant.
			for r := range sobolBits {
				rows[r] = rng.Uint64()&^(^uint64(0)>>r) | 1<<(sobolBits-1-r)
			}
			v := s.dirs[j*sobolBits : (j+1)*sobolBits]
			for k := range v {
				v[k] = lmsApply(&rows, v[k])
			}
		}
		for j := range dim {
			s.shift[j] = rng.Uint64()
		}
	}
	s.Reset()
	return s, nil
}

// lmsApply multiplies the bit vector y (most significant bit first) by the
// binary matrix whose rows are given.
func lmsApply(rows *[sobolBits]uint64, y uint64) uint64 {
	var out uint64
	for r, row := range rows {
		out |= uint64(bits.OnesCount64(row&y)&1) << (sobolBits - 1 - r)
	}
	return out
}

// sobolDirections fills v with the 64 direction numbers of (0-based)
// dimension j, left-aligned in 64-bit words: v[k] = m_{k+1} / 2^{k+1}.
func sobolDirections(j int, v []uint64) {
	if j == 0 {
		for k := range v {
			v[k] = 1 << (sobolBits - 1 - k)
		}
		return
	}
	row := joeKuo[j-1]
	s := row.s
	for k := 0; k < s; k++ {
		v[k] = uint64(row.m[k]) << (sobolBits - 1 - k)
	}
	for k := s; k < sobolBits; k++ {
		x := v[k-s] ^ v[k-s]>>s
		for i := 1; i < s; i++ {
			if row.a>>(s-1-i)&1 == 1 {
				x ^= v[k-i]
			}
		}
		v[k] = x
	}
}

// Dim returns the dimension of the generator.
func (s *Sobol) Dim() int { return s.dim }

// Scrambled reports whether the sequence is randomised.
func (s *Sobol) Scrambled() bool { return s.scrambled }

// Index returns the generator index of the point the next call to Next
// returns (0 after construction or Reset).
func (s *Sobol) Index() uint64 { return s.idx - s.offset }

// Reset rewinds the generator to its first point.
func (s *Sobol) Reset() { s.Seek(0) }

// Seek positions the generator so that the next call to Next returns point
// k, in O(dim·64) time.
func (s *Sobol) Seek(k uint64) {
	s.idx = k + s.offset
	if s.idx == 0 {
		clear(s.x)
		return
	}
	for j := range s.dim {
		s.x[j] = s.raw(s.idx-1, j)
	}
}

// raw returns the integer coordinate j of sequence point i (before the
// digital shift) from its Gray code.
func (s *Sobol) raw(i uint64, j int) uint64 {
	g := i ^ i>>1
	v := s.dirs[j*sobolBits : (j+1)*sobolBits]
	var x uint64
	for g != 0 {
		x ^= v[bits.TrailingZeros64(g)]
		g &= g - 1
	}
	return x
}

func (s *Sobol) toFloat(x uint64, j int) float64 {
	if s.scrambled {
		return (float64((x^s.shift[j])>>12) + 0.5) * 0x1p-52
	}
	return float64(x>>11) * 0x1p-53
}

// Next writes the next point into dst, which must have length Dim.
func (s *Sobol) Next(dst []float64) {
	if len(dst) != s.dim {
		panic(fmt.Sprintf("uq: Sobol.Next: len(dst) = %d, want %d", len(dst), s.dim))
	}
	if s.idx != 0 {
		// Moving from point idx-1 to idx flips the direction number at the
		// position of the lowest set bit of idx (Gray-code order).
		c := bits.TrailingZeros64(s.idx)
		for j := range s.dim {
			s.x[j] ^= s.dirs[j*sobolBits+c]
		}
	}
	for j := range s.dim {
		dst[j] = s.toFloat(s.x[j], j)
	}
	s.idx++
}

// At writes point k (the point the k-th call to Next after Reset returns)
// into dst, which must have length Dim. It does not change the generator's
// state and is safe for concurrent use.
func (s *Sobol) At(k uint64, dst []float64) {
	if len(dst) != s.dim {
		panic(fmt.Sprintf("uq: Sobol.At: len(dst) = %d, want %d", len(dst), s.dim))
	}
	for j := range s.dim {
		dst[j] = s.Coord(k, j)
	}
}

// Coord returns coordinate j (0-based) of point k, in O(64) time. It is safe
// for concurrent use.
func (s *Sobol) Coord(k uint64, j int) float64 {
	if j < 0 || j >= s.dim {
		panic(fmt.Sprintf("uq: Sobol.Coord: dimension %d outside [0, %d)", j, s.dim))
	}
	return s.toFloat(s.raw(k+s.offset, j), j)
}

// openUnit returns a uniform variate strictly inside (0, 1): the midpoint of
// one of 2^52 equal cells.
func openUnit(rng *rand.Rand) float64 {
	return (float64(rng.Uint64()>>12) + 0.5) * 0x1p-52
}

var errNilRand = errors.New("uq: nil *rand.Rand")

// isFinite reports whether x is neither NaN nor ±Inf.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
