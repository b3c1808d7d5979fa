package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/scenarios/check"
	"github.com/spf13/cobra"
)

type checkOptions struct {
	format string
	quiet  bool
}

func newCheckCmd() *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check [SCENARIO|CHECKS.yaml...]",
		Short: "Reality checks: history, stories between scenarios, binding constraints, invariants",
		Long: `Run chipsim's reality checks and print each with the model's value and the
expected range. Exit status 1 if any check fails.

With no argument, run the shipped checks (scenarios/check/checks.yaml): history
2022-2025 with sources and tolerances, comparisons between the shipped scenarios
(each tells its story in the headline numbers), which constraint binds when, and
invariants (no unexplained jump in a headline ratio, compute wanted never falls,
no domestic cliff, no pile of unsold stock).

An argument that is a checks file (a YAML file with history, comparisons, bindings
or invariants) runs those checks. Any other argument is a scenario (a shipped name
or a file): the shipped history and bindings up to the checks file's history_ends
(2025Q4), and the invariants written for every scenario, are applied to it, to see
whether a variant still reproduces what happened. Facts after history_ends are the
baseline's calibration, not history a variant must keep.`,
		Example: `  chipsim check
  chipsim check my-scenario.yaml
  chipsim check my-checks.yaml --format csv`,
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runChecks(c.OutOrStdout(), c.ErrOrStderr(), args, o)
		},
	}
	c.Flags().StringVar(&o.format, "format", "table", "output: table, csv or json")
	c.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "print only the checks that fail")
	return c
}

func runChecks(stdout, stderr io.Writer, args []string, o checkOptions) error {
	switch o.format {
	case "table", "csv", "json":
	default:
		return usagef("--format: unknown format %q; want table, csv or json", o.format)
	}
	shipped, err := check.Shipped()
	if err != nil {
		return fmt.Errorf("shipped checks: %w", err)
	}
	loader := func(ref string) (*scenarios.Scenario, error) { return scenarios.Load(ref) }
	var all []check.Result
	add := func(rs []check.Result, err error) error {
		all = append(all, rs...)
		var ce *check.Error
		if errors.As(err, &ce) {
			return usageError{err}
		}
		return err
	}
	if len(args) == 0 {
		if err := add(shipped.Run(loader)); err != nil {
			return err
		}
	}
	for _, ref := range args {
		if scenarios.IsPath(ref) {
			data, err := os.ReadFile(ref)
			if err != nil {
				return usagef("cannot read %s: %v", ref, err)
			}
			if check.IsChecks(data) {
				f, err := check.Parse(ref, data)
				if err != nil {
					return err
				}
				if err := add(f.Run(loader)); err != nil {
					return err
				}
				continue
			}
		}
		if _, err := load(stderr, ref); err != nil {
			return err
		}
		if err := add(shipped.RunOn(ref, loader)); err != nil {
			return err
		}
	}
	check.SortByKind(all)
	show := all
	if o.quiet {
		show = nil
		for _, r := range all {
			if !r.Pass {
				show = append(show, r)
			}
		}
	}
	switch o.format {
	case "json":
		err = writeChecksJSON(stdout, show)
	case "csv":
		err = writeChecksCSV(stdout, show)
	default:
		err = writeChecksTable(stdout, show, !o.quiet)
	}
	if err != nil {
		return err
	}
	pass, fail := check.Summary(all)
	if fail > 0 {
		return fmt.Errorf("%d of %d checks failed", fail, pass+fail)
	}
	if !o.quiet && o.format == "table" {
		fmt.Fprintf(stdout, "all %d checks passed\n", pass)
	}
	return nil
}

func writeChecksTable(w io.Writer, rs []check.Result, headings bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	kind := ""
	for _, r := range rs {
		if r.Kind != kind && headings {
			if kind != "" {
				fmt.Fprintln(tw)
			}
			kind = r.Kind
			fmt.Fprintf(tw, "%s\tcheck\tscenario\tmodel\texpected\tsource or detail\n", kindTitle(kind))
		}
		mark := "ok"
		if !r.Pass {
			mark = "FAIL"
		}
		note := output.ShortCite(r.Source) // --format csv or json gives the whole source
		if note == "" || (!r.Pass && r.Detail != "") {
			note = r.Detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, r.What, r.Scenario, value(r), r.Expected, note)
	}
	return tw.Flush()
}

func kindTitle(kind string) string {
	return map[string]string{"history": "HISTORY", "comparison": "STORIES", "binding": "BINDING", "invariant": "INVARIANTS"}[kind]
}

// value formats a result's model value: comparisons as a signed percent,
// binding shares as a percent of periods.
func value(r check.Result) string {
	switch r.Kind {
	case "comparison":
		if math.IsInf(r.Value, 0) {
			return fmt.Sprint(r.Value)
		}
		return fmt.Sprintf("%+.1f%%", 100*r.Value)
	case "binding":
		return fmt.Sprintf("%.0f%%", 100*r.Value)
	}
	return check.Format(r.Value)
}

type checkJSON struct {
	Kind     string   `json:"kind"`
	ID       string   `json:"id"`
	Scenario string   `json:"scenario"`
	What     string   `json:"what"`
	Value    *float64 `json:"value"`
	Expected string   `json:"expected"`
	Pass     bool     `json:"pass"`
	Detail   string   `json:"detail,omitempty"`
	Source   string   `json:"source,omitempty"`
	Position string   `json:"position"`
}

func writeChecksJSON(w io.Writer, rs []check.Result) error {
	out := make([]checkJSON, 0, len(rs))
	for _, r := range rs {
		j := checkJSON{Kind: r.Kind, ID: r.ID, Scenario: r.Scenario, What: r.What, Expected: r.Expected, Pass: r.Pass,
			Detail: r.Detail, Source: r.Source, Position: r.Pos.String()}
		if v := r.Value; !math.IsNaN(v) && !math.IsInf(v, 0) {
			j.Value = &v
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeChecksCSV(w io.Writer, rs []check.Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kind", "id", "scenario", "what", "value", "expected", "pass", "detail", "source", "position"})
	for _, r := range rs {
		_ = cw.Write([]string{r.Kind, r.ID, r.Scenario, r.What, strconv.FormatFloat(r.Value, 'g', -1, 64), r.Expected,
			strconv.FormatBool(r.Pass), r.Detail, r.Source, r.Pos.String()})
	}
	cw.Flush()
	return cw.Error()
}
