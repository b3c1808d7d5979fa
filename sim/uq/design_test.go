package uq

import (
	"math"
	"slices"
	"sync"
	"testing"
)

func TestLatinHypercube(t *testing.T) {
	for _, tc := range []struct{ n, d int }{{1, 1}, {10, 3}, {257, 5}} {
		p, err := LatinHypercube(tc.n, tc.d, newRand(uint64(tc.n)))
		if err != nil {
			t.Fatal(err)
		}
		if p.Runs() != tc.n || p.Dim() != tc.d || len(p.Data()) != tc.n*tc.d {
			t.Fatalf("LatinHypercube(%d, %d) shape = %d×%d (%d values), want %d×%d", tc.n, tc.d, p.Runs(), p.Dim(), len(p.Data()), tc.n, tc.d)
		}
		x := make([]float64, tc.d)
		for j := range tc.d {
			seen := make([]bool, tc.n)
			for i := range tc.n {
				p.Point(i, x)
				v := x[j]
				if !(v > 0 && v < 1) {
					t.Fatalf("LatinHypercube(%d, %d)[%d][%d] = %g, want in (0, 1)", tc.n, tc.d, i, j, v)
				}
				k := int(v * float64(tc.n))
				if seen[k] {
					t.Fatalf("LatinHypercube(%d, %d) column %d: stratum %d used twice", tc.n, tc.d, j, k)
				}
				seen[k] = true
			}
		}
	}
	// Points are jittered inside their strata, not centred.
	j, _ := LatinHypercube(257, 1, newRand(4))
	var sumF, sumF2 float64
	for _, v := range j.Data() {
		f := v*257 - math.Floor(v*257)
		sumF += f / 257
		sumF2 += f * f / 257
	}
	if v := sumF2 - sumF*sumF; v < 0.06 || v > 0.11 {
		t.Errorf("LatinHypercube within-stratum position variance = %.4f, want ≈ 1/12 (uniform jitter)", v)
	}
	a, _ := LatinHypercube(50, 4, newRand(9))
	b, _ := LatinHypercube(50, 4, newRand(9))
	c, _ := LatinHypercube(50, 4, newRand(10))
	if !slices.Equal(a.Data(), b.Data()) {
		t.Error("LatinHypercube with equal seeds differs, want identical")
	}
	if slices.Equal(a.Data(), c.Data()) {
		t.Error("LatinHypercube with different seeds is identical")
	}
	// Columns are paired by independent permutations: the columns of a
	// large design are nearly uncorrelated.
	big, _ := LatinHypercube(4000, 2, newRand(3))
	rho, _ := SpearmanMatrix(big.Data(), 2)
	if math.Abs(rho[1]) > 0.06 {
		t.Errorf("LatinHypercube(4000, 2) column rank correlation = %.3f, want |ρ| < 0.06", rho[1])
	}
	for _, bad := range [][2]int{{0, 1}, {1, 0}, {-1, 2}} {
		if _, err := LatinHypercube(bad[0], bad[1], newRand(1)); err == nil {
			t.Errorf("LatinHypercube(%d, %d) error = nil, want an error", bad[0], bad[1])
		}
	}
	if _, err := LatinHypercube(3, 3, nil); err == nil {
		t.Error("LatinHypercube(nil rand) error = nil, want an error")
	}
}

func TestGrid(t *testing.T) {
	g, err := NewGrid([][]float64{{1, 2}, {10, 20, 30}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}}
	if g.Runs() != len(want) || g.Dim() != 2 {
		t.Fatalf("Grid shape = %d×%d, want %d×2", g.Runs(), g.Dim(), len(want))
	}
	x := make([]float64, 2)
	for i, w := range want {
		g.Point(i, x)
		if !slices.Equal(x, w) {
			t.Errorf("Grid.Point(%d) = %v, want %v", i, x, w)
		}
	}
	for _, bad := range [][][]float64{nil, {{1}, {}}, {{math.NaN()}}, {make([]float64, 1<<21), make([]float64, 1<<20)}} {
		if _, err := NewGrid(bad); err == nil {
			t.Errorf("NewGrid(%d axes) error = nil, want an error", len(bad))
		}
	}
	lv, err := EvenLevels(0, 1, 5)
	if err != nil || !slices.Equal(lv, []float64{0, 0.25, 0.5, 0.75, 1}) {
		t.Errorf("EvenLevels(0, 1, 5) = %v, %v; want [0 0.25 0.5 0.75 1]", lv, err)
	}
	if lv, _ := EvenLevels(2, 4, 1); !slices.Equal(lv, []float64{3}) {
		t.Errorf("EvenLevels(2, 4, 1) = %v, want [3]", lv)
	}
	if _, err := EvenLevels(1, 0, 3); err == nil {
		t.Error("EvenLevels(1, 0, 3) error = nil, want an error")
	}
}

