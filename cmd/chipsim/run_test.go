package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runCLI calls execCLI in process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execCLI(args, &out, &errb)
	return code, out.String(), errb.String()
}

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", "name: good\nextends: baseline\npackaging:\n  yield: 0.8\n")
	bad := writeFile(t, dir, "bad.yaml", "name: bad\nextends: baseline\ndemand:\n  growth: fast\n")
	notDir := writeFile(t, dir, "afile", "not a folder\n")
	missing := filepath.Join(dir, "missing.yaml")

	tests := []exitTest{
		// 0: success.
		{name: "no command prints help", args: nil, want: exitOK, stdout: "Available Commands:"},
		{name: "help", args: []string{"--help"}, want: exitOK, stdout: "Available Commands:"},
		{name: "version", args: []string{"--version"}, want: exitOK, stdout: "chipsim version "},
		{name: "list", args: []string{"list"}, want: exitOK, stdout: "h200-blocked"},
		{name: "run shipped", args: []string{"run", "baseline", "-q", "-o", filepath.Join(dir, "out1")}, want: exitOK},
		{name: "run file", args: []string{"run", good, "--format", "none"}, want: exitOK, stdout: "good: 2022Q1 to 2035Q4"},
		{name: "run two", args: []string{"run", "baseline", good, "-q", "-o", filepath.Join(dir, "out2")}, want: exitOK},
		{name: "validate good", args: []string{"validate", good, "baseline"}, want: exitOK, stdout: "ok baseline"},
		{name: "params", args: []string{"params", "--grep", "imports.H200.us_status"}, want: exitOK, stdout: "imports.H200.us_status"},
		{name: "params file", args: []string{"params", good, "--grep", "packaging.yield"}, want: exitOK, stdout: "0.8"},
		{name: "diff", args: []string{"diff", "baseline", "h200-blocked"}, want: exitOK, stdout: "imports.H200.cn_stance"},
		{name: "diff same", args: []string{"diff", "baseline", "baseline"}, want: exitOK, stdout: "set every parameter alike"},
		{name: "explain", args: []string{"explain", "baseline", "imports.H20.us_status"}, want: exitOK, stdout: "(in force)"},
		{name: "completion", args: []string{"completion", "bash"}, want: exitOK, stdout: "bash completion"},

		// 1: a run that fails although its input is good.
		{name: "run output is a file", args: []string{"run", "baseline", "-q", "-o", notDir}, want: exitFail, stderr: "not a directory"},
		{name: "run output under a file", args: []string{"run", "baseline", "-q", "-o", filepath.Join(notDir, "sub")}, want: exitFail},

		// 2: bad usage.
		{name: "unknown command", args: []string{"frobnicate"}, want: exitUsage, stderr: `unknown command "frobnicate"`},
		{name: "unknown flag", args: []string{"--frob"}, want: exitUsage, stderr: "unknown flag: --frob"},
		{name: "unknown run flag", args: []string{"run", "baseline", "--frob"}, want: exitUsage, stderr: "unknown flag: --frob"},
		{name: "flag without value", args: []string{"run", "baseline", "-o"}, want: exitUsage, stderr: "flag needs an argument"},
		{name: "run no args", args: []string{"run"}, want: exitUsage, stderr: "want at least one scenario"},
		{name: "run bad format", args: []string{"run", "baseline", "--format", "xml"}, want: exitUsage, stderr: `unknown format "xml"`},
		{name: "validate no args", args: []string{"validate"}, want: exitUsage, stderr: "want at least one scenario"},
		{name: "list with args", args: []string{"list", "x"}, want: exitUsage, stderr: "want no arguments"},
		{name: "params two args", args: []string{"params", "a", "b"}, want: exitUsage, stderr: "at most one scenario"},
		{name: "params no match", args: []string{"params", "--grep", "no.such.path"}, want: exitUsage, stderr: "no parameter path contains"},
		{name: "diff one arg", args: []string{"diff", "baseline"}, want: exitUsage, stderr: "want two scenarios"},
		{name: "diff three args", args: []string{"diff", "baseline", "baseline", "baseline"}, want: exitUsage, stderr: "want two scenarios"},
		{name: "explain one arg", args: []string{"explain", "baseline"}, want: exitUsage, stderr: "want a scenario and a parameter path"},
		{name: "explain unknown path", args: []string{"explain", "baseline", "imports.H20.us_statu"}, want: exitUsage, stderr: "did you mean imports.H20.us_status"},

		// 2: bad input.
		{name: "run unknown name", args: []string{"run", "basline"}, want: exitUsage, stderr: "did you mean baseline?"},
		{name: "run missing file", args: []string{"run", missing}, want: exitUsage, stderr: "missing.yaml"},
		{name: "run bad file", args: []string{"run", bad}, want: exitUsage, stderr: "bad.yaml:4:11: demand.growth"},
		{name: "validate bad file", args: []string{"validate", bad}, want: exitUsage, stderr: "bad.yaml:4:11: demand.growth"},
		{name: "validate good and bad", args: []string{"validate", good, bad}, want: exitUsage, stdout: "ok " + good, stderr: "1 of 2 scenario(s) invalid"},
		{name: "validate missing file", args: []string{"validate", missing}, want: exitUsage, stderr: "missing.yaml"},
		{name: "params unknown name", args: []string{"params", "basline"}, want: exitUsage, stderr: "did you mean baseline?"},
		{name: "diff bad file", args: []string{"diff", "baseline", bad}, want: exitUsage, stderr: "bad.yaml:4:11:"},
		{name: "explain unknown name", args: []string{"explain", "basline", "imports.H20.us_status"}, want: exitUsage, stderr: "did you mean baseline?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkExit(t, tt)
		})
	}
}

