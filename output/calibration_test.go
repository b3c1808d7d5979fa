package output_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
)

// calibFixture is a calibration with n observations in sigmas, one held
// out; row k's error shrinks from before to after.
func calibFixture(n int) *output.Calibration {
	c := &output.Calibration{Scenario: "baseline", Observations: "history", Errors: "absolute", Weights: "sigma", Version: "test",
		Level: 0.95, NFit: n - 1, NHeld: 1, Starts: 4, Evals: 500,
		Objective: output.CalibrationBefore{Before: 20, After: 5}, Holdout: &output.CalibrationBefore{Before: 4, After: 1},
		Params: []output.CalibratedParam{{Path: "foundry.smic_n2.learning_rate", Unit: "ratio per doubling", Start: 0.75, Value: 0.7584,
			Lo: 0.6, Hi: 0.9, HasRange: true, RangeLo: 0.7275, RangeHi: 0.9, AtHi: true}}}
	for k := range n {
		c.Rows = append(c.Rows, output.CalibrationRow{ID: fmt.Sprintf("product.units[thead_ppu]@%d", 2000+k), Metric: "product.units", Entity: "thead_ppu",
			Period: fmt.Sprint(2000 + k), Unit: "units", Observed: 100, Scale: 10, Holdout: k == 2,
			Before: 100 + float64(k%5-2)*10, After: 100 + float64(k%5-2)*3})
	}
	return c
}

func TestCalibrationChart(t *testing.T) {
	for _, n := range []int{5, 40} {
		c, err := calibFixture(n).Chart(chartOpts)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "calibration" || !strings.Contains(c.Title, "baseline") {
			t.Errorf("name %q, title %q", c.Name, c.Title)
		}
		p := c.Plots[0]
		if p.X.Min > -1.5 || p.X.Max < 2 {
			t.Errorf("%d rows: x axis %g..%g, want the ±1 band and the worst error (2 sigmas)", n, p.X.Min, p.X.Max)
		}
		for _, sz := range chartSizes {
			w, h := vg.Length(sz.w)*vg.Centimeter, vg.Length(sz.h)*vg.Centimeter
			boxes := output.DrawnText(c, w, h)
			name := fmt.Sprintf("calibration-%d %s", n, sizeName(sz.w, sz.h))
			checkLayout(t, name, boxes, w, h)
			rows, held := 0, false
			for _, b := range boxes {
				if strings.HasPrefix(b.Text, "product.units[thead_ppu]@") {
					rows++
				}
				held = held || strings.Contains(b.Text, "(holdout)")
			}
			if rows < 3 || (n == 5 && sz.w >= 12 && rows != 5) {
				t.Errorf("%s: %d rows labelled", name, rows)
			}
			if !held {
				t.Errorf("%s: the held-out row is not marked", name)
			}
		}
		b, err := c.Bytes("png", output.DefaultWidth, output.DefaultHeight, 150)
		if err != nil {
			t.Fatal(err)
		}
		if px := pixelsOf(t, b, output.Palette[1]); px < 20 {
			t.Errorf("%d rows: %d pixels of the held-out colour", n, px)
		}
	}
	// 40 rows do not fit: a note counts those left out.
	c, _ := calibFixture(40).Chart(chartOpts)
	if !strings.Contains(strings.Join(c.Notes, " "), "10 more observations") {
		t.Errorf("notes %q: want the 10 rows beyond the 30 drawn counted", c.Notes)
	}
	if _, err := (&output.Calibration{Scenario: "x"}).Chart(chartOpts); err == nil {
		t.Error("a calibration with no observations drew a chart")
	}
}

func TestCalibrationJSONAndText(t *testing.T) {
	c := calibFixture(5)
	var b bytes.Buffer
	if err := c.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Params map[string]float64 `json:"params"`
		Fit    map[string]struct {
			Range []any `json:"range"`
		} `json:"fit"`
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Params["foundry.smic_n2.learning_rate"] != 0.7584 || len(got.Rows) != 5 {
		t.Errorf("params %v, %d rows", got.Params, len(got.Rows))
	}
	if r := got.Fit["foundry.smic_n2.learning_rate"].Range; len(r) != 2 || r[0] != 0.7275 || r[1] != "bound" {
		t.Errorf("range %v: want [0.7275, \"bound\"]", r)
	}
	b.Reset()
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"foundry.smic_n2.learning_rate  0.75   0.7584  0.7275 to 0.9 (bound)", "fit to 4 observations: sum of squared errors 20 before, 5 after", "held out 1:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}
