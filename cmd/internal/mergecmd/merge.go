// Package mergecmd is chipsim merge: it reads the shards that mc, sweep
// and sensitivity --shard wrote, merges them and hands the whole run to
// the command that made them.
package mergecmd

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/cmd/internal/mccmd"
	"github.com/chipsim/chipsim/cmd/internal/sensitivitycmd"
	"github.com/chipsim/chipsim/cmd/internal/sweepcmd"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
)

type mergeOptions struct {
	quantiles []float64
	scenario  string
	out       string
	by        string
	chart     cmdutil.ChartOptions
}

// NewCmdMerge returns the merge command: merge the shards of mc, sweep or
// sensitivity into the results of the whole run.
func NewCmdMerge(a *cmdutil.App) *cobra.Command {
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
	cmdutil.FloatsFlag(f, &o.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "`quantiles` to report (comma-separated)")
	f.StringVar(&o.scenario, "scenario", "", "the `scenario` the shards ran, if its path has changed since")
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	f.StringVar(&o.by, "by", "year", "the table's and charts' `span`: year or quarter")
	cmdutil.ChartFlags(c, &o.chart, false)
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
	if err := mccmd.CheckQuantiles(o.quantiles); err != nil {
		return err
	}
	if err := o.chart.CheckChoice(); err != nil {
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
		o.chart.ByDefault = p.Kind == "sweep" // merged results draw what the unsharded run draws
	}
	draw, err := o.chart.Drawing()
	if err != nil {
		return err
	}
	if p != nil {
		if p.Kind == "sweep" {
			return sweepcmd.Merge(a, p, o.out, o.chart, draw)
		}
		return sensitivitycmd.Merge(a, p, o.scenario, o.out, o.chart, draw)
	}
	h, sums, err := mergeSummaries(a, files)
	if err != nil {
		return err
	}
	return mccmd.Merge(a, h, sums, mccmd.MergeOptions{Scenario: o.scenario, Quantiles: o.quantiles, By: o.by, Out: o.out, Chart: o.chart, Draw: draw})
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

// mergeSummaries reads and joins the shards of a Monte Carlo.
func mergeSummaries(a *cmdutil.App, files []string) (study.Header, *study.Summaries, error) {
	var hs []study.Header
	var ss []*study.Summaries
	for _, f := range files {
		data, err := a.ReadShard(f)
		if err != nil {
			return study.Header{}, nil, err
		}
		h, s, err := study.DecodeSummaries(data)
		if err != nil {
			return study.Header{}, nil, cmdutil.Usagef("%s: %v", f, err)
		}
		hs, ss = append(hs, h), append(ss, s)
	}
	h, sums, err := study.MergeShards(hs, ss)
	if err != nil {
		return study.Header{}, nil, shardError(files, err)
	}
	return h, sums, nil
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
