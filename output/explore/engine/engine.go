// Package engine is what the explorer page runs, compiled to WebAssembly:
// it loads scenarios, applies the page's controls (uncertain inputs,
// what-if changes, events turned off or moved) and returns, as values
// ready for JSON, the yearly headline table, the series the charts draw
// and Monte Carlo bands. It imports the engine and the file formats but
// nothing that draws or writes files, so the page stays small; a test
// runs it natively against chipsim run.
package engine

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/output/tidy"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/study"
)

// Source is a scenario the page embeds: a shipped name (YAML nil), or a
// file's name and text, which may extend shipped scenarios only.
type Source struct {
	Name string `json:"name"`
	YAML string `json:"yaml,omitempty"`
}

// Engine holds the page's scenarios, each loaded once.
type Engine struct {
	names []string
	scen  map[string]*scenarios.Scenario
}

// New loads the sources.
func New(srcs []Source) (*Engine, error) {
	e := &Engine{scen: map[string]*scenarios.Scenario{}}
	for _, src := range srcs {
		var s *scenarios.Scenario
		var err error
		if src.YAML == "" {
			s, err = scenarios.Load(src.Name)
		} else {
			s, err = scenarios.Parse(src.Name, []byte(src.YAML))
		}
		if err != nil {
			return nil, err
		}
		if _, dup := e.scen[s.Name]; dup {
			return nil, fmt.Errorf("two scenarios are named %q", s.Name)
		}
		e.scen[s.Name] = s
		e.names = append(e.names, s.Name)
	}
	return e, nil
}

// Names lists the scenarios in the order given.
func (e *Engine) Names() []string { return e.names }

// State is the page's controls: what it sends to Run and MonteCarlo, and
// what its URL fragment holds.
type State struct {
	Scenario string             `json:"scenario"`
	Inputs   map[string]float64 `json:"inputs,omitempty"`  // uncertain inputs by name; the rest at their medians
	Off      []int              `json:"off,omitempty"`     // events turned off, by index
	At       map[string]string  `json:"at,omitempty"`      // events moved: index -> period label
	Changes  map[string]string  `json:"changes,omitempty"` // what-if controls: path -> value
}

// Input describes an uncertain input's slider.
type Input struct {
	Name   string   `json:"name"`
	Unit   string   `json:"unit"`
	Lo     float64  `json:"lo"`
	Hi     float64  `json:"hi"`
	Median float64  `json:"median"`
	Labels []string `json:"labels,omitempty"` // a choice's or a period's names, for codes 0, 1, ...
}

// Event describes a policy event's toggle.
type Event struct {
	Index   int    `json:"index"`
	Name    string `json:"name"`
	At      string `json:"at"` // the period it starts in
	Source  string `json:"source"`
	Movable bool   `json:"movable"` // false for an uncertain start (an input instead)
}

// Control is a what-if slider or choice on a key parameter, acting from
// WhatIfFrom on: history stays as the scenario has it.
type Control struct {
	Path    string   `json:"path"`
	Label   string   `json:"label"`
	Kind    string   `json:"kind"` // scale (a factor on the scenario's path) or set
	Unit    string   `json:"unit"`
	Meaning string   `json:"meaning"`
	Source  string   `json:"source"`
	Value   string   `json:"value"` // the scenario's value, as written
	Lo      float64  `json:"lo,omitempty"`
	Hi      float64  `json:"hi,omitempty"`
	Step    float64  `json:"step,omitempty"`
	Start   float64  `json:"start"`             // the slider's neutral position (1 for a factor)
	Choices []string `json:"choices,omitempty"` // for a choice
}

