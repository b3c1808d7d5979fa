package scenarios

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// fullImport is a complete imports entry, so that tests of the imports
// block see only the error they are about.
const fullImport = `    us_status: banned
    cn_stance: open
    supply_units_per_year: 0
    us_volume_units_per_year: 0
    cap_share: 0
    quota_units_per_year: 0
    fee_share: 0
    smuggling_units_per_year: 0
    pull_forward: 0
    pull_forward_lead_quarters: 0
`

// fullForeign is a complete foreign product entry.
const fullForeign = `    vendor: Acme
    origin: foreign
    ecosystem: cuda
    launch: 2024Q1
    end: 2030Q4
    h100e: 1
    price_usd: 1000
`

// TestParseErrors pins every error the loader reports for a bad file,
// with its position. Each input is minimal: it extends the baseline and
// breaks one thing.
func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if s != nil {
				t.Errorf("Parse(%q) returned a scenario with error %v", tt.in, err)
			}
			var list ErrorList
			if err != nil && !errors.As(err, &list) {
				t.Errorf("Parse(%q) error is a %T, want an ErrorList", tt.in, err)
			}
		})
	}
}

// parseErrorTests are bad inputs and the errors Parse("t.yaml", in) must
// report; FuzzParse starts from them too.
var parseErrorTests = []struct {
	name, in, want string
}{
	// YAML and file shape.
	{"not YAML: unclosed flow", "name: [unclosed\n",
		"t.yaml:1:7: not valid YAML: did not find expected ',' or ']'; the [ here is never closed"},
	{"not YAML: bad indent", "name: x\n  bad: indent\n",
		"t.yaml:2:6: not valid YAML: mapping values are not allowed in this context"},
	{"not YAML: tab", "\tname: x\n",
		"t.yaml:1:1: not valid YAML: found character that cannot start any token; indent with spaces, not tabs"},
	{"empty file", "",
		"t.yaml:1:1: empty file: want a scenario mapping with time, parameters and events"},
	{"comment only", "# nothing here\n",
		"t.yaml:1:1: empty file: want a scenario mapping with time, parameters and events"},
	{"not a mapping", "- a\n- b\n",
		"t.yaml:1:1: scenario: want a mapping of keys to values, got a list"},
	{"key not plain", "extends: baseline\n? [a]\n: b\n",
		"t.yaml:2:3: want a plain key, got a list"},
	{"key twice", "extends: baseline\ndemand:\n  growth: 0.1\n  growth: 0.2\n",
		"t.yaml:4:3: key growth is set twice (first on line 3)"},

	// Top-level keys.
	{"unknown top key", "extends: baseline\ndemnad: {}\n",
		"t.yaml:2:1: unknown key demnad (did you mean demand?)"},
	{"name not text", "name: [a]\nextends: baseline\n",
		"t.yaml:1:7: name: want text, got a list"},
	{"block not a mapping", "extends: baseline\ndemand: 5\n",
		"t.yaml:2:9: demand: want a mapping of keys to values, got the number 5"},
	{"alias for a block", "extends: baseline\ndemand: &a\n  growth: 0.1\nmarket: *a\n",
		"t.yaml:4:9: market: want a mapping of keys to values, got an alias"},
	{"events not a list", "extends: baseline\nevents: {at: 2026Q1}\n",
		"t.yaml:2:9: events: want a list of events, got a mapping"},

	// Time.
	{"time unknown key", "extends: baseline\ntime:\n  strat: 2022Q1\n",
		"t.yaml:3:3: time: unknown key strat (did you mean start?); want start, end or step"},
	{"time missing key", "time:\n  start: 2022Q1\n  end: 2023Q4\n",
		"t.yaml:1:1: time: missing key step (month, quarter or year)"},
	{"time bad step", "extends: baseline\ntime:\n  step: week\n",
		"t.yaml:3:9: time.step: want month, quarter or year, got the text \"week\""},
	{"time start not aligned", "extends: baseline\ntime:\n  start: 2022-02\n",
		"t.yaml:3:10: time.start: 2022-02 does not start a quarter"},
	{"time end before start", "extends: baseline\ntime:\n  end: 2021Q4\n",
		"t.yaml:3:8: time.end: 2021Q4 is before time.start 2022Q1"},
	{"time too long", "extends: baseline\ntime:\n  end: 2635Q4\n",
		"t.yaml:3:8: time.end: 2635Q4 gives more than 2400 periods"},
	{"time not a period", "extends: baseline\ntime:\n  end: soon\n",
		"t.yaml:3:8: time.end: \"soon\" is not a period: want 2025Q3, 2025-07 or 2025"},

	// Fields of blocks and collection entries.
	{"unknown key in block", "extends: baseline\ndemand:\n  growht: 0.3\n",
		"t.yaml:3:3: demand: unknown key growht (did you mean growth?)"},
	{"unknown key in entry", "extends: baseline\nfoundry:\n  smic_n2:\n    capacity_wmp: 1000\n",
		"t.yaml:4:5: foundry.smic_n2: unknown key capacity_wmp (did you mean capacity_wpm?)"},
	{"entry name", "extends: baseline\nproducts:\n  9chip: {}\n",
		"t.yaml:3:3: products: name \"9chip\": want a letter followed by letters, digits, _ or -"},
	{"entry not a mapping", "extends: baseline\nproducts:\n  H200: 5\n",
		"t.yaml:3:9: products.H200: want a mapping of keys to values, got the number 5"},
	{"text where number", "extends: baseline\ndemand:\n  growth: fast\n",
		"t.yaml:3:11: demand.growth: want a number (1/year), got the text \"fast\""},
	{"NaN", "extends: baseline\ndemand:\n  growth: .nan\n",
		"t.yaml:3:11: demand.growth: want a number (1/year), got the number .nan"},
	{"list where number", "extends: baseline\ndemand:\n  growth: [1, 2]\n",
		"t.yaml:3:11: demand.growth: want a number in 1/year or a schedule {period: value, ...}, got a list"},
	{"yield above 1", "extends: baseline\npackaging:\n  yield: 1.5\n",
		"t.yaml:3:10: packaging.yield: 1.5 is above the maximum 1 (share 0..1)"},
	{"negative capacity", "extends: baseline\nfoundry:\n  smic_n2:\n    capacity_wpm: -5\n",
		"t.yaml:4:19: foundry.smic_n2.capacity_wpm: -5 is below the minimum 0 (wafers/month)"},
	{"out of range in schedule", "extends: baseline\nfoundry:\n  smic_n2:\n    ai_share: {2022Q1: 0.2, 2026Q1: 1.2}\n",
		"t.yaml:4:37: foundry.smic_n2.ai_share: 1.2 is above the maximum 1 (share 0..1)"},
	{"enum bad value", "extends: baseline\nhbm:\n  imports: shut\n",
		"t.yaml:3:12: hbm.imports: \"shut\" is not a valid choice; want open, closed"},
	{"enum bad value suggested", "extends: baseline\nfoundry:\n  smic_n2:\n    yield_model: murphey\n",
		"t.yaml:4:18: foundry.smic_n2.yield_model: \"murphey\" is not a valid choice (did you mean murphy?); want poisson, murphy"},
	{"flag not a bool", "extends: baseline\nproducts:\n  thead_ppu:\n    uses_die_bank: yes\n",
		"t.yaml:4:20: products.thead_ppu.uses_die_bank: want true or false, got the text \"yes\""},
	{"text not text", "extends: baseline\nproducts:\n  H200:\n    vendor: [NVIDIA]\n",
		"t.yaml:4:13: products.H200.vendor: want text, got a list"},
	{"unknown reference", "extends: baseline\nproducts:\n  thead_ppu:\n    process: smic_n9\n",
		"t.yaml:4:14: products.thead_ppu.process: no foundry entry \"smic_n9\" (did you mean smic_n2 or smic_n3 or smic_n1?)"},
	{"date not a period", "extends: baseline\nproducts:\n  H200:\n    launch: soon\n",
		"t.yaml:4:13: products.H200.launch: \"soon\" is not a period: want 2025Q3, 2025-07 or 2025"},

	// Schedules.
	{"schedule out of order", "extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, 2025Q1: 0.4, 2024Q1: 0.3}\n",
		"t.yaml:3:38: demand.growth: schedule key 2024Q1 is not after the one before it"},
	{"schedule key twice", "extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, 2022Q1: 0.4}\n",
		"t.yaml:3:25: key 2022Q1 is set twice (first on line 3)"},
	{"schedule key not a period", "extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, soon: 0.4}\n",
		"t.yaml:3:25: demand.growth: schedule key \"soon\" is not a period: want 2025Q3, 2025-07 or 2025"},
	{"linear beside other keys", "extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, linear: {2023Q1: 0.4}}\n",
		"t.yaml:3:25: demand.growth: schedule key \"linear\" is not a period: want 2025Q3, 2025-07 or 2025; linear: must be the only key"},
	{"schedule starts late", "extends: baseline\ndemand:\n  growth: {2023Q1: 0.5}\n",
		"t.yaml:3:12: demand.growth: schedule starts at 2023Q1, after the run starts (2022Q1); give a value for 2022Q1 or earlier"},
	{"linear starts late", "extends: baseline\ndemand:\n  growth: {linear: {2023Q1: 0.5, 2024Q1: 0.3}}\n",
		"t.yaml:3:21: demand.growth: schedule starts at 2023Q1, after the run starts (2022Q1); give a value for 2022Q1 or earlier"},
	{"schedule key not aligned", "extends: baseline\ndemand:\n  growth: {2022Q1: 0.5, 2024-02: 0.3}\n",
		"t.yaml:3:25: demand.growth: schedule key 2024-02 does not start a quarter of the run"},
	{"empty schedule", "extends: baseline\ndemand:\n  growth: {}\n",
		"t.yaml:3:11: demand.growth: empty schedule"},
	{"linear not a mapping", "extends: baseline\ndemand:\n  growth: {linear: 5}\n",
		"t.yaml:3:20: demand.growth linear: want a mapping of keys to values, got the number 5"},
	{"linear choice", "extends: baseline\ndemand:\n  model: {linear: {2022Q1: exponential}}\n",
		"t.yaml:3:11: demand.model: a choice cannot be interpolated; use a schedule {period: choice}"},

	// Products and imports.
	{"missing required key", "extends: baseline\necosystems:\n  rocm: {}\n",
		"t.yaml:3:3: ecosystems.rocm: missing key utility (utility: logit utility of the software ecosystem's maturity; CUDA is the usual reference at 0)"},
	{"missing required product key", "extends: baseline\nproducts:\n  X9:\n" + strings.Replace(fullForeign, "    price_usd: 1000\n", "", 1) + "imports:\n  X9:\n" + fullImport,
		"t.yaml:3:3: products.X9: missing key price_usd (USD/unit: price to Chinese buyers before any fee)"},
	{"bad origin", "extends: baseline\nproducts:\n  X9:\n" + strings.Replace(fullForeign, "origin: foreign", "origin: alien", 1),
		"t.yaml:5:13: products.X9.origin: \"alien\" is not an origin; want domestic or foreign"},
	{"domestic key on foreign product", "extends: baseline\nproducts:\n  H200:\n    hbm_stacks: 6\n",
		"t.yaml:4:17: products.H200.hbm_stacks: applies to domestic products only, and H200 is foreign"},
	{"foreign product without imports", "extends: baseline\nproducts:\n  X9:\n" + fullForeign,
		"t.yaml:3:3: products.X9: foreign product has no imports.X9 entry (its US status and Chinese stance)"},
	{"imports for unknown product", "extends: baseline\nimports:\n  H300:\n" + fullImport,
		"t.yaml:3:3: imports.H300: no foreign product H300 in products (did you mean H800 or H200 or B300?)"},

	// Events.
	{"event not a mapping", "extends: baseline\nevents:\n  - 2026Q1\n",
		"t.yaml:3:5: event: want a mapping with at: and an action (set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing), got the text \"2026Q1\""},
	{"event missing at", "extends: baseline\nevents:\n  - set: {demand.growth: 0.1}\n",
		"t.yaml:3:5: event: missing key at (the period it starts, such as 2025Q3)"},
	{"event no action", "extends: baseline\nevents:\n  - at: 2026Q1\n    name: nothing\n",
		"t.yaml:3:5: event: no action; want one of set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing"},
	{"event unknown key", "extends: baseline\nevents:\n  - at: 2026Q1\n    sett: {demand.growth: 0.1}\n",
		"t.yaml:4:5: event: unknown key sett (did you mean set?); want at, end, ramp, name, source or an action: set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing"},
	{"event at not a period", "extends: baseline\nevents:\n  - at: soon\n    set: {demand.growth: 0.1}\n",
		"t.yaml:3:9: event at: \"soon\" is not a period or a date: want 2025Q3, 2025-07, 2025 or 2025-04-15"},
	{"event at not aligned", "extends: baseline\nevents:\n  - at: 2026-02\n    set: {demand.growth: 0.1}\n",
		"t.yaml:3:5: event at 2026-02 does not start a quarter of the run; date it by day (YYYY-MM-DD) to act on part of a period"},
	{"event end not aligned", "extends: baseline\nevents:\n  - at: 2026Q1\n    end: 2026-02\n    set: {demand.growth: 0.1}\n",
		"t.yaml:3:5: event end 2026-02 does not end a quarter of the run; date it by day (YYYY-MM-DD) to act on part of a period"},
	{"event end before at", "extends: baseline\nevents:\n  - at: 2026Q1\n    end: 2025Q4\n    set: {demand.growth: 0.1}\n",
		"t.yaml:3:5: event: end 2025Q4 is before at 2026Q1"},
	{"event ramp not whole", "extends: baseline\nevents:\n  - at: 2026Q1\n    ramp: 1.5\n    set: {demand.growth: 0.1}\n",
		"t.yaml:4:11: event ramp: want a whole number of periods ≥ 0, got the number 1.5"},
	{"event ramp negative", "extends: baseline\nevents:\n  - at: 2026Q1\n    ramp: -2\n    set: {demand.growth: 0.1}\n",
		"t.yaml:4:11: event ramp: want a whole number of periods ≥ 0, got the number -2"},
	{"event name not text", "extends: baseline\nevents:\n  - at: 2026Q1\n    name: [x]\n    set: {demand.growth: 0.1}\n",
		"t.yaml:4:11: event name: want text, got a list"},
	{"event action not a mapping", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: 5\n",
		"t.yaml:4:10: event set: want a mapping of keys to values, got the number 5"},
	{"event unknown path", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {foundry.smic_n2.capacity_wmp: 2}\n",
		"t.yaml:4:11: event set: unknown parameter path foundry.smic_n2.capacity_wmp (did you mean foundry.smic_n2.capacity_wpm or foundry.smic_n3.capacity_wpm or foundry.smic_n1.capacity_wpm?)"},
	{"event path far from any", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {demand: 1}\n",
		"t.yaml:4:11: event set: unknown parameter path demand; see chipsim params for every path"},
	{"event on a fixed field", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {products.H200.launch: 2026Q1}\n",
		"t.yaml:4:11: event set: products.H200.launch is a period, fixed for the run; events change numbers and choices"},
	{"event set out of range", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {demand.growth: 200}\n",
		"t.yaml:4:26: demand.growth: 200 is above the maximum 100 (1/year)"},
	{"event scale leaves range", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {packaging.yield: 2}\n",
		"t.yaml:4:13: event scale packaging.yield: the value in 2026Q1 would be out of range: 1.8 is above the maximum 1 (share 0..1)"},
	{"event scale by text", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {demand.growth: fast}\n",
		"t.yaml:4:28: event scale demand.growth: want a number, got the text \"fast\""},
	{"event scale on a choice", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {imports.H200.us_status: 2}\n",
		"t.yaml:4:13: event scale: imports.H200.us_status is a choice (allowed, licensed, banned); only set applies to it"},
	{"event add on a choice", "extends: baseline\nevents:\n  - at: 2026Q1\n    add: {hbm.imports: 1}\n",
		"t.yaml:4:11: event add: hbm.imports is a choice (open, closed); only set applies to it"},
	{"event ramp on a choice", "extends: baseline\nevents:\n  - at: 2026Q1\n    ramp: 2\n    export_status: {product: H200, status: banned}\n",
		"t.yaml:5:36: event: imports.H200.us_status is a choice; a ramp cannot apply to it"},
	{"event set bad choice", "extends: baseline\nevents:\n  - at: 2026Q1\n    import_stance: {product: H20, stance: baned}\n",
		"t.yaml:4:43: imports.H20.cn_stance: \"baned\" is not a valid choice (did you mean banned?); want open, discouraged, banned"},
	{"event set schedule", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {market.listed_share: {2026Q1: 0.5}}\n",
		"t.yaml:4:32: market.listed_share: want a number (share 0..1), got a mapping"},

	// Shortcuts.
	{"shortcut unknown product", "extends: baseline\nevents:\n  - at: 2026Q1\n    export_status: {product: H300, status: banned}\n",
		"t.yaml:4:30: export_status: no foreign product \"H300\" (did you mean H800 or H200 or B300?)"},
	{"shortcut domestic product", "extends: baseline\nevents:\n  - at: 2026Q1\n    import_stance: {product: thead_ppu, stance: banned}\n",
		"t.yaml:4:30: import_stance: no foreign product \"thead_ppu\""},
	{"shortcut unknown process", "extends: baseline\nevents:\n  - at: 2026Q1\n    subsidy: {process: smic_n9, capacity_scale: 2}\n",
		"t.yaml:4:24: subsidy: no foundry process \"smic_n9\" (did you mean smic_n2 or smic_n3 or smic_n1?)"},
	{"shortcut missing target", "extends: baseline\nevents:\n  - at: 2026Q1\n    equipment_control: {capacity_scale: 0.5}\n",
		"t.yaml:4:24: equipment_control: missing key process"},
	{"shortcut nothing to change", "extends: baseline\nevents:\n  - at: 2026Q1\n    export_status: {product: H200}\n",
		"t.yaml:4:20: export_status: nothing to change; want one of status, fee_share, cap_share"},
	{"shortcut unknown key", "extends: baseline\nevents:\n  - at: 2026Q1\n    hbm_control: {imports: open, product: x}\n",
		"t.yaml:4:34: hbm_control: unknown key product; want imports, domestic_scale"},
	{"shortcut target not a name", "extends: baseline\nevents:\n  - at: 2026Q1\n    equipment_control: {process: [smic_n2], capacity_scale: 0.5}\n",
		"t.yaml:4:34: equipment_control: process: want a name, got a list"},

	// Extends.
	{"extends unknown shipped name", "extends: baselin\n",
		"t.yaml:1:10: extends: no shipped scenario \"baselin\" (did you mean baseline?); a file path must end in .yaml or contain a slash"},
	{"extends empty", "extends: \"\"\n",
		"t.yaml:1:10: extends: want the name of a shipped scenario or a path to a .yaml file"},
}

