package scenarios

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"go.yaml.in/yaml/v3"
)

// Load reads a scenario by reference: a shipped name such as "baseline", or
// a path to a YAML file. Errors in the files are returned as an ErrorList.
func Load(ref string) (*Scenario, error) {
	if IsPath(ref) {
		data, err := os.ReadFile(ref)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", ref, unwrapPathError(err))
		}
		return Parse(ref, data)
	}
	data, ok := ShippedSource(ref)
	if !ok {
		return nil, fmt.Errorf("no shipped scenario %q%s; shipped: %s; a file path must end in .yaml or contain a slash",
			ref, didYouMean(ref, ShippedNames()), strings.Join(ShippedNames(), ", "))
	}
	return parse(&source{display: ShippedDir + "/" + ref + ".yaml", shipped: true, name: ref + ".yaml"}, data)
}

// Parse reads a scenario file's text. name is the file's path, used in
// messages and to resolve a relative extends.
func Parse(name string, data []byte) (*Scenario, error) {
	return parse(&source{display: name, name: name}, data)
}

type source struct {
	display string // as shown in messages
	name    string // as opened: a path, or a name in the shipped FS
	shipped bool
}

func (s *source) id() string {
	if s.shipped {
		return "shipped:" + s.name
	}
	if a, err := filepath.Abs(s.name); err == nil {
		return a
	}
	return s.name
}

// layer is one file of an extends chain, flattened.
type layer struct {
	src         *source
	name        *Value
	description *Value
	extends     *Value
	time        map[string]*Value
	params      map[string]*Value
	entries     map[string][]entry
	events      []*Event
	corr        []corrSpec
}

type entry struct {
	id  string
	pos Pos
}

// merged is the result of overlaying a chain of layers, root first.
type merged struct {
	chain       []string
	name        *Value
	description *Value
	time        map[string]*Value
	params      map[string]*Value
	entries     map[string][]entry
	events      []*Event
	corr        []corrSpec
	top         *source
	history     map[string][]*Value // every file's value of a path, root first
}

