package scenarios

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// charAt returns the character of text at line:col (from 1, in
// characters), or "" when there is none.
func charAt(text string, line, col int) string {
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	r := []rune(lines[line-1])
	if col < 1 || col > len(r) {
		return ""
	}
	return string(r[col-1])
}

// TestParseSyntaxErrorPositions pins the position of typical YAML syntax
// errors: the line and column of the offending character, where yaml/v3
// alone gives a line, often one or more early, and no column.
func TestParseSyntaxErrorPositions(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     string
		char     string // the character at the position
	}{
		{"key indented too far", "extends: baseline\ndemand:\n  growth: 0.1\n    model: logistic\n",
			"t.yaml:4:10: not valid YAML: mapping values are not allowed in this context", ":"},
		{"key indented too little", "extends: baseline\ndemand:\n    growth: 0.1\n  model: logistic\n",
			"t.yaml:4:3: not valid YAML: did not find expected key", "m"},
		{"list item indented too little", "extends: baseline\nevents:\n  - at: 2026Q1\n   set: {demand.growth: 0.1}\n",
			"t.yaml:4:4: not valid YAML: did not find expected '-' indicator", "s"},
		{"unclosed double quote", "extends: baseline\ndemand:\n  growth: \"0.1\n  model: logistic\n",
			"t.yaml:3:11: not valid YAML: found unexpected end of stream; the quote here is never closed", `"`},
		{"unclosed single quote", "extends: baseline\nname: 'my scenario\ndemand:\n  growth: 0.1\n",
			"t.yaml:2:7: not valid YAML: found unexpected end of stream; the quote here is never closed", "'"},
		{"tab indentation", "extends: baseline\ndemand:\n\tgrowth: 0.1\n",
			"t.yaml:3:1: not valid YAML: found character that cannot start any token; indent with spaces, not tabs", "\t"},
		{"tab after spaces", "extends: baseline\ndemand:\n  growth: 0.1\n \tmodel: logistic\n",
			"t.yaml:4:2: not valid YAML: found a tab character that violates indentation; indent with spaces, not tabs", "\t"},
		{"missing colon", "extends: baseline\ndemand:\n  growth 0.1\n  model: logistic\n",
			"t.yaml:3:3: not valid YAML: mapping values are not allowed in this context", "g"},
		{"missing colon on the last line", "extends: baseline\ndemand:\n  model: logistic\n  growth 0.1\n",
			"t.yaml:4:3: not valid YAML: could not find expected ':'", "g"},
		{"unclosed flow mapping", "extends: baseline\ndemand: {growth: 0.1, model: logistic\nmarket:\n  listed_share: 0.2\n",
			"t.yaml:2:9: not valid YAML: did not find expected ',' or '}'; the { here is never closed", "{"},
		{"unclosed flow mapping in an event", "extends: baseline\nevents:\n  - at: 2026Q1\n    set: {demand.growth: 0.1\n  - at: 2027Q1\n    set: {demand.growth: 0.2}\n",
			"t.yaml:4:10: not valid YAML: did not find expected ',' or '}'; the { here is never closed", "{"},
		{"unclosed flow list", "extends: baseline\ncorrelations:\n  - [demand.growth, packaging.yield, 0.3\n",
			"t.yaml:3:5: not valid YAML: did not find expected ',' or ']'; the [ here is never closed", "["},
		{"comma missing in a flow mapping", "extends: baseline\ndemand: {growth: 0.1 model: logistic}\n",
			"t.yaml:2:22: not valid YAML: did not find expected ',' or '}'; is a comma missing before this key?", "m"},
		{"unknown anchor", "extends: baseline\ndemand:\n  growth: 0.1\nmarket: *demnad\n",
			"t.yaml:4:9: not valid YAML: unknown anchor 'demnad' referenced", "*"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse(%q) error = %#v, want an ErrorList of one", tt.in, err)
			}
			if got := charAt(tt.in, list[0].Pos.Line, list[0].Pos.Col); got != tt.char {
				t.Errorf("Parse(%q) error at %d:%d, on %q, want on %q", tt.in, list[0].Pos.Line, list[0].Pos.Col, got, tt.char)
			}
		})
	}
}