// TestParseManyErrors checks that problems of every kind in one file are
// all reported, sorted by position, though the loader finds them in
// another order (demand's fields before packaging's, keys before values).
func TestParseManyErrors(t *testing.T) {
	in := `extends: baseline
packaging:
  yield: 2
demand:
  growth: x
  growht: 1
events:
  - at: 2026Q1
    end: 2025Q4
    set: {demand.growth: 0.1}
  - at: 2026Q1
    set: {foundry.smic_n2.capacity_wmp: 2}
`
	want := []string{
		"t.yaml:3:10: packaging.yield: 2 is above the maximum 1 (share 0..1)",
		"t.yaml:5:11: demand.growth: want a number (1/year), got the text \"x\"",
		"t.yaml:6:3: demand: unknown key growht (did you mean growth?)",
		"t.yaml:8:5: event: end 2025Q4 is before at 2026Q1",
		"t.yaml:12:11: event set: unknown parameter path foundry.smic_n2.capacity_wmp (did you mean foundry.smic_n2.capacity_wpm or foundry.smic_n3.capacity_wpm or foundry.smic_n1.capacity_wpm?)",
	}
	_, err := Parse("t.yaml", []byte(in))
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Parse(%q) error =\n%v\nwant\n%v", in, err, strings.Join(want, "\n"))
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != len(want) {
		t.Fatalf("Parse(%q) error = %#v, want an ErrorList of %d", in, err, len(want))
	}
	if p := list[0].Pos; p != (Pos{File: "t.yaml", Line: 3, Col: 10}) {
		t.Errorf("Parse(%q) first error at %+v, want t.yaml:3:10", in, p)
	}
}