func parse(src *source, data []byte) (*Scenario, error) {
	var errs ErrorList
	m := loadChain(src, data, nil, Pos{}, &errs)
	if m == nil {
		return nil, errs.Err()
	}
	// Build even after key errors, so that value and event problems are
	// reported in the same pass.
	s := build(m, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func loadChain(src *source, data []byte, seen []*source, from Pos, errs *ErrorList) *merged {
	for _, s := range seen {
		if s.id() == src.id() {
			var names []string
			for _, s2 := range seen {
				names = append(names, s2.display)
			}
			errs.Add(from, "extends cycle: %s -> %s", strings.Join(names, " -> "), src.display)
			return nil
		}
	}
	l := flatten(src, data, errs)
	if l == nil {
		return nil
	}
	seen = append(seen, src)
	var base *merged
	if l.extends != nil {
		ref := l.extends.Node.Value
		var psrc *source
		var pdata []byte
		var err error
		switch {
		case ref == "":
			errs.Add(l.extends.Pos, "extends: want the name of a shipped scenario or a path to a .yaml file")
			return nil
		case IsPath(ref) && src.shipped:
			psrc = &source{display: ShippedDir + "/" + path_clean(ref), name: path_clean(ref), shipped: true}
			pdata, err = fs.ReadFile(shipped, psrc.name)
		case IsPath(ref):
			p := ref
			if !filepath.IsAbs(ref) {
				p = filepath.Join(filepath.Dir(src.name), ref)
			}
			psrc = &source{display: p, name: p}
			pdata, err = os.ReadFile(p)
		default:
			var ok bool
			pdata, ok = ShippedSource(ref)
			if !ok {
				errs.Add(l.extends.Pos, "extends: no shipped scenario %q%s; a file path must end in .yaml or contain a slash", ref, didYouMean(ref, ShippedNames()))
				return nil
			}
			psrc = &source{display: ShippedDir + "/" + ref + ".yaml", name: ref + ".yaml", shipped: true}
		}
		if err != nil {
			errs.Add(l.extends.Pos, "extends: cannot read %s: %v", psrc.display, unwrapPathError(err))
			return nil
		}
		base = loadChain(psrc, pdata, seen, l.extends.Pos, errs)
		if base == nil {
			return nil
		}
	}
	return overlay(base, l)
}

func path_clean(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func overlay(base *merged, l *layer) *merged {
	if base == nil {
		base = &merged{time: map[string]*Value{}, params: map[string]*Value{}, entries: map[string][]entry{}, history: map[string][]*Value{}}
	}
	base.chain = append([]string{l.src.display}, base.chain...)
	base.top = l.src
	// A name and description belong to one file: a child that gives none
	// is named after its file, not after the scenario it extends.
	base.name = l.name
	base.description = l.description
	for k, v := range l.time {
		base.time[k] = v
	}
	for k, v := range l.params {
		base.params[k] = v
		base.history[k] = append(base.history[k], v)
	}
	for coll, ents := range l.entries {
	next:
		for _, e := range ents {
			for _, have := range base.entries[coll] {
				if have.id == e.id {
					continue next
				}
			}
			base.entries[coll] = append(base.entries[coll], e)
		}
	}
	base.events = append(base.events, l.events...)
	base.corr = append(base.corr, l.corr...)
	return base
}

var lineRe = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

var idRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

var topKeys = []string{"name", "description", "extends", "time", "events", "correlations"}

func pos(src *source, n *yaml.Node) Pos { return Pos{File: src.display, Line: n.Line, Col: n.Column} }

func comment(k, v *yaml.Node) string {
	for _, c := range []string{v.LineComment, k.LineComment, v.HeadComment, k.HeadComment} {
		if c = strings.TrimSpace(c); c != "" {
			lines := strings.Split(c, "\n")
			c = strings.TrimSpace(strings.TrimLeft(lines[len(lines)-1], "#"))
			if c != "" {
				return c
			}
		}
	}
	return ""
}

// pairs walks a mapping node's key/value pairs, reporting duplicate keys
// and keys that are not plain strings.
func pairs(src *source, n *yaml.Node, errs *ErrorList, f func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			errs.Add(pos(src, k), "want a plain key, got %s", kindName(k))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			errs.Add(pos(src, k), "key %s is set twice (first on line %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		f(k.Value, k, v)
	}
}

// KindName describes a YAML node for messages, with its article: "a list",
// "an empty list", "the number 5", "the text \"fast\"".
func KindName(n *yaml.Node) string { return kindName(n) }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return "an empty list"
		}
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the value " + n.Value
		case "!!null":
			return "an empty value"
		}
		return fmt.Sprintf("the text %q", n.Value)
	}
	return "a document"
}

func wantMapping(src *source, key string, n *yaml.Node, errs *ErrorList) bool {
	if n.Kind != yaml.MappingNode {
		errs.Add(pos(src, n), "%s: want a mapping of keys to values, got %s", key, kindName(n))
		return false
	}
	return true
}

