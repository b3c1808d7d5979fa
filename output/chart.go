package output

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default chart size and resolution: 16 x 9 cm, PNG at 300 dpi.
const (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 9 * vg.Centimeter
	DefaultDPI    = 300
)

// Formats lists the file formats charts can be written in.
var Formats = []string{"png", "svg", "pdf"}

// Palette is Okabe and Ito's colour-blind-safe palette, ordered so that
// neighbours differ in lightness too; lines also differ in dash pattern
// and areas in lightness, so charts stay readable in greyscale.
var Palette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x00, 0x00, 0x00, 0xff}, // black
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0xF0, 0xE4, 0x42, 0xff}, // yellow
}

// Dashes are the line patterns paired with Palette.
var Dashes = [][]vg.Length{
	nil,
	{vg.Points(5), vg.Points(2)},
	{vg.Points(1.5), vg.Points(1.5)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	{vg.Points(3), vg.Points(3)},
	{vg.Points(8), vg.Points(3)},
	{vg.Points(1), vg.Points(3)},
	{vg.Points(4), vg.Points(1), vg.Points(1), vg.Points(1), vg.Points(1), vg.Points(1)},
}

// LineStyle returns the i-th house line style.
func LineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: Palette[i%len(Palette)], Width: vg.Points(1.4), Dashes: Dashes[i%len(Dashes)]}
}

var (
	grey      = color.Gray{Y: 0x80}
	lightGrey = color.Gray{Y: 0xd9}
)

// Chart is one figure: a title with a smaller subtitle, one or more plots
// stacked vertically, a legend drawn below them (never over the data),
// notes and a source line. It lays itself out at any size ChartOptions
// accepts: text wraps at word boundaries and is never cut short; what
// cannot fit at a small size (notes, a stack's lower panels) gives way,
// and the chart says so in one line.
type Chart struct {
	Name  string // file stem, such as "self-sufficiency"
	Title string // readable, such as "Sobol indices: domestic share of AI compute in 2030"
	// Subtitle is small print under the title: the ids behind a readable
	// title (ai.ssr_compute@2030), so that readers can reproduce the chart,
	// and caveats such as a small swing. Empty, it is derived from the
	// metric ids in Title (see ReadableTitle).
	Subtitle string
	Plots    []*plot.Plot
	Legend   []LegendEntry
	Notes    []string // paragraphs of small print under the legend, such as an event key
	Source   string   // scenario, chipsim version and date of the run
	// Heights are stacked panels' relative heights; nil for equal ones.
	Heights []float64

	// fit, when set, adapts the chart to the canvas its plots get at the
	// size it is drawn at: it returns prev when prev fits, else a variant
	// (fewer rows, labels moved into the notes) named by variant.
	fit     func(area draw.Canvas, prev *Chart) *Chart
	variant string
	// rowsShown and labelW are, for charts of named rows, how many rows a
	// variant fitted to a size shows and the width their names wrap to.
	rowsShown int
	labelW    vg.Length
	// keyNotes is how many of the first notes are a key to what the plot
	// shows (numbered points), kept when the others give way.
	keyNotes int
}

// LegendEntry is one legend item.
type LegendEntry struct {
	Label string
	Thumb plot.Thumbnailer
	Panel int // the stacked panel it belongs to (0, the first, by default)
}

// LegendLabels returns the legend's labels in order.
func (c *Chart) LegendLabels() []string {
	var out []string
	for _, e := range c.Legend {
		out = append(out, e.Label)
	}
	return out
}

func (c *Chart) addLegend(label string, t plot.Thumbnailer) {
	c.Legend = append(c.Legend, LegendEntry{Label: label, Thumb: t})
}

// houseFont is the charts' typeface, Liberation Sans (metric-compatible
// with Arial), at a size in points. It is embedded in PDF output.
func houseFont(size float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
}

// newPlot returns a plot in the house style. The chart draws the title
// above its plots; a plot's own title is not drawn.
func newPlot(xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = houseFont(8)
		a.Tick.Label.Font = houseFont(7)
		a.Label.Padding = vg.Points(2)
	}
	p.Title.TextStyle.Font = houseFont(10)
	p.Title.Padding = vg.Points(4)
	p.Legend = plot.NewLegend()
	p.Add(&grid{})
	return p
}

// yearTicks labels every year, or every second one on long ranges; offset
// 0.5 puts the ticks mid-year, where yearly values are drawn.
type yearTicks struct{ offset float64 }

