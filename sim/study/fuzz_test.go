package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// The fuzz targets are internal tests: their seeds come from a small fake
// run (scenarios imports study, so study's own tests cannot load one), and
// they repair the checksum of mutated data so that the fuzzer reaches the
// decoding behind it rather than stopping at ErrDamaged.

// fakeBuild is the build the fuzz seeds claim.
var fakeBuild = Build{Producer: "chipsim v0.0.0-fuzz", GoVersion: "go1.26.0", GOOS: "linux", GOARCH: "amd64"}

// fakeSummaries returns shard k of n of a fake Monte Carlo of runs runs:
// two slots of one period (a ratio and a volume) and one outcome, the
// values drawn from run r's own generator as MonteCarlo draws them.
func fakeSummaries(runs, k, n int) *Summaries {
	s := &Summaries{Slots: []int{3, 7}, N: 1}
	for i := range 2 {
		unit := "ratio"
		if i >= 1 {
			unit = "units"
		}
		s.Sum = append(s.Sum, NewSummary(unit))
	}
	s.Outcome = append(s.Outcome, NewSummary("units"))
	lo, hi := Range(runs, k, n)
	for r := lo; r < hi; r++ {
		rng := rand.New(rand.NewPCG(1, uint64(r)))
		// Values in narrow ranges, so that the summaries' windows of bins,
		// and the seeds, stay small.
		for i, sum := range s.Sum {
			if i < 1 {
				sum.Add(0.3 + 0.01*rng.Float64())
			} else {
				sum.Add(1e6 * (1 + 0.05*rng.Float64()))
			}
		}
		v := 1e3 * math.Exp(0.05*rng.NormFloat64())
		if r%7 == 3 {
			v = math.Inf(1) // an outcome that never happens
		}
		s.Outcome[0].Add(v)
	}
	return s
}

