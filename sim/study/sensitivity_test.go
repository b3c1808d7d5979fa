package study_test

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
)

// sobolText writes every number of Sobol results as the CSV does
// (shortest round-trip form), so equal text means equal bytes.
func sobolText(rs []*uq.SobolResult) string {
	var b strings.Builder
	ff := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range rs {
		fmt.Fprintf(&b, "N=%d R=%d level=%s var=%s\n", r.N, r.Replicates, ff(r.Level), ff(r.Variance))
		for i := range r.S1 {
			fmt.Fprintf(&b, "%s [%s, %s] %s [%s, %s] %v\n", ff(r.S1[i]), ff(r.S1Lo[i]), ff(r.S1Hi[i]), ff(r.ST[i]), ff(r.STLo[i]), ff(r.STHi[i]), r.Flags[i])
		}
	}
	return b.String()
}

// A Sobol analysis of replicates gives the same bytes for any number of
// workers, and from shards merged and analysed from their settings.
func TestSensitivityReplicatesSameBytes(t *testing.T) {
	s, outs := sweptProblem(t)
	outs = outs[:2] // the third is +Inf in every run
	cfg := study.Sensitivity{Method: study.Sobol, Outcomes: sweptOutcomes[:2], Main: 2, N: 32, Seed: 5, Bootstrap: 500, Level: 0.9}
	run := func(o study.Options) *study.SensitivityResult {
		c := cfg
		c.Options = o
		res, err := study.RunSensitivity(context.Background(), s, outs, c)
		if err != nil {
			t.Fatalf("RunSensitivity(%+v): %v", o, err)
		}
		return res
	}
	one := run(study.Options{Workers: 1})
	if got := one.Plan.Saltelli(); got.Replicates() != study.DefaultReplicates || got.Runs() != 32*(3+2) {
		t.Fatalf("plan: %d replicates, %d runs; want %d, %d", got.Replicates(), got.Runs(), study.DefaultReplicates, 32*5)
	}
	if r := one.Sobol[0]; r.Replicates != study.DefaultReplicates || r.Level != 0.9 {
		t.Errorf("result: Replicates, Level = %d, %g; want %d, 0.9", r.Replicates, r.Level, study.DefaultReplicates)
	}
	want := sobolText(one.Sobol)
	if got := sobolText(run(study.Options{Workers: 3}).Sobol); got != want {
		t.Errorf("3 workers:\n%s\nwant (1 worker):\n%s", got, want)
	}
	var parts []*study.Partial
	c := cfg
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	for k := range 3 {
		res := run(study.Options{Workers: 2, Shard: k, Shards: 3})
		parts = append(parts, &study.Partial{Kind: study.Sobol, Scenario: "swept", Digest: "d", Settings: c.Settings(), Shard: k, Shards: 3, Table: res.Table})
	}
	merged, err := study.MergePartials(parts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := study.SensitivityFromSettings(merged.Settings)
	if err != nil {
		t.Fatal(err)
	}
	back.Main = 2
	plan, err := back.Plan(3, back.N)
	if err != nil {
		t.Fatal(err)
	}
	res, err := back.Analyse(plan, merged.Table)
	if err != nil {
		t.Fatal(err)
	}
	if got := sobolText(res.Sobol); got != want {
		t.Errorf("3 shards merged:\n%s\nwant (unsharded):\n%s", got, want)
	}
	if res.Width != one.Width || !(one.Width > 0) {
		t.Errorf("Width merged, unsharded = %g, %g; want equal and > 0", res.Width, one.Width)
	}
}

// --bootstrap still works: ignored, whatever its value, for a design of
// replicates; used, and checked, for a design of one.
func TestSensitivityCheckReplicates(t *testing.T) {
	tests := []struct {
		name                string
		replicates, boot    int
		level               float64
		wantErr             string
		wantReps            int
		wantBootstrapIgnore bool
	}{
		{"default", 0, 500, 0.95, "", study.DefaultReplicates, true},
		{"default, no bootstrap", 0, 0, 0.95, "", study.DefaultReplicates, true},
		{"default, few resamples", 0, 5, 0.95, "", study.DefaultReplicates, true},
		{"16 replicates", 16, 500, 0.95, "", 16, true},
		{"one replicate", 1, 500, 0.95, "", 1, false},
		{"one replicate, few resamples", 1, 5, 0.95, "5 bootstrap resamples", 1, false},
		{"negative replicates", -1, 500, 0.95, "-1 replicates", -1, true},
		{"too many replicates", uq.MaxReplicates + 1, 500, 0.95, "replicates: want 1 to", uq.MaxReplicates + 1, true},
		{"level 1", 0, 500, 1, "level 1", study.DefaultReplicates, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := study.Sensitivity{Method: study.Sobol, N: 64, Replicates: tc.replicates, Bootstrap: tc.boot, Level: tc.level}
			err := s.Check()
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Check() = %v, want %q", err, tc.wantErr)
			}
			if s.Replicates != tc.wantReps || s.BootstrapIgnored() != tc.wantBootstrapIgnore {
				t.Errorf("Replicates, BootstrapIgnored() = %d, %v; want %d, %v", s.Replicates, s.BootstrapIgnored(), tc.wantReps, tc.wantBootstrapIgnore)
			}
			if err != nil {
				return
			}
			back, err := study.SensitivityFromSettings(s.Settings())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := back.Settings(), s.Settings(); !maps.Equal(got, want) {
				t.Errorf("SensitivityFromSettings(Settings()).Settings() = %v, want %v", got, want)
			}
		})
	}
	// Settings from before replicates were of one replicate.
	one := study.Sensitivity{Method: study.Sobol, N: 64, Replicates: 1, Bootstrap: 500, Level: 0.95}
	old := one.Settings()
	delete(old, "replicates")
	back, err := study.SensitivityFromSettings(old)
	if err != nil || back.Replicates != 1 || back.Bootstrap != 500 {
		t.Errorf("settings without replicates: Replicates, Bootstrap = %d, %d (error %v); want 1, 500", back.Replicates, back.Bootstrap, err)
	}
	// Morris has no intervals.
	m := study.Sensitivity{Method: study.Morris, Levels: 4}
	if err := m.Check(); err != nil || m.Replicates != 0 || !m.BootstrapIgnored() {
		t.Errorf("Morris: Check() = %v, Replicates = %d, BootstrapIgnored() = %v; want nil, 0, true", err, m.Replicates, m.BootstrapIgnored())
	}
}