func (yt yearTicks) Ticks(min, max float64) []plot.Tick {
	step := 1
	if max-min > 16 {
		step = 2
	}
	var out []plot.Tick
	for y := int(math.Floor(min)); float64(y)+yt.offset <= max+1e-9; y++ {
		v := float64(y) + yt.offset
		if v < min-1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if y%step == 0 {
			t.Label = fmt.Sprint(y)
		}
		out = append(out, t)
	}
	return out
}

// percentTicks marks shares in [0, 1] as percentages every 10%, labelled
// every 20%.
type percentTicks struct{}

func (percentTicks) Ticks(min, max float64) []plot.Tick {
	return tenths(min, max, func(i int) string { return fmt.Sprintf("%d%%", i*10) })
}

// tenths marks shares in [0, 1] within [min, max] every 0.1, labelled
// every 0.2 with label(tenths).
func tenths(min, max float64, label func(i int) string) []plot.Tick {
	var out []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		if v < min-1e-9 || v > max+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%2 == 0 {
			t.Label = label(i)
		}
		out = append(out, t)
	}
	return out
}

// grid draws light horizontal grid lines at the y ticks.
type grid struct{}

func (grid) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.IsMinor() {
			continue
		}
		y := ty(tk.Value)
		c.StrokeLine2(draw.LineStyle{Color: lightGrey, Width: vg.Points(0.4)}, c.Min.X, y, c.Max.X, y)
	}
}

// Type sizes in points. Below narrowWidth (10 cm) the title, legend and
// notes step down half a point or a point.
const (
	titleFont    = 10
	subtitleFont = 6.5
	legendFont   = 7
	noteFont     = 5.5
	sourceFont   = 6
	narrowWidth  = 10 * vg.Centimeter
)

// chartLayout is where a chart's parts go at one size.
type chartLayout struct {
	inner          draw.Canvas
	titleSt, subSt draw.TextStyle
	title, sub     []string
	legend         legendLayout
	legendAt       vg.Length // bottom of the legend
	noteSt         draw.TextStyle
	notes          [][]string // per column, lines
	notesAt        vg.Length  // bottom of the notes
	srcSt          draw.TextStyle
	source         []string
	plots          []*plot.Plot
	heights        []float64
	area           draw.Canvas // the plots'
	cut            bool        // whether lower panels give way
	lower          string      // the bottom panel's x label, for the lowest panel drawn
}

// lineHeight is the distance between lines of text in st.
func lineHeight(st draw.TextStyle) vg.Length { return st.Font.Size * 1.18 }

// headings returns the title and subtitle drawn: the subtitle, when not
// given, holds the metric ids a readable title stands for.
func (c *Chart) headings() (string, string) {
	if c.Subtitle != "" {
		return c.Title, c.Subtitle
	}
	return ReadableTitle(c.Title)
}

