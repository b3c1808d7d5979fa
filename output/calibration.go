package output

import (
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"
	"strconv"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Calibration is what chipsim calibrate found: the fitted parameters, and
// the model beside each observation before and after the fit.
type Calibration struct {
	Scenario     string `json:"scenario"`
	Observations string `json:"observations"`
	// Errors is how the residuals are formed: "absolute" or "relative";
	// Weights "sigma", "weight" or "none".
	Errors  string `json:"errors"`
	Weights string `json:"weights"`
	// Params by path (JSON) in the order given.
	Params     []CalibratedParam  `json:"-"`
	Objective  CalibrationBefore  `json:"objective"`
	Holdout    *CalibrationBefore `json:"holdout,omitempty"`
	Level      float64            `json:"range_level"`
	Variance   float64            `json:"variance_factor"`
	NFit       int                `json:"n_fit"`
	NHeld      int                `json:"n_holdout"`
	Starts     int                `json:"starts"`
	Evals      int                `json:"evaluations"`
	Rows       []CalibrationRow   `json:"rows"`
	Version    string             `json:"chipsim_version"`
	RangeNotes []string           `json:"notes,omitempty"`
}

// CalibrationBefore is a sum of squared residuals at the start and at the
// fit.
type CalibrationBefore struct {
	Before float64 `json:"before"`
	After  float64 `json:"after"`
}

// CalibratedParam is one fitted parameter.
type CalibratedParam struct {
	Path, Unit   string
	Start, Value float64
	Lo, Hi       float64 // the bounds searched
	HasRange     bool    // the fit had the freedom to size a range
	RangeLo      float64 // the profile range
	RangeHi      float64
	AtLo, AtHi   bool // the range reaches a bound
}

// CalibrationRow is one observation with the model's value before and
// after the fit.
type CalibrationRow struct {
	ID       string  `json:"id"`
	Line     int     `json:"line"`
	Metric   string  `json:"metric"`
	Entity   string  `json:"entity"`
	Period   string  `json:"period"`
	Unit     string  `json:"unit"`
	Observed float64 `json:"observed"`
	Scale    float64 `json:"scale"`
	Holdout  bool    `json:"holdout"`
	Before   float64 `json:"before"`
	After    float64 `json:"after"`
}

// z returns a row's error in units of its scale.
func (r CalibrationRow) z(v float64) float64 { return (v - r.Observed) / r.Scale }

type calibratedParamJSON struct {
	Value  float64    `json:"value"`
	Start  float64    `json:"start"`
	Unit   string     `json:"unit"`
	Bounds [2]float64 `json:"bounds"`
	Range  *[2]any    `json:"range"`
}

// WriteJSON writes the calibration as JSON: {"params": {PATH: value}, ...,
// "fit": {PATH: {value, start, unit, bounds, range}}, "rows": [...]}. A
// range end that reaches the search's bound is written as the string
// "bound"; a range the fit could not size is null.
func (c *Calibration) WriteJSON(w io.Writer) error {
	type out struct {
		Params map[string]float64             `json:"params"`
		Fit    map[string]calibratedParamJSON `json:"fit"`
		*Calibration
	}
	o := out{Params: map[string]float64{}, Fit: map[string]calibratedParamJSON{}, Calibration: c}
	for _, p := range c.Params {
		o.Params[p.Path] = p.Value
		pj := calibratedParamJSON{Value: p.Value, Start: p.Start, Unit: p.Unit, Bounds: [2]float64{p.Lo, p.Hi}}
		if p.HasRange {
			var r [2]any
			r[0], r[1] = p.RangeLo, p.RangeHi
			if p.AtLo {
				r[0] = "bound"
			}
			if p.AtHi {
				r[1] = "bound"
			}
			pj.Range = &r
		}
		o.Fit[p.Path] = pj
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(o)
}

// RangeText formats a parameter's range for people.
func (p CalibratedParam) RangeText() string {
	if !p.HasRange {
		return "not sized (no degrees of freedom)"
	}
	end := func(v float64, at bool) string {
		s := strconv.FormatFloat(v, 'g', 4, 64)
		if at {
			s += " (bound)"
		}
		return s
	}
	return end(p.RangeLo, p.AtLo) + " to " + end(p.RangeHi, p.AtHi)
}

// WriteText prints the fitted parameters and the fit's errors.
func (c *Calibration) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "parameter\tstart\tfitted\t%g%% range\tunit\n", 100*c.Level)
	for _, p := range c.Params {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Path, strconv.FormatFloat(p.Start, 'g', 5, 64), strconv.FormatFloat(p.Value, 'g', 5, 64), p.RangeText(), p.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nfit to %d observations: sum of squared errors %s before, %s after", c.NFit, fmtSSE(c.Objective.Before), fmtSSE(c.Objective.After))
	if c.NFit > 0 {
		fmt.Fprintf(w, " (root mean square %s -> %s %s)", fmtSSE(math.Sqrt(c.Objective.Before/float64(c.NFit))), fmtSSE(math.Sqrt(c.Objective.After/float64(c.NFit))), c.errorUnit())
	}
	fmt.Fprintln(w)
	if c.Holdout != nil && c.NHeld > 0 {
		fmt.Fprintf(w, "held out %d: sum of squared errors %s before, %s after (root mean square %s -> %s %s)\n", c.NHeld,
			fmtSSE(c.Holdout.Before), fmtSSE(c.Holdout.After),
			fmtSSE(math.Sqrt(c.Holdout.Before/float64(c.NHeld))), fmtSSE(math.Sqrt(c.Holdout.After/float64(c.NHeld))), c.errorUnit())
	}
	_, err := fmt.Fprintf(w, "%d starts, %d model runs\n", c.Starts, c.Evals)
	return err
}

func fmtSSE(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// errorUnit names the unit the residuals are in.
func (c *Calibration) errorUnit() string {
	switch {
	case c.Weights == "sigma" && c.Errors == "relative":
		return "sigmas (relative)"
	case c.Weights == "sigma":
		return "sigmas"
	case c.Errors == "relative":
		return "of the observed value"
	case c.Weights == "weight":
		return "(weighted)"
	}
	if len(c.Rows) > 0 {
		return c.Rows[0].Unit
	}
	return ""
}

// xLabel is the chart's axis title.
func (c *Calibration) xLabel() string {
	switch {
	case c.Weights == "sigma":
		return "model − observed, in the observation's sigmas"
	case c.Errors == "relative" && c.Weights == "none":
		return "model − observed, share of the observed value"
	case c.Weights == "weight":
		return "model − observed, times the square root of the weight"
	}
	if len(c.Rows) > 0 {
		return "model − observed (" + c.Rows[0].Unit + ")"
	}
	return "model − observed"
}

// MaxCalibrationRows bounds the rows a calibration chart draws; the rest
// are counted in a note.
const MaxCalibrationRows = 30

var (
	calibBeforeColor = color.Gray{Y: 0x80}
	calibAfterColor  = Palette[0]
	calibHeldColor   = Palette[1]
)

// Chart draws each observation's error before (hollow grey)
// and after the fit (filled; orange for held-out ones), joined by a line,
// in a row per observation, held-out ones on top, then the worst fit;
// with sigmas a shaded band marks ±1 sigma. At a small size it shows as many of
// the worst-fitting rows as fit; a note counts the rest.
func (c *Calibration) Chart(o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("calibration chart: %w", err)
	}
	if len(c.Rows) == 0 {
		return nil, fmt.Errorf("calibration chart: no observations")
	}
	rows := append([]CalibrationRow(nil), c.Rows...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Holdout != rows[j].Holdout {
			return rows[i].Holdout
		}
		return math.Abs(rows[i].z(rows[i].After)) > math.Abs(rows[j].z(rows[j].After))
	})
	ch, err := c.chart(rows, o, MaxCalibrationRows, 0)
	if err != nil {
		return nil, err
	}
	ch.fit = func(area draw.Canvas, prev *Chart) *Chart {
		n := min(len(rows), MaxCalibrationRows)
		k, w, ok := fitRows(prev.Plots[0], area, n, func(i int) string { return calibLabel(rows[i]) }, prev.rowsShown, prev.labelW)
		if ok {
			return prev
		}
		next, err := c.chart(rows, o, k, w)
		if err != nil {
			return prev
		}
		return next
	}
	return ch, nil
}

