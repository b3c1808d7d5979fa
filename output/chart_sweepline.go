package output

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
	if err := o.Validate(); err != nil {
		return nil, nil, fmt.Errorf("sweep chart: %w", err)
	}
	c, sp, err := sweepLineChart(d, o, false)
	if err != nil {
		return nil, nil, err
	}
	c.fit = func(area draw.Canvas, prev *Chart) *Chart {
		narrow := area.Max.X-area.Min.X < narrowWidth
		if narrow == (prev.variant == "narrow") {
			return prev
		}
		next, _, err := sweepLineChart(d, o, narrow)
		if err != nil {
			return prev
		}
		return next
	}
	return c, sp, nil
}

// sweepLineChart draws the chart; narrow, the y axis gives the unit
// only, the title naming the outcome.
func sweepLineChart(d SweepLineData, o ChartOptions, narrow bool) (*Chart, *sweepPoints, error) {
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
	readable := OutcomeTitle(d.Outcome.Name)
	title := fmt.Sprintf("%s against %s, %s", capitalise(readable), d.Axis.Name, d.Scenario)
	c := &Chart{Name: "sweep-" + OutcomeSlug(d.Axis.Name) + "-" + OutcomeSlug(d.Outcome.Name), Title: title,
		Subtitle: d.Outcome.Name, Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	xl := d.Axis.Name
	if d.Axis.Unit != "" && d.Axis.Unit != "period" {
		xl += " (" + d.Axis.Unit + ")"
	}
	yl := sc.label(readable)
	if narrow {
		c.variant = "narrow"
		yl = sc.unit
		if sc.ratio {
			yl = "share (%)"
		}
	}
	p := newPlot(xl, yl)
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
	c.Legend = append([]LegendEntry{{Label: readable, Thumb: markThumbSweep{sty}}}, c.Legend...)
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
	var placedBoxes []vg.Rectangle
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
			w, h := st.Width("never"), st.Height("never")
			at := vg.Point{X: px, Y: pt.Y - vg.Points(3) - h}
			if b := (vg.Rectangle{Min: vg.Point{X: px - w/2, Y: at.Y}, Max: vg.Point{X: px + w/2, Y: at.Y + h}}); inside(b, c.Rectangle) && !anyOverlap(b, placedBoxes) {
				placedBoxes = append(placedBoxes, b)
				c.FillText(st, at, "never")
			}
			continue
		}
		pt := vg.Point{X: px, Y: ty(y)}
		c.DrawGlyph(gs, pt)
		if sp.labels {
			// Above the point, else below it, else none: labels never
			// overlap each other or leave the frame.
			label := sp.scale.format(y)
			w, h := st.Width(label), st.Height(label)
			pad := vg.Points(0.8)
			for _, at := range []vg.Point{{X: px, Y: pt.Y + vg.Points(3)}, {X: px, Y: pt.Y - vg.Points(3) - h}} {
				b := vg.Rectangle{Min: vg.Point{X: at.X - w/2 - pad, Y: at.Y}, Max: vg.Point{X: at.X + w/2 + pad, Y: at.Y + h}}
				if !inside(b, c.Rectangle) || anyOverlap(b, placedBoxes) {
					continue
				}
				placedBoxes = append(placedBoxes, b)
				c.FillPolygon(color.White, []vg.Point{b.Min, {X: b.Max.X, Y: b.Min.Y}, b.Max, {X: b.Min.X, Y: b.Max.Y}})
				c.FillText(st, at, label)
				break
			}
		}
	}
}

// anyOverlap reports whether b overlaps any of boxes.
func anyOverlap(b vg.Rectangle, boxes []vg.Rectangle) bool {
	for _, o := range boxes {
		if overlaps(b, o) {
			return true
		}
	}
	return false
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