// TestSyntaxErrorColumnInCharacters checks that columns count characters,
// as yaml/v3's node positions do, not bytes.
func TestSyntaxErrorColumnInCharacters(t *testing.T) {
	in := "extends: baseline\ndescription: \"Ascend 910C — Huawei\ndemand:\n  growth: 0.1\n"
	_, err := Parse("t.yaml", []byte(in))
	want := "t.yaml:2:14: not valid YAML: found unexpected end of stream; the quote here is never closed"
	if err == nil || err.Error() != want {
		t.Fatalf("Parse(%q) error = %v, want %v", in, err, want)
	}
	if utf8.RuneCountInString("description: ") != 13 {
		t.Fatal("test text changed")
	}
}

// TestParseSecondDocument checks that a file of several YAML documents is
// refused at the start of the second, rather than cut to the first; the
// first document's own problems are reported with it.
func TestParseSecondDocument(t *testing.T) {
	const msg = "a second YAML document starts here, and a scenario file holds one: remove this --- line, or put the second document in a file of its own"
	for _, tt := range []struct {
		name, in, want string
	}{
		{"second document", "extends: baseline\ndemand:\n  growth: 0.1\n---\ndemand:\n  growth: 0.2\n",
			"t.yaml:4:1: " + msg},
		{"empty second document", "extends: baseline\n---\n",
			"t.yaml:2:1: " + msg},
		{"first document starts with ---", "--- # scenario\nextends: baseline\n--- # variant\nextends: h200-blocked\n",
			"t.yaml:3:1: " + msg},
		{"errors of the first document too", "extends: baseline\ndemand:\n  growht: 0.1\n---\ndemand:\n  growth: 0.2\n",
			"t.yaml:3:3: demand: unknown key growht (did you mean growth?)\nt.yaml:4:1: " + msg},
		{"second document not valid YAML", "extends: baseline\n---\ndemand: {growth: 0.1\n",
			"t.yaml:3:9: not valid YAML: did not find expected ',' or '}'; the { here is never closed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if s != nil {
				t.Errorf("Parse(%q) returned a scenario", tt.in)
			}
		})
	}
	// One document, marked as such, is fine.
	for _, in := range []string{"---\nextends: baseline\n", "extends: baseline\n...\n", "# comment\n---\nextends: baseline\n...\n# end\n"} {
		if _, err := Parse("t.yaml", []byte(in)); err != nil {
			t.Errorf("Parse(%q) error = %v, want none", in, err)
		}
	}
}

func TestParseSweepFileYAML(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"second document", "scenario: baseline\noutcomes: [ai.ssr_compute@2030]\noat: {range: p5-p95}\n---\nlhs: {runs: 5}\n",
			"s.yaml:4:1: a second YAML document starts here, and a sweep file holds one: remove this --- line, or put the second document in a file of its own"},
		{"second document and an unknown key", "scenario: baseline\noutcome: [ai.ssr_compute@2030]\noat: {}\n---\n",
			"s.yaml:1:1: missing key outcomes: a list such as [ai.ssr_compute@2030]\n" +
				"s.yaml:2:1: unknown key outcome (did you mean outcomes?); a sweep file takes scenario, description, outcomes, oat, grid, lhs\n" +
				"s.yaml:4:1: a second YAML document starts here, and a sweep file holds one: remove this --- line, or put the second document in a file of its own"},
		{"syntax error", "scenario: baseline\noutcomes: [ai.ssr_compute@2030\noat: {}\n",
			"s.yaml:2:11: not valid YAML: did not find expected ',' or ']'; the [ here is never closed"},
		{"tab", "scenario: baseline\noutcomes:\n\t- ai.ssr_compute@2030\n",
			"s.yaml:3:1: not valid YAML: found character that cannot start any token; indent with spaces, not tabs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			def, err := ParseSweepFile("s.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseSweepFile(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if def != nil {
				t.Errorf("ParseSweepFile(%q) returned a sweep", tt.in)
			}
		})
	}
}

func TestDecodeYAML(t *testing.T) {
	n, err := DecodeYAML("c.yaml", "a checks file", []byte("# nothing\n"))
	if n != nil || err != nil {
		t.Errorf("DecodeYAML(comments) = %v, %v, want nil, nil", n, err)
	}
	n, err = DecodeYAML("c.yaml", "a checks file", []byte("a: 1\n---\nb: 2\n"))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos != (Pos{File: "c.yaml", Line: 2, Col: 1}) {
		t.Errorf("DecodeYAML(two documents) error = %#v, want an ErrorList of one at c.yaml:2:1", err)
	}
	if n == nil || len(n.Content) != 2 || n.Content[0].Value != "a" {
		t.Errorf("DecodeYAML(two documents) = %v, want the first document's mapping", n)
	}
}
