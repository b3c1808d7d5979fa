package cmdutil

import (
	"os"
	"strconv"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios/check"
	"github.com/spf13/cobra"
)

// ChartOptions are the flags shared by every command that draws.
type ChartOptions struct {
	// ByDefault says the command draws unless --no-charts.
	ByDefault bool
	// Formats are the chart files to write (--chart-format).
	Formats []string
	// History draws history's facts on the charts that show them.
	History bool
	// Chart is the size, resolution, date and history of the charts.
	Chart output.ChartOptions

	charts, noCharts bool // --charts, --no-charts
}

// Flags adds the drawing flags: --chart-format, --width, --height, --dpi,
// --date and --history.
func (o *ChartOptions) Flags(c *cobra.Command, defaultFormats []string) {
	StringsFlag(c.Flags(), &o.Formats, "chart-format", defaultFormats, "chart files to write: `png,svg,pdf` (comma-separated)")
	c.Flags().Float64Var(&o.Chart.Width, "width", 16, "chart width in `cm`")
	c.Flags().Float64Var(&o.Chart.Height, "height", 9, "chart height in `cm`")
	c.Flags().IntVar(&o.Chart.DPI, "dpi", output.DefaultDPI, "PNG resolution in `dots` per inch")
	c.Flags().StringVar(&o.Chart.Date, "date", "", "`date` printed in the charts' source line (default: $SOURCE_DATE_EPOCH, else today)")
	c.Flags().BoolVar(&o.History, "history", true, "draw the facts of history from chipsim check on the self-sufficiency and supply charts (--history=false to leave them out)")
}

// ChartFlags adds --charts and --no-charts (and the drawing flags) to a
// command that can draw; on says whether it draws by default.
func ChartFlags(c *cobra.Command, o *ChartOptions, on bool) {
	o.ByDefault = on
	c.Flags().BoolVar(&o.charts, "charts", false, "draw charts"+map[bool]string{true: " (the default)", false: ""}[on])
	c.Flags().BoolVar(&o.noCharts, "no-charts", false, "draw no charts"+map[bool]string{true: "", false: " (the default)"}[on])
	o.Flags(c, []string{"png"})
}

// Check checks the drawing flags, before anything runs, and reads what
// the charts show of history.
func (o *ChartOptions) Check() error {
	if err := output.CheckChartFormats(o.Formats); err != nil {
		return Usagef("--chart-format: %v", err)
	}
	if err := o.Chart.Validate(); err != nil {
		return Usagef("--width, --height, --dpi: %v", err)
	}
	if o.Chart.Date == "" {
		o.Chart.Date = runDate()
	}
	if o.History {
		obs, err := shippedHistory()
		if err != nil {
			return err
		}
		o.Chart.History = obs
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

// Bundle returns a writer of files into dir that draws charts as asked.
func (o *ChartOptions) Bundle(dir string) *output.Bundle {
	return &output.Bundle{Dir: dir, Formats: o.Formats, Chart: o.Chart}
}

// CheckChoice refuses --charts with --no-charts.
func (o *ChartOptions) CheckChoice() error {
	if o.charts && o.noCharts {
		return Usagef("--charts and --no-charts: choose one")
	}
	return nil
}

// Drawing resolves --charts and --no-charts and checks the drawing flags.
func (o *ChartOptions) Drawing() (bool, error) {
	if err := o.CheckChoice(); err != nil {
		return false, err
	}
	draw := (o.ByDefault || o.charts) && !o.noCharts
	if draw {
		if err := o.Check(); err != nil {
			return false, err
		}
	}
	return draw, nil
}

// shippedHistory returns the shipped checks' facts of history (those
// written for the baseline, whose history every shipped scenario keeps) as
// observations for the charts and the report.
func shippedHistory() ([]output.Observation, error) {
	f, err := check.Shipped()
	if err != nil {
		return nil, err
	}
	var out []output.Observation
	for _, o := range f.History {
		if o.Scenario != "baseline" {
			continue
		}
		out = append(out, output.Observation{Metric: o.Metric, Entity: o.Entity, Period: o.Period,
			Value: o.Value, Lo: o.Lo, Hi: o.Hi, Source: o.Source})
	}
	return out, nil
}
