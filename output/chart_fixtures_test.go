package output_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
)

// Inputs and indices of baseline-uncertain from chipsim sensitivity and
// sweep --oat (N = 128; r = 20): names as long as real ones get.
var (
	sensInputs = []string{
		"h200.tiers.prior_gen.cap_share", "hbm.hbm.domestic_capacity_stacks_per_year", "smic_n3.foundry.smic_n3.capacity_wpm",
		"smic.foundry.smic_n2.capacity_wpm", "demand.demand.growth", "packaging.packaging.capacity_units_per_year",
		"learning.foundry.smic_n2.learning_rate", "enforcement.grey.enforcement", "h200_timing.at",
		"yield_floor.foundry.smic_n2.defect_density_floor",
	}
	sobolS1   = []float64{0.8666, 0.1793, -0.0134, -0.0005, -0.0003, -0.0028, 0.0115, -0.0162, 0.0041, -0.0014}
	sobolS1Lo = []float64{0.6588, 0.0862, -0.0478, -0.0242, -0.0191, -0.0148, -0.0001, -0.0245, 0.0010, -0.0036}
	sobolS1Hi = []float64{1.0376, 0.2933, 0.0145, 0.0197, 0.0173, 0.0053, 0.0218, -0.0070, 0.0084, 0.0004}
	sobolST   = []float64{0.8372, 0.1078, 0.0144, 0.0105, 0.0062, 0.0039, 0.0032, 0.0015, 0.0003, 0.0001}
	sobolSTLo = []float64{0.6616, 0.0604, 0.0095, 0.0059, 0.0036, 0.0002, 0.0020, 0.0012, 0.0001, 0.0000}
	sobolSTHi = []float64{1.0018, 0.1660, 0.0203, 0.0176, 0.0095, 0.0137, 0.0051, 0.0019, 0.0006, 0.0002}

	morrisInputs = []string{
		"h200.tiers.prior_gen.cap_share", "hbm.hbm.domestic_capacity_stacks_per_year", "smic_n3.foundry.smic_n3.capacity_wpm",
		"smic.foundry.smic_n2.capacity_wpm", "demand.demand.growth", "enforcement.grey.enforcement",
		"learning.foundry.smic_n2.learning_rate", "packaging.packaging.capacity_units_per_year",
		"yield_floor.foundry.smic_n2.defect_density_floor", "h200_timing.at",
	}
	morrisMuStar = []float64{0.09586, 0.09527, 0.02208, 0.01494, 0.01331, 0.009863, 0.006462, 0.004792, 0.001217, 0.0002019}
	morrisSigma  = []float64{0.1144, 0.0806, 0.01917, 0.01825, 0.01945, 0.002967, 0.009216, 0.01189, 0.002564, 0.000415}

	// perPeriod are total indices of ai.ssr_units by year, 2022 to 2035
	// (NaN: no variance that year).
	perPeriodYears = []int{2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035}
	perPeriod      = [][]float64{
		{0.07, 0.30, 0.63, 0.61, 0.51, 0.42, 0.33, 0.38, 0.48, 0.60},
		{0.05, 0.19, 0.20, 0.14, 0.20, 0.35, 0.46, 0.44, 0.42, 0.37},
		{0.00, 0.02, 0.03, 0.09, 0.08, 0.07, 0.05, 0.03, 0.02, 0.02},
		{0.00, 0.00, 0.00, 0.03, 0.04, 0.07, 0.04, 0.01, 0.01, 0.01},
		{0.00, 0.00, 0.01, 0.02, 0.03, 0.02, 0.02, 0.00, 0.00, 0.01},
		{0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.01, 0.01, 0.01},
		{0.00, 0.00, 0.00, 0.00, 0.00, 0.01, 0.02, 0.02, 0.02, 0.02},
		{0.22, 0.01, 0.01, 0.00, 0.00, 0.00, 0.01, 0.00, 0.00, 0.00},
		{0.94, 0.74, 0.46, 0.41, 0.46, 0.40, 0.33, 0.25, 0.20, 0.14},
		{0.02, 0.01, 0.01, 0.01, 0.00, 0.00, 0.00, 0.01, 0.01, 0.00},
	}
	perPeriodInputs = []string{
		"demand.demand.growth", "hbm.hbm.domestic_capacity_stacks_per_year", "smic.foundry.smic_n2.capacity_wpm",
		"smic_n3.foundry.smic_n3.capacity_wpm", "learning.foundry.smic_n2.learning_rate",
		"yield_floor.foundry.smic_n2.defect_density_floor", "packaging.packaging.capacity_units_per_year",
		"h200_timing.at", "h200.tiers.prior_gen.cap_share", "enforcement.grey.enforcement",
	}
)

