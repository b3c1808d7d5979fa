package sim_test

import (
	"math"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// TestInfiniteLimitsRun sets, one at a time, every number the schema lets
// be .inf (a limit that is not there: no plan, no quota, no packaging
// ceiling) to +Inf in every period of the baseline: the run must give no
// NaN anywhere. Quantities for which .inf means nothing have a finite
// maximum, which Compile enforces.
func TestInfiniteLimitsRun(t *testing.T) {
	sc, _ := load(t, "baseline")
	tried := 0
	for k := range sc.Spec.Fields() {
		sc, _ := load(t, "baseline")
		f := sc.Spec.Fields()[k]
		if f.Def.Kind != sim.Number || f.Num == nil {
			continue
		}
		for i := range *f.Num {
			(*f.Num)[i] = math.Inf(1)
		}
		m, err := sim.Compile(sc.Spec)
		if !math.IsInf(f.Def.Max, 1) {
			if err == nil {
				t.Errorf("%s = +Inf compiled; its maximum is %v", f.Path, f.Def.Max)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s = +Inf: %v", f.Path, err)
			continue
		}
		tried++
		r := m.NewResult()
		m.Run(r)
		ns := len(r.Data) / m.Calendar().N
		for i, v := range r.Data {
			if math.IsNaN(v) {
				t.Errorf("%s = +Inf: NaN in slot %d of %s", f.Path, i%ns, m.Calendar().Label(i/ns))
				break
			}
		}
	}
	if tried < 10 {
		t.Errorf("only %d fields may be +Inf: the test tests little", tried)
	}
}
