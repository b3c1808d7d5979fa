package output

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepOutcome describes the outcome a sweep chart draws.
type SweepOutcome struct {
	Name   string // the expression, such as ai.ssr_compute@2030
	Unit   string // ratio, share, year (first()) or the metric's unit
	Doc    string // the metric with its definition, for the note under the chart
	Format func(v float64) string
}

// SweepAxis is an input a sweep varies.
type SweepAxis struct {
	Name   string
	Unit   string
	Levels []float64
	// Format formats a level for people (a period, a choice or a number);
	// nil prints 4 significant digits.
	Format func(v float64) string
	// Scenario is the input's value in the scenario as written (its
	// median when it is uncertain); NaN when it has none to show.
	Scenario float64
}

func (a *SweepAxis) format(v float64) string {
	if a.Format != nil {
		return a.Format(v)
	}
	return FormatInput(v)
}

// FormatInput prints an input value with 4 significant digits, without
// exponent for everyday magnitudes.
func FormatInput(v float64) string {
	a := math.Abs(v)
	if a >= 1e4 && a < 1e15 {
		return Human(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

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
// with the input's value.
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
	more := 0
	if len(bars) > MaxTornadoBars {
		more = len(bars) - MaxTornadoBars
		bars = bars[:MaxTornadoBars]
	}
	vals := []float64{d.Base}
	for _, b := range bars {
		vals = append(vals, b.AtLow, b.AtHigh)
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
	span := hi - lo
	if span == 0 {
		span = math.Max(math.Abs(hi)*0.1, 1e-9)
		if sc.ratio {
			span = 0.05
		}
	}
	if anyNever {
		hi += span * 0.25 // room for the bars that run to "never"
	}
	tb.lo, tb.hi = lo, hi

	title := fmt.Sprintf("%s: swing from each input, %s", d.Outcome.Name, d.Scenario)
	c := &Chart{Name: "tornado-" + OutcomeSlug(d.Outcome.Name), Title: title, Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	p := newPlot(sc.label(d.Outcome.Name), "")
	p.Title.Text = title
	p.Add(tb)
	p.X.Min, p.X.Max = lo-span*0.02, hi+span*0.02
	if sc.ratio {
		p.X.Min, p.X.Max = math.Max(p.X.Min, math.Min(lo, 0)), math.Min(p.X.Max, math.Max(hi, 1))
	}
	p.X.Tick.Marker = sc.ticks
	p.Y.Min, p.Y.Max = -0.5, float64(len(bars))-0.5
	names := make([]string, len(bars))
	for i, b := range bars {
		names[i] = b.Input
	}
	p.Y.Tick.Marker = tornadoRowTicks(names)
	p.Y.Tick.Label.Font = houseFont(6.5)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	c.Plots = []*plot.Plot{p}

	c.addLegend(fmt.Sprintf("input at its %s (low)", d.LowLabel), fillThumb{tornadoLowColor})
	c.addLegend(fmt.Sprintf("input at its %s (high)", d.HighLabel), fillThumb{tornadoHighColor})
	c.addLegend("base: every input at its median, "+sc.format(d.Base), lineThumb(tornadoBaseLine))
	note := fmt.Sprintf("Bars: %s with one input at the %s or %s of its distribution, the others at their medians; labels give the input's value.",
		d.Outcome.Name, d.LowLabel, d.HighLabel)
	if more > 0 {
		note += fmt.Sprintf(" %d more inputs with smaller swings are in the CSV.", more)
	}
	if len(idle) > 0 {
		note += " No effect: " + listNames(idle, 4) + "."
	}
	if anyNever {
		note += " Never: the threshold is not crossed in the run."
	}
	c.Notes = sweepNotes(note, d.Outcome.Doc)
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

// sweepNotes wraps a note and the outcome's definition into lines that fit
// one of the chart's two note columns, which read top to bottom, left
// column first; the definition starts a line of its own.
func sweepNotes(note, doc string) []string {
	lines := wrap(note, 76)
	if doc != "" {
		lines = append(lines, wrap(doc+".", 76)...)
	}
	return lines
}

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

// sweepScale says how an outcome's values are drawn and labelled.
type sweepScale struct {
	div   float64
	unit  string // axis unit text
	ratio bool
	year  bool
	fmt   func(float64) string
	ticks plot.Ticker
}

func newSweepScale(o SweepOutcome, vals []float64) sweepScale {
	sc := sweepScale{div: 1, unit: o.Unit, fmt: o.Format}
	switch o.Unit {
	case "ratio", "share":
		sc.ratio, sc.unit = true, "%"
		sc.ticks = fewTicks{percent: true}
	case "year":
		sc.year, sc.unit = true, "year"
		sc.ticks = sweepYearTicks{}
	default:
		peak := 0.0
		for _, v := range vals {
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				peak = math.Max(peak, math.Abs(v))
			}
		}
		sc.div, sc.unit = scaleUnit(peak, o.Unit)
		sc.ticks = sweepScaledTicks{div: sc.div}
	}
	return sc
}

// label is an axis label for the outcome.
func (sc sweepScale) label(name string) string {
	if sc.unit == "" {
		return name
	}
	return name + " (" + sc.unit + ")"
}

// format prints a value for a label on the chart.
func (sc sweepScale) format(v float64) string {
	switch {
	case math.IsInf(v, 1) && sc.year:
		return "never"
	case sc.year && sc.fmt != nil:
		return sc.fmt(v)
	case sc.ratio:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	}
	return Human(v)
}

// sweepScaledTicks are fewTicks on values shown divided by div.
type sweepScaledTicks struct{ div float64 }

func (st sweepScaledTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := fewTicks{}.Ticks(lo/st.div, hi/st.div)
	for i := range ts {
		ts[i].Value *= st.div
	}
	return ts
}

// sweepYearTicks label whole years; on spans under three years quarters get
// marks, labelled Q2, Q3, Q4 under a year and a half.
type sweepYearTicks struct{}

func (sweepYearTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	if hi-lo > 12 {
		step = 2
	}
	var out []plot.Tick
	for y := int(math.Ceil(lo - 1e-9)); float64(y) <= hi+1e-9; y++ {
		if y%step == 0 {
			out = append(out, plot.Tick{Value: float64(y), Label: strconv.Itoa(y)})
		}
	}
	if hi-lo < 3 {
		// Quarters, labelled on short spans.
		for q := math.Ceil(lo*4 - 1e-9); q/4 <= hi+1e-9; q++ {
			if k := int(math.Mod(q, 4)); k != 0 {
				t := plot.Tick{Value: q / 4}
				if hi-lo < 1.6 {
					t.Label = fmt.Sprintf("Q%d", k+1)
				}
				out = append(out, t)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, plot.Tick{Value: lo, Label: strconv.FormatFloat(lo, 'f', 2, 64)})
	}
	return out
}

// ------------------------------------------------------------- sweep line

// SweepLineData is one outcome along one swept input.
type SweepLineData struct {
	Scenario, Version string
	Axis              SweepAxis
	Outcome           SweepOutcome
	Y                 []float64 // one per level
	// Fixed says what the other inputs were held at, for the note.
	Fixed string
}

// SweepLine draws an outcome against one swept input: a line through the
// grid points, each labelled with its value, and the scenario's own value
// of the input marked.
func SweepLine(d SweepLineData, o ChartOptions) (*Chart, error) {
	c, _, err := newSweepLine(d, o)
	return c, err
}

// sweepPoints draws a line through finite points, a marker and a value
// label at each, and "never" at the top for +Inf.
type sweepPoints struct {
	xs, ys []float64
	scale  sweepScale
	labels bool
	font   draw.TextStyle
	top    float64
}

func newSweepLine(d SweepLineData, o ChartOptions) (*Chart, *sweepPoints, error) {
	n := len(d.Axis.Levels)
	if n == 0 || len(d.Y) != n {
		return nil, nil, fmt.Errorf("sweep chart: %d levels and %d values", n, len(d.Y))
	}
	sc := newSweepScale(d.Outcome, d.Y)
	sp := &sweepPoints{xs: d.Axis.Levels, ys: d.Y, scale: sc, labels: n <= 12, font: textStyle(6, color.Gray{Y: 0x20})}
	lo, hi := math.Inf(1), math.Inf(-1)
	never := false
	for _, v := range d.Y {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			never = true
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 1) {
		return nil, nil, fmt.Errorf("sweep chart: %s is never reached along %s", d.Outcome.Name, d.Axis.Name)
	}
	title := fmt.Sprintf("%s against %s, %s", d.Outcome.Name, d.Axis.Name, d.Scenario)
	c := &Chart{Name: "sweep-" + OutcomeSlug(d.Axis.Name) + "-" + OutcomeSlug(d.Outcome.Name), Title: title,
		Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	xl := d.Axis.Name
	if d.Axis.Unit != "" && d.Axis.Unit != "period" {
		xl += " (" + d.Axis.Unit + ")"
	}
	p := newPlot(xl, sc.label(d.Outcome.Name))
	p.Title.Text = title
	xmin, xmax := d.Axis.Levels[0], d.Axis.Levels[n-1]
	if xmin > xmax {
		xmin, xmax = xmax, xmin
	}
	pad := (xmax - xmin) * 0.04
	if pad == 0 {
		pad = math.Max(math.Abs(xmin)*0.05, 0.5)
	}
	p.X.Min, p.X.Max = xmin-pad, xmax+pad
	p.X.Tick.Marker = sweepLevelTicks{axis: &d.Axis}
	// Volumes and ratios start at zero, so that the slope reads at its
	// true size; years are zoomed on the values.
	switch {
	case sc.year:
		span := math.Max(hi-lo, 1)
		p.Y.Min, p.Y.Max = math.Floor(lo-span*0.1), math.Ceil(hi+span*0.15)
	case lo >= 0:
		p.Y.Min = 0
		p.Y.Max = roundUp(0, hi*1.08/sc.div) * sc.div
		if sc.ratio {
			p.Y.Max = math.Min(sweepRoundUpPercent(hi*1.08), 1)
		}
	default:
		span := hi - lo
		p.Y.Min, p.Y.Max = lo-span*0.1, hi+span*0.15
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
		if sc.ratio {
			p.Y.Max = p.Y.Min + 0.1
		}
	}
	sp.top = p.Y.Max
	p.Y.Tick.Marker = sc.ticks
	if !math.IsNaN(d.Axis.Scenario) {
		mk := &sweepScenarioMark{x: d.Axis.Scenario}
		p.Add(mk)
		c.addLegend("the scenario's "+d.Axis.Name+": "+d.Axis.format(d.Axis.Scenario), lineThumb(mk.style()))
	}
	p.Add(sp)
	c.Plots = []*plot.Plot{p}
	sty := draw.LineStyle{Color: Palette[0], Width: vg.Points(1.4)}
	c.Legend = append([]LegendEntry{{Label: d.Outcome.Name, Thumb: markThumbSweep{sty}}}, c.Legend...)
	note := fmt.Sprintf("%d runs, %s from %s to %s.", n, d.Axis.Name, d.Axis.format(d.Axis.Levels[0]), d.Axis.format(d.Axis.Levels[n-1]))
	if d.Fixed != "" {
		note += " " + d.Fixed
	}
	if never {
		c.addLegend("never: not crossed in the run", ringThumb{})
	}
	c.Notes = sweepNotes(note, d.Outcome.Doc)
	return c, sp, nil
}

// sweepRoundUpPercent rounds a share up to the next 10%.
func sweepRoundUpPercent(v float64) float64 { return math.Ceil(v*10-1e-9) / 10 }

// ringThumb is the legend mark of a "never" point.
type ringThumb struct{}

func (ringThumb) Thumbnail(c *draw.Canvas) {
	ctr := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	c.DrawGlyph(draw.GlyphStyle{Color: Palette[4], Radius: vg.Points(2), Shape: draw.RingGlyph{}}, ctr)
}

type markThumbSweep struct{ sty draw.LineStyle }

func (m markThumbSweep) Thumbnail(c *draw.Canvas) {
	lineThumb(m.sty).Thumbnail(c)
	ctr := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	c.DrawGlyph(draw.GlyphStyle{Color: m.sty.Color, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}, ctr)
}

func (sp *sweepPoints) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := draw.LineStyle{Color: Palette[0], Width: vg.Points(1.4)}
	var run []vg.Point
	flush := func() {
		if len(run) > 1 {
			c.StrokeLines(sty, c.ClipLinesXY(run)...)
		}
		run = run[:0]
	}
	for i, x := range sp.xs {
		y := sp.ys[i]
		if math.IsInf(y, 0) || math.IsNaN(y) {
			flush()
			continue
		}
		run = append(run, vg.Point{X: tx(x), Y: ty(y)})
	}
	flush()
	gs := draw.GlyphStyle{Color: Palette[0], Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	st := sp.font
	st.XAlign = draw.XCenter
	st.YAlign = draw.YBottom
	for i, x := range sp.xs {
		y := sp.ys[i]
		px := tx(x)
		if math.IsInf(y, 1) || math.IsNaN(y) {
			// never: an open marker at the top of the frame.
			pt := vg.Point{X: px, Y: c.Max.Y - vg.Points(3)}
			c.DrawGlyph(draw.GlyphStyle{Color: Palette[4], Radius: vg.Points(2), Shape: draw.RingGlyph{}}, pt)
			st2 := st
			st2.YAlign = draw.YTop
			c.FillText(st2, vg.Point{X: px, Y: pt.Y - vg.Points(3)}, "never")
			continue
		}
		pt := vg.Point{X: px, Y: ty(y)}
		c.DrawGlyph(gs, pt)
		if sp.labels {
			label := sp.scale.format(y)
			w, h := st.Width(label), st.Height(label)
			at := vg.Point{X: px, Y: pt.Y + vg.Points(3)}
			pad := vg.Points(0.8)
			c.FillPolygon(color.White, []vg.Point{{X: at.X - w/2 - pad, Y: at.Y}, {X: at.X + w/2 + pad, Y: at.Y}, {X: at.X + w/2 + pad, Y: at.Y + h}, {X: at.X - w/2 - pad, Y: at.Y + h}})
			c.FillText(st, at, label)
		}
	}
}

func (sp *sweepPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, x := range sp.xs {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		if y := sp.ys[i]; !math.IsInf(y, 0) && !math.IsNaN(y) {
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
		}
	}
	return
}

// GlyphBoxes reserves room for the value labels above the points.
func (sp *sweepPoints) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if !sp.labels {
		return nil
	}
	var out []plot.GlyphBox
	for i, x := range sp.xs {
		y := sp.ys[i]
		if math.IsInf(y, 0) || math.IsNaN(y) {
			continue
		}
		s := sp.scale.format(y)
		w, h := sp.font.Width(s), sp.font.Height(s)
		out = append(out, plot.GlyphBox{X: p.X.Norm(x), Y: p.Y.Norm(y),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -w / 2, Y: vg.Points(3)}, Max: vg.Point{X: w / 2, Y: vg.Points(3) + h}}})
	}
	return out
}

// sweepScenarioMark is a vertical line at the scenario's own value of the
// swept input; the legend gives the value.
type sweepScenarioMark struct{ x float64 }

func (m *sweepScenarioMark) style() draw.LineStyle {
	return draw.LineStyle{Color: grey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
}

func (m *sweepScenarioMark) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	if x := tx(m.x); x >= c.Min.X && x <= c.Max.X {
		c.StrokeLine2(m.style(), x, c.Min.Y, x, c.Max.Y)
	}
}

// sweepLevelTicks marks an axis's levels, labelled with the axis's formatter;
// with many levels, every k-th is labelled.
type sweepLevelTicks struct{ axis *SweepAxis }

func (lt sweepLevelTicks) Ticks(lo, hi float64) []plot.Tick {
	lv := lt.axis.Levels
	if len(lv) > 16 {
		// Too many to mark each: round ticks, labelled with the formatter.
		ts := fewTicks{}.Ticks(lo, hi)
		for i := range ts {
			ts[i].Label = lt.axis.format(ts[i].Value)
		}
		return ts
	}
	every := 1
	for len(lv)/every > 8 {
		every++
	}
	out := make([]plot.Tick, len(lv))
	for i, v := range lv {
		out[i] = plot.Tick{Value: v}
		if i%every == 0 {
			out[i].Label = lt.axis.format(v)
		}
	}
	return out
}

// ----------------------------------------------------------------- heatmap

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

// Viridis is a perceptually uniform, colour-blind-safe sequential palette
// (matplotlib's viridis, sampled at ten points), dark to light.
var Viridis = []color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x28, 0x78, 0xff}, {0x3E, 0x4A, 0x89, 0xff}, {0x31, 0x68, 0x8E, 0xff},
	{0x26, 0x82, 0x8E, 0xff}, {0x1F, 0x9E, 0x89, 0xff}, {0x35, 0xB7, 0x79, 0xff}, {0x6D, 0xCD, 0x59, 0xff},
	{0xB4, 0xDE, 0x2C, 0xff}, {0xFD, 0xE7, 0x25, 0xff},
}

// viridisAt interpolates the palette at f in [0, 1].
func viridisAt(f float64) color.RGBA {
	f = math.Max(0, math.Min(1, f)) * float64(len(Viridis)-1)
	i := min(int(f), len(Viridis)-2)
	t := f - float64(i)
	a, b := Viridis[i], Viridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// sweepLuminance is a colour's relative sweepLuminance in [0, 1].
func sweepLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
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

// sweepClean drops floating-point noise: 0.30000000000000004 is 0.3.
func sweepClean(v float64) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return x
}

// Heatmap draws an outcome over a grid of two inputs: a cell per pair of
// levels coloured by class on a viridis scale (the legend below gives the
// classes), each cell with its value when it fits.
func Heatmap(d HeatmapData, o ChartOptions) (*Chart, error) {
	c, _, err := newHeatmap(d, o)
	return c, err
}

func newHeatmap(d HeatmapData, o ChartOptions) (*Chart, *heatCells, error) {
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
	if !math.IsInf(lo, 1) {
		if sc.ratio {
			h.bounds = heatClassBounds(lo*100, hi*100, false)
			for i := range h.bounds {
				h.bounds[i] = sweepClean(h.bounds[i] / 100)
			}
		} else {
			h.bounds = heatClassBounds(lo/sc.div, hi/sc.div, sc.year)
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
	title := fmt.Sprintf("%s by %s and %s, %s", d.Outcome.Name, d.X.Name, d.Y.Name, d.Scenario)
	c := &Chart{Name: "heatmap-" + OutcomeSlug(d.X.Name) + "-" + OutcomeSlug(d.Y.Name) + "-" + OutcomeSlug(d.Outcome.Name), Title: title,
		Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	label := func(a *SweepAxis) string {
		if a.Unit != "" && a.Unit != "period" {
			return a.Name + " (" + a.Unit + ")"
		}
		return a.Name
	}
	p := newPlot(label(&d.X), label(&d.Y))
	p.Title.Text = title
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

func sweepTrimZero(v float64) string { return strconv.FormatFloat(sweepClean(v), 'f', -1, 64) }

type sweepHatchThumb struct{}

func (sweepHatchThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(sweepNeverColor, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
	hs := draw.LineStyle{Color: color.Gray{Y: 0xB0}, Width: vg.Points(0.4)}
	for x := c.Min.X; x < c.Max.X; x += vg.Points(3) {
		c.StrokeLine2(hs, x, c.Min.Y, min(x+(c.Max.Y-c.Min.Y), c.Max.X), c.Max.Y)
	}
}

// OutcomeSlug makes an outcome expression or a parameter path safe in a file
// name: ai.ssr_compute@2030 is ai-ssr_compute-2030, first(ai.ssr_units >=
// 0.5) is first-ai-ssr_units-ge-0.5.
func OutcomeSlug(s string) string {
	repl := strings.NewReplacer(">=", "-ge-", "<=", "-le-", ">", "-gt-", "<", "-lt-", "..", "-to-")
	s = repl.Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	rs := []rune(s)
	for i, r := range rs {
		digit := func(k int) bool { return k >= 0 && k < len(rs) && rs[k] >= '0' && rs[k] <= '9' }
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_':
			b.WriteRune(r)
			dash = false
		case r == '.' && digit(i-1) && digit(i+1):
			b.WriteRune(r) // a decimal point
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "x"
	}
	return out
}
