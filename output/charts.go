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

// ChartOptions are what every chart's small print needs, and the size it
// is meant to be drawn at.
type ChartOptions struct {
	Date string // date of the run, for the source line; empty to omit
	// History holds facts of history drawn against the model on the
	// self-sufficiency and supply charts (chipsim check's history).
	History []Observation
	// Width and Height are the chart's size in centimetres, DPI the
	// resolution of PNG files; zero for the defaults (16 × 9 cm, 300
	// dpi). Validate checks them; Size returns them with the defaults.
	Width, Height float64
	DPI           int
}

// Targets are reference lines drawn on the self-sufficiency chart.
var Targets = []struct {
	Value float64
	Label string
}{
	{0.70, "Made in China 2025 target: 70%"},
}

// eventMarkers draws policy events as numbered vertical lines; the chart
// lists the numbers with the events below the plot.
type eventMarkers struct {
	xs     []float64
	labels []string // "2025Q2 H20 and MI308 need a licence; ..."
}

// newEventMarkers groups a frame's events by period, one marker each.
func newEventMarkers(f *Frame) *eventMarkers {
	em := &eventMarkers{}
	idx := map[string]int{}
	for _, e := range f.Events {
		t, ok := f.period(e.Period)
		if !ok {
			continue
		}
		if i, ok := idx[e.Period]; ok {
			em.labels[i] += "; " + e.Name
			continue
		}
		idx[e.Period] = len(em.xs)
		em.xs = append(em.xs, f.Times[t])
		em.labels = append(em.labels, e.Period+" "+e.Name)
	}
	// Number the markers in time order, whatever the order of the file.
	order := make([]int, len(em.xs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return em.xs[order[a]] < em.xs[order[b]] })
	xs, labels := make([]float64, len(order)), make([]string, len(order))
	for k, i := range order {
		xs[k], labels[k] = em.xs[i], em.labels[i]
	}
	em.xs, em.labels = xs, labels
	return em
}

func (f *Frame) period(label string) (int, bool) {
	for t, l := range f.Labels {
		if l == label {
			return t, true
		}
	}
	return 0, false
}

// rows packs the markers' numbers into rows along the top of the frame,
// each number in the first row where it clears its left neighbour; it
// returns each marker's row (-1 outside the frame) and how many rows
// there are.
func (em *eventMarkers) rows(c draw.Canvas, p *plot.Plot) ([]int, int) {
	tx, _ := p.Transforms(&c)
	st := eventStyle()
	out := make([]int, len(em.xs))
	var ends []vg.Length // right edge of each row's last number
	for i, x := range em.xs {
		px := tx(x)
		if px < c.Min.X || px > c.Max.X {
			out[i] = -1
			continue
		}
		w := st.Width(fmt.Sprint(i + 1))
		r := 0
		for r < len(ends) && px-w/2 < ends[r]+vg.Points(1.5) {
			r++
		}
		if r == len(ends) {
			ends = append(ends, 0)
		}
		ends[r] = px + w/2
		out[i] = r
	}
	return out, len(ends)
}

func eventStyle() draw.TextStyle {
	st := textStyle(6, color.Gray{Y: 0x30})
	st.XAlign = draw.XCenter
	st.YAlign = draw.YTop
	return st
}

// eventRow is the height of a row of event numbers.
const eventRow = vg.Length(7)

// band is the height the numbers take along the top of the frame.
func (em *eventMarkers) band(c draw.Canvas, p *plot.Plot) vg.Length {
	_, n := em.rows(c, p)
	return vg.Length(n)*eventRow + vg.Points(1)
}

func (em *eventMarkers) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	ls := draw.LineStyle{Color: grey, Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(1), vg.Points(1.5)}}
	st := eventStyle()
	rows, _ := em.rows(c, p)
	for i, x := range em.xs {
		if rows[i] < 0 {
			continue
		}
		px := tx(x)
		c.StrokeLine2(ls, px, c.Min.Y, px, c.Max.Y)
		c.FillText(st, vg.Point{X: px, Y: c.Max.Y - vg.Points(1) - vg.Length(rows[i])*eventRow}, fmt.Sprint(i+1))
	}
}

// key lists the markers' numbers with their events, for the legend area.
func (em *eventMarkers) key() []string {
	out := make([]string, len(em.labels))
	for i, l := range em.labels {
		out[i] = fmt.Sprintf("%d  %s", i+1, l)
	}
	return out
}

