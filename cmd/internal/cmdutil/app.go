package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/progress"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/study"
)

// App is what every command shares: its streams, the global flags and the
// files it has read.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Quiet is -q/--quiet: no tables and no progress; errors and warnings
	// still print.
	Quiet bool
	// Ctx, when set, is cancelled by an interrupt: Done then writes
	// nothing.
	Ctx context.Context
	// LinkVersion is the version set at build time (-ldflags "-X
	// main.version=..."); when empty, Version reads the build information.
	LinkVersion string

	stdinUsed bool
	inputs    []string // files read: no bundle writes over them
}

// maxStdin bounds a scenario read from standard input, as files are.
const maxStdin = scenarios.MaxFileSize

// Load reads a scenario by name, by path, or from standard input as "-",
// printing what loading warns about to stderr; bad input exits with
// status 2.
func (a *App) Load(ref string) (*scenarios.Scenario, error) {
	var s *scenarios.Scenario
	var err error
	if ref == "-" {
		if a.stdinUsed {
			return nil, Usagef("-: standard input can be read only once")
		}
		a.stdinUsed = true
		data, rerr := io.ReadAll(io.LimitReader(a.Stdin, maxStdin+1))
		switch {
		case rerr != nil:
			return nil, Usagef("cannot read standard input: %v", rerr)
		case len(data) > maxStdin:
			return nil, Usagef("standard input: more than %d MB of YAML", maxStdin>>20)
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
		return nil, UsageError{Err: err}
	}
	a.Warn(s.Warnings)
	return s, nil
}

// Warn prints loading warnings.
func (a *App) Warn(ws []scenarios.Warning) {
	for _, w := range ws {
		fmt.Fprintln(a.Stderr, w)
	}
}

// LoadAll loads every scenario before anything runs, so that bad input
// fails before any output, and refuses two with one name: their outputs
// would collide.
func (a *App) LoadAll(refs []string) ([]*scenarios.Scenario, error) {
	var out []*scenarios.Scenario
	seen := map[string]string{}
	for _, ref := range refs {
		s, err := a.Load(ref)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[s.Name]; dup {
			return nil, Usagef("%s and %s are both named %q; their outputs would collide", prev, ref, s.Name)
		}
		seen[s.Name] = ref
		out = append(out, s)
	}
	return out, nil
}

// Input records files the command reads that Load, ReadInput and
// ReadShard do not: Done refuses to write over them.
func (a *App) Input(paths ...string) { a.inputs = append(a.inputs, paths...) }

// ReadInput reads a file named on the command line, as bad input when it
// cannot.
func (a *App) ReadInput(path string) ([]byte, error) {
	a.inputs = append(a.inputs, path)
	data, err := scenarios.ReadFile(path, "input")
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return nil, Usagef("cannot read %s: %v", path, pe.Err)
	case err != nil:
		return nil, UsageError{Err: err}
	}
	return data, nil
}

// maxShard bounds a shard file or a file of runs: a sweep of the most
// runs a plan may have with a few outcomes fits well within it.
const maxShard = 2 << 30

// ReadShard reads a shard file: a regular file of at most 2 GiB.
func (a *App) ReadShard(path string) ([]byte, error) {
	return a.readLarge(path, "a shard", "a shard is a file that chipsim mc, sweep or sensitivity --shard wrote")
}

// ReadRuns reads a file of runs that chipsim mc --outcomes wrote: a
// regular file of at most 2 GiB (a scenario-sized limit would refuse a
// large Monte Carlo's runs).
func (a *App) ReadRuns(path string) ([]byte, error) {
	return a.readLarge(path, "a file of runs", "the runs are a file that chipsim mc --outcomes wrote")
}

// readLarge reads a regular file of at most maxShard bytes that chipsim
// wrote; what names such a file, and why says where one comes from.
func (a *App) readLarge(path, what, why string) ([]byte, error) {
	a.inputs = append(a.inputs, path)
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, Usagef("cannot read %s: %v", path, errors.Unwrap(err))
	case !st.Mode().IsRegular():
		return nil, Usagef("%s is not a regular file: %s", path, why)
	case st.Size() > maxShard:
		return nil, Usagef("%s holds %d bytes, more than %s may (%d)", path, st.Size(), what, maxShard)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	return data, nil
}

// wrote reports files written, one "wrote FILE" line each, on stderr,
// unless quiet.
func (a *App) wrote(files []string) {
	if a.Quiet {
		return
	}
	for _, f := range files {
		fmt.Fprintln(a.Stderr, "wrote", f)
	}
}

// Done commits a bundle if err is nil, refusing to write over the files
// the command read, and reports what it wrote; otherwise it discards what
// the bundle staged. It returns the first error.
func (a *App) Done(b *output.Bundle, err error) error {
	if err == nil && a.Ctx != nil && a.Ctx.Err() != nil {
		err = ErrInterrupted // Ctrl-C while writing: nothing appears
	}
	if err != nil {
		b.Abort()
		return OutputError(err)
	}
	b.Input(a.inputs...)
	files, err := b.Commit()
	a.wrote(files)
	return OutputError(err)
}

// Notef prints a note about what the input means on stderr; notes, like
// warnings, print even with --quiet.
func (a *App) Notef(format string, args ...any) {
	fmt.Fprintf(a.Stderr, format+"\n", args...)
}

// Infof prints how the work goes (estimates, timings) on stderr unless
// quiet.
func (a *App) Infof(format string, args ...any) {
	if !a.Quiet {
		fmt.Fprintf(a.Stderr, format+"\n", args...)
	}
}

// Errorf prints an error line on stderr; errors print even with --quiet.
func (a *App) Errorf(format string, args ...any) {
	fmt.Fprintf(a.Stderr, format+"\n", args...)
}

// Progress returns a progress bar on stderr: drawn only on a terminal
// and not with --quiet.
func (a *App) Progress(total int) *progress.Bar {
	return progress.New(a.Stderr, total, progress.Options{Quiet: a.Quiet})
}

// Print prints data in format f; -q silences tables, not data asked for
// as CSV or JSON.
func (a *App) Print(f output.Format, v output.Rows) error {
	if f == output.FormatTable && a.Quiet {
		return nil
	}
	return output.Print(a.Stdout, f, v)
}

// WritePartial writes a shard's partial results into dir as name.
func (a *App) WritePartial(p *study.Partial, dir, name string) error {
	data, err := p.Encode()
	if err != nil {
		return err
	}
	b := &output.Bundle{Dir: dir}
	return a.Done(b, b.Data(name, data))
}
