package output

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/chipsim/chipsim/sim"
)

// Assumption is one parameter a scenario sets, as the report lists it. It
// mirrors scenarios.Assumption, so that output need not import scenarios.
type Assumption struct {
	Path    string // parameter path, such as demand.growth
	Value   string // as written in the file
	Unit    string
	Meaning string
	Source  string // the comment beside the value
	Where   string // file:line
	Default string // the parent scenario's value this one replaces; empty for a root scenario
}

// ReportInput is one scenario of a report.
type ReportInput struct {
	Frame       *Frame // the results; built from Run when nil
	Run         *Run   // optional: supplies the description, chain and events when those are empty
	Description string
	Chain       []string // the extends chain, this file first
	Assumptions []Assumption
	Charts      []*Chart // the scenario's charts, in the order to show them
}

// ReportOptions are the report's title and small print.
type ReportOptions struct {
	Title   string // defaults to one naming the scenarios
	Date    string // date of the run
	Version string // chipsim version
	DPI     int    // resolution of the PNG charts; 0 for ReportDPI
	// History holds facts of history to tabulate against each scenario
	// (chipsim check's history); none, no table.
	History []Observation
}

// ReportDPI is the default resolution of the PNG charts beside report.md.
const ReportDPI = 300

// headlineCols are the headline table's columns: the ratios as
// percentages, then the volumes. Group puts neighbouring columns under one
// heading; Head is the column's heading in HTML (under its group), Short
// in Markdown, Long in the definitions.
var headlineCols = []struct {
	Metric, Group, Head, Short, Long string
}{
	{"ai.ssr_units", "Domestic share of AI accelerators", "Units delivered", "SSR units", "Domestic share of units delivered"},
	{"ai.ssr_compute", "Domestic share of AI accelerators", "Compute delivered", "SSR compute", "Domestic share of compute delivered"},
	{"ai.ssr_stock", "Domestic share of AI accelerators", "Installed compute", "SSR stock", "Domestic share of installed compute"},
	{"ai.coverage", "", "Demand covered", "Coverage", "Coverage of demand"},
	{"ic.ssr_value", "", "All chips, by value", "IC SSR (value)", "Chip self-sufficiency by value"},
	{"ai.units_domestic", "Accelerator units delivered", "Domestic", "Domestic units", "Domestic units"},
	{"ai.units_import", "Accelerator units delivered", "Imported", "Imported units", "Imported units"},
	{"ai.units_grey", "Accelerator units delivered", "Grey channels", "Grey units", "Grey-channel units"},
	{"ai.unmet_h100e", "", "Unmet demand (H100e)", "Unmet H100e", "Unmet demand"},
}

// compareMetrics are the metrics whose yearly values the comparison
// section tabulates side by side.
var compareMetrics = []string{"ai.ssr_compute", "ai.coverage", "ic.ssr_value"}

//go:embed report_html.tmpl
var reportHTMLText string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{"path": breakablePath}).Parse(reportHTMLText))

// breakablePath escapes a file path and lets it break after its slashes
// only, so that a narrow column never splits a name or a line number.
func breakablePath(p string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(p), "/", "/<wbr />"))
}

// Report views: what the templates read.
type (
	reportView struct {
		Title, Date, Version string
		Scenarios            []*scenarioView
		Compare              []*figureView
		CompareTables        []compareTable
		Multi                bool
	}
	figureView struct {
		Num    int
		Title  string
		SVG    template.HTML // checked by safeSVG
		PNG    string        // path relative to the report
		chart  *Chart
		prefix string // of the PNG file name, for Chart.Save
	}
	headCol struct {
		Metric, Group, Head, Short, Long, Doc, Unit string
		Ratio, Sep                                  bool // Sep: a rule before the column
	}
	// headGroup is a cell of the headline table's first heading row: a
	// group of columns, or one column spanning both rows.
	headGroup struct {
		Label string
		Span  int
		Col   *headCol
		Sep   bool
	}
	headRow struct {
		Year  int
		Cells []string
	}
	defView struct{ Metric, Short, Long, Doc string }
	group   struct {
		Block, Doc string
		Child      bool // show the values replaced
		Rows       []asmRow
	}
	asmRow struct {
		Sub string // a collection entry's name, on the first of its rows
		Assumption
		Repeat bool // the meaning was given on an earlier entry's row
	}
	bindingRow struct {
		Product string
		Cells   []string
	}
	historyRow struct {
		Metric, Entity, Period string
		Observed, Model        string
		Within                 bool
		Source                 string
	}
	compareTable struct {
		Metric, Long, Doc string
		Years             []int
		Rows              []headRow // Year unused; Cells per year
		Names, IDs        []string
	}
	scenarioView struct {
		ID, Name, Description string
		Chain                 []string
		Head                  []headCol
		HeadGroups            []headGroup
		Rows                  []headRow
		Defs                  []defView
		Figures               []*figureView
		Child                 bool
		Groups                []group
		Fold                  bool // assumptions folded by block
		NAssumptions          int
		Events                []Event
		Years                 []int
		Binding               []bindingRow
		History               []historyRow
		HistoryPass           int
		frame                 *Frame
	}
)

