package check

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// Sections are the top-level keys of a checks file.
var Sections = []string{"history", "comparisons", "bindings", "invariants"}

// IsChecks reports whether YAML text is a checks file rather than a
// scenario: its top level has one of Sections and no time key.
func IsChecks(data []byte) bool {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	root := doc.Content[0]
	found := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch k := root.Content[i].Value; {
		case k == "time":
			return false
		case contains(Sections, k):
			found = true
		}
	}
	return found
}

// parser reads one checks file, collecting every problem.
type parser struct {
	name string
	errs scenarios.ErrorList
}

func (p *parser) pos(n *yaml.Node) scenarios.Pos {
	return scenarios.Pos{File: p.name, Line: n.Line, Col: n.Column}
}

func (p *parser) add(n *yaml.Node, format string, a ...any) { p.errs.Add(p.pos(n), format, a...) }

// Parse reads a checks file's text; name is used in messages. Problems come
// back together as a scenarios.ErrorList, each with its position.
func Parse(name string, data []byte) (*File, error) {
	p := &parser{name: name}
	f := &File{Name: name}
	root, err := scenarios.DecodeYAML(name, "a checks file", data)
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		p.errs = append(p.errs, el...)
	}
	switch {
	case err != nil && root == nil:
		return nil, err
	case root == nil:
		p.errs.Add(scenarios.Pos{File: name, Line: 1, Col: 1}, "empty file: want a mapping with %s", strings.Join(Sections, ", "))
		return nil, p.errs.Err()
	case root.Kind != yaml.MappingNode:
		p.errs.Add(scenarios.Pos{File: name, Line: 1, Col: 1}, "want a mapping with %s", strings.Join(Sections, ", "))
		return nil, p.errs.Err()
	}
	ids := map[string]scenarios.Pos{}
	p.pairs(root, func(key string, k, v *yaml.Node) {
		if key == "history_ends" {
			f.HistoryEnds, _ = p.when("checks file", "history_ends", v)
			return
		}
		if !contains(Sections, key) {
			keys := append(append([]string(nil), Sections...), "history_ends")
			p.add(k, "unknown key %s%s; want %s", key, scenarios.DidYouMean(key, keys), strings.Join(keys, ", "))
			return
		}
		if v.Kind != yaml.SequenceNode {
			p.add(v, "%s: want a list, got %s", key, scenarios.KindName(v))
			return
		}
		for _, e := range v.Content {
			if e.Kind != yaml.MappingNode {
				p.add(e, "%s: want a mapping for each check, got %s", key, scenarios.KindName(e))
				continue
			}
			var id string
			var at *yaml.Node
			switch key {
			case "history":
				if o := p.observation(e); o != nil {
					f.History = append(f.History, o)
					id, at = o.ID, e
				}
			case "comparisons":
				if c := p.comparison(e); c != nil {
					f.Comparisons = append(f.Comparisons, c)
					id, at = c.ID, e
				}
			case "bindings":
				if b := p.binding(e); b != nil {
					f.Bindings = append(f.Bindings, b)
					id, at = b.ID, e
				}
			case "invariants":
				if in := p.invariant(e); in != nil {
					f.Invariants = append(f.Invariants, in)
					id, at = in.ID, e
				}
			}
			if at != nil {
				if prev, dup := ids[id]; dup {
					p.add(at, "check id %s is used twice (first at line %d); give it an id: key", id, prev.Line)
				} else {
					ids[id] = p.pos(at)
				}
			}
		}
	})
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// fields reads a check's keys: each key of want is stored in out; a key
// not in want is an error. It reports false when a problem was found; the
// caller still checks the keys that are there, so that a misspelt or
// missing key is reported with the bad values of the others.
func (p *parser) fields(what string, n *yaml.Node, want []string, required []string) (map[string]*yaml.Node, bool) {
	out := map[string]*yaml.Node{}
	ok := true
	p.pairs(n, func(key string, k, v *yaml.Node) {
		if !contains(want, key) {
			p.add(k, "%s: unknown key %s%s; want %s", what, key, scenarios.DidYouMean(key, want), strings.Join(want, ", "))
			ok = false
			return
		}
		out[key] = v
	})
	for _, r := range required {
		if out[r] == nil {
			p.add(n, "%s: missing key %s", what, r)
			ok = false
		}
	}
	return out, ok
}

