package output_test

import (
	"encoding/xml"
	"fmt"
	"html"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

var (
	reportRunsMu sync.Mutex
	reportRuns   = map[string]*output.Run{}
)

// reportInput loads and runs a shipped scenario and readies it for a
// report, as the CLI does: frame, run, description, chain, assumptions and
// charts.
func reportInput(t *testing.T, name string) (output.ReportInput, *scenarios.Scenario) {
	t.Helper()
	s, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	reportRunsMu.Lock()
	run := reportRuns[name]
	if run == nil {
		m, err := s.Model()
		if err != nil {
			reportRunsMu.Unlock()
			t.Fatal(err)
		}
		r := m.NewResult()
		m.Run(r)
		run = &output.Run{Scenario: s.Name, Description: s.Description, Chain: s.Chain, Result: r}
		for _, e := range s.Events {
			run.Events = append(run.Events, output.Event{Period: s.Spec.Calendar.Step.Label(e.At), Name: e.Name, Source: e.Source, Where: e.Pos.String()})
		}
		reportRuns[name] = run
	}
	reportRunsMu.Unlock()
	f := output.FrameOf(run, "test")
	in := output.ReportInput{Frame: f, Run: run, Description: s.Description, Chain: s.Chain}
	for _, a := range s.Assumptions() {
		in.Assumptions = append(in.Assumptions, output.Assumption(a))
	}
	in.Charts = charts(t, f)
	return in, s
}

func charts(t *testing.T, f *output.Frame) []*output.Chart {
	t.Helper()
	o := output.ChartOptions{Date: "2026-05-01"}
	ss, err := output.SelfSufficiency(f, o)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := output.Supply(f, o)
	if err != nil {
		t.Fatal(err)
	}
	return []*output.Chart{ss, sup}
}

// reportOpts draws PNG charts at 72 dpi to keep the tests quick (300 dpi
// is the default, checked by TestWriteReportBaseline).
var reportOpts = output.ReportOptions{Date: "2026-05-01", Version: "test", DPI: 72}

func writeReport(t *testing.T, inputs []output.ReportInput, compare []*output.Chart, o output.ReportOptions) (dir, html, md string) {
	t.Helper()
	dir = t.TempDir()
	files, err := output.WriteReport(dir, inputs, compare, o)
	if err != nil {
		t.Fatalf("WriteReport() error = %v", err)
	}
	n := len(compare)
	for _, in := range inputs {
		n += len(in.Charts)
	}
	if len(files) != n+2 {
		t.Errorf("WriteReport() wrote %d files (%v), want %d charts and 2 pages", len(files), files, n)
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("WriteReport() listed %s: %v", f, err)
		}
	}
	h, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkHTML(t, string(h), n)
	checkMarkdownLinks(t, dir, string(m), n)
	checkNoTemp(t, dir)
	return dir, string(h), string(m)
}

// checkHTML parses the page as XML (it is written well-formed, with HTML's
// entities), checks that it loads nothing from anywhere, and that it
// embeds n charts as inline SVG, each well-formed.
func checkHTML(t *testing.T, page string, n int) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var stack []string
	svgs, scripts := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("report.html does not parse: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(e.Name.Local)
			stack = append(stack, name)
			switch name {
			case "svg":
				svgs++
			case "script":
				scripts++
			case "img", "link", "iframe", "object", "embed", "use":
				t.Errorf("report.html has a <%s> element: the page must be self-contained", name)
			}
			for _, a := range e.Attr {
				an := strings.ToLower(a.Name.Local)
				if an == "src" || strings.HasSuffix(an, "href") {
					if !strings.HasPrefix(a.Value, "#") && !(name == "image" && strings.HasPrefix(a.Value, "data:image/")) {
						t.Errorf("report.html: <%s %s=%q>: only in-page links are allowed", name, an, a.Value)
					}
				}
				if strings.HasPrefix(an, "on") {
					t.Errorf("report.html: <%s %s>: no event handlers", name, an)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "style" {
				css := string(e)
				if strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
					t.Errorf("report.html: the style sheet loads something")
				}
			}
		}
	}
	if svgs != n {
		t.Errorf("report.html has %d <svg> elements, want %d (one per chart)", svgs, n)
	}
	if scripts > 1 {
		t.Errorf("report.html has %d <script> elements, want at most the one that opens tables for print", scripts)
	}
	for _, m := range regexp.MustCompile(`(?is)<svg.*?</svg>`).FindAllString(page, -1) {
		if err := xml.Unmarshal([]byte(m), new(struct{})); err != nil {
			t.Errorf("an inline SVG does not parse: %v", err)
		}
	}
	// Network addresses may appear only as text, never as something loaded.
	for _, m := range regexp.MustCompile(`(?i)(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?//`).FindAllString(page, -1) {
		t.Errorf("report.html refers to the network: %s", m)
	}
}

