package study_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/chipsim/chipsim/sim/uq"
)

const uncertain = `extends: baseline
name: unc
foundry:
  smic_n2:
    learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}
events:
  - at: 2026Q1
    id: demand
    scale: {demand.growth: {dist: triangular, min: 0.7, mode: 1.0, max: 1.3}}
  - at: {dist: uniform, min: 2026Q3, max: 2028Q4}
    id: squeeze
    duration: {dist: discrete, values: [4, 8, 40]}
    equipment_control: {process: smic_n2, capacity_scale: {dist: uniform, min: 0.5, max: 0.9}}
`

func load(t testing.TB) *scenarios.Scenario {
	s, err := scenarios.Parse("unc.yaml", []byte(uncertain))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func slots(m *sim.Model) []int {
	var out []int
	for i, sl := range m.Slots() {
		if sl.Metric.Per == "" {
			out = append(out, i)
		}
	}
	return out
}

func run(t testing.TB, s *scenarios.Scenario, cfg study.MCConfig) []byte {
	m, _ := s.Model()
	cfg.Slots = slots(m)
	sums, err := study.MonteCarlo(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := study.EncodeSummaries(study.Header{Scenario: s.Name}, sums)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The same seed gives the same summaries for any number of workers, and
// shards merged give the unsharded summaries, byte for byte.
func TestWorkersAndShardsGiveSameBytes(t *testing.T) {
	s := load(t)
	base := study.MCConfig{Runs: 300, Seed: 42, Workers: 1}
	one := run(t, s, base)
	for _, w := range []int{2, 3} {
		cfg := base
		cfg.Workers = w
		if got := run(t, s, cfg); !bytes.Equal(got, one) {
			t.Errorf("-j %d gives different summaries from -j 1", w)
		}
	}
	m, _ := s.Model()
	var merged *study.Summaries
	for k := 0; k < 4; k++ {
		cfg := base
		cfg.Shard, cfg.Shards, cfg.Workers, cfg.Slots = k, 4, 2, slots(m)
		part, err := study.MonteCarlo(context.Background(), s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = part
		} else if err := merged.Merge(part); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := study.EncodeSummaries(study.Header{Scenario: s.Name}, merged)
	if !bytes.Equal(got, one) {
		t.Error("4 merged shards differ from the unsharded run")
	}
	if other := run(t, s, study.MCConfig{Runs: 300, Seed: 43, Workers: 1}); bytes.Equal(other, one) {
		t.Error("a different seed gives the same summaries")
	}
}

func TestDrawsInRunOrder(t *testing.T) {
	s := load(t)
	var runs []int
	var first []float64
	cfg := study.MCConfig{Runs: 200, Seed: 1, Workers: 3, Record: func(run int, v, _ []float64) error {
		runs = append(runs, run)
		first = append(first, v[0])
		return nil
	}}
	run(t, s, cfg)
	for i, r := range runs {
		if r != i {
			t.Fatalf("draw %d has run %d, want runs in order", i, r)
		}
	}
	if len(runs) != 200 {
		t.Fatalf("%d draws, want 200", len(runs))
	}
	for _, v := range first {
		if v < 0.65 || v > 0.9 {
			t.Errorf("learning_rate draw %v outside its PERT(0.65, 0.75, 0.9)", v)
		}
	}
}

func TestEncodeDecode(t *testing.T) {
	s := load(t)
	m, _ := s.Model()
	cfg := study.MCConfig{Runs: 50, Seed: 3, Workers: 2, Slots: slots(m)}
	sums, err := study.MonteCarlo(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := study.Header{Scenario: "unc", Ref: "unc.yaml", Digest: "abc", Runs: 50, Seed: 3, Shard: 1, Shards: 2}
	data, _ := study.EncodeSummaries(h, sums)
	h2, sums2, err := study.DecodeSummaries(data)
	if err != nil || h2 != h {
		t.Fatalf("Decode = %+v, %v, want %+v", h2, err, h)
	}
	data2, _ := study.EncodeSummaries(h2, sums2)
	if !bytes.Equal(data, data2) {
		t.Error("Encode(Decode(x)) != x")
	}
	if _, _, err := study.DecodeSummaries(data[:len(data)-3]); err == nil {
		t.Error("Decode of a truncated shard succeeds")
	}
	if _, _, err := study.DecodeSummaries([]byte("hello")); err == nil {
		t.Error("Decode of a non-shard succeeds")
	}
}

func TestCancel(t *testing.T) {
	s := load(t)
	m, _ := s.Model()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := study.MonteCarlo(ctx, s, study.MCConfig{Runs: 10000, Seed: 1, Workers: 2, Slots: slots(m)})
	if err == nil {
		t.Error("a cancelled run returns no error")
	}
}

func BenchmarkMonteCarlo(b *testing.B) {
	s := load(b)
	m, _ := s.Model()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := study.MonteCarlo(context.Background(), s, study.MCConfig{Runs: 2000, Seed: 1, Workers: 2, Slots: slots(m)}); err != nil {
			b.Fatal(err)
		}
	}
}

const correlated = uncertain + `correlations:
  - [foundry.smic_n2.learning_rate, demand.demand.growth, 0.7]
`

// Correlated inputs get their target rank correlation, and still the same
// bytes for any number of workers.
func TestCorrelations(t *testing.T) {
	s, err := scenarios.Parse("corr.yaml", []byte(correlated))
	if err != nil {
		t.Fatal(err)
	}
	if s.Correlation() == nil {
		t.Fatal("Correlation() = nil for a scenario with correlations")
	}
	var x []float64
	cfg := study.MCConfig{Runs: 2048, Seed: 5, Workers: 3, Record: func(run int, v, _ []float64) error {
		x = append(x, v...)
		return nil
	}}
	run(t, s, cfg)
	d := len(s.Quantities())
	rho, err := uq.SpearmanMatrix(x, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := rho[0*d+1]; got < 0.65 || got > 0.75 {
		t.Errorf("Spearman(learning_rate, demand growth) = %.3f, want 0.7 ± 0.05", got)
	}
	if got := rho[0*d+2]; got < -0.07 || got > 0.07 {
		t.Errorf("Spearman(learning_rate, squeeze.at) = %.3f, want about 0", got)
	}
	one := run(t, s, study.MCConfig{Runs: 600, Seed: 5, Workers: 1})
	if two := run(t, s, study.MCConfig{Runs: 600, Seed: 5, Workers: 2}); !bytes.Equal(one, two) {
		t.Error("with correlations, -j 2 differs from -j 1")
	}
}