func (p *parser) text(what, key string, n *yaml.Node) (string, bool) {
	if n == nil {
		return "", true
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		p.add(n, "%s: %s: want text, got %s", what, key, scenarios.KindName(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) number(what, key string, n *yaml.Node) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
	}
	p.add(n, "%s: %s: want a finite number, got %s", what, key, scenarios.KindName(n))
	return 0, false
}

// share reads a share written as 0.3 or 30%.
func (p *parser) share(what, key string, n *yaml.Node) (float64, bool) {
	if n.Kind == yaml.ScalarNode && strings.HasSuffix(n.Value, "%") {
		v, err := strconv.ParseFloat(strings.TrimSuffix(n.Value, "%"), 64)
		if err == nil && v >= 0 && v <= 1000 {
			return v / 100, true
		}
		p.add(n, "%s: %s: %q is not a percentage", what, key, n.Value)
		return 0, false
	}
	v, ok := p.number(what, key, n)
	if ok && v < 0 {
		p.add(n, "%s: %s: %v is negative", what, key, v)
		return 0, false
	}
	return v, ok
}

// when checks a period or year as written in checks files.
func (p *parser) when(what, key string, n *yaml.Node) (string, bool) {
	s, ok := p.text(what, key, n)
	if !ok || s == "" {
		return s, ok
	}
	if _, _, err := sim.ParseMonth(s); err != nil {
		p.add(n, "%s: %s: %q is not a year or period: want 2025, 2025Q3 or 2025-07", what, key, s)
		return "", false
	}
	return s, true
}

// ordered reports whether a span's to does not end before its from starts
// (both already valid, or empty).
func (p *parser) ordered(what, from, to string, n *yaml.Node) bool {
	if from == "" || to == "" {
		return true
	}
	a, _, _ := sim.ParseMonth(from)
	b, step, _ := sim.ParseMonth(to)
	if b+sim.Month(step)-1 < a {
		p.add(n, "%s: to: %s ends before from (%s) starts", what, to, from)
		return false
	}
	return true
}

func (p *parser) metric(what string, n *yaml.Node) (string, bool) {
	if n == nil {
		return "", false // missing, and reported
	}
	s, ok := p.text(what, "metric", n)
	if !ok {
		return "", false
	}
	if _, found := sim.MetricByName(s); !found {
		var names []string
		for _, m := range sim.Metrics {
			names = append(names, m.Name)
		}
		p.add(n, "%s: unknown metric %s%s; chipsim run's CSV lists every metric", what, s, scenarios.DidYouMean(s, names))
		return "", false
	}
	return s, true
}

var obsKeys = []string{"id", "scenario", "metric", "entity", "period", "value", "tolerance", "min", "max", "source", "note"}

func (p *parser) observation(n *yaml.Node) *Observation {
	fs, keysOK := p.fields("history", n, obsKeys, []string{"metric", "period", "source"})
	o := &Observation{Pos: p.pos(n), Scenario: "baseline", Entity: "all"}
	var good [8]bool
	o.Metric, good[0] = p.metric("history", fs["metric"])
	o.Period, good[1] = p.when("history", "period", fs["period"])
	o.Source, good[2] = p.text("history", "source", fs["source"])
	o.Note, good[3] = p.text("history", "note", fs["note"])
	if s, g := p.text("history", "scenario", fs["scenario"]); g && s != "" {
		o.Scenario = s
	} else if !g {
		return nil
	}
	if s, g := p.text("history", "entity", fs["entity"]); g && s != "" {
		o.Entity = s
	} else if !g {
		return nil
	}
	good[4], good[5], good[6], good[7] = true, true, true, true
	v, tol, lo, hi := fs["value"], fs["tolerance"], fs["min"], fs["max"]
	switch {
	case v != nil && (lo != nil || hi != nil):
		p.add(n, "history: give value with tolerance, or min and max, not both")
		return nil
	case v != nil:
		o.Value, good[4] = p.number("history", "value", v)
		if tol == nil {
			p.add(v, "history: value needs a tolerance: an absolute number or a percentage such as 15%%")
			return nil
		}
		if tol.Kind == yaml.ScalarNode && strings.HasSuffix(tol.Value, "%") {
			r, g := p.share("history", "tolerance", tol)
			good[5] = g
			o.Lo, o.Hi = o.Value-math.Abs(o.Value)*r, o.Value+math.Abs(o.Value)*r
		} else {
			a, g := p.number("history", "tolerance", tol)
			good[5] = g && a >= 0
			if g && a < 0 {
				p.add(tol, "history: tolerance %v is negative", a)
			}
			o.Lo, o.Hi = o.Value-a, o.Value+a
		}
		o.Tolerance = tol.Value
	case lo != nil || hi != nil:
		if tol != nil {
			p.add(tol, "history: tolerance goes with value, not with min and max")
			return nil
		}
		o.Lo, o.Hi = math.Inf(-1), math.Inf(1)
		if lo != nil {
			o.Lo, good[4] = p.number("history", "min", lo)
		}
		if hi != nil {
			o.Hi, good[5] = p.number("history", "max", hi)
		}
		if good[4] && good[5] && o.Lo > o.Hi {
			p.add(n, "history: min %v is above max %v", o.Lo, o.Hi)
			return nil
		}
		o.Value = (o.Lo + o.Hi) / 2
		if math.IsInf(o.Value, 0) || math.IsNaN(o.Value) {
			o.Value = math.NaN()
		}
	default:
		p.add(n, "history: missing key value (with tolerance), or min and max")
		return nil
	}
	for _, g := range good {
		if !g {
			return nil
		}
	}
	if !keysOK {
		return nil
	}
	def := o.Metric + bracket(o.Entity) + "@" + o.Period
	if o.Scenario != "baseline" {
		def = o.Scenario + ":" + def
	}
	o.ID = p.id(fs["id"], def)
	return o
}

func bracket(entity string) string {
	if entity == "all" {
		return ""
	}
	return "[" + entity + "]"
}

func (p *parser) id(n *yaml.Node, def string) string {
	if n == nil {
		return def
	}
	s, ok := p.text("check", "id", n)
	if !ok {
		return def
	}
	return s
}

var cmpKeys = []string{"id", "story", "scenario", "against", "outcome", "expect", "by_at_least", "source"}

func (p *parser) comparison(n *yaml.Node) *Comparison {
	fs, keysOK := p.fields("comparison", n, cmpKeys, []string{"id", "scenario", "outcome", "expect"})
	c := &Comparison{Pos: p.pos(n), Against: "baseline"}
	var good [7]bool
	c.ID, good[0] = p.text("comparison", "id", fs["id"])
	c.Scenario, good[1] = p.text("comparison", "scenario", fs["scenario"])
	c.Outcome, good[2] = p.text("comparison", "outcome", fs["outcome"])
	c.Story, good[3] = p.text("comparison", "story", fs["story"])
	c.Source, good[4] = p.text("comparison", "source", fs["source"])
	if s, g := p.text("comparison", "against", fs["against"]); g && s != "" {
		c.Against = s
	}
	good[5] = true
	if x := fs["by_at_least"]; x != nil {
		c.ByAtLeast, good[5] = p.share("comparison", "by_at_least", x)
	}
	e, g := p.text("comparison", "expect", fs["expect"])
	good[6] = g
	if fs["expect"] != nil && g && e != "higher" && e != "lower" {
		p.add(fs["expect"], "comparison: expect: %q; want higher or lower", e)
		return nil
	}
	c.Expect = e
	for _, g := range good {
		if !g {
			return nil
		}
	}
	if !keysOK {
		return nil
	}
	return c
}

var bindKeys = []string{"id", "scenario", "product", "process", "constraint", "from", "to", "at_least", "source"}

func (p *parser) binding(n *yaml.Node) *Binding {
	fs, keysOK := p.fields("binding", n, bindKeys, []string{"constraint", "from", "to", "source"})
	b := &Binding{Pos: p.pos(n), Scenario: "baseline", AtLeast: 0}
	var good [8]bool
	b.Product, good[0] = p.text("binding", "product", fs["product"])
	b.Process, good[1] = p.text("binding", "process", fs["process"])
	b.From, good[2] = p.when("binding", "from", fs["from"])
	b.To, good[3] = p.when("binding", "to", fs["to"])
	good[3] = good[3] && p.ordered("binding", b.From, b.To, fs["to"])
	b.Source, good[4] = p.text("binding", "source", fs["source"])
	if s, g := p.text("binding", "scenario", fs["scenario"]); g && s != "" {
		b.Scenario = s
	}
	good[5] = true
	if x := fs["at_least"]; x != nil {
		b.AtLeast, good[5] = p.share("binding", "at_least", x)
		if good[5] && b.AtLeast > 1 {
			p.add(x, "binding: at_least %v is above 100%%", b.AtLeast)
			good[5] = false
		}
	}
	b.Constraint, good[6] = p.text("binding", "constraint", fs["constraint"])
	if fs["constraint"] != nil && good[6] && !contains(Constraints, b.Constraint) {
		p.add(fs["constraint"], "binding: constraint %q%s; want %s", b.Constraint, scenarios.DidYouMean(b.Constraint, Constraints), strings.Join(Constraints, ", "))
		return nil
	}
	good[7] = true
	switch {
	case (b.Product == "") == (b.Process == ""):
		p.add(n, "binding: give product or process (one of them)")
		good[7] = false
	case fs["constraint"] == nil: // missing, and reported
	case b.Process != "" && b.Constraint != "foundry":
		p.add(fs["constraint"], "binding: a process takes constraint foundry (its AI wafers all used)")
		good[7] = false
	case b.Product != "" && b.Constraint == "foundry":
		p.add(fs["constraint"], "binding: for a product, the foundry shows as constraint dies")
		good[7] = false
	}
	for _, g := range good {
		if !g {
			return nil
		}
	}
	if !keysOK {
		return nil
	}
	def := b.Product + b.Process + ":" + b.Constraint + "@" + b.From + ".." + b.To
	if b.Scenario != "baseline" {
		def = b.Scenario + ":" + def
	}
	b.ID = p.id(fs["id"], def)
	return b
}

var invKeys = []string{"id", "story", "rule", "metrics", "limit", "scenarios", "from", "to", "source"}

func (p *parser) invariant(n *yaml.Node) *Invariant {
	fs, keysOK := p.fields("invariant", n, invKeys, []string{"id", "rule"})
	in := &Invariant{Pos: p.pos(n)}
	var good [8]bool
	in.ID, good[0] = p.text("invariant", "id", fs["id"])
	in.Story, good[1] = p.text("invariant", "story", fs["story"])
	in.From, good[2] = p.when("invariant", "from", fs["from"])
	in.To, good[3] = p.when("invariant", "to", fs["to"])
	good[3] = good[3] && p.ordered("invariant", in.From, in.To, fs["to"])
	in.Source, good[4] = p.text("invariant", "source", fs["source"])
	in.Rule, good[5] = p.text("invariant", "rule", fs["rule"])
	if good[5] && fs["rule"] != nil {
		if _, known := Rules[in.Rule]; !known {
			var names []string
			for k := range Rules {
				names = append(names, k)
			}
			sort.Strings(names)
			p.add(fs["rule"], "invariant: rule %q%s; want %s", in.Rule, scenarios.DidYouMean(in.Rule, names), strings.Join(names, ", "))
			good[5] = false
		}
	}
	// What the rule needs is checked only for a known rule; the values
	// given are checked in any case.
	ruleOK := good[5] && fs["rule"] != nil
	good[6] = true
	needsMetrics := ruleOK && in.Rule != "max_inventory_months"
	if m := fs["metrics"]; m != nil {
		if m.Kind != yaml.SequenceNode || len(m.Content) == 0 {
			p.add(m, "invariant: metrics: want a list of one or more metric names, got %s", scenarios.KindName(m))
			good[6] = false
		} else {
			for _, e := range m.Content {
				name, g := p.metric("invariant", e)
				good[6] = good[6] && g
				in.Metrics = append(in.Metrics, name)
			}
		}
	} else if needsMetrics {
		p.add(n, "invariant: rule %s needs metrics", in.Rule)
		good[6] = false
	}
	good[7] = true
	if l := fs["limit"]; l != nil {
		in.Limit, good[7] = p.share("invariant", "limit", l)
	} else if ruleOK && in.Rule != "nondecreasing" {
		p.add(n, "invariant: rule %s needs a limit", in.Rule)
		good[7] = false
	}
	if s := fs["scenarios"]; s != nil {
		if s.Kind != yaml.SequenceNode || len(s.Content) == 0 {
			p.add(s, "invariant: scenarios: want a list of one or more scenario names or files (leave the key out for every shipped scenario), got %s", scenarios.KindName(s))
			return nil
		}
		for _, e := range s.Content {
			name, g := p.text("invariant", "scenarios", e)
			if !g {
				return nil
			}
			in.Scenarios = append(in.Scenarios, name)
		}
	}
	for _, g := range good {
		if !g {
			return nil
		}
	}
	if !keysOK {
		return nil
	}
	return in
}

// pairs walks a mapping's key/value pairs, reporting duplicate keys.
func (p *parser) pairs(n *yaml.Node, f func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.add(k, "want a plain key, got %s", scenarios.KindName(k))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.add(k, "key %s is set twice (first on line %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		f(k.Value, k, v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
