package scenarios

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// CalibrationParam is a parameter to fit, as chipsim calibrate's --param
// PATH[=LO:HI] gives it.
type CalibrationParam struct {
	Path     string
	Lo, Hi   float64
	HasRange bool
}

// ParseCalibrationParam reads PATH or PATH=LO:HI.
func ParseCalibrationParam(s string) (CalibrationParam, error) {
	path, rng, found := strings.Cut(s, "=")
	p := CalibrationParam{Path: strings.TrimSpace(path)}
	if p.Path == "" {
		return p, fmt.Errorf("--param %q: want PATH or PATH=LO:HI, such as packaging.yield=0.6:0.95", s)
	}
	if !found {
		return p, nil
	}
	a, b, ok := strings.Cut(rng, ":")
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return p, fmt.Errorf("--param %q: want PATH=LO:HI with two finite numbers, such as %s=0.6:0.95", s, p.Path)
	}
	if !(lo < hi) {
		return p, fmt.Errorf("--param %q: want LO < HI", s)
	}
	p.Lo, p.Hi, p.HasRange = lo, hi, true
	return p, nil
}

// Calibration is a scenario made ready to calibrate: the parameters to
// fit are inputs of its sampler.
type Calibration struct {
	// Scenario is what runs: the scenario, or a child of it that gives
	// the parameter paths that are not uncertain inputs a distribution
	// over their ranges.
	Scenario *Scenario
	Params   []CalibrationParam // with their ranges resolved
	// Inputs are the params' places among Scenario's inputs; Start their
	// values in the scenario as written.
	Inputs []int
	Start  []float64
	Units  []string
	// Notes say what fitting a path means for this scenario (a schedule
	// fitted as one constant, events that change it too).
	Notes []string
	ref   string
	base  *Scenario
}

// Calibration resolves the parameters to fit, loaded from ref: each must
// be a numeric parameter path (chipsim params) or an uncertain input
// that is one. A range left out is the input's distribution's support,
// or the parameter's allowed range when that is finite.
func (s *Scenario) Calibration(ref string, params []CalibrationParam) (*Calibration, error) {
	if len(params) == 0 {
		return nil, errors.New("give at least one parameter to fit: --param PATH[=LO:HI]")
	}
	fields := map[string]sim.Field{}
	var names []string
	for _, f := range s.Spec.Fields() {
		if f.Num != nil && f.Def.Kind != sim.Enum {
			fields[f.Path] = f
			names = append(names, f.Path)
		}
	}
	quant := map[string]*Quantity{}
	for _, q := range s.quantities {
		quant[q.Name] = q
	}
	c := &Calibration{ref: ref, base: s}
	var bad []string
	var paths []pathRange
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Path] {
			bad = append(bad, fmt.Sprintf("--param %s: given twice", p.Path))
			continue
		}
		seen[p.Path] = true
		f, ok := fields[p.Path]
		if !ok {
			bad = append(bad, fmt.Sprintf("--param %s: no numeric parameter %q in %s%s (see chipsim params %s)", p.Path, p.Path, s.File, didYouMean(p.Path, names), sweepRef(ref)))
			continue
		}
		if q := quant[p.Path]; q != nil {
			lo, hi := q.Dist.Support()
			if !p.HasRange {
				if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
					bad = append(bad, fmt.Sprintf("--param %s: its distribution (%s at %s) is unbounded: give a range, %s=LO:HI", p.Path, q.Dist, q.Pos, p.Path))
					continue
				}
				p.Lo, p.Hi, p.HasRange = lo, hi, true
			} else if p.Lo < lo || p.Hi > hi {
				bad = append(bad, fmt.Sprintf("--param %s=%g:%g: outside its distribution's range [%g, %g] (%s at %s): the scenario does not allow it", p.Path, p.Lo, p.Hi, lo, hi, q.Dist, q.Pos))
				continue
			}
			c.Params = append(c.Params, p)
			c.Units = append(c.Units, f.Def.Unit)
			continue
		}
		if !p.HasRange {
			if math.IsInf(f.Def.Min, 0) || f.Def.Max >= sim.NoBound {
				bad = append(bad, fmt.Sprintf("--param %s: give a range, %s=LO:HI: the parameter (%s, %s) has no finite bounds of its own", p.Path, p.Path, valueText(s, f), f.Def.Unit))
				continue
			}
			p.Lo, p.Hi, p.HasRange = f.Def.Min, f.Def.Max, true
		}
		if p.Lo < f.Def.Min || p.Hi > f.Def.Max {
			bad = append(bad, fmt.Sprintf("--param %s=%g:%g: outside the parameter's allowed range [%s, %s] (%s)", p.Path, p.Lo, p.Hi, sweepTrim(f.Def.Min), sweepTrim(f.Def.Max), f.Def.Unit))
			continue
		}
		c.Params = append(c.Params, p)
		c.Units = append(c.Units, f.Def.Unit)
		paths = append(paths, pathRange{p.Path, p.Lo, p.Hi})
	}
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "\n"))
	}
	c.Scenario = s
	if len(paths) > 0 {
		child, err := s.withUniform(ref, "--param", paths)
		if err != nil {
			return nil, fmt.Errorf("calibrate: the scenario with the fitted parameters as inputs does not load: %w", err)
		}
		c.Scenario = child
	}
	idx := map[string]int{}
	for k, q := range c.Scenario.quantities {
		idx[q.Name] = k
	}
	sp, err := s.NewSampler()
	if err != nil {
		return nil, err
	}
	for _, p := range c.Params {
		c.Inputs = append(c.Inputs, idx[p.Path])
		v := math.NaN()
		if k, ok := indexOf(s.quantities, p.Path); ok {
			v = sp.Values()[k] // the distribution's median, as chipsim run uses
		} else {
			v = scalarValue(s, fields[p.Path])
		}
		if v < p.Lo || v > p.Hi {
			c.Notes = append(c.Notes, fmt.Sprintf("%s is %g in the scenario, outside the range %g to %g: the fit starts at the range's nearer end", p.Path, v, p.Lo, p.Hi))
			v = math.Min(math.Max(v, p.Lo), p.Hi)
		}
		c.Start = append(c.Start, v)
		c.Notes = append(c.Notes, pathNotes(s, p.Path, "the fit replaces it with one value in every period", "the fit")...)
	}
	return c, nil
}