// curated are the key parameters the page offers as what-ifs.
var curated = []struct {
	path, label, kind string
	lo, hi, step      float64
}{
	{"foundry.smic_n2.capacity_wpm", "SMIC N+2 capacity", "scale", 0.25, 3, 0.05},
	{"foundry.smic_n3.capacity_wpm", "SMIC N+3 capacity", "scale", 0, 3, 0.05},
	{"foundry.smic_n2.learning_rate", "SMIC N+2 learning rate", "set", 0.6, 1, 0.01},
	{"hbm.domestic_capacity_stacks_per_year", "Domestic HBM ramp", "scale", 0, 4, 0.05},
	{"packaging.capacity_units_per_year", "Advanced packaging capacity", "scale", 0.25, 3, 0.05},
	{"demand.growth", "Demand growth", "scale", 0.25, 2, 0.05},
	{"imports.H200.us_status", "H200: US export status", "set", 0, 0, 0},
	{"imports.H200.fee_share", "H200: US revenue share (fee)", "set", 0, 0.5, 0.01},
	{"imports.H200.cap_share", "H200: licensed share of US volume", "set", 0, 1, 0.05},
	{"imports.H200.cn_stance", "H200: China's stance", "set", 0, 0, 0},
	{"grey.enforcement", "Enforcement against smuggling", "set", 0, 1, 0.05},
}

// WhatIfFrom is the first period the what-if controls act in: the first
// after the history the scenarios are checked against (2022–2025).
var WhatIfFrom = sim.MonthOf(2026, 1)

// Description is what the page needs to draw a scenario's controls.
type Description struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	File        string    `json:"file"`
	Periods     []string  `json:"periods"`
	Inputs      []Input   `json:"inputs"`
	Events      []Event   `json:"events"`
	Controls    []Control `json:"controls"`
	WhatIfFrom  string    `json:"whatIfFrom"`
}

// Describe returns a scenario's controls.
func (e *Engine) Describe(name string) (*Description, error) {
	s, ok := e.scen[name]
	if !ok {
		return nil, fmt.Errorf("no scenario %q", name)
	}
	cal := s.Spec.Calendar
	d := &Description{Name: s.Name, Description: s.Description, File: s.File, WhatIfFrom: cal.Step.Label(WhatIfFrom),
		Inputs: []Input{}, Events: []Event{}, Controls: []Control{}} // empty lists, not null, in JSON
	for t := 0; t < cal.N; t++ {
		d.Periods = append(d.Periods, cal.Label(t))
	}
	for _, in := range s.Inputs() {
		lo, hi := in.Dist.Support()
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			// an unbounded distribution: the slider spans its 0.1% to 99.9% quantiles
			lo, hi = math.Max(lo, in.Dist.Quantile(0.001)), math.Min(hi, in.Dist.Quantile(0.999))
		}
		if in.Labels != nil {
			// codes: the support is the first and last code with weight
			lo, hi = math.Max(lo, 0), math.Min(hi, float64(len(in.Labels)-1))
		}
		d.Inputs = append(d.Inputs, Input{Name: in.Name, Unit: in.Unit, Lo: lo, Hi: hi, Median: in.Median(), Labels: in.Labels})
	}
	for i, ev := range s.Events {
		d.Events = append(d.Events, Event{Index: i, Name: ev.Name, At: cal.Label(max(0, cal.Index(ev.At))), Source: ev.Source, Movable: !uncertainStart(s, i)})
	}
	fields := map[string]sim.Field{}
	for _, f := range s.Spec.Fields() {
		fields[f.Path] = f
	}
	for _, c := range curated {
		f, ok := fields[c.path]
		if !ok || f.Num == nil {
			continue // a scenario without the entry
		}
		ctl := Control{Path: c.path, Label: c.label, Kind: c.kind, Unit: f.Def.Unit, Meaning: f.Def.Doc, Lo: c.lo, Hi: c.hi, Step: c.step, Start: 1}
		if v := s.Values[c.path]; v != nil {
			ctl.Source = v.Source
			if v.Node != nil {
				ctl.Value = nodeText(v)
			}
		}
		if f.Def.Kind == sim.Enum {
			ctl.Choices = f.Def.Enum
			ctl.Lo, ctl.Hi, ctl.Step = 0, 0, 0
		}
		if c.kind == "set" {
			t := cal.Index(WhatIfFrom)
			ctl.Start = (*f.Num)[max(0, min(t, cal.N-1))]
		}
		d.Controls = append(d.Controls, ctl)
	}
	return d, nil
}

func nodeText(v *scenarios.Value) string {
	if v.Node.Value != "" {
		return v.Node.Value
	}
	return "a schedule"
}

func uncertainStart(s *scenarios.Scenario, i int) bool {
	for _, q := range s.Quantities() {
		if q.Periods != nil && q.Name == eventID(s, i)+".at" {
			return true
		}
	}
	return false
}

