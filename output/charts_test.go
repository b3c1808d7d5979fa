package output_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

var regen = flag.Bool("regen", false, "rewrite the golden chart images in testdata/charts")

var (
	framesMu sync.Mutex
	frames   = map[string]*output.Frame{}
	results  = map[string]*sim.Result{}
)

// frameFor runs a shipped scenario once per test binary and returns its
// frame, with catalogue and events as chipsim run gives them.
func frameFor(t testing.TB, name string) *output.Frame {
	t.Helper()
	f, _ := runFor(t, name)
	return f
}

func runFor(t testing.TB, name string) (*output.Frame, *sim.Result) {
	t.Helper()
	framesMu.Lock()
	defer framesMu.Unlock()
	if f, ok := frames[name]; ok {
		return f, results[name]
	}
	s, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	run := &output.Run{Scenario: s.Name, Result: r}
	for _, p := range s.Spec.Products {
		run.Products = append(run.Products, output.Product{ID: p.ID, Vendor: p.Vendor, Origin: p.Origin})
	}
	for _, e := range s.Events {
		run.Events = append(run.Events, output.Event{Period: s.Spec.Calendar.Step.Label(e.At), Name: e.Name})
	}
	f := output.FrameOf(run, "test")
	frames[name], results[name] = f, r
	return f, r
}

var chartOpts = output.ChartOptions{Date: "2026-01-01"}

// Small renders keep the tests quick (and quicker under -race); the
// layout is the same at any dpi. Golden images use testDPI, the drawing
// smoke tests drawDPI.
const (
	testDPI = 72
	drawDPI = 50
)

func TestEveryChartOfEveryScenarioDraws(t *testing.T) {
	for _, name := range scenarios.ShippedNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := frameFor(t, name)
			charts, err := output.ScenarioCharts(f, chartOpts)
			if err != nil {
				t.Fatal(err)
			}
			names := output.ChartNames(f)
			if len(charts) != len(names) {
				t.Fatalf("%d charts, ChartNames lists %d", len(charts), len(names))
			}
			want := []string{"self-sufficiency", "supply", "production", "foundry"}
			for _, p := range f.Entities("product.output") {
				want = append(want, "limits-"+p)
			}
			if !slices.Equal(names, want) {
				t.Errorf("ChartNames = %v, want %v", names, want)
			}
			formats := []string{"png"}
			if name == "baseline" {
				formats = output.Formats
			}
			for i, c := range charts {
				if c.Name != names[i] {
					t.Errorf("chart %d is %q, want %q", i, c.Name, names[i])
				}
				if !strings.HasSuffix(c.Title, ": "+name) {
					t.Errorf("%s: title %q does not name the scenario", c.Name, c.Title)
				}
				if len(c.Plots) == 0 || len(c.Legend) == 0 {
					t.Errorf("%s: %d plots, %d legend entries", c.Name, len(c.Plots), len(c.Legend))
				}
				if want := "Source: chipsim test, scenario " + name + ", run 2026-01-01"; c.Source != want {
					t.Errorf("%s: source %q, want %q", c.Name, c.Source, want)
				}
				for _, format := range formats {
					b, err := c.Bytes(format, output.DefaultWidth, output.DefaultHeight, drawDPI)
					if err != nil {
						t.Fatalf("%s.%s: %v", c.Name, format, err)
					}
					checkFormat(t, c.Name, format, b)
				}
			}
		})
	}
}

// checkFormat checks that b starts like a file of the format, and that a
// PNG decodes to an image of the requested size that is not blank.
func checkFormat(t *testing.T, name, format string, b []byte) {
	t.Helper()
	switch format {
	case "svg":
		if !bytes.Contains(b[:min(len(b), 200)], []byte("<svg")) {
			t.Errorf("%s.svg does not start like SVG", name)
		}
	case "pdf":
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s.pdf does not start like PDF", name)
		}
	case "png":
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		w, h := pixels(output.DefaultWidth), pixels(output.DefaultHeight)
		if sz := img.Bounds().Size(); sz.X != w || sz.Y != h {
			t.Errorf("%s.png is %v, want %dx%d", name, sz, w, h)
		}
		if dark := inkShare(img); dark < 0.01 {
			t.Errorf("%s.png is nearly blank: %.2f%% ink", name, 100*dark)
		}
	}
}

