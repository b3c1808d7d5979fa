package main

import (
	"os"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
)

// TestREADMEScenarioExamplesLoad: every scenario the README shows in a
// yaml block (one that extends a scenario) loads without error, so that a
// newcomer who copies one gets a working file.
func TestREADMEScenarioExamplesLoad(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	n := 0
	for {
		i := strings.Index(text, "```yaml\n")
		if i < 0 {
			break
		}
		text = text[i+len("```yaml\n"):]
		j := strings.Index(text, "```")
		block := text[:j]
		text = text[j+3:]
		if !strings.Contains(block, "extends:") {
			continue // not a scenario (a Kubernetes job, say)
		}
		n++
		if _, err := scenarios.Parse("README-example.yaml", []byte(block)); err != nil {
			t.Errorf("README example %d does not load: %v\n%s", n, err, block)
		}
	}
	if n < 2 {
		t.Errorf("found %d scenario examples in README.md, want the uncertainty and tour examples", n)
	}
}
