package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestCurrentBuild(t *testing.T) {
	b := CurrentBuild("chipsim v1.2.3")
	want := Build{Producer: "chipsim v1.2.3", GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	if b != want {
		t.Errorf("CurrentBuild = %+v, want %+v", b, want)
	}
}

// otherBuilds are builds that differ from fakeBuild in one field, and the
// values a merge must name.
var otherBuilds = []struct {
	name  string
	build Build
	want  string
}{
	{"platform", Build{Producer: fakeBuild.Producer, GoVersion: fakeBuild.GoVersion, GOOS: "js", GOARCH: "wasm"},
		`were run on different platforms, "linux/amd64" and "js/wasm"`},
	{"arch", Build{Producer: fakeBuild.Producer, GoVersion: fakeBuild.GoVersion, GOOS: "linux", GOARCH: "arm64"},
		`were run on different platforms, "linux/amd64" and "linux/arm64"`},
	{"go", Build{Producer: fakeBuild.Producer, GoVersion: "go1.25.3", GOOS: "linux", GOARCH: "amd64"},
		`were built with different Go releases, "go1.26.0" and "go1.25.3"`},
	{"producer", Build{Producer: "chipsim v0.0.1", GoVersion: fakeBuild.GoVersion, GOOS: "linux", GOARCH: "amd64"},
		`were written by different versions, "chipsim v0.0.0-fuzz" and "chipsim v0.0.1"`},
	{"unknown", Build{}, `were written by different versions, "chipsim v0.0.0-fuzz" and unknown`},
}

// decodedShards returns the decoded shards of a fake job of runs runs cut
// in n, shard k's written by build b[k] (fakeBuild where b is short).
func decodedShards(t *testing.T, runs, n int, b ...Build) ([]Header, []*Summaries) {
	t.Helper()
	var hs []Header
	var ss []*Summaries
	for k := range n {
		h := Header{Build: fakeBuild, Scenario: "fake", Ref: "fake.yaml", Digest: "0123abcd", Runs: runs, Seed: 1, Shard: k, Shards: n}
		if k < len(b) {
			h.Build = b[k]
		}
		data, err := EncodeSummaries(h, fakeSummaries(runs, k, n))
		if err != nil {
			t.Fatal(err)
		}
		h, s, err := DecodeSummaries(data)
		if err != nil {
			t.Fatalf("DecodeSummaries(shard %d of %d): %v", k+1, n, err)
		}
		hs, ss = append(hs, h), append(ss, s)
	}
	return hs, ss
}

func TestMergeShardsBuilds(t *testing.T) {
	hs, ss := decodedShards(t, 30, 3)
	h, s, err := MergeShards(hs, ss)
	if err != nil {
		t.Fatalf("MergeShards(one build) error %v", err)
	}
	want, _ := EncodeSummaries(Header{Build: fakeBuild, Scenario: "fake", Ref: "fake.yaml", Digest: "0123abcd", Runs: 30, Seed: 1, Shards: 1}, fakeSummaries(30, 0, 1))
	if got, _ := EncodeSummaries(h, s); !bytes.Equal(got, want) {
		t.Errorf("MergeShards(3 shards) differs from the unsharded run")
	}
	for _, tt := range otherBuilds {
		t.Run(tt.name, func(t *testing.T) {
			hs, ss := decodedShards(t, 30, 3, fakeBuild, fakeBuild, tt.build)
			_, _, err := MergeShards(hs, ss)
			var se *ShardError
			if !errors.Is(err, ErrBuild) || !errors.As(err, &se) || se.Index != 2 || se.Other != 0 || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("MergeShards = %v (%+v), want ErrBuild about shards 2 and 0: %s", err, se, tt.want)
			}
		})
	}
}

func TestMergePartialsBuilds(t *testing.T) {
	parts := func(b Build) []*Partial {
		var out []*Partial
		for k := range 3 {
			p, err := DecodePartial(fakePartial(t, "sobol", 12, k, 3))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		out[1].Build = b
		return out
	}
	if _, err := MergePartials(parts(fakeBuild)); err != nil {
		t.Fatalf("MergePartials(one build) error %v", err)
	}
	for _, tt := range otherBuilds {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MergePartials(parts(tt.build))
			var se *ShardError
			if !errors.Is(err, ErrBuild) || !errors.As(err, &se) || se.Index != 1 || se.Other != 0 || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("MergePartials = %v (%+v), want ErrBuild about shards 1 and 0: %s", err, se, tt.want)
			}
		})
	}
}

