package output

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
)

// SweepResult is a finished sweep: its plan over the inputs, and the
// table of its outcomes.
type SweepResult struct {
	Name, Version string
	Plan          *study.Plan
	Inputs        []study.Input // every input of what ran
	// Columns are the inputs shown: a grid's axes, else every input.
	Columns []int
	// AxisValue is, per grid axis, the scenario's own value (NaN if none).
	AxisValue []float64
	Outcomes  []*outcome.Outcome
	Table     *study.Table // complete
}

func isGrid(p *study.Plan) bool { return p.Method == study.Grid || p.Method == study.Factorial }

// sweepOutcomeDoc is the definition of the metric an outcome reads.
func sweepOutcomeDoc(o *outcome.Outcome) string {
	for _, tok := range strings.FieldsFunc(o.String(), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	}) {
		if d, ok := sim.MetricByName(tok); ok {
			return d.Name + ": " + d.Doc
		}
	}
	return ""
}

func isFirstOutcome(o *outcome.Outcome) bool { return o.Unit() == "year" }

// WriteCSV writes a row per run: the inputs' values (with a label column
// for periods and choices) and each outcome's value (with a label column
// for first()).
func (job *SweepResult) WriteCSV(w io.Writer) error {
	cw := newSafeCSV(w)
	head := []string{"run"}
	if job.Plan.Method == study.OAT {
		head = append(head, "varied", "end")
	}
	for _, c := range job.Columns {
		in := job.Inputs[c]
		head = append(head, in.Name)
		if in.Labelled() {
			head = append(head, in.Name+"_label")
		}
	}
	for _, o := range job.Outcomes {
		head = append(head, o.String())
		if isFirstOutcome(o) {
			head = append(head, o.String()+"_label")
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	num := sweepCSVNumber
	x := make([]float64, len(job.Inputs))
	row := make([]string, 0, len(head))
	for run := 0; run < job.Table.Runs; run++ {
		job.Plan.Point(run, x)
		row = append(row[:0], strconv.Itoa(run))
		if job.Plan.Method == study.OAT {
			switch {
			case run == 0:
				row = append(row, "", "median")
			case run%2 == 1:
				row = append(row, job.Inputs[(run-1)/2].Name, job.Plan.LowTag)
			default:
				row = append(row, job.Inputs[(run-1)/2].Name, job.Plan.HighTag)
			}
		}
		for _, c := range job.Columns {
			in, v := job.Inputs[c], x[c]
			row = append(row, num(v))
			if in.Labelled() {
				row = append(row, in.Format(v))
			}
		}
		for k, o := range job.Outcomes {
			v := job.Table.At(run, k)
			row = append(row, num(v))
			if isFirstOutcome(o) {
				row = append(row, o.Format(v))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sweepCSVNumber writes a value with the fewest digits that read back
// exactly, without an exponent for everyday magnitudes (2406562.5, not
// 2.4065625e+06); +Inf is never for first().
func sweepCSVNumber(v float64) string {
	if a := math.Abs(v); a == 0 || (a >= 1e-4 && a < 1e15) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// sweepInputText formats an input value for tables and charts.
func sweepInputText(in study.Input, v float64) string {
	if in.Labelled() {
		return in.Format(v)
	}
	return FormatInput(v)
}

// sweepSwingText formats the distance between two outcome values.
func sweepSwingText(o *outcome.Outcome, a, b float64) string {
	if math.IsInf(a, 0) != math.IsInf(b, 0) {
		return "never at one end"
	}
	if math.IsInf(a, 0) {
		return "0"
	}
	d := math.Abs(b - a)
	if isFirstOutcome(o) {
		return strconv.FormatFloat(d, 'f', 2, 64) + " years"
	}
	return o.Format(d)
}

func (job *SweepResult) tornadoBars(k int) []TornadoBar {
	t := job.Table
	bars := make([]TornadoBar, len(job.Inputs))
	for i, in := range job.Inputs {
		bars[i] = TornadoBar{
			Input: in.Name,
			Low:   sweepInputText(in, job.Plan.Low[i]), High: sweepInputText(in, job.Plan.High[i]),
			AtLow: t.At(1+2*i, k), AtHigh: t.At(2+2*i, k),
		}
	}
	SortTornado(bars)
	return bars
}

// WriteTables prints what the sweep found.
func (job *SweepResult) WriteTables(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	t := job.Table
	switch {
	case job.Plan.Method == study.OAT:
		fmt.Fprintf(tw, "%s: one at a time, %d inputs, %d runs; each input alone at its %s and %s, others at their medians\n", job.Name, len(job.Inputs), t.Runs, job.Plan.LowTag, job.Plan.HighTag)
		for k, o := range job.Outcomes {
			fmt.Fprintf(tw, "\n%s (%s): %s with every input at its median\n", o, o.Unit(), o.Format(t.At(0, k)))
			fmt.Fprintf(tw, "input\t%s\t%s\tat %s\tat %s\tswing\n", job.Plan.LowTag, job.Plan.HighTag, job.Plan.LowTag, job.Plan.HighTag)
			for _, b := range job.tornadoBars(k) {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Input, b.Low, b.High, o.Format(b.AtLow), o.Format(b.AtHigh), sweepSwingText(o, b.AtLow, b.AtHigh))
			}
		}
	case isGrid(job.Plan) && len(job.Plan.Axes) == 2:
		ax, ay := job.axis(0), job.axis(1)
		fmt.Fprintf(tw, "%s: grid of %d runs%s\n", job.Name, t.Runs, job.fixedText())
		for k, o := range job.Outcomes {
			fmt.Fprintf(tw, "\n%s (%s): rows %s, columns %s\n", o, o.Unit(), ax.Name, ay.Name)
			cells := []string{""}
			for _, v := range ay.Levels {
				cells = append(cells, ay.Format(v))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
			for i, vx := range ax.Levels {
				cells = append(cells[:0], ax.Format(vx))
				for j := range ay.Levels {
					cells = append(cells, o.Format(t.At(i*len(ay.Levels)+j, k)))
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
			}
		}
	case isGrid(job.Plan):
		fmt.Fprintf(tw, "%s: grid of %d runs%s\n\n", job.Name, t.Runs, job.fixedText())
		var cells []string
		for _, c := range job.Columns {
			cells = append(cells, job.Inputs[c].Name)
		}
		for _, o := range job.Outcomes {
			cells = append(cells, o.String())
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		x := make([]float64, len(job.Inputs))
		for run := 0; run < t.Runs; run++ {
			job.Plan.Point(run, x)
			cells = cells[:0]
			for _, c := range job.Columns {
				cells = append(cells, sweepInputText(job.Inputs[c], x[c]))
			}
			for k, o := range job.Outcomes {
				cells = append(cells, o.Format(t.At(run, k)))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	case job.Plan.Method == study.LHS:
		job.writeLHS(tw)
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// writeLHS prints each outcome's spread over the hypercube and the inputs
// most rank-correlated with it.
func (job *SweepResult) writeLHS(w io.Writer) {
	t := job.Table
	d := len(job.Columns)
	fmt.Fprintf(w, "%s: Latin hypercube, %d runs over %d inputs\n", job.Name, t.Runs, d)
	// Inputs and one outcome as columns, for rank correlations.
	x := make([]float64, len(job.Inputs))
	m := make([]float64, t.Runs*(d+1))
	for run := 0; run < t.Runs; run++ {
		job.Plan.Point(run, x)
		for i, c := range job.Columns {
			m[run*(d+1)+i] = x[c]
		}
	}
	for k, o := range job.Outcomes {
		vals := make([]float64, t.Runs)
		never := 0
		for run := range vals {
			vals[run] = t.At(run, k)
			m[run*(d+1)+d] = vals[run]
			if math.IsInf(vals[run], 1) {
				never++
			}
		}
		sorted := append([]float64(nil), vals...)
		sort.Float64s(sorted)
		q := func(p float64) float64 { return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))] }
		fmt.Fprintf(w, "\n%s (%s): min %s, p5 %s, median %s, p95 %s, max %s\n", o, o.Unit(),
			o.Format(sorted[0]), o.Format(q(0.05)), o.Format(q(0.5)), o.Format(q(0.95)), o.Format(sorted[len(sorted)-1]))
		if never > 0 {
			fmt.Fprintf(w, "never in %d of %d runs\n", never, t.Runs)
		}
		rho, err := uq.SpearmanMatrix(m, d+1)
		if err != nil || t.Runs < 3 {
			continue
		}
		type cor struct {
			name string
			r    float64
		}
		var cs []cor
		for i, c := range job.Columns {
			if r := rho[i*(d+1)+d]; !math.IsNaN(r) {
				cs = append(cs, cor{job.Inputs[c].Name, r})
			}
		}
		sort.SliceStable(cs, func(a, b int) bool { return math.Abs(cs[a].r) > math.Abs(cs[b].r) })
		if len(cs) == 0 {
			continue
		}
		fmt.Fprintln(w, "input\trank correlation")
		for _, c := range cs[:min(len(cs), 8)] {
			fmt.Fprintf(w, "%s\t%+.2f\n", c.name, c.r)
		}
	}
}

// sweepOutcome describes an outcome for charts.
func (job *SweepResult) sweepOutcome(k int) SweepOutcome {
	o := job.Outcomes[k]
	return SweepOutcome{Name: o.String(), Unit: o.Unit(), Doc: sweepOutcomeDoc(o), Format: o.Format}
}

// axis describes grid axis i for tables and charts.
func (job *SweepResult) axis(i int) SweepAxis {
	in := job.Inputs[job.Plan.Axes[i]]
	return SweepAxis{Name: in.Name, Unit: in.Unit, Levels: job.Plan.Levels[i], Scenario: job.AxisValue[i],
		Format: func(v float64) string { return sweepInputText(in, v) }}
}

// fixedText says where a grid holds the scenario's other uncertain inputs.
func (job *SweepResult) fixedText() string {
	switch n := len(job.Inputs) - len(job.Plan.Axes); n {
	case 0:
		return ""
	case 1:
		return "; the scenario's other uncertain input at its median"
	default:
		return fmt.Sprintf("; the scenario's %d other uncertain inputs at their medians", n)
	}
}

// Charts draws the design's charts; notes say which could not be drawn.
func (job *SweepResult) Charts(co ChartOptions) ([]*Chart, []string) {
	var out []*Chart
	var notes []string
	t := job.Table
	fixed := ""
	if t := job.fixedText(); t != "" {
		fixed = strings.ToUpper(t[2:3]) + t[3:] + "."
	}
	for k, o := range job.Outcomes {
		var ch *Chart
		var err error
		switch {
		case job.Plan.Method == study.OAT:
			if math.IsInf(t.At(0, k), 0) {
				notes = append(notes, fmt.Sprintf("tornado chart: %s is never reached with every input at its median; no chart drawn", o))
				continue
			}
			ch, err = Tornado(TornadoData{Scenario: job.Name, Version: job.Version, Outcome: job.sweepOutcome(k),
				Base: t.At(0, k), LowLabel: job.Plan.LowTag, HighLabel: job.Plan.HighTag, Bars: job.tornadoBars(k)}, co)
		case isGrid(job.Plan) && len(job.Plan.Axes) == 1:
			ys := make([]float64, t.Runs)
			for run := range ys {
				ys[run] = t.At(run, k)
			}
			ch, err = SweepLine(SweepLineData{Scenario: job.Name, Version: job.Version, Axis: job.axis(0),
				Outcome: job.sweepOutcome(k), Y: ys, Fixed: fixed}, co)
		case isGrid(job.Plan) && len(job.Plan.Axes) == 2:
			zs := make([]float64, t.Runs)
			for run := range zs {
				zs[run] = t.At(run, k)
			}
			ch, err = Heatmap(HeatmapData{Scenario: job.Name, Version: job.Version, X: job.axis(0), Y: job.axis(1),
				Outcome: job.sweepOutcome(k), Z: zs, Fixed: fixed}, co)
		default:
			continue
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%v; no chart drawn", err))
			continue
		}
		out = append(out, ch)
	}
	// Two outcomes with the same slug would write the same file.
	used := map[string]int{}
	for _, ch := range out {
		used[ch.Name]++
		if n := used[ch.Name]; n > 1 {
			ch.Name = fmt.Sprintf("%s-%d", ch.Name, n)
		}
	}
	return out, notes
}
