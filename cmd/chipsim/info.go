package main

import (
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// validation is a file's result in chipsim validate --format json.
type validation struct {
	Scenario string              `json:"scenario"`
	OK       bool                `json:"ok"`
	Errors   []scenarios.Problem `json:"errors"`
}

func newValidateCmd(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files and report every problem as file:line:column: message",
		Long: `Check scenario files (or shipped names, or - for standard input) without running
them. Every problem in every file is reported, as file:line:column: message (with
--format json, as objects with file, line, column and message). Exit status 2 if any
is bad.`,
		Example:           "  chipsim validate my-scenario.yaml other.yaml\n  chipsim validate --format json my-scenario.yaml",
		Args:              argsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			var results []validation
			bad := 0
			for _, ref := range args {
				v := validation{Scenario: ref, OK: true, Errors: []scenarios.Problem{}}
				if _, err := a.load(ref); err != nil {
					bad++
					v.OK, v.Errors = false, scenarios.Problems(ref, err)
					if f == output.FormatTable {
						a.errorf("%v", err)
					}
				}
				results = append(results, v)
			}
			if err := writeValidation(a, f, results); err != nil {
				return err
			}
			if bad > 0 {
				return usagef("%d of %d scenario(s) invalid", bad, len(args))
			}
			return nil
		},
	}
	formatFlag(c, &format)
	return c
}

func writeValidation(a *app, f output.Format, results []validation) error {
	switch f {
	case output.FormatJSON:
		return output.WriteJSONValue(a.stdout, results)
	case output.FormatCSV:
		t := &output.Table{Columns: []string{"scenario", "ok", "file", "line", "column", "message"}}
		for _, r := range results {
			if r.OK {
				t.Rows = append(t.Rows, []string{r.Scenario, "true", "", "", "", ""})
			}
			for _, e := range r.Errors {
				t.Rows = append(t.Rows, []string{r.Scenario, "false", e.File, itoa(e.Line), itoa(e.Column), e.Message})
			}
		}
		return t.Write(a.stdout, f)
	}
	if a.quiet {
		return nil
	}
	t := &output.Table{}
	for _, r := range results {
		if r.OK {
			t.Rows = append(t.Rows, []string{"ok " + r.Scenario})
		}
	}
	return t.Write(a.stdout, f)
}

func newListCmd(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the shipped scenarios, one line each",
		Args:  argsRange(0, 0, "no arguments"),
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			t := &output.Table{Columns: []string{"name", "description"}}
			for _, s := range scenarios.Shipped() {
				t.Rows = append(t.Rows, []string{s.Name, s.Description})
			}
			if !a.printsTable(f) {
				return nil
			}
			return t.Write(a.stdout, f)
		},
	}
	formatFlag(c, &format)
	return c
}

func newParamsCmd(a *app) *cobra.Command {
	var grep, format string
	c := &cobra.Command{
		Use:   "params [SCENARIO]",
		Short: "List every parameter path with its value, unit, meaning and source",
		Long: `List every parameter of a scenario (baseline by default): its path, the value as
written (a number, a choice or a schedule), its unit, its meaning, and the source
comment beside it in the file. Paths are what events and explain take.`,
		Example:           "  chipsim params\n  chipsim params h200-blocked --grep imports.H200\n  chipsim params --format csv > params.csv",
		Args:              argsRange(0, 1, "at most one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			ref := "baseline"
			if len(args) == 1 {
				ref = args[0]
			}
			s, err := a.load(ref)
			if err != nil {
				return err
			}
			ps := s.Params(grep)
			switch {
			case len(ps) == 0:
				return usagef("no parameter path contains %q", grep)
			case !a.printsTable(f):
				return nil
			case f == output.FormatJSON:
				return output.WriteJSONValue(a.stdout, ps)
			}
			t := &output.Table{Columns: []string{"path", "value", "unit", "meaning", "source"}, Header: true}
			for _, p := range ps {
				t.Rows = append(t.Rows, []string{p.Path, p.Value, p.Unit, p.Meaning, p.Source})
			}
			return t.Write(a.stdout, f)
		},
	}
	c.Flags().StringVar(&grep, "grep", "", "only paths containing this `text`")
	formatFlag(c, &format)
	return c
}

func newDiffCmd(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "diff A B",
		Short: "Show what two scenarios set differently, extends and events resolved",
		Long: `Compare two scenarios parameter by parameter, after their extends chains and
policy timelines are resolved: every path whose values differ in any period, with
each side's values over time, entries only one side has, and events only one has.
With --format csv or json: one record per difference: kind (time, param or event),
item, and each scenario's value (columns named after the scenarios in CSV, a and b in
JSON).`,
		Example:           "  chipsim diff baseline full-decoupling\n  chipsim diff baseline h200-blocked --format json",
		Args:              argsRange(2, 2, "two scenarios"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			var ss [2]*scenarios.Scenario
			for i, ref := range args {
				s, err := a.load(ref)
				if err != nil {
					return err
				}
				ss[i] = s
			}
			d := scenarios.Diff(ss[0], ss[1])
			if !a.printsTable(f) {
				return nil
			}
			switch f {
			case output.FormatJSON:
				if d == nil {
					d = []scenarios.Difference{}
				}
				return output.WriteJSONValue(a.stdout, d)
			case output.FormatCSV:
				t := &output.Table{Columns: []string{"kind", "item", ss[0].Name, ss[1].Name}}
				for _, x := range d {
					t.Rows = append(t.Rows, []string{x.Kind, x.Item, x.A, x.B})
				}
				return t.Write(a.stdout, f)
			}
			return scenarios.WriteDiff(a.stdout, ss[0].Name, ss[1].Name, d)
		},
	}
	formatFlag(c, &format)
	return c
}

func newExplainCmd(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "explain SCENARIO PATH",
		Short: "Show a parameter's value period by period and which file, line or event set it",
		Long: `Resolve one parameter of a scenario (paths as chipsim params lists them) and show
every file of the extends chain that sets it, then its value period by period with
what set it: the base value's file and line, or the policy event. With --format csv,
the spans as rows; with json, the whole explanation.`,
		Example:           "  chipsim explain baseline imports.H200.us_status\n  chipsim explain equipment-squeeze foundry.smic_n2.capacity_wpm --format csv",
		Args:              argsRange(2, 2, "a scenario and a parameter path"),
		ValidArgsFunction: completePaths,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			s, err := a.load(args[0])
			if err != nil {
				return err
			}
			ex, err := s.Explain(args[1])
			if err != nil {
				return usageError{err}
			}
			r := ex.Report(s)
			if !a.printsTable(f) {
				return nil
			}
			switch f {
			case output.FormatJSON:
				return output.WriteJSONValue(a.stdout, r)
			case output.FormatCSV:
				t := &output.Table{Columns: []string{"scenario", "path", "from", "to", "value", "set_by"}}
				for _, sp := range r.Spans {
					t.Rows = append(t.Rows, []string{r.Scenario, r.Path, sp.From, sp.To, sp.Value, sp.By})
				}
				return t.Write(a.stdout, f)
			}
			return r.WriteText(a.stdout)
		},
	}
	formatFlag(c, &format)
	return c
}

// completePaths completes a scenario, then its parameter paths.
func completePaths(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return completeScenarios(c, args, toComplete)
	}
	s, err := scenarios.Load(args[0])
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	for _, f := range s.Spec.Fields() {
		if strings.HasPrefix(f.Path, toComplete) {
			out = append(out, f.Path)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
