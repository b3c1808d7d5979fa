package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// bigText returns n bytes of YAML comments.
func bigText(n int) []byte {
	line := "# " + strings.Repeat("x", 77) + "\n"
	b := []byte(strings.Repeat(line, n/len(line)+1))
	return b[:n]
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	big := append([]byte("extends: baseline\n"), bigText(MaxFileSize)...) // 18 bytes over
	writeFiles(t, dir, map[string]string{
		"big.yaml":   string(big),
		"child.yaml": "extends: big.yaml\n",
		"edge.yaml":  string(append([]byte("extends: baseline\n"), bigText(MaxFileSize-18)...)),
	})

	_, err := Parse("t.yaml", big)
	want := "t.yaml:1:1: t.yaml is 4194322 bytes, more than the 4 MiB a scenario file may have"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%d bytes) error = %v, want %v", len(big), err, want)
	}

	_, err = Load(p("big.yaml"))
	want = p("big.yaml") + " is 4194322 bytes, more than the 4 MiB a scenario file may have"
	if err == nil || err.Error() != want {
		t.Errorf("Load(big.yaml) error = %v, want %v", err, want)
	}

	_, err = Load(p("child.yaml"))
	want = p("child.yaml") + ":1:10: extends: " + p("big.yaml") + " is 4194322 bytes, more than the 4 MiB a scenario file may have"
	if err == nil || err.Error() != want {
		t.Errorf("Load(child.yaml) error = %v, want %v", err, want)
	}

	// A file at the limit loads.
	if _, err := Load(p("edge.yaml")); err != nil {
		t.Errorf("Load(edge.yaml) of %d bytes error = %v, want none", MaxFileSize, err)
	}

	_, err = ReadFile(p("big.yaml"), "a sweep file")
	want = p("big.yaml") + " is 4194322 bytes, more than the 4 MiB a sweep file may have"
	if err == nil || err.Error() != want {
		t.Errorf("ReadFile(big.yaml) error = %v, want %v", err, want)
	}
	if data, err := ReadFile(p("edge.yaml"), "a sweep file"); err != nil || len(data) != MaxFileSize {
		t.Errorf("ReadFile(edge.yaml) = %d bytes, error %v, want %d bytes", len(data), err, MaxFileSize)
	}
	if _, err := ReadFile(p("none.yaml"), "a sweep file"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(none.yaml) error = %v, want fs.ErrNotExist", err)
	}

	// Sweep and checks files have the same limit.
	if _, err := ParseSweepFile("s.yaml", big); err == nil || !strings.HasPrefix(err.Error(), "s.yaml:1:1: s.yaml is 4194322 bytes, more than the 4 MiB a sweep file may have") {
		t.Errorf("ParseSweepFile(%d bytes) error = %v, want the size limit", len(big), err)
	}
}

// eventsText returns an events list of n events.
func eventsText(n int) string {
	var b strings.Builder
	b.WriteString("events:\n")
	for i := 0; i < n; i++ {
		b.WriteString("  - {at: 2026Q1, add: {grey.cloud_h100e: 0}}\n")
	}
	return b.String()
}

func TestMaxEvents(t *testing.T) {
	in := "extends: baseline\n" + eventsText(MaxEvents+1)
	_, err := Parse("t.yaml", []byte(in))
	want := "t.yaml:2:1: events: 10001 events, more than the 10000 a scenario may have"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%d events) error = %v, want %v", MaxEvents+1, err, want)
	}

	// The limit counts every file of the chain (the baseline's events too).
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	writeFiles(t, dir, map[string]string{
		"parent.yaml": "extends: baseline\n" + eventsText(MaxEvents/2),
		"child.yaml":  "extends: parent.yaml\nname: child\n" + eventsText(MaxEvents/2),
	})
	base, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(p("child.yaml"))
	want = fmt.Sprintf("%s:3:1: events: the extends chain %s -> %s -> scenarios/baseline.yaml has %d events, more than the 10000 a scenario may have",
		p("child.yaml"), p("child.yaml"), p("parent.yaml"), MaxEvents+len(base.Events))
	if err == nil || err.Error() != want {
		t.Errorf("Load(child.yaml) error = %v, want %v", err, want)
	}
}

