package scenarios

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// alternatives are the shipped scenarios besides the baseline.
var alternatives = []string{
	"baseline-uncertain",
	"big-fund-surge",
	"equipment-squeeze",
	"full-decoupling",
	"h200-blocked",
	"hbm-crunch",
	"loose-controls",
	"smic-breakthrough",
	"smic-expansion",
}

func TestShippedList(t *testing.T) {
	want := append([]string{"baseline"}, alternatives...)
	if got := ShippedNames(); !slices.Equal(got, want) {
		t.Errorf("ShippedNames() = %v, want %v", got, want)
	}
	for _, info := range Shipped() {
		if info.Name == "baseline" {
			continue
		}
		if info.Extends != "baseline" {
			t.Errorf("%s: extends %q, want baseline", info.Name, info.Extends)
		}
		if info.Description == "" || !strings.HasSuffix(info.Description, ".") {
			t.Errorf("%s: one-line description %q, want a first sentence ending in a period", info.Name, info.Description)
		}
		if len(info.Description) > 160 {
			t.Errorf("%s: one-line description is %d characters, want at most 160: %q", info.Name, len(info.Description), info.Description)
		}
	}
}

// TestShippedRun loads, compiles and runs every shipped scenario, and
// checks that its name matches its file and that its headline ratios are
// finite shares.
func TestShippedRun(t *testing.T) {
	for _, name := range ShippedNames() {
		t.Run(name, func(t *testing.T) {
			x := runShipped(t, name)
			if x.s.Name != name {
				t.Errorf("Load(%q).Name = %q, want %q", name, x.s.Name, name)
			}
			if want := []string{"scenarios/" + name + ".yaml"}; name != "baseline" {
				want = append(want, "scenarios/baseline.yaml")
				if !slices.Equal(x.s.Chain, want) {
					t.Errorf("Load(%q).Chain = %v, want %v", name, x.s.Chain, want)
				}
			}
			for _, m := range headline {
				for i, v := range x.annual(t, m, "all") {
					if math.IsNaN(v) || v < 0 || v > 1+1e-9 {
						t.Errorf("%s %s %d = %v, want a share in [0, 1]", name, m, x.years[i], v)
					}
				}
			}
		})
	}
}

var headline = []string{"ai.ssr_units", "ai.ssr_compute", "ai.coverage"}

// TestShippedOnlyEvents checks that the alternatives change the baseline
// only through their policy timeline: they set no parameter of their own,
// and their events start in the year the description names or later, so
// history before it is the baseline's.
func TestShippedOnlyEvents(t *testing.T) {
	base := runShipped(t, "baseline")
	for _, name := range alternatives {
		t.Run(name, func(t *testing.T) {
			x := runShipped(t, name)
			file := "scenarios/" + name + ".yaml"
			for p, v := range x.s.Values {
				if v.Pos.File == file {
					t.Errorf("%s sets %s at %s; the alternatives change the baseline by events only", name, p, v.Pos)
				}
			}
			first := math.MaxInt
			for _, ev := range x.s.Events {
				if ev.Pos.File == file {
					first = min(first, ev.At.Year())
				}
			}
			if first == math.MaxInt {
				t.Fatalf("%s has no events of its own", name)
			}
			for _, m := range append(headline, "ai.units_domestic", "ai.units_delivered", "ic.ssr_value") {
				b, a := base.annual(t, m, "all"), x.annual(t, m, "all")
				for i, y := range x.years {
					if y < first && !same(a[i], b[i]) {
						t.Errorf("%s %s %d = %.6g, want the baseline's %.6g before its first event (%d)", name, m, y, a[i], b[i], first)
					}
				}
			}
		})
	}
}

// numberRe finds a YAML value that is a plain number (not a period such as
// 2026Q1 or a word).
var numberRe = regexp.MustCompile(`:\s*[-+]?(\d[\d_]*\.?\d*([eE][-+]?\d+)?|\.inf)\s*([,}#]|$)`)

// TestShippedNumbersSourced checks that every number an alternative
// scenario writes has a comment beside it giving its source or reasoning.
// Periods (at:, end:) are dates, sourced by the event's source: key.
func TestShippedNumbersSourced(t *testing.T) {
	for _, name := range alternatives {
		data, ok := ShippedSource(name)
		if !ok {
			t.Fatalf("ShippedSource(%q): not found", name)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			code, _, hasComment := strings.Cut(text, "#")
			key := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(code), "- "))
			if strings.HasPrefix(key, "at:") || strings.HasPrefix(key, "end:") {
				continue
			}
			if numberRe.MatchString(code) && !hasComment {
				t.Errorf("scenarios/%s.yaml:%d: number without a source comment: %s", name, line, strings.TrimSpace(text))
			}
		}
	}
}

