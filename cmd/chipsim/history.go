package main

import (
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios/check"
)

// shippedHistory returns the shipped checks' facts of history (those
// written for the baseline, whose history every shipped scenario keeps) as
// observations for the charts and the report.
func shippedHistory() ([]output.Observation, error) {
	f, err := check.Shipped()
	if err != nil {
		return nil, err
	}
	var out []output.Observation
	for _, o := range f.History {
		if o.Scenario != "baseline" {
			continue
		}
		out = append(out, output.Observation{Metric: o.Metric, Entity: o.Entity, Period: o.Period,
			Value: o.Value, Lo: o.Lo, Hi: o.Hi, Source: o.Source})
	}
	return out, nil
}
