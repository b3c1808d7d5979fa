package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/uq"
)

// Build identifies the program that wrote a shard. Floating-point
// results can differ in their last digits between CPU architectures (an
// amd64 and a Wasm build of chipsim disagree), between Go releases (the
// math library, the compiler's fused multiply-adds and math/rand/v2's
// derived values are not promised bit for bit) and between versions of
// chipsim, so a merge refuses shards of different builds: the merged
// result would match no single run.
type Build struct {
	Producer  string // the producing program and its version, such as "chipsim v1.4.0"
	GoVersion string // runtime.Version() of the producer, such as "go1.26.1"
	GOOS      string // runtime.GOOS of the producer
	GOARCH    string // runtime.GOARCH of the producer
}

// CurrentBuild returns the build of the running program, whose version
// is producer (the study package cannot know it: a command passes its
// own).
func CurrentBuild(producer string) Build {
	return Build{Producer: producer, GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// ErrBuild reports shards written by different builds: another version
// of the producer, another Go release or another platform. Merges return
// it inside a *ShardError naming two shards.
var ErrBuild = errors.New("study: shards of different builds")

// buildError is an ErrBuild that reads as a phrase about two shards, as
// in "a.bin and b.bin were run on different platforms, ...".
type buildError struct{ msg string }

func (e *buildError) Error() string { return e.msg }
func (e *buildError) Unwrap() error { return ErrBuild }

// compare returns nil if b and o are the same build, else a *buildError
// naming both values of the first field that differs, b's first.
func (b Build) compare(o Build) error {
	show := func(s string) string {
		if s == "" || s == "/" {
			return "unknown"
		}
		return strconv.Quote(s)
	}
	const fp = "whose floating-point results can differ in the last digits"
	switch {
	case b.Producer != o.Producer:
		return &buildError{fmt.Sprintf("were written by different versions, %s and %s: rerun every shard with one version", show(b.Producer), show(o.Producer))}
	case b.GoVersion != o.GoVersion:
		return &buildError{fmt.Sprintf("were built with different Go releases, %s and %s, %s: rerun every shard with one build", show(b.GoVersion), show(o.GoVersion), fp)}
	case b.GOOS != o.GOOS || b.GOARCH != o.GOARCH:
		return &buildError{fmt.Sprintf("were run on different platforms, %s and %s, %s: rerun every shard on one platform", show(b.GOOS+"/"+b.GOARCH), show(o.GOOS+"/"+o.GOARCH), fp)}
	}
	return nil
}

// Header identifies the job a shard belongs to, so that merge refuses to
// mix shards of different jobs, and the build that ran it, so that merge
// refuses to mix builds.
type Header struct {
	Build    Build  // the program that wrote the shard: set it with CurrentBuild
	Scenario string // the scenario's name
	Ref      string // the scenario as named on the command line: a shipped name or a path
	Digest   string // of the scenario's resolved inputs and every setting that affects results
	Runs     int
	Seed     uint64
	Shard    int
	Shards   int
}

// magic begins every Monte Carlo shard; its version changes with the
// format. v4 added the build.
const (
	magicPrefix = "chipsim-mc-shard-"
	magic       = magicPrefix + "v4\n"
)

// Bounds of what a shard may hold: larger values are damage, not data.
const (
	maxShards  = 1 << 20 // shards of a job
	maxMCRuns  = 1 << 40 // runs of a Monte Carlo job (Range(runs, k, n) stays in int64)
	maxPeriods = 1 << 20 // periods of a run
	maxSlots   = 1 << 24 // result slots and their indices
	maxText    = 1 << 16 // bytes of a header string
)

// EncodeSummaries encodes a Monte Carlo shard: its header, its summaries
// and a SHA-256 checksum of both. Set the header's Build, so that a merge
// can refuse shards of different builds.
func EncodeSummaries(h Header, s *Summaries) ([]byte, error) {
	if s.N < 0 || len(s.Sum) != len(s.Slots)*s.N {
		return nil, fmt.Errorf("study: EncodeSummaries: %d summaries for %d slots of %d periods", len(s.Sum), len(s.Slots), s.N)
	}
	var b bytes.Buffer
	b.WriteString(magic)
	str := func(x string) { writeUvarint(&b, uint64(len(x))); b.WriteString(x) }
	str(h.Build.Producer)
	str(h.Build.GoVersion)
	str(h.Build.GOOS)
	str(h.Build.GOARCH)
	str(h.Scenario)
	str(h.Ref)
	str(h.Digest)
	writeUvarint(&b, uint64(h.Runs))
	writeUvarint(&b, h.Seed)
	writeUvarint(&b, uint64(h.Shard))
	writeUvarint(&b, uint64(h.Shards))
	writeUvarint(&b, uint64(s.N))
	writeUvarint(&b, uint64(len(s.Slots)))
	for _, sl := range s.Slots {
		writeUvarint(&b, uint64(sl))
	}
	writeUvarint(&b, uint64(len(s.Outcome)))
	for _, sum := range append(append([]*uq.Summary(nil), s.Sum...), s.Outcome...) {
		data, err := sum.MarshalBinary()
		if err != nil {
			return nil, err
		}
		writeUvarint(&b, uint64(len(data)))
		b.Write(data)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

func writeUvarint(b *bytes.Buffer, x uint64) {
	var tmp [binary.MaxVarintLen64]byte
	b.Write(tmp[:binary.PutUvarint(tmp[:], x)])
}

// ErrNotShard reports a file that is not a chipsim Monte Carlo shard.
var ErrNotShard = errors.New("not a chipsim Monte Carlo shard")

// ErrDamaged reports a shard whose checksum does not match its contents.
var ErrDamaged = errors.New("study: damaged shard (checksum mismatch)")

// ErrFormat reports a shard in the format of another version of chipsim.
var ErrFormat = errors.New("study: shard written by another version of chipsim")

// formatError returns an ErrFormat error naming the format at the start
// of found (up to a newline or quote) and the one wanted.
func formatError(found []byte, want string) error {
	found = found[:min(len(found), len(want)+8)]
	if i := bytes.IndexAny(found, "\n\""); i >= 0 {
		found = found[:i]
	}
	return fmt.Errorf("%w (format %q, this version reads %q): rerun the shards with this version", ErrFormat, found, want)
}

// shardReader reads the fields of a shard, remembering the first error.
type shardReader struct {
	b   []byte
	err error
}

func (r *shardReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrNotShard, fmt.Sprintf(format, args...))
	}
}

// uvarint reads a varint in its shortest form, at most max.
func (r *shardReader) uvarint(what string, max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	switch {
	case n == 0:
		r.fail("truncated at its %s", what)
		return 0
	case n < 0 || (n > 1 && r.b[n-1] == 0):
		r.fail("malformed %s", what) // overflowing, or padded: not what EncodeSummaries writes
		return 0
	case x > max:
		r.fail("%s %d is over %d", what, x, max)
		return 0
	}
	r.b = r.b[n:]
	return x
}

// bytes reads a length-prefixed byte string of at most max bytes.
func (r *shardReader) bytes(what string, max uint64) []byte {
	n := r.uvarint(what+" length", max)
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.fail("truncated in its %s", what)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// DecodeSummaries decodes a shard written by EncodeSummaries, checking its
// checksum and the bounds of every field: whatever the data, it returns an
// error or a header and summaries that MergeShards can use. Data in the
// format of another version is an ErrFormat error, damage ErrDamaged, and
// anything else ErrNotShard.
func DecodeSummaries(data []byte) (Header, *Summaries, error) {
	var h Header
	if !bytes.HasPrefix(data, []byte(magic)) {
		if bytes.HasPrefix(data, []byte(magicPrefix)) {
			return h, nil, formatError(data, magic[:len(magic)-1])
		}
		return h, nil, ErrNotShard
	}
	if len(data) < len(magic)+sha256.Size {
		return h, nil, fmt.Errorf("%w: truncated", ErrNotShard)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return h, nil, ErrDamaged
	}
	r := &shardReader{b: body[len(magic):]}
	str := func(what string) string { return string(r.bytes(what, maxText)) }
	h.Build = Build{Producer: str("producer"), GoVersion: str("Go version"), GOOS: str("GOOS"), GOARCH: str("GOARCH")}
	h.Scenario, h.Ref, h.Digest = str("scenario"), str("ref"), str("digest")
	h.Runs = int(r.uvarint("runs", maxMCRuns))
	h.Seed = r.uvarint("seed", math.MaxUint64)
	h.Shard = int(r.uvarint("shard", maxShards))
	h.Shards = int(r.uvarint("shards", maxShards))
	if r.err != nil {
		return h, nil, r.err
	}
	switch {
	case h.Runs < 1:
		return h, nil, fmt.Errorf("%w: %d runs", ErrNotShard, h.Runs)
	case h.Shards < 1 || h.Shard >= h.Shards:
		return h, nil, fmt.Errorf("%w: shard %d of %d", ErrNotShard, h.Shard+1, h.Shards)
	}
	s := &Summaries{N: int(r.uvarint("periods", maxPeriods))}
	// Every slot takes a byte, every summary more: bound the counts by the
	// bytes left before allocating.
	ns := r.uvarint("slot count", min(maxSlots, uint64(len(r.b))))
	for range ns {
		s.Slots = append(s.Slots, int(r.uvarint("slot", maxSlots)))
	}
	no := r.uvarint("outcome count", uint64(len(r.b)))
	if r.err != nil {
		return h, nil, r.err
	}
	if nsum := ns * uint64(s.N); s.N > 0 && (nsum/uint64(s.N) != ns || nsum+no > uint64(len(r.b))) {
		return h, nil, fmt.Errorf("%w: %d slots of %d periods and %d outcomes in %d bytes", ErrNotShard, ns, s.N, no, len(r.b))
	}
	total := int(ns)*s.N + int(no)
	values := -1 // of every summary: each run adds one value to each
	for i := 0; i < total; i++ {
		buf := r.bytes("summary", uint64(len(r.b)))
		if r.err != nil {
			return h, nil, r.err
		}
		sum := new(uq.Summary)
		if e := sum.UnmarshalBinary(buf); e != nil {
			return h, nil, fmt.Errorf("%w: summary %d: %v", ErrNotShard, i, e)
		}
		switch n := sum.Count() + sum.NaNs(); {
		case n < sum.Count() || n > maxMCRuns:
			return h, nil, fmt.Errorf("%w: summary %d holds %d values", ErrNotShard, i, n)
		case values >= 0 && int(n) != values:
			return h, nil, fmt.Errorf("%w: summary %d holds %d values, summary 0 %d", ErrNotShard, i, n, values)
		}
		values = int(sum.Count() + sum.NaNs())
		if i < len(s.Slots)*s.N {
			s.Sum = append(s.Sum, sum)
		} else {
			s.Outcome = append(s.Outcome, sum)
		}
	}
	if len(r.b) != 0 {
		return h, nil, fmt.Errorf("%w: %d trailing bytes", ErrNotShard, len(r.b))
	}
	return h, s, nil
}

// missingShards returns an error listing the shards of n (counted from
// 1) not in seen, or nil; a long list is cut.
func missingShards(seen map[int]int, n int) error {
	var missing []string
	count := 0
	for k := 0; k < n; k++ {
		if _, ok := seen[k]; !ok {
			if count++; count <= 20 {
				missing = append(missing, strconv.Itoa(k+1))
			}
		}
	}
	switch {
	case count == 0:
		return nil
	case count > len(missing):
		missing = append(missing, fmt.Sprintf("… (%d in all)", count))
	}
	return fmt.Errorf("study: shards %s of %d are missing", strings.Join(missing, ", "), n)
}

// MergeShards checks that shards (decoded Monte Carlo shards, with their
// headers) are every shard of one job, once each, written by one build
// (see [Build]), each holding the runs its header claims, and merges
// their summaries into shard 0's: the result equals the unsharded run's.
// An error about one shard is a *ShardError naming its index; shards of
// different builds give one wrapping [ErrBuild].
func MergeShards(headers []Header, sums []*Summaries) (Header, *Summaries, error) {
	if len(headers) == 0 || len(headers) != len(sums) {
		return Header{}, nil, errors.New("study: no shards to merge")
	}
	h0 := headers[0]
	seen := map[int]int{}
	for i, h := range headers {
		if h.Digest != h0.Digest || h.Shards != h0.Shards || h.Scenario != h0.Scenario || h.Runs != h0.Runs || h.Seed != h0.Seed {
			return h0, nil, &ShardError{Index: i, Other: -1, Err: errors.New("belongs to another job (scenario, inputs, runs, seed or metrics differ)")}
		}
		if err := h0.Build.compare(h.Build); err != nil {
			return h0, nil, &ShardError{Index: i, Other: 0, Err: err}
		}
		if h.Shards < 1 || h.Shards > maxShards || h.Shard < 0 || h.Shard >= h.Shards {
			return h0, nil, &ShardError{Index: i, Other: -1, Err: fmt.Errorf("is shard %d of %d", h.Shard+1, h.Shards)}
		}
		if j, dup := seen[h.Shard]; dup {
			return h0, nil, &ShardError{Index: i, Other: j, Err: fmt.Errorf("are both shard %d of %d", h.Shard+1, h.Shards)}
		}
		seen[h.Shard] = i
	}
	if err := missingShards(seen, h0.Shards); err != nil {
		return h0, nil, err
	}
	for i, s := range sums {
		if s == nil {
			return h0, nil, &ShardError{Index: i, Other: -1, Err: errors.New("has no summaries")}
		}
	}
	s0 := sums[seen[0]]
	all0 := slices.Concat(s0.Sum, s0.Outcome)
	for i, h := range headers {
		s := sums[i]
		if s.N != s0.N || !slices.Equal(s.Slots, s0.Slots) || len(s.Sum) != len(s.Slots)*s.N || len(s.Sum) != len(s0.Sum) || len(s.Outcome) != len(s0.Outcome) {
			return h0, nil, &ShardError{Index: i, Other: seen[0], Err: errors.New("summarise different metrics, periods or outcomes")}
		}
		// Each run adds one value to every summary: a shard holding more
		// or fewer than its share overlaps another or leaves a gap.
		// Check before merging, so that a refused merge changes nothing.
		lo, hi := Range(h.Runs, h.Shard, h.Shards)
		for j, sum := range slices.Concat(s.Sum, s.Outcome) {
			if !sameConfig(sum, all0[j]) {
				return h0, nil, &ShardError{Index: i, Other: seen[0], Err: fmt.Errorf("bin summary %d differently", j)}
			}
			if n := sum.Count() + sum.NaNs(); n != uint64(hi-lo) {
				return h0, nil, &ShardError{Index: i, Other: -1, Err: fmt.Errorf("holds %d runs, but shard %d of %d holds runs %d to %d (%d runs)", n, h.Shard+1, h.Shards, lo, hi-1, hi-lo)}
			}
		}
	}
	out := s0
	for k := 1; k < h0.Shards; k++ {
		if err := out.Merge(sums[seen[k]]); err != nil {
			return h0, nil, &ShardError{Index: seen[k], Other: -1, Err: err}
		}
	}
	h0.Shard, h0.Shards = 0, 1
	return h0, out, nil
}

func sameConfig(a, b *uq.Summary) bool {
	alo, ahi := a.Range()
	blo, bhi := b.Range()
	return a.Scale() == b.Scale() && a.Bins() == b.Bins() && alo == blo && ahi == bhi
}

// Fits reports whether summaries decoded from a shard fit model m: its
// slots exist and its periods are m's. A merge checks it before it labels
// the summaries with m's metrics.
func (s *Summaries) Fits(m *sim.Model) error {
	if s.N != m.Calendar().N {
		return fmt.Errorf("study: the shards hold %d periods, the scenario runs %d", s.N, m.Calendar().N)
	}
	for _, sl := range s.Slots {
		if sl < 0 || sl >= len(m.Slots()) {
			return fmt.Errorf("study: the shards summarise slot %d, the scenario has %d", sl, len(m.Slots()))
		}
	}
	return nil
}
