// Package scenarios owns chipsim's scenario file format: it reads YAML
// files, resolves extends chains, checks every value against the parameter
// schema in package sim, applies the policy timeline and returns a
// sim.Spec ready to compile. Shipped scenarios are embedded in the binary.
package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/uq"
	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var shipped embed.FS

// ShippedDir is the folder shipped scenarios are named from in messages.
const ShippedDir = "scenarios"

// Info describes a shipped scenario.
type Info struct {
	Name        string
	Description string
	Extends     string
}

// Shipped lists the shipped scenarios, sorted by name, baseline first.
func Shipped() []Info {
	ents, _ := fs.ReadDir(shipped, ".")
	var out []Info
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok {
			continue
		}
		data, _ := fs.ReadFile(shipped, e.Name())
		var head struct {
			Description string `yaml:"description"`
			Extends     string `yaml:"extends"`
		}
		_ = yaml.Unmarshal(data, &head)
		out = append(out, Info{Name: name, Description: oneLine(head.Description), Extends: head.Extends})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == "baseline") != (out[j].Name == "baseline") {
			return out[i].Name == "baseline"
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// ShippedNames returns the names of the shipped scenarios.
func ShippedNames() []string {
	var out []string
	for _, s := range Shipped() {
		out = append(out, s.Name)
	}
	return out
}

// ShippedSource returns the text of a shipped scenario.
func ShippedSource(name string) ([]byte, bool) {
	data, err := fs.ReadFile(shipped, name+".yaml")
	return data, err == nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	return s
}

// IsPath reports whether a scenario reference names a file rather than a
// shipped scenario: it contains a slash or ends in .yaml or .yml.
func IsPath(ref string) bool {
	return strings.ContainsAny(ref, `/\`) || path.Ext(ref) == ".yaml" || path.Ext(ref) == ".yml"
}

// CheckName returns nil if name can name a scenario, else an error wrapping
// ErrInvalidName that says what is wrong and what is allowed. chipsim names
// the files it writes after the scenario (NAME.csv, NAME-mc.csv,
// NAME-sweep.csv, ...) and the shell quotes nothing, so a name must be a
// plain file name: 1 to MaxNameLen ASCII letters, digits, '_', '-' or '.',
// not starting with '.' or '-'. Spaces, path separators and control
// characters are refused. Every name InitTemplate accepts passes.
func CheckName(name string) error {
	if why := nameProblem(name); why != "" {
		return fmt.Errorf("%w %q: %s; %s (such as %s)", ErrInvalidName, name, why, nameWant, suggestName(name))
	}
	return nil
}

// nameWant says what CheckName allows.
var nameWant = fmt.Sprintf("chipsim names output files after it, so want 1 to %d ASCII letters, digits, _, - or ., not starting with . or -", MaxNameLen)

// nameProblem says what makes name unusable, or returns "".
func nameProblem(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case name == "":
		return "empty"
	case n > MaxNameLen:
		return fmt.Sprintf("%d characters long", n)
	}
	for _, r := range name {
		if !nameRune(r) {
			return "contains " + describeRune(r)
		}
	}
	if name[0] == '.' || name[0] == '-' {
		return fmt.Sprintf("starts with %c", name[0])
	}
	return ""
}

func nameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
}

func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '/' || r == '\\':
		return fmt.Sprintf("%c, a path separator", r)
	case unicode.IsControl(r):
		return fmt.Sprintf("the control character %U", r)
	}
	return fmt.Sprintf("%q", r)
}

// suggestName returns a valid name close to name: what is not allowed
// becomes '-', runs of '-' shrink to one, and leading '.' and '-' and
// trailing '-' go.
func suggestName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if !nameRune(r) {
			r = '-'
		}
		if r == '-' && strings.HasSuffix(b.String(), "-") {
			continue
		}
		b.WriteRune(r)
	}
	s := strings.TrimLeft(b.String(), ".-")
	if len(s) > MaxNameLen {
		s = s[:MaxNameLen]
	}
	s = strings.TrimRight(s, "-")
	if s == "" {
		return "my-scenario"
	}
	return s
}

// Scenario is a loaded, validated scenario.
type Scenario struct {
	// Name names the scenario in tables and the files chipsim writes: the
	// file's name: key, or else its file name without .yaml. CheckName
	// gives the names allowed; loading refuses any other.
	Name        string
	Description string
	File        string   // the file as named in messages
	Chain       []string // the extends chain, this file first
	Spec        *sim.Spec
	Events      []*Event
	// Values holds, for every parameter path, the value that the extends
	// chain resolved to, with its position and source comment.
	Values map[string]*Value
	// History holds every value the files of the chain give a path, root
	// first; the last one is in Values.
	History map[string][]*Value
	// Warnings are what loading found odd in valid files, in file order.
	Warnings []Warning
	// touched records, for every path an event changed, the index in
	// Events of the last event that changed each period (-1 for none).
	touched map[string][]int
	model   *sim.Model
	// merged is what the files of the chain resolved to, kept so that Edit
	// can rebuild the scenario with another timeline without reading them.
	merged *merged
	// entries holds the series of each entry with a part-period record.
	entries map[*sim.Part][]sim.Series

	// Uncertain inputs, and what a Sampler needs to redraw them: the
	// series before events, and the timeline in compiled form.
	quantities []*Quantity
	base       map[string]sim.Series
	paramQ     map[string]int    // path -> quantity of an uncertain parameter
	bounds     map[string]*bound // range over draws of each parameter an uncertain input reaches
	plan       []eventPlan
	corr       []float64 // target rank correlations, or nil
}

// Value is a parameter value as written in a file.
type Value struct {
	Node   *yaml.Node
	Pos    Pos
	Source string // the comment beside it: where the number comes from
}

// Event is one entry of a scenario's policy timeline.
type Event struct {
	Name   string
	Kind   string // the action: set, scale, add or a shortcut such as export_status
	Pos    Pos
	At     sim.Month
	End    sim.Month // last month affected
	HasEnd bool
	// AtDay and EndDay hold a start or end dated by day (Day 0 when dated
	// by period): the event then covers only the rest (or the first part)
	// of that period.
	AtDay, EndDay sim.Day
	Ramp          int
	Source        string
	Ops           []Op
	// ID names the event in Quantity names and correlations; Duration, in
	// periods, is an alternative to End.
	ID       string
	Duration int

	atMonths  []sim.Month // an uncertain start: candidates, or [min, max] for uniform
	atWeights []float64
	atUniform bool
	atPos     Pos
	durDist   uq.Dist
	durPos    Pos
}

// Op is one change an event makes to one parameter.
type Op struct {
	Path  string
	Kind  string // set, scale or add
	Node  *yaml.Node
	Pos   Pos
	Value float64 // resolved: the number, or the code of a choice
	// Tier and Param are set when a shortcut names an export-control tier:
	// the operation applies to Param of every product in the tier, and
	// Targets lists their paths once the scenario is built.
	Tier, Param string
	Targets     []string

	entity     string     // a shortcut's collection, to check its target
	entityNode *yaml.Node // the shortcut's target name
}

// Label returns a short description of the event for tables and charts.
func (e *Event) Label() string { return e.Name }

// Model compiles the scenario's Spec once and returns the model.
func (s *Scenario) Model() (*sim.Model, error) {
	if s.model == nil {
		m, err := sim.Compile(s.Spec)
		if err != nil {
			return nil, err
		}
		s.model = m
	}
	return s.model, nil
}
