package check

import (
	"strings"
	"testing"
)

// TestParseOnePass checks that the problems of one check come out of one
// run: a misspelt or missing key does not hide the bad values beside it.
func TestParseOnePass(t *testing.T) {
	src := y("history:",
		"  - metric: ai.ssr_unit",
		"    period: 2025Q5",
		"    value: 0.4",
		"    tolernace: 0.1",
		"    source: x",
		"comparisons:",
		"  - id: c1",
		"    scenario: h200-blocked",
		"    outcome: ai.ssr_compute@2030",
		"    expect: more",
		"    by_atleast: 5%",
		"bindings:",
		"  - product: H200",
		"    constraint: hmb",
		"    from: 2026",
		"    to: 2025",
		"invariants:",
		"  - id: i1",
		"    rule: max_jmp",
		"    metrics: [ai.ssr_units, ai.nope]",
		"    limit: -1")
	want := []string{
		"t.yaml:2:13: history: unknown metric ai.ssr_unit (did you mean ai.ssr_units?); chipsim run's CSV lists every metric",
		"t.yaml:3:13: history: period: \"2025Q5\" is not a year or period: want 2025, 2025Q3 or 2025-07",
		"t.yaml:4:12: history: value needs a tolerance: an absolute number or a percentage such as 15%",
		"t.yaml:5:5: history: unknown key tolernace (did you mean tolerance?); want id, scenario, metric, entity, period, value, tolerance, min, max, source, note",
		"t.yaml:11:13: comparison: expect: \"more\"; want higher or lower",
		"t.yaml:12:5: comparison: unknown key by_atleast (did you mean by_at_least?); want id, story, scenario, against, outcome, expect, by_at_least, source",
		"t.yaml:14:5: binding: missing key source",
		"t.yaml:15:17: binding: constraint \"hmb\" (did you mean hbm?); want " + strings.Join(Constraints, ", "),
		"t.yaml:17:9: binding: to: 2025 ends before from (2026) starts",
		"t.yaml:20:11: invariant: rule \"max_jmp\" (did you mean max_jump?); want max_drop, max_inventory_months, max_jump, nondecreasing",
		"t.yaml:21:29: invariant: unknown metric ai.nope; chipsim run's CSV lists every metric",
		"t.yaml:22:12: invariant: limit: -1 is negative",
	}
	_, err := Parse("t.yaml", []byte(src))
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Parse error =\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
}

// TestParseYAMLPositions checks that YAML syntax errors and a second
// document are reported where they are, as in scenario files.
func TestParseYAMLPositions(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"second document not valid YAML", y("history: []", "---", "history: [", "comparisons: []"),
			"t.yaml:3:10: not valid YAML: did not find expected ',' or ']'; the [ here is never closed"},
		{"second document and a bad key", y("histroy: []", "---"),
			"t.yaml:1:1: unknown key histroy (did you mean history?); want history, comparisons, bindings, invariants, history_ends\n" +
				"t.yaml:2:1: a second YAML document starts here, and a checks file holds one: remove this --- line, or put the second document in a file of its own"},
		{"unclosed quote", y("history:", "  - metric: ai.ssr_units", "    source: \"IDC", "    period: 2025"),
			"t.yaml:3:13: not valid YAML: found unexpected end of stream; the quote here is never closed"},
		{"key indented too far", y("history:", "  - metric: ai.ssr_units", "     period: 2025", "    source: x"),
			"t.yaml:3:12: not valid YAML: mapping values are not allowed in this context"},
		{"key indented too little", y("history:", "  - metric: ai.ssr_units", "    period: 2025", "   source: x"),
			"t.yaml:4:4: not valid YAML: did not find expected '-' indicator"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", tt.src, err, tt.want)
			}
		})
	}
}