// WriteReport writes a report of one or more scenarios into dir:
// report.html, one self-contained page with the charts inline as SVG, and
// report.md, its Markdown twin, with the charts beside it as PNG files in
// dir/charts. With several scenarios a comparison section with the compare
// charts comes first. The report is one unit, written by a Bundle: a
// chart that fails, an error or an interruption leaves none of its files,
// and the files appear together. It returns the files written.
func WriteReport(dir string, inputs []ReportInput, compare []*Chart, o ReportOptions) ([]string, error) {
	b := &Bundle{Dir: dir}
	defer b.Abort()
	if err := b.Report(inputs, compare, o); err != nil {
		return nil, err
	}
	return b.Commit()
}

// Report stages a report (see WriteReport) in the bundle: report.html,
// report.md and charts/*.png in Dir appear with the bundle's other files
// on Commit. Everything is rendered in memory first.
func (b *Bundle) Report(inputs []ReportInput, compare []*Chart, o ReportOptions) error {
	if len(inputs) == 0 {
		return errors.New("report: no scenarios")
	}
	v := &reportView{Title: o.Title, Date: o.Date, Version: o.Version, Multi: len(inputs) > 1}
	used := map[string]bool{} // chart file names
	ids := map[string]bool{}  // section ids
	var figs []*figureView
	newFig := func(c *Chart, prefix string) (*figureView, error) {
		if c == nil {
			return nil, fmt.Errorf("report: %snil chart", prefix)
		}
		if !fileStem.MatchString(c.Name) {
			return nil, fmt.Errorf("report: chart %q: its name is not a file name (want letters, digits, . _ -)", c.Name)
		}
		// Chart.Save names the file PREFIX+NAME.png: a second chart of
		// the same name gets a numbered prefix.
		pre := prefix
		for i := 2; used[pre+c.Name]; i++ {
			pre = fmt.Sprintf("%s%d-", prefix, i)
		}
		used[pre+c.Name] = true
		f := &figureView{Num: len(figs) + 1, Title: c.Title, PNG: "charts/" + pre + c.Name + ".png", chart: c, prefix: pre}
		figs = append(figs, f)
		return f, nil
	}
	for _, c := range compare {
		f, err := newFig(c, "compare-")
		if err != nil {
			return err
		}
		v.Compare = append(v.Compare, f)
	}
	var names []string
	for i, in := range inputs {
		sv, err := scenarioOf(in, o)
		if err != nil {
			return fmt.Errorf("report: scenario %d: %w", i+1, err)
		}
		sv.ID = unique(ids, "s-"+slug(sv.Name))
		for _, c := range in.Charts {
			f, err := newFig(c, strings.TrimPrefix(sv.ID, "s-")+"-")
			if err != nil {
				return err
			}
			sv.Figures = append(sv.Figures, f)
		}
		v.Scenarios = append(v.Scenarios, sv)
		names = append(names, sv.Name)
	}
	if v.Title == "" {
		if v.Multi {
			v.Title = "chipsim scenario comparison: " + strings.Join(names, ", ")
		} else {
			v.Title = "chipsim scenario report: " + names[0]
		}
	}
	if v.Multi {
		v.CompareTables = compareTables(v.Scenarios)
	}

	// Render every chart before writing anything: a chart that fails
	// leaves no file behind.
	if err := parallel(len(figs), func(i int) (err error) {
		figs[i].SVG, err = renderSVG(figs[i].chart)
		return err
	}); err != nil {
		return err
	}
	var html bytes.Buffer
	if err := reportTmpl.Execute(&html, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	md := markdown(v)

	// Stage the charts, then the pages that link to them: Commit moves
	// them in this order.
	dpi := o.DPI
	if dpi <= 0 {
		dpi = ReportDPI
	}
	type staging struct {
		e *staged
		f *os.File
	}
	var st []staging
	for _, name := range append(chartFiles(figs), "report.md", "report.html") {
		e, f, err := b.reserveRel(name)
		if err != nil {
			for _, s := range st {
				b.drop(s.e, s.f)
			}
			return fmt.Errorf("report: %w", err)
		}
		st = append(st, staging{e, f})
	}
	err := parallel(len(figs), func(i int) error {
		c := figs[i].chart
		err := b.write(st[i].e, st[i].f, func(w io.Writer) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%v", r)
				}
			}()
			return c.WriteTo(w, "png", DefaultWidth, DefaultHeight, dpi)
		})
		if err != nil {
			return fmt.Errorf("report: chart %s: %w", c.Name, err)
		}
		return nil
	})
	pages := st[len(figs):]
	if err != nil {
		for _, s := range pages {
			b.drop(s.e, s.f)
		}
		return err
	}
	for i, data := range [][]byte{md, html.Bytes()} {
		if err := b.write(pages[i].e, pages[i].f, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			if i == 0 {
				b.drop(pages[1].e, pages[1].f)
			}
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// chartFiles are the report's PNG files, relative to it.
func chartFiles(figs []*figureView) []string {
	names := make([]string, len(figs))
	for i, f := range figs {
		names[i] = f.PNG
	}
	return names
}

// fileStem matches chart names that are safe as file names and as
// Markdown links.
var fileStem = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// parallel runs f(0) ... f(n-1) on up to GOMAXPROCS goroutines and returns
// the error of the lowest index that failed.
func parallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// scenarioOf builds the view of one scenario.
func scenarioOf(in ReportInput, o ReportOptions) (*scenarioView, error) {
	f := in.Frame
	if f == nil {
		if in.Run == nil || in.Run.Result == nil {
			return nil, errors.New("no frame and no run")
		}
		f = FrameOf(in.Run, o.Version)
	}
	sv := &scenarioView{Name: f.Scenario, Description: in.Description, Chain: in.Chain, Events: f.Events, frame: f}
	if in.Run != nil {
		if sv.Description == "" {
			sv.Description = in.Run.Description
		}
		if len(sv.Chain) == 0 {
			sv.Chain = in.Run.Chain
		}
		if len(sv.Events) == 0 {
			sv.Events = in.Run.Events
		}
		if sv.Name == "" {
			sv.Name = in.Run.Scenario
		}
	}
	sv.Description = strings.Join(strings.Fields(sv.Description), " ")
	sv.Child = len(sv.Chain) > 1
	sv.Years = f.Years()

	cols := make([][]float64, len(headlineCols))
	for i, c := range headlineCols {
		d, ok := sim.MetricByName(c.Metric)
		if !ok {
			return nil, fmt.Errorf("no metric %s", c.Metric)
		}
		vals, ok := f.Annual(c.Metric, "all")
		if !ok {
			return nil, fmt.Errorf("%s: results have no metric %s", f.Scenario, c.Metric)
		}
		cols[i] = vals
		hc := headCol{Metric: c.Metric, Group: c.Group, Head: c.Head, Short: c.Short, Long: c.Long, Doc: d.Doc, Unit: d.Unit, Ratio: d.Unit == "ratio"}
		hc.Sep = i > 0 && !hc.Ratio && sv.Head[i-1].Ratio
		sv.Head = append(sv.Head, hc)
		if hc.Ratio {
			sv.Defs = append(sv.Defs, defView{Metric: c.Metric, Short: c.Short, Long: c.Long, Doc: d.Doc})
		}
	}
	for i := range sv.Head {
		h := &sv.Head[i]
		switch n := len(sv.HeadGroups); {
		case h.Group == "":
			sv.HeadGroups = append(sv.HeadGroups, headGroup{Span: 1, Col: h})
		case n > 0 && sv.HeadGroups[n-1].Col == nil && sv.HeadGroups[n-1].Label == h.Group:
			sv.HeadGroups[n-1].Span++
		default:
			sv.HeadGroups = append(sv.HeadGroups, headGroup{Label: h.Group, Span: 1, Sep: h.Sep})
		}
	}
	for y, year := range sv.Years {
		r := headRow{Year: year}
		for i, hc := range sv.Head {
			r.Cells = append(r.Cells, formatCell(cols[i][y], hc.Ratio))
		}
		sv.Rows = append(sv.Rows, r)
	}
	for _, p := range f.Entities("product.binding") {
		v, ok := f.Annual("product.binding", p)
		if !ok {
			continue
		}
		r := bindingRow{Product: p}
		for _, x := range v {
			name := "?"
			if i := int(x); x == math.Trunc(x) && i >= 0 && i < len(sim.BindingNames) {
				name = sim.BindingNames[i]
			}
			switch name {
			case "none":
				name = "–"
			case "hbm":
				name = "HBM"
			}
			r.Cells = append(r.Cells, name)
		}
		sv.Binding = append(sv.Binding, r)
	}

	for _, ob := range o.History {
		v, ok := ModelValue(f, ob)
		if !ok {
			continue // a metric or year this run does not have
		}
		d, _ := sim.MetricByName(ob.Metric)
		ratio := d.Unit == "ratio" || d.Unit == "share"
		row := historyRow{Metric: ob.Metric, Entity: ob.Entity, Period: ob.Period, Source: ob.Source,
			Observed: observedText(ob, ratio), Model: formatCell(v, ratio), Within: v >= ob.Lo && v <= ob.Hi}
		if row.Entity == "all" {
			row.Entity = ""
		}
		if row.Within {
			sv.HistoryPass++
		}
		sv.History = append(sv.History, row)
	}

	sv.NAssumptions = len(in.Assumptions)
	sv.Groups = groupAssumptions(in.Assumptions)
	// A root scenario's hundreds of rows fold by block until asked for; a
	// short list is one table.
	sv.Fold = sv.NAssumptions > 40
	if !sv.Fold && len(sv.Groups) > 1 {
		all := group{}
		for _, g := range sv.Groups {
			all.Rows = append(all.Rows, g.Rows...)
		}
		sv.Groups = []group{all}
	}
	for i := range sv.Groups {
		sv.Groups[i].Child = sv.Child
	}
	return sv, nil
}

// groupAssumptions groups assumptions by block, in order. In a collection
// block (products, foundry, ...) each entry's first row names the entry,
// unless every entry has one row, and a field's meaning is spelled out on
// its first row only.
func groupAssumptions(as []Assumption) []group {
	var groups []group
	var seen map[string]bool
	multi := map[string]bool{} // blocks with an entry of several rows
	entries := map[string]int{}
	for _, a := range as {
		block, rest, _ := strings.Cut(a.Path, ".")
		if entry, _, ok := strings.Cut(rest, "."); ok {
			k := block + "." + entry
			entries[k]++
			if entries[k] > 1 {
				multi[block] = true
			}
		}
	}
	for _, a := range as {
		block, rest, _ := strings.Cut(a.Path, ".")
		if n := len(groups); n == 0 || groups[n-1].Block != block {
			g := group{Block: block}
			if b, ok := sim.BlockByName(block); ok {
				g.Doc = b.Doc
			}
			groups = append(groups, g)
			seen = map[string]bool{}
		}
		g := &groups[len(groups)-1]
		row := asmRow{Assumption: a}
		if entry, field, ok := strings.Cut(rest, "."); ok {
			n := len(g.Rows)
			if multi[block] && (n == 0 || !strings.HasPrefix(g.Rows[n-1].Path, block+"."+entry+".")) {
				row.Sub = entry
			}
			row.Repeat = seen[field]
			seen[field] = true
		}
		g.Rows = append(g.Rows, row)
	}
	return groups
}

// compareTables tabulates the compare metrics by scenario and year, over
// the years every scenario covers.
func compareTables(svs []*scenarioView) []compareTable {
	years := svs[0].Years
	for _, sv := range svs[1:] {
		var keep []int
		for _, y := range years {
			for _, y2 := range sv.Years {
				if y == y2 {
					keep = append(keep, y)
					break
				}
			}
		}
		years = keep
	}
	var out []compareTable
	for _, m := range compareMetrics {
		d, _ := sim.MetricByName(m)
		t := compareTable{Metric: m, Doc: d.Doc, Years: years}
		for _, c := range headlineCols {
			if c.Metric == m {
				t.Long = c.Long
			}
		}
		for _, sv := range svs {
			vals, ok := sv.frame.Annual(m, "all")
			if !ok {
				continue
			}
			r := headRow{}
			for _, y := range years {
				for i, y2 := range sv.Years {
					if y == y2 {
						r.Cells = append(r.Cells, formatCell(vals[i], d.Unit == "ratio"))
					}
				}
			}
			t.Rows = append(t.Rows, r)
			t.Names = append(t.Names, sv.Name)
			t.IDs = append(t.IDs, sv.ID)
		}
		out = append(out, t)
	}
	return out
}

// observedText is what history observed: the value and the accepted
// range, or the range alone when the source gives only bounds.
func observedText(o Observation, ratio bool) string {
	f := func(v float64) string { return formatCell(v, ratio) }
	switch {
	case math.IsInf(o.Lo, -1) && math.IsInf(o.Hi, 1):
		return "any"
	case math.IsInf(o.Lo, -1):
		return "≤ " + f(o.Hi)
	case math.IsInf(o.Hi, 1):
		return "≥ " + f(o.Lo)
	case o.Value == (o.Lo+o.Hi)/2:
		return f(o.Value) + " (" + f(o.Lo) + "–" + f(o.Hi) + ")"
	}
	return f(o.Lo) + "–" + f(o.Hi)
}

// formatCell formats a ratio as a percentage and a volume compactly.
func formatCell(v float64, ratio bool) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case ratio && math.IsInf(v, 0):
		return "inf"
	case ratio:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	}
	return Human(v)
}

