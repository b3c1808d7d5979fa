package uq

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Design is an experimental design: a fixed, ordered list of runs, each a
// point in Dim dimensions. Point computes run i's point on demand, so large
// designs need not be materialised; implementations in this package are
// read-only after construction and Point is safe for concurrent use.
//
// Coordinates are in the unit hypercube (to be mapped through
// [Dist.Quantile]) except for [Grid] and [OAT], which return whatever values
// they were built from.
type Design interface {
	// Runs returns the number of runs.
	Runs() int
	// Dim returns the number of coordinates of each point.
	Dim() int
	// Point writes run's coordinates into dst (len(dst) == Dim()). It
	// panics if run is outside [0, Runs()) or dst has the wrong length.
	Point(run int, dst []float64)
}

func checkPoint(name string, d Design, run int, dst []float64) {
	if run < 0 || run >= d.Runs() {
		panic(fmt.Sprintf("uq: %s.Point: run %d outside [0, %d)", name, run, d.Runs()))
	}
	if len(dst) != d.Dim() {
		panic(fmt.Sprintf("uq: %s.Point: len(dst) = %d, want %d", name, len(dst), d.Dim()))
	}
}

// maxRuns bounds design sizes so that run indices and products stay well
// inside int on every platform.
const maxRuns = 1 << 40

// ------------------------------------------------------------------ Points

// Points is a design stored as an n×d row-major matrix.
type Points struct {
	n, d int
	x    []float64
}

// NewPoints wraps the row-major matrix x with d columns (len(x) must be a
// positive multiple of d). The slice is used, not copied.
func NewPoints(x []float64, d int) (*Points, error) {
	if d < 1 || len(x) == 0 || len(x)%d != 0 {
		return nil, fmt.Errorf("uq: NewPoints: %d values do not form rows of %d columns", len(x), d)
	}
	return &Points{n: len(x) / d, d: d, x: x}, nil
}

// Runs returns the number of rows.
func (p *Points) Runs() int { return p.n }

// Dim returns the number of columns.
func (p *Points) Dim() int { return p.d }

// Point copies row run into dst.
func (p *Points) Point(run int, dst []float64) {
	checkPoint("Points", p, run, dst)
	copy(dst, p.x[run*p.d:(run+1)*p.d])
}

// Data returns the underlying row-major matrix (shared, not copied).
func (p *Points) Data() []float64 { return p.x }

// LatinHypercube returns an n-point Latin hypercube in d dimensions: in
// every column each of the n strata [k/n, (k+1)/n) holds exactly one point,
// placed uniformly at random inside its stratum ("jittered"), and the strata
// are paired across columns by independent random permutations. Draws from
// rng column by column (a permutation, then n jitters), so the design is a
// deterministic function of rng's state. Coordinates lie strictly in (0, 1).
func LatinHypercube(n, d int, rng *rand.Rand) (*Points, error) {
	if n < 1 || d < 1 || n > maxRuns/d {
		return nil, fmt.Errorf("uq: LatinHypercube(%d, %d): need n, d ≥ 1 and n·d ≤ 2^40", n, d)
	}
	if rng == nil {
		return nil, errNilRand
	}
	x := make([]float64, n*d)
	perm := make([]int, n)
	for j := range d {
		for i := range perm {
			perm[i] = i
		}
		rng.Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		for i := range n {
			// (k + u)/n with u in (0, 1); the min keeps rounding inside the stratum's closure below 1.
			x[i*d+j] = math.Min((float64(perm[i])+openUnit(rng))/float64(n), math.Nextafter(1, 0))
		}
	}
	return &Points{n: n, d: d, x: x}, nil
}

// ------------------------------------------------------------------- Sobol

type sobolDesign struct {
	s *Sobol
	n int
}

// Design returns the first n points of the generator as a [Design] whose
// run i is point i (see [Sobol.At]); it does not use or change the state of
// Next.
func (s *Sobol) Design(n int) (Design, error) {
	if n < 1 || n > maxRuns {
		return nil, fmt.Errorf("uq: Sobol.Design(%d): need 1 ≤ n ≤ 2^40", n)
	}
	return &sobolDesign{s: s, n: n}, nil
}

func (d *sobolDesign) Runs() int { return d.n }
func (d *sobolDesign) Dim() int  { return d.s.dim }
func (d *sobolDesign) Point(run int, dst []float64) {
	checkPoint("Sobol design", d, run, dst)
	d.s.At(uint64(run), dst)
}

// ------------------------------------------------------------------- Grid

// Grid is a full factorial design: every combination of the given levels of
// each factor. Runs are ordered like nested loops with the last factor
// varying fastest.
type Grid struct {
	axes    [][]float64
	strides []int
	n       int
}

