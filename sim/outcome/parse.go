package outcome

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chipsim/chipsim/sim"
)

// Error is a problem with an outcome expression.
type Error struct {
	Expr string // the expression as given
	Col  int    // 1-based column (in characters) where the problem starts
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("outcome %q: %s", e.Expr, e.Msg) }

// forms lists the forms of an outcome, for messages.
const forms = "METRIC@WHEN, first(METRIC >= X), sum(METRIC, A..B) or mean(METRIC, A..B)"

// Parse compiles expr against m; see the package documentation for the
// grammar. Errors are *Error values.
func Parse(expr string, m *sim.Model) (o *Outcome, err error) {
	if m == nil {
		return nil, &Error{Expr: expr, Col: 1, Msg: "no model to parse against"}
	}
	p := &parser{expr: expr, m: m, cal: m.Calendar()}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			o, err = nil, e
		}
	}()
	return p.parse(), nil
}

// parser reads an expression left to right; it reports the first problem
// by panicking with an *Error, which Parse recovers.
type parser struct {
	expr string
	pos  int // byte offset of the next character
	m    *sim.Model
	cal  sim.Calendar
}

func (p *parser) fail(pos int, format string, a ...any) {
	pos = min(max(pos, 0), len(p.expr))
	panic(&Error{Expr: p.expr, Col: utf8.RuneCountInString(p.expr[:pos]) + 1, Msg: fmt.Sprintf(format, a...)})
}

func (p *parser) eof() bool { return p.pos >= len(p.expr) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.expr[p.pos]
}

func (p *parser) space() {
	for !p.eof() && strings.IndexByte(" \t\r\n", p.expr[p.pos]) >= 0 {
		p.pos++
	}
}

