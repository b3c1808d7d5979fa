package sim_test

import (
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// load loads a shipped scenario afresh, so that a test may change its Spec
// in place without touching any other test's copy.
func load(tb testing.TB, name string) (*scenarios.Scenario, *sim.Model) {
	tb.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		tb.Fatalf("scenarios.Load(%q): %v", name, err)
	}
	m, err := sc.Model()
	if err != nil {
		tb.Fatalf("%s: compile: %v", name, err)
	}
	return sc, m
}

// run loads, compiles and runs a shipped scenario.
func run(tb testing.TB, name string) (*sim.Spec, *sim.Model, *sim.Result) {
	tb.Helper()
	sc, m := load(tb, name)
	r := m.NewResult()
	m.Run(r)
	return sc.Spec, m, r
}

// series returns a metric's values for an entity, failing the test if the
// model does not report it.
func series(tb testing.TB, r *sim.Result, metric, entity string) sim.Series {
	tb.Helper()
	s, ok := r.Series(metric, entity)
	if !ok {
		tb.Fatalf("Series(%q, %q) not found", metric, entity)
	}
	if len(s) != r.Model().Calendar().N {
		tb.Fatalf("Series(%q, %q) has %d values, want %d", metric, entity, len(s), r.Model().Calendar().N)
	}
	return s
}

// entities returns the entities a metric is reported for.
func entities(tb testing.TB, m *sim.Model, metric string) []string {
	tb.Helper()
	d, ok := sim.MetricByName(metric)
	if !ok {
		tb.Fatalf("no metric %q", metric)
	}
	return m.Entities(d)
}

// fill sets every value of s to v.
func fill(s sim.Series, v float64) {
	for i := range s {
		s[i] = v
	}
}

// dataIndex returns the index in r.Data of slot k in period t, whatever
// layout Result uses, by marking each element in turn.
func dataIndex(tb testing.TB, r *sim.Result, k, t int) int {
	tb.Helper()
	const mark = -7.25e300
	for i := range r.Data {
		old := r.Data[i]
		r.Data[i] = mark
		hit := r.At(k, t) == mark
		r.Data[i] = old
		if hit {
			return i
		}
	}
	tb.Fatalf("slot %d, period %d is not in Data", k, t)
	return -1
}

// locate names the slot and period that r.Data[i] holds, for messages.
func locate(r *sim.Result, i int) string {
	m := r.Model()
	const mark = -7.25e300
	old := r.Data[i]
	r.Data[i] = mark
	defer func() { r.Data[i] = old }()
	for k, sl := range m.Slots() {
		for t := 0; t < m.Calendar().N; t++ {
			if r.At(k, t) == mark {
				return sl.Metric.Name + "[" + sl.Entity + "] in " + m.Calendar().Label(t)
			}
		}
	}
	return "no slot"
}
