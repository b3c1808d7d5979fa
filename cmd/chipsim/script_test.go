package main

import (
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the chipsim command inside the
// scripts of testdata/script: `exec chipsim ...` runs execCLI() in a child
// process, with real exit codes, stdout and stderr.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"chipsim": func() { os.Exit(execCLI(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every txtar script in testdata/script; each covers one
// command end to end. Run with -testwork to keep the work folders, or with
// UPDATE_SCRIPTS=1 to rewrite cmp golden files from actual output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") != "",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
			"rows":     cmdRows,
		},
	})
}

// cmdExitcode is the script command
//
//	exitcode N program [args...]
//
// It runs program as exec does, so that stdout and stderr can be checked
// after it, and fails unless the program exits with status N exactly. `!
// exec` would accept any failure; chipsim's exit codes mean something (1 a
// failed run, 2 bad usage or bad input), so the scripts check them.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdRows is the script command
//
//	rows IN OUT REGEXP
//
// It writes OUT with IN's first line and the lines of IN that match
// REGEXP: a subset of a CSV, as a user would cut one with grep.
func cmdRows(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: rows IN OUT REGEXP")
	}
	re, err := regexp.Compile(args[2])
	ts.Check(err)
	lines := strings.SplitAfter(ts.ReadFile(args[0]), "\n")
	out := lines[0]
	for _, l := range lines[1:] {
		if re.MatchString(l) {
			out += l
		}
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
}
