package output

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/mc"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BandsHeader is the header of a Monte Carlo bands CSV.
var BandsHeader = []string{"scenario", "period", "metric", "entity", "stat", "value", "unit"}

// QuantileLabel names a quantile level as a stat column value: p5, p50, p97.5.
func QuantileLabel(q float64) string {
	return "p" + strconv.FormatFloat(q*100, 'f', -1, 64)
}

// WriteBands writes Monte Carlo summaries as tidy CSV: for every selected
// metric, entity and period, the number of runs, mean, min, max and each
// quantile.
func WriteBands(w io.Writer, scenario string, m *sim.Model, s *mc.Summaries, quantiles []float64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(BandsHeader); err != nil {
		return err
	}
	cal := m.Calendar()
	slots := m.Slots()
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for t := 0; t < cal.N; t++ {
		for i, sl := range s.Slots {
			sum := s.At(i, t)
			d := slots[sl].Metric
			row := func(stat, val string) error {
				return cw.Write([]string{scenario, cal.Label(t), d.Name, slots[sl].Entity, stat, val, d.Unit})
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

// Fan draws a fan chart of one metric's Monte Carlo percentiles over time:
// the outermost quantiles as a light band, the next pair darker, the
// median as a line.
func Fan(scenario, version string, m *sim.Model, s *mc.Summaries, slot int, quantiles []float64, runs int, o ChartOptions) (*Chart, error) {
	idx := -1
	for i, sl := range s.Slots {
		if sl == slot {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("fan chart: slot %d not summarised", slot)
	}
	d := m.Slots()[slot].Metric
	cal := m.Calendar()
	xs := make([]float64, cal.N)
	for t := range xs {
		mo := cal.Month(t)
		xs[t] = float64(mo.Year()) + float64(mo.MonthOfYear()-1)/12 + float64(cal.Step)/24
	}
	scale, unit := 1.0, d.Unit
	ratio := d.Unit == "ratio" || d.Unit == "share"
	q := func(p float64) []float64 {
		out := make([]float64, cal.N)
		for t := range out {
			out[t] = s.At(idx, t).Quantile(p) / scale
		}
		return out
	}
	if !ratio {
		var top float64
		for t := 0; t < cal.N; t++ {
			top = math.Max(top, s.At(idx, t).Quantile(quantiles[len(quantiles)-1]))
		}
		switch {
		case top >= 1e9:
			scale, unit = 1e9, "billion "+d.Unit
		case top >= 1e6:
			scale, unit = 1e6, "million "+d.Unit
		case top >= 1e4:
			scale, unit = 1e3, "thousand "+d.Unit
		}
	}
	name := "fan-" + slugMetric(d.Name)
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
	p.X.Min, p.X.Max = float64(cal.Start.Year()), xs[len(xs)-1]+float64(cal.Step)/24
	c.Notes = []string{d.Name + ": " + d.Doc + ".", "Bands hold the runs between the percentiles, period by period."}
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
