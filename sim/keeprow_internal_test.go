package sim

import (
	"math"
	"strings"
	"testing"
)

// TestKeepRowFailure: an outcome-only Result finds a non-finite output in
// a slot it does not keep, and CheckFinite reports the first one by period
// then slot, as for a full Result.
func TestKeepRowFailure(t *testing.T) {
	s := &Spec{Calendar: Calendar{Start: 2022 * 12, Step: 3, N: 4}}
	m := &Model{spec: s, cal: s.Calendar}
	m.layout()
	ns := len(m.slots)
	full := &Result{m: m, Data: make([]float64, ns*4)}
	part := &Result{m: m, kept: []int{0}, place: make([]int32, ns), scratch: make([]float64, ns), Data: make([]float64, 4), failT: -1}
	for i := range part.place {
		part.place[i] = -1
	}
	part.place[0] = 0
	bad := map[[2]int]float64{{2, 7}: math.NaN(), {2, 3}: math.Inf(-1), {3, 1}: math.Inf(1)}
	for p := 0; p < 4; p++ {
		clear(part.scratch)
		part.row = part.scratch
		for k, v := range bad {
			if k[0] == p {
				part.row[k[1]] = v
				full.Data[p*ns+k[1]] = v
			}
		}
		part.keepRow(p)
	}
	want := full.CheckFinite()
	got := part.CheckFinite()
	if want == nil || got == nil || got.Error() != want.Error() {
		t.Fatalf("outcome-only CheckFinite() = %v, full %v; want the same error", got, want)
	}
	if !strings.Contains(got.Error(), m.slots[3].Metric.Name) {
		t.Errorf("CheckFinite() = %v, want the slot 3 (%s) of period 2", got, m.slots[3].Metric.Name)
	}
}