const sensSource = "Source: chipsim test, scenario baseline-uncertain, run 2026-01-01"

func ssrCompute2030() output.SweepOutcome {
	return output.SweepOutcome{Name: "ai.ssr_compute@2030", Unit: "ratio", Doc: "ai.ssr_compute: domestic H100e delivered / all H100e delivered",
		Format: func(v float64) string { return fmt.Sprintf("%.4g", v) }}
}

// tornadoFixture is chipsim sweep baseline-uncertain --oat --outcome
// ai.ssr_compute@2030.
func tornadoFixture() output.TornadoData {
	return output.TornadoData{Scenario: "baseline-uncertain", Version: "test", Outcome: ssrCompute2030(), Base: 0.82302,
		LowLabel: "p5", HighLabel: "p95", Bars: []output.TornadoBar{
			{Input: "demand.demand.growth", Low: "0.7949", High: "1.205", AtLow: 0.82872, AtHigh: 0.82432},
			{Input: "hbm.hbm.domestic_capacity_stacks_per_year", Low: "0.5943", High: "1.683", AtLow: 0.76506, AtHigh: 0.82238},
			{Input: "smic.foundry.smic_n2.capacity_wpm", Low: "0.8446", High: "1.155", AtLow: 0.80773, AtHigh: 0.82705},
			{Input: "smic_n3.foundry.smic_n3.capacity_wpm", Low: "0.6893", High: "1.311", AtLow: 0.80498, AtHigh: 0.83854},
			{Input: "learning.foundry.smic_n2.learning_rate", Low: "0.6816", High: "0.8184", AtLow: 0.82794, AtHigh: 0.81549},
			{Input: "yield_floor.foundry.smic_n2.defect_density_floor", Low: "0.05791", High: "0.09209", AtLow: 0.82302, AtHigh: 0.82288},
			{Input: "packaging.packaging.capacity_units_per_year", Low: "0.775", High: "1.225", AtLow: 0.82019, AtHigh: 0.82302},
			{Input: "h200_timing.at", Low: "2026Q1", High: "2026Q3", AtLow: 0.82302, AtHigh: 0.82300},
			{Input: "h200.tiers.prior_gen.cap_share", Low: "0", High: "0.5", AtLow: 0.93466, AtHigh: 0.82302},
			{Input: "enforcement.grey.enforcement", Low: "0.1632", High: "0.4368", AtLow: 0.81997, AtHigh: 0.82549},
		}}
}

// smallTornadoFixture swings the outcome by 0.13 percentage points in all.
func smallTornadoFixture() output.TornadoData {
	d := tornadoFixture()
	d.Bars = []output.TornadoBar{
		{Input: "yield_floor.foundry.smic_n2.defect_density_floor", Low: "0.05791", High: "0.09209", AtLow: 0.82302, AtHigh: 0.82288},
		{Input: "h200_timing.at", Low: "2026Q1", High: "2026Q3", AtLow: 0.82302, AtHigh: 0.82300},
		{Input: "enforcement.grey.enforcement", Low: "0.1632", High: "0.4368", AtLow: 0.82252, AtHigh: 0.82382},
	}
	return d
}

