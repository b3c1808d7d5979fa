package output

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
)

// Product describes a catalogue entry for grouping in charts.
type Product struct {
	ID     string `json:"id"`
	Vendor string `json:"vendor"`
	Origin string `json:"origin"`
}

// Frame is one scenario's results as charts and reports read them: series
// by metric and entity over labelled periods. It is built from a run, or
// read back from chipsim's tidy CSV, so data and pictures stay separable.
type Frame struct {
	Scenario string
	Version  string // chipsim version that produced the data
	Labels   []string
	Times    []float64 // period starts as fractional years: 2025Q2 is 2025.25
	Step     sim.Step
	Products []Product // empty when read from a CSV without its JSON summary
	Events   []Event

	order  []string            // metrics in first-seen order
	ents   map[string][]string // metric -> entities in first-seen order
	units  map[string]string
	series map[string][]float64 // metric + "\x00" + entity
}

func key(metric, entity string) string { return metric + "\x00" + entity }

func newFrame(scenario string) *Frame {
	return &Frame{Scenario: scenario, ents: map[string][]string{}, units: map[string]string{}, series: map[string][]float64{}}
}

// FrameOf builds the frame of a run.
func FrameOf(run *Run, version string) *Frame {
	r := run.Result
	m := r.Model()
	cal := m.Calendar()
	f := newFrame(run.Scenario)
	f.Version, f.Step, f.Events, f.Products = version, cal.Step, run.Events, run.Products
	for t := 0; t < cal.N; t++ {
		f.Labels = append(f.Labels, cal.Label(t))
		mo := cal.Month(t)
		f.Times = append(f.Times, float64(mo.Year())+float64(mo.MonthOfYear()-1)/12)
	}
	for s, slot := range m.Slots() {
		v := make([]float64, cal.N)
		for t := range v {
			v[t] = r.At(s, t)
		}
		f.add(slot.Metric.Name, slot.Entity, slot.Metric.Unit, v)
	}
	return f
}

func (f *Frame) add(metric, entity, unit string, v []float64) {
	if _, ok := f.ents[metric]; !ok {
		f.order = append(f.order, metric)
		f.units[metric] = unit
	}
	f.ents[metric] = append(f.ents[metric], entity)
	f.series[key(metric, entity)] = v
}

// Metrics lists the frame's metrics in order.
func (f *Frame) Metrics() []string { return f.order }

// Entities lists the entities a metric has values for.
func (f *Frame) Entities(metric string) []string { return f.ents[metric] }

// Unit returns a metric's unit.
func (f *Frame) Unit(metric string) string { return f.units[metric] }

// Series returns a metric's values for an entity, one per period.
func (f *Frame) Series(metric, entity string) ([]float64, bool) {
	v, ok := f.series[key(metric, entity)]
	return v, ok
}

// Years returns the calendar years the frame covers.
func (f *Frame) Years() []int {
	var out []int
	for _, t := range f.Times {
		if y := int(t); len(out) == 0 || out[len(out)-1] != y {
			out = append(out, y)
		}
	}
	return out
}

// Annual aggregates a metric by year with the metric's rule (see Annual).
func (f *Frame) Annual(metric, entity string) ([]float64, bool) {
	d, ok := sim.MetricByName(metric)
	if !ok {
		return nil, false
	}
	if d.Agg == sim.Ratio {
		num, ok1 := f.Annual(d.Num, "all")
		den, ok2 := f.Annual(d.Den, "all")
		if !ok1 || !ok2 {
			return nil, false
		}
		for i := range num {
			num[i] = ratioOf(num[i], den[i])
		}
		return num, true
	}
	s, ok := f.Series(metric, entity)
	if !ok {
		return nil, false
	}
	var carry []float64
	if d.Carry != "" {
		if carry, ok = f.Series(d.Carry, "all"); !ok {
			return nil, false
		}
	}
	years := f.Years()
	return aggregate(d, s, carry, func(t int) int { return int(f.Times[t]) - years[0] }, len(years)), true
}

func ratioOf(num, den float64) float64 {
	if den > 0 {
		return num / den
	}
	return 0
}

// plainSum adds periods up, for series that are not metrics.
var plainSum = &sim.MetricDef{Agg: sim.Sum}

// aggregate folds per-period values into n yearly values by d's rule; a
// flow with a carried stock (d.Carry, the stock's series in carry) counts
// each unit once a year (sim.SpanSum).
func aggregate(d *sim.MetricDef, s, carry []float64, year func(t int) int, n int) []float64 {
	agg := d.Agg
	out := make([]float64, n)
	count := make([]int, n)
	for t, v := range s {
		y := year(t)
		switch agg {
		case sim.Sum:
			out[y] += v
			if carry != nil && t+1 < len(s) && year(t+1) == y {
				out[y] -= carry[t]
			}
		case sim.Mean:
			out[y] += v
			count[y]++
		default:
			out[y] = v
		}
	}
	if agg == sim.Mean {
		for i := range out {
			if count[i] > 0 {
				out[i] /= float64(count[i])
			}
		}
	}
	return out
}

// ErrNotChipsimCSV reports a CSV that is not chipsim's tidy results format.
var ErrNotChipsimCSV = errors.New("not a chipsim results CSV")

// CSVError is a problem at a line of a results CSV.
type CSVError struct {
	File string
	Line int
	Err  error
}

func (e *CSVError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *CSVError) Unwrap() error { return e.Err }

