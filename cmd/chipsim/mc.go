package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/mc"
	"github.com/spf13/cobra"
)

type mcOptions struct {
	runs      int
	seed      uint64
	workers   int
	quantiles []float64
	metrics   []string
	draws     string
	out       string
	shard     string
	charts    bool
	quiet     bool
	chart     chartOptions
}

func newMCCmd() *cobra.Command {
	var o mcOptions
	c := &cobra.Command{
		Use:   "mc SCENARIO -n N [--seed S] [-j WORKERS]",
		Short: "Monte Carlo: draw the scenario's uncertain inputs N times and write percentile bands over time",
		Long: `Run a scenario N times, each with its uncertain inputs (parameters and event values,
starts and durations given as distributions in the file) drawn at random, and write
percentile bands of every metric over time to DIR/NAME-mc.csv (scenario, period, metric,
entity, stat, value, unit; stats: runs, mean, min, max and each quantile).

Summaries are streamed: memory does not grow with N. Run r draws from a generator
seeded with (seed, r), so the same seed gives the same bytes for any -j, and shards
(--shard K/N, K from 1 to N) merged with chipsim merge give the bytes of the whole run.
Raw draws, with --draws FILE.csv (or FILE.parquet), stream to a file in run order. Ctrl-C stops cleanly:
no partial file is left.`,
		Example: `  chipsim mc my-uncertain.yaml -n 10000 --seed 1 -j 2
  chipsim mc my-uncertain.yaml -n 100000 --shard 3/10 -o shards   # then: chipsim merge shards/*.bin`,
		Args:              argsRange(1, 1, "one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runMC(c, args[0], &o)
		},
	}
	f := c.Flags()
	f.IntVarP(&o.runs, "runs", "n", 1000, "number of runs")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.IntVarP(&o.workers, "jobs", "j", runtime.NumCPU(), "parallel workers")
	f.Float64SliceVar(&o.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "quantiles to report, in (0, 1), ascending")
	f.StringSliceVar(&o.metrics, "metric", nil, "metrics to summarise (default: every whole-market metric)")
	f.StringVar(&o.draws, "draws", "", "also write every run's input values to this file: CSV, or Parquet if it ends in .parquet")
	f.StringVarP(&o.out, "out", "o", "out", "folder to write results to")
	f.StringVar(&o.shard, "shard", "", "run only shard K of N (K from 1 to N) and write its state for chipsim merge")
	f.BoolVar(&o.charts, "charts", false, "draw a fan chart per metric")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar")
	o.chart.flags(c, []string{"png"})
	return c
}

func parseShard(s string) (k, n int, err error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, usagef("--shard %q: want K/N with 1 ≤ K ≤ N, such as 3/10", s)
	}
	return k - 1, n, nil
}

// mcSlots selects the result slots to summarise.
func mcSlots(m *sim.Model, metrics []string) ([]int, error) {
	var out []int
	if len(metrics) == 0 {
		for i, sl := range m.Slots() {
			if sl.Metric.Per == "" && sl.Metric.Unit != "code" {
				out = append(out, i)
			}
		}
		return out, nil
	}
	for _, name := range metrics {
		d, ok := sim.MetricByName(name)
		if !ok {
			var names []string
			for _, md := range sim.Metrics {
				names = append(names, md.Name)
			}
			return nil, usagef("--metric: unknown metric %q%s", name, suggestName(name, names))
		}
		for _, e := range m.Entities(d) {
			i, _ := m.SlotIndex(name, e)
			out = append(out, i)
		}
	}
	return out, nil
}

