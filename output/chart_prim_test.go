package output_test

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
)

// primFixture is chipsim discover baseline-uncertain --outcome
// ai.ssr_compute@2030 --below 0.8 -n 400: a long flat stretch, then a
// jump, then a column of boxes at one coverage.
func primFixture() output.PRIMData {
	return output.PRIMData{Name: "discover-ai-ssr_compute-2030", Title: "ai.ssr_compute@2030 < 0.8: PRIM peeling trajectory",
		Scenario: "baseline-uncertain", Version: "test",
		Coverage: []float64{1, 1, 1, 1, 1, 1, 0.9841, 0.9683, 0.9524, 0.9365, 0.9206, 0.7937, 0.7778, 0.7619, 0.746,
			0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222, 0.2222},
		Density: []float64{0.1575, 0.2386, 0.251, 0.2636, 0.2763, 0.2903, 0.2995, 0.3096, 0.3191, 0.3296, 0.3392, 0.3497, 0.3603, 0.3692, 0.379,
			0.4, 0.4118, 0.4242, 0.4375, 0.4516, 0.4667, 0.4828, 0.5, 0.5185, 0.5385, 0.56, 0.5833, 0.6087, 0.6364, 0.6667, 0.7},
		Chosen: 14, BaseRate: 0.1575,
		Notes: []string{"baseline-uncertain: 400 runs, 15.8% of them cases; each peel removes 5% of the box's runs, down to 5% of all runs; the chosen box is the densest with coverage at least 0.5.",
			"The chosen box restricts demand.demand.growth 0.7913 to 1.225; h200.tiers.prior_gen.cap_share 0.5 to 0.5."},
	}
}

// sharpPRIMFixture finds a clean box: density climbs to 1 at coverage
// 0.53, the chosen box on the frame's top edge, then peels on at 1.
func sharpPRIMFixture() output.PRIMData {
	d := output.PRIMData{Name: "discover-x", Title: "ai.units_domestic@2027 > 1e+06: PRIM peeling trajectory", Scenario: "unc", Version: "test", BaseRate: 0.2}
	for k := 0; k <= 40; k++ {
		f := min(float64(k)/30, 1)
		cov := 1 - 0.47*f
		if k > 30 {
			cov = 0.53 - 0.04*float64(k-30)
		}
		d.Coverage = append(d.Coverage, cov)
		d.Density = append(d.Density, 0.2+0.8*f*f)
	}
	d.Chosen = 30
	return d
}

