package output

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MorrisRatios are the reference lines of a Morris chart, σ/μ* = 0.1 and
// 1 (the convention of Campolongo, Cariboni and Saltelli 2007, after
// Morris 1991): an input below the first acts almost linearly and alone;
// above the second its effect is strongly non-linear or depends on other
// inputs.
var MorrisRatios = []float64{0.1, 1}

// MorrisScatter draws Morris screening as the usual μ*–σ plane: a point
// per input at its mean absolute elementary effect μ* (across) and the
// standard deviation of its effects σ (up), labelled with the input's
// name, with the lines σ/μ* = 0.1 and 1 (MorrisRatios). Inputs near the
// origin matter little; far right, much; high above the σ/μ* = 1 line,
// through non-linearity or interactions.
//
// unit is the elementary effects' unit (such as "ratio per unit of
// quantile"); title may name the outcome by its expression, which the
// chart reads out (ReadableTitle). Labels are placed where they touch
// neither each other, the points nor the frame; one that fits nowhere
// beside its point is replaced by a number, which a note names, and at
// worst listed in a note unlabelled.
func MorrisScatter(name, title, unit string, inputs []string, muStar, sigma []float64, notes []string, source string, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("morris chart %s: %w", name, err)
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("morris chart %s: no inputs", name)
	}
	if len(muStar) != len(inputs) || len(sigma) != len(inputs) {
		return nil, fmt.Errorf("morris chart %s: %d inputs, %d μ* and %d σ", name, len(inputs), len(muStar), len(sigma))
	}
	for i := range inputs {
		for _, v := range []float64{muStar[i], sigma[i]} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, fmt.Errorf("morris chart %s: %s has μ* %g and σ %g; want finite values from 0", name, inputs[i], muStar[i], sigma[i])
			}
		}
	}
	readable, ids := ReadableTitle(title)
	mp := &morrisPoints{names: inputs, mu: muStar, sigma: sigma, label: map[int]int{}}
	// Labels are placed most important first: by μ*, then σ.
	mp.order = make([]int, len(inputs))
	for i := range mp.order {
		mp.order[i] = i
	}
	sort.SliceStable(mp.order, func(a, b int) bool {
		i, j := mp.order[a], mp.order[b]
		if muStar[i] != muStar[j] {
			return muStar[i] > muStar[j]
		}
		return sigma[i] > sigma[j]
	})
	var mu sync.Mutex
	points := map[*Chart]*morrisPoints{} // each variant's plotter
	build := func(label map[int]int, narrow bool) *Chart {
		m := *mp
		m.label = label
		c := morrisPlane(name, readable, ids, unit, &m, notes, source, narrow)
		mu.Lock()
		points[c] = &m
		mu.Unlock()
		return c
	}
	c := build(map[int]int{}, false)
	c.fit = func(area draw.Canvas, prev *Chart) *Chart {
		mu.Lock()
		old, ok := points[prev]
		mu.Unlock()
		if !ok {
			return prev
		}
		narrow := area.Max.X-area.Min.X < narrowWidth
		if narrow != strings.HasSuffix(prev.variant, "/narrow") {
			return build(old.label, narrow)
		}
		pm := prev.Plots[0]
		restore := fitAxes(pm, area)
		got := old.place(pm.DataCanvas(area), pm).label
		restore()
		// Keep what was numbered or left unlabelled before: fitting only
		// ever moves labels into the notes.
		merged := map[int]int{}
		changed := false
		for i, k := range old.label {
			merged[i] = k
		}
		for i, k := range got {
			if merged[i] < k {
				merged[i] = k
				changed = true
			}
		}
		if !changed {
			return prev
		}
		return build(merged, narrow)
	}
	return c, nil
}

// Label kinds of a Morris point.
const (
	labelName = iota
	labelNumber
	labelNone
)

// morrisPoints draws the inputs' points, labelled, and the reference
// lines.
type morrisPoints struct {
	names     []string
	mu, sigma []float64
	order     []int       // placing order, most important first
	label     map[int]int // point → labelName (the default), labelNumber or labelNone
	number    map[int]int // point → its number, for labelNumber
}

