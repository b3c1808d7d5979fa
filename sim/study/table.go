package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/chipsim/chipsim/sim/outcome"
)

// Table holds the outcomes of runs [Lo, Hi) of a plan of Runs runs.
type Table struct {
	Runs     int      // runs of the whole plan
	Outcomes []string // the outcomes' expressions, in column order
	Lo, Hi   int      // the runs held
	y        []float64
}

func newTable(outs []*outcome.Outcome, runs, lo, hi int) *Table {
	t := &Table{Runs: runs, Lo: lo, Hi: hi, y: make([]float64, (hi-lo)*len(outs))}
	for _, o := range outs {
		t.Outcomes = append(t.Outcomes, o.String())
	}
	return t
}

// Complete reports whether the table holds every run of the plan.
func (t *Table) Complete() bool { return t.Lo == 0 && t.Hi == t.Runs }

// At returns outcome k of run, which must lie in [Lo, Hi).
func (t *Table) At(run, k int) float64 { return t.y[(run-t.Lo)*len(t.Outcomes)+k] }

// Column returns outcome k of runs Lo to Hi-1, freshly allocated.
func (t *Table) Column(k int) []float64 {
	out := make([]float64, t.Hi-t.Lo)
	for i := range out {
		out[i] = t.y[i*len(t.Outcomes)+k]
	}
	return out
}

// NonFinite returns the first run whose outcome k is infinite or NaN,
// or -1 when every value is finite.
func (t *Table) NonFinite(k int) int {
	for run := t.Lo; run < t.Hi; run++ {
		if v := t.At(run, k); math.IsInf(v, 0) || math.IsNaN(v) {
			return run
		}
	}
	return -1
}

// MergeTables joins the tables of a plan's shards into the table of the
// whole plan. The parts, in any order, must tile the runs exactly: no
// run missing or given twice.
func MergeTables(parts []*Table) (*Table, error) {
	if len(parts) == 0 {
		return nil, errors.New("study: no tables to merge")
	}
	sorted := append([]*Table(nil), parts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Lo < sorted[j].Lo })
	first := sorted[0]
	K := len(first.Outcomes)
	out := &Table{Runs: first.Runs, Outcomes: first.Outcomes, Hi: first.Runs, y: make([]float64, first.Runs*K)}
	at := 0
	for _, p := range sorted {
		if p.Runs != first.Runs || !equal(p.Outcomes, first.Outcomes) {
			return nil, errors.New("study: merging tables of different plans")
		}
		if p.Lo != at {
			if p.Lo < at {
				return nil, fmt.Errorf("study: runs %d to %d are given twice", p.Lo, at-1)
			}
			return nil, fmt.Errorf("study: runs %d to %d are missing", at, p.Lo-1)
		}
		copy(out.y[p.Lo*K:p.Hi*K], p.y)
		at = p.Hi
	}
	if at != first.Runs {
		return nil, fmt.Errorf("study: runs %d to %d are missing", at, first.Runs-1)
	}
	return out, nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Partial is a shard's share of a study: its table and what a merge
// needs to finish the study as one run would.
type Partial struct {
	Kind     string            // what study: "sweep", "sobol", "morris"
	Build    Build             // the program that wrote the shard: set it with CurrentBuild
	Scenario string            // the scenario's name
	Ref      string            // the scenario as named on the command line
	Digest   string            // of the scenario's inputs and every setting that affects results
	Settings map[string]string // the settings that define the study
	Shard    int               // 0-based
	Shards   int
	Table    *Table
}

// partialMagic identifies the format of an encoded Partial; its version
// changes with the format. v2 added the build and reads only what v2
// writes, byte for byte.
const (
	partialPrefix = "chipsim-study-shard-"
	partialMagic  = partialPrefix + "v2"
)

