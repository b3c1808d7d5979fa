package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/suggest"
	"github.com/chipsim/chipsim/sim/uq"
	"go.yaml.in/yaml/v3"
)

func build(m *merged, errs *ErrorList) *Scenario {
	top := Pos{File: m.top.display, Line: 1, Col: 1}
	s := &Scenario{File: m.top.display, Chain: m.chain, Values: m.params, History: m.history, touched: map[string][]int{}, paramQ: map[string]int{}, bounds: map[string]*bound{}}
	// The name names output files (NAME.csv), so it must be a plain file
	// name (CheckName), whether the file gives it or its file name does.
	if m.name != nil {
		s.Name = m.name.Node.Value
		if why := nameProblem(s.Name); why != "" {
			errs.Add(m.name.Pos, "name: %q is not a usable scenario name: %s; %s (such as %s)", s.Name, why, nameWant, suggestName(s.Name))
		}
	} else {
		s.Name = strings.TrimSuffix(strings.TrimSuffix(baseName(m.top.display), ".yaml"), ".yml")
		if why := nameProblem(s.Name); why != "" {
			errs.Add(top, "the file gives no name:, and its file name %q is not a usable scenario name: %s; add one, such as name: %s (%s)", s.Name, why, suggestName(s.Name), nameWant)
		}
	}
	if m.description != nil {
		s.Description = m.description.Node.Value
	}
	cal, ok := calendar(m, top, errs)
	if !ok {
		return nil
	}
	spec := &sim.Spec{Name: s.Name, Calendar: cal}
	s.Spec = spec

	// Entries first: a product's origin decides which keys it takes.
	ids := map[string][]string{}
	for coll, ents := range m.entries {
		for _, e := range ents {
			ids[coll] = append(ids[coll], e.id)
		}
	}
	for _, e := range m.entries["ecosystems"] {
		spec.Ecosystems = append(spec.Ecosystems, sim.Ecosystem{ID: e.id})
	}
	for _, e := range m.entries["foundry"] {
		spec.Foundry = append(spec.Foundry, sim.Process{ID: e.id})
	}
	for _, e := range m.entries["imports"] {
		spec.Imports = append(spec.Imports, sim.Import{ID: e.id})
	}
	for _, e := range m.entries["sector"] {
		spec.Segments = append(spec.Segments, sim.Segment{ID: e.id})
	}
	for _, e := range m.entries["products"] {
		p := sim.Product{ID: e.id}
		if v := m.params["products."+e.id+".origin"]; v != nil {
			p.Origin = v.Node.Value
			if p.Origin != "domestic" && p.Origin != "foreign" {
				errs.Add(v.Pos, "products.%s.origin: %q is not an origin; want domestic or foreign", e.id, p.Origin)
				p.Origin = ""
			}
		}
		spec.Products = append(spec.Products, p)
	}
	entryPos := map[string]Pos{}
	for coll, ents := range m.entries {
		for _, e := range ents {
			entryPos[coll+"."+e.id] = e.pos
		}
	}

	fields := spec.Fields()
	byPath := map[string]sim.Field{}
	for _, f := range fields {
		byPath[f.Path] = f
		v := m.params[f.Path]
		if v == nil {
			if f.Def.Optional {
				setDefault(f, cal)
				continue
			}
			at := top
			parent := f.Path[:strings.LastIndexByte(f.Path, '.')]
			if p, ok := entryPos[parent]; ok {
				at = p
			}
			errs.Add(at, "%s: missing key %s (%s)", parent, f.Def.Name, describe(f.Def))
			continue
		}
		if isDist(v.Node) && f.Num != nil {
			src := &source{display: v.Pos.File}
			q, ok := parseValueDist(src, f, f.Path, v.Node, errs)
			if ok && checkSupport(q, f.Def, f.Path, errs) {
				q.Name = f.Path
				s.paramQ[f.Path] = s.addQuantity(q)
				ser := make(sim.Series, cal.N)
				x := q.Dist.Quantile(0.5) // chipsim run uses the median
				for t := range ser {
					ser[t] = x
				}
				*f.Num = ser
			}
			continue
		}
		assign(f, v, cal, ids, errs)
	}
	for _, p := range spec.Products {
		if v := m.params["products."+p.ID+".end"]; v != nil && p.End < p.Launch && p.Launch != 0 {
			errs.Add(v.Pos, "products.%s.end: %s is before launch %s", p.ID, v.Node.Value, sim.Monthly.Label(p.Launch))
		}
	}
	// Keys that exist for some entries but not this one.
	for p, v := range m.params {
		if _, ok := byPath[p]; ok {
			continue
		}
		if strings.HasPrefix(p, "products.") {
			parts := strings.Split(p, ".")
			for i := range spec.Products {
				if spec.Products[i].ID == parts[1] && spec.Products[i].Origin != "" {
					errs.Add(v.Pos, "%s: applies to %s products only, and %s is %s",
						p, otherOrigin(spec.Products[i].Origin), parts[1], spec.Products[i].Origin)
				}
			}
		}
	}
	// Every foreign product needs an imports entry, and only those.
	for _, p := range spec.Products {
		if p.Origin == "foreign" && !contains(ids["imports"], p.ID) {
			errs.Add(entryPos["products."+p.ID], "products.%s: foreign product has no imports.%s entry (its US status and Chinese stance)", p.ID, p.ID)
		}
	}
	var foreign []string
	for _, p := range spec.Products {
		if p.Origin == "foreign" {
			foreign = append(foreign, p.ID)
		}
	}
	for _, e := range m.entries["imports"] {
		if !contains(foreign, e.id) {
			errs.Add(e.pos, "imports.%s: no foreign product %s in products%s", e.id, e.id, didYouMean(e.id, foreign))
		}
	}
	var paths []string
	for _, f := range fields {
		if f.Num != nil {
			paths = append(paths, f.Path)
		}
	}
	s.entries = entrySeries(spec)
	s.base = map[string]sim.Series{}
	for _, f := range fields {
		if f.Num != nil && *f.Num != nil {
			s.base[f.Path] = append(sim.Series(nil), *f.Num...)
		}
	}
	for i, ev := range m.events {
		apply(s, i, ev, byPath, paths, ids, errs)
	}
	s.Events = m.events
	s.auditOverrides()
	s.resolveCorrelations(m.corr, errs)
	if len(*errs) > 0 {
		return nil
	}
	if _, err := s.Model(); err != nil {
		errs.Add(top, "%v", err)
		return nil
	}
	return s
}