var (
	morrisPoint = draw.GlyphStyle{Color: SensColour1, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	morrisRef   = draw.LineStyle{Color: grey, Width: vg.Points(0.7), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	morrisText  = textStyle(6, color.Gray{Y: 0x20})
	morrisRefSt = textStyle(6, color.Gray{Y: 0x50})
)

// morrisPlane builds the chart with labels of the kinds given.
// On a narrow chart the axis labels are short.
func morrisPlane(name, title, ids, unit string, mp *morrisPoints, notes []string, source string, narrow bool) *Chart {
	// Numbers in placing order.
	mp.number = map[int]int{}
	var numbered, unlabelled []string
	for _, i := range mp.order {
		switch mp.label[i] {
		case labelNumber:
			mp.number[i] = len(numbered) + 1
			numbered = append(numbered, fmt.Sprintf("%d %s", len(numbered)+1, mp.names[i]))
		case labelNone:
			unlabelled = append(unlabelled, mp.names[i])
		}
	}
	c := &Chart{Name: name, Title: title, Subtitle: ids, Source: source}
	var kinds []string
	for i, k := range mp.label {
		if k != labelName {
			kinds = append(kinds, fmt.Sprintf("%d:%d", i, k))
		}
	}
	sort.Strings(kinds)
	c.variant = strings.Join(kinds, ",")
	if narrow {
		c.variant += "/narrow"
	}
	u := ""
	if unit != "" {
		u = " (" + unit + ")"
	}
	xl, yl := "μ*, mean absolute elementary effect"+u, "σ, spread of the effects"+u
	if narrow {
		xl, yl = "μ*"+u, "σ"+u
	}
	p := newPlot(xl, yl)
	p.Add(mp)
	xmax, ymax := 0.0, 0.0
	for i := range mp.mu {
		xmax, ymax = math.Max(xmax, mp.mu[i]), math.Max(ymax, mp.sigma[i])
	}
	if xmax == 0 {
		xmax = 1
	}
	if ymax == 0 {
		ymax = xmax
	}
	p.X.Min, p.Y.Min = 0, 0
	p.X.Max, p.Y.Max = roundUp(0, xmax*1.08), roundUp(0, ymax*1.08)
	p.X.Tick.Marker, p.Y.Tick.Marker = fewTicks{}, fewTicks{}
	c.Plots = []*plot.Plot{p}
	if len(numbered) > 0 {
		c.Notes = append(c.Notes, "Numbered points: "+strings.Join(numbered, "; ")+".")
	}
	switch {
	case len(unlabelled) > 2 && narrow:
		c.Notes = append(c.Notes, fmt.Sprintf("Not labelled, too close to others: %d inputs (all are in the CSV).", len(unlabelled)))
	case len(unlabelled) > 0:
		c.Notes = append(c.Notes, "Not labelled, too close to others: "+strings.Join(unlabelled, ", ")+".")
	}
	c.keyNotes = len(c.Notes)
	c.Notes = append(c.Notes, "Points: each input's elementary effects on the outcome, their mean absolute size μ* (across) and their standard deviation σ (up). "+
		"Below the line σ/μ* = 0.1 an input acts almost linearly; above σ/μ* = 1 its effect is strongly non-linear or depends on other inputs (Campolongo et al. 2007).")
	c.Notes = append(c.Notes, notes...)
	return c
}

// placed is a label's text and box.
type placed struct {
	text string
	at   vg.Point // the text's bottom left corner
	box  vg.Rectangle
}

// morrisPlacement is where a drawing puts the labels, and what it could
// not place.
type morrisPlacement struct {
	labels []placed
	refs   []placed    // the reference lines' labels
	label  map[int]int // points whose labels moved into the notes
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func inside(r, frame vg.Rectangle) bool {
	return r.Min.X >= frame.Min.X && r.Max.X <= frame.Max.X && r.Min.Y >= frame.Min.Y && r.Max.Y <= frame.Max.Y
}

// refEnd returns where the line σ = r μ* leaves the frame.
func refEnd(r, xmax, ymax float64) (x, y float64) {
	if r*xmax <= ymax {
		return xmax, r * xmax
	}
	return ymax / r, ymax
}

// place lays the labels out on the data canvas c: the reference lines'
// first, at their ends, then each point's in placing order at the first
// of eight places around it that is free, its name or, failing that, its
// number.
func (mp *morrisPoints) place(c draw.Canvas, p *plot.Plot) morrisPlacement {
	tx, ty := p.Transforms(&c)
	out := morrisPlacement{label: map[int]int{}}
	var taken []vg.Rectangle
	r := morrisPoint.Radius + vg.Points(0.5)
	for i := range mp.mu {
		pt := vg.Point{X: tx(mp.mu[i]), Y: ty(mp.sigma[i])}
		taken = append(taken, vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}})
	}
	frame := c.Rectangle
	free := func(b vg.Rectangle) bool {
		if !inside(b, frame) {
			return false
		}
		for _, t := range taken {
			if overlaps(b, t) {
				return false
			}
		}
		return true
	}
	for _, ratio := range MorrisRatios {
		x, y := refEnd(ratio, p.X.Max, p.Y.Max)
		s := "σ/μ* = " + strconv.FormatFloat(ratio, 'g', -1, 64)
		sz := textSize(morrisRefSt, s)
		end := vg.Point{X: tx(x), Y: ty(y)}
		slope := (end.Y - ty(0)) / max(end.X-tx(0), 1e-9) // on the page
		// Clear of the line by its end: above it (where the line is
		// highest under the label, at its right), else below it (where it
		// is lowest, at its left).
		gap := vg.Points(1.5)
		var cands []vg.Point
		for _, d := range []vg.Length{vg.Points(2), (sz.Y+2*gap)/max(slope, 1e-9) + vg.Points(1)} {
			cands = append(cands, vg.Point{X: end.X - d - sz.X, Y: end.Y - slope*d + gap})
		}
		cands = append(cands, vg.Point{X: end.X - vg.Points(2) - sz.X, Y: end.Y - slope*(sz.X+vg.Points(2)) - gap - sz.Y})
		for _, min := range cands {
			if b := (vg.Rectangle{Min: min, Max: min.Add(sz)}); free(b) {
				out.refs = append(out.refs, placed{text: s, at: textAt(morrisRefSt, b), box: b})
				taken = append(taken, b)
				break
			}
		}
	}
	for _, i := range mp.order {
		kind := mp.label[i]
		if kind == labelNone {
			continue
		}
		pt := vg.Point{X: tx(mp.mu[i]), Y: ty(mp.sigma[i])}
		for ; kind < labelNone; kind++ {
			s := mp.names[i]
			if kind == labelNumber {
				s = strconv.Itoa(mp.number[i])
				if mp.number[i] == 0 {
					s = "99" // to be numbered: room for a number
				}
			}
			b, ok := freeSpot(pt, textSize(morrisText, s), free)
			if !ok {
				continue
			}
			taken = append(taken, b)
			if kind == labelNumber && mp.number[i] == 0 {
				break
			}
			out.labels = append(out.labels, placed{text: s, at: textAt(morrisText, b), box: b})
			break
		}
		if kind != mp.label[i] {
			out.label[i] = kind
		}
	}
	return out
}

// freeSpot returns the first of eight places around pt for a box of size
// sz that free accepts: right, left, above, below, then the diagonals.
func freeSpot(pt, sz vg.Point, free func(vg.Rectangle) bool) (vg.Rectangle, bool) {
	g := morrisPoint.Radius + vg.Points(1.2)
	d := g * 0.75
	for _, min := range []vg.Point{
		{X: pt.X + g, Y: pt.Y - sz.Y/2},
		{X: pt.X - g - sz.X, Y: pt.Y - sz.Y/2},
		{X: pt.X - sz.X/2, Y: pt.Y + g},
		{X: pt.X - sz.X/2, Y: pt.Y - g - sz.Y},
		{X: pt.X + d, Y: pt.Y + d},
		{X: pt.X + d, Y: pt.Y - d - sz.Y},
		{X: pt.X - d - sz.X, Y: pt.Y + d},
		{X: pt.X - d - sz.X, Y: pt.Y - d - sz.Y},
	} {
		if b := (vg.Rectangle{Min: min, Max: min.Add(sz)}); free(b) {
			return b, true
		}
	}
	return vg.Rectangle{}, false
}

// textSize is the size of the box a line of text takes in st, from its
// descent to its ascent.
func textSize(st draw.TextStyle, s string) vg.Point {
	e := st.FontExtents()
	return vg.Point{X: st.Width(s), Y: e.Ascent + e.Descent}
}

// textAt is the point to draw a line of text at in st (left and bottom
// aligned) for it to fill the box b.
func textAt(st draw.TextStyle, b vg.Rectangle) vg.Point {
	return vg.Point{X: b.Min.X, Y: b.Max.Y - st.Font.Size}
}

func (mp *morrisPoints) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, ratio := range MorrisRatios {
		x, y := refEnd(ratio, p.X.Max, p.Y.Max)
		c.StrokeLine2(morrisRef, tx(0), ty(0), tx(x), ty(y))
	}
	for i := range mp.mu {
		c.DrawGlyph(morrisPoint, vg.Point{X: tx(mp.mu[i]), Y: ty(mp.sigma[i])})
	}
	pl := mp.place(c, p)
	// Labels on white, so that lines under them do not cross the letters.
	halo := func(b vg.Rectangle) {
		b.Min.X, b.Max.X = b.Min.X-vg.Points(0.5), b.Max.X+vg.Points(0.5)
		c.FillPolygon(color.White, []vg.Point{b.Min, {X: b.Max.X, Y: b.Min.Y}, b.Max, {X: b.Min.X, Y: b.Max.Y}})
	}
	for _, l := range pl.refs {
		halo(l.box)
		c.FillText(morrisRefSt, l.at, l.text)
	}
	for _, l := range pl.labels {
		halo(l.box)
		c.FillText(morrisText, l.at, l.text)
	}
}

func (mp *morrisPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = 0, 0
	for i := range mp.mu {
		xmax, ymax = math.Max(xmax, mp.mu[i]), math.Max(ymax, mp.sigma[i])
	}
	return
}