// NewGrid returns the full factorial grid over axes (axes[j] lists the
// levels of factor j, in the order they are to be visited). Levels may be
// unit-cube coordinates or native values; they must be finite. The axes are
// copied.
func NewGrid(axes [][]float64) (*Grid, error) {
	if len(axes) == 0 {
		return nil, errors.New("uq: NewGrid: no axes")
	}
	g := &Grid{axes: make([][]float64, len(axes)), strides: make([]int, len(axes)), n: 1}
	for j := len(axes) - 1; j >= 0; j-- {
		a := axes[j]
		if len(a) == 0 {
			return nil, fmt.Errorf("uq: NewGrid: axis %d has no levels", j)
		}
		for _, v := range a {
			if !isFinite(v) {
				return nil, fmt.Errorf("uq: NewGrid: axis %d has non-finite level %g", j, v)
			}
		}
		if g.n > maxRuns/len(a) {
			return nil, errors.New("uq: NewGrid: more than 2^40 runs")
		}
		g.axes[j] = append([]float64(nil), a...)
		g.strides[j] = g.n
		g.n *= len(a)
	}
	return g, nil
}

// Runs returns the product of the numbers of levels.
func (g *Grid) Runs() int { return g.n }

// Dim returns the number of factors.
func (g *Grid) Dim() int { return len(g.axes) }

// Point writes the levels of run into dst.
func (g *Grid) Point(run int, dst []float64) {
	checkPoint("Grid", g, run, dst)
	for j, a := range g.axes {
		dst[j] = a[run/g.strides[j]%len(a)]
	}
}

// EvenLevels returns n evenly spaced levels from lo to hi inclusive (n ≥ 2,
// or n == 1 for the single midpoint).
func EvenLevels(lo, hi float64, n int) ([]float64, error) {
	if n < 1 || !isFinite(lo) || !isFinite(hi) || !(lo <= hi) {
		return nil, fmt.Errorf("uq: EvenLevels(%g, %g, %d): need finite lo ≤ hi and n ≥ 1", lo, hi, n)
	}
	if n == 1 {
		return []float64{lo/2 + hi/2}, nil
	}
	out := make([]float64, n)
	for k := range out {
		f := float64(k) / float64(n-1)
		out[k] = lo*(1-f) + hi*f
	}
	out[n-1] = hi
	return out, nil
}

// ---------------------------------------------------------------- Saltelli

// Saltelli is the sampling design of A. Saltelli et al., "Variance based
// sensitivity analysis of model output. Design and estimator for the total
// sensitivity index", Comput. Phys. Commun. 181 (2010) 259–270, for
// first-order and total Sobol' indices of d factors.
//
// A base matrix of N points in 2d dimensions — the first N points of a
// Sobol' sequence — is split into A (columns 0..d-1) and B (columns
// d..2d-1); AB_i is A with column i taken from B. The N·(d+2) runs are
// ordered block by block: runs [0, N) are A, [N, 2N) are B and
// [(2+i)N, (3+i)N) are AB_i, so the outputs for each block are contiguous
// (see [Saltelli.Split]). Points are computed from their run index alone.
//
// A replicated design ([NewSaltelliReplicates]) splits the N base rows
// into R contiguous groups, each the start of its own independently
// scrambled sequence, so that the spread between groups measures the
// estimator's error (see [EstimateSobolReplicates]).
type Saltelli struct {
	n, d int
	base *Sobol   // the sequence of replicate 0
	reps []*Sobol // one sequence per replicate (reps[0] == base)
}

// MaxReplicates bounds the replicates of a Saltelli design.
const MaxReplicates = 1 << 16

// NewSaltelli returns the Saltelli design with n base points for d factors
// (1 ≤ d ≤ MaxSobolDim/2). The base sequence is a Sobol' sequence scrambled
// with rng (see [NewSobol]), or unscrambled without its origin if rng is
// nil. Powers of two for n give the best accuracy.
func NewSaltelli(n, d int, rng *rand.Rand) (*Saltelli, error) {
	return NewSaltelliReplicates(n, d, 1, rng)
}

