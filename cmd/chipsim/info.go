package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files and report every problem as file:line:column: message",
		Long: `Check scenario files (or shipped names) without running them. Every problem in
every file is reported, as file:line:column: message. Exit status 2 if any is bad.`,
		Example:           "  chipsim validate my-scenario.yaml other.yaml",
		Args:              argsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			var bad []error
			for _, ref := range args {
				if _, err := load(c.ErrOrStderr(), ref); err != nil {
					fmt.Fprintln(c.ErrOrStderr(), err)
					bad = append(bad, err)
					continue
				}
				fmt.Fprintf(c.OutOrStdout(), "ok %s\n", ref)
			}
			if len(bad) > 0 {
				return usagef("%d of %d scenario(s) invalid", len(bad), len(args))
			}
			return nil
		},
	}
}

func newListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the shipped scenarios, one line each",
		Args:  argsRange(0, 0, "no arguments"),
		RunE: func(c *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, s := range scenarios.Shipped() {
				fmt.Fprintf(tw, "%s\t%s\n", s.Name, s.Description)
			}
			return tw.Flush()
		},
	}
}

func newParamsCmd() *cobra.Command {
	var grep string
	c := &cobra.Command{
		Use:   "params [SCENARIO]",
		Short: "List every parameter path with its value, unit, meaning and source",
		Long: `List every parameter of a scenario (baseline by default): its path, the value as
written (a number, a choice or a schedule), its unit, its meaning, and the source
comment beside it in the file. Paths are what events and explain take.`,
		Example:           "  chipsim params\n  chipsim params h200-blocked --grep imports.H200",
		Args:              argsRange(0, 1, "at most one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			ref := "baseline"
			if len(args) == 1 {
				ref = args[0]
			}
			s, err := load(c.ErrOrStderr(), ref)
			if err != nil {
				return err
			}
			return writeParams(c.OutOrStdout(), s, grep)
		},
	}
	c.Flags().StringVar(&grep, "grep", "", "only paths containing this text")
	return c
}

func writeParams(w io.Writer, s *scenarios.Scenario, grep string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\tVALUE\tUNIT\tMEANING\tSOURCE")
	n := 0
	for _, f := range s.Spec.Fields() {
		if grep != "" && !strings.Contains(f.Path, grep) {
			continue
		}
		n++
		val, src := "", ""
		if v := s.Values[f.Path]; v != nil {
			val, src = scenarios.NodeText(v.Node), v.Source
		}
		unit := f.Def.Unit
		if f.Def.Kind == sim.Enum {
			unit = strings.Join(f.Def.Enum, "|")
		} else if unit == "" {
			unit = f.Def.Kind.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Path, val, unit, f.Def.Doc, src)
	}
	if n == 0 {
		return usagef("no parameter path contains %q", grep)
	}
	return tw.Flush()
}

func newDiffCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "diff A B",
		Short: "Show what two scenarios set differently, extends and events resolved",
		Long: `Compare two scenarios parameter by parameter, after their extends chains and
policy timelines are resolved: every path whose values differ in any period, with
each side's values over time, entries only one side has, and events only one has.`,
		Example:           "  chipsim diff baseline full-decoupling",
		Args:              argsRange(2, 2, "two scenarios"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			a, err := load(c.ErrOrStderr(), args[0])
			if err != nil {
				return err
			}
			b, err := load(c.ErrOrStderr(), args[1])
			if err != nil {
				return err
			}
			return writeDiff(c.OutOrStdout(), a, b)
		},
	}
}

