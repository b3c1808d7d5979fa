package study_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
)

// inputs returns three inputs for plans: a on U(0, 10), b on
// Triangular(1, 2, 4) and c on U(-5, 5).
func inputs(t testing.TB) []study.Input {
	t.Helper()
	a, err := uq.Uniform(0, 10)
	if err != nil {
		t.Fatal(err)
	}
	b, err := uq.Triangular(1, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	c, err := uq.Uniform(-5, 5)
	if err != nil {
		t.Fatal(err)
	}
	return []study.Input{{Name: "a", Dist: a}, {Name: "b", Dist: b}, {Name: "c", Dist: c}}
}

// points returns every point of plan, run by run.
func points(plan *study.Plan) [][]float64 {
	out := make([][]float64, plan.Runs())
	for run := range out {
		out[run] = make([]float64, plan.Dim())
		plan.Point(run, out[run])
	}
	return out
}

func medianPoint(in []study.Input) []float64 {
	x := make([]float64, len(in))
	for k := range in {
		x[k] = in[k].Median()
	}
	return x
}

// replace returns a copy of x with x[k] = v.
func replace(x []float64, k int, v float64) []float64 {
	y := slices.Clone(x)
	y[k] = v
	return y
}

func TestPlans(t *testing.T) {
	in := inputs(t)
	med := medianPoint(in)
	q := func(k int, p float64) float64 { return in[k].Dist.Quantile(p) }
	tests := []struct {
		name   string
		plan   func() (*study.Plan, error)
		method string
		runs   int
		values bool
		// want, if set, is every point in run order; else check looks
		// at the points.
		want  [][]float64
		check func(t *testing.T, plan *study.Plan, pts [][]float64)
	}{{
		// Run 0 all at medians; runs 1+2i and 2+2i move input i alone to
		// its quantiles.
		name:   "oat",
		plan:   func() (*study.Plan, error) { return study.NewOAT(in, 0.05, 0.95, false) },
		method: study.OAT, runs: 1 + 2*3, values: true,
		want: [][]float64{
			med,
			replace(med, 0, 0.5), replace(med, 0, 9.5),
			replace(med, 1, q(1, 0.05)), replace(med, 1, q(1, 0.95)),
			replace(med, 2, -4.5), replace(med, 2, 4.5),
		},
		check: func(t *testing.T, plan *study.Plan, _ [][]float64) {
			if plan.LowTag != "p5" || plan.HighTag != "p95" {
				t.Errorf("tags %q, %q, want p5, p95", plan.LowTag, plan.HighTag)
			}
		},
	}, {
		name:   "oat at the support",
		plan:   func() (*study.Plan, error) { return study.NewOAT(in, 0, 0, true) },
		method: study.OAT, runs: 7, values: true,
		want: [][]float64{
			med,
			replace(med, 0, 0), replace(med, 0, 10),
			replace(med, 1, 1), replace(med, 1, 4),
			replace(med, 2, -5), replace(med, 2, 5),
		},
	}, {
		// The last axis varies fastest; b, on no axis, stays at its median.
		name: "grid",
		plan: func() (*study.Plan, error) {
			return study.NewGrid(in, []study.Axis{{Input: 2, Levels: []float64{-1, 1}}, {Input: 0, Levels: []float64{1, 2, 3}}})
		},
		method: study.Grid, runs: 2 * 3, values: true,
		want: [][]float64{
			{1, med[1], -1}, {2, med[1], -1}, {3, med[1], -1},
			{1, med[1], 1}, {2, med[1], 1}, {3, med[1], 1},
		},
		check: func(t *testing.T, plan *study.Plan, _ [][]float64) {
			if want := []int{2, 0}; !reflect.DeepEqual(plan.Axes, want) {
				t.Errorf("Axes = %v, want %v", plan.Axes, want)
			}
		},
	}, {
		name:   "factorial of two",
		plan:   func() (*study.Plan, error) { return study.NewFactorial(in, []int{0, 2}, 0.1, 0.9) },
		method: study.Factorial, runs: 4, values: true,
		want: [][]float64{{1, med[1], -4}, {1, med[1], 4}, {9, med[1], -4}, {9, med[1], 4}},
	}, {
		// 2^3 runs: every combination of each input's two levels once.
		name:   "factorial of three",
		plan:   func() (*study.Plan, error) { return study.NewFactorial(in, []int{0, 1, 2}, 0.1, 0.9) },
		method: study.Factorial, runs: 8, values: true,
		check: func(t *testing.T, plan *study.Plan, pts [][]float64) {
			seen := map[[3]float64]bool{}
			for run, x := range pts {
				for k := range x {
					if x[k] != q(k, 0.1) && x[k] != q(k, 0.9) {
						t.Errorf("run %d: input %d = %v, want its 10%% or 90%% quantile", run, k, x[k])
					}
				}
				seen[[3]float64(x)] = true
			}
			if len(seen) != 8 {
				t.Errorf("%d distinct points, want 8", len(seen))
			}
		},
	}, {
		// Each input's n values fall one in each of its n equiprobable
		// strata.
		name:   "lhs",
		plan:   func() (*study.Plan, error) { return study.NewLHS([]study.Input{in[0], in[2]}, 20, 1) },
		method: study.LHS, runs: 20, values: true,
		check: func(t *testing.T, plan *study.Plan, pts [][]float64) {
			for k, lo := range []float64{0, -5} {
				strata := make([]int, 20)
				for _, x := range pts {
					s := int((x[k] - lo) / 10 * 20)
					if s < 0 || s >= 20 {
						t.Fatalf("input %d = %v, outside its support", k, x[k])
					}
					strata[s]++
				}
				for s, n := range strata {
					if n != 1 {
						t.Errorf("input %d: %d points in stratum %d, want 1", k, n, s)
					}
				}
			}
		},
	}, {
		// N·(d+2) quantile points in blocks A, B, AB_0, AB_1, AB_2; AB_i is
		// A with column i from B.
		name:   "sobol",
		plan:   func() (*study.Plan, error) { return study.NewSobol(3, 16, 1) },
		method: study.Sobol, runs: 16 * (3 + 2), values: false,
		check: func(t *testing.T, plan *study.Plan, pts [][]float64) {
			n := plan.Saltelli().N()
			for run, x := range pts {
				for k, u := range x {
					if !(u > 0 && u < 1) {
						t.Errorf("run %d: quantile %d = %v, want in (0, 1)", run, k, u)
					}
				}
			}
			for i := range 3 {
				for j := range n {
					a, b, ab := pts[j], pts[n+j], pts[(2+i)*n+j]
					if want := replace(a, i, b[i]); !reflect.DeepEqual(ab, want) {
						t.Errorf("AB_%d row %d = %v, want %v (A with column %d from B)", i, j, ab, want, i)
					}
				}
			}
		},
	}, {
		// r trajectories of d+1 points, each step moving one input; the
		// grid is mapped to the 0.5%–99.5% quantiles.
		name:   "morris",
		plan:   func() (*study.Plan, error) { return study.NewMorris(3, 5, 4, 1) },
		method: study.Morris, runs: 5 * (3 + 1), values: false,
		check: func(t *testing.T, plan *study.Plan, pts [][]float64) {
			step := 0.99 * plan.MorrisDesign().Delta()
			for run, x := range pts {
				for k, u := range x {
					if u < 0.005-1e-12 || u > 0.995+1e-12 {
						t.Errorf("run %d: quantile %d = %v, want in [0.005, 0.995]", run, k, u)
					}
				}
				if run%4 == 0 {
					continue // a trajectory's start
				}
				var moved []int
				for k := range x {
					if x[k] != pts[run-1][k] {
						moved = append(moved, k)
						if d := math.Abs(x[k] - pts[run-1][k]); math.Abs(d-step) > 1e-12 {
							t.Errorf("run %d: input %d moves by %v, want %v", run, k, d, step)
						}
					}
				}
				if len(moved) != 1 {
					t.Errorf("run %d moves inputs %v from run %d, want one", run, moved, run-1)
				}
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := tt.plan()
			if err != nil {
				t.Fatal(err)
			}
			if plan.Method != tt.method || plan.Runs() != tt.runs || plan.Values() != tt.values {
				t.Errorf("plan %s of %d runs, Values %v; want %s of %d runs, Values %v",
					plan.Method, plan.Runs(), plan.Values(), tt.method, tt.runs, tt.values)
			}
			pts := points(plan)
			if tt.want != nil && !reflect.DeepEqual(pts, tt.want) {
				t.Errorf("points = %v, want %v", pts, tt.want)
			}
			if tt.check != nil {
				tt.check(t, plan, pts)
			}
		})
	}
}

// Designs drawn with a seed are the same for the same seed.
func TestPlanSeeds(t *testing.T) {
	in := inputs(t)
	for _, f := range []func(seed uint64) (*study.Plan, error){
		func(seed uint64) (*study.Plan, error) { return study.NewLHS(in, 16, seed) },
		func(seed uint64) (*study.Plan, error) { return study.NewSobol(3, 16, seed) },
		func(seed uint64) (*study.Plan, error) { return study.NewMorris(3, 4, 4, seed) },
	} {
		p1, err := f(1)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := f(1)
		p2, _ := f(2)
		if !reflect.DeepEqual(points(p1), points(again)) {
			t.Errorf("%s: seed 1 twice gives different points", p1.Method)
		}
		if reflect.DeepEqual(points(p1), points(p2)) {
			t.Errorf("%s: seeds 1 and 2 give the same points", p1.Method)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	in := inputs(t)
	one, err := uq.Discrete([]float64{3}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	fixed := append(slices.Clone(in), study.Input{Name: "d", Dist: one})
	tests := []struct {
		name  string
		plan  func() (*study.Plan, error)
		is    error  // if set, the error wraps it
		input string // if set, the error is an InputError about it
		want  string // in the error's message
	}{
		{"oat of nothing", func() (*study.Plan, error) { return study.NewOAT(nil, 0.05, 0.95, false) }, study.ErrNoInputs, "", "no uncertain inputs"},
		{"oat quantiles reversed", func() (*study.Plan, error) { return study.NewOAT(in, 0.9, 0.1, false) }, nil, "", "quantiles 0.9 and 0.1"},
		{"grid of no axes", func() (*study.Plan, error) { return study.NewGrid(in, nil) }, nil, "", "at least one axis"},
		{"grid axis repeated", func() (*study.Plan, error) {
			return study.NewGrid(in, []study.Axis{{Input: 1, Levels: []float64{1}}, {Input: 1, Levels: []float64{2}}})
		}, nil, "", "grid axis 1: input 1"},
		{"grid axis out of range", func() (*study.Plan, error) { return study.NewGrid(in, []study.Axis{{Input: 3, Levels: []float64{1}}}) }, nil, "", "grid axis 0: input 3"},
		{"grid axis without levels", func() (*study.Plan, error) { return study.NewGrid(in, []study.Axis{{Input: 0}}) }, nil, "", ""},
		{"factorial input out of range", func() (*study.Plan, error) { return study.NewFactorial(in, []int{0, 5}, 0.1, 0.9) }, nil, "", "input 5 out of range"},
		{"factorial of a fixed input", func() (*study.Plan, error) { return study.NewFactorial(fixed, []int{3}, 0.1, 0.9) }, nil, "d", "no finite, distinct levels"},
		{"lhs of no runs", func() (*study.Plan, error) { return study.NewLHS(in, 0, 1) }, nil, "", "0 runs"},
		{"lhs of nothing", func() (*study.Plan, error) { return study.NewLHS(nil, 10, 1) }, study.ErrNoInputs, "", "no uncertain inputs"},
		{"sobol of nothing", func() (*study.Plan, error) { return study.NewSobol(0, 16, 1) }, study.ErrNoInputs, "", "no uncertain inputs"},
		{"morris of nothing", func() (*study.Plan, error) { return study.NewMorris(0, 4, 4, 1) }, study.ErrNoInputs, "", "no uncertain inputs"},
		{"morris of odd levels", func() (*study.Plan, error) { return study.NewMorris(3, 4, 5, 1) }, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := tt.plan()
			if err == nil {
				t.Fatalf("plan = %s of %d runs, want an error", plan.Method, plan.Runs())
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v, want %v", err, tt.is)
			}
			var ie *study.InputError
			if errors.As(err, &ie) != (tt.input != "") || (ie != nil && ie.Input != tt.input) {
				t.Errorf("error %v: InputError %+v, want one about %q", err, ie, tt.input)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

// NewOAT at the ends of the support refuses every unbounded input, by
// name; at percentiles it takes them.
func TestOATUnbounded(t *testing.T) {
	in := inputs(t)
	normal, err := uq.Normal(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	lognormal, err := uq.LogNormal(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	in = append(in, study.Input{Name: "demand.growth", Dist: normal}, study.Input{Name: "hbm.ramp", Dist: lognormal})

	_, err = study.NewOAT(in, 0, 0, true)
	var ie *study.InputError
	if !errors.As(err, &ie) || ie.Input != "demand.growth" {
		t.Fatalf("NewOAT(min-max) = %v, want an InputError about demand.growth", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "demand.growth: ") || !strings.HasPrefix(lines[1], "hbm.ramp: ") {
		t.Errorf("NewOAT(min-max) = %q, want one line for each of demand.growth and hbm.ramp", err)
	}
	if !strings.Contains(lines[0], "unbounded") {
		t.Errorf("NewOAT(min-max) = %q, want it to say why", lines[0])
	}

	plan, err := study.NewOAT(in, 0.05, 0.95, false)
	if err != nil {
		t.Fatalf("NewOAT(p5-p95): %v", err)
	}
	if got, want := plan.Low[3], normal.Quantile(0.05); got != want {
		t.Errorf("NewOAT(p5-p95): demand.growth's low end %v, want %v", got, want)
	}
}

// Inert finds the input that acts after the outcome's year in plans that
// move one input at a time, and not the inputs that act before it.
func TestInert(t *testing.T) {
	s, outs := sweptProblem(t)
	in := s.Inputs()
	oat, err := study.NewOAT(in, 0.05, 0.95, false)
	if err != nil {
		t.Fatal(err)
	}
	sobol, err := study.NewSobol(3, 16, 1)
	if err != nil {
		t.Fatal(err)
	}
	morris, err := study.NewMorris(3, 4, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := study.NewGrid(in, []study.Axis{{Input: late, Levels: []float64{0.5, 1.5}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		plan *study.Plan
		// inert inputs of ai.ssr_compute@2030 and @2034
		want2030, want2034 []int
	}{
		{oat, []int{late}, nil},
		{sobol, []int{late}, nil},
		{morris, []int{late}, nil},
		// A grid moves several inputs at once: it reports none, though
		// here it moves only late.
		{grid, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.plan.Method, func(t *testing.T) {
			tb := mustRun(t, s, tt.plan, outs[:2], study.Options{Workers: 2})
			if got := tt.plan.Inert(tb, 0); !slices.Equal(got, tt.want2030) {
				t.Errorf("Inert(%s) = %v, want %v", tb.Outcomes[0], got, tt.want2030)
			}
			if got := tt.plan.Inert(tb, 1); !slices.Equal(got, tt.want2034) {
				t.Errorf("Inert(%s) = %v, want %v", tb.Outcomes[1], got, tt.want2034)
			}
		})
	}

	// A shard's table is not enough to tell.
	tb := mustRun(t, s, sobol, outs[:1], study.Options{Workers: 2, Shard: 0, Shards: 2})
	if got := sobol.Inert(tb, 0); got != nil {
		t.Errorf("Inert of shard 1 of 2 = %v, want nil", got)
	}
}

// The indices agree with Inert: the late input has no effect on 2030.
func TestSensitivityInert(t *testing.T) {
	s, outs := sweptProblem(t)
	for _, method := range []string{study.Sobol, study.Morris} {
		t.Run(method, func(t *testing.T) {
			res, err := study.RunSensitivity(context.Background(), s, outs[:2], study.Sensitivity{
				Method: method, N: 16, Levels: 4, Seed: 1, Bootstrap: 20, Level: 0.9, Options: study.Options{Workers: 2}})
			if err != nil {
				t.Fatal(err)
			}
			if want := [][]int{{late}, nil}; !reflect.DeepEqual(res.Inert, want) {
				t.Errorf("Inert = %v, want %v", res.Inert, want)
			}
			var effect func(k, i int) float64
			if method == study.Sobol {
				effect = func(k, i int) float64 { return res.Sobol[k].ST[i] }
			} else {
				effect = func(k, i int) float64 { return res.Morris[k].MuStar[i] }
			}
			if e := effect(0, late); e != 0 {
				t.Errorf("effect of late on %s = %v, want 0", outs[0], e)
			}
			for _, i := range []int{enforcement, yield} {
				if e := effect(0, i); !(e > 0) {
					t.Errorf("effect of input %d on %s = %v, want > 0", i, outs[0], e)
				}
			}
			if e := effect(1, late); !(e > 0) {
				t.Errorf("effect of late on %s = %v, want > 0", outs[1], e)
			}
		})
	}
}
