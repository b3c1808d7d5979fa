package output

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// IndexSeries is one set of bars on a sensitivity chart (S1, ST, μ*, σ),
// with optional confidence intervals.
type IndexSeries struct {
	Label   string
	Values  []float64
	Lo, Hi  []float64 // nil when there is no interval
	Colour  color.Color
	Pattern bool // hatch the bars, so the series differ in grey
}

// hbars draws groups of horizontal bars, one group per row (input), with
// whiskers for intervals.
type hbars struct {
	series []IndexSeries
	rows   int
}

func (h *hbars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	k := float64(len(h.series))
	bw := 0.8 / k
	for s, ser := range h.series {
		for r := 0; r < h.rows; r++ {
			y1 := float64(r) + 0.4 - float64(s)*bw // the first series on top
			y0 := y1 - bw*0.9
			x0, x1 := tx(0), tx(ser.Values[r])
			pts := []vg.Point{{X: x0, Y: ty(y0)}, {X: x1, Y: ty(y0)}, {X: x1, Y: ty(y1)}, {X: x0, Y: ty(y1)}}
			c.FillPolygon(ser.Colour, c.ClipPolygonXY(pts))
			if ser.Pattern {
				ls := draw.LineStyle{Color: color.White, Width: vg.Points(0.6)}
				lo, hi := math.Min(float64(x0), float64(x1)), math.Max(float64(x0), float64(x1))
				for x := vg.Length(lo) + vg.Points(2); x < vg.Length(hi); x += vg.Points(3) {
					c.StrokeLine2(ls, x, ty(y0), x, ty(y1))
				}
			}
			if ser.Lo != nil {
				ym := ty((y0 + y1) / 2)
				ls := draw.LineStyle{Color: color.Black, Width: vg.Points(0.7)}
				a, b := tx(ser.Lo[r]), tx(ser.Hi[r])
				c.StrokeLine2(ls, a, ym, b, ym)
				c.StrokeLine2(ls, a, ym-vg.Points(1.5), a, ym+vg.Points(1.5))
				c.StrokeLine2(ls, b, ym-vg.Points(1.5), b, ym+vg.Points(1.5))
			}
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, tx(0), c.Min.Y, tx(0), c.Max.Y)
}

func (h *hbars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, 0
	for _, s := range h.series {
		for r := 0; r < h.rows; r++ {
			xmin, xmax = math.Min(xmin, s.Values[r]), math.Max(xmax, s.Values[r])
			if s.Lo != nil {
				xmin, xmax = math.Min(xmin, s.Lo[r]), math.Max(xmax, s.Hi[r])
			}
		}
	}
	return xmin, xmax, -0.5, float64(h.rows) - 0.5
}

// Colours of sensitivity series: blue and vermillion (Okabe–Ito); the
// second is hatched so the two differ in greyscale too.
var (
	SensColour1 = color.RGBA{0x00, 0x72, 0xB2, 0xff}
	SensColour2 = color.RGBA{0xD5, 0x5E, 0x00, 0xff}
)

// IndexBars draws sensitivity indices as horizontal bars, one row per
// input in the order given (put the most influential first).
// With unit set, the axis spans at least 0 to 1 (shares of variance).
// A title naming the outcome by its expression reads it out
// (ReadableTitle). At a small size the chart shows as many of the first
// rows as fit, their names wrapped, and a note counts the rest.
func IndexBars(name, title, xlabel string, inputs []string, series []IndexSeries, unit bool, notes []string, source string) (*Chart, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("index chart %s: no inputs", name)
	}
	for _, ser := range series {
		if len(ser.Values) != len(inputs) || (ser.Lo != nil && (len(ser.Lo) != len(inputs) || len(ser.Hi) != len(inputs))) {
			return nil, fmt.Errorf("index chart %s: %d inputs and %d values of %s", name, len(inputs), len(ser.Values), ser.Label)
		}
	}
	build := func(k int, w vg.Length) *Chart {
		return indexBars(name, title, xlabel, inputs, series, unit, notes, source, k, w)
	}
	c := build(len(inputs), 0)
	c.fit = func(area draw.Canvas, prev *Chart) *Chart {
		k, w, ok := fitRows(prev.Plots[0], area, len(inputs), func(i int) string { return inputs[i] }, prev.rowsShown, prev.labelW)
		if ok {
			return prev
		}
		return build(k, w)
	}
	return c, nil
}

