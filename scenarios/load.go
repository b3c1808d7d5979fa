package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	goparser "github.com/goccy/go-yaml/parser"
	gotoken "github.com/goccy/go-yaml/token"
	"go.yaml.in/yaml/v3"

	"github.com/chipsim/chipsim/sim"
)

// Load reads a scenario by reference: a shipped name such as "baseline", or
// a path to a YAML file. Errors in the files are returned as an ErrorList.
func Load(ref string) (*Scenario, error) {
	if IsPath(ref) {
		data, err := readLimited(ref, "a scenario file", false)
		var lim limitError
		switch {
		case errors.As(err, &lim):
			return nil, lim
		case err != nil:
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
// messages and to resolve a relative extends. The text may hold at most
// MaxFileSize bytes.
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
	eventIDs    map[*Event]Pos // where each event's id is written
	eventsAt    Pos            // the events key
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
	eventIDs    map[*Event]Pos
	eventsAt    Pos // the events key of the file that took the count past MaxEvents
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
	if len(m.events) > MaxEvents {
		errs.Add(m.eventsAt, "events: the extends chain %s has %d events, more than the %d a scenario may have", strings.Join(m.chain, " -> "), len(m.events), MaxEvents)
		return nil, errs.Err()
	}
	checkEventIDs(m.events, m.eventIDs, &errs)
	// Build even after key errors, so that value and event problems are
	// reported in the same pass.
	s := build(m, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.merged = m
	s.warnEventsOutside()
	return s, nil
}

func loadChain(src *source, data []byte, seen []*source, from Pos, errs *ErrorList) *merged {
	var names []string
	for _, s := range seen {
		names = append(names, s.display)
	}
	for _, s := range seen {
		if s.id() == src.id() {
			errs.Add(from, "extends cycle: %s -> %s", strings.Join(names, " -> "), src.display)
			return nil
		}
	}
	if len(seen) >= MaxExtendsDepth {
		errs.Add(from, "extends: %s would be file %d of the extends chain, and a chain may have at most %d files: %s -> ...",
			src.display, len(seen)+1, MaxExtendsDepth, strings.Join(names[:min(3, len(names))], " -> "))
		return nil
	}
	l := flatten(src, data, len(seen) > 0, errs)
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
			// Only a regular file: a device (/dev/zero) or a pipe
			// (/dev/stdin) could be read without end.
			pdata, err = readLimited(p, "a scenario file", true)
		default:
			var ok bool
			pdata, ok = ShippedSource(ref)
			if !ok {
				errs.Add(l.extends.Pos, "extends: no shipped scenario %q%s; a file path must end in .yaml or contain a slash", ref, didYouMean(ref, ShippedNames()))
				return nil
			}
			psrc = &source{display: ShippedDir + "/" + ref + ".yaml", name: ref + ".yaml", shipped: true}
		}
		var lim limitError
		switch {
		case errors.As(err, &lim):
			errs.Add(l.extends.Pos, "extends: %v", lim)
			return nil
		case err != nil:
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
	if len(base.events) <= MaxEvents && len(base.events)+len(l.events) > MaxEvents {
		base.eventsAt = l.eventsAt
	}
	base.events = append(base.events, l.events...)
	if base.eventIDs == nil {
		base.eventIDs = map[*Event]Pos{}
	}
	for ev, p := range l.eventIDs {
		base.eventIDs[ev] = p
	}
	base.corr = append(base.corr, l.corr...)
	return base
}

var lineRe = regexp.MustCompile(`^line (\d+): `)

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
		if x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); n.Style == 0 && errors.Is(err, strconv.ErrRange) && math.IsInf(x, 0) {
			return fmt.Sprintf("the number %s, out of range for a float (at most ±%.4g)", n.Value, math.MaxFloat64)
		}
		return "the text " + quoteShort(n.Value)
	}
	return "a document"
}

