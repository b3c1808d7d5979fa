package scenarios

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/chipsim/chipsim/sim"
)

// Warning is something in a valid scenario that a reader should look at:
// the scenario loads and runs as written, but probably not as meant.
type Warning struct {
	Pos Pos
	Msg string
}

// String formats w as file:line:col: warning: message.
func (w Warning) String() string { return w.Pos.String() + ": warning: " + w.Msg }

// auditOverrides warns about schedule keys that never take effect: a key
// whose period an event of the same file, begun earlier, sets over. Such
// a key reads as a change in the file but changes nothing (issue 7 found
// the baseline's 2025 entity-listing step hidden this way). Events of a
// child file that set over a parent's schedule are what extends is for,
// and are not reported.
func (s *Scenario) auditOverrides() {
	cal := s.Spec.Calendar
	paths := make([]string, 0, len(s.touched))
	for p := range s.touched {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		v := s.Values[path]
		if v == nil || v.Node == nil || v.Node.Kind != yaml.MappingNode {
			continue
		}
		keys := v.Node
		if len(keys.Content) == 2 && keys.Content[0].Value == "linear" {
			keys = keys.Content[1]
		}
		for k := 2; k+1 < len(keys.Content); k += 2 { // the first key starts the run
			kn := keys.Content[k]
			m, _, err := sim.ParseMonth(kn.Value)
			if err != nil {
				continue
			}
			t := cal.Index(m)
			if t < 0 || t >= cal.N {
				continue
			}
			j := s.touched[path][t]
			if j < 0 {
				continue
			}
			ev := s.Events[j]
			if ev.Pos.File != v.Pos.File || ev.At >= m || !setsPath(ev, path) {
				continue
			}
			name := ev.Name
			if name == "" {
				name = eventName(ev, j)
			}
			s.Warnings = append(s.Warnings, Warning{
				Pos: Pos{File: v.Pos.File, Line: kn.Line, Col: kn.Column},
				Msg: fmt.Sprintf("%s: schedule key %s never takes effect: event %q (line %d), from %s, sets %s over it; give the event an end, or write the change as an event",
					path, kn.Value, name, ev.Pos.Line, cal.Step.Label(ev.At), path),
			})
		}
	}
}

// setsPath reports whether ev sets path (rather than scaling or adding
// to it, which leaves the schedule's own changes in place).
func setsPath(ev *Event, path string) bool {
	for _, op := range ev.Ops {
		if op.Kind != "set" {
			continue
		}
		if op.Path == path {
			return true
		}
		for _, p := range op.Targets {
			if p == path {
				return true
			}
		}
	}
	return false
}
