package output

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BandsHeader is the header of a Monte Carlo bands CSV. Per says what
// span a flow's values count: quarter, month or year ("" for stocks,
// levels and ratios).
var BandsHeader = []string{"scenario", "period", "metric", "entity", "stat", "value", "unit", "per"}

// QuantileLabel names a quantile level as a stat column value: p5, p50, p97.5.
func QuantileLabel(q float64) string {
	return "p" + strconv.FormatFloat(q*100, 'f', -1, 64)
}

// FlowPer returns the span a metric's values count when it is a flow
// summed over time ("quarter" for quarterly periods), else "".
func FlowPer(d *sim.MetricDef, span string) string {
	if d.Agg == sim.Sum && d.Unit != "ratio" && d.Unit != "share" {
		return span
	}
	return ""
}

// UnitPer writes a unit with its span: "H100e per quarter".
func UnitPer(d *sim.MetricDef, span string) string {
	if per := FlowPer(d, span); per != "" {
		return d.Unit + " per " + per
	}
	return d.Unit
}

// Yearly says where a Monte Carlo keeps its yearly summaries: selected
// slot i's summary for Years[y] is Summaries.Outcome[Offset+i*len(Years)+y].
type Yearly struct {
	Years  []int
	Offset int
}

// bandSeries is one series of summaries to write or draw.
type bandSeries struct {
	def    *sim.MetricDef
	entity string
	n      int
	label  func(t int) string
	at     func(t int) *uq.Summary
	per    string
}

func quarterly(m *sim.Model, s *study.Summaries, i int) bandSeries {
	sl := m.Slots()[s.Slots[i]]
	cal := m.Calendar()
	return bandSeries{def: sl.Metric, entity: sl.Entity, n: cal.N, label: cal.Label,
		at: func(t int) *uq.Summary { return s.At(i, t) }, per: cal.Step.String()}
}

func yearly(m *sim.Model, s *study.Summaries, y Yearly, i int) bandSeries {
	sl := m.Slots()[s.Slots[i]]
	return bandSeries{def: sl.Metric, entity: sl.Entity, n: len(y.Years),
		label: func(t int) string { return strconv.Itoa(y.Years[t]) },
		at:    func(t int) *uq.Summary { return s.Outcome[y.Offset+i*len(y.Years)+t] }, per: "year"}
}

// WriteBands writes Monte Carlo summaries period by period as tidy CSV:
// for every selected metric, entity and period, the number of runs, mean,
// min, max and each quantile.
func WriteBands(w io.Writer, scenario string, m *sim.Model, s *study.Summaries, quantiles []float64) error {
	series := make([]bandSeries, len(s.Slots))
	for i := range series {
		series[i] = quarterly(m, s, i)
	}
	return writeBands(w, scenario, series, m.Calendar().N, quantiles)
}

// WriteYearlyBands writes Monte Carlo summaries of yearly values (flows
// summed over the year, stocks at its end, ratios of yearly sums) as
// tidy CSV with a year as the period.
func WriteYearlyBands(w io.Writer, scenario string, m *sim.Model, s *study.Summaries, y Yearly, quantiles []float64) error {
	series := make([]bandSeries, len(s.Slots))
	for i := range series {
		series[i] = yearly(m, s, y, i)
	}
	return writeBands(w, scenario, series, len(y.Years), quantiles)
}