var mdLink = regexp.MustCompile(`(?:^|[^\\])\]\(([^)\s]+)\)`)

// checkMarkdownLinks checks that every relative link in report.md resolves
// to a file under dir, and that n charts are shown.
func checkMarkdownLinks(t *testing.T, dir, md string, n int) {
	t.Helper()
	imgs := 0
	for _, m := range mdLink.FindAllStringSubmatch(md, -1) {
		link := m[1]
		if strings.HasPrefix(link, "#") {
			continue
		}
		if strings.Contains(link, "://") || filepath.IsAbs(link) {
			t.Errorf("report.md links to %s: want a relative path", link)
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(link))
		if rel, err := filepath.Rel(dir, p); err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("report.md links to %s, outside the report folder", link)
			continue
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("report.md links to %s: %v", link, err)
		}
		if strings.HasSuffix(link, ".png") {
			imgs++
			data, _ := os.ReadFile(p)
			if !strings.HasPrefix(string(data), "\x89PNG") {
				t.Errorf("%s is not a PNG", link)
			}
		}
	}
	if imgs != n {
		t.Errorf("report.md shows %d PNG charts, want %d", imgs, n)
	}
}

func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

// wantHeadline formats a frame's yearly headline values as the report
// should show them, one row per year.
func wantHeadline(t *testing.T, f *output.Frame) [][]string {
	t.Helper()
	metrics := []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage", "ic.ssr_value",
		"ai.units_domestic", "ai.units_import", "ai.units_grey", "ai.unmet_h100e"}
	years := f.Years()
	rows := make([][]string, len(years))
	for y, year := range years {
		rows[y] = []string{strconv.Itoa(year)}
	}
	for i, m := range metrics {
		v, ok := f.Annual(m, "all")
		if !ok {
			t.Fatalf("frame has no %s", m)
		}
		for y := range years {
			if i < 5 {
				rows[y] = append(rows[y], pct(v[y]))
			} else {
				rows[y] = append(rows[y], output.Human(v[y]))
			}
		}
	}
	return rows
}

var (
	tagRe  = regexp.MustCompile(`<[^>]*>`)
	cellRe = regexp.MustCompile(`<t[hd][^>]*>(.*?)</t[hd]>`)
)

// tableRows returns the body rows of the n-th table with the class, as
// cell texts.
func tableRows(t *testing.T, page, class string, n int) [][]string {
	t.Helper()
	tables := regexp.MustCompile(`(?s)<table class="`+class+`[" ].*?</table>`).FindAllString(page, -1)
	if len(tables) <= n {
		t.Fatalf("report.html has %d tables of class %s, want more than %d", len(tables), class, n)
	}
	_, body, _ := strings.Cut(tables[n], "<tbody>")
	var rows [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(tr[1], -1) {
			cells = append(cells, strings.TrimSpace(unescape(tagRe.ReplaceAllString(c[1], ""))))
		}
		rows = append(rows, cells)
	}
	return rows
}