// eventID is the name an event's quantities carry: its id, or eventN.
func eventID(s *scenarios.Scenario, i int) string {
	if s.Events[i].ID != "" {
		return s.Events[i].ID
	}
	return "event" + strconv.Itoa(i+1)
}

// Headline are the yearly metrics the table shows, as chipsim run's table.
var Headline = []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage", "ic.ssr_value",
	"ai.units_domestic", "ai.units_import", "ai.units_grey", "ai.unmet_h100e"}

// Result is one run for the page.
type Result struct {
	Years    []string    `json:"years"`
	Metrics  []string    `json:"metrics"`
	Units    []string    `json:"units"`
	Headline [][]float64 `json:"headline"` // [metric][year]
	// Quarterly series for the charts, by name.
	Series map[string][]float64 `json:"series"`
	// Binding: per period, domestic output (units) by the limit that binds
	// it: plan, dies, hbm, packaging, demand.
	Binding map[string][]float64 `json:"binding"`
}

// edited returns the scenario with the state's edits and a sampler at its
// inputs.
func (e *Engine) edited(st State) (*scenarios.Scenario, *scenarios.Sampler, error) {
	s, ok := e.scen[st.Scenario]
	if !ok {
		return nil, nil, fmt.Errorf("no scenario %q", st.Scenario)
	}
	ed := scenarios.Edits{Off: map[int]bool{}, At: map[int]sim.Month{}}
	for _, i := range st.Off {
		ed.Off[i] = true
	}
	for k, label := range st.At {
		i, err := strconv.Atoi(k)
		if err != nil {
			return nil, nil, fmt.Errorf("event %q: want an index", k)
		}
		m, _, err := sim.ParseMonth(label)
		if err != nil {
			return nil, nil, fmt.Errorf("event %d: bad period %q", i, label)
		}
		ed.At[i] = m
	}
	paths := make([]string, 0, len(st.Changes))
	for p := range st.Changes {
		paths = append(paths, p)
	}
	sort.Strings(paths) // a fixed order: the same state, the same run
	for _, p := range paths {
		kind := "set"
		for _, c := range curated {
			if c.path == p {
				kind = c.kind
			}
		}
		ed.Changes = append(ed.Changes, scenarios.Change{Path: p, Kind: kind, Value: st.Changes[p], From: WhatIfFrom})
	}
	if len(ed.Off) > 0 || len(ed.At) > 0 || len(ed.Changes) > 0 {
		var err error
		if s, err = s.Edit(ed); err != nil {
			return nil, nil, err
		}
	}
	sp, err := s.NewSampler()
	if err != nil {
		return nil, nil, err
	}
	if len(st.Inputs) > 0 {
		x := append([]float64(nil), sp.Values()...)
		for k, in := range s.Inputs() {
			if v, ok := st.Inputs[in.Name]; ok {
				x[k] = v
			}
		}
		if err := sp.CheckValues(x); err != nil {
			return nil, nil, err
		}
		sp.SetValues(x)
	}
	return s, sp, nil
}

// Run runs the scenario with the state's controls.
func (e *Engine) Run(st State) (*Result, error) {
	s, sp, err := e.edited(st)
	if err != nil {
		return nil, err
	}
	m := sp.Model()
	r := m.NewResult()
	m.Run(r)
	if err := r.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: the run failed: %w", s.Name, err)
	}
	return describeRun(m, r)
}

// CSV returns the run with the state's controls as chipsim's tidy CSV,
// the bytes chipsim run writes for the same scenario.
func (e *Engine) CSV(st State) (string, error) {
	s, sp, err := e.edited(st)
	if err != nil {
		return "", err
	}
	m := sp.Model()
	r := m.NewResult()
	m.Run(r)
	if err := r.CheckFinite(); err != nil {
		return "", fmt.Errorf("%s: the run failed: %w", s.Name, err)
	}
	var b strings.Builder
	if err := tidy.WriteCSV(&b, s.Name, r, true); err != nil {
		return "", err
	}
	return b.String(), nil
}

