// Package checkcmd is chipsim check: the reality checks of
// scenarios/check, on the shipped scenarios or on the user's.
package checkcmd

import (
	"errors"
	"fmt"
	"slices"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/scenarios/check"
	"github.com/spf13/cobra"
)

// NewCmdCheck returns the check command: run the reality checks.
func NewCmdCheck(a *cmdutil.App) *cobra.Command {
	var format string
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
baseline's calibration, not history a variant must keep.

With -q, only the checks that fail are printed.`,
		Example: `  chipsim check
  chipsim check my-scenario.yaml
  chipsim check my-checks.yaml --format csv`,
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := cmdutil.ParseFormat(format)
			if err != nil {
				return err
			}
			return runChecks(a, args, f)
		},
	}
	cmdutil.FormatFlag(c, &format)
	return c
}

func runChecks(a *cmdutil.App, args []string, format output.Format) error {
	all, err := gatherChecks(a, args)
	if err != nil {
		return err
	}
	check.SortByKind(all)
	show := all
	if a.Quiet {
		show = nil
		for _, r := range all {
			if !r.Pass {
				show = append(show, r)
			}
		}
	}
	switch format {
	case output.FormatJSON:
		err = check.WriteJSON(a.Stdout, show)
	case output.FormatCSV:
		err = check.WriteCSV(a.Stdout, show, output.SafeCell)
	default:
		err = check.WriteTable(a.Stdout, show, !a.Quiet, output.ShortCite)
	}
	if err != nil {
		return err
	}
	pass, fail := check.Summary(all)
	if fail > 0 {
		return fmt.Errorf("%d of %d checks failed", fail, pass+fail)
	}
	if !a.Quiet && format == output.FormatTable {
		fmt.Fprintf(a.Stdout, "all %d checks passed\n", pass)
	}
	return nil
}

// gatherChecks runs the checks the arguments ask for; scenarios named
// as arguments print their warnings, and - reads standard input once.
func gatherChecks(a *cmdutil.App, args []string) ([]check.Result, error) {
	named := map[string]*scenarios.Scenario{}
	load := func(ref string) (*scenarios.Scenario, error) {
		if s := named[ref]; s != nil {
			return s, nil
		}
		if !slices.Contains(args, ref) {
			return scenarios.Load(ref)
		}
		s, err := a.Load(ref)
		named[ref] = s
		return s, err
	}
	all, err := check.Gather(args, load, a.ReadInput)
	if errors.As(err, new(*check.Error)) {
		return all, cmdutil.UsageError{Err: err}
	}
	return all, err
}