func unescape(s string) string { return html.UnescapeString(s) }

// mdTable returns the rows of the first Markdown table after a heading.
func mdTable(t *testing.T, md, heading string) [][]string {
	t.Helper()
	_, rest, ok := strings.Cut(md, heading)
	if !ok {
		t.Fatalf("report.md has no %q", heading)
	}
	var rows [][]string
	started := false
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "|") {
			if started {
				break
			}
			continue
		}
		started = true
		cells := regexp.MustCompile(`\s*(?:^|[^\\])\|\s*`).Split(strings.TrimSpace(line), -1)
		rows = append(rows, cells[1:len(cells)-1])
	}
	if len(rows) < 2 {
		t.Fatalf("report.md: no table after %q", heading)
	}
	return rows[2:] // header and alignment rows
}

func TestWriteReportBaseline(t *testing.T) {
	in, s := reportInput(t, "baseline")
	o := reportOpts
	o.DPI = 0 // the default, 300 dpi
	dir, page, md := writeReport(t, []output.ReportInput{in}, nil, o)

	for _, want := range []string{"Scenario: baseline", "Extends chain:", "<code>scenarios/baseline.yaml</code>", "Headline results by year", "Assumptions", "Policy timeline"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, `id="comparison"`) {
		t.Errorf("report.html of one scenario has a comparison section")
	}
	desc := strings.Join(strings.Fields(s.Description), " ")
	if !strings.Contains(unescape(page), desc) || !strings.Contains(md, desc[:60]) {
		t.Errorf("report lacks the description %q", desc)
	}

	// Headline: one row per year, the frame's values.
	want := wantHeadline(t, in.Frame)
	got := tableRows(t, page, "headline", 0)
	if len(got) != len(want) {
		t.Fatalf("HTML headline table has %d rows, want %d (one per year)", len(got), len(want))
	}
	gotMD := mdTable(t, md, "### Headline results by year")
	if len(gotMD) != len(want) {
		t.Fatalf("Markdown headline table has %d rows, want %d", len(gotMD), len(want))
	}
	for y := range want {
		if strings.Join(got[y], " ") != strings.Join(want[y], " ") {
			t.Errorf("HTML headline row %d = %v, want %v", y, got[y], want[y])
		}
		if strings.Join(gotMD[y], " ") != strings.Join(want[y], " ") {
			t.Errorf("Markdown headline row %d = %v, want %v", y, gotMD[y], want[y])
		}
	}
	// Spot-check against the run itself, not only the frame.
	v, _ := output.Annual(in.Run.Result, "ai.ssr_compute", "all")
	if got[3][2] != pct(v[3]) {
		t.Errorf("2025 ssr_compute = %s, want %s from the run", got[3][2], pct(v[3]))
	}

	// Definitions of the ratios.
	for _, m := range []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage", "ic.ssr_value"} {
		d, _ := sim.MetricByName(m)
		if !strings.Contains(unescape(page), d.Doc) || !strings.Contains(md, "`"+m+"`") {
			t.Errorf("report lacks the definition of %s: %q", m, d.Doc)
		}
	}

	// Charts with captions.
	for i, c := range in.Charts {
		cap := fmt.Sprintf("<b>Figure %d.</b> %s", i+1, c.Title)
		if !strings.Contains(unescape(page), cap) {
			t.Errorf("report.html lacks the caption %q", cap)
		}
		if !strings.Contains(md, fmt.Sprintf("](charts/baseline-%s.png)", c.Name)) {
			t.Errorf("report.md does not show charts/baseline-%s.png", c.Name)
		}
	}

	// Assumptions: every parameter, grouped by block, folded.
	if asmRows := strings.Count(page, `<tr><td class="p">`); asmRows != len(in.Assumptions) || len(in.Assumptions) < 250 {
		t.Errorf("report.html has %d assumption rows, want %d (every baseline parameter)", asmRows, len(in.Assumptions))
	}
	if n := strings.Count(page, "<details"); n < 8 {
		t.Errorf("report.html has %d <details> blocks, want the assumptions grouped by block", n)
	}
	if strings.Contains(page, "<details open") {
		t.Errorf("baseline's long assumption table should be folded")
	}
	asmMD := mdTable(t, md, "### Assumptions")
	if len(asmMD) != len(in.Assumptions) {
		t.Errorf("report.md has %d assumption rows, want %d", len(asmMD), len(in.Assumptions))
	}
	text := unescape(tagRe.ReplaceAllString(page, ""))
	for _, a := range in.Assumptions {
		if !strings.Contains(page, "<code>"+a.Path+"</code>") || !strings.Contains(text, a.Where) {
			t.Errorf("report.html lacks assumption %s at %s", a.Path, a.Where)
		}
	}
	if strings.Contains(page, ">Replaces<") {
		t.Errorf("a root scenario's assumptions have no Replaces column")
	}

	// Timeline: every event with its source and place.
	tl := tableRows(t, page, "tl", 0)
	if len(tl) != len(in.Frame.Events) {
		t.Errorf("HTML timeline has %d rows, want %d", len(tl), len(in.Frame.Events))
	}
	tlMD := mdTable(t, md, "### Policy timeline")
	if len(tlMD) != len(in.Frame.Events) {
		t.Errorf("Markdown timeline has %d rows, want %d", len(tlMD), len(in.Frame.Events))
	}
	for i, e := range in.Frame.Events {
		if i < len(tl) && (tl[i][0] != e.Period || tl[i][1] != e.Name || tl[i][2] != e.Source || tl[i][3] != e.Where) {
			t.Errorf("timeline row %d = %v, want %s %q %q %s", i, tl[i], e.Period, e.Name, e.Source, e.Where)
		}
	}
	// PNG charts at 300 dpi: 16 x 9 cm is 1890 x 1063 pixels.
	pf, err := os.Open(filepath.Join(dir, "charts", "baseline-self-sufficiency.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	cfg, err := png.DecodeConfig(pf)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1890 || cfg.Height != 1063 {
		t.Errorf("baseline-self-sufficiency.png is %d x %d pixels, want 1890 x 1063 (16 x 9 cm at 300 dpi)", cfg.Width, cfg.Height)
	}
}

