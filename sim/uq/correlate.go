package uq

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// ValidateCorrelation checks that c is a d×d row-major correlation matrix:
// finite, symmetric (to 1e-12), unit diagonal, off-diagonal entries in
// [−1, 1], and positive definite (by a Cholesky factorisation). It returns
// the lower Cholesky factor.
func ValidateCorrelation(c []float64, d int) (*mat.TriDense, error) {
	if d < 1 || len(c) != d*d {
		return nil, fmt.Errorf("uq: correlation matrix has %d entries, want %d×%d", len(c), d, d)
	}
	for i := range d {
		for j := range d {
			v := c[i*d+j]
			switch {
			case !isFinite(v) || v < -1 || v > 1:
				return nil, fmt.Errorf("uq: correlation[%d][%d] = %g, need a finite value in [-1, 1]", i, j, v)
			case i == j && math.Abs(v-1) > 1e-12:
				return nil, fmt.Errorf("uq: correlation[%d][%d] = %g, need 1 on the diagonal", i, j, v)
			case math.Abs(v-c[j*d+i]) > 1e-12:
				return nil, fmt.Errorf("uq: correlation matrix is not symmetric at [%d][%d]", i, j)
			}
		}
	}
	return cholesky(c, d)
}

func cholesky(c []float64, d int) (*mat.TriDense, error) {
	sym := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			sym.SetSym(i, j, c[i*d+j])
		}
	}
	return choleskySym(sym)
}

func choleskySym(sym mat.Symmetric) (*mat.TriDense, error) {
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, fmt.Errorf("uq: correlation matrix is not positive definite")
	}
	var l mat.TriDense
	ch.LTo(&l)
	return &l, nil
}

// ImanConover reorders, in place, the entries of each column of the n×d
// row-major sample x so that its Spearman rank-correlation matrix
// approximates target (d×d, row-major, validated by [ValidateCorrelation]),
// following R. L. Iman and W. J. Conover, "A distribution-free approach to
// inducing rank correlation among input variables", Commun. Stat. Simul.
// Comput. 11 (1982) 311–334. Each column keeps exactly its multiset of
// values, so marginal distributions are unchanged.
//
// Method: a score matrix R has in every column an independent random
// permutation (drawn from rng, column by column) of the van der Waerden
// scores Φ⁻¹(k/(n+1)); with E = QQᵀ the Cholesky factorisation of R's
// sample correlation and P Pᵀ the target, R* = R Q⁻ᵀ Pᵀ has sample
// correlation exactly P Pᵀ, and each column of x is rearranged to have the
// ranks of the corresponding column of R*. Because the scores are normal,
// the Pearson target is first converted to 2·sin(π·ρ/6), the Pearson
// correlation of a bivariate normal whose Spearman correlation is ρ (if the
// converted matrix is not positive definite the target is used as is).
// The result is a deterministic function of x, target and rng's state; it
// needs n > d.
func ImanConover(x []float64, d int, target []float64, rng *rand.Rand) error {
	if d < 1 || len(x)%d != 0 {
		return fmt.Errorf("uq: ImanConover: %d values do not form rows of %d columns", len(x), d)
	}
	n := len(x) / d
	if n <= d {
		return fmt.Errorf("uq: ImanConover: %d rows, need more than the %d columns", n, d)
	}
	if rng == nil {
		return errNilRand
	}
	p, err := ValidateCorrelation(target, d)
	if err != nil {
		return err
	}
	adj := make([]float64, d*d)
	for i, v := range target {
		adj[i] = 2 * math.Sin(math.Pi*v/6)
	}
	for i := range d {
		adj[i*d+i] = 1
	}
	if pa, err := cholesky(adj, d); err == nil {
		p = pa
	}

	scores := make([]float64, n)
	for k := range scores {
		scores[k] = mathext.NormalQuantile(float64(k+1) / float64(n+1))
	}
	r := mat.NewDense(n, d, nil)
	col := make([]float64, n)
	for j := range d {
		copy(col, scores)
		rng.Shuffle(n, func(a, b int) { col[a], col[b] = col[b], col[a] })
		r.SetCol(j, col)
	}
	// The score columns all have mean 0 (the scores are symmetric) and the
	// same variance, so their correlation is RᵀR / Σ s².
	var ss float64
	for _, s := range scores {
		ss += s * s
	}
	var e mat.SymDense
	e.SymOuterK(1/ss, r.T())
	q, err := choleskySym(&e)
	if err != nil {
		return fmt.Errorf("uq: ImanConover: score correlation is singular (n = %d too small?)", n)
	}
	var qinv mat.TriDense
	if err := qinv.InverseTri(q); err != nil {
		return fmt.Errorf("uq: ImanConover: %w", err)
	}
	var m, rstar mat.Dense
	m.Mul(qinv.T(), p.T())
	rstar.Mul(r, &m)

	order := make([]int, n)
	vals := make([]float64, n)
	for j := range d {
		for i := range n {
			order[i] = i
			vals[i] = x[i*d+j]
		}
		slices.Sort(vals)
		mat.Col(col, j, &rstar)
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(col[a], col[b]) })
		for rank, row := range order {
			x[row*d+j] = vals[rank]
		}
	}
	return nil
}

// SpearmanMatrix returns the d×d row-major Spearman rank-correlation matrix
// of the columns of the n×d row-major sample x (ties get average ranks).
// Constant columns have correlation NaN with every other column.
func SpearmanMatrix(x []float64, d int) ([]float64, error) {
	if d < 1 || len(x) == 0 || len(x)%d != 0 {
		return nil, fmt.Errorf("uq: SpearmanMatrix: %d values do not form rows of %d columns", len(x), d)
	}
	n := len(x) / d
	ranks := make([][]float64, d)
	order := make([]int, n)
	for j := range d {
		rk := make([]float64, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(x[a*d+j], x[b*d+j]) })
		for lo := 0; lo < n; {
			hi := lo + 1
			for hi < n && x[order[hi]*d+j] == x[order[lo]*d+j] {
				hi++
			}
			avg := float64(lo+hi-1)/2 + 1
			for k := lo; k < hi; k++ {
				rk[order[k]] = avg
			}
			lo = hi
		}
		ranks[j] = rk
	}
	out := make([]float64, d*d)
	for a := range d {
		for b := a; b < d; b++ {
			c := pearson(ranks[a], ranks[b])
			if a == b && !math.IsNaN(c) {
				c = 1
			}
			out[a*d+b], out[b*d+a] = c, c
		}
	}
	return out, nil
}

func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}
