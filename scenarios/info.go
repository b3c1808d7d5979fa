package scenarios

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chipsim/chipsim/sim"
)

// Param is a parameter of a scenario as chipsim params lists it.
type Param struct {
	Path    string `json:"path"`
	Value   string `json:"value"` // as written: a number, a choice or a schedule
	Unit    string `json:"unit"`
	Meaning string `json:"meaning"`
	Source  string `json:"source"` // the comment beside it in the file
}

// Params is a list of parameters, printed as rows of path, value, unit,
// meaning and source.
type Params []Param

// Columns names the columns of Rows.
func (ps Params) Columns() []string { return []string{"path", "value", "unit", "meaning", "source"} }

// Rows gives a row per parameter.
func (ps Params) Rows() [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = []string{p.Path, p.Value, p.Unit, p.Meaning, p.Source}
	}
	return out
}

// Params lists the scenario's parameters whose paths contain grep (every
// one for "").
func (s *Scenario) Params(grep string) Params {
	var out Params
	for _, f := range s.Spec.Fields() {
		if grep != "" && !strings.Contains(f.Path, grep) {
			continue
		}
		p := Param{Path: f.Path, Unit: f.Def.Unit, Meaning: f.Def.Doc}
		if v := s.Values[f.Path]; v != nil {
			p.Value, p.Source = NodeText(v.Node), v.Source
		}
		if f.Def.Kind == sim.Enum {
			p.Unit = strings.Join(f.Def.Enum, "|")
		} else if p.Unit == "" {
			p.Unit = f.Def.Kind.String()
		}
		out = append(out, p)
	}
	return out
}

// Difference is one way two scenarios differ: their calendars, a
// parameter, or an event only one has.
type Difference struct {
	Kind string `json:"kind"` // time, param or event
	Item string `json:"item"` // the path, or the event's period and name
	A    string `json:"a"`    // the first scenario's value ("(none)" if unset); for an event, its position or ""
	B    string `json:"b"`
}

// DiffReport is what two scenarios set differently.
type DiffReport struct {
	A, B  string // the scenarios' names
	Items []Difference
}

// MarshalJSON writes the differences as an array.
func (d *DiffReport) MarshalJSON() ([]byte, error) {
	if d.Items == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(d.Items)
}

// Columns names the columns of Rows: kind, item, and a column per
// scenario named after it.
func (d *DiffReport) Columns() []string { return []string{"kind", "item", d.A, d.B} }

// Rows gives a row per difference.
func (d *DiffReport) Rows() [][]string {
	out := make([][]string, len(d.Items))
	for i, x := range d.Items {
		out[i] = []string{x.Kind, x.Item, x.A, x.B}
	}
	return out
}

// WriteText prints the differences for people.
func (d *DiffReport) WriteText(w io.Writer) error { return WriteDiff(w, d.A, d.B, d.Items) }

// Compare lists what two scenarios set differently (Diff).
func Compare(a, b *Scenario) *DiffReport { return &DiffReport{A: a.Name, B: b.Name, Items: Diff(a, b)} }

// Diff lists what two scenarios set differently, their extends chains
// and policy timelines resolved: calendars, then parameters in path
// order, then events only one has.
func Diff(a, b *Scenario) []Difference {
	fa := map[string]sim.Field{}
	var order []string
	for _, f := range a.Spec.Fields() {
		fa[f.Path] = f
		order = append(order, f.Path)
	}
	fb := map[string]sim.Field{}
	for _, f := range b.Spec.Fields() {
		fb[f.Path] = f
		if _, ok := fa[f.Path]; !ok {
			order = append(order, f.Path)
		}
	}
	ca, cb := a.Spec.Calendar, b.Spec.Calendar
	var out []Difference
	if ca != cb {
		span := func(c sim.Calendar) string { return fmt.Sprintf("%s to %s by %s", c.Label(0), c.Label(c.N-1), c.Step) }
		out = append(out, Difference{Kind: "time", Item: "time", A: span(ca), B: span(cb)})
	}
	for _, p := range order {
		x, okA := fa[p]
		y, okB := fb[p]
		if okA && okB && sameField(x, y, ca, cb) {
			continue
		}
		d := Difference{Kind: "param", Item: p, A: "(none)", B: "(none)"}
		if okA {
			d.A = Summary(x, ca)
		}
		if okB {
			d.B = Summary(y, cb)
		}
		out = append(out, d)
	}
	key := func(e *Event, cal sim.Calendar) string { return cal.Step.Label(e.At) + " " + e.Name }
	keys := func(s *Scenario) map[string]bool {
		k := map[string]bool{}
		for _, e := range s.Events {
			k[key(e, s.Spec.Calendar)] = true
		}
		return k
	}
	ka, kb := keys(a), keys(b)
	for _, e := range a.Events {
		if k := key(e, ca); !kb[k] {
			out = append(out, Difference{Kind: "event", Item: k, A: e.Pos.String()})
		}
	}
	for _, e := range b.Events {
		if k := key(e, cb); !ka[k] {
			out = append(out, Difference{Kind: "event", Item: k, B: e.Pos.String()})
		}
	}
	return out
}

