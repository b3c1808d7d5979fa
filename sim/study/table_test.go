package study_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
)

// swept has three uncertain inputs, in this order: grey.enforcement,
// packaging.yield, and a change of SMIC N+2 capacity from 2032 (after
// 2030, before 2034).
const swept = `extends: baseline
name: swept
packaging:
  yield: {dist: uniform, min: 0.8, max: 0.97}
grey:
  enforcement: {dist: uniform, min: 0.1, max: 0.6}
events:
  - at: 2032Q1
    id: late
    scale: {foundry.smic_n2.capacity_wpm: {dist: uniform, min: 0.5, max: 1.5}}
`

// Indices of swept's inputs.
const (
	enforcement = iota
	yield
	late
)

// sweptOutcomes are the outcomes the tests read: one that the late input
// cannot reach, one it can, and one that is +Inf in every run.
var sweptOutcomes = []string{"ai.ssr_compute@2030", "ai.ssr_compute@2034", "first(ai.ssr_compute >= 2)"}

func sweptProblem(t testing.TB) (*scenarios.Scenario, []*outcome.Outcome) {
	t.Helper()
	s, err := scenarios.Parse("swept.yaml", []byte(swept))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(s.Inputs()))
	for i, in := range s.Inputs() {
		names[i] = in.Name
	}
	if want := []string{"grey.enforcement", "packaging.yield", "late.foundry.smic_n2.capacity_wpm"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("swept's inputs are %q, want %q", names, want)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := outcome.ParseList(sweptOutcomes, m)
	if err != nil {
		t.Fatal(err)
	}
	return s, outs
}