// entrySeries lists, for each entry with a part-period record (each
// import, and hbm), the series of its fields in the record's order.
func entrySeries(spec *sim.Spec) map[*sim.Part][]sim.Series {
	out := map[*sim.Part][]sim.Series{}
	for _, f := range spec.Fields() {
		if f.Part != nil && f.Num != nil {
			fs := out[f.Part]
			for len(fs) <= f.PartIndex {
				fs = append(fs, nil)
			}
			fs[f.PartIndex] = *f.Num
			out[f.Part] = fs
		}
	}
	return out
}

// setDefault gives an optional parameter left out of the files its
// documented default: a number in every period, or a text (by default the
// entry's own ID).
func setDefault(f sim.Field, cal sim.Calendar) {
	switch {
	case f.Num != nil:
		ser := make(sim.Series, cal.N)
		for t := range ser {
			ser[t] = f.Def.Default
		}
		*f.Num = ser
	case f.Flag != nil:
		*f.Flag = f.Def.Default != 0
	case f.Str != nil:
		*f.Str = f.Def.DefaultText
		if *f.Str == "" {
			parts := strings.Split(f.Path, ".")
			*f.Str = parts[len(parts)-2]
		}
	}
}

func otherOrigin(o string) string {
	if o == "domestic" {
		return "foreign"
	}
	return "domestic"
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func describe(d *sim.FieldDef) string {
	switch d.Kind {
	case sim.Enum:
		return "one of " + strings.Join(d.Enum, ", ") + ": " + d.Doc
	case sim.Number:
		return d.Unit + ": " + d.Doc
	}
	return d.Kind.String() + ": " + d.Doc
}

func calendar(m *merged, top Pos, errs *ErrorList) (sim.Calendar, bool) {
	get := func(k string) *Value {
		v := m.time[k]
		if v == nil {
			errs.Add(top, "time: missing key %s (%s)", k, map[string]string{
				"start": "first period, such as 2022Q1; a year or quarter means its first period",
				"end":   "last period, such as 2035Q4; a year or quarter means the whole of it",
				"step":  "month, quarter or year"}[k])
		}
		return v
	}
	sv, ev, pv := get("start"), get("end"), get("step")
	if sv == nil || ev == nil || pv == nil {
		return sim.Calendar{}, false
	}
	step, err := sim.ParseStep(pv.Node.Value)
	if err != nil || pv.Node.Kind != yaml.ScalarNode {
		errs.Add(pv.Pos, "time.step: want month, quarter or year, got %s", kindName(pv.Node))
		return sim.Calendar{}, false
	}
	// A start means the first month of what it names, an end the last
	// (sim.ParseEnd): time.end 2030 ends with December 2030, 2035Q4 with
	// December 2035, whatever the step. The end month must end a period of
	// the step. A run may end part-way through a year (2030Q2 in a
	// quarterly run): sim.Calendar.PartialLastYear says so.
	src := &source{display: sv.Pos.File}
	start, _, ok1 := parseMonth(src, "time.start", sv.Node, errs)
	src = &source{display: ev.Pos.File}
	endMonth, _, ok2 := parseEnd(src, "time.end", ev.Node, errs)
	if !ok1 || !ok2 {
		return sim.Calendar{}, false
	}
	ok := true
	if !step.Aligned(start) {
		errs.Add(sv.Pos, "time.start: %s does not start a %s", sv.Node.Value, step)
		ok = false
	}
	if !step.Aligned(endMonth + 1) {
		errs.Add(ev.Pos, "time.end: %s does not end a %s", ev.Node.Value, step)
		ok = false
	}
	end := endMonth + 1 - sim.Month(step) // the last period's first month
	if end < start {
		errs.Add(ev.Pos, "time.end: %s is before time.start %s", ev.Node.Value, sv.Node.Value)
		ok = false
	}
	if ok && (int(end)-int(start))/int(step) >= 2400 {
		errs.Add(ev.Pos, "time.end: %s gives more than 2400 periods", ev.Node.Value)
		ok = false
	}
	return sim.NewCalendar(start, end, step), ok
}

// parseEnd parses a period value node written as an end: it returns the
// last month of what the node names (sim.ParseEnd).
func parseEnd(src *source, what string, n *yaml.Node, errs *ErrorList) (sim.Month, sim.Step, bool) {
	if _, _, ok := parseMonth(src, what, n, errs); !ok {
		return 0, 0, false
	}
	m, g, err := sim.ParseEnd(n.Value)
	return m, g, err == nil
}

// assign parses v into the storage of f over the calendar.
func assign(f sim.Field, v *Value, cal sim.Calendar, ids map[string][]string, errs *ErrorList) {
	n := v.Node
	src := &source{display: v.Pos.File}
	d := f.Def
	switch d.Kind {
	case sim.Text:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			errs.Add(v.Pos, "%s: want text, got %s", f.Path, kindName(n))
			return
		}
		if d.Ref != "" && !contains(ids[d.Ref], n.Value) {
			errs.Add(v.Pos, "%s: no %s entry %q%s", f.Path, d.Ref, n.Value, didYouMean(n.Value, ids[d.Ref]))
			return
		}
		*f.Str = n.Value
	case sim.Date:
		read := parseMonth
		if strings.HasSuffix(f.Path, ".end") {
			read = parseEnd // the last month of what it names
		}
		if m, _, ok := read(src, f.Path, n, errs); ok {
			*f.Date = m
		}
	case sim.Flag:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			errs.Add(v.Pos, "%s: want true or false, got %s", f.Path, kindName(n))
			return
		}
		*f.Flag = n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	default:
		if s, ok := series(f, n, src, cal, errs); ok {
			*f.Num = s
		}
	}
}

