package scenarios_test

import (
	"math/rand/v2"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
)

// BenchmarkSamplerSet times a new draw of baseline-uncertain's inputs:
// quantiles of their distributions and the replay of the events that use
// them into the parameter series (what each Monte Carlo run does before
// the model runs).
func BenchmarkSamplerSet(b *testing.B) {
	s, err := scenarios.Load("baseline-uncertain")
	if err != nil {
		b.Fatal(err)
	}
	sp, err := s.NewSampler()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	draws := make([][]float64, 64)
	for k := range draws {
		draws[k] = make([]float64, sp.Dim())
		for i := range draws[k] {
			draws[k][i] = 0.01 + 0.98*rng.Float64()
		}
	}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		sp.Set(draws[k%len(draws)])
		k++
	}
}
