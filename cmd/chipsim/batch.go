package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/spf13/cobra"
)

type batchOptions struct {
	out      string
	years    []int
	quiet    bool
	noCharts bool
	chart    chartOptions
}

func newBatchCmd() *cobra.Command {
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
and print the headline ratios by scenario for a few years (--years).
Exit status: 0 when every file ran, 2 when a file is not a valid scenario, 1 when
a run failed otherwise.`,
		Example: `  chipsim batch scenarios/mine
  chipsim batch 'studies/*.yaml' other/ -o out/batch --years 2027,2030`,
		Args: argsRange(1, -1, "at least one folder or glob"),
		RunE: func(c *cobra.Command, args []string) error {
			return runBatch(c, args, &o)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.out, "out", "o", "out", "folder to write the summary and charts to")
	f.IntSliceVar(&o.years, "years", []int{2025, 2030, 2035}, "years of the printed table (comma-separated)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "do not print the table")
	f.BoolVar(&o.noCharts, "no-charts", false, "write the CSV only")
	o.chart.flags(c, []string{"png"})
	return c
}

// batchFiles expands folders and globs into scenario files, in the order
// given, each folder's and glob's files sorted, each file once.
func batchFiles(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		key := f
		if a, err := filepath.Abs(f); err == nil {
			key = a
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	isScenario := func(name string) bool {
		ext := strings.ToLower(filepath.Ext(name))
		return ext == ".yaml" || ext == ".yml"
	}
	for _, arg := range args {
		var found []string
		if st, err := os.Stat(arg); err == nil {
			if !st.IsDir() {
				add(arg)
				continue
			}
			ents, err := os.ReadDir(arg)
			if err != nil {
				return nil, usagef("cannot read %s: %v", arg, errors.Unwrap(err))
			}
			for _, e := range ents {
				if !e.IsDir() && isScenario(e.Name()) {
					found = append(found, filepath.Join(arg, e.Name()))
				}
			}
			if len(found) == 0 {
				return nil, usagef("%s: no scenario files (*.yaml) in this folder", arg)
			}
		} else if strings.ContainsAny(arg, "*?[") {
			matches, err := filepath.Glob(arg)
			if err != nil {
				return nil, usagef("%s: bad pattern: %v", arg, err)
			}
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && !st.IsDir() {
					found = append(found, m)
				}
			}
			if len(found) == 0 {
				return nil, usagef("%s: no file matches", arg)
			}
		} else {
			hint := ""
			if !scenarios.IsPath(arg) {
				for _, n := range scenarios.ShippedNames() {
					if n == arg {
						hint = fmt.Sprintf(" (batch runs files; the shipped scenario runs with chipsim run %s)", arg)
					}
				}
			}
			return nil, usagef("%s: no such file or folder%s", arg, hint)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// batchRun is one scenario that ran.
type batchRun struct {
	file  string
	label string // the scenario's name, with its file when two share a name
	run   *output.Run
}

func runBatch(c *cobra.Command, args []string, o *batchOptions) error {
	if !o.noCharts {
		if err := o.chart.check(); err != nil {
			return err
		}
	}
	if len(o.years) == 0 {
		return usagef("--years: want at least one year")
	}
	files, err := batchFiles(args)
	if err != nil {
		return err
	}
	stderr := c.ErrOrStderr()
	var ran []*batchRun
	bad, failed := 0, 0
	for _, f := range files {
		s, err := load(stderr, f)
		if err == nil {
			var res *output.Run
			if res, err = execute(s); err == nil {
				ran = append(ran, &batchRun{file: f, label: s.Name, run: res})
				continue
			}
		}
		var el scenarios.ErrorList
		var ue usageError
		if errors.As(err, &el) || errors.As(err, &ue) {
			bad++
		} else {
			failed++
		}
		batchFileError(stderr, f, err)
	}
	// Scenarios that share a name are told apart by their files.
	count := map[string]int{}
	for _, r := range ran {
		count[r.label]++
	}
	for _, r := range ran {
		if count[r.label] > 1 {
			r.label += " (" + r.file + ")"
		}
	}
	var wrote []string
	if len(ran) > 0 {
		if !o.quiet {
			if err := writeBatchTable(c.OutOrStdout(), ran, o.years); err != nil {
				return err
			}
		}
		p := filepath.Join(o.out, "batch-summary.csv")
		if err := output.WriteFile(p, func(w io.Writer) error { return writeBatchCSV(w, ran) }); err != nil {
			return err
		}
		wrote = append(wrote, p)
		if !o.noCharts {
			frames := make([]*output.Frame, len(ran))
			for i, r := range ran {
				frames[i] = output.FrameOf(r.run, chipsimVersion())
				frames[i].Scenario = r.label
			}
			for _, m := range batchRatios() {
				ch, err := output.Compare(frames, m, o.chart.chart())
				if err != nil {
					return err
				}
				files, err := o.chart.save(ch, o.out, "batch-")
				wrote = append(wrote, files...)
				if err != nil {
					return err
				}
			}
		}
	}
	if err := listWritten(c.OutOrStdout(), wrote); err != nil {
		return err
	}
	switch {
	case bad > 0:
		return usagef("%d of %d scenario files are not valid scenarios%s", bad, len(files), batchOthers(failed))
	case failed > 0:
		return fmt.Errorf("%d of %d scenario files failed to run", failed, len(files))
	}
	return nil
}

func batchOthers(failed int) string {
	if failed == 0 {
		return ""
	}
	return fmt.Sprintf(", and %d more failed to run", failed)
}

// batchFileError prints err as FILE: error, one line per problem; lines
// that already start with the file name stand alone.
func batchFileError(w io.Writer, file string, err error) {
	var el scenarios.ErrorList
	var lines []string
	if errors.As(err, &el) {
		lines = strings.Split(el.Error(), "\n")
	} else {
		lines = strings.Split(err.Error(), "\n")
	}
	for _, l := range lines {
		if strings.HasPrefix(l, file+":") {
			fmt.Fprintln(w, l)
		} else {
			fmt.Fprintf(w, "%s: %s\n", file, l)
		}
	}
}

// batchRatios are the headline metrics that are ratios: one chart each.
func batchRatios() []string {
	var out []string
	for _, m := range output.Headline {
		if d, ok := sim.MetricByName(m); ok && (d.Unit == "ratio" || d.Unit == "share") {
			out = append(out, m)
		}
	}
	return out
}

func writeBatchCSV(w io.Writer, ran []*batchRun) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"scenario", "file", "year", "metric", "value"}); err != nil {
		return err
	}
	for _, r := range ran {
		res := r.run.Result
		years := output.Years(res.Model().Calendar())
		for _, m := range output.Headline {
			vals, ok := output.Annual(res, m, "all")
			if !ok {
				continue
			}
			for i, y := range years {
				if err := cw.Write([]string{r.run.Scenario, filepath.ToSlash(r.file), strconv.Itoa(y), m, strconv.FormatFloat(vals[i], 'g', -1, 64)}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeBatchTable prints the headline ratios by scenario, a block per
// chosen year.
func writeBatchTable(w io.Writer, ran []*batchRun, years []int) error {
	cols := []struct{ metric, head string }{
		{"ai.ssr_units", "ssr_units"}, {"ai.ssr_compute", "ssr_compute"}, {"ai.ssr_stock", "ssr_stock"},
		{"ai.coverage", "coverage"}, {"ic.ssr_value", "ic_value"}, {"ic.ssr_located", "ic_located"},
	}
	nameW := len("scenario")
	for _, r := range ran {
		nameW = max(nameW, len([]rune(r.label)))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", nameW-len([]rune(s))) }
	vals := make([][][]float64, len(ran))
	for i, r := range ran {
		vals[i] = make([][]float64, len(cols))
		for j, c := range cols {
			vals[i][j], _ = output.Annual(r.run.Result, c.metric, "all")
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
			b.WriteString(pad(r.label))
			ys := output.Years(r.run.Result.Model().Calendar())
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