// hline is a horizontal reference line with a label; the label keeps
// clear of the event numbers along the top of the frame.
type hline struct {
	y      float64
	label  string
	events *eventMarkers
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.y)
	c.StrokeLine2(draw.LineStyle{Color: color.RGBA{0xD5, 0x5E, 0x00, 0xff}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}, c.Min.X, y, c.Max.X, y)
	st := textStyle(6, color.RGBA{0xA0, 0x40, 0x00, 0xff})
	// Above the line, or below it where event numbers run along the top.
	at := vg.Point{X: c.Min.X + vg.Points(3), Y: y + vg.Points(1)}
	if h.events != nil && at.Y+st.Height(h.label) > c.Max.Y-h.events.band(c, p) {
		at.Y = y - vg.Points(1) - st.Height(h.label)
	}
	c.FillText(st, at, h.label)
}

func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

// band fills the area between two series: one layer of a stack.
type band struct {
	xs, lo, hi []float64
	color      color.Color
}

func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	pts := make([]vg.Point, 0, 2*len(b.xs))
	for i, x := range b.xs {
		pts = append(pts, vg.Point{X: tx(x), Y: ty(b.hi[i])})
	}
	for i := len(b.xs) - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: tx(b.xs[i]), Y: ty(b.lo[i])})
	}
	c.FillPolygon(b.color, c.ClipPolygonXY(pts))
	// A thin white edge on top keeps neighbouring layers apart in grey.
	top := pts[:len(b.xs)]
	c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}, c.ClipLinesXY(top)...)
}

func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, x := range b.xs {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		ymin, ymax = math.Min(ymin, b.lo[i]), math.Max(ymax, b.hi[i])
	}
	return
}

// hatch fills the area between two series with diagonal lines: unmet demand.
type hatch struct {
	xs, lo, hi []float64
	color      color.Color
}

func (h *hatch) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	ls := draw.LineStyle{Color: h.color, Width: vg.Points(0.6)}
	// Vertical strokes every 1.6 pt between the two curves, linearly
	// interpolated: reads as a hatch at print size, in colour or grey.
	x0, x1 := tx(h.xs[0]), tx(h.xs[len(h.xs)-1])
	for px := x0; px <= x1; px += vg.Points(1.6) {
		x := h.xs[0] + (h.xs[len(h.xs)-1]-h.xs[0])*float64((px-x0)/(x1-x0))
		j := sort.SearchFloat64s(h.xs, x)
		if j == 0 {
			j = 1
		}
		if j >= len(h.xs) {
			j = len(h.xs) - 1
		}
		w := (x - h.xs[j-1]) / (h.xs[j] - h.xs[j-1])
		lo := h.lo[j-1] + w*(h.lo[j]-h.lo[j-1])
		hi := h.hi[j-1] + w*(h.hi[j]-h.hi[j-1])
		if hi > lo {
			c.StrokeLines(ls, c.ClipLinesXY([]vg.Point{{X: px, Y: ty(lo)}, {X: px, Y: ty(hi)}})...)
		}
	}
}

func (h *hatch) Thumbnail(c *draw.Canvas) {
	ls := draw.LineStyle{Color: h.color, Width: vg.Points(0.6)}
	for x := c.Min.X; x <= c.Max.X; x += vg.Points(1.6) {
		c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
	}
}

// mid returns the frame's period midpoints as fractional years.
func (f *Frame) mid() []float64 {
	out := make([]float64, len(f.Times))
	for t, x := range f.Times {
		out[t] = x + float64(f.Step)/24
	}
	return out
}

func (f *Frame) source(o ChartOptions) string {
	return sourceLine([]string{f.Scenario}, f.Version, o.Date)
}

// SelfSufficiency draws the self-sufficiency ratios over time, with policy
// events as labelled markers and target lines.
func SelfSufficiency(f *Frame, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("self-sufficiency chart: %w", err)
	}
	c := &Chart{Name: "self-sufficiency", Title: "China's self-sufficiency: " + f.Scenario, Source: f.source(o)}
	p := newPlot("year", "self-sufficiency (% of the whole)")
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{}
	p.Y.Tick.Marker = percentTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	em := newEventMarkers(f)
	p.Add(em)
	c.Notes = em.key()
	for _, tg := range Targets {
		p.Add(hline{y: tg.Value, label: tg.Label, events: em})
	}
	series := []struct{ metric, label, short string }{
		{"ai.ssr_units", "AI accelerators, units delivered", "accelerator units"},
		{"ai.ssr_compute", "AI accelerators, compute delivered (H100e)", "accelerator compute"},
		{"ai.ssr_stock", "AI compute installed", "installed compute"},
		{"ic.ssr_value", "all chips, value (Chinese-owned firms)", "all chips by value"},
	}
	xs := f.mid()
	var notes historyNotes
	for i, s := range series {
		ys, ok := f.Series(s.metric, "all")
		if !ok {
			return nil, fmt.Errorf("self-sufficiency chart: %s: no metric %s", f.Scenario, s.metric)
		}
		th, err := line(p, xs, ys, LineStyle(i))
		if err != nil {
			return nil, err
		}
		c.addLegend(s.label, th)
		if obs := historyFor(f, o.History, s.metric); len(obs) > 0 {
			hm := &historyMarks{color: Palette[i%len(Palette)]}
			for _, ob := range obs {
				x, _ := ob.x(f)
				hm.add(ob, x, 1)
				notes.add(s.short, ob)
			}
			p.Add(hm)
		}
	}
	if n := notes.lines(); len(n) > 0 {
		c.addLegend(historyLegend, historyThumb{})
		c.Notes = append(c.Notes, n...)
	}
	p.X.Min, p.X.Max = f.Times[0], f.Times[len(f.Times)-1]+float64(f.Step)/12
	c.Plots = []*plot.Plot{p}
	return c, nil
}