// digest identifies a job: the scenario's resolved inputs and the
// settings that change results.
func digest(s *scenarios.Scenario, o *mcOptions, slots []int) string {
	h := sha256.New()
	for _, f := range s.Spec.Fields() {
		fmt.Fprintf(h, "%s=%s\n", f.Path, scenarios.Summary(f, s.Spec.Calendar))
		if f.Num != nil {
			for _, v := range *f.Num {
				fmt.Fprintf(h, "%x,", v)
			}
		}
		// Periods an event dated by day splits: the share and the values
		// before it are inputs too.
		if pt := f.Part; pt != nil && pt.Share != nil {
			for _, v := range pt.Share {
				fmt.Fprintf(h, "%x;", v)
			}
			if f.PartIndex < len(pt.Alt) {
				for _, v := range pt.Alt[f.PartIndex] {
					fmt.Fprintf(h, "%x;", v)
				}
			}
		}
	}
	for _, q := range s.Quantities() {
		fmt.Fprintf(h, "%s~%s\n", q.Name, q.Dist)
	}
	fmt.Fprintf(h, "corr=%x\n", s.Correlation())
	fmt.Fprintf(h, "runs=%d seed=%d slots=%v", o.runs, o.seed, slots)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func runMC(c *cobra.Command, ref string, o *mcOptions) error {
	if o.runs < 1 {
		return usagef("-n: want at least 1 run, got %d", o.runs)
	}
	if o.workers < 1 {
		return usagef("-j: want at least 1 worker, got %d", o.workers)
	}
	if err := checkQuantiles(o.quantiles); err != nil {
		return err
	}
	k, n, err := parseShard(o.shard)
	if err != nil {
		return err
	}
	if o.charts {
		if err := o.chart.check(); err != nil {
			return err
		}
	}
	s, err := load(c.ErrOrStderr(), ref)
	if err != nil {
		return err
	}
	if len(s.Quantities()) == 0 {
		return usagef("%s has no uncertain inputs: give a parameter or an event value as a distribution, such as growth: {dist: triangular, min: 0.3, mode: 0.45, max: 0.6}", s.File)
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	slots, err := mcSlots(m, o.metrics)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lo, hi := mc.Range(o.runs, k, n)
	bar := newProgress(c.ErrOrStderr(), hi-lo, o.quiet)
	cfg := mc.Config{Runs: o.runs, Seed: o.seed, Workers: o.workers, Shard: k, Shards: n, Slots: slots, Progress: bar.update}
	var draws drawSink
	if o.draws != "" {
		if draws, err = newDrawSink(o.draws, s); err != nil {
			return err
		}
		defer draws.abort()
		cfg.Draw = draws.row
	}
	start := time.Now()
	sums, err := mc.Run(ctx, func() (mc.Sampler, error) { return s.NewSampler() }, cfg)
	bar.finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: no results written")
		}
		return err
	}
	var wrote []string
	if draws != nil {
		if err := draws.commit(); err != nil {
			return err
		}
		wrote = append(wrote, o.draws)
	}
	if n > 1 {
		h := mc.Header{Scenario: s.Name, Ref: ref, Digest: digest(s, o, slots), Runs: o.runs, Seed: o.seed, Shard: k, Shards: n}
		data, err := mc.Encode(h, sums)
		if err != nil {
			return err
		}
		p := filepath.Join(o.out, fmt.Sprintf("%s-mc-shard-%d-of-%d.bin", s.Name, k+1, n))
		if err := output.WriteFile(p, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
		wrote = append(wrote, p)
	} else {
		files, err := writeMC(s.Name, m, sums, o)
		wrote = append(wrote, files...)
		if err != nil {
			return err
		}
	}
	if !o.quiet {
		el := time.Since(start)
		fmt.Fprintf(c.ErrOrStderr(), "%d runs in %s (%.0f runs/s, %d workers)\n", hi-lo, el.Round(time.Millisecond), float64(hi-lo)/el.Seconds(), o.workers)
	}
	return listWritten(c.OutOrStdout(), wrote)
}

func checkQuantiles(qs []float64) error {
	if len(qs) == 0 {
		return usagef("--quantiles: want at least one")
	}
	for i, q := range qs {
		if !(q > 0 && q < 1) || (i > 0 && q <= qs[i-1]) {
			return usagef("--quantiles: want ascending values in (0, 1), got %v", qs)
		}
	}
	return nil
}

// writeMC writes the bands CSV and, if asked, fan charts.
func writeMC(name string, m *sim.Model, sums *mc.Summaries, o *mcOptions) ([]string, error) {
	p := filepath.Join(o.out, name+"-mc.csv")
	if err := output.WriteFile(p, func(w io.Writer) error { return output.WriteBands(w, name, m, sums, o.quantiles) }); err != nil {
		return nil, err
	}
	wrote := []string{p}
	if o.charts {
		runs := int(sums.At(0, 0).Count())
		for _, sl := range sums.Slots {
			if m.Slots()[sl].Metric.Per != "" {
				continue
			}
			ch, err := output.Fan(name, chipsimVersion(), m, sums, sl, o.quantiles, runs, o.chart.chart())
			if err != nil {
				return wrote, err
			}
			files, err := o.chart.save(ch, o.out, name+"-")
			wrote = append(wrote, files...)
			if err != nil {
				return wrote, err
			}
		}
	}
	return wrote, nil
}

func newMergeCmd() *cobra.Command {
	var o mcOptions
	var scenarioRef string
	c := &cobra.Command{
		Use:   "merge SHARD...",
		Short: "Merge shards (chipsim mc, sensitivity or sweep --shard K/N) into the results of the whole run",
		Long: `Merge the files that chipsim mc, sensitivity or sweep --shard K/N wrote. Sweep shards
rebuild the sweep from its flags: run merge from the folder the sweep ran in.
Every shard of one job must be given once; the merged results are the same bytes as
the unsharded run would write.`,
		Example: "  chipsim merge shards/*.bin -o out",
		Args:    argsRange(1, -1, "at least one shard file"),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkQuantiles(o.quantiles); err != nil {
				return err
			}
			type shard struct {
				h mc.Header
				s *mc.Summaries
				f string
			}
			if o.charts {
				if err := o.chart.check(); err != nil {
					return err
				}
			}
			if data, err := os.ReadFile(args[0]); err == nil && isSensShard(data) {
				return mergeSensitivity(c, args, scenarioRef, o.out, o.chart, o.charts)
			} else if err == nil && isSweepShard(data) {
				return mergeSweep(c, args, o.out, o.chart, o.charts)
			}
			var shards []shard
			for _, f := range args {
				data, err := os.ReadFile(f)
				if err != nil {
					return usagef("cannot read %s: %v", f, errors.Unwrap(err))
				}
				h, s, err := mc.Decode(data)
				if err != nil {
					return usagef("%s: %v", f, err)
				}
				shards = append(shards, shard{h, s, f})
			}
			sort.Slice(shards, func(i, j int) bool { return shards[i].h.Shard < shards[j].h.Shard })
			h0 := shards[0].h
			var names []string
			var ks []int
			for _, sh := range shards {
				if sh.h.Digest != h0.Digest || sh.h.Shards != h0.Shards || sh.h.Scenario != h0.Scenario {
					return usagef("%s belongs to another job than %s (scenario, inputs, runs, seed or metrics differ)", sh.f, shards[0].f)
				}
				names, ks = append(names, sh.f), append(ks, sh.h.Shard)
			}
			if err := checkShards(names, ks, h0.Shards); err != nil {
				return err
			}
			sums := shards[0].s
			for _, sh := range shards[1:] {
				if err := sums.Merge(sh.s); err != nil {
					return err
				}
			}
			ref := h0.Ref
			if scenarioRef != "" {
				ref = scenarioRef
			}
			s, err := load(c.ErrOrStderr(), ref)
			if err != nil {
				return usagef("merge reads the shards' scenario %s to label the results (give --scenario if it moved): %v", ref, err)
			}
			m, err := s.Model()
			if err != nil {
				return err
			}
			slots, err := mcSlots(m, metricsOf(m, sums.Slots))
			if err != nil {
				return err
			}
			o.runs, o.seed = h0.Runs, h0.Seed
			if d := digest(s, &o, slots); d != h0.Digest {
				return usagef("%s is not the scenario the shards ran: its inputs differ (digest %s, shards %s)", ref, d, h0.Digest)
			}
			files, err := writeMC(h0.Scenario, m, sums, &o)
			if err != nil {
				return err
			}
			return listWritten(c.OutOrStdout(), files)
		},
	}
	c.Flags().Float64SliceVar(&o.quantiles, "quantiles", []float64{0.05, 0.25, 0.5, 0.75, 0.95}, "quantiles to report")
	c.Flags().StringVar(&scenarioRef, "scenario", "", "the scenario the shards ran, if its path has changed since")
	c.Flags().StringVarP(&o.out, "out", "o", "out", "folder to write results to")
	c.Flags().BoolVar(&o.charts, "charts", false, "draw a fan chart per metric")
	o.chart.flags(c, []string{"png"})
	return c
}