type point struct {
	m sim.Month
	v float64
}

// series parses a number or choice, or a schedule of them, into one value
// per period.
func series(f sim.Field, n *yaml.Node, src *source, cal sim.Calendar, errs *ErrorList) (sim.Series, bool) {
	out := make(sim.Series, cal.N)
	if n.Kind == yaml.ScalarNode {
		v, ok := scalar(f, n, src, errs)
		if !ok {
			return nil, false
		}
		for t := range out {
			out[t] = v
		}
		return out, true
	}
	if n.Kind != yaml.MappingNode {
		errs.Add(pos(src, n), "%s: want %s or a schedule {period: value, ...}, got %s", f.Path, want(f.Def), kindName(n))
		return nil, false
	}
	linear := false
	if len(n.Content) == 2 && n.Content[0].Value == "linear" {
		if f.Def.Kind == sim.Enum {
			errs.Add(pos(src, n.Content[0]), "%s: a choice cannot be interpolated; use a schedule {period: choice}", f.Path)
			return nil, false
		}
		linear = true
		n = n.Content[1]
		if !wantMapping(src, f.Path+" linear", n, errs) {
			return nil, false
		}
	}
	var pts []point
	good := true
	pairs(src, n, errs, func(key string, k, v *yaml.Node) {
		m, _, err := sim.ParseMonth(key)
		if err != nil {
			hint := ""
			if key == "linear" {
				hint = "; linear: must be the only key"
			}
			errs.Add(pos(src, k), "%s: schedule key %q is not a period: want 2025Q3, 2025-07 or 2025%s", f.Path, key, hint)
			good = false
			return
		}
		if !linear && !cal.Step.Aligned(m) {
			errs.Add(pos(src, k), "%s: schedule key %s does not start a %s of the run", f.Path, key, cal.Step)
			good = false
			return
		}
		if len(pts) > 0 && m <= pts[len(pts)-1].m {
			errs.Add(pos(src, k), "%s: schedule key %s is not after the one before it", f.Path, key)
			good = false
			return
		}
		x, ok := scalar(f, v, src, errs)
		if !ok {
			good = false
			return
		}
		pts = append(pts, point{m, x})
	})
	if !good {
		return nil, false
	}
	if len(pts) == 0 {
		errs.Add(pos(src, n), "%s: empty schedule", f.Path)
		return nil, false
	}
	if pts[0].m > cal.Start {
		errs.Add(pos(src, n.Content[0]), "%s: schedule starts at %s, after the run starts (%s); give a value for %s or earlier",
			f.Path, n.Content[0].Value, cal.Label(0), cal.Label(0))
		return nil, false
	}
	j := 0
	for t := range out {
		m := cal.Month(t)
		for j+1 < len(pts) && pts[j+1].m <= m {
			j++
		}
		out[t] = pts[j].v
		if linear && j+1 < len(pts) {
			a, b := pts[j], pts[j+1]
			out[t] = a.v + (b.v-a.v)*float64(m-a.m)/float64(b.m-a.m)
		}
	}
	return out, true
}