// NewSaltelliReplicates returns a Saltelli design with n base points for d
// factors made of reps independent randomisations (1 ≤ reps ≤ n and
// [MaxReplicates]): base rows [r·n/reps, (r+1)·n/reps) (integer division)
// are the first points of a Sobol' sequence with its own scramble, drawn
// from rng for replicate 0, then 1, and so on (see [NewSobol]). A
// replicate's points thus depend on rng's state and r alone, not on n or
// reps, and one replicate is exactly the design of [NewSaltelli]. rng may
// be nil only for one replicate (the unscrambled sequence). Powers of two
// for n/reps give the best accuracy.
func NewSaltelliReplicates(n, d, reps int, rng *rand.Rand) (*Saltelli, error) {
	if d < 1 || 2*d > MaxSobolDim {
		return nil, fmt.Errorf("uq: NewSaltelli: %d factors outside [1, %d]", d, MaxSobolDim/2)
	}
	if n < 2 || n > maxRuns/(d+2) {
		return nil, fmt.Errorf("uq: NewSaltelli: N = %d, need 2 ≤ N and N·(d+2) ≤ 2^40", n)
	}
	if reps < 1 || reps > n || reps > MaxReplicates {
		return nil, fmt.Errorf("uq: NewSaltelliReplicates: %d replicates, need 1 to min(N = %d, %d)", reps, n, MaxReplicates)
	}
	if reps > 1 && rng == nil {
		return nil, errNilRand
	}
	s := &Saltelli{n: n, d: d, reps: make([]*Sobol, reps)}
	for r := range s.reps {
		var err error
		if s.reps[r], err = NewSobol(2*d, rng); err != nil {
			return nil, err
		}
	}
	s.base = s.reps[0]
	return s, nil
}

// N returns the number of base points.
func (s *Saltelli) N() int { return s.n }

// Replicates returns the number R of independent randomisations.
func (s *Saltelli) Replicates() int { return len(s.reps) }

// Replicate returns the replicate a base row (0 ≤ row < N) belongs to and
// the rows [lo, hi) of that replicate.
func (s *Saltelli) Replicate(row int) (r, lo, hi int) {
	if row < 0 || row >= s.n {
		panic(fmt.Sprintf("uq: Saltelli.Replicate: row %d outside [0, %d)", row, s.n))
	}
	r = replicateOf(row, s.n, len(s.reps))
	lo, hi = replicateRows(r, s.n, len(s.reps))
	return r, lo, hi
}

// replicateRows returns the rows [r·n/reps, (r+1)·n/reps) of replicate r.
func replicateRows(r, n, reps int) (lo, hi int) { return r * n / reps, (r + 1) * n / reps }

// replicateOf returns the replicate holding row: the r with
// r·n/reps ≤ row < (r+1)·n/reps.
func replicateOf(row, n, reps int) int { return ((row+1)*reps - 1) / n }

// Runs returns N·(d+2).
func (s *Saltelli) Runs() int { return s.n * (s.d + 2) }

// Dim returns the number of factors d.
func (s *Saltelli) Dim() int { return s.d }

// Block returns which matrix run belongs to (0 for A, 1 for B, 2+i for
// AB_i) and its row within that matrix.
func (s *Saltelli) Block(run int) (block, row int) { return run / s.n, run % s.n }

// Point writes run's unit-cube point into dst.
func (s *Saltelli) Point(run int, dst []float64) {
	checkPoint("Saltelli", s, run, dst)
	block, row := s.Block(run)
	base, k := s.base, uint64(row)
	if len(s.reps) > 1 {
		r := replicateOf(row, s.n, len(s.reps))
		lo, _ := replicateRows(r, s.n, len(s.reps))
		base, k = s.reps[r], uint64(row-lo)
	}
	if block == 1 {
		for j := range dst {
			dst[j] = base.Coord(k, s.d+j)
		}
		return
	}
	for j := range dst {
		dst[j] = base.Coord(k, j)
	}
	if block >= 2 {
		i := block - 2
		dst[i] = base.Coord(k, s.d+i)
	}
}

// Split slices the outputs y (one per run, in run order) into f(A), f(B)
// and f(AB_i), sharing y's storage.
func (s *Saltelli) Split(y []float64) (fA, fB []float64, fAB [][]float64, err error) {
	if len(y) != s.Runs() {
		return nil, nil, nil, fmt.Errorf("uq: Saltelli.Split: %d outputs, want %d", len(y), s.Runs())
	}
	n := s.n
	fAB = make([][]float64, s.d)
	for i := range fAB {
		fAB[i] = y[(2+i)*n : (3+i)*n : (3+i)*n]
	}
	return y[:n:n], y[n : 2*n : 2*n], fAB, nil
}

// ------------------------------------------------------------------ Morris

// Morris is the elementary-effects screening design of M. D. Morris,
// "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33 (1991) 161–174: r random one-factor-at-a-time
// trajectories of d+1 points on the p-level grid {0, 1/(p−1), ..., 1}, each
// step moving one factor by ±Δ with Δ = p/(2(p−1)). Every factor moves
// exactly once per trajectory, in a random order and direction. The
// improved (maximally spread) trajectory selection of Campolongo et al. is
// not implemented.
//
// Run t·(d+1)+k is point k of trajectory t. Note that grid levels include 0
// and 1, the ends of the support: map them through bounded (or truncated)
// distributions.
type Morris struct {
	r, d, p int
	level   []int32 // r·d starting levels in [0, p)
	order   []int32 // r·d: factor moved at each step of each trajectory
}

