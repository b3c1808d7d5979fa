package output

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// unlabelled keeps a ticker's marks and drops their labels: the upper
// panels of a stack share the bottom panel's x labels.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(min, max float64) []plot.Tick {
	ts := u.Ticker.Ticks(min, max)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

// fewTicks labels at most four intervals of round values and draws no
// minor ticks: for short panels, where the default ticks crowd. With
// percent, values are shares labelled as percentages.
type fewTicks struct{ percent bool }

func (ft fewTicks) Ticks(lo, hi float64) []plot.Tick {
	scale := 1.0
	if ft.percent {
		scale = 100
	}
	lo, hi = lo*scale, hi*scale
	if !(hi > lo) {
		return []plot.Tick{{Value: lo / scale, Label: strconv.FormatFloat(lo, 'g', 3, 64)}}
	}
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/4)))
	step, digits := mag, 0.0
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if (hi-lo)/step <= 4+1e-9 {
			if m == 2.5 {
				digits = 1
			}
			break
		}
	}
	prec := max(0, int(digits)-int(math.Floor(math.Log10(step)+1e-9)))
	var out []plot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		v := i * step
		if i == 0 {
			v = 0 // not -0
		}
		label := strconv.FormatFloat(v, 'f', prec, 64)
		if ft.percent {
			label += "%"
		}
		out = append(out, plot.Tick{Value: v / scale, Label: label})
	}
	return out
}

// roundUp returns hi raised to the next round tick value of fewTicks, so
// that the top of an axis is labelled.
func roundUp(lo, hi float64) float64 {
	ts := fewTicks{}.Ticks(lo, hi)
	if len(ts) < 2 || ts[len(ts)-1].Value >= hi-1e-12*math.Abs(hi) {
		return hi
	}
	step := ts[1].Value - ts[0].Value
	return ts[len(ts)-1].Value + step
}

// Foundry draws the domestic foundry's AI side per process in three panels
// sharing the x axis: AI wafers started (at a yearly rate), die yield and
// defect density. Yield and defect density are left out of periods in
// which a process starts no AI wafers.
func Foundry(f *Frame, o ChartOptions) (*Chart, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("foundry chart: %w", err)
	}
	procs := f.Entities("foundry.wafers")
	if len(procs) == 0 {
		return nil, fmt.Errorf("foundry chart: %s: no metric foundry.wafers", f.Scenario)
	}
	c := &Chart{Name: "foundry", Title: "Domestic foundry for AI accelerators: " + f.Scenario, Source: f.source(o)}
	wafers := newPlot("", "k wafers/year")
	wafers.Title.Text = c.Title
	yield := newPlot("", "die yield")
	yield.Y.Tick.Marker = fewTicks{percent: true}
	dd := newPlot("year", "defects/cm²")
	xs := f.mid()
	perYear := f.Step.PerYear()
	for i, proc := range procs {
		w, ok1 := f.Series("foundry.wafers", proc)
		y, ok2 := f.Series("foundry.yield", proc)
		d, ok3 := f.Series("foundry.defect_density", proc)
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("foundry chart: %s: no wafers, yield or defect density for %s", f.Scenario, proc)
		}
		rate := make([]float64, len(w))
		ym := make([]float64, len(w))
		dm := make([]float64, len(w))
		for t := range w {
			rate[t] = w[t] * perYear / 1e3
			ym[t], dm[t] = y[t], d[t]
			if w[t] <= 0 {
				ym[t], dm[t] = math.NaN(), math.NaN()
			}
		}
		sty := LineStyle(i)
		for _, s := range []struct {
			p  *plot.Plot
			ys []float64
		}{{wafers, rate}, {yield, ym}, {dd, dm}} {
			if err := segments(s.p, xs, s.ys, sty); err != nil {
				return nil, err
			}
		}
		c.addLegend(proc, lineThumb(sty))
	}
	x0, x1 := f.Times[0], f.Times[len(f.Times)-1]+float64(f.Step)/12
	for _, p := range []*plot.Plot{wafers, yield, dd} {
		p.X.Min, p.X.Max = x0, x1
		p.X.Tick.Marker = unlabelled{yearTicks{}}
		p.Y.Min = 0
	}
	dd.X.Tick.Marker = yearTicks{}
	yield.Y.Max = 1
	wafers.Y.Tick.Marker = fewTicks{}
	dd.Y.Tick.Marker = fewTicks{}
	for _, p := range []*plot.Plot{wafers, dd} {
		p.Y.Max = roundUp(0, p.Y.Max)
	}
	c.Notes = []string{
		"Top: AI-accelerator wafers started, thousands a year at each " + f.Step.String() + "'s rate.",
		"Middle: die yield of the largest die on the process.",
		"Bottom: defect density; it falls with cumulative wafers to a floor.",
		"Yield and defect density only where the process starts AI wafers.",
	}
	c.Plots = []*plot.Plot{wafers, yield, dd}
	return c, nil
}