// encode returns a table's bytes: its runs, outcomes and every value.
func encode(t testing.TB, tb *study.Table) []byte {
	t.Helper()
	data, err := (&study.Partial{Kind: "sweep", Scenario: "swept", Shards: 1, Table: tb}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// span describes a table in failure messages.
func span(tb *study.Table) string {
	if tb == nil {
		return "nil"
	}
	return fmt.Sprintf("a table of runs [%d, %d) of %d", tb.Lo, tb.Hi, tb.Runs)
}

// partial describes a partial in failure messages.
func partial(p *study.Partial) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%s shard %d of %d of %s (digest %q) with %s", p.Kind, p.Shard+1, p.Shards, p.Scenario, p.Digest, span(p.Table))
}

func mustRun(t testing.TB, p study.Problem, plan *study.Plan, outs []*outcome.Outcome, o study.Options) *study.Table {
	t.Helper()
	tb, err := study.Run(context.Background(), p, plan, outs, o)
	if err != nil {
		t.Fatalf("Run(%s, %+v): %v", plan.Method, o, err)
	}
	return tb
}

// Run places every run's values by run index: the table is the same bytes
// for any number of workers, and each run's row is what the model gives
// at that run's point.
func TestRunWorkers(t *testing.T) {
	s, outs := sweptProblem(t)
	lhs, err := study.NewLHS(s.Inputs(), 150, 7)
	if err != nil {
		t.Fatal(err)
	}
	sobol, err := study.NewSobol(3, 32, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, plan := range []*study.Plan{lhs, sobol} {
		t.Run(plan.Method, func(t *testing.T) {
			// 5 workers claiming 32 runs at a time all get work.
			if plan.Runs() <= 4*32 {
				t.Fatalf("%d runs: too few for 5 workers", plan.Runs())
			}
			one := mustRun(t, s, plan, outs, study.Options{Workers: 1})
			if !one.Complete() || one.Runs != plan.Runs() {
				t.Fatalf("table holds runs %d to %d of %d, want all %d", one.Lo, one.Hi, one.Runs, plan.Runs())
			}
			want := encode(t, one)
			for _, w := range []int{2, 5} {
				if got := encode(t, mustRun(t, s, plan, outs, study.Options{Workers: w})); !bytes.Equal(got, want) {
					t.Errorf("Workers %d gives a different table from Workers 1", w)
				}
			}

			sp, err := s.NewSpace()
			if err != nil {
				t.Fatal(err)
			}
			m := sp.Model()
			r := m.NewResult()
			x := make([]float64, plan.Dim())
			for _, run := range []int{0, 1, 33, 97, plan.Runs() - 1} {
				plan.Point(run, x)
				if plan.Values() {
					sp.SetValues(x)
				} else {
					sp.Set(x)
				}
				m.Run(r)
				for k, o := range outs {
					if got, want := one.At(run, k), o.Eval(r); got != want && !(math.IsInf(got, 1) && math.IsInf(want, 1)) {
						t.Errorf("run %d: %s = %v, want %v (the model at the run's point)", run, o, got, want)
					}
				}
			}
		})
	}
}

// The shards of a plan, run separately and merged in any order, give the
// table of the whole plan.
func TestRunShardsMerge(t *testing.T) {
	s, outs := sweptProblem(t)
	plan, err := study.NewSobol(3, 32, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := encode(t, mustRun(t, s, plan, outs, study.Options{Workers: 2}))
	for n := 1; n <= 3; n++ {
		var tables []*study.Table
		var parts []*study.Partial
		for k := n - 1; k >= 0; k-- { // last shard first: merges sort
			tb := mustRun(t, s, plan, outs, study.Options{Workers: 2, Shard: k, Shards: n})
			if lo, hi := study.Range(plan.Runs(), k, n); tb.Lo != lo || tb.Hi != hi || tb.Runs != plan.Runs() {
				t.Errorf("shard %d of %d holds runs [%d, %d) of %d, want [%d, %d) of %d", k, n, tb.Lo, tb.Hi, tb.Runs, lo, hi, plan.Runs())
			}
			if tb.Complete() != (n == 1) {
				t.Errorf("shard %d of %d: Complete() = %v", k, n, tb.Complete())
			}
			tables = append(tables, tb)
			parts = append(parts, &study.Partial{Kind: "sobol", Scenario: "swept", Digest: "d", Shard: k, Shards: n, Table: tb})
		}
		merged, err := study.MergeTables(tables)
		if err != nil {
			t.Fatalf("MergeTables of %d shards: %v", n, err)
		}
		if got := encode(t, merged); !bytes.Equal(got, want) {
			t.Errorf("MergeTables of %d shards differs from the unsharded table", n)
		}
		p, err := study.MergePartials(parts)
		if err != nil {
			t.Fatalf("MergePartials of %d shards: %v", n, err)
		}
		if p.Shard != 0 || p.Shards != 1 || p.Kind != "sobol" || p.Digest != "d" {
			t.Errorf("MergePartials of %d shards: header %+v, want shard 0 of 1 of the parts' study", n, p)
		}
		if got := encode(t, p.Table); !bytes.Equal(got, want) {
			t.Errorf("MergePartials of %d shards differs from the unsharded table", n)
		}
	}
}

// shards runs the shards of a plan of 160 runs cut in 2 and in 3:
// halves[k] holds Range(160, k, 2), thirds[k] Range(160, k, 3).
func shards(t *testing.T) (halves, thirds []*study.Table) {
	s, outs := sweptProblem(t)
	plan, err := study.NewSobol(3, 32, 3)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 2 {
		halves = append(halves, mustRun(t, s, plan, outs, study.Options{Workers: 2, Shard: k, Shards: 2}))
	}
	for k := range 3 {
		thirds = append(thirds, mustRun(t, s, plan, outs, study.Options{Workers: 2, Shard: k, Shards: 3}))
	}
	return halves, thirds
}

func TestMergeTablesRefuses(t *testing.T) {
	halves, thirds := shards(t) // halves: [0, 80) [80, 160); thirds: [0, 53) [53, 106) [106, 160)
	s, outs := sweptProblem(t)
	other, err := study.NewSobol(3, 16, 3)
	if err != nil {
		t.Fatal(err)
	}
	small := mustRun(t, s, other, outs, study.Options{Workers: 2})
	sobol, _ := study.NewSobol(3, 32, 3)
	fewer := mustRun(t, s, sobol, outs[:2], study.Options{Workers: 2, Shard: 1, Shards: 2})
	tests := []struct {
		name  string
		parts []*study.Table
		want  string
	}{
		{"none", nil, "study: no tables to merge"},
		{"missing middle", []*study.Table{thirds[0], thirds[2]}, "study: runs 53 to 105 are missing"},
		{"missing last", []*study.Table{thirds[0], thirds[1]}, "study: runs 106 to 159 are missing"},
		{"missing first", []*study.Table{halves[1]}, "study: runs 0 to 79 are missing"},
		{"duplicate", []*study.Table{thirds[0], thirds[1], thirds[1], thirds[2]}, "study: runs 53 to 105 are given twice"},
		{"overlapping", []*study.Table{halves[0], thirds[1], thirds[2]}, "study: runs 53 to 79 are given twice"},
		{"other plan", []*study.Table{halves[0], small}, "study: merging tables of different plans"},
		{"other outcomes", []*study.Table{halves[0], fewer}, "study: merging tables of different plans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := study.MergeTables(tt.parts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("MergeTables = %s, %v, want error %q", span(got), err, tt.want)
			}
		})
	}
}

func TestMergePartialsRefuses(t *testing.T) {
	halves, thirds := shards(t)
	part := func(k, n int, tb *study.Table) *study.Partial {
		return &study.Partial{Kind: "sobol", Scenario: "swept", Ref: "swept.yaml", Digest: "d", Shard: k, Shards: n, Table: tb}
	}
	with := func(p *study.Partial, f func(*study.Partial)) *study.Partial {
		q := *p
		f(&q)
		return &q
	}
	p0, p1, p2 := part(0, 3, thirds[0]), part(1, 3, thirds[1]), part(2, 3, thirds[2])
	another := "belongs to another study (kind, scenario, inputs or settings differ)"
	tests := []struct {
		name  string
		parts []*study.Partial
		// The ShardError's Index and Other; -1, -1 when the error is
		// not about one shard.
		index, other int
		want         string
	}{
		{"none", nil, -1, -1, "study: no shards to merge"},
		{"missing", []*study.Partial{p0, p2}, -1, -1, "study: shards 2 of 3 are missing"},
		{"missing two", []*study.Partial{p1}, -1, -1, "study: shards 1, 3 of 3 are missing"},
		{"duplicate", []*study.Partial{p0, p1, p1, p2}, 2, 1, "are both shard 2 of 3"},
		// A partial that claims to be shard 2 of 2 but holds the runs of
		// shard 2 of 3: the runs overlap shard 1 of 2's.
		{"overlapping", []*study.Partial{part(0, 2, halves[0]), part(1, 2, thirds[1])}, -1, -1, "study: runs 53 to 79 are given twice"},
		{"other digest", []*study.Partial{p0, p1, with(p2, func(p *study.Partial) { p.Digest = "e" })}, 2, -1, another},
		{"other kind", []*study.Partial{p0, with(p1, func(p *study.Partial) { p.Kind = "morris" }), p2}, 1, -1, another},
		{"other scenario", []*study.Partial{p0, p1, with(p2, func(p *study.Partial) { p.Scenario = "baseline" })}, 2, -1, another},
		{"other shard count", []*study.Partial{p0, p1, part(1, 2, halves[1])}, 2, -1, another},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := study.MergePartials(tt.parts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("MergePartials = %s, %v, want error %q", partial(got), err, tt.want)
			}
			var se *study.ShardError
			if errors.As(err, &se) != (tt.index >= 0) || (se != nil && (se.Index != tt.index || se.Other != tt.other)) {
				t.Errorf("MergePartials error %v: ShardError %+v, want Index %d, Other %d", err, se, tt.index, tt.other)
			}
		})
	}
}

