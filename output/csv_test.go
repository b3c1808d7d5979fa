package output_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/chipsim/chipsim/output"
)

func TestSafeCell(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"baseline", "baseline"},
		{"h200-blocked", "h200-blocked"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-", "'-"},
		{"+", "'+"},
		{"-x", "'-x"},
		{"-0.5", "-0.5"},
		{"-1e3", "-1e3"},
		{"+1E-3", "+1E-3"},
		{"-.5", "-.5"},
		{"-5.", "-5."},
		{"-Inf", "-Inf"},
		{"+Inf", "+Inf"},
		{"-1e", "'-1e"},
		{"-0x1p3", "'-0x1p3"},
		{"-1_000", "'-1_000"},
		{"-NaN", "'-NaN"},
		{"- 1", "'- 1"},
		{"1+1", "1+1"},
		{"'=x", "'=x"},
	} {
		if got := output.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in != "'=x" {
			if got := output.UnquoteCell(output.SafeCell(tt.in)); got != tt.in {
				t.Errorf("UnquoteCell(SafeCell(%q)) = %q", tt.in, got)
			}
		}
	}
}

// TestWriteCSVEscapesNames: a scenario name that a spreadsheet would run
// reaches the CSV escaped; numbers stay numbers.
func TestWriteCSVEscapesNames(t *testing.T) {
	_, r := runBaseline(t)
	name := `=HYPERLINK("http://evil.example","click")`
	var b bytes.Buffer
	if err := output.WriteCSV(&b, name, r, true); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	neg := 0
	for _, row := range rows[1:] {
		if row[0] != "'"+name {
			t.Fatalf("scenario cell = %q, want %q", row[0], "'"+name)
		}
		for _, c := range row[1:] {
			if c != "" && (c[0] == '=' || c[0] == '@' || c[0] == '+' || c[0] == '-') && c != "+Inf" && c != "-Inf" && output.SafeCell(c) != c {
				t.Errorf("cell %q unescaped", c)
			}
		}
		if row[4] != "" && row[4][0] == '-' {
			neg++
		}
	}
	t.Logf("%d rows, %d negative values", len(rows)-1, neg)
}

func ExampleSafeCell() {
	for _, s := range []string{"baseline", "=HYPERLINK(\"http://x\")", "-0.5", "-x"} {
		fmt.Println(output.SafeCell(s))
	}
	// Output:
	// baseline
	// '=HYPERLINK("http://x")
	// -0.5
	// '-x
}