// slug makes a name safe as a file name and an HTML id.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		out = "x"
	}
	return out
}

// unique returns base, or base-2, base-3, ... if that is taken, and
// records it.
func unique(used map[string]bool, base string) string {
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	used[name] = true
	return name
}

// safeRender renders a chart, turning a panic in a plotter into an error.
func safeRender(c *Chart, w io.Writer, format string, dpi int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chart %s: %v", c.Name, r)
		}
	}()
	return c.WriteTo(w, format, DefaultWidth, DefaultHeight, dpi)
}

// renderSVG renders a chart as SVG for inlining: without the XML prolog,
// and checked to be well-formed and free of anything active (scripts,
// event handlers, links), since the page trusts it as HTML.
func renderSVG(c *Chart) (template.HTML, error) {
	var b bytes.Buffer
	if err := safeRender(c, &b, "svg", DefaultDPI); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	s := b.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("report: chart %s: no <svg> element in the SVG output", c.Name)
	}
	s = strings.TrimSpace(s[i:])
	if err := checkSVG(s); err != nil {
		return "", fmt.Errorf("report: chart %s: %w", c.Name, err)
	}
	// Let the page size the figure: the viewBox keeps its proportions.
	s = strings.Replace(s, "<svg ", `<svg role="img" aria-label="`+template.HTMLEscapeString(c.Title)+`" `, 1)
	return template.HTML(s), nil
}