func calibLabel(r CalibrationRow) string {
	if r.Holdout {
		return r.ID + " (holdout)"
	}
	return r.ID
}

func (c *Calibration) chart(rows []CalibrationRow, o ChartOptions, maxRows int, labelW vg.Length) (*Chart, error) {
	more := 0
	if len(rows) > maxRows {
		more = len(rows) - maxRows
		rows = rows[:maxRows]
	}
	// With sigmas a band marks ±1 sigma, and the axis runs past it so that
	// it reads as a band; other errors have no natural unit to mark.
	cr := &calibRows{rows: rows, band: c.Weights == "sigma"}
	lo, hi := 0.0, 0.0
	if cr.band {
		lo, hi = -1.5, 1.5
	}
	for _, r := range rows {
		for _, v := range []float64{r.z(r.Before), r.z(r.After)} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	ch := &Chart{Name: "calibration", Title: "Calibration of " + c.Scenario + ": model against observations, before and after the fit",
		Subtitle: fmt.Sprintf("%d observations from %s; %s", len(c.Rows), c.Observations, c.paramsText()),
		Source:   sourceLine([]string{c.Scenario}, c.Version, o.Date)}
	p := newPlot(c.xLabel(), "")
	p.Add(cr)
	p.X.Min, p.X.Max = lo-0.04*span, hi+0.04*span
	p.Y.Min, p.Y.Max = -0.5, float64(len(rows))-0.5
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = wrapName(calibLabel(r), labelW)
	}
	p.Y.Tick.Marker = tornadoRowTicks(names)
	p.Y.Tick.Label.Font = houseFont(rowFont(labelW))
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	ch.Plots = []*plot.Plot{p}
	ch.rowsShown, ch.labelW, ch.variant = len(rows), labelW, fmt.Sprintf("%d/%g", len(rows), labelW)
	ch.addLegend("before the fit", calibThumb{calibBeforeColor, false})
	ch.addLegend("after the fit", calibThumb{calibAfterColor, true})
	if c.NHeld > 0 {
		ch.addLegend("after, held out of the fit", calibThumb{calibHeldColor, true})
	}
	note := "Rows: each observation's error, held-out ones first, then the worst fit after the fit"
	if cr.band {
		note += "; the band is ±1 sigma"
	}
	note += "."
	if more > 0 {
		note += fmt.Sprintf(" %d more observations that fit better are in the JSON.", more)
	}
	ch.Notes = []string{note}
	return ch, nil
}