func writeBands(w io.Writer, scenario string, series []bandSeries, n int, quantiles []float64) error {
	cw := newSafeCSV(w)
	if err := cw.Write(BandsHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for t := 0; t < n; t++ {
		for _, b := range series {
			sum := b.at(t)
			row := func(stat, val string) error {
				return cw.Write([]string{scenario, b.label(t), b.def.Name, b.entity, stat, val, b.def.Unit, FlowPer(b.def, b.per)})
			}
			if err := row("runs", strconv.FormatUint(sum.Count(), 10)); err != nil {
				return err
			}
			for _, st := range []struct {
				name string
				v    float64
			}{{"mean", sum.Mean()}, {"min", sum.Min()}, {"max", sum.Max()}} {
				if err := row(st.name, f(st.v)); err != nil {
					return err
				}
			}
			for _, q := range quantiles {
				if err := row(QuantileLabel(q), f(sum.Quantile(q))); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteBandsTable prints the median and outer quantiles of the selected
// whole-market metrics by year, for people.
func WriteBandsTable(w io.Writer, scenario string, m *sim.Model, s *study.Summaries, y Yearly, quantiles []float64) error {
	lo, hi := quantiles[0], quantiles[len(quantiles)-1]
	fmt.Fprintf(w, "%s: %d runs; median [%s, %s] by year\n", scenario, s.Runs(), QuantileLabel(lo), QuantileLabel(hi))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "year\t")
	var cols []int
	for i, sl := range s.Slots {
		d := m.Slots()[sl].Metric
		if m.Slots()[sl].Entity != "all" && m.Slots()[sl].Entity != "" {
			continue
		}
		if len(cols) == 8 {
			break
		}
		cols = append(cols, i)
		fmt.Fprintf(tw, "%s (%s)\t", d.Name, UnitPer(d, "year"))
	}
	fmt.Fprintln(tw)
	for t, year := range y.Years {
		fmt.Fprintf(tw, "%s\t", YearLabel(m.Calendar(), year))
		for _, i := range cols {
			b := yearly(m, s, y, i)
			sum := b.at(t)
			fmt.Fprintf(tw, "%s [%s, %s]\t", bandCell(b.def, sum.Quantile(0.5)), bandCell(b.def, sum.Quantile(lo)), bandCell(b.def, sum.Quantile(hi)))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, PartialYearsNote(m.Calendar()))
	return err
}

func bandCell(d *sim.MetricDef, v float64) string {
	if d.Unit == "ratio" || d.Unit == "share" {
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return Human(v)
}

// Fan draws a fan chart of one metric's Monte Carlo percentiles period by
// period: the outermost quantiles as a light band, the next pair darker,
// the median as a line.
func Fan(scenario, version string, m *sim.Model, s *study.Summaries, slot int, quantiles []float64, runs int, o ChartOptions) (*Chart, error) {
	i, err := slotIndex(s, slot)
	if err != nil {
		return nil, err
	}
	cal := m.Calendar()
	xs := make([]float64, cal.N)
	for t := range xs {
		mo := cal.Month(t)
		xs[t] = float64(mo.Year()) + float64(mo.MonthOfYear()-1)/12 + float64(cal.Step)/24
	}
	xmax := xs[len(xs)-1] + float64(cal.Step)/24
	return fan(scenario, version, quarterly(m, s, i), xs, float64(cal.Start.Year()), xmax, quantiles, runs, o)
}

// FanYearly draws a fan chart of one metric's yearly values.
func FanYearly(scenario, version string, m *sim.Model, s *study.Summaries, y Yearly, slot int, quantiles []float64, runs int, o ChartOptions) (*Chart, error) {
	i, err := slotIndex(s, slot)
	if err != nil {
		return nil, err
	}
	xs := make([]float64, len(y.Years))
	for t, yr := range y.Years {
		xs[t] = float64(yr) + 0.5
	}
	c, err := fan(scenario, version, yearly(m, s, y, i), xs, float64(y.Years[0]), float64(y.Years[len(y.Years)-1]+1), quantiles, runs, o)
	if n := strings.TrimSuffix(PartialYearsNote(m.Calendar()), "\n"); err == nil && n != "" {
		c.Notes = append(c.Notes, "Yearly values of "+strings.TrimPrefix(n, "* partial year, ")+".")
	}
	return c, err
}

func slotIndex(s *study.Summaries, slot int) (int, error) {
	for i, sl := range s.Slots {
		if sl == slot {
			return i, nil
		}
	}
	return 0, fmt.Errorf("fan chart: slot %d not summarised", slot)
}

func fan(scenario, version string, b bandSeries, xs []float64, xmin, xmax float64, quantiles []float64, runs int, o ChartOptions) (*Chart, error) {
	d := b.def
	scale, unit := 1.0, d.Unit
	ratio := d.Unit == "ratio" || d.Unit == "share"
	q := func(p float64) []float64 {
		out := make([]float64, b.n)
		for t := range out {
			out[t] = b.at(t).Quantile(p) / scale
		}
		return out
	}
	if !ratio {
		var top float64
		for t := 0; t < b.n; t++ {
			top = math.Max(top, b.at(t).Quantile(quantiles[len(quantiles)-1]))
		}
		switch {
		case top >= 1e9:
			scale, unit = 1e9, "billion "+d.Unit
		case top >= 1e6:
			scale, unit = 1e6, "million "+d.Unit
		case top >= 1e4:
			scale, unit = 1e3, "thousand "+d.Unit
		}
		if per := FlowPer(d, b.per); per != "" {
			unit += " per " + per
		}
	}
	name := "fan-" + slugMetric(d.Name)
	if b.per != "year" {
		name += "-" + b.per + "ly"
	}
	c := &Chart{Name: name, Title: fmt.Sprintf("%s: %s, %d runs", d.Name, scenario, runs),
		Source: sourceLine([]string{scenario}, version, o.Date)}
	ylabel := unit
	if ratio {
		ylabel = "share (%)"
	}
	p := newPlot("year", ylabel)
	p.Title.Text = c.Title
	p.X.Tick.Marker = yearTicks{}
	if ratio {
		p.Y.Tick.Marker = percentTicks{}
		p.Y.Min, p.Y.Max = 0, 1
	}
	fills := []color.Color{color.RGBA{0xB3, 0xD7, 0xEE, 0xff}, color.RGBA{0x56, 0x9F, 0xD3, 0xff}, color.RGBA{0x1F, 0x5F, 0x9A, 0xff}}
	for k := 0; k < len(quantiles)/2; k++ {
		lo, hi := quantiles[k], quantiles[len(quantiles)-1-k]
		col := fills[min(k, len(fills)-1)]
		p.Add(&band{xs: xs, lo: q(lo), hi: q(hi), color: col})
		c.addLegend(fmt.Sprintf("%s–%s", QuantileLabel(lo), QuantileLabel(hi)), fillThumb{col})
	}
	if len(quantiles)%2 == 1 {
		mid := quantiles[len(quantiles)/2]
		th, err := line(p, xs, q(mid), draw.LineStyle{Color: color.Black, Width: vg.Points(1.6)})
		if err != nil {
			return nil, err
		}
		c.addLegend(QuantileLabel(mid)+" (median)", th)
	}
	if !ratio {
		p.Y.Min = 0
	}
	p.X.Min, p.X.Max = xmin, xmax
	span := "year by year (flows summed over the year, stocks at its end)"
	if b.per != "year" {
		span = b.per + " by " + b.per
	}
	c.Notes = []string{d.Name + ": " + d.Doc + ".", "Bands hold the runs between the percentiles, " + span + "."}
	c.Plots = []*plot.Plot{p}
	return c, nil
}

func slugMetric(name string) string {
	b := []byte(name)
	for i, ch := range b {
		if ch == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

// WriteMC writes a Monte Carlo's bands into b: NAME-mc.csv period by
// period and NAME-mc-yearly.csv by year.
func WriteMC(b *Bundle, name string, m *sim.Model, s *study.Summaries, y Yearly, quantiles []float64) error {
	if err := b.File(name+"-mc.csv", func(w io.Writer) error { return WriteBands(w, name, m, s, quantiles) }); err != nil {
		return err
	}
	return b.File(name+"-mc-yearly.csv", func(w io.Writer) error { return WriteYearlyBands(w, name, m, s, y, quantiles) })
}

// FanCharts draws a fan chart of each whole-market metric summarised: by
// year, or period by period.
func FanCharts(name, version string, m *sim.Model, s *study.Summaries, y Yearly, quantiles []float64, byYear bool, o ChartOptions) ([]*Chart, error) {
	var out []*Chart
	for _, sl := range s.Slots {
		if m.Slots()[sl].Metric.Per != "" {
			continue
		}
		var ch *Chart
		var err error
		if byYear {
			ch, err = FanYearly(name, version, m, s, y, sl, quantiles, s.Runs(), o)
		} else {
			ch, err = Fan(name, version, m, s, sl, quantiles, s.Runs(), o)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}
