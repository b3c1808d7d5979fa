package cmdutil

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/chipsim/chipsim/sim/study"
)

// Version is chipsim's version: LinkVersion when set, else the module
// version from the build information, else 0.1.0-dev.
func (a *App) Version() string {
	if a.LinkVersion != "" {
		return a.LinkVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

// VersionText is what chipsim version and --version print.
func (a *App) VersionText() string {
	return fmt.Sprintf("chipsim version %s\n%s %s/%s\n", a.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Build names this program in the shards it writes: merge refuses shards
// of another version, Go release or platform.
func (a *App) Build() study.Build { return study.CurrentBuild("chipsim " + a.Version()) }

// DigestOf hashes the parts that identify a job.
func DigestOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
