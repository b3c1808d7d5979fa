package cmdutil_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// List flags print their default as the user writes it, replace it when
// given, add up when repeated, and empty for none.
func TestListFlags(t *testing.T) {
	tests := []struct {
		args []string
		want []float64
	}{
		{nil, []float64{0.05, 0.5}},
		{[]string{"--q", "0.1"}, []float64{0.1}},
		{[]string{"--q", "0.1, 0.2", "--q", "0.3"}, []float64{0.1, 0.2, 0.3}},
		{[]string{"--q", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			var got []float64
			cmdutil.FloatsFlag(fs, &got, "q", []float64{0.05, 0.5}, "quantiles")
			if def := fs.Lookup("q").DefValue; def != "0.05,0.5" {
				t.Errorf("default prints as %q, want 0.05,0.5", def)
			}
			if err := fs.Parse(tt.args); err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.args, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.args, got, tt.want)
			}
		})
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	var years []int
	cmdutil.IntsFlag(fs, &years, "years", nil, "years")
	if err := fs.Parse([]string{"--years", "2030,x"}); err == nil {
		t.Errorf("--years 2030,x: no error, years %v", years)
	}
}

// Argument counts out of range are bad usage that names the command and
// what it wants.
func TestArgsRange(t *testing.T) {
	root := &cobra.Command{Use: "chipsim"}
	c := &cobra.Command{Use: "diff", Run: func(*cobra.Command, []string) {}}
	root.AddCommand(c)
	check := cmdutil.ArgsRange(2, 2, "two scenarios")
	if err := check(c, []string{"a", "b"}); err != nil {
		t.Errorf("two arguments: error = %v", err)
	}
	err := check(c, []string{"a"})
	want := "chipsim diff: want two scenarios, got 1 argument(s)\nRun 'chipsim diff --help' for usage."
	if err == nil || err.Error() != want {
		t.Fatalf("one argument: error = %v, want %q", err, want)
	}
	if !errors.As(err, new(cmdutil.UsageError)) {
		t.Errorf("one argument: error %T is not a UsageError", err)
	}
}

func TestSuggestCmd(t *testing.T) {
	root := &cobra.Command{Use: "chipsim"}
	for _, name := range []string{"run", "report", "sweep"} {
		root.AddCommand(&cobra.Command{Use: name, Run: func(*cobra.Command, []string) {}})
	}
	root.SuggestionsMinimumDistance = 2
	for _, tt := range []struct{ word, want string }{
		{"r", " (did you mean report or run?)"},
		{"swep", " (did you mean sweep?)"},
		{"xyzzy", ""},
	} {
		if got := cmdutil.SuggestCmd(root, tt.word); got != tt.want {
			t.Errorf("SuggestCmd(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// A refused output path is bad usage; other errors are not.
func TestOutputError(t *testing.T) {
	for _, tt := range []struct {
		err   error
		usage bool
	}{
		{fmt.Errorf("out/x.csv: %w", output.ErrOverwrite), true},
		{fmt.Errorf("x: %w", output.ErrBadName), true},
		{errors.New("disk full"), false},
	} {
		got := cmdutil.OutputError(tt.err)
		if usage := errors.As(got, new(cmdutil.UsageError)); usage != tt.usage || !errors.Is(got, tt.err) {
			t.Errorf("OutputError(%v) = %v (usage %v), want usage %v wrapping it", tt.err, got, usage, tt.usage)
		}
	}
}

// Standard input is read once: a second "-" is bad usage.
func TestLoadStdinOnce(t *testing.T) {
	var stderr bytes.Buffer
	a := &cmdutil.App{Stdin: strings.NewReader("name: mine\nextends: baseline\n"), Stdout: new(bytes.Buffer), Stderr: &stderr}
	s, err := a.Load("-")
	if err != nil || s.Name != "mine" {
		t.Fatalf(`Load("-") = %v, %v; want the scenario mine`, s, err)
	}
	_, err = a.Load("-")
	if err == nil || err.Error() != "-: standard input can be read only once" || !errors.As(err, new(cmdutil.UsageError)) {
		t.Errorf(`second Load("-") error = %v, want a usage error`, err)
	}
}

// Done refuses to write over a file the command read.
func TestDoneRefusesInputs(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	a := &cmdutil.App{Stdout: new(bytes.Buffer), Stderr: &stderr}
	a.Input(filepath.Join(dir, "x.csv"))
	b := &output.Bundle{Dir: dir}
	err := a.Done(b, b.Data("x.csv", []byte("a\n")))
	if !errors.As(err, new(cmdutil.UsageError)) {
		t.Errorf("Done over an input: error = %v, want a usage error", err)
	}
	b = &output.Bundle{Dir: dir}
	if err := a.Done(b, b.Data("y.csv", []byte("a\n"))); err != nil {
		t.Fatalf("Done: error = %v", err)
	}
	if got, want := stderr.String(), "wrote "+filepath.Join(dir, "y.csv")+"\n"; got != want {
		t.Errorf("Done printed %q, want %q", got, want)
	}
}

// Version is the one set at build time, when set.
func TestVersion(t *testing.T) {
	a := &cmdutil.App{LinkVersion: "9.9.9"}
	if got := a.Version(); got != "9.9.9" {
		t.Errorf("Version() = %q, want 9.9.9", got)
	}
	if got := a.VersionText(); !strings.HasPrefix(got, "chipsim version 9.9.9\ngo") {
		t.Errorf("VersionText() = %q, want it to start chipsim version 9.9.9", got)
	}
	if got := (&cmdutil.App{}).Version(); got == "" {
		t.Error("Version() without a link version is empty")
	}
}

// A file of runs may be larger than a scenario file: ReadRuns reads what
// ReadInput refuses, and refuses what is not a regular file.
func TestReadRunsLargerThanInputs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "runs.csv")
	if err := os.WriteFile(path, bytes.Repeat([]byte("0.5,0.25\n"), (5<<20)/9), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &cmdutil.App{Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer)}
	if _, err := a.ReadInput(path); err == nil {
		t.Fatal("ReadInput read a 5 MiB file: the test wants a file over its limit")
	}
	data, err := a.ReadRuns(path)
	if err != nil || len(data) < 4<<20 {
		t.Errorf("ReadRuns: %d bytes, %v", len(data), err)
	}
	if _, err := a.ReadRuns(dir); err == nil || !strings.Contains(err.Error(), "chipsim mc --outcomes") || !errors.As(err, new(cmdutil.UsageError)) {
		t.Errorf("ReadRuns(a folder): error %v", err)
	}
}
