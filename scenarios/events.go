package scenarios

import (
	"fmt"
	"math"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// eventKeys are the keys an event may have besides its actions.
var eventKeys = []string{"at", "end", "duration", "ramp", "name", "source", "id"}

// Shortcut describes one readable event action and what it expands to.
type Shortcut struct {
	Name string
	Doc  string
	// Entity is the collection the target key names ("imports", "foundry"),
	// or "" for a shortcut on a top-level block.
	Entity, EntityKey string
	// TierKey says the shortcut may name an export-control tier (tier:)
	// instead of one product: it then applies to every product in it.
	TierKey bool
	// Fields maps each accepted key to the parameter it changes and how.
	Fields []ShortcutField
}

// ShortcutField maps one key of a shortcut to a parameter operation.
type ShortcutField struct {
	Key, Param, Op string
}

// Shortcuts lists the readable event actions.
var Shortcuts = []Shortcut{
	{Name: "export_status", Doc: "US export status of a foreign product (product: ID) or of every product in an export-control tier (tier: NAME), with its licence terms", Entity: "imports", EntityKey: "product", TierKey: true,
		Fields: []ShortcutField{{"status", "us_status", "set"}, {"fee_share", "fee_share", "set"}, {"cap_share", "cap_share", "set"}}},
	{Name: "import_stance", Doc: "Chinese stance on imports of a foreign product (product: ID) or of every product in an export-control tier (tier: NAME)", Entity: "imports", EntityKey: "product", TierKey: true,
		Fields: []ShortcutField{{"stance", "cn_stance", "set"}, {"quota_units_per_year", "quota_units_per_year", "set"}}},
	{Name: "equipment_control", Doc: "controls on tools, servicing and spares for a domestic process", Entity: "foundry", EntityKey: "process",
		Fields: []ShortcutField{{"capacity_scale", "capacity_wpm", "scale"}, {"learning_rate", "learning_rate", "set"}}},
	{Name: "subsidy", Doc: "state support for a domestic process (Big Fund and local funds)", Entity: "foundry", EntityKey: "process",
		Fields: []ShortcutField{{"capacity_scale", "capacity_wpm", "scale"}, {"ai_share", "ai_share", "set"}}},
	{Name: "hbm_control", Doc: "US control on HBM exports to China", Entity: "",
		Fields: []ShortcutField{{"imports", "hbm.imports", "set"}, {"domestic_scale", "hbm.domestic_capacity_stacks_per_year", "scale"}}},
	{Name: "entity_listing", Doc: "US entity listing of Chinese buyers", Entity: "",
		Fields: []ShortcutField{{"listed_share", "market.listed_share", "set"}, {"affiliate_leakage", "grey.affiliate_leakage", "set"}}},
}

var opKinds = []string{"set", "scale", "add"}

func actionNames() []string {
	out := append([]string{}, opKinds...)
	for _, s := range Shortcuts {
		out = append(out, s.Name)
	}
	return out
}

// parseEvent reads an event. An event whose timing or actions cannot be
// read is reported and dropped; one with a problem that does not change
// what it does (a misspelt key, a bad ramp, a name that is not text) is
// reported and kept, so that the values it sets are checked in the same
// pass. The scenario is refused either way.
func parseEvent(src *source, n *yaml.Node, errs *ErrorList) *Event {
	if n.Kind != yaml.MappingNode {
		errs.Add(pos(src, n), "event: want a mapping with at: and an action (%s), got %s", strings.Join(actionNames(), ", "), kindName(n))
		return nil
	}
	ev := &Event{Pos: pos(src, n)}
	var hasAt, ok = false, true
	typo := false // an unknown key, reported: the event is kept without it
	var names []string
	var atText [2]string
	valid := append(append([]string{}, eventKeys...), actionNames()...)
	pairs(src, n, errs, func(key string, k, v *yaml.Node) {
		switch key {
		case "at":
			if isDist(v) {
				months, wts, uniform, good := parsePeriodDist(src, "event at", v, errs)
				ev.atMonths, ev.atWeights, ev.atUniform, ev.atPos = months, wts, uniform, pos(src, v)
				if good {
					ev.At = months[0]
				}
				hasAt, ok = good, ok && good
				atText[0] = sim.Monthly.Label(ev.At)
				return
			}
			m, day, _, good := parseWhen(src, "event at", v, errs)
			atText[0] = v.Value
			ev.At, ev.AtDay, hasAt, ok = m, day, good, ok && good
		case "duration":
			if isDist(v) {
				d, good := parseCountDist(src, "event duration", v, errs)
				ev.durDist, ev.durPos, ok = d, pos(src, v), ok && good
				return
			}
			x, good := number(v)
			if !good || x != math.Trunc(x) || x < 1 {
				errs.Add(pos(src, v), "event duration: want a whole number of periods ≥ 1 or a distribution, got %s", kindName(v))
				ok = false
				return
			}
			ev.Duration = int(x)
		case "id":
			if v.Kind != yaml.ScalarNode || !idRe.MatchString(v.Value) {
				errs.Add(pos(src, v), "event id: want a name of letters, digits, _ or -, got %s", kindName(v))
				ok = false
				return
			}
			ev.ID = v.Value
		case "end":
			m, day, g, good := parseWhen(src, "event end", v, errs)
			atText[1] = v.Value
			if day.Day > 0 {
				g = 1 // the end date's own month
			}
			ev.End, ev.EndDay, ev.HasEnd, ok = m+sim.Month(g)-1, day, good, ok && good
		case "ramp":
			r, good := number(v)
			if !good || r != float64(int(r)) || r < 0 {
				// Reported; without a ramp the event reaches every value
				// a ramp would, so its values are still checked.
				errs.Add(pos(src, v), "event ramp: want a whole number of periods ≥ 0, got %s", kindName(v))
				return
			}
			ev.Ramp = int(r)
		case "name", "source":
			if v.Kind != yaml.ScalarNode {
				errs.Add(pos(src, v), "event %s: want text, got %s", key, kindName(v))
				return
			}
			if key == "name" {
				ev.Name = v.Value
			} else {
				ev.Source = v.Value
			}
		case "set", "scale", "add":
			if !wantMapping(src, "event "+key, v, errs) {
				ok = false
				return
			}
			pairs(src, v, errs, func(p string, k2, v2 *yaml.Node) {
				ev.Ops = append(ev.Ops, Op{Path: p, Kind: key, Node: v2, Pos: pos(src, k2)})
				names = append(names, fmt.Sprintf("%s %s %s", key, p, v2.Value))
			})
			ev.Kind = key
		default:
			sc := shortcut(key)
			if sc == nil {
				errs.Add(pos(src, k), "event: unknown key %s%s; want at, end, ramp, name, source or an action: %s",
					key, didYouMean(key, valid), strings.Join(actionNames(), ", "))
				typo = true
				return
			}
			if !wantMapping(src, "event "+key, v, errs) {
				ok = false
				return
			}
			ops, label := expand(src, sc, v, errs)
			if ops == nil {
				ok = false
				return
			}
			ev.Ops = append(ev.Ops, ops...)
			ev.Kind = key
			names = append(names, label)
		}
	})
	if !hasAt || len(ev.Ops) == 0 {
		// A misspelt key may be the missing at or action: its error says
		// enough.
		switch {
		case !ok || typo:
		case !hasAt:
			errs.Add(ev.Pos, "event: missing key at (the period it starts, such as 2025Q3)")
		default:
			errs.Add(ev.Pos, "event: no action; want one of %s", strings.Join(actionNames(), ", "))
		}
		return nil
	}
	if ev.HasEnd && (ev.Duration > 0 || ev.durDist != nil) {
		errs.Add(ev.Pos, "event: give end or duration, not both")
		ok = false
	}
	if ev.HasEnd && ev.atMonths != nil {
		errs.Add(ev.Pos, "event: an uncertain start takes a duration, not an end")
		ok = false
	}
	if ev.AtDay.Day > 0 && (ev.atMonths != nil || ev.durDist != nil) {
		errs.Add(ev.Pos, "event: a start dated by day cannot be combined with an uncertain start or duration; date it by period")
		ok = false
	}
	if ev.HasEnd && (ev.End < ev.At || (ev.EndDay.Day > 0 && ev.AtDay.Day > 0 && ev.EndDay.Month == ev.AtDay.Month && ev.EndDay.Day < ev.AtDay.Day)) {
		errs.Add(ev.Pos, "event: end %s is before at %s", atText[1], atText[0])
		ok = false
	}
	if !ok {
		return nil
	}
	if ev.Name == "" {
		ev.Name = strings.Join(names, "; ")
	}
	return ev
}

func shortcut(name string) *Shortcut {
	for i := range Shortcuts {
		if Shortcuts[i].Name == name {
			return &Shortcuts[i]
		}
	}
	return nil
}

// expand turns a shortcut into parameter operations. Entity names are
// checked when the scenario is built, against the resolved catalogue.
func expand(src *source, sc *Shortcut, n *yaml.Node, errs *ErrorList) ([]Op, string) {
	var target *yaml.Node
	var keys []string
	if sc.EntityKey != "" {
		keys = append(keys, sc.EntityKey)
	}
	for _, f := range sc.Fields {
		keys = append(keys, f.Key)
	}
	type kv struct {
		f    ShortcutField
		k, v *yaml.Node
	}
	var sets []kv
	good := true
	typo := false
	isTier := false
	pairs(src, n, errs, func(key string, k, v *yaml.Node) {
		if sc.EntityKey != "" && (key == sc.EntityKey || (sc.TierKey && key == "tier")) {
			if target != nil {
				errs.Add(pos(src, k), "%s: give %s or tier, not both", sc.Name, sc.EntityKey)
				good = false
				return
			}
			target, isTier = v, key == "tier"
			return
		}
		for _, f := range sc.Fields {
			if f.Key == key {
				sets = append(sets, kv{f, k, v})
				return
			}
		}
		// Reported; the shortcut's other keys still apply, so that their
		// values are checked in the same pass.
		errs.Add(pos(src, k), "%s: unknown key %s%s; want %s", sc.Name, key, didYouMean(key, keys), strings.Join(keys, ", "))
		typo = true
	})
	if sc.EntityKey != "" && target == nil {
		if typo {
			return nil, "" // the misspelt key may be the target's
		}
		if sc.TierKey {
			errs.Add(pos(src, n), "%s: missing key %s (or tier, for every product of an export-control tier)", sc.Name, sc.EntityKey)
		} else {
			errs.Add(pos(src, n), "%s: missing key %s", sc.Name, sc.EntityKey)
		}
		return nil, ""
	}
	if target != nil && (target.Kind != yaml.ScalarNode || target.Value == "" || target.Tag == "!!null") {
		what := sc.EntityKey
		if isTier {
			what = "tier"
		}
		errs.Add(pos(src, target), "%s: %s: want a name, got %s", sc.Name, what, kindName(target))
		good = false
	}
	if !good {
		return nil, ""
	}
	if len(sets) == 0 {
		if !typo { // else the misspelt key is what it would change
			errs.Add(pos(src, n), "%s: nothing to change; want one of %s", sc.Name, strings.Join(keys[len(keys)-len(sc.Fields):], ", "))
		}
		return nil, ""
	}
	var ops []Op
	var parts []string
	label := sc.Name
	if target != nil {
		if target.Kind != yaml.ScalarNode {
			errs.Add(pos(src, target), "%s: %s: want a name, got %s", sc.Name, sc.EntityKey, kindName(target))
			return nil, ""
		}
		label = target.Value
		if isTier {
			label = "tier " + target.Value
		}
	}
	for _, s := range sets {
		p := s.f.Param
		if sc.Entity != "" {
			p = sc.Entity + "." + target.Value + "." + s.f.Param
		}
		op := Op{Path: p, Kind: s.f.Op, Node: s.v, Pos: pos(src, s.k)}
		if target != nil {
			op.entity = sc.Entity
			op.entityNode = target
		}
		if isTier {
			op.Tier, op.Param = target.Value, s.f.Param
			op.Path = "tiers." + target.Value + "." + s.f.Param
		}
		ops = append(ops, op)
		parts = append(parts, s.f.Key+" "+s.v.Value)
	}
	return ops, label + ": " + strings.Join(parts, ", ")
}

// parseWhen parses an event date: a period (2025Q3, 2025-07, 2025) or a
// day (2025-04-15). A day comes back as the Day and its month, with the
// step Monthly.
func parseWhen(src *source, what string, n *yaml.Node, errs *ErrorList) (sim.Month, sim.Day, sim.Step, bool) {
	if n.Kind == yaml.ScalarNode && strings.Count(n.Value, "-") == 2 {
		d, err := sim.ParseDay(n.Value)
		if err != nil {
			errs.Add(pos(src, n), "%s: %q is not a date: want YYYY-MM-DD, such as 2025-04-15", what, n.Value)
			return 0, sim.Day{}, 0, false
		}
		return d.Month, d, sim.Monthly, true
	}
	if n.Kind != yaml.ScalarNode {
		errs.Add(pos(src, n), "%s: want a period such as 2025Q3, 2025-07 or 2025, or a date such as 2025-04-15, got %s", what, kindName(n))
		return 0, sim.Day{}, 0, false
	}
	m, g, err := sim.ParseMonth(n.Value)
	if err != nil {
		errs.Add(pos(src, n), "%s: %q is not a period or a date: want 2025Q3, 2025-07, 2025 or 2025-04-15", what, n.Value)
		return 0, sim.Day{}, 0, false
	}
	return m, sim.Day{}, g, true
}

// idPos returns where an event mapping gives its id.
func idPos(src *source, n *yaml.Node) (Pos, bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" {
			return pos(src, n.Content[i+1]), true
		}
	}
	return Pos{}, false
}

