// Package infocmd holds the commands that read scenarios without
// running them: validate, list, params, diff and explain.
package infocmd

import (
	"io"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// NewCmdValidate returns the validate command: check scenario files and
// report every problem.
func NewCmdValidate(a *cmdutil.App) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files and report every problem as file:line:column: message",
		Long: `Check scenario files (or shipped names, or - for standard input) without running
them. Every problem in every file is reported, as file:line:column: message (with
--format json, as objects with file, line, column and message). Exit status 2 if any
is bad.`,
		Example:           "  chipsim validate my-scenario.yaml other.yaml\n  chipsim validate --format json my-scenario.yaml",
		Args:              cmdutil.ArgsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			var vs scenarios.Validations
			for _, ref := range args {
				_, err := a.Load(ref)
				if err != nil && f == output.FormatTable {
					a.Errorf("%v", err)
				}
				vs.Validate(ref, err)
			}
			if err := a.Print(f, vs); err != nil {
				return err
			}
			if n := vs.Bad(); n > 0 {
				return cmdutil.Usagef("%d of %d scenario(s) invalid", n, len(args))
			}
			return nil
		},
	}
	cmdutil.FormatFlag(c, &format)
	return c
}

// NewCmdList returns the list command: list the shipped scenarios.
func NewCmdList(a *cmdutil.App) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the shipped scenarios, one line each",
		Args:  cmdutil.ArgsRange(0, 0, "no arguments"),
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			t := &output.Table{Columns: []string{"name", "description"}}
			for _, s := range scenarios.Shipped() {
				t.Rows = append(t.Rows, []string{s.Name, s.Description})
			}
			if f == output.FormatJSON {
				t.Header = true // JSON keys
			}
			return a.Print(f, shippedList{t})
		},
	}
	cmdutil.FormatFlag(c, &format)
	return c
}

// NewCmdParams returns the params command: list a scenario's parameters.
func NewCmdParams(a *cmdutil.App) *cobra.Command {
	var grep, format string
	c := &cobra.Command{
		Use:   "params [SCENARIO]",
		Short: "List every parameter path with its value, unit, meaning and source",
		Long: `List every parameter of a scenario (baseline by default): its path, the value as
written (a number, a choice or a schedule), its unit, its meaning, and the source
comment beside it in the file. Paths are what events and explain take.`,
		Example:           "  chipsim params\n  chipsim params h200-blocked --grep imports.H200\n  chipsim params --format csv > params.csv",
		Args:              cmdutil.ArgsRange(0, 1, "at most one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			ref := "baseline"
			if len(args) == 1 {
				ref = args[0]
			}
			s, err := a.Load(ref)
			if err != nil {
				return err
			}
			ps := s.Params(grep)
			if len(ps) == 0 {
				return cmdutil.Usagef("no parameter path contains %q", grep)
			}
			return a.Print(f, ps)
		},
	}
	c.Flags().StringVar(&grep, "grep", "", "only paths containing this `text`")
	cmdutil.FormatFlag(c, &format)
	return c
}

// NewCmdDiff returns the diff command: show what two scenarios set
// differently.
func NewCmdDiff(a *cmdutil.App) *cobra.Command {
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
		Args:              cmdutil.ArgsRange(2, 2, "two scenarios"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			var ss [2]*scenarios.Scenario
			for i, ref := range args {
				s, err := a.Load(ref)
				if err != nil {
					return err
				}
				ss[i] = s
			}
			return a.Print(f, scenarios.Compare(ss[0], ss[1]))
		},
	}
	cmdutil.FormatFlag(c, &format)
	return c
}

// NewCmdExplain returns the explain command: show a parameter's value
// period by period and what set it.
func NewCmdExplain(a *cmdutil.App) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "explain SCENARIO PATH",
		Short: "Show a parameter's value period by period and which file, line or event set it",
		Long: `Resolve one parameter of a scenario (paths as chipsim params lists them) and show
every file of the extends chain that sets it, then its value period by period with
what set it: the base value's file and line, or the policy event. With --format csv,
the spans as rows; with json, the whole explanation.`,
		Example:           "  chipsim explain baseline imports.H200.us_status\n  chipsim explain equipment-squeeze foundry.smic_n2.capacity_wpm --format csv",
		Args:              cmdutil.ArgsRange(2, 2, "a scenario and a parameter path"),
		ValidArgsFunction: completePaths,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			s, err := a.Load(args[0])
			if err != nil {
				return err
			}
			ex, err := s.Explain(args[1])
			if err != nil {
				return cmdutil.UsageError{Err: err}
			}
			return a.Print(f, ex.Report(s))
		},
	}
	cmdutil.FormatFlag(c, &format)
	return c
}

// completePaths completes a scenario, then its parameter paths.
func completePaths(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return cmdutil.CompleteScenarios(c, args, toComplete)
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

// shippedList prints the shipped scenarios: without a header for people,
// as objects keyed by column in JSON.
type shippedList struct{ *output.Table }

func (l shippedList) Columns() []string { return l.Table.Columns }
func (l shippedList) Rows() [][]string  { return l.Table.Rows }
func (l shippedList) WriteText(w io.Writer) error {
	return (&output.Table{Rows: l.Table.Rows}).Write(w, output.FormatTable)
}
func (l shippedList) MarshalJSON() ([]byte, error) { return l.Table.JSON() }
