package scenarios

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
	"go.yaml.in/yaml/v3"
)

// sweepItem is a value of a sweep as written, with where it was written
// and what to call it in messages.
type sweepItem struct {
	text string
	pos  Pos
	what string // "--outcome", or a sweep file's key
}

type sweepGridSpec struct {
	name, from, to sweepItem
	steps          int
	stepsAt        sweepItem
	flag           string // the --grid value as given
}

// SweepDef is a sweep as flags or a sweep file define it, not yet checked
// against its scenario.
type SweepDef struct {
	file     string
	flags    *SweepFlags // as given, for a sweep from flags
	scenario sweepItem
	outcomes []sweepItem
	mode     string // oat, grid or lhs
	rng      sweepItem
	grid     []sweepGridSpec
	runs     int
	runsAt   sweepItem
	seed     uint64
}

// sweepProblems collects bad input: positioned in a sweep file, or about flags.
type sweepProblems struct {
	list ErrorList
	msgs []string
}

func (p *sweepProblems) add(it sweepItem, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if it.pos.File != "" {
		if it.what != "" {
			msg = it.what + ": " + msg
		}
		p.list.Add(it.pos, "%s", msg)
		return
	}
	if it.what != "" {
		msg = it.what + ": " + msg
	}
	p.msgs = append(p.msgs, msg)
}

func (p *sweepProblems) err() error {
	if err := p.list.Err(); err != nil {
		return err
	}
	if len(p.msgs) > 0 {
		return errors.New(strings.Join(p.msgs, "\n"))
	}
	return nil
}

// SweepFlags is a sweep as the command line gives it.
type SweepFlags struct {
	Scenario string   `json:"scenario"`
	Outcomes []string `json:"outcomes"`
	Design   string   `json:"design"`          // oat, grid or lhs
	Range    string   `json:"range,omitempty"` // oat: pA-pB or min-max
	Grid     []string `json:"grid,omitempty"`  // grid: NAME=LO:HI:N axes
	Runs     int      `json:"runs,omitempty"`  // lhs: runs
	Seed     uint64   `json:"seed,omitempty"`  // lhs: seed
}

// Settings records the sweep's definition, for shards to carry and merge
// to rebuild it with SweepFromSettings: the sweep file's path, or the
// flags that gave the sweep, with what does not change its design (the
// range of a grid, the seed of a one-at-a-time design) left out.
func (def *SweepDef) Settings() map[string]string {
	if def.flags == nil {
		return map[string]string{"file": def.file}
	}
	f := *def.flags
	if f.Design != study.OAT {
		f.Range = ""
	}
	if f.Design != study.LHS {
		f.Runs, f.Seed = 0, 0
	}
	data, _ := json.Marshal(f)
	return map[string]string{"flags": string(data)}
}