// writeFiles writes name -> text into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadExtendsErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.yaml":       "extends: b.yaml\n",
		"b.yaml":       "extends: a.yaml\n",
		"self.yaml":    "extends: self.yaml\n",
		"missing.yaml": "name: x\nextends: nope.yaml\n",
		"parent.yaml":  "extends: baseline\ndemand:\n  growth: fast\n",
		"child.yaml":   "extends: parent.yaml\npackaging:\n  yield: 2\n",
		"deep.yaml":    "extends: sub/bad.yaml\n",
		"sub/bad.yaml": "extends: baseline\ndemnad: {}\n",
	})
	p := func(name string) string { return filepath.Join(dir, name) }
	_, notExist := os.ReadFile(p("nope.yaml"))
	var pe *fs.PathError
	if !errors.As(notExist, &pe) {
		t.Fatalf("reading a missing file: %v, want a *fs.PathError", notExist)
	}
	tests := []struct {
		file, want string
	}{
		{"a.yaml", p("b.yaml") + ":1:10: extends cycle: " + p("a.yaml") + " -> " + p("b.yaml") + " -> " + p("a.yaml")},
		{"self.yaml", p("self.yaml") + ":1:10: extends cycle: " + p("self.yaml") + " -> " + p("self.yaml")},
		{"missing.yaml", p("missing.yaml") + ":2:10: extends: cannot read " + p("nope.yaml") + ": " + pe.Err.Error()},
		// Errors of every file of the chain, sorted by file.
		{"child.yaml", p("child.yaml") + ":3:10: packaging.yield: 2 is above the maximum 1 (share 0..1)\n" +
			p("parent.yaml") + ":3:11: demand.growth: want a number (1/year), got the text \"fast\""},
		// An error in a parent is reported in the parent, relative to the child.
		{"deep.yaml", p("sub/bad.yaml") + ":2:1: unknown key demnad (did you mean demand?)"},
	}
	for _, tt := range tests {
		_, err := Load(p(tt.file))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Load(%q) error = %v, want %v", tt.file, err, tt.want)
		}
	}
}

