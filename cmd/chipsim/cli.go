package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

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

// versionText is what chipsim version and --version print.
func versionText() string {
	return fmt.Sprintf("chipsim version %s\n%s %s/%s\n", chipsimVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Exit codes.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// usageError marks bad usage or bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errInterrupted reports a command stopped by a signal, its outputs not
// written.
var errInterrupted = errors.New("interrupted: no results written")

// run executes chipsim with args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: stdout, stderr: stderr}
	root := newRoot(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, errInterrupted) {
		fmt.Fprintln(stderr, "chipsim:", errInterrupted)
		return exitInterrupted
	}
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		// Positioned errors stand alone, one a line, as validate prints them.
		fmt.Fprintln(stderr, el.Error())
		return exitUsage
	}
	fmt.Fprintln(stderr, "chipsim:", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFail
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "chipsim",
		Short: "Scenario simulator of China's AI-accelerator and chip self-sufficiency",
		Long: `chipsim projects, quarter by quarter, how China's demand for AI accelerators is met:
by domestic chips (bounded by foundry capacity, yields, HBM and packaging), by imports
(opened and closed by US export controls and Chinese import policy) and by grey
channels, under scenarios written as YAML files. Shipped scenarios run by name
(chipsim run baseline); your own files run by path, or from standard input as -.

Every command takes -q/--quiet (no tables, no progress; errors and warnings still
print). Data and tables go to standard output; progress, notes and "wrote FILE" lines
go to standard error. Exit status: 0 success, 1 a failed run, 2 bad input or usage,
130 interrupted.`,
		Version:       chipsimVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          func(c *cobra.Command, args []string) error { return c.Help() },
	}
	root.SetVersionTemplate(versionText())
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newRunCmd(a), newValidateCmd(a), newListCmd(a), newParamsCmd(a), newDiffCmd(a), newExplainCmd(a),
		newPlotCmd(a), newCompareCmd(a), newReportCmd(a), newMCCmd(a), newMergeCmd(a), newSensitivityCmd(a),
		newSweepCmd(a), newBatchCmd(a), newCheckCmd(a), newInitCmd(a), newVersionCmd(a))
	root.SuggestionsMinimumDistance = 2
	root.InitDefaultCompletionCmd()
	root.SetHelpCommand(newHelpCmd(root))
	for _, c := range root.Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			c.Flags().BoolVarP(&a.quiet, "quiet", "q", false, "no tables and no progress; errors and warnings still print")
		}
	}
	strictArgs(root, root)
	return root
}

func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
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
	}
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print chipsim's version, the Go version and the platform",
		Args:  argsRange(0, 0, "no arguments"),
		RunE: func(c *cobra.Command, args []string) error {
			_, err := io.WriteString(a.stdout, versionText())
			return err
		},
	}
}

// strictArgs makes cobra's own argument checks (completion's, for one)
// report bad usage with exit status 2 like ours, and command groups
// reject unknown subcommands instead of printing help.
func strictArgs(root, c *cobra.Command) {
	if c.HasSubCommands() && c != root && c.Run == nil && c.RunE == nil {
		c.Args = noArgs
		c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	}
	if orig := c.Args; orig != nil {
		c.Args = func(c *cobra.Command, args []string) error {
			if err := orig(c, args); err != nil {
				if errors.As(err, new(usageError)) {
					return err
				}
				return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		strictArgs(root, sub)
	}
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