// maxQuoted is the most characters of a text that messages quote.
const maxQuoted = 60

// quoteShort quotes s for a message, cut to maxQuoted characters: a
// value of many lines is named, not printed.
func quoteShort(s string) string {
	r := []rune(s)
	if len(r) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(string(r[:maxQuoted])) + fmt.Sprintf("... (%d characters)", len(r))
}

// shapeName describes a node by its kind alone, quoting none of its text.
func shapeName(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "an empty value"
	case n.Kind == yaml.ScalarNode:
		return "a single value (text or a number)"
	}
	return kindName(n)
}

func wantMapping(src *source, key string, n *yaml.Node, errs *ErrorList) bool {
	if n.Kind != yaml.MappingNode {
		errs.Add(pos(src, n), "%s: want a mapping of keys to values, got %s", key, kindName(n))
		return false
	}
	return true
}

// flatten reads one file of an extends chain; extended says another file
// extends it.
func flatten(src *source, data []byte, extended bool, errs *ErrorList) *layer {
	root, err := decodeYAML(src.display, "a scenario file", data)
	if err != nil {
		*errs = append(*errs, err)
		if root == nil {
			return nil
		}
	}
	if root == nil {
		errs.Add(Pos{File: src.display, Line: 1, Col: 1}, "empty file: want a scenario mapping with time, parameters and events")
		return nil
	}
	if root.Kind != yaml.MappingNode {
		// Say what the file holds, not what it says: an extends may name
		// any file (/etc/passwd), and its text is no business of a message.
		errs.Add(pos(src, root), "scenario: want a mapping of keys to values, got %s", shapeName(root))
		return nil
	}
	l := &layer{src: src, time: map[string]*Value{}, params: map[string]*Value{}, entries: map[string][]entry{}, eventIDs: map[*Event]Pos{}}
	var valid []string
	valid = append(valid, topKeys...)
	for _, b := range sim.Blocks {
		valid = append(valid, b.Name)
	}
	if extended && !anyKey(root, valid) {
		// Not a scenario (an extends may name any file): its keys are its
		// text, not misspellings to list one by one.
		errs.Add(pos(src, root), "not a scenario file: none of its %d keys is a scenario's (%s, or a block such as %s)",
			len(root.Content)/2, strings.Join(topKeys, ", "), sim.Blocks[0].Name)
		return nil
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
			checkCorrPairs(l.corr, errs)
		case "events":
			if v.Kind != yaml.SequenceNode {
				errs.Add(pos(src, v), "events: want a list of events, got %s", kindName(v))
				return
			}
			l.eventsAt = pos(src, k)
			if len(v.Content) > MaxEvents {
				errs.Add(pos(src, k), "events: %d events, more than the %d a scenario may have", len(v.Content), MaxEvents)
				return
			}
			for _, e := range v.Content {
				if ev := parseEvent(src, e, errs); ev != nil {
					l.events = append(l.events, ev)
					if p, ok := idPos(src, e); ok && ev.ID != "" {
						l.eventIDs[ev] = p
					}
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

// limitError is a file refused before it is parsed: too large, or not a
// regular file. Its message names the file and the limit.
type limitError string

func (e limitError) Error() string { return string(e) }

// ReadFile reads a file that a user names, of the kind kind ("a sweep
// file"), refusing one larger than MaxFileSize with an error that names
// the file and the limit, rather than reading it all: a device or pipe,
// which has no size to look at, is read up to the limit, so that
// /dev/zero ends. A file that cannot be opened gives os.Open's
// *fs.PathError.
func ReadFile(path, kind string) ([]byte, error) { return readLimited(path, kind, false) }

// readLimited reads the file at path, refusing one larger than
// MaxFileSize. With regular set it refuses anything but a regular file
// before opening it: a directory, a device such as /dev/zero, a pipe such
// as /dev/stdin. Otherwise a device or pipe is read up to the limit, so
// that chipsim run <(generate) works but /dev/zero ends.
func readLimited(path, kind string, regular bool) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkFile(path, kind, st, regular); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have changed since it was looked at.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if err := checkFile(path, kind, st, regular); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, limitError(fmt.Sprintf("%s holds more than the %s %s may have", path, sizeText(MaxFileSize), kind))
	}
	return data, nil
}

func checkFile(path, kind string, st fs.FileInfo, regular bool) error {
	mode := st.Mode()
	switch {
	case mode.IsRegular():
		if st.Size() > MaxFileSize {
			return limitError(fmt.Sprintf("%s is %s, more than the %s %s may have", path, sizeText(st.Size()), sizeText(MaxFileSize), kind))
		}
		return nil
	case mode.IsDir():
		return limitError(fmt.Sprintf("%s is a folder, not %s", path, kind))
	case !regular:
		return nil
	}
	what := "not a regular file"
	switch {
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	}
	return limitError(fmt.Sprintf("%s is %s, not %s: an extended file must be a regular file", path, what, kind))
}

// sizeText formats a size in bytes: "4 MiB", "50.2 MiB", or in bytes
// when rounding would hide the difference with a whole MiB.
func sizeText(n int64) string {
	switch x := fmt.Sprintf("%.1f", float64(n)/(1<<20)); {
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20 && !strings.HasSuffix(x, ".0"):
		return x + " MiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// DecodeYAML parses data, the text of the file named file, as the one
// YAML document such a file holds, and returns its top node (nil for a
// file of nothing but comments). kind names the file for messages, such
// as "a checks file". It refuses text longer than MaxFileSize, reports
// a syntax error at the line and column of the offending character, and
// refuses a second document (after a --- line) at its start, rather than
// ignoring it. The error is an ErrorList of one positioned error; with
// an error about a second document, the first is returned too, so that
// its own problems can be reported with it.
func DecodeYAML(file, kind string, data []byte) (*yaml.Node, error) {
	n, err := decodeYAML(file, kind, data)
	if err != nil {
		return n, ErrorList{err}
	}
	return n, nil
}

func decodeYAML(file, kind string, data []byte) (*yaml.Node, *Error) {
	at := func(line, col int, format string, a ...any) *Error {
		return &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: fmt.Sprintf(format, a...)}
	}
	if len(data) > MaxFileSize {
		return nil, at(1, 1, "%s is %s, more than the %s %s may have", file, sizeText(int64(len(data))), sizeText(MaxFileSize), kind)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		line, col, msg := syntaxError(data, err)
		return nil, at(line, col, "not valid YAML: %s", msg)
	}
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return root, at(extra.Line, extra.Column, "a second YAML document starts here, and %s holds one: remove this --- line, or put the second document in a file of its own", kind)
	case !errors.Is(err, io.EOF):
		line, col, msg := syntaxError(data, err)
		return root, at(line, col, "not valid YAML: %s", msg)
	}
	return root, nil
}

// syntaxError finds where in data the YAML syntax error err (from
// go.yaml.in/yaml/v3) is, and returns its line, column and message.
//
// yaml/v3 reports a line without a column, and for errors found while
// parsing a construct, the line where the construct began, counted from
// zero: often a line or more early. The error is located by parsing the
// text again with github.com/goccy/go-yaml, whose syntax errors carry the
// offending token's position, corrected for the errors where that token
// is not the offending character. The message stays yaml/v3's, with a
// hint for the common mistakes.
func syntaxError(data []byte, err error) (line, col int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	line = 1
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	t := newYAMLText(data)
	l, c, hint := locateSyntaxError(t, msg, line)
	if l < 1 || l > len(t.lines) {
		l, c, hint = line, 0, ""
	}
	if c < 1 {
		c = t.firstNonBlank(l)
	}
	return l, c, msg + hint
}

// yamlText is a file's text split in lines, for finding positions in it.
type yamlText struct {
	data  []byte
	lines []int // byte offset of each line's start
}

func newYAMLText(data []byte) *yamlText {
	t := &yamlText{data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// line returns line l (from 1) without its end of line.
func (t *yamlText) line(l int) string {
	if l < 1 || l > len(t.lines) {
		return ""
	}
	end := len(t.data)
	if l < len(t.lines) {
		end = t.lines[l]
	}
	return strings.TrimRight(string(t.data[t.lines[l-1]:end]), "\r\n")
}

// pos returns the line and column (from 1, in characters) of byte offset i.
func (t *yamlText) pos(i int) (int, int) {
	l := sort.Search(len(t.lines), func(k int) bool { return t.lines[k] > i }) // lines[l-1] <= i
	return l, utf8.RuneCount(t.data[t.lines[l-1]:i]) + 1
}

// offset returns the byte offset of line l, column c, or -1.
func (t *yamlText) offset(l, c int) int {
	if l < 1 || l > len(t.lines) || c < 1 {
		return -1
	}
	i := t.lines[l-1]
	for k := 1; k < c && i < len(t.data) && t.data[i] != '\n'; k++ {
		_, n := utf8.DecodeRune(t.data[i:])
		i += n
	}
	return i
}

func (t *yamlText) firstNonBlank(l int) int {
	s := t.line(l)
	if i := strings.IndexFunc(s, func(r rune) bool { return r != ' ' && r != '\t' }); i >= 0 {
		return utf8.RuneCountInString(s[:i]) + 1
	}
	return 1
}

var anchorRe = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// locateSyntaxError returns the line and column of the syntax error msg
// that yaml/v3 reported at line, and a hint to add to the message; a
// column of 0 when only the line is known.
func locateSyntaxError(t *yamlText, msg string, line int) (l, c int, hint string) {
	defer func() {
		if recover() != nil { // go-yaml is asked only where to look
			l, c, hint = line, 0, ""
		}
	}()
	// A tab where YAML wants spaces: yaml/v3's line is that of the tab, or
	// of the scalar before it.
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		for k := line; k <= len(t.lines) && k <= line+1; k++ {
			s := t.line(k)
			indent := s[:len(s)-len(strings.TrimLeft(s, " \t"))]
			if i := strings.IndexByte(indent, '\t'); i >= 0 {
				return k, i + 1, "; indent with spaces, not tabs"
			}
		}
	}
	// An alias of an anchor never defined: the first *NAME.
	if m := anchorRe.FindStringSubmatch(msg); m != nil {
		re := regexp.MustCompile(`\*` + regexp.QuoteMeta(m[1]) + `($|[\s,\]}])`)
		if loc := re.FindIndex(t.data); loc != nil {
			l, c := t.pos(loc[0])
			return l, c, ""
		}
	}
	tokens := lexer.Tokenize(string(t.data))
	// A flow mapping or list never closed: its opening { or [.
	for _, b := range []struct{ open, close string }{{"{", "}"}, {"[", "]"}} {
		if strings.Contains(msg, "expected ',' or '"+b.close+"'") {
			if tk := unclosed(tokens, b.open); tk != nil {
				return tk.Position.Line, tk.Position.Column, "; the " + b.open + " here is never closed"
			}
		}
	}
	// A flow mapping with a comma missing between two entries: the key
	// after the missing comma.
	if strings.Contains(msg, "expected ',' or '}'") {
		if i := missingComma(t, tokens); i >= 0 {
			l, c := t.pos(i)
			return l, c, "; is a comma missing before this key?"
		}
	}
	_, err := goparser.Parse(tokens, 0)
	var se *goyaml.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return line, 0, ""
	}
	p := se.Token.Position
	l, c = p.Line, p.Column
	switch {
	case strings.HasPrefix(se.Message, "mapping value is not allowed"):
		// go-yaml names the scalar before the colon that may not be there.
		if i := t.offset(l, c); i >= 0 {
			for j := i; j < len(t.data); j++ {
				if t.data[j] == ':' && (j+1 == len(t.data) || strings.IndexByte(" \t\r\n", t.data[j+1]) >= 0) {
					l, c = t.pos(j)
					return l, c, ""
				}
			}
		}
	case strings.HasPrefix(se.Message, "could not find end character of"):
		if i := t.offset(l, c); i >= 0 {
			for i < len(t.data) && (t.data[i] == ' ' || t.data[i] == '\t') {
				i++
			}
			if i < len(t.data) && (t.data[i] == '"' || t.data[i] == '\'') {
				l, c = t.pos(i)
				return l, c, "; the quote here is never closed"
			}
		}
	}
	return l, c, ""
}

// unclosed returns the first flow collection opened by open ("{" or "[")
// in tokens and never closed.
func unclosed(tokens gotoken.Tokens, open string) *gotoken.Token {
	var stack []*gotoken.Token
	var never []*gotoken.Token
	for _, tk := range tokens {
		switch tk.Type {
		case gotoken.MappingStartType, gotoken.SequenceStartType:
			stack = append(stack, tk)
		case gotoken.MappingEndType, gotoken.SequenceEndType:
			want := gotoken.MappingStartType
			if tk.Type == gotoken.SequenceEndType {
				want = gotoken.SequenceStartType
			}
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].Type == want {
					never = append(never, stack[k+1:]...)
					stack = stack[:k]
					break
				}
			}
		}
	}
	never = append(never, stack...)
	sort.SliceStable(never, func(i, j int) bool { return never[i].Position.Offset < never[j].Position.Offset })
	for _, tk := range never {
		if tk.Value == open {
			return tk
		}
	}
	return nil
}