// childFile writes a scenario that extends baseline, overrides two
// values and adds an event, and returns its path.
func childFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "tight-packaging.yaml")
	text := `name: tight-packaging
extends: baseline
description: Domestic packaging yields stay low and enforcement tightens in 2027.
grey:
  enforcement: {2022Q1: 0.2, 2027Q1: 0.6} # assumption: Chip Security Act enforcement from 2027
packaging:
  yield: 0.7 # assumption: final-test yield stuck at 70%
events:
  - at: 2028Q1
    name: Subsidy for advanced packaging
    source: test
    scale: {packaging.capacity_units_per_year: 1.2}
`
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteReportChild(t *testing.T) {
	in, s := reportInput(t, childFile(t, t.TempDir()))
	if len(in.Assumptions) != 2 {
		t.Fatalf("child assumptions = %+v, want the two overrides", in.Assumptions)
	}
	_, page, md := writeReport(t, []output.ReportInput{in}, nil, reportOpts)
	if !strings.Contains(page, ">Replaces<") || !strings.Contains(md, "Replaces |") {
		t.Errorf("a child scenario's assumptions should show the value each replaces")
	}
	if strings.Contains(page, "<details") {
		t.Errorf("a child's short assumption list should be one table, not folded")
	}
	if n := strings.Count(page, `<tr><td class="p">`); n != len(in.Assumptions) {
		t.Errorf("report.html has %d assumption rows, want %d", n, len(in.Assumptions))
	}
	asm := tableRows(t, page, "asm", 0)
	if len(asm) != 2 {
		t.Fatalf("assumption rows = %q, want 2", asm)
	}
	if !strings.HasPrefix(asm[0][0], "grey.enforcement") || asm[0][1] != "{2022Q1: 0.2, 2027Q1: 0.6}" || asm[0][2] != "{2022Q1: 0.2, 2025Q3: 0.3}" {
		t.Errorf("first assumption row = %q, want grey.enforcement replacing the baseline's schedule", asm[0])
	}
	if !strings.HasPrefix(asm[1][0], "packaging.yield") || asm[1][1] != "0.7" || asm[1][2] != "0.9" || asm[1][3] != "share 0..1" || asm[1][5] != s.File+":7" {
		t.Errorf("second assumption row = %q, want packaging.yield 0.7 replacing 0.9 at %s:7", asm[1], s.File)
	}
	asmMD := mdTable(t, md, "### Assumptions")
	if len(asmMD) != 2 || asmMD[1][1] != "`0.7`" || asmMD[1][2] != "`0.9`" {
		t.Errorf("report.md assumptions = %q, want packaging.yield `0.7` replacing `0.9`", asmMD)
	}
	if !strings.Contains(page, "<code>"+s.Chain[1]+"</code>") {
		t.Errorf("report.html lacks the parent %s in the chain", s.Chain[1])
	}
	tl := tableRows(t, page, "tl", 0)
	if last := tl[len(tl)-1]; last[1] != "Subsidy for advanced packaging" || !strings.HasPrefix(last[3], s.File+":9") {
		t.Errorf("last timeline row = %q, want the child's event at %s:9", last, s.File)
	}
}

