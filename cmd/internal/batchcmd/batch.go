// Package batchcmd is chipsim batch: it runs every scenario file in
// folders or globs and writes a summary and comparison charts.
package batchcmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

type batchOptions struct {
	out   string
	years []int
	chart cmdutil.ChartOptions
}

// NewCmdBatch returns the batch command: run every scenario file in folders
// or globs.
func NewCmdBatch(a *cmdutil.App) *cobra.Command {
	var o batchOptions
	c := &cobra.Command{
		Use:   "batch DIR|GLOB... [-o DIR]",
		Short: "Run every scenario file in folders or globs: a summary CSV, a table and comparison charts",
		Long: `Run every scenario file (*.yaml, *.yml) in the given folders, or matching the given
globs (quote them: 'runs/*-2026.yaml'), and keep going past a file that fails: each
failure is printed as FILE: error. Of the scenarios that ran, write
  DIR/batch-summary.csv               scenario, file, year, metric, value for every
                                      headline metric by year
  DIR/batch-compare-METRIC.png        one chart per headline ratio, a line per scenario
                                      (--no-charts to skip them)
and print the headline ratios by scenario for a few years (--years).
Exit status: 0 when every file ran, 2 when a file is not a valid scenario, 1 when
a run failed otherwise.`,
		Example: `  chipsim batch scenarios/mine
  chipsim batch 'studies/*.yaml' other/ -o out/batch --years 2027,2030`,
		Args: cmdutil.ArgsRange(1, -1, "at least one folder or glob"),
		RunE: func(c *cobra.Command, args []string) error {
			return runBatch(a, args, &o)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.out, "out", "o", "out", "`folder` to write the summary and charts to")
	cmdutil.IntsFlag(f, &o.years, "years", []int{2025, 2030, 2035}, "`years` of the printed table (comma-separated)")
	cmdutil.ChartFlags(c, &o.chart, true)
	return c
}

func runBatch(a *cmdutil.App, args []string, o *batchOptions) error {
	draw, err := o.chart.Drawing()
	if err != nil {
		return err
	}
	if len(o.years) == 0 {
		return cmdutil.Usagef("--years: want at least one year")
	}
	files, err := scenarios.Files(args)
	if err != nil {
		return cmdutil.UsageError{Err: err}
	}
	var ran []*output.BatchRun
	bad, failed := 0, 0
	for _, f := range files {
		s, err := a.Load(f)
		if err == nil {
			var res *output.Run
			if res, err = cmdutil.Execute(s); err == nil {
				ran = append(ran, &output.BatchRun{File: f, Label: s.Name, Run: res})
				continue
			}
		}
		if errors.As(err, new(scenarios.ErrorList)) || errors.As(err, new(cmdutil.UsageError)) {
			bad++
		} else {
			failed++
		}
		batchFileError(a.Stderr, f, err)
	}
	if err := output.CheckBatchNames(ran); err != nil {
		return cmdutil.UsageError{Err: err}
	}
	if len(ran) > 0 {
		if err := writeBatch(a, ran, o, draw); err != nil {
			return err
		}
	}
	switch {
	case bad > 0:
		others := ""
		if failed > 0 {
			others = fmt.Sprintf(", and %d more failed to run", failed)
		}
		return cmdutil.Usagef("%d of %d scenario files are not valid scenarios%s", bad, len(files), others)
	case failed > 0:
		return fmt.Errorf("%d of %d scenario files failed to run", failed, len(files))
	}
	return nil
}

// writeBatch prints the table and writes the summary and charts.
func writeBatch(a *cmdutil.App, ran []*output.BatchRun, o *batchOptions, draw bool) error {
	if !a.Quiet {
		if err := output.WriteBatchTable(a.Stdout, ran, o.years); err != nil {
			return err
		}
	}
	b := o.chart.Bundle(o.out)
	if err := b.File("batch-summary.csv", func(w io.Writer) error { return output.WriteBatchCSV(w, ran) }); err != nil || !draw {
		return a.Done(b, err)
	}
	charts, err := output.BatchCharts(ran, a.Version(), o.chart.Chart)
	if err != nil {
		return a.Done(b, err)
	}
	return a.Done(b, b.Charts("batch-", charts))
}

// batchFileError prints err as FILE: error, one line per problem; lines
// that already start with the file name stand alone.
func batchFileError(w io.Writer, file string, err error) {
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(l, file+":") {
			fmt.Fprintln(w, l)
		} else {
			fmt.Fprintf(w, "%s: %s\n", file, l)
		}
	}
}