func indexOf(qs []*Quantity, name string) (int, bool) {
	for k, q := range qs {
		if q.Name == name {
			return k, true
		}
	}
	return 0, false
}

// scalarValue returns a parameter's value as the scenario writes it: the
// number, or a schedule's value in the run's first period.
func scalarValue(s *Scenario, f sim.Field) float64 {
	if v := s.Values[f.Path]; v != nil && v.Node != nil && v.Node.Kind == yaml.ScalarNode {
		if x, err := strconv.ParseFloat(v.Node.Value, 64); err == nil {
			return x
		}
	}
	return (*f.Num)[0]
}

func valueText(s *Scenario, f sim.Field) string {
	return fmt.Sprintf("%g in %s", scalarValue(s, f), s.Name)
}

// pathNotes says what holding a path at one value means when the
// scenario gives it a schedule or events change it: holds says what
// happens to the schedule, who sets the value.
func pathNotes(s *Scenario, path, holds, who string) []string {
	var notes []string
	if v := s.Values[path]; v != nil && v.Node != nil && v.Node.Kind != yaml.ScalarNode {
		notes = append(notes, fmt.Sprintf("%s is a schedule in %s; %s", path, v.Pos, holds))
	}
	var evs []string
	for _, e := range s.Events {
		for _, op := range e.Ops {
			if op.Path == path {
				evs = append(evs, fmt.Sprintf("%s (%s)", e.Name, s.Spec.Calendar.Step.Label(e.At)))
				break
			}
		}
	}
	if len(evs) > 0 {
		notes = append(notes, fmt.Sprintf("events also change %s: %s; %s sets its value before them", path, strings.Join(evs, ", "), who))
	}
	return notes
}

// Observation is one observed value to calibrate against: a row of an
// observations file.
type Observation struct {
	Line                 int // in the file
	ID                   string
	Scenario, Period     string
	Metric, Entity, Unit string
	Value                float64
	Sigma, Weight        float64 // NaN when the file gives none
	Holdout              bool
	Source               string
}

// Expr is the outcome that gives the model's value for the observation:
// the metric for the entity in the period (a year aggregates the periods
// as chipsim's annual tables do).
func (o *Observation) Expr() string {
	e := o.Metric
	if o.Entity != "all" {
		e += "[" + o.Entity + "]"
	}
	return e + "@" + o.Period
}

// observationColumns are the columns an observations file may have.
var observationColumns = []string{"scenario", "period", "metric", "entity", "value", "unit", "sigma", "weight", "id", "holdout", "source"}