func TestWriteReportCompare(t *testing.T) {
	a, _ := reportInput(t, "baseline")
	b, _ := reportInput(t, "h200-blocked")
	cmp, err := output.SelfSufficiency(a.Frame, output.ChartOptions{}) // stands in for a comparison chart
	if err != nil {
		t.Fatal(err)
	}
	cmp.Name, cmp.Title = "ssr-compute", "Domestic share of compute, by scenario"
	_, page, md := writeReport(t, []output.ReportInput{a, b}, []*output.Chart{cmp}, reportOpts)
	ic, ia, ib := strings.Index(page, `<section id="comparison">`), strings.Index(page, `<section id="s-baseline">`), strings.Index(page, `<section id="s-h200-blocked">`)
	if ic < 0 || ia < ic || ib < ia {
		t.Errorf("report.html sections at %d (comparison), %d, %d: want the comparison first, then the scenarios in order", ic, ia, ib)
	}
	if !strings.Contains(page, "<b>Figure 1.</b> Domestic share of compute, by scenario") || !strings.Contains(md, "](charts/compare-ssr-compute.png)") {
		t.Errorf("the comparison chart is not figure 1 in both pages")
	}
	rows := tableRows(t, page, "cmp", 0)
	if len(rows) != 2 || rows[0][0] != "baseline" || rows[1][0] != "h200-blocked" {
		t.Fatalf("comparison table rows = %v, want baseline and h200-blocked", rows)
	}
	v, _ := b.Frame.Annual("ai.ssr_compute", "all")
	if rows[1][len(rows[1])-1] != pct(v[len(v)-1]) {
		t.Errorf("comparison table h200-blocked last year = %s, want %s", rows[1][len(rows[1])-1], pct(v[len(v)-1]))
	}
	if ic, ia := strings.Index(md, "## Comparison"), strings.Index(md, "## Scenario: baseline"); ic < 0 || ia < ic {
		t.Errorf("report.md: want the comparison before the scenarios")
	}
}