func writeDiff(w io.Writer, a, b *scenarios.Scenario) error {
	fa := map[string]sim.Field{}
	for _, f := range a.Spec.Fields() {
		fa[f.Path] = f
	}
	fb := map[string]sim.Field{}
	var order []string
	for _, f := range a.Spec.Fields() {
		order = append(order, f.Path)
	}
	for _, f := range b.Spec.Fields() {
		fb[f.Path] = f
		if _, ok := fa[f.Path]; !ok {
			order = append(order, f.Path)
		}
	}
	ca, cb := a.Spec.Calendar, b.Spec.Calendar
	n := 0
	if ca != cb {
		fmt.Fprintf(w, "time\n  %s: %s to %s by %s\n  %s: %s to %s by %s\n", a.Name, ca.Label(0), ca.Label(ca.N-1), ca.Step, b.Name, cb.Label(0), cb.Label(cb.N-1), cb.Step)
		n++
	}
	for _, p := range order {
		x, okA := fa[p]
		y, okB := fb[p]
		sa, sb := "(none)", "(none)"
		if okA {
			sa = scenarios.Summary(x, ca)
		}
		if okB {
			sb = scenarios.Summary(y, cb)
		}
		if okA && okB && sameField(x, y, ca, cb) {
			continue
		}
		n++
		fmt.Fprintf(w, "%s\n  %s: %s\n  %s: %s\n", p, a.Name, sa, b.Name, sb)
	}
	key := func(e *scenarios.Event, cal sim.Calendar) string { return cal.Step.Label(e.At) + " " + e.Name }
	ka := map[string]bool{}
	for _, e := range a.Events {
		ka[key(e, ca)] = true
	}
	kb := map[string]bool{}
	for _, e := range b.Events {
		kb[key(e, cb)] = true
	}
	for _, e := range a.Events {
		if !kb[key(e, ca)] {
			fmt.Fprintf(w, "event only in %s: %s (%s)\n", a.Name, key(e, ca), e.Pos)
			n++
		}
	}
	for _, e := range b.Events {
		if !ka[key(e, cb)] {
			fmt.Fprintf(w, "event only in %s: %s (%s)\n", b.Name, key(e, cb), e.Pos)
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "%s and %s set every parameter alike\n", a.Name, b.Name)
	}
	return nil
}

func sameField(x, y sim.Field, ca, cb sim.Calendar) bool {
	if x.Num == nil || ca != cb {
		return scenarios.Summary(x, ca) == scenarios.Summary(y, cb)
	}
	for t := range *x.Num {
		if (*x.Num)[t] != (*y.Num)[t] {
			return false
		}
	}
	return true
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain SCENARIO PATH",
		Short: "Show a parameter's value period by period and which file, line or event set it",
		Long: `Resolve one parameter of a scenario (paths as chipsim params lists them) and show
every file of the extends chain that sets it, then its value period by period with
what set it: the base value's file and line, or the policy event.`,
		Example: "  chipsim explain baseline imports.H200.us_status\n  chipsim explain equipment-squeeze foundry.smic_n2.capacity_wpm",
		Args:    argsRange(2, 2, "a scenario and a parameter path"),
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
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
		},
		RunE: func(c *cobra.Command, args []string) error {
			s, err := load(c.ErrOrStderr(), args[0])
			if err != nil {
				return err
			}
			ex, err := s.Explain(args[1])
			if err != nil {
				return usageError{err}
			}
			return writeExplain(c.OutOrStdout(), s, ex)
		},
	}
}

func writeExplain(w io.Writer, s *scenarios.Scenario, ex *scenarios.Explanation) error {
	f := ex.Field
	unit := f.Def.Unit
	if f.Def.Kind == sim.Enum {
		unit = "one of " + strings.Join(f.Def.Enum, ", ")
	}
	fmt.Fprintf(w, "%s in %s\n  unit:    %s\n  meaning: %s\n", f.Path, s.Name, unit, f.Def.Doc)
	if len(ex.Settings) == 0 {
		fmt.Fprintln(w, "  no file sets it")
	}
	for i, v := range ex.Settings {
		state := "overridden"
		if i == len(ex.Settings)-1 {
			state = "in force"
		}
		src := ""
		if v.Source != "" {
			src = "  # " + v.Source
		}
		fmt.Fprintf(w, "  %s sets %s (%s)%s\n", v.Pos, scenarios.NodeText(v.Node), state, src)
	}
	fmt.Fprintln(w)
	cal := s.Spec.Calendar
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERIODS\tVALUE\tSET BY")
	for _, sp := range ex.Spans {
		per := cal.Label(sp.From)
		if f.Num == nil {
			per = "all"
		} else if sp.To > sp.From {
			per += "–" + cal.Label(sp.To)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", per, sp.Value, sp.By)
	}
	return tw.Flush()
}