// checkSVG parses an SVG and rejects elements and attributes that could
// run code or load anything. Raster images are allowed inline only, as
// data: addresses.
func checkSVG(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("SVG does not parse: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			el := strings.ToLower(t.Name.Local)
			switch el {
			case "script", "foreignobject", "iframe", "use", "a", "style", "animate", "set":
				return fmt.Errorf("SVG has a <%s> element", t.Name.Local)
			}
			for _, a := range t.Attr {
				n := strings.ToLower(a.Name.Local)
				switch {
				case strings.HasPrefix(n, "on"):
					return fmt.Errorf("SVG has a %s attribute", a.Name.Local)
				case n == "href" || n == "src":
					if el != "image" || !inlineImage.MatchString(a.Value) {
						return fmt.Errorf("SVG <%s> refers to %.40q: want only inline images", t.Name.Local, a.Value)
					}
				case strings.Contains(strings.ToLower(a.Value), "url("):
					if !strings.Contains(a.Value, "url(#") {
						return fmt.Errorf("SVG <%s %s> refers to %.40q", t.Name.Local, a.Name.Local, a.Value)
					}
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst, xml.Directive:
			return errors.New("SVG has a processing instruction or directive after <svg>")
		}
	}
	if depth != 0 {
		return errors.New("SVG is not closed")
	}
	return nil
}

var inlineImage = regexp.MustCompile(`^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*$`)

// markdown renders the report's Markdown twin.
func markdown(v *reportView) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# %s\n\n", mdText(v.Title))
	p("%s\n\n", mdText(smallPrint(v)))
	if v.Multi {
		p("Scenarios: ")
		for i, sv := range v.Scenarios {
			if i > 0 {
				p(", ")
			}
			p("[%s](#%s)", mdText(sv.Name), mdAnchor("Scenario: "+sv.Name))
		}
		p(".\n\n## Comparison\n\n")
		for _, f := range v.Compare {
			mdFigure(&b, f)
		}
		for _, t := range v.CompareTables {
			p("**%s** (`%s`: %s), by year:\n\n", mdText(t.Long), t.Metric, mdText(t.Doc))
			p("| Scenario |")
			for _, y := range t.Years {
				p(" %d |", y)
			}
			p("\n|:---|%s\n", strings.Repeat("---:|", len(t.Years)))
			for i, r := range t.Rows {
				p("| %s | %s |\n", mdText(t.Names[i]), strings.Join(r.Cells, " | "))
			}
			p("\n")
		}
	}
	for _, sv := range v.Scenarios {
		p("## Scenario: %s\n\n", mdText(sv.Name))
		if sv.Description != "" {
			p("%s\n\n", mdText(sv.Description))
		}
		if len(sv.Chain) > 0 {
			p("Extends chain: %s\n\n", mdChain(sv.Chain))
		}
		p("### Headline results by year\n\n")
		p("Ratios in percent; volumes per year (k = thousand, M = million).\n\n| Year |")
		for _, h := range sv.Head {
			p(" %s |", h.Short)
		}
		p("\n|:---|%s\n", strings.Repeat("---:|", len(sv.Head)))
		for _, r := range sv.Rows {
			p("| %d | %s |\n", r.Year, strings.Join(r.Cells, " | "))
		}
		p("\nDefinitions (yearly ratios are ratios of yearly sums; SSR stock at year end):\n\n")
		for _, d := range sv.Defs {
			p("- **%s**, %s (`%s`): %s.\n", mdText(d.Short), mdText(strings.ToLower(d.Long[:1])+d.Long[1:]), d.Metric, mdText(d.Doc))
		}
		p("- **Domestic, Imported, Grey units**: accelerator units delivered in the year by domestic makers, by legal import and through grey channels (smuggling, affiliates of listed firms).\n- **Unmet H100e**: compute wanted that no source could serve, in H100-equivalents.\n\n")
		if len(sv.Binding) > 0 {
			p("### What limits domestic output\n\nBinding constraint on each domestic product in the last period of each year: demand (the vendor's orders), plan, dies, HBM or packaging (– not being made).\n\n| Product |")
			for _, y := range sv.Years {
				p(" %d |", y)
			}
			p("\n|:---|%s\n", strings.Repeat(":---:|", len(sv.Years)))
			for _, r := range sv.Binding {
				p("| %s | %s |\n", mdText(r.Product), strings.Join(r.Cells, " | "))
			}
			p("\n")
		}
		if len(sv.History) > 0 {
			p("### Model against history\n\nFacts of history from `chipsim check` (scenarios/check/checks.yaml), each with the range the checks accept; %d of %d within it in this scenario.\n\n", sv.HistoryPass, len(sv.History))
			p("| Metric | Entity | Period | Observed | Model | Within | Source |\n|:---|:---|:---|---:|---:|:---:|:---|\n")
			for _, h := range sv.History {
				within := "yes"
				if !h.Within {
					within = "**no**"
				}
				p("| `%s` | %s | %s | %s | %s | %s | %s |\n", h.Metric, mdText(h.Entity), h.Period, h.Observed, h.Model, within, mdText(h.Source))
			}
			p("\n")
		}
		if len(sv.Figures) > 0 {
			p("### Charts\n\n")
			for _, f := range sv.Figures {
				mdFigure(&b, f)
			}
		}
		p("### Assumptions\n\n%s\n\n", mdText(asmIntro(sv)))
		if sv.NAssumptions > 0 {
			if sv.Child {
				p("| Parameter | Value | Replaces | Unit | Meaning | Source | Where |\n|:---|:---|:---|:---|:---|:---|:---|\n")
			} else {
				p("| Parameter | Value | Unit | Meaning | Source | Where |\n|:---|:---|:---|:---|:---|:---|\n")
			}
			for _, g := range sv.Groups {
				for _, r := range g.Rows {
					p("| `%s` | %s |", mdCode(r.Path), mdCodeOrDash(r.Value))
					if sv.Child {
						if r.Default == "" {
							p(" not set |")
						} else {
							p(" %s |", mdCodeOrDash(r.Default))
						}
					}
					p(" %s | %s | %s | %s |\n", mdText(r.Unit), mdText(r.Meaning), mdText(r.Source), mdText(r.Where))
				}
			}
			p("\n")
		}
		p("### Policy timeline\n\n")
		if len(sv.Events) == 0 {
			p("No policy events.\n\n")
		} else {
			p("| Period | Event | Source | Where |\n|:---|:---|:---|:---|\n")
			for _, e := range sv.Events {
				p("| %s | %s | %s | %s |\n", mdText(e.Period), mdText(e.Name), mdText(e.Source), mdText(e.Where))
			}
			p("\n")
		}
	}
	return b.Bytes()
}

