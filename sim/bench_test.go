package sim_test

import (
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// BenchmarkRun times one run of the baseline (2022Q1–2035Q4, 56 quarters)
// into a reused Result: the inner loop of Monte Carlo and sensitivity runs.
func BenchmarkRun(b *testing.B) {
	_, m := load(b, "baseline")
	r := m.NewResult()
	b.ReportAllocs()
	for b.Loop() {
		m.Run(r)
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