// SweepFromSettings rebuilds a sweep from its Settings; read reads the
// sweep file of a sweep defined by one.
func SweepFromSettings(set map[string]string, read func(path string) ([]byte, error)) (*SweepDef, error) {
	if path := set["file"]; path != "" {
		data, err := read(path)
		if err != nil {
			return nil, err
		}
		return ParseSweepFile(path, data)
	}
	var f SweepFlags
	dec := json.NewDecoder(strings.NewReader(set["flags"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("sweep settings %q: %v", set["flags"], err)
	}
	return SweepFromFlags(f)
}

// SweepGiven says which of a sweep's design flags a command line gave.
type SweepGiven struct {
	OAT, Grid, LHS bool // --oat, --grid, --lhs: the designs
	Range          bool // --range, which only --oat takes
	Seed           bool // --seed, which only --lhs takes
}

// Design returns the one design the flags choose: study.OAT, study.Grid
// or study.LHS. As in a sweep file, where range sits under oat and seed
// under lhs, it refuses no design, several, and --range or --seed with a
// design that does not take them.
func (g SweepGiven) Design() (string, error) {
	var modes []string
	design := ""
	for _, m := range []struct {
		on   bool
		flag string
	}{{g.OAT, study.OAT}, {g.Grid, study.Grid}, {g.LHS, study.LHS}} {
		if m.on {
			modes, design = append(modes, "--"+m.flag), m.flag
		}
	}
	switch {
	case len(modes) == 0:
		return "", errors.New("sweep: choose a design: --oat, --grid NAME=LO:HI:N or --lhs N")
	case len(modes) > 1:
		return "", fmt.Errorf("sweep: %s: choose one design", strings.Join(modes, " and "))
	case g.Range && design != study.OAT:
		return "", errors.New("--range: only with --oat")
	case g.Seed && design != study.LHS:
		return "", errors.New("--seed: only with --lhs (the other designs draw nothing at random)")
	}
	return design, nil
}

// SweepFromFlags reads a sweep from command-line values; what it names
// (the scenario, outcomes, inputs) is checked when the sweep is planned.
func SweepFromFlags(o SweepFlags) (*SweepDef, error) {
	def := &SweepDef{flags: &o, scenario: sweepItem{text: o.Scenario}, seed: o.Seed, mode: o.Design}
	switch o.Design {
	case study.OAT, study.Grid, study.LHS:
	default:
		return nil, fmt.Errorf("sweep: choose a design: --oat, --grid NAME=LO:HI:N or --lhs N")
	}
	if len(o.Outcomes) == 0 {
		return nil, fmt.Errorf("sweep: want at least one --outcome, such as --outcome ai.ssr_compute@2030 (see 'chipsim sweep --help')")
	}
	for _, e := range o.Outcomes {
		def.outcomes = append(def.outcomes, sweepItem{text: e})
	}
	def.rng = sweepItem{text: o.Range, what: "--range"}
	def.runs = o.Runs
	def.runsAt = sweepItem{what: "--lhs"}
	var bad sweepProblems
	for _, g := range o.Grid {
		it := sweepItem{what: "--grid " + g}
		name, rest, ok := strings.Cut(g, "=")
		parts := strings.Split(rest, ":")
		if !ok || strings.TrimSpace(name) == "" || len(parts) != 3 {
			bad.add(it, "want NAME=LO:HI:N, such as packaging.yield=0.6:0.95:8")
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil {
			bad.add(it, "steps %q: want a whole number of levels, such as 8", parts[2])
			continue
		}
		def.grid = append(def.grid, sweepGridSpec{
			name:    sweepItem{text: strings.TrimSpace(name), what: it.what},
			from:    sweepItem{text: strings.TrimSpace(parts[0]), what: it.what},
			to:      sweepItem{text: strings.TrimSpace(parts[1]), what: it.what},
			steps:   n,
			stepsAt: it,
			flag:    g,
		})
	}
	return def, bad.err()
}

// sweepKeys are the keys of a sweep file.
var sweepKeys = []string{"scenario", "description", "outcomes", "oat", "grid", "lhs"}

// ParseSweepFile reads a sweep file's structure from data, read from
// path; what it names (the scenario, outcomes, inputs) is checked when
// the sweep is planned. A scenario path in the file is relative to it.
func ParseSweepFile(path string, data []byte) (*SweepDef, error) {
	at := func(n *yaml.Node) Pos { return Pos{File: path, Line: n.Line, Col: n.Column} }
	var errs ErrorList
	root, err := DecodeYAML(path, "a sweep file", data)
	if err != nil {
		var el ErrorList
		errors.As(err, &el)
		errs = append(errs, el...)
		if root == nil {
			return nil, errs.Err()
		}
	}
	if root == nil || root.Kind != yaml.MappingNode {
		errs.Add(Pos{File: path, Line: 1, Col: 1}, "want a sweep: a mapping with scenario, outcomes and one of oat, grid or lhs")
		return nil, errs.Err()
	}
	def := &SweepDef{file: path, seed: 1}
	seen := map[string]*yaml.Node{}
	var modes []*yaml.Node
	scalar := func(key string, v *yaml.Node) (string, bool) {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			errs.Add(at(v), "%s: want a single value, got %s", key, sweepNodeKind(v))
			return "", false
		}
		return v.Value, true
	}
	whole := func(key string, v *yaml.Node, lo int) (int, bool) {
		n, err := strconv.Atoi(strings.ReplaceAll(v.Value, "_", ""))
		if v.Kind != yaml.ScalarNode || err != nil || n < lo {
			errs.Add(at(v), "%s: want a whole number ≥ %d, got %s", key, lo, sweepNodeText(v))
			return 0, false
		}
		return n, true
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			errs.Add(at(k), "key %s given twice (first at line %d)", k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "scenario":
			if s, ok := scalar("scenario", v); ok {
				if IsPath(s) && !filepath.IsAbs(s) {
					s = filepath.Join(filepath.Dir(path), s)
				}
				def.scenario = sweepItem{text: s, pos: at(v), what: "scenario"}
			}
		case "description":
		case "outcomes":
			items := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				items = v.Content
			}
			for _, it := range items {
				if s, ok := scalar("outcomes", it); ok {
					def.outcomes = append(def.outcomes, sweepItem{text: s, pos: at(it)})
				}
			}
			if len(items) == 0 {
				errs.Add(at(v), "outcomes: want at least one, such as ai.ssr_compute@2030")
			}
		case "oat":
			modes = append(modes, k)
			def.mode = "oat"
			def.rng = sweepItem{text: "p5-p95", pos: at(v), what: "oat: range"}
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.MappingNode {
				errs.Add(at(v), "oat: want a mapping such as {range: p5-p95}, got %s", sweepNodeKind(v))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				if kk.Value != "range" {
					errs.Add(at(kk), "oat: unknown key %s%s; want range", kk.Value, didYouMean(kk.Value, []string{"range"}))
					continue
				}
				if s, ok := scalar("oat: range", vv); ok {
					def.rng = sweepItem{text: s, pos: at(vv), what: "oat: range"}
				}
			}
		case "grid":
			modes = append(modes, k)
			def.mode = "grid"
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				errs.Add(at(v), "grid: want a list of axes such as - {name: packaging.yield, from: 0.6, to: 0.95, steps: 8}, got %s", sweepNodeKind(v))
				continue
			}
			for _, ax := range v.Content {
				if ax.Kind != yaml.MappingNode {
					errs.Add(at(ax), "grid: want an axis {name, from, to, steps}, got %s", sweepNodeKind(ax))
					continue
				}
				g := sweepGridSpec{stepsAt: sweepItem{pos: at(ax), what: "grid"}}
				got := map[string]bool{}
				good := true
				for j := 0; j+1 < len(ax.Content); j += 2 {
					kk, vv := ax.Content[j], ax.Content[j+1]
					if got[kk.Value] {
						errs.Add(at(kk), "grid: key %s given twice", kk.Value)
						good = false
						continue
					}
					got[kk.Value] = true
					switch kk.Value {
					case "name", "from", "to":
						s, ok := scalar("grid: "+kk.Value, vv)
						good = good && ok
						it := sweepItem{text: s, pos: at(vv), what: "grid: " + kk.Value}
						switch kk.Value {
						case "name":
							g.name = it
						case "from":
							g.from = it
						default:
							g.to = it
						}
					case "steps":
						n, ok := whole("grid: steps", vv, 2)
						good = good && ok
						g.steps, g.stepsAt = n, sweepItem{pos: at(vv), what: "grid: steps"}
					default:
						errs.Add(at(kk), "grid: unknown key %s%s; an axis takes name, from, to and steps", kk.Value, didYouMean(kk.Value, []string{"name", "from", "to", "steps"}))
						good = false
					}
				}
				for _, key := range []string{"name", "from", "to", "steps"} {
					if !got[key] {
						errs.Add(at(ax), "grid: axis has no %s (an axis takes name, from, to and steps)", key)
						good = false
					}
				}
				if good {
					g.flag = fmt.Sprintf("%s=%s:%s:%d", g.name.text, g.from.text, g.to.text, g.steps)
					def.grid = append(def.grid, g)
				}
			}
		case "lhs":
			modes = append(modes, k)
			def.mode = "lhs"
			if v.Kind != yaml.MappingNode {
				errs.Add(at(v), "lhs: want a mapping such as {runs: 500, seed: 1}, got %s", sweepNodeKind(v))
				continue
			}
			hasRuns := false
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				switch kk.Value {
				case "runs":
					hasRuns = true
					if n, ok := whole("lhs: runs", vv, 1); ok {
						def.runs = n
						def.runsAt = sweepItem{pos: at(vv), what: "lhs: runs"}
					}
				case "seed":
					s, err := strconv.ParseUint(vv.Value, 10, 64)
					if vv.Kind != yaml.ScalarNode || err != nil {
						errs.Add(at(vv), "lhs: seed: want a whole number ≥ 0, got %s", sweepNodeText(vv))
						continue
					}
					def.seed = s
				default:
					errs.Add(at(kk), "lhs: unknown key %s%s; want runs and seed", kk.Value, didYouMean(kk.Value, []string{"runs", "seed"}))
				}
			}
			if !hasRuns {
				errs.Add(at(v), "lhs: want runs, the number of runs")
			}
		default:
			errs.Add(at(k), "unknown key %s%s; a sweep file takes %s", k.Value, didYouMean(k.Value, sweepKeys), strings.Join(sweepKeys, ", "))
		}
	}
	top := Pos{File: path, Line: root.Line, Col: root.Column}
	if seen["scenario"] == nil {
		errs.Add(top, "missing key scenario: a shipped name or a path relative to this file")
	}
	if seen["outcomes"] == nil {
		errs.Add(top, "missing key outcomes: a list such as [ai.ssr_compute@2030]")
	}
	switch len(modes) {
	case 0:
		errs.Add(top, "missing design: want one of oat, grid or lhs")
	case 1:
	default:
		for _, m := range modes[1:] {
			errs.Add(at(m), "%s: a sweep has one design, and %s is given at line %d", m.Value, modes[0].Value, modes[0].Line)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return def, nil
}

func sweepNodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func sweepNodeText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return sweepNodeKind(n)
}