// A shard whose summaries hold more or fewer runs than its header's share
// overlaps another shard or leaves a gap: merge refuses it rather than
// counting runs twice or not at all.
func TestMergeShardsRuns(t *testing.T) {
	hs, ss := decodedShards(t, 30, 2)
	// Shard 2 of 2 claims runs 15 to 29 but holds runs 10 to 29 (shard 2
	// of 3 and 3 of 3 of the same job).
	big := fakeSummaries(30, 1, 3)
	if err := big.Merge(fakeSummaries(30, 2, 3)); err != nil {
		t.Fatal(err)
	}
	_, _, err := MergeShards(hs, []*Summaries{ss[0], big})
	var se *ShardError
	if !errors.As(err, &se) || se.Index != 1 || !strings.Contains(err.Error(), "holds 20 runs, but shard 2 of 2 holds runs 15 to 29 (15 runs)") {
		t.Errorf("MergeShards(overlapping shard) error %v, want one about shard 1 holding 20 runs", err)
	}
	// Other metrics.
	other := fakeSummaries(30, 1, 2)
	other.Slots = []int{3, 8}
	if _, _, err := MergeShards(hs, []*Summaries{ss[0], other}); err == nil || !strings.Contains(err.Error(), "summarise different metrics") {
		t.Errorf("MergeShards(other slots) error %v, want one about different metrics", err)
	}
}

// reencode returns shard with its body from the first occurrence of old
// replaced by new and its checksum recomputed.
func reencode(t *testing.T, shard, old, new []byte) []byte {
	t.Helper()
	body := shard[:len(shard)-sha256.Size]
	i := bytes.Index(body, old)
	if i < 0 {
		t.Fatalf("no % x in the shard", old)
	}
	return withChecksum(bytes.Join([][]byte{body[:i], new, body[i+len(old):]}, nil))
}

func TestDecodeSummariesRefuses(t *testing.T) {
	shard := fakeShard(t, 12, 1, 3)
	uv := func(x uint64) []byte { return binary.AppendUvarint(nil, x) }
	digest := append(uv(8), "0123abcd"...)
	// The header's runs, seed, shard and shards follow the digest.
	header := bytes.Join([][]byte{digest, uv(12), uv(1), uv(1), uv(3)}, nil)
	withHeader := func(runs, k, shards uint64) []byte {
		return reencode(t, shard, header, bytes.Join([][]byte{digest, uv(runs), uv(1), uv(k), uv(shards)}, nil))
	}
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"padded runs", reencode(t, shard, header, bytes.Join([][]byte{digest, {0x80 | 12, 0}, uv(1), uv(1), uv(3)}, nil)), ErrNotShard, "malformed runs"},
		{"padded string length", reencode(t, shard, digest, append([]byte{0x80 | 8, 0}, "0123abcd"...)), ErrNotShard, "malformed digest length"},
		{"no runs", withHeader(0, 1, 3), ErrNotShard, "0 runs"},
		{"negative runs", withHeader(1<<64-1, 1, 3), ErrNotShard, "runs 18446744073709551615 is over"},
		{"too many runs", withHeader(1<<62, 1, 3), ErrNotShard, "runs 4611686018427387904 is over"},
		{"shard past shards", withHeader(12, 3, 3), ErrNotShard, "shard 4 of 3"},
		{"no shards", withHeader(12, 0, 0), ErrNotShard, "shard 1 of 0"},
		{"too many shards", withHeader(12, 1, 1<<40), ErrNotShard, "shards 1099511627776 is over"},
		{"negative shard", withHeader(12, 1<<64-1, 3), ErrNotShard, "shard 18446744073709551615 is over"},
		{"trailing byte", withChecksum(append(bytes.Clone(shard[:len(shard)-sha256.Size]), 0)), ErrNotShard, "1 trailing bytes"},
		{"truncated", withChecksum(shard[:len(shard)-sha256.Size-1]), ErrNotShard, "truncated"},
		{"damaged", append(bytes.Clone(shard[:len(shard)-1]), shard[len(shard)-1]^1), ErrDamaged, ""},
		{"version 3", []byte("chipsim-mc-shard-v3\n\x00\x00"), ErrFormat, `(format "chipsim-mc-shard-v3", this version reads "chipsim-mc-shard-v4")`},
		{"version 5", []byte("chipsim-mc-shard-v5\n\x00\x00"), ErrFormat, `(format "chipsim-mc-shard-v5", this version reads "chipsim-mc-shard-v4")`},
		{"not a shard", []byte("scenario,period\n"), ErrNotShard, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, s, err := DecodeSummaries(tt.data)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) || s != nil {
				t.Errorf("DecodeSummaries = %+v, %v, %v; want %v containing %q", h, s != nil, err, tt.want, tt.msg)
			}
		})
	}
}