// missingComma returns the byte offset of the first key of a flow mapping
// written after another entry with no comma between them ({a: 1 b: 2}
// reads as a: "1 b" followed by a second colon), or -1.
func missingComma(t *yamlText, tokens gotoken.Tokens) int {
	type flow struct{ mapping, colon bool }
	var stack []flow
	for _, tk := range tokens {
		switch tk.Type {
		case gotoken.MappingStartType, gotoken.SequenceStartType:
			stack = append(stack, flow{mapping: tk.Type == gotoken.MappingStartType})
		case gotoken.MappingEndType, gotoken.SequenceEndType:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case gotoken.CollectEntryType:
			if len(stack) > 0 {
				stack[len(stack)-1].colon = false
			}
		case gotoken.StringType:
			// go-yaml reads the rest of the entry as one text.
			if len(stack) == 0 || !stack[len(stack)-1].mapping || !stack[len(stack)-1].colon {
				continue
			}
			k := strings.Index(tk.Value, ": ")
			i := t.offset(tk.Position.Line, tk.Position.Column)
			if k < 0 || i < 0 || i+k > len(t.data) || string(t.data[i:i+k]) != tk.Value[:k] {
				continue
			}
			return i + strings.LastIndexAny(tk.Value[:k], " \t") + 1
		case gotoken.MappingValueType:
			if len(stack) == 0 || !stack[len(stack)-1].mapping {
				continue
			}
			if !stack[len(stack)-1].colon {
				stack[len(stack)-1].colon = true
				continue
			}
			// The word before this colon is the key that wants a comma
			// before it.
			j := t.offset(tk.Position.Line, tk.Position.Column)
			for j > 0 && (t.data[j-1] == ' ' || t.data[j-1] == '\t') {
				j--
			}
			for j > 0 && strings.IndexByte(" \t\r\n{,", t.data[j-1]) < 0 {
				j--
			}
			return j
		}
	}
	return -1
}

// anyKey reports whether mapping n has one of keys.
func anyKey(n *yaml.Node, keys []string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if contains(keys, n.Content[i].Value) {
			return true
		}
	}
	return false
}
