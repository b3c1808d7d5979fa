package cmdutil

import (
	"os"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/sim/study"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// listValue is a comma-separated list flag, repeatable, whose default
// prints as the user writes it (0.05,0.5) rather than as Go prints a slice.
type listValue[T any] struct {
	p       *[]T
	parse   func(string) (T, error)
	format  func(T) string
	changed bool
}

func (v *listValue[T]) Set(s string) error {
	if s == "" {
		*v.p, v.changed = nil, true
		return nil
	}
	var out []T
	for _, part := range strings.Split(s, ",") {
		x, err := v.parse(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		out = append(out, x)
	}
	if !v.changed {
		*v.p = nil
	}
	*v.p, v.changed = append(*v.p, out...), true
	return nil
}

func (v *listValue[T]) String() string {
	parts := make([]string, len(*v.p))
	for i, x := range *v.p {
		parts[i] = v.format(x)
	}
	return strings.Join(parts, ",")
}

func (v *listValue[T]) Type() string { return "list" }

// FloatsFlag adds a list flag of numbers: comma-separated, repeatable,
// an empty value for none.
func FloatsFlag(fs *pflag.FlagSet, p *[]float64, name string, def []float64, usage string) {
	*p = def
	fs.Var(&listValue[float64]{p: p, parse: func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
		format: func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }}, name, usage)
}

// StringsFlag adds a list flag of words: comma-separated, repeatable, an
// empty value for none.
func StringsFlag(fs *pflag.FlagSet, p *[]string, name string, def []string, usage string) {
	*p = def
	fs.Var(&listValue[string]{p: p, parse: func(s string) (string, error) { return s, nil },
		format: func(x string) string { return x }}, name, usage)
}

// IntsFlag adds a list flag of whole numbers: comma-separated,
// repeatable, an empty value for none.
func IntsFlag(fs *pflag.FlagSet, p *[]int, name string, def []int, usage string) {
	*p = def
	fs.Var(&listValue[int]{p: p, parse: strconv.Atoi, format: strconv.Itoa}, name, usage)
}

// FormatFlag adds --format for commands that print data.
func FormatFlag(c *cobra.Command, f *string) {
	c.Flags().StringVar(f, "format", "table", "print as `table`, csv or json")
}

// ParseFormat checks a --format value.
func ParseFormat(f string) (output.Format, error) {
	v, err := output.ParseFormat(f)
	if err != nil {
		return "", Usagef("--format: %v", err)
	}
	return v, nil
}

// ShardSpec is what --shard and --shards say.
type ShardSpec struct {
	spec   string
	shards int
}

// ShardFlags adds --shard and --shards.
func ShardFlags(c *cobra.Command, s *ShardSpec) {
	c.Flags().StringVar(&s.spec, "shard", "", "run only shard `K/N` (K from 1 to N) and write it for chipsim merge; auto reads a job array's index from $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or $JOB_COMPLETION_INDEX with --shards")
	c.Flags().IntVar(&s.shards, "shards", 0, "with --shard auto: the number of shards `N` (Kubernetes Indexed Jobs give only the index)")
}

// Parse returns this shard (0-based) and the number of shards: 0 and 1
// when unsharded; auto reads a job array's task from the environment.
func (s ShardSpec) Parse() (k, n int, err error) {
	k, n, err = study.ParseShard(s.spec, s.shards, os.Getenv)
	if err != nil {
		return 0, 0, UsageError{Err: err}
	}
	return k, n, nil
}
