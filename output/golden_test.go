package output_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func runBaseline(t *testing.T) (*scenarios.Scenario, *sim.Result) {
	t.Helper()
	s, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	return s, r
}

// headlineRows keeps the header and the rows of the headline metrics, so
// the golden file stays small while pinning the numbers users read first.
func headlineRows(csv string) string {
	keep := map[string]bool{}
	for _, h := range output.Headline {
		keep[h] = true
	}
	var b strings.Builder
	for i, line := range strings.SplitAfter(csv, "\n") {
		f := strings.Split(line, ",")
		if i == 0 || (len(f) == 6 && keep[f[2]]) {
			b.WriteString(line)
		}
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if !sameLine(gl[i], wl[i]) {
				t.Fatalf("%s differs at line %d:\n got  %s\n want %s\n(run go test ./output -update if the change is intended)", name, i+1, gl[i], wl[i])
			}
		}
		if len(gl) != len(wl) {
			t.Fatalf("%s: got %d lines, want %d", name, len(gl), len(wl))
		}
	}
}

// sameLine compares two CSV lines field by field; numbers may differ in
// their last bits (floating point differs by CPU and compiler), by a
// relative 1e-9 at most.
func sameLine(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := strings.Split(a, ","), strings.Split(b, ",")
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] == fb[i] {
			continue
		}
		x, err1 := strconv.ParseFloat(fa[i], 64)
		y, err2 := strconv.ParseFloat(fb[i], 64)
		if err1 != nil || err2 != nil || !scalar.EqualWithinAbsOrRel(x, y, 1e-12, 1e-9) {
			return false
		}
	}
	return true
}

func TestBaselineCSVGolden(t *testing.T) {
	_, r := runBaseline(t)
	var buf bytes.Buffer
	if err := output.WriteCSV(&buf, "baseline", r, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "baseline_headline.csv", headlineRows(buf.String()))
}

func TestBaselineSummaryGolden(t *testing.T) {
	s, r := runBaseline(t)
	run := &output.Run{Scenario: s.Name, Description: s.Description, Chain: s.Chain, Result: r}
	for _, e := range s.Events {
		run.Events = append(run.Events, output.Event{Period: s.Spec.Calendar.Step.Label(e.At), Name: e.Name, Source: e.Source, Where: e.Pos.String()})
	}
	var buf bytes.Buffer
	if err := output.WriteJSON(&buf, output.NewSummary(run, "test")); err != nil {
		t.Fatal(err)
	}
	golden(t, "baseline_summary.json", buf.String())
}

func TestCSVShape(t *testing.T) {
	_, r := runBaseline(t)
	var buf bytes.Buffer
	if err := output.WriteCSV(&buf, "baseline", r, true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	m := r.Model()
	if want := 1 + m.Calendar().N*len(m.Slots()); len(lines) != want {
		t.Fatalf("CSV has %d lines, want %d (header + periods x slots)", len(lines), want)
	}
	if lines[0] != "scenario,period,metric,entity,value,unit" {
		t.Errorf("header = %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "baseline,2022Q1,ai.ssr_units,all,") || !strings.HasSuffix(lines[1], ",ratio") {
		t.Errorf("first row = %q", lines[1])
	}
}

func TestAnnualRatioOfSums(t *testing.T) {
	_, r := runBaseline(t)
	got, _ := output.Annual(r, "ai.ssr_units", "all")
	dom, _ := output.Annual(r, "ai.units_domestic", "all")
	all, _ := output.Annual(r, "ai.units_delivered", "all")
	for y := range got {
		if want := dom[y] / all[y]; got[y] != want {
			t.Errorf("year %d: ai.ssr_units = %v, want %v", y, got[y], want)
		}
	}
	q, _ := r.Series("ai.units_domestic", "all")
	if sum := q[12] + q[13] + q[14] + q[15]; sum != dom[3] {
		t.Errorf("2025 domestic units = %v, want sum of quarters %v", dom[3], sum)
	}
}

func TestHuman(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{0, "0"}, {999, "999"}, {1500, "1.5k"}, {812000, "812k"}, {1650000, "1.65M"}, {2.5e9, "2.50G"}} {
		if got := output.Human(c.v); got != c.want {
			t.Errorf("Human(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
