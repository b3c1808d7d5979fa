package scenarios_test

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
)

// resumeCases are scenarios whose draws change inputs part-way through
// the calendar, each aimed at a way a run that starts part-way could go
// wrong, then all together, quarterly and monthly.
var resumeCases = map[string]string{
	// Buyers see a ban coming three quarters ahead and pull purchases
	// forward: the periods before the ban change too.
	"ban": `
imports:
  H200:
    pull_forward: 0.8
    pull_forward_lead_quarters: 3
events:
  - at: {dist: discrete, values: [2027Q2, 2028Q3, 2031Q1]}
    id: ban
    export_status: {tier: prior_gen, status: banned}
  - at: 2034Q1
    id: demand
    scale: {demand.growth: {dist: uniform, min: 0.5, max: 1.5}}
`,
	// A cycle time that moves when vendors start building the Ascend 960
	// ahead of its launch: planning reads whether a product is made the
	// next period.
	"cycle": `
events:
  - at: {dist: discrete, values: [2026Q3, 2026Q4, 2027Q1]}
    id: cycle
    set: {foundry.smic_n3.cycle_time_months: {dist: uniform, min: 2, max: 12}}
`,
	// The installed base's service life, which a run reads once at its
	// start, changes from the first period in some draws only.
	"life": `
events:
  - at: {dist: discrete, values: [2022Q1, 2024Q2]}
    id: life
    set: {installed.service_life_years: {dist: uniform, min: 4, max: 7}}
  - at: 2030Q1
    id: demand
    scale: {demand.growth: {dist: uniform, min: 0.5, max: 1.5}}
`,
	// A drawn licence cap overridden in the middle of the quarter it
	// starts: the quarter's parameter values are the same in every draw,
	// and only its part-period record (the value before the change)
	// differs.
	"parts": `
events:
  - at: 2028Q1
    id: cap
    export_status: {tier: prior_gen, cap_share: {dist: uniform, min: 0.1, max: 0.9}}
  - at: 2028-02-15
    export_status: {tier: prior_gen, cap_share: 0.5}
`,
	// Dates across the whole calendar, from the first period (a draw that
	// changes everything) to the last years.
	"spread": `
events:
  - at: {dist: discrete, values: [2022Q1, 2023Q3, 2026Q2, 2031Q4]}
    id: smic
    scale: {foundry.smic_n2.capacity_wpm: {dist: uniform, min: 0.6, max: 1.4}}
  - at: {dist: discrete, values: [2022Q2, 2028Q1, 2034Q3]}
    id: learning
    set: {foundry.smic_n2.learning_rate: {dist: uniform, min: 0.65, max: 0.9}}
`,
}

// TestRunsResumeBitForBit: a Result that runs draw after draw starts each
// run at the first period its draw can reach (sim's resume.go) and keeps
// the earlier periods' outputs. Every output must be, bit for bit, what a
// new Result, which runs the whole calendar, gives for the same draw, for
// full and outcome-only Results, quarterly and monthly.
func TestRunsResumeBitForBit(t *testing.T) {
	type tc struct{ name, text string }
	cases := []tc{{"baseline-uncertain", ""}}
	for _, name := range slices.Sorted(maps.Keys(resumeCases)) {
		cases = append(cases, tc{name, "extends: baseline\nname: " + name + "\n" + resumeCases[name]})
		cases = append(cases, tc{name + " monthly", "extends: baseline\nname: " + name + "\ntime: {step: month}\n" + resumeCases[name]})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s *scenarios.Scenario
			var err error
			if c.text == "" {
				s, err = scenarios.Load(c.name)
			} else {
				s, err = scenarios.Parse(c.name+".yaml", []byte(c.text))
			}
			if err != nil {
				t.Fatal(err)
			}
			sp, err := s.NewSampler()
			if err != nil {
				t.Fatal(err)
			}
			m := sp.Model()
			ssr, _ := m.SlotIndex("ai.ssr_compute", "all")
			units, _ := m.SlotIndex("product.units", "H20")
			kept := []int{ssr, units}
			r := m.NewResult()
			part, err := m.NewResultFor(kept)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(7, 11))
			u := make([]float64, sp.Dim())
			draws := 60
			if testing.Short() {
				draws = 15
			}
			for k := range draws {
				for i := range u {
					u[i] = rng.Float64()
				}
				sp.Set(u)
				m.Run(r)
				m.Run(part)
				fresh := m.NewResult()
				m.Run(fresh)
				for i, want := range fresh.Data {
					if got := r.Data[i]; math.Float64bits(got) != math.Float64bits(want) {
						ns := len(m.Slots())
						sl := m.Slots()[i%ns]
						t.Fatalf("draw %d: %s[%s] in %s = %v after resuming, %v from the first period",
							k, sl.Metric.Name, sl.Entity, m.Calendar().Label(i/ns), got, want)
					}
				}
				for _, s := range kept {
					for tt := range m.Calendar().N {
						if got, want := part.At(s, tt), fresh.At(s, tt); math.Float64bits(got) != math.Float64bits(want) {
							t.Fatalf("draw %d: outcome-only %s in %s = %v after resuming, %v from the first period",
								k, m.Slots()[s].Metric.Name, m.Calendar().Label(tt), got, want)
						}
					}
				}
			}
		})
	}
}
