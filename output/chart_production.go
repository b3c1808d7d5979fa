package output

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/chipsim/chipsim/sim"
)

// bindStyle is how one binding constraint is drawn: a fill in the
// production map, a line of the same colour in the limits chart.
type bindStyle struct {
	label   string // legend label in the production map
	limit   string // legend label in the limits chart
	metric  string // the limit's metric
	color   color.Color
	hatched bool
	dashes  []vg.Length
}

// bindStyles are indexed by binding code (sim.BindPlan ...). In grey the
// fills run light to dark (demand 86%, HBM 64%, plan 50%, packaging 47%,
// dies 23% luminance), packaging is hatched as well, so none depends
// on hue.
var bindStyles = [...]bindStyle{
	sim.BindNone: {},
	sim.BindDemand: {label: "demand (the vendor's orders; supply would allow more)", limit: "orders from demand", metric: "product.limit_demand",
		color: color.RGBA{0xBF, 0xE3, 0xF5, 0xff}},
	sim.BindPlan: {label: "announced plan cap", limit: "limit: announced plan", metric: "product.limit_plan",
		color: color.RGBA{0x80, 0x80, 0x80, 0xff}, dashes: []vg.Length{vg.Points(0.8), vg.Points(2)}},
	sim.BindDies: {label: "good dies (foundry)", limit: "limit: good dies", metric: "product.limit_dies",
		color: color.RGBA{0x00, 0x4C, 0x7A, 0xff}, dashes: []vg.Length{vg.Points(5), vg.Points(2)}},
	sim.BindHBM: {label: "HBM stacks", limit: "limit: HBM stacks", metric: "product.limit_hbm",
		color: color.RGBA{0xE6, 0x9F, 0x00, 0xff}, dashes: []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}},
	sim.BindPackaging: {label: "advanced packaging", limit: "limit: packaging", metric: "product.limit_packaging",
		color: color.RGBA{0xD5, 0x5E, 0x00, 0xff}, hatched: true, dashes: []vg.Length{vg.Points(1.5), vg.Points(1.5)}},
}

// fill paints a rectangle in the style: the colour, and for hatched
// styles white diagonal lines over it.
func (s bindStyle) fill(c *draw.Canvas, r vg.Rectangle) {
	c.FillPolygon(s.color, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	if !s.hatched {
		return
	}
	ls := draw.LineStyle{Color: color.White, Width: vg.Points(0.7)}
	h := r.Max.Y - r.Min.Y
	gap := vg.Points(2.6)
	// Lines at 45 degrees: x = k + (y - minY); clip each to the rectangle.
	for k := r.Min.X - h; k < r.Max.X; k += gap {
		t0 := max(0, r.Min.X-k)
		t1 := min(h, r.Max.X-k)
		if t1 <= t0 {
			continue
		}
		c.StrokeLine2(ls, k+t0, r.Min.Y+t0, k+t1, r.Min.Y+t1)
	}
}

func (s bindStyle) Thumbnail(c *draw.Canvas) { s.fill(c, c.Rectangle) }

// lineStyle is the style's line in the limits chart.
func (s bindStyle) lineStyle() draw.LineStyle {
	return draw.LineStyle{Color: s.color, Width: vg.Points(1.3), Dashes: s.dashes}
}

// bindingMap draws one row of cells per product, one cell per period,
// filled by the constraint that binds; runs of equal cells merge.
type bindingMap struct {
	codes  [][]float64 // per row (top row first), per period
	starts []float64   // period starts, fractional years
	width  float64     // period length in years
}

func (b *bindingMap) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	n := len(b.codes)
	for i, codes := range b.codes {
		y := float64(n - 1 - i)
		lo, hi := ty(y-0.36), ty(y+0.36)
		for t := 0; t < len(codes); {
			code := bindCode(codes[t])
			u := t + 1
			for u < len(codes) && bindCode(codes[u]) == code {
				u++
			}
			if code != sim.BindNone {
				bindStyles[code].fill(&c, vg.Rectangle{Min: vg.Point{X: tx(b.starts[t]), Y: lo}, Max: vg.Point{X: tx(b.starts[u-1] + b.width), Y: hi}})
			}
			t = u
		}
	}
}

