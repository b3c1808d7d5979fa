package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/spf13/cobra"
)

const sweepShardKind = "chipsim-sweep-shard-v1"

// sweepShard is one shard of a sweep: the flags that define the sweep,
// and the outcomes of its slice of runs.
type sweepShard struct {
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Argv     []string `json:"argv"`
	Digest   string   `json:"digest"`
	Runs     int      `json:"runs"`
	Outcomes int      `json:"outcomes"`
	Shard    int      `json:"shard"`
	Shards   int      `json:"shards"`
	Lo       int      `json:"lo"`
	Hi       int      `json:"hi"`
	// Y holds runs lo..hi-1, each run's outcomes in order, as exact
	// decimal strings: JSON numbers cannot hold +Inf (never).
	Y []string `json:"y"`
}

// sweepArgv gives the flags and arguments that define a sweep, without
// those that do not change its results (workers, output, shard, charts).
func sweepArgv(args []string, o *sweepOptions) []string {
	var a []string
	if o.file != "" {
		a = append(a, "--file", o.file)
	}
	for _, x := range o.outcomes {
		a = append(a, "--outcome", x)
	}
	if o.oat {
		a = append(a, "--oat", "--range", o.rng)
	}
	for _, g := range o.grid {
		a = append(a, "--grid", g)
	}
	if o.lhs > 0 {
		a = append(a, "--lhs", strconv.Itoa(o.lhs), "--seed", strconv.FormatUint(o.seed, 10))
	}
	return append(a, args...)
}

// sweepDigest identifies a sweep: its flags and its scenario's inputs.
func sweepDigest(job *sweepJob, args []string, o *sweepOptions) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q runs=%d\n", sweepArgv(args, o), job.runs)
	io.WriteString(h, digest(job.scn, &mcOptions{}, nil))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func writeSweepShard(stdout io.Writer, name string, o *sweepOptions, args []string, dig string, runs, outcomes, k, n, lo, hi int, y []float64) error {
	sh := sweepShard{Kind: sweepShardKind, Name: name, Argv: sweepArgv(args, o), Digest: dig, Runs: runs, Outcomes: outcomes,
		Shard: k, Shards: n, Lo: lo, Hi: hi}
	for _, v := range y[lo*outcomes : hi*outcomes] {
		sh.Y = append(sh.Y, strconv.FormatFloat(v, 'g', -1, 64))
	}
	p := filepath.Join(o.out, fmt.Sprintf("%s-sweep-shard-%d-of-%d.json", name, k+1, n))
	if err := output.WriteFile(p, func(w io.Writer) error { return json.NewEncoder(w).Encode(&sh) }); err != nil {
		return err
	}
	return listWritten(stdout, []string{p})
}

func isSweepShard(data []byte) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	return len(data) > 0 && data[0] == '{' && json.Unmarshal(data, &head) == nil && head.Kind == sweepShardKind
}

// mergeSweep reassembles sweep shards and finishes the sweep with their
// outcomes: the same files as the unsharded sweep writes.
func mergeSweep(c *cobra.Command, files []string, out string, co chartOptions, charts bool) error {
	var shards []sweepShard
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return usagef("cannot read %s: %v", f, err)
		}
		var sh sweepShard
		if !isSweepShard(data) || json.Unmarshal(data, &sh) != nil {
			return usagef("%s: not a chipsim sweep shard (do not mix kinds of shards)", f)
		}
		shards = append(shards, sh)
	}
	h := shards[0]
	var idx []int
	for i, sh := range shards {
		if sh.Digest != h.Digest || sh.Shards != h.Shards || sh.Runs != h.Runs || sh.Outcomes != h.Outcomes {
			return usagef("%s belongs to another sweep than %s", files[i], files[0])
		}
		if len(sh.Y) != (sh.Hi-sh.Lo)*sh.Outcomes {
			return usagef("%s is damaged", files[i])
		}
		idx = append(idx, sh.Shard)
	}
	if err := checkShards(files, idx, h.Shards); err != nil {
		return err
	}
	y := make([]float64, h.Runs*h.Outcomes)
	for i, sh := range shards {
		for j, v := range sh.Y {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return usagef("%s is damaged: %q is not a number", files[i], v)
			}
			y[sh.Lo*sh.Outcomes+j] = x
		}
	}
	o := &sweepOptions{mergeY: y, mergeDigest: h.Digest}
	cmd := newSweepCmdWith(o)
	argv := append(append([]string{}, h.Argv...), "-o", out, "-q")
	if !charts {
		argv = append(argv, "--no-charts")
	} else {
		argv = append(argv, "--chart-format", strings.Join(co.formats, ","), "--dpi", strconv.Itoa(co.dpi))
	}
	cmd.SetArgs(argv)
	cmd.SetOut(c.OutOrStdout())
	cmd.SetErr(c.ErrOrStderr())
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.Execute()
}
