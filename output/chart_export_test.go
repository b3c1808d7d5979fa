package output

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TextBox is a piece of text a chart drew: the string and its bounding
// box, in points from the canvas's bottom left corner.
type TextBox struct {
	Text string
	Box  vg.Rectangle
}

// DrawnText lays a chart out at a size, as WriteTo does, and returns the
// text it draws, line by line.
func DrawnText(c *Chart, width, height vg.Length) []TextBox {
	r := &recorder{w: width, h: height, m: affine{1, 0, 0, 0, 1, 0}}
	c.draw(draw.New(r))
	return r.boxes
}

// affine maps (x, y) to (a x + b y + c, d x + e y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) mul(n affine) affine {
	return affine{
		m.a*n.a + m.b*n.d, m.a*n.b + m.b*n.e, m.a*n.c + m.b*n.f + m.c,
		m.d*n.a + m.e*n.d, m.d*n.b + m.e*n.e, m.d*n.c + m.e*n.f + m.f,
	}
}

func (m affine) apply(p vg.Point) vg.Point {
	x, y := float64(p.X), float64(p.Y)
	return vg.Point{X: vg.Length(m.a*x + m.b*y + m.c), Y: vg.Length(m.d*x + m.e*y + m.f)}
}

// recorder is a canvas that draws nothing and records the boxes of the
// text drawn on it.
type recorder struct {
	w, h  vg.Length
	m     affine
	stack []affine
	boxes []TextBox
	last  struct {
		m    affine
		size vg.Length
		y    vg.Length
	}
}

func (r *recorder) Size() (vg.Length, vg.Length) { return r.w, r.h }
func (r *recorder) SetLineWidth(vg.Length)       {}
func (r *recorder) SetLineDash([]vg.Length, vg.Length) {
}
func (r *recorder) SetColor(color.Color) {}
func (r *recorder) Rotate(rad float64) {
	s, c := math.Sincos(rad)
	r.m = r.m.mul(affine{c, -s, 0, s, c, 0})
}
func (r *recorder) Translate(p vg.Point) {
	r.m = r.m.mul(affine{1, 0, float64(p.X), 0, 1, float64(p.Y)})
}
func (r *recorder) Scale(x, y float64) { r.m = r.m.mul(affine{x, 0, 0, 0, y, 0}) }
func (r *recorder) Push()              { r.stack = append(r.stack, r.m) }
func (r *recorder) Pop() {
	r.m = r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
}
func (r *recorder) Stroke(vg.Path)                      {}
func (r *recorder) Fill(vg.Path)                        {}
func (r *recorder) DrawImage(vg.Rectangle, image.Image) {}

func (r *recorder) FillString(f font.Face, pt vg.Point, text string) {
	if f.Font.Size == 0 || text == "" {
		return
	}
	ext := f.Extents()
	w := f.Width(text)
	corners := []vg.Point{
		{X: pt.X, Y: pt.Y - ext.Descent}, {X: pt.X + w, Y: pt.Y - ext.Descent},
		{X: pt.X, Y: pt.Y + ext.Ascent}, {X: pt.X + w, Y: pt.Y + ext.Ascent},
	}
	b := vg.Rectangle{Min: vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))}, Max: vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}}
	for _, c := range corners {
		p := r.m.apply(c)
		b.Min.X, b.Min.Y = min(b.Min.X, p.X), min(b.Min.Y, p.Y)
		b.Max.X, b.Max.Y = max(b.Max.X, p.X), max(b.Max.Y, p.Y)
	}
	// The lines of a block of text gonum draws (an axis label, a tick
	// label) are a font size apart, closer than their ascent and descent:
	// they make one box.
	if n := len(r.boxes); n > 0 && r.last.m == r.m && r.last.size == f.Font.Size && math.Abs(float64(r.last.y-pt.Y-f.Font.Size)) < 1e-6 {
		p := &r.boxes[n-1]
		p.Text += "\n" + text
		p.Box.Min.X, p.Box.Min.Y = min(p.Box.Min.X, b.Min.X), min(p.Box.Min.Y, b.Min.Y)
		p.Box.Max.X, p.Box.Max.Y = max(p.Box.Max.X, b.Max.X), max(p.Box.Max.Y, b.Max.Y)
	} else {
		r.boxes = append(r.boxes, TextBox{Text: text, Box: b})
	}
	r.last.m, r.last.size, r.last.y = r.m, f.Font.Size, pt.Y
}
