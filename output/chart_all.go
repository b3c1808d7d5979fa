package output

import (
	"fmt"
	"strings"
)

// ChartNames lists the charts ScenarioCharts draws for a frame, in order:
// self-sufficiency, supply, production, foundry, then limits-PRODUCT for
// each domestic product.
func ChartNames(f *Frame) []string {
	out := []string{"self-sufficiency", "supply", "production", "foundry"}
	for _, p := range domesticProducts(f) {
		out = append(out, "limits-"+p)
	}
	return out
}

// ScenarioChart draws one of a frame's charts by name (see ChartNames).
func ScenarioChart(f *Frame, name string, o ChartOptions) (*Chart, error) {
	switch name {
	case "self-sufficiency":
		return SelfSufficiency(f, o)
	case "supply":
		return Supply(f, o)
	case "production":
		return Production(f, o)
	case "foundry":
		return Foundry(f, o)
	}
	names := ChartNames(f)
	if p, ok := strings.CutPrefix(name, "limits-"); ok {
		for _, id := range domesticProducts(f) {
			if id == p {
				return ProductLimits(f, p, o)
			}
		}
	}
	msg := fmt.Sprintf("no chart %q", name)
	if near := nearest(name, names, 3); len(near) > 0 {
		msg += " (did you mean " + strings.Join(near, " or ") + "?)"
	}
	return nil, fmt.Errorf("%s; charts: %s", msg, strings.Join(names, ", "))
}

// ScenarioCharts draws every chart of one scenario, in ChartNames order.
func ScenarioCharts(f *Frame, o ChartOptions) ([]*Chart, error) {
	var out []*Chart
	for _, name := range ChartNames(f) {
		c, err := ScenarioChart(f, name, o)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// WriteScenarioCharts draws every chart of a frame (see ChartNames) into b
// as SCENARIO-CHART.FORMAT, with b's formats and chart options.
func WriteScenarioCharts(b *Bundle, f *Frame) error {
	charts, err := ScenarioCharts(f, b.Chart)
	if err != nil {
		return err
	}
	return b.Charts(f.Scenario+"-", charts)
}
