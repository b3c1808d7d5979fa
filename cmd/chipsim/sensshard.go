package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/mc"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/uq"
	"github.com/spf13/cobra"
)

func mcRange(runs, k, n int) (int, int) { return mc.Range(runs, k, n) }

const sensShardKind = "chipsim-sensitivity-shard-v1"

// checkShards reports a shard given twice or missing: files[i] holds shard
// shard[i] (0-based) of total.
func checkShards(files []string, shard []int, total int) error {
	seen := map[int]string{}
	for i, k := range shard {
		if prev, dup := seen[k]; dup {
			return usagef("%s and %s are both shard %d of %d", prev, files[i], k+1, total)
		}
		seen[k] = files[i]
	}
	var missing []string
	for k := 0; k < total; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, strconv.Itoa(k+1))
		}
	}
	if len(missing) > 0 {
		return usagef("shards %s of %d are missing", strings.Join(missing, ", "), total)
	}
	return nil
}

// sensShard is one shard of a sensitivity design: the outcomes of its
// slice of runs, and what merge needs to finish the job as one run would.
type sensShard struct {
	Kind      string      `json:"kind"`
	Scenario  string      `json:"scenario"`
	Ref       string      `json:"ref"`
	Digest    string      `json:"digest"`
	Method    string      `json:"method"`
	N         int         `json:"n"`
	Levels    int         `json:"levels"`
	Seed      uint64      `json:"seed"`
	Bootstrap int         `json:"bootstrap"`
	Level     float64     `json:"level"`
	Outcomes  []string    `json:"outcomes"`
	PerPeriod string      `json:"per_period,omitempty"`
	Runs      int         `json:"runs"`
	Shard     int         `json:"shard"`
	Shards    int         `json:"shards"`
	Lo        int         `json:"lo"`
	Hi        int         `json:"hi"`
	Y         [][]float64 `json:"y"` // per outcome, runs lo..hi-1
}

// sensDigest identifies a sensitivity job: the scenario's inputs and the
// settings that change its design or outcomes.
func sensDigest(s *scenarios.Scenario, o *sensOptions) string {
	h := sha256.New()
	io.WriteString(h, digest(s, &mcOptions{}, nil))
	fmt.Fprintf(h, "%s n=%d p=%d seed=%d outcomes=%q per=%s", o.method, o.n, o.levels, o.seed, o.outcomes, o.perPeriod)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func writeSensShard(stdout io.Writer, s *scenarios.Scenario, ref string, o *sensOptions, outs []*outcome.Outcome, runs, k, n, lo, hi int, y [][]float64) error {
	sh := sensShard{Kind: sensShardKind, Scenario: s.Name, Ref: ref, Digest: sensDigest(s, o), Method: o.method, N: o.n, Levels: o.levels,
		Seed: o.seed, Bootstrap: o.bootstrap, Level: o.level, Outcomes: o.outcomes, PerPeriod: o.perPeriod,
		Runs: runs, Shard: k, Shards: n, Lo: lo, Hi: hi}
	for k := range outs {
		sh.Y = append(sh.Y, y[k][lo:hi])
	}
	p := filepath.Join(o.out, fmt.Sprintf("%s-%s-shard-%d-of-%d.json", s.Name, o.method, k+1, n))
	if err := output.WriteFile(p, func(w io.Writer) error { return json.NewEncoder(w).Encode(&sh) }); err != nil {
		return err
	}
	return listWritten(stdout, []string{p})
}

// isSensShard reports whether a file holds a sensitivity shard.
func isSensShard(data []byte) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	return len(data) > 0 && data[0] == '{' && json.Unmarshal(data, &head) == nil && head.Kind == sensShardKind
}

// mergeSensitivity reassembles sensitivity shards and writes what the
// unsharded run writes.
func mergeSensitivity(c *cobra.Command, files []string, scenarioRef string, out string, co chartOptions, charts bool) error {
	var shards []sensShard
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return usagef("cannot read %s: %v", f, err)
		}
		var sh sensShard
		if !isSensShard(data) || json.Unmarshal(data, &sh) != nil {
			return usagef("%s: not a chipsim sensitivity shard (do not mix Monte Carlo and sensitivity shards)", f)
		}
		shards = append(shards, sh)
	}
	h := shards[0]
	var idx []int
	for i, sh := range shards {
		if sh.Digest != h.Digest || sh.Shards != h.Shards || sh.Runs != h.Runs || len(sh.Y) != len(h.Y) {
			return usagef("%s belongs to another job than %s", files[i], files[0])
		}
		idx = append(idx, sh.Shard)
	}
	if err := checkShards(files, idx, h.Shards); err != nil {
		return err
	}
	y := make([][]float64, len(h.Y))
	for k := range y {
		y[k] = make([]float64, h.Runs)
		for _, sh := range shards {
			if len(sh.Y[k]) != sh.Hi-sh.Lo {
				return usagef("shard %d of %d is damaged", sh.Shard+1, sh.Shards)
			}
			copy(y[k][sh.Lo:sh.Hi], sh.Y[k])
		}
	}
	ref := h.Ref
	if scenarioRef != "" {
		ref = scenarioRef
	}
	s, err := load(c.ErrOrStderr(), ref)
	if err != nil {
		return usagef("merge reads the shards' scenario %s (give --scenario if it moved): %v", ref, err)
	}
	o := &sensOptions{method: h.Method, outcomes: h.Outcomes, perPeriod: h.PerPeriod, n: h.N, levels: h.Levels, seed: h.Seed,
		bootstrap: h.Bootstrap, level: h.Level, out: out, charts: charts, chart: co}
	if d := sensDigest(s, o); d != h.Digest {
		return usagef("%s is not the scenario the shards ran: its inputs differ", ref)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	exprs := append([]string{}, o.outcomes...)
	var years []int
	if o.perPeriod != "" {
		for t := 0; t < m.Calendar().N; t++ {
			if yr := m.Calendar().Year(t); len(years) == 0 || years[len(years)-1] != yr {
				years = append(years, yr)
				exprs = append(exprs, fmt.Sprintf("%s@%d", o.perPeriod, yr))
			}
		}
	}
	outs, err := outcome.ParseList(exprs, m)
	if err != nil {
		return usageError{err}
	}
	var inputs []string
	for _, q := range s.Quantities() {
		inputs = append(inputs, q.Name)
	}
	d := len(inputs)
	if o.method == "morris" {
		des, err := uq.NewMorris(o.n, d, o.levels, rand.New(rand.NewPCG(o.seed, 0)))
		if err != nil {
			return err
		}
		return writeMorris(c.OutOrStdout(), s, o, des, inputs, outs, y)
	}
	des, err := uq.NewSaltelli(o.n, d, rand.New(rand.NewPCG(o.seed, 0)))
	if err != nil {
		return err
	}
	res, _, err := estimateSobol(c.ErrOrStderr(), o, des, outs, y)
	if err != nil {
		return err
	}
	return writeSobol(c.OutOrStdout(), c.ErrOrStderr(), s, o, o.n, des.Runs(), inputs, outs, res, years)
}
