package sim_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// TestNewResultForMatchesFull runs draws of baseline-uncertain into a full
// Result and into outcome-only Results keeping a few slots: every kept
// slot holds the full run's value bit for bit, in every period.
func TestNewResultForMatchesFull(t *testing.T) {
	sc, err := scenarios.Load("baseline-uncertain")
	if err != nil {
		t.Fatal(err)
	}
	sp, err := sc.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	m := sp.Model()
	full := m.NewResult()
	ns, n := len(m.Slots()), m.Calendar().N
	rng := rand.New(rand.NewPCG(8, 9))
	keeps := [][]int{{0}, {ns - 1, 3, 3, 0}, {}, nil}
	for k := 0; k < 40; k++ {
		keeps[3] = append(keeps[3], rng.IntN(ns))
	}
	var parts []*sim.Result
	for _, keep := range keeps {
		r, err := m.NewResultFor(keep)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, r)
	}
	if got := parts[1].Kept(); len(got) != 3 || got[0] != 0 || got[1] != 3 || got[2] != ns-1 {
		t.Errorf("Kept() = %v, want [0 3 %d] (sorted, repeats dropped)", got, ns-1)
	}
	u := make([]float64, sp.Dim())
	for draw := 0; draw < 20; draw++ {
		for i := range u {
			u[i] = 0.01 + 0.98*rng.Float64()
		}
		sp.Set(u)
		m.Run(full)
		for j, r := range parts {
			m.Run(r)
			if err := r.CheckFinite(); err != nil {
				t.Fatalf("keep %v: CheckFinite() = %v", keeps[j], err)
			}
			for _, s := range r.Kept() {
				for p := 0; p < n; p++ {
					if got, want := r.At(s, p), full.At(s, p); got != want {
						t.Fatalf("draw %d, keep %v: slot %d in period %d = %v, full run %v", draw, keeps[j], s, p, got, want)
					}
				}
			}
		}
	}
}

func TestNewResultForErrors(t *testing.T) {
	_, m := load(t, "baseline")
	ns := len(m.Slots())
	for _, bad := range [][]int{{-1}, {ns}, {0, ns + 5}} {
		if _, err := m.NewResultFor(bad); err == nil || !strings.Contains(err.Error(), "outside") {
			t.Errorf("NewResultFor(%v) error = %v, want a slot outside the model", bad, err)
		}
	}
	r, err := m.NewResultFor([]int{1})
	if err != nil {
		t.Fatal(err)
	}
	m.Run(r)
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "not kept") {
			t.Errorf("At of a slot not kept: panic %v, want one naming it", p)
		}
	}()
	r.At(2, 0)
}

// TestNewResultForAllocs: a run into an outcome-only Result allocates
// nothing.
func TestNewResultForAllocs(t *testing.T) {
	_, m := load(t, "baseline")
	r, err := m.NewResultFor([]int{0, 5, 9})
	if err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(10, func() { m.Run(r) }); a != 0 {
		t.Errorf("Run into an outcome-only Result: %v allocations, want 0", a)
	}
}
