package scenarios_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/scenarios/check"
	"github.com/chipsim/chipsim/sim/calib"
	"github.com/chipsim/chipsim/sim/outcome"
)

// truth runs a child of the baseline that sets paths (written as a
// scenario file would be) and returns exprs' values.
func truth(t *testing.T, set string, exprs []string) []float64 {
	t.Helper()
	s, err := scenarios.Parse("truth.yaml", []byte("name: truth\nextends: baseline\n"+set))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	var out []float64
	for _, e := range exprs {
		o, err := outcome.Parse(e, m)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o.Eval(r))
	}
	return out
}

// fit calibrates the baseline's params to the observations CSV.
func fit(t *testing.T, csv string, params ...string) (*scenarios.Calibration, *calib.Result) {
	t.Helper()
	s, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	var ps []scenarios.CalibrationParam
	for _, p := range params {
		cp, err := scenarios.ParseCalibrationParam(p)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, cp)
	}
	obs, err := scenarios.ParseObservations("obs.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := s.Calibration("baseline", ps)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := cal.Targets("obs.csv", obs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal, calibrate(t, cal, ts, !math.IsNaN(obs[0].Sigma))
}

func calibrate(t *testing.T, cal *scenarios.Calibration, ts []scenarios.Target, sigma bool) *calib.Result {
	t.Helper()
	sp, err := cal.Scenario.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	cfg := calib.Config{Level: 0.95, KnownScale: sigma, Search: calib.Settings{Starts: 4, Seed: 1, MaxEvals: 600}}
	start := append([]float64(nil), sp.Values()...)
	for i, in := range cal.Inputs {
		cfg.Params = append(cfg.Params, calib.Param{Input: in, Lo: cal.Params[i].Lo, Hi: cal.Params[i].Hi})
		start[in] = cal.Start[i]
	}
	sp.SetValues(start)
	for _, tg := range ts {
		cfg.Observations = append(cfg.Observations, calib.Observation{Outcome: tg.Outcome, Value: tg.Value, Scale: tg.Scale, Holdout: tg.Holdout})
	}
	res, err := calib.Calibrate(context.Background(), sp, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// obsCSV writes observations of exprs (METRIC[ENTITY]@PERIOD) with values
// v and, when sigma is not nil, their sigmas.
func obsCSV(exprs []string, v, sigma []float64) string {
	var b strings.Builder
	b.WriteString("scenario,period,metric,entity,value")
	if sigma != nil {
		b.WriteString(",sigma")
	}
	b.WriteString("\n")
	for i, e := range exprs {
		metric, period, _ := strings.Cut(e, "@")
		entity := "all"
		if m, ent, ok := strings.Cut(metric, "["); ok {
			metric, entity = m, strings.TrimSuffix(ent, "]")
		}
		fmt.Fprintf(&b, "baseline,%s,%s,%s,%g", period, metric, entity, v[i])
		if sigma != nil {
			fmt.Fprintf(&b, ",%g", sigma[i])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// One parameter, observations the model itself made: the fit finds the
// value that made them.
func TestCalibrateRecoversOneParameter(t *testing.T) {
	exprs := []string{"ai.units_domestic@2024", "ai.units_domestic@2025", "ai.units_domestic@2026", "ai.units_domestic@2027"}
	want := truth(t, "packaging:\n  yield: 0.78\n", exprs)
	_, res := fit(t, obsCSV(exprs, want, nil), "packaging.yield=0.6:0.95")
	if got := res.Fitted[0]; math.Abs(got-0.78) > 1e-4 {
		t.Errorf("packaging.yield fitted %.6f, want 0.78", got)
	}
	if res.Start[0] != 0.9 {
		t.Errorf("start %g, want the baseline's 0.9", res.Start[0])
	}
	if !(res.ObjectiveAfter < 1e-6*res.ObjectiveBefore) {
		t.Errorf("objective %g -> %g: want the fit to reproduce its own observations", res.ObjectiveBefore, res.ObjectiveAfter)
	}
}

// Two parameters, observations with noise of known sigma: the fit lands
// near the truth and the 95% profile ranges hold it.
func TestCalibrateRecoversTwoParametersWithNoise(t *testing.T) {
	var exprs []string
	for y := 2022; y <= 2027; y++ {
		exprs = append(exprs, fmt.Sprintf("ai.units_delivered@%d", y))
	}
	for y := 2023; y <= 2027; y++ {
		exprs = append(exprs, fmt.Sprintf("foundry.yield[smic_n2]@%dQ4", y))
	}
	clean := truth(t, "foundry:\n  smic_n2:\n    learning_rate: 0.72\ndemand:\n  initial_h100e_per_year: 320000\n", exprs)
	rng := rand.New(rand.NewPCG(5, 5))
	noisy, sigma := make([]float64, len(clean)), make([]float64, len(clean))
	for i, v := range clean {
		sigma[i] = 0.03 * v
		noisy[i] = v + sigma[i]*rng.NormFloat64()
	}
	_, res := fit(t, obsCSV(exprs, noisy, sigma), "foundry.smic_n2.learning_rate=0.6:0.9", "demand.initial_h100e_per_year=150000:500000")
	wants := []float64{0.72, 320000}
	for i, want := range wants {
		r := res.Ranges[i]
		if !(want >= r.Lo && want <= r.Hi) || r.AtLo || r.AtHi {
			t.Errorf("parameter %d: truth %g outside the range [%g, %g] (fitted %g)", i, want, r.Lo, r.Hi, res.Fitted[i])
		}
		if math.Abs(res.Fitted[i]-want) > 0.05*want {
			t.Errorf("parameter %d: fitted %g, truth %g", i, res.Fitted[i], want)
		}
	}
	// The residuals are noise of the size the sigmas say: about one per
	// observation.
	if n := float64(len(exprs)); !(res.ObjectiveAfter > 0.2*n && res.ObjectiveAfter < 2.5*n) {
		t.Errorf("objective after %g over %d observations: want noise-sized", res.ObjectiveAfter, len(exprs))
	}
}

// The shipped history observations fit from a perturbed start: the fit
// improves on the baseline, and a start far off (learning rate 0.62, demand
// 180k) ends where the baseline's start does.
func TestCalibrateShippedHistoryFromPerturbedStart(t *testing.T) {
	f, err := check.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.WriteObservations(&b, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	params := []string{"foundry.smic_n2.learning_rate=0.6:0.9", "demand.initial_h100e_per_year=150000:500000"}
	cal, res := fit(t, b.String(), params...)
	if len(res.Before) < 20 {
		t.Fatalf("%d history observations: want the shipped facts", len(res.Before))
	}
	if !(res.ObjectiveAfter <= res.ObjectiveBefore) {
		t.Errorf("objective %g -> %g", res.ObjectiveBefore, res.ObjectiveAfter)
	}
	// Perturb: the scenario's own values far from the fit.
	perturbed := filepath.Join(t.TempDir(), "perturbed.yaml")
	if err := os.WriteFile(perturbed, []byte("name: baseline\nextends: baseline\nfoundry:\n  smic_n2:\n    learning_rate: 0.62\ndemand:\n  initial_h100e_per_year: 180000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Load(perturbed)
	if err != nil {
		t.Fatal(err)
	}
	var ps []scenarios.CalibrationParam
	for _, p := range params {
		cp, _ := scenarios.ParseCalibrationParam(p)
		ps = append(ps, cp)
	}
	pcal, err := s.Calibration(perturbed, ps)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := scenarios.ParseObservations("history", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ts, err := pcal.Targets("history", obs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	pres := calibrate(t, pcal, ts, true)
	if pres.Start[0] != 0.62 || pres.Start[1] != 180000 {
		t.Fatalf("perturbed start %v", pres.Start)
	}
	if !(pres.ObjectiveBefore > 2*res.ObjectiveBefore) {
		t.Errorf("the perturbed start fits no worse (%g) than the baseline (%g): perturb more", pres.ObjectiveBefore, res.ObjectiveBefore)
	}
	for i := range params {
		if d := math.Abs(pres.Fitted[i] - res.Fitted[i]); d > 0.01*math.Abs(res.Fitted[i]) {
			t.Errorf("%s: from the perturbed start %g, from the baseline %g", cal.Params[i].Path, pres.Fitted[i], res.Fitted[i])
		}
	}
}

// The calibrated scenario file loads, extends the scenario and gives the
// fit's numbers.
func TestCalibratedFileReproducesTheFit(t *testing.T) {
	exprs := []string{"ai.units_domestic@2024", "ai.units_domestic@2025", "ai.units_domestic@2026"}
	want := truth(t, "packaging:\n  yield: 0.8\n", exprs)
	cal, res := fit(t, obsCSV(exprs, want, nil), "packaging.yield=0.6:0.95")
	dir := t.TempDir()
	data, err := cal.Calibrated("baseline-calibrated", dir, res.Fitted, []string{"fitted"}, "a test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "extends: baseline\n") || !strings.Contains(string(data), "# fitted") {
		t.Errorf("calibrated file:\n%s", data)
	}
	path := filepath.Join(dir, "baseline-calibrated.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Load(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	m, _ := s.Model()
	r := m.NewResult()
	m.Run(r)
	for i, e := range exprs {
		o, _ := outcome.Parse(e, m)
		if got := o.Eval(r); got != res.After[i] {
			t.Errorf("%s: the calibrated file gives %g, the fit %g", e, got, res.After[i])
		}
	}
}

// A scenario file given by path is extended by a path relative to where
// the calibrated file goes.
func TestCalibratedExtendsByRelativePath(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in", "mine.yaml")
	os.MkdirAll(filepath.Dir(src), 0o755)
	os.WriteFile(src, []byte("name: mine\nextends: baseline\n"), 0o644)
	s, err := scenarios.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := scenarios.ParseCalibrationParam("packaging.yield=0.6:0.95")
	cal, err := s.Calibration(src, []scenarios.CalibrationParam{p})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	data, err := cal.Calibrated("mine-calibrated", out, []float64{0.7}, []string{"x"}, "h")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "extends: ../in/mine.yaml\n") {
		t.Errorf("calibrated file:\n%s", data)
	}
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "mine-calibrated.yaml"), data, 0o644)
	if _, err := scenarios.Load(filepath.Join(out, "mine-calibrated.yaml")); err != nil {
		t.Error(err)
	}
}

func TestParseObservationsErrors(t *testing.T) {
	for _, tc := range []struct{ csv, want string }{
		{"period,metric,value,colour\n2024,ai.units_domestic,1,red\n", `obs.csv:1:4: unknown column "colour"`},
		{"period,metric\n2024,ai.units_domestic\n", `no column "value"`},
		{"period,metric,value\n2024,ai.units_domestic,lots\n", `obs.csv:2:3: value "lots": want a finite number`},
		{"period,metric,value,sigma\n2024,ai.units_domestic,1,0\n", `obs.csv:2:4: sigma 0: want a number above 0`},
		{"period,metric,value,sigma,weight\n2024,ai.units_domestic,1,1,1\n", `give sigma or weight, not both`},
		{"period,metric,value\n2024,ai.units_domestic,1\n2024,ai.units_domestic,2\n", `obs.csv:3:1: ai.units_domestic@2024 is observed twice (also on line 2)`},
		{"period,metric,value,holdout\n2024,ai.units_domestic,1,maybe\n", `obs.csv:2:4: holdout "maybe"`},
		{"period,metric,value\n2024,,1\n", `obs.csv:2:2: metric is empty`},
		{"period,metric,value\n", `no observations`},
		{"", `empty`},
	} {
		_, err := scenarios.ParseObservations("obs.csv", []byte(tc.csv))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.csv, err, tc.want)
		}
	}
}

// A subset of chipsim run's CSV is an observations file.
func TestParseObservationsRunCSV(t *testing.T) {
	obs, err := scenarios.ParseObservations("run.csv", []byte("scenario,period,metric,entity,value,unit\nbaseline,2024Q1,ai.ssr_units,all,0.3,ratio\nbaseline,2024Q1,product.units,H20,1e5,units\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 2 || obs[1].Expr() != "product.units[H20]@2024Q1" || obs[0].Expr() != "ai.ssr_units@2024Q1" || !math.IsNaN(obs[0].Sigma) {
		t.Errorf("observations %+v", obs)
	}
}

func TestCalibrationRefusals(t *testing.T) {
	s, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ param, want string }{
		{"packaging.yeild=0.5:0.9", `no numeric parameter "packaging.yeild"`},
		{"packaging.yield=0.5:1.2", "outside the parameter's allowed range [0, 1]"},
		{"demand.initial_h100e_per_year", "give a range"},
		{"demand.model=0:1", "no numeric parameter"},
	} {
		p, err := scenarios.ParseCalibrationParam(tc.param)
		if err != nil {
			t.Fatalf("%s: %v", tc.param, err)
		}
		if _, err := s.Calibration("baseline", []scenarios.CalibrationParam{p}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.param, err, tc.want)
		}
	}
	for _, bad := range []string{"=1:2", "x=1", "x=2:1", "x=a:b", "x=0:inf"} {
		if _, err := scenarios.ParseCalibrationParam(bad); err == nil {
			t.Errorf("ParseCalibrationParam(%q): no error", bad)
		}
	}
	p, _ := scenarios.ParseCalibrationParam("packaging.yield")
	cal, err := s.Calibration("baseline", []scenarios.CalibrationParam{p})
	if err != nil {
		t.Fatal(err)
	}
	if cal.Params[0].Lo != 0 || cal.Params[0].Hi != 1 {
		t.Errorf("packaging.yield's default range %g..%g: want its bounds 0..1", cal.Params[0].Lo, cal.Params[0].Hi)
	}
	for _, tc := range []struct {
		csv, want string
		held      []string
	}{
		{"period,metric,value\n2024,ai.units_domestc,1\n", `obs.csv:2:1: outcome "ai.units_domestc@2024"`, nil},
		{"period,metric,value\n2040,ai.units_domestic,1\n", `obs.csv:2:1: outcome "ai.units_domestic@2040"`, nil},
		{"scenario,period,metric,value\nh200-blocked,2024,ai.units_domestic,1\n", `obs.csv:2:1: an observation of scenario "h200-blocked"`, nil},
		{"period,metric,value,unit\n2024,ai.units_domestic,1,wafers\n", `obs.csv:2:1: ai.units_domestic@2024: unit "wafers", but the model gives ai.units_domestic in units`, nil},
		{"period,metric,value\n2024,ai.units_domestic,1\n2024,ai.ssr_units,0.3\n", `different units (ratio, units)`, nil},
		{"period,metric,value\n2024,ai.units_domestic,1\n", `--holdout nope: no observation with that id`, []string{"nope"}},
	} {
		obs, err := scenarios.ParseObservations("obs.csv", []byte(tc.csv))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cal.Targets("obs.csv", obs, false, tc.held); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.csv, err, tc.want)
		}
	}
}

// Held-out observations stay out of the fit: the fit with a held-out row
// equals the fit without it, and its error is reported apart.
func TestCalibrateHoldout(t *testing.T) {
	exprs := []string{"ai.units_domestic@2024", "ai.units_domestic@2025", "ai.units_domestic@2026"}
	want := truth(t, "packaging:\n  yield: 0.8\n", exprs)
	want[2] *= 1.5 // an outlier the fit would chase
	s, _ := scenarios.Load("baseline")
	p, _ := scenarios.ParseCalibrationParam("packaging.yield=0.6:0.95")
	cal, err := s.Calibration("baseline", []scenarios.CalibrationParam{p})
	if err != nil {
		t.Fatal(err)
	}
	obs, _ := scenarios.ParseObservations("obs.csv", []byte(obsCSV(exprs, want, nil)))
	ts, err := cal.Targets("obs.csv", obs, false, []string{"ai.units_domestic@2026"})
	if err != nil {
		t.Fatal(err)
	}
	res := calibrate(t, cal, ts, false)
	if math.Abs(res.Fitted[0]-0.8) > 1e-4 || res.NHeld != 1 || res.NFit != 2 {
		t.Errorf("fitted %g with %d fitted and %d held out: want 0.8, 2 and 1", res.Fitted[0], res.NFit, res.NHeld)
	}
	if !(res.HoldoutAfter > 0) {
		t.Errorf("held-out error %g: want the outlier's", res.HoldoutAfter)
	}
}