// checkEventIDs reports an event id given to two events of a scenario's
// extends chain (events is root first): the id names the event's
// uncertain inputs in correlations and results, where two events with one
// id would be two inputs with one name.
func checkEventIDs(events []*Event, at map[*Event]Pos, errs *ErrorList) {
	first := map[string]Pos{}
	for _, ev := range events {
		if ev.ID == "" {
			continue
		}
		p := at[ev]
		if p.File == "" {
			p = ev.Pos
		}
		prev, dup := first[ev.ID]
		if !dup {
			first[ev.ID] = p
			continue
		}
		where := fmt.Sprintf("line %d", prev.Line)
		if prev.File != p.File {
			where = prev.String()
		}
		errs.Add(p, "event id %s is already the id of the event at %s; give each event its own id", ev.ID, where)
	}
}

// warnEventsOutside warns about each event of the scenario's own file
// that is wholly outside the run's span: it starts after the run ends, or
// ends before it starts, so it changes nothing, most likely because of a
// typo in its dates or in time. The events of a file it extends are left
// alone: a scenario that shortens its parent's run leaves the parent's
// later events out on purpose. An event with an uncertain start is checked
// when it is built (each start it may take must be in the run).
func (s *Scenario) warnEventsOutside() {
	cal := s.Spec.Calendar
	first, last := cal.Month(0), cal.End()
	for _, ev := range s.Events {
		if ev.atMonths != nil || ev.Pos.File != s.File {
			continue
		}
		end, ends := ev.End, ev.HasEnd
		switch {
		case ev.Duration > 0:
			end, ends = ev.At+sim.Month(ev.Duration*int(cal.Step))-1, true
		case ev.durDist != nil:
			_, hi := ev.durDist.Support()
			end, ends = ev.At+sim.Month(int(hi)*int(cal.Step))-1, true
		}
		label := cal.Step.Label // the period that holds a month
		var when string
		switch {
		case ev.At > last:
			when = "starts in " + label(ev.At) + ", after the run ends"
		case ends && end < first:
			when = "ends in " + label(end) + ", before the run starts"
		default:
			continue
		}
		s.Warnings = append(s.Warnings, Warning{Pos: ev.Pos, Msg: fmt.Sprintf(
			"event %q %s (%s to %s): it changes nothing; check its dates and time.start and time.end",
			ev.Name, when, cal.Label(0), cal.Label(cal.N-1))})
	}
}
