package scenarios

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim/suggest"
)

// Pos is a position in a scenario file.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one problem in a scenario file, at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats e as file:line:col: message.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every problem found in a scenario, so that a user sees them
// all at once. It is sorted by file and position.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, format string, a ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, a...)})
}

// Error joins the errors, one a line: the first MaxErrors of them, then
// a line that counts the rest.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == MaxErrors {
			fmt.Fprintf(&b, "\nand %d more %s", len(l)-i, plural(len(l)-i, "error", "errors"))
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Err returns the sorted, deduplicated list, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := l[:0]
	for i, e := range l {
		if i > 0 && e.Error() == l[i-1].Error() {
			continue
		}
		out = append(out, e)
	}
	return out
}

// DidYouMean returns " (did you mean X?)" naming the closest candidates to
// s (at most three), or "" when none is close: the suggestion every chipsim
// file format gives.
func DidYouMean(s string, candidates []string) string { return didYouMean(s, candidates) }

func didYouMean(s string, candidates []string) string {
	best := -1
	var names []string
	for _, c := range candidates {
		d := suggest.Distance(strings.ToLower(s), strings.ToLower(c))
		limit := max(2, len(s)/3)
		if strings.Contains(c, s) && len(s) >= 3 {
			d = min(d, limit)
		}
		if d > limit {
			continue
		}
		switch {
		case best < 0 || d < best:
			best, names = d, []string{c}
		case d == best:
			names = append(names, c)
		}
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		names = names[:3]
	}
	return " (did you mean " + strings.Join(names, " or ") + "?)"
}

// Problem is one problem of a file in plain values, as chipsim validate
// --format json prints it.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Problems lists err's problems with their positions: every error of an
// ErrorList, or err itself at file with no position.
func Problems(file string, err error) []Problem {
	var el ErrorList
	if !errors.As(err, &el) {
		return []Problem{{File: file, Message: err.Error()}}
	}
	out := make([]Problem, len(el))
	for i, e := range el {
		out[i] = Problem{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Col, Message: e.Msg}
	}
	return out
}

// Validation is what validating a scenario found.
type Validation struct {
	Scenario string    `json:"scenario"` // as named on the command line
	OK       bool      `json:"ok"`
	Errors   []Problem `json:"errors"`
}

// Validations is the result of validating scenarios.
type Validations []Validation

// Validate records the result of loading ref: err is nil when it loaded.
func (vs *Validations) Validate(ref string, err error) {
	v := Validation{Scenario: ref, OK: err == nil, Errors: []Problem{}}
	if err != nil {
		v.Errors = Problems(ref, err)
	}
	*vs = append(*vs, v)
}

// Bad counts the scenarios that did not validate.
func (vs Validations) Bad() int {
	n := 0
	for _, v := range vs {
		if !v.OK {
			n++
		}
	}
	return n
}

// Columns names the columns of Rows.
func (vs Validations) Columns() []string {
	return []string{"scenario", "ok", "file", "line", "column", "message"}
}

// Rows gives a row per good scenario and per problem of a bad one.
func (vs Validations) Rows() [][]string {
	var out [][]string
	for _, v := range vs {
		if v.OK {
			out = append(out, []string{v.Scenario, "true", "", "", "", ""})
		}
		for _, e := range v.Errors {
			out = append(out, []string{v.Scenario, "false", e.File, strconv.Itoa(e.Line), strconv.Itoa(e.Column), e.Message})
		}
	}
	return out
}

// WriteText prints "ok NAME" for each good scenario; the problems of bad
// ones print as errors.
func (vs Validations) WriteText(w io.Writer) error {
	for _, v := range vs {
		if v.OK {
			if _, err := fmt.Fprintf(w, "ok %s\n", v.Scenario); err != nil {
				return err
			}
		}
	}
	return nil
}
