// Package runcmd is chipsim run: it runs scenarios, prints their
// headline ratios by year and writes their CSV, JSON summary and charts.
package runcmd

import (
	"fmt"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/spf13/cobra"
)

type runOptions struct {
	out     string
	formats []string
	chart   cmdutil.ChartOptions
}

// NewCmdRun returns the run command: run scenarios, print their headline
// ratios and write their files.
func NewCmdRun(a *cmdutil.App) *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run SCENARIO...",
		Short: "Run scenarios: print headline ratios by year, write tidy CSV and a JSON summary",
		Long: `Run one or more scenarios, each a shipped name (see chipsim list) or a path to a
YAML file. For each, print the headline ratios by year and write to the output folder:
  NAME.csv   every metric, period and entity as tidy long CSV
             (scenario, period, metric, entity, value, unit)
  NAME.json  a summary: headline metrics by year with their definitions, binding
             constraints, the policy timeline, the product catalogue
With --charts, also every chart as NAME-CHART.png (or --chart-format svg,pdf), 16 x 9 cm
at 300 dpi by default.
Files are written atomically: a reader never sees half a file.`,
		Example: `  chipsim run baseline
  chipsim run baseline h200-blocked -o results --format csv
  chipsim run ./my-scenario.yaml`,
		Args:              cmdutil.ArgsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runScenarios(a, args, o)
		},
	}
	c.Flags().StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	cmdutil.StringsFlag(c.Flags(), &o.formats, "format", []string{"csv", "json"}, "`files` to write: csv, json (comma-separated); none for the table only")
	cmdutil.ChartFlags(c, &o.chart, false)
	return c
}

func runScenarios(a *cmdutil.App, refs []string, o runOptions) error {
	files, err := output.ParseRunFiles(o.formats)
	if err != nil {
		return cmdutil.Usagef("--format: %v", err)
	}
	if files.Charts, err = o.chart.Drawing(); err != nil {
		return err
	}
	loaded, err := a.LoadAll(refs)
	if err != nil {
		return err
	}
	ran := make([]*output.Run, len(loaded)) // every run, before anything is written
	for i, s := range loaded {
		if ran[i], err = cmdutil.Execute(s); err != nil {
			return err
		}
	}
	// One bundle for every scenario: all their files appear together.
	b := o.chart.Bundle(o.out)
	defer b.Abort()
	for i, res := range ran {
		if !a.Quiet {
			if i > 0 {
				fmt.Fprintln(a.Stdout)
			}
			if err := output.WriteTable(a.Stdout, res); err != nil {
				return err
			}
		}
		if err := output.WriteRun(b, res, files, a.Version()); err != nil {
			return err
		}
	}
	return a.Done(b, nil)
}
