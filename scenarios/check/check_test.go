package check

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// y joins lines into a YAML text, one a line, so that a test can count
// lines for the positions it expects.
func y(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// Inline scenarios, each extending the baseline. The packaging pair makes
// the same fall in domestic output in 2031Q2, once written as a schedule
// (nothing explains it) and once as an event (the event explains it).
var inline = map[string]string{
	"test-pack-schedule": y(
		"extends: baseline",
		"packaging:",
		"  capacity_units_per_year: {2022Q1: 3000000, 2031Q2: 100000}",
	),
	"test-pack-event": y(
		"extends: baseline",
		"packaging:",
		"  capacity_units_per_year: 3000000",
		"events:",
		"  - at: 2031Q2",
		"    name: Test packaging cut",
		"    source: test",
		"    set: {packaging.capacity_units_per_year: 100000}",
	),
	// The cut as a schedule, and an event that changes nothing in the
	// quarter after it: buyers see it coming, so it explains the move.
	"test-pack-announced": y(
		"extends: baseline",
		"packaging:",
		"  capacity_units_per_year: {2022Q1: 3000000, 2031Q2: 100000}",
		"events:",
		"  - at: 2031Q3",
		"    name: Cut announced",
		"    source: test",
		"    set: {market.price_sensitivity: 1.0}",
	),
	// The cut as a schedule, and in its quarter the end of an event with an
	// end, the end of one with a duration, the full effect of one dated by
	// day in the quarter before, and one at the cut: none changes a thing.
	"test-pack-many": y(
		"extends: baseline",
		"packaging:",
		"  capacity_units_per_year: {2022Q1: 3000000, 2031Q2: 100000}",
		"events:",
		"  - at: 2030Q1",
		"    end: 2031Q1",
		"    name: Ends before the cut",
		"    source: test",
		"    set: {market.price_sensitivity: 1.0}",
		"  - at: 2030Q2",
		"    duration: 4",
		"    name: Four quarters",
		"    source: test",
		"    set: {market.price_sensitivity: 1.0}",
		"  - at: 2031-02-10",
		"    name: Dated by day",
		"    source: test",
		"    set: {market.price_sensitivity: 1.0}",
		"  - at: 2031Q2",
		"    name: At the cut",
		"    source: test",
		"    set: {market.price_sensitivity: 1.0}",
	),
	// Compute wanted falls from 2031.
	"test-demand-falls": y(
		"extends: baseline",
		"demand:",
		"  growth: {2022Q1: 0.55, 2026Q1: 0.7, 2028Q1: 0.65, 2030Q1: 0.25, 2031Q1: -0.5}",
	),
}

// loaded is a scenario run once, for the tests' own evaluations.
type loaded struct {
	sc  *scenarios.Scenario
	m   *sim.Model
	res *sim.Result
}

// cache holds each scenario loaded (and run) once for the whole package.
var cache = struct {
	sync.Mutex
	sc   map[string]*scenarios.Scenario
	runs map[string]*loaded
}{sc: map[string]*scenarios.Scenario{}, runs: map[string]*loaded{}}

// load is a Loader that loads each scenario once: a shipped name or a key
// of inline.
func load(ref string) (*scenarios.Scenario, error) {
	cache.Lock()
	defer cache.Unlock()
	if sc, ok := cache.sc[ref]; ok {
		return sc, nil
	}
	var sc *scenarios.Scenario
	var err error
	if src, ok := inline[ref]; ok {
		sc, err = scenarios.Parse(ref+".yaml", []byte(src))
	} else {
		sc, err = scenarios.Load(ref)
	}
	if err != nil {
		return nil, err
	}
	if _, err := sc.Model(); err != nil {
		return nil, err
	}
	cache.sc[ref] = sc
	return sc, nil
}

// runOf returns ref loaded and run once.
func runOf(t *testing.T, ref string) *loaded {
	t.Helper()
	sc, err := load(ref)
	if err != nil {
		t.Fatalf("load %s: %v", ref, err)
	}
	cache.Lock()
	defer cache.Unlock()
	if r, ok := cache.runs[ref]; ok {
		return r
	}
	m, _ := sc.Model()
	res := m.NewResult()
	m.Run(res)
	r := &loaded{sc: sc, m: m, res: res}
	cache.runs[ref] = r
	return r
}

// eval evaluates an outcome expression on ref with package sim/outcome.
func eval(t *testing.T, ref, expr string) float64 {
	t.Helper()
	r := runOf(t, ref)
	o, err := outcome.Parse(expr, r.m)
	if err != nil {
		t.Fatalf("outcome %s on %s: %v", expr, ref, err)
	}
	return o.Eval(r.res)
}

// series returns the values of a metric for an entity in ref, one a period.
func series(t *testing.T, ref, metric, entity string) []float64 {
	t.Helper()
	r := runOf(t, ref)
	slot, ok := r.m.SlotIndex(metric, entity)
	if !ok {
		t.Fatalf("%s has no %s[%s]", ref, metric, entity)
	}
	out := make([]float64, r.m.Calendar().N)
	for i := range out {
		out[i] = r.res.At(slot, i)
	}
	return out
}

// index returns the period of a label such as 2031Q2 in ref's calendar.
func index(t *testing.T, ref, label string) int {
	t.Helper()
	m, _, err := sim.ParseMonth(label)
	if err != nil {
		t.Fatal(err)
	}
	return runOf(t, ref).m.Calendar().Index(m)
}

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v\nin\n%s", err, src)
	}
	return f
}

// mustRun runs f (on every scenario it names, or on ref with RunOn) and
// fails the test on an error.
func mustRun(t *testing.T, f *File, on string) []Result {
	t.Helper()
	var rs []Result
	var err error
	if on == "" {
		rs, err = f.Run(load)
	} else {
		rs, err = f.RunOn(on, load)
	}
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rs
}

func byID(t *testing.T, rs []Result, id string) Result {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no result with id %s in %d results", id, len(rs))
	return Result{}
}

func pos(line int) scenarios.Pos { return scenarios.Pos{File: "t.yaml", Line: line, Col: 5} }

// starts returns the positions of the checks in a checks file written
// with y: the lines that start a list item.
func starts(src string) []scenarios.Pos {
	var out []scenarios.Pos
	for i, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "  - ") {
			out = append(out, pos(i+1))
		}
	}
	return out
}

// same reports whether two floats are equal, nearly equal, or both NaN.
func same(a, b float64) bool { return a == b || near(a, b) || (math.IsNaN(a) && math.IsNaN(b)) }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// A history check written for valid files below.
var obs = []string{
	"  - metric: ai.ssr_units",
	"    period: 2025",
	"    value: 0.4",
	"    tolerance: 0.1",
	"    source: x",
}