// encoded returns an encoded Partial of shard 2 of 3 of a Sobol plan over
// swept, with a value that is +Inf in every run.
func encoded(t *testing.T) (*study.Partial, []byte) {
	s, outs := sweptProblem(t)
	plan, err := study.NewSobol(3, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	tb := mustRun(t, s, plan, outs, study.Options{Workers: 2, Shard: 1, Shards: 3})
	if v := tb.At(tb.Lo, 2); !math.IsInf(v, 1) {
		t.Fatalf("%s = %v, want +Inf", tb.Outcomes[2], v)
	}
	p := &study.Partial{Kind: "sobol", Scenario: "swept", Ref: "testdata/swept.yaml", Digest: "0123abcd",
		Settings: map[string]string{"n": "8", "seed": "1"}, Shard: 1, Shards: 3, Table: tb}
	data, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return p, data
}

func TestPartialRoundTrip(t *testing.T) {
	p, data := encoded(t)
	if !study.IsPartial(data) {
		t.Fatalf("IsPartial(%.40q) = false", data)
	}
	got, err := study.DecodePartial(data)
	if err != nil {
		t.Fatalf("DecodePartial: %v", err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("DecodePartial(Encode(p)) = %+v, want %+v", got, p)
	}
	again, err := got.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("Encode(DecodePartial(data)) differs from data:\n%s\n%s", again, data)
	}
}

// Any change to a value, a header field or the checksum of an encoded
// partial that leaves it valid JSON is caught as damage; what is not a
// partial at all is ErrNotPartial.
func TestDecodePartialDamaged(t *testing.T) {
	_, data := encoded(t)
	// flip changes the byte at offset off from the start of the first
	// match of field (then skipping bytes that are not digits) to a
	// different digit.
	flip := func(field string, off int) []byte {
		t.Helper()
		i := bytes.Index(data, []byte(field))
		if i < 0 {
			t.Fatalf("no %s in %s", field, data)
		}
		i += len(field) + off
		for data[i] < '0' || data[i] > '9' {
			i++
		}
		out := bytes.Clone(data)
		out[i] = '0' + (out[i]-'0'+1)%10
		return out
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"value", flip(`"y":["`, 0), study.ErrDamaged},
		{"later value", flip(`"y":["`, 200), study.ErrDamaged},
		{"shard", flip(`"shard":`, 0), study.ErrDamaged},
		{"runs", flip(`"runs":`, 0), study.ErrDamaged},
		{"digest", flip(`"digest":"`, 0), study.ErrDamaged},
		{"setting", flip(`"seed":"`, 0), study.ErrDamaged},
		{"checksum", flip(`"checksum":"`, 0), study.ErrDamaged},
		{"truncated", data[:len(data)/2], study.ErrNotPartial},
		{"not JSON", []byte("run,ai.ssr_compute@2030\n0,0.5\n"), study.ErrNotPartial},
		{"other JSON", []byte(`{"format":"chipsim-mc"}`), study.ErrNotPartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(tt.data, data) {
				t.Fatal("the data is not changed")
			}
			got, err := study.DecodePartial(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("DecodePartial = %s, %v, want %v", partial(got), err, tt.want)
			}
		})
	}
}