func want(d *sim.FieldDef) string {
	if d.Kind == sim.Enum {
		return "one of " + strings.Join(d.Enum, ", ")
	}
	return "a number in " + d.Unit
}

// scalar parses one number (checked against the field's range) or choice.
func scalar(f sim.Field, n *yaml.Node, src *source, errs *ErrorList) (float64, bool) {
	d := f.Def
	if d.Kind == sim.Enum {
		if n.Kind == yaml.ScalarNode {
			for i, c := range d.Enum {
				if c == n.Value {
					return float64(i), true
				}
			}
		}
		what := kindName(n)
		if n.Kind == yaml.ScalarNode {
			what = strconv.Quote(n.Value)
		}
		errs.Add(pos(src, n), "%s: %s is not a valid choice%s; want %s", f.Path, what, didYouMean(n.Value, d.Enum), strings.Join(d.Enum, ", "))
		return 0, false
	}
	v, ok := number(n)
	if !ok {
		errs.Add(pos(src, n), "%s: want a number (%s), got %s", f.Path, d.Unit, kindName(n))
		return 0, false
	}
	if msg := outOfRange(d, v); msg != "" {
		errs.Add(pos(src, n), "%s: %s", f.Path, msg)
		return 0, false
	}
	return v, true
}

func outOfRange(d *sim.FieldDef, v float64) string {
	if err := d.Check(v); err != nil {
		return err.Error()
	}
	return ""
}

func fmtNum(v float64) string {
	if math.IsInf(v, 1) {
		return ".inf"
	}
	return fmt.Sprintf("%g", v)
}

// eventPlan is an event in the compiled form a Sampler replays: its
// timing, and each operation's target, kind and value, any of them
// possibly drawn from a Quantity (index, or -1 when fixed).
type eventPlan struct {
	first, last int // periods, with the central values of uncertain ones
	open        bool
	ramp        int
	atQ, durQ   int
	dur         int // fixed duration in periods, or 0
	// atDay and endDay date the event by day (Day 0 when dated by period):
	// it then covers only part of its first or last period.
	atDay, endDay sim.Day
	ops           []opPlan
}

