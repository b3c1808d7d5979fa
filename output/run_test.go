package output_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/output"
)

func TestParseRunFiles(t *testing.T) {
	tests := []struct {
		formats []string
		want    output.RunFiles
		err     string
	}{
		{[]string{"csv", "json"}, output.RunFiles{CSV: true, JSON: true}, ""},
		{[]string{"json"}, output.RunFiles{JSON: true}, ""},
		{[]string{" csv "}, output.RunFiles{CSV: true}, ""},
		{[]string{"csv", "csv"}, output.RunFiles{CSV: true}, ""},
		{[]string{"none"}, output.RunFiles{}, ""},
		{[]string{"none", "csv"}, output.RunFiles{}, "none cannot be combined with other formats"},
		{[]string{"csv", "none"}, output.RunFiles{}, "none cannot be combined with other formats"},
		{[]string{"csv", "xml"}, output.RunFiles{}, `unknown format "xml"; want csv, json or none`},
		{[]string{""}, output.RunFiles{}, `unknown format ""; want csv, json or none`},
		{nil, output.RunFiles{}, "empty; want csv, json or none"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.formats, ","), func(t *testing.T) {
			got, err := output.ParseRunFiles(tt.formats)
			if gotErr := fmt.Sprint(err); (err != nil || tt.err != "") && gotErr != tt.err {
				t.Fatalf("ParseRunFiles(%q) error = %v, want %q", tt.formats, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ParseRunFiles(%q) = %+v, want %+v", tt.formats, got, tt.want)
			}
		})
	}
}

func ExampleParseRunFiles() {
	files, err := output.ParseRunFiles([]string{"csv", "json"})
	fmt.Printf("%+v %v\n", files, err)
	_, err = output.ParseRunFiles([]string{"none", "csv"})
	fmt.Println(err)
	// Output:
	// {CSV:true JSON:true Charts:false} <nil>
	// none cannot be combined with other formats
}

// WriteRun writes the files asked for, named after the scenario, and
// nothing else.
func TestWriteRun(t *testing.T) {
	s, r := runBaseline(t)
	run := &output.Run{Scenario: s.Name, Description: s.Description, Chain: s.Chain, Result: r}
	tests := []struct {
		files output.RunFiles
		want  []string
	}{
		{output.RunFiles{CSV: true, JSON: true}, []string{"baseline.csv", "baseline.json"}},
		{output.RunFiles{JSON: true}, []string{"baseline.json"}},
		{output.RunFiles{}, nil},
		{output.RunFiles{CSV: true, Charts: true}, append([]string{"baseline.csv"}, chartFiles(t, run)...)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.files), func(t *testing.T) {
			dir := t.TempDir()
			b := &output.Bundle{Dir: dir, Formats: []string{"svg"}, Chart: output.ChartOptions{Date: "2025-01-01"}}
			if err := output.WriteRun(b, run, tt.files, "test"); err != nil {
				t.Fatalf("WriteRun(%+v) error = %v", tt.files, err)
			}
			wrote, err := b.Commit()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range wrote {
				got = append(got, filepath.Base(f))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("WriteRun(%+v) wrote %q, want %q", tt.files, got, tt.want)
			}
			if tt.files.CSV {
				data, err := os.ReadFile(filepath.Join(dir, "baseline.csv"))
				if err != nil {
					t.Fatal(err)
				}
				if head := strings.Join(output.CSVHeader, ","); !strings.HasPrefix(string(data), head+"\n") {
					t.Errorf("baseline.csv starts %.40q, want the header %q", data, head)
				}
			}
		})
	}
}

// chartFiles names the SVG charts of a run as WriteScenarioCharts writes
// them.
func chartFiles(t *testing.T, run *output.Run) []string {
	t.Helper()
	var out []string
	for _, name := range output.ChartNames(output.FrameOf(run, "test")) {
		out = append(out, run.Scenario+"-"+name+".svg")
	}
	return out
}