// layout places the chart's parts on dc: the title on top, the source at
// the bottom, above it the notes, above them the legend, and the plots in
// the room left. At a small size the plots keep at least about half the
// height: a stack's lower panels give way first, then the notes, each in
// a line saying so.
func (c *Chart) layout(dc draw.Canvas) *chartLayout {
	L := &chartLayout{}
	pad := vg.Points(4)
	inner := draw.Crop(dc, pad, -pad, pad, -pad)
	L.inner = inner
	W := inner.Max.X - inner.Min.X
	narrow := W < narrowWidth

	title, sub := c.headings()
	size := float64(titleFont)
	if narrow {
		size = 9
	}
	for {
		L.titleSt = textStyle(size, color.Black)
		L.title = wrapBalanced(L.titleSt, title, W)
		if len(L.title) <= 2 || size <= 8 {
			break
		}
		size--
	}
	L.subSt = textStyle(subtitleFont, color.Gray{Y: 0x40})
	L.sub = wrapBalanced(L.subSt, sub, W)
	top := inner.Max.Y
	if len(L.title) > 0 {
		top -= vg.Length(len(L.title))*lineHeight(L.titleSt) + vg.Points(1)
	}
	if len(L.sub) > 0 {
		top -= vg.Length(len(L.sub))*lineHeight(L.subSt) + vg.Points(1)
	}
	if len(L.title)+len(L.sub) > 0 {
		top -= vg.Points(4)
	}

	L.srcSt = textStyle(sourceFont, grey)
	L.source = wrapText(L.srcSt, c.Source, W)
	bottom := inner.Min.Y
	if len(L.source) > 0 {
		bottom += vg.Length(len(L.source))*lineHeight(L.srcSt) + vg.Points(2)
	}

	legFont := float64(legendFont)
	L.noteSt = textStyle(noteFont, color.Gray{Y: 0x30})
	if narrow {
		legFont = 6.5
	}
	legSt := textStyle(legFont, color.Black)

	height := top - bottom
	plots, legend, notes := c.Plots, c.Legend, c.Notes
	L.heights = c.Heights
	leg := layoutLegend(legend, legSt, W)
	nl := layoutNotes(L.noteSt, notes, W, narrow)
	var left []string // what gives way, said in one line
	if n := fitPanels(L.heights, len(plots), height-nl.height-leg.height); n < len(plots) {
		plots = plots[:n]
		L.heights = nil
		if len(c.Heights) == len(c.Plots) {
			L.heights = c.Heights[:n]
		}
		L.cut = true
		if k := len(c.Plots) - n; k == 1 {
			left = append(left, "the lower panel")
		} else {
			left = append(left, fmt.Sprintf("the %d lower panels", k))
		}
		legend = nil
		for _, e := range c.Legend {
			if e.Panel < n {
				legend = append(legend, e)
			}
		}
		leg = layoutLegend(legend, legSt, W)
	}
	minPlot := max(height*0.45, vg.Points(95))
	room := height - leg.height
	if len(notes) > 0 && (len(left) > 0 || room-nl.height < minPlot) {
		// The notes give way, but for a key to what the plot shows
		// (numbered points), while it leaves the plot 45 points.
		key := notes[:min(c.keyNotes, len(notes))]
		with := func(n int) []string {
			return append(append([]string(nil), key...), "Left out at this size: "+plural(n, "note", "notes")+".")
		}
		if len(key) == 0 || room-layoutNotes(L.noteSt, with(len(notes)-len(key)), W, narrow).height < vg.Points(45) {
			key = nil
		}
		if n := len(notes) - len(key); n > 0 {
			left = append(left, plural(n, "note", "notes"))
		}
		notes = key
	}
	if len(left) > 0 {
		said := append(append([]string(nil), notes...), "Left out at this size: "+strings.Join(left, " and ")+"; draw the chart larger (--width, --height).")
		if short := layoutNotes(L.noteSt, said, W, narrow); len(notes) == 0 && len(left) == 1 && len(c.Notes) > 0 && short.height >= nl.height {
			said = c.Notes // the line saying so would take as much room
		}
		notes = said
	}
	nl = layoutNotes(L.noteSt, notes, W, narrow)
	L.notes = nl.columns
	L.notesAt = bottom
	if nl.height > 0 {
		bottom += nl.height + vg.Points(2)
	}
	L.legend = leg
	L.legendAt = bottom
	if leg.height > 0 {
		bottom += leg.height + vg.Points(1)
	}
	L.plots = plots
	L.area = draw.Crop(inner, 0, 0, bottom-inner.Min.Y, top-inner.Max.Y)
	if L.cut {
		L.lower = c.Plots[len(c.Plots)-1].X.Label.Text
	}
	return L
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// draw draws the chart on dc, fitted to its size.
func (c *Chart) draw(dc draw.Canvas) {
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	cur := c
	L := cur.layout(dc)
	// Fit the chart to the room its plots get, which depends a little on
	// the variant (its notes): until the fit settles, or comes back to a
	// variant tried before with more rows than the one drawn.
	tried := map[string]bool{}
	for i := 0; c.fit != nil && i < 8; i++ {
		next := c.fit(L.area, cur)
		if next == cur || (tried[next.variant] && next.rowsShown >= cur.rowsShown) {
			break
		}
		tried[next.variant] = true
		next.Name, next.Title, next.Subtitle, next.Source = c.Name, c.Title, c.Subtitle, c.Source
		cur = next
		L = cur.layout(dc)
	}
	L.draw()
}

// draw draws the laid-out parts.
func (L *chartLayout) draw() {
	in := L.inner
	W := in.Max.X - in.Min.X
	y := in.Max.Y
	for _, group := range []struct {
		st    draw.TextStyle
		lines []string
	}{{L.titleSt, L.title}, {L.subSt, L.sub}} {
		st := group.st
		st.XAlign, st.YAlign = draw.XCenter, draw.YTop
		for _, l := range group.lines {
			in.FillText(st, vg.Point{X: in.Min.X + W/2, Y: y}, l)
			y -= lineHeight(st)
		}
		if len(group.lines) > 0 {
			y -= vg.Points(1)
		}
	}
	// Source lines from the bottom up.
	sy := in.Min.Y + vg.Length(len(L.source)-1)*lineHeight(L.srcSt)
	for _, l := range L.source {
		in.FillText(L.srcSt, vg.Point{X: in.Min.X, Y: sy}, l)
		sy -= lineHeight(L.srcSt)
	}
	drawNotes(in, L.noteSt, L.notes, L.notesAt)
	L.legend.draw(in, L.legendAt)
	L.drawPlots()
}

// drawPlots draws the plots in their area, each fitted to the room it
// gets; they are restored afterwards.
func (L *chartLayout) drawPlots() {
	if len(L.plots) == 0 {
		return
	}
	for _, p := range L.plots {
		t := p.Title.Text
		p.Title.Text = ""
		defer func() { p.Title.Text = t }()
	}
	if L.cut {
		// The lowest panel drawn shows the x labels the bottom one held.
		p := L.plots[len(L.plots)-1]
		marker, label := p.X.Tick.Marker, p.X.Label.Text
		if u, ok := marker.(unlabelled); ok {
			p.X.Tick.Marker = u.Ticker
		}
		p.X.Label.Text = L.lower
		defer func() { p.X.Tick.Marker, p.X.Label.Text = marker, label }()
	}
	if len(L.plots) == 1 {
		p := L.plots[0]
		defer fitAxes(p, L.area)()
		p.Draw(L.area)
		return
	}
	heights := L.heights
	if len(heights) != len(L.plots) {
		heights = make([]float64, len(L.plots))
		for i := range heights {
			heights[i] = 1
		}
	}
	drawPanels(L.plots, heights, L.area, vg.Points(3))
}

// minPanel is the least height a stacked panel is drawn at.
const minPanel = vg.Length(52)

// fitPanels returns how many of n stacked panels, with relative heights
// (nil for equal ones), to draw in room: the first ones, down to one,
// each at least minPanel high.
func fitPanels(heights []float64, n int, room vg.Length) int {
	for ; n > 1; n-- {
		hs := heights
		if len(hs) < n {
			hs = nil
			for range n {
				hs = append(hs, 1)
			}
		}
		sum, least := 0.0, math.Inf(1)
		for _, h := range hs[:n] {
			sum += h
			least = math.Min(least, h)
		}
		if vg.Length(least/sum)*(room-vg.Points(3)*vg.Length(n-1)) >= minPanel {
			break
		}
	}
	return n
}

// drawPanels stacks the plots in area with heights, their data areas
// lined up across: each panel's canvas is narrowed by what its axis
// labels need less than the widest's.
func drawPanels(plots []*plot.Plot, heights []float64, area draw.Canvas, gap vg.Length) {
	var sum float64
	for _, h := range heights {
		sum += h
	}
	free := area.Max.Y - area.Min.Y - gap*vg.Length(len(plots)-1)
	cs := make([]draw.Canvas, len(plots))
	var left, right vg.Length
	y := area.Max.Y
	for i, p := range plots {
		h := free * vg.Length(heights[i]/sum)
		cs[i] = draw.Crop(area, 0, 0, y-h-area.Min.Y, y-area.Max.Y)
		y -= h + gap
		defer fitAxes(p, cs[i])()
		da := p.DataCanvas(cs[i])
		left = max(left, da.Min.X-cs[i].Min.X)
		right = max(right, cs[i].Max.X-da.Max.X)
	}
	for i, p := range plots {
		da := p.DataCanvas(cs[i])
		l, r := da.Min.X-cs[i].Min.X, cs[i].Max.X-da.Max.X
		p.Draw(draw.Crop(cs[i], left-l, -(right - r), 0, 0))
	}
}

// fitAxes fits a plot's axis labels to the canvas it is drawn on: a y
// label longer than the data area is tall wraps, then shrinks; an x label
// wider than the canvas wraps; tick labels that would touch are thinned
// (every second one, every third...), except on axes of named rows. It
// returns a function that restores the plot.
func fitAxes(p *plot.Plot, c draw.Canvas) (restore func()) {
	xl, yl := p.X.Label, p.Y.Label
	xm, ym := p.X.Tick.Marker, p.Y.Tick.Marker
	restore = func() {
		p.X.Label, p.Y.Label = xl, yl
		p.X.Tick.Marker, p.Y.Tick.Marker = xm, ym
	}
	// Gonum squeezes the data area to fit axis labels along it: fit them
	// to the room the data area has without them.
	without := func(l *plot.Axis) draw.Canvas {
		t := l.Label.Text
		l.Label.Text = ""
		defer func() { l.Label.Text = t }()
		return p.DataCanvas(c)
	}
	if p.X.Label.Text == "year" && c.Max.Y-c.Min.Y < vg.Points(120) {
		p.X.Label.Text = "" // the tick labels say it, and room is short
	}
	if text := p.Y.Label.Text; text != "" {
		da := without(&p.Y)
		p.Y.Label.TextStyle, p.Y.Label.Text = fitLabel(p.Y.Label.TextStyle, text, da.Max.Y-da.Min.Y-vg.Points(2))
	}
	if text := p.X.Label.Text; text != "" {
		da := without(&p.X)
		p.X.Label.TextStyle, p.X.Label.Text = fitLabel(p.X.Label.TextStyle, text, da.Max.X-da.Min.X-vg.Points(2))
	}
	da := p.DataCanvas(c)
	if !named(p.X.Tick.Marker) {
		p.X.Tick.Marker = thinTicks{Ticker: p.X.Tick.Marker, length: da.Max.X - da.Min.X, st: p.X.Tick.Label}
	}
	if !named(p.Y.Tick.Marker) {
		p.Y.Tick.Marker = thinTicks{Ticker: p.Y.Tick.Marker, length: da.Max.Y - da.Min.Y, st: p.Y.Tick.Label, vertical: true}
	}
	return restore
}

// fitLabel fits an axis label to a length: on one line at its size or
// smaller down to 6 points, else on two or three lines broken at spaces
// from 7.5 points down to 6, else on as many lines as it takes at 6
// points, a word too long for a line broken after a '.', '_' or '/'.
func fitLabel(st draw.TextStyle, text string, avail vg.Length) (draw.TextStyle, string) {
	base := st.Font.Size
	for size := base; size >= vg.Points(6); size -= vg.Points(0.5) {
		st.Font.Size = size
		if st.Width(text) <= avail {
			return st, text
		}
	}
	words := strings.Fields(text)
	for _, n := range []int{2, 3} {
		for size := min(base, vg.Points(7.5)); size >= vg.Points(6); size -= vg.Points(0.5) {
			st.Font.Size = size
			lines := wrapBalanced(st, text, avail)
			if len(lines) <= n && slices.Equal(strings.Fields(strings.Join(lines, " ")), words) {
				return st, strings.Join(lines, "\n")
			}
		}
	}
	st.Font.Size = vg.Points(6)
	return st, strings.Join(wrapBalanced(st, text, avail), "\n")
}

// named reports whether a ticker labels named rows or columns, whose
// labels must all stay: their charts fit the rows to the room instead.
func named(t plot.Ticker) bool {
	switch t.(type) {
	case plot.ConstantTicks, tornadoRowTicks, rowTicks:
		return true
	}
	return false
}

// fitRows finds how many of n named rows fit the plot p drawn on area,
// the first ones, and the width their names wrap to (a share of the
// chart's width): every row needs room for its name's lines. ok reports
// that shown rows wrapped to labelW are what fits. It never returns more
// rows than shown, so that fitting settles.
func fitRows(p *plot.Plot, area draw.Canvas, n int, name func(i int) string, shown int, labelW vg.Length) (k int, w vg.Length, ok bool) {
	W := area.Max.X - area.Min.X
	fracs := []float64{0.36}
	if W < narrowWidth {
		fracs = []float64{0.42}
	}
	restore := fitAxes(p, area)
	da := p.DataCanvas(area)
	restore()
	h := da.Max.Y - da.Min.Y
	k = 0
	for _, f := range fracs {
		fw := W * vg.Length(f)
		st := textStyle(rowFont(fw), color.Black)
		lh := lineHeight(st)
		fk := n
		for ; fk > 1; fk-- {
			lines := 1
			for i := range fk {
				lines = max(lines, len(wrapText(st, name(i), fw)))
			}
			if vg.Length(fk)*(vg.Length(lines)*lh+vg.Points(1.5)) <= h {
				break
			}
		}
		if fk > k {
			k, w = fk, fw
		}
	}
	return k, w, k == shown && w == labelW
}

// fitRowFont returns a chart's fit for named rows that must all stay
// (products): their names get smaller, down to 5 points, until the rows
// fit.
func fitRowFont(rows int) func(area draw.Canvas, prev *Chart) *Chart {
	return func(area draw.Canvas, prev *Chart) *Chart {
		p := prev.Plots[0]
		restore := fitAxes(p, area)
		da := p.DataCanvas(area)
		restore()
		size := 5.0
		for _, s := range []float64{6.5, 6, 5.5} {
			if vg.Length(rows)*lineHeight(textStyle(s, color.Black)) <= da.Max.Y-da.Min.Y {
				size = s
				break
			}
		}
		if p.Y.Tick.Label.Font.Size == vg.Points(size) {
			return prev
		}
		next := *prev
		next.variant = fmt.Sprint(size)
		np := *p
		np.Y.Tick.Label.Font = houseFont(size)
		next.Plots = []*plot.Plot{&np}
		return &next
	}
}

// rowFont is the size of row names wrapped to w (0: not wrapped).
func rowFont(w vg.Length) float64 {
	if w > 0 && w < vg.Points(110) {
		return 6
	}
	return 6.5
}

// wrapName breaks a row's name into lines no wider than w (0: one line).
func wrapName(name string, w vg.Length) string {
	if w == 0 {
		return name
	}
	return strings.Join(wrapText(textStyle(rowFont(w), color.Black), name, w), "\n")
}

// rowTicks label rows 0..n-1 of a category axis, rows[0] on top. Labels
// may hold line breaks.
type rowTicks []string

func (rt rowTicks) Ticks(min, max float64) []plot.Tick {
	out := make([]plot.Tick, len(rt))
	for i, s := range rt {
		out[i] = plot.Tick{Value: float64(len(rt) - 1 - i), Label: s}
	}
	return out
}

// thinTicks drops the labels of every second tick (or more) of a ticker
// when neighbouring labels would come closer than 3 points on an axis
// length long; the marks stay, as minor ticks.
type thinTicks struct {
	plot.Ticker
	length   vg.Length
	st       draw.TextStyle
	vertical bool
}

func (t thinTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := append([]plot.Tick(nil), t.Ticker.Ticks(lo, hi)...)
	if !(hi > lo) {
		return ts
	}
	var idx []int // labelled ticks inside the range
	for i, tk := range ts {
		if tk.Label != "" && tk.Value >= lo-1e-9*(hi-lo) && tk.Value <= hi+1e-9*(hi-lo) {
			idx = append(idx, i)
		}
	}
	pos := func(v float64) vg.Length { return vg.Length((v-lo)/(hi-lo)) * t.length }
	size := func(s string) vg.Length {
		if t.vertical {
			return t.st.Height(s)
		}
		return t.st.Width(s)
	}
	for k := 1; k < len(idx); k++ {
		ok := true
		for j := k; j < len(idx) && ok; j += k {
			a, b := ts[idx[j-k]], ts[idx[j]]
			d := pos(b.Value) - pos(a.Value)
			if d < 0 {
				d = -d
			}
			ok = d >= (size(a.Label)+size(b.Label))/2+vg.Points(3)
		}
		if ok {
			for j, i := range idx {
				if j%k != 0 {
					ts[i].Label = ""
				}
			}
			return ts
		}
	}
	for j, i := range idx {
		if j > 0 {
			ts[i].Label = ""
		}
	}
	return ts
}

// textStyle is the house text style at a size, left and bottom aligned.
func textStyle(size float64, col color.Color) draw.TextStyle {
	s := plot.New().Title.TextStyle
	s.Font = houseFont(size)
	s.Color = col
	s.XAlign = draw.XLeft
	s.YAlign = draw.YBottom
	return s
}

// wrapText breaks s into lines no wider than width in st: at spaces, and
// a word wider than a line after a '.', '_', '/', '-' or ',' in it, else
// between letters. Nothing is cut or elided.
func wrapText(st draw.TextStyle, s string, width vg.Length) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if cand := line + " " + w; line != "" && st.Width(cand) <= width {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			for utf8.RuneCountInString(w) > 1 && st.Width(w) > width {
				var head string
				head, w = breakWord(st, w, width)
				out = append(out, head)
			}
			line = w
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// breakWord splits a word too wide for width: after the last '.', '_',
// '/', '-' or ',' that keeps the head within width, else after the last
// rune that does (at least one).
func breakWord(st draw.TextStyle, w string, width vg.Length) (head, tail string) {
	r := []rune(w)
	fit := 1
	for fit < len(r)-1 && st.Width(string(r[:fit+1])) <= width {
		fit++
	}
	for i := fit; i > 1; i-- {
		if strings.ContainsRune("._/-,", r[i-1]) {
			return string(r[:i]), string(r[i:])
		}
	}
	return string(r[:fit]), string(r[fit:])
}

// wrapBalanced wraps s into as few lines as wrapText at width, of about
// equal widths: a two-line title breaks near its middle.
func wrapBalanced(st draw.TextStyle, s string, width vg.Length) []string {
	lines := wrapText(st, s, width)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := width/vg.Length(len(lines)+1), width
	best := lines
	for range 12 {
		mid := (lo + hi) / 2
		if l := wrapText(st, s, mid); len(l) <= len(lines) {
			best, hi = l, mid
		} else {
			lo = mid
		}
	}
	return best
}

// legendLayout is a legend packed into rows: entries left to right, a
// label too long for a row wrapped under itself.
type legendLayout struct {
	st     draw.TextStyle
	thumbW vg.Length
	rows   []legendRow
	height vg.Length
}

type legendRow struct {
	items []legendItem
	lines int
}

type legendItem struct {
	e     LegendEntry
	x     vg.Length // from the left edge
	lines []string
}

// layoutLegend packs entries into rows that fit width.
func layoutLegend(entries []LegendEntry, st draw.TextStyle, width vg.Length) legendLayout {
	ll := legendLayout{st: st, thumbW: vg.Points(16)}
	if width < narrowWidth {
		ll.thumbW = vg.Points(12)
	}
	gap, sep := vg.Points(3), vg.Points(9)
	var x vg.Length
	for _, e := range entries {
		lines := []string{e.Label}
		w := ll.thumbW + gap + st.Width(e.Label)
		if w > width {
			lines = wrapBalanced(st, e.Label, width-ll.thumbW-gap)
			w = width
		}
		if len(ll.rows) == 0 || x+w > width {
			ll.rows = append(ll.rows, legendRow{})
			x = 0
		}
		r := &ll.rows[len(ll.rows)-1]
		r.items = append(r.items, legendItem{e: e, x: x, lines: lines})
		r.lines = max(r.lines, len(lines))
		x += w + sep
	}
	for _, r := range ll.rows {
		ll.height += vg.Length(r.lines)*lineHeight(st) + vg.Points(2.5)
	}
	return ll
}

// draw draws the legend in dc with its bottom at y.
func (ll legendLayout) draw(dc draw.Canvas, bottom vg.Length) {
	st := ll.st
	st.YAlign = draw.YCenter
	lh := lineHeight(st)
	y := bottom + ll.height
	for _, r := range ll.rows {
		mid := y - vg.Points(1.25) - lh/2 // the middle of the row's first line
		for _, it := range r.items {
			x := dc.Min.X + it.x
			th := min(lh-vg.Points(1.5), vg.Points(8))
			tc := dc
			tc.Rectangle = vg.Rectangle{Min: vg.Point{X: x, Y: mid - th/2}, Max: vg.Point{X: x + ll.thumbW, Y: mid + th/2}}
			it.e.Thumb.Thumbnail(&tc)
			for k, l := range it.lines {
				dc.FillText(st, vg.Point{X: x + ll.thumbW + vg.Points(3), Y: mid - vg.Length(k)*lh}, l)
			}
		}
		y -= vg.Length(r.lines)*lh + vg.Points(2.5)
	}
}

// noteLayout is the notes wrapped into one column, or two on a wide chart,
// which read top to bottom, left column first.
type noteLayout struct {
	columns [][]string
	height  vg.Length
}

// noteIndent indents the continuation lines of a note.
const noteIndent = "\u2002"

func layoutNotes(st draw.TextStyle, notes []string, width vg.Length, narrow bool) noteLayout {
	if len(notes) == 0 {
		return noteLayout{}
	}
	wrapNote := func(n string, w vg.Length) []string {
		lines := wrapText(st, n, w)
		for i := 1; i < len(lines); i++ {
			if st.Width(noteIndent+lines[i]) <= w {
				lines[i] = noteIndent + lines[i]
			}
		}
		return lines
	}
	one := func() noteLayout {
		var col []string
		for _, n := range notes {
			col = append(col, wrapNote(n, width)...)
		}
		return noteLayout{columns: [][]string{col}, height: vg.Length(len(col)) * lineHeight(st)}
	}
	if narrow || len(notes) < 2 {
		return one()
	}
	// Two columns, split between notes where the longer column is
	// shortest.
	colW := (width - vg.Points(8)) / 2
	wrapped := make([][]string, len(notes))
	total := 0
	for i, n := range notes {
		wrapped[i] = wrapNote(n, colW)
		total += len(wrapped[i])
	}
	best, bestH := 1, total
	run := 0
	for k := 1; k < len(notes); k++ {
		run += len(wrapped[k-1])
		if h := max(run, total-run); h < bestH {
			best, bestH = k, h
		}
	}
	if l := one(); vg.Length(bestH)*lineHeight(st) >= l.height {
		return l
	}
	var left, right []string
	for i, w := range wrapped {
		if i < best {
			left = append(left, w...)
		} else {
			right = append(right, w...)
		}
	}
	return noteLayout{columns: [][]string{left, right}, height: vg.Length(bestH) * lineHeight(st)}
}

// drawNotes draws note columns with their bottom at bottom.
func drawNotes(dc draw.Canvas, st draw.TextStyle, cols [][]string, bottom vg.Length) {
	if len(cols) == 0 {
		return
	}
	lh := lineHeight(st)
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c))
	}
	colW := (dc.Max.X - dc.Min.X + vg.Points(8)) / vg.Length(len(cols))
	st.YAlign = draw.YTop
	for k, c := range cols {
		y := bottom + vg.Length(rows)*lh
		for _, l := range c {
			dc.FillText(st, vg.Point{X: dc.Min.X + vg.Length(k)*colW, Y: y}, l)
			y -= lh
		}
	}
}

