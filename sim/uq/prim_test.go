package uq

import (
	"math"
	"testing"
)

// TestPRIMFindsBox: cases are the points in a known box of two of four
// uniform inputs (x0 > 0.6, x2 < 0.3); PRIM restricts those two inputs to
// about that box and leaves the others whole.
func TestPRIMFindsBox(t *testing.T) {
	rng := newRand(3)
	const n, d = 4000, 4
	x := make([]float64, n*d)
	y := make([]bool, n)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			x[i*d+j] = rng.Float64()
		}
		y[i] = x[i*d] > 0.6 && x[i*d+2] < 0.3
	}
	r, err := PRIM(x, d, y, PRIMOptions{Alpha: 0.05, MinSupport: 0.05, MinCoverage: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.BaseRate-0.12) > 0.02 {
		t.Errorf("base rate %v, want about 0.12", r.BaseRate)
	}
	b := r.Trajectory[r.Chosen]
	if b.Density < 0.9 || b.Coverage < 0.8 {
		t.Errorf("chosen box density %v, coverage %v; want ≥ 0.9 and ≥ 0.8", b.Density, b.Coverage)
	}
	if math.Abs(b.Lo[0]-0.6) > 0.05 || math.Abs(b.Hi[2]-0.3) > 0.05 {
		t.Errorf("box x0 ≥ %v, x2 ≤ %v; want about 0.6 and 0.3", b.Lo[0], b.Hi[2])
	}
	for _, j := range []int{1, 3} {
		if b.Restricted(j, &r.Full) {
			t.Errorf("input %d is restricted to [%v, %v]; it does not matter", j, b.Lo[j], b.Hi[j])
		}
	}
	for k := 1; k < len(r.Trajectory); k++ {
		if r.Trajectory[k].Support > r.Trajectory[k-1].Support {
			t.Fatalf("step %d: the box grew", k)
		}
	}
}

func TestPRIMErrors(t *testing.T) {
	ok := PRIMOptions{Alpha: 0.05, MinSupport: 0.05, MinCoverage: 0.5}
	if _, err := PRIM([]float64{1, 2}, 1, []bool{false, false}, ok); err == nil {
		t.Error("no cases: want an error")
	}
	if _, err := PRIM([]float64{1, 2, 3}, 1, []bool{true, false}, ok); err == nil {
		t.Error("3 values for 2 points: want an error")
	}
	if _, err := PRIM([]float64{1, 2}, 1, []bool{true, false}, PRIMOptions{Alpha: 0.7, MinSupport: 0.05}); err == nil {
		t.Error("alpha 0.7: want an error")
	}
}
