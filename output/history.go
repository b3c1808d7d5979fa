package output

import (
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/chipsim/chipsim/sim"
)

// Observation is a fact of history to set against the model: a metric's
// value for an entity in a year (aggregated as the annual tables are) or
// one period, the range the checks accept, and its source. It mirrors the
// history checks of chipsim check (package scenarios/check), so that
// output need not import them.
type Observation struct {
	Metric, Entity string  // Entity "all" for metrics with one value per period
	Period         string  // a year such as "2024", or a period label such as "2025Q1"
	Value          float64 // the observed value: the middle of [Lo, Hi] when the source gives a range
	Lo, Hi         float64 // the accepted range
	Source         string
}

// year returns the observation's year and whether it is a whole year.
func (o Observation) year() (int, bool) {
	y, err := strconv.Atoi(o.Period)
	return y, err == nil
}

// x returns where the observation sits on a time axis in fractional
// years: the middle of its year or period.
func (o Observation) x(f *Frame) (float64, bool) {
	if y, ok := o.year(); ok {
		return float64(y) + 0.5, true
	}
	t, ok := f.period(o.Period)
	if !ok {
		return 0, false
	}
	return f.Times[t] + float64(f.Step)/24, true
}

// ModelValue returns the model's value for what o observed: the metric's
// annual value for a year, its value in a period otherwise.
func ModelValue(f *Frame, o Observation) (float64, bool) {
	if y, ok := o.year(); ok {
		v, ok := f.Annual(o.Metric, o.Entity)
		if !ok {
			return 0, false
		}
		for i, fy := range f.Years() {
			if fy == y {
				return v[i], true
			}
		}
		return 0, false
	}
	d, ok := sim.MetricByName(o.Metric)
	if !ok || d.Agg == sim.Ratio {
		return 0, false // a period's ratio is in the series; the checks use years
	}
	s, ok := f.Series(o.Metric, o.Entity)
	t, ok2 := f.period(o.Period)
	if !ok || !ok2 {
		return 0, false
	}
	return s[t], true
}

// historyFor returns the observations of a metric (entity "all") that fall
// within the frame's years.
func historyFor(f *Frame, obs []Observation, metric string) []Observation {
	var out []Observation
	years := f.Years()
	for _, o := range obs {
		if o.Metric != metric || o.Entity != "all" {
			continue
		}
		x, ok := o.x(f)
		if !ok || int(x) < years[0] || int(x) > years[len(years)-1] {
			continue
		}
		out = append(out, o)
	}
	return out
}

// historyMarks draws observations as open diamonds at their value with a
// bar over the accepted range, in the colour of the series they check.
type historyMarks struct {
	xs, ys, lo, hi []float64
	color          color.Color
}

func (h *historyMarks) add(o Observation, x, scale float64) {
	lo, hi := o.Lo, o.Hi
	h.xs = append(h.xs, x)
	h.ys = append(h.ys, o.Value*scale)
	h.lo = append(h.lo, lo*scale)
	h.hi = append(h.hi, hi*scale)
}

func (h *historyMarks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	bar := draw.LineStyle{Color: h.color, Width: vg.Points(0.9)}
	cap := vg.Points(2.2)
	for i, x := range h.xs {
		px := tx(x)
		lo, hi := h.lo[i], h.hi[i]
		// An open-ended range is drawn to the frame's edge.
		lo = math.Max(lo, p.Y.Min)
		hi = math.Min(hi, p.Y.Max)
		if hi > lo {
			c.StrokeLine2(bar, px, ty(lo), px, ty(hi))
			if !math.IsInf(h.lo[i], 0) && h.lo[i] >= p.Y.Min {
				c.StrokeLine2(bar, px-cap, ty(lo), px+cap, ty(lo))
			}
			if !math.IsInf(h.hi[i], 0) && h.hi[i] <= p.Y.Max {
				c.StrokeLine2(bar, px-cap, ty(hi), px+cap, ty(hi))
			}
		}
		if y := h.ys[i]; !math.IsNaN(y) && y >= p.Y.Min && y <= p.Y.Max {
			diamond(&c, vg.Point{X: px, Y: ty(y)}, h.color, vg.Points(2.8))
		}
	}
}

// DataRange keeps observations inside the axes the chart sets.
func (h *historyMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, x := range h.xs {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		for _, y := range []float64{h.ys[i], h.lo[i], h.hi[i]} {
			if !math.IsInf(y, 0) && !math.IsNaN(y) {
				ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			}
		}
	}
	return xmin, xmax, ymin, ymax
}

// diamond draws an open diamond: white inside, rimmed in col.
func diamond(c *draw.Canvas, pt vg.Point, col color.Color, r vg.Length) {
	pts := []vg.Point{{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}}
	c.FillPolygon(color.White, pts)
	c.StrokeLines(draw.LineStyle{Color: col, Width: vg.Points(1.1)}, append(pts, pts[0]))
}

// historyThumb is the legend's sample of an observation.
type historyThumb struct{}

func (historyThumb) Thumbnail(c *draw.Canvas) {
	mid := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	bar := draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(0.9)}
	c.StrokeLine2(bar, mid.X, c.Min.Y, mid.X, c.Max.Y)
	diamond(c, mid, color.Gray{Y: 0x40}, vg.Points(2.8))
}

// historyLegend is the legend label for observations.
const historyLegend = "history: observed, with the range the checks accept"

// historyNotes are the small print naming the sources of observations:
// one line per source, listing what it gave ("cards, all 2022, 2023: IDC
// via Asia Times, 2023-12"), so that a chart's notes stay few.
type historyNotes struct {
	order []string
	what  map[string][]string
}

func (h *historyNotes) add(label string, o Observation) {
	cite := ShortCite(o.Source)
	if h.what == nil {
		h.what = map[string][]string{}
	}
	if _, ok := h.what[cite]; !ok {
		h.order = append(h.order, cite)
	}
	list := h.what[cite]
	if n := len(list); n > 0 && strings.HasPrefix(list[n-1], label+" ") {
		list[n-1] += ", " + o.Period
	} else {
		list = append(list, label+" "+o.Period)
	}
	h.what[cite] = list
}

func (h *historyNotes) lines() []string {
	var out []string
	for _, cite := range h.order {
		out = append(out, "History, "+strings.Join(h.what[cite], "; ")+": "+cite)
	}
	return out
}

var (
	quotedRe = regexp.MustCompile(`"[^"]*"|“[^”]*”`)
	parenRe  = regexp.MustCompile(`\s*\([^()]*\)`)
	commasRe = regexp.MustCompile(`\s*,(\s*,)+`)
)

// ShortCite shortens a source for small print: its first clause (up to a
// semicolon) without quoted titles or remarks in parentheses, so that
// publisher and date remain ("IDC via Asia Times, \"China to meet AI
// market demand with local chips\", 2023-12 (1.34M in 2023)" becomes "IDC
// via Asia Times, 2023-12"). The full source is in the checks file and the
// report's history table.
func ShortCite(s string) string {
	if i := strings.Index(s, ";"); i >= 0 {
		s = s[:i]
	}
	s = quotedRe.ReplaceAllString(s, "")
	for parenRe.MatchString(s) {
		s = parenRe.ReplaceAllString(s, "")
	}
	s = commasRe.ReplaceAllString(s, ",")
	return strings.Trim(strings.TrimSpace(s), ", ")
}
