package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/suggest"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, the module version from the build information is used.
var version = ""

func chipsimVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError marks bad usage or bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// run executes chipsim with args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ue usageError
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		// Positioned errors stand alone, one a line, as validate prints them.
		fmt.Fprintln(stderr, el.Error())
		return exitUsage
	}
	fmt.Fprintln(stderr, "chipsim:", err)
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFail
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "chipsim",
		Short: "Scenario simulator of China's AI-accelerator and chip self-sufficiency",
		Long: `chipsim projects, quarter by quarter, how China's demand for AI accelerators is met:
by domestic chips (bounded by foundry capacity, yields, HBM and packaging), by imports
(opened and closed by US export controls and Chinese import policy) and by grey
channels, under scenarios written as YAML files. Shipped scenarios run by name
(chipsim run baseline); your own files run by path.`,
		Version:       chipsimVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return c.Help()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newRunCmd(), newValidateCmd(), newListCmd(), newParamsCmd(), newDiffCmd(), newExplainCmd(), newPlotCmd(), newCompareCmd(), newReportCmd(), newMCCmd(), newMergeCmd(), newSensitivityCmd(), newSweepCmd(), newBatchCmd(), newCheckCmd())
	root.SuggestionsMinimumDistance = 2
	root.InitDefaultCompletionCmd()
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q%s", strings.Join(args, " "), suggestCmd(root, strings.Join(args, " ")))
			}
			target.InitDefaultHelpFlag()
			if target == root {
				target.InitDefaultVersionFlag()
			}
			return target.Help()
		},
	})
	// Cobra's own argument checks (completion's, for one) report bad usage:
	// make them exit with status 2 like ours, and make command groups reject
	// unknown subcommands instead of printing help.
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && c != root && c.Run == nil && c.RunE == nil {
			c.Args = noArgs
			c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
		}
		if orig := c.Args; orig != nil {
			c.Args = func(c *cobra.Command, args []string) error {
				if err := orig(c, args); err != nil {
					var ue usageError
					if errors.As(err, &ue) {
						return err
					}
					return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return root
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %s%s\nRun '%s --help' for usage.", args[0], c.CommandPath(), suggestCmd(c, args[0]), c.CommandPath())
	}
	return nil
}

func suggestCmd(c *cobra.Command, s string) string {
	// Commands the word begins are the likeliest meaning; otherwise the
	// nearest by spelling.
	var prefix []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && s != "" && strings.HasPrefix(sub.Name(), s) {
			prefix = append(prefix, sub.Name())
		}
	}
	if len(prefix) > 0 {
		return " (did you mean " + strings.Join(prefix, " or ") + "?)"
	}
	if sug := c.SuggestionsFor(s); len(sug) > 0 {
		return " (did you mean " + strings.Join(sug, " or ") + "?)"
	}
	return ""
}

func argsRange(lo, hi int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			return usagef("%s: want %s, got %d argument(s)\nRun '%s --help' for usage.", c.CommandPath(), what, len(args), c.CommandPath())
		}
		return nil
	}
}

// completeScenarios offers shipped scenario names and YAML files.
func completeScenarios(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range scenarios.Shipped() {
		if strings.HasPrefix(s.Name, toComplete) {
			out = append(out, s.Name+"\t"+s.Description)
		}
	}
	return out, cobra.ShellCompDirectiveDefault
}

// load reads a scenario by name or path, printing what loading warns
// about to stderr; file errors exit with status 2.
func load(stderr io.Writer, ref string) (*scenarios.Scenario, error) {
	s, err := scenarios.Load(ref)
	if err != nil {
		var el scenarios.ErrorList
		if errors.As(err, &el) {
			return nil, err
		}
		return nil, usageError{err}
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, w)
	}
	return s, nil
}

// suggestName returns " (did you mean X?)" for the names closest to s.
func suggestName(s string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := suggest.Distance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}
