package output_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/chipsim/chipsim/output"
)

func TestCheckBatchNames(t *testing.T) {
	run := &output.Run{Scenario: "x"}
	tests := []struct {
		name string
		ran  []*output.BatchRun
		err  string
	}{
		{"none", nil, ""},
		{"distinct", []*output.BatchRun{{File: "a.yaml", Label: "a", Run: run}, {File: "b.yaml", Label: "b", Run: run}}, ""},
		{"twice", []*output.BatchRun{{File: "a.yaml", Label: "a", Run: run}, {File: "b.yaml", Label: "b", Run: run}, {File: "c/a.yaml", Label: "a", Run: run}},
			`a.yaml and c/a.yaml are both named "a": give each scenario its own name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := output.CheckBatchNames(tt.ran)
			if got := fmt.Sprint(err); (err != nil || tt.err != "") && got != tt.err {
				t.Errorf("CheckBatchNames() = %v, want %q", err, tt.err)
			}
		})
	}
}

// BatchCharts draws a chart of each ratio, a line per run named by its
// label.
func TestBatchCharts(t *testing.T) {
	s, r := runBaseline(t)
	run := &output.Run{Scenario: s.Name, Result: r}
	ran := []*output.BatchRun{{File: "a.yaml", Label: "first", Run: run}, {File: "b.yaml", Label: "second", Run: run}}
	charts, err := output.BatchCharts(ran, "test", output.ChartOptions{})
	if err != nil {
		t.Fatalf("BatchCharts() error = %v", err)
	}
	if got, want := len(charts), len(output.BatchRatios()); got != want {
		t.Fatalf("BatchCharts() drew %d charts, want %d", got, want)
	}
	for i, ch := range charts {
		if got, want := ch.LegendLabels(), []string{"first", "second"}; !reflect.DeepEqual(got, want) {
			t.Errorf("chart %d (%s): legend %q, want %q", i, output.BatchRatios()[i], got, want)
		}
	}
	if run.Scenario != "baseline" {
		t.Errorf("BatchCharts renamed the run to %q", run.Scenario)
	}
}

// CompareCharts draws one chart per metric, in order, and stops at an
// unknown metric.
func TestCompareCharts(t *testing.T) {
	s, r := runBaseline(t)
	frames := []*output.Frame{output.FrameOf(&output.Run{Scenario: s.Name, Result: r}, "test")}
	charts, err := output.CompareCharts(frames, output.CompareMetrics, output.ChartOptions{})
	if err != nil || len(charts) != len(output.CompareMetrics) {
		t.Fatalf("CompareCharts(CompareMetrics) = %d charts, %v; want %d, nil", len(charts), err, len(output.CompareMetrics))
	}
	if charts, err := output.CompareCharts(frames, []string{"ai.ssr_units", "ai.no_such"}, output.ChartOptions{}); err == nil || charts != nil {
		t.Errorf("CompareCharts with an unknown metric = %d charts, %v; want nil and an error", len(charts), err)
	}
}
