package output

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// RunFiles says which files WriteRun writes for a run.
type RunFiles struct {
	CSV    bool // NAME.csv: every metric, period and entity as tidy long CSV
	JSON   bool // NAME.json: the summary
	Charts bool // NAME-CHART.FORMAT: every chart of the scenario
}

// ParseRunFiles reads the formats of a run's data files, as chipsim run's
// --format lists them: csv and json, or none alone for neither. It leaves
// Charts false.
func ParseRunFiles(formats []string) (RunFiles, error) {
	var rf RunFiles
	for _, f := range formats {
		switch f = strings.TrimSpace(f); f {
		case "csv":
			rf.CSV = true
		case "json":
			rf.JSON = true
		case "none":
			if len(formats) > 1 {
				return RunFiles{}, errors.New("none cannot be combined with other formats")
			}
		default:
			return RunFiles{}, fmt.Errorf("unknown format %q; want csv, json or none", f)
		}
	}
	if len(formats) == 0 {
		return RunFiles{}, errors.New("empty; want csv, json or none")
	}
	return rf, nil
}

// WriteRun writes the files of one run into b, named after its scenario:
// NAME.csv, NAME.json and the charts NAME-CHART.FORMAT, as files asks.
// The summary and the charts name version as the program that made them.
func WriteRun(b *Bundle, run *Run, files RunFiles, version string) error {
	if files.CSV {
		err := b.File(run.Scenario+".csv", func(w io.Writer) error { return WriteCSV(w, run.Scenario, run.Result, true) })
		if err != nil {
			return err
		}
	}
	if files.JSON {
		sum := NewSummary(run, version)
		if err := b.File(run.Scenario+".json", func(w io.Writer) error { return WriteJSON(w, sum) }); err != nil {
			return err
		}
	}
	if files.Charts {
		return WriteScenarioCharts(b, FrameOf(run, version))
	}
	return nil
}
