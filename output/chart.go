package output

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

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

// Chart is one figure: one or more plots stacked vertically, a legend
// drawn below them (never over the data), and a source line.
type Chart struct {
	Name   string // file stem, such as "self-sufficiency"
	Title  string
	Plots  []*plot.Plot
	Legend []LegendEntry
	Notes  []string // small print under the legend, such as an event key
	Source string   // scenario, chipsim version and date of the run
	// Heights are stacked panels' relative heights; nil for equal ones.
	Heights []float64
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

// newPlot returns a plot in the house style.
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
	var out []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		if v < min-1e-9 || v > max+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%2 == 0 {
			t.Label = fmt.Sprintf("%d%%", i*10)
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

const legendFont = 7

// layout draws the chart on c: plots on top, then the legend, then the
// source line.
func (c *Chart) draw(dc draw.Canvas) {
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	pad := vg.Points(4)
	inner := draw.Crop(dc, pad, -pad, pad, -pad)
	src := textStyle(6, grey)
	bottom := inner.Min.Y
	if c.Source != "" {
		inner.FillText(src, vg.Point{X: inner.Min.X, Y: bottom}, c.Source)
		bottom += src.Height(c.Source) + vg.Points(3)
	}
	notes := c.Notes
	rowH := vg.Points(7)
	notesH := func(n int) vg.Length {
		if n == 0 {
			return 0
		}
		return vg.Length((n+1)/2)*rowH + vg.Points(3)
	}
	// The plot keeps at least half the height, and room to be read: at a
	// small size the small print gives way first, then a stack's lower
	// panels, each with a line saying so.
	height := inner.Max.Y - bottom
	legend := c.Legend
	lh := legendHeight(legend, inner.Max.X-inner.Min.X)
	minPlot := max(height/2, vg.Points(110))
	plots := c.Plots
	var left []string // what gives way, said in one line
	if len(plots) > 1 && len(c.Heights) == len(plots) && height-notesH(len(notes))-lh < vg.Points(150) {
		plots = plots[:1]
		left = append(left, "the lower panel")
		legend = nil
		for _, e := range c.Legend {
			if e.Panel == 0 {
				legend = append(legend, e)
			}
		}
		lh = legendHeight(legend, inner.Max.X-inner.Min.X)
	}
	if len(notes) > 0 && (len(left) > 0 || (len(notes) > 1 && height-notesH(len(notes))-lh < minPlot)) {
		left = append(left, fmt.Sprintf("%d notes", len(notes)))
		notes = nil
	}
	if len(left) > 0 {
		notes = []string{"Left out at this size: " + strings.Join(left, " and ") + "; draw the chart larger (--width, --height)."}
	}
	if len(notes) > 0 {
		nst := textStyle(5.5, color.Gray{Y: 0x30})
		colW := (inner.Max.X - inner.Min.X) / 2
		rows := (len(notes) + 1) / 2
		if len(notes) == 1 {
			colW = inner.Max.X - inner.Min.X
		}
		for i, n := range notes {
			col, row := i/rows, i%rows
			y := bottom + vg.Length(rows-1-row)*rowH
			inner.FillText(nst, vg.Point{X: inner.Min.X + vg.Length(col)*colW, Y: y}, fitText(nst, n, colW-vg.Points(6)))
		}
		bottom += vg.Length(rows)*rowH + vg.Points(3)
	}
	drawLegend(legend, draw.Crop(inner, 0, 0, bottom-inner.Min.Y, 0), lh)
	bottom += lh
	area := draw.Crop(inner, 0, 0, bottom-inner.Min.Y, 0)
	if len(plots) == 0 {
		return
	}
	if len(plots) == 1 {
		p := plots[0]
		if len(c.Plots) > 1 {
			// Alone, the upper panel of a stack shows the x labels the
			// lower one held.
			marker, label := p.X.Tick.Marker, p.X.Label.Text
			if u, ok := marker.(unlabelled); ok {
				p.X.Tick.Marker = u.Ticker
			}
			p.X.Label.Text = c.Plots[len(c.Plots)-1].X.Label.Text
			defer func() { p.X.Tick.Marker, p.X.Label.Text = marker, label }()
		}
		p.Draw(area)
		return
	}
	// Stacked panels share the x axis: align their data areas (same left
	// and right edges, same heights) whatever their axes' label widths.
	rows := make([][]*plot.Plot, len(c.Plots))
	for i, p := range c.Plots {
		rows[i] = []*plot.Plot{p}
	}
	gap := vg.Points(3)
	if len(c.Heights) == len(c.Plots) {
		c.drawPanels(area, gap)
		return
	}
	tiles := plot.Align(rows, draw.Tiles{Rows: len(rows), Cols: 1, PadY: gap}, area)
	for i, p := range c.Plots {
		p.Draw(tiles[i][0])
	}
}

// drawPanels stacks the plots in area with c.Heights, their data areas
// lined up across: each panel's canvas is narrowed by what its axis
// labels need less than the widest's.
func (c *Chart) drawPanels(area draw.Canvas, gap vg.Length) {
	var sum float64
	for _, h := range c.Heights {
		sum += h
	}
	free := area.Max.Y - area.Min.Y - gap*vg.Length(len(c.Plots)-1)
	cs := make([]draw.Canvas, len(c.Plots))
	var left, right vg.Length
	y := area.Max.Y
	for i, p := range c.Plots {
		h := free * vg.Length(c.Heights[i]/sum)
		cs[i] = draw.Crop(area, 0, 0, y-h-area.Min.Y, y-area.Max.Y)
		y -= h + gap
		da := p.DataCanvas(cs[i])
		left = max(left, da.Min.X-cs[i].Min.X)
		right = max(right, cs[i].Max.X-da.Max.X)
	}
	for i, p := range c.Plots {
		da := p.DataCanvas(cs[i])
		l, r := da.Min.X-cs[i].Min.X, cs[i].Max.X-da.Max.X
		p.Draw(draw.Crop(cs[i], left-l, -(right - r), 0, 0))
	}
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(st draw.TextStyle, s string, width vg.Length) string {
	r := []rune(s)
	for len(r) > 1 && st.Width(string(r)) > width {
		r = append(r[:len(r)-2], '…')
	}
	return string(r)
}

func textStyle(size float64, col color.Color) draw.TextStyle {
	s := plot.New().Title.TextStyle
	s.Font = houseFont(size)
	s.Color = col
	s.XAlign = draw.XLeft
	s.YAlign = draw.YBottom
	return s
}

var thumbW = vg.Points(16)

// legendRows packs entries left to right into rows that fit width.
func legendRows(entries []LegendEntry, width vg.Length) [][]int {
	st := textStyle(legendFont, color.Black)
	var rows [][]int
	var x vg.Length
	for i, e := range entries {
		w := thumbW + vg.Points(3) + st.Width(e.Label) + vg.Points(10)
		if len(rows) == 0 || x+w > width {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
		x += w
	}
	return rows
}

func legendHeight(entries []LegendEntry, width vg.Length) vg.Length {
	n := len(legendRows(entries, width))
	if n == 0 {
		return 0
	}
	return vg.Length(n)*vg.Points(legendFont+4) + vg.Points(2)
}

func drawLegend(entries []LegendEntry, dc draw.Canvas, height vg.Length) {
	st := textStyle(legendFont, color.Black)
	st.YAlign = draw.YCenter
	rowH := vg.Points(legendFont + 4)
	y := dc.Min.Y + height - rowH/2
	for _, row := range legendRows(entries, dc.Max.X-dc.Min.X) {
		x := dc.Min.X
		for _, i := range row {
			e := entries[i]
			tc := draw.Crop(dc, x-dc.Min.X, -(dc.Max.X - x - thumbW), y-rowH/2+vg.Points(1)-dc.Min.Y, -(dc.Max.Y - (y + rowH/2 - vg.Points(1))))
			e.Thumb.Thumbnail(&tc)
			dc.FillText(st, vg.Point{X: x + thumbW + vg.Points(3), Y: y}, e.Label)
			x += thumbW + vg.Points(3) + st.Width(e.Label) + vg.Points(10)
		}
		y -= rowH
	}
}

// WriteTo renders the chart in a format (png, svg or pdf) at a size, PNG
// at dpi dots per inch.
func (c *Chart) WriteTo(w io.Writer, format string, width, height vg.Length, dpi int) error {
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
