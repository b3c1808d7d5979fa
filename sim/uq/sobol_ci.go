package uq

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// EstimateSobolReplicates estimates first-order and total Sobol' indices,
// with Student-t confidence intervals at level, from the outputs of a
// Saltelli design made of reps independent randomisations (see
// [NewSaltelliReplicates]): rows [r·N/reps, (r+1)·N/reps) of fA, fB and
// each fAB[i] come from replicate r. The arguments are otherwise those of
// [EstimateSobol], and so are the point estimates: the estimators applied
// to all N rows at once, whose bias (they are ratios) is that of N rows,
// not of N/reps.
//
// The intervals fit the design. The points of one scrambled Sobol'
// sequence are not independent draws — they are spread more evenly than
// random points, which is what makes them accurate — so resampling them as
// if they were (the bootstrap of [EstimateSobol]) overstates the error,
// more so the larger N. Independent replicates, by contrast, are
// independent by construction: the error of the estimate is estimated from
// how the replicates differ. Each index is a smooth function of means over
// the rows (of f(A)+f(B), f(A)²+f(B)², f(B)·g_i, g_i and g_i², with
// g_i = f(AB_i) − f(A)); linearising it at the pooled means turns every
// replicate into one value z_r, and
//
//	SE² = R/(R−1) · Σ_r (n_r/N)² z_r²,   interval = estimate ± t_{R−1} · SE,
//
// where n_r is the replicate's number of rows and t_{R−1} the quantile of
// Student's t with R−1 degrees of freedom at (1+level)/2 (the delta method
// over replicates). With reps = N every replicate is one row and the
// interval is the plain Monte Carlo one.
//
// Because the replicates are separate sequences, the estimate itself is
// less accurate than on one sequence of N points: by √R where the error of
// one sequence falls like 1/N, more where it falls faster (with 8
// replicates, 1.5 times at N = 256 and 2.5–5 times at N = 1024–4096 on the
// Ishigami and G functions). A few replicates keep more of the accuracy;
// the t quantile keeps the intervals honest however few there are.
func EstimateSobolReplicates(fA, fB []float64, fAB [][]float64, reps int, level float64) (*SobolResult, error) {
	if err := checkSobolOutputs("EstimateSobolReplicates", fA, fB, fAB); err != nil {
		return nil, err
	}
	n, d := len(fA), len(fAB)
	switch {
	case reps < 2 || reps > n:
		return nil, fmt.Errorf("uq: EstimateSobolReplicates: %d replicates, need 2 ≤ R ≤ N = %d", reps, n)
	case !(level > 0 && level < 1):
		return nil, fmt.Errorf("uq: EstimateSobolReplicates: level %g, need 0 < level < 1", level)
	}
	var center float64
	for j := range n {
		center += fA[j] + fB[j]
	}
	center /= float64(2 * n)
	res := &SobolResult{N: n, S1: make([]float64, d), ST: make([]float64, d), Level: level, Replicates: reps}
	idx := make([]int, n)
	for j := range idx {
		idx[j] = j
	}
	res.Variance = sobolCore(fA, fB, fAB, idx, center, res.S1, res.ST, make([]float64, 3*d))
	if !(res.Variance > 0) {
		return nil, ErrZeroVariance
	}

	reps1 := make([]sobolMoments, reps)
	pool := newSobolMoments(d)
	for r := range reps1 {
		mr := newSobolMoments(d)
		lo, hi := replicateRows(r, n, reps)
		for j := lo; j < hi; j++ {
			a, b := fA[j]-center, fB[j]-center
			mr.m1 += a + b
			mr.m2 += a*a + b*b
			for i, f := range fAB {
				g := f[j] - center - a
				mr.p[i] += b * g
				mr.h[i] += g
				mr.w[i] += g * g
			}
		}
		pool.m1 += mr.m1
		pool.m2 += mr.m2
		for i := range d {
			pool.p[i] += mr.p[i]
			pool.h[i] += mr.h[i]
			pool.w[i] += mr.w[i]
		}
		mr.scale(hi - lo)
		reps1[r] = mr
	}
	pool.scale(n)

	// Linearisation at the pooled means: with V = m2 − m1²,
	// dV = dm2 − 2·m1·dm1,
	// dS1 = (dp − m1·dh − h·dm1 − S1·dV)/V and dST = (dw − ST·dV)/V.
	v := pool.m2 - pool.m1*pool.m1
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(reps - 1)}.Quantile((1 + level) / 2)
	res.S1Lo, res.S1Hi = make([]float64, d), make([]float64, d)
	res.STLo, res.STHi = make([]float64, d), make([]float64, d)
	for i := range d {
		var ss1, sst float64
		for r, mr := range reps1 {
			lo, hi := replicateRows(r, n, reps)
			wr := float64(hi-lo) / float64(n)
			dm1 := mr.m1 - pool.m1
			dv := mr.m2 - pool.m2 - 2*pool.m1*dm1
			z1 := (mr.p[i] - pool.p[i] - pool.m1*(mr.h[i]-pool.h[i]) - pool.h[i]*dm1 - res.S1[i]*dv) / v
			zt := (mr.w[i] - pool.w[i] - res.ST[i]*dv) / v
			ss1 += wr * wr * z1 * z1
			sst += wr * wr * zt * zt
		}
		k := float64(reps) / float64(reps-1)
		h1, ht := t*math.Sqrt(k*ss1), t*math.Sqrt(k*sst)
		res.S1Lo[i], res.S1Hi[i] = res.S1[i]-h1, res.S1[i]+h1
		res.STLo[i], res.STHi[i] = res.ST[i]-ht, res.ST[i]+ht
	}
	res.setFlags()
	return res, nil
}

// sobolMoments holds the means, over some rows, that Sobol' indices are
// functions of: of (a+b)/2 and (a²+b²)/2 and, per factor i, of b·g_i, g_i
// and g_i²/2, where a and b are f(A) and f(B) shifted by a common centre
// and g_i = f(AB_i) − f(A). They are accumulated as sums, then scaled.
type sobolMoments struct {
	m1, m2  float64
	p, h, w []float64
}

func newSobolMoments(d int) sobolMoments {
	return sobolMoments{p: make([]float64, d), h: make([]float64, d), w: make([]float64, d)}
}

// scale turns the sums over rows rows into means.
func (m *sobolMoments) scale(rows int) {
	k := 1 / float64(rows)
	m.m1 *= k / 2
	m.m2 *= k / 2
	for i := range m.p {
		m.p[i] *= k
		m.h[i] *= k
		m.w[i] *= k / 2
	}
}
