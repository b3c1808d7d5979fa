package output

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PRIMData is what a PRIM peeling trajectory chart shows: the boxes of
// the peeling, from the whole input space to the last peel, and the box
// chosen.
type PRIMData struct {
	Name  string // file stem, such as discover-ai-ssr_compute-2030
	Title string // names the condition: "ai.ssr_compute@2030 < 0.8: PRIM peeling trajectory"
	// Scenario and Version are for the source line.
	Scenario, Version string
	// Coverage and Density are each box's share of all cases inside it
	// and share of its runs that are cases, in peeling order.
	Coverage, Density []float64
	Chosen            int     // index of the chosen box
	BaseRate          float64 // share of all runs that are cases
	Notes             []string
}

// PRIMTrajectory draws a PRIM peeling trajectory: coverage across,
// density up, a point per box joined in peeling order, from the whole
// input space (coverage 1, density the base rate) up and to the left;
// the chosen box highlighted and labelled with its coverage and density,
// and the base rate as a dashed line. Both axes run from 0 to 1. title
// may name the outcome by its expression, which the chart reads out
// (ReadableTitle).
func PRIMTrajectory(d PRIMData, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("PRIM chart %s: %w", d.Name, err)
	}
	n := len(d.Coverage)
	switch {
	case n == 0 || len(d.Density) != n:
		return nil, fmt.Errorf("PRIM chart %s: %d coverages and %d densities; want as many, at least one", d.Name, n, len(d.Density))
	case d.Chosen < 0 || d.Chosen >= n:
		return nil, fmt.Errorf("PRIM chart %s: chosen box %d of %d", d.Name, d.Chosen, n)
	case !share(d.BaseRate):
		return nil, fmt.Errorf("PRIM chart %s: base rate %g; want a share from 0 to 1", d.Name, d.BaseRate)
	}
	for k := range n {
		if !share(d.Coverage[k]) || !share(d.Density[k]) {
			return nil, fmt.Errorf("PRIM chart %s: box %d has coverage %g and density %g; want shares from 0 to 1", d.Name, k, d.Coverage[k], d.Density[k])
		}
	}
	readable, ids := ReadableTitle(d.Title)
	c := &Chart{Name: d.Name, Title: readable, Subtitle: ids, Source: sourceLine([]string{d.Scenario}, d.Version, o.Date)}
	p := newPlot("coverage (share of cases in the box)", "density (share of the box that are cases)")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker, p.Y.Tick.Marker = tenthTicks{}, tenthTicks{}
	p.Add(&primPath{cov: d.Coverage, dens: d.Density, chosen: d.Chosen, base: d.BaseRate})
	c.Plots = []*plot.Plot{p}
	c.Notes = append([]string{"Points: the boxes of PRIM's peeling (Friedman and Fisher 1999), from the whole input space (coverage 1, at the base rate); " +
		"each step removes the runs at one end of one input that leaves the densest box."},
		d.Notes...)
	return c, nil
}

func share(v float64) bool { return v >= 0 && v <= 1 }

// tenthTicks mark shares in [0, 1] every 0.1, labelled every 0.2.
type tenthTicks struct{}

func (tenthTicks) Ticks(lo, hi float64) []plot.Tick {
	return tenths(lo, hi, func(i int) string { return fmt.Sprint(float64(i) / 10) })
}

// primPath draws the trajectory, the chosen box and the base rate, and
// labels the last two where they touch neither each other, the points,
// the line nor the frame.
type primPath struct {
	cov, dens []float64
	chosen    int
	base      float64
}