func TestSaltelliDesign(t *testing.T) {
	const n, d = 64, 3
	s, err := NewSaltelli(n, d, newRand(5))
	if err != nil {
		t.Fatal(err)
	}
	if s.Runs() != n*(d+2) || s.Dim() != d || s.N() != n {
		t.Fatalf("Saltelli Runs, Dim, N = %d, %d, %d; want %d, %d, %d", s.Runs(), s.Dim(), s.N(), n*(d+2), d, n)
	}
	base := make([]float64, 2*d)
	x := make([]float64, d)
	for run := range s.Runs() {
		block, row := s.Block(run)
		if block != run/n || row != run%n {
			t.Fatalf("Saltelli.Block(%d) = %d, %d; want %d, %d", run, block, row, run/n, run%n)
		}
		s.base.At(uint64(row), base)
		a, b := base[:d], base[d:]
		want := slices.Clone(a)
		switch {
		case block == 1:
			want = slices.Clone(b)
		case block >= 2:
			want[block-2] = b[block-2]
		}
		s.Point(run, x)
		if !slices.Equal(x, want) {
			t.Fatalf("Saltelli.Point(%d) (block %d row %d) = %v, want %v", run, block, row, x, want)
		}
	}
	y := make([]float64, s.Runs())
	for i := range y {
		y[i] = float64(i)
	}
	fA, fB, fAB, err := s.Split(y)
	if err != nil {
		t.Fatal(err)
	}
	if fA[0] != 0 || fB[0] != n || fAB[2][n-1] != float64(5*n-1) || len(fAB) != d || cap(fA) != n {
		t.Errorf("Saltelli.Split: fA[0], fB[0], fAB[2][n-1], cap(fA) = %g, %g, %g, %d; want 0, %d, %d, %d", fA[0], fB[0], fAB[2][n-1], cap(fA), n, 5*n-1, n)
	}
	if _, _, _, err := s.Split(y[1:]); err == nil {
		t.Error("Saltelli.Split(short) error = nil, want an error")
	}
	for _, bad := range [][2]int{{1, 3}, {64, 0}, {64, MaxSobolDim/2 + 1}} {
		if _, err := NewSaltelli(bad[0], bad[1], nil); err == nil {
			t.Errorf("NewSaltelli(%d, %d) error = nil, want an error", bad[0], bad[1])
		}
	}
}