func (b *bindingMap) DataRange() (xmin, xmax, ymin, ymax float64) {
	return b.starts[0], b.starts[len(b.starts)-1] + b.width, -0.5, float64(len(b.codes)) - 0.5
}

// bindCode reads a stored binding code; anything unknown counts as none.
func bindCode(v float64) int {
	if c := int(math.Round(v)); c > sim.BindNone && c < len(bindStyles) {
		return c
	}
	return sim.BindNone
}

// domesticProducts lists the products with production limits, in
// catalogue order.
func domesticProducts(f *Frame) []string { return f.Entities("product.binding") }

// productTitle names a product with its vendor when the catalogue is known.
func productTitle(f *Frame, id string) string {
	for _, p := range f.Products {
		if p.ID == id && p.Vendor != "" {
			return id + " (" + p.Vendor + ")"
		}
	}
	return id
}

// Production draws which constraint binds domestic output, per product and
// period: a timeline with one row per domestic product.
func Production(f *Frame, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("production chart: %w", err)
	}
	products := domesticProducts(f)
	if len(products) == 0 {
		return nil, fmt.Errorf("production chart: %s: no metric product.binding", f.Scenario)
	}
	c := &Chart{Name: "production", Title: "What limits domestic output: " + f.Scenario, Source: f.source(o)}
	p := newPlot("year", "")
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{}
	bm := &bindingMap{starts: f.Times, width: float64(f.Step) / 12}
	var ticks plot.ConstantTicks
	for i, id := range products {
		s, _ := f.Series("product.binding", id)
		bm.codes = append(bm.codes, s)
		ticks = append(ticks, plot.Tick{Value: float64(len(products) - 1 - i), Label: id})
	}
	p.Add(&yearGrid{})
	p.Add(bm)
	p.Y.Tick.Marker = ticks
	p.Y.Tick.Length = 0
	p.Y.Tick.Label.Font = houseFont(6.5)
	c.fit = fitRowFont(len(products))
	p.Y.Min, p.Y.Max = -0.5, float64(len(products))-0.5
	p.X.Min, p.X.Max = f.Times[0], f.Times[len(f.Times)-1]+bm.width
	for _, code := range []int{sim.BindDemand, sim.BindPlan, sim.BindDies, sim.BindHBM, sim.BindPackaging} {
		c.addLegend(bindStyles[code].label, bindStyles[code])
	}
	c.Notes = []string{
		fmt.Sprintf("Each %s: the least of orders and limits; the cell shows which binds.", f.Step),
		"Blank: not being made (vendors build from one cycle time before launch).",
	}
	c.Plots = []*plot.Plot{p}
	return c, nil
}

// yearGrid draws light vertical lines at year starts, under the cells.
type yearGrid struct{}

func (yearGrid) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for y := math.Ceil(p.X.Min); y <= p.X.Max; y++ {
		x := tx(y)
		c.StrokeLine2(draw.LineStyle{Color: lightGrey, Width: vg.Points(0.4)}, x, c.Min.Y, x, c.Max.Y)
	}
}

