// Package chartscmd holds the commands that draw: plot, which redraws
// saved results, and compare, which runs scenarios side by side.
package chartscmd

import (
	"path/filepath"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim"
	"github.com/spf13/cobra"
)

// NewCmdPlot returns the plot command: redraw charts from a saved results
// CSV.
func NewCmdPlot(a *cmdutil.App) *cobra.Command {
	var co cmdutil.ChartOptions
	var metric, out string
	c := &cobra.Command{
		Use:   "plot RESULTS.csv",
		Short: "Redraw charts from saved results (a CSV written by chipsim run)",
		Long: `Draw charts from a results CSV that chipsim run wrote, without running anything:
data and pictures stay separable. With --metric, draw one chart of that metric with a
line per scenario in the file; otherwise every chart of every scenario in it. The JSON
summary beside the CSV (same name, .json), when present, adds the policy events and
the product catalogue (vendors) to the charts.`,
		Example: "  chipsim plot out/baseline.csv\n  chipsim plot out/all.csv --metric ai.ssr_compute --chart-format svg",
		Args:    cmdutil.ArgsRange(1, 1, "one results CSV"),
		RunE: func(c *cobra.Command, args []string) error {
			if err := co.Check(); err != nil {
				return err
			}
			a.Input(args[0])
			frames, err := output.ReadResults(args[0])
			if err != nil {
				return cmdutil.UsageError{Err: err}
			}
			if out == "" {
				out = filepath.Dir(args[0])
			}
			b := co.Bundle(out)
			if metric == "" {
				for _, f := range frames {
					if err := output.WriteScenarioCharts(b, f); err != nil {
						return a.Done(b, err)
					}
				}
				return a.Done(b, nil)
			}
			ch, err := output.Compare(frames, metric, co.Chart)
			if err != nil {
				return cmdutil.UsageError{Err: err}
			}
			return a.Done(b, b.Charts(strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))+"-", []*output.Chart{ch}))
		},
	}
	co.Flags(c, []string{"png"})
	c.Flags().StringVar(&metric, "metric", "", "draw only this `metric`, one line per scenario (see the metric column of the CSV)")
	c.Flags().StringVarP(&out, "out", "o", "", "`folder` to write charts to (default: the CSV's folder)")
	return c
}

// NewCmdCompare returns the compare command: run scenarios and compare
// metrics in a table and charts.
func NewCmdCompare(a *cmdutil.App) *cobra.Command {
	var co cmdutil.ChartOptions
	var metrics []string
	var out, format string
	c := &cobra.Command{
		Use:   "compare SCENARIO...",
		Short: "Run several scenarios and compare metrics: a table by year and one chart per metric",
		Long: `Run several scenarios and draw each metric with one line per scenario; print the
yearly values side by side (--format csv or json: one record per metric, year and
scenario, at full precision). Without --metric: ` + strings.Join(output.CompareMetrics, ", ") + `.`,
		Example:           "  chipsim compare baseline h200-blocked full-decoupling\n  chipsim compare baseline hbm-crunch --metric ai.units_domestic -o figs --format csv",
		Args:              cmdutil.ArgsRange(2, -1, "at least two scenarios"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			draw, err := co.Drawing()
			if err != nil {
				return err
			}
			for _, m := range metrics {
				if d, ok := sim.MetricByName(m); !ok || d.Per != "" {
					return cmdutil.Usagef("--metric %s: want a metric with one value per period, such as %s", m, strings.Join(output.CompareMetrics, ", "))
				}
			}
			frames, err := runFrames(a, args)
			if err != nil {
				return err
			}
			if f != output.FormatTable || !a.Quiet {
				if err := output.WriteComparisons(a.Stdout, frames, metrics, f); err != nil {
					return err
				}
			}
			if !draw {
				return nil
			}
			charts, err := output.CompareCharts(frames, metrics, co.Chart)
			if err != nil {
				return err
			}
			b := co.Bundle(out)
			return a.Done(b, b.Charts("", charts))
		},
	}
	cmdutil.ChartFlags(c, &co, true)
	cmdutil.StringsFlag(c.Flags(), &metrics, "metric", output.CompareMetrics, "`metrics` to compare (comma-separated)")
	c.Flags().StringVarP(&out, "out", "o", "out", "`folder` to write charts to")
	cmdutil.FormatFlag(c, &format)
	return c
}

// runFrames loads and runs scenarios.
func runFrames(a *cmdutil.App, refs []string) ([]*output.Frame, error) {
	loaded, err := a.LoadAll(refs)
	if err != nil {
		return nil, err
	}
	var frames []*output.Frame
	for _, s := range loaded {
		run, err := cmdutil.Execute(s)
		if err != nil {
			return nil, err
		}
		frames = append(frames, output.FrameOf(run, a.Version()))
	}
	return frames, nil
}