type opPlan struct {
	path string
	kind string
	code opCode // kind, coded for the replay
	enum bool
	x    float64
	q    int
}

// opCode codes an operation's kind: set, scale or add.
type opCode uint8

const (
	opAdd opCode = iota
	opSet
	opScale
)

func codeOf(kind string) opCode {
	switch kind {
	case "set":
		return opSet
	case "scale":
		return opScale
	}
	return opAdd
}

// transform is one period's value after an operation applied with weight
// w (the ramp's progress and the part of the period covered; 1 when in
// full effect).
func transform(kind string, enum bool, old, x, w float64) float64 {
	return codeOf(kind).apply(enum, old, x, w)
}

func (c opCode) apply(enum bool, old, x, w float64) float64 {
	switch c {
	case opSet:
		if enum || math.IsInf(x, 0) || math.IsInf(old, 0) {
			return x
		}
		return old + w*(x-old)
	case opScale:
		return old * (1 + w*(x-1))
	}
	return old + w*x
}

// window returns the periods an event covers, given its start.
func (p *eventPlan) window(first int, dur, n int) (int, int) {
	last := p.last
	switch {
	case dur > 0:
		last = first + dur - 1
	case p.open:
		last = n - 1
	}
	return first, min(last, n-1)
}

// ramp returns the ramp's progress in period t of an event starting in
// period first (1 when in full effect).
func (p *eventPlan) rampAt(t, first int) float64 {
	if p.ramp > 0 {
		return math.Min(1, float64(t-first+1)/float64(p.ramp))
	}
	return 1
}

// partial returns the part of period t of [first, last] that the event's
// dates cover: less than 1 only in a first or last period dated by day.
func (p *eventPlan) partial(cal sim.Calendar, t, first, last int) float64 {
	if t != first && t != last {
		return 1
	}
	var from, through sim.Day
	if t == first {
		from = p.atDay
	}
	if t == last && p.dur == 0 && !p.open {
		through = p.endDay
	}
	if from.Day == 0 && through.Day == 0 {
		return 1
	}
	return cal.PeriodShare(t, from, through)
}

// applyEvent writes an event's operations into the series over periods
// [first, last]: x[k] is operation k's value, sers[k] its target series,
// parts[k] the target's entry (nil for fields outside imports and hbm)
// (partIdx[k] the target's place in it) and entries the series of every
// entry, by part. A period the event covers only in part takes the
// operations in proportion, except in an entry with a part-period record
// (the engine's blended fields): there the values before the event are
// kept for the part of the period before it, and the operations apply in
// full to the rest. An event over the whole of a period that an earlier
// event split applies to both parts. An entry keeps one change dated by
// day per period: a second, from another day, is not applied and is
// passed to split (the loader reports it; nil skips it). check sees every
// value an operation writes and may refuse it (the loader reports values
// out of range).
func (p *eventPlan) applyEvent(cal sim.Calendar, first, last int, x []float64, sers []sim.Series, parts []*sim.Part, partIdx []int, entries map[*sim.Part][]sim.Series, check func(k, t int, old, nv float64) bool, split func(k, t int)) {
	for t := max(first, 0); t <= last; t++ {
		share := p.partial(cal, t, first, last)
		if share < 1 {
			// Keep each touched entry's values before the event.
			refused := false
			for k, pt := range parts {
				if pt == nil || (k > 0 && containsPart(parts[:k], pt)) {
					continue
				}
				if pt.Share != nil && pt.Share[t] < 1 {
					if math.Abs(pt.Share[t]-share) > 1e-12 {
						if split != nil {
							split(k, t)
						}
						refused = true
					}
					continue // the same day: the values before are kept already
				}
				fs := entries[pt]
				if pt.Share == nil {
					pt.Share, pt.Alt = make(sim.Series, cal.N), make([]sim.Series, len(fs))
					for i := range pt.Share {
						pt.Share[i] = 1
					}
				}
				for i, f := range fs {
					if len(f) != cal.N {
						continue // a bad value, already reported
					}
					if pt.Alt[i] == nil {
						pt.Alt[i] = make(sim.Series, cal.N)
					}
					pt.Alt[i][t] = f[t]
				}
				pt.Share[t] = share
			}
			if refused {
				continue
			}
		}
		ramp := p.rampAt(t, first)
		for k, op := range p.ops {
			w := ramp
			pt := parts[k]
			if pt == nil {
				w *= share
			}
			old := sers[k][t]
			nv := op.code.apply(op.enum, old, x[k], w)
			if check != nil && !check(k, t, old, nv) {
				continue
			}
			sers[k][t] = nv
			// An event over the whole of a period that an earlier event
			// split holds in its earlier part too.
			if share == 1 && pt != nil && pt.Share != nil && pt.Share[t] < 1 {
				if alt := pt.Alt[partIdx[k]]; alt != nil {
					av := op.code.apply(op.enum, alt[t], x[k], w)
					if check != nil && !check(k, t, alt[t], av) {
						continue
					}
					alt[t] = av
				}
			}
		}
	}
}