func TestParseErrors(t *testing.T) {
	const sections = "history, comparisons, bindings, invariants"
	const keys = sections + ", history_ends"
	tests := []struct {
		name, src, want string
	}{
		{"unknown top-level key", y("histroy: []"),
			"t.yaml:1:1: unknown key histroy (did you mean history?); want " + keys},
		{"unknown top-level key far from any", y("history: []", "checks: []"),
			"t.yaml:2:1: unknown key checks; want " + keys},
		{"section not a list", y("history: {}"),
			"t.yaml:1:10: history: want a list, got a mapping"},
		{"check not a mapping", y("history:", "  - 3"),
			"t.yaml:2:5: history: want a mapping for each check, got the number 3"},
		{"key set twice", y("history:", obs[0], obs[1], obs[2], obs[3], obs[4], "    period: 2024"),
			"t.yaml:7:5: key period is set twice (first on line 3)"},
		{"unknown key in a check, with the missing key it hides", y(
			"history:",
			"  - metric: ai.ssr_units",
			"    period: 2025",
			"    value: 0.4",
			"    tolerance: 0.1",
			"    sorce: x"),
			"t.yaml:2:5: history: missing key source\n" +
				"t.yaml:6:5: history: unknown key sorce (did you mean source?); want id, scenario, metric, entity, period, value, tolerance, min, max, source, note"},
		{"history missing keys", y("history:", "  - metric: ai.ssr_units"),
			"t.yaml:2:5: history: missing key period\nt.yaml:2:5: history: missing key source\n" +
				"t.yaml:2:5: history: missing key value (with tolerance), or min and max"},
		{"comparison missing keys", y("comparisons:", "  - story: x"),
			"t.yaml:2:5: comparison: missing key id\nt.yaml:2:5: comparison: missing key scenario\n" +
				"t.yaml:2:5: comparison: missing key outcome\nt.yaml:2:5: comparison: missing key expect"},
		{"binding missing keys", y("bindings:", "  - product: ascend_910c"),
			"t.yaml:2:5: binding: missing key constraint\nt.yaml:2:5: binding: missing key from\n" +
				"t.yaml:2:5: binding: missing key to\nt.yaml:2:5: binding: missing key source"},
		{"invariant missing keys", y("invariants:", "  - story: x"),
			"t.yaml:2:5: invariant: missing key id\nt.yaml:2:5: invariant: missing key rule"},
		{"value without tolerance", y("history:", obs[0], obs[1], obs[2], obs[4]),
			"t.yaml:4:12: history: value needs a tolerance: an absolute number or a percentage such as 15%"},
		{"value with min", y("history:", obs[0], obs[1], obs[2], "    min: 0.1", obs[4]),
			"t.yaml:2:5: history: give value with tolerance, or min and max, not both"},
		{"value with max", y("history:", obs[0], obs[1], obs[2], obs[3], "    max: 0.9", obs[4]),
			"t.yaml:2:5: history: give value with tolerance, or min and max, not both"},
		{"tolerance with min and max", y("history:", obs[0], obs[1], "    tolerance: 0.1", "    min: 0.1", "    max: 0.5", obs[4]),
			"t.yaml:4:16: history: tolerance goes with value, not with min and max"},
		{"neither value nor min and max", y("history:", obs[0], obs[1], obs[4]),
			"t.yaml:2:5: history: missing key value (with tolerance), or min and max"},
		{"min above max", y("history:", obs[0], obs[1], "    min: 0.5", "    max: 0.1", obs[4]),
			"t.yaml:2:5: history: min 0.5 is above max 0.1"},
		{"value not a number", y("history:", obs[0], obs[1], "    value: many", obs[3], obs[4]),
			`t.yaml:4:12: history: value: want a finite number, got the text "many"`},
		{"bad percentage", y("history:", obs[0], obs[1], obs[2], "    tolerance: abc%", obs[4]),
			`t.yaml:5:16: history: tolerance: "abc%" is not a percentage`},
		{"negative percentage", y("history:", obs[0], obs[1], obs[2], "    tolerance: -5%", obs[4]),
			`t.yaml:5:16: history: tolerance: "-5%" is not a percentage`},
		{"percentage above 1000%", y("history:", obs[0], obs[1], obs[2], "    tolerance: 1001%", obs[4]),
			`t.yaml:5:16: history: tolerance: "1001%" is not a percentage`},
		{"negative tolerance", y("history:", obs[0], obs[1], obs[2], "    tolerance: -0.1", obs[4]),
			"t.yaml:5:16: history: tolerance -0.1 is negative"},
		{"unknown metric", y("history:", "  - metric: ai.ssr_unit", obs[1], obs[2], obs[3], obs[4]),
			"t.yaml:2:13: history: unknown metric ai.ssr_unit (did you mean ai.ssr_units?); chipsim run's CSV lists every metric"},
		{"bad period", y("history:", obs[0], "    period: 2025Q5", obs[2], obs[3], obs[4]),
			`t.yaml:3:13: history: period: "2025Q5" is not a year or period: want 2025, 2025Q3 or 2025-07`},
		{"empty source", y("history:", obs[0], obs[1], obs[2], obs[3], "    source:"),
			"t.yaml:6:12: history: source: want text, got an empty value"},
		{"binding to before from", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: 2027",
			"    to: 2026",
			"    source: x"),
			"t.yaml:5:9: binding: to: 2026 ends before from (2027) starts"},
		{"binding quarter before month", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: 2026-07",
			"    to: 2026Q2",
			"    source: x"),
			"t.yaml:5:9: binding: to: 2026Q2 ends before from (2026-07) starts"},
		{"binding bad from", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: soon",
			"    to: 2026",
			"    source: x"),
			`t.yaml:4:11: binding: from: "soon" is not a year or period: want 2025, 2025Q3 or 2025-07`},
		{"invariant to before from", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jump",
			"    metrics: [ai.ssr_units]",
			"    limit: 0.1",
			"    from: 2027",
			"    to: 2026"),
			"t.yaml:7:9: invariant: to: 2026 ends before from (2027) starts"},
		{"metrics: []", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jump",
			"    metrics: []",
			"    limit: 0.1"),
			"t.yaml:4:14: invariant: metrics: want a list of one or more metric names, got an empty list"},
		{"metrics not a list", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jump",
			"    metrics: ai.ssr_units",
			"    limit: 0.1"),
			`t.yaml:4:14: invariant: metrics: want a list of one or more metric names, got the text "ai.ssr_units"`},
		{"unknown metric in an invariant", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jump",
			"    metrics: [ai.ssr_units, ai.coverag]",
			"    limit: 0.1"),
			"t.yaml:4:29: invariant: unknown metric ai.coverag (did you mean ai.coverage?); chipsim run's CSV lists every metric"},
		{"scenarios: []", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jump",
			"    metrics: [ai.ssr_units]",
			"    limit: 0.1",
			"    scenarios: []"),
			"t.yaml:6:16: invariant: scenarios: want a list of one or more scenario names or files (leave the key out for every shipped scenario), got an empty list"},
		{"unknown rule", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jmp",
			"    metrics: [ai.ssr_units]",
			"    limit: 0.1"),
			`t.yaml:3:11: invariant: rule "max_jmp" (did you mean max_jump?); want max_drop, max_inventory_months, max_jump, nondecreasing`},
		{"rule without metrics", y("invariants:", "  - id: a", "    rule: max_drop", "    limit: 0.1"),
			"t.yaml:2:5: invariant: rule max_drop needs metrics"},
		{"rule without limit", y("invariants:", "  - id: a", "    rule: max_jump", "    metrics: [ai.ssr_units]"),
			"t.yaml:2:5: invariant: rule max_jump needs a limit"},
		{"max_inventory_months without limit", y("invariants:", "  - id: a", "    rule: max_inventory_months"),
			"t.yaml:2:5: invariant: rule max_inventory_months needs a limit"},
		{"unknown constraint", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hmb",
			"    from: 2026",
			"    to: 2026",
			"    source: x"),
			`t.yaml:3:17: binding: constraint "hmb" (did you mean hbm?); want plan, dies, hbm, packaging, demand, foundry`},
		{"binding with product and process", y(
			"bindings:",
			"  - product: ascend_910c",
			"    process: smic_n2",
			"    constraint: hbm",
			"    from: 2026",
			"    to: 2026",
			"    source: x"),
			"t.yaml:2:5: binding: give product or process (one of them)"},
		{"binding with neither product nor process", y(
			"bindings:",
			"  - constraint: hbm",
			"    from: 2026",
			"    to: 2026",
			"    source: x"),
			"t.yaml:2:5: binding: give product or process (one of them)"},
		{"process with a constraint other than foundry", y(
			"bindings:",
			"  - process: smic_n2",
			"    constraint: dies",
			"    from: 2026",
			"    to: 2026",
			"    source: x"),
			"t.yaml:3:17: binding: a process takes constraint foundry (its AI wafers all used)"},
		{"product with constraint foundry", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: foundry",
			"    from: 2026",
			"    to: 2026",
			"    source: x"),
			"t.yaml:3:17: binding: for a product, the foundry shows as constraint dies"},
		{"at_least above 100%", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: 2026",
			"    to: 2026",
			"    at_least: 150%",
			"    source: x"),
			"t.yaml:6:15: binding: at_least 1.5 is above 100%"},
		{"comparison bad expect and negative by_at_least", y(
			"comparisons:",
			"  - id: a",
			"    scenario: h200-blocked",
			"    outcome: ai.ssr_units@2025",
			"    expect: up",
			"    by_at_least: -1"),
			"t.yaml:5:13: comparison: expect: \"up\"; want higher or lower\n" +
				"t.yaml:6:18: comparison: by_at_least: -1 is negative"},
		{"duplicate default history ids", y("history:", obs[0], obs[1], obs[2], obs[3], obs[4], obs[0], obs[1], obs[2], obs[3], obs[4]),
			"t.yaml:7:5: check id ai.ssr_units@2025 is used twice (first at line 2); give it an id: key"},
		{"duplicate ids across kinds", y(
			"history:", obs[0], obs[1], obs[2], obs[3], obs[4],
			"    id: same",
			"invariants:",
			"  - id: same",
			"    rule: nondecreasing",
			"    metrics: [ai.demand_h100e]"),
			"t.yaml:9:5: check id same is used twice (first at line 2); give it an id: key"},
		{"duplicate default binding ids", y(
			"bindings:",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: 2026",
			"    to: 2026",
			"    source: x",
			"  - product: ascend_910c",
			"    constraint: hbm",
			"    from: 2026",
			"    to: 2026",
			"    source: y"),
			"t.yaml:7:5: check id ascend_910c:hbm@2026..2026 is used twice (first at line 2); give it an id: key"},
		{"second YAML document", y("history: []", "---", "history: []"),
			"t.yaml:2:1: a second YAML document starts here, and a checks file holds one: remove this --- line, or put the second document in a file of its own"},
		{"invalid YAML", y("history:", "  - metric: ai.ssr_units", "    period: a: b"),
			"t.yaml:3:14: not valid YAML: mapping values are not allowed in this context"},
		{"tab in indentation", y("history: []", "\tcomparisons: []"),
			"t.yaml:2:1: not valid YAML: found character that cannot start any token; indent with spaces, not tabs"},
		{"empty file", "",
			"t.yaml:1:1: empty file: want a mapping with " + sections},
		{"only a comment", y("# nothing here"),
			"t.yaml:1:1: empty file: want a mapping with " + sections},
		{"a list", y("- history", "- bindings"),
			"t.yaml:1:1: want a mapping with " + sections},
		{"several errors, sorted by position", y(
			"invariants:",
			"  - id: a",
			"    rule: max_jmp",
			"    metrics: [ai.ssr_units]",
			"    limit: 0.1",
			"history:",
			"  - metric: ai.ssr_unit",
			"    period: 2025",
			"    value: 0.4",
			"    tolerance: 0.1",
			"    source: x",
			"bogus: 1",
			"bindings:",
			"  - product: ascend_910c",
			"    process: smic_n2",
			"    constraint: foundry",
			"    from: 2026",
			"    to: 2025",
			"    source: x"),
			"t.yaml:3:11: invariant: rule \"max_jmp\" (did you mean max_jump?); want max_drop, max_inventory_months, max_jump, nondecreasing\n" +
				"t.yaml:7:13: history: unknown metric ai.ssr_unit (did you mean ai.ssr_units?); chipsim run's CSV lists every metric\n" +
				"t.yaml:12:1: unknown key bogus; want " + keys + "\n" +
				"t.yaml:14:5: binding: give product or process (one of them)\n" +
				"t.yaml:18:9: binding: to: 2025 ends before from (2026) starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; want\n%s", tt.want)
			}
			if f != nil {
				t.Errorf("got a file with an error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			var list scenarios.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want scenarios.ErrorList", err)
			}
			if n := strings.Count(tt.want, "\n") + 1; len(list) != n {
				t.Errorf("%d errors, want %d", len(list), n)
			}
		})
	}
}