func TestPRIMTrajectory(t *testing.T) {
	c, err := output.PRIMTrajectory(primFixture(), chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "discover-ai-ssr_compute-2030" || c.Title != "Domestic share of AI compute in 2030 < 0.8: PRIM peeling trajectory" || c.Subtitle != "ai.ssr_compute@2030" {
		t.Errorf("name %q, title %q, subtitle %q", c.Name, c.Title, c.Subtitle)
	}
	if c.Source != "Source: chipsim test, scenario baseline-uncertain, run 2026-01-01" {
		t.Errorf("source %q", c.Source)
	}
	p := c.Plots[0]
	if p.X.Min != 0 || p.X.Max != 1 || p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("axes %v..%v × %v..%v, want 0..1 both", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if !strings.HasPrefix(p.X.Label.Text, "coverage") || !strings.HasPrefix(p.Y.Label.Text, "density") {
		t.Errorf("axis labels %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	// The chosen box and the base rate are labelled at every size, and
	// the chosen point is drawn in its colour at the smallest and the
	// largest.
	for _, fx := range []struct {
		d      output.PRIMData
		labels []string
	}{
		{primFixture(), []string{"chosen: coverage 0.75, density 0.38", "base rate 0.16"}},
		{sharpPRIMFixture(), []string{"chosen: coverage 0.53, density 1.00", "base rate 0.20"}},
	} {
		d := fx.d
		c, err := output.PRIMTrajectory(d, chartOpts)
		if err != nil {
			t.Fatal(err)
		}
		for _, sz := range chartSizes {
			w, h := vg.Length(sz.w)*vg.Centimeter, vg.Length(sz.h)*vg.Centimeter
			boxes := output.DrawnText(c, w, h)
			checkLayout(t, d.Name+" "+sizeName(sz.w, sz.h), boxes, w, h)
			text := map[string]bool{}
			for _, b := range boxes {
				text[b.Text] = true
			}
			for _, s := range fx.labels {
				if !text[s] {
					t.Errorf("%s %s: %q not drawn", d.Name, sizeName(sz.w, sz.h), s)
				}
			}
		}
		for _, sz := range []struct{ w, h float64 }{{output.MinChartWidth, output.MinChartHeight}, {24, 13.5}} {
			b, err := c.Bytes("png", vg.Length(sz.w)*vg.Centimeter, vg.Length(sz.h)*vg.Centimeter, 150)
			if err != nil {
				t.Fatalf("%s %s: %v", d.Name, sizeName(sz.w, sz.h), err)
			}
			if n := pixelsOf(t, b, output.Palette[4]); n < 30 {
				t.Errorf("%s %s: %d pixels of the chosen point's colour; want it drawn", d.Name, sizeName(sz.w, sz.h), n)
			}
		}
		for _, f := range []string{"svg", "pdf"} {
			if _, err := c.Bytes(f, output.DefaultWidth, output.DefaultHeight, 0); err != nil {
				t.Errorf("%s.%s: %v", d.Name, f, err)
			}
		}
	}

	for _, bad := range []struct {
		name string
		edit func(*output.PRIMData)
	}{
		{"no boxes", func(d *output.PRIMData) { d.Coverage, d.Density = nil, nil }},
		{"lengths", func(d *output.PRIMData) { d.Density = d.Density[1:] }},
		{"chosen", func(d *output.PRIMData) { d.Chosen = len(d.Coverage) }},
		{"not a share", func(d *output.PRIMData) { d.Density[3] = 1.5 }},
		{"base rate", func(d *output.PRIMData) { d.BaseRate = -0.1 }},
	} {
		d := primFixture()
		bad.edit(&d)
		if _, err := output.PRIMTrajectory(d, chartOpts); err == nil {
			t.Errorf("%s: no error", bad.name)
		}
	}
}

// pixelsOf counts a PNG's pixels within 8 levels of col in every channel.
func pixelsOf(t *testing.T, b []byte, col color.Color) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := color.NRGBAModel.Convert(col).(color.NRGBA)
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if absDiff(c.R, want.R) <= 8 && absDiff(c.G, want.G) <= 8 && absDiff(c.B, want.B) <= 8 {
				n++
			}
		}
	}
	return n
}

// TestPRIMTrajectoryGolden compares the chart of primFixture with its
// golden images, as TestChartGolden does for the other kinds; rewrite
// them with go test ./output -run Golden -regen.
func TestPRIMTrajectoryGolden(t *testing.T) {
	c, err := output.PRIMTrajectory(primFixture(), chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, sz := range []struct {
		suffix string
		w, h   vg.Length
	}{{"", output.DefaultWidth, output.DefaultHeight}, {"-8x6cm", 8 * vg.Centimeter, 6 * vg.Centimeter}} {
		got, err := c.Bytes("png", sz.w, sz.h, testDPI)
		if err != nil {
			t.Fatal(err)
		}
		file := "discover" + sz.suffix + ".png"
		path := filepath.Join("testdata", "charts", file)
		if *regen {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./output -run Golden -regen to create it)", err)
		}
		if err := sameImage(got, want); err != nil {
			out := filepath.Join(os.TempDir(), "chipsim-got-"+file)
			_ = os.WriteFile(out, got, 0o644)
			t.Errorf("%s: %v; got image written to %s (go test ./output -run Golden -regen if the change is intended)", path, err, out)
		}
	}
}