func containsPart(ps []*sim.Part, p *sim.Part) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func eventName(ev *Event, i int) string {
	if ev.ID != "" {
		return ev.ID
	}
	return fmt.Sprintf("event%d", i+1)
}

func (s *Scenario) addQuantity(q *Quantity) int {
	s.quantities = append(s.quantities, q)
	return len(s.quantities) - 1
}

// tiers returns the export-control tiers named by foreign products.
func tiers(spec *sim.Spec) []string {
	var out []string
	for _, p := range spec.Products {
		if p.Origin == "foreign" && p.Tier != "" && !contains(out, p.Tier) {
			out = append(out, p.Tier)
		}
	}
	return out
}

// targets resolves the parameters an operation changes: its path, or for
// a shortcut on a tier the parameter of every product in the tier.
func (s *Scenario) targets(ev *Event, op *Op, src *source, ids map[string][]string, errs *ErrorList) []string {
	if op.Tier != "" {
		var out []string
		for _, p := range s.Spec.Products {
			if p.Origin == "foreign" && p.Tier == op.Tier {
				out = append(out, "imports."+p.ID+"."+op.Param)
			}
		}
		if len(out) == 0 {
			all := tiers(s.Spec)
			errs.Add(pos(src, op.entityNode), "%s: no export-control tier %q%s; tiers (products.*.tier): %s", ev.Kind, op.Tier, didYouMean(op.Tier, all), strings.Join(all, ", "))
		}
		op.Targets = out
		return out
	}
	if op.entity != "" && !contains(ids[op.entity], op.entityNode.Value) {
		what := map[string]string{"imports": "foreign product", "foundry": "foundry process"}[op.entity]
		errs.Add(pos(src, op.entityNode), "%s: no %s %q%s", ev.Kind, what, op.entityNode.Value, didYouMean(op.entityNode.Value, ids[op.entity]))
		return nil
	}
	op.Targets = []string{op.Path}
	return op.Targets
}