// ProductLimits draws a domestic product's orders (what the vendor set out
// to make from the demand it saw), the volumes its announced plan, good
// dies, HBM and packaging would allow, and actual output, by year. The y
// axis stops at 1.6 times the larger of orders and output: limits above
// it are slack.
func ProductLimits(f *Frame, product string, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("limits chart: %w", err)
	}
	products := domesticProducts(f)
	found := false
	for _, id := range products {
		found = found || id == product
	}
	if !found {
		msg := fmt.Sprintf("limits chart: %s: no domestic product %q", f.Scenario, product)
		if near := nearest(product, products, 3); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, " or ") + "?)"
		}
		return nil, fmt.Errorf("%s; domestic products: %s", msg, strings.Join(products, ", "))
	}
	years := f.Years()
	annual := map[string][]float64{}
	for _, m := range []string{"product.limit_demand", "product.limit_plan", "product.limit_dies", "product.limit_hbm", "product.limit_packaging", "product.output"} {
		v, ok := f.Annual(m, product)
		if !ok {
			return nil, fmt.Errorf("limits chart: %s: no %s for %s", f.Scenario, m, product)
		}
		for i := range v {
			v[i] /= 1e3
		}
		annual[m] = v
	}
	// The years on sale: any period with a binding constraint.
	codes, _ := f.Series("product.binding", product)
	first, last := len(years), -1
	for t, v := range codes {
		if bindCode(v) != sim.BindNone {
			y := int(f.Times[t]) - years[0]
			first, last = min(first, y), max(last, y)
		}
	}
	c := &Chart{Name: "limits-" + product, Title: "What limits " + productTitle(f, product) + ": " + f.Scenario, Source: f.source(o)}
	p := newPlot("year", "thousand units per year")
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{offset: 0.5}
	c.Plots = []*plot.Plot{p}
	if last < 0 {
		p.X.Min, p.X.Max = float64(years[0]), float64(years[len(years)-1]+1)
		p.Y.Min, p.Y.Max = 0, 1
		c.Notes = []string{"Not on sale in this scenario."}
		return c, nil
	}
	xs := make([]float64, 0, last-first+1)
	for y := first; y <= last; y++ {
		xs = append(xs, float64(years[y])+0.5)
	}
	top := 0.0
	for y := first; y <= last; y++ {
		top = max(top, annual["product.limit_demand"][y], annual["product.output"][y])
	}
	top *= 1.6
	if top <= 0 {
		top = 1
	}
	if math.IsInf(top, 0) || math.IsNaN(top) {
		return nil, fmt.Errorf("limits chart: %s: %s orders or output are not finite", f.Scenario, product)
	}
	// Orders first, as a wide pale band; the limits over it; output last
	// and thick, marked each year with the limit that bound most of that
	// year's output (a limit that binds is hidden under the output).
	orders := bindStyles[sim.BindDemand]
	ordersStyle := draw.LineStyle{Color: orders.color, Width: vg.Points(5)}
	if err := segments(p, xs, annual[orders.metric][first:last+1], ordersStyle); err != nil {
		return nil, err
	}
	c.addLegend(orders.limit, markThumb{ordersStyle, sim.BindDemand})
	slack, noHBM, noPlan := false, false, true
	for _, code := range []int{sim.BindPlan, sim.BindDies, sim.BindHBM, sim.BindPackaging} {
		s := bindStyles[code]
		v := annual[s.metric][first : last+1]
		drawn := false
		for _, x := range v {
			slack = slack || (x > top && !math.IsInf(x, 1))
			drawn = drawn || !math.IsInf(x, 1)
			noHBM = noHBM || (code == sim.BindHBM && math.IsInf(x, 1))
		}
		if code == sim.BindPlan {
			noPlan = !drawn
			if !drawn {
				continue // no announced cap: nothing to draw or name
			}
		}
		if err := segments(p, xs, v, s.lineStyle()); err != nil {
			return nil, err
		}
		c.addLegend(s.limit, markThumb{s.lineStyle(), code})
	}
	output := annual["product.output"][first : last+1]
	out := draw.LineStyle{Color: color.Black, Width: vg.Points(2.4)}
	if err := segments(p, xs, output, out); err != nil {
		return nil, err
	}
	c.addLegend("output", lineThumb(out))
	p.Add(&bindingMarks{xs: xs, ys: output, codes: yearlyBinding(f, product, years[first:last+1])})
	p.X.Min, p.X.Max = xs[0], xs[len(xs)-1]
	if len(xs) == 1 {
		p.X.Min, p.X.Max = xs[0]-0.5, xs[0]+0.5
	}
	p.Y.Min, p.Y.Max = 0, top
	p.Y.Tick.Marker = fewTicks{}
	c.Notes = append(c.Notes,
		"Output is the least of orders and limits, summed by year.",
		"Marks on output: the limit that bound most of the year's output.")
	if n := f.partialYears(); n != "" {
		c.Notes = append(c.Notes, n)
	}
	if slack {
		c.Notes = append(c.Notes, "Limits that leave the top of the frame are slack: far from binding.")
	}
	if noPlan {
		c.Notes = append(c.Notes, "No announced plan caps this product: its vendor makes what demand and supply allow.")
	}
	if noHBM {
		c.Notes = append(c.Notes, "No HBM limit in some years: the product uses no HBM.")
	}
	return c, nil
}

