package output_test

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim/outcome"
)

// sameSeries compares two series value by value, +Inf and NaN included.
func sameSeries(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// sameFrame reports the first difference between two frames' data.
func sameFrame(t *testing.T, got, want *output.Frame) {
	t.Helper()
	if got.Scenario != want.Scenario || got.Step != want.Step {
		t.Errorf("scenario %q step %v, want %q %v", got.Scenario, got.Step, want.Scenario, want.Step)
	}
	if !slices.Equal(got.Labels, want.Labels) {
		t.Fatalf("labels %v, want %v", got.Labels, want.Labels)
	}
	if !slices.Equal(got.Times, want.Times) {
		t.Fatalf("times %v, want %v", got.Times, want.Times)
	}
	if !slices.Equal(got.Metrics(), want.Metrics()) {
		t.Fatalf("metrics %v, want %v", got.Metrics(), want.Metrics())
	}
	for _, m := range want.Metrics() {
		if got.Unit(m) != want.Unit(m) {
			t.Errorf("%s: unit %q, want %q", m, got.Unit(m), want.Unit(m))
		}
		if !slices.Equal(got.Entities(m), want.Entities(m)) {
			t.Errorf("%s: entities %v, want %v", m, got.Entities(m), want.Entities(m))
			continue
		}
		for _, e := range want.Entities(m) {
			g, _ := got.Series(m, e)
			w, _ := want.Series(m, e)
			if !sameSeries(g, w) {
				t.Errorf("%s %s: series differ:\n got  %v\n want %v", m, e, g, w)
			}
		}
	}
}

func TestReadCSVRoundTrip(t *testing.T) {
	base, rb := runFor(t, "baseline")
	hbm, rh := runFor(t, "hbm-crunch")
	var buf bytes.Buffer
	if err := output.WriteCSV(&buf, "baseline", rb, true); err != nil {
		t.Fatal(err)
	}
	// Two scenarios in one file, as chipsim run writes several.
	if err := output.WriteCSV(&buf, "hbm-crunch", rh, false); err != nil {
		t.Fatal(err)
	}
	fs, err := output.ReadCSV("both.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].Scenario != "baseline" || fs[1].Scenario != "hbm-crunch" {
		t.Fatalf("read %d frames, want baseline and hbm-crunch in order", len(fs))
	}
	sameFrame(t, fs[0], base)
	sameFrame(t, fs[1], hbm)
	// The same yearly values, ratios included.
	for _, m := range []string{"ai.ssr_units", "ai.ssr_stock", "ai.demand_h100e", "hbm.stock"} {
		g, _ := fs[0].Annual(m, "all")
		w, _ := base.Annual(m, "all")
		if !sameSeries(g, w) {
			t.Errorf("annual %s: %v, want %v", m, g, w)
		}
	}
	if y := fs[0].Years(); y[0] != 2022 || y[len(y)-1] != 2035 {
		t.Errorf("years %v", y)
	}
}

func TestReadCSVKeepsInfinity(t *testing.T) {
	csv := "scenario,period,metric,entity,value,unit\n" +
		"s,2025Q1,product.limit_hbm,x,+Inf,units\n" +
		"s,2025Q2,product.limit_hbm,x,12.5,units\n"
	fs, err := output.ReadCSV("inf.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := fs[0].Series("product.limit_hbm", "x")
	if !math.IsInf(v[0], 1) || v[1] != 12.5 {
		t.Errorf("series %v, want [+Inf 12.5]", v)
	}
	if fs[0].Times[1] != 2025.25 {
		t.Errorf("2025Q2 at %v, want 2025.25", fs[0].Times[1])
	}
}

func TestReadCSVErrors(t *testing.T) {
	const head = "scenario,period,metric,entity,value,unit\n"
	const row = "s,2025Q1,ai.ssr_units,all,0.5,ratio\n"
	for _, c := range []struct {
		name, csv string
		line      int
		notOurs   bool // errors.Is(err, ErrNotChipsimCSV)
		msg       string
	}{
		{"empty file", "", 1, true, "empty file"},
		{"non-chipsim CSV", "date,open,close\n2024-01-02,10,11\n", 1, true, "header is"},
		{"header only", head, 0, true, "no data rows"},
		{"unknown metric", head + row + "s,2025Q1,ai.nonsense,all,1,ratio\n", 3, false, `unknown metric "ai.nonsense"`},
		{"bad value", head + row + "s,2025Q2,ai.ssr_units,all,half,ratio\n", 3, false, `value "half" is not a number`},
		{"wrong field count", head + row + "s,2025Q1,ai.ssr_units,all,0.5\n", 3, true, "5 fields, want 6"},
		{"unit mismatch", head + row + "s,2025Q2,ai.ssr_units,all,50,%\n", 3, false, `unit "%", want "ratio"`},
		{"bad period", head + "s,2025Q5,ai.ssr_units,all,0.5,ratio\n", 2, false, `period "2025Q5"`},
		{"bare quote", head + row + "s,2025Q2,ai.ssr_units,\"all,0.5,ratio\n", 3, false, ""},
		{"missing last period", head + row + "s,2025Q2,ai.coverage,all,1,ratio\n", 0, false, "ai.ssr_units for all has no value in 2025Q2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := output.ReadCSV("r.csv", strings.NewReader(c.csv))
			if err == nil {
				t.Fatal("no error")
			}
			var ce *output.CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a CSVError", err)
			}
			if ce.File != "r.csv" {
				t.Errorf("file %q", ce.File)
			}
			if c.line > 0 {
				if ce.Line != c.line {
					t.Errorf("line %d, want %d (%v)", ce.Line, c.line, err)
				}
				if prefix := "r.csv:" + strconv.Itoa(c.line) + ": "; !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error %q does not start with %q", err, prefix)
				}
			}
			if got := errors.Is(err, output.ErrNotChipsimCSV); got != c.notOurs {
				t.Errorf("errors.Is(err, ErrNotChipsimCSV) = %v, want %v (%v)", got, c.notOurs, err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not contain %q", err, c.msg)
			}
		})
	}
}