func TestRunRefuses(t *testing.T) {
	s, outs := sweptProblem(t)
	two, err := study.NewSobol(2, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := study.NewSobol(3, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		plan *study.Plan
		o    study.Options
		want string
	}{
		{"plan of other inputs", two, study.Options{}, "study: the plan sets 2 inputs, the problem has 3"},
		{"shard past the end", three, study.Options{Shard: 3, Shards: 3}, "study: shard 3 of 3"},
		{"negative shard", three, study.Options{Shard: -1, Shards: 3}, "study: shard -1 of 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := study.Run(context.Background(), s, tt.plan, outs, tt.o)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Run = %s, %v, want error %q", span(got), err, tt.want)
			}
		})
	}
}

// A cancelled context stops a study with the context's error: before it
// starts, or between the blocks of runs workers claim.
func TestRunCancel(t *testing.T) {
	s, outs := sweptProblem(t)
	plan, err := study.NewLHS(s.Inputs(), 5000, 1)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	t.Run("Run before", func(t *testing.T) {
		tb, err := study.Run(cancelled, s, plan, outs, study.Options{Workers: 2})
		if tb != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %s, %v, want nil, %v", span(tb), err, context.Canceled)
		}
	})
	t.Run("Run during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var last atomic.Int64
		tb, err := study.Run(ctx, s, plan, outs, study.Options{Workers: 2, Progress: func(done, total int) {
			if total != plan.Runs() {
				t.Errorf("Progress(%d, %d): total %d, want %d", done, total, total, plan.Runs())
			}
			if int64(done) > last.Load() {
				last.Store(int64(done)) // a race between workers only lowers it
			}
			cancel()
		}})
		if tb != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %s, %v, want nil, %v", span(tb), err, context.Canceled)
		}
		if n := int(last.Load()); n >= plan.Runs() {
			t.Errorf("Run cancelled at its first progress did all %d runs", n)
		}
	})
	t.Run("RunSensitivity", func(t *testing.T) {
		res, err := study.RunSensitivity(cancelled, s, outs[:1], study.Sensitivity{Method: study.Morris, N: 4, Levels: 4, Seed: 1})
		if res != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("RunSensitivity = %p, %v, want nil, %v", res, err, context.Canceled)
		}
	})
	t.Run("MonteCarlo", func(t *testing.T) {
		sums, err := study.MonteCarlo(cancelled, s, study.MCConfig{Runs: 1000, Seed: 1, Workers: 2, Outcomes: outs[:1]})
		if sums != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("MonteCarlo = %p, %v, want nil, %v", sums, err, context.Canceled)
		}
	})
}

// Progress reports this shard's runs, ending at its total.
func TestRunProgress(t *testing.T) {
	s, outs := sweptProblem(t)
	plan, err := study.NewLHS(s.Inputs(), 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := study.Range(100, 1, 2)
	var last int
	calls := 0
	mustRun(t, s, plan, outs, study.Options{Workers: 1, Shard: 1, Shards: 2, Progress: func(done, total int) {
		calls++
		if total != hi-lo || done > total || done <= last {
			t.Errorf("Progress(%d, %d) after %d, want done rising to %d", done, total, last, hi-lo)
		}
		last = done
	}})
	if last != hi-lo || calls < 2 {
		t.Errorf("Progress called %d times, last with %d done, want several calls ending at %d", calls, last, hi-lo)
	}
}

// The values of an encoded partial are exact: floats round-trip through
// their shortest decimal form, and +Inf is written so JSON can hold it.
func TestPartialInfinity(t *testing.T) {
	_, data := encoded(t)
	if !strings.Contains(string(data), `"+Inf"`) {
		t.Errorf("encoded partial has no \"+Inf\" value for a first() that is never reached:\n%s", data)
	}
}
