package output

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
)

// BatchRun is one scenario of a batch that ran.
type BatchRun struct {
	File  string
	Label string // the scenario's name, with its file when two share a name
	Run   *Run
}

// BatchRatios are the headline metrics that are ratios: one chart each.
func BatchRatios() []string {
	var out []string
	for _, m := range Headline {
		if d, ok := sim.MetricByName(m); ok && (d.Unit == "ratio" || d.Unit == "share") {
			out = append(out, m)
		}
	}
	return out
}

// CheckBatchNames refuses two runs of one scenario name: their rows of
// the summary and their lines on the charts would be told apart only by
// file.
func CheckBatchNames(ran []*BatchRun) error {
	first := map[string]string{}
	for _, r := range ran {
		if f, dup := first[r.Label]; dup {
			return fmt.Errorf("%s and %s are both named %q: give each scenario its own name", f, r.File, r.Label)
		}
		first[r.Label] = r.File
	}
	return nil
}

// BatchCharts draws a Compare chart of each of the BatchRatios, a line per
// run, labelled with its Label.
func BatchCharts(ran []*BatchRun, version string, o ChartOptions) ([]*Chart, error) {
	frames := make([]*Frame, len(ran))
	for i, r := range ran {
		frames[i] = FrameOf(r.Run, version)
		frames[i].Scenario = r.Label
	}
	return CompareCharts(frames, BatchRatios(), o)
}

// WriteBatchCSV writes every headline metric by year of every run:
// scenario, file, year, metric, value.
func WriteBatchCSV(w io.Writer, ran []*BatchRun) error {
	cw := newSafeCSV(w)
	if err := cw.Write([]string{"scenario", "file", "year", "metric", "value"}); err != nil {
		return err
	}
	for _, r := range ran {
		res := r.Run.Result
		years := Years(res.Model().Calendar())
		for _, m := range Headline {
			vals, ok := Annual(res, m, "all")
			if !ok {
				continue
			}
			for i, y := range years {
				if err := cw.Write([]string{r.Run.Scenario, filepath.ToSlash(r.File), strconv.Itoa(y), m, strconv.FormatFloat(vals[i], 'g', -1, 64)}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteBatchTable prints the headline ratios by scenario, a block per
// chosen year.
func WriteBatchTable(w io.Writer, ran []*BatchRun, years []int) error {
	cols := []struct{ metric, head string }{
		{"ai.ssr_units", "ssr_units"}, {"ai.ssr_compute", "ssr_compute"}, {"ai.ssr_stock", "ssr_stock"},
		{"ai.coverage", "coverage"}, {"ic.ssr_value", "ic_value"}, {"ic.ssr_located", "ic_located"},
	}
	nameW := len("scenario")
	for _, r := range ran {
		nameW = max(nameW, len([]rune(r.Label)))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", nameW-len([]rune(s))) }
	vals := make([][][]float64, len(ran))
	for i, r := range ran {
		vals[i] = make([][]float64, len(cols))
		for j, c := range cols {
			vals[i][j], _ = Annual(r.Run.Result, c.metric, "all")
		}
	}
	var b strings.Builder
	for k, y := range years {
		if k > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pad(strconv.Itoa(y)))
		for _, c := range cols {
			fmt.Fprintf(&b, " %11s", c.head)
		}
		b.WriteByte('\n')
		for i, r := range ran {
			b.WriteString(pad(r.Label))
			ys := Years(r.Run.Result.Model().Calendar())
			for j := range cols {
				cell := "–"
				for t, yy := range ys {
					if yy == y && vals[i][j] != nil {
						cell = strconv.FormatFloat(vals[i][j][t], 'f', 3, 64)
					}
				}
				fmt.Fprintf(&b, " %11s", cell)
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString("\nDefinitions (yearly ratios are ratios of yearly sums; ssr_stock at year end):\n")
	for _, c := range cols {
		d, _ := sim.MetricByName(c.metric)
		fmt.Fprintf(&b, "  %-11s %s\n", c.head, d.Doc)
	}
	b.WriteString("Every headline metric and year is in batch-summary.csv.\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}