// indexBars draws the first k rows, their names wrapped to labelW (0:
// not wrapped).
func indexBars(name, title, xlabel string, inputs []string, series []IndexSeries, unit bool, notes []string, source string, k int, labelW vg.Length) *Chart {
	c := &Chart{Name: name, Source: source, rowsShown: k, labelW: labelW, variant: fmt.Sprintf("%d/%g", k, labelW)}
	c.Title, c.Subtitle = ReadableTitle(title)
	p := newPlot(xlabel, "")
	// Rows from the top: the first input at the top.
	names := make([]string, k)
	for i := range k {
		names[i] = wrapName(inputs[i], labelW)
	}
	shown := make([]IndexSeries, len(series))
	for s, ser := range series {
		r := ser
		r.Values = ser.Values[:k]
		if ser.Lo != nil {
			r.Lo, r.Hi = ser.Lo[:k], ser.Hi[:k]
		}
		shown[s] = reversedSeries(r)
		if ser.Pattern {
			c.addLegend(ser.Label, hatchedThumb{ser.Colour})
		} else {
			c.addLegend(ser.Label, fillThumb{ser.Colour})
		}
	}
	hb := &hbars{series: shown, rows: k}
	p.Add(hb)
	p.Y.Tick.Marker = rowTicks(names)
	p.Y.Tick.Width, p.Y.Tick.Length, p.Y.Width = 0, 0, 0
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	// The axis holds every row's values, shown or not, so that sizes
	// compare.
	all := &hbars{series: series, rows: len(inputs)}
	lo, hi, _, _ := all.DataRange()
	p.X.Min, p.X.Max = lo, hi
	if unit {
		p.X.Min, p.X.Max = math.Min(0, lo), math.Max(1, hi)
	}
	p.Y.Tick.Label.Font = houseFont(rowFont(labelW))
	c.Plots = []*plot.Plot{p}
	if k < len(inputs) {
		c.Notes = append(c.Notes, fmt.Sprintf("Left out at this size: the %d inputs after %s in this order.", len(inputs)-k, inputs[k-1]))
		c.keyNotes = 1
	}
	c.Notes = append(c.Notes, notes...)
	return c
}

// reversedSeries turns a series' rows upside down: row 0 is drawn at the
// bottom.
func reversedSeries(s IndexSeries) IndexSeries {
	s.Values = reversed(s.Values)
	s.Lo, s.Hi = reversed(s.Lo), reversed(s.Hi)
	return s
}

func reversed(v []float64) []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[len(v)-1-i] = x
	}
	return out
}

type hatchedThumb struct{ colour color.Color }

func (h hatchedThumb) Thumbnail(c *draw.Canvas) {
	fillThumb{h.colour}.Thumbnail(c)
	ls := draw.LineStyle{Color: color.White, Width: vg.Points(0.6)}
	for x := c.Min.X + vg.Points(2); x < c.Max.X; x += vg.Points(3) {
		c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
	}
}

// sequential is a colour-blind-safe light-to-dark ramp (ColorBrewer's
// YlGnBu anchors), monotone in lightness so that it reads in greyscale;
// it starts at a pale yellow, lighter than any other colour of it, so
// that an index of 0 reads as next to nothing while it still differs
// from a blank cell.
var sequential = []color.RGBA{
	{0xff, 0xff, 0xd9, 0xff}, {0xc7, 0xe9, 0xb4, 0xff}, {0x41, 0xb6, 0xc4, 0xff}, {0x22, 0x5e, 0xa8, 0xff}, {0x08, 0x1d, 0x58, 0xff},
}

