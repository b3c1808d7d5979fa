// Command chipsim projects China's AI-accelerator and semiconductor
// self-sufficiency under export controls, import policy and production
// ramps, from scenario files. Run `chipsim --help` for the commands.
//
// The commands live in the packages under cmd/internal: root assembles
// them, cmdutil is their shared kit, and each <name>cmd package is one
// command or a group of them.
package main

import (
	"os"

	"github.com/chipsim/chipsim/cmd/internal/root"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, the module version from the build information is used.
var version = ""

func main() { os.Exit(root.Run(version, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