// WriteTo renders the chart in a format (png, svg or pdf) at a size, PNG
// at dpi dots per inch. A size or resolution out of the range
// ChartOptions.Validate accepts is an error wrapping ErrChartSize, found
// before any memory is allocated for the picture.
func (c *Chart) WriteTo(w io.Writer, format string, width, height vg.Length, dpi int) error {
	if format == "png" {
		if err := checkSize(width, height, dpi); err != nil {
			return fmt.Errorf("chart %s: %w", c.Name, err)
		}
	} else if err := checkSize(width, height, 0); err != nil {
		return fmt.Errorf("chart %s: %w", c.Name, err)
	}
	var canvas vg.CanvasWriterTo
	switch format {
	case "png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	case "svg":
		canvas = vgsvg.New(width, height)
	case "pdf":
		pdf := vgpdf.New(width, height)
		pdf.EmbedFonts(true)
		canvas = pdf
	default:
		return fmt.Errorf("chart format %q: want %s", format, strings.Join(Formats, ", "))
	}
	c.draw(draw.New(canvas))
	_, err := canvas.WriteTo(w)
	return err
}

// Bytes renders the chart into memory.
func (c *Chart) Bytes(format string, width, height vg.Length, dpi int) ([]byte, error) {
	var b bytes.Buffer
	err := c.WriteTo(&b, format, width, height, dpi)
	return b.Bytes(), err
}