// fakeShard returns the encoding of fakeSummaries(runs, k, n).
func fakeShard(tb testing.TB, runs, k, n int) []byte {
	tb.Helper()
	h := Header{Build: fakeBuild, Scenario: "fake", Ref: "fake.yaml", Digest: "0123abcd", Runs: runs, Seed: 1, Shard: k, Shards: n}
	data, err := EncodeSummaries(h, fakeSummaries(runs, k, n))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// fakeTable returns shard k of n of a fake plan of runs runs with two
// outcomes, the second +Inf in some runs and NaN in one.
func fakeTable(runs, k, n int) *Table {
	lo, hi := Range(runs, k, n)
	t := &Table{Runs: runs, Outcomes: []string{"ai.ssr_compute@2030", "first(ai.ssr_compute >= 2)"}, Lo: lo, Hi: hi}
	for r := lo; r < hi; r++ {
		y := 1 / float64(r+3)
		z := float64(2030 + r%5)
		switch r % 5 {
		case 4:
			z = math.Inf(1)
		case 2:
			if r == 7 {
				z = math.NaN()
			}
		}
		t.y = append(t.y, y, z)
	}
	return t
}

// fakePartial returns the encoding of shard k of n of a fake study.
func fakePartial(tb testing.TB, kind string, runs, k, n int) []byte {
	tb.Helper()
	p := &Partial{Kind: kind, Build: fakeBuild, Scenario: "fake", Ref: "fake.yaml", Digest: "0123abcd",
		Settings: map[string]string{"n": "8", "seed": "1"}, Shard: k, Shards: n, Table: fakeTable(runs, k, n)}
	data, err := p.Encode()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// withChecksum returns body followed by its SHA-256, as EncodeSummaries
// ends a shard.
func withChecksum(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

func FuzzDecodeSummaries(f *testing.F) {
	for _, c := range []struct{ runs, k, n int }{{12, 0, 1}, {12, 0, 3}, {12, 2, 3}, {2, 1, 3}} {
		data := fakeShard(f, c.runs, c.k, c.n)
		f.Add(data[:len(data)-sha256.Size])
	}
	f.Add([]byte("chipsim-mc-shard-v3\n"))
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		// As given (almost always damaged), then with its checksum
		// repaired: the fuzzer mutates the body of a shard.
		DecodeSummaries(data)
		shard := withChecksum(data)
		h, s, err := DecodeSummaries(shard)
		if err != nil {
			if s != nil {
				t.Fatalf("DecodeSummaries = %v and an error %v, want no summaries", s, err)
			}
			return
		}
		// What is accepted is what EncodeSummaries writes, and decodes to
		// the same again.
		again, err := EncodeSummaries(h, s)
		if err != nil {
			t.Fatalf("EncodeSummaries(DecodeSummaries(%q)): %v", shard, err)
		}
		if !bytes.Equal(again, shard) {
			t.Fatalf("EncodeSummaries(DecodeSummaries(%q)) = %q, want the same bytes", shard, again)
		}
		h2, s2, err := DecodeSummaries(again)
		if err != nil || h2 != h || len(s2.Sum) != len(s.Sum) || len(s2.Outcome) != len(s.Outcome) {
			t.Fatalf("DecodeSummaries(EncodeSummaries(h, s)) = %+v, %v, want %+v", h2, err, h)
		}
		// A merge of what decodes refuses it or merges it, without panicking.
		out, sums, err := MergeShards([]Header{h}, []*Summaries{s})
		if err == nil && (out.Shards != 1 || sums != s) {
			t.Fatalf("MergeShards(one shard) = %+v, want shard 1 of 1", out)
		}
		for _, sum := range s.Outcome {
			sum.Quantile(0.5)
		}
	})
}

// fixPartialChecksum returns data with its checksum replaced by the one
// DecodePartial computes from the values data holds, or data unchanged if
// it is not JSON with a checksum.
func fixPartialChecksum(data []byte) []byte {
	var j partialJSON
	if json.Unmarshal(data, &j) != nil {
		return data
	}
	key := []byte(`"checksum":"`)
	i := bytes.LastIndex(data, key)
	if i < 0 {
		return data
	}
	i += len(key)
	end := bytes.IndexByte(data[i:], '"')
	if end < 0 {
		return data
	}
	j.Checksum = ""
	body, err := json.Marshal(&j)
	if err != nil {
		return data
	}
	sum := sha256.Sum256(body)
	return bytes.Join([][]byte{data[:i], []byte(hex.EncodeToString(sum[:])), data[i+end:]}, nil)
}

func FuzzDecodePartial(f *testing.F) {
	for _, c := range []struct {
		kind       string
		runs, k, n int
	}{{"sweep", 9, 0, 1}, {"sobol", 12, 1, 3}, {"morris", 2, 2, 3}} {
		f.Add(fakePartial(f, c.kind, c.runs, c.k, c.n))
	}
	data := fakePartial(f, "sobol", 12, 0, 2)
	for _, edit := range []struct{ old, new string }{
		{`"y":["`, `"y":[null,"`},
		{`"shard":0`, `"shard":null`},
		{`"lo":0`, `"LO":0`},
		{`"lo":0`, `"lo":0,"lo":1`},
		{`"format":"chipsim-study-shard-v2"`, `"format":"chipsim-study-shard-v1"`},
	} {
		f.Add(bytes.Replace(data, []byte(edit.old), []byte(edit.new), 1))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		DecodePartial(data)
		fixed := fixPartialChecksum(data)
		p, err := DecodePartial(fixed)
		if err != nil {
			if p != nil {
				t.Fatalf("DecodePartial = %+v and an error %v, want no partial", p, err)
			}
			return
		}
		again, err := p.Encode()
		if err != nil {
			t.Fatalf("Encode(DecodePartial(%q)): %v", fixed, err)
		}
		if !bytes.Equal(again, fixed) {
			t.Fatalf("Encode(DecodePartial(%q)) = %q, want the same bytes", fixed, again)
		}
		p2, err := DecodePartial(again)
		if err != nil || !samePartial(p, p2) {
			t.Fatalf("DecodePartial(Encode(p)) = %+v, %v, want %+v", p2, err, p)
		}
		if _, err := MergePartials([]*Partial{p}); err != nil && p.Shards == 1 {
			t.Fatalf("MergePartials(the only shard) error %v, want nil", err)
		}
	})
}

// samePartial reports whether a and b are equal, NaNs included.
func samePartial(a, b *Partial) bool {
	if a.Kind != b.Kind || a.Build != b.Build || a.Scenario != b.Scenario || a.Ref != b.Ref || a.Digest != b.Digest ||
		a.Shard != b.Shard || a.Shards != b.Shards || len(a.Settings) != len(b.Settings) {
		return false
	}
	for k, v := range a.Settings {
		if w, ok := b.Settings[k]; !ok || w != v {
			return false
		}
	}
	ta, tb := a.Table, b.Table
	if ta.Runs != tb.Runs || ta.Lo != tb.Lo || ta.Hi != tb.Hi || !equal(ta.Outcomes, tb.Outcomes) || len(ta.y) != len(tb.y) {
		return false
	}
	for i := range ta.y {
		if math.Float64bits(ta.y[i]) != math.Float64bits(tb.y[i]) {
			return false
		}
	}
	return true
}
