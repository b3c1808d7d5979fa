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

// FuzzParse checks that the loader never panics: any input gives either a
// scenario whose model compiles and runs, or a sorted list of positioned
// errors.
func FuzzParse(f *testing.F) {
	for _, name := range ShippedNames() {
		data, _ := ShippedSource(name)
		f.Add(data)
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
