package output

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
)

// SweepOutcome describes the outcome a sweep chart draws.
type SweepOutcome struct {
	Name   string // the expression, such as ai.ssr_compute@2030
	Unit   string // ratio, share, year (first()) or the metric's unit
	Doc    string // the metric with its definition, for the note under the chart
	Format func(v float64) string
}

// SweepAxis is an input a sweep varies.
type SweepAxis struct {
	Name   string
	Unit   string
	Levels []float64
	// Format formats a level for people (a period, a choice or a number);
	// nil prints 4 significant digits.
	Format func(v float64) string
	// Scenario is the input's value in the scenario as written (its
	// median when it is uncertain); NaN when it has none to show.
	Scenario float64
}

func (a *SweepAxis) format(v float64) string {
	if a.Format != nil {
		return a.Format(v)
	}
	return FormatInput(v)
}

// FormatInput prints an input value with 4 significant digits, without
// exponent for everyday magnitudes.
func FormatInput(v float64) string {
	a := math.Abs(v)
	if a >= 1e4 && a < 1e15 {
		return Human(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// sweepNotes are a sweep chart's notes: what it shows, then the
// outcome's definition, each a paragraph the chart wraps to its width.
func sweepNotes(note, doc string) []string {
	if doc == "" {
		return []string{note}
	}
	return []string{note, doc + "."}
}

// sweepScale says how an outcome's values are drawn and labelled.
type sweepScale struct {
	div   float64
	unit  string // axis unit text
	ratio bool
	year  bool
	fmt   func(float64) string
	ticks plot.Ticker
}

func newSweepScale(o SweepOutcome, vals []float64) sweepScale {
	sc := sweepScale{div: 1, unit: o.Unit, fmt: o.Format}
	switch o.Unit {
	case "ratio", "share":
		sc.ratio, sc.unit = true, "%"
		sc.ticks = fewTicks{percent: true}
	case "year":
		sc.year, sc.unit = true, "year"
		sc.ticks = sweepYearTicks{}
	default:
		peak := 0.0
		for _, v := range vals {
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				peak = math.Max(peak, math.Abs(v))
			}
		}
		sc.div, sc.unit = scaleUnit(peak, o.Unit)
		sc.ticks = sweepScaledTicks{div: sc.div}
	}
	return sc
}

// label is an axis label for the outcome.
func (sc sweepScale) label(name string) string {
	if sc.unit == "" {
		return name
	}
	return name + " (" + sc.unit + ")"
}

// format prints a value for a label on the chart.
func (sc sweepScale) format(v float64) string {
	switch {
	case math.IsInf(v, 1) && sc.year:
		return "never"
	case sc.year && sc.fmt != nil:
		return sc.fmt(v)
	case sc.ratio:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	}
	return Human(v)
}

// sweepScaledTicks are fewTicks on values shown divided by div.
type sweepScaledTicks struct{ div float64 }

func (st sweepScaledTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := fewTicks{}.Ticks(lo/st.div, hi/st.div)
	for i := range ts {
		ts[i].Value *= st.div
	}
	return ts
}

// sweepYearTicks label whole years; on spans under three years quarters get
// marks, labelled Q2, Q3, Q4 under a year and a half.
type sweepYearTicks struct{}

func (sweepYearTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	if hi-lo > 12 {
		step = 2
	}
	var out []plot.Tick
	for y := int(math.Ceil(lo - 1e-9)); float64(y) <= hi+1e-9; y++ {
		if y%step == 0 {
			out = append(out, plot.Tick{Value: float64(y), Label: strconv.Itoa(y)})
		}
	}
	if hi-lo < 3 {
		// Quarters, labelled on short spans.
		for q := math.Ceil(lo*4 - 1e-9); q/4 <= hi+1e-9; q++ {
			if k := int(math.Mod(q, 4)); k != 0 {
				t := plot.Tick{Value: q / 4}
				if hi-lo < 1.6 {
					t.Label = fmt.Sprintf("Q%d", k+1)
				}
				out = append(out, t)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, plot.Tick{Value: lo, Label: strconv.FormatFloat(lo, 'f', 2, 64)})
	}
	return out
}

// Viridis is a perceptually uniform, colour-blind-safe sequential palette
// (matplotlib's viridis, sampled at ten points), dark to light.
var Viridis = []color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x28, 0x78, 0xff}, {0x3E, 0x4A, 0x89, 0xff}, {0x31, 0x68, 0x8E, 0xff},
	{0x26, 0x82, 0x8E, 0xff}, {0x1F, 0x9E, 0x89, 0xff}, {0x35, 0xB7, 0x79, 0xff}, {0x6D, 0xCD, 0x59, 0xff},
	{0xB4, 0xDE, 0x2C, 0xff}, {0xFD, 0xE7, 0x25, 0xff},
}

// viridisAt interpolates the palette at f in [0, 1].
func viridisAt(f float64) color.RGBA {
	f = math.Max(0, math.Min(1, f)) * float64(len(Viridis)-1)
	i := min(int(f), len(Viridis)-2)
	t := f - float64(i)
	a, b := Viridis[i], Viridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// sweepLuminance is a colour's relative sweepLuminance in [0, 1].
func sweepLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// sweepClean drops floating-point noise: 0.30000000000000004 is 0.3.
func sweepClean(v float64) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return x
}

func sweepTrimZero(v float64) string { return strconv.FormatFloat(sweepClean(v), 'f', -1, 64) }

// OutcomeSlug makes an outcome expression or a parameter path safe in a file
// name: ai.ssr_compute@2030 is ai-ssr_compute-2030, first(ai.ssr_units >=
// 0.5) is first-ai-ssr_units-ge-0.5.
func OutcomeSlug(s string) string {
	repl := strings.NewReplacer(">=", "-ge-", "<=", "-le-", ">", "-gt-", "<", "-lt-", "..", "-to-")
	s = repl.Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	rs := []rune(s)
	for i, r := range rs {
		digit := func(k int) bool { return k >= 0 && k < len(rs) && rs[k] >= '0' && rs[k] <= '9' }
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_':
			b.WriteRune(r)
			dash = false
		case r == '.' && digit(i-1) && digit(i+1):
			b.WriteRune(r) // a decimal point
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "x"
	}
	return out
}

// smallSwing returns the axis range for values from lo to hi around a
// base: the values' own range, or when their whole swing is small beside
// the base (under a percentage point of a share, 2% of a quantity, a
// quarter of a year) a range around the base wide enough to show how
// small it is: 5 percentage points, 10% of the base, two years.
func smallSwing(sc sweepScale, base, lo, hi float64) (axLo, axHi float64, small bool) {
	var least, pad float64
	switch {
	case sc.ratio:
		least, pad = 0.01, 0.025
	case sc.year:
		least, pad = 0.25, 1
	default:
		least, pad = 0.02*math.Abs(base), 0.05*math.Abs(base)
		if pad == 0 {
			pad = 1
		}
	}
	switch {
	case hi == lo:
		axLo, axHi = base-pad, base+pad
	case hi-lo >= least:
		return lo, hi, false
	default:
		axLo, axHi, small = math.Min(lo, base-pad), math.Max(hi, base+pad), true
	}
	if sc.ratio {
		// Within 0 to 100%, keeping the width.
		if axLo < 0 {
			axLo, axHi = 0, axHi-axLo
		}
		if axHi > 1 {
			axLo, axHi = math.Max(0, axLo-(axHi-1)), 1
		}
	}
	return axLo, axHi, small
}

// swingText states a small swing: "0.13 percentage points, 82.25% to
// 82.38%".
func swingText(sc sweepScale, swing, lo, hi float64) string {
	switch {
	case sc.ratio:
		pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 2, 64) + "%" }
		return strconv.FormatFloat(100*swing, 'g', 2, 64) + " percentage points, " + pct(lo) + " to " + pct(hi)
	case sc.year:
		return strconv.FormatFloat(12*swing, 'g', 2, 64) + " months"
	}
	u := ""
	if sc.unit != "" {
		u = " " + sc.unit
	}
	f := func(v float64) string { return strconv.FormatFloat(v/sc.div, 'g', 4, 64) }
	return strconv.FormatFloat(swing/sc.div, 'g', 2, 64) + u + ", " + f(lo) + " to " + f(hi) + u
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
