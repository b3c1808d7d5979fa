package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim"
	"github.com/spf13/cobra"
)

// chartOptions are the flags shared by every command that draws.
type chartOptions struct {
	on, charts, noCharts bool // drawing by default, --charts, --no-charts
	formats              []string
	history              bool // draw history's facts on the charts that show them
	opt                  output.ChartOptions
}

func (o *chartOptions) flags(c *cobra.Command, defaultFormats []string) {
	stringsFlag(c.Flags(), &o.formats, "chart-format", defaultFormats, "chart files to write: `png,svg,pdf` (comma-separated)")
	c.Flags().Float64Var(&o.opt.Width, "width", 16, "chart width in `cm`")
	c.Flags().Float64Var(&o.opt.Height, "height", 9, "chart height in `cm`")
	c.Flags().IntVar(&o.opt.DPI, "dpi", output.DefaultDPI, "PNG resolution in `dots` per inch")
	c.Flags().StringVar(&o.opt.Date, "date", "", "`date` printed in the charts' source line (default: $SOURCE_DATE_EPOCH, else today)")
	c.Flags().BoolVar(&o.history, "history", true, "draw the facts of history from chipsim check on the self-sufficiency and supply charts (--history=false to leave them out)")
}

// check checks the drawing flags, before anything runs, and reads what
// the charts show of history.
func (o *chartOptions) check() error {
	if err := output.CheckChartFormats(o.formats); err != nil {
		return usagef("--chart-format: %v", err)
	}
	if err := o.opt.Validate(); err != nil {
		return usagef("--width, --height, --dpi: %v", err)
	}
	if o.opt.Date == "" {
		o.opt.Date = runDate()
	}
	if o.history {
		obs, err := shippedHistory()
		if err != nil {
			return err
		}
		o.opt.History = obs
	}
	return nil
}

// runDate is today's date, or the date of SOURCE_DATE_EPOCH when set, so
// that reproducible builds of reports give the same bytes.
func runDate() string {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(sec, 0).UTC().Format("2006-01-02")
		}
	}
	return time.Now().Format("2006-01-02")
}

func (o *chartOptions) chart() output.ChartOptions { return o.opt }

// bundle returns a writer of files into dir that draws charts as asked.
func (o *chartOptions) bundle(dir string) *output.Bundle {
	return &output.Bundle{Dir: dir, Formats: o.formats, Chart: o.opt}
}

// frameCharts draws every chart of a frame into b as SCENARIO-CHART.FORMAT.
func frameCharts(b *output.Bundle, f *output.Frame) error {
	charts, err := output.ScenarioCharts(f, b.Chart)
	if err != nil {
		return err
	}
	return b.Charts(f.Scenario+"-", charts)
}

func newPlotCmd(a *app) *cobra.Command {
	var co chartOptions
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
		Args:    argsRange(1, 1, "one results CSV"),
		RunE: func(c *cobra.Command, args []string) error {
			if err := co.check(); err != nil {
				return err
			}
			frames, err := output.ReadResults(args[0])
			if err != nil {
				return usageError{err}
			}
			if out == "" {
				out = filepath.Dir(args[0])
			}
			b := co.bundle(out)
			if metric == "" {
				for _, f := range frames {
					if err := frameCharts(b, f); err != nil {
						return a.done(b, err)
					}
				}
				return a.done(b, nil)
			}
			ch, err := output.Compare(frames, metric, co.chart())
			if err != nil {
				return usageError{err}
			}
			return a.done(b, b.Charts(strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))+"-", []*output.Chart{ch}))
		},
	}
	co.flags(c, []string{"png"})
	c.Flags().StringVar(&metric, "metric", "", "draw only this `metric`, one line per scenario (see the metric column of the CSV)")
	c.Flags().StringVarP(&out, "out", "o", "", "`folder` to write charts to (default: the CSV's folder)")
	return c
}

// compareMetrics are drawn by compare when no --metric is given.
var compareMetrics = []string{"ai.ssr_units", "ai.ssr_compute", "ai.coverage", "ic.ssr_value"}

func newCompareCmd(a *app) *cobra.Command {
	var co chartOptions
	var metrics []string
	var out, format string
	c := &cobra.Command{
		Use:   "compare SCENARIO...",
		Short: "Run several scenarios and compare metrics: a table by year and one chart per metric",
		Long: `Run several scenarios and draw each metric with one line per scenario; print the
yearly values side by side (--format csv or json: one record per metric, year and
scenario, at full precision). Without --metric: ` + strings.Join(compareMetrics, ", ") + `.`,
		Example:           "  chipsim compare baseline h200-blocked full-decoupling\n  chipsim compare baseline hbm-crunch --metric ai.units_domestic -o figs --format csv",
		Args:              argsRange(2, -1, "at least two scenarios"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			draw, err := co.drawing()
			if err != nil {
				return err
			}
			for _, m := range metrics {
				if d, ok := sim.MetricByName(m); !ok || d.Per != "" {
					return usagef("--metric %s: want a metric with one value per period, such as %s", m, strings.Join(compareMetrics, ", "))
				}
			}
			frames, err := a.runFrames(args)
			if err != nil {
				return err
			}
			if f != output.FormatTable || !a.quiet {
				if err := output.WriteComparisons(a.stdout, frames, metrics, f); err != nil {
					return err
				}
			}
			if !draw {
				return nil
			}
			var charts []*output.Chart
			for _, m := range metrics {
				ch, err := output.Compare(frames, m, co.chart())
				if err != nil {
					return err
				}
				charts = append(charts, ch)
			}
			b := co.bundle(out)
			return a.done(b, b.Charts("", charts))
		},
	}
	chartFlags(c, &co, true)
	stringsFlag(c.Flags(), &metrics, "metric", compareMetrics, "`metrics` to compare (comma-separated)")
	c.Flags().StringVarP(&out, "out", "o", "out", "`folder` to write charts to")
	formatFlag(c, &format)
	return c
}

// runFrames loads and runs scenarios.
func (a *app) runFrames(refs []string) ([]*output.Frame, error) {
	loaded, err := a.loadAll(refs)
	if err != nil {
		return nil, err
	}
	var frames []*output.Frame
	for _, s := range loaded {
		run, err := execute(s)
		if err != nil {
			return nil, err
		}
		frames = append(frames, output.FrameOf(run, chipsimVersion()))
	}
	return frames, nil
}