func pixels(l vg.Length) int { return int(float64(l/vg.Inch)*drawDPI + 0.5) }

// inkShare is the share of pixels that are not near white.
func inkShare(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if min(r, g, bl) < 0xf000 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

func TestChartsOfAMonthlyRun(t *testing.T) {
	s, err := scenarios.Parse("monthly.yaml", []byte("name: monthly\nextends: baseline\ntime: {step: month, start: 2022-01, end: 2035-12}\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	f := output.FrameOf(&output.Run{Scenario: s.Name, Result: r}, "test")
	charts, err := output.ScenarioCharts(f, chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts[:5] {
		if _, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, drawDPI); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
	p := charts[2].Plots[0] // production
	if want := 2035 + 11.0/12 + 1.0/12; math.Abs(p.X.Max-want) > 1e-9 || p.X.Min != 2022 {
		t.Errorf("production x axis %v..%v, want 2022..%v", p.X.Min, p.X.Max, want)
	}
	if !strings.HasPrefix(charts[2].Notes[0], "Each month: ") {
		t.Errorf("production note %q does not name the month", charts[2].Notes[0])
	}
}

func TestChartsFromCSVAlone(t *testing.T) {
	// A CSV read back without its JSON summary has no catalogue and no
	// events: every chart must still draw.
	_, r := runFor(t, "equipment-squeeze")
	var buf bytes.Buffer
	if err := output.WriteCSV(&buf, "equipment-squeeze", r, true); err != nil {
		t.Fatal(err)
	}
	fs, err := output.ReadCSV("x.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	charts, err := output.ScenarioCharts(fs[0], chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		if _, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, drawDPI); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
	sup, _ := output.Supply(fs[0], chartOpts)
	if got, want := sup.LegendLabels(), []string{"domestic", "legal imports", "grey channels", "unmet demand", "demand (compute wanted)"}; !slices.Equal(got, want) {
		t.Errorf("supply legend without catalogue = %q, want %q", got, want)
	}
}

// distinctEventPeriods counts the periods with events inside the frame.
func distinctEventPeriods(f *output.Frame) int {
	seen := map[string]bool{}
	for _, e := range f.Events {
		if slices.Contains(f.Labels, e.Period) {
			seen[e.Period] = true
		}
	}
	return len(seen)
}

var markerLine = regexp.MustCompile(`<path d="M([0-9.]+),[0-9.]+L([0-9.]+),[0-9.]+" style="fill:none;stroke:#808080;stroke-width:0.5;stroke-dasharray:1,1.5"`)

func TestSelfSufficiencyChart(t *testing.T) {
	for _, name := range []string{"baseline", "full-decoupling", "equipment-squeeze"} {
		t.Run(name, func(t *testing.T) {
			f := frameFor(t, name)
			c, err := output.SelfSufficiency(f, chartOpts)
			if err != nil {
				t.Fatal(err)
			}
			if want := "China's self-sufficiency: " + name; c.Title != want || c.Plots[0].Title.Text != want {
				t.Errorf("title %q (plot %q), want %q", c.Title, c.Plots[0].Title.Text, want)
			}
			wantLegend := []string{"AI accelerators, units delivered", "AI accelerators, compute delivered (H100e)", "AI compute installed", "all chips, value (Chinese-owned firms)"}
			if got := c.LegendLabels(); !slices.Equal(got, wantLegend) {
				t.Errorf("legend %q, want %q", got, wantLegend)
			}
			p := c.Plots[0]
			if p.Y.Min != 0 || p.Y.Max != 1 {
				t.Errorf("y axis %v..%v, want 0..1", p.Y.Min, p.Y.Max)
			}
			if p.X.Min != f.Times[0] || p.X.Max != f.Times[len(f.Times)-1]+float64(f.Step)/12 {
				t.Errorf("x axis %v..%v, want the whole run", p.X.Min, p.X.Max)
			}
			// One marker per period with events, each numbered in the key.
			n := distinctEventPeriods(f)
			if n == 0 {
				t.Fatal("scenario has no events")
			}
			if len(c.Notes) != n {
				t.Errorf("%d event key notes, want %d (distinct event periods)", len(c.Notes), n)
			}
			for i, note := range c.Notes {
				if !strings.HasPrefix(note, strconv.Itoa(i+1)+"  20") {
					t.Errorf("key note %d = %q, want it numbered %d and dated", i, note, i+1)
				}
			}
			if !strings.Contains(c.Notes[0], f.Events[0].Period+" "+f.Events[0].Name[:min(20, len(f.Events[0].Name))]) {
				t.Errorf("first key note %q does not describe the first event %q", c.Notes[0], f.Events[0].Name)
			}
			svg, err := c.Bytes("svg", output.DefaultWidth, output.DefaultHeight, testDPI)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(markerLine.FindAll(svg, -1)); got != n {
				t.Errorf("%d event marker lines drawn, want %d", got, n)
			}
		})
	}
}

func TestSupplyChart(t *testing.T) {
	f := frameFor(t, "baseline")
	c, err := output.Supply(f, chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "AI compute delivered in China by source: baseline" {
		t.Errorf("title %q", c.Title)
	}
	p := c.Plots[0]
	if p.Y.Min != 0 {
		t.Errorf("y axis starts at %v, want 0", p.Y.Min)
	}
	labels := c.LegendLabels()
	if n := len(labels); n < 4 || labels[n-2] != "unmet demand" || labels[n-1] != "demand (compute wanted)" {
		t.Fatalf("legend %q should end with unmet demand and demand", labels)
	}
	// Domestic vendors first, then legal imports, then grey.
	if labels[0] != "Huawei" || !strings.HasSuffix(labels[len(labels)-4], "(legal imports)") || labels[len(labels)-3] != "grey (smuggled, affiliates)" {
		t.Errorf("legend order %q: want domestic, legal imports, grey", labels)
	}
	if !slices.Contains(labels, "other domestic") {
		t.Errorf("legend %q lacks the multi-vendor domestic group", labels)
	}
	// The largest yearly demand, in millions, fits in the frame.
	demand, _ := f.Annual("ai.demand_h100e", "all")
	if top := slices.Max(demand) / 1e6; p.Y.Max < top*(1-1e-9) {
		t.Errorf("y axis top %v is below the largest yearly demand %v", p.Y.Max, top)
	}
}

func TestProductionChart(t *testing.T) {
	for _, name := range []string{"baseline", "equipment-squeeze"} {
		f := frameFor(t, name)
		c, err := output.Production(f, chartOpts)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "production" || c.Title != "What limits domestic output: "+name {
			t.Errorf("name %q, title %q", c.Name, c.Title)
		}
		want := []string{"demand (the vendor's orders; supply would allow more)", "announced plan cap", "good dies (foundry)", "HBM stacks", "advanced packaging"}
		if got := c.LegendLabels(); !slices.Equal(got, want) {
			t.Errorf("legend %q, want %q", got, want)
		}
		p := c.Plots[0]
		products := f.Entities("product.binding")
		if p.Y.Min != -0.5 || p.Y.Max != float64(len(products))-0.5 {
			t.Errorf("y axis %v..%v, want one row per product (%d)", p.Y.Min, p.Y.Max, len(products))
		}
		// Rows top to bottom in catalogue order.
		var rows []string
		ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
		slices.SortFunc(ticks, func(a, b plot.Tick) int { return -cmpFloat(a.Value, b.Value) })
		for _, tk := range ticks {
			rows = append(rows, tk.Label)
		}
		if !slices.Equal(rows, products) {
			t.Errorf("rows %q, want %q", rows, products)
		}
		if p.X.Min != f.Times[0] || p.X.Max != f.Times[len(f.Times)-1]+float64(f.Step)/12 {
			t.Errorf("x axis %v..%v, want the whole run", p.X.Min, p.X.Max)
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestProductLimitsChart(t *testing.T) {
	f := frameFor(t, "baseline")
	c, err := output.ProductLimits(f, "ascend_910c", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "limits-ascend_910c" || c.Title != "What limits ascend_910c (Huawei): baseline" {
		t.Errorf("name %q, title %q", c.Name, c.Title)
	}
	// The 910C has an announced ceiling for 2026 only (Bloomberg's 600k).
	want := []string{"orders from demand", "limit: announced plan", "limit: good dies", "limit: HBM stacks", "limit: packaging", "output"}
	if got := c.LegendLabels(); !slices.Equal(got, want) {
		t.Errorf("legend %q, want %q", got, want)
	}
	orders, _ := f.Annual("product.limit_demand", "ascend_910c")
	out, _ := f.Annual("product.output", "ascend_910c")
	top := 1.6 * max(slices.Max(orders), slices.Max(out)) / 1e3
	p := c.Plots[0]
	if p.Y.Min != 0 || math.Abs(p.Y.Max-top) > 1e-9*top {
		t.Errorf("y axis %v..%v, want 0..%v (1.6 x max of orders and output)", p.Y.Min, p.Y.Max, top)
	}
	// The slack note appears exactly when a finite limit leaves the frame.
	slack := false
	for _, m := range []string{"product.limit_plan", "product.limit_dies", "product.limit_hbm", "product.limit_packaging"} {
		v, _ := f.Annual(m, "ascend_910c")
		for _, x := range v {
			slack = slack || (!math.IsInf(x, 1) && x/1e3 > top)
		}
	}
	if hasNote(c, "slack") != slack {
		t.Errorf("notes %q: slack note %v, want %v", c.Notes, !slack, slack)
	}
	if hasNote(c, "No announced plan") {
		t.Errorf("notes %q say there is no plan; the 910C has one for 2026", c.Notes)
	}
	// A product without any announced plan says so and has no plan line.
	k, err := output.ProductLimits(f, "kunlunxin", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(k.LegendLabels(), "limit: announced plan") || !hasNote(k, "No announced plan") {
		t.Errorf("kunlunxin: legend %q, notes %q: want no plan line and a note", k.LegendLabels(), k.Notes)
	}
	// Only the years on sale: 2024 to 2028, at mid-year.
	if p.X.Min != 2024.5 || p.X.Max != 2028.5 {
		t.Errorf("x axis %v..%v, want 2024.5..2028.5", p.X.Min, p.X.Max)
	}

	_, err = output.ProductLimits(f, "ascend_910", chartOpts)
	if err == nil || !strings.Contains(err.Error(), `no domestic product "ascend_910"`) || !strings.Contains(err.Error(), "did you mean ascend_910b") {
		t.Errorf("unknown product: error %v", err)
	}
	if _, err := output.ProductLimits(f, "H100", chartOpts); err == nil {
		t.Error("a foreign product has no production limits: want an error")
	}
}

func hasNote(c *output.Chart, s string) bool {
	for _, n := range c.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func TestProductLimitsUnboundedHBM(t *testing.T) {
	// A product without HBM has limit_hbm = +Inf: the chart must still
	// draw, with a finite axis and a note saying why the line is missing.
	_, r := runFor(t, "baseline")
	var buf bytes.Buffer
	if err := output.WriteCSV(&buf, "baseline", r, true); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^(baseline,[^,]+,product\.limit_hbm,kunlunxin,)[^,]+(,units)$`)
	data := re.ReplaceAll(buf.Bytes(), []byte("${1}+Inf${2}"))
	fs, err := output.ReadCSV("inf.csv", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c, err := output.ProductLimits(fs[0], "kunlunxin", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Plots[0]; math.IsInf(p.Y.Max, 0) || math.IsNaN(p.Y.Max) || p.Y.Max <= 0 {
		t.Errorf("y axis top %v", p.Y.Max)
	}
	if !hasNote(c, "uses no HBM") {
		t.Errorf("notes %q do not explain the unbounded HBM limit", c.Notes)
	}
	if _, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, testDPI); err != nil {
		t.Fatal(err)
	}
}

var gridLine = regexp.MustCompile(`<path d="M([0-9.]+),([0-9.]+)L([0-9.]+),([0-9.]+)" style="fill:none;stroke:#D9D9D9;stroke-width:0.4"`)

func TestFoundryChart(t *testing.T) {
	f := frameFor(t, "baseline")
	c, err := output.Foundry(f, chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "foundry" || c.Title != "Domestic foundry for AI accelerators: baseline" {
		t.Errorf("name %q, title %q", c.Name, c.Title)
	}
	if got, want := c.LegendLabels(), f.Entities("foundry.wafers"); !slices.Equal(got, want) || len(want) != 3 {
		t.Errorf("legend %q, want one entry per process %q", got, want)
	}
	if len(c.Plots) != 3 {
		t.Fatalf("%d panels, want 3", len(c.Plots))
	}
	for i, p := range c.Plots {
		if p.X.Min != c.Plots[0].X.Min || p.X.Max != c.Plots[0].X.Max {
			t.Errorf("panel %d x axis %v..%v differs from panel 0", i, p.X.Min, p.X.Max)
		}
		if p.Y.Min != 0 {
			t.Errorf("panel %d y axis starts at %v, want 0", i, p.Y.Min)
		}
	}
	if y := c.Plots[1]; y.Y.Max != 1 {
		t.Errorf("yield panel top %v, want 100%%", y.Y.Max)
	}
	if got := c.Plots[2].Y.Label.Text; got != "defects/cm²" {
		t.Errorf("defect density label %q", got)
	}
	// Stacked panels share the x axis: their data areas, where the grid
	// lines run, must start and end at the same x.
	svg, err := c.Bytes("svg", output.DefaultWidth, output.DefaultHeight, testDPI)
	if err != nil {
		t.Fatal(err)
	}
	edges := map[string]int{}
	panels := map[string]bool{}
	for _, m := range gridLine.FindAllSubmatch(svg, -1) {
		if string(m[2]) != string(m[4]) {
			continue // vertical
		}
		edges[string(m[1])+"-"+string(m[3])]++
		panels[string(m[2])] = true
	}
	if len(panels) < 6 || len(edges) != 1 {
		t.Errorf("grid lines of the panels span %d different x ranges (%v), want 1", len(edges), edges)
	}
}

func TestCompareChart(t *testing.T) {
	var fs []*output.Frame
	var names []string
	for _, name := range scenarios.ShippedNames() {
		fs = append(fs, frameFor(t, name))
		names = append(names, name)
	}
	c, err := output.Compare(fs, "ai.ssr_compute", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "compare-ai-ssr_compute" {
		t.Errorf("name %q", c.Name)
	}
	if got := c.LegendLabels(); !slices.Equal(got, names) {
		t.Errorf("legend %q, want one entry per scenario %q", got, names)
	}
	if want := "Source: chipsim test, scenario " + strings.Join(names, ", ") + ", run 2026-01-01"; c.Source != want {
		t.Errorf("source %q, want %q", c.Source, want)
	}
	p := c.Plots[0]
	if p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("ratio y axis %v..%v, want 0..1", p.Y.Min, p.Y.Max)
	}
	if !strings.Contains(p.Y.Label.Text, "%") {
		t.Errorf("ratio y label %q lacks %%", p.Y.Label.Text)
	}
	if p.X.Min != 2022.5 || p.X.Max != 2035.5 {
		t.Errorf("x axis %v..%v, want mid 2022 to mid 2035", p.X.Min, p.X.Max)
	}
	if want := "Domestic share of AI compute, by scenario"; c.Title != want {
		t.Errorf("title %q, want the metric's readable name %q", c.Title, want)
	}
	if want := "ai.ssr_compute: domestic H100e delivered / all H100e delivered"; c.Subtitle != want {
		t.Errorf("subtitle %q, want the metric and its definition %q", c.Subtitle, want)
	}
	// A definition too long for the title is given in full below.
	c, err = output.Compare(fs[:2], "ai.ssr_units", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(c.Notes, " "), "all units delivered (domestic + legal imports + grey)") {
		t.Errorf("notes %q lack the metric's full definition", c.Notes)
	}

	c, err = output.Compare(fs[:2], "ai.unmet_h100e", chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Plots[0].Y.Label.Text; !strings.Contains(got, "H100e per year") {
		t.Errorf("y label %q lacks the unit", got)
	}
	if c.Plots[0].Y.Min != 0 {
		t.Errorf("y axis starts at %v, want 0", c.Plots[0].Y.Min)
	}

	// Every whole-market metric draws.
	for _, m := range sim.Metrics {
		if m.Per != "" {
			continue
		}
		c, err := output.Compare(fs[:3], m.Name, chartOpts)
		if err != nil {
			t.Errorf("%s: %v", m.Name, err)
			continue
		}
		if strings.Contains(c.Title, m.Name) || !strings.HasPrefix(c.Subtitle, m.Name+": ") {
			t.Errorf("%s: title %q, subtitle %q: want a readable title over the metric's id", m.Name, c.Title, c.Subtitle)
		}
		if n := len([]rune(c.Plots[0].Y.Label.Text)); n == 0 || n > 34 {
			t.Errorf("%s: y label %q: want 1-34 characters", m.Name, c.Plots[0].Y.Label.Text)
		}
		if _, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, drawDPI); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
}

func TestCompareErrors(t *testing.T) {
	fs := []*output.Frame{frameFor(t, "baseline")}
	for _, c := range []struct{ metric, want string }{
		{"ai.ssr_unit", `unknown metric "ai.ssr_unit" (did you mean ai.ssr_units`},
		{"ssr_compute", `did you mean ai.ssr_compute`},
		{"nonsense", `unknown metric "nonsense"`},
		{"product.units", "product.units is reported per product"},
		{"foundry.yield", "reported per process"},
	} {
		_, err := output.Compare(fs, c.metric, chartOpts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compare(%q): error %v, want it to contain %q", c.metric, err, c.want)
		}
	}
	if _, err := output.Compare(nil, "ai.ssr_units", chartOpts); err == nil {
		t.Error("no scenarios: want an error")
	}
}

func TestScenarioChartByName(t *testing.T) {
	f := frameFor(t, "baseline")
	c, err := output.ScenarioChart(f, "limits-cambricon", chartOpts)
	if err != nil || c.Name != "limits-cambricon" {
		t.Fatalf("limits-cambricon: %v, %v", c, err)
	}
	_, err = output.ScenarioChart(f, "foundary", chartOpts)
	if err == nil || !strings.Contains(err.Error(), "did you mean foundry") {
		t.Errorf("misspelt chart: error %v", err)
	}
}

// Golden images: the baseline's scenario charts and a chart of each
// sweep and sensitivity kind, at the default 16 × 9 cm and at one journal
// column, 8 × 6 cm, at a low resolution, compared with a tolerance (font
// rasterisation may differ in the last bits). Run
// go test ./output -run Golden -regen to rewrite them after an intended
// change, and look at them before committing.
func TestChartGolden(t *testing.T) {
	charts := map[string]func(t *testing.T) (*output.Chart, error){}
	for _, name := range []string{"self-sufficiency", "supply", "production", "foundry"} {
		charts["baseline-"+name] = func(t *testing.T) (*output.Chart, error) {
			o := chartOpts
			o.History = shippedHistory(t) // drawn on self-sufficiency and supply
			return output.ScenarioChart(frameFor(t, "baseline"), name, o)
		}
	}
	for _, nc := range everyChart() {
		switch nc.name {
		case "tornado", "sweep", "heatmap", "sobol", "morris":
			charts[nc.name] = nc.make
		}
	}
	for _, name := range slices.Sorted(maps.Keys(charts)) {
		for _, sz := range []struct {
			suffix string
			w, h   vg.Length
		}{{"", output.DefaultWidth, output.DefaultHeight}, {"-8x6cm", 8 * vg.Centimeter, 6 * vg.Centimeter}} {
			t.Run(name+sz.suffix, func(t *testing.T) {
				c, err := charts[name](t)
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.Bytes("png", sz.w, sz.h, testDPI)
				if err != nil {
					t.Fatal(err)
				}
				file := name + sz.suffix + ".png"
				path := filepath.Join("testdata", "charts", file)
				if *regen {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./output -run Golden -regen to create it)", err)
				}
				if len(want) > 100<<10 {
					t.Errorf("%s is %d KB: keep golden images under 100 KB", path, len(want)>>10)
				}
				if err := sameImage(got, want); err != nil {
					out := filepath.Join(os.TempDir(), "chipsim-got-"+file)
					_ = os.WriteFile(out, got, 0o644)
					t.Errorf("%s: %v; got image written to %s (go test ./output -run Golden -regen if the change is intended)", path, err, out)
				}
			})
		}
	}
}

func TestSameImageSeesChanges(t *testing.T) {
	// The tolerance must not hide a changed chart: two scenarios' charts
	// differ only in their lines, and that must show.
	var imgs [][]byte
	for _, name := range []string{"baseline", "full-decoupling"} {
		c, err := output.SelfSufficiency(frameFor(t, name), output.ChartOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c.Source, c.Title, c.Plots[0].Title.Text = "", "", ""
		b, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, testDPI)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, b)
	}
	if err := sameImage(imgs[0], imgs[0]); err != nil {
		t.Errorf("an image differs from itself: %v", err)
	}
	if err := sameImage(imgs[0], imgs[1]); err == nil {
		t.Error("baseline and full-decoupling self-sufficiency compare equal")
	}
}

// sameImage compares two PNGs: same size, and at most 0.2% of pixels
// differing by more than 24 levels in some channel.
func sameImage(got, want []byte) error {
	a, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return err
	}
	b, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return err
	}
	if a.Bounds() != b.Bounds() {
		return fmt.Errorf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	bad := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			c2 := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			if absDiff(c1.R, c2.R) > 24 || absDiff(c1.G, c2.G) > 24 || absDiff(c1.B, c2.B) > 24 || absDiff(c1.A, c2.A) > 24 {
				bad++
			}
		}
	}
	if share := float64(bad) / float64(r.Dx()*r.Dy()); share > 0.002 {
		return fmt.Errorf("%d pixels (%.2f%%) differ", bad, 100*share)
	}
	return nil
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestPreviewCharts writes every chart of the shipped scenarios (or of
// those in $CHIPSIM_CHART_SCENARIOS, comma-separated) at print resolution,
// with a greyscale copy of each, into $CHIPSIM_CHART_DIR for a person to
// look at. It is skipped when that is unset.
func TestPreviewCharts(t *testing.T) {
	dir := os.Getenv("CHIPSIM_CHART_DIR")
	if dir == "" {
		t.Skip("set CHIPSIM_CHART_DIR to write charts for viewing")
	}
	var all []*output.Frame
	names := scenarios.ShippedNames()
	if s := os.Getenv("CHIPSIM_CHART_SCENARIOS"); s != "" {
		names = strings.Split(s, ",")
	}
	save := func(c *output.Chart, prefix string) {
		files, err := c.Save(dir, prefix, []string{"png"}, output.DefaultWidth, output.DefaultHeight, output.DefaultDPI)
		if err != nil {
			t.Fatal(err)
		}
		greyCopy(t, files[0])
	}
	for _, name := range names {
		f := frameFor(t, name)
		all = append(all, f)
		charts, err := output.ScenarioCharts(f, chartOpts)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range charts {
			save(c, name+"-")
		}
	}
	for _, m := range []string{"ai.ssr_units", "ai.unmet_h100e", "ai.units_grey"} {
		c, err := output.Compare(all, m, chartOpts)
		if err != nil {
			t.Fatal(err)
		}
		save(c, "")
	}
}

// greyCopy writes grey-NAME.png beside a PNG: the chart as a greyscale
// printer renders it.
func greyCopy(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "grey-"+filepath.Base(path)), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
