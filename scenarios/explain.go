package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// Field returns the parameter at path, or an error naming the nearest
// valid paths.
func (s *Scenario) Field(path string) (sim.Field, error) {
	var paths []string
	for _, f := range s.Spec.Fields() {
		if f.Path == path {
			return f, nil
		}
		paths = append(paths, f.Path)
	}
	return sim.Field{}, fmt.Errorf("%s has no parameter %s%s", s.Name, path, nearestPaths(path, paths))
}

// Span is a run of periods over which a parameter keeps one value set by
// one file or event.
type Span struct {
	From, To int // periods, inclusive
	Value    string
	By       string
}

// Explanation tells where a parameter's value comes from, period by period.
type Explanation struct {
	Field    sim.Field
	Settings []*Value // the files of the extends chain that set it, root first
	Spans    []Span
}

// Explain resolves path and tells which file and line, through the extends
// chain, or which policy event, set its value in each period.
func (s *Scenario) Explain(path string) (*Explanation, error) {
	f, err := s.Field(path)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Field: f, Settings: s.History[path]}
	base := "not set"
	if v := s.Values[path]; v != nil {
		base = "base value, " + v.Pos.String()
	}
	cal := s.Spec.Calendar
	n := 1
	if f.Num != nil {
		n = cal.N
	}
	tr := s.touched[path]
	for t := 0; t < n; t++ {
		by := base
		if tr != nil && tr[t] >= 0 {
			ev := s.Events[tr[t]]
			switch {
			case ev.AtDay.Day == 0:
				by = fmt.Sprintf("event %q at %s, %s", ev.Name, cal.Step.Label(ev.At), ev.Pos)
			case t == cal.Index(ev.At) && f.Def.Blended:
				by = fmt.Sprintf("event %q from %s (the days before run on the earlier value), %s", ev.Name, ev.AtDay, ev.Pos)
			case t == cal.Index(ev.At):
				by = fmt.Sprintf("event %q from %s (in proportion to the days it covers), %s", ev.Name, ev.AtDay, ev.Pos)
			default:
				by = fmt.Sprintf("event %q from %s, %s", ev.Name, ev.AtDay, ev.Pos)
			}
		}
		val := FieldValue(f, t)
		if k := len(ex.Spans); k > 0 && ex.Spans[k-1].Value == val && ex.Spans[k-1].By == by {
			ex.Spans[k-1].To = t
			continue
		}
		ex.Spans = append(ex.Spans, Span{From: t, To: t, Value: val, By: by})
	}
	return ex, nil
}

// FieldValue formats a parameter's value in period t (fixed kinds ignore t).
func FieldValue(f sim.Field, t int) string {
	switch {
	case f.Str != nil:
		return *f.Str
	case f.Date != nil:
		return sim.Monthly.Label(*f.Date)
	case f.Flag != nil:
		return strconv.FormatBool(*f.Flag)
	}
	return FormatNumber(f.Def, (*f.Num)[t])
}

// FormatNumber formats a number or choice of the given field.
func FormatNumber(d *sim.FieldDef, v float64) string {
	if d.Kind == sim.Enum {
		return d.Enum[int(v)]
	}
	if math.IsInf(v, 1) {
		return ".inf"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// Summary describes a parameter's values over the run in one line: the
// value when it never changes, otherwise its changes by period.
func Summary(f sim.Field, cal sim.Calendar) string {
	if f.Num == nil {
		return FieldValue(f, 0)
	}
	var parts []string
	prev := ""
	for t := 0; t < cal.N; t++ {
		v := FieldValue(f, t)
		if v != prev {
			parts = append(parts, cal.Label(t)+": "+v)
			prev = v
		}
	}
	if len(parts) == 1 {
		return FieldValue(f, 0)
	}
	if len(parts) > 6 {
		return fmt.Sprintf("%s … %s (%d changes)", parts[0], parts[len(parts)-1], len(parts)-1)
	}
	return strings.Join(parts, ", ")
}

// NodeText renders a value as written, on one line: 0.3, or a schedule
// such as {2022Q1: 0.75, 2026Q1: 0.4}.
func NodeText(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, NodeText(n.Content[i])+": "+NodeText(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, NodeText(c))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return n.Value
}
