package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// BenchmarkRun times one run of the baseline (2022Q1–2035Q4, 56 quarters)
// into a reused Result, every output recorded, on a model told that no
// parameter changes between runs (Model.Vary with none), as a sampler's
// fixed inputs are: the second phase alone, over the whole calendar (a
// run whose inputs did not change would otherwise start at its last
// period: see BenchmarkRunResume).
func BenchmarkRun(b *testing.B) {
	_, m := load(b, "baseline")
	m.Vary()
	r := m.NewResult()
	sim.WholeRuns(r)
	b.ReportAllocs()
	for b.Loop() {
		m.Run(r)
	}
}

// BenchmarkRunOutcomes is BenchmarkRun into an outcome-only Result that
// keeps what one outcome, ai.ssr_compute@2030, reads (Model.NewResultFor):
// the inner loop of a sweep or sensitivity analysis.
func BenchmarkRunOutcomes(b *testing.B) {
	_, m := load(b, "baseline")
	m.Vary()
	o, err := outcome.Parse("ai.ssr_compute@2030", m)
	if err != nil {
		b.Fatal(err)
	}
	r, err := m.NewResultFor(o.Slots())
	if err != nil {
		b.Fatal(err)
	}
	sim.WholeRuns(r)
	b.ReportAllocs()
	for b.Loop() {
		m.Run(r)
		_ = o.Eval(r)
	}
}

// BenchmarkRunResume is BenchmarkRun as a Result runs it: inputs that
// did not change since its first run leave it only the periods that read
// ahead of themselves to run.
func BenchmarkRunResume(b *testing.B) {
	_, m := load(b, "baseline")
	m.Vary()
	r := m.NewResult()
	b.ReportAllocs()
	for b.Loop() {
		m.Run(r)
	}
}

// BenchmarkRunWatchAll is BenchmarkRun without Model.Vary: every run
// first checks every parameter series for changes.
func BenchmarkRunWatchAll(b *testing.B) {
	_, m := load(b, "baseline")
	r := m.NewResult()
	b.ReportAllocs()
	for b.Loop() {
		m.Run(r)
	}
}

// BenchmarkRunDraw times the inner loop of a Monte Carlo of
// baseline-uncertain: set the inputs to a new draw, refresh the tables
// they touch and run.
func BenchmarkRunDraw(b *testing.B) {
	sc, err := scenarios.Load("baseline-uncertain")
	if err != nil {
		b.Fatal(err)
	}
	sp, err := sc.NewSampler()
	if err != nil {
		b.Fatal(err)
	}
	m := sp.Model()
	r := m.NewResult()
	u := make([]float64, sp.Dim())
	rng := rand.New(rand.NewPCG(1, 2))
	draws := make([][]float64, 64)
	for k := range draws {
		draws[k] = make([]float64, len(u))
		for i := range u {
			draws[k][i] = 0.01 + 0.98*rng.Float64()
		}
	}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		sp.Set(draws[k%len(draws)])
		m.Run(r)
		k++
	}
}

// BenchmarkCompile times Compile on the baseline Spec (loaded once).
func BenchmarkCompile(b *testing.B) {
	sc, err := scenarios.Load("baseline")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.Compile(sc.Spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewResult times allocating a Result for the baseline.
func BenchmarkNewResult(b *testing.B) {
	_, m := load(b, "baseline")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.NewResult()
	}
}

// BenchmarkCheckFinite times Result.CheckFinite on a baseline run, whose
// limits hold +Inf (no plan) in many slots: the check every run pays.
func BenchmarkCheckFinite(b *testing.B) {
	_, _, r := run(b, "baseline")
	b.ReportAllocs()
	for b.Loop() {
		if err := r.CheckFinite(); err != nil {
			b.Fatal(err)
		}
	}
}
