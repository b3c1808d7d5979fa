package output

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/vg"
)

// Chart sizes and resolutions every chart draws at. The smallest size is
// one journal column, 8 × 6 cm, the smallest at which every chart is
// tested to lay out without clipping or overlap; the pixel bound keeps a
// PNG's canvas under about 200 MB of memory (4 bytes a pixel).
const (
	MinChartWidth  = 8.0   // cm
	MinChartHeight = 6.0   // cm
	MaxChartSide   = 100.0 // cm, either side
	MinDPI         = 50
	MaxDPI         = 1200
	MaxMegapixels  = 50 // PNG width × height in pixels, in millions
)

// ErrChartSize is the error, wrapped with the details, for a chart size
// or resolution out of range.
var ErrChartSize = errors.New("chart size out of range")

// Validate checks the options' size and resolution against the limits
// above (zero values stand for the defaults, 16 × 9 cm at 300 dpi), so
// that a command can reject them before running anything. Chart
// constructors and Chart.WriteTo make the same check.
func (o ChartOptions) Validate() error {
	w, h, dpi := o.Size()
	return checkSize(w, h, dpi)
}

// Size returns the options' width, height and PNG resolution, with the
// defaults for zero values.
func (o ChartOptions) Size() (width, height vg.Length, dpi int) {
	width, height, dpi = DefaultWidth, DefaultHeight, DefaultDPI
	if o.Width != 0 {
		width = vg.Length(o.Width) * vg.Centimeter
	}
	if o.Height != 0 {
		height = vg.Length(o.Height) * vg.Centimeter
	}
	if o.DPI != 0 {
		dpi = o.DPI
	}
	return width, height, dpi
}

// checkSize checks a chart size and, unless dpi is 0 (vector formats),
// the resolution and the pixel count at it.
func checkSize(width, height vg.Length, dpi int) error {
	w, h := float64(width/vg.Centimeter), float64(height/vg.Centimeter)
	// Lengths come from centimetres and back: allow for rounding.
	const eps = 1e-9
	switch {
	case math.IsNaN(w) || w < MinChartWidth-eps || w > MaxChartSide+eps:
		return fmt.Errorf("%w: width %s cm; want %g to %g cm", ErrChartSize, cm(w), MinChartWidth, MaxChartSide)
	case math.IsNaN(h) || h < MinChartHeight-eps || h > MaxChartSide+eps:
		return fmt.Errorf("%w: height %s cm; want %g to %g cm", ErrChartSize, cm(h), MinChartHeight, MaxChartSide)
	case dpi == 0:
		return nil
	case dpi < MinDPI || dpi > MaxDPI:
		return fmt.Errorf("%w: %d dpi; want %d to %d dpi", ErrChartSize, dpi, MinDPI, MaxDPI)
	}
	pw, ph := pixels(width, dpi), pixels(height, dpi)
	if mp := float64(pw) * float64(ph) / 1e6; mp > MaxMegapixels {
		return fmt.Errorf("%w: %s × %s cm at %d dpi is %d × %d px, %.0f megapixels; at most %d megapixels: lower the dpi or the size",
			ErrChartSize, cm(w), cm(h), dpi, pw, ph, mp, MaxMegapixels)
	}
	return nil
}

// pixels is a length in pixels at dpi, as the PNG canvas rounds it.
func pixels(l vg.Length, dpi int) int { return int(float64(l/vg.Inch)*float64(dpi) + 0.5) }

func cm(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// CheckChartFormats checks a list of chart file formats: png, svg or pdf.
func CheckChartFormats(formats []string) error {
	if len(formats) == 0 {
		return errors.New("empty; want png, svg or pdf")
	}
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return fmt.Errorf("unknown format %q; want png, svg or pdf", f)
		}
	}
	return nil
}