// A summary holding another number of values than the others (a run
// missing from it, or added twice) is refused.
func TestDecodeSummariesUnevenCounts(t *testing.T) {
	s := fakeSummaries(12, 0, 1)
	s.Outcome[0].Add(1)
	data, err := EncodeSummaries(Header{Runs: 12, Shards: 1}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := DecodeSummaries(data); !errors.Is(err, ErrNotShard) || !strings.Contains(err.Error(), "summary 2 holds 13 values, summary 0 12") {
		t.Errorf("DecodeSummaries(uneven counts) error %v, want ErrNotShard about summary 2", err)
	}
}

// DecodePartial accepts only what Encode writes: the checksum covers the
// values read, which other JSON texts also give.
func TestDecodePartialRefuses(t *testing.T) {
	data := fakePartial(t, "sobol", 12, 0, 2)
	if _, err := DecodePartial(data); err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("test data: no %s in %s", old, data)
		}
		return fixPartialChecksum(bytes.Replace(data, []byte(old), []byte(new), 1))
	}
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"null value", edit(`"y":["0.3333333333333333"`, `"y":[null`), ErrNotPartial, `value "" is not a number`},
		{"null values", fixPartialChecksum(regexp.MustCompile(`"y":\[[^]]*\]`).ReplaceAll(data, []byte(`"y":null`))), ErrNotPartial, "0 values for 6 runs of 2 outcomes"},
		{"null shard", edit(`"shard":0`, `"shard":null`), ErrNotPartial, "byte"},
		{"null kind", edit(`"kind":"sobol"`, `"kind":null`), ErrNotPartial, "byte"},
		{"unknown field", edit(`"kind":`, `"extra":1,"kind":`), ErrNotPartial, `unknown field "extra"`},
		{"key twice", edit(`"lo":0`, `"lo":1,"lo":0`), ErrNotPartial, "byte"},
		{"key in capitals", edit(`"lo":0`, `"LO":0`), ErrNotPartial, "byte"},
		{"number not shortest", edit(`"y":["0.3333333333333333"`, `"y":["0.33333333333333331"`), ErrNotPartial, "byte"},
		{"number spelt", edit(`"y":["0.3333333333333333"`, `"y":["3.333333333333333e-01"`), ErrNotPartial, "byte"},
		{"space", edit(`"lo":0`, `"lo": 0`), ErrNotPartial, "byte"},
		{"trailing data", fixPartialChecksum(append(bytes.Clone(data), "{}\n"...)), ErrNotPartial, "byte"},
		// Runs other than the shard's share: shard 1 of 2 holds runs 0 to
		// 5, which would overlap shard 2 of 3.
		{"another share", edit(`"shards":2`, `"shards":3`), ErrNotPartial, "shard 1 of 3 holds runs 0 to 5, want 0 to 3"},
		{"too many shards", edit(`"shards":2`, `"shards":2000000`), ErrNotPartial, "shard 1 of 2000000"},
		{"version 1", edit(`"format":"chipsim-study-shard-v2"`, `"format":"chipsim-study-shard-v1"`), ErrFormat,
			`(format "chipsim-study-shard-v1", this version reads "chipsim-study-shard-v2")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePartial(tt.data)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) || p != nil {
				t.Errorf("DecodePartial(%s) = %v, %v; want %v containing %q", tt.data, p != nil, err, tt.want, tt.msg)
			}
		})
	}
	// An old shard is still a shard: IsPartial sends it to DecodePartial,
	// which names its format.
	if old := edit(`"format":"chipsim-study-shard-v2"`, `"format":"chipsim-study-shard-v1"`); !IsPartial(old) {
		t.Errorf("IsPartial(version 1) = false, want true")
	}
}

func TestMissingShards(t *testing.T) {
	seen := map[int]int{0: 0, 30: 1}
	err := missingShards(seen, 40)
	want := "study: shards 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, … (38 in all) of 40 are missing"
	if err == nil || err.Error() != want {
		t.Errorf("missingShards = %v, want %s", err, want)
	}
}