func describeRun(m *sim.Model, r *sim.Result) (*Result, error) {
	cal := m.Calendar()
	res := &Result{Metrics: Headline, Series: map[string][]float64{}, Binding: map[string][]float64{}}
	years := yearsOf(cal)
	for _, y := range years {
		res.Years = append(res.Years, strconv.Itoa(y))
	}
	for _, metric := range Headline {
		d, _ := sim.MetricByName(metric)
		res.Units = append(res.Units, d.Unit)
		row := make([]float64, len(years))
		for k, y := range years {
			o, err := outcome.Parse(metric+"@"+strconv.Itoa(y), m)
			if err != nil {
				return nil, err
			}
			row[k] = o.Eval(r)
		}
		res.Headline = append(res.Headline, row)
	}
	for _, metric := range []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.h100e_domestic", "ai.h100e_import", "ai.h100e_grey", "ai.wanted_h100e", "ai.unmet_h100e", "ai.delivered_h100e"} {
		ser, ok := r.Series(metric, "all")
		if !ok {
			return nil, fmt.Errorf("no metric %s", metric)
		}
		res.Series[metric] = ser
	}
	codes := []string{"", "plan", "dies", "hbm", "packaging", "demand"}
	for _, c := range codes[1:] {
		res.Binding[c] = make([]float64, cal.N)
	}
	for _, id := range m.Entities(mustMetric("product.output")) {
		out, _ := r.Series("product.output", id)
		bind, _ := r.Series("product.binding", id)
		for t := range out {
			if c := int(bind[t]); c > 0 && c < len(codes) {
				res.Binding[codes[c]][t] += out[t]
			}
		}
	}
	return res, nil
}

func mustMetric(name string) *sim.MetricDef {
	d, ok := sim.MetricByName(name)
	if !ok {
		panic("engine: no metric " + name)
	}
	return d
}

// yearsOf lists the calendar years the run touches.
func yearsOf(cal sim.Calendar) []int {
	var out []int
	for t := 0; t < cal.N; t++ {
		y := cal.Month(t).Year()
		if len(out) == 0 || out[len(out)-1] != y {
			out = append(out, y)
		}
	}
	return out
}

// Bands are Monte Carlo percentiles of the headline ratios by year.
type Bands struct {
	Runs      int                    `json:"runs"`
	Years     []string               `json:"years"`
	Quantiles []float64              `json:"quantiles"`
	Metrics   []string               `json:"metrics"`
	Values    map[string][][]float64 `json:"values"` // metric -> [quantile][year]
}

// BandMetrics are the ratios Monte Carlo bands are drawn for.
var BandMetrics = []string{"ai.ssr_units", "ai.ssr_compute", "ai.coverage"}

// MonteCarlo draws the scenario's uncertain inputs n times (the state's
// edits applied; its input values ignored, since they are drawn) and
// returns yearly bands; progress sees the runs done.
func (e *Engine) MonteCarlo(ctx context.Context, st State, n int, seed uint64, progress func(done, total int)) (*Bands, error) {
	st.Inputs = nil
	s, sp, err := e.edited(st)
	if err != nil {
		return nil, err
	}
	if sp.Dim() == 0 {
		return nil, fmt.Errorf("%s has no uncertain inputs to draw", s.Name)
	}
	m := sp.Model()
	years := yearsOf(m.Calendar())
	var outs []*outcome.Outcome
	for _, metric := range BandMetrics {
		for _, y := range years {
			o, err := outcome.Parse(metric+"@"+strconv.Itoa(y), m)
			if err != nil {
				return nil, err
			}
			outs = append(outs, o)
		}
	}
	sums, err := study.MonteCarlo(ctx, s, study.MCConfig{Runs: n, Seed: seed, Workers: 1, Outcomes: outs, Progress: progress})
	if err != nil {
		return nil, err
	}
	b := &Bands{Runs: n, Quantiles: []float64{0.05, 0.25, 0.5, 0.75, 0.95}, Metrics: BandMetrics, Values: map[string][][]float64{}}
	for _, y := range years {
		b.Years = append(b.Years, strconv.Itoa(y))
	}
	for i, metric := range BandMetrics {
		vals := make([][]float64, len(b.Quantiles))
		for q, p := range b.Quantiles {
			vals[q] = make([]float64, len(years))
			for k := range years {
				vals[q][k] = sums.Outcome[i*len(years)+k].Quantile(p)
			}
		}
		b.Values[metric] = vals
	}
	return b, nil
}
