package uq_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/chipsim/chipsim/sim/uq"
)

// A variance-based sensitivity analysis: map the unit-cube points of a
// Saltelli design through the input distributions, run the model on every
// point, and estimate the indices with bootstrap intervals.
func ExampleEstimateSobol() {
	price, _ := uq.PERT(80, 100, 150)
	volume, _ := uq.LogNormalFromMedianP90(1e6, 2e6)
	share, _ := uq.Uniform(0.1, 0.3)
	inputs := []uq.Dist{price, volume, share}
	model := func(x []float64) float64 { return x[0] * x[1] * x[2] } // revenue

	design, _ := uq.NewSaltelli(1<<12, len(inputs), rand.New(rand.NewPCG(1, 2)))
	y := make([]float64, design.Runs())
	u, x := make([]float64, len(inputs)), make([]float64, len(inputs))
	for run := range y {
		design.Point(run, u)
		for i, d := range inputs {
			x[i] = d.Quantile(u[i])
		}
		y[run] = model(x)
	}
	fA, fB, fAB, _ := design.Split(y)
	res, _ := uq.EstimateSobol(fA, fB, fAB, &uq.Bootstrap{Resamples: 200, Level: 0.95, Rand: rand.New(rand.NewPCG(3, 4))})
	for i, name := range []string{"price", "volume", "share"} {
		fmt.Printf("%-6s S1 %.2f  ST %.2f  %v\n", name, res.S1[i], res.ST[i], res.Flags[i])
	}
	// Output:
	// price  S1 0.03  ST 0.04  ok
	// volume S1 0.72  ST 0.79  ok
	// share  S1 0.18  ST 0.24  ok
}

// Percentile bands from shards: each worker summarises a contiguous block
// of runs; merging the shards reproduces the single-pass summary exactly.
func ExampleSummary_Merge() {
	ln, _ := uq.LogNormal(math.Log(1000), 0.5)
	rng := rand.New(rand.NewPCG(5, 6))
	total, _ := uq.NewLogSummary(1, 1e9, 1000)
	for range 4 { // four shards of 2500 runs
		shard, _ := uq.NewLogSummary(1, 1e9, 1000)
		for range 2500 {
			shard.Add(ln.Quantile(rng.Float64()))
		}
		b, _ := shard.MarshalBinary() // e.g. sent back by a worker
		var decoded uq.Summary
		_ = decoded.UnmarshalBinary(b)
		_ = total.Merge(&decoded)
	}
	fmt.Printf("n=%d p10=%.0f p50=%.0f p90=%.0f (±%.2f%%)\n", total.Count(),
		total.Quantile(0.1), total.Quantile(0.5), total.Quantile(0.9), 100*total.ErrorBound())
	// Output:
	// n=10000 p10=532 p50=998 p90=1938 (±0.23%)
}