// scan consumes the longest run of bytes that ok accepts.
func (p *parser) scan(ok func(c byte) bool) string {
	start := p.pos
	for !p.eof() && ok(p.expr[p.pos]) {
		p.pos++
	}
	return p.expr[start:p.pos]
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

func isWhen(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// found describes what is at pos, for messages.
func (p *parser) found() string {
	if p.eof() {
		return "the end"
	}
	rest := p.expr[p.pos:]
	if n := 16; len(rest) > n {
		for n < len(rest) && !utf8.RuneStart(rest[n]) {
			n++
		}
		rest = rest[:n] + "..."
	}
	return strconv.Quote(rest)
}

func (p *parser) expect(c byte, why string) {
	p.space()
	if p.peek() != c {
		p.fail(p.pos, "expected %q %s, found %s", string(c), why, p.found())
	}
	p.pos++
}

func (p *parser) parse() *Outcome {
	p.space()
	if p.eof() {
		p.fail(0, "empty expression (want %s)", forms)
	}
	start := p.pos
	name := p.scan(isWord)
	if name == "" {
		p.fail(start, "expected a metric or first(, sum( or mean(, found %s", p.found())
	}
	p.space()
	var o *Outcome
	if p.peek() == '(' {
		p.pos++
		switch name {
		case "first":
			o = p.first()
		case "sum", "mean":
			o = p.rng(name)
		default:
			p.fail(start, "unknown function %s%s", name, didYouMean(name, []string{"first", "sum", "mean"}, "want first, sum or mean"))
		}
	} else {
		p.pos = start
		o = p.at()
	}
	p.space()
	if !p.eof() {
		p.fail(p.pos, "unexpected %s after the expression", p.found())
	}
	return o
}

// ref is a metric for an entity, as written.
type ref struct {
	def  *sim.MetricDef
	ent  string
	pos  int
	text string // canonical: name or name[entity]
	slot int
	num  int
	den  int
	// carried stocks (sim.MetricDef.Carry) of the metric, its numerator
	// and its denominator: slots, or -1
	carry, numCarry, denCarry int
	numDef, denDef            *sim.MetricDef // ratio metrics: the numerator's and denominator's definitions
}

var metricNames = func() []string {
	out := make([]string, len(sim.Metrics))
	for i := range sim.Metrics {
		out[i] = sim.Metrics[i].Name
	}
	return out
}()

// perNoun names the entities of a Per value.
func perNoun(per string) string {
	switch per {
	case "domestic", "foreign":
		return per + " product"
	}
	return per
}

func (p *parser) metric() ref {
	p.space()
	at := p.pos
	name := p.scan(isWord)
	if name == "" {
		p.fail(at, "expected a metric name, found %s", p.found())
	}
	def, ok := sim.MetricByName(name)
	if !ok {
		p.fail(at, "unknown metric %s%s", name, didYouMean(name, metricNames, ""))
	}
	ents := p.m.Entities(def)
	r := ref{def: def, ent: "all", pos: at, text: name}
	p.space()
	if p.peek() == '[' {
		open := p.pos
		p.pos++
		end := strings.IndexByte(p.expr[p.pos:], ']')
		if end < 0 {
			p.fail(open, "unclosed [ after %s", name)
		}
		raw := p.expr[p.pos : p.pos+end]
		entPos := p.pos + len(raw) - len(strings.TrimLeft(raw, " \t\r\n"))
		ent := strings.TrimSpace(raw)
		p.pos += end + 1
		if def.Per == "" {
			p.fail(open, "%s has one value per period, not one per entity: drop [%s]", name, ent)
		}
		if ent == "" {
			p.fail(entPos, "no %s in %s[]: want one of %s", perNoun(def.Per), name, strings.Join(ents, ", "))
		}
		if !contains(ents, ent) {
			if (def.Per == "domestic" || def.Per == "foreign") && contains(p.m.Entities(&sim.MetricDef{Per: "product"}), ent) {
				p.fail(entPos, "%s is reported for %ss only, and %s is not one (want one of %s)", name, perNoun(def.Per), ent, strings.Join(ents, ", "))
			}
			p.fail(entPos, "unknown %s %s for %s%s", perNoun(def.Per), ent, name, didYouMean(ent, ents, "want one of "+strings.Join(ents, ", ")))
		}
		r.ent = ent
		r.text = name + "[" + ent + "]"
	} else if def.Per != "" {
		p.fail(at, "%s is reported per %s: write %s[%s] with %s one of %s",
			name, perNoun(def.Per), name, strings.ToUpper(def.Per), strings.ToUpper(def.Per), strings.Join(ents, ", "))
	}
	r.slot = p.slot(name, r.ent)
	r.carry, r.numCarry, r.denCarry = p.carrySlot(def), -1, -1
	if def.Agg == sim.Ratio {
		r.num = p.slot(def.Num, "all")
		r.den = p.slot(def.Den, "all")
		r.numDef, _ = sim.MetricByName(def.Num)
		r.denDef, _ = sim.MetricByName(def.Den)
		r.numCarry, r.denCarry = p.carrySlot(r.numDef), p.carrySlot(r.denDef)
	}
	return r
}

// carrySlot is the slot of the stock d carries, or -1.
func (p *parser) carrySlot(d *sim.MetricDef) int {
	if d == nil || d.Carry == "" {
		return -1
	}
	return p.slot(d.Carry, "all")
}

func (p *parser) slot(metric, ent string) int {
	s, ok := p.m.SlotIndex(metric, ent)
	if !ok { // the metric table is inconsistent: not the user's fault
		p.fail(0, "internal error: the model has no slot for %s[%s]", metric, ent)
	}
	return s
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// when is a year or period as written, with the periods of the run it
// covers, inclusive.
type when struct {
	pos    int
	text   string // canonical
	gran   sim.Step
	year   int
	t0, t1 int
}

// stepExample is a period label of the run's step, for messages.
func (p *parser) stepExample() string {
	switch p.cal.Step {
	case sim.Monthly:
		return "a month such as 2030-05"
	case sim.Quarterly:
		return "a quarter such as 2030Q2"
	}
	return "a year such as 2030"
}

// whenExample says what a WHEN may be, for messages.
func (p *parser) whenExample() string {
	if p.cal.Step == sim.Yearly {
		return "a year such as 2030"
	}
	return "a year such as 2030, or " + p.stepExample()
}

// when reads a year or a period label. A label finer than the run's step
// (a month in a quarterly run) is an error; so is one the run does not
// cover. Coarser labels cover every period they contain.
func (p *parser) when(what string) when {
	p.space()
	at := p.pos
	tok := p.scan(isWhen)
	if tok == "" {
		p.fail(at, "expected %s (%s), found %s", what, p.whenExample(), p.found())
	}
	mo, g, err := sim.ParseMonth(tok)
	if err != nil || mo < 0 {
		hint := ""
		if i := strings.IndexByte(tok, '-'); i == 4 && len(tok) == 9 {
			hint = " (a range is written A..B)"
		}
		p.fail(at, "bad period %q: want %s%s", tok, p.whenExample(), hint)
	}
	step := p.cal.Step
	if g < step {
		p.fail(at, "%s is a %s, but the run steps by %s: use %s or the year %d",
			tok, g, step, step.Label(mo-sim.Month(int(mo)%12%int(step))), mo.Year())
	}
	w := when{pos: at, gran: g, year: mo.Year()}
	if g == sim.Yearly {
		w.text = strconv.Itoa(w.year)
	} else {
		w.text = g.Label(mo)
	}
	last := mo + sim.Month(g) - 1
	w.t0 = max(p.cal.Index(mo), 0)
	w.t1 = min(p.cal.Index(last), p.cal.N-1)
	if w.t0 > w.t1 {
		what := "period"
		if g == sim.Yearly {
			what = "year"
		}
		first, end := p.cal.Label(0), p.cal.Label(p.cal.N-1)
		p.fail(at, "%s %s is outside the run (%s..%s)", what, w.text, first, end)
	}
	return w
}

// at parses METRIC@WHEN.
func (p *parser) at() *Outcome {
	r := p.metric()
	p.expect('@', "and a year or period after "+r.text)
	p.space()
	if at := p.pos; p.scan(isWhen) == "year" {
		p.fail(at, "@year is for first(%s@year >= X); give %s", r.text, p.whenExample())
	} else {
		p.pos = at
	}
	w := p.when("a year or period after @")
	o := p.outcome(r)
	switch {
	case w.gran == sim.Yearly || w.gran > p.cal.Step:
		// A year, or a quarter of a monthly run: its periods aggregated
		// by the metric's rule, as the annual tables do.
		o.kind = kYear
		o.text = r.text + "@" + w.text
	case w.gran == p.cal.Step:
		o.kind = kAt
		o.text = r.text + "@" + w.text
	default:
		p.fail(w.pos, "%s is a %s, but the run steps by %s: give a year or %s", w.text, w.gran, p.cal.Step, p.stepExample())
	}
	o.t0, o.t1 = w.t0, w.t1
	return o
}

func (p *parser) outcome(r ref) *Outcome {
	return &Outcome{def: r.def, ent: r.ent, slot: r.slot, num: r.num, den: r.den, carry: r.carry, numCarry: r.numCarry, denCarry: r.denCarry, numD: r.numDef, denD: r.denDef,
		model: p.m, cal: p.cal, nslots: len(p.m.Slots())}
}

// first parses the rest of first(METRIC[@year] OP X [from WHEN]).
func (p *parser) first() *Outcome {
	r := p.metric()
	o := p.outcome(r)
	o.kind = kFirst
	target := r.text
	p.space()
	if p.peek() == '@' {
		p.pos++
		p.space()
		at := p.pos
		if w := p.scan(isWhen); w != "year" {
			if _, _, err := sim.ParseMonth(w); err != nil {
				w = "2030"
			}
			p.fail(at, "first() tests every period, or every year with @year: write first(%s@year >= X) or first(%s >= X from %s)",
				r.text, r.text, w)
		}
		o.kind = kFirstYear
		target += "@year"
	}
	p.space()
	at := p.pos
	tok := p.scan(func(c byte) bool { return strings.IndexByte("<>=!", c) >= 0 })
	switch tok {
	case ">=":
		o.cmp = opGE
	case ">":
		o.cmp = opGT
	case "<=":
		o.cmp = opLE
	case "<":
		o.cmp = opLT
	case "":
		p.fail(at, "expected a comparison (>=, >, <= or <) after %s, found %s", target, p.found())
	default:
		p.fail(at, "bad operator %q: want >=, >, <= or <", tok)
	}
	o.x = p.number()
	o.text = "first(" + target + " " + opText[o.cmp] + " " + formatThreshold(o.x)
	p.space()
	o.t0 = 0
	from := when{t0: 0, t1: p.cal.N - 1, year: p.cal.Year(0)}
	if at := p.pos; p.peek() != ')' {
		switch w := p.scan(isWord); w {
		case "from":
			from = p.when("a year or period after from")
			o.t0 = from.t0
			o.text += " from " + from.text
		case "":
		default:
			p.fail(at, "unexpected %q in first(: want from WHEN or )", w)
		}
	}
	if o.kind == kFirstYear {
		if from.gran != 0 && from.gran != sim.Yearly {
			p.fail(from.pos, "first(%s ...) tests years: start it from a year, not %s", target, from.text)
		}
		for t := from.t0; t < p.cal.N; t++ {
			y := p.cal.Year(t)
			if n := len(o.years); n > 0 && o.years[n-1].year == y {
				o.years[n-1].t1 = t
				continue
			}
			o.years = append(o.years, span{year: y, t0: t, t1: t})
		}
	}
	p.expect(')', "to close first(")
	o.text += ")"
	return o
}

// number reads a threshold.
func (p *parser) number() float64 {
	p.space()
	at := p.pos
	if c := p.peek(); c == '+' || c == '-' {
		p.pos++
	}
	p.scan(func(c byte) bool { return c >= '0' && c <= '9' || c == '.' })
	if c := p.peek(); (c == 'e' || c == 'E') && p.pos > at {
		save := p.pos
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if p.scan(func(c byte) bool { return c >= '0' && c <= '9' }) == "" {
			p.pos = save
		}
	}
	tok := p.expr[at:p.pos]
	if tok == "" {
		p.fail(at, "expected a threshold number, found %s", p.found())
	}
	x, err := strconv.ParseFloat(tok, 64)
	if err != nil {
		p.fail(at, "bad threshold %q: want a number", tok)
	}
	return x
}

// rng parses the rest of sum(METRIC, A..B) or mean(METRIC, A..B).
func (p *parser) rng(fn string) *Outcome {
	r := p.metric()
	d := r.def
	if fn == "sum" && (d.Agg == sim.Ratio || d.Unit == "ratio" || d.Unit == "share") {
		alt := ""
		if d.Num != "" {
			alt = fmt.Sprintf(", or sum its numerator %s and denominator %s and divide", d.Num, d.Den)
		}
		p.fail(r.pos, "cannot sum %s: it is a %s, and a sum of %ss over periods means nothing; use mean(%s, A..B) for the mean of the period values%s",
			r.text, d.Unit, d.Unit, r.text, alt)
	}
	o := p.outcome(r)
	o.kind = kSum
	if fn == "mean" {
		o.kind = kMean
	}
	p.expect(',', "and a range A..B after "+r.text)
	a := p.when("the start of the range")
	b := a
	text := a.text
	p.space()
	if strings.HasPrefix(p.expr[p.pos:], "..") {
		p.pos += 2
		b = p.when("the end of the range")
		if b.text != a.text {
			text += ".." + b.text
		}
	}
	if a.t0 > b.t1 {
		p.fail(a.pos, "empty range %s..%s: its start comes after its end", a.text, b.text)
	}
	o.t0, o.t1 = a.t0, b.t1
	p.expect(')', "to close "+fn+"(")
	o.text = fn + "(" + r.text + ", " + text + ")"
	return o
}

// formatThreshold prints x exactly (it parses back to x), without an
// exponent for usual magnitudes: 1e6 prints as 1000000.
func formatThreshold(x float64) string {
	if a := math.Abs(x); a == 0 || a >= 1e-4 && a < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