// yearlyBinding returns, for each year, the binding code under which most
// of the year's output was made (most periods when there was none).
func yearlyBinding(f *Frame, product string, years []int) []int {
	codes, _ := f.Series("product.binding", product)
	out, _ := f.Series("product.output", product)
	res := make([]int, len(years))
	for i, y := range years {
		var weight [len(bindStyles)]float64
		for t, v := range codes {
			if int(f.Times[t]) != y {
				continue
			}
			k := bindCode(v)
			weight[k] += 1e-9 // breaks ties and counts periods without output
			if k != sim.BindNone && out[t] > 0 {
				weight[k] += out[t]
			}
		}
		weight[sim.BindNone] = 0
		for k := range weight {
			if weight[k] > weight[res[i]] {
				res[i] = k
			}
		}
	}
	return res
}

// mark draws the binding constraint's mark centred on pt: demand a
// circle, plan a triangle pointing down, dies a square, HBM a triangle,
// packaging a diamond, each filled in the constraint's colour with a rim,
// so shape alone tells them apart.
func mark(c *draw.Canvas, pt vg.Point, code int, r vg.Length) {
	var pts []vg.Point
	switch code {
	case sim.BindPlan:
		pts = []vg.Point{{X: pt.X, Y: pt.Y - r*1.15}, {X: pt.X + r, Y: pt.Y + r*0.75}, {X: pt.X - r, Y: pt.Y + r*0.75}}
	case sim.BindDemand:
		for i := 0; i < 20; i++ {
			a := 2 * math.Pi * float64(i) / 20
			pts = append(pts, vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))})
		}
	case sim.BindDies:
		q := r * 0.85
		pts = []vg.Point{{X: pt.X - q, Y: pt.Y - q}, {X: pt.X + q, Y: pt.Y - q}, {X: pt.X + q, Y: pt.Y + q}, {X: pt.X - q, Y: pt.Y + q}}
	case sim.BindHBM:
		pts = []vg.Point{{X: pt.X, Y: pt.Y + r*1.15}, {X: pt.X + r, Y: pt.Y - r*0.75}, {X: pt.X - r, Y: pt.Y - r*0.75}}
	case sim.BindPackaging:
		q := r * 1.15
		pts = []vg.Point{{X: pt.X, Y: pt.Y + q}, {X: pt.X + q, Y: pt.Y}, {X: pt.X, Y: pt.Y - q}, {X: pt.X - q, Y: pt.Y}}
	default:
		return
	}
	c.FillPolygon(bindStyles[code].color, pts)
	rim := draw.LineStyle{Color: color.White, Width: vg.Points(0.7)}
	if code == sim.BindDemand {
		rim = draw.LineStyle{Color: color.RGBA{0x00, 0x72, 0xB2, 0xff}, Width: vg.Points(0.6)} // pale: edge it
	}
	c.StrokeLines(rim, append(pts, pts[0]))
}

const markRadius = vg.Length(2.8)

// bindingMarks draws each year's binding mark on the output line.
type bindingMarks struct {
	xs, ys []float64
	codes  []int
}

func (b *bindingMarks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for i, x := range b.xs {
		pt := vg.Point{X: tx(x), Y: ty(b.ys[i])}
		if c.Contains(pt) {
			mark(&c, pt, b.codes[i], markRadius)
		}
	}
}

// markThumb is a limit's legend thumbnail: its line with its mark.
type markThumb struct {
	line draw.LineStyle
	code int
}

func (m markThumb) Thumbnail(c *draw.Canvas) {
	lineThumb(m.line).Thumbnail(c)
	mark(c, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, m.code, markRadius)
}

// segments adds a series to p as lines broken at NaN and +Inf (no limit);
// a line above the frame is clipped at its top.
func segments(p *plot.Plot, xs, ys []float64, sty draw.LineStyle) error {
	var pts plotter.XYs
	flush := func() error {
		defer func() { pts = nil }()
		switch len(pts) {
		case 0:
			return nil
		case 1:
			// A lone point: a short level stroke a third of a year wide.
			pts = plotter.XYs{{X: pts[0].X - 1.0/6, Y: pts[0].Y}, {X: pts[0].X + 1.0/6, Y: pts[0].Y}}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.LineStyle = sty
		p.Add(l)
		return nil
	}
	for i, y := range ys {
		if math.IsNaN(y) || math.IsInf(y, 1) {
			// No value, or no limit at all (no announced plan, no HBM):
			// the line breaks rather than dive in from far above.
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		pts = append(pts, plotter.XY{X: xs[i], Y: y})
	}
	return flush()
}
