package study

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/chipsim/chipsim/sim/uq"
)

// ErrNonFinite reports an outcome that is infinite or NaN in some run
// (a first() that is never reached, say): indices need finite values.
var ErrNonFinite = errors.New("study: outcome is not finite in every run")

// NewSobolReplicates plans a Saltelli design of n·(d+2) runs for
// first-order and total Sobol indices of d inputs whose n base rows are
// split into reps replicates (1 ≤ reps ≤ n), each the start of its own
// scrambled Sobol sequence (uq.NewSaltelliReplicates): rows
// [r·n/reps, (r+1)·n/reps) belong to replicate r, whose scramble is the
// r-th drawn from the generator seeded with (seed, 0). Replicate r's
// points thus depend on seed and r alone, so a plan is the same for any
// number of workers or shards, and one replicate is the plan of
// [NewSobol]. [Plan.SobolIndices] then gives intervals from the spread
// between replicates, which fit the design where the bootstrap over rows
// does not.
func NewSobolReplicates(d, n, reps int, seed uint64) (*Plan, error) {
	if d == 0 {
		return nil, ErrNoInputs
	}
	s, err := uq.NewSaltelliReplicates(n, d, reps, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		return nil, err
	}
	return &Plan{Method: Sobol, design: s, dim: d, saltelli: s}, nil
}

// SobolIndices estimates the first-order and total Sobol indices of
// outcome k from the complete table of a Sobol plan, with intervals at
// level. A plan of several replicates (NewSobolReplicates) has Student-t
// intervals from the replicates (uq.EstimateSobolReplicates), and
// resamples and seed are not used. A plan of one scrambled sequence
// (NewSobol) has percentile bootstrap intervals from resamples drawn with
// (seed, 1+k), which treat its points as independent and so overstate
// the error.
func (p *Plan) SobolIndices(t *Table, k, resamples int, level float64, seed uint64) (*uq.SobolResult, error) {
	if p.saltelli == nil {
		return nil, fmt.Errorf("study: Sobol indices need a Sobol plan, not %s", p.Method)
	}
	y, err := p.column(t, k)
	if err != nil {
		return nil, err
	}
	fA, fB, fAB, err := p.saltelli.Split(y)
	if err != nil {
		return nil, err
	}
	if r := p.saltelli.Replicates(); r > 1 {
		return uq.EstimateSobolReplicates(fA, fB, fAB, r, level)
	}
	return uq.EstimateSobol(fA, fB, fAB, &uq.Bootstrap{Resamples: resamples, Level: level, Rand: rand.New(rand.NewPCG(seed, uint64(1+k)))})
}

// MorrisEffects estimates the elementary effects μ*, μ and σ of outcome
// k from the complete table of a Morris plan.
func (p *Plan) MorrisEffects(t *Table, k int) (*uq.MorrisResult, error) {
	if p.morris == nil {
		return nil, fmt.Errorf("study: elementary effects need a Morris plan, not %s", p.Method)
	}
	y, err := p.column(t, k)
	if err != nil {
		return nil, err
	}
	return uq.EstimateMorris(p.morris, y)
}

func (p *Plan) column(t *Table, k int) ([]float64, error) {
	if !t.Complete() || t.Runs != p.Runs() {
		return nil, fmt.Errorf("study: the table holds runs %d to %d of %d, want all %d of the plan", t.Lo, t.Hi-1, t.Runs, p.Runs())
	}
	if run := t.NonFinite(k); run >= 0 {
		return nil, fmt.Errorf("%w: %s is %g in run %d", ErrNonFinite, t.Outcomes[k], t.At(run, k), run)
	}
	return t.Column(k), nil
}

// Inert returns the inputs that never change outcome k in a complete
// table: moving one of them alone, as the plan does, leaves the outcome
// exactly as it was (Sobol: every A·B_i row equals its A row; Morris:
// every elementary effect is 0; one at a time: both ends equal the
// median run). Other plans move inputs together and report none.
func (p *Plan) Inert(t *Table, k int) []int {
	if !t.Complete() || t.Runs != p.Runs() || t.NonFinite(k) >= 0 {
		return nil // never-crossed first() outcomes say nothing of inputs
	}
	var out []int
	switch {
	case p.saltelli != nil:
		fA, _, fAB, err := p.saltelli.Split(t.Column(k))
		if err != nil {
			return nil
		}
		for i, col := range fAB {
			same := true
			for j := range col {
				same = same && col[j] == fA[j]
			}
			if same {
				out = append(out, i)
			}
		}
	case p.morris != nil:
		r, err := uq.EstimateMorris(p.morris, t.Column(k))
		if err != nil {
			return nil
		}
		for i, m := range r.MuStar {
			if m == 0 {
				out = append(out, i)
			}
		}
	case p.Method == OAT:
		base := t.At(0, k)
		for i := 0; i < p.dim; i++ {
			if t.At(1+2*i, k) == base && t.At(2+2*i, k) == base {
				out = append(out, i)
			}
		}
	}
	return out
}