func TestWriteReportEscaping(t *testing.T) {
	in, _ := reportInput(t, "baseline")
	evil := `<script>alert("x")</script> & | *bold* [link](http://example.com)`
	f := *in.Frame
	f.Events = append(append([]output.Event(nil), f.Events...), output.Event{Period: "2027Q1", Name: evil, Source: "<img src=x onerror=alert(1)>", Where: "t.yaml:3:5"})
	in.Frame = &f
	in.Description = `A <b>bold</b> claim & "quotes"`
	in.Assumptions = append([]output.Assumption{{Path: "demand.growth", Value: "{a: 1}", Unit: "share", Source: `see </td></tr></table> | pipe`, Where: "t.yaml:1"}}, in.Assumptions...)
	in.Charts = charts(t, &f) // the event is in the chart's key too
	_, page, md := writeReport(t, []output.ReportInput{in}, nil, reportOpts)
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>bold</b>", "</td></tr></table> |"} {
		if strings.Contains(page, bad) {
			t.Errorf("report.html contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; | *bold*", "A &lt;b&gt;bold&lt;/b&gt; claim"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks the escaped text %q", want)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp;amp;") && !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; |") {
		t.Errorf("report.html: the chart key does not escape the event name")
	}
	for _, bad := range []string{"<script>", "<img", "<b>", "[link](http"} {
		if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad)).MatchString(md) {
			t.Errorf("report.md contains %q unescaped", bad)
		}
	}
	if !strings.Contains(md, `\<script\>alert("x")\</script\> & \| \*bold\* \[link\](http://example.com)`) {
		t.Errorf("report.md does not escape the event name as expected")
	}
	tl := mdTable(t, md, "### Policy timeline")
	last := tl[len(tl)-1]
	if len(last) != 4 || last[0] != "2027Q1" {
		t.Errorf("report.md timeline row with the escaped event = %q, want 4 cells (a pipe in text must not split cells)", last)
	}
}

// panicky is a plotter that fails while drawing.
type panicky struct{}

func (panicky) Plot(draw.Canvas, *plot.Plot) { panic("plotter broke") }

func TestWriteReportAtomic(t *testing.T) {
	in, _ := reportInput(t, "baseline")
	bad := &output.Chart{Name: "broken", Title: "Broken"}
	p := plot.New()
	p.Add(panicky{})
	bad.Plots = []*plot.Plot{p}

	dir := t.TempDir()
	in2 := in
	in2.Charts = append(append([]*output.Chart(nil), in.Charts...), bad)
	if _, err := output.WriteReport(dir, []output.ReportInput{in2}, nil, reportOpts); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("WriteReport() with a failing chart: error = %v, want one naming the chart", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("a failing chart left %v in the report folder, want nothing", names)
	}

	// The charts folder cannot be written: no page links to missing files.
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "charts"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := output.WriteReport(dir, []output.ReportInput{in}, nil, reportOpts); err == nil {
		t.Errorf("WriteReport() with an unwritable charts folder: no error")
	}
	for _, name := range []string{"report.html", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a failing chart left %s behind", name)
		}
	}
	checkNoTemp(t, dir)

	if _, err := output.WriteReport(t.TempDir(), nil, nil, reportOpts); err == nil {
		t.Errorf("WriteReport() of no scenarios: no error")
	}
}

// TestReportLook writes the baseline and a comparison report into
// $CHIPSIM_REPORT_DIR, to look at in a browser.
func TestReportLook(t *testing.T) {
	dir := os.Getenv("CHIPSIM_REPORT_DIR")
	if dir == "" {
		t.Skip("set CHIPSIM_REPORT_DIR to write a report to look at")
	}
	in, _ := reportInput(t, "baseline")
	if _, err := output.WriteReport(dir, []output.ReportInput{in}, nil, reportOpts); err != nil {
		t.Fatal(err)
	}
	var ins []output.ReportInput
	for _, n := range []string{"baseline", "h200-blocked", childFile(t, t.TempDir())} {
		x, _ := reportInput(t, n)
		ins = append(ins, x)
	}
	if _, err := output.WriteReport(filepath.Join(dir, "compare"), ins, nil, reportOpts); err != nil {
		t.Fatal(err)
	}
}