func flatten(src *source, data []byte, errs *ErrorList) *layer {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := Pos{File: src.display, Line: 1, Col: 1}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			if m[2] != "" {
				p.Col, _ = strconv.Atoi(m[2])
			}
			msg = strings.TrimSpace(lineRe.ReplaceAllString(msg, ""))
			msg = strings.TrimPrefix(msg, ": ")
		}
		errs.Add(p, "not valid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		errs.Add(Pos{File: src.display, Line: 1, Col: 1}, "empty file: want a scenario mapping with time, parameters and events")
		return nil
	}
	root := doc.Content[0]
	if !wantMapping(src, "scenario", root, errs) {
		return nil
	}
	l := &layer{src: src, time: map[string]*Value{}, params: map[string]*Value{}, entries: map[string][]entry{}}
	var valid []string
	valid = append(valid, topKeys...)
	for _, b := range sim.Blocks {
		valid = append(valid, b.Name)
	}
	pairs(src, root, errs, func(key string, k, v *yaml.Node) {
		val := &Value{Node: v, Pos: pos(src, v), Source: comment(k, v)}
		switch key {
		case "name", "description", "extends":
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				errs.Add(pos(src, v), "%s: want text, got %s", key, kindName(v))
				return
			}
			switch key {
			case "name":
				l.name = val
			case "description":
				l.description = val
			default:
				l.extends = val
			}
		case "time":
			if !wantMapping(src, key, v, errs) {
				return
			}
			pairs(src, v, errs, func(tk string, k2, v2 *yaml.Node) {
				switch tk {
				case "start", "end", "step":
					l.time[tk] = &Value{Node: v2, Pos: pos(src, v2), Source: comment(k2, v2)}
				default:
					errs.Add(pos(src, k2), "time: unknown key %s%s; want start, end or step", tk, didYouMean(tk, []string{"start", "end", "step"}))
				}
			})
		case "correlations":
			if v.Kind != yaml.SequenceNode {
				errs.Add(pos(src, v), "correlations: want a list of [input, input, rank correlation], got %s", kindName(v))
				return
			}
			for _, e := range v.Content {
				if c, ok := parseCorr(src, e, errs); ok {
					l.corr = append(l.corr, c)
				}
			}
		case "events":
			if v.Kind != yaml.SequenceNode {
				errs.Add(pos(src, v), "events: want a list of events, got %s", kindName(v))
				return
			}
			for _, e := range v.Content {
				if ev := parseEvent(src, e, errs); ev != nil {
					l.events = append(l.events, ev)
				}
			}
		default:
			b, ok := sim.BlockByName(key)
			if !ok {
				errs.Add(pos(src, k), "unknown key %s%s", key, didYouMean(key, valid))
				return
			}
			if !wantMapping(src, key, v, errs) {
				return
			}
			if !b.Collection {
				flattenFields(src, key+".", b.Defs, v, l.params, errs)
				return
			}
			pairs(src, v, errs, func(id string, k2, v2 *yaml.Node) {
				if !idRe.MatchString(id) {
					errs.Add(pos(src, k2), "%s: name %q: want a letter followed by letters, digits, _ or -", key, id)
					return
				}
				l.entries[key] = append(l.entries[key], entry{id: id, pos: pos(src, k2)})
				if wantMapping(src, key+"."+id, v2, errs) {
					flattenFields(src, key+"."+id+".", b.Defs, v2, l.params, errs)
				}
			})
		}
	})
	return l
}

// replaced names keys that model v2 replaced, with what replaced them.
var replaced = map[string]string{
	"hbm.domestic_stacks_per_year": "replaced by hbm.domestic_capacity_stacks_per_year (stacks/year) and hbm.domestic_yield (share): good stacks = capacity x yield",
}

func flattenFields(src *source, prefix string, defs []sim.FieldDef, n *yaml.Node, out map[string]*Value, errs *ErrorList) {
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	pairs(src, n, errs, func(key string, k, v *yaml.Node) {
		if why, ok := replaced[prefix+key]; ok {
			errs.Add(pos(src, k), "%s: key %s was %s", strings.TrimSuffix(prefix, "."), key, why)
			return
		}
		for _, d := range defs {
			if d.Name == key {
				out[prefix+key] = &Value{Node: v, Pos: pos(src, v), Source: comment(k, v)}
				return
			}
		}
		errs.Add(pos(src, k), "%s: unknown key %s%s", strings.TrimSuffix(prefix, "."), key, didYouMean(key, names))
	})
}

// parseMonth parses a period value node.
func parseMonth(src *source, what string, n *yaml.Node, errs *ErrorList) (sim.Month, sim.Step, bool) {
	if n.Kind != yaml.ScalarNode {
		errs.Add(pos(src, n), "%s: want a period such as 2025Q3, 2025-07 or 2025, got %s", what, kindName(n))
		return 0, 0, false
	}
	m, g, err := sim.ParseMonth(n.Value)
	if err != nil {
		errs.Add(pos(src, n), "%s: %q is not a period: want 2025Q3, 2025-07 or 2025", what, n.Value)
		return 0, 0, false
	}
	return m, g, true
}

// number parses a scalar node as a float64: integers, decimals, exponents,
// underscores between digits and .inf are accepted.
func number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	s := strings.ReplaceAll(n.Value, "_", "")
	switch strings.ToLower(s) {
	case ".inf", "+.inf":
		return math.Inf(1), true
	case "-.inf":
		return math.Inf(-1), true
	case ".nan":
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if i, err2 := strconv.ParseInt(s, 0, 64); err2 == nil {
			return float64(i), true
		}
		return 0, false
	}
	return v, true
}