// Sweep is a sweep ready to run: what runs, its plan and its outcomes.
type Sweep struct {
	Name string
	// Scenario is what runs: the scenario, or a child of it that gives
	// the parameter paths of a grid distributions over the axes' ranges.
	Scenario *Scenario
	Plan     *study.Plan
	Outcomes []*outcome.Outcome
	// Columns are the inputs the results show: a grid's axes, else every
	// input of the scenario.
	Columns []int
	// AxisValue is, per grid axis, the scenario's own value of the input
	// (NaN when it has none).
	AxisValue []float64
	// Notes say what sweeping a parameter path means for this scenario
	// (a schedule held constant, events that change it too).
	Notes []string
	// Warnings are the scenario's loading warnings.
	Warnings []Warning
}

// Plan loads the sweep's scenario and resolves its outcomes, inputs and
// levels: every bad input is reported before anything runs.
func (def *SweepDef) Plan() (*Sweep, error) {
	s, err := Load(def.scenario.text)
	if err != nil {
		if def.file != "" && !errors.As(err, new(ErrorList)) {
			var el ErrorList
			el.Add(def.scenario.pos, "scenario: %v", err)
			return nil, el
		}
		return nil, err
	}
	sw := &Sweep{Name: s.Name, Scenario: s, Warnings: s.Warnings}
	var bad sweepProblems
	if def.mode == study.Grid {
		if err := sw.planGrid(def, s, &bad); err != nil {
			return nil, err
		}
	}
	// Outcomes are read the same way from the scenario and from the grid's
	// child of it: parse them against the scenario's model.
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	for _, it := range def.outcomes {
		oc, err := outcome.Parse(it.text, m)
		if err != nil {
			bad.add(sweepItem{pos: it.pos}, "%v", err)
			continue
		}
		sw.Outcomes = append(sw.Outcomes, oc)
	}
	if len(def.outcomes) == 0 {
		bad.add(sweepItem{what: "sweep"}, "want at least one outcome")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	switch def.mode {
	case study.OAT:
		sw.planOAT(def, &bad)
	case study.LHS:
		sw.planLHS(def, &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return sw, nil
}

// pathRange is a parameter path made an uncertain input over [lo, hi].
type pathRange struct {
	path   string
	lo, hi float64
}

// withUniform returns a child of s (loaded from ref) that gives each
// path a uniform distribution over its range, so that a Sampler sets it.
// The child sits beside the scenario's file under the name at, and
// extends it by a relative path; a shipped scenario is extended by name.
func (s *Scenario) withUniform(ref, at string, paths []pathRange) (*Scenario, error) {
	tree := map[string]any{}
	for _, a := range paths {
		parts := strings.Split(a.path, ".")
		node := tree
		for _, p := range parts[:len(parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = map[string]any{"dist": "uniform", "min": a.lo, "max": a.hi}
	}
	ext := ref
	if IsPath(ext) {
		at = filepath.Join(filepath.Dir(ext), at)
		ext = "./" + filepath.Base(ext)
	}
	tree["extends"] = ext
	tree["name"] = s.Name
	data, err := yaml.Marshal(tree)
	if err != nil {
		return nil, err
	}
	return Parse(at, data)
}

// sweepNoQuantities explains what a design over uncertain inputs needs.
func sweepNoQuantities(s *Scenario, design string) string {
	return fmt.Sprintf("%s: %s has no uncertain inputs: give a parameter or an event value as a distribution, such as learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}, or sweep parameters with --grid", design, s.File)
}

func (sw *Sweep) allColumns() {
	sw.Columns = nil
	for k := range sw.Scenario.Quantities() {
		sw.Columns = append(sw.Columns, k)
	}
}

func (sw *Sweep) planOAT(def *SweepDef, bad *sweepProblems) {
	if len(sw.Scenario.Quantities()) == 0 {
		bad.add(sweepItem{pos: def.scenario.pos}, "%s", sweepNoQuantities(sw.Scenario, "oat"))
		return
	}
	pl, ph, support, ok := parseSweepRange(def.rng.text)
	if !ok {
		bad.add(def.rng, "%q: want percentiles pA-pB with 0 ≤ A < B ≤ 100, such as p5-p95 or p10-p90, or min-max for each distribution's support", def.rng.text)
		return
	}
	plan, err := study.NewOAT(sw.Scenario.Inputs(), pl, ph, support)
	if err != nil {
		for _, e := range unjoin(err) {
			bad.add(def.rng, "%v", e)
		}
		return
	}
	sw.Plan = plan
	sw.allColumns()
}

// unjoin lists the errors errors.Join joined.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// parseSweepRange reads p5-p95 (as 0.05, 0.95) or min-max / support.
func parseSweepRange(s string) (lo, hi float64, support, ok bool) {
	switch s {
	case "min-max", "support":
		return 0, 1, true, true
	}
	a, b, found := strings.Cut(s, "-")
	if !found || !strings.HasPrefix(a, "p") || !strings.HasPrefix(b, "p") {
		return 0, 0, false, false
	}
	x, err1 := strconv.ParseFloat(a[1:], 64)
	y, err2 := strconv.ParseFloat(b[1:], 64)
	if err1 != nil || err2 != nil || !(x >= 0 && x < y && y <= 100) {
		return 0, 0, false, false
	}
	return x / 100, y / 100, false, true
}

func sweepTrim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (sw *Sweep) planLHS(def *SweepDef, bad *sweepProblems) {
	if len(sw.Scenario.Quantities()) == 0 {
		bad.add(sweepItem{pos: def.scenario.pos}, "%s", sweepNoQuantities(sw.Scenario, "lhs"))
		return
	}
	if def.runs < 1 {
		bad.add(def.runsAt, "want at least 1 run, got %d", def.runs)
		return
	}
	if def.runs > study.MaxRuns {
		bad.add(def.runsAt, "%d runs: at most %d (chipsim mc summarises any number of runs)", def.runs, study.MaxRuns)
		return
	}
	plan, err := study.NewLHS(sw.Scenario.Inputs(), def.runs, def.seed)
	if err != nil {
		bad.add(def.runsAt, "%v", err)
		return
	}
	sw.Plan = plan
	sw.allColumns()
}

// planGrid resolves the axes. A parameter path that is not an uncertain
// input becomes one: a child scenario in memory extends the original and
// gives the path a uniform distribution over the axis's range.
func (sw *Sweep) planGrid(def *SweepDef, s *Scenario, bad *sweepProblems) error {
	qs := s.Quantities()
	qByName := map[string]int{}
	var names []string
	for k, q := range qs {
		qByName[q.Name] = k
		names = append(names, q.Name)
	}
	fields := map[string]sim.Field{}
	for _, f := range s.Spec.Fields() {
		if f.Num != nil {
			fields[f.Path] = f
			if _, ok := qByName[f.Path]; !ok {
				names = append(names, f.Path)
			}
		}
	}
	type axisDef struct {
		spec   sweepGridSpec
		lo, hi float64
		path   bool // a parameter path made uncertain for the sweep
	}
	var axes []axisDef
	seen := map[string]bool{}
	runs := 1
	for _, g := range def.grid {
		name := g.name.text
		if seen[name] {
			bad.add(g.name, "%s is swept twice", name)
			continue
		}
		seen[name] = true
		if g.steps < 2 {
			bad.add(g.stepsAt, "%d levels: want at least 2", g.steps)
			continue
		}
		if runs > study.MaxRuns/g.steps {
			bad.add(g.stepsAt, "the grid has more than %d runs", study.MaxRuns)
			continue
		}
		runs *= g.steps
		if k, ok := qByName[name]; ok {
			q := qs[k]
			if q.Choices != nil {
				bad.add(g.name, "%s is a choice (%s), not a number: sweep it with --oat or --lhs", name, strings.Join(q.Choices, ", "))
				continue
			}
			lo, ok1 := sweepLevel(g.from, q, s, bad)
			hi, ok2 := sweepLevel(g.to, q, s, bad)
			if !ok1 || !ok2 {
				continue
			}
			if !(lo < hi) {
				bad.add(g.to, "%s: want from < to, got %s to %s", name, g.from.text, g.to.text)
				continue
			}
			slo, shi := q.Dist.Support()
			for _, v := range []struct {
				x  float64
				it sweepItem
			}{{lo, g.from}, {hi, g.to}} {
				if v.x < slo || v.x > shi {
					from := fmt.Sprintf("%s at %s", q.Dist, q.Pos)
					if q.Periods != nil {
						from = "set at " + q.Pos.String()
					}
					bad.add(v.it, "%s = %s is outside its distribution's range [%s, %s] (%s): the scenario does not allow it",
						name, q.Format(v.x), q.Format(slo), q.Format(shi), from)
				}
			}
			axes = append(axes, axisDef{spec: g, lo: lo, hi: hi})
			continue
		}
		f, ok := fields[name]
		if !ok {
			bad.add(g.name, "no uncertain input or numeric parameter %q%s (see chipsim params %s)", name, didYouMean(name, names), sweepRef(def.scenario.text))
			continue
		}
		if f.Def.Kind == sim.Enum {
			bad.add(g.name, "%s is a choice (%s), not a number: give it as a discrete distribution in the scenario and sweep it with --oat or --lhs", name, strings.Join(f.Def.Enum, ", "))
			continue
		}
		lo, ok1 := sweepNumber(g.from, bad)
		hi, ok2 := sweepNumber(g.to, bad)
		if !ok1 || !ok2 {
			continue
		}
		if !(lo < hi) {
			bad.add(g.to, "%s: want from < to, got %s to %s", name, g.from.text, g.to.text)
			continue
		}
		if lo < f.Def.Min {
			bad.add(g.from, "%s = %s is below its minimum %s (%s)", name, g.from.text, sweepTrim(f.Def.Min), f.Def.Unit)
			continue
		}
		if hi > f.Def.Max {
			bad.add(g.to, "%s = %s is above its maximum %s (%s)", name, g.to.text, sweepTrim(f.Def.Max), f.Def.Unit)
			continue
		}
		axes = append(axes, axisDef{spec: g, lo: lo, hi: hi, path: true})
	}
	if err := bad.err(); err != nil {
		return nil
	}
	// Give the paths distributions in a child scenario.
	var paths []axisDef
	for _, a := range axes {
		if a.path {
			paths = append(paths, a)
		}
	}
	scn := s
	if len(paths) > 0 {
		var ranges []pathRange
		for _, a := range paths {
			ranges = append(ranges, pathRange{a.spec.name.text, a.lo, a.hi})
		}
		child, err := s.withUniform(def.scenario.text, "--grid", ranges)
		if err != nil {
			return fmt.Errorf("sweep: the scenario with the grid's parameters as inputs does not load: %w", err)
		}
		scn = child
		for _, a := range paths {
			sw.notePath(s, a.spec.name.text)
		}
	}
	sw.Scenario = scn
	var grid []study.Axis
	cqs := scn.Quantities()
	idx := map[string]int{}
	for k, q := range cqs {
		idx[q.Name] = k
	}
	for _, a := range axes {
		k, ok := idx[a.spec.name.text]
		if !ok {
			return fmt.Errorf("sweep: %s is not an input of the scenario built for the grid", a.spec.name.text)
		}
		q := cqs[k]
		lv, err := uq.EvenLevels(a.lo, a.hi, a.spec.steps)
		if err != nil {
			bad.add(a.spec.stepsAt, "%v", err)
			continue
		}
		whole := q.Periods != nil || q.Unit == "periods"
		for i := range lv {
			lv[i] = sweepCleanLevel(lv[i])
			if whole {
				lv[i] = math.Round(lv[i])
				if i > 0 && lv[i] == lv[i-1] {
					bad.add(a.spec.stepsAt, "%s: %d levels from %s to %s would repeat periods: at most %d", q.Name, a.spec.steps, a.spec.from.text, a.spec.to.text, int(a.hi-a.lo)+1)
					break
				}
			}
		}
		value := q.Dist.Quantile(0.5)
		if a.path {
			value = sweepWrittenValue(s, q.Name)
		}
		grid = append(grid, study.Axis{Input: k, Levels: lv})
		sw.AxisValue = append(sw.AxisValue, value)
		sw.Columns = append(sw.Columns, k)
	}
	if err := bad.err(); err != nil {
		return nil
	}
	plan, err := study.NewGrid(scn.Inputs(), grid)
	if err != nil {
		bad.add(sweepItem{what: "grid"}, "%v", err)
		return nil
	}
	sw.Plan = plan
	return nil
}

// sweepRef is a scenario reference as chipsim params takes it.
func sweepRef(ref string) string {
	if strings.ContainsAny(ref, " \t") {
		return strconv.Quote(ref)
	}
	return ref
}

// sweepCleanLevel drops floating-point noise from a grid level (0.7000000000000001
// is 0.7), so that the value run is the value printed.
func sweepCleanLevel(v float64) float64 {
	x, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return x
}

func sweepNumber(it sweepItem, bad *sweepProblems) (float64, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(it.text, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		bad.add(it, "%q is not a number", it.text)
		return 0, false
	}
	return v, true
}

// sweepLevel reads a level of an uncertain input: a period for an event
// start, else a number.
func sweepLevel(it sweepItem, q *Quantity, s *Scenario, bad *sweepProblems) (float64, bool) {
	if q.Periods == nil {
		return sweepNumber(it, bad)
	}
	cal := s.Spec.Calendar
	lo, _ := q.Dist.Support()
	example := q.Format(lo)
	m, _, err := sim.ParseMonth(it.text)
	if err != nil {
		bad.add(it, "%s starts in a period: want a period such as %s, got %q", q.Name, example, it.text)
		return 0, false
	}
	t := cal.Index(m)
	switch {
	case !cal.Step.Aligned(m):
		bad.add(it, "%s: %s does not start a %s of the run: want a period such as %s", q.Name, it.text, cal.Step, example)
		return 0, false
	case t < 0 || t >= cal.N:
		bad.add(it, "%s: %s is outside the run (%s to %s)", q.Name, it.text, cal.Label(0), cal.Label(cal.N-1))
		return 0, false
	}
	return float64(t), true
}

// sweepWrittenValue is a parameter's value as the scenario writes it when it is
// one number, else NaN.
func sweepWrittenValue(s *Scenario, path string) float64 {
	v := s.Values[path]
	if v == nil || v.Node == nil || v.Node.Kind != yaml.ScalarNode {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(v.Node.Value, "_", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// notePath tells what sweeping a parameter path means when the scenario
// gives it a schedule or events change it.
func (sw *Sweep) notePath(s *Scenario, path string) {
	sw.Notes = append(sw.Notes, pathNotes(s, path, "the sweep holds it constant at each level", "the sweep")...)
}

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

// run runs every point of the sweep on workers, each with its own sampler,
// and returns the outcomes by run: y[run*len(outcomes)+k].