func mdFigure(b *bytes.Buffer, f *figureView) {
	fmt.Fprintf(b, "![%s](%s)\n\n*Figure %d. %s*\n\n", mdText(f.Title), f.PNG, f.Num, mdText(f.Title))
}

func smallPrint(v *reportView) string {
	s := "Generated by chipsim"
	if v.Version != "" {
		s += " " + v.Version
	}
	if v.Date != "" {
		s += ", run " + v.Date
	}
	return s + "."
}

func asmIntro(sv *scenarioView) string {
	switch {
	case sv.NAssumptions == 0 && sv.Child:
		return "This scenario changes no parameter of the scenario it extends; its differences are in the policy timeline."
	case sv.NAssumptions == 0:
		return "No parameter values were given to the report."
	case sv.Child:
		return fmt.Sprintf("The %d parameters this scenario sets differently from %s, with the value each replaces. Everything else is inherited. Changes made by policy events are in the timeline below.", sv.NAssumptions, sv.Chain[1])
	}
	return fmt.Sprintf("Every parameter of the scenario (%d), as written in its file, with the source given beside each value. Changes made by policy events are in the timeline below.", sv.NAssumptions)
}

// mdChain formats an extends chain: this file first, then what it extends.
func mdChain(chain []string) string {
	var parts []string
	for _, c := range chain {
		parts = append(parts, "`"+mdCode(c)+"`")
	}
	return strings.Join(parts, " extends ")
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", `\<`, ">", `\>`, "*", `\*`,
	"[", `\[`, "]", `\]`, "`", "\\`", "#", `\#`, "\n", " ", "\r", " ",
)

var mdEntity = regexp.MustCompile(`&(#?[A-Za-z0-9]+;)`)

// mdText escapes text for Markdown, table cells included: no markup, no
// HTML, no entities, no line breaks.
func mdText(s string) string {
	return mdEntity.ReplaceAllString(mdEscaper.Replace(s), `\&$1`)
}

// mdCode readies text for a code span in a table cell: backticks and
// pipes cannot be escaped inside one, so they are replaced.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

func mdCodeOrDash(s string) string {
	if s == "" {
		return ""
	}
	return "`" + mdCode(s) + "`"
}

// mdAnchor is the anchor GitHub gives a heading.
func mdAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}
