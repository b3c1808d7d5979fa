package output

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TornadoBar is one input of a tornado chart: the outcome with the input
// alone at the low and at the high end of its range.
type TornadoBar struct {
	Input         string
	Low, High     string // the input's values at the two ends, formatted
	AtLow, AtHigh float64
}

// Swing is the bar's width, |AtHigh − AtLow|; a never (+Inf) at one end
// only counts as the widest swing.
func (b TornadoBar) Swing() float64 {
	if math.IsInf(b.AtLow, 0) != math.IsInf(b.AtHigh, 0) {
		return math.Inf(1)
	}
	if math.IsInf(b.AtLow, 0) {
		return 0
	}
	return math.Abs(b.AtHigh - b.AtLow)
}

// SortTornado orders bars by swing, widest first; ties keep their order.
func SortTornado(bars []TornadoBar) {
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].Swing() > bars[j].Swing() })
}

// TornadoData is what a tornado chart shows.
type TornadoData struct {
	Scenario, Version string
	Outcome           SweepOutcome
	Base              float64 // the outcome with every input at its median
	// LowLabel and HighLabel name the ends of the inputs' ranges, such as
	// p5 and p95, or min and max.
	LowLabel, HighLabel string
	Bars                []TornadoBar
}

// MaxTornadoBars bounds the bars drawn; the rest are counted in a note.
const MaxTornadoBars = 14

var (
	tornadoLowColor  = Palette[0] // blue
	tornadoHighColor = Palette[1] // orange
)

// Tornado draws a one-at-a-time sensitivity chart: a horizontal bar per
// input from the base outcome to the outcome with that input at the low
// (blue) and at the high (orange) end of its range, others at their
// medians; inputs sorted by swing, widest on top, each bar end labelled
// with the input's value. When the whole swing is small beside the base
// value (under a percentage point of a share, 2% of a quantity, a quarter
// of a year) the axis keeps a sensible range around the base, so that the
// bars show how small it is, and the subtitle states it.
//
// At a small size the chart shows as many of the widest bars as fit, and
// wraps long input names; a note counts those left out.
func Tornado(d TornadoData, o ChartOptions) (*Chart, error) {
	c, _, err := newTornado(d, o)
	return c, err
}

// tornadoBars draws the bars of a tornado chart; rows[0] is drawn on top.
type tornadoBars struct {
	base  float64
	rows  []TornadoBar
	scale sweepScale
	font  draw.TextStyle
	// lo and hi are the x range the bars use, "never" drawn at hi.
	lo, hi float64
}

func newTornado(d TornadoData, o ChartOptions) (*Chart, *tornadoBars, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, fmt.Errorf("tornado chart: %w", err)
	}
	c, tb, err := tornadoChart(d, o, MaxTornadoBars, 0)
	if err != nil {
		return nil, nil, err
	}
	n := len(tb.rows)
	c.fit = func(area draw.Canvas, prev *Chart) *Chart {
		p := prev.Plots[0]
		k, w, ok := fitRows(p, area, n, func(i int) string { return tb.rows[i].Input }, prev.rowsShown, prev.labelW)
		if ok {
			return prev
		}
		next, _, err := tornadoChart(d, o, k, w)
		if err != nil {
			return prev
		}
		return next
	}
	return c, tb, nil
}

