package output_test

import (
	"errors"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/chipsim/chipsim/output"
)

func TestChartOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		o    output.ChartOptions
		want string // "" for no error
	}{
		{output.ChartOptions{}, ""},
		{output.ChartOptions{Width: 8, Height: 6, DPI: 50}, ""},
		{output.ChartOptions{Width: 24, Height: 13.5, DPI: 600}, ""},
		{output.ChartOptions{Width: 100, Height: 60, DPI: 180}, ""},
		{output.ChartOptions{Width: 7.9, Height: 6}, "width 7.9 cm; want 8 to 100 cm"},
		{output.ChartOptions{Width: 16, Height: 5}, "height 5 cm; want 6 to 100 cm"},
		{output.ChartOptions{Width: 101, Height: 9}, "width 101 cm"},
		{output.ChartOptions{DPI: 49}, "49 dpi; want 50 to 1200 dpi"},
		{output.ChartOptions{DPI: 2400}, "2400 dpi"},
		{output.ChartOptions{Width: 100, Height: 100, DPI: 1200}, "100 × 100 cm at 1200 dpi is 47244 × 47244 px, 2232 megapixels; at most 50 megapixels: lower the dpi or the size"},
		{output.ChartOptions{Width: 24, Height: 13.5, DPI: 1200}, "at most 50 megapixels"},
	} {
		err := tc.o.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: Validate() = %v, want nil", tc.o, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, output.ErrChartSize) {
			t.Errorf("%+v: Validate() = %v, want an ErrChartSize containing %q", tc.o, err, tc.want)
		}
	}
}

// TestChartSizeCheckedBeforeDrawing: constructors and WriteTo reject what
// Validate rejects, before allocating anything.
func TestChartSizeCheckedBeforeDrawing(t *testing.T) {
	if _, err := output.Tornado(tornadoFixture(), output.ChartOptions{DPI: 10}); !errors.Is(err, output.ErrChartSize) {
		t.Errorf("Tornado with 10 dpi: error %v, want ErrChartSize", err)
	}
	c, err := output.Tornado(tornadoFixture(), chartOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		w, h   vg.Length
		dpi    int
	}{
		{"png", 100 * vg.Centimeter, 100 * vg.Centimeter, 2400},
		{"png", 4 * vg.Centimeter, 3 * vg.Centimeter, 300},
		{"svg", 200 * vg.Centimeter, 9 * vg.Centimeter, 300},
	} {
		if _, err := c.Bytes(tc.format, tc.w, tc.h, tc.dpi); !errors.Is(err, output.ErrChartSize) {
			t.Errorf("%s at %v × %v, %d dpi: error %v, want ErrChartSize", tc.format, tc.w, tc.h, tc.dpi, err)
		}
	}
	// A vector format has no resolution to check.
	if _, err := c.Bytes("svg", output.DefaultWidth, output.DefaultHeight, 0); err != nil {
		t.Errorf("svg at 0 dpi: %v", err)
	}
}
