package scenarios

import (
	"path/filepath"
	"strings"
	"testing"
)

// twoInputs gives the baseline two uncertain inputs to correlate.
const twoInputs = "extends: baseline\ndemand:\n  growth: {dist: uniform, min: 0.1, max: 0.3}\npackaging:\n  yield: {dist: uniform, min: 0.8, max: 0.9}\n"

func TestCorrelationPairTwice(t *testing.T) {
	for _, tt := range []struct{ name, corr, want string }{
		{"same pair, two values", "  - [demand.growth, packaging.yield, 0.3]\n  - [demand.growth, packaging.yield, 0.5]\n",
			"t.yaml:8:5: correlations: demand.growth and packaging.yield are correlated twice, with 0.5 here and 0.3 at line 7; give each pair once, with one value"},
		{"reversed pair, two values", "  - [demand.growth, packaging.yield, 0.3]\n  - [packaging.yield, demand.growth, -0.2]\n",
			"t.yaml:8:5: correlations: packaging.yield and demand.growth are correlated twice, with -0.2 here and 0.3 at line 7; give each pair once, with one value"},
		{"same pair, same value", "  - [demand.growth, packaging.yield, 0.3]\n  - [packaging.yield, demand.growth, 0.3]\n",
			"t.yaml:8:5: correlations: packaging.yield and demand.growth are correlated twice, here and at line 7, both with 0.3; give each pair once"},
		{"three times", "  - [demand.growth, packaging.yield, 0.3]\n  - [demand.growth, packaging.yield, 0.3]\n  - [packaging.yield, demand.growth, 0.4]\n",
			"t.yaml:8:5: correlations: demand.growth and packaging.yield are correlated twice, here and at line 7, both with 0.3; give each pair once\n" +
				"t.yaml:9:5: correlations: packaging.yield and demand.growth are correlated twice, with 0.4 here and 0.3 at line 7; give each pair once, with one value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := twoInputs + "correlations:\n" + tt.corr
			_, err := Parse("t.yaml", []byte(in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", in, err, tt.want)
			}
		})
	}

	// A file that extends another may give its parent's pair a new value.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"parent.yaml": twoInputs + "correlations:\n  - [demand.growth, packaging.yield, 0.3]\n",
		"child.yaml":  "extends: parent.yaml\ncorrelations:\n  - [packaging.yield, demand.growth, -0.2]\n",
	})
	s, err := Load(filepath.Join(dir, "child.yaml"))
	if err != nil {
		t.Fatalf("Load(child.yaml) error = %v", err)
	}
	if c := s.Correlation(); len(c) != 4 || c[1] != -0.2 || c[2] != -0.2 {
		t.Errorf("Load(child.yaml).Correlation() = %v, want the child's -0.2", c)
	}
}

func TestEventIDTwice(t *testing.T) {
	ev := func(id, at string) string {
		return "  - id: " + id + "\n    at: " + at + "\n    set: {demand.growth: 0.1}\n"
	}
	in := "extends: baseline\nevents:\n" + ev("ban", "2026Q1") + ev("ban", "2027Q1") + ev("other", "2027Q1") + ev("ban", "2028Q1")
	_, err := Parse("t.yaml", []byte(in))
	want := "t.yaml:6:9: event id ban is already the id of the event at line 3; give each event its own id\n" +
		"t.yaml:12:9: event id ban is already the id of the event at line 3; give each event its own id"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%q) error = %v, want %v", in, err, want)
	}

	// In two files of a chain, the first is named by its file.
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	writeFiles(t, dir, map[string]string{
		"parent.yaml": "extends: baseline\nevents:\n" + ev("ban", "2026Q1"),
		"child.yaml":  "extends: parent.yaml\nevents:\n" + ev("ban", "2027Q1"),
	})
	_, err = Load(p("child.yaml"))
	want = p("child.yaml") + ":3:9: event id ban is already the id of the event at " + p("parent.yaml") + ":3:9; give each event its own id"
	if err == nil || err.Error() != want {
		t.Errorf("Load(child.yaml) error = %v, want %v", err, want)
	}
}

func TestEventOutsideRunWarns(t *testing.T) {
	in := `extends: baseline
events:
  - at: 2040Q1
    set: {demand.growth: 0.1}
  - at: 2010Q1
    end: 2011Q2
    name: old policy
    set: {demand.growth: 0.1}
  - at: 2019Q1
    duration: 4
    add: {grey.cloud_h100e: 5}
  - at: 2010Q1
    set: {grey.enforcement: 0.3}
  - at: 2021Q1
    end: 2022Q1
    add: {grey.cloud_h100e: 5}
  - at: 2035Q4
    add: {grey.cloud_h100e: 5}
`
	s, err := Parse("t.yaml", []byte(in))
	if err != nil {
		t.Fatalf("Parse(%q) error = %v", in, err)
	}
	want := []string{
		`t.yaml:3:5: warning: event "set demand.growth 0.1" starts in 2040Q1, after the run ends (2022Q1 to 2035Q4): it changes nothing; check its dates and time.start and time.end`,
		`t.yaml:5:5: warning: event "old policy" ends in 2011Q2, before the run starts (2022Q1 to 2035Q4): it changes nothing; check its dates and time.start and time.end`,
		`t.yaml:9:5: warning: event "add grey.cloud_h100e 5" ends in 2019Q4, before the run starts (2022Q1 to 2035Q4): it changes nothing; check its dates and time.start and time.end`,
	}
	var got []string
	for _, w := range s.Warnings {
		if w.Pos.File == "t.yaml" {
			got = append(got, w.String())
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Parse(%q) warnings =\n%s\nwant\n%s", in, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A scenario that shortens its parent's run is not warned about the
	// parent's events after it.
	short := "extends: baseline\ntime:\n  end: 2024Q4\n"
	if s, err := Parse("t.yaml", []byte(short)); err != nil || len(s.Warnings) != 0 {
		t.Errorf("Parse(%q) = %v, error %v, want no warnings", short, s.Warnings, err)
	}
	// The shipped scenarios have no such event.
	for _, name := range ShippedNames() {
		s, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range s.Warnings {
			if strings.Contains(w.Msg, "changes nothing") {
				t.Errorf("Load(%q) warning %s", name, w)
			}
		}
	}
}

func TestNumberOutOfRange(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"parameter", "extends: baseline\ndemand:\n  growth: 1e400\n",
			"t.yaml:3:11: demand.growth: want a number (1/year), got the number 1e400, out of range for a float (at most ±1.798e+308)"},
		{"negative", "extends: baseline\ndemand:\n  growth: -2.5E+999\n",
			"t.yaml:3:11: demand.growth: want a number (1/year), got the number -2.5E+999, out of range for a float (at most ±1.798e+308)"},
		{"in a distribution", "extends: baseline\ndemand:\n  growth: {dist: uniform, min: 0, max: 1e400}\n",
			"t.yaml:3:40: demand.growth: max: want a number, got the number 1e400, out of range for a float (at most ±1.798e+308)"},
		{"in an event", "extends: baseline\nevents:\n  - at: 2026Q1\n    scale: {grey.cloud_h100e: 1e400}\n",
			"t.yaml:4:31: event scale grey.cloud_h100e: want a number, got the number 1e400, out of range for a float (at most ±1.798e+308)"},
		// Quoted, it is text.
		{"quoted", "extends: baseline\ndemand:\n  growth: \"1e400\"\n",
			"t.yaml:3:11: demand.growth: want a number (1/year), got the text \"1e400\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
