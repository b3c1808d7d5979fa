package sim_test

import (
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// Directional tests: a policy that can only hurt a channel never helps it.
// Each variant loads a fresh baseline, changes its Spec's series in place
// (the Model reads them when it runs) and compares with the baseline.

func importOf(tb testing.TB, s *sim.Spec, id string) *sim.Import {
	tb.Helper()
	for i := range s.Imports {
		if s.Imports[i].ID == id {
			return &s.Imports[i]
		}
	}
	tb.Fatalf("baseline has no imports entry %q", id)
	return nil
}

func processOf(tb testing.TB, s *sim.Spec, id string) *sim.Process {
	tb.Helper()
	for i := range s.Foundry {
		if s.Foundry[i].ID == id {
			return &s.Foundry[i]
		}
	}
	tb.Fatalf("baseline has no foundry process %q", id)
	return nil
}

// variant runs the baseline after change has edited its Spec.
func variant(tb testing.TB, change func(s *sim.Spec)) *sim.Result {
	tb.Helper()
	sc, m := load(tb, "baseline")
	change(sc.Spec)
	r := m.NewResult()
	m.Run(r)
	return r
}

// notAbove checks that got never exceeds base, to a relative tolerance,
// and returns whether got fell below base in some period (so that the test
// knows the change did something).
func notAbove(t *testing.T, what string, got, base *sim.Result, metric, entity string, rel float64) (lower bool) {
	t.Helper()
	return compare(t, what, series(t, got, metric, entity), series(t, base, metric, entity), base, metric, entity, rel)
}

// cumNotAbove is notAbove on the running totals of a flow.
func cumNotAbove(t *testing.T, what string, got, base *sim.Result, metric, entity string, rel float64) (lower bool) {
	t.Helper()
	return compare(t, what, cumsum(series(t, got, metric, entity)), cumsum(series(t, base, metric, entity)), base, metric, entity+", cumulative", rel)
}

func cumsum(s sim.Series) sim.Series {
	out := make(sim.Series, len(s))
	var c float64
	for i, v := range s {
		c += v
		out[i] = c
	}
	return out
}

func addSeries(a, b sim.Series) sim.Series {
	if a == nil {
		a = make(sim.Series, len(b))
	}
	for i := range b {
		a[i] += b[i]
	}
	return a
}

func compare(t *testing.T, what string, g, b sim.Series, base *sim.Result, metric, entity string, rel float64) (lower bool) {
	t.Helper()
	cal := base.Model().Calendar()
	bad := 0
	for i := range b {
		if g[i] > b[i]+rel*max(1, b[i]) {
			bad++
			if bad <= 5 {
				t.Errorf("%s: %s[%s] in %s = %v, baseline %v", what, metric, entity, cal.Label(i), g[i], b[i])
			}
		}
		if g[i] < b[i]-rel*max(1, b[i]) {
			lower = true
		}
	}
	if bad > 5 {
		t.Errorf("%s: %s[%s] above baseline in %d periods", what, metric, entity, bad)
	}
	return lower
}

// wholeBase is the baseline with every period's inputs whole (rules dated
// by day apply from the start of their period): the base to compare a
// variant with when the variant calls Spec.WholePeriods to override a
// schedule everywhere.
func wholeBase(t *testing.T) *sim.Result {
	return variant(t, func(s *sim.Spec) { s.WholePeriods() })
}

func TestBanNeverRaisesImports(t *testing.T) {
	base := wholeBase(t)
	for _, id := range []string{"H200", "H20"} {
		t.Run(id, func(t *testing.T) {
			r := variant(t, func(s *sim.Spec) {
				s.WholePeriods() // the 2025-04-14 rule keeps its earlier values for part of 2025Q2
				fill(importOf(t, s, id).USStatus, sim.USBanned)
			})
			if !notAbove(t, id+" banned", r, base, "product.imports_legal", id, 1e-9) {
				t.Errorf("banning %s all along changed none of its legal imports", id)
			}
			got := series(t, r, "product.imports_legal", id)
			for i, v := range got {
				if v != 0 {
					t.Errorf("%s banned: product.imports_legal[%s] in %s = %v, want 0", id, id, r.Model().Calendar().Label(i), v)
					break
				}
			}
		})
	}
}

// Less foundry capacity never raises domestic compute to date. Units can
// rise: buyers short of HBM-class chips turn to GDDR inference cards, one
// unit of which is a fraction of an H100e. What must hold is the running
// total of compute (the cumulative in every period: HBM not used early is
// carried to later years, so a single period may gain).
func TestLessFoundryNeverRaisesDomesticCompute(t *testing.T) {
	_, _, base := run(t, "baseline")
	r := variant(t, func(s *sim.Spec) {
		p := processOf(t, s, "smic_n2")
		for i := range p.Capacity {
			p.Capacity[i] *= 0.5
		}
	})
	what := "smic_n2 capacity halved"
	if !cumNotAbove(t, what, r, base, "ai.h100e_domestic", "all", 1e-6) {
		t.Error("halving smic_n2 capacity changed no period's domestic compute")
	}
	cumNotAbove(t, what, r, base, "foundry.wafers", "smic_n2", 1e-6)
	// Fewer wafers, slower learning: yield is never higher.
	notAbove(t, what, r, base, "foundry.yield", "smic_n2", 1e-9)
}

func TestHigherFeeNeverRaisesImports(t *testing.T) {
	_, _, base := run(t, "baseline")
	for _, tc := range []struct {
		name  string
		raise func(fee sim.Series) int
	}{
		{"0.25 to 0.5 where licensed", func(fee sim.Series) (n int) {
			for i := range fee {
				if fee[i] == 0.25 {
					fee[i], n = 0.5, n+1
				}
			}
			return n
		}},
		{"0.5 in every period", func(fee sim.Series) (n int) {
			for i := range fee {
				if fee[i] < 0.5 {
					fee[i], n = 0.5, n+1
				}
			}
			return n
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raised := 0
			r := variant(t, func(s *sim.Spec) { raised = tc.raise(importOf(t, s, "H200").Fee) })
			if raised == 0 {
				t.Fatal("baseline H200 fee_share: no period changed, the test tests nothing")
			}
			if !notAbove(t, "H200 fee 0.5", r, base, "product.imports_legal", "H200", 1e-9) {
				t.Error("raising the H200 fee to 0.5 changed none of its legal imports")
			}
		})
	}
}

// Less HBM (imports closed from the start, or half the domestic capacity)
// never raises domestic compute to date, beyond a sliver: vendors short of
// HBM start fewer wafers, and the HBM-free products that get them can
// recover a little more than the HBM products lose in a period (measured:
// at most 1e-4 of the running total).
func TestLessHBMNeverRaisesDomesticCompute(t *testing.T) {
	base := wholeBase(t)
	for _, tc := range []struct {
		what   string
		change func(s *sim.Spec)
	}{
		{"HBM imports closed", func(s *sim.Spec) { s.WholePeriods(); fill(s.HBM.Import, sim.Closed) }},
		{"domestic HBM capacity halved", func(s *sim.Spec) {
			s.WholePeriods()
			for i := range s.HBM.DomCapacity {
				s.HBM.DomCapacity[i] *= 0.5
			}
		}},
	} {
		t.Run(tc.what, func(t *testing.T) {
			r := variant(t, tc.change)
			if !cumNotAbove(t, tc.what, r, base, "ai.h100e_domestic", "all", 1e-3) {
				t.Errorf("%s changed no period's domestic compute", tc.what)
			}
		})
	}
}

// Tighter enforcement never raises smuggling; full enforcement stops it.
func TestEnforcementNeverRaisesSmuggling(t *testing.T) {
	_, m, base := run(t, "baseline")
	tight := variant(t, func(s *sim.Spec) {
		for i, v := range s.Grey.Enforcement {
			s.Grey.Enforcement[i] = v + (1-v)/2
		}
	})
	full := variant(t, func(s *sim.Spec) { fill(s.Grey.Enforcement, 1) })
	lower := false
	for _, e := range entities(t, m, "product.smuggled") {
		if notAbove(t, "enforcement tightened", tight, base, "product.smuggled", e, 1e-9) {
			lower = true
		}
		for i, v := range series(t, full, "product.smuggled", e) {
			if v != 0 {
				t.Errorf("full enforcement: product.smuggled[%s] in %s = %v, want 0", e, m.Calendar().Label(i), v)
				break
			}
		}
	}
	if !lower {
		t.Error("tightening enforcement changed no product's smuggling")
	}
}
