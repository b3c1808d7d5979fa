package main

import "github.com/chipsim/chipsim/cmd/internal/cmdutil"

// The exit statuses the tests expect.
const (
	exitOK    = cmdutil.ExitOK
	exitFail  = cmdutil.ExitFail
	exitUsage = cmdutil.ExitUsage
)
