package output

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapData is one outcome over a two-input grid.
type HeatmapData struct {
	Scenario, Version string
	X, Y              SweepAxis
	Outcome           SweepOutcome
	// Z holds the outcome for every pair of levels, X major: Z[i*len(Y.Levels)+j]
	// is X level i and Y level j (the order of a grid whose last axis varies
	// fastest).
	Z     []float64
	Fixed string
}

var sweepNeverColor = color.Gray{Y: 0xE4}

// heatCells draws the cells of a heatmap, coloured by class, each with
// its value when it fits.
type heatCells struct {
	nx, ny  int
	z       []float64
	bounds  []float64 // class boundaries, ascending; len(colors)+1
	colors  []color.Color
	scale   sweepScale
	values  bool // whether the last drawing printed the values
	fontPts float64
}

func (h *heatCells) class(v float64) int {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return -1
	}
	for k := 1; k < len(h.bounds)-1; k++ {
		if v < h.bounds[k]-1e-12*math.Abs(h.bounds[k]) {
			return k - 1
		}
	}
	return len(h.colors) - 1
}

func (h *heatCells) color(v float64) color.Color {
	k := h.class(v)
	if k < 0 {
		return sweepNeverColor
	}
	return h.colors[k]
}

func (h *heatCells) label(v float64) string {
	if math.IsInf(v, 1) && h.scale.year {
		return "never"
	}
	if h.scale.ratio {
		return strconv.FormatFloat(100*v, 'f', 1, 64)
	}
	return h.scale.format(v)
}

func (h *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	cw, ch := tx(1)-tx(0), ty(1)-ty(0)
	// The largest font up to 7 pt at which every value fits its cell.
	h.values, h.fontPts = false, 0
	for _, size := range []float64{7, 6.5, 6, 5.5, 5} {
		st := textStyle(size, color.Black)
		ok := st.Height("0") <= ch-vg.Points(1)
		for _, v := range h.z {
			if st.Width(h.label(v)) > cw-vg.Points(2) {
				ok = false
				break
			}
		}
		if ok {
			h.values, h.fontPts = true, size
			break
		}
	}
	for i := 0; i < h.nx; i++ {
		for j := 0; j < h.ny; j++ {
			v := h.z[i*h.ny+j]
			x0, x1 := tx(float64(i)-0.5), tx(float64(i)+0.5)
			y0, y1 := ty(float64(j)-0.5), ty(float64(j)+0.5)
			col := h.color(v)
			c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			if h.class(v) < 0 {
				hs := draw.LineStyle{Color: color.Gray{Y: 0xB0}, Width: vg.Points(0.4)}
				for d := vg.Length(0); d < (x1-x0)+(y1-y0); d += vg.Points(3) {
					// diagonal hatching clipped to the cell
					a := vg.Point{X: x0 + d, Y: y0}
					b := vg.Point{X: x0, Y: y0 + d}
					if a.X > x1 {
						a = vg.Point{X: x1, Y: y0 + (a.X - x1)}
					}
					if b.Y > y1 {
						b = vg.Point{X: x0 + (b.Y - y1), Y: y1}
					}
					c.StrokeLine2(hs, a.X, a.Y, b.X, b.Y)
				}
			}
			if h.values {
				tc := color.Color(color.Black)
				if sweepLuminance(col) < 0.3 {
					tc = color.White
				}
				st := textStyle(h.fontPts, tc)
				st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
				c.FillText(st, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, h.label(v))
			}
		}
	}
	// White gaps between cells.
	gap := draw.LineStyle{Color: color.White, Width: vg.Points(0.8)}
	for i := 1; i < h.nx; i++ {
		x := tx(float64(i) - 0.5)
		c.StrokeLine2(gap, x, ty(-0.5), x, ty(float64(h.ny)-0.5))
	}
	for j := 1; j < h.ny; j++ {
		y := ty(float64(j) - 0.5)
		c.StrokeLine2(gap, tx(-0.5), y, tx(float64(h.nx)-0.5), y)
	}
}

func (h *heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.nx) - 0.5, -0.5, float64(h.ny) - 0.5
}

// heatIndexTicks label the cells of a heatmap axis with its levels.
type heatIndexTicks struct {
	axis  *SweepAxis
	every int
}

func (it heatIndexTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for i, v := range it.axis.Levels {
		t := plot.Tick{Value: float64(i)}
		if i%it.every == 0 {
			t.Label = it.axis.format(v)
		}
		out = append(out, t)
	}
	return out
}

// heatClassBounds splits [lo, hi] into 3 to 8 classes of a round width.
func heatClassBounds(lo, hi float64, year bool) []float64 {
	if !(hi > lo) {
		return []float64{lo, lo}
	}
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/6)))
	steps := []float64{1, 2, 2.5, 5, 10, 20}
	var b []float64
	for _, m := range steps {
		step := m * mag
		if year {
			step = math.Max(math.Round(step), 1)
		}
		first := math.Floor(lo/step+1e-9) * step
		last := math.Ceil(hi/step-1e-9) * step
		if year || last <= first {
			// Years are classes [y, y+step): the last holds hi.
			last = math.Floor(hi/step+1e-9)*step + step
		}
		n := int(math.Round((last - first) / step))
		if n <= 8 || m == steps[len(steps)-1] {
			b = b[:0]
			for k := 0; k <= n; k++ {
				b = append(b, sweepClean(first+float64(k)*step))
			}
			break
		}
	}
	return b
}

