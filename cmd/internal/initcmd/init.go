// Package initcmd is chipsim init: it writes a commented starter
// scenario.
package initcmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// NewCmdInit returns the init command: write a commented starter scenario.
func NewCmdInit(a *cmdutil.App) *cobra.Command {
	var dir string
	var force bool
	c := &cobra.Command{
		Use:   "init NAME",
		Short: "Write a commented starter scenario NAME.yaml that extends baseline",
		Long: `Write NAME.yaml: a scenario that extends baseline, with comments, showing a changed
parameter with its unit and source, each kind of policy event and an uncertain input
given as a distribution. It validates as written; edit it, then chipsim run NAME.yaml.
An existing file is kept unless --force.`,
		Example: "  chipsim init my-scenario\n  chipsim run my-scenario.yaml",
		Args:    cmdutil.ArgsRange(1, 1, "a scenario name"),
		RunE: func(c *cobra.Command, args []string) error {
			data, err := scenarios.InitTemplate(args[0])
			if err != nil {
				return cmdutil.UsageError{Err: err}
			}
			p := filepath.Join(dir, args[0]+".yaml")
			if _, err := os.Lstat(p); err == nil && !force {
				return cmdutil.Usagef("%s exists: choose another name, or --force to overwrite it", p)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return cmdutil.Usagef("%s: %v", p, err)
			}
			b := &output.Bundle{Dir: dir}
			return a.Done(b, b.Data(args[0]+".yaml", data))
		},
	}
	c.Flags().StringVarP(&dir, "out", "o", ".", "`folder` to write NAME.yaml in")
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return c
}
