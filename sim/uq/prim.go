package uq

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// PRIMOptions configure PRIM (Friedman and Fisher 1999).
type PRIMOptions struct {
	// Alpha is the share of the points in the box each peel removes
	// (0.05 is usual).
	Alpha float64
	// MinSupport stops peeling when the box would hold fewer than this
	// share of all points.
	MinSupport float64
	// MinCoverage picks the box: the densest on the trajectory whose
	// coverage is at least this.
	MinCoverage float64
}

// Box is a box of input space: [Lo[j], Hi[j]] for each input.
type Box struct {
	Lo, Hi   []float64
	Coverage float64 // share of all cases (y true) that fall in the box
	Density  float64 // share of the box's points that are cases
	Support  float64 // share of all points in the box
}

// Restricted reports whether the box limits input j to less than the range
// the points span.
func (b *Box) Restricted(j int, full *Box) bool { return b.Lo[j] > full.Lo[j] || b.Hi[j] < full.Hi[j] }

// PRIMResult is PRIM's peeling trajectory and the box it picks.
type PRIMResult struct {
	BaseRate   float64 // share of all points that are cases
	Full       Box     // the range of the points
	Trajectory []Box   // from the full box to the last peel
	Chosen     int     // index in Trajectory of the box picked
}

// PRIM runs the patient rule induction method's peeling on n points of d
// inputs (x row-major, n×d) with cases y: at each step it removes the
// Alpha share of the box's points at the low or high end of one input,
// choosing the peel that leaves the densest box, until the box would hold
// less than MinSupport of the points. Ties are never split: a peel takes
// every point equal to its boundary. It is deterministic.
func PRIM(x []float64, d int, y []bool, o PRIMOptions) (*PRIMResult, error) {
	n := len(y)
	switch {
	case d < 1 || n < 2 || len(x) != n*d:
		return nil, fmt.Errorf("uq: PRIM: %d values for %d points of %d inputs", len(x), n, d)
	case !(o.Alpha > 0 && o.Alpha < 0.5) || !(o.MinSupport > 0 && o.MinSupport < 1) || !(o.MinCoverage >= 0 && o.MinCoverage <= 1):
		return nil, fmt.Errorf("uq: PRIM: want 0 < Alpha < 0.5, 0 < MinSupport < 1, 0 ≤ MinCoverage ≤ 1")
	}
	for _, v := range x {
		if math.IsNaN(v) {
			return nil, errors.New("uq: PRIM: an input value is NaN")
		}
	}
	cases := 0
	for _, c := range y {
		if c {
			cases++
		}
	}
	if cases == 0 {
		return nil, errors.New("uq: PRIM: no point is a case: nothing to find")
	}
	in := make([]int, n) // the points in the box
	for i := range in {
		in[i] = i
	}
	box := func(lo, hi []float64, in []int) Box {
		k := 0
		for _, i := range in {
			if y[i] {
				k++
			}
		}
		return Box{Lo: slices.Clone(lo), Hi: slices.Clone(hi), Coverage: float64(k) / float64(cases),
			Density: float64(k) / float64(len(in)), Support: float64(len(in)) / float64(n)}
	}
	lo, hi := make([]float64, d), make([]float64, d)
	for j := 0; j < d; j++ {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			lo[j], hi[j] = min(lo[j], x[i*d+j]), max(hi[j], x[i*d+j])
		}
	}
	res := &PRIMResult{BaseRate: float64(cases) / float64(n), Full: box(lo, hi, in)}
	res.Trajectory = append(res.Trajectory, res.Full)
	vals := make([]float64, 0, n)
	for {
		best, bestJ, bestLow, bestCut := -1.0, -1, false, 0.0
		for j := 0; j < d; j++ {
			vals = vals[:0]
			for _, i := range in {
				vals = append(vals, x[i*d+j])
			}
			slices.Sort(vals)
			k := max(1, int(o.Alpha*float64(len(vals))))
			for _, low := range []bool{true, false} {
				// keep x > cut (low peel) or x < cut (high peel)
				cut := vals[k-1]
				if !low {
					cut = vals[len(vals)-k]
				}
				kept, hits := 0, 0
				for _, i := range in {
					v := x[i*d+j]
					if (low && v > cut) || (!low && v < cut) {
						kept++
						if y[i] {
							hits++
						}
					}
				}
				if kept == 0 || float64(kept) < o.MinSupport*float64(n) {
					continue
				}
				if dens := float64(hits) / float64(kept); dens > best {
					best, bestJ, bestLow, bestCut = dens, j, low, cut
				}
			}
		}
		if bestJ < 0 {
			break
		}
		next := in[:0:0]
		for _, i := range in {
			v := x[i*d+bestJ]
			if (bestLow && v > bestCut) || (!bestLow && v < bestCut) {
				next = append(next, i)
			}
		}
		in = next
		// The box's limit is the nearest value kept, so that it is a value
		// the points hold.
		edge := math.Inf(1)
		if !bestLow {
			edge = math.Inf(-1)
		}
		for _, i := range in {
			if bestLow {
				edge = min(edge, x[i*d+bestJ])
			} else {
				edge = max(edge, x[i*d+bestJ])
			}
		}
		if bestLow {
			lo[bestJ] = edge
		} else {
			hi[bestJ] = edge
		}
		res.Trajectory = append(res.Trajectory, box(lo, hi, in))
	}
	res.Chosen = 0
	for k, b := range res.Trajectory {
		if b.Coverage >= o.MinCoverage && b.Density > res.Trajectory[res.Chosen].Density {
			res.Chosen = k
		}
	}
	return res, nil
}
