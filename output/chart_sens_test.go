package output

import (
	"image/color"
	"testing"
)

func TestIndexBars(t *testing.T) {
	c, err := IndexBars("sobol-x", "Sobol indices: x", "index", []string{"a", "b", "c"}, []IndexSeries{
		{Label: "first order S1", Values: []float64{0.6, 0.2, 0}, Lo: []float64{0.5, 0.1, -0.1}, Hi: []float64{0.7, 0.3, 0.1}, Colour: SensColour1},
		{Label: "total ST", Values: []float64{0.7, 0.3, 0.05}, Lo: []float64{0.6, 0.2, 0}, Hi: []float64{0.8, 0.4, 0.1}, Colour: SensColour2, Pattern: true},
	}, true, nil, "Source: test")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.LegendLabels(); len(got) != 2 || got[0] != "first order S1" || got[1] != "total ST" {
		t.Errorf("legend = %v, want [first order S1 total ST]", got)
	}
	p := c.Plots[0]
	if p.X.Min != -0.1 || p.X.Max != 1 {
		t.Errorf("x range = [%v, %v], want [-0.1, 1]: at least 0..1, widened to the intervals", p.X.Min, p.X.Max)
	}
	if p.Y.Min != -0.5 || p.Y.Max != 2.5 {
		t.Errorf("y range = [%v, %v], want one row per input", p.Y.Min, p.Y.Max)
	}
	if _, err := c.Bytes("png", DefaultWidth, DefaultHeight, 72); err != nil {
		t.Fatal(err)
	}
	if _, err := IndexBars("x", "x", "x", nil, nil, false, nil, ""); err == nil {
		t.Error("IndexBars with no inputs succeeded")
	}
}

func TestRampIsMonotoneInLightness(t *testing.T) {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
	}
	prev := lum(Ramp(0))
	for i := 1; i <= 20; i++ {
		l := lum(Ramp(float64(i) / 20))
		if l >= prev {
			t.Fatalf("Ramp(%v) is not darker than the step before: greyscale would not read", float64(i)/20)
		}
		prev = l
	}
}

func TestIndexHeatmap(t *testing.T) {
	c, err := IndexHeatmap("h", "Total Sobol index by year", []string{"a", "b"}, []int{2025, 2026, 2027}, [][]float64{{0.1, 0.5, 0.9}, {0.8, 0.4, 0}}, nil, "Source: test")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Legend); got != 5 {
		t.Errorf("heatmap legend has %d entries, want a 5-step colour scale", got)
	}
	if p := c.Plots[0]; p.X.Min != 2025 || p.X.Max != 2028 {
		t.Errorf("heatmap x range = [%v, %v], want [2025, 2028]", p.X.Min, p.X.Max)
	}
}