func TestLoadUnknown(t *testing.T) {
	_, err := Load("baselin")
	want := `no shipped scenario "baselin" (did you mean baseline?)`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load(%q) error = %v, want prefix %v", "baselin", err, want)
	}
	p := filepath.Join(t.TempDir(), "none.yaml")
	if _, err := Load(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(%q) error = %v, want fs.ErrNotExist", p, err)
	}
}

// paramField returns the parameter at path in s.
func paramField(t *testing.T, s *Scenario, path string) sim.Field {
	t.Helper()
	for _, f := range s.Spec.Fields() {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("%s has no parameter %s", s.Name, path)
	return sim.Field{}
}

// paramSeries returns the values of a numeric parameter in periods from..to.
func paramSeries(t *testing.T, s *Scenario, path string, from, to int) []float64 {
	t.Helper()
	f := paramField(t, s, path)
	if f.Num == nil {
		t.Fatalf("%s is not a number or choice", path)
	}
	return append([]float64(nil), (*f.Num)[from:to+1]...)
}

func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*(1+math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func TestExtendsOverride(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"child.yaml":     "name: child\nextends: baseline\npackaging:\n  yield: 0.8 # test value\n",
		"mid.yaml":       "name: mid\nextends: baseline\ndemand:\n  growth: 0.5\n",
		"sub/leaf.yaml":  "name: leaf\nextends: ../mid.yaml\ngrey:\n  affiliate_leakage: 0.1\n",
		"sub/leaf2.yaml": "name: leaf2\nextends: ../mid.yaml\ndemand:\n  growth: 0.6\n",
	})
	base, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	n := base.Spec.Calendar.N

	p := filepath.Join(dir, "child.yaml")
	s, err := Load(p)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", p, err)
	}
	if got := paramSeries(t, s, "packaging.yield", 0, n-1); !near(got, constant(0.8, n)) {
		t.Errorf("Load(%q) packaging.yield = %v, want 0.8 throughout", p, got)
	}
	if got, want := paramSeries(t, s, "packaging.capacity_units_per_year", 0, n-1), paramSeries(t, base, "packaging.capacity_units_per_year", 0, n-1); !near(got, want) {
		t.Errorf("Load(%q) packaging.capacity_units_per_year = %v, want the baseline's %v", p, got, want)
	}
	v := s.Values["packaging.yield"]
	if v == nil || v.Pos != (Pos{File: p, Line: 4, Col: 10}) || v.Source != "test value" {
		t.Errorf("Load(%q).Values[packaging.yield] = %+v, want at %s:4:10 with source \"test value\"", p, v, p)
	}
	if len(s.Events) != len(base.Events) {
		t.Errorf("Load(%q) has %d events, want the baseline's %d", p, len(s.Events), len(base.Events))
	}
	if s.Name != "child" || s.Spec.Name != "child" {
		t.Errorf("Load(%q).Name = %q, Spec.Name = %q, want child", p, s.Name, s.Spec.Name)
	}

	// Relative paths resolve against the file that names them.
	p = filepath.Join(dir, "sub", "leaf.yaml")
	s, err = Load(p)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", p, err)
	}
	wantChain := []string{p, filepath.Join(dir, "mid.yaml"), "scenarios/baseline.yaml"}
	if strings.Join(s.Chain, ",") != strings.Join(wantChain, ",") {
		t.Errorf("Load(%q).Chain = %v, want %v", p, s.Chain, wantChain)
	}
	if got := paramSeries(t, s, "demand.growth", 0, n-1); !near(got, constant(0.5, n)) {
		t.Errorf("Load(%q) demand.growth = %v, want mid.yaml's 0.5 throughout", p, got)
	}
	if got := paramSeries(t, s, "grey.affiliate_leakage", 0, n-1); !near(got, constant(0.1, n)) {
		t.Errorf("Load(%q) grey.affiliate_leakage = %v, want 0.1 throughout", p, got)
	}

	// The nearest file wins.
	p = filepath.Join(dir, "sub", "leaf2.yaml")
	s, err = Load(p)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", p, err)
	}
	if got := paramSeries(t, s, "demand.growth", 0, n-1); !near(got, constant(0.6, n)) {
		t.Errorf("Load(%q) demand.growth = %v, want leaf2.yaml's 0.6 throughout", p, got)
	}
	if got := len(s.History["demand.growth"]); got != 3 {
		t.Errorf("Load(%q).History[demand.growth] has %d values, want 3 (baseline, mid, leaf2)", p, got)
	}

	// A file without a name is named after itself, not after its parent,
	// and does not inherit the parent's description.
	p = filepath.Join(dir, "unnamed-scn.yaml")
	writeFiles(t, dir, map[string]string{"unnamed-scn.yaml": "extends: baseline\n"})
	s, err = Load(p)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", p, err)
	}
	if s.Name != "unnamed-scn" || s.Spec.Name != "unnamed-scn" || s.Description != "" {
		t.Errorf("Load(%q) Name, Spec.Name, Description = %q, %q, %q, want unnamed-scn, unnamed-scn, \"\"", p, s.Name, s.Spec.Name, s.Description)
	}

	// Parse resolves a relative extends against the name it is given.
	data := []byte("name: parsed\nextends: mid.yaml\n")
	s, err = Parse(filepath.Join(dir, "parsed.yaml"), data)
	if err != nil {
		t.Fatalf("Parse(%q) error = %v", data, err)
	}
	if got := paramSeries(t, s, "demand.growth", 0, 0); got[0] != 0.5 {
		t.Errorf("Parse(%q) demand.growth = %v, want mid.yaml's 0.5", data, got[0])
	}
}

