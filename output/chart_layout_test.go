package output_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
)

// chartSizes are the sizes every chart must lay out at: one journal
// column, a small figure, the default and a wide one, in cm.
var chartSizes = []struct{ w, h float64 }{{8, 6}, {12, 8}, {16, 9}, {24, 13.5}}

func sizeName(w, h float64) string { return fmt.Sprintf("%gx%gcm", w, h) }

// TestChartsLayOutAtEverySize draws every kind of chart at every size in
// chartSizes and checks the text it draws: every line inside the canvas,
// none overlapping another, none cut short with an ellipsis.
func TestChartsLayOutAtEverySize(t *testing.T) {
	for _, nc := range everyChart() {
		t.Run(nc.name, func(t *testing.T) {
			c, err := nc.make(t)
			if err != nil {
				t.Fatal(err)
			}
			for _, sz := range chartSizes {
				w, h := vg.Length(sz.w)*vg.Centimeter, vg.Length(sz.h)*vg.Centimeter
				checkLayout(t, sizeName(sz.w, sz.h), output.DrawnText(c, w, h), w, h)
			}
		})
	}
}

// checkLayout reports text outside the canvas, overlapping text and
// ellipses.
func checkLayout(t *testing.T, size string, boxes []output.TextBox, w, h vg.Length) {
	t.Helper()
	const tol = vg.Length(0.25) // points
	if len(boxes) == 0 {
		t.Errorf("%s: no text drawn", size)
	}
	for _, b := range boxes {
		if strings.Contains(b.Text, "…") || strings.Contains(b.Text, "...") {
			t.Errorf("%s: %q is cut short", size, b.Text)
		}
		r := b.Box
		if r.Min.X < -tol || r.Min.Y < -tol || r.Max.X > w+tol || r.Max.Y > h+tol {
			t.Errorf("%s: %q at %v leaves the %v × %v pt canvas", size, b.Text, r, w, h)
		}
	}
	for i, a := range boxes {
		for _, b := range boxes[i+1:] {
			dx := min(a.Box.Max.X, b.Box.Max.X) - max(a.Box.Min.X, b.Box.Min.X)
			dy := min(a.Box.Max.Y, b.Box.Max.Y) - max(a.Box.Min.Y, b.Box.Min.Y)
			if dx > tol && dy > tol {
				t.Errorf("%s: %q %v and %q %v overlap", size, a.Text, a.Box, b.Text, b.Box)
			}
		}
	}
}

// TestPreviewChartSizes writes every kind of chart at every size in
// chartSizes into $CHIPSIM_CHART_SIZES_DIR as NAME-WxHcm.png, at 150 dpi,
// for a person to look at. It is skipped when that is unset.
func TestPreviewChartSizes(t *testing.T) {
	dir := os.Getenv("CHIPSIM_CHART_SIZES_DIR")
	if dir == "" {
		t.Skip("set CHIPSIM_CHART_SIZES_DIR to write charts at every size for viewing")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, nc := range everyChart() {
		c, err := nc.make(t)
		if err != nil {
			t.Fatalf("%s: %v", nc.name, err)
		}
		for _, sz := range chartSizes {
			b, err := c.Bytes("png", vg.Length(sz.w)*vg.Centimeter, vg.Length(sz.h)*vg.Centimeter, 150)
			if err != nil {
				t.Fatalf("%s: %v", nc.name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, nc.name+"-"+sizeName(sz.w, sz.h)+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
