package scenarios

import (
	"errors"
	"testing"
)

// fuzzFragments are broken or unusual inputs beside the shipped files and
// the bad inputs of TestParseErrors.
var fuzzFragments = []string{
	"extends: baseline\n",
	"extends: h200-blocked\n",
	"extends: baseline\ntime: {start: 2022Q1, end: 2022Q4, step: month}\n",
	"extends: baseline\ntime: {step: year, end: 2035}\n",
	"extends: baseline\ntime: {start: 2030Q1}\n",
	"extends: baseline\nevents:\n  - at: 2040Q1\n    set: {demand.growth: 0.1}\n",
	"extends: baseline\nevents:\n  - at: 2020Q1\n    end: 2021Q4\n    ramp: 3\n    scale: {foundry.smic_n3.capacity_wpm: .inf}\n",
	"extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {imports.H20.quota_units_per_year: 0}\n",
	"extends: baseline\nevents:\n  - at: 2026Q1\n    add: {grey.cloud_h100e: .inf}\n  - at: 2027Q1\n    add: {grey.cloud_h100e: -.inf}\n",
	"extends: baseline\nproducts:\n  H200:\n    origin: domestic\n",
	"extends: baseline\nproducts:\n  thead_ppu:\n    origin: foreign\n",
	"extends: baseline\nproducts:\n  H200:\n    end: 2020Q1\n",
	"extends: baseline\nproducts: {X: 5}\nimports: {X: 5}\n",
	"extends: baseline\ndemand: &a {growth: 0.1}\nmarket: *a\nevents: [*a]\n",
	"a: &a [*a]\n",
	"extends: baseline\ndemand:\n  <<: {growth: 0.1}\n",
	"extends: baseline\ndemand:\n  growth: {linear: {2022Q1: 0, 2022Q1: 1}}\n",
	"extends: baseline\ndemand:\n  growth: 0x10\n  initial_h100e_per_year: 1_000_000\n",
	"extends: baseline\nevents:\n  - {at: 2026Q1, ramp: 99999999999, set: {demand.growth: 1}}\n",
	"extends: baseline\nevents:\n  - {at: -001Q1, end: 9999Q4, set: {demand.growth: 1}}\n",
	"time: {start: -001Q1, end: 0000Q4, step: year}\n",
	"name: x\ndescription: y\n",
	"extends: baseline.yaml\n",
	"extends: ../scenarios/baseline.yaml\n",
	"extends: fuzz.yaml\n",
	"---\nextends: baseline\n---\nextends: baseline\n",
	"!!binary eA==\n",
	"extends: !!str baseline\ndemand: !!map {growth: !!float 0.1}\n",
}

// fuzzFeatures are small seeds, a few lines each, that between them use
// every part of the format: sections and their parameters, schedules
// (steps and linear), every kind of event, every distribution, uncertain
// starts and durations, correlations, new products and imports. The
// fuzzer mutates and minimises small inputs quickly; the shipped files
// (the baseline is 40 KB) are reached through extends instead.
var fuzzFeatures = []string{
	"name: x\ndescription: >-\n  Folded\n  text.\nextends: baseline\ntime: {start: 2024Q1, end: 2026Q4, step: quarter}\n",
	"extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, 2026Q1: 0.7}\n  model: exponential\n  ceiling_h100e_per_year: .inf\n",
	"extends: baseline\nhbm:\n  domestic_yield: {linear: {2022Q1: 0.5, 2028Q4: 0.9}}\n  imports: open\n",
	"extends: baseline\nmarket:\n  fee_pass_through: {dist: triangular, min: 0.3, mode: 0.5, max: 0.7}\n",
	"extends: baseline\ngrey:\n  enforcement: {dist: pert, min: 0.1, mode: 0.3, max: 0.5}\n  affiliate_leakage: {dist: uniform, min: 0.1, max: 0.4}\n",
	"extends: baseline\npackaging:\n  yield: {dist: normal, mean: 0.9, sd: 0.03, lo: 0.8, hi: 0.99}\n",
	"extends: baseline\nmarket:\n  listed_share: {dist: beta, alpha: 2, beta: 5, min: 0, max: 0.5}\n",
	"extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {hbm.domestic_capacity_stacks_per_year: {dist: lognormal, median: 1, p90: 1.5, lo: 0.25, hi: 4}}\n",
	"extends: baseline\nevents:\n  - at: 2027Q1\n    end: 2028Q4\n    name: Push\n    source: assumption\n    set: {market.domestic_preference: 2.0}\n",
	"extends: baseline\nevents:\n  - at: 2026Q3\n    ramp: 4\n    scale: {imports.RTX_AI.supply_units_per_year: 0.8}\n",
	"extends: baseline\nevents:\n  - at: 2026Q1\n    add: {imports.B200.smuggling_units_per_year: 20000}\n",
	"extends: baseline\nevents:\n  - at: 2027Q1\n    export_status: {tier: prior_gen, status: licensed, fee_share: 0.25, cap_share: 0.5}\n",
	"extends: baseline\nevents:\n  - at: 2026-08-15\n    import_stance: {tier: prior_gen, quota_units_per_year: 300000}\n  - at: 2026Q1\n    import_stance: {product: H200, stance: banned}\n",
	"extends: baseline\nevents:\n  - at: {dist: uniform, min: 2027Q1, max: 2028Q4}\n    id: sq\n    duration: {dist: discrete, values: [4, 8, 40], weights: [0.3, 0.3, 0.4]}\n    equipment_control: {process: smic_n2, capacity_scale: {dist: uniform, min: 0.6, max: 0.9}, learning_rate: 0.85}\ncorrelations:\n  - [sq.at, sq.foundry.smic_n2.capacity_wpm, 0.5]\n",
	"extends: baseline\nevents:\n  - at: 2026Q1\n    ramp: 8\n    subsidy: {process: smic_n3, capacity_scale: 1.3, ai_share: 0.6}\n  - at: 2026Q1\n    hbm_control: {domestic_scale: 0.8}\n  - at: 2026Q4\n    entity_listing: {listed_share: 0.3, affiliate_leakage: 0.2}\n",
	"extends: baseline\nproducts:\n  x1:\n    vendor: X\n    origin: domestic\n    process: smic_n2\n    ecosystem: cann\n    launch: 2026Q1\n    end: 2030Q4\n    h100e: 0.5\n    price_usd: 9000\n    hbm_stacks: 4\n    die_area_mm2: 400\n    dies_per_unit: 1\n    uses_die_bank: false\n",
	"extends: baseline\nimports:\n  H20:\n    us_status: banned\n    cn_stance: open\n    supply_units_per_year: {2022Q1: 0, 2024Q1: 1000000}\n",
	"extends: baseline\nsector:\n  memory:\n    growth: 0.1\n    domestic_share: {linear: {2022Q1: 0.1, 2030Q4: 0.3}}\n",
	"extends: baseline\nfoundry:\n  smic_n2:\n    defect_density: 0.5\n    yield_model: poisson\n    learning_rate: {dist: triangular, min: 0.65, mode: 0.75, max: 0.85}\n",
	"extends: baseline\necosystems:\n  cann:\n    utility: -0.5\ninstalled:\n  service_life_years: 4\ndie_bank:\n  initial_dies: 0\n",
	"extends: baseline-uncertain\n",
	"extends: equipment-squeeze\nname: y\n",
}