// drawWriter streams raw draws to a temporary file renamed into place
// only when the run completes.
type drawWriter struct {
	path string
	f    *os.File
	w    *csv.Writer
	buf  []string
}

func newDrawWriter(path string, s *scenarios.Scenario) (*drawWriter, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	d := &drawWriter{path: path, f: f, w: csv.NewWriter(f)}
	head := []string{"run"}
	for _, q := range s.Quantities() {
		head = append(head, q.Name)
	}
	d.buf = make([]string, len(head))
	return d, d.w.Write(head)
}

func (d *drawWriter) row(run int, vals []float64) error {
	d.buf[0] = strconv.Itoa(run)
	for i, v := range vals {
		d.buf[i+1] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return d.w.Write(d.buf)
}

func (d *drawWriter) commit() error {
	d.w.Flush()
	if err := d.w.Error(); err != nil {
		return err
	}
	if err := d.f.Sync(); err != nil {
		return err
	}
	if err := d.f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(d.f.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(d.f.Name(), d.path); err != nil {
		return err
	}
	d.f = nil
	return nil
}

func (d *drawWriter) abort() {
	if d.f != nil {
		d.f.Close()
		os.Remove(d.f.Name())
	}
}

// metricsOf lists the metric names of slots, once each, in order.
func metricsOf(m *sim.Model, slots []int) []string {
	var out []string
	seen := map[string]bool{}
	for _, sl := range slots {
		name := m.Slots()[sl].Metric.Name
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