func constant(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestSchedules checks step and linear schedules value by value. The run is
// quarterly from 2022Q1: period 0 is 2022Q1, period 4 is 2023Q1.
func TestSchedules(t *testing.T) {
	tests := []struct {
		name, yaml, path string
		want             []float64 // periods 0..len-1
	}{
		{"single value", "grey:\n  cloud_h100e: 1000\n", "grey.cloud_h100e",
			[]float64{1000, 1000, 1000}},
		{"step", "grey:\n  cloud_h100e: {2022Q1: 100, 2022Q3: 200, 2023Q2: 50}\n", "grey.cloud_h100e",
			[]float64{100, 100, 200, 200, 200, 50, 50}},
		{"step from before the run", "grey:\n  cloud_h100e: {2020Q1: 7, 2022Q2: 9}\n", "grey.cloud_h100e",
			[]float64{7, 9, 9}},
		{"step by year and month keys", "grey:\n  cloud_h100e: {2022: 1, 2022-04: 2, 2023: 3}\n", "grey.cloud_h100e",
			[]float64{1, 2, 2, 2, 3, 3}},
		// Linear: 0 at 2022Q1 to 400 at 2023Q1 is 100 a quarter, then
		// down to 100 at 2023Q4 (-100 a quarter), then held.
		{"linear", "grey:\n  cloud_h100e: {linear: {2022Q1: 0, 2023Q1: 400, 2023Q4: 100}}\n", "grey.cloud_h100e",
			[]float64{0, 100, 200, 300, 400, 300, 200, 100, 100, 100}},
		// Linear keys need not start a period: 2021-10 to 2022-07 is 9
		// months, so 2022Q1 (3 months in) is 30 and 2022Q2 is 60.
		{"linear between months", "grey:\n  cloud_h100e: {linear: {2021-10: 0, 2022-07: 90}}\n", "grey.cloud_h100e",
			[]float64{30, 60, 90, 90}},
		// The baseline's HBM control of 2025Q1 applies later than this.
		{"choice schedule", "hbm:\n  imports: {2022Q1: closed, 2022Q3: open}\n", "hbm.imports",
			[]float64{sim.Closed, sim.Closed, sim.Open, sim.Open, sim.Open}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "extends: baseline\n" + tt.yaml
			s, err := Parse("t.yaml", []byte(in))
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", in, err)
			}
			got := paramSeries(t, s, tt.path, 0, len(tt.want)-1)
			if !near(got, tt.want) {
				t.Errorf("Parse(%q) %s = %v, want %v", in, tt.path, got, tt.want)
			}
		})
	}
}

