package main

import (
	"os"
	"strconv"
	"time"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios/check"
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

// chartFlags adds --charts and --no-charts (and the drawing flags) to a
// command that can draw; on says whether it draws by default.
func chartFlags(c *cobra.Command, o *chartOptions, on bool) {
	o.on = on
	c.Flags().BoolVar(&o.charts, "charts", false, "draw charts"+map[bool]string{true: " (the default)", false: ""}[on])
	c.Flags().BoolVar(&o.noCharts, "no-charts", false, "draw no charts"+map[bool]string{true: "", false: " (the default)"}[on])
	o.flags(c, []string{"png"})
}

// drawing resolves --charts and --no-charts and checks the drawing flags.
func (o *chartOptions) drawing() (bool, error) {
	if o.charts && o.noCharts {
		return false, usagef("--charts and --no-charts: choose one")
	}
	draw := (o.on || o.charts) && !o.noCharts
	if draw {
		if err := o.check(); err != nil {
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
