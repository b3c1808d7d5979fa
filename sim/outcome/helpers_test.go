package outcome_test

import (
	"sync"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// run is a model and one run of it, shared by the tests (read only).
type run struct {
	m *sim.Model
	r *sim.Result
}

var runs sync.Map // name -> func() (run, error)

func load(t testing.TB, name string, src []byte) run {
	t.Helper()
	f, _ := runs.LoadOrStore(name, sync.OnceValues(func() (run, error) {
		var s *scenarios.Scenario
		var err error
		if src == nil {
			s, err = scenarios.Load(name)
		} else {
			s, err = scenarios.Parse(name, src)
		}
		if err != nil {
			return run{}, err
		}
		m, err := s.Model()
		if err != nil {
			return run{}, err
		}
		r := m.NewResult()
		m.Run(r)
		return run{m, r}, nil
	}))
	rn, err := f.(func() (run, error))()
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return rn
}

func baseline(t testing.TB) run { return load(t, "baseline", nil) }

// monthly is the baseline on a monthly step.
func monthly(t testing.TB) run {
	return load(t, "monthly", []byte("name: monthly\nextends: baseline\ntime:\n  start: 2022-01\n  end: 2035-12\n  step: month\n"))
}

// at returns a metric's value for an entity in period t.
func (rn run) at(t testing.TB, metric, entity string, p int) float64 {
	t.Helper()
	s, ok := rn.m.SlotIndex(metric, entity)
	if !ok {
		t.Fatalf("no slot %s[%s]", metric, entity)
	}
	return rn.r.At(s, p)
}

// period returns the index of the period labelled label.
func (rn run) period(t testing.TB, label string) int {
	t.Helper()
	cal := rn.m.Calendar()
	for p := 0; p < cal.N; p++ {
		if cal.Label(p) == label {
			return p
		}
	}
	t.Fatalf("no period %s", label)
	return -1
}

// yearPeriods returns the periods of year y.
func (rn run) yearPeriods(y int) []int {
	var out []int
	cal := rn.m.Calendar()
	for p := 0; p < cal.N; p++ {
		if cal.Year(p) == y {
			out = append(out, p)
		}
	}
	return out
}

// sum adds a metric over periods from..to inclusive.
func (rn run) sum(t testing.TB, metric, entity string, from, to int) float64 {
	s := 0.0
	for p := from; p <= to; p++ {
		s += rn.at(t, metric, entity, p)
	}
	return s
}

// sumYear adds a metric over year y.
func (rn run) sumYear(t testing.TB, metric, entity string, y int) float64 {
	ps := rn.yearPeriods(y)
	return rn.sum(t, metric, entity, ps[0], ps[len(ps)-1])
}