func sameField(x, y sim.Field, ca, cb sim.Calendar) bool {
	if x.Num == nil || ca != cb {
		return Summary(x, ca) == Summary(y, cb)
	}
	for t := range *x.Num {
		if (*x.Num)[t] != (*y.Num)[t] {
			return false
		}
	}
	return true
}

// WriteDiff prints the differences of scenarios named a and b for people.
func WriteDiff(w io.Writer, a, b string, diffs []Difference) error {
	for _, d := range diffs {
		switch d.Kind {
		case "event":
			name, pos := a, d.A
			if d.A == "" {
				name, pos = b, d.B
			}
			fmt.Fprintf(w, "event only in %s: %s (%s)\n", name, d.Item, pos)
		default:
			fmt.Fprintf(w, "%s\n  %s: %s\n  %s: %s\n", d.Item, a, d.A, b, d.B)
		}
	}
	if len(diffs) == 0 {
		fmt.Fprintf(w, "%s and %s set every parameter alike\n", a, b)
	}
	return nil
}

// ExplainReport is an explanation in plain values, for JSON.
type ExplainReport struct {
	Scenario string           `json:"scenario"`
	Path     string           `json:"path"`
	Unit     string           `json:"unit"`
	Meaning  string           `json:"meaning"`
	Settings []ExplainSetting `json:"settings"`
	Spans    []ExplainSpan    `json:"spans"`
}

// ExplainSetting is a file of the extends chain that sets a parameter.
type ExplainSetting struct {
	Pos     string `json:"pos"`
	Value   string `json:"value"`
	InForce bool   `json:"in_force"`
	Source  string `json:"source,omitempty"`
}

// ExplainSpan is a run of periods with one value and one cause.
type ExplainSpan struct {
	From  string `json:"from"` // a period label, or "all" for a constant choice
	To    string `json:"to"`
	Value string `json:"value"`
	By    string `json:"by"`
}

// Report gives the explanation of a parameter of s in plain values.
func (ex *Explanation) Report(s *Scenario) ExplainReport {
	f := ex.Field
	r := ExplainReport{Scenario: s.Name, Path: f.Path, Unit: f.Def.Unit, Meaning: f.Def.Doc, Settings: []ExplainSetting{}}
	if f.Def.Kind == sim.Enum {
		r.Unit = "one of " + strings.Join(f.Def.Enum, ", ")
	}
	for i, v := range ex.Settings {
		r.Settings = append(r.Settings, ExplainSetting{Pos: v.Pos.String(), Value: NodeText(v.Node), InForce: i == len(ex.Settings)-1, Source: v.Source})
	}
	cal := s.Spec.Calendar
	for _, sp := range ex.Spans {
		e := ExplainSpan{From: cal.Label(sp.From), To: cal.Label(sp.To), Value: sp.Value, By: sp.By}
		if f.Num == nil {
			e.From, e.To = "all", "all"
		}
		r.Spans = append(r.Spans, e)
	}
	return r
}

// Columns names the columns of Rows.
func (r ExplainReport) Columns() []string {
	return []string{"scenario", "path", "from", "to", "value", "set_by"}
}

// Rows gives a row per span of periods with one value and one cause.
func (r ExplainReport) Rows() [][]string {
	out := make([][]string, len(r.Spans))
	for i, sp := range r.Spans {
		out[i] = []string{r.Scenario, r.Path, sp.From, sp.To, sp.Value, sp.By}
	}
	return out
}

// WriteText prints the explanation for people.
func (r ExplainReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s in %s\n  unit:    %s\n  meaning: %s\n", r.Path, r.Scenario, r.Unit, r.Meaning)
	if len(r.Settings) == 0 {
		fmt.Fprintln(w, "  no file sets it")
	}
	for _, v := range r.Settings {
		state := "overridden"
		if v.InForce {
			state = "in force"
		}
		src := ""
		if v.Source != "" {
			src = "  # " + v.Source
		}
		fmt.Fprintf(w, "  %s sets %s (%s)%s\n", v.Pos, v.Value, state, src)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERIODS\tVALUE\tSET BY")
	for _, sp := range r.Spans {
		per := sp.From
		if sp.To != sp.From {
			per += "–" + sp.To
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", per, sp.Value, sp.By)
	}
	return tw.Flush()
}
