// Package reportcmd is chipsim report: a self-contained HTML report of
// scenarios and its Markdown twin.
package reportcmd

import (
	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// NewCmdReport returns the report command: write an HTML and a Markdown
// report of scenarios.
func NewCmdReport(a *cmdutil.App) *cobra.Command {
	var co cmdutil.ChartOptions
	var out, title string
	c := &cobra.Command{
		Use:   "report SCENARIO... -o DIR",
		Short: "Write a self-contained report: one HTML file and a Markdown twin with its charts",
		Long: `Run scenarios and write a report into DIR:
  report.html  one self-contained file (charts embedded as SVG, no network needed)
  report.md    the same as Markdown, with the charts beside it in DIR/charts/
Each scenario gets its headline table by year with the ratios' definitions, every
chart, the assumptions table (every parameter that differs from the scenario it
extends, with value, unit and source; for a root scenario every parameter) and the
policy timeline. With several scenarios, comparison charts come first.`,
		Example:           "  chipsim report baseline -o out/report\n  chipsim report baseline h200-blocked full-decoupling -o out/compare",
		Args:              cmdutil.ArgsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			co.Formats = []string{"png"}
			if err := co.Check(); err != nil {
				return err
			}
			loaded, err := a.LoadAll(args)
			if err != nil {
				return err
			}
			var inputs []output.ReportInput
			var frames []*output.Frame
			for _, s := range loaded {
				run, err := cmdutil.Execute(s)
				if err != nil {
					return err
				}
				f := output.FrameOf(run, a.Version())
				charts, err := output.ScenarioCharts(f, co.Chart)
				if err != nil {
					return err
				}
				frames = append(frames, f)
				inputs = append(inputs, output.ReportInput{Frame: f, Run: run, Description: s.Description, Chain: s.Chain, Assumptions: assumptions(s), Charts: charts})
			}
			var compare []*output.Chart
			if len(frames) > 1 {
				if compare, err = output.CompareCharts(frames, output.CompareMetrics, co.Chart); err != nil {
					return err
				}
			}
			b := &output.Bundle{Dir: out}
			return a.Done(b, b.Report(inputs, compare, output.ReportOptions{Title: title, Date: co.Chart.Date, Version: a.Version(), History: co.Chart.History}))
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "out/report", "`folder` to write the report to")
	c.Flags().StringVar(&title, "title", "", "report `title` (default: names the scenarios)")
	c.Flags().IntVar(&co.Chart.DPI, "dpi", output.DefaultDPI, "resolution of the Markdown report's PNG charts, in `dots` per inch")
	c.Flags().StringVar(&co.Chart.Date, "date", "", "`date` printed in the report and charts (default: $SOURCE_DATE_EPOCH, else today)")
	c.Flags().BoolVar(&co.History, "history", true, "set the model against the facts of history from chipsim check, in a table and on the charts (--history=false to leave them out)")
	co.Chart.Width, co.Chart.Height = 16, 9
	return c
}

// assumptions converts a scenario's assumptions for the report.
func assumptions(s *scenarios.Scenario) []output.Assumption {
	var out []output.Assumption
	for _, a := range s.Assumptions() {
		out = append(out, output.Assumption{Path: a.Path, Value: a.Value, Unit: a.Unit, Meaning: a.Meaning, Source: a.Source, Where: a.Where, Default: a.Default})
	}
	return out
}