func yearOutcome(name string) output.SweepOutcome {
	return output.SweepOutcome{Name: name, Unit: "year", Doc: "ai.ssr_units: domestic accelerator units / all units delivered",
		Format: func(v float64) string {
			if math.IsInf(v, 1) {
				return "never"
			}
			return fmt.Sprintf("%dQ%d", int(v), int((v-math.Floor(v))*4)+1)
		}}
}

func sweepLineFixture() output.SweepLineData {
	return output.SweepLineData{Scenario: "baseline", Version: "test",
		Axis:    output.SweepAxis{Name: "packaging.yield", Unit: "share 0..1", Levels: []float64{0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}, Scenario: 0.9},
		Outcome: output.SweepOutcome{Name: "ai.units_domestic@2026", Unit: "units", Doc: "ai.units_domestic: domestic units delivered"},
		Y:       []float64{1.12e6, 1.25e6, 1.38e6, 1.52e6, 1.66e6, 1.79e6, 1.93e6, 2.05e6},
		Fixed:   "Other inputs at the scenario's values.",
	}
}

func heatmapFixture() output.HeatmapData {
	x := output.SweepAxis{Name: "packaging.yield", Unit: "share 0..1", Levels: []float64{0.6, 0.6875, 0.775, 0.8625, 0.95}}
	y := output.SweepAxis{Name: "foundry.smic_n2.learning_rate", Unit: "ratio per doubling", Levels: []float64{0.7, 0.75, 0.8, 0.85, 0.9}}
	z := []float64{
		0.773, 0.758, 0.724, 0.678, 0.630,
		0.795, 0.782, 0.750, 0.707, 0.661,
		0.812, 0.802, 0.772, 0.732, 0.687,
		0.824, 0.818, 0.790, 0.752, 0.710,
		0.830, 0.828, 0.806, 0.770, 0.729,
	}
	return output.HeatmapData{Scenario: "baseline", Version: "test", X: x, Y: y, Outcome: ssrCompute2030(), Z: z,
		Fixed: "Other inputs at the scenario's values."}
}

// smallHeatmapFixture spans 0.2 percentage points.
func smallHeatmapFixture() output.HeatmapData {
	d := heatmapFixture()
	for i := range d.Z {
		d.Z[i] = 0.8123 + 0.002*float64(i%5)/4 - 0.0005*float64(i/5)/4
	}
	return d
}

func sobolFixture() (*output.Chart, error) {
	return output.IndexBars("sobol-ai-ssr_compute-2030", "Sobol indices: ai.ssr_compute@2030", "index (share of output variance)", sensInputs,
		[]output.IndexSeries{
			{Label: "first order S1", Values: sobolS1, Lo: sobolS1Lo, Hi: sobolS1Hi, Colour: output.SensColour1},
			{Label: "total ST", Values: sobolST, Lo: sobolSTLo, Hi: sobolSTHi, Colour: output.SensColour2, Pattern: true},
		}, true, []string{"baseline-uncertain; N = 128, 1536 runs; whiskers: 95% bootstrap intervals."}, sensSource)
}

func morrisBarsFixture() (*output.Chart, error) {
	return output.IndexBars("morris-ai-ssr_compute-2030", "Morris screening: ai.ssr_compute@2030", "elementary effect (ratio per unit of quantile)", morrisInputs,
		[]output.IndexSeries{
			{Label: "μ* (mean |effect|)", Values: morrisMuStar, Colour: output.SensColour1},
			{Label: "σ (interaction, non-linearity)", Values: morrisSigma, Colour: output.SensColour2, Pattern: true},
		}, false, []string{"baseline-uncertain; r = 20 trajectories on 4 levels, 220 runs."}, sensSource)
}

func morrisFixture() (*output.Chart, error) {
	return output.MorrisScatter("morris-ai-ssr_compute-2030", "Morris screening: ai.ssr_compute@2030", "ratio per unit of quantile", morrisInputs,
		morrisMuStar, morrisSigma, []string{"baseline-uncertain; r = 20 trajectories on 4 levels, 220 runs."}, sensSource, chartOpts)
}