// apply checks event i, applies its operations to the scenario's series
// with the central values of anything uncertain, and records its plan.
func apply(s *Scenario, i int, ev *Event, byPath map[string]sim.Field, paths []string, ids map[string][]string, errs *ErrorList) {
	cal := s.Spec.Calendar
	plan := eventPlan{atQ: -1, durQ: -1, ramp: ev.Ramp, dur: ev.Duration, open: !ev.HasEnd && ev.Duration == 0 && ev.durDist == nil,
		atDay: ev.AtDay, endDay: ev.EndDay}
	name := eventName(ev, i)
	earliest := 0
	if ev.atMonths != nil {
		var idx, wts []float64
		add := func(m sim.Month, w float64) bool {
			if !cal.Step.Aligned(m) {
				errs.Add(ev.atPos, "event at: %s does not start a %s of the run", sim.Monthly.Label(m), cal.Step)
				return false
			}
			t := cal.Index(m)
			if t < 0 || t >= cal.N {
				errs.Add(ev.atPos, "event at: %s is outside the run (%s to %s)", sim.Monthly.Label(m), cal.Label(0), cal.Label(cal.N-1))
				return false
			}
			idx, wts = append(idx, float64(t)), append(wts, w)
			return true
		}
		if ev.atUniform {
			// uniform over every period from min to max
			if !add(ev.atMonths[0], 1) || !add(ev.atMonths[1], 1) {
				return
			}
			idx, wts = idx[:0], wts[:0]
			for t := cal.Index(ev.atMonths[0]); t <= cal.Index(ev.atMonths[1]); t++ {
				idx, wts = append(idx, float64(t)), append(wts, 1)
			}
		} else {
			for k, m := range ev.atMonths {
				w := 1.0
				if ev.atWeights != nil {
					w = ev.atWeights[k]
				}
				if !add(m, w) {
					return
				}
			}
		}
		d, err := uq.Discrete(idx, wts)
		if err != nil {
			errs.Add(ev.atPos, "event at: %v", err)
			return
		}
		var labels []string
		for t := 0; t < cal.N; t++ {
			labels = append(labels, cal.Label(t))
		}
		plan.atQ = s.addQuantity(&Quantity{Name: name + ".at", Dist: d, Pos: ev.atPos, Unit: "period", Periods: labels})
		ev.At = cal.Month(int(d.Quantile(0.5)))
		earliest = int(idx[0])
	} else {
		if ev.AtDay.Day == 0 && !cal.Step.Aligned(ev.At) {
			errs.Add(ev.Pos, "event at %s does not start a %s of the run; date it by day (YYYY-MM-DD) to act on part of a period", sim.Monthly.Label(ev.At), cal.Step)
			return
		}
		earliest = max(0, cal.Index(ev.At))
	}
	if ev.HasEnd && ev.EndDay.Day == 0 && !cal.Step.Aligned(ev.End+1) {
		errs.Add(ev.Pos, "event end %s does not end a %s of the run; date it by day (YYYY-MM-DD) to act on part of a period", sim.Monthly.Label(ev.End), cal.Step)
		return
	}
	dur := ev.Duration
	if ev.durDist != nil {
		plan.durQ = s.addQuantity(&Quantity{Name: name + ".duration", Dist: ev.durDist, Pos: ev.durPos, Unit: "periods"})
		dur = int(ev.durDist.Quantile(0.5))
	}
	first := cal.Index(ev.At)
	plan.first = first
	plan.last = cal.N - 1
	if ev.HasEnd {
		plan.last = cal.Index(ev.End)
	}
	_, last := plan.window(first, dur, cal.N)
	// Dated by day, but a period's first (or last) day covers it whole.
	partial := (first >= 0 && first < cal.N && plan.partial(cal, first, first, last) < 1) ||
		(last >= 0 && last < cal.N && plan.partial(cal, last, first, last) < 1)
	uncertainTiming := plan.atQ >= 0 || plan.durQ >= 0
	var xs []float64
	var sers []sim.Series
	var parts []*sim.Part
	var partIdx []int
	var opPos []Pos
	for k := range ev.Ops {
		op := &ev.Ops[k]
		src := &source{display: op.Pos.File}
		targets := s.targets(ev, op, src, ids, errs)
		if len(targets) == 0 {
			continue
		}
		f, ok := byPath[targets[0]]
		if !ok || f.Num == nil {
			if ok {
				errs.Add(op.Pos, "event %s: %s is a %s, fixed for the run; events change numbers and choices", op.Kind, op.Path, f.Def.Kind)
			} else {
				errs.Add(op.Pos, "event %s: unknown parameter path %s%s", op.Kind, op.Path, nearestPaths(op.Path, paths))
			}
			continue
		}
		enum := f.Def.Kind == sim.Enum
		if enum && op.Kind != "set" {
			errs.Add(op.Pos, "event %s: %s is a choice (%s); only set applies to it", op.Kind, op.Path, strings.Join(f.Def.Enum, ", "))
			continue
		}
		if enum && ev.Ramp > 0 {
			errs.Add(op.Pos, "event: %s is a choice; a ramp cannot apply to it", op.Path)
			continue
		}
		if enum && partial && f.Part == nil {
			errs.Add(op.Pos, "event: %s is a choice that cannot change part-way through a period; date the event by period (such as 2025Q2)", op.Path)
			continue
		}
		var tsers []sim.Series
		for _, p := range targets {
			if ser := *byPath[p].Num; len(ser) == cal.N {
				tsers = append(tsers, ser)
			}
		}
		if len(tsers) != len(targets) {
			continue // a base value was bad, and reported
		}
		opq := -1
		var x float64
		switch {
		case isDist(op.Node):
			q, ok := parseValueDist(src, f, "event "+op.Kind+" "+op.Path, op.Node, errs)
			if !ok {
				continue
			}
			q.Name = name + "." + op.Path
			if op.Kind != "set" {
				q.Unit = map[string]string{"scale": "factor", "add": f.Def.Unit}[op.Kind]
			} else if !checkSupport(q, f.Def, "event set "+op.Path, errs) {
				continue
			}
			// Every value the distribution can take must keep the
			// parameter valid in every period the event may cover.
			lo, hi := q.Dist.Support()
			from, to := first, last
			if uncertainTiming {
				from, to = earliest, cal.N-1
			}
			bad := false
			for ti, ser := range tsers {
				for t := max(from, 0); t <= to && !bad; t++ {
					for _, xe := range []float64{lo, hi} {
						nv := transform(op.Kind, enum, ser[t], xe, 1)
						if math.IsNaN(nv) || (!enum && outOfRange(f.Def, nv) != "") {
							errs.Add(q.Pos, "event %s %s: with %s, the value in %s can reach %s, outside [%s, %s] (%s)",
								op.Kind, targets[ti], q.Dist, cal.Label(t), fmtNum(nv), fmtNum(f.Def.Min), fmtNum(f.Def.Max), f.Def.Unit)
							bad = true
							break
						}
					}
				}
			}
			if bad {
				continue
			}
			opq = s.addQuantity(q)
			x = q.Dist.Quantile(0.5)
		case op.Kind == "set":
			v, ok := scalar(f, op.Node, src, errs)
			if !ok {
				continue
			}
			x = v
		default:
			v, ok := number(op.Node)
			if !ok {
				errs.Add(pos(src, op.Node), "event %s %s: want a number, got %s", op.Kind, op.Path, kindName(op.Node))
				continue
			}
			x = v
		}
		op.Value = x
		for ti, target := range targets {
			plan.ops = append(plan.ops, opPlan{path: target, kind: op.Kind, code: codeOf(op.Kind), enum: enum, x: x, q: opq})
			xs = append(xs, x)
			sers = append(sers, tsers[ti])
			parts = append(parts, byPath[target].Part)
			partIdx = append(partIdx, byPath[target].PartIndex)
			opPos = append(opPos, op.Pos)
		}
	}
	// Record which event set each period of each path, and report the
	// first value an operation would put out of range.
	reported := make([]bool, len(plan.ops))
	check := func(k, t int, old, nv float64) bool {
		op := plan.ops[k]
		d := byPath[op.path].Def
		switch {
		case math.IsNaN(nv):
			if !reported[k] {
				errs.Add(opPos[k], "event %s %s: in %s the value is undefined (%s %s %s)", op.kind, op.path, cal.Label(t), fmtNum(old), map[string]string{"set": "->", "scale": "×", "add": "+"}[op.kind], fmtNum(op.x))
			}
			reported[k] = true
			return false
		case !op.enum && outOfRange(d, nv) != "":
			if !reported[k] {
				errs.Add(opPos[k], "event %s %s: the value in %s would be out of range: %s", op.kind, op.path, cal.Label(t), outOfRange(d, nv))
			}
			reported[k] = true
			return false
		}
		tr := s.touched[op.path]
		if tr == nil {
			tr = make([]int, cal.N)
			for t := range tr {
				tr[t] = -1
			}
			s.touched[op.path] = tr
		}
		tr[t] = i
		return true
	}
	s.propagateBounds(&plan, first, last, uncertainTiming, earliest, opPos, byPath, errs)
	split := func(k, t int) {
		entry := plan.ops[k].path[:strings.LastIndex(plan.ops[k].path, ".")]
		errs.Add(opPos[k], "event: %s already changes part-way through %s, from another day; chipsim keeps one change dated by day per entry and period: date one of the two by period (or both by the same day)", entry, cal.Label(t))
	}
	plan.applyEvent(cal, first, last, xs, sers, parts, partIdx, s.entries, check, split)
	s.plan = append(s.plan, plan)
}

// nearestPaths suggests the valid paths closest to p: those with the same
// prefix and a similar last part, or the closest overall.
func nearestPaths(p string, paths []string) string {
	type cand struct {
		p string
		d int
	}
	var cs []cand
	for _, q := range paths {
		cs = append(cs, cand{q, suggest.Distance(p, q)})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs {
		if len(out) == 3 || c.d > max(4, len(p)/2) {
			break
		}
		out = append(out, c.p)
	}
	if len(out) == 0 {
		return "; see chipsim params for every path"
	}
	return " (did you mean " + strings.Join(out, " or ") + "?)"
}
