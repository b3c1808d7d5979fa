package engine_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/explore/engine"
	"github.com/chipsim/chipsim/scenarios"
)

func newEngine(t *testing.T, names ...string) *engine.Engine {
	t.Helper()
	var srcs []engine.Source
	for _, n := range names {
		srcs = append(srcs, engine.Source{Name: n})
	}
	e, err := engine.New(srcs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRunMatchesCLI: the page's yearly table is chipsim run's, value for
// value (the CLI's table and JSON come from output.Annual).
func TestRunMatchesCLI(t *testing.T) {
	e := newEngine(t, "baseline", "h200-blocked")
	for _, name := range []string{"baseline", "h200-blocked"} {
		res, err := e.Run(engine.State{Scenario: name})
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := s.Model()
		r := m.NewResult()
		m.Run(r)
		for i, metric := range res.Metrics {
			want, _ := output.Annual(r, metric, "all")
			if len(want) != len(res.Years) {
				t.Fatalf("%s: %d years, the CLI has %d", metric, len(res.Years), len(want))
			}
			for y := range want {
				if got := res.Headline[i][y]; !close(got, want[y]) {
					t.Errorf("%s %s in %s = %v, chipsim run %v", name, metric, res.Years[y], got, want[y])
				}
			}
		}
	}
}

func close(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// TestControlsMove: every kind of control moves the headline table, and
// the unmodified state gives the scenario's run.
func TestControlsMove(t *testing.T) {
	e := newEngine(t, "baseline-uncertain")
	base, err := e.Run(engine.State{Scenario: "baseline-uncertain"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Describe("baseline-uncertain")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Inputs) == 0 || len(d.Events) == 0 || len(d.Controls) < 8 {
		t.Fatalf("described %d inputs, %d events, %d controls", len(d.Inputs), len(d.Events), len(d.Controls))
	}
	ssr2030 := func(r *engine.Result) float64 {
		for y, year := range r.Years {
			if year == "2030" {
				return r.Headline[1][y]
			}
		}
		t.Fatal("no 2030")
		return 0
	}
	for _, st := range []engine.State{
		{Inputs: map[string]float64{"hbm.hbm.domestic_capacity_stacks_per_year": 3}},
		{Changes: map[string]string{"foundry.smic_n2.capacity_wpm": "2"}},
		{Changes: map[string]string{"imports.H200.us_status": "allowed"}},
		{Off: []int{0, 1, 2}},
	} {
		st.Scenario = "baseline-uncertain"
		got, err := e.Run(st)
		if err != nil {
			t.Fatalf("%+v: %v", st, err)
		}
		if ssr2030(got) == ssr2030(base) {
			t.Errorf("%+v: ai.ssr_compute in 2030 stays %v", st, ssr2030(base))
		}
	}
	if _, err := e.Run(engine.State{Scenario: "baseline-uncertain", Changes: map[string]string{"grey.enforcement": "7"}}); err == nil {
		t.Error("enforcement 7 accepted")
	}
}

func TestMonteCarloBands(t *testing.T) {
	e := newEngine(t, "baseline-uncertain")
	var last int
	b, err := e.MonteCarlo(context.Background(), engine.State{Scenario: "baseline-uncertain"}, 200, 1, func(done, _ int) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	if last != 200 || b.Runs != 200 {
		t.Errorf("progress reached %d, runs %d; want 200", last, b.Runs)
	}
	v := b.Values["ai.ssr_compute"]
	for y := range b.Years {
		if !(v[0][y] <= v[2][y] && v[2][y] <= v[4][y]) {
			t.Errorf("%s: p5 %v, p50 %v, p95 %v out of order", b.Years[y], v[0][y], v[2][y], v[4][y])
		}
	}
	if v[0][8] == v[4][8] {
		t.Errorf("no spread in %s: %v", b.Years[8], v[0][8])
	}
}

// TestCSVMatchesCLI: the page's download is chipsim run's CSV, byte for byte.
func TestCSVMatchesCLI(t *testing.T) {
	e := newEngine(t, "baseline")
	got, err := e.CSV(engine.State{Scenario: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := scenarios.Load("baseline")
	m, _ := s.Model()
	r := m.NewResult()
	m.Run(r)
	var want strings.Builder
	if err := output.WriteCSV(&want, "baseline", r, true); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("the page's CSV (%d bytes) differs from chipsim run's (%d bytes)", len(got), want.Len())
	}
}

// TestDescribeEmptyLists: a scenario without inputs describes empty lists,
// which the page iterates, not null.
func TestDescribeEmptyLists(t *testing.T) {
	e := newEngine(t, "baseline")
	d, err := e.Describe("baseline")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("description holds null: %.300s", b)
	}
}