// FuzzParse checks that the loader never panics: any input gives either a
// scenario whose model compiles and runs, or a sorted list of positioned
// errors.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzFeatures {
		f.Add([]byte(s))
	}
	for _, tt := range parseErrorTests {
		f.Add([]byte(tt.in))
	}
	for _, s := range fuzzFragments {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			if s != nil {
				t.Errorf("Parse(%q) = %v and error %v, want no scenario with an error", data, s.Name, err)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse(%q) error = %#v, want a non-empty ErrorList", data, err)
			}
			for i, e := range list {
				if e.Pos.File == "" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
					t.Errorf("Parse(%q) error %d = %q at %+v, want a message at a position", data, i, e.Msg, e.Pos)
				}
				if i > 0 && before(e.Pos, list[i-1].Pos) {
					t.Errorf("Parse(%q) errors not sorted: %s after %s", data, e.Pos, list[i-1].Pos)
				}
			}
			return
		}
		if s == nil {
			t.Fatalf("Parse(%q) = nil, nil", data)
		}
		m, err := s.Model()
		if err != nil {
			t.Fatalf("Parse(%q) succeeded but Model() error = %v", data, err)
		}
		m.Run(m.NewResult())
	})
}

func before(a, b Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// FuzzParseSweepFile checks that a sweep file never panics the parser:
// any input gives a sweep definition or a sorted list of errors, each at
// a position in the file.
func FuzzParseSweepFile(f *testing.F) {
	for _, s := range []string{
		"scenario: baseline-uncertain\noutcomes: [ai.ssr_compute@2030, first(ai.ssr_units >= 0.5)]\noat: {range: p10-p90}\n",
		"scenario: baseline-uncertain\ndescription: a one-at-a-time sweep\noutcomes: ai.ssr_compute@2030\noat:\n",
		"scenario: baseline\noutcomes:\n  - ai.ssr_compute@2030\ngrid:\n  - {name: packaging.yield, from: 0.6, to: 0.95, steps: 8}\n  - {name: grey.enforcement, from: 0.1, to: 0.5, steps: 3}\n",
		"scenario: ../scenarios/baseline-uncertain.yaml\noutcomes: [sum(ai.units_domestic, 2025..2026Q2)]\nlhs: {runs: 1_000, seed: 18446744073709551615}\n",
		"scenario: baseline\noutcomes: []\noat: {range: min-max}\nlhs: {runs: 0}\n",
		"scenario: [a, b]\noutcomes: [~]\ngrid: [{name: x, name: y, steps: 1}, 3]\nseed: 1\n",
		"scenario: baseline\nscenario: baseline\n",
		"- a\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := ParseSweepFile("sweeps/fuzz.yaml", data)
		if err != nil {
			if def != nil {
				t.Errorf("ParseSweepFile(%q) = %+v and error %v, want no sweep with an error", data, def, err)
			}
			checkErrorList(t, "ParseSweepFile", data, err)
			return
		}
		if def == nil || def.scenario.text == "" || len(def.outcomes) == 0 || def.mode == "" {
			t.Fatalf("ParseSweepFile(%q) = %+v, nil: want a scenario, outcomes and a design", data, def)
		}
		def.Settings()
	})
}

// checkErrorList fails t unless err is a non-empty, sorted ErrorList of
// messages at positions.
func checkErrorList(t *testing.T, fn string, data []byte, err error) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("%s(%q) error = %#v, want a non-empty ErrorList", fn, data, err)
	}
	for i, e := range list {
		if e.Pos.File == "" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
			t.Errorf("%s(%q) error %d = %q at %+v, want a message at a position", fn, data, i, e.Msg, e.Pos)
		}
		if i > 0 && before(e.Pos, list[i-1].Pos) {
			t.Errorf("%s(%q) errors not sorted: %s after %s", fn, data, e.Pos, list[i-1].Pos)
		}
	}
}
