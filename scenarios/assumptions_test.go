package scenarios

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestAssumptionsBaseline(t *testing.T) {
	s, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	got := s.Assumptions()
	fields := s.Spec.Fields()
	if len(got) != len(fields) {
		t.Fatalf("baseline.Assumptions() has %d rows, want one per parameter (%d): the root file sets them all", len(got), len(fields))
	}
	withSource := 0
	for i, a := range got {
		if a.Path != fields[i].Path {
			t.Fatalf("baseline.Assumptions()[%d].Path = %q, want %q (Spec.Fields order)", i, a.Path, fields[i].Path)
		}
		v := s.Values[a.Path]
		if a.Value != NodeText(v.Node) {
			t.Errorf("%s: Value = %q, want %q as written", a.Path, a.Value, NodeText(v.Node))
		}
		if a.Unit == "" {
			t.Errorf("%s: no unit", a.Path)
		}
		if a.Meaning == "" {
			t.Errorf("%s: no meaning", a.Path)
		}
		if want := fmt.Sprintf("scenarios/baseline.yaml:%d", v.Pos.Line); a.Where != want {
			t.Errorf("%s: Where = %q, want %q", a.Path, a.Where, want)
		}
		if a.Default != "" {
			t.Errorf("%s: Default = %q, want none for a root scenario", a.Path, a.Default)
		}
		if a.Source != "" {
			withSource++
		}
	}
	if withSource < len(got)/2 {
		t.Errorf("baseline: %d of %d assumptions give a source, want most", withSource, len(got))
	}
	byPath := map[string]Assumption{}
	for _, a := range got {
		byPath[a.Path] = a
	}
	if a := byPath["packaging.yield"]; a.Value != "0.9" || a.Unit != "share 0..1" || !strings.Contains(a.Source, "packaging") {
		t.Errorf("baseline packaging.yield = %+v, want value 0.9, unit share 0..1 and its comment as source", a)
	}
}

func TestAssumptionsChild(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"child.yaml": `name: child
extends: baseline
grey:
  affiliate_leakage: 0.250 # restated: same as the baseline
  enforcement: {2022Q1: 0.2, 2027Q1: 0.6} # test: tougher enforcement
packaging:
  yield: 0.8 # test value
events:
  - at: 2028Q1
    name: growth shock
    set: {demand.growth: 0.1}
`,
		"leaf.yaml": `extends: child.yaml
packaging:
  yield: 0.7 # leaf value
`,
	})
	p := filepath.Join(dir, "child.yaml")
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Assumptions()
	want := []Assumption{
		{Path: "grey.enforcement", Value: "{2022Q1: 0.2, 2027Q1: 0.6}", Source: "test: tougher enforcement", Where: p + ":5", Default: "{2022Q1: 0.2, 2025Q3: 0.3}"},
		{Path: "packaging.yield", Value: "0.8", Source: "test value", Where: p + ":7", Default: "0.9"},
	}
	if len(got) != len(want) {
		t.Fatalf("child.Assumptions() = %+v, want exactly %d rows (the two overrides; not the restated value nor the event's change)", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Path != w.Path || g.Value != w.Value || g.Source != w.Source || g.Where != w.Where || g.Default != w.Default {
			t.Errorf("child.Assumptions()[%d] = %+v, want %+v", i, g, w)
		}
		if g.Unit == "" || g.Meaning == "" {
			t.Errorf("child.Assumptions()[%d] (%s) has no unit or meaning", i, g.Path)
		}
	}

	// A grandchild's default is what its parent gives, not the root.
	p = filepath.Join(dir, "leaf.yaml")
	s, err = Load(p)
	if err != nil {
		t.Fatal(err)
	}
	got = s.Assumptions()
	if len(got) != 1 || got[0].Path != "packaging.yield" || got[0].Value != "0.7" || got[0].Default != "0.8" || got[0].Where != p+":3" {
		t.Errorf("leaf.Assumptions() = %+v, want packaging.yield 0.7 replacing child's 0.8 at %s:3", got, p)
	}
}