// TestDesignConcurrentPoint checks that Point is read-only: concurrent
// calls (run with -race) give the sequential answers.
func TestDesignConcurrentPoint(t *testing.T) {
	s, _ := NewSaltelli(128, 4, newRand(1))
	m, _ := NewMorris(10, 4, 4, newRand(1))
	sd, _ := s.base.Design(100)
	for _, d := range []Design{s, m, sd} {
		want := make([][]float64, d.Runs())
		for i := range want {
			want[i] = make([]float64, d.Dim())
			d.Point(i, want[i])
		}
		var wg sync.WaitGroup
		errs := make(chan string, 4)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x := make([]float64, d.Dim())
				for i := w; i < d.Runs(); i += 4 {
					d.Point(i, x)
					if !slices.Equal(x, want[i]) {
						errs <- "mismatch"
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("%T: concurrent Point %s, want sequential result", d, e)
		}
	}
}

func TestMorrisDesign(t *testing.T) {
	for _, p := range []int{2, 4, 6} {
		const r, d = 30, 5
		m, err := NewMorris(r, d, p, newRand(uint64(p)))
		if err != nil {
			t.Fatal(err)
		}
		if m.Runs() != r*(d+1) || m.Trajectories() != r || m.Levels() != p {
			t.Fatalf("Morris Runs, Trajectories, Levels = %d, %d, %d", m.Runs(), m.Trajectories(), m.Levels())
		}
		delta := float64(p) / (2 * float64(p-1))
		if !near(m.Delta(), delta, 1e-15) {
			t.Errorf("Morris(p=%d).Delta() = %g, want %g", p, m.Delta(), delta)
		}
		prev, cur := make([]float64, d), make([]float64, d)
		down := 0
		for tr := range r {
			moved := make([]bool, d)
			m.Point(tr*(d+1), prev)
			for k := range d {
				m.Point(tr*(d+1)+k+1, cur)
				factor, step := m.Step(tr, k)
				if step < 0 {
					down++
				}
				for i := range d {
					onGrid := math.Abs(cur[i]*float64(p-1)-math.Round(cur[i]*float64(p-1))) < 1e-9
					if cur[i] < 0 || cur[i] > 1 || !onGrid {
						t.Fatalf("p=%d trajectory %d point %d: x[%d] = %g, want a level k/%d in [0, 1]", p, tr, k+1, i, cur[i], p-1)
					}
					diff := cur[i] - prev[i]
					if i == factor {
						if !near(diff, step, 1e-12) || !near(math.Abs(step), delta, 1e-12) {
							t.Fatalf("p=%d trajectory %d step %d: factor %d moved %g, Step says %g, |Δ| = %g", p, tr, k, i, diff, step, delta)
						}
					} else if diff != 0 {
						t.Fatalf("p=%d trajectory %d step %d: factor %d moved by %g, want only factor %d to move", p, tr, k, i, diff, factor)
					}
				}
				if moved[factor] {
					t.Fatalf("p=%d trajectory %d: factor %d moved twice", p, tr, factor)
				}
				moved[factor] = true
				copy(prev, cur)
			}
		}
		// Directions are random: about half the steps go down.
		if frac := float64(down) / (r * d); frac < 0.3 || frac > 0.7 {
			t.Errorf("p=%d: fraction of downward Morris steps = %.2f, want ≈ 0.5", p, frac)
		}
	}
	for _, bad := range [][3]int{{1, 3, 4}, {5, 0, 4}, {5, 3, 3}, {5, 3, 0}} {
		if _, err := NewMorris(bad[0], bad[1], bad[2], newRand(1)); err == nil {
			t.Errorf("NewMorris(%d, %d, %d) error = nil, want an error", bad[0], bad[1], bad[2])
		}
	}
}

func TestOAT(t *testing.T) {
	o, err := NewOAT([]float64{0.5, 0.5}, []float64{0.1, 0.2}, []float64{0.9, 0.8})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0.5, 0.5}, {0.1, 0.5}, {0.9, 0.5}, {0.5, 0.2}, {0.5, 0.8}}
	x := make([]float64, 2)
	for i, w := range want {
		o.Point(i, x)
		if !slices.Equal(x, w) {
			t.Errorf("OAT.Point(%d) = %v, want %v", i, x, w)
		}
	}
	y := evalDesign(o, func(x []float64) float64 { return 10*x[0] - x[1] })
	sw, err := o.Swings(y)
	if err != nil {
		t.Fatal(err)
	}
	if !near(sw[0].Range(), 8, 1e-12) || !near(sw[1].Range(), 0.6, 1e-12) || sw[1].Low != 4.8 || sw[0].Base != 4.5 {
		t.Errorf("OAT.Swings = %+v, want ranges 8 and 0.6, base 4.5, Low[1] 4.8", sw)
	}
	if _, err := NewOAT([]float64{1}, []float64{1, 2}, []float64{1}); err == nil {
		t.Error("NewOAT(mismatched lengths) error = nil, want an error")
	}
	if _, err := o.Swings(y[1:]); err == nil {
		t.Error("OAT.Swings(short) error = nil, want an error")
	}
}

func BenchmarkSaltelliPoint(b *testing.B) {
	s, _ := NewSaltelli(1<<14, 16, newRand(1))
	x := make([]float64, 16)
	b.ReportAllocs()
	run := 0
	for b.Loop() {
		s.Point(run, x)
		run++
		if run == s.Runs() {
			run = 0
		}
	}
}

func BenchmarkLatinHypercube(b *testing.B) {
	b.ReportAllocs()
	rng := newRand(1)
	for b.Loop() {
		if _, err := LatinHypercube(1000, 10, rng); err != nil {
			b.Fatal(err)
		}
	}
}
