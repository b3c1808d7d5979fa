package study_test

import (
	"context"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
)

// ten is a scenario with ten uncertain inputs, for the Sobol benchmark.
const ten = `extends: baseline
name: ten
demand:
  efficiency_gain: {dist: uniform, min: 0.05, max: 0.25}
market:
  domestic_preference: {dist: uniform, min: 0.5, max: 2.5}
  fee_elasticity: {dist: uniform, min: 0.5, max: 2}
grey:
  enforcement: {dist: uniform, min: 0.1, max: 0.6}
packaging:
  yield: {dist: uniform, min: 0.8, max: 0.97}
foundry:
  smic_n2:
    learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}
    ai_share: {dist: uniform, min: 0.2, max: 0.5}
installed:
  service_life_years: {dist: uniform, min: 4, max: 7}
events:
  - at: 2026Q1
    id: demand
    scale: {demand.growth: {dist: triangular, min: 0.7, mode: 1.0, max: 1.3}}
  - at: 2025Q1
    id: hbm
    scale: {hbm.domestic_capacity_stacks_per_year: {dist: uniform, min: 0.5, max: 1.5}}
`

// BenchmarkSobol10 is the engine issue's Sobol case: 10 inputs, N = 4096
// (4096 × 12 = 49,152 runs) on two workers, then the indices: with the
// intervals from 8 replicates, as chipsim sensitivity computes them, and
// with 500 bootstrap resamples over one sequence (--replicates 1).
func BenchmarkSobol10(b *testing.B) {
	s, err := scenarios.Parse("ten.yaml", []byte(ten))
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Quantities()) != 10 {
		b.Fatalf("%d inputs, want 10", len(s.Quantities()))
	}
	m, _ := s.Model()
	out, err := outcome.Parse("ai.ssr_compute@2030", m)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		reps int
	}{{"replicates8", 8}, {"bootstrap500", 1}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				plan, err := study.NewSobolReplicates(10, 4096, c.reps, 1)
				if err != nil {
					b.Fatal(err)
				}
				t, err := study.Run(context.Background(), s, plan, []*outcome.Outcome{out}, study.Options{Workers: 2})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := plan.SobolIndices(t, 0, 500, 0.95, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