// Ramp returns the colour for v in [0, 1] on the sequential ramp: 0 is the
// lightest, 1 the darkest.
func Ramp(v float64) color.Color {
	v = math.Max(0, math.Min(1, v)) * float64(len(sequential)-1)
	i := int(v)
	if i >= len(sequential)-1 {
		return sequential[len(sequential)-1]
	}
	f := v - float64(i)
	a, b := sequential[i], sequential[i+1]
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + f*(float64(y)-float64(x)) + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// cells draws a matrix of values in [0, 1] as coloured cells.
type cells struct {
	xs   []float64 // column centres
	vals [][]float64
	w    float64
}

func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for r, row := range h.vals {
		for j, v := range row {
			if math.IsNaN(v) {
				continue
			}
			x0, x1 := tx(h.xs[j]-h.w/2), tx(h.xs[j]+h.w/2)
			y0, y1 := ty(float64(r)-0.5), ty(float64(r)+0.5)
			c.FillPolygon(Ramp(v), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return h.xs[0] - h.w/2, h.xs[len(h.xs)-1] + h.w/2, -0.5, float64(len(h.vals)) - 0.5
}

// IndexHeatmap draws indices per input (rows, the first on top) and year
// (columns) as colours from 0 (the lightest) to 1 (the darkest), with a
// legend of the scale; NaN cells are left blank. A title naming a metric
// by its id reads it out (ReadableTitle). At a small size the chart shows
// as many of the first rows as fit, and a note counts the rest.
func IndexHeatmap(name, title string, inputs []string, years []int, vals [][]float64, notes []string, source string) (*Chart, error) {
	if len(inputs) == 0 || len(years) == 0 {
		return nil, fmt.Errorf("heatmap %s: no data", name)
	}
	if len(vals) != len(inputs) {
		return nil, fmt.Errorf("heatmap %s: %d inputs and %d rows of values", name, len(inputs), len(vals))
	}
	for i, row := range vals {
		if len(row) != len(years) {
			return nil, fmt.Errorf("heatmap %s: %s has %d values for %d years", name, inputs[i], len(row), len(years))
		}
	}
	build := func(k int, w vg.Length) *Chart {
		return indexHeatmap(name, title, inputs, years, vals, notes, source, k, w)
	}
	c := build(len(inputs), 0)
	c.fit = func(area draw.Canvas, prev *Chart) *Chart {
		k, w, ok := fitRows(prev.Plots[0], area, len(inputs), func(i int) string { return inputs[i] }, prev.rowsShown, prev.labelW)
		if ok {
			return prev
		}
		return build(k, w)
	}
	return c, nil
}

// indexHeatmap draws the first k rows, their names wrapped to labelW (0:
// not wrapped).
func indexHeatmap(name, title string, inputs []string, years []int, vals [][]float64, notes []string, source string, k int, labelW vg.Length) *Chart {
	c := &Chart{Name: name, Source: source, rowsShown: k, labelW: labelW, variant: fmt.Sprintf("%d/%g", k, labelW)}
	c.Title, c.Subtitle = ReadableTitle(title)
	p := newPlot("year", "")
	xs := make([]float64, len(years))
	for i, y := range years {
		xs[i] = float64(y) + 0.5
	}
	rows := make([][]float64, k)
	names := make([]string, k)
	for i := range k {
		rows[k-1-i] = vals[i]
		names[i] = wrapName(inputs[i], labelW)
	}
	p.Add(&cells{xs: xs, vals: rows, w: 1})
	p.Y.Tick.Marker = rowTicks(names)
	p.Y.Tick.Width, p.Y.Tick.Length, p.Y.Width = 0, 0, 0
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	p.Y.Tick.Label.Font = houseFont(rowFont(labelW))
	p.X.Tick.Marker = yearTicks{offset: 0.5}
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.addLegend(fmt.Sprintf("%.2f", v), fillThumb{Ramp(v)})
	}
	c.Plots = []*plot.Plot{p}
	if k < len(inputs) {
		c.Notes = append(c.Notes, fmt.Sprintf("Left out at this size: the %d inputs after %s in this order.", len(inputs)-k, inputs[k-1]))
		c.keyNotes = 1
	}
	c.Notes = append(c.Notes, notes...)
	return c
}