func TestReadCSVMissingEarlierPeriod(t *testing.T) {
	in := "scenario,period,metric,entity,value,unit\n" +
		"s,2025Q1,ai.ssr_units,all,0.5,ratio\n" +
		"s,2025Q2,ai.coverage,all,0.9,ratio\n" +
		"s,2025Q2,ai.ssr_units,all,0.6,ratio\n"
	_, err := output.ReadCSV("gap.csv", strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "ai.coverage for all has no value in 2025Q1") {
		t.Errorf("ReadCSV with a gap: error = %v, want one naming ai.coverage in 2025Q1", err)
	}
	dup := "scenario,period,metric,entity,value,unit\n" +
		"s,2025Q1,ai.ssr_units,all,0.5,ratio\n" +
		"s,2025Q1,ai.ssr_units,all,0.6,ratio\n"
	if _, err := output.ReadCSV("dup.csv", strings.NewReader(dup)); err == nil || !strings.Contains(err.Error(), "dup.csv:3: ") || !strings.Contains(err.Error(), "appears twice") {
		t.Errorf("ReadCSV with a duplicate row: error = %v, want dup.csv:3: ... appears twice", err)
	}
}

// TestAnnualCountsDeferredDemandOnce: a buyer who waits several quarters is
// wanted once a year, and unserved once: a year's compute wanted is its new
// demand plus what was waiting at its start, and what went unserved is
// what buyers gave up plus what still waits at its end; whatever the step.
func TestAnnualCountsDeferredDemandOnce(t *testing.T) {
	_, r := runFor(t, "baseline")
	get := func(m string) []float64 {
		v, ok := output.Annual(r, m, "all")
		if !ok {
			t.Fatalf("no %s", m)
		}
		return v
	}
	wanted, unmet, demand, lost, backlog, delivered := get("ai.wanted_h100e"), get("ai.unmet_h100e"), get("ai.demand_h100e"), get("ai.lost_h100e"), get("ai.backlog_h100e"), get("ai.delivered_h100e")
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	for y := range wanted {
		open := 0.0
		if y > 0 {
			open = backlog[y-1]
		}
		if !near(wanted[y], demand[y]+open) {
			t.Errorf("year %d: wanted %v, want new demand %v + backlog at its start %v", y, wanted[y], demand[y], open)
		}
		if !near(unmet[y], lost[y]+backlog[y]) {
			t.Errorf("year %d: unmet %v, want lost %v + backlog at its end %v", y, unmet[y], lost[y], backlog[y])
		}
		if !near(wanted[y], delivered[y]+unmet[y]) {
			t.Errorf("year %d: wanted %v, want delivered %v + unmet %v", y, wanted[y], delivered[y], unmet[y])
		}
	}
	cov := get("ai.coverage")
	// Outcomes (sweeps, checks) count the same way, over any span.
	years := output.Years(r.Model().Calendar())
	i30, i26 := slices.Index(years, 2030), slices.Index(years, 2026)
	eval := func(expr string) float64 {
		o, err := outcome.Parse(expr, r.Model())
		if err != nil {
			t.Fatal(err)
		}
		return o.Eval(r)
	}
	if v := eval("ai.wanted_h100e@2030"); !near(v, wanted[i30]) {
		t.Errorf("ai.wanted_h100e@2030 = %v, the table's %v", v, wanted[i30])
	}
	if v := eval("ai.coverage@2030"); !near(v, cov[i30]) {
		t.Errorf("ai.coverage@2030 = %v, the table's %v", v, cov[i30])
	}
	var lostSpan float64
	for y := i26; y <= i30; y++ {
		lostSpan += lost[y]
	}
	if v := eval("sum(ai.unmet_h100e, 2026..2030)"); !near(v, lostSpan+backlog[i30]) {
		t.Errorf("sum(ai.unmet_h100e, 2026..2030) = %v, want lost over the span %v + backlog at its end %v", v, lostSpan, backlog[i30])
	}
	// The frame (a CSV read back) aggregates the same way.
	f := frameFor(t, "baseline")
	fw, _ := f.Annual("ai.wanted_h100e", "all")
	fc, _ := f.Annual("ai.coverage", "all")
	for y := range fw {
		if !near(fw[y], wanted[y]) || !near(fc[y], cov[y]) {
			t.Errorf("year %d: frame wanted %v coverage %v, results %v %v", y, fw[y], fc[y], wanted[y], cov[y])
		}
	}
}