// TestEvents checks events' set, scale and add with end and ramp, value by
// value, against hand-computed series. Each test sets its own base value so
// that the baseline's events do not interfere.
func TestEvents(t *testing.T) {
	tests := []struct {
		name, yaml, path string
		want             []float64 // periods 0..len-1 (2022Q1...)
	}{
		// set 9 over a base of 5 from 2022Q3 (period 2), ramp 4, to 2023Q2
		// (period 5): 5 + (9-5)*k/4 for k = 1..4, then back to 5.
		{"set ramp end",
			"installed:\n  service_life_years: 5\nevents:\n  - at: 2022Q3\n    end: 2023Q2\n    ramp: 4\n    set: {installed.service_life_years: 9}\n",
			"installed.service_life_years", []float64{5, 5, 6, 7, 8, 9, 5, 5}},
		// scale 0.5 of 0.8 from 2022Q2, ramp 2, to 2022Q4: 0.8 x (1 - 0.5 k/2).
		{"scale ramp end",
			"packaging:\n  yield: 0.8\nevents:\n  - at: 2022Q2\n    end: 2022Q4\n    ramp: 2\n    scale: {packaging.yield: 0.5}\n",
			"packaging.yield", []float64{0.8, 0.6, 0.4, 0.4, 0.8}},
		// add 500 in 2022Q2-Q3, then add 100 from 2022Q3 ramped over 2
		// periods, to a base of 1000: events stack in file order.
		{"add end then add ramp",
			"grey:\n  cloud_h100e: 1000\nevents:\n  - at: 2022Q2\n    end: 2022Q3\n    add: {grey.cloud_h100e: 500}\n  - at: 2022Q3\n    ramp: 2\n    add: {grey.cloud_h100e: 100}\n",
			"grey.cloud_h100e", []float64{1000, 1500, 1550, 1100, 1100}},
		// An event whose end is a year covers the whole year.
		{"end as a year",
			"grey:\n  cloud_h100e: 1\nevents:\n  - at: 2022Q2\n    end: 2022\n    add: {grey.cloud_h100e: 1}\n",
			"grey.cloud_h100e", []float64{1, 2, 2, 2, 1}},
		// A ramp counts from at, even before the run starts: at 2021Q3 with
		// ramp 4, 2022Q1 is the ramp's third period.
		{"ramp from before the run",
			"demand:\n  efficiency_gain: 0\nevents:\n  - at: 2021Q3\n    ramp: 4\n    set: {demand.efficiency_gain: 0.4}\n",
			"demand.efficiency_gain", []float64{0.3, 0.4, 0.4}},
		// An event ramps from the schedule beneath it, period by period.
		{"set ramp over a schedule",
			"grey:\n  cloud_h100e: {linear: {2022Q1: 0, 2023Q1: 400}}\nevents:\n  - at: 2022Q2\n    ramp: 2\n    set: {grey.cloud_h100e: 0}\n",
			"grey.cloud_h100e", []float64{0, 50, 0, 0, 0}},
		// A choice set for a span, then back to what the file says.
		{"set choice with end",
			"demand:\n  model: exponential\nevents:\n  - at: 2022Q2\n    end: 2022Q3\n    set: {demand.model: logistic}\n",
			"demand.model", []float64{sim.Exponential, sim.Logistic, sim.Logistic, sim.Exponential}},
		// Shortcuts expand to their operations: capacity_scale is a scale.
		{"shortcut scale ramp",
			"foundry:\n  smic_n3:\n    capacity_wpm: 1000\nevents:\n  - at: 2022Q2\n    ramp: 2\n    equipment_control: {process: smic_n3, capacity_scale: 0.5}\n",
			"foundry.smic_n3.capacity_wpm", []float64{1000, 750, 500, 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "extends: baseline\n" + tt.yaml
			s, err := Parse("t.yaml", []byte(in))
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", in, err)
			}
			if got := paramSeries(t, s, tt.path, 0, len(tt.want)-1); !near(got, tt.want) {
				t.Errorf("Parse(%q) %s = %v, want %v", in, tt.path, got, tt.want)
			}
		})
	}
}

