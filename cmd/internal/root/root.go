// Package root is chipsim's entry point: it assembles the commands of
// the packages beside it under the root command, with help and version,
// runs one, and turns its error into a message and an exit status: 0
// success, 1 a failed run, 2 bad input or usage, 130 interrupted.
package root

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/chipsim/chipsim/cmd/internal/batchcmd"
	"github.com/chipsim/chipsim/cmd/internal/calibratecmd"
	"github.com/chipsim/chipsim/cmd/internal/chartscmd"
	"github.com/chipsim/chipsim/cmd/internal/checkcmd"
	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/cmd/internal/discovercmd"
	"github.com/chipsim/chipsim/cmd/internal/explorecmd"
	"github.com/chipsim/chipsim/cmd/internal/infocmd"
	"github.com/chipsim/chipsim/cmd/internal/initcmd"
	"github.com/chipsim/chipsim/cmd/internal/mccmd"
	"github.com/chipsim/chipsim/cmd/internal/mergecmd"
	"github.com/chipsim/chipsim/cmd/internal/reportcmd"
	"github.com/chipsim/chipsim/cmd/internal/runcmd"
	"github.com/chipsim/chipsim/cmd/internal/sensitivitycmd"
	"github.com/chipsim/chipsim/cmd/internal/sweepcmd"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// Run executes chipsim with args and returns the exit status; version is
// the one set at build time, or empty (see cmdutil.App.LinkVersion).
func Run(version string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &cmdutil.App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Ctx: ctx, LinkVersion: version}
	root := NewCmdRoot(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, cmdutil.ErrInterrupted) {
		fmt.Fprintln(stderr, "chipsim:", cmdutil.ErrInterrupted)
		return cmdutil.ExitInterrupted
	}
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		// Positioned errors stand alone, one a line, as validate prints them.
		fmt.Fprintln(stderr, el.Error())
		return cmdutil.ExitUsage
	}
	fmt.Fprintln(stderr, "chipsim:", err)
	if errors.As(err, new(cmdutil.UsageError)) {
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitFail
}

// NewCmdRoot returns the chipsim command with every command under it,
// printing to a's streams.
func NewCmdRoot(a *cmdutil.App) *cobra.Command {
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
		Version:       a.Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cmdutil.NoArgs,
		RunE:          func(c *cobra.Command, args []string) error { return c.Help() },
	}
	root.SetVersionTemplate(a.VersionText())
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	root.SetIn(a.Stdin)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdutil.UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(runcmd.NewCmdRun(a), infocmd.NewCmdValidate(a), infocmd.NewCmdList(a), infocmd.NewCmdParams(a), infocmd.NewCmdDiff(a), infocmd.NewCmdExplain(a),
		chartscmd.NewCmdPlot(a), chartscmd.NewCmdCompare(a), reportcmd.NewCmdReport(a), mccmd.NewCmdMC(a), mergecmd.NewCmdMerge(a), sensitivitycmd.NewCmdSensitivity(a),
		sweepcmd.NewCmdSweep(a), batchcmd.NewCmdBatch(a), checkcmd.NewCmdCheck(a), calibratecmd.NewCmdCalibrate(a), discovercmd.NewCmdDiscover(a), explorecmd.NewCmdExplore(a), initcmd.NewCmdInit(a), newVersionCmd(a))
	root.SuggestionsMinimumDistance = 2
	root.InitDefaultCompletionCmd()
	root.SetHelpCommand(newHelpCmd(root))
	for _, c := range root.Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			c.Flags().BoolVarP(&a.Quiet, "quiet", "q", false, "no tables and no progress; errors and warnings still print")
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
				return cmdutil.Usagef("unknown help topic %q%s", strings.Join(args, " "), cmdutil.SuggestCmd(root, strings.Join(args, " ")))
			}
			target.InitDefaultHelpFlag()
			if target == root {
				target.InitDefaultVersionFlag()
			}
			return target.Help()
		},
	}
}

func newVersionCmd(a *cmdutil.App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print chipsim's version, the Go version and the platform",
		Args:  cmdutil.ArgsRange(0, 0, "no arguments"),
		RunE: func(c *cobra.Command, args []string) error {
			_, err := io.WriteString(a.Stdout, a.VersionText())
			return err
		},
	}
}

// strictArgs makes cobra's own argument checks (completion's, for one)
// report bad usage with exit status 2 like ours, and command groups
// reject unknown subcommands instead of printing help.
func strictArgs(root, c *cobra.Command) {
	if c.HasSubCommands() && c != root && c.Run == nil && c.RunE == nil {
		c.Args = cmdutil.NoArgs
		c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	}
	if orig := c.Args; orig != nil {
		c.Args = func(c *cobra.Command, args []string) error {
			if err := orig(c, args); err != nil {
				if errors.As(err, new(cmdutil.UsageError)) {
					return err
				}
				return cmdutil.UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		strictArgs(root, sub)
	}
}