// Two history checks of the same metric and year for two scenarios do not
// clash: the default id names a scenario other than the baseline.
func TestParseDefaultIDs(t *testing.T) {
	f := mustParse(t, y(
		"history:", obs[0], obs[1], obs[2], obs[3], obs[4],
		obs[0], obs[1], obs[2], obs[3], obs[4],
		"    scenario: h200-blocked",
		obs[0], obs[1], obs[2], obs[3], obs[4],
		"    entity: all",
		"    scenario: baseline",
		"    id: explicit",
		"  - metric: product.units",
		"    entity: ascend_910c",
		"    period: 2025Q3",
		"    min: 0",
		"    source: x",
		"bindings:",
		"  - product: ascend_910c",
		"    constraint: hbm",
		"    from: 2026Q3",
		"    to: 2026",
		"    source: x",
		"  - process: smic_n2",
		"    constraint: foundry",
		"    from: 2027",
		"    to: 2029",
		"    source: x",
	))
	var ids []string
	for _, o := range f.History {
		ids = append(ids, o.ID)
	}
	for _, b := range f.Bindings {
		ids = append(ids, b.ID)
	}
	want := []string{
		"ai.ssr_units@2025",
		"h200-blocked:ai.ssr_units@2025",
		"explicit",
		"product.units[ascend_910c]@2025Q3",
		"ascend_910c:hbm@2026Q3..2026",
		"smic_n2:foundry@2027..2029",
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %q, want %q", ids, want)
	}
}

// Two bindings of the same product, constraint and span written for two
// scenarios should not clash, as two history checks do not.
func TestParseBindingDefaultIDNamesScenario(t *testing.T) {
	src := y(
		"bindings:",
		"  - product: ascend_910c",
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    source: x",
		"  - product: ascend_910c",
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    source: x",
		"    scenario: h200-blocked",
	)
	f, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{f.Bindings[0].ID, f.Bindings[1].ID}; got[0] == got[1] {
		t.Errorf("ids %q are equal", got)
	}
}