// exitTest is a command line with the exit status it must give.
type exitTest struct {
	name string
	args []string
	want int
	// stdout and stderr, when not empty, must contain these.
	stdout, stderr string
}

// checkExit runs tt's command line and checks its status and output.
func checkExit(t *testing.T, tt exitTest) {
	t.Helper()
	code, stdout, stderr := runCLI(t, tt.args...)
	if code != tt.want {
		t.Errorf("chipsim %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.want, stdout, stderr)
	}
	if code == exitOK && stderr != "" {
		t.Errorf("chipsim %s: exit 0 with stderr:\n%s", strings.Join(tt.args, " "), stderr)
	}
	// A failure says why: a chipsim: message, or positioned errors
	// (file:line:col: message) for bad scenario files.
	if code != exitOK && !strings.Contains(stderr, "chipsim: ") && !positioned.MatchString(stderr) {
		t.Errorf("chipsim %s: exit %d without a chipsim: message or a positioned error on stderr:\n%s", strings.Join(tt.args, " "), code, stderr)
	}
	if !strings.Contains(stdout, tt.stdout) {
		t.Errorf("chipsim %s: stdout does not contain %q:\n%s", strings.Join(tt.args, " "), tt.stdout, stdout)
	}
	if !strings.Contains(stderr, tt.stderr) {
		t.Errorf("chipsim %s: stderr does not contain %q:\n%s", strings.Join(tt.args, " "), tt.stderr, stderr)
	}
}

// TestRunBadInputWritesNothing checks that bad input fails before any
// output: neither the table nor any file of the good scenarios before it.
func TestRunBadInputWritesNothing(t *testing.T) {
	for _, args := range [][]string{
		{"run", "baseline", "basline"},
		{"run", "baseline", "h200-blocked", "--format", "csv,xml"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, _ := runCLI(t, append(args, "-o", out)...)
		if code != exitUsage {
			t.Errorf("chipsim %s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
		if stdout != "" {
			t.Errorf("chipsim %s: printed before failing:\n%s", strings.Join(args, " "), stdout)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("chipsim %s: output folder %s exists (err %v)", strings.Join(args, " "), out, err)
		}
	}
}

// TestRunDeterministic runs the same scenario twice, and once beside
// another scenario, and checks that the CSV and JSON files are
// byte-identical every time.
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	runs := []struct {
		out  string
		args []string
	}{
		{"a", []string{"baseline"}},
		{"b", []string{"baseline"}},
		{"c", []string{"h200-blocked", "baseline"}},
	}
	for _, r := range runs {
		args := append([]string{"run", "-q", "-o", filepath.Join(dir, r.out)}, r.args...)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("chipsim %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
	}
	for _, name := range []string{"baseline.csv", "baseline.json"} {
		first, err := os.ReadFile(filepath.Join(dir, "a", name))
		if err != nil {
			t.Fatal(err)
		}
		if len(first) == 0 {
			t.Fatalf("%s is empty", name)
		}
		for _, r := range runs[1:] {
			again, err := os.ReadFile(filepath.Join(dir, r.out, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again) {
				t.Errorf("%s differs between run a and run %s (%d and %d bytes); first difference at byte %d",
					name, r.out, len(first), len(again), firstDiff(first, again))
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestRunFiles checks the files' shape: the CSV's header is its first line
// and every row has six fields and the scenario's name; the JSON is valid
// and names the scenario.
func TestRunFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "-q", "-o", dir, "baseline"); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(dir, "baseline.csv"))
	if got, want := strings.Join(rows[0], ","), "scenario,period,metric,entity,value,unit"; got != want {
		t.Errorf("CSV header %q, want %q", got, want)
	}
	periods := map[string]bool{}
	for i, r := range rows[1:] {
		if r[0] != "baseline" {
			t.Fatalf("row %d: scenario %q, want baseline", i+2, r[0])
		}
		if _, err := strconv.ParseFloat(r[4], 64); err != nil {
			t.Fatalf("row %d: value %q: %v", i+2, r[4], err)
		}
		periods[r[1]] = true
	}
	if len(periods) != 14*4 || !periods["2022Q1"] || !periods["2035Q4"] {
		t.Errorf("CSV has %d periods, want the 56 quarters 2022Q1 to 2035Q4", len(periods))
	}

	data, err := os.ReadFile(filepath.Join(dir, "baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Scenario string `json:"scenario"`
		Start    string `json:"start"`
		End      string `json:"end"`
		Years    []int  `json:"years"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatalf("baseline.json: %v", err)
	}
	if sum.Scenario != "baseline" || sum.Start != "2022Q1" || sum.End != "2035Q4" {
		t.Errorf("baseline.json: scenario %q from %q to %q, want baseline from 2022Q1 to 2035Q4", sum.Scenario, sum.Start, sum.End)
	}
	if len(sum.Years) != 14 || sum.Years[0] != 2022 || sum.Years[13] != 2035 {
		t.Errorf("baseline.json: years %v, want 2022 to 2035", sum.Years)
	}
}

// TestRunUserOverride checks that a user file changing one value of the
// baseline runs, and that the change reaches the results: halving the
// packaging yield must cut domestic accelerator deliveries.
func TestRunUserOverride(t *testing.T) {
	dir := t.TempDir()
	my := writeFile(t, dir, "my.yaml", "name: low-yield\nextends: baseline\npackaging:\n  yield: 0.45\n")
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "run", "-q", "--format", "csv", "-o", out, "baseline", my); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	base := total(t, readCSV(t, filepath.Join(out, "baseline.csv")), "ai.units_domestic")
	low := total(t, readCSV(t, filepath.Join(out, "low-yield.csv")), "ai.units_domestic")
	if base <= 0 {
		t.Fatalf("baseline delivers %v domestic units in all", base)
	}
	if !(low < base) {
		t.Errorf("domestic units with packaging yield 0.45: %v, want fewer than the baseline's %v", low, base)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 6
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: %d rows", path, len(rows))
	}
	return rows
}

// total sums a metric's values for entity all over every period.
func total(t *testing.T, rows [][]string, metric string) float64 {
	t.Helper()
	sum, n := 0.0, 0
	for _, r := range rows[1:] {
		if r[2] == metric && r[3] == "all" {
			v, err := strconv.ParseFloat(r[4], 64)
			if err != nil {
				t.Fatal(err)
			}
			sum += v
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no rows of %s for entity all", metric)
	}
	return sum
}

var positioned = regexp.MustCompile(`(?m)^\S+\.ya?ml:\d+:\d+: `)