// TestEventOrder checks that a child's event in the same period as a
// parent's applies after it: h200-blocked bans what the baseline opens.
func TestEventOrder(t *testing.T) {
	s, err := Load("h200-blocked")
	if err != nil {
		t.Fatal(err)
	}
	cal := s.Spec.Calendar
	at := cal.Index(sim.MonthOf(2026, 1))
	got := paramSeries(t, s, "imports.H200.cn_stance", at-1, at)
	if want := []float64{sim.CNOpen, sim.CNBanned}; !near(got, want) {
		t.Errorf("h200-blocked imports.H200.cn_stance 2025Q4, 2026Q1 = %v, want %v", got, want)
	}
}

// Regressions for loader bugs found by review: each error at its place.
func TestParseErrorRegressions(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"NaN from an event", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {imports.H20.quota_units_per_year: 0}\n",
			"t.yaml:4:13: event scale imports.H20.quota_units_per_year: in 2026Q1 the value is undefined (.inf × 0)"},
		{"product ends before launch", "extends: baseline\nproducts:\n  H200:\n    end: 2020Q1\n",
			"t.yaml:4:10: products.H200.end: 2020Q1 is before launch 2024-01"},
		{"misspelt shortcut key alone", "extends: baseline\nevents:\n  - at: 2026Q1\n    equipment_control: {process: smic_n2, capcity_scale: 0.5}\n",
			"t.yaml:4:43: equipment_control: unknown key capcity_scale (did you mean capacity_scale?); want process, capacity_scale, learning_rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse(%q) error = %v, want %v", tc.src, err, tc.want)
			}
		})
	}
}
