package study_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
)

// A Monte Carlo of the shipped scenario with uncertain inputs: 200 runs on
// two workers, keeping percentile summaries of the share of AI units that
// are made at home, one summary per quarter.
func ExampleMonteCarlo() {
	s, err := scenarios.Load("baseline-uncertain")
	if err != nil {
		panic(err)
	}
	m, err := s.Model()
	if err != nil {
		panic(err)
	}
	slot, _ := m.SlotIndex("ai.ssr_units", "all")
	sums, err := study.MonteCarlo(context.Background(), s, study.MCConfig{
		Runs:    200,
		Seed:    1,
		Workers: 2, // any number gives the same summaries
		Slots:   []int{slot},
	})
	if err != nil {
		panic(err)
	}
	cal := m.Calendar()
	for t := range cal.N {
		if cal.Label(t) == "2030Q4" {
			fmt.Printf("ai.ssr_units in 2030Q4: median %.2f of %d runs\n", sums.At(0, t).Quantile(0.5), sums.Runs())
		}
	}
	// Output:
	// ai.ssr_units in 2030Q4: median 0.87 of 200 runs
}

// A sweep of one input over a grid of levels. The shipped baseline has no
// uncertain inputs, so a scenario extends it and gives packaging.yield a
// distribution: the grid sets the levels, and the distribution's median
// is where the input would stay in a grid over other inputs.
func ExampleRun() {
	s, err := scenarios.Parse("yield-sweep.yaml", []byte(`
extends: baseline
name: yield-sweep
packaging:
  yield: {dist: uniform, min: 0.7, max: 0.98}
`))
	if err != nil {
		panic(err)
	}
	m, err := s.Model()
	if err != nil {
		panic(err)
	}
	ssr, err := outcome.Parse("ai.ssr_compute@2030", m)
	if err != nil {
		panic(err)
	}
	plan, err := study.NewGrid(s.Inputs(), []study.Axis{{Input: 0, Levels: []float64{0.7, 0.8, 0.9, 0.98}}})
	if err != nil {
		panic(err)
	}
	t, err := study.Run(context.Background(), s, plan, []*outcome.Outcome{ssr}, study.Options{Workers: 2})
	if err != nil {
		panic(err)
	}
	x := make([]float64, plan.Dim())
	for run := range t.Runs {
		plan.Point(run, x)
		fmt.Printf("%s = %.2f: %s = %.2f\n", s.Inputs()[0].Name, x[0], t.Outcomes[0], t.At(run, 0))
	}
	// Output:
	// packaging.yield = 0.70: ai.ssr_compute@2030 = 0.78
	// packaging.yield = 0.80: ai.ssr_compute@2030 = 0.81
	// packaging.yield = 0.90: ai.ssr_compute@2030 = 0.82
	// packaging.yield = 0.98: ai.ssr_compute@2030 = 0.83
}

// A Sobol analysis of three inputs, ranked by their total index. The
// capacity change comes in 2032, after the outcome's year, so it is inert:
// no run in which it alone moves changes the outcome.
func ExampleRunSensitivity() {
	s, err := scenarios.Parse("three.yaml", []byte(`
extends: baseline
name: three
packaging:
  yield: {dist: uniform, min: 0.8, max: 0.97}
grey:
  enforcement: {dist: uniform, min: 0.1, max: 0.6}
events:
  - at: 2032Q1
    id: late
    scale: {foundry.smic_n2.capacity_wpm: {dist: uniform, min: 0.5, max: 1.5}}
`))
	if err != nil {
		panic(err)
	}
	m, err := s.Model()
	if err != nil {
		panic(err)
	}
	ssr, err := outcome.Parse("ai.ssr_compute@2030", m)
	if err != nil {
		panic(err)
	}
	res, err := study.RunSensitivity(context.Background(), s, []*outcome.Outcome{ssr}, study.Sensitivity{
		Method:  study.Sobol,
		N:       64, // 64·(3+2) = 320 runs
		Seed:    1,
		Level:   0.95, // Student-t intervals from 8 replicates (the default)
		Options: study.Options{Workers: 2},
	})
	if err != nil {
		panic(err)
	}
	idx, inputs := res.Sobol[0], s.Inputs()
	order := []int{0, 1, 2}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(idx.ST[b], idx.ST[a]) })
	for _, i := range order {
		band := "ST < 0.1"
		switch {
		case slices.Contains(res.Inert[0], i):
			band = "inert"
		case idx.ST[i] >= 0.5:
			band = "ST ≥ 0.5"
		case idx.ST[i] >= 0.1:
			band = "ST ≥ 0.1"
		}
		fmt.Printf("%-34s %s\n", inputs[i].Name, band)
	}
	// Output:
	// packaging.yield                    ST ≥ 0.5
	// grey.enforcement                   ST ≥ 0.1
	// late.foundry.smic_n2.capacity_wpm  inert
}