// ReadCSV reads chipsim's tidy results CSV (as WriteCSV writes it) into one
// frame per scenario, in the order they appear. name is used in errors.
func ReadCSV(name string, r io.Reader) ([]*Frame, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	bad := func(line int, format string, a ...any) error {
		return &CSVError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
	}
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, bad(1, "%w: empty file", ErrNotChipsimCSV)
		}
		return nil, bad(1, "%w: %v", ErrNotChipsimCSV, err)
	}
	if strings.Join(head, ",") != strings.Join(CSVHeader, ",") {
		return nil, bad(1, "%w: header is %q, want %q", ErrNotChipsimCSV, strings.Join(head, ","), strings.Join(CSVHeader, ","))
	}
	var frames []*Frame
	byName := map[string]*Frame{}
	period := map[string]map[string]int{} // scenario -> label -> index
	set := map[*Frame]map[string][]bool{} // which periods each series has
	line := 1
	for {
		rec, err := cr.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bad(line, "%v", err)
		}
		if len(rec) != 6 {
			return nil, bad(line, "%w: %d fields, want 6", ErrNotChipsimCSV, len(rec))
		}
		scn, label, metric, entity, val, unit := UnquoteCell(rec[0]), rec[1], rec[2], UnquoteCell(rec[3]), rec[4], rec[5]
		d, ok := sim.MetricByName(metric)
		if !ok {
			return nil, bad(line, "unknown metric %q", metric)
		}
		if unit != d.Unit {
			return nil, bad(line, "metric %s has unit %q, want %q", metric, unit, d.Unit)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, bad(line, "value %q is not a number", val)
		}
		f := byName[scn]
		if f == nil {
			f = newFrame(scn)
			byName[scn] = f
			frames = append(frames, f)
			period[scn] = map[string]int{}
		}
		t, ok := period[scn][label]
		if !ok {
			mo, step, err := sim.ParseMonth(label)
			if err != nil {
				return nil, bad(line, "period %q: %v", label, err)
			}
			if f.Step == 0 {
				f.Step = step
			}
			// A run's periods are consecutive steps: a CSV whose new periods
			// do not follow one another (out of order, gapped, mixed steps)
			// is not a chipsim run.
			if step != f.Step {
				return nil, bad(line, "period %s: a %s, but the run's periods are %ss", label, step, f.Step)
			}
			if n := len(f.Times); n > 0 {
				prev, _, _ := sim.ParseMonth(f.Labels[n-1])
				if mo != prev+sim.Month(f.Step) {
					return nil, bad(line, "period %s does not follow %s: a run's periods are consecutive and in order", label, f.Labels[n-1])
				}
			}
			t = len(f.Labels)
			period[scn][label] = t
			f.Labels = append(f.Labels, label)
			f.Times = append(f.Times, float64(mo.Year())+float64(mo.MonthOfYear()-1)/12)
		}
		k := key(metric, entity)
		s, ok := f.series[k]
		if !ok {
			f.add(metric, entity, unit, nil)
			if set[f] == nil {
				set[f] = map[string][]bool{}
			}
		}
		got := set[f][k]
		for len(s) <= t {
			s = append(s, 0)
			got = append(got, false)
		}
		if got[t] {
			return nil, bad(line, "scenario %s: %s for %s in %s appears twice", scn, metric, entity, label)
		}
		s[t], got[t] = v, true
		f.series[k], set[f][k] = s, got
	}
	if len(frames) == 0 {
		return nil, bad(line, "%w: no data rows", ErrNotChipsimCSV)
	}
	for _, f := range frames {
		for _, metric := range f.order {
			for _, entity := range f.ents[metric] {
				got := set[f][key(metric, entity)]
				for t := range f.Labels {
					if t >= len(got) || !got[t] {
						return nil, bad(line, "scenario %s: %s for %s has no value in %s", f.Scenario, metric, entity, f.Labels[t])
					}
				}
			}
		}
	}
	return frames, nil
}

// ReadSummary reads a JSON summary, to give a frame read from CSV its
// catalogue and events. A missing file is not an error: it returns nil.
func ReadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// Attach copies a summary's catalogue, events and version into the frame.
func (f *Frame) Attach(s *Summary) {
	if s == nil || s.Scenario != f.Scenario {
		return
	}
	f.Products, f.Events, f.Version = s.Products, s.Events, s.Version
}

// ReadResults reads a results CSV that chipsim run wrote and attaches to
// each scenario's frame its JSON summary when one lies beside the CSV
// (same name with .json, or SCENARIO.json), for events and vendors.
func ReadResults(path string) ([]*Frame, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	defer fh.Close()
	frames, err := ReadCSV(path, fh)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	for _, f := range frames {
		for _, cand := range []string{strings.TrimSuffix(path, filepath.Ext(path)) + ".json", filepath.Join(dir, f.Scenario+".json")} {
			sum, err := ReadSummary(cand)
			if err != nil {
				return nil, err
			}
			if sum != nil && sum.Scenario == f.Scenario {
				if n := len(f.Labels); n > 0 && (sum.Start != f.Labels[0] || sum.End != f.Labels[n-1]) {
					return nil, fmt.Errorf("%s: %s runs %s to %s in the CSV, but %s says %s to %s: the CSV is cut short or from another run",
						path, f.Scenario, f.Labels[0], f.Labels[n-1], cand, sum.Start, sum.End)
				}
				f.Attach(sum)
				break
			}
		}
	}
	return frames, nil
}