// NewMorris returns r trajectories (r ≥ 2) for d factors on a p-level grid
// (p ≥ 2 and even, so that Δ falls on the grid). For each trajectory it
// draws, from rng, each factor's base level in {0, ..., p/2−1} and
// direction, then a random order of the factors.
func NewMorris(r, d, p int, rng *rand.Rand) (*Morris, error) {
	if r < 2 || d < 1 || p < 2 || p%2 != 0 || p > 1<<20 || r > maxRuns/(d+1) {
		return nil, fmt.Errorf("uq: NewMorris(r=%d, d=%d, p=%d): need r ≥ 2, d ≥ 1, even p ≥ 2", r, d, p)
	}
	if rng == nil {
		return nil, errNilRand
	}
	m := &Morris{r: r, d: d, p: p, level: make([]int32, r*d), order: make([]int32, r*d)}
	half := p / 2
	for t := range r {
		lv := m.level[t*d : (t+1)*d]
		for i := range lv {
			base := rng.IntN(half)
			if rng.IntN(2) == 0 {
				lv[i] = int32(base) // moves up by Δ
			} else {
				lv[i] = int32(base + half) // moves down by Δ
			}
		}
		ord := m.order[t*d : (t+1)*d]
		for i := range ord {
			ord[i] = int32(i)
		}
		rng.Shuffle(d, func(a, b int) { ord[a], ord[b] = ord[b], ord[a] })
	}
	return m, nil
}

// Trajectories returns r.
func (m *Morris) Trajectories() int { return m.r }

// Levels returns p.
func (m *Morris) Levels() int { return m.p }

// Delta returns the step Δ = p/(2(p−1)) in unit-cube coordinates.
func (m *Morris) Delta() float64 { return float64(m.p/2) / float64(m.p-1) }

// Runs returns r·(d+1).
func (m *Morris) Runs() int { return m.r * (m.d + 1) }

// Dim returns the number of factors d.
func (m *Morris) Dim() int { return m.d }

// Step returns the factor moved between points k and k+1 of trajectory t
// (0 ≤ k < d) and the signed change of its unit-cube coordinate (±Δ).
func (m *Morris) Step(t, k int) (factor int, delta float64) {
	if t < 0 || t >= m.r || k < 0 || k >= m.d {
		panic(fmt.Sprintf("uq: Morris.Step(%d, %d) out of range", t, k))
	}
	i := int(m.order[t*m.d+k])
	if int(m.level[t*m.d+i]) < m.p/2 {
		return i, m.Delta()
	}
	return i, -m.Delta()
}

// Point writes run's grid point into dst.
func (m *Morris) Point(run int, dst []float64) {
	checkPoint("Morris", m, run, dst)
	t, k := run/(m.d+1), run%(m.d+1)
	lv := m.level[t*m.d : (t+1)*m.d]
	for i, l := range lv {
		dst[i] = float64(l) / float64(m.p-1)
	}
	half := int32(m.p / 2)
	for s := range k {
		i := m.order[t*m.d+s]
		l := lv[i]
		if l < half {
			l += half
		} else {
			l -= half
		}
		dst[i] = float64(l) / float64(m.p-1)
	}
}

// --------------------------------------------------------------------- OAT

// OAT is a one-at-a-time design: run 0 is the base point, run 1+2i moves
// factor i alone to low[i] and run 2+2i moves it to high[i]. Coordinates are
// whatever the caller supplies (unit-cube or native values).
type OAT struct {
	base, low, high []float64
}

// NewOAT returns the one-at-a-time design around base (2·d+1 runs). The
// three slices must have the same positive length and finite values; they
// are copied.
func NewOAT(base, low, high []float64) (*OAT, error) {
	d := len(base)
	if d == 0 || len(low) != d || len(high) != d {
		return nil, fmt.Errorf("uq: NewOAT: lengths %d, %d, %d must be equal and positive", len(base), len(low), len(high))
	}
	for _, s := range [][]float64{base, low, high} {
		for i, v := range s {
			if !isFinite(v) {
				return nil, fmt.Errorf("uq: NewOAT: factor %d has non-finite value %g", i, v)
			}
		}
	}
	c := func(s []float64) []float64 { return append([]float64(nil), s...) }
	return &OAT{base: c(base), low: c(low), high: c(high)}, nil
}

// Runs returns 2·d+1.
func (o *OAT) Runs() int { return 2*len(o.base) + 1 }

// Dim returns the number of factors d.
func (o *OAT) Dim() int { return len(o.base) }

// Point writes run's point into dst.
func (o *OAT) Point(run int, dst []float64) {
	checkPoint("OAT", o, run, dst)
	copy(dst, o.base)
	if run == 0 {
		return
	}
	i := (run - 1) / 2
	if run%2 == 1 {
		dst[i] = o.low[i]
	} else {
		dst[i] = o.high[i]
	}
}
