package scenarios_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// runScenario compiles s and runs it once.
func runScenario(t *testing.T, s *scenarios.Scenario) *sim.Result {
	t.Helper()
	m, err := s.Model()
	if err != nil {
		t.Fatalf("%s: Model() error = %v", s.Name, err)
	}
	r := m.NewResult()
	m.Run(r)
	return r
}

// loadInit writes the template for name and loads it as the file
// NAME.yaml.
func loadInit(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	data, err := scenarios.InitTemplate(name)
	if err != nil {
		t.Fatalf("InitTemplate(%q) error = %v", name, err)
	}
	s, err := scenarios.Parse(name+".yaml", data)
	if err != nil {
		t.Fatalf("Parse(InitTemplate(%q)) error = %v", name, err)
	}
	return s
}

func TestInitTemplate(t *testing.T) {
	names := []string{
		"my-scenario", "a", "Z", "7", "_draft", "h200_cap-2027",
		"null", "true", "no", "1e3", "0x1F", "inf", "2026Q1", // YAML would read these as other than text unquoted
		strings.Repeat("x", scenarios.MaxNameLen),
	}
	// Every action the format has: set, scale, add and each shortcut.
	kinds := []string{"set", "scale", "add"}
	for _, sc := range scenarios.Shortcuts {
		kinds = append(kinds, sc.Name)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s := loadInit(t, name)
			if s.Name != name {
				t.Errorf("Name = %q, want %q", s.Name, name)
			}
			if want := []string{name + ".yaml", scenarios.ShippedDir + "/baseline.yaml"}; !slices.Equal(s.Chain, want) {
				t.Errorf("Chain = %q, want %q", s.Chain, want)
			}
			for _, w := range s.Warnings {
				t.Errorf("warning: %s", w)
			}
			if s.Description == "" {
				t.Error("Description is empty")
			}
			var got []string
			for _, ev := range s.Events {
				if ev.Pos.File != name+".yaml" {
					continue // the baseline's
				}
				if ev.Name == "" || ev.Source == "" {
					t.Errorf("%s: event %q has no name or no source (%q)", ev.Pos, ev.Name, ev.Source)
				}
				got = append(got, ev.Kind)
			}
			for _, k := range kinds {
				if !slices.Contains(got, k) {
					t.Errorf("events show actions %q, want every kind: %s missing", got, k)
				}
			}
			// Uncertain: a parameter, and an event's start, duration and value.
			var qs []string
			for _, q := range s.Quantities() {
				qs = append(qs, q.Name)
			}
			for _, want := range []string{"market.fee_pass_through", "squeeze.at", "squeeze.duration", "squeeze.foundry.smic_n2.capacity_wpm"} {
				if !slices.Contains(qs, want) {
					t.Errorf("Quantities() = %q, want %s among them", qs, want)
				}
			}
			if s.Correlation() == nil {
				t.Error("Correlation() = nil, want the template's correlation")
			}
			// Every parameter the file sets carries a source comment.
			for path, v := range s.Values {
				if v.Pos.File == name+".yaml" && v.Source == "" {
					t.Errorf("%s: %s has no source comment", v.Pos, path)
				}
			}
			runScenario(t, s)
		})
	}
}

// TestInitTemplateMoves checks that the template leaves history (to 2025)
// as the baseline has it and changes the headline results after it.
func TestInitTemplateMoves(t *testing.T) {
	base, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatalf("Load(baseline) error = %v", err)
	}
	s := loadInit(t, "my-scenario")
	rb, rs := runScenario(t, base), runScenario(t, s)
	b, _ := base.Model()
	years := output.Years(b.Calendar())
	moved := 0
	for _, metric := range output.Headline {
		vb, ok1 := output.Annual(rb, metric, "all")
		vs, ok2 := output.Annual(rs, metric, "all")
		if !ok1 || !ok2 {
			t.Fatalf("output.Annual(%q, all): no such metric", metric)
		}
		for i, y := range years {
			same := math.Abs(vs[i]-vb[i]) <= 1e-9*math.Max(1, math.Abs(vb[i]))
			switch {
			case y <= 2025 && !same:
				t.Errorf("%s in %d = %g, want the baseline's %g: the template changes history", metric, y, vs[i], vb[i])
			case y > 2025 && !same:
				moved++
			}
		}
	}
	if moved == 0 {
		t.Error("the template's headline results equal the baseline's in every year, want its changes to move them")
	}
}

func TestInitTemplateBadName(t *testing.T) {
	tests := []struct {
		name string
		want string // in the error
	}{
		{"", "empty"},
		{"-x", "not starting with -"},
		{".hidden", "letters, digits"},
		{"my scenario", "letters, digits"},
		{"a/b", "letters, digits"},
		{`a\b`, "letters, digits"},
		{"../up", "letters, digits"},
		{"a.b", "letters, digits"},
		{"x.yaml", "without .yaml"},
		{"x.yml", "without .yaml"},
		{"naïve", "letters, digits"},
		{"a:b", "letters, digits"},
		{"a\n", "letters, digits"},
		{"{{.Name}}", "letters, digits"},
		{strings.Repeat("x", scenarios.MaxNameLen+1), "65 characters"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.name), func(t *testing.T) {
			data, err := scenarios.InitTemplate(tt.name)
			if err == nil {
				t.Fatalf("InitTemplate(%q) = %d bytes, want an error", tt.name, len(data))
			}
			if !errors.Is(err, scenarios.ErrInvalidName) {
				t.Errorf("InitTemplate(%q) error = %v, want ErrInvalidName", tt.name, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "want 1 to 64") {
				t.Errorf("InitTemplate(%q) error = %q, want it to say %q and what is allowed", tt.name, err, tt.want)
			}
			if data != nil {
				t.Errorf("InitTemplate(%q) = %q, want nil with the error", tt.name, data)
			}
		})
	}
}

func ExampleInitTemplate() {
	data, err := scenarios.InitTemplate("my-squeeze")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := scenarios.Parse("my-squeeze.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, "extends", s.Chain[1])
	fmt.Println(len(s.Quantities()), "uncertain inputs")

	_, err = scenarios.InitTemplate("my squeeze")
	fmt.Println(err)
	// Output:
	// my-squeeze extends scenarios/baseline.yaml
	// 4 uncertain inputs
	// invalid scenario name "my squeeze": want 1 to 64 ASCII letters, digits, - or _, not starting with - (such as my-scenario)
}
