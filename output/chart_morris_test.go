package output_test

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
)

func TestMorrisScatter(t *testing.T) {
	c, err := morrisFixture()
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Morris screening: domestic share of AI compute in 2030" || c.Subtitle != "ai.ssr_compute@2030" {
		t.Errorf("title %q, subtitle %q", c.Title, c.Subtitle)
	}
	p := c.Plots[0]
	if p.X.Min != 0 || p.Y.Min != 0 || p.X.Max < morrisMuStar[0] || p.Y.Max < morrisSigma[0] {
		t.Errorf("axes %v..%v × %v..%v do not start at 0 and hold every point", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// At the default size the inputs that stand apart are named on the
	// chart, and both reference lines are labelled.
	text := map[string]bool{}
	for _, b := range output.DrawnText(c, output.DefaultWidth, output.DefaultHeight) {
		text[b.Text] = true
	}
	for _, s := range []string{"h200.tiers.prior_gen.cap_share", "hbm.hbm.domestic_capacity_stacks_per_year", "σ/μ* = 0.1", "σ/μ* = 1"} {
		if !text[s] {
			t.Errorf("16 × 9 cm: %q not drawn", s)
		}
	}
	// At one journal column, labels that do not fit become numbers, with
	// a key in the notes.
	var numbers, key int
	for _, b := range output.DrawnText(c, 8*vg.Centimeter, 6*vg.Centimeter) {
		switch {
		case len(b.Text) <= 2 && b.Text[0] >= '1' && b.Text[0] <= '9':
			numbers++
		case strings.HasPrefix(b.Text, "Numbered points: 1 "):
			key++
		}
	}
	if numbers == 0 || key != 1 {
		t.Errorf("8 × 6 cm: %d numbered points, %d keys; want numbers and their key", numbers, key)
	}

	for _, bad := range []struct {
		name      string
		mu, sigma []float64
	}{
		{"no inputs", nil, nil},
		{"lengths", []float64{1, 2}, []float64{1}},
		{"negative", []float64{-1}, []float64{1}},
	} {
		inputs := make([]string, len(bad.mu))
		if _, err := output.MorrisScatter("m", "t", "", inputs, bad.mu, bad.sigma, nil, "", chartOpts); err == nil {
			t.Errorf("%s: no error", bad.name)
		}
	}
}

func TestIndexHeatmapZeroIsLightest(t *testing.T) {
	lum := func(v float64) float64 {
		r, g, b, _ := output.Ramp(v).RGBA()
		return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
	}
	for _, v := range []float64{0.01, 0.25, 0.5, 1} {
		if lum(0) <= lum(v) {
			t.Errorf("Ramp(0) is not lighter than Ramp(%v)", v)
		}
	}
}
