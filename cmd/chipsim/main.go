// Command chipsim projects China's AI-accelerator and semiconductor
// self-sufficiency under export controls, import policy and production
// ramps, from scenario files. Run `chipsim --help` for the commands.
package main

import "os"

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, the module version from the build information is used.
var version = ""

func main() { os.Exit(execCLI(os.Args[1:], os.Stdout, os.Stderr)) }
