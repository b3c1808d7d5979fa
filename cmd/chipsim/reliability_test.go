package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plot refuses a results CSV cut short at a period boundary: the JSON
// summary beside it says the run is longer.
func TestPlotRefusesACSVCutShort(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "baseline", "-q", "-o", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	p := filepath.Join(dir, "baseline.csv")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, ",2031Q") || strings.Contains(line, ",2032Q") || strings.Contains(line, ",2033Q") ||
			strings.Contains(line, ",2034Q") || strings.Contains(line, ",2035Q") {
			continue
		}
		kept = append(kept, line)
	}
	if err := os.WriteFile(p, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "plot", p, "-o", filepath.Join(dir, "charts"))
	if code != exitUsage || !strings.Contains(stderr, "runs 2022Q1 to 2030Q4 in the CSV, but") || !strings.Contains(stderr, "says 2022Q1 to 2035Q4") {
		t.Fatalf("plot of a CSV cut at 2030Q4: exit %d, stderr %q; want exit 2 naming both spans", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "charts")); err == nil {
		t.Error("plot wrote charts of a cut CSV")
	}
}

// A metric named twice is summarised once.
func TestMCMetricTwiceOnce(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "mc", "baseline-uncertain", "-n", "8", "-q", "-o", dir, "--metric", "ai.ssr_units", "--metric", "ai.ssr_units,ai.coverage"); code != 0 {
		t.Fatalf("mc: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "baseline-uncertain-mc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\nbaseline-uncertain,2030Q4,ai.ssr_units,all,p50,")); n != 1 {
		t.Errorf("%d p50 rows of ai.ssr_units in 2030Q4, want 1", n)
	}
	if n := bytes.Count(data, []byte("\nbaseline-uncertain,2030Q4,ai.coverage,all,p50,")); n != 1 {
		t.Errorf("%d p50 rows of ai.coverage in 2030Q4, want 1", n)
	}
}

// sensitivity -n 0 is refused, not silently the default.
func TestSensitivityNZeroRefused(t *testing.T) {
	code, _, stderr := runCLI(t, "sensitivity", "baseline-uncertain", "--outcome", "ai.ssr_units@2030", "-n", "0", "-o", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "-n 0: want at least 2") {
		t.Fatalf("sensitivity -n 0: exit %d, stderr %q; want exit 2 and -n 0: want at least 2", code, stderr)
	}
}

// A command never writes over a file it reads, nor one of its own
// outputs twice, and refuses a records path it cannot honour, before it
// runs anything.
func TestOutputPathsRefused(t *testing.T) {
	dir := t.TempDir()
	scn := filepath.Join(dir, "u.yaml")
	src := []byte("extends: baseline-uncertain\nname: u\n")
	if err := os.WriteFile(scn, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--draws", scn}, "must end in .csv or .parquet"},
		{[]string{"--draws", filepath.Join(dir, "d.xlsx")}, "must end in .csv or .parquet"},
		{[]string{"--draws", filepath.Join(dir, "folder.csv")}, "is a folder"},
		{[]string{"--outcome", "ai.ssr_units@2030", "--outcomes", filepath.Join(out, "u-mc.csv")}, "is already one of this command's files"},
	} {
		args := append([]string{"mc", scn, "-n", "8", "-q", "-o", out}, tt.args...)
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("chipsim %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(args[3:], " "), code, stderr, tt.want)
		}
		if got, _ := os.ReadFile(scn); !bytes.Equal(got, src) {
			t.Fatalf("chipsim %s changed the scenario file", strings.Join(args[3:], " "))
		}
		if _, err := os.Stat(filepath.Join(out, "u-mc.csv")); err == nil {
			t.Errorf("chipsim %s wrote bands though it failed", strings.Join(args[3:], " "))
		}
	}
}