// Save writes the chart into dir as NAME.FORMAT for each format, each file
// atomically, and returns the paths written.
func (c *Chart) Save(dir, prefix string, formats []string, width, height vg.Length, dpi int) ([]string, error) {
	var out []string
	for _, f := range formats {
		p := filepath.Join(dir, prefix+c.Name+"."+f)
		if err := WriteFile(p, func(w io.Writer) error { return c.WriteTo(w, f, width, height, dpi) }); err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// lineThumb is a legend thumbnail for a line style.
type lineThumb draw.LineStyle

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}

// fillThumb is a legend thumbnail for a filled area.
type fillThumb struct{ color color.Color }

func (f fillThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(f.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// line adds a series to p as a line with style i and returns its legend
// thumbnail.
func line(p *plot.Plot, xs, ys []float64, sty draw.LineStyle) (plot.Thumbnailer, error) {
	pts := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if !math.IsInf(ys[i], 0) && !math.IsNaN(ys[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.LineStyle = sty
	p.Add(l)
	return lineThumb(sty), nil
}

// sourceLine formats the small print under a chart.
func sourceLine(scenarios []string, version, date string) string {
	s := "Source: chipsim"
	if version != "" {
		s += " " + version
	}
	s += ", scenario " + strings.Join(scenarios, ", ")
	if date != "" {
		s += ", run " + date
	}
	return s
}
