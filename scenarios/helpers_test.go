package scenarios

import (
	"slices"
	"sync"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim"
)

// run is one shipped scenario, loaded and simulated once.
type run struct {
	s     *Scenario
	r     *sim.Result
	years []int
}

var (
	runsMu sync.Mutex
	runs   = map[string]*run{}
)

// runShipped loads a shipped scenario, compiles it and runs it, caching the
// result for the other tests of the package.
func runShipped(t *testing.T, name string) *run {
	t.Helper()
	runsMu.Lock()
	defer runsMu.Unlock()
	if x, ok := runs[name]; ok {
		return x
	}
	s, err := Load(name)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", name, err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatalf("Load(%q).Model() error = %v", name, err)
	}
	r := m.NewResult()
	m.Run(r)
	x := &run{s: s, r: r, years: output.Years(m.Calendar())}
	runs[name] = x
	return x
}

// annual returns a metric's yearly values for an entity ("all" for metrics
// with one value per period).
func (x *run) annual(t *testing.T, metric, entity string) []float64 {
	t.Helper()
	v, ok := output.Annual(x.r, metric, entity)
	if !ok {
		t.Fatalf("%s: output.Annual(%q, %q): no such metric or entity", x.s.Name, metric, entity)
	}
	return v
}

// at returns a metric's value for one year.
func (x *run) at(t *testing.T, metric, entity string, year int) float64 {
	t.Helper()
	i := slices.Index(x.years, year)
	if i < 0 {
		t.Fatalf("%s: year %d is not in the run (%v)", x.s.Name, year, x.years)
	}
	return x.annual(t, metric, entity)[i]
}

// sumAt adds a metric's values for several entities in one year.
func (x *run) sumAt(t *testing.T, metric string, entities []string, year int) float64 {
	t.Helper()
	var s float64
	for _, e := range entities {
		s += x.at(t, metric, e, year)
	}
	return s
}