// A Sobol plan's replicates: at most N, one is NewSobol's plan, and the
// intervals follow the plan.
func TestSobolPlanReplicates(t *testing.T) {
	s := study.Sensitivity{Method: study.Sobol, Bootstrap: 20, Level: 0.9}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ n, reps int }{{2, 2}, {4, 4}, {8, 8}, {100, 8}, {512, 8}} {
		p, err := s.Plan(3, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Saltelli(); got.Replicates() != c.reps || p.Runs() != c.n*5 {
			t.Errorf("Plan(3, %d): %d replicates, %d runs; want %d, %d", c.n, got.Replicates(), p.Runs(), c.reps, c.n*5)
		}
	}
	one, err := study.NewSobolReplicates(3, 16, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := study.NewSobol(3, 16, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := points(one), points(plain); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("NewSobolReplicates(3, 16, 1, 4) points differ from NewSobol(3, 16, 4)'s")
	}
	for _, bad := range []struct{ d, n, reps int }{{0, 16, 2}, {3, 16, 0}, {3, 16, 17}, {3, 1, 1}} {
		if _, err := study.NewSobolReplicates(bad.d, bad.n, bad.reps, 1); err == nil {
			t.Errorf("NewSobolReplicates(%d, %d, %d, 1) error = nil, want an error", bad.d, bad.n, bad.reps)
		}
	}

	sw, outs := sweptProblem(t)
	reps, err := study.NewSobolReplicates(3, 32, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		plan     *study.Plan
		wantReps int
	}{{plain, 0}, {reps, 4}} {
		tb := mustRun(t, sw, c.plan, outs[:1], study.Options{Workers: 2})
		r, err := c.plan.SobolIndices(tb, 0, 50, 0.9, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.Replicates != c.wantReps || r.Level != 0.9 {
			t.Errorf("SobolIndices on %d replicates: Replicates, Level = %d, %g; want %d, 0.9", c.plan.Saltelli().Replicates(), r.Replicates, r.Level, c.wantReps)
		}
	}
}

// UntilCI doubles N until the widest interval is narrow enough, with the
// same replicates at every N.
func TestSensitivityUntilCIReplicates(t *testing.T) {
	s, outs := sweptProblem(t)
	var sizes []int
	cfg := study.Sensitivity{Method: study.Sobol, Main: 1, N: 8, Seed: 2, Level: 0.95, UntilCI: 0.25, MaxN: 256,
		Options: study.Options{Workers: 2}, Round: func(p *study.Plan, _ int) { sizes = append(sizes, p.Saltelli().N()) }}
	res, err := study.RunSensitivity(context.Background(), s, outs[:1], cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := res.Plan.Saltelli().N()
	if res.Width > cfg.UntilCI && n*2 <= cfg.MaxN || len(sizes) < 2 || sizes[len(sizes)-1] != n {
		t.Errorf("UntilCI %g: rounds at N = %v, widest interval %g at N = %d; want more than one round, stopping when ≤ %g", cfg.UntilCI, sizes, res.Width, n, cfg.UntilCI)
	}
	if got := res.Plan.Saltelli().Replicates(); got != study.DefaultReplicates {
		t.Errorf("UntilCI: final plan has %d replicates, want %d", got, study.DefaultReplicates)
	}
}
