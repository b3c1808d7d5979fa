package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeRefusesShardsOfAnotherScenario: shards of the same file name
// whose scenarios differ only in a correlation, or only in the day of a
// dated event, are different jobs: merge refuses to mix them.
func TestMergeRefusesShardsOfAnotherScenario(t *testing.T) {
	const base = `extends: baseline
name: unc
events:
  - at: 2026Q1
    id: d
    source: test
    scale: {demand.growth: {dist: uniform, min: 0.8, max: 1.2}}
  - at: 2026Q1
    id: p
    source: test
    scale: {packaging.capacity_units_per_year: {dist: uniform, min: 0.8, max: 1.2}}
`
	for _, tc := range []struct{ name, a, b string }{
		{"correlation", base + "correlations:\n  - [d.demand.growth, p.packaging.capacity_units_per_year, -0.4]\n",
			base + "correlations:\n  - [d.demand.growth, p.packaging.capacity_units_per_year, -0.6]\n"},
		{"day of a dated event", base + "  - at: 2027-02-10\n    source: test\n    import_stance: {product: RTX_AI, stance: banned}\n",
			base + "  - at: 2027-03-20\n    source: test\n    import_stance: {product: RTX_AI, stance: banned}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "unc.yaml")
			shards := filepath.Join(dir, "shards")
			for k, text := range []string{tc.a, tc.b} {
				if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				chipsimOK(t, "mc", file, "-n", "20", "--seed", "1", "-q", "--shard", []string{"1/2", "2/2"}[k], "-o", shards)
			}
			matches, _ := filepath.Glob(filepath.Join(shards, "*.bin"))
			var out, errb bytes.Buffer
			code := execCLI(append([]string{"merge"}, append(matches, "-o", filepath.Join(dir, "out"))...), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), "belongs to another job") {
				t.Errorf("merge of shards of two jobs: exit %d, stderr %q; want 2 and a message", code, errb.String())
			}
		})
	}
}