var (
	primLine   = draw.LineStyle{Color: Palette[0], Width: vg.Points(0.8)}
	primPoint  = draw.GlyphStyle{Color: Palette[0], Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
	primChosen = draw.GlyphStyle{Color: Palette[4], Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	primRing   = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.4), Shape: draw.RingGlyph{}}
	primBase   = draw.LineStyle{Color: grey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
	primLeader = draw.LineStyle{Color: grey, Width: vg.Points(0.5)}
	primText   = textStyle(6.5, color.Gray{Y: 0x20})
	primBaseSt = textStyle(6, color.Gray{Y: 0x50})
)

func (pp *primPath) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	pts := make([]vg.Point, len(pp.cov))
	for k := range pts {
		pts[k] = vg.Point{X: tx(pp.cov[k]), Y: ty(pp.dens[k])}
	}
	at, by := pts[pp.chosen], ty(pp.base)

	// Labels go where they touch neither the frame nor each other, nor
	// (strictly) the points or the line.
	r := primRing.Radius + vg.Points(0.5)
	var labels []vg.Rectangle
	free := func(b vg.Rectangle, strict bool) bool {
		if !inside(b, c.Rectangle) {
			return false
		}
		for _, l := range labels {
			if overlaps(b, l) {
				return false
			}
		}
		for k, pt := range pts {
			if strict && (overlaps(b, vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}}) ||
				k > 0 && crosses(b, pts[k-1], pt)) {
				return false
			}
		}
		return true
	}
	// place puts a box of size sz at the first of cands (bottom left
	// corners) that is strictly free, else at the first that is free.
	place := func(sz vg.Point, cands []vg.Point) vg.Rectangle {
		for _, strict := range []bool{true, false} {
			for _, m := range cands {
				if b := (vg.Rectangle{Min: m, Max: m.Add(sz)}); free(b, strict) {
					labels = append(labels, b)
					return b
				}
			}
		}
		return vg.Rectangle{Min: cands[0], Max: cands[0].Add(sz)}
	}

	// The chosen box's label: beside its point, else at the nearest place
	// in the frame, with a leader line.
	chosen := fmt.Sprintf("chosen: coverage %.2f, density %.2f", pp.cov[pp.chosen], pp.dens[pp.chosen])
	sz := textSize(primText, chosen)
	g := r + vg.Points(1.5)
	d := g * 0.75
	cands := []vg.Point{
		{X: at.X - g - sz.X, Y: at.Y - sz.Y/2}, {X: at.X + g, Y: at.Y - sz.Y/2},
		{X: at.X - sz.X/2, Y: at.Y + g}, {X: at.X - sz.X/2, Y: at.Y - g - sz.Y},
		{X: at.X - d - sz.X, Y: at.Y + d}, {X: at.X + d, Y: at.Y + d},
		{X: at.X - d - sz.X, Y: at.Y - d - sz.Y}, {X: at.X + d, Y: at.Y - d - sz.Y},
	}
	var grid []vg.Point
	for x := c.Min.X; x+sz.X <= c.Max.X; x += vg.Points(2) {
		for y := c.Min.Y; y+sz.Y <= c.Max.Y; y += vg.Points(2) {
			grid = append(grid, vg.Point{X: x, Y: y})
		}
	}
	near := func(b vg.Rectangle) vg.Point { // b's point nearest to at
		return vg.Point{X: min(max(at.X, b.Min.X), b.Max.X), Y: min(max(at.Y, b.Min.Y), b.Max.Y)}
	}
	dist := func(m vg.Point) float64 {
		q := near(vg.Rectangle{Min: m, Max: m.Add(sz)})
		return math.Hypot(float64(q.X-at.X), float64(q.Y-at.Y))
	}
	sort.SliceStable(grid, func(i, j int) bool { return dist(grid[i]) < dist(grid[j]) })
	chosenBox := place(sz, append(cands, grid...))

	// The base rate's label: along its line, above or below it, from the
	// left.
	base := fmt.Sprintf("base rate %.2f", pp.base)
	bsz := textSize(primBaseSt, base)
	cands = nil
	for x := c.Min.X + vg.Points(3); x+bsz.X <= c.Max.X; x += vg.Points(2) {
		cands = append(cands, vg.Point{X: x, Y: by + vg.Points(1.5)}, vg.Point{X: x, Y: by - vg.Points(1.5) - bsz.Y})
	}
	baseBox := place(bsz, cands)

	c.StrokeLine2(primBase, c.Min.X, by, c.Max.X, by)
	c.StrokeLines(primLine, pts)
	for _, pt := range pts {
		c.DrawGlyph(primPoint, pt)
	}
	if q := near(chosenBox); dist(chosenBox.Min) > float64(2*g) {
		c.StrokeLine2(primLeader, at.X, at.Y, q.X, q.Y)
	}
	c.DrawGlyph(primChosen, at)
	c.DrawGlyph(primRing, at)
	// Labels on white, so that lines under them do not cross the letters.
	for _, l := range []struct {
		st  draw.TextStyle
		s   string
		box vg.Rectangle
	}{{primText, chosen, chosenBox}, {primBaseSt, base, baseBox}} {
		b := l.box
		b.Min.X, b.Max.X = b.Min.X-vg.Points(0.5), b.Max.X+vg.Points(0.5)
		c.FillPolygon(color.White, []vg.Point{b.Min, {X: b.Max.X, Y: b.Min.Y}, b.Max, {X: b.Min.X, Y: b.Max.Y}})
		c.FillText(l.st, textAt(l.st, l.box), l.s)
	}
}

// crosses reports whether the segment from a to b passes through r.
func crosses(r vg.Rectangle, a, b vg.Point) bool {
	// Liang and Barsky: clip the segment's parameter range to r.
	lo, hi := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range []struct{ p, q float64 }{
		{-dx, float64(a.X - r.Min.X)}, {dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)}, {dy, float64(r.Max.Y - a.Y)},
	} {
		switch {
		case e.p == 0 && e.q < 0:
			return false
		case e.p < 0:
			lo = math.Max(lo, e.q/e.p)
		case e.p > 0:
			hi = math.Min(hi, e.q/e.p)
		}
	}
	return lo <= hi
}

func (pp *primPath) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, 0, 1 }