// A third use of an id names the line of the first use.
func TestParseDuplicateIDFirstLine(t *testing.T) {
	src := y("history:",
		obs[0], obs[1], obs[2], obs[3], obs[4],
		obs[0], obs[1], obs[2], obs[3], obs[4],
		obs[0], obs[1], obs[2], obs[3], obs[4])
	_, err := Parse("t.yaml", []byte(src))
	want := "t.yaml:7:5: check id ai.ssr_units@2025 is used twice (first at line 2); give it an id: key\n" +
		"t.yaml:12:5: check id ai.ssr_units@2025 is used twice (first at line 2); give it an id: key"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// A second YAML document that is not valid YAML is still a second
// document: the file must be rejected.
func TestParseInvalidSecondDocument(t *testing.T) {
	_, err := Parse("t.yaml", []byte(y("history: []", "---", ": : [")))
	if err == nil || !strings.HasPrefix(err.Error(), "t.yaml:") {
		t.Errorf("error %q has no position", err)
	}
}

func TestParseValid(t *testing.T) {
	f := mustParse(t, y(
		"# a comment",
		"history:",
		"  - metric: ai.units_domestic", // 3
		"    period: 2025",
		"    value: 1.65e6",
		"    tolerance: 12%",
		"    source: IDC",
		"    note: derived",
		"  - metric: money.vendor_revenue_musd", // 9
		"    entity: Huawei",
		"    scenario: h200-blocked",
		"    period: 2025",
		"    value: -2",
		"    tolerance: 10%",
		"    source: x",
		"  - metric: ai.ssr_units", // 16
		"    period: 2024",
		"    min: 0.28",
		"    source: x",
		"  - metric: ai.ssr_units", // 20
		"    period: 2023",
		"    max: 0.3",
		"    source: x",
		"  - metric: ai.ssr_units", // 24
		"    period: 2022",
		"    min: 0.1",
		"    max: 0.3",
		"    source: x",
		"  - metric: ai.ssr_units", // 29
		"    period: 2025Q3",
		"    value: 0.5",
		"    tolerance: 0.05",
		"    source: x",
		"comparisons:",
		"  - id: c1", // 35
		"    story: a story",
		"    scenario: h200-blocked",
		"    outcome: sum(ai.units_domestic, 2026..2028)",
		"    expect: higher",
		"    by_at_least: 1%",
		"    source: s",
		"  - id: c2", // 42
		"    scenario: a.yaml",
		"    against: b.yaml",
		"    outcome: ai.ssr_units@2026",
		"    expect: lower",
		"    by_at_least: 0.05",
		"bindings:",
		"  - product: ascend_910c", // 49
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    at_least: 50%",
		"    source: s",
		"  - id: b2", // 55
		"    scenario: smic-breakthrough",
		"    process: smic_n2",
		"    constraint: foundry",
		"    from: 2027Q2",
		"    to: 2029-03",
		"    at_least: 0.25",
		"    source: s",
		"invariants:",
		"  - id: i1", // 64
		"    story: st",
		"    rule: max_jump",
		"    metrics: [ai.ssr_units, ai.coverage]",
		"    limit: 10%",
		"    scenarios: [baseline, my.yaml]",
		"    from: 2024",
		"    to: 2030Q2",
		"    source: s",
		"  - id: i2", // 73
		"    rule: nondecreasing",
		"    metrics: [ai.demand_h100e]",
		"  - id: i3", // 76
		"    rule: max_inventory_months",
		"    limit: 12",
	))
	if f.Name != "t.yaml" {
		t.Errorf("Name %q", f.Name)
	}
	inf := math.Inf(1)
	wantObs := []Observation{
		{ID: "ai.units_domestic@2025", Pos: pos(3), Scenario: "baseline", Metric: "ai.units_domestic", Entity: "all", Period: "2025",
			Value: 1.65e6, Lo: 1.65e6 * 0.88, Hi: 1.65e6 * 1.12, Tolerance: "12%", Source: "IDC", Note: "derived"},
		{ID: "h200-blocked:money.vendor_revenue_musd[Huawei]@2025", Pos: pos(9), Scenario: "h200-blocked", Metric: "money.vendor_revenue_musd", Entity: "Huawei", Period: "2025",
			Value: -2, Lo: -2.2, Hi: -1.8, Tolerance: "10%", Source: "x"},
		{ID: "ai.ssr_units@2024", Pos: pos(16), Scenario: "baseline", Metric: "ai.ssr_units", Entity: "all", Period: "2024",
			Value: math.NaN(), Lo: 0.28, Hi: inf, Source: "x"},
		{ID: "ai.ssr_units@2023", Pos: pos(20), Scenario: "baseline", Metric: "ai.ssr_units", Entity: "all", Period: "2023",
			Value: math.NaN(), Lo: -inf, Hi: 0.3, Source: "x"},
		{ID: "ai.ssr_units@2022", Pos: pos(24), Scenario: "baseline", Metric: "ai.ssr_units", Entity: "all", Period: "2022",
			Value: 0.2, Lo: 0.1, Hi: 0.3, Source: "x"},
		{ID: "ai.ssr_units@2025Q3", Pos: pos(29), Scenario: "baseline", Metric: "ai.ssr_units", Entity: "all", Period: "2025Q3",
			Value: 0.5, Lo: 0.45, Hi: 0.55, Tolerance: "0.05", Source: "x"},
	}
	if len(f.History) != len(wantObs) {
		t.Fatalf("%d history checks, want %d", len(f.History), len(wantObs))
	}
	for i, w := range wantObs {
		g := *f.History[i]
		if !same(g.Value, w.Value) || !same(g.Lo, w.Lo) || !same(g.Hi, w.Hi) {
			t.Errorf("history %d: value %v in [%v, %v], want %v in [%v, %v]", i, g.Value, g.Lo, g.Hi, w.Value, w.Lo, w.Hi)
		}
		g.Value, g.Lo, g.Hi, w.Value, w.Lo, w.Hi = 0, 0, 0, 0, 0, 0
		if g != w {
			t.Errorf("history %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	wantCmp := []Comparison{
		{ID: "c1", Pos: pos(35), Story: "a story", Scenario: "h200-blocked", Against: "baseline", Outcome: "sum(ai.units_domestic, 2026..2028)", Expect: "higher", ByAtLeast: 0.01, Source: "s"},
		{ID: "c2", Pos: pos(42), Scenario: "a.yaml", Against: "b.yaml", Outcome: "ai.ssr_units@2026", Expect: "lower", ByAtLeast: 0.05},
	}
	if len(f.Comparisons) != 2 || *f.Comparisons[0] != wantCmp[0] || *f.Comparisons[1] != wantCmp[1] {
		t.Errorf("comparisons %+v, want %+v", f.Comparisons, wantCmp)
	}
	wantBind := []Binding{
		{ID: "ascend_910c:hbm@2026..2026", Pos: pos(49), Scenario: "baseline", Product: "ascend_910c", Constraint: "hbm", From: "2026", To: "2026", AtLeast: 0.5, Source: "s"},
		{ID: "b2", Pos: pos(55), Scenario: "smic-breakthrough", Process: "smic_n2", Constraint: "foundry", From: "2027Q2", To: "2029-03", AtLeast: 0.25, Source: "s"},
	}
	if len(f.Bindings) != 2 || *f.Bindings[0] != wantBind[0] || *f.Bindings[1] != wantBind[1] {
		t.Errorf("bindings %+v, want %+v", f.Bindings, wantBind)
	}
	wantInv := []*Invariant{
		{ID: "i1", Pos: pos(64), Story: "st", Rule: "max_jump", Metrics: []string{"ai.ssr_units", "ai.coverage"}, Limit: 0.1,
			Scenarios: []string{"baseline", "my.yaml"}, From: "2024", To: "2030Q2", Source: "s"},
		{ID: "i2", Pos: pos(73), Rule: "nondecreasing", Metrics: []string{"ai.demand_h100e"}},
		{ID: "i3", Pos: pos(76), Rule: "max_inventory_months", Limit: 12},
	}
	if !reflect.DeepEqual(f.Invariants, wantInv) {
		for i := range f.Invariants {
			t.Logf("invariant %d: %+v", i, *f.Invariants[i])
		}
		t.Errorf("invariants differ from %+v", wantInv)
	}
}

func TestIsChecks(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{y("history: []"), true},
		{y("comparisons:", "  - id: a"), true},
		{y("bindings: []"), true},
		{y("invariants: []"), true},
		{y("name: x", "invariants: []"), true}, // Parse rejects name, but the file is meant as checks
		{y("extends: baseline", "time:", "  start: 2022Q1", "history: []"), false},
		{y("name: x", "extends: baseline", "events: []"), false},
		{y("time: {start: 2022Q1}"), false},
		{y("history: [", "  a"), false},
		{y("- history", "- bindings"), false},
		{"", false},
		{y("just text"), false},
	}
	for _, tt := range tests {
		if got := IsChecks([]byte(tt.src)); got != tt.want {
			t.Errorf("IsChecks(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
	// Every shipped scenario is a scenario; the shipped checks are checks.
	for _, name := range scenarios.ShippedNames() {
		src, ok := scenarios.ShippedSource(name)
		if !ok {
			t.Fatalf("no source for %s", name)
		}
		if IsChecks(src) {
			t.Errorf("IsChecks(scenario %s) = true", name)
		}
	}
	if !IsChecks(ShippedSource()) {
		t.Error("IsChecks(shipped checks) = false")
	}
}

func TestShipped(t *testing.T) {
	f, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != ShippedName || ShippedName != "scenarios/check/checks.yaml" {
		t.Errorf("Name %q", f.Name)
	}
	if len(f.History) == 0 || len(f.Comparisons) == 0 || len(f.Bindings) == 0 || len(f.Invariants) == 0 {
		t.Errorf("counts: %d history, %d comparisons, %d bindings, %d invariants; want each > 0",
			len(f.History), len(f.Comparisons), len(f.Bindings), len(f.Invariants))
	}
	for _, o := range f.History {
		if strings.TrimSpace(o.Source) == "" {
			t.Errorf("%s: history check %s has no source", o.Pos, o.ID)
		}
		if o.Pos.File != ShippedName {
			t.Errorf("%s: position names %q", o.ID, o.Pos.File)
		}
	}
	for _, c := range f.Comparisons {
		if c.Story == "" {
			t.Errorf("%s: comparison %s tells no story", c.Pos, c.ID)
		}
	}
	for _, b := range f.Bindings {
		if b.Source == "" {
			t.Errorf("%s: binding %s has no source", b.Pos, b.ID)
		}
	}
	for _, in := range f.Invariants {
		if _, ok := Rules[in.Rule]; !ok {
			t.Errorf("%s: rule %s not in Rules", in.Pos, in.Rule)
		}
	}
	if !strings.Contains(string(ShippedSource()), "history:") {
		t.Error("ShippedSource has no history section")
	}
}

func TestRulesAndConstraints(t *testing.T) {
	var rules []string
	for r := range Rules {
		rules = append(rules, r)
	}
	for _, r := range []string{"max_jump", "max_drop", "nondecreasing", "max_inventory_months"} {
		if Rules[r] == "" {
			t.Errorf("rule %s has no description", r)
		}
	}
	if len(rules) != 4 {
		t.Errorf("rules %q, want 4", rules)
	}
	// Every constraint but foundry is a binding code the model stores.
	for _, c := range Constraints {
		found := c == "foundry"
		for _, n := range sim.BindingNames {
			found = found || n == c
		}
		if !found {
			t.Errorf("constraint %s is not in sim.BindingNames", c)
		}
	}
}

func TestRunHistory(t *testing.T) {
	v := eval(t, "baseline", "ai.ssr_units@2025")
	vs := eval(t, "smic-breakthrough", "ai.ssr_units@2025")
	units := eval(t, "baseline", "product.units[ascend_910c]@2025Q3")
	if !(v > 0.02 && v < 0.98) {
		t.Fatalf("baseline ai.ssr_units@2025 = %v; the test wants a share inside (0.02, 0.98)", v)
	}
	src := y(
		"history:",
		"  - id: tight", // 2
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    value: %v", v),
		"    tolerance: 0.001",
		"    source: model",
		"    note: a note",
		"  - id: excluded", // 9
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    min: %v", v+0.01),
		"    max: 1",
		"    source: s",
		"  - id: pct", // 15
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    value: %v", v),
		"    tolerance: 1%",
		"    source: s",
		"  - id: min-only", // 21
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    min: %v", v-0.01),
		"    source: s",
		"  - id: max-only", // 26
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    max: %v", v-0.01),
		"    source: s",
		"  - metric: product.units", // 31
		"    entity: ascend_910c",
		"    period: 2025Q3",
		"    min: 0",
		fmt.Sprintf("    max: %v", units),
		"    source: s",
		"  - metric: ai.ssr_units", // 37
		"    scenario: smic-breakthrough",
		"    period: 2025",
		fmt.Sprintf("    value: %v", v+0.5),
		"    tolerance: 0.1",
		"    source: s",
		"  - id: bounds-inclusive", // 43
		"    metric: ai.ssr_units",
		"    period: 2025",
		fmt.Sprintf("    min: %v", v),
		fmt.Sprintf("    max: %v", v),
		"    source: s",
	)
	rs := mustRun(t, mustParse(t, src), "")
	want := []Result{
		{Kind: "history", ID: "tight", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: v - 0.001, Hi: v + 0.001,
			Expected: Format(v) + " ± 0.001", Pass: true, Detail: "a note", Source: "model", Pos: pos(2)},
		{Kind: "history", ID: "excluded", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: v + 0.01, Hi: 1,
			Expected: Format(v+0.01) + " to 1", Pass: false, Source: "s", Pos: pos(9)},
		{Kind: "history", ID: "pct", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: v * 0.99, Hi: v * 1.01,
			Expected: Format(v) + " ± 1%", Pass: true, Source: "s", Pos: pos(15)},
		{Kind: "history", ID: "min-only", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: v - 0.01, Hi: math.Inf(1),
			Expected: "≥ " + Format(v-0.01), Pass: true, Source: "s", Pos: pos(21)},
		{Kind: "history", ID: "max-only", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: math.Inf(-1), Hi: v - 0.01,
			Expected: "≤ " + Format(v-0.01), Pass: false, Source: "s", Pos: pos(26)},
		{Kind: "history", ID: "product.units[ascend_910c]@2025Q3", Scenario: "baseline", What: "product.units[ascend_910c]@2025Q3",
			Value: units, Lo: 0, Hi: units, Expected: "0 to " + Format(units), Pass: true, Source: "s", Pos: pos(31)},
		{Kind: "history", ID: "smic-breakthrough:ai.ssr_units@2025", Scenario: "smic-breakthrough", What: "ai.ssr_units@2025",
			Value: vs, Lo: v + 0.4, Hi: v + 0.6, Expected: Format(v+0.5) + " ± 0.1", Pass: false, Source: "s", Pos: pos(37)},
		{Kind: "history", ID: "bounds-inclusive", Scenario: "baseline", What: "ai.ssr_units@2025", Value: v, Lo: v, Hi: v,
			Expected: Format(v) + " to " + Format(v), Pass: true, Source: "s", Pos: pos(43)},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		g := rs[i]
		if !same(g.Lo, w.Lo) || !same(g.Hi, w.Hi) {
			t.Errorf("%s: range [%v, %v], want [%v, %v]", w.ID, g.Lo, g.Hi, w.Lo, w.Hi)
		}
		g.Lo, g.Hi, w.Lo, w.Hi = 0, 0, 0, 0
		if g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestRunComparison(t *testing.T) {
	const expr = "sum(ai.h100e_domestic, 2027..2030)"
	va := eval(t, "smic-breakthrough", expr)
	vb := eval(t, "baseline", expr)
	d := (va - vb) / math.Abs(vb)
	if !(d > 0.01 && d < 5) {
		t.Fatalf("smic-breakthrough is %v%% above the baseline in %s; the test wants 1%% to 500%%", 100*d, expr)
	}
	rev := (vb - va) / math.Abs(va)
	cmp := func(id, scenario, against, expect, by string) []string {
		out := []string{"  - id: " + id, "    scenario: " + scenario}
		if against != "" {
			out = append(out, "    against: "+against)
		}
		out = append(out, "    outcome: "+expr, "    expect: "+expect)
		if by != "" {
			out = append(out, "    by_at_least: "+by)
		}
		return out
	}
	lines := []string{"comparisons:"}
	for _, c := range [][]string{
		cmp("higher", "smic-breakthrough", "", "higher", ""),
		cmp("higher-by-1", "smic-breakthrough", "baseline", "higher", "1%"),
		cmp("higher-by-500", "smic-breakthrough", "", "higher", "5"),
		cmp("lower", "smic-breakthrough", "", "lower", ""),
		cmp("lower-by-1", "smic-breakthrough", "", "lower", "0.01"),
		cmp("reversed-lower", "baseline", "smic-breakthrough", "lower", ""),
		cmp("reversed-lower-by-1", "baseline", "smic-breakthrough", "lower", "1%"),
		cmp("reversed-lower-by-99", "baseline", "smic-breakthrough", "lower", "99%"),
		cmp("self-higher", "baseline", "baseline", "higher", ""),
		cmp("self-lower", "baseline", "baseline", "lower", ""),
	} {
		lines = append(lines, c...)
	}
	lines = append(lines, "    story: the story", "    source: src")
	src := y(lines...)
	rs := mustRun(t, mustParse(t, src), "")
	at := starts(src)
	detail := func(a, b string, x, z float64) string {
		return fmt.Sprintf("%s: %s; %s: %s", a, Format(x), b, Format(z))
	}
	what := expr + " vs "
	want := []Result{
		{ID: "higher", Scenario: "smic-breakthrough", What: what + "baseline", Value: d, Expected: "higher", Pass: true,
			Detail: detail("smic-breakthrough", "baseline", va, vb)},
		{ID: "higher-by-1", Scenario: "smic-breakthrough", What: what + "baseline", Value: d, Expected: "≥ +1%", Pass: true,
			Detail: detail("smic-breakthrough", "baseline", va, vb)},
		{ID: "higher-by-500", Scenario: "smic-breakthrough", What: what + "baseline", Value: d, Expected: "≥ +500%", Pass: false,
			Detail: detail("smic-breakthrough", "baseline", va, vb)},
		{ID: "lower", Scenario: "smic-breakthrough", What: what + "baseline", Value: d, Expected: "lower", Pass: false,
			Detail: detail("smic-breakthrough", "baseline", va, vb)},
		{ID: "lower-by-1", Scenario: "smic-breakthrough", What: what + "baseline", Value: d, Expected: "≤ -1%", Pass: false,
			Detail: detail("smic-breakthrough", "baseline", va, vb)},
		{ID: "reversed-lower", Scenario: "baseline", What: what + "smic-breakthrough", Value: rev, Expected: "lower", Pass: true,
			Detail: detail("baseline", "smic-breakthrough", vb, va)},
		{ID: "reversed-lower-by-1", Scenario: "baseline", What: what + "smic-breakthrough", Value: rev, Expected: "≤ -1%", Pass: true,
			Detail: detail("baseline", "smic-breakthrough", vb, va)},
		{ID: "reversed-lower-by-99", Scenario: "baseline", What: what + "smic-breakthrough", Value: rev, Expected: "≤ -99%", Pass: false,
			Detail: detail("baseline", "smic-breakthrough", vb, va)},
		{ID: "self-higher", Scenario: "baseline", What: what + "baseline", Value: 0, Expected: "higher", Pass: false,
			Detail: detail("baseline", "baseline", vb, vb)},
		{ID: "self-lower", Scenario: "baseline", What: what + "baseline", Value: 0, Expected: "lower", Pass: false,
			Detail: "the story (" + detail("baseline", "baseline", vb, vb) + ")", Source: "src"},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		w.Kind = "comparison"
		w.Pos = at[i]
		g := rs[i]
		if !near(g.Value, w.Value) {
			t.Errorf("%s: value %v, want %v", w.ID, g.Value, w.Value)
		}
		g.Value, w.Value = 0, 0
		if g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestRunBinding(t *testing.T) {
	r := runOf(t, "baseline")
	cal := r.m.Calendar()
	codes := series(t, "baseline", "product.binding", "ascend_910c")
	util := series(t, "baseline", "foundry.ai_utilization", "smic_n2")

	// The product binds on dies for part of 2024Q2..2025Q4.
	t0, t1 := index(t, "baseline", "2024Q2"), index(t, "baseline", "2025Q4")
	hits, seen := 0, []string{}
	for i := t0; i <= t1; i++ {
		name := sim.BindingNames[int(codes[i])]
		if name == "dies" {
			hits++
		}
		if !contains(seen, name) {
			seen = append(seen, name)
		}
	}
	share := float64(hits) / float64(t1-t0+1)
	if hits == 0 || hits == t1-t0+1 {
		t.Fatalf("ascend_910c binds on dies in %d of %d periods of 2024Q2..2025Q4; the test wants some but not all", hits, t1-t0+1)
	}
	below := fmt.Sprintf("%d%%", int(math.Floor(share*100)))
	above := fmt.Sprintf("%d%%", int(math.Floor(share*100))+1)

	// The foundry binds (all AI wafers used) for part of 2027..2029.
	f0, f1 := index(t, "baseline", "2027Q1"), index(t, "baseline", "2029Q4")
	fhits := 0
	for i := f0; i <= f1; i++ {
		if util[i] >= 0.99 {
			fhits++
		}
	}
	fshare := float64(fhits) / float64(f1-f0+1)
	if fhits == 0 {
		t.Fatalf("smic_n2 never uses all its AI wafers in 2027..2029")
	}

	// Which constraint binds the product all of 2026, and which never does.
	all := sim.BindingNames[int(codes[index(t, "baseline", "2026Q1")])]
	never := ""
	for _, c := range []string{"plan", "dies", "hbm", "packaging", "demand"} {
		found := false
		for i := 0; i < cal.N; i++ {
			found = found || sim.BindingNames[int(codes[i])] == c
		}
		if !found {
			never = c
		}
	}
	if never == "" {
		t.Fatal("every constraint binds ascend_910c at some time")
	}

	// The all-2026 binding really binds in all four quarters.
	for i := index(t, "baseline", "2026Q1"); i <= index(t, "baseline", "2026Q4"); i++ {
		if got := sim.BindingNames[int(codes[i])]; got != all || got == "none" {
			t.Fatalf("ascend_910c binds on %s in %s, not %s all 2026: the test's premise is wrong", got, cal.Label(i), all)
		}
	}

	src := y(
		"bindings:",
		"  - product: ascend_910c", // 2
		"    constraint: dies",
		"    from: 2024Q2",
		"    to: 2025",
		"    at_least: "+below,
		"    source: s1",
		"  - id: above", // 8
		"    product: ascend_910c",
		"    constraint: dies",
		"    from: 2024-04",
		"    to: 2025Q4",
		"    at_least: "+above,
		"    source: s2",
		"  - id: all-2026", // 15
		"    product: ascend_910c",
		"    constraint: "+all,
		"    from: 2026",
		"    to: 2026",
		"    source: s3",
		"  - id: never", // 21
		"    product: ascend_910c",
		"    constraint: "+never,
		"    from: 2022",
		"    to: 2035",
		"    source: s4",
		"  - process: smic_n2", // 27
		"    constraint: foundry",
		"    from: 2027",
		"    to: 2029",
		"    at_least: 0.01",
		"    source: s5",
	)
	rs := mustRun(t, mustParse(t, src), "")
	want := []Result{
		{ID: "ascend_910c:dies@2024Q2..2025", What: "ascend_910c binds on dies, 2024Q2..2025Q4", Value: share,
			Expected: "≥ " + below + " of periods", Pass: true, Detail: "constraints binding in the span: " + strings.Join(seen, ", "), Source: "s1", Pos: pos(2)},
		{ID: "above", What: "ascend_910c binds on dies, 2024Q2..2025Q4", Value: share,
			Expected: "≥ " + above + " of periods", Pass: false, Detail: "constraints binding in the span: " + strings.Join(seen, ", "), Source: "s2", Pos: pos(8)},
		{ID: "all-2026", What: "ascend_910c binds on " + all + ", 2026Q1..2026Q4", Value: 1,
			Expected: "some period", Pass: true, Detail: "constraints binding in the span: " + all, Source: "s3", Pos: pos(15)},
		{ID: "never", What: "ascend_910c binds on " + never + ", 2022Q1..2035Q4", Value: 0,
			Expected: "some period", Pass: false, Source: "s4", Pos: pos(21)},
		{ID: "smic_n2:foundry@2027..2029", What: "smic_n2 binds on foundry, 2027Q1..2029Q4", Value: fshare,
			Expected: "≥ 1% of periods", Pass: true, Source: "s5", Pos: pos(27)},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		w.Kind, w.Scenario = "binding", "baseline"
		g := rs[i]
		if w.ID == "never" {
			// The constraints seen over the whole run, in order of
			// first appearance, are not this test's business.
			if !strings.HasPrefix(g.Detail, "constraints binding in the span: ") || strings.Contains(g.Detail, never) {
				t.Errorf("never: detail %q", g.Detail)
			}
			g.Detail = ""
		}
		if g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// maxMove returns the largest move of a metric into a period of [t0, t1]
// (from the period before), absolute or, for drops, as a share of the
// value before.
func maxMove(xs []float64, t0, t1 int, drop bool) (float64, int) {
	worst, at := 0.0, -1
	for i := max(t0, 1); i <= t1; i++ {
		d := math.Abs(xs[i] - xs[i-1])
		if drop {
			d = 0
			if xs[i-1] > 0 && xs[i] < xs[i-1] {
				d = (xs[i-1] - xs[i]) / xs[i-1]
			}
		}
		if d > worst {
			worst, at = d, i
		}
	}
	return worst, at
}

func TestRunMaxJumpAndDrop(t *testing.T) {
	// The schedule and the event make the same run.
	ssr := series(t, "test-pack-schedule", "ai.ssr_units", "all")
	for _, ref := range []string{"test-pack-event", "test-pack-announced", "test-pack-many"} {
		if ev := series(t, ref, "ai.ssr_units", "all"); !reflect.DeepEqual(ssr, ev) {
			t.Fatalf("the packaging cut in %s and in test-pack-schedule make different runs", ref)
		}
	}
	cov := series(t, "test-pack-schedule", "ai.coverage", "all")
	units := series(t, "test-pack-schedule", "ai.units_domestic", "all")
	t0, t1 := index(t, "test-pack-schedule", "2031Q1"), index(t, "test-pack-schedule", "2031Q4")
	cut := index(t, "test-pack-schedule", "2031Q2")
	jump, jumpAt := maxMove(ssr, t0, t1, false)
	covJump, covAt := maxMove(cov, t0, t1, false)
	drop, dropAt := maxMove(units, t0, t1, true)
	if jumpAt != cut || covAt != cut || dropAt != cut || jump < 0.05 || covJump < 0.05 || drop < 0.2 {
		t.Fatalf("the packaging cut moves ai.ssr_units by %v in period %d, ai.coverage by %v in period %d, and drops ai.units_domestic by %v in period %d; want ≥ 0.05, ≥ 0.05 and ≥ 20%% in %d",
			jump, jumpAt, covJump, covAt, drop, dropAt, cut)
	}
	// Every other move in 2031 is small.
	for i := t0; i <= t1; i++ {
		if i != cut && (math.Abs(ssr[i]-ssr[i-1]) > 0.01 || math.Abs(cov[i]-cov[i-1]) > 0.01 || units[i] < 0.9*units[i-1]) {
			t.Fatalf("a move in period %d beside the cut: the test wants one move", i)
		}
	}
	for _, metric := range []string{"ai.ssr_units", "ai.coverage"} {
		if w, _ := maxMove(series(t, "baseline", metric, "all"), t0, t1, false); w > 0.05 {
			t.Fatalf("the baseline moves %s by %v in 2031", metric, w)
		}
	}
	// The largest unexplained move of the two metrics.
	worst, worstName := jump, "ai.ssr_units"
	if covJump > jump {
		worst, worstName = covJump, "ai.coverage"
	}

	src := y(
		"invariants:",
		"  - id: jump", // 2
		"    rule: max_jump",
		"    metrics: [ai.coverage, ai.ssr_units]",
		"    limit: 0.05",
		"    from: 2031",
		"    to: 2031",
		"    scenarios: [baseline, test-pack-schedule, test-pack-event, test-pack-announced, test-pack-many]",
		"    source: s",
		"  - id: drop", // 10
		"    rule: max_drop",
		"    metrics: [ai.units_domestic]",
		"    limit: 20%",
		"    from: 2031Q1",
		"    to: 2031Q4",
		"    scenarios: [baseline, test-pack-schedule, test-pack-event]",
		"  - id: jump-at-limit", // 17
		"    rule: max_jump",
		"    metrics: [ai.ssr_units]",
		fmt.Sprintf("    limit: %v", jump),
		"    from: 2031",
		"    to: 2031",
		"    scenarios: [test-pack-schedule]",
	)
	rs := mustRun(t, mustParse(t, src), "")
	jumpWhat, jumpExp := "max_jump ai.coverage, ai.ssr_units", "≤ 0.05 a period, or explained"
	// A table cell names three explanations and counts the rest.
	const many = "end of Ends before the cut; end of Four quarters; Dated by day (in full effect); 1 more"
	dropWhat, dropExp := "max_drop ai.units_domestic", "≤ 20% fall a period, or explained"
	want := []Result{
		{ID: "jump", Scenario: "baseline", What: jumpWhat, Expected: jumpExp, Pass: true, Source: "s", Pos: pos(2)},
		{ID: "jump", Scenario: "test-pack-schedule", What: jumpWhat, Expected: jumpExp, Value: worst, Pass: false,
			Detail: "largest unexplained move: " + worstName + " in 2031Q2", Source: "s", Pos: pos(2)},
		{ID: "jump", Scenario: "test-pack-event", What: jumpWhat, Expected: jumpExp, Pass: true,
			Detail: "moves above the limit, each explained: ai.coverage 2031Q2 (Test packaging cut); ai.ssr_units 2031Q2 (Test packaging cut)", Source: "s", Pos: pos(2)},
		{ID: "jump", Scenario: "test-pack-announced", What: jumpWhat, Expected: jumpExp, Pass: true,
			Detail: "moves above the limit, each explained: ai.coverage 2031Q2 (Cut announced); ai.ssr_units 2031Q2 (Cut announced)", Source: "s", Pos: pos(2)},
		{ID: "jump", Scenario: "test-pack-many", What: jumpWhat, Expected: jumpExp, Pass: true,
			Detail: "moves above the limit, each explained: ai.coverage 2031Q2 (" + many + "); ai.ssr_units 2031Q2 (" + many + ")", Source: "s", Pos: pos(2)},
		{ID: "drop", Scenario: "baseline", What: dropWhat, Expected: dropExp, Pass: true, Pos: pos(10)},
		{ID: "drop", Scenario: "test-pack-schedule", What: dropWhat, Expected: dropExp, Value: drop, Pass: false,
			Detail: "largest unexplained move: ai.units_domestic in 2031Q2", Pos: pos(10)},
		{ID: "drop", Scenario: "test-pack-event", What: dropWhat, Expected: dropExp, Pass: true,
			Detail: "moves above the limit, each explained: ai.units_domestic 2031Q2 (Test packaging cut)", Pos: pos(10)},
		{ID: "jump-at-limit", Scenario: "test-pack-schedule", What: "max_jump ai.ssr_units", Expected: "≤ " + Format(jump) + " a period, or explained",
			Pass: true, Pos: pos(17)},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		w.Kind = "invariant"
		if g := rs[i]; g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// A move in the quarter before a product launches (buyers see it coming)
// or in the quarter after a product's last is explained by it; a move in a
// quarter with nothing in it is not.
func TestRunMaxJumpLaunchAndEnd(t *testing.T) {
	r := runOf(t, "baseline")
	product := func(id string) *sim.Product {
		for i := range r.sc.Spec.Products {
			if r.sc.Spec.Products[i].ID == id {
				return &r.sc.Spec.Products[i]
			}
		}
		t.Fatalf("no product %s in the baseline", id)
		return nil
	}
	cal := r.m.Calendar()
	if l := cal.Label(cal.Index(product("ascend_950dt").Launch)); l != "2026Q4" {
		t.Fatalf("ascend_950dt launches in %s, not 2026Q4: the test's premise is wrong", l)
	}
	if l := cal.Label(cal.Index(product("MI325X").End)); l != "2030Q4" {
		t.Fatalf("MI325X's last period is %s, not 2030Q4: the test's premise is wrong", l)
	}
	ssr := series(t, "baseline", "ai.ssr_units", "all")
	quiet := index(t, "baseline", "2029Q3") // nothing starts, ends, launches
	for _, l := range []string{"2026Q3", "2031Q1", "2029Q3"} {
		if i := index(t, "baseline", l); ssr[i] == ssr[i-1] {
			t.Fatalf("ai.ssr_units does not move in %s", l)
		}
	}
	inv := func(id, at string) []string {
		return []string{
			"  - id: " + id,
			"    rule: max_jump",
			"    metrics: [ai.ssr_units]",
			"    limit: 0.0001",
			"    from: " + at,
			"    to: " + at,
			"    scenarios: [baseline]",
		}
	}
	lines := []string{"invariants:"}
	lines = append(lines, inv("launch", "2026Q3")...)
	lines = append(lines, inv("end", "2031Q1")...)
	lines = append(lines, inv("quiet", "2029Q3")...)
	rs := mustRun(t, mustParse(t, y(lines...)), "")
	if len(rs) != 3 {
		t.Fatalf("%d results", len(rs))
	}
	if g := rs[0]; !g.Pass || g.Value != 0 || g.Detail != "moves above the limit, each explained: ai.ssr_units 2026Q3 (ascend_950dt launches)" {
		t.Errorf("launch: %+v", g)
	}
	if g := rs[1]; !g.Pass || g.Value != 0 || g.Detail != "moves above the limit, each explained: ai.ssr_units 2031Q1 (MI325X ends)" {
		t.Errorf("end: %+v", g)
	}
	move := math.Abs(ssr[quiet] - ssr[quiet-1])
	if g := rs[2]; g.Pass || g.Value != move || g.Detail != "largest unexplained move: ai.ssr_units in 2029Q3" {
		t.Errorf("quiet: %+v; want the move %v", g, move)
	}
}

func TestRunNondecreasing(t *testing.T) {
	// Yearly compute wanted in the scenario where it falls from 2031.
	worst, detail := 0.0, ""
	// from 2029 to 2033: the first year compared is 2030, with 2029.
	for yr := 2030; yr <= 2033; yr++ {
		prev := eval(t, "test-demand-falls", fmt.Sprintf("ai.demand_h100e@%d", yr-1))
		v := eval(t, "test-demand-falls", fmt.Sprintf("ai.demand_h100e@%d", yr))
		if d := (prev - v) / prev; d > worst {
			worst, detail = d, fmt.Sprintf("ai.demand_h100e falls %s from %d to %d", pct(d), yr-1, yr)
		}
	}
	if worst < 0.1 {
		t.Fatalf("compute wanted falls at most %v in test-demand-falls", worst)
	}
	src := y(
		"invariants:",
		"  - id: rises", // 2
		"    rule: nondecreasing",
		"    metrics: [ai.demand_h100e]",
		"    scenarios: [baseline, test-demand-falls]",
		"    from: 2029",
		"    to: 2033",
		"  - id: rises-until-2030", // 8
		"    rule: nondecreasing",
		"    metrics: [ai.demand_h100e, ai.units_delivered]",
		"    scenarios: [test-demand-falls]",
		"    to: 2030Q4",
		"  - id: whole-years-only", // 13
		"    rule: nondecreasing",
		"    metrics: [ai.demand_h100e]",
		"    scenarios: [test-demand-falls]",
		"    from: 2029",
		"    to: 2031Q3",
	)
	rs := mustRun(t, mustParse(t, src), "")
	const what = "yearly ai.demand_h100e never fall"
	want := []Result{
		{ID: "rises", Scenario: "baseline", What: what, Expected: "never falls", Pass: true, Pos: pos(2)},
		{ID: "rises", Scenario: "test-demand-falls", What: what, Expected: "never falls", Value: worst, Pass: false, Detail: detail, Pos: pos(2)},
		{ID: "rises-until-2030", Scenario: "test-demand-falls", What: "yearly ai.demand_h100e, ai.units_delivered never fall",
			Expected: "never falls", Pass: true, Pos: pos(8)},
		// 2031 is not whole in 2029..2031Q3: 2030 is the last year compared.
		{ID: "whole-years-only", Scenario: "test-demand-falls", What: what, Expected: "never falls", Pass: true, Pos: pos(13)},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		w.Kind = "invariant"
		g := rs[i]
		if !near(g.Value, w.Value) {
			t.Errorf("%d: value %v, want %v", i, g.Value, w.Value)
		}
		g.Value, w.Value = 0, 0
		if g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	// The units delivered in the baseline rise every year to 2030 too:
	// rises-until-2030 passing says something.
	for yr := 2023; yr <= 2030; yr++ {
		if a, b := eval(t, "test-demand-falls", fmt.Sprintf("ai.units_delivered@%d", yr-1)), eval(t, "test-demand-falls", fmt.Sprintf("ai.units_delivered@%d", yr)); b < a {
			t.Errorf("units delivered fall from %d to %d, yet rises-until-2030 passes", yr-1, yr)
		}
	}
}

func TestRunNondecreasingEveryShippedScenario(t *testing.T) {
	f := mustParse(t, y("invariants:", "  - id: rises", "    rule: nondecreasing", "    metrics: [ai.demand_h100e]"))
	rs := mustRun(t, f, "")
	names := scenarios.ShippedNames()
	if len(rs) != len(names) {
		t.Fatalf("%d results for %d shipped scenarios", len(rs), len(names))
	}
	for i, r := range rs {
		if r.Scenario != names[i] {
			t.Errorf("result %d is for %s, want %s", i, r.Scenario, names[i])
		}
	}
}

func TestRunMaxInventoryMonths(t *testing.T) {
	r := runOf(t, "baseline")
	def, _ := sim.MetricByName("product.inventory")
	// The most months of sales any domestic product holds at the end of a
	// year it sells in whole (launched before it, ending after it).
	worst, detail := 0.0, ""
	last, lastDetail := 0.0, "" // the same in 2035 alone
	left := 0                   // products holding stock at the end of 2035
	for _, e := range r.m.Entities(def) {
		var p *sim.Product
		for i := range r.sc.Spec.Products {
			if r.sc.Spec.Products[i].ID == e {
				p = &r.sc.Spec.Products[i]
			}
		}
		if p == nil {
			t.Fatalf("no product %s", e)
		}
		for yr := 2022; yr <= 2035; yr++ {
			if yr == 2035 && eval(t, "baseline", fmt.Sprintf("product.inventory[%s]@2035", e)) > 0 {
				left++
			}
			if p.Launch > sim.MonthOf(yr, 1) || p.End < sim.MonthOf(yr, 12) {
				continue // sold in part of the year only
			}
			stock := eval(t, "baseline", fmt.Sprintf("product.inventory[%s]@%d", e, yr))
			sales := eval(t, "baseline", fmt.Sprintf("product.units[%s]@%d", e, yr)) / 12
			if stock > 0 && sales > 0 && stock/sales > worst {
				worst = stock / sales
				detail = fmt.Sprintf("%s holds %s months of its %d sales at the end of %d", e, Format(worst), yr, yr)
			}
			if yr == 2035 && stock > 0 && sales > 0 && stock/sales > last {
				last = stock / sales
				lastDetail = fmt.Sprintf("%s holds %s months of its %d sales at the end of %d", e, Format(last), yr, yr)
			}
		}
	}
	if worst == 0 || left == 0 {
		t.Fatalf("%v months of stock at most, %d products with stock at the end of 2035: the test wants both above 0", worst, left)
	}
	src := y(
		"invariants:",
		"  - id: shipped-limit", // 2
		"    rule: max_inventory_months",
		"    limit: 12",
		"    scenarios: [baseline]",
		"  - id: tiny", // 6
		"    rule: max_inventory_months",
		"    limit: 0.0001",
		"    scenarios: [baseline]",
		"  - id: at-worst", // 10
		"    rule: max_inventory_months",
		fmt.Sprintf("    limit: %v", worst),
		"    scenarios: [baseline]",
		"  - id: last-year", // 14
		"    rule: max_inventory_months",
		"    limit: 0.0001",
		"    from: 2035",
		"    scenarios: [baseline]",
	)
	rs := mustRun(t, mustParse(t, src), "")
	const what = "finished stock of each domestic product at year end, months of the year's sales"
	want := []Result{
		{ID: "shipped-limit", What: what, Expected: "≤ 12 months", Pass: worst <= 12, Pos: pos(2)},
		{ID: "tiny", What: what, Expected: "≤ 0.0001 months", Value: worst, Pass: false, Detail: detail, Pos: pos(6)},
		{ID: "at-worst", What: what, Expected: "≤ " + Format(worst) + " months", Pass: true, Pos: pos(10)},
		// 2035 alone: products on sale all year count (those on sale to
		// the run's end hold working stock), those ending in it do not.
		{ID: "last-year", What: what, Expected: "≤ 0.0001 months", Value: last, Pass: last <= 0.0001, Detail: lastDetail, Pos: pos(14)},
	}
	if worst > 12 {
		want[0].Value, want[0].Detail = worst, detail
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for i, w := range want {
		w.Kind, w.Scenario = "invariant", "baseline"
		g := rs[i]
		if !near(g.Value, w.Value) {
			t.Errorf("%d: value %v, want %v", i, g.Value, w.Value)
		}
		g.Value, w.Value = 0, 0
		if g != w {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestRunOn(t *testing.T) {
	src := y(
		"history:",
		"  - id: h-base", // 2
		"    metric: ai.ssr_units",
		"    period: 2025",
		"    min: 0",
		"    max: 1",
		"    source: s",
		"  - id: h-other", // 8
		"    scenario: h200-blocked",
		"    metric: ai.ssr_units",
		"    period: 2025",
		"    min: 0",
		"    source: s",
		"comparisons:",
		"  - id: c", // 15
		"    scenario: h200-blocked",
		"    outcome: ai.ssr_units@2027",
		"    expect: higher",
		"bindings:",
		"  - id: b-base", // 20
		"    product: ascend_910c",
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    source: s",
		"  - id: b-other", // 26
		"    scenario: h200-blocked",
		"    product: ascend_910c",
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    source: s",
		"invariants:",
		"  - id: i-every", // 34
		"    rule: nondecreasing",
		"    metrics: [ai.demand_h100e]",
		"  - id: i-listed", // 37
		"    rule: max_inventory_months",
		"    limit: 12",
		"    scenarios: [baseline, smic-breakthrough]",
		"  - id: i-not-listed", // 41
		"    rule: max_inventory_months",
		"    limit: 12",
		"    scenarios: [baseline, h200-blocked]",
	)
	f := mustParse(t, src)
	var asked []string
	rec := func(ref string) (*scenarios.Scenario, error) {
		asked = append(asked, ref)
		return load(ref)
	}
	rs, err := f.RunOn("smic-breakthrough", rec)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Kind+" "+r.ID+" "+r.Scenario)
	}
	want := []string{
		"history h-base smic-breakthrough",
		"binding b-base smic-breakthrough",
		"invariant i-every smic-breakthrough",
		"invariant i-listed smic-breakthrough",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RunOn results %q, want %q", got, want)
	}
	if !reflect.DeepEqual(asked, []string{"smic-breakthrough"}) {
		t.Errorf("RunOn loaded %q, want smic-breakthrough once", asked)
	}
	// The history check is evaluated on the variant, not on the baseline.
	if g, w := byID(t, rs, "h-base").Value, eval(t, "smic-breakthrough", "ai.ssr_units@2025"); g != w {
		t.Errorf("h-base value %v, want %v", g, w)
	}
	// RunOn the baseline skips what names another scenario, and keeps
	// i-not-listed, whose list has the baseline.
	rs = mustRun(t, f, "baseline")
	got = nil
	for _, r := range rs {
		got = append(got, r.ID+" "+r.Scenario)
	}
	want = []string{"h-base baseline", "b-base baseline", "i-every baseline", "i-listed baseline", "i-not-listed baseline"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RunOn(baseline) results %q, want %q", got, want)
	}
}

func TestRunErrors(t *testing.T) {
	src := y(
		"history:",
		"  - id: good", // 2
		"    metric: ai.ssr_units",
		"    period: 2025",
		"    min: 0",
		"    source: s",
		"  - scenario: no-such-scenario", // 7
		"    metric: ai.ssr_units",
		"    period: 2025",
		"    min: 0",
		"    source: s",
		"  - metric: product.units", // 12
		"    entity: nope",
		"    period: 2025",
		"    min: 0",
		"    source: s",
		"comparisons:",
		"  - id: ratio-summed", // 18
		"    scenario: h200-blocked",
		"    outcome: sum(ai.ssr_units, 2026..2028)",
		"    expect: higher",
		"  - id: against-unknown", // 22
		"    scenario: h200-blocked",
		"    against: no-such-scenario",
		"    outcome: ai.ssr_units@2026",
		"    expect: higher",
		"bindings:",
		"  - product: nope", // 28
		"    constraint: hbm",
		"    from: 2026",
		"    to: 2026",
		"    source: s",
		"  - product: H20", // 33
		"    constraint: demand",
		"    from: 2024",
		"    to: 2024",
		"    source: s",
		"  - process: smic_n9", // 38
		"    constraint: foundry",
		"    from: 2027",
		"    to: 2029",
		"    source: s",
		"  - product: ascend_910c", // 43
		"    constraint: hbm",
		"    from: 2040",
		"    to: 2041Q2",
		"    source: s",
		"invariants:",
		"  - id: per-entity", // 49
		"    rule: max_jump",
		"    metrics: [ai.ssr_units, product.units]",
		"    limit: 0.1",
		"    scenarios: [baseline]",
		"  - id: per-entity-yearly", // 54
		"    rule: nondecreasing",
		"    metrics: [product.units]",
		"    scenarios: [baseline]",
		"  - id: good-invariant", // 58
		"    rule: max_inventory_months",
		"    limit: 1000",
		"    scenarios: [baseline, no-such-scenario]",
	)
	asked := map[string]int{}
	rs, err := mustParse(t, src).Run(func(ref string) (*scenarios.Scenario, error) {
		asked[ref]++
		return load(ref)
	})
	if asked["no-such-scenario"] != 1 {
		t.Errorf("no-such-scenario was loaded %d times, want once", asked["no-such-scenario"])
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want *Error", err, err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID+" "+r.Scenario)
	}
	if want := []string{"good baseline", "good-invariant baseline"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("results %q, want %q", ids, want)
	}
	_, loadErr := scenarios.Load("no-such-scenario")
	if loadErr == nil {
		t.Fatal("no-such-scenario loads")
	}
	m := runOf(t, "baseline").m
	dom, _ := sim.MetricByName("product.binding")
	proc, _ := sim.MetricByName("foundry.ai_utilization")
	cal := m.Calendar()
	// Each message: exactly, or (for messages from package sim/outcome)
	// a prefix and words it must hold. A scenario that fails to load is
	// reported once, at the first check that names it (line 7): the
	// comparison at line 22 and the invariant at line 58 name it too.
	want := []struct {
		prefix string
		exact  bool
		holds  string
	}{
		{"t.yaml:7:5: scenario no-such-scenario: " + loadErr.Error(), true, ""},
		{"t.yaml:12:5: ", false, "nope"},
		{"t.yaml:18:5: ", false, "sum(ai.ssr_units, 2026..2028)"},
		{"t.yaml:28:5: baseline has no domestic product nope; domestic products: " + strings.Join(m.Entities(dom), ", "), true, ""},
		{"t.yaml:33:5: baseline has no domestic product H20; domestic products: " + strings.Join(m.Entities(dom), ", "), true, ""},
		{"t.yaml:38:5: baseline has no foundry process smic_n9; processes: " + strings.Join(m.Entities(proc), ", "), true, ""},
		{"t.yaml:43:5: 2040..2041Q2 is outside the run (" + cal.Label(0) + " to " + cal.Label(cal.N-1) + ")", true, ""},
		{"t.yaml:49:5: product.units is reported per entity; invariants take metrics with one value per period", true, ""},
		{"t.yaml:54:5: ", false, "product.units"},
	}
	if len(ce.Msgs) != len(want) {
		t.Fatalf("%d messages, want %d:\n%s", len(ce.Msgs), len(want), ce)
	}
	for i, w := range want {
		g := ce.Msgs[i]
		switch {
		case w.exact && g != w.prefix:
			t.Errorf("message %d:\n got %s\nwant %s", i, g, w.prefix)
		case !w.exact && (!strings.HasPrefix(g, w.prefix) || !strings.Contains(g, w.holds)):
			t.Errorf("message %d: %s; want %q holding %q", i, g, w.prefix, w.holds)
		}
	}
	if err.Error() != strings.Join(ce.Msgs, "\n") {
		t.Errorf("Error() does not join the messages a line each")
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{0.41, "0.41"},
		{0.123456, "0.123"},
		{-0.5, "-0.5"},
		{1e-5, "1e-05"},
		{12, "12"},
		{999, "999"},
		{1234, "1230"},
		{8160, "8160"},
		{1e4, "10k"},
		{12345, "12.3k"},
		{-12345, "-12.3k"},
		{820000, "820k"},
		{1e6, "1M"},
		{1.65e6, "1.65M"},
		{-2.5e6, "-2.5M"},
		{1e9, "1bn"},
		{2.04e10, "20.4bn"},
		{1.5e12, "1500bn"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{math.NaN(), "NaN"},
	}
	for _, tt := range tests {
		if got := Format(tt.v); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// A value just below a unit's threshold rounds up to 1000 of the smaller
// unit: it should read as one of the larger.
func TestFormatRoundsAcrossUnits(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{999_999, "1M"},
		{999_999_999, "1bn"},
	}
	for _, tt := range tests {
		got := Format(tt.v)
		if got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestRelDiff(t *testing.T) {
	tests := []struct{ a, b, want float64 }{
		{2, 1, 1},
		{1, 2, -0.5},
		{3, 3, 0},
		{-1, -2, 0.5}, // relative to |b|: -1 is above -2
		{-3, -2, -0.5},
		{0, 4, -1},
		{0, 0, 0},
		{1, 0, math.Inf(1)},
		{-1, 0, math.Inf(-1)},
	}
	for _, tt := range tests {
		if got := relDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("relDiff(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// Outcomes written with first(...) are +Inf when a metric never crosses:
// a scenario that crosses in 2028 is lower (sooner) than one that never
// does, and the difference should say so.
func TestRelDiffNever(t *testing.T) {
	if d := relDiff(math.Inf(1), 2028); !math.IsInf(d, 1) {
		t.Errorf("relDiff(+Inf, 2028) = %v, want +Inf", d)
	}
	d := relDiff(2028, math.Inf(1))
	if math.IsNaN(d) || d >= 0 {
		t.Errorf("relDiff(2028, +Inf) = %v, want below 0", d)
	}
}

// The same through Run: full-decoupling's compute ratio reaches 0.8, the
// squeeze's never does, so full-decoupling's crossing is lower.
func TestRunComparisonNever(t *testing.T) {
	const expr = "first(ai.ssr_compute >= 0.8)"
	va, vb := eval(t, "full-decoupling", expr), eval(t, "equipment-squeeze", expr)
	if math.IsInf(va, 0) || !math.IsInf(vb, 1) {
		t.Fatalf("%s: full-decoupling %v, equipment-squeeze %v; the test wants a year and +Inf", expr, va, vb)
	}
	f := mustParse(t, y(
		"comparisons:",
		"  - id: sooner",
		"    scenario: full-decoupling",
		"    against: equipment-squeeze",
		"    outcome: "+expr,
		"    expect: lower",
	))
	r := mustRun(t, f, "")[0]
	if !r.Pass || r.Value >= 0 {
		t.Errorf("sooner: %+v; want a pass with a value below 0", r)
	}
}

func TestPct(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0, "0%"},
		{0.01, "1%"},
		{0.1, "10%"},
		{0.125, "12.5%"},
		{0.0325, "3.25%"},
		{1, "100%"},
		{10, "1000%"},
		{0.00001, "0%"},
	}
	for _, tt := range tests {
		if got := pct(tt.x); got != tt.want {
			t.Errorf("pct(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	for _, tt := range []struct {
		rs         []Result
		pass, fail int
	}{
		{nil, 0, 0},
		{[]Result{{Pass: true}}, 1, 0},
		{[]Result{{Pass: false}}, 0, 1},
		{[]Result{{Pass: true}, {Pass: false}, {Pass: true}, {Pass: false}, {Pass: false}}, 2, 3},
	} {
		if p, f := Summary(tt.rs); p != tt.pass || f != tt.fail {
			t.Errorf("Summary = %d, %d; want %d, %d", p, f, tt.pass, tt.fail)
		}
	}
}

func TestSortByKind(t *testing.T) {
	rs := []Result{
		{Kind: "invariant", ID: "i1"},
		{Kind: "binding", ID: "b1"},
		{Kind: "history", ID: "h1"},
		{Kind: "invariant", ID: "i2"},
		{Kind: "comparison", ID: "c1"},
		{Kind: "history", ID: "h2"},
		{Kind: "binding", ID: "b2"},
		{Kind: "comparison", ID: "c2"},
		{Kind: "history", ID: "h3"},
	}
	SortByKind(rs)
	var got []string
	for _, r := range rs {
		got = append(got, r.ID)
	}
	want := []string{"h1", "h2", "h3", "c1", "c2", "b1", "b2", "i1", "i2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SortByKind: %q, want %q", got, want)
	}
	SortByKind(nil) // no panic
}

// The shipped checks run on the shipped scenarios without an error that
// is not a failing check, and RunOn applies the baseline's checks.
func TestShippedRun(t *testing.T) {
	f, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := f.Run(load)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range rs {
		kinds[r.Kind]++
		if r.Pos.File != ShippedName || r.Pos.Line == 0 {
			t.Errorf("%s: position %v", r.ID, r.Pos)
		}
	}
	if kinds["history"] != len(f.History) || kinds["comparison"] != len(f.Comparisons) || kinds["binding"] != len(f.Bindings) {
		t.Errorf("results by kind %v; file has %d history, %d comparisons, %d bindings",
			kinds, len(f.History), len(f.Comparisons), len(f.Bindings))
	}
	on, err := f.RunOn("h200-blocked", load)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range on {
		if r.Kind == "comparison" || r.Scenario != "h200-blocked" {
			t.Errorf("RunOn(h200-blocked): %s %s on %s", r.Kind, r.ID, r.Scenario)
		}
	}
}

// TestRunOnHistoryEnds: a variant is held to what happened, not to the
// baseline's calibration after history_ends.
func TestRunOnHistoryEnds(t *testing.T) {
	f := mustParse(t, y(
		"history_ends: 2025Q4",
		"history:",
		"  - metric: ai.units_delivered",
		"    period: 2025",
		"    min: 0",
		"    source: x",
		"  - metric: ai.units_delivered",
		"    period: 2026Q1",
		"    min: 0",
		"    source: x",
		"bindings:",
		"  - product: ascend_910b",
		"    constraint: dies",
		"    from: 2023",
		"    to: 2024",
		"    source: x",
		"  - product: cambricon",
		"    constraint: dies",
		"    from: 2028",
		"    to: 2029",
		"    source: x",
	))
	if f.HistoryEnds != "2025Q4" {
		t.Fatalf("HistoryEnds = %q", f.HistoryEnds)
	}
	if rs := mustRun(t, f, ""); len(rs) != 4 {
		t.Errorf("Run: %d results, want all 4", len(rs))
	}
	rs := mustRun(t, f, "h200-blocked")
	var what []string
	for _, r := range rs {
		what = append(what, r.What)
	}
	if len(rs) != 2 || !strings.Contains(what[0], "@2025") || !strings.Contains(what[1], "ascend_910b") {
		t.Errorf("RunOn: %q, want the 2025 fact and the 2023-24 binding only", what)
	}
	if _, err := Parse("t.yaml", []byte("history_ends: soon\n")); err == nil || !strings.HasPrefix(err.Error(), "t.yaml:1:15: checks file: history_ends:") {
		t.Errorf("bad history_ends: %v", err)
	}
}
