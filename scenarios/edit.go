package scenarios

import (
	"fmt"
	"strconv"

	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// Edits change a scenario's policy timeline the way the explorer's
// controls do: events turned off, events moved, and what-if changes
// applied after every event. A file that does the same gives the same
// numbers: the events it leaves out, the starts it writes and, last in
// its events list, an event for each change from its period on.
type Edits struct {
	// Off turns events off, by their index in Scenario.Events.
	Off map[int]bool
	// At moves events, by index in Scenario.Events, to start in another
	// period; an end or a day-dated start moves with the start. An event
	// whose start is uncertain cannot be moved: its start is an input
	// (EVENT.at) that a Sampler sets.
	At map[int]sim.Month
	// Changes are applied after every event, each from its period to
	// the run's end.
	Changes []Change
}

// Change is a what-if on one parameter from a period to the run's end:
// set it to a value, or scale it by a factor.
type Change struct {
	Path  string    // a parameter path, as chipsim params lists them
	Kind  string    // "set" or "scale"
	Value string    // a number, or for set on a choice the choice's name
	From  sim.Month // the first period it acts in; 0 for the run's first
}

// Edit returns the scenario rebuilt with e, from what its files resolved
// to (nothing is read again); s is unchanged. An edit the scenario cannot
// take (an index out of range, a moved event with an uncertain start, a
// start outside the run, an unknown path or a value out of range) is an
// error naming it.
func (s *Scenario) Edit(e Edits) (*Scenario, error) {
	if s.merged == nil {
		return nil, fmt.Errorf("%s: scenario not built by Load or Parse", s.Name)
	}
	m := *s.merged
	m.events = nil
	for i := range e.Off {
		if i < 0 || i >= len(s.Events) {
			return nil, fmt.Errorf("%s: no event %d to turn off (the scenario has %d)", s.Name, i, len(s.Events))
		}
	}
	for i, at := range e.At {
		if i < 0 || i >= len(s.Events) {
			return nil, fmt.Errorf("%s: no event %d to move (the scenario has %d)", s.Name, i, len(s.Events))
		}
		if s.Events[i].atMonths != nil {
			return nil, fmt.Errorf("%s: event %q has an uncertain start: set its input %s.at instead of moving it", s.Name, s.Events[i].Name, eventName(s.Events[i], i))
		}
		if t := s.Spec.Calendar.Index(at); t < 0 || t >= s.Spec.Calendar.N || !s.Spec.Calendar.Step.Aligned(at) {
			return nil, fmt.Errorf("%s: event %q cannot start in %s: want a period of the run (%s to %s)", s.Name, s.Events[i].Name, sim.Monthly.Label(at), s.Spec.Calendar.Label(0), s.Spec.Calendar.Label(s.Spec.Calendar.N-1))
		}
	}
	for i, ev := range s.merged.events {
		if e.Off[i] {
			continue
		}
		if at, ok := e.At[i]; ok {
			ev = moved(ev, at, s.Spec.Calendar)
		}
		m.events = append(m.events, ev)
	}
	for k, c := range e.Changes {
		if c.Kind != "set" && c.Kind != "scale" {
			return nil, fmt.Errorf("%s: change %d (%s): kind %q, want set or scale", s.Name, k+1, c.Path, c.Kind)
		}
		if _, err := strconv.ParseFloat(c.Value, 64); err != nil && c.Kind == "scale" {
			return nil, fmt.Errorf("%s: change %d (%s): scale by %q, want a number", s.Name, k+1, c.Path, c.Value)
		}
		from := c.From
		if from == 0 {
			from = s.Spec.Calendar.Month(0)
		}
		if t := s.Spec.Calendar.Index(from); t < 0 || t >= s.Spec.Calendar.N || !s.Spec.Calendar.Step.Aligned(from) {
			return nil, fmt.Errorf("%s: change %d (%s) cannot start in %s: want a period of the run", s.Name, k+1, c.Path, sim.Monthly.Label(from))
		}
		where := Pos{File: "what-if", Line: k + 1, Col: 1}
		node := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c.Value, Line: k + 1, Column: 1}
		if _, err := strconv.ParseFloat(c.Value, 64); err == nil {
			node.Tag = "!!float"
		}
		m.events = append(m.events, &Event{
			Name: fmt.Sprintf("what-if: %s %s %s", c.Kind, c.Path, c.Value), Kind: c.Kind, Pos: where,
			At: from, Source: "explorer", ID: fmt.Sprintf("whatif%d", k+1),
			Ops: []Op{{Path: c.Path, Kind: c.Kind, Node: node, Pos: where}},
		})
	}
	var errs ErrorList
	out := build(&m, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	out.merged = &m
	return out, nil
}

// moved returns a copy of ev starting at month at (a period start), its
// end and day-dated start moved by as many months.
func moved(ev *Event, at sim.Month, cal sim.Calendar) *Event {
	c := *ev
	c.Ops = append([]Op(nil), ev.Ops...)
	shift := at - ev.At
	c.At = at
	if c.AtDay.Day != 0 {
		c.AtDay.Month += shift
		c.At = c.AtDay.Month
	}
	if c.HasEnd {
		c.End += shift
		if c.EndDay.Day != 0 {
			c.EndDay.Month += shift
		}
	}
	return &c
}
