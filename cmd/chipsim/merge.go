package main

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
)

type mergeOptions struct {
	mc       mcOptions
	scenario string
}

func newMergeCmd(a *cmdutil.App) *cobra.Command {
	var o mergeOptions
	c := &cobra.Command{
		Use:   "merge SHARD...|DIR",
		Short: "Merge shards (chipsim mc, sensitivity or sweep --shard) into the results of the whole run",
		Long: `Merge the files that chipsim mc, sensitivity or sweep --shard K/N (or --shard auto)
wrote; a folder stands for every shard in it. Sweep shards rebuild the sweep from its
flags: run merge from the folder the sweep ran in. Every shard of one job must be
given once; the merged results are the same bytes as the unsharded run would write.`,
		Example: "  chipsim merge shards/*.bin -o out\n  chipsim merge shards -o out",
		Args:    cmdutil.ArgsRange(1, -1, "at least one shard file or a folder of shards"),
		RunE: func(c *cobra.Command, args []string) error {
			return runMerge(a, args, &o)
		},
	}
	f := c.Flags()
	cmdutil.FloatsFlag(f, &o.mc.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "`quantiles` to report (comma-separated)")
	f.StringVar(&o.scenario, "scenario", "", "the `scenario` the shards ran, if its path has changed since")
	f.StringVarP(&o.mc.out, "out", "o", "out", "`folder` to write results to")
	f.StringVar(&o.mc.by, "by", "year", "the table's and charts' `span`: year or quarter")
	cmdutil.ChartFlags(c, &o.mc.chart, false)
	c.Flags().Lookup("charts").Usage = "draw charts (the default for sweeps, as the sweep does)"
	c.Flags().Lookup("no-charts").Usage = "draw no charts (the default for Monte Carlo and sensitivity, as they do)"
	return c
}

// shardFiles expands folders into the shard files they hold.
func shardFiles(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil || !st.IsDir() {
			out = append(out, arg)
			continue
		}
		var found []string
		for _, pat := range []string{"*-shard-*-of-*.bin", "*-shard-*-of-*.json"} {
			m, _ := filepath.Glob(filepath.Join(arg, pat))
			found = append(found, m...)
		}
		if len(found) == 0 {
			return nil, cmdutil.Usagef("%s: no shard files (*-shard-K-of-N.bin or .json) in this folder", arg)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func runMerge(a *cmdutil.App, args []string, o *mergeOptions) error {
	if err := checkQuantiles(o.mc.quantiles); err != nil {
		return err
	}
	if err := o.mc.chart.CheckChoice(); err != nil {
		return err
	}
	files, err := shardFiles(args)
	if err != nil {
		return err
	}
	first, err := a.ReadShard(files[0])
	if err != nil {
		return err
	}
	var p *study.Partial
	if study.IsPartial(first) {
		if p, err = mergePartials(a, files); err != nil {
			return err
		}
		o.mc.chart.ByDefault = p.Kind == "sweep" // merged results draw what the unsharded run draws
	}
	draw, err := o.mc.chart.Drawing()
	if err != nil {
		return err
	}
	if p != nil {
		if p.Kind == "sweep" {
			return mergeSweep(a, p, o.mc.out, o.mc.chart, draw)
		}
		return mergeSensitivity(a, p, o.scenario, &sensOptions{out: o.mc.out, chart: o.mc.chart}, draw)
	}
	return mergeMC(a, files, o, draw)
}

// mergePartials reads and joins the shards of a sweep or sensitivity job.
func mergePartials(a *cmdutil.App, files []string) (*study.Partial, error) {
	var parts []*study.Partial
	for _, f := range files {
		data, err := a.ReadShard(f)
		if err != nil {
			return nil, err
		}
		p, err := study.DecodePartial(data)
		if err != nil {
			return nil, cmdutil.Usagef("%s: %v (do not mix kinds of shards)", f, err)
		}
		parts = append(parts, p)
	}
	p, err := study.MergePartials(parts)
	if err != nil {
		return nil, shardError(files, err)
	}
	return p, nil
}

// mergeMC merges Monte Carlo shards and writes what one run writes.
func mergeMC(a *cmdutil.App, files []string, o *mergeOptions, draw bool) error {
	var hs []study.Header
	var ss []*study.Summaries
	for _, f := range files {
		data, err := a.ReadShard(f)
		if err != nil {
			return err
		}
		h, s, err := study.DecodeSummaries(data)
		if err != nil {
			return cmdutil.Usagef("%s: %v", f, err)
		}
		hs, ss = append(hs, h), append(ss, s)
	}
	h0, sums, err := study.MergeShards(hs, ss)
	if err != nil {
		return shardError(files, err)
	}
	ref := h0.Ref
	if o.scenario != "" {
		ref = o.scenario
	}
	s, err := a.Load(ref)
	if err != nil {
		return cmdutil.Usagef("merge reads the shards' scenario %s to label the results (give --scenario if it moved): %v", ref, err)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	if err := sums.Fits(m); err != nil {
		return cmdutil.Usagef("%s is not the scenario the shards ran: %v", ref, err)
	}
	_, years, err := study.YearlyOutcomes(m, sums.Slots)
	if err != nil {
		return err
	}
	o.mc.runs, o.mc.seed = h0.Runs, h0.Seed
	if d := mcDigest(s, &o.mc, sums.Slots, len(sums.Outcome)); d != h0.Digest {
		return cmdutil.Usagef("%s is not the scenario the shards ran: its inputs differ (digest %s, shards %s)", ref, d, h0.Digest)
	}
	y := output.Yearly{Years: years, Offset: len(sums.Outcome) - len(years)*len(sums.Slots)}
	b := o.mc.chart.Bundle(o.mc.out)
	return a.Done(b, writeMC(a, b, h0.Scenario, m, sums, y, &o.mc, draw))
}

// shardError names the shard file an error is about.
func shardError(files []string, err error) error {
	var se *study.ShardError
	switch {
	case errors.As(err, &se) && se.Other >= 0:
		return cmdutil.Usagef("%s and %s %v", files[se.Other], files[se.Index], se.Err)
	case errors.As(err, &se):
		return cmdutil.Usagef("%s: %v", files[se.Index], se.Err)
	}
	return cmdutil.Usagef("%v", strings.TrimPrefix(err.Error(), "study: "))
}