func (c *Calibration) paramsText() string {
	s := "fitted "
	for i, p := range c.Params {
		if i > 0 {
			s += ", "
		}
		if i == 3 {
			return s + fmt.Sprintf("and %d more", len(c.Params)-3)
		}
		s += p.Path
	}
	return s
}

// calibRows draws the rows of a calibration chart; rows[0] is on top.
type calibRows struct {
	rows []CalibrationRow
	band bool // shade ±1
}

func (cr *calibRows) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	if cr.band {
		x0, x1 := tx(math.Max(-1, p.X.Min)), tx(math.Min(1, p.X.Max))
		c.FillPolygon(color.Gray{Y: 0xe8}, c.ClipPolygonXY([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}}))
	}
	zero := draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: vg.Points(0.5)}
	c.StrokeLines(zero, c.ClipLinesXY([]vg.Point{{X: tx(0), Y: c.Min.Y}, {X: tx(0), Y: c.Max.Y}})...)
	r := vg.Points(2.2)
	for i, row := range cr.rows {
		y := ty(float64(len(cr.rows) - 1 - i))
		b, a := row.z(row.Before), row.z(row.After)
		after := calibAfterColor
		if row.Holdout {
			after = calibHeldColor
		}
		if !math.IsNaN(b) && !math.IsNaN(a) {
			c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0xa0}, Width: vg.Points(0.6)}, c.ClipLinesXY([]vg.Point{{X: tx(b), Y: y}, {X: tx(a), Y: y}})...)
		}
		if !math.IsNaN(b) {
			c.DrawGlyph(draw.GlyphStyle{Color: calibBeforeColor, Radius: r, Shape: draw.RingGlyph{}}, vg.Point{X: tx(b), Y: y})
		}
		if !math.IsNaN(a) {
			c.DrawGlyph(draw.GlyphStyle{Color: after, Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: tx(a), Y: y})
		}
	}
}

func (cr *calibRows) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 0, -0.5, float64(len(cr.rows)) - 0.5
}

type calibThumb struct {
	col    color.Color
	filled bool
}

func (t calibThumb) Thumbnail(c *draw.Canvas) {
	ctr := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	var shape draw.GlyphDrawer = draw.RingGlyph{}
	if t.filled {
		shape = draw.CircleGlyph{}
	}
	c.DrawGlyph(draw.GlyphStyle{Color: t.col, Radius: vg.Points(2.2), Shape: shape}, ctr)
}