// ParseObservations reads an observations file: tidy CSV with chipsim's
// own columns (scenario, period, metric, entity, value, unit), so that a
// subset of a chipsim run CSV is one, plus optional sigma (a standard
// deviation) or weight, id, holdout (true or false) and source. period,
// metric and value are required; entity defaults to all. Every problem is
// reported, at its line and column.
func ParseObservations(name string, data []byte) ([]Observation, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var errs ErrorList
	pos := func(line int, col string, cols map[string]int) Pos {
		return Pos{File: name, Line: line, Col: cols[col] + 1}
	}
	head, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty: want a header line with columns period, metric, value (and optionally %s)", name, strings.Join(observationColumns, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !contains(observationColumns, h) {
			errs.Add(Pos{File: name, Line: 1, Col: i + 1}, "unknown column %q%s: want %s", h, didYouMean(h, observationColumns), strings.Join(observationColumns, ", "))
			continue
		}
		if _, dup := cols[h]; dup {
			errs.Add(Pos{File: name, Line: 1, Col: i + 1}, "column %q given twice", h)
			continue
		}
		cols[h] = i
	}
	for _, c := range []string{"period", "metric", "value"} {
		if _, ok := cols[c]; !ok {
			errs.Add(Pos{File: name, Line: 1, Col: 1}, "no column %q: an observations file needs period, metric and value", c)
		}
	}
	_, hasSigma := cols["sigma"]
	_, hasWeight := cols["weight"]
	if hasSigma && hasWeight {
		errs.Add(pos(1, "weight", cols), "give sigma or weight, not both: sigma is a standard deviation (the residual is divided by it), weight multiplies the squared error")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var obs []Observation
	ids := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			errs.Add(Pos{File: name, Line: line, Col: 1}, "%v", err)
			break
		}
		if len(rec) != len(head) {
			errs.Add(Pos{File: name, Line: line, Col: 1}, "%d fields, want %d (as the header)", len(rec), len(head))
			continue
		}
		get := func(c string) string {
			if i, ok := cols[c]; ok {
				return unquoteCell(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		o := Observation{Line: line, Scenario: get("scenario"), Period: get("period"), Metric: get("metric"),
			Entity: get("entity"), Unit: get("unit"), ID: get("id"), Source: get("source"), Sigma: math.NaN(), Weight: math.NaN()}
		if o.Entity == "" {
			o.Entity = "all"
		}
		for _, c := range []string{"period", "metric"} {
			if get(c) == "" {
				errs.Add(pos(line, c, cols), "%s is empty", c)
			}
		}
		num := func(c string, positive bool) float64 {
			t := get(c)
			v, err := strconv.ParseFloat(t, 64)
			switch {
			case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
				errs.Add(pos(line, c, cols), "%s %q: want a finite number", c, t)
			case positive && !(v > 0):
				errs.Add(pos(line, c, cols), "%s %s: want a number above 0", c, t)
			}
			return v
		}
		o.Value = num("value", false)
		if hasSigma {
			o.Sigma = num("sigma", true)
		}
		if hasWeight {
			o.Weight = num("weight", true)
		}
		switch strings.ToLower(get("holdout")) {
		case "", "false", "no", "0":
		case "true", "yes", "1":
			o.Holdout = true
		default:
			errs.Add(pos(line, "holdout", cols), "holdout %q: want true or false", get("holdout"))
		}
		if o.ID == "" {
			o.ID = o.Expr()
		}
		if prev, dup := ids[o.ID]; dup {
			errs.Add(pos(line, "id", cols), "%s is observed twice (also on line %d): give each row an id column value of its own, or drop one", o.ID, prev)
		}
		ids[o.ID] = line
		obs = append(obs, o)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("%s: no observations: the file has a header only", name)
	}
	return obs, nil
}

// unquoteCell undoes the quote chipsim's CSV puts before text a
// spreadsheet would run as a formula.
func unquoteCell(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && rest != "" && strings.ContainsRune("=+-@", rune(rest[0])) {
		if _, err := strconv.ParseFloat(rest, 64); err != nil {
			return rest
		}
	}
	return s
}

// Target is an observation bound to the model: the outcome that gives the
// model's value, and the scale that divides the error.
type Target struct {
	*Observation
	Outcome *outcome.Outcome
	Scale   float64
}

// Targets binds observations to the calibration's model. Errors are
// relative (divided by the observed value) when relative is set, else
// absolute; a sigma divides them and a weight multiplies their square.
// held lists ids (or METRIC[ENTITY]@PERIOD) to keep out of the fit, in
// addition to rows whose holdout column is true. An observation of
// another scenario, of a metric the model does not output, of a period
// outside the run or in another unit than the model's is an error naming
// its line; so is mixing units with neither sigma nor weight to make the
// errors comparable.
func (c *Calibration) Targets(file string, obs []Observation, relative bool, held []string) ([]Target, error) {
	m, err := c.Scenario.Model()
	if err != nil {
		return nil, err
	}
	var errs ErrorList
	byID := map[string]*Observation{}
	for i := range obs {
		byID[obs[i].ID] = &obs[i]
	}
	for _, id := range held {
		o, ok := byID[id]
		if !ok {
			var ids []string
			for i := range obs {
				ids = append(ids, obs[i].ID)
			}
			return nil, fmt.Errorf("--holdout %s: no observation with that id in %s%s", id, file, didYouMean(id, ids))
		}
		o.Holdout = true
	}
	units := map[string]bool{}
	weighted := false
	var out []Target
	for i := range obs {
		o := &obs[i]
		at := Pos{File: file, Line: o.Line, Col: 1}
		if o.Scenario != "" && o.Scenario != c.base.Name {
			errs.Add(at, "an observation of scenario %q, but the calibration is of %q: set the scenario column to %s or leave it empty", o.Scenario, c.base.Name, c.base.Name)
			continue
		}
		oc, err := outcome.Parse(o.Expr(), m)
		if err != nil {
			errs.Add(at, "%v", err)
			continue
		}
		if o.Unit != "" && o.Unit != oc.Unit() {
			errs.Add(at, "%s: unit %q, but the model gives %s in %s", o.Expr(), o.Unit, o.Metric, oc.Unit())
			continue
		}
		units[oc.Unit()] = true
		scale := 1.0
		switch {
		case !math.IsNaN(o.Sigma):
			scale, weighted = o.Sigma, true
		case !math.IsNaN(o.Weight):
			scale, weighted = 1/math.Sqrt(o.Weight), true
		}
		if relative {
			if o.Value == 0 {
				errs.Add(at, "%s: observed 0, which has no relative error: drop --relative or give the row a sigma", o.Expr())
				continue
			}
			scale *= math.Abs(o.Value)
		}
		out = append(out, Target{Observation: o, Outcome: oc, Scale: scale})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(units) > 1 && !weighted && !relative {
		var us []string
		for u := range units {
			us = append(us, u)
		}
		slices.Sort(us)
		return nil, fmt.Errorf("%s: the observations are in different units (%s) and give neither sigma nor weight, so their errors cannot be added: give a sigma column, or use --relative", file, strings.Join(us, ", "))
	}
	return out, nil
}

// Calibrated returns the scenario file of a fit: it extends the scenario
// (by a path relative to dir, where the file goes, or a shipped name) and
// sets each fitted parameter, with comment[i] beside it as its source.
// header opens the file as comment lines.
func (c *Calibration) Calibrated(name, dir string, fitted []float64, comment []string, header string) ([]byte, error) {
	ext := c.ref
	if IsPath(ext) {
		absRef, err1 := filepath.Abs(ext)
		absDir, err2 := filepath.Abs(dir)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("calibrate: cannot place %s relative to %s", ext, dir)
		}
		rel, err := filepath.Rel(absDir, absRef)
		if err != nil {
			rel = absRef
		}
		ext = filepath.ToSlash(rel)
		if !strings.Contains(ext, "/") {
			ext = "./" + ext
		}
	}
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	root := &yaml.Node{Kind: yaml.MappingNode, HeadComment: header}
	root.Content = append(root.Content, str("name"), str(name), str("extends"), str(ext))
	for i, p := range c.Params {
		parts := strings.Split(p.Path, ".")
		node := root
		for _, k := range parts[:len(parts)-1] {
			var next *yaml.Node
			for j := 0; j+1 < len(node.Content); j += 2 {
				if node.Content[j].Value == k {
					next = node.Content[j+1]
				}
			}
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode}
				node.Content = append(node.Content, str(k), next)
			}
			node = next
		}
		v := str(strconv.FormatFloat(fitted[i], 'g', -1, 64))
		v.Tag = "!!float"
		v.LineComment = comment[i]
		node.Content = append(node.Content, str(parts[len(parts)-1]), v)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
