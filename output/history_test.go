package output_test

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios/check"
	"gonum.org/v1/plot/vg"
)

var (
	historyOnce sync.Once
	history     []output.Observation
	historyErr  error
)

// shippedHistory is chipsim check's history, as chipsim draws it.
func shippedHistory(t *testing.T) []output.Observation {
	t.Helper()
	historyOnce.Do(func() {
		f, err := check.Shipped()
		if err != nil {
			historyErr = err
			return
		}
		for _, o := range f.History {
			if o.Scenario == "baseline" {
				history = append(history, output.Observation{Metric: o.Metric, Entity: o.Entity, Period: o.Period, Value: o.Value, Lo: o.Lo, Hi: o.Hi, Source: o.Source})
			}
		}
	})
	if historyErr != nil {
		t.Fatal(historyErr)
	}
	return history
}

func TestShortCite(t *testing.T) {
	for in, want := range map[string]string{
		`IDC via Asia Times, "China to meet AI market demand with local chips", 2023-12 (1.34M in 2023, up 22.5%)`: "IDC via Asia Times, 2023-12",
		`IDC via Reuters, 2026-04-01`: "IDC via Reuters, 2026-04-01",
		`IDC via Wallstreetcn (~14%); IDC 1H2023 tracker via AIbase (~10% in the first half)`:            "IDC via Wallstreetcn",
		`Financial Times, "Huawei improves yields of Ascend 910C", 2025-02-25 (~200k 910B made in 2024)`: "Financial Times, 2025-02-25",
		`docs/MODEL.md (chipsim's brief, "Whole-sector self-sufficiency": local (nested) share)`:         "docs/MODEL.md",
		`SemiAnalysis, “Huawei Ascend Production Ramp”, 2025-09-08`:                                      "SemiAnalysis, 2025-09-08",
	} {
		if got := output.ShortCite(in); got != want {
			t.Errorf("ShortCite(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestModelValue(t *testing.T) {
	f := frameFor(t, "baseline")
	annual, _ := f.Annual("ai.units_delivered", "all")
	years := f.Years()
	v, ok := output.ModelValue(f, output.Observation{Metric: "ai.units_delivered", Entity: "all", Period: "2024"})
	if !ok || v != annual[slices.Index(years, 2024)] {
		t.Errorf("ModelValue(ai.units_delivered, 2024) = %v, %v; want the annual total %v", v, ok, annual[slices.Index(years, 2024)])
	}
	q, _ := f.Series("product.units", "H20")
	v, ok = output.ModelValue(f, output.Observation{Metric: "product.units", Entity: "H20", Period: "2025Q1"})
	if !ok || v != q[slices.Index(f.Labels, "2025Q1")] {
		t.Errorf("ModelValue(product.units[H20], 2025Q1) = %v, %v; want the period's %v", v, ok, q[slices.Index(f.Labels, "2025Q1")])
	}
	for _, o := range []output.Observation{
		{Metric: "ai.units_delivered", Entity: "all", Period: "2019"},  // before the run
		{Metric: "ai.units_delivered", Entity: "nope", Period: "2024"}, // no such entity
		{Metric: "ai.ssr_units", Entity: "all", Period: "2025Q1"},      // a ratio by period: the checks use years
		{Metric: "no.such_metric", Entity: "all", Period: "2024"},      // no such metric
		{Metric: "product.units", Entity: "H20", Period: "2025-13"},    // no such period
	} {
		if v, ok := output.ModelValue(f, o); ok {
			t.Errorf("ModelValue(%+v) = %v, want none", o, v)
		}
	}
}

// TestSelfSufficiencyHistory: observations of the ratios the chart draws
// appear as marks, one legend entry and notes naming each source; others
// (another metric, a year outside the run) do not.
func TestSelfSufficiencyHistory(t *testing.T) {
	f := frameFor(t, "baseline")
	plain, err := output.SelfSufficiency(f, chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	obs := []output.Observation{
		{Metric: "ai.ssr_units", Entity: "all", Period: "2023", Value: 0.14, Lo: 0.09, Hi: 0.19, Source: `IDC via Wallstreetcn (~14%); IDC tracker via AIbase`},
		{Metric: "ai.ssr_units", Entity: "all", Period: "2025", Value: 0.41, Lo: 0.37, Hi: 0.45, Source: "IDC via Reuters, 2026-04-01"},
		{Metric: "ic.ssr_value", Entity: "all", Period: "2024", Value: 0.24, Lo: 0.22, Hi: 0.26, Source: "IDC via Reuters, 2026-04-01"},
		{Metric: "ai.units_delivered", Entity: "all", Period: "2024", Value: 2.6e6, Lo: 2.3e6, Hi: 2.9e6, Source: "elsewhere"},
		{Metric: "ai.ssr_units", Entity: "all", Period: "2019", Value: 0.1, Lo: 0.05, Hi: 0.15, Source: "before the run"},
	}
	o := chartOpts
	o.History = obs
	c, err := output.SelfSufficiency(f, o)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.LegendLabels(), append(plain.LegendLabels(), "history: observed, with the range the checks accept"); !slices.Equal(got, want) {
		t.Errorf("legend %q, want %q", got, want)
	}
	extra := c.Notes[len(plain.Notes):]
	want := []string{
		"History, accelerator units 2023: IDC via Wallstreetcn",
		"History, accelerator units 2025; all chips by value 2024: IDC via Reuters, 2026-04-01",
	}
	if !slices.Equal(extra, want) {
		t.Errorf("history notes %q, want %q", extra, want)
	}
	// Three observations in range, each a bar, two caps and a diamond.
	paths := func(c *output.Chart) int {
		b, err := c.Bytes("svg", output.DefaultWidth, output.DefaultHeight, testDPI)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(b), "<path")
	}
	if d := paths(c) - paths(plain); d < 3*4 {
		t.Errorf("the chart with history has %d more paths than without; want at least 12 (3 observations)", d)
	}
	if _, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, testDPI); err != nil {
		t.Fatal(err)
	}
}

// TestSupplyHistory: with history, the supply chart gains a lower panel of
// cards by year, zoomed on the observations, sharing the x axis.
func TestSupplyHistory(t *testing.T) {
	f := frameFor(t, "baseline")
	plain, err := output.Supply(f, chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Plots) != 1 {
		t.Fatalf("without history: %d panels, want 1", len(plain.Plots))
	}
	o := chartOpts
	o.History = shippedHistory(t)
	c, err := output.Supply(f, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Plots) != 2 || len(c.Heights) != 2 || c.Heights[0] <= c.Heights[1] {
		t.Fatalf("with history: %d panels, heights %v; want 2, the upper larger", len(c.Plots), c.Heights)
	}
	top, low := c.Plots[0], c.Plots[1]
	if top.X.Min != low.X.Min || top.X.Max != low.X.Max {
		t.Errorf("panels' x axes %v..%v and %v..%v differ", top.X.Min, top.X.Max, low.X.Min, low.X.Max)
	}
	var hi float64
	for _, ob := range o.History {
		if ob.Metric == "ai.units_delivered" || ob.Metric == "ai.units_domestic" {
			hi = math.Max(hi, ob.Hi/1e6)
		}
	}
	if low.Y.Max < hi*1.25 || low.Y.Max > hi*2.5 {
		t.Errorf("lower panel tops at %v million; want it zoomed on history (highest bound %v million)", low.Y.Max, hi)
	}
	for _, l := range []string{"cards delivered, all origins", "cards delivered, domestic", "history: observed, with the range the checks accept"} {
		if !slices.Contains(c.LegendLabels(), l) {
			t.Errorf("legend %q lacks %q", c.LegendLabels(), l)
		}
	}
	n := 0
	for _, note := range c.Notes {
		if strings.HasPrefix(note, "History, ") {
			n++
			if !strings.Contains(note, "IDC") {
				t.Errorf("note %q names no source", note)
			}
		}
	}
	if n == 0 {
		t.Errorf("notes %q name no history source", c.Notes)
	}
	// At a small size the lower panel, its legend and the notes give way
	// to the main plot, and the chart says so; at the default size not.
	for _, tc := range []struct {
		w, h  float64
		small bool
	}{{16, 9, false}, {30, 20, false}, {10, 7, true}, {8, 6, true}} {
		b, err := c.Bytes("svg", vg.Length(tc.w)*vg.Centimeter, vg.Length(tc.h)*vg.Centimeter, testDPI)
		if err != nil {
			t.Fatalf("%v x %v cm: %v", tc.w, tc.h, err)
		}
		svg := string(b)
		if got := strings.Contains(svg, "Left out at this size: the lower panel"); got != tc.small {
			t.Errorf("%v x %v cm: says the lower panel is left out: %v, want %v", tc.w, tc.h, got, tc.small)
		}
		if got := strings.Contains(svg, "cards delivered, domestic"); got == tc.small {
			t.Errorf("%v x %v cm: legend of the lower panel shown: %v, want %v", tc.w, tc.h, got, !tc.small)
		}
	}
	// The chart draws again at the default size after a small one.
	if b, err := c.Bytes("svg", output.DefaultWidth, output.DefaultHeight, testDPI); err != nil || !strings.Contains(string(b), "million cards") {
		t.Errorf("default size after a small one: %v; lower panel drawn: %v", err, strings.Contains(string(b), "million cards"))
	}
}

// TestReportHistory: the report tabulates each fact against the model,
// marks misses, and counts those within range.
func TestReportHistory(t *testing.T) {
	in, _ := reportInput(t, "baseline")
	in.Charts = nil
	obs := []output.Observation{
		{Metric: "ai.units_delivered", Entity: "all", Period: "2024", Value: 2.6e6, Lo: 1, Hi: 1e12, Source: "wide, <b>escaped</b>"},
		{Metric: "ai.units_delivered", Entity: "all", Period: "2025", Value: 1, Lo: 0, Hi: 2, Source: "impossible"},
		{Metric: "ai.ssr_units", Entity: "all", Period: "2019", Value: 0.1, Lo: 0, Hi: 1, Source: "before the run"},
		{Metric: "foundry.yield", Entity: "smic_n2", Period: "2024Q4", Value: 0.2, Lo: 0.13, Hi: 0.27, Source: "a share"},
	}
	o := reportOpts
	o.History = obs
	_, page, md := writeReport(t, []output.ReportInput{in}, nil, o)
	for _, want := range []string{
		`id="s-baseline-history"`,
		"of 3 within it in this scenario",
		"<td>2024Q4</td><td class=\"n\">20.0% (13.0%–27.0%)</td>",
		`<tr class="miss"><td><code>ai.units_delivered</code></td><td></td><td>2025</td>`,
		"wide, &lt;b&gt;escaped&lt;/b&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, "before the run") {
		t.Error("report.html lists a fact from a year the run does not cover")
	}
	for _, want := range []string{"### Model against history", "| `ai.units_delivered` |  | 2025 | " + output.Human(1) + " (" + output.Human(0) + "–" + output.Human(2) + ") |", "| **no** | impossible |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	_, page, _ = writeReport(t, []output.ReportInput{in}, nil, reportOpts)
	if strings.Contains(page, "-history") {
		t.Error("report.html has a history section without history")
	}
}