func indexHeatmapFixture() (*output.Chart, error) {
	vals := make([][]float64, len(perPeriod))
	for i, row := range perPeriod {
		vals[i] = append([]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, row...)
	}
	return output.IndexHeatmap("sobol-periods-ai-ssr_units", "Total Sobol index of ai.ssr_units by year", perPeriodInputs, perPeriodYears, vals,
		[]string{"baseline-uncertain; N = 128; yearly values aggregate ai.ssr_units by its rule. Blank: the metric does not vary across runs that year."}, sensSource)
}

// namedChart is a chart to lay out, by a name for files and messages.
type namedChart struct {
	name string
	make func(t *testing.T) (*output.Chart, error)
}

// everyChart lists a chart of every kind: the scenario charts of
// baseline with history, a comparison, and the sweep and sensitivity
// charts of fixtures as long-named as real ones.
func everyChart() []namedChart {
	scenario := func(name string) func(t *testing.T) (*output.Chart, error) {
		return func(t *testing.T) (*output.Chart, error) {
			o := chartOpts
			o.History = shippedHistory(t)
			return output.ScenarioChart(frameFor(t, "baseline"), name, o)
		}
	}
	return []namedChart{
		{"self-sufficiency", scenario("self-sufficiency")},
		{"supply", scenario("supply")},
		{"production", scenario("production")},
		{"foundry", scenario("foundry")},
		{"limits-ascend_910c", scenario("limits-ascend_910c")},
		{"compare", func(t *testing.T) (*output.Chart, error) {
			var fs []*output.Frame
			for _, n := range scenarios.ShippedNames() {
				fs = append(fs, frameFor(t, n))
			}
			return output.Compare(fs, "ai.ssr_units", chartOpts)
		}},
		{"tornado", func(*testing.T) (*output.Chart, error) { return output.Tornado(tornadoFixture(), chartOpts) }},
		{"tornado-small-swing", func(*testing.T) (*output.Chart, error) { return output.Tornado(smallTornadoFixture(), chartOpts) }},
		{"tornado-never", func(*testing.T) (*output.Chart, error) {
			d := tornadoFixture()
			d.Outcome, d.Base = yearOutcome("first(ai.ssr_units >= 0.5)"), 2027.25
			for i := range d.Bars {
				d.Bars[i].AtLow, d.Bars[i].AtHigh = 2027.25-float64(i%3)/4, 2027.25+float64(i%4)/4
			}
			d.Bars[0].AtHigh = math.Inf(1)
			return output.Tornado(d, chartOpts)
		}},
		{"sweep", func(*testing.T) (*output.Chart, error) { return output.SweepLine(sweepLineFixture(), chartOpts) }},
		{"sweep-years", func(*testing.T) (*output.Chart, error) {
			d := sweepLineFixture()
			d.Outcome = yearOutcome("first(ai.ssr_units >= 0.5)")
			d.Y = []float64{math.Inf(1), math.Inf(1), 2031, 2029.5, 2028.75, 2028, 2027.5, 2027.25}
			return output.SweepLine(d, chartOpts)
		}},
		{"heatmap", func(*testing.T) (*output.Chart, error) { return output.Heatmap(heatmapFixture(), chartOpts) }},
		{"heatmap-small-swing", func(*testing.T) (*output.Chart, error) { return output.Heatmap(smallHeatmapFixture(), chartOpts) }},
		{"sobol", func(*testing.T) (*output.Chart, error) { return sobolFixture() }},
		{"morris-bars", func(*testing.T) (*output.Chart, error) { return morrisBarsFixture() }},
		{"morris", func(*testing.T) (*output.Chart, error) { return morrisFixture() }},
		{"sobol-periods", func(*testing.T) (*output.Chart, error) { return indexHeatmapFixture() }},
	}
}