// tornadoChart draws a tornado of at most maxBars bars, the input names
// wrapped to labelW (0 for no wrapping).
func tornadoChart(d TornadoData, o ChartOptions, maxBars int, labelW vg.Length) (*Chart, *tornadoBars, error) {
	if len(d.Bars) == 0 {
		return nil, nil, fmt.Errorf("tornado chart: no inputs")
	}
	if math.IsInf(d.Base, 0) || math.IsNaN(d.Base) {
		return nil, nil, fmt.Errorf("tornado chart: %s has no base value to draw bars from (%g)", d.Outcome.Name, d.Base)
	}
	// Inputs that move nothing get no row: the note names them.
	var bars []TornadoBar
	var idle []string
	// Differences below a billionth of the base are rounding, not effects.
	tol := 1e-9 * math.Max(1, math.Abs(d.Base))
	for _, b := range d.Bars {
		if math.Abs(b.AtLow-d.Base) <= tol && math.Abs(b.AtHigh-d.Base) <= tol {
			idle = append(idle, b.Input)
			continue
		}
		bars = append(bars, b)
	}
	if len(bars) == 0 {
		return nil, nil, fmt.Errorf("tornado chart: no input moves %s", d.Outcome.Name)
	}
	SortTornado(bars)
	// The scale, the range and the swing from every bar with an effect,
	// shown or not.
	vals := []float64{d.Base}
	for _, b := range bars[:min(len(bars), MaxTornadoBars)] {
		vals = append(vals, b.AtLow, b.AtHigh)
	}
	more, cut := 0, false
	if len(bars) > maxBars {
		more = len(bars) - maxBars
		cut = maxBars < MaxTornadoBars
		bars = bars[:maxBars]
	}
	sc := newSweepScale(d.Outcome, vals)
	tb := &tornadoBars{base: d.Base, rows: bars, scale: sc, font: textStyle(6, color.Gray{Y: 0x20})}

	lo, hi := math.Inf(1), math.Inf(-1)
	anyNever := false
	for _, v := range vals {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			anyNever = anyNever || math.IsInf(v, 1)
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 1) { // the base itself is never and so is everything
		return nil, nil, fmt.Errorf("tornado chart: %s is never reached at any input value", d.Outcome.Name)
	}
	// A small swing keeps a sensible range around the base: the bars
	// then look as small as they are.
	swing := hi - lo
	axLo, axHi, small := smallSwing(sc, d.Base, lo, hi)
	span := axHi - axLo
	if anyNever {
		axHi += span * 0.25 // room for the bars that run to "never"
	}
	tb.lo, tb.hi = axLo, axHi

	readable := OutcomeTitle(d.Outcome.Name)
	title := capitalise(readable) + ": swing from each input, " + d.Scenario
	c := &Chart{Name: "tornado-" + OutcomeSlug(d.Outcome.Name), Title: title, Subtitle: d.Outcome.Name,
		Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	if small {
		c.Subtitle += "; the whole swing is small: " + swingText(sc, swing, lo, hi)
	}
	xlabel := sc.label(readable)
	if labelW > 0 && labelW < vg.Points(110) {
		// Narrow: the title names the outcome; the axis its unit, unless
		// the tick labels carry it.
		xlabel = ""
		if !sc.ratio && !sc.year {
			xlabel = sc.unit
		}
	}
	p := newPlot(xlabel, "")
	p.Add(tb)
	if small {
		p.X.Min, p.X.Max = axLo, axHi
	} else {
		p.X.Min, p.X.Max = axLo-span*0.02, axHi+span*0.02
		if sc.ratio {
			p.X.Min, p.X.Max = math.Max(p.X.Min, math.Min(axLo, 0)), math.Min(p.X.Max, math.Max(axHi, 1))
		}
	}
	p.X.Tick.Marker = sc.ticks
	p.Y.Min, p.Y.Max = -0.5, float64(len(bars))-0.5
	names := make([]string, len(bars))
	for i, b := range bars {
		names[i] = wrapName(b.Input, labelW)
	}
	p.Y.Tick.Marker = tornadoRowTicks(names)
	p.Y.Tick.Label.Font = houseFont(rowFont(labelW))
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	c.Plots = []*plot.Plot{p}
	c.rowsShown, c.labelW, c.variant = len(bars), labelW, fmt.Sprintf("%d/%g", len(bars), labelW)

	c.addLegend(fmt.Sprintf("input at its %s (low)", d.LowLabel), fillThumb{tornadoLowColor})
	c.addLegend(fmt.Sprintf("input at its %s (high)", d.HighLabel), fillThumb{tornadoHighColor})
	c.addLegend("base: every input at its median, "+sc.format(d.Base), lineThumb(tornadoBaseLine))
	note := fmt.Sprintf("Bars: the outcome with one input at the %s or %s of its distribution, the others at their medians; labels give the input's value.",
		d.LowLabel, d.HighLabel)
	if more > 0 && !cut {
		note += fmt.Sprintf(" %d more inputs with smaller swings are in the CSV.", more)
	}
	if len(idle) > 0 {
		note += " No effect: " + listNames(idle, 4) + "."
	}
	if anyNever {
		note += " Never: the threshold is not crossed in the run."
	}
	c.Notes = sweepNotes(note, d.Outcome.Doc)
	if cut {
		c.Notes = append([]string{fmt.Sprintf("Left out at this size: %d inputs with smaller swings (all are in the CSV).", more)}, c.Notes...)
		c.keyNotes = 1
	}
	return c, tb, nil
}

// listNames lists up to n names, then how many more.
func listNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

var tornadoBaseLine = draw.LineStyle{Color: color.Black, Width: vg.Points(0.9), Dashes: []vg.Length{vg.Points(3), vg.Points(1.5)}}

func (tb *tornadoBars) y(i int) float64 { return float64(len(tb.rows) - 1 - i) }

// barEnd returns the x where a bar to v ends, and whether v is never.
func (tb *tornadoBars) barEnd(v float64) (float64, bool) {
	if math.IsInf(v, 1) || math.IsNaN(v) {
		return tb.hi, true
	}
	return v, false
}

// tornadoEnd is one end of a tornado row: the bar from the base to the
// outcome with the input at one end of its range.
type tornadoEnd struct {
	never bool
	x     float64 // where the bar ends (hi for never)
	d     float64 // x − base
	col   color.Color
	label string
}

func (tb *tornadoBars) ends(b TornadoBar) (lo, hi tornadoEnd) {
	mk := func(v float64, col color.Color, label string) tornadoEnd {
		x, never := tb.barEnd(v)
		if never {
			label += " → never"
		}
		return tornadoEnd{never: never, x: x, d: x - tb.base, col: col, label: label}
	}
	return mk(b.AtLow, tornadoLowColor, b.Low), mk(b.AtHigh, tornadoHighColor, b.High)
}

// noEffect is the label of a row whose input moves nothing.
func noEffect(b TornadoBar) string { return "no effect (" + b.Low + " to " + b.High + ")" }

// side is the side of the base a label goes: the side its bar points to,
// or for a bar of no length the side opposite the other bar.
func side(e, other tornadoEnd) float64 {
	switch {
	case e.d > 0:
		return 1
	case e.d < 0:
		return -1
	case other.d > 0:
		return -1
	}
	return 1
}

// textOn is black or white, whichever reads on a fill.
func textOn(fill color.Color) color.Color {
	if sweepLuminance(fill) < 0.3 {
		return color.White
	}
	return color.Black
}

func (tb *tornadoBars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	rowH := ty(1) - ty(0)
	x0 := tx(tb.base)
	gap := vg.Points(2)
	for i, b := range tb.rows {
		yc := ty(tb.y(i))
		lo, hi := tb.ends(b)
		st := tb.font
		st.YAlign = draw.YCenter
		text := func(col color.Color, x vg.Length, dir float64, s string) {
			t := st
			t.Color = col
			t.XAlign = draw.XLeft
			if dir < 0 {
				t.XAlign = draw.XRight
			}
			c.FillText(t, vg.Point{X: x + vg.Length(dir)*gap, Y: yc}, s)
		}
		bar := func(e tornadoEnd, h vg.Length) {
			x1 := tx(e.x)
			if x1 == x0 {
				return
			}
			lx, rx := min(x0, x1), max(x0, x1)
			if e.never {
				// A bar to never ends in an arrow: it runs on past the axis.
				tip := h / 2
				rx -= tip
				c.FillPolygon(e.col, c.ClipPolygonXY([]vg.Point{{X: rx, Y: yc - h/2 - tip/2}, {X: rx + tip, Y: yc}, {X: rx, Y: yc + h/2 + tip/2}}))
			}
			c.FillPolygon(e.col, c.ClipPolygonXY([]vg.Point{{X: lx, Y: yc - h/2}, {X: rx, Y: yc - h/2}, {X: rx, Y: yc + h/2}, {X: lx, Y: yc + h/2}}))
		}
		if lo.d == 0 && hi.d == 0 {
			text(color.Gray{Y: 0x60}, x0, 1, noEffect(b))
			continue
		}
		thick, thin := min(rowH*0.62, vg.Points(13)), min(rowH*0.34, vg.Points(7))
		if lo.d*hi.d <= 0 {
			// Opposite sides (or one of no length): each label beyond its end.
			for _, e := range []struct{ e, o tornadoEnd }{{lo, hi}, {hi, lo}} {
				bar(e.e, thick)
				text(tb.font.Color, tx(e.e.x), side(e.e, e.o), e.e.label)
			}
			continue
		}
		// Same side: the longer bar, then the shorter one thinner on top of it.
		long, short := lo, hi
		if math.Abs(hi.d) > math.Abs(lo.d) {
			long, short = hi, lo
		}
		dir := side(long, short)
		bar(long, thick)
		bar(short, thin)
		text(tb.font.Color, tx(long.x), dir, long.label)
		w := st.Width(short.label) + 2*gap
		xs, xl := tx(short.x), tx(long.x)
		switch {
		case vg.Length(math.Abs(float64(xl-xs))) >= w:
			// Beyond the shorter bar's end, over the longer bar.
			text(textOn(long.col), xs, dir, short.label)
		case vg.Length(math.Abs(float64(xs-x0))) >= w:
			// Inside the shorter bar.
			text(textOn(short.col), xs, -dir, short.label)
		default:
			// On the empty side of the base.
			text(tb.font.Color, x0, -dir, short.label)
		}
	}
	c.StrokeLine2(tornadoBaseLine, x0, c.Min.Y, x0, c.Max.Y)
}

func (tb *tornadoBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return tb.lo, tb.hi, -0.5, float64(len(tb.rows)) - 0.5
}

// GlyphBoxes reserves room for the labels outside the bars: beyond each
// end, and on the empty side of the base for a shorter bar on the same
// side as a longer one, where its label may go.
func (tb *tornadoBars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var out []plot.GlyphBox
	box := func(x, y float64, dir float64, s string) {
		w := tb.font.Width(s) + vg.Points(2)
		h := tb.font.Height(s)
		r := vg.Rectangle{Min: vg.Point{X: 0, Y: -h / 2}, Max: vg.Point{X: w, Y: h / 2}}
		if dir < 0 {
			r = vg.Rectangle{Min: vg.Point{X: -w, Y: -h / 2}, Max: vg.Point{X: 0, Y: h / 2}}
		}
		out = append(out, plot.GlyphBox{X: p.X.Norm(x), Y: y, Rectangle: r})
	}
	for i, b := range tb.rows {
		y := p.Y.Norm(tb.y(i))
		lo, hi := tb.ends(b)
		switch {
		case lo.d == 0 && hi.d == 0:
			box(tb.base, y, 1, noEffect(b))
		case lo.d*hi.d <= 0:
			box(lo.x, y, side(lo, hi), lo.label)
			box(hi.x, y, side(hi, lo), hi.label)
		default:
			long, short := lo, hi
			if math.Abs(hi.d) > math.Abs(lo.d) {
				long, short = hi, lo
			}
			box(long.x, y, side(long, short), long.label)
			box(tb.base, y, -side(long, short), short.label)
		}
	}
	return out
}

// tornadoRowTicks labels rows 0..n-1 of a category axis, rows[0] on top.
type tornadoRowTicks []string

func (rt tornadoRowTicks) Ticks(min, max float64) []plot.Tick {
	out := make([]plot.Tick, len(rt))
	for i, s := range rt {
		out[i] = plot.Tick{Value: float64(len(rt) - 1 - i), Label: s}
	}
	return out
}
