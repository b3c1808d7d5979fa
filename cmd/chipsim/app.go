package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/progress"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
)

// app is what every command shares: its streams and the global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	quiet          bool
	stdinUsed      bool
	inputs         []string // files read: no bundle writes over them
	ctx            context.Context
}

// maxStdin bounds a scenario read from standard input, as files are.
const maxStdin = scenarios.MaxFileSize

// load reads a scenario by name, by path, or from standard input as "-",
// printing what loading warns about to stderr; bad input exits with
// status 2.
func (a *app) load(ref string) (*scenarios.Scenario, error) {
	var s *scenarios.Scenario
	var err error
	if ref == "-" {
		if a.stdinUsed {
			return nil, usagef("-: standard input can be read only once")
		}
		a.stdinUsed = true
		data, rerr := io.ReadAll(io.LimitReader(a.stdin, maxStdin+1))
		switch {
		case rerr != nil:
			return nil, usagef("cannot read standard input: %v", rerr)
		case len(data) > maxStdin:
			return nil, usagef("standard input: more than %d MB of YAML", maxStdin>>20)
		}
		s, err = scenarios.Parse("stdin", data) // named stdin unless the file names itself
	} else {
		s, err = scenarios.Load(ref)
		if scenarios.IsPath(ref) {
			a.inputs = append(a.inputs, ref)
		}
	}
	if err != nil {
		if errors.As(err, new(scenarios.ErrorList)) {
			return nil, err
		}
		return nil, usageError{err}
	}
	a.warn(s.Warnings)
	return s, nil
}

// warn prints loading warnings.
func (a *app) warn(ws []scenarios.Warning) {
	for _, w := range ws {
		fmt.Fprintln(a.stderr, w)
	}
}

// loadAll loads every scenario before anything runs, so that bad input
// fails before any output, and refuses two with one name: their outputs
// would collide.
func (a *app) loadAll(refs []string) ([]*scenarios.Scenario, error) {
	var out []*scenarios.Scenario
	seen := map[string]string{}
	for _, ref := range refs {
		s, err := a.load(ref)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[s.Name]; dup {
			return nil, usagef("%s and %s are both named %q; their outputs would collide", prev, ref, s.Name)
		}
		seen[s.Name] = ref
		out = append(out, s)
	}
	return out, nil
}

// wrote reports files written, one "wrote FILE" line each, on stderr,
// unless quiet.
func (a *app) wrote(files []string) {
	if a.quiet {
		return
	}
	for _, f := range files {
		fmt.Fprintln(a.stderr, "wrote", f)
	}
}

// done commits a bundle if err is nil, refusing to write over the files
// the command read, and reports what it wrote; otherwise it discards what
// the bundle staged. It returns the first error.
func (a *app) done(b *output.Bundle, err error) error {
	if err == nil && a.ctx != nil && a.ctx.Err() != nil {
		err = errInterrupted // Ctrl-C while writing: nothing appears
	}
	if err != nil {
		b.Abort()
		return outputError(err)
	}
	b.Input(a.inputs...)
	files, err := b.Commit()
	a.wrote(files)
	return outputError(err)
}

// outputError makes a refused output path bad usage (exit 2).
func outputError(err error) error {
	if errors.Is(err, output.ErrBadName) || errors.Is(err, output.ErrOverwrite) || errors.Is(err, output.ErrRecordsExt) {
		return usageError{err}
	}
	return err
}

// notef prints a note about what the input means on stderr; notes, like
// warnings, print even with --quiet.
func (a *app) notef(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}

// infof prints how the work goes (estimates, timings) on stderr unless
// quiet.
func (a *app) infof(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.stderr, format+"\n", args...)
	}
}

// progress returns a progress bar on stderr: drawn only on a terminal
// and not with --quiet.
func (a *app) progress(total int) *progress.Bar {
	return progress.New(a.stderr, total, progress.Options{Quiet: a.quiet})
}

// print prints data in format f; -q silences tables, not data asked for
// as CSV or JSON.
func (a *app) print(f output.Format, v output.Rows) error {
	if f == output.FormatTable && a.quiet {
		return nil
	}
	return output.Print(a.stdout, f, v)
}

// formatFlag adds --format for commands that print data.
func formatFlag(c *cobra.Command, f *string) {
	c.Flags().StringVar(f, "format", "table", "print as `table`, csv or json")
}

// parseFormat checks a --format value.
func parseFormat(f string) (output.Format, error) {
	v, err := output.ParseFormat(f)
	if err != nil {
		return "", usagef("--format: %v", err)
	}
	return v, nil
}

// shardFlags adds --shard and --shards.
func shardFlags(c *cobra.Command, s *shardSpec) {
	c.Flags().StringVar(&s.spec, "shard", "", "run only shard `K/N` (K from 1 to N) and write it for chipsim merge; auto reads a job array's index from $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or $JOB_COMPLETION_INDEX with --shards")
	c.Flags().IntVar(&s.shards, "shards", 0, "with --shard auto: the number of shards `N` (Kubernetes Indexed Jobs give only the index)")
}

type shardSpec struct {
	spec   string
	shards int
}

// parse returns this shard (0-based) and the number of shards: 0 and 1
// when unsharded; auto reads a job array's task from the environment.
func (s shardSpec) parse() (k, n int, err error) {
	k, n, err = study.ParseShard(s.spec, s.shards, os.Getenv)
	if err != nil {
		return 0, 0, usageError{err}
	}
	return k, n, nil
}

// interrupted turns a cancelled run into errInterrupted.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return errInterrupted
	}
	return err
}

// readInput reads a file named on the command line, as bad input when it
// cannot.
func (a *app) readInput(path string) ([]byte, error) {
	a.inputs = append(a.inputs, path)
	data, err := scenarios.ReadFile(path, "input")
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return nil, usagef("cannot read %s: %v", path, pe.Err)
	case err != nil:
		return nil, usageError{err}
	}
	return data, nil
}

// errorf prints an error line on stderr; errors print even with --quiet.
func (a *app) errorf(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}

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

// digestOf hashes the parts that identify a job.
func digestOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// writePartial writes a shard's partial results.
func writePartial(a *app, p *study.Partial, dir, name string) error {
	data, err := p.Encode()
	if err != nil {
		return err
	}
	b := &output.Bundle{Dir: dir}
	return a.done(b, b.Data(name, data))
}

// maxShard bounds a shard file: a sweep of the most runs a plan may have
// with a few outcomes fits well within it.
const maxShard = 2 << 30

// readShard reads a shard file: a regular file of at most maxShard bytes.
func (a *app) readShard(path string) ([]byte, error) {
	a.inputs = append(a.inputs, path)
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, usagef("cannot read %s: %v", path, errors.Unwrap(err))
	case !st.Mode().IsRegular():
		return nil, usagef("%s is not a regular file: a shard is a file that chipsim mc, sweep or sensitivity --shard wrote", path)
	case st.Size() > maxShard:
		return nil, usagef("%s holds %d bytes, more than a shard may (%d)", path, st.Size(), maxShard)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	return data, nil
}

// build names this program in the shards it writes: merge refuses shards
// of another version, Go release or platform.
func build() study.Build { return study.CurrentBuild("chipsim " + chipsimVersion()) }
