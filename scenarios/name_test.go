package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// Tests of scenario names. chipsim names the files it writes after the
// scenario (NAME.csv, NAME-mc.csv, ...), so a name that is not a plain file
// name would write outside -o (../../x, /tmp/x), make folders (a/b/c), hide
// the file (an empty name gives .csv) or fail when the file is opened (a
// NUL). Loading refuses such names, at the name: value, or at the top of a
// file whose file name would give one.

// TestNameRefused checks the message and position of every kind of name
// refused.
func TestNameRefused(t *testing.T) {
	const want = "chipsim names output files after it, so want 1 to 64 ASCII letters, digits, _, - or ., not starting with . or -"
	tests := []struct {
		name string // the name: line as written
		want string // the error, without its file name
	}{
		{`name: ../../x`, `:2:7: name: "../../x" is not a usable scenario name: contains /, a path separator; ` + want + ` (such as x)`},
		{`name: /tmp/x`, `:2:7: name: "/tmp/x" is not a usable scenario name: contains /, a path separator; ` + want + ` (such as tmp-x)`},
		{`name: a/b/c`, `:2:7: name: "a/b/c" is not a usable scenario name: contains /, a path separator; ` + want + ` (such as a-b-c)`},
		{`name: 'a\b'`, `:2:7: name: "a\\b" is not a usable scenario name: contains \, a path separator; ` + want + ` (such as a-b)`},
		{`name: ""`, `:2:7: name: "" is not a usable scenario name: empty; ` + want + ` (such as my-scenario)`},
		{`name: .`, `:2:7: name: "." is not a usable scenario name: starts with .; ` + want + ` (such as my-scenario)`},
		{`name: ..`, `:2:7: name: ".." is not a usable scenario name: starts with .; ` + want + ` (such as my-scenario)`},
		{`name: .hidden`, `:2:7: name: ".hidden" is not a usable scenario name: starts with .; ` + want + ` (such as hidden)`},
		{`name: -q`, `:2:7: name: "-q" is not a usable scenario name: starts with -; ` + want + ` (such as q)`},
		{`name: "a\0b"`, `:2:7: name: "a\x00b" is not a usable scenario name: contains the control character U+0000; ` + want + ` (such as a-b)`},
		{`name: "a\tb"`, `:2:7: name: "a\tb" is not a usable scenario name: contains the control character U+0009; ` + want + ` (such as a-b)`},
		{`name: my scenario`, `:2:7: name: "my scenario" is not a usable scenario name: contains a space; ` + want + ` (such as my-scenario)`},
		{`name: café`, `:2:7: name: "café" is not a usable scenario name: contains 'é'; ` + want + ` (such as caf)`},
		{`name: a*b`, `:2:7: name: "a*b" is not a usable scenario name: contains '*'; ` + want + ` (such as a-b)`},
		{"name: " + strings.Repeat("x", 65), `:2:7: name: "` + strings.Repeat("x", 65) + `" is not a usable scenario name: 65 characters long; ` + want + ` (such as ` + strings.Repeat("x", 64) + `)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "extends: baseline\n" + tt.name + "\n"
			_, err := Parse("t.yaml", []byte(src))
			if got, want := errText(err), "t.yaml"+tt.want; got != want {
				t.Errorf("Parse(%q) error =\n%s\nwant\n%s", src, got, want)
			}
		})
	}
}

// TestNameFromFile checks a file without a name: key, named after its file.
func TestNameFromFile(t *testing.T) {
	const want = "chipsim names output files after it, so want 1 to 64 ASCII letters, digits, _, - or ., not starting with . or -"
	tests := []struct {
		file string
		want string // the error, or "" and the name given
		name string
	}{
		{"dir/my scenario.yaml", `dir/my scenario.yaml:1:1: the file gives no name:, and its file name "my scenario" is not a usable scenario name: contains a space; add one, such as name: my-scenario (` + want + `)`, ""},
		{".yaml", `.yaml:1:1: the file gives no name:, and its file name "" is not a usable scenario name: empty; add one, such as name: my-scenario (` + want + `)`, ""},
		{"dir/.hidden.yml", `dir/.hidden.yml:1:1: the file gives no name:, and its file name ".hidden" is not a usable scenario name: starts with .; add one, such as name: hidden (` + want + `)`, ""},
		{"dir/my-squeeze.yaml", "", "my-squeeze"},
		{`C:\runs\v1.2.yaml`, "", "v1.2"},
		{"stdin", "", "stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := Parse(tt.file, []byte("extends: baseline\n"))
			if got := errText(err); got != tt.want {
				t.Fatalf("Parse(%q) error =\n%s\nwant\n%s", tt.file, got, tt.want)
			}
			if err == nil && s.Name != tt.name {
				t.Errorf("Parse(%q).Name = %q, want %q", tt.file, s.Name, tt.name)
			}
		})
	}
	// A name: key names the scenario whatever its file is called.
	s, err := Parse("dir/my scenario.yaml", []byte("extends: baseline\nname: mine\n"))
	if err != nil || s.Name != "mine" {
		t.Errorf("Parse(my scenario.yaml with name: mine) = %v, %v, want mine, nil", s, err)
	}
}

// TestNameErrorsCollected checks that a bad name is one error among the
// others, not a stop.
func TestNameErrorsCollected(t *testing.T) {
	src := "extends: baseline\nname: a/b\ngrey:\n  enforcement: 2\n"
	_, err := Parse("t.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("Parse(%q) error = %v, want 2 errors in an ErrorList", src, err)
	}
	if got := list[0].Pos.String(); got != "t.yaml:2:7" {
		t.Errorf("first error at %s, want t.yaml:2:7 (the name)", got)
	}
	if got := list[1].Pos.String(); got != "t.yaml:4:16" {
		t.Errorf("second error at %s, want t.yaml:4:16 (grey.enforcement)", got)
	}
}

// TestCheckName checks the exported rule: names init makes and shipped
// names pass; the others wrap ErrInvalidName.
func TestCheckName(t *testing.T) {
	good := []string{"my-scenario", "a", "Z", "7", "_draft", "h200_cap-2027", "v1.2", "a..b", "2030", strings.Repeat("x", MaxNameLen)}
	for _, s := range Shipped() {
		good = append(good, s.Name)
	}
	for _, name := range good {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range []string{"", ".", "..", "../x", "/x", `a\b`, "a b", "-x", ".x", "a\x00", "a\nb", "é", strings.Repeat("x", MaxNameLen+1)} {
		err := CheckName(name)
		if !errors.Is(err, ErrInvalidName) {
			t.Errorf("CheckName(%q) = %v, want ErrInvalidName", name, err)
		}
	}
	if got, want := errText(CheckName("a/b")), `invalid scenario name "a/b": contains /, a path separator; chipsim names output files after it, so want 1 to 64 ASCII letters, digits, _, - or ., not starting with . or - (such as a-b)`; got != want {
		t.Errorf("CheckName(a/b) =\n%s\nwant\n%s", got, want)
	}
	// The shipped files load under the names they give.
	for _, s := range Shipped() {
		sc, err := Load(s.Name)
		if err != nil {
			t.Errorf("Load(%q) error = %v", s.Name, err)
			continue
		}
		if sc.Name != s.Name {
			t.Errorf("Load(%q).Name = %q, want the file's name", s.Name, sc.Name)
		}
	}
}

// TestSuggestNameValid checks that every suggestion is a valid name.
func TestSuggestNameValid(t *testing.T) {
	for _, name := range []string{"", ".", "../../x", "my scenario", "a\x00b", "---", "é", "." + strings.Repeat("é", 70), strings.Repeat("ab/", 40)} {
		if got := suggestName(name); CheckName(got) != nil {
			t.Errorf("suggestName(%q) = %q, not a valid name: %v", name, got, CheckName(got))
		}
	}
}

// errText returns err's text, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
