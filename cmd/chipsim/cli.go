package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/chipsim/chipsim/scenarios"
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
	fmt.Fprintln(stderr, "chipsim:", err)
	var ue usageError
	var el scenarios.ErrorList
	if errors.As(err, &ue) || errors.As(err, &el) {
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
	root.AddCommand(newRunCmd(), newValidateCmd(), newListCmd(), newParamsCmd(), newDiffCmd(), newExplainCmd())
	return root
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %s%s\nRun '%s --help' for usage.", args[0], c.CommandPath(), suggestCmd(c, args[0]), c.CommandPath())
	}
	return nil
}

func suggestCmd(c *cobra.Command, s string) string {
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

// load reads a scenario by name or path; file errors exit with status 2.
func load(ref string) (*scenarios.Scenario, error) {
	s, err := scenarios.Load(ref)
	if err != nil {
		var el scenarios.ErrorList
		if errors.As(err, &el) {
			return nil, err
		}
		return nil, usageError{fmt.Errorf("load %s: %w", ref, err)}
	}
	return s, nil
}
