package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// Assumption is one parameter a scenario file sets, as a report lists it.
type Assumption struct {
	Path    string // parameter path, such as demand.growth
	Value   string // the value as written, on one line
	Unit    string
	Meaning string // the parameter's documentation
	Source  string // the comment beside the value: where the number comes from
	Where   string // file:line of the value
	// Default is the value, as written, that this scenario's parent gives
	// the parameter and this file replaces; empty for a root scenario, and
	// for a parameter the parent does not set.
	Default string
}

// Assumptions lists the parameters this scenario sets differently from the
// scenario it extends, in the order of Spec.Fields. A root scenario (one
// without extends) sets every parameter, so all of them are listed. Values
// a parent file sets are the parent's assumptions, and changes that policy
// events make belong to the timeline, so neither is listed here.
func (s *Scenario) Assumptions() []Assumption {
	root := len(s.Chain) <= 1
	var out []Assumption
	for _, f := range s.Spec.Fields() {
		v := s.Values[f.Path]
		if v == nil {
			continue // optional and not set by any file
		}
		a := Assumption{
			Path:    f.Path,
			Value:   NodeText(v.Node),
			Source:  v.Source,
			Where:   fmt.Sprintf("%s:%d", v.Pos.File, v.Pos.Line),
			Unit:    unitOf(f.Def),
			Meaning: f.Def.Doc,
		}
		if root {
			out = append(out, a)
			continue
		}
		if v.Pos.File != s.File {
			continue // inherited unchanged
		}
		h := s.History[f.Path]
		if len(h) >= 2 {
			prev := h[len(h)-2]
			if sameNode(prev.Node, v.Node) {
				continue // restated, not changed
			}
			a.Default = NodeText(prev.Node)
		}
		out = append(out, a)
	}
	return out
}

// unitOf names a parameter's unit; for a parameter without one, its kind:
// the choices of a choice ("poisson | murphy"), or text, period or
// true/false.
func unitOf(d *sim.FieldDef) string {
	switch {
	case d.Kind == sim.Enum:
		return strings.Join(d.Enum, " | ")
	case d.Unit == "":
		return d.Kind.String()
	}
	return d.Unit
}

// sameNode reports whether two values as written mean the same: equal
// text, or equal numbers written differently (0.30 and 0.3), or equal
// schedules of such values.
func sameNode(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.ScalarNode {
		if a.Value == b.Value {
			return true
		}
		x, errx := strconv.ParseFloat(strings.ReplaceAll(a.Value, "_", ""), 64)
		y, erry := strconv.ParseFloat(strings.ReplaceAll(b.Value, "_", ""), 64)
		return errx == nil && erry == nil && x == y
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}
