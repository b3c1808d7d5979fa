package main

import (
	"io"
	"os"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/cmd/internal/root"
)

// execCLI executes chipsim as main does, with args and the given
// streams, and returns the exit status.
func execCLI(args []string, stdout, stderr io.Writer) int {
	return root.Run(version, args, os.Stdin, stdout, stderr)
}

// The exit statuses the tests expect.
const (
	exitOK    = cmdutil.ExitOK
	exitFail  = cmdutil.ExitFail
	exitUsage = cmdutil.ExitUsage
)
