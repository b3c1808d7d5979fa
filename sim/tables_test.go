package sim_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// TestTablesFollowParameters changes, in place between two runs into one
// Result, a parameter behind each of the engine's tables, from a period
// part-way through the run, and checks that the second run equals, bit for
// bit, a run of a model compiled afresh with the same change: no table
// keeps a value the parameters no longer give.
func TestTablesFollowParameters(t *testing.T) {
	changes := map[string]func(s *sim.Spec, from int){
		"foundry capacity": func(s *sim.Spec, from int) { scale(s.Foundry[0].Capacity[from:], 1.3) },
		"cycle time":       func(s *sim.Spec, from int) { scale(s.Foundry[0].CycleTime[from:], 1.5) },
		"learning rate":    func(s *sim.Spec, from int) { fill(s.Foundry[0].LearningRate[from:], 0.6) },
		"die area": func(s *sim.Spec, from int) {
			for i := range s.Products {
				if s.Products[i].Origin == "domestic" {
					scale(s.Products[i].DieArea[from:], 0.8)
				}
			}
		},
		"offshore access":  func(s *sim.Spec, from int) { fill(s.DieBank.OffshoreAccess[from:], 0.5) },
		"hbm value weight": func(s *sim.Spec, from int) { fill(s.HBM.ValueWeight[from:], 2) },
		"price":            func(s *sim.Spec, from int) { scale(s.Products[len(s.Products)-1].Price[from:], 0.7) },
		"utility":          func(s *sim.Spec, from int) { fill(s.Ecosystems[0].Utility[from:], -1) },
		"import status": func(s *sim.Spec, from int) {
			for i := range s.Imports {
				fill(s.Imports[i].USStatus[from:], sim.USAllowed)
			}
		},
		"enforcement":     func(s *sim.Spec, from int) { fill(s.Grey.Enforcement[from:], 0.9) },
		"packaging yield": func(s *sim.Spec, from int) { fill(s.Packaging.Yield[from:], 0.5) },
		"forecast":        func(s *sim.Spec, from int) { fill(s.Supply.Forecast[from:], 12) },
		"backlog loss":    func(s *sim.Spec, from int) { fill(s.Demand.BacklogLoss[from:], 0.9) },
		"hbm imports":     func(s *sim.Spec, from int) { fill(s.HBM.Import[from:], sim.Open) },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			sc, m := load(t, "baseline")
			r := m.NewResult()
			m.Run(r)
			before := slices.Clone(r.Data)
			change(sc.Spec, 20)
			m.Run(r)
			if slices.Equal(before, r.Data) {
				t.Fatalf("the change moved nothing: the test would not see a stale table")
			}
			sc2, _ := load(t, "baseline")
			change(sc2.Spec, 20)
			m2, err := sim.Compile(sc2.Spec)
			if err != nil {
				t.Fatal(err)
			}
			r2 := m2.NewResult()
			m2.Run(r2)
			if i := firstDifference(r.Data, r2.Data); i >= 0 {
				t.Fatalf("rerun after an in-place change differs from a fresh model at %s: %v, want %v", locate(r, i), r.Data[i], r2.Data[i])
			}
		})
	}
}

// TestSamplerTablesReplay draws inputs, runs, draws others and comes back:
// the run at the first draw must equal itself and a fresh sampler's run
// bit for bit (tables refreshed from what the sampler changed, and only
// that, since the sampler declares it with Model.Vary).
func TestSamplerTablesReplay(t *testing.T) {
	sc, err := scenarios.Load("baseline-uncertain")
	if err != nil {
		t.Fatal(err)
	}
	sp, err := sc.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	m := sp.Model()
	r := m.NewResult()
	rng := rand.New(rand.NewPCG(3, 4))
	draw := func() []float64 {
		u := make([]float64, sp.Dim())
		for i := range u {
			u[i] = 0.01 + 0.98*rng.Float64()
		}
		return u
	}
	u1, u2 := draw(), draw()
	sp.Set(u1)
	m.Run(r)
	first := slices.Clone(r.Data)
	sp.Set(u2)
	m.Run(r)
	if slices.Equal(first, r.Data) {
		t.Fatal("two draws gave the same run")
	}
	sp.Set(u1)
	m.Run(r)
	if i := firstDifference(first, r.Data); i >= 0 {
		t.Fatalf("the first draw run again differs at %s: %v, want %v", locate(r, i), r.Data[i], first[i])
	}
	fresh, err := sc.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	fresh.Set(u1)
	r2 := fresh.Model().NewResult()
	fresh.Model().Run(r2)
	if i := firstDifference(first, r2.Data); i >= 0 {
		t.Fatalf("a fresh sampler's run differs at %s: %v, want %v", locate(r, i), r2.Data[i], first[i])
	}
}

func scale(s sim.Series, f float64) {
	for i := range s {
		s[i] *= f
	}
}

// firstDifference returns the first index at which a and b differ (NaN
// equal to NaN), or -1.
func firstDifference(a, b []float64) int {
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return i
		}
	}
	return -1
}