type partialJSON struct {
	Format    string            `json:"format"`
	Kind      string            `json:"kind"`
	Producer  string            `json:"producer"`
	GoVersion string            `json:"go"`
	GOOS      string            `json:"goos"`
	GOARCH    string            `json:"goarch"`
	Scenario  string            `json:"scenario"`
	Ref       string            `json:"ref"`
	Digest    string            `json:"digest"`
	Settings  map[string]string `json:"settings"`
	Shard     int               `json:"shard"`
	Shards    int               `json:"shards"`
	Runs      int               `json:"runs"`
	Outcomes  []string          `json:"outcomes"`
	Lo        int               `json:"lo"`
	Hi        int               `json:"hi"`
	// Y holds runs lo..hi-1, each run's outcomes in order, as exact
	// decimal strings: JSON numbers cannot hold +Inf ("never").
	Y        []string `json:"y"`
	Checksum string   `json:"checksum,omitempty"`
}

// Encode encodes the partial as JSON with a SHA-256 checksum. Set its
// Build, so that a merge can refuse shards of different builds.
func (p *Partial) Encode() ([]byte, error) {
	t := p.Table
	b := p.Build
	j := partialJSON{Format: partialMagic, Kind: p.Kind, Producer: b.Producer, GoVersion: b.GoVersion, GOOS: b.GOOS, GOARCH: b.GOARCH,
		Scenario: p.Scenario, Ref: p.Ref, Digest: p.Digest, Settings: p.Settings, Shard: p.Shard, Shards: p.Shards,
		Runs: t.Runs, Outcomes: t.Outcomes, Lo: t.Lo, Hi: t.Hi, Y: make([]string, len(t.y))}
	for i, v := range t.y {
		j.Y[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	body, err := json.Marshal(&j)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	j.Checksum = hex.EncodeToString(sum[:])
	out, err := json.Marshal(&j)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// ErrNotPartial reports data that is not an encoded Partial.
var ErrNotPartial = errors.New("not a chipsim study shard")

// IsPartial reports whether data looks like an encoded Partial, of this
// version of chipsim or another.
func IsPartial(data []byte) bool {
	return bytes.HasPrefix(data, []byte(`{"format":"`+partialPrefix))
}

// DecodePartial decodes and checks a Partial written by Encode: data in
// the format of another version is an ErrFormat error, a checksum that
// does not match ErrDamaged, and anything else that is not exactly what
// Encode writes (unknown or repeated fields, null for a value, numbers
// not in their shortest form, a shard's runs other than its share)
// ErrNotPartial.
func DecodePartial(data []byte) (*Partial, error) {
	if !IsPartial(data) {
		return nil, ErrNotPartial
	}
	if !bytes.HasPrefix(data, []byte(`{"format":"`+partialMagic+`"`)) {
		return nil, formatError(data[len(`{"format":"`):], partialMagic)
	}
	var j partialJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPartial, err)
	}
	sum := j.Checksum
	j.Checksum = ""
	body, err := json.Marshal(&j)
	if err != nil {
		return nil, err
	}
	if got := sha256.Sum256(body); hex.EncodeToString(got[:]) != sum {
		return nil, ErrDamaged
	}
	K := len(j.Outcomes)
	switch {
	case j.Runs < 1 || j.Runs > MaxRuns*10:
		return nil, fmt.Errorf("%w: %d runs", ErrNotPartial, j.Runs)
	case j.Shards < 1 || j.Shards > maxShards || j.Shard < 0 || j.Shard >= j.Shards:
		return nil, fmt.Errorf("%w: shard %d of %d", ErrNotPartial, j.Shard+1, j.Shards)
	case j.Lo < 0 || j.Hi > j.Runs || j.Lo > j.Hi:
		return nil, fmt.Errorf("%w: runs %d to %d of %d", ErrNotPartial, j.Lo, j.Hi, j.Runs)
	case len(j.Y) != (j.Hi-j.Lo)*K:
		return nil, fmt.Errorf("%w: %d values for %d runs of %d outcomes", ErrNotPartial, len(j.Y), j.Hi-j.Lo, K)
	}
	if lo, hi := Range(j.Runs, j.Shard, j.Shards); lo != j.Lo || hi != j.Hi {
		return nil, fmt.Errorf("%w: shard %d of %d holds runs %d to %d, want %d to %d", ErrNotPartial, j.Shard+1, j.Shards, j.Lo, j.Hi-1, lo, hi-1)
	}
	t := &Table{Runs: j.Runs, Outcomes: j.Outcomes, Lo: j.Lo, Hi: j.Hi, y: make([]float64, len(j.Y))}
	for i, s := range j.Y {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: value %q is not a number", ErrNotPartial, s)
		}
		t.y[i] = v
	}
	p := &Partial{Kind: j.Kind, Build: Build{Producer: j.Producer, GoVersion: j.GoVersion, GOOS: j.GOOS, GOARCH: j.GOARCH},
		Scenario: j.Scenario, Ref: j.Ref, Digest: j.Digest, Settings: j.Settings, Shard: j.Shard, Shards: j.Shards, Table: t}
	// The checksum covers the decoded values, which JSON lets many texts
	// spell: null for 0 or "", a key in capitals, a key given twice, a
	// value as 1.0 or 1e0, text after the object. Only Encode's own
	// spelling is accepted, so that what is read is what was written.
	again, err := p.Encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, data) {
		i := 0
		for i < len(data) && i < len(again) && data[i] == again[i] {
			i++
		}
		return nil, fmt.Errorf("%w: byte %d differs from what chipsim writes for the values read (a null, a repeated or miscapitalised key, a number not in shortest form, or trailing data)", ErrNotPartial, i)
	}
	return p, nil
}

