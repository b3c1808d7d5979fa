package cmdutil

import (
	"fmt"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
)

// Execute compiles and runs a scenario and returns its results with what
// outputs need to describe them.
func Execute(s *scenarios.Scenario) (*output.Run, error) {
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	r := m.NewResult()
	m.Run(r)
	if err := r.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: the run failed: %w", s.Name, err)
	}
	run := &output.Run{Scenario: s.Name, Description: s.Description, Chain: s.Chain, Events: events(s), Result: r}
	for _, p := range s.Spec.Products {
		run.Products = append(run.Products, output.Product{ID: p.ID, Vendor: p.Vendor, Origin: p.Origin})
	}
	return run, nil
}

// events lists a scenario's policy timeline for reports.
func events(s *scenarios.Scenario) []output.Event {
	var out []output.Event
	cal := s.Spec.Calendar
	for _, e := range s.Events {
		out = append(out, output.Event{Period: cal.Step.Label(e.At), Name: e.Name, Source: e.Source, Where: e.Pos.String()})
	}
	return out
}
