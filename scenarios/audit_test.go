package scenarios

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditOverrides(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		// An open event set over a later key of its own file's schedule.
		"dead.yaml": "name: dead\nextends: baseline\ngrey:\n  cloud_h100e: {2022Q1: 100, 2025Q1: 500} # test\nevents:\n  - at: 2023Q1\n    name: Cloud capped\n    source: test\n    set: {grey.cloud_h100e: 50}\n",
		// The same with linear interpolation: every later key is dead.
		"linear.yaml": "name: linear\nextends: baseline\ngrey:\n  cloud_h100e: {linear: {2022Q1: 100, 2025Q1: 500, 2026Q1: 600}} # test\nevents:\n  - at: 2023Q1\n    source: test\n    set: {grey.cloud_h100e: 50}\n",
		// An event with an end before the key leaves it alone.
		"ended.yaml": "name: ended\nextends: baseline\ngrey:\n  cloud_h100e: {2022Q1: 100, 2025Q1: 500} # test\nevents:\n  - at: 2023Q1\n    end: 2024Q4\n    source: test\n    set: {grey.cloud_h100e: 50}\n",
		// A scale keeps the schedule's steps.
		"scaled.yaml": "name: scaled\nextends: baseline\ngrey:\n  cloud_h100e: {2022Q1: 100, 2025Q1: 500} # test\nevents:\n  - at: 2023Q1\n    source: test\n    scale: {grey.cloud_h100e: 0.5}\n",
		// A child's event over its parent's schedule is what extends is for.
		"parent.yaml": "name: parent\nextends: baseline\ngrey:\n  cloud_h100e: {2022Q1: 100, 2025Q1: 500} # test\n",
		"child.yaml":  "name: child\nextends: parent.yaml\nevents:\n  - at: 2023Q1\n    source: test\n    set: {grey.cloud_h100e: 50}\n",
	})
	tests := []struct {
		file string
		want []string
	}{
		{"dead.yaml", []string{`dead.yaml:4:30: warning: grey.cloud_h100e: schedule key 2025Q1 never takes effect: event "Cloud capped" (line 6), from 2023Q1, sets grey.cloud_h100e over it`}},
		{"linear.yaml", []string{"linear.yaml:4:39: warning: grey.cloud_h100e: schedule key 2025Q1 never", "linear.yaml:4:52: warning: grey.cloud_h100e: schedule key 2026Q1 never"}},
		{"ended.yaml", nil},
		{"scaled.yaml", nil},
		{"child.yaml", nil},
	}
	for _, tt := range tests {
		s, err := Load(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if len(s.Warnings) != len(tt.want) {
			t.Errorf("%s: warnings %q, want %d", tt.file, s.Warnings, len(tt.want))
			continue
		}
		for i, w := range s.Warnings {
			if got := w.String(); !strings.HasPrefix(got, filepath.Join(dir, tt.want[i])) {
				t.Errorf("%s: warning %q, want prefix %q", tt.file, got, tt.want[i])
			}
		}
	}
	for _, name := range ShippedNames() {
		s, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range s.Warnings {
			t.Errorf("shipped %s: %s", name, w)
		}
	}
}