// supplyGroup is one layer of the supply chart.
type supplyGroup struct {
	label string
	h100e []float64 // per period
	kind  int       // 0 domestic, 1 legal import, 2 grey
}

// supplyGroups splits delivered compute by source: each domestic vendor,
// each foreign vendor's legal imports, and grey channels. Without a
// catalogue (a CSV read alone) it falls back to domestic / legal / grey.
func supplyGroups(f *Frame) ([]supplyGroup, error) {
	n := len(f.Labels)
	get := func(metric, entity string) ([]float64, error) {
		v, ok := f.Series(metric, entity)
		if !ok {
			return nil, fmt.Errorf("supply chart: %s: no %s for %s", f.Scenario, metric, entity)
		}
		return v, nil
	}
	if len(f.Products) == 0 {
		var out []supplyGroup
		for i, m := range []string{"ai.h100e_domestic", "ai.h100e_import", "ai.h100e_grey"} {
			v, err := get(m, "all")
			if err != nil {
				return nil, err
			}
			out = append(out, supplyGroup{label: []string{"domestic", "legal imports", "grey channels"}[i], h100e: v, kind: i})
		}
		return out, nil
	}
	var groups []supplyGroup
	at := map[string]int{}
	grey := make([]float64, n)
	for _, p := range f.Products {
		h, err := get("product.h100e", p.ID)
		if err != nil {
			return nil, err
		}
		label, kind := p.Vendor, 0
		if strings.Contains(label, ",") {
			label = "other domestic"
		}
		legal := h
		if p.Origin == "foreign" {
			kind = 1
			label += " (legal imports)"
			units, err := get("product.units", p.ID)
			if err != nil {
				return nil, err
			}
			imp, err := get("product.imports_legal", p.ID)
			if err != nil {
				return nil, err
			}
			legal = make([]float64, n)
			for t := range legal {
				if units[t] > 0 {
					legal[t] = h[t] * imp[t] / units[t]
					grey[t] += h[t] - legal[t]
				}
			}
		}
		i, ok := at[label]
		if !ok {
			i = len(groups)
			at[label] = i
			groups = append(groups, supplyGroup{label: label, h100e: make([]float64, n), kind: kind})
		}
		for t := range legal {
			groups[i].h100e[t] += legal[t]
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].kind < groups[j].kind })
	return append(groups, supplyGroup{label: "grey (smuggled, affiliates)", h100e: grey, kind: 2}), nil
}

// domesticFills and importFills keep domestic layers in blues and greens
// and imports in oranges, each run ordered dark to light.
var (
	domesticFills = []color.Color{
		color.RGBA{0x00, 0x4C, 0x7A, 0xff}, color.RGBA{0x00, 0x72, 0xB2, 0xff}, color.RGBA{0x00, 0x9E, 0x73, 0xff},
		color.RGBA{0x56, 0xB4, 0xE9, 0xff}, color.RGBA{0x9B, 0xD3, 0xF0, 0xff}, color.RGBA{0x7F, 0xD1, 0xB9, 0xff},
	}
	importFills = []color.Color{color.RGBA{0xD5, 0x5E, 0x00, 0xff}, color.RGBA{0xE6, 0x9F, 0x00, 0xff}, color.RGBA{0xF0, 0xE4, 0x42, 0xff}}
	greyFill    = color.Gray{Y: 0x9a}
	unmetColor  = color.RGBA{0xCC, 0x79, 0xA7, 0xff}
)

