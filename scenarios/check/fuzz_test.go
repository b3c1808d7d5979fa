package check

import (
	"errors"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
)

// FuzzParseChecks checks that a checks file never panics the parser: any
// input gives a file of checks, each at a position in the input, with
// distinct ids and accepted ranges that hold their value, or a non-empty
// list of errors, each at a position.
func FuzzParseChecks(f *testing.F) {
	for _, s := range []string{
		"history_ends: 2025Q4\nhistory:\n  - metric: ai.units_delivered\n    period: 2023\n    value: 1.34e6\n    tolerance: 15%\n    source: IDC\n",
		"history:\n  - metric: foundry.yield\n    entity: smic_n2\n    period: 2025Q4\n    min: 0.25\n    max: 0.45\n    source: FT\n    note: derived\n  - id: h20\n    metric: product.units\n    entity: H20\n    period: 2025Q4\n    max: 2.0e4\n    source: NVIDIA\n",
		"history:\n  - metric: ai.ssr_compute\n    period: 2024\n    value: 0.3\n    tolerance: 0.05\n    scenario: baseline\n    source: s\n",
		"comparisons:\n  - id: up\n    story: more capacity raises compute\n    scenario: smic-expansion\n    outcome: sum(ai.h100e_domestic, 2028..2029)\n    expect: higher\n    by_at_least: 5%\n",
		"comparisons:\n  - scenario: h200-blocked\n    against: baseline\n    outcome: ai.ssr_compute@2027\n    expect: lower\n    source: s\n",
		"bindings:\n  - product: ascend_910b\n    constraint: dies\n    from: 2023\n    to: 2024\n    at_least: 50%\n    source: Reuters\n  - process: smic_n2\n    constraint: foundry\n    from: 2026Q1\n    to: 2026Q4\n    source: s\n",
		"invariants:\n  - id: jump\n    story: no jump\n    rule: max_jump\n    metrics: [ai.ssr_units, ai.ssr_compute]\n    limit: 0.10\n  - id: stock\n    story: no pile\n    rule: max_inventory_months\n    limit: 12\n    scenarios: [baseline, hbm-crunch]\n    from: 2024\n    to: 2030\n",
		"history: []\n---\nhistory: []\n",
		"history:\n  - {metric: ai.units_delivered, period: 2023, value: 1, tolerance: 1, source: a}\n  - {metric: ai.units_delivered, period: 2023, value: 1, tolerance: 1, source: a}\n",
		"history: {a: 1}\nbindings: [1]\nfoo: 2\n",
		"time: {start: 2022Q1}\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			if file != nil {
				t.Fatalf("Parse(%q) = %+v and error %v, want no file with an error", data, file, err)
			}
			var list scenarios.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse(%q) error = %#v, want a non-empty ErrorList", data, err)
			}
			for i, e := range list {
				if e.Pos.File != "fuzz.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
					t.Errorf("Parse(%q) error %d = %q at %+v, want a message at a position", data, i, e.Msg, e.Pos)
				}
			}
			return
		}
		if file == nil || file.Name != "fuzz.yaml" {
			t.Fatalf("Parse(%q) = %+v, nil, want the file", data, file)
		}
		ids := map[string]bool{}
		check := func(id string, pos scenarios.Pos) {
			if ids[id] {
				t.Errorf("Parse(%q): check id %q used twice", data, id)
			}
			ids[id] = true
			if pos.File != "fuzz.yaml" || pos.Line < 1 || pos.Col < 1 {
				t.Errorf("Parse(%q): check %q at %+v, want a position in the file", data, id, pos)
			}
		}
		for _, o := range file.History {
			check(o.ID, o.Pos)
			if !(o.Lo <= o.Hi) {
				t.Errorf("Parse(%q): %s accepts [%g, %g], an empty range", data, o.ID, o.Lo, o.Hi)
			}
		}
		for _, c := range file.Comparisons {
			check(c.ID, c.Pos)
		}
		for _, b := range file.Bindings {
			check(b.ID, b.Pos)
		}
		for _, in := range file.Invariants {
			check(in.ID, in.Pos)
		}
	})
}