// MergePartials checks that parts are every shard of one study, once
// each, written by one build (see [Build]), and returns the first part's
// header with the merged table. An error about one shard is a
// *ShardError naming its index; shards of different builds give one
// wrapping [ErrBuild].
func MergePartials(parts []*Partial) (*Partial, error) {
	if len(parts) == 0 {
		return nil, errors.New("study: no shards to merge")
	}
	h := parts[0]
	seen := map[int]int{}
	tables := make([]*Table, len(parts))
	for i, p := range parts {
		if p.Kind != h.Kind || p.Digest != h.Digest || p.Shards != h.Shards || p.Scenario != h.Scenario {
			return nil, &ShardError{Index: i, Other: -1, Err: errors.New("belongs to another study (kind, scenario, inputs or settings differ)")}
		}
		if err := h.Build.compare(p.Build); err != nil {
			return nil, &ShardError{Index: i, Other: 0, Err: err}
		}
		switch {
		case p.Shards < 1 || p.Shards > maxShards || p.Shard < 0 || p.Shard >= p.Shards:
			return nil, &ShardError{Index: i, Other: -1, Err: fmt.Errorf("is shard %d of %d", p.Shard+1, p.Shards)}
		case p.Table == nil:
			return nil, &ShardError{Index: i, Other: -1, Err: errors.New("has no table")}
		}
		if j, dup := seen[p.Shard]; dup {
			return nil, &ShardError{Index: i, Other: j, Err: fmt.Errorf("are both shard %d of %d", p.Shard+1, p.Shards)}
		}
		seen[p.Shard] = i
		tables[i] = p.Table
	}
	if err := missingShards(seen, h.Shards); err != nil {
		return nil, err
	}
	t, err := MergeTables(tables)
	if err != nil {
		return nil, err
	}
	out := *h
	out.Shard, out.Shards, out.Table = 0, 1, t
	return &out, nil
}

// ShardError is an error about the Index-th shard given to a merge and,
// for a shard given twice, the Other (else -1).
type ShardError struct {
	Index, Other int
	Err          error
}

func (e *ShardError) Error() string { return e.Err.Error() }
func (e *ShardError) Unwrap() error { return e.Err }
