package output_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
)

// A run that ends in 2030Q2 says so on the charts that show yearly values.
func TestChartsNotePartialYear(t *testing.T) {
	s, err := scenarios.Parse("part.yaml", []byte("name: part\nextends: baseline\ntime: {start: 2022Q1, end: 2030Q2, step: quarter}\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	f := output.FrameOf(&output.Run{Scenario: s.Name, Result: r}, "test")
	const want = "Yearly values of 2030: the run covers 2030Q1 to 2030Q2 only."
	sup, err := output.Supply(f, output.ChartOptions{History: shippedHistory(t)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sup.Notes, want) {
		t.Errorf("supply notes %q lack %q", sup.Notes, want)
	}
	cmp, err := output.Compare([]*output.Frame{f}, "ai.ssr_units", output.ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(cmp.Notes, func(n string) bool { return strings.HasSuffix(n, want) }) {
		t.Errorf("compare notes %q lack %q", cmp.Notes, want)
	}
}
