package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/cmd/internal/root"
)

const sweepUncSrc = `extends: baseline
name: unc
demand:
  growth: {dist: triangular, min: 0.3, mode: 0.45, max: 0.6}
packaging:
  yield: {dist: pert, min: 0.7, mode: 0.85, max: 0.95}
foundry:
  smic_n2:
    learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}
events:
  - at: {dist: uniform, min: 2026Q3, max: 2028Q4}
    id: squeeze
    duration: {dist: discrete, values: [4, 8], weights: [0.5, 0.5]}
    equipment_control: {process: smic_n2, capacity_scale: {dist: uniform, min: 0.5, max: 0.9}}
  - at: 2026Q1
    id: h200
    set: {imports.H200.us_status: {dist: discrete, values: [licensed, banned], weights: [0.6, 0.4]}}
`

// chipsimOK runs chipsim in-process and fails the test unless it exits 0.
func chipsimOK(t *testing.T, args ...string) string {
	t.Helper()
	if c, _, err := root.NewCmdRoot(&cmdutil.App{Stdout: io.Discard, Stderr: io.Discard}).Find([]string{args[0]}); err != nil || c.Name() != args[0] {
		t.Skipf("chipsim %s is not registered in root.NewCmdRoot", args[0])
	}
	var out, errb bytes.Buffer
	if code := execCLI(args, &out, &errb); code != 0 {
		t.Fatalf("chipsim %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// table is a CSV with a header, read by column name.
type table struct {
	head map[string]int
	rows [][]string
}

func readTable(t *testing.T, path string) *table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := &table{head: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		tb.head[h] = i
	}
	return tb
}

func (tb *table) num(t *testing.T, row int, col string) float64 {
	t.Helper()
	i, ok := tb.head[col]
	if !ok {
		t.Fatalf("no column %q", col)
	}
	v, err := strconv.ParseFloat(tb.rows[row][i], 64)
	if err != nil {
		t.Fatalf("row %d, %s: %v", row, col, err)
	}
	return v
}

// runValues reads a chipsim run CSV's whole-market values of a metric by
// period.
func runValues(t *testing.T, path, metric string) map[string]float64 {
	t.Helper()
	tb := readTable(t, path)
	out := map[string]float64{}
	for _, r := range tb.rows {
		if r[tb.head["metric"]] == metric && r[tb.head["entity"]] == "all" {
			v, err := strconv.ParseFloat(r[tb.head["value"]], 64)
			if err != nil {
				t.Fatal(err)
			}
			out[r[tb.head["period"]]] = v
		}
	}
	return out
}

func TestSweepOATBaseIsTheRunAtMedians(t *testing.T) {
	dir := t.TempDir()
	unc := filepath.Join(dir, "unc.yaml")
	if err := os.WriteFile(unc, []byte(sweepUncSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	chipsimOK(t, "sweep", unc, "--oat", "--outcome", "ai.ssr_units@2030Q4", "--outcome", "ai.units_domestic@2026", "-o", dir, "-q", "--no-charts")
	chipsimOK(t, "run", unc, "-o", dir, "--format", "csv", "-q")
	sw := readTable(t, filepath.Join(dir, "unc-sweep.csv"))
	if got := sw.rows[0][sw.head["end"]]; got != "median" {
		t.Fatalf("run 0 is %q, want the base (median)", got)
	}
	ssr := runValues(t, filepath.Join(dir, "unc.csv"), "ai.ssr_units")
	if got, want := sw.num(t, 0, "ai.ssr_units@2030Q4"), ssr["2030Q4"]; got != want {
		t.Errorf("base ai.ssr_units@2030Q4 = %v, chipsim run gives %v", got, want)
	}
	dom := runValues(t, filepath.Join(dir, "unc.csv"), "ai.units_domestic")
	want := dom["2026Q1"] + dom["2026Q2"] + dom["2026Q3"] + dom["2026Q4"]
	if got := sw.num(t, 0, "ai.units_domestic@2026"); math.Abs(got-want) > 1e-9*want {
		t.Errorf("base ai.units_domestic@2026 = %v, chipsim run gives %v", got, want)
	}
	// Every other run moves exactly the input it names.
	inputs := []string{"demand.growth", "packaging.yield", "foundry.smic_n2.learning_rate", "squeeze.at", "squeeze.duration", "squeeze.foundry.smic_n2.capacity_wpm", "h200.imports.H200.us_status"}
	if len(sw.rows) != 1+2*len(inputs) {
		t.Fatalf("%d runs, want %d", len(sw.rows), 1+2*len(inputs))
	}
	for r := 1; r < len(sw.rows); r++ {
		varied := sw.rows[r][sw.head["varied"]]
		if varied != inputs[(r-1)/2] {
			t.Errorf("run %d varies %q, want %q", r, varied, inputs[(r-1)/2])
		}
		for _, in := range inputs {
			if in != varied && sw.num(t, r, in) != sw.num(t, 0, in) {
				t.Errorf("run %d (%s): %s = %v, base %v", r, varied, in, sw.num(t, r, in), sw.num(t, 0, in))
			}
		}
	}
}

// Better packaging yield never lowers domestic compute over 2026-30, and
// raises it from the lowest level to the highest. (Units can fall: with
// HBM parts scarcer, buyers take more GDDR inference cards, each a small
// fraction of an H100e.)
func TestSweepGridOverPackagingYieldNeverLowersDomesticCompute(t *testing.T) {
	dir := t.TempDir()
	const out = "sum(ai.h100e_domestic, 2026..2030)"
	chipsimOK(t, "sweep", "baseline", "--grid", "packaging.yield=0.3:1:15", "--outcome", out, "--outcome", "ai.ssr_units@2030Q4", "-o", dir, "-q", "--no-charts")
	sw := readTable(t, filepath.Join(dir, "baseline-sweep.csv"))
	if len(sw.rows) != 15 {
		t.Fatalf("%d runs, want 15", len(sw.rows))
	}
	prev := math.Inf(-1)
	for r := range sw.rows {
		lv := sw.num(t, r, "packaging.yield")
		// Levels are written as the round numbers they are: 0.35, not 0.35000000000000003.
		if want := strconv.FormatFloat(math.Round((0.3+0.05*float64(r))*100)/100, 'f', -1, 64); sw.rows[r][sw.head["packaging.yield"]] != want {
			t.Errorf("level %d = %q, want %s", r, sw.rows[r][sw.head["packaging.yield"]], want)
		}
		v := sw.num(t, r, out)
		if v < prev*(1-1e-9) {
			t.Errorf("packaging.yield %v: %s = %v, below %v at the level before", lv, out, v, prev)
		}
		prev = v
	}
	if first, last := sw.num(t, 0, out), prev; !(last > first*1.05) {
		t.Errorf("%s is %v at yield 0.3 and %v at 1: want a rise of more than 5%%", out, first, last)
	}
	// At the scenario's own value (0.9 in the baseline), the grid's child
	// scenario gives what chipsim run gives.
	chipsimOK(t, "run", "baseline", "-o", dir, "--format", "csv", "-q")
	ssr := runValues(t, filepath.Join(dir, "baseline.csv"), "ai.ssr_units")
	if got, want := sw.num(t, 12, "ai.ssr_units@2030Q4"), ssr["2030Q4"]; sw.num(t, 12, "packaging.yield") != 0.9 || got != want {
		t.Errorf("at packaging.yield 0.9: ai.ssr_units@2030Q4 = %v, chipsim run baseline gives %v", got, want)
	}
}

func TestSweepSameBytesForAnyJobs(t *testing.T) {
	dir := t.TempDir()
	unc := filepath.Join(dir, "unc.yaml")
	if err := os.WriteFile(unc, []byte(sweepUncSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	designs := map[string][]string{
		"oat":  {"--oat"},
		"grid": {"--grid", "demand.growth=0.3:0.6:7", "--grid", "hbm.initial_stacks=100000:900000:5"},
		"lhs":  {"--lhs", "97", "--seed", "11"},
	}
	for name, flags := range designs {
		var files [][]byte
		for _, j := range []string{"1", "2", "5"} {
			out := filepath.Join(dir, name+"-j"+j)
			args := append([]string{"sweep", unc, "--outcome", "ai.ssr_compute@2030", "--outcome", "first(ai.ssr_units >= 0.85)", "-j", j, "-o", out, "-q", "--no-charts"}, flags...)
			chipsimOK(t, args...)
			b, err := os.ReadFile(filepath.Join(out, "unc-sweep.csv"))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
		for i := 1; i < len(files); i++ {
			if !bytes.Equal(files[0], files[i]) {
				t.Errorf("%s: the CSV differs between -j 1 and another -j", name)
			}
		}
		if !bytes.Contains(files[0], []byte("_label")) {
			t.Errorf("%s: no label column for first()", name)
		}
	}
}