// Heatmap draws an outcome over a grid of two inputs: a cell per pair of
// levels coloured by class on a viridis scale (the legend below gives the
// classes), each cell with its value when it fits. When the values span
// little (under a percentage point of a share, 2% of a quantity, a
// quarter of a year) the classes cover a sensible range around them, so
// that the colours differ as little as the values, and the subtitle says
// so.
func Heatmap(d HeatmapData, o ChartOptions) (*Chart, error) {
	c, _, err := newHeatmap(d, o)
	return c, err
}

func newHeatmap(d HeatmapData, o ChartOptions) (*Chart, *heatCells, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, fmt.Errorf("heatmap: %w", err)
	}
	nx, ny := len(d.X.Levels), len(d.Y.Levels)
	if nx == 0 || ny == 0 || len(d.Z) != nx*ny {
		return nil, nil, fmt.Errorf("heatmap: %d×%d levels and %d values", nx, ny, len(d.Z))
	}
	sc := newSweepScale(d.Outcome, d.Z)
	lo, hi := math.Inf(1), math.Inf(-1)
	never := false
	for _, v := range d.Z {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			never = true
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	h := &heatCells{nx: nx, ny: ny, z: d.Z, scale: sc}
	small := false
	if !math.IsInf(lo, 1) {
		// A small range is coloured on a scale around it, so that the
		// colours differ as little as the values.
		cLo, cHi := lo, hi
		if a, b, ok := smallSwing(sc, (lo+hi)/2, lo, hi); ok {
			cLo, cHi, small = a, b, true
		}
		if sc.ratio {
			h.bounds = heatClassBounds(cLo*100, cHi*100, false)
			for i := range h.bounds {
				h.bounds[i] = sweepClean(h.bounds[i] / 100)
			}
		} else {
			h.bounds = heatClassBounds(cLo/sc.div, cHi/sc.div, sc.year)
			for i := range h.bounds {
				h.bounds[i] = sweepClean(h.bounds[i] * sc.div)
			}
		}
		k := len(h.bounds) - 1
		for i := 0; i < k; i++ {
			f := 0.5
			if k > 1 {
				f = float64(i) / float64(k-1)
			}
			h.colors = append(h.colors, viridisAt(f))
		}
	}
	title := fmt.Sprintf("%s by %s and %s, %s", capitalise(OutcomeTitle(d.Outcome.Name)), d.X.Name, d.Y.Name, d.Scenario)
	c := &Chart{Name: "heatmap-" + OutcomeSlug(d.X.Name) + "-" + OutcomeSlug(d.Y.Name) + "-" + OutcomeSlug(d.Outcome.Name), Title: title,
		Subtitle: d.Outcome.Name, Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	if small {
		c.Subtitle += "; the whole range is small: " + swingText(sc, hi-lo, lo, hi)
	}
	label := func(a *SweepAxis) string {
		if a.Unit != "" && a.Unit != "period" {
			return a.Name + " (" + a.Unit + ")"
		}
		return a.Name
	}
	p := newPlot(label(&d.X), label(&d.Y))
	p.Add(h)
	p.X.Min, p.X.Max = -0.5, float64(nx)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(ny)-0.5
	p.X.Tick.Marker = heatIndexTicks{axis: &d.X, every: max(1, (nx+9)/10)}
	p.Y.Tick.Marker = heatIndexTicks{axis: &d.Y, every: max(1, (ny+7)/8)}
	c.Plots = []*plot.Plot{p}
	for k, col := range h.colors {
		c.addLegend(h.classLabel(k), fillThumb{col})
	}
	if never {
		c.addLegend("never", sweepHatchThumb{})
	}
	unit := ""
	if sc.ratio {
		unit = " Cell values in %."
	}
	note := fmt.Sprintf("%d runs: every pair of levels.%s", nx*ny, unit)
	if d.Fixed != "" {
		note += " " + d.Fixed
	}
	c.Notes = sweepNotes(note, d.Outcome.Doc)
	return c, h, nil
}

// classLabel names class k for the legend, such as "50–55%" or "1.5–2.0M".
func (h *heatCells) classLabel(k int) string {
	a, b := h.bounds[k], h.bounds[k+1]
	sc := h.scale
	switch {
	case sc.ratio:
		return sweepTrimZero(100*a) + "–" + sweepTrimZero(100*b) + "%"
	case sc.year:
		if b-a == 1 {
			return strconv.Itoa(int(a))
		}
		return fmt.Sprintf("%d–%d", int(a), int(b)-1)
	}
	suffix := map[float64]string{1e3: "k", 1e6: "M", 1e9: "G"}[sc.div]
	return sweepTrimZero(a/sc.div) + "–" + sweepTrimZero(b/sc.div) + suffix
}

type sweepHatchThumb struct{}

func (sweepHatchThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(sweepNeverColor, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
	hs := draw.LineStyle{Color: color.Gray{Y: 0xB0}, Width: vg.Points(0.4)}
	for x := c.Min.X; x < c.Max.X; x += vg.Points(3) {
		c.StrokeLine2(hs, x, c.Min.Y, min(x+(c.Max.Y-c.Min.Y), c.Max.X), c.Max.Y)
	}
}