// TestNumberRe guards the pattern TestShippedNumbersSourced relies on.
func TestNumberRe(t *testing.T) {
	for s, want := range map[string]bool{
		"    capacity_scale: 0.7":                           true,
		"    ramp: 8":                                       true,
		"    set: {grey.enforcement: 0.6}":                  true,
		"    hbm_control: {domestic_scale: 1.5} ":           true,
		"    set: {foundry.smic_n2.capacity_wpm: 35000}":    true,
		"  - at: 2026Q1":                                    false,
		"    name: N+2 learns faster":                       false,
		"    export_status: {product: H20, status: banned}": false,
	} {
		if got := numberRe.MatchString(s); got != want {
			t.Errorf("numberRe.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

func same(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(b)) }

// direction is how an alternative moves a metric against the baseline.
type direction int

const (
	higher    direction = iota // strictly above the baseline every year
	lower                      // strictly below every year
	notLower                   // above or equal every year
	notHigher                  // below or equal every year
	equal                      // the baseline's value every year
	zero                       // zero every year, whatever the baseline
)

func (d direction) String() string {
	return [...]string{"higher than", "lower than", "not lower than", "not higher than", "equal to", "zero, against"}[d]
}

func (d direction) holds(got, base float64) bool {
	switch d {
	case higher:
		return got > base && !same(got, base)
	case lower:
		return got < base && !same(got, base)
	case notLower:
		return got > base || same(got, base)
	case notHigher:
		return got < base || same(got, base)
	case zero:
		return got == 0
	}
	return same(got, base)
}

// over says which values of a metric an expectation compares.
type over int

const (
	each   over = iota // each year's value
	total              // the sum over the years
	toDate             // the running total from the first year, in each year
)

// expect is one directional expectation: metric for entity, over the
// years from..to, moves in direction d against the baseline.
type expect struct {
	metric, entity string
	from, to       int
	d              direction
	over           over
}

// TestShippedDirections encodes how each alternative should move the
// headline ratios and the quantities behind them, against the baseline.
func TestShippedDirections(t *testing.T) {
	tests := map[string][]expect{
		// Uncertain inputs at their medians: the baseline, every year.
		"baseline-uncertain": {
			{"ai.ssr_units", "all", 2022, 2035, equal, each},
			{"ai.ssr_compute", "all", 2022, 2035, equal, each},
			{"ai.coverage", "all", 2022, 2035, equal, each},
			{"ic.ssr_value", "all", 2022, 2035, equal, each},
		},
		// China bans the H200 from 2026Q1; the H200 is on sale to 2029Q4.
		"h200-blocked": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each}, // history untouched
			{"product.imports_legal", "H200", 2026, 2029, zero, each},
			{"ai.ssr_units", "all", 2026, 2028, higher, each},
			{"ai.ssr_compute", "all", 2026, 2029, higher, each},
			{"ai.coverage", "all", 2026, 2027, lower, each},
			// Buyers turn to domestic chips; later years differ less than
			// the backlog's timing does, so count the running total.
			{"ai.units_domestic", "all", 2026, 2035, higher, toDate},
		},
		// Every tier banned by the US and by China from 2026Q2.
		"full-decoupling": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"ai.units_import", "all", 2027, 2035, zero, each}, // no legal imports once the bans bite, successors included
			{"ai.units_grey", "all", 2026, 2035, lower, each},  // smuggling remains, but tighter enforcement cuts it
			{"ai.ssr_units", "all", 2026, 2035, higher, each},
			{"ai.ssr_compute", "all", 2026, 2035, higher, each},
			{"ai.coverage", "all", 2026, 2035, lower, each},
			{"ai.units_domestic", "all", 2026, 2035, higher, each},
			{"ai.h100e_domestic", "all", 2026, 2035, higher, each},
		},
		// DUV servicing and spares cut from 2026Q1.
		"equipment-squeeze": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"foundry.yield", "smic_n2", 2026, 2035, lower, each},
			{"foundry.yield", "smic_n3", 2027, 2035, lower, each}, // the N+3 ramp starts 2025; the first N+3 product is built from 2027
			{"foundry.wafers", "smic_n2", 2026, 2035, lower, each},
			{"ai.h100e_domestic", "all", 2026, 2035, lower, each},
			{"ai.ssr_compute", "all", 2026, 2035, lower, each},
			{"ai.coverage", "all", 2026, 2035, lower, each},
			// Units: in 2027, when HBM still binds, buyers short of HBM parts
			// take more GDDR cards; from 2028 the squeeze cuts units too.
			{"ai.units_domestic", "all", 2028, 2035, lower, each},
			{"ai.units_import", "all", 2028, 2031, notLower, each}, // buyers turn to imports, within their caps
		},
		// Faster learning, lower defect floor, twice the N+3 capacity, from 2026.
		"smic-breakthrough": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"foundry.yield", "smic_n2", 2026, 2035, higher, each},
			{"foundry.yield", "smic_n3", 2027, 2035, higher, each},
			// Where the foundry binds, to date: once the baseline meets
			// demand too, a year can differ by the backlog each carries.
			{"ai.h100e_domestic", "all", 2026, 2035, higher, toDate},
			{"ai.ssr_compute", "all", 2026, 2031, higher, each},
			// In 2026-27 buyers trade imports for domestic chips; from
			// 2028 more of demand is served.
			{"ai.delivered_h100e", "all", 2028, 2035, higher, toDate},
			{"ai.h100e_domestic", "all", 2026, 2035, higher, total},
		},
		// SMIC N+2 and N+3 capacity 30% above the baseline from 2026 (ramp 8).
		"smic-expansion": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"foundry.ai_capacity_wafers", "smic_n2", 2026, 2035, higher, each},
			{"ai.h100e_domestic", "all", 2026, 2035, higher, toDate},
			{"ai.ssr_compute", "all", 2026, 2031, higher, each},
			{"ai.delivered_h100e", "all", 2026, 2035, higher, toDate},
			{"ai.h100e_domestic", "all", 2026, 2035, higher, total},
		},
		// Domestic HBM at 40% of the baseline ramp from 2026.
		"hbm-crunch": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"hbm.domestic_stacks", "all", 2026, 2035, lower, each},
			{"ai.h100e_domestic", "all", 2026, 2035, lower, each},
			{"ai.ssr_compute", "all", 2026, 2035, lower, each},
			{"ai.coverage", "all", 2026, 2035, lower, each},
			// Units: HBM-short buyers take GDDR cards in 2026-27; from 2028
			// domestic units fall too.
			{"ai.units_domestic", "all", 2028, 2035, lower, each},
		},
		// Big Fund III: more N+2/N+3 capacity, HBM and packaging.
		"big-fund-surge": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"ai.h100e_domestic", "all", 2026, 2034, higher, each},
			{"ai.ssr_units", "all", 2026, 2035, higher, each},
			{"ai.ssr_compute", "all", 2026, 2034, higher, each},
			{"ai.coverage", "all", 2026, 2035, higher, each},
			{"ai.units_import", "all", 2027, 2034, lower, each}, // domestic chips take buyers from imports
		},
		// H20/MI308 open from 2026Q1, the frontier tier licensed from 2026Q3,
		// China's quota on licensed parts dropped.
		"loose-controls": {
			{"ai.ssr_units", "all", 2022, 2025, equal, each},
			{"product.units", "H20", 2026, 2026, higher, each}, // the H20 ends 2026Q4
			{"product.imports_legal", "B200", 2026, 2027, higher, each},
			{"ai.ssr_compute", "all", 2026, 2035, lower, each},
			{"ai.h100e_domestic", "all", 2026, 2035, lower, each},
			{"ai.coverage", "all", 2026, 2035, higher, each},
			{"ai.units_import", "all", 2029, 2035, higher, each},
		},
	}
	if len(tests) != len(alternatives) {
		t.Errorf("directional expectations for %d scenarios, want all %d alternatives", len(tests), len(alternatives))
	}
	base := runShipped(t, "baseline")
	for _, name := range alternatives {
		t.Run(name, func(t *testing.T) {
			exps, ok := tests[name]
			if !ok {
				t.Fatalf("no directional expectations for %s", name)
			}
			x := runShipped(t, name)
			for _, e := range exps {
				a, b := x.annual(t, e.metric, e.entity), base.annual(t, e.metric, e.entity)
				var sa, sb float64
				for i, y := range x.years {
					if y < e.from || y > e.to {
						continue
					}
					sa += a[i]
					sb += b[i]
					switch {
					case e.over == each && !e.d.holds(a[i], b[i]):
						t.Errorf("%s %s[%s] %d = %.6g, want %s the baseline's %.6g", name, e.metric, e.entity, y, a[i], e.d, b[i])
					case e.over == toDate && !e.d.holds(sa, sb):
						t.Errorf("%s %s[%s] summed %d-%d = %.6g, want %s the baseline's %.6g", name, e.metric, e.entity, e.from, y, sa, e.d, sb)
					}
				}
				if e.over == total && !e.d.holds(sa, sb) {
					t.Errorf("%s %s[%s] summed %d-%d = %.6g, want %s the baseline's %.6g", name, e.metric, e.entity, e.from, e.to, sa, e.d, sb)
				}
			}
		})
	}
}

// TestShippedHeadline logs the headline ratios of every shipped scenario
// (go test -v -run TestShippedHeadline).
func TestShippedHeadline(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %-15s %7s %7s %7s\n", "scenario", "metric", "2025", "2030", "2035")
	for _, name := range ShippedNames() {
		x := runShipped(t, name)
		for _, m := range headline {
			fmt.Fprintf(&b, "%-18s %-15s", name, m)
			for _, y := range []int{2025, 2030, 2035} {
				fmt.Fprintf(&b, " %7.3f", x.at(t, m, "all", y))
			}
			b.WriteByte('\n')
		}
	}
	t.Log("\n" + b.String())
}
