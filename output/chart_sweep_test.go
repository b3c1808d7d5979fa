package output

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

var sweepOpts = ChartOptions{Date: "2026-01-01"}

func ratioOutcome(name string) SweepOutcome {
	return SweepOutcome{Name: name, Unit: "ratio", Doc: "ai.ssr_compute: domestic H100e delivered / all H100e delivered",
		Format: func(v float64) string { return fmt.Sprintf("%.4g", v) }}
}

// renders draws a chart as PNG at a small size and checks that it decodes
// and is not blank.
func renders(t *testing.T, c *Chart) {
	t.Helper()
	b, err := c.Bytes("png", DefaultWidth, DefaultHeight, 72)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	ink := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); min(r, g, b) < 0xf000 {
				ink++
			}
		}
	}
	if ink < bd.Dx()*bd.Dy()/100 {
		t.Errorf("%s: nearly blank", c.Name)
	}
	for _, f := range []string{"svg", "pdf"} {
		if _, err := c.Bytes(f, DefaultWidth, DefaultHeight, 72); err != nil {
			t.Errorf("%s.%s: %v", c.Name, f, err)
		}
	}
}

func TestTornadoBarsSortedBySwingWithLabelsAndLegend(t *testing.T) {
	d := TornadoData{
		Scenario: "unc", Version: "test", Outcome: ratioOutcome("ai.ssr_compute@2030"), Base: 0.6,
		LowLabel: "p5", HighLabel: "p95",
		Bars: []TornadoBar{
			{Input: "small", Low: "1", High: "2", AtLow: 0.59, AtHigh: 0.61},
			{Input: "none", Low: "licensed", High: "banned", AtLow: 0.6, AtHigh: 0.6},
			{Input: "big", Low: "0.7", High: "0.9", AtLow: 0.4, AtHigh: 0.7},
			{Input: "same-side", Low: "2026Q3", High: "2028Q4", AtLow: 0.55, AtHigh: 0.5},
		},
	}
	c, tb, err := newTornado(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "tornado-ai-ssr_compute-2030" {
		t.Errorf("name %q", c.Name)
	}
	var order []string
	for _, r := range tb.rows {
		order = append(order, r.Input)
	}
	if want := []string{"big", "same-side", "small"}; !slices.Equal(order, want) {
		t.Errorf("bars in order %v, want %v (widest swing first, none without a bar)", order, want)
	}
	// The y axis names the inputs, widest on top.
	p := c.Plots[0]
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(ticks) != 3 {
		t.Fatalf("%d y ticks, want one per bar", len(ticks))
	}
	for _, tk := range ticks {
		if want := order[len(order)-1-int(tk.Value)]; tk.Label != want {
			t.Errorf("row at y=%v labelled %q, want %q", tk.Value, tk.Label, want)
		}
	}
	legend := c.LegendLabels()
	if len(legend) != 3 || !strings.Contains(legend[0], "p5") || !strings.Contains(legend[1], "p95") || !strings.Contains(legend[2], "median, 60.0%") {
		t.Errorf("legend %q", legend)
	}
	if p.X.Label.Text != "domestic share of AI compute in 2030 (%)" {
		t.Errorf("x label %q, want the outcome's readable name", p.X.Label.Text)
	}
	if c.Title != "Domestic share of AI compute in 2030: swing from each input, unc" || c.Subtitle != "ai.ssr_compute@2030" {
		t.Errorf("title %q, subtitle %q: want the readable name over the expression", c.Title, c.Subtitle)
	}
	if !(p.X.Min <= 0.4 && p.X.Max >= 0.7) {
		t.Errorf("x axis %v..%v does not hold every bar", p.X.Min, p.X.Max)
	}
	// Every bar end is labelled with the input's value.
	for _, b := range tb.rows {
		lo, hi := tb.ends(b)
		if lo.label != b.Low || hi.label != b.High {
			t.Errorf("%s: labels %q, %q", b.Input, lo.label, hi.label)
		}
	}
	notes := strings.Join(c.Notes, " ")
	if !strings.Contains(notes, "No effect: none.") || !strings.Contains(notes, "domestic H100e delivered") {
		t.Errorf("notes %q lack the inputs without effect or the definition", c.Notes)
	}
	if c.Source != "Source: chipsim test, scenario unc, run 2026-01-01" {
		t.Errorf("source %q", c.Source)
	}
	renders(t, c)
}

func TestTornadoKeepsTheWidestBarsAndDrawsNever(t *testing.T) {
	d := TornadoData{Scenario: "unc", Outcome: SweepOutcome{Name: "first(ai.ssr_units >= 0.8)", Unit: "year",
		Format: func(v float64) string {
			if math.IsInf(v, 1) {
				return "never"
			}
			return fmt.Sprintf("%.2f", v)
		}}, Base: 2028, LowLabel: "min", HighLabel: "max"}
	for i := range MaxTornadoBars + 3 {
		d.Bars = append(d.Bars, TornadoBar{Input: fmt.Sprintf("in%02d", i), Low: "a", High: "b", AtLow: 2028 - float64(i)/10, AtHigh: 2028 + float64(i)/10})
	}
	d.Bars = append(d.Bars, TornadoBar{Input: "never", Low: "x", High: "y", AtLow: 2027, AtHigh: math.Inf(1)})
	c, tb, err := newTornado(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.rows) != MaxTornadoBars {
		t.Fatalf("%d bars, want %d", len(tb.rows), MaxTornadoBars)
	}
	if tb.rows[0].Input != "never" || tb.rows[1].Input != "in16" {
		t.Errorf("first bars %s, %s: want never (an infinite swing), then in16", tb.rows[0].Input, tb.rows[1].Input)
	}
	if x, never := tb.barEnd(math.Inf(1)); !never || x != tb.hi || !(tb.hi > 2029.6) {
		t.Errorf("never ends at %v (never %v), x range up to %v", x, never, tb.hi)
	}
	if _, hi := tb.ends(tb.rows[0]); hi.label != "y → never" {
		t.Errorf("never label %q", hi.label)
	}
	notes := strings.Join(c.Notes, " ")
	if !strings.Contains(notes, "3 more inputs with smaller swings") || !strings.Contains(notes, "No effect: in00.") || !strings.Contains(notes, "Never: the threshold is not crossed") {
		t.Errorf("notes %q", notes)
	}
	renders(t, c)
	if _, err := Tornado(TornadoData{Outcome: d.Outcome, Base: math.Inf(1), Bars: d.Bars}, sweepOpts); err == nil {
		t.Error("a base of never: no error")
	}
	if _, err := Tornado(TornadoData{Outcome: d.Outcome, Base: 2028}, sweepOpts); err == nil {
		t.Error("no bars: no error")
	}
	flat := []TornadoBar{{Input: "a", AtLow: 2028, AtHigh: 2028}, {Input: "b", AtLow: 2028, AtHigh: 2028}}
	if _, err := Tornado(TornadoData{Outcome: d.Outcome, Base: 2028, Bars: flat}, sweepOpts); err == nil || !strings.Contains(err.Error(), "no input moves") {
		t.Errorf("no input with an effect: error %v", err)
	}
}

func TestSweepLinePointsAxisAndScenarioMark(t *testing.T) {
	axis := SweepAxis{Name: "packaging.yield", Unit: "share 0..1", Levels: []float64{0.5, 0.6, 0.7, 0.8, 0.9, 1}, Scenario: 0.9}
	d := SweepLineData{Scenario: "baseline", Version: "test", Axis: axis,
		Outcome: SweepOutcome{Name: "ai.units_domestic@2026", Unit: "units", Doc: "ai.units_domestic: domestic units delivered"},
		Y:       []float64{1.1e6, 1.4e6, 1.8e6, 2.2e6, 2.5e6, 2.6e6}}
	c, sp, err := newSweepLine(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "sweep-packaging-yield-ai-units_domestic-2026" {
		t.Errorf("name %q", c.Name)
	}
	if len(sp.xs) != 6 || !sp.labels {
		t.Errorf("%d points, labels %v", len(sp.xs), sp.labels)
	}
	if got := sp.scale.format(2.5e6); got != "2.50M" {
		t.Errorf("point label %q", got)
	}
	p := c.Plots[0]
	if p.Y.Min != 0 || p.Y.Max < 2.6e6 {
		t.Errorf("y axis %v..%v: want it from 0 past the top value", p.Y.Min, p.Y.Max)
	}
	if p.Y.Label.Text != "domestic AI accelerators delivered in 2026 (million units)" || p.X.Label.Text != "packaging.yield (share 0..1)" {
		t.Errorf("labels %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	var xl []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		xl = append(xl, tk.Label)
	}
	if want := []string{"0.5", "0.6", "0.7", "0.8", "0.9", "1"}; !slices.Equal(xl, want) {
		t.Errorf("x ticks %q, want the levels %q", xl, want)
	}
	if want := []string{"domestic AI accelerators delivered in 2026", "the scenario's packaging.yield: 0.9"}; !slices.Equal(c.LegendLabels(), want) {
		t.Errorf("legend %q, want %q", c.LegendLabels(), want)
	}
	renders(t, c)

	// A ratio is drawn in percent on an axis that stops at 100%; never
	// points leave no gap in the x axis.
	d.Outcome = ratioOutcome("ai.ssr_units@2030")
	d.Y = []float64{0.5, 0.6, 0.7, 0.8, 0.95, 0.97}
	c, _, err = newSweepLine(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Plots[0]; p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("ratio axis %v..%v, want 0..1", p.Y.Min, p.Y.Max)
	}
	renders(t, c)
	d.Outcome = SweepOutcome{Name: "first(ai.ssr_units >= 0.9)", Unit: "year", Format: func(v float64) string { return fmt.Sprint(v) }}
	d.Y = []float64{math.Inf(1), math.Inf(1), 2031, 2029.5, 2028, 2027.25}
	c, _, err = newSweepLine(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Plots[0]; p.Y.Min > 2027.25 || p.Y.Max < 2031 {
		t.Errorf("year axis %v..%v", p.Y.Min, p.Y.Max)
	}
	if l := c.LegendLabels(); l[len(l)-1] != "never: not crossed in the run" {
		t.Errorf("legend %q does not explain never", l)
	}
	renders(t, c)
	d.Y = []float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)}
	if _, err := SweepLine(d, sweepOpts); err == nil {
		t.Error("never everywhere: no error")
	}
}

func TestHeatmapClassesLegendAndValues(t *testing.T) {
	x := SweepAxis{Name: "packaging.yield", Levels: []float64{0.7, 0.75, 0.8, 0.85, 0.9, 0.95}}
	y := SweepAxis{Name: "demand.growth", Unit: "1/year", Levels: []float64{0.3, 0.4, 0.5, 0.6}}
	z := make([]float64, 24)
	for i := range 6 {
		for j := range 4 {
			z[i*4+j] = 0.8 + 0.02*float64(i) - 0.01*float64(j)
		}
	}
	d := HeatmapData{Scenario: "unc", Version: "test", X: x, Y: y, Outcome: ratioOutcome("ai.ssr_compute@2030"), Z: z}
	c, h, err := newHeatmap(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "heatmap-packaging-yield-demand-growth-ai-ssr_compute-2030" {
		t.Errorf("name %q", c.Name)
	}
	if h.nx != 6 || h.ny != 4 {
		t.Errorf("%d×%d cells", h.nx, h.ny)
	}
	// The classes cover the values, each class a legend entry, colours
	// lighter class by class.
	if h.bounds[0] > 0.77 || h.bounds[len(h.bounds)-1] < 0.9 {
		t.Errorf("classes %v do not cover 0.77..0.9", h.bounds)
	}
	if n := len(h.colors); n < 3 || n > 8 || len(c.Legend) != n {
		t.Errorf("%d classes, %d legend entries", n, len(c.Legend))
	}
	for k := 1; k < len(h.colors); k++ {
		if !(sweepLuminance(h.colors[k]) > sweepLuminance(h.colors[k-1])) {
			t.Errorf("class %d is not lighter than class %d", k, k-1)
		}
	}
	if got := c.LegendLabels()[0]; got != "77–78%" && got != "76–78%" && got != "75–78%" {
		t.Errorf("first class %q", got)
	}
	for _, v := range z {
		k := h.class(v)
		if k < 0 || v < h.bounds[k]-1e-9 || v > h.bounds[k+1]+1e-9 {
			t.Errorf("%v in class %d %v", v, k, h.bounds)
		}
	}
	if h.label(0.8123) != "81.2" {
		t.Errorf("cell label %q", h.label(0.8123))
	}
	// Axes label the levels.
	p := c.Plots[0]
	var xl []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		xl = append(xl, tk.Label)
	}
	if want := []string{"0.7", "0.75", "0.8", "0.85", "0.9", "0.95"}; !slices.Equal(xl, want) {
		t.Errorf("x ticks %q", xl)
	}
	if p.Y.Label.Text != "demand.growth (1/year)" {
		t.Errorf("y label %q", p.Y.Label.Text)
	}
	renders(t, c)
	if !h.values || h.fontPts < 6 {
		t.Errorf("cell values not printed at a readable size (%v pt)", h.fontPts)
	}
	// Too many cells to print values in: the colours remain.
	big := HeatmapData{X: SweepAxis{Name: "a"}, Y: SweepAxis{Name: "b"}, Outcome: d.Outcome}
	for i := range 60 {
		big.X.Levels = append(big.X.Levels, float64(i))
		big.Y.Levels = append(big.Y.Levels, float64(i))
	}
	for i := range 3600 {
		big.Z = append(big.Z, float64(i)/3600)
	}
	cb, hb, err := newHeatmap(big, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cb.Bytes("png", 8*vg.Centimeter, 6*vg.Centimeter, MinDPI); err != nil {
		t.Fatal(err)
	}
	if hb.values {
		t.Error("values printed in cells too small to read")
	}
}

func TestHeatmapOfYearsWithNever(t *testing.T) {
	x := SweepAxis{Name: "a", Levels: []float64{1, 2, 3}}
	y := SweepAxis{Name: "squeeze.at", Unit: "period", Levels: []float64{18, 20},
		Format: func(v float64) string { return map[float64]string{18: "2026Q3", 20: "2027Q1"}[v] }}
	d := HeatmapData{Scenario: "unc", X: x, Y: y,
		Outcome: SweepOutcome{Name: "first(ai.ssr_units >= 0.8)", Unit: "year", Format: func(v float64) string {
			if math.IsInf(v, 1) {
				return "never"
			}
			return fmt.Sprintf("%.0f", v)
		}},
		Z: []float64{2026, 2027.5, 2030, math.Inf(1), 2026, 2028.25}}
	c, h, err := newHeatmap(d, sweepOpts)
	if err != nil {
		t.Fatal(err)
	}
	labels := c.LegendLabels()
	if want := []string{"2026", "2027", "2028", "2029", "2030", "never"}; !slices.Equal(labels, want) {
		t.Errorf("legend %q, want %q", labels, want)
	}
	if h.class(2030) != 4 || h.class(math.Inf(1)) != -1 {
		t.Errorf("2030 in class %d, never in %d", h.class(2030), h.class(math.Inf(1)))
	}
	if h.label(math.Inf(1)) != "never" {
		t.Errorf("never cell %q", h.label(math.Inf(1)))
	}
	p := c.Plots[0]
	if p.Y.Label.Text != "squeeze.at" {
		t.Errorf("y label %q: a period axis takes no unit", p.Y.Label.Text)
	}
	var yl []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		yl = append(yl, tk.Label)
	}
	if !slices.Equal(yl, []string{"2026Q3", "2027Q1"}) {
		t.Errorf("y ticks %q", yl)
	}
	renders(t, c)
}

func TestOutcomeSlug(t *testing.T) {
	for in, want := range map[string]string{
		"ai.ssr_compute@2030":                    "ai-ssr_compute-2030",
		"first(ai.ssr_units >= 0.5)":             "first-ai-ssr_units-ge-0.5",
		"first(ai.ssr_units@year < 0.25)":        "first-ai-ssr_units-year-lt-0.25",
		"sum(product.units[H200], 2025..2030)":   "sum-product-units-h200-2025-to-2030",
		"mean(ai.ssr_units, 2026Q1..2027Q4)":     "mean-ai-ssr_units-2026q1-to-2027q4",
		"squeeze.foundry.smic_n2.capacity_wpm":   "squeeze-foundry-smic_n2-capacity_wpm",
		"first(ai.unmet_h100e <= 0 from 2027Q3)": "first-ai-unmet_h100e-le-0-from-2027q3",
	} {
		if got := OutcomeSlug(in); got != want {
			t.Errorf("OutcomeSlug(%q) = %q, want %q", in, got, want)
		}
	}
}