func TestExtendsDepth(t *testing.T) {
	dir := t.TempDir()
	p := func(i int) string { return filepath.Join(dir, fmt.Sprintf("f%d.yaml", i)) }
	files := map[string]string{}
	for i := 0; i < MaxExtendsDepth; i++ {
		files[fmt.Sprintf("f%d.yaml", i)] = fmt.Sprintf("extends: f%d.yaml\n", i+1)
	}
	files[fmt.Sprintf("f%d.yaml", MaxExtendsDepth)] = "extends: baseline\n"
	writeFiles(t, dir, files)

	_, err := Load(p(0))
	want := fmt.Sprintf("%s:1:10: extends: %s would be file 33 of the extends chain, and a chain may have at most 32 files: %s -> %s -> %s -> ...",
		p(MaxExtendsDepth-1), p(MaxExtendsDepth), p(0), p(1), p(2))
	if err == nil || err.Error() != want {
		t.Errorf("Load(f0.yaml) error = %v, want %v", err, want)
	}
	// One file fewer, with the baseline: 32 files.
	if _, err := Load(p(2)); err != nil {
		t.Errorf("Load(f2.yaml), a chain of %d files, error = %v, want none", MaxExtendsDepth, err)
	}
}

func TestErrorListLimit(t *testing.T) {
	for _, tt := range []struct {
		n    int
		last string // the last line printed
	}{
		{MaxErrors, "t.yaml:51:1: unknown key k50"},
		{MaxErrors + 1, "and 1 more error"},
		{MaxErrors + 10, "and 10 more errors"},
	} {
		var b strings.Builder
		b.WriteString("extends: baseline\n")
		for i := 1; i <= tt.n; i++ {
			fmt.Fprintf(&b, "k%d: 1\n", i)
		}
		_, err := Parse("t.yaml", []byte(b.String()))
		var list ErrorList
		if !errors.As(err, &list) || len(list) != tt.n {
			t.Fatalf("Parse(%d unknown keys) error = %v, want an ErrorList of them all", tt.n, err)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != min(tt.n, MaxErrors+1) {
			t.Errorf("Parse(%d unknown keys) error prints %d lines, want %d", tt.n, len(lines), min(tt.n, MaxErrors+1))
		}
		if lines[MaxErrors-1] != "t.yaml:51:1: unknown key k50" {
			t.Errorf("Parse(%d unknown keys) error line %d = %q, want the 50th error", tt.n, MaxErrors, lines[MaxErrors-1])
		}
		if got := lines[len(lines)-1]; got != tt.last {
			t.Errorf("Parse(%d unknown keys) last line = %q, want %q", tt.n, got, tt.last)
		}
	}

	l := ErrorList{}
	for i := 1; i <= MaxErrors+2; i++ {
		l.Add(Pos{File: "t.yaml", Line: i, Col: 1}, "e%d", i)
	}
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[0] != "t.yaml:1:1: e1" || lines[MaxErrors] != "and 2 more errors" {
		t.Errorf("ErrorList of %d Error() = %d lines, first %q, last %q; want %d lines, the last \"and 2 more errors\"",
			MaxErrors+2, len(lines), lines[0], lines[len(lines)-1], MaxErrors+1)
	}
}

// TestExtendsHidesContents checks that an error about an extended file
// that is not a scenario does not print what the file holds.
func TestExtendsHidesContents(t *testing.T) {
	dir := t.TempDir()
	const secret = "s3cr3t-hunter2"
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + secret + "\xff\xfe"
	writeFiles(t, dir, map[string]string{
		"passwd":       "root:x:0:0:root:/root:/bin/bash\nalice:" + secret + ":1000:1000::/home/alice:/bin/sh\n",
		"image.png":    png,
		"compose.yaml": "services:\n  db:\n    password: " + secret + "\n",
		"notes.yaml":   "- " + secret + "\n",
	})
	p := func(name string) string { return filepath.Join(dir, name) }
	for _, tt := range []struct{ file, want string }{
		{"passwd", p("passwd") + ":1:1: scenario: want a mapping of keys to values, got a single value (text or a number)"},
		{"image.png", p("image.png") + ":1:1: not valid YAML: invalid leading UTF-8 octet"},
		{"compose.yaml", p("compose.yaml") + ":1:1: not a scenario file: none of its 1 keys is a scenario's (name, description, extends, time, events, correlations, or a block such as demand)"},
		{"notes.yaml", p("notes.yaml") + ":1:1: scenario: want a mapping of keys to values, got a list"},
	} {
		in := "extends: " + p(tt.file) + "\n"
		_, err := Parse(filepath.Join(dir, "t.yaml"), []byte(in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %v", in, err, tt.want)
		}
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "services")) {
			t.Errorf("Parse(%q) error %q prints the extended file's text", in, err)
		}
	}

	// A long text in a scenario is quoted in part.
	long := strings.Repeat("abcdefghij", 20)
	in := "extends: baseline\ndemand:\n  growth: " + long + "\n"
	_, err := Parse("t.yaml", []byte(in))
	want := "t.yaml:3:11: demand.growth: want a number (1/year), got the text \"" + long[:60] + "\"... (200 characters)"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%q) error = %v, want %v", in, err, want)
	}
}
