// Package check holds chipsim's reality checks, as Vensim and SDEverywhere
// have them: history observations the model must reproduce within a
// tolerance, comparisons between scenarios whose stories differ, which
// constraint must bind where sources say it does, and invariants every
// run must keep (no unexplained jump in a headline ratio, compute wanted
// that never falls). Checks live in YAML files; the shipped file is
// embedded, and users write their own.
//
// A checks file looks like this:
//
//	history:
//	  - metric: ai.ssr_units
//	    period: 2025
//	    value: 0.41
//	    tolerance: 0.04          # absolute; "15%" is relative
//	    source: IDC via Reuters, 2026-04-01
//	comparisons:
//	  - id: h200-blocked-pulls-domestic
//	    scenario: h200-blocked
//	    against: baseline
//	    outcome: sum(ai.units_domestic, 2026..2028)
//	    expect: higher
//	    by_at_least: 1%
//	bindings:
//	  - product: ascend_910c
//	    constraint: hbm
//	    from: 2026
//	    to: 2026
//	    at_least: 50%            # of the periods from..to
//	invariants:
//	  - id: no-jump
//	    rule: max_jump
//	    metrics: [ai.ssr_units, ai.ssr_compute]
//	    limit: 0.10
//
// Run evaluates a file against scenarios loaded once each; RunOn applies
// the history, binding and invariant checks written for the baseline to
// another scenario (does a variant still reproduce history?).
package check

import (
	_ "embed"
	"fmt"

	"github.com/chipsim/chipsim/scenarios"
)

//go:embed checks.yaml
var shippedChecks []byte

// ShippedName is the name shipped checks carry in messages.
const ShippedName = "scenarios/check/checks.yaml"

// Shipped returns the checks shipped with chipsim.
func Shipped() (*File, error) { return Parse(ShippedName, shippedChecks) }

// ShippedSource returns the text of the shipped checks file.
func ShippedSource() []byte { return shippedChecks }

// File is a parsed checks file.
type File struct {
	Name string
	// HistoryEnds, a period or year, ends what happened: history and
	// bindings dated after it are the baseline's own calibration (forecasts
	// and assumptions), which RunOn does not hold a variant to.
	HistoryEnds string
	History     []*Observation
	Comparisons []*Comparison
	Bindings    []*Binding
	Invariants  []*Invariant
}

// Observation is a fact of history the model must reproduce: a metric for
// an entity in a year or a period, within [Lo, Hi].
type Observation struct {
	ID        string
	Pos       scenarios.Pos
	Scenario  string // default baseline
	Metric    string
	Entity    string // default "all"
	Period    string // a year (aggregated as annual tables do) or a period label
	Value     float64
	Lo, Hi    float64 // the accepted range
	Tolerance string  // as written: "15%" or an absolute number; empty with min/max
	Source    string
	Note      string
}

// Comparison says how a scenario's outcome differs from another's.
type Comparison struct {
	ID        string
	Pos       scenarios.Pos
	Story     string
	Scenario  string
	Against   string
	Outcome   string  // an outcome expression (see package sim/outcome)
	Expect    string  // "higher" or "lower"
	ByAtLeast float64 // relative change the difference must reach, 0 for any
	Source    string
}

// Binding says which constraint binds a domestic product (or a foundry
// process) over a span of periods, for at least a share of them.
type Binding struct {
	ID         string
	Pos        scenarios.Pos
	Scenario   string
	Product    string // a domestic product, or
	Process    string // a foundry process (constraint "foundry": AI wafers all used)
	Constraint string // plan, dies, hbm, packaging, demand; foundry for a process
	From, To   string // periods or years
	AtLeast    float64
	Source     string
}

// Invariant is a rule every run of the named scenarios keeps.
type Invariant struct {
	ID        string
	Pos       scenarios.Pos
	Story     string
	Rule      string   // max_jump, max_drop, nondecreasing, max_inventory_months
	Metrics   []string // max_jump, max_drop, nondecreasing
	Limit     float64
	Scenarios []string // empty: every shipped scenario
	From, To  string   // optional span, years or periods
	Source    string
}

// Rules lists the invariant rules and what they check.
var Rules = map[string]string{
	"max_jump":             "a metric (a ratio) moves by at most limit from one period to the next, unless a policy event or a product's launch or end in that period or the next explains it",
	"max_drop":             "a metric falls by at most limit (a share of its value) from one period to the next, unless an event, launch or end explains it",
	"nondecreasing":        "a metric's yearly values never fall",
	"max_inventory_months": "no domestic product holds more than limit months of its year's sales in finished stock at a year's end",
}

// Constraints lists the binding constraints a Binding may name.
var Constraints = []string{"plan", "dies", "hbm", "packaging", "demand", "foundry"}

// Gather runs the checks that command-line arguments ask for: with none,
// the shipped checks; for an argument that is a checks file (read with
// read), its checks; for any other, a scenario, the shipped checks that
// apply to every scenario (RunOn). Bad input is a *Error or the loader's
// error.
func Gather(args []string, load Loader, read func(path string) ([]byte, error)) ([]Result, error) {
	shipped, err := Shipped()
	if err != nil {
		return nil, fmt.Errorf("shipped checks: %w", err)
	}
	if len(args) == 0 {
		return shipped.Run(load)
	}
	var all []Result
	for _, ref := range args {
		var rs []Result
		if scenarios.IsPath(ref) {
			data, err := read(ref)
			if err != nil {
				return nil, err
			}
			if IsChecks(data) {
				f, err := Parse(ref, data)
				if err != nil {
					return nil, err
				}
				rs, err = f.Run(load)
				all = append(all, rs...)
				if err != nil {
					return all, err
				}
				continue
			}
		}
		if _, err := load(ref); err != nil {
			return nil, err
		}
		rs, err = shipped.RunOn(ref, load)
		all = append(all, rs...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}
