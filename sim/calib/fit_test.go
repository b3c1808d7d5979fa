package calib

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// line is y = a + b·t observed with noise of known sigma at t = 0..n-1.
func line(a, b, sigma float64, n int, seed uint64) (t, y []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for k := range n {
		t = append(t, float64(k))
		y = append(y, a+b*float64(k)+sigma*rng.NormFloat64())
	}
	return t, y
}

func lineProblem(t, y []float64, sigma float64, start []float64) *Problem {
	return &Problem{Lo: []float64{-10, -5}, Hi: []float64{10, 5}, Start: start, M: len(t),
		Residuals: func(x, r []float64) {
			for k := range t {
				r[k] = (x[0] + x[1]*t[k] - y[k]) / sigma
			}
		}}
}

// ols returns the least-squares line and its standard errors.
func ols(t, y []float64, sigma float64) (beta, se [2]float64) {
	X := mat.NewDense(len(t), 2, nil)
	for k := range t {
		X.Set(k, 0, 1)
		X.Set(k, 1, t[k])
	}
	var xtx, inv mat.Dense
	xtx.Mul(X.T(), X)
	if err := inv.Inverse(&xtx); err != nil {
		panic(err)
	}
	var b mat.VecDense
	var xty mat.VecDense
	xty.MulVec(X.T(), mat.NewVecDense(len(y), y))
	b.MulVec(&inv, &xty)
	for i := range 2 {
		beta[i] = b.AtVec(i)
		se[i] = sigma * math.Sqrt(inv.At(i, i))
	}
	return beta, se
}

func TestMinimizeRecoversLeastSquares(t *testing.T) {
	ts, y := line(2, -0.5, 0.3, 20, 7)
	p := lineProblem(ts, y, 0.3, []float64{0, 0})
	fit, err := Minimize(p, Settings{Starts: 4, Seed: 1, MaxEvals: 2000})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ols(ts, y, 0.3)
	for i := range 2 {
		if math.Abs(fit.X[i]-want[i]) > 1e-4 {
			t.Errorf("parameter %d: got %.6f, least squares %.6f", i, fit.X[i], want[i])
		}
	}
	if len(fit.Starts) != 4 || fit.Evals == 0 {
		t.Errorf("%d starts, %d evaluations", len(fit.Starts), fit.Evals)
	}
}

// With a known sigma the profile's Δ = 1 range of a linear model is
// exactly the estimate ± one standard error.
func TestProfileMatchesStandardErrors(t *testing.T) {
	ts, y := line(1, 0.25, 0.5, 30, 3)
	p := lineProblem(ts, y, 0.5, []float64{0, 0})
	fit, err := Minimize(p, Settings{Starts: 2, Seed: 2, MaxEvals: 2000})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Profile(p, fit, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	beta, se := ols(ts, y, 0.5)
	for i, r := range rs {
		if r.AtLo || r.AtHi {
			t.Fatalf("parameter %d: range %+v reaches a bound", i, r)
		}
		for _, got := range []float64{beta[i] - r.Lo, r.Hi - beta[i]} {
			if math.Abs(got-se[i]) > 0.02*se[i] {
				t.Errorf("parameter %d: half-width %.5f, standard error %.5f", i, got, se[i])
			}
		}
	}
}

// A parameter the residuals do not depend on has the whole box as its
// range; the bounds hold every point the search tries.
func TestProfileUnidentified(t *testing.T) {
	p := &Problem{Lo: []float64{0, 1}, Hi: []float64{1, 3}, Start: []float64{0.5, 2}, M: 1,
		Residuals: func(x, r []float64) {
			if x[0] < 0 || x[0] > 1 || x[1] < 1 || x[1] > 3 {
				panic("outside the bounds")
			}
			r[0] = x[0] - 0.3
		}}
	fit, err := Minimize(p, Settings{Starts: 3, Seed: 1, MaxEvals: 500})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.X[0]-0.3) > 1e-5 {
		t.Errorf("x0 = %g, want 0.3", fit.X[0])
	}
	rs, err := Profile(p, fit, 0.01, 500)
	if err != nil {
		t.Fatal(err)
	}
	if !rs[1].AtLo || !rs[1].AtHi || rs[1].Lo != 1 || rs[1].Hi != 3 {
		t.Errorf("x1's range %+v: want the whole box [1, 3]", rs[1])
	}
	if rs[0].AtLo || rs[0].AtHi || math.Abs(rs[0].Lo-0.2) > 1e-3 || math.Abs(rs[0].Hi-0.4) > 1e-3 {
		t.Errorf("x0's range %+v: want [0.2, 0.4]", rs[0])
	}
}

// Several starts find the global minimum of a function with two basins
// where the first start sits in the worse one.
func TestMinimizeStartsEscapeLocalMinimum(t *testing.T) {
	p := &Problem{Lo: []float64{-3}, Hi: []float64{3}, Start: []float64{-2}, M: 2,
		Residuals: func(x, r []float64) {
			// (x²-4)² + x: minima near -2 (higher) and +2... shifted by the linear term
			r[0] = x[0]*x[0] - 4
			r[1] = 0.5 * (x[0] - 2)
		}}
	one, err := Minimize(p, Settings{Starts: 1, Seed: 1, MaxEvals: 500})
	if err != nil {
		t.Fatal(err)
	}
	many, err := Minimize(p, Settings{Starts: 6, Seed: 1, MaxEvals: 500})
	if err != nil {
		t.Fatal(err)
	}
	if !(one.X[0] < 0) {
		t.Fatalf("one start from -2 ended at %g: the test wants it stuck in the left basin", one.X[0])
	}
	if !(many.X[0] > 1.9) || !(many.Objective < one.Objective) {
		t.Errorf("six starts ended at %g (objective %g), one at %g (%g)", many.X[0], many.Objective, one.X[0], one.Objective)
	}
}

func TestMinimizeDeterministic(t *testing.T) {
	ts, y := line(2, -0.5, 0.3, 20, 7)
	a, _ := Minimize(lineProblem(ts, y, 0.3, []float64{0, 0}), Settings{Starts: 5, Seed: 9, MaxEvals: 800})
	b, _ := Minimize(lineProblem(ts, y, 0.3, []float64{0, 0}), Settings{Starts: 5, Seed: 9, MaxEvals: 800})
	if a.X[0] != b.X[0] || a.X[1] != b.X[1] || a.Evals != b.Evals {
		t.Errorf("two fits differ: %v %v", a, b)
	}
}

func TestProblemRefused(t *testing.T) {
	for name, p := range map[string]*Problem{
		"no bounds":      {M: 1, Residuals: func(x, r []float64) {}},
		"lo above hi":    {Lo: []float64{2}, Hi: []float64{1}, Start: []float64{1.5}, M: 1, Residuals: func(x, r []float64) {}},
		"start outside":  {Lo: []float64{0}, Hi: []float64{1}, Start: []float64{2}, M: 1, Residuals: func(x, r []float64) {}},
		"infinite bound": {Lo: []float64{0}, Hi: []float64{math.Inf(1)}, Start: []float64{1}, M: 1, Residuals: func(x, r []float64) {}},
	} {
		if _, err := Minimize(p, Settings{Starts: 1, MaxEvals: 100}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
