package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/progress"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// app is what every command shares: its streams and the global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	quiet          bool
	stdinUsed      bool
}

// maxStdin bounds a scenario read from standard input.
const maxStdin = 16 << 20

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
		s, err = scenarios.Parse("<stdin>", data)
	} else {
		s, err = scenarios.Load(ref)
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

// chartFlags adds --charts and --no-charts (and the drawing flags) to a
// command that can draw; on says whether it draws by default.
func chartFlags(c *cobra.Command, o *chartOptions, on bool) {
	o.on = on
	c.Flags().BoolVar(&o.charts, "charts", false, "draw charts"+map[bool]string{true: " (the default)", false: ""}[on])
	c.Flags().BoolVar(&o.noCharts, "no-charts", false, "draw no charts"+map[bool]string{true: "", false: " (the default)"}[on])
	o.flags(c, []string{"png"})
}

// drawing resolves --charts and --no-charts and checks the drawing flags.
func (o *chartOptions) drawing() (bool, error) {
	if o.charts && o.noCharts {
		return false, usagef("--charts and --no-charts: choose one")
	}
	draw := (o.on || o.charts) && !o.noCharts
	if draw {
		if err := o.check(); err != nil {
			return false, err
		}
	}
	return draw, nil
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
// when unsharded.
func (s shardSpec) parse(getenv func(string) string) (k, n int, err error) {
	if s.spec == "" {
		if s.shards != 0 {
			return 0, 0, usagef("--shards: only with --shard auto")
		}
		return 0, 1, nil
	}
	if s.spec == "auto" {
		return autoShard(getenv, s.shards)
	}
	if s.shards != 0 {
		return 0, 0, usagef("--shards: only with --shard auto (--shard %s names N already)", s.spec)
	}
	a, b, ok := strings.Cut(s.spec, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, usagef("--shard %q: want K/N with 1 ≤ K ≤ N, such as 3/10, or auto", s.spec)
	}
	return k - 1, n, nil
}

// autoShard reads a job array's task from the environment: Slurm's
// SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN, 0 if unset)
// and SLURM_ARRAY_TASK_COUNT, or Kubernetes' JOB_COMPLETION_INDEX (from 0)
// with shards from --shards.
func autoShard(getenv func(string) string, shards int) (k, n int, err error) {
	num := func(name string) (int, bool, error) {
		v := getenv(name)
		if v == "" {
			return 0, false, nil
		}
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 {
			return 0, true, usagef("--shard auto: $%s=%q is not a whole number", name, v)
		}
		return x, true, nil
	}
	if id, ok, err := num("SLURM_ARRAY_TASK_ID"); ok || err != nil {
		if err != nil {
			return 0, 0, err
		}
		count, okc, err := num("SLURM_ARRAY_TASK_COUNT")
		if err != nil || !okc {
			return 0, 0, usagef("--shard auto: $SLURM_ARRAY_TASK_ID is set but $SLURM_ARRAY_TASK_COUNT is not (Slurm sets both for a job array)")
		}
		lo, _, err := num("SLURM_ARRAY_TASK_MIN")
		if err != nil {
			return 0, 0, err
		}
		if shards != 0 && shards != count {
			return 0, 0, usagef("--shards %d: the Slurm array has %d tasks", shards, count)
		}
		if id-lo < 0 || id-lo >= count {
			return 0, 0, usagef("--shard auto: task %d of an array of %d from %d: use a dense array such as --array=0-%d", id, count, lo, count-1)
		}
		return id - lo, count, nil
	}
	if idx, ok, err := num("JOB_COMPLETION_INDEX"); ok || err != nil {
		if err != nil {
			return 0, 0, err
		}
		if shards < 1 {
			return 0, 0, usagef("--shard auto: $JOB_COMPLETION_INDEX is set: give the number of shards with --shards N (the Job's completions)")
		}
		if idx >= shards {
			return 0, 0, usagef("--shard auto: $JOB_COMPLETION_INDEX=%d is not below --shards %d", idx, shards)
		}
		return idx, shards, nil
	}
	return 0, 0, usagef("--shard auto: no job array found: set $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT (Slurm) or $JOB_COMPLETION_INDEX with --shards N (Kubernetes), or give --shard K/N")
}

// readInput reads a file named on the command line, as bad input when it
// cannot.
func readInput(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	return data, nil
}

// errorf prints an error line on stderr; errors print even with --quiet.
func (a *app) errorf(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}

func itoa(v int) string { return strconv.Itoa(v) }