// Supply draws compute delivered by source as stacked areas by year, with
// demand as a line and unmet demand hatched between them.
func Supply(f *Frame, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("supply chart: %w", err)
	}
	groups, err := supplyGroups(f)
	if err != nil {
		return nil, err
	}
	demand, ok := f.Annual("ai.demand_h100e", "all")
	if !ok {
		return nil, fmt.Errorf("supply chart: %s: no metric ai.demand_h100e", f.Scenario)
	}
	years := f.Years()
	xs := make([]float64, len(years))
	for i, y := range years {
		xs[i] = float64(y) + 0.5
	}
	c := &Chart{Name: "supply", Title: "AI compute delivered in China by source: " + f.Scenario, Source: f.source(o)}
	p := newPlot("year", "compute delivered (million H100e per year)")
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{offset: 0.5}
	lo := make([]float64, len(years))
	var nd, ni int
	for _, g := range groups {
		ann := aggregate(plainSum, g.h100e, nil, func(t int) int { return int(f.Times[t]) - years[0] }, len(years))
		hi := make([]float64, len(years))
		for i := range hi {
			hi[i] = lo[i] + ann[i]/1e6
		}
		var col color.Color
		switch g.kind {
		case 0:
			col = domesticFills[nd%len(domesticFills)]
			nd++
		case 1:
			col = importFills[ni%len(importFills)]
			ni++
		default:
			col = greyFill
		}
		p.Add(&band{xs: xs, lo: append([]float64(nil), lo...), hi: hi, color: col})
		c.addLegend(g.label, fillThumb{col})
		lo = hi
	}
	dm := make([]float64, len(demand))
	for i := range demand {
		dm[i] = demand[i] / 1e6
	}
	h := &hatch{xs: xs, lo: lo, hi: dm, color: unmetColor}
	p.Add(h)
	c.addLegend("unmet demand", h)
	th, err := line(p, xs, dm, draw.LineStyle{Color: color.Black, Width: vg.Points(1.6)})
	if err != nil {
		return nil, err
	}
	c.addLegend("demand (compute wanted)", th)
	p.Y.Min = 0
	p.X.Min, p.X.Max = xs[0], xs[len(xs)-1]
	c.Plots = []*plot.Plot{p}
	if len(o.History) > 0 {
		// Two panels: labels short enough for half the height (a rotated
		// label longer than its panel squeezes the data to fit it).
		p.Y.Label.Text = "million H100e a year"
		if err := c.addCardsPanel(f, o, xs); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// addCardsPanel adds below the supply chart a short panel of accelerator
// cards delivered, all and domestic, by year, with history's counts (the
// sources count cards, not compute), its axis zoomed on them.
func (c *Chart) addCardsPanel(f *Frame, o ChartOptions, xs []float64) error {
	top := c.Plots[0]
	p := newPlot("year", "million cards")
	p.X.Tick.Marker = top.X.Tick.Marker
	top.X.Tick.Marker = unlabelled{top.X.Tick.Marker}
	top.X.Label.Text = ""
	series := []struct{ metric, label, short string }{
		{"ai.units_delivered", "cards delivered, all origins", "all cards"},
		{"ai.units_domestic", "cards delivered, domestic", "domestic cards"},
	}
	var notes historyNotes
	hi := 0.0
	first := len(c.Legend) // the lower panel's legend entries start here
	for i, s := range series {
		v, ok := f.Annual(s.metric, "all")
		if !ok {
			return fmt.Errorf("supply chart: %s: no metric %s", f.Scenario, s.metric)
		}
		ys := make([]float64, len(v))
		for k := range v {
			ys[k] = v[k] / 1e6
		}
		sty := draw.LineStyle{Color: color.Black, Width: vg.Points(1.1), Dashes: Dashes[i%len(Dashes)]}
		th, err := line(p, xs, ys, sty)
		if err != nil {
			return err
		}
		c.addLegend(s.label, th)
		if obs := historyFor(f, o.History, s.metric); len(obs) > 0 {
			hm := &historyMarks{color: color.Gray{Y: 0x40}}
			for _, ob := range obs {
				x, _ := ob.x(f)
				if _, whole := ob.year(); !whole {
					continue // a period's count against yearly lines would mislead
				}
				hm.add(ob, x, 1e-6)
				hi = max(hi, ob.Hi*1e-6)
				notes.add(s.short, ob)
			}
			p.Add(hm)
		}
	}
	if n := notes.lines(); len(n) > 0 {
		c.addLegend(historyLegend, historyThumb{})
		c.Notes = append(c.Notes, n...)
	}
	for i := first; i < len(c.Legend); i++ {
		c.Legend[i].Panel = 1
	}
	// Zoomed on history: later years rise out of the frame.
	p.Y.Min, p.Y.Max = 0, roundUp(0, hi*1.25)
	p.Y.Tick.Marker = fewTicks{}
	c.Notes = append(c.Notes, "Lower panel: cards by year, zoomed on the years history covers.")
	if n := f.partialYears(); n != "" {
		c.Notes = append(c.Notes, n)
	}
	p.X.Min, p.X.Max = top.X.Min, top.X.Max
	c.Plots = append(c.Plots, p)
	c.Heights = []float64{0.6, 0.4}
	return nil
}
