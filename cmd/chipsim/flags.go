package main

import (
	"strconv"
	"strings"

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

func floatsFlag(fs *pflag.FlagSet, p *[]float64, name string, def []float64, usage string) {
	*p = def
	fs.Var(&listValue[float64]{p: p, parse: func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
		format: func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }}, name, usage)
}

func stringsFlag(fs *pflag.FlagSet, p *[]string, name string, def []string, usage string) {
	*p = def
	fs.Var(&listValue[string]{p: p, parse: func(s string) (string, error) { return s, nil },
		format: func(x string) string { return x }}, name, usage)
}

func intsFlag(fs *pflag.FlagSet, p *[]int, name string, def []int, usage string) {
	*p = def
	fs.Var(&listValue[int]{p: p, parse: strconv.Atoi, format: strconv.Itoa}, name, usage)
}
