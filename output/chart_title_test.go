package output_test

import (
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim"
)

func TestOutcomeTitle(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"ai.ssr_compute@2030", "domestic share of AI compute in 2030"},
		{"ai.ssr_units@2027Q3", "domestic share of AI accelerator units in 2027Q3"},
		{"ai.units_domestic", "domestic AI accelerators delivered"},
		{"product.units[H200]@2026", "units delivered (H200) in 2026"},
		{"first(ai.ssr_units >= 0.5)", "when the domestic share of AI accelerator units first reaches 50%"},
		{"first(ai.ssr_units@year < 0.25)", "when the domestic share of AI accelerator units first falls below 25%"},
		{"first(ai.unmet_h100e <= 0 from 2027Q3)", "when AI compute wanted and not delivered first falls to 0 H100e (from 2027Q3)"},
		{"mean(ai.coverage, 2026..2030)", "share of wanted AI compute delivered, mean 2026–2030"},
		{"sum(ai.units_domestic, 2025..2030)", "domestic AI accelerators delivered, total 2025–2030"},
		{"no.such_metric@2030", "no.such_metric@2030"},
		{"ai.ssr_compute@soon", "ai.ssr_compute@soon"},
		{"max(ai.ssr_units, 2026..2030)", "max(ai.ssr_units, 2026..2030)"},
	} {
		if got := output.OutcomeTitle(tc.expr); got != tc.want {
			t.Errorf("OutcomeTitle(%q) = %q, want %q", tc.expr, got, tc.want)
		}
	}
}

func TestReadableTitle(t *testing.T) {
	for _, tc := range []struct{ title, want, ids string }{
		{"Sobol indices: ai.ssr_compute@2030", "Sobol indices: domestic share of AI compute in 2030", "ai.ssr_compute@2030"},
		{"Total Sobol index of ai.ssr_units by year", "Total Sobol index of domestic share of AI accelerator units by year", "ai.ssr_units"},
		{"ai.coverage: baseline, 500 runs", "Share of wanted AI compute delivered: baseline, 500 runs", "ai.coverage"},
		{"Morris screening: first(ai.ssr_units >= 0.7)", "Morris screening: when the domestic share of AI accelerator units first reaches 70%", "first(ai.ssr_units >= 0.7)"},
		{"China's self-sufficiency: baseline", "China's self-sufficiency: baseline", ""},
	} {
		got, ids := output.ReadableTitle(tc.title)
		if got != tc.want || ids != tc.ids {
			t.Errorf("ReadableTitle(%q) = %q, %q, want %q, %q", tc.title, got, ids, tc.want, tc.ids)
		}
	}
}

// TestMetricTitles: the metrics charts show have short titles, and every
// title is of a metric that exists.
func TestMetricTitles(t *testing.T) {
	for _, m := range []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage", "ic.ssr_value", "ai.units_domestic", "ai.unmet_h100e", "ai.demand_h100e"} {
		if output.MetricTitle(m) == m {
			t.Errorf("MetricTitle(%q) has no short title", m)
		}
	}
	for _, m := range sim.Metrics {
		if got := output.MetricTitle(m.Name); got == "" {
			t.Errorf("MetricTitle(%q) is empty", m.Name)
		}
	}
	if got := output.MetricTitle("no.such_metric"); got != "no.such_metric" {
		t.Errorf("MetricTitle of an unknown metric = %q, want the id", got)
	}
}
