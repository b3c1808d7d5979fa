package scenarios

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// Tests of events dated by day (at: 2025-04-14, end: 2025-05-20). Such an
// event covers only part of its first (or last) period. Fields the engine
// blends (sim.FieldDef.Blended: the trade rules of an import, HBM imports)
// keep the values before the event in the entry's part-period record
// (sim.Part) and take the event in full; every other field takes the change
// in proportion to the share of the period covered.
//
// Day counts are worked out by hand in the comments (and checked against
// sim.Calendar.PeriodShare, which the loader uses): 2024 is a leap year.
// In a quarterly run from 2022Q1, period 9 is 2024Q2, 10 is 2024Q3.

// parseDated parses a scenario that extends the baseline.
func parseDated(t *testing.T, body string) *Scenario {
	t.Helper()
	src := "extends: baseline\n" + body
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q) error = %v", src, err)
	}
	return s
}

// periodIndex returns the index of the period a label such as 2024Q2,
// 2024-05 or 2024 starts, failing unless it starts one of the run.
func periodIndex(t *testing.T, s *Scenario, label string) int {
	t.Helper()
	m, _, err := sim.ParseMonth(label)
	if err != nil {
		t.Fatal(err)
	}
	cal := s.Spec.Calendar
	i := cal.Index(m)
	if i < 0 || i >= cal.N || cal.Month(i) != m {
		t.Fatalf("%s does not start a period of %s's run", label, s.Name)
	}
	return i
}

// runDated compiles and runs a scenario.
func runDated(t *testing.T, s *Scenario) *sim.Result {
	t.Helper()
	m, err := s.Model()
	if err != nil {
		t.Fatalf("%s: Model() error = %v", s.Name, err)
	}
	r := m.NewResult()
	m.Run(r)
	return r
}

// metric returns a metric's series for an entity.
func metric(t *testing.T, r *sim.Result, name, entity string) sim.Series {
	t.Helper()
	v, ok := r.Series(name, entity)
	if !ok {
		t.Fatalf("no metric %s for %s", name, entity)
	}
	return v
}

// sameBits reports whether a and b hold the same values bit for bit (nil
// and empty differ).
func sameBits(a, b []float64) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// partDiff describes the first difference between two part-period
// records, or returns "".
func partDiff(what string, a, b *sim.Part) string {
	if !sameBits(a.Share, b.Share) {
		return fmt.Sprintf("%s: Share %v, want %v", what, a.Share, b.Share)
	}
	if len(a.Alt) != len(b.Alt) {
		return fmt.Sprintf("%s: %d Alt series, want %d", what, len(a.Alt), len(b.Alt))
	}
	for k := range a.Alt {
		if !sameBits(a.Alt[k], b.Alt[k]) {
			return fmt.Sprintf("%s: Alt[%d] = %v, want %v", what, k, a.Alt[k], b.Alt[k])
		}
	}
	return ""
}

// specDiff describes the first difference between two specs of the same
// scenario, in any parameter or part-period record, bit for bit; "" when
// they are identical.
func specDiff(got, want *sim.Spec) string {
	gf, wf := got.Fields(), want.Fields()
	if len(gf) != len(wf) {
		return fmt.Sprintf("%d fields, want %d", len(gf), len(wf))
	}
	for i := range gf {
		if gf[i].Path != wf[i].Path {
			return fmt.Sprintf("field %d is %s, want %s", i, gf[i].Path, wf[i].Path)
		}
		if gf[i].Num != nil && !sameBits(*gf[i].Num, *wf[i].Num) {
			return fmt.Sprintf("%s = %v, want %v", gf[i].Path, *gf[i].Num, *wf[i].Num)
		}
	}
	if d := partDiff("hbm part", &got.HBM.Part, &want.HBM.Part); d != "" {
		return d
	}
	for i := range got.Imports {
		if d := partDiff("imports."+got.Imports[i].ID+" part", &got.Imports[i].Part, &want.Imports[i].Part); d != "" {
			return d
		}
	}
	return ""
}

// flatScenario writes the baseline as a scenario of its own on the time
// axis given: every parameter at its first period's value, no events. It
// lets a test use a step (a year) that the baseline's quarterly schedule
// keys and events do not fit.
func flatScenario(t *testing.T, timeLine string) string {
	t.Helper()
	base, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	lines := map[string][]string{}
	var entries []string // coll.id, in order
	for _, f := range base.Spec.Fields() {
		var v string
		switch {
		case f.Num != nil && f.Def.Kind == sim.Enum:
			v = f.Def.Enum[int((*f.Num)[0])]
		case f.Num != nil && math.IsInf((*f.Num)[0], 1):
			v = ".inf"
		case f.Num != nil:
			v = strconv.FormatFloat((*f.Num)[0], 'f', -1, 64)
		case f.Str != nil:
			v = strconv.Quote(*f.Str)
		case f.Date != nil:
			v = sim.Monthly.Label(*f.Date)
		case f.Flag != nil:
			v = strconv.FormatBool(*f.Flag)
		}
		parts := strings.Split(f.Path, ".")
		if !slices.Contains(blocks, parts[0]) {
			blocks = append(blocks, parts[0])
		}
		if len(parts) == 2 {
			lines[parts[0]] = append(lines[parts[0]], "  "+parts[1]+": "+v)
			continue
		}
		e := parts[0] + "." + parts[1]
		if !slices.Contains(entries, e) {
			entries = append(entries, e)
			lines[parts[0]] = append(lines[parts[0]], "  "+parts[1]+":")
		}
		lines[parts[0]] = append(lines[parts[0]], "    "+parts[2]+": "+v)
	}
	var b strings.Builder
	b.WriteString("name: flat\n" + timeLine + "\n")
	for _, blk := range blocks {
		b.WriteString(blk + ":\n" + strings.Join(lines[blk], "\n") + "\n")
	}
	return b.String()
}

// TestDatedProportional checks fields the engine does not blend: a change
// dated by day takes effect in proportion to the days of the period it
// covers, in its first and in its last period.
func TestDatedProportional(t *testing.T) {
	const base = "grey:\n  cloud_h100e: 1000\n"
	tests := []struct {
		name, yaml, path, from string
		want                   []float64 // periods from `from` on
	}{
		// 2024Q2 has 30+31+30 = 91 days; 2024-05-16 leaves 16+30 = 46 of
		// them, so scale 0 keeps 45/91 of the H800's 120000 a year.
		{"scale from a day", "events:\n  - at: 2024-05-16\n    source: test\n    scale: {imports.H800.smuggling_units_per_year: 0}\n",
			"imports.H800.smuggling_units_per_year", "2024Q1", []float64{120000, 120000 * 45.0 / 91, 0, 0, 0}},
		// 2024Q1 has 31+29+31 = 91 days (a leap year); 2024-02-10 leaves
		// 20+31 = 51: add 910 x 51/91 = 510.
		{"add from a day in a leap February", base + "events:\n  - at: 2024-02-10\n    source: test\n    add: {grey.cloud_h100e: 910}\n",
			"grey.cloud_h100e", "2023Q4", []float64{1000, 1510, 1910, 1910}},
		// 2024Q3 has 31+31+30 = 92 days; the event covers 31+10 = 41 of
		// them through 2024-08-10.
		{"set from a day to a day", base + "events:\n  - at: 2024-05-16\n    end: 2024-08-10\n    source: test\n    set: {grey.cloud_h100e: 2000}\n",
			"grey.cloud_h100e", "2024Q1", []float64{1000, 1000 + 1000*46.0/91, 1000 + 1000*41.0/92, 1000}},
		// From the period's start to 2024-05-15: 30+15 = 45 of 91 days.
		{"set to a day", base + "events:\n  - at: 2024Q2\n    end: 2024-05-15\n    source: test\n    set: {grey.cloud_h100e: 2000}\n",
			"grey.cloud_h100e", "2024Q1", []float64{1000, 1000 + 1000*45.0/91, 1000}},
		// Both dates in one period: 2024-05-16 to 2024-06-15 is 16+15 = 31
		// of 91 days.
		{"set within a period", base + "events:\n  - at: 2024-05-16\n    end: 2024-06-15\n    source: test\n    set: {grey.cloud_h100e: 2000}\n",
			"grey.cloud_h100e", "2024Q1", []float64{1000, 1000 + 1000*31.0/91, 1000}},
		// A ramp's progress (1/2 in its first period) and the share of the
		// period covered multiply.
		{"ramp from a day", base + "events:\n  - at: 2024-05-16\n    ramp: 2\n    source: test\n    set: {grey.cloud_h100e: 2000}\n",
			"grey.cloud_h100e", "2024Q1", []float64{1000, 1000 + 1000*0.5*46.0/91, 2000, 2000}},
		// A shortcut's scale: 2025Q1 has 31+28+31 = 90 days; 2025-02-10
		// leaves 19+31 = 50.
		{"shortcut scale from a day", "hbm:\n  domestic_capacity_stacks_per_year: 1000000\nevents:\n  - at: 2025-02-10\n    source: test\n    hbm_control: {domestic_scale: 0.5}\n",
			"hbm.domestic_capacity_stacks_per_year", "2024Q4", []float64{1e6, 1e6 * (1 - 0.5*50.0/90), 5e5, 5e5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseDated(t, tt.yaml)
			from := periodIndex(t, s, tt.from)
			if got := paramSeries(t, s, tt.path, from, from+len(tt.want)-1); !near(got, tt.want) {
				t.Errorf("%s from %s = %v, want %v", tt.path, tt.from, got, tt.want)
			}
		})
	}

	// The hand counts above agree with the calendar's.
	cal := parseDated(t, "").Spec.Calendar
	day := func(s string) sim.Day {
		d, err := sim.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		t             int
		from, through string
		want          float64
	}{
		{9, "2024-05-16", "", 46.0 / 91},
		{8, "2024-02-10", "", 51.0 / 91},
		{10, "", "2024-08-10", 41.0 / 92},
		{9, "2024-05-16", "2024-06-15", 31.0 / 91},
		{12, "2025-02-10", "", 50.0 / 90},
	} {
		var from, through sim.Day
		if c.from != "" {
			from = day(c.from)
		}
		if c.through != "" {
			through = day(c.through)
		}
		if got := cal.PeriodShare(c.t, from, through); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("PeriodShare(%s, %q, %q) = %v, want %v", cal.Label(c.t), c.from, c.through, got, c.want)
		}
	}

	// A proportional field does not split its entry's rules: the H800's
	// trade rules in 2024Q2 stay whole.
	s := parseDated(t, tests[0].yaml)
	if p := importOf(s.Spec, "H800").Part; p.At(9) != 1 {
		t.Errorf("imports.H800 part-period share in 2024Q2 = %v after a smuggling change, want 1", p.At(9))
	}
}

// TestDatedBlendedImport bans the H20 in China from 2024-08-20: the
// import's rules split 2024Q3 (42 of its 92 days banned), and the engine
// runs the rest of the quarter on the rules before.
func TestDatedBlendedImport(t *testing.T) {
	s := parseDated(t, "events:\n  - at: 2024-08-20\n    source: test\n    import_stance: {product: H20, stance: banned}\n")
	base := runShipped(t, "baseline")
	q3 := periodIndex(t, s, "2024Q3")
	cal := s.Spec.Calendar
	from, _ := sim.ParseDay("2024-08-20")
	share := 42.0 / 92 // 12 days of August and 30 of September
	if got := cal.PeriodShare(q3, from, sim.Day{}); got != share {
		t.Fatalf("PeriodShare(2024Q3, 2024-08-20) = %v, want %v", got, share)
	}

	im, bim := importOf(s.Spec, "H20"), importOf(base.s.Spec, "H20")
	if got := im.Part.At(q3); got != share {
		t.Errorf("imports.H20 part-period share in 2024Q3 = %v, want %v", got, share)
	}
	for tt := 0; tt < cal.N; tt++ {
		if tt != q3 && im.Part.At(tt) != bim.Part.At(tt) {
			t.Errorf("imports.H20 part-period share in %s = %v, want the baseline's %v", cal.Label(tt), im.Part.At(tt), bim.Part.At(tt))
		}
	}
	// Before the ban: the whole entry as it was (stance open, status and
	// supply the baseline's).
	if im.Part.Alt == nil || im.Part.Alt[1] == nil || im.Part.Alt[1][q3] != sim.CNOpen {
		t.Fatalf("imports.H20 cn_stance before 2024-08-20 not kept as open: Alt = %v", im.Part.Alt)
	}
	for k, ser := range []sim.Series{bim.USStatus, bim.CNStance, bim.Supply, bim.USVolume, bim.CapShare, bim.Quota, bim.Fee} {
		if got := im.Part.Alt[k][q3]; got != ser[q3] {
			t.Errorf("imports.H20 Alt[%d] in 2024Q3 = %v, want the baseline's %v", k, got, ser[q3])
		}
	}
	// The series takes the new stance in full, from 2024Q3 on.
	for tt := q3 - 1; tt < cal.N; tt++ {
		want := float64(sim.CNBanned)
		if tt < q3 {
			want = sim.CNOpen
		}
		if im.CNStance[tt] != want {
			t.Errorf("imports.H20.cn_stance in %s = %v, want %v", cal.Label(tt), im.CNStance[tt], want)
		}
	}

	// The engine: the H20 sells in 2024Q3 only before the ban. Its sales
	// that quarter are set by what it may offer (its supply), so they fall
	// to about the share of the quarter before the ban, 50/92 of the
	// baseline's; the band allows ±10% for buyers who move between
	// products.
	got := metric(t, runDated(t, s), "product.units", "H20")
	want := metric(t, base.r, "product.units", "H20")
	if !(got[q3] > 0 && got[q3] < want[q3]) {
		t.Errorf("H20 units in 2024Q3 = %v, want strictly between 0 and the baseline's %v", got[q3], want[q3])
	}
	if ratio, lo, hi := got[q3]/want[q3], 0.9*50/92, 1.1*50/92; ratio < lo || ratio > hi {
		t.Errorf("H20 units in 2024Q3 = %v of the baseline's, want %v to %v", ratio, lo, hi)
	}
	if want[q3+1] <= 0 {
		t.Fatalf("baseline H20 units in 2024Q4 = %v, want some", want[q3+1])
	}
	end := periodIndex(t, s, "2026Q4") // the H20's last period on sale
	for tt := q3 + 1; tt <= end; tt++ {
		if got[tt] != 0 {
			t.Errorf("H20 units in %s = %v while banned, want 0", cal.Label(tt), got[tt])
		}
	}

	// Blended numbers, too, take the change in full (not in proportion)
	// and keep the value before it.
	for _, tc := range []struct {
		op, path string
		want     float64
		part     func(*sim.Spec) (*sim.Part, int)
	}{
		{"set: {imports.H20.supply_units_per_year: 600000}", "imports.H20.supply_units_per_year", 600000,
			func(sp *sim.Spec) (*sim.Part, int) { return &importOf(sp, "H20").Part, 2 }},
		{"export_status: {product: H20, status: licensed, cap_share: 0.25}", "imports.H20.cap_share", 0.25,
			func(sp *sim.Spec) (*sim.Part, int) { return &importOf(sp, "H20").Part, 4 }},
		{"set: {hbm.import_stacks_per_year: 0}", "hbm.import_stacks_per_year", 0,
			func(sp *sim.Spec) (*sim.Part, int) { return &sp.HBM.Part, 3 }},
	} {
		s := parseDated(t, "events:\n  - at: 2024-08-20\n    source: test\n    "+tc.op+"\n")
		before := paramSeries(t, base.s, tc.path, q3, q3)[0]
		if before == tc.want {
			t.Fatalf("%s: the baseline's value in 2024Q3 is already %v", tc.op, before)
		}
		if got := paramSeries(t, s, tc.path, q3, q3)[0]; got != tc.want {
			t.Errorf("%s from 2024-08-20: %s in 2024Q3 = %v, want %v in full", tc.op, tc.path, got, tc.want)
		}
		p, k := tc.part(s.Spec)
		if p.At(q3) != share || len(p.Alt) <= k || p.Alt[k] == nil || p.Alt[k][q3] != before {
			t.Errorf("%s from 2024-08-20: share %v, value before %v; want %v, %v", tc.op, p.At(q3), p.Alt, share, before)
		}
	}
}

// TestDatedOrderIndependent lists a ban from 2027-02-15 and a whole-quarter
// supply cut in 2027Q1 in both orders: the cut applies to the part of the
// quarter before the ban too, so the results are the same.
func TestDatedOrderIndependent(t *testing.T) {
	const ban = "  - at: 2027-02-15\n    source: test\n    import_stance: {product: MI325X, stance: banned}\n"
	const cut = "  - at: 2027Q1\n    source: test\n    set: {imports.MI325X.supply_units_per_year: 0}\n"
	a := parseDated(t, "events:\n"+ban+cut)
	b := parseDated(t, "events:\n"+cut+ban)
	q1 := periodIndex(t, a, "2027Q1")

	if d := specDiff(a.Spec, b.Spec); d != "" {
		t.Errorf("ban then cut differs from cut then ban: %s", d)
	}
	for name, s := range map[string]*Scenario{"ban then cut": a, "cut then ban": b} {
		im := importOf(s.Spec, "MI325X")
		// 2027Q1 has 31+28+31 = 90 days; 2027-02-15 leaves 14+31 = 45.
		if got := im.Part.At(q1); got != 0.5 {
			t.Errorf("%s: MI325X part-period share in 2027Q1 = %v, want 0.5", name, got)
		}
		if im.Part.Alt != nil && len(im.Part.Alt) > 2 && im.Part.Alt[2] != nil {
			if got := im.Part.Alt[2][q1]; got != 0 {
				t.Errorf("%s: MI325X supply before 2027-02-15 = %v, want 0 (the whole-quarter cut)", name, got)
			}
			if got := im.Part.Alt[1][q1]; got != sim.CNOpen {
				t.Errorf("%s: MI325X stance before 2027-02-15 = %v, want open", name, got)
			}
		} else {
			t.Errorf("%s: MI325X has no earlier values in 2027Q1: Alt = %v", name, im.Part.Alt)
		}
	}

	ra, rb := runDated(t, a), runDated(t, b)
	if !sameBits(ra.Data, rb.Data) {
		t.Error("model outputs differ with the order of the events")
	}
	for name, r := range map[string]*sim.Result{"ban then cut": ra, "cut then ban": rb} {
		if u := metric(t, r, "product.units", "MI325X"); u[q1] != 0 {
			t.Errorf("%s: MI325X units in 2027Q1 = %v, want 0 with no supply", name, u[q1])
		}
	}
	// Without the cut, MI325X sells in 2027Q1: the zero above is the cut's.
	only := parseDated(t, "events:\n"+ban)
	if u := metric(t, runDated(t, only), "product.units", "MI325X"); u[q1] <= 0 {
		t.Errorf("MI325X units in 2027Q1 with the ban alone = %v, want some (half the quarter is before it)", u[q1])
	}
}

// TestDatedSteps checks the share of a month and of a year that an event
// dated by day covers.
func TestDatedSteps(t *testing.T) {
	t.Run("month", func(t *testing.T) {
		s := parseDated(t, "time: {start: 2022Q1, end: 2035Q4, step: month}\ngrey:\n  cloud_h100e: 1000\n"+
			"events:\n  - at: 2024-05-16\n    source: test\n    add: {grey.cloud_h100e: 310}\n"+
			"  - at: 2024-08-20\n    source: test\n    import_stance: {product: H20, stance: banned}\n")
		if got, want := s.Spec.Calendar.Step, sim.Monthly; got != want {
			t.Fatalf("step = %v, want %v", got, want)
		}
		// May has 31 days; from the 16th, 16 of them: 310 x 16/31 = 160.
		may := periodIndex(t, s, "2024-05")
		if got, want := paramSeries(t, s, "grey.cloud_h100e", may-1, may+1), []float64{1000, 1160, 1310}; !near(got, want) {
			t.Errorf("grey.cloud_h100e 2024-04..06 = %v, want %v", got, want)
		}
		// August from the 20th: 12 of 31 days.
		aug := periodIndex(t, s, "2024-08")
		im := importOf(s.Spec, "H20")
		if got := im.Part.At(aug); got != 12.0/31 {
			t.Errorf("imports.H20 part-period share in 2024-08 = %v, want 12/31", got)
		}
		if im.Part.At(aug-1) != 1 || im.Part.At(aug+1) != 1 {
			t.Errorf("imports.H20 part-period share in 2024-07, 2024-09 = %v, %v, want 1", im.Part.At(aug-1), im.Part.At(aug+1))
		}
		if im.Part.Alt[1][aug] != sim.CNOpen || im.CNStance[aug] != sim.CNBanned {
			t.Errorf("imports.H20 stance in 2024-08 = %v, before the ban %v; want banned, open", im.CNStance[aug], im.Part.Alt[1][aug])
		}
		// The baseline's HBM control from 2024-12-02: 30 of December's 31 days.
		if got := s.Spec.HBM.Part.At(periodIndex(t, s, "2024-12")); got != 30.0/31 {
			t.Errorf("hbm part-period share in 2024-12 = %v, want 30/31", got)
		}
		runDated(t, s)
	})
	t.Run("year", func(t *testing.T) {
		src := flatScenario(t, "time: {start: 2022, end: 2035, step: year}") +
			"events:\n  - at: 2024-05-16\n    source: test\n    add: {grey.cloud_h100e: 366}\n" +
			"  - at: 2025-03-01\n    source: test\n    add: {grey.cloud_h100e: 365}\n" +
			"  - at: 2024-08-20\n    source: test\n    import_stance: {product: H20, stance: banned}\n"
		s, err := Parse("flat.yaml", []byte(src))
		if err != nil {
			t.Fatalf("Parse(flat baseline by year) error = %v", err)
		}
		if got, want := s.Spec.Calendar.Step, sim.Yearly; got != want {
			t.Fatalf("step = %v, want %v", got, want)
		}
		y24 := periodIndex(t, s, "2024")
		c := s.base["grey.cloud_h100e"][0]
		// 2024 has 366 days, 31+29+31+30+15 = 136 of them before
		// 2024-05-16: 230 covered. 2025 has 365, 31+28 = 59 before
		// 2025-03-01: 306 covered.
		want := []float64{c, c + 230, c + 366 + 306, c + 366 + 365}
		if got := paramSeries(t, s, "grey.cloud_h100e", y24-1, y24+2); !near(got, want) {
			t.Errorf("grey.cloud_h100e 2023..2026 = %v, want %v", got, want)
		}
		// 213 days before August, 19 more before the 20th: 134 of 366 banned.
		im := importOf(s.Spec, "H20")
		if got := im.Part.At(y24); got != 134.0/366 {
			t.Errorf("imports.H20 part-period share in 2024 = %v, want 134/366", got)
		}
		if im.Part.Alt[1][y24] != sim.CNOpen || im.CNStance[y24] != sim.CNBanned {
			t.Errorf("imports.H20 stance in 2024 = %v, before the ban %v; want banned, open", im.CNStance[y24], im.Part.Alt[1][y24])
		}
		runDated(t, s)
	})
}

// TestDatedChoices: a choice the engine does not blend cannot change
// part-way through a period; an event dated by the first day of a period
// (or ending on its last day) covers whole periods, so it must act exactly
// as the same event dated by period.
func TestDatedChoices(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"demand model from a day", "events:\n  - at: 2024-05-16\n    source: test\n    set: {demand.model: logistic}\n",
			"t.yaml:5:11: event: demand.model is a choice that cannot change part-way through a period; date the event by period (such as 2025Q2)"},
		{"yield model to a day", "events:\n  - at: 2024Q2\n    end: 2024-05-20\n    source: test\n    set: {foundry.smic_n2.yield_model: murphy}\n",
			"t.yaml:6:11: event: foundry.smic_n2.yield_model is a choice that cannot change part-way through a period; date the event by period (such as 2025Q2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "extends: baseline\n" + tc.src
			s, err := Parse("t.yaml", []byte(src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse(%q) error = %v, want %v", src, err, tc.want)
			}
			if s != nil {
				t.Errorf("Parse(%q) returned a scenario with error %v", src, err)
			}
		})
	}

	for _, tc := range []struct {
		name, byPeriod, byDay string
		bug                   string // the regression this case guards against, where there was one
	}{
		{"number", "  - at: 2024Q2\n    source: test\n    set: {grey.cloud_h100e: 5}\n",
			"  - at: 2024-04-01\n    source: test\n    set: {grey.cloud_h100e: 5}\n", ""},
		{"number, ramp and end", "  - at: 2024Q2\n    end: 2025Q1\n    ramp: 2\n    scale: {packaging.yield: 0.5}\n    source: test\n",
			"  - at: 2024-04-01\n    end: 2025-03-31\n    ramp: 2\n    scale: {packaging.yield: 0.5}\n    source: test\n", ""},
		{"blended", "  - at: 2024Q3\n    end: 2024Q4\n    source: test\n    import_stance: {product: H20, stance: banned}\n",
			"  - at: 2024-07-01\n    end: 2024-12-31\n    source: test\n    import_stance: {product: H20, stance: banned}\n", ""},
		{"blended after a split", "  - at: 2025Q2\n    source: test\n    set: {imports.H20.fee_share: 0.1}\n",
			"  - at: 2025-04-01\n    source: test\n    set: {imports.H20.fee_share: 0.1}\n", ""},
		{"choice", "  - at: 2024Q2\n    end: 2024Q3\n    source: test\n    set: {demand.model: logistic}\n",
			"  - at: 2024-04-01\n    end: 2024-09-30\n    source: test\n    set: {demand.model: logistic}\n",
			"scenarios/build.go apply: a choice the engine does not blend, dated by the first day of a period (at: 2024-04-01) or ending on the last (end: 2024-09-30), is rejected as changing part-way through a period, although it covers whole periods"},
	} {
		t.Run("first day: "+tc.name, func(t *testing.T) {
			p := parseDated(t, "events:\n"+tc.byPeriod)
			src := "extends: baseline\nevents:\n" + tc.byDay
			d, err := Parse("t.yaml", []byte(src))
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", src, err)
			}
			if diff := specDiff(d.Spec, p.Spec); diff != "" {
				t.Errorf("dated by day differs from dated by period: %s", diff)
			}
			if !sameBits(runDated(t, d).Data, runDated(t, p).Data) {
				t.Error("model outputs differ between the event dated by day and by period")
			}
		})
	}
}

// TestDatedTiers checks shortcuts that name an export-control tier.
func TestDatedTiers(t *testing.T) {
	base := runShipped(t, "baseline").s
	t.Run("members only", func(t *testing.T) {
		s := parseDated(t, "events:\n  - at: 2024Q3\n    source: test\n    export_status: {tier: compliant_2023, status: banned}\n")
		from := periodIndex(t, s, "2024Q3")
		var members []string
		for _, p := range s.Spec.Products {
			if p.Origin == "foreign" && p.Tier == "compliant_2023" {
				members = append(members, p.ID)
			}
		}
		if len(members) == 0 || len(members) == len(s.Spec.Imports) {
			t.Fatalf("tier compliant_2023 has members %v: the test needs some foreign products in it and some not", members)
		}
		bf := map[string]sim.Field{}
		for _, f := range base.Spec.Fields() {
			bf[f.Path] = f
		}
		for _, f := range s.Spec.Fields() {
			if f.Num == nil {
				continue
			}
			want := *bf[f.Path].Num
			parts := strings.Split(f.Path, ".")
			if parts[0] == "imports" && slices.Contains(members, parts[1]) && parts[2] == "us_status" {
				want = append(sim.Series(nil), want...)
				for tt := from; tt < len(want); tt++ {
					want[tt] = sim.USBanned
				}
			}
			if !sameBits(*f.Num, want) {
				t.Errorf("%s = %v, want %v", f.Path, *f.Num, want)
			}
		}
		// The baseline's later events split 2025Q2 and 2025Q3 for the
		// tier; the ban, listed after them, holds before those dates too.
		for _, im := range s.Spec.Imports {
			bim := importOf(base.Spec, im.ID)
			if !slices.Contains(members, im.ID) {
				if d := partDiff(im.ID, &im.Part, &bim.Part); d != "" {
					t.Errorf("product outside the tier: %s", d)
				}
				continue
			}
			split := 0
			for tt := from; tt < s.Spec.Calendar.N; tt++ {
				if im.Part.At(tt) < 1 {
					split++
					if im.Part.Alt[0][tt] != sim.USBanned {
						t.Errorf("imports.%s us_status before the change in %s = %v, want banned", im.ID, s.Spec.Calendar.Label(tt), im.Part.Alt[0][tt])
					}
				}
			}
			if split == 0 {
				t.Errorf("imports.%s: no part-period split after 2024Q3; the baseline has some", im.ID)
			}
		}
		if got := s.Events[len(s.Events)-1].Ops[0].Targets; len(got) != len(members) {
			t.Errorf("tier operation targets %v, want the us_status of %v", got, members)
		}
	})

	t.Run("errors", func(t *testing.T) {
		const tiers = "tiers (products.*.tier): compliant_2022, compliant_2023, gaming, prior_gen, frontier"
		for _, tc := range []struct {
			name, op, want string
			prefix         bool // want is the start of the message
		}{
			{"unknown tier", "export_status: {tier: nope, status: banned}",
				`t.yaml:5:27: export_status: no export-control tier "nope"; ` + tiers, false},
			{"misspelt tier", "import_stance: {tier: prior_gn, stance: banned}",
				`t.yaml:5:27: import_stance: no export-control tier "prior_gn" (did you mean prior_gen?); ` + tiers, false},
			{"product and tier", "export_status: {product: H20, tier: prior_gen, status: banned}",
				"t.yaml:5:35: export_status: give product or tier, not both", false},
			{"empty tier", "export_status: {tier: , status: banned}",
				"t.yaml:5:27: export_status: tier: want a name", true},
			{"empty text tier", "import_stance: {tier: '', stance: banned}",
				"t.yaml:5:27: import_stance: tier: want a name", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				src := "extends: baseline\nevents:\n  - at: 2024Q2\n    source: test\n    " + tc.op + "\n"
				_, err := Parse("t.yaml", []byte(src))
				if err == nil || (!tc.prefix && err.Error() != tc.want) || (tc.prefix && !strings.HasPrefix(err.Error(), tc.want)) {
					t.Errorf("Parse(%q) error = %v, want %v", src, err, tc.want)
				}
			})
		}
	})

	t.Run("uncertain value", func(t *testing.T) {
		s := parseDated(t, "events:\n  - at: 2027Q1\n    id: h200cap\n    source: test\n"+
			"    export_status: {tier: prior_gen, status: licensed, cap_share: {dist: uniform, min: 0.2, max: 0.8}}\n")
		qs := s.Quantities()
		if len(qs) != 1 || qs[0].Name != "h200cap.tiers.prior_gen.cap_share" {
			var names []string
			for _, q := range qs {
				names = append(names, q.Name)
			}
			t.Fatalf("Quantities() = %v, want one shared input h200cap.tiers.prior_gen.cap_share", names)
		}
		var members []string
		for _, p := range s.Spec.Products {
			if p.Origin == "foreign" && p.Tier == "prior_gen" {
				members = append(members, p.ID)
			}
		}
		if len(members) < 2 {
			t.Fatalf("tier prior_gen has members %v, want at least two", members)
		}
		sp, err := s.NewSampler()
		if err != nil {
			t.Fatal(err)
		}
		from := periodIndex(t, s, "2027Q1")
		for _, u := range []float64{0.5, 0.1, 0.95} {
			sp.Set([]float64{u})
			want := 0.2 + 0.6*u // uniform(0.2, 0.8) at quantile u
			for _, id := range members {
				im := importOf(sp.spec, id)
				for tt := from; tt < len(im.CapShare); tt++ {
					if math.Abs(im.CapShare[tt]-want) > 1e-12 || im.USStatus[tt] != sim.USLicensed {
						t.Errorf("u = %v: imports.%s in %s: cap_share %v, us_status %v; want %v, licensed", u, id, s.Spec.Calendar.Label(tt), im.CapShare[tt], im.USStatus[tt], want)
						break
					}
				}
			}
			// Products outside the tier do not move.
			for _, im := range sp.spec.Imports {
				if !slices.Contains(members, im.ID) && !sameBits(im.CapShare, importOf(s.Spec, im.ID).CapShare) {
					t.Errorf("u = %v: imports.%s.cap_share moved with the prior_gen tier", u, im.ID)
				}
			}
		}
	})
}

// TestDatedSampler replays a timeline with part-period records: a
// day-dated licence whose cap is uncertain, a whole-quarter cut of
// uncertain size listed after it (so it acts on the earlier rules too),
// and an uncertain supply beneath both.
func TestDatedSampler(t *testing.T) {
	const src = "imports:\n  MI325X:\n    supply_units_per_year: {dist: uniform, min: 100000, max: 300000}\n" +
		"events:\n  - at: 2027-02-15\n    id: cap\n    source: test\n" +
		"    export_status: {product: MI325X, status: licensed, cap_share: {dist: uniform, min: 0.1, max: 0.4}}\n" +
		"  - at: 2027Q1\n    id: vol\n    source: test\n" +
		"    scale: {imports.MI325X.us_volume_units_per_year: {dist: uniform, min: 0.5, max: 1}}\n"
	s := parseDated(t, src)
	if n := len(s.Quantities()); n != 3 {
		t.Fatalf("%d uncertain inputs, want 3", n)
	}
	q1 := periodIndex(t, s, "2027Q1")
	if p := importOf(s.Spec, "MI325X").Part; p.At(q1) != 0.5 {
		t.Fatalf("MI325X part-period share in 2027Q1 = %v, want 0.5", p.At(q1))
	}
	sp, err := s.NewSampler()
	if err != nil {
		t.Fatal(err)
	}
	want := runDated(t, s).Data
	half := []float64{0.5, 0.5, 0.5}
	check := func(when string) {
		t.Helper()
		if d := specDiff(sp.spec, s.Spec); d != "" {
			t.Errorf("%s, medians: %s", when, d)
		}
		r := sp.Model().NewResult()
		sp.Model().Run(r)
		if !sameBits(r.Data, want) {
			t.Errorf("%s, medians: model outputs differ from the scenario's", when)
		}
	}
	sp.Set(half)
	check("first draw")

	rng := rand.New(rand.NewPCG(3, 5))
	u := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
	sp.Set(u)
	im := importOf(sp.spec, "MI325X")
	// The draw reaches the records: the supply and US volume before
	// 2027-02-15 are the drawn ones.
	supply := s.Quantities()[0].Dist.Quantile(u[0])
	vol := importOf(s.Spec, "MI325X").Part.Alt[3][q1] / s.Quantities()[2].Dist.Quantile(0.5) * s.Quantities()[2].Dist.Quantile(u[2])
	if got, want := im.CapShare[q1], s.Quantities()[1].Dist.Quantile(u[1]); got != want {
		t.Errorf("draw %v: MI325X cap_share in 2027Q1 = %v, want the draw %v in full", u, got, want)
	}
	if got := im.Part.Alt[2][q1]; got != supply {
		t.Errorf("draw %v: MI325X supply before 2027-02-15 = %v, want %v", u, got, supply)
	}
	if got := im.Part.Alt[3][q1]; math.Abs(got-vol) > 1e-9*vol {
		t.Errorf("draw %v: MI325X US volume before 2027-02-15 = %v, want %v", u, got, vol)
	}
	if specDiff(sp.spec, s.Spec) == "" {
		t.Errorf("draw %v leaves every parameter at its median", u)
	}
	// The sampler works on its own copy: the scenario is as loaded.
	if d := specDiff(s.Spec, parseDated(t, src).Spec); d != "" {
		t.Errorf("a draw changed the scenario's own spec: %s", d)
	}
	sp.Set(half)
	check("after a random draw")
}

// TestDatedHBM checks the baseline's HBM control from 2024-12-02: the HBM
// block's rules split 2024Q4 (30 of its 92 days closed), and the engine
// draws imports for the rest of the quarter.
func TestDatedHBM(t *testing.T) {
	base := runShipped(t, "baseline").s
	cal := base.Spec.Calendar
	q4 := periodIndex(t, base, "2024Q4")
	from, _ := sim.ParseDay("2024-12-02")
	share := 30.0 / 92 // October 31, November 30, December 31 days
	if got := cal.PeriodShare(q4, from, sim.Day{}); got != share {
		t.Fatalf("PeriodShare(2024Q4, 2024-12-02) = %v, want %v", got, share)
	}
	h := base.Spec.HBM
	if got := h.Part.At(q4); got != share {
		t.Errorf("hbm part-period share in 2024Q4 = %v, want %v", got, share)
	}
	for tt := 0; tt < cal.N; tt++ {
		if tt != q4 && h.Part.At(tt) != 1 {
			t.Errorf("hbm part-period share in %s = %v, want 1", cal.Label(tt), h.Part.At(tt))
		}
	}
	if len(h.Part.Alt) < 6 || h.Part.Alt[4] == nil || h.Part.Alt[4][q4] != sim.Open || h.Import[q4] != sim.Closed {
		t.Fatalf("hbm.imports in 2024Q4 = %v, before the control %v; want closed, open", h.Import[q4], h.Part.Alt)
	}
	if h.Part.Alt[3][q4] != h.Imports[q4] || h.Part.Alt[5][q4] != h.Grey[q4] {
		t.Errorf("hbm stacks before the control = %v, %v; want %v, %v", h.Part.Alt[3][q4], h.Part.Alt[5][q4], h.Imports[q4], h.Grey[q4])
	}

	// The engine: with no domestic HBM, 2024Q4's available stacks are the
	// stock released plus arrivals. Closing imports for the whole quarter
	// instead removes 62/92 of the quarter's imports and adds grey
	// arrivals (after enforcement) for those days; the stock before is
	// the same.
	const noDomestic = "hbm:\n  domestic_capacity_stacks_per_year: 0\n"
	dated := parseDated(t, noDomestic)
	whole := parseDated(t, noDomestic+"events:\n  - at: 2024Q4\n    source: test\n    hbm_control: {imports: closed}\n")
	if whole.Spec.HBM.Part.At(q4) != share || whole.Spec.HBM.Part.Alt[4][q4] != sim.Closed {
		t.Errorf("a whole-quarter control after the dated one: hbm.imports before 2024-12-02 = %v, want closed", whole.Spec.HBM.Part.Alt[4][q4])
	}
	ad := metric(t, runDated(t, dated), "hbm.available", "all")
	aw := metric(t, runDated(t, whole), "hbm.available", "all")
	spy := cal.Step.PerYear()
	want := (1 - share) * (h.Imports[q4] - h.Grey[q4]*(1-base.Spec.Grey.Enforcement[q4])) / spy
	if got := ad[q4] - aw[q4]; math.Abs(got-want) > 1e-6*want {
		t.Errorf("hbm.available in 2024Q4: dated control - whole-quarter control = %v, want %v", got, want)
	}
	if ad[q4-1] != aw[q4-1] {
		t.Errorf("hbm.available in 2024Q3 = %v and %v, want equal", ad[q4-1], aw[q4-1])
	}

	// One event, a blended and a proportional field: imports reopen from
	// 2025-02-10 (50 of 2025Q1's 90 days) and domestic capacity halves in
	// proportion.
	s := parseDated(t, "hbm:\n  domestic_capacity_stacks_per_year: 1000000\nevents:\n  - at: 2025-02-10\n    source: test\n    hbm_control: {imports: open, domestic_scale: 0.5}\n")
	q := periodIndex(t, s, "2025Q1")
	hs := s.Spec.HBM
	if hs.Part.At(q) != 50.0/90 || hs.Part.Alt[4][q] != sim.Closed || hs.Import[q] != sim.Open {
		t.Errorf("hbm in 2025Q1: share %v, imports %v, before %v; want 50/90, open, closed", hs.Part.At(q), hs.Import[q], hs.Part.Alt[4][q])
	}
	if got, want := hs.DomCapacity[q], 1e6*(1-0.5*50/90); math.Abs(got-want) > 1e-6 {
		t.Errorf("hbm.domestic_capacity_stacks_per_year in 2025Q1 = %v, want %v", got, want)
	}
}

// TestDatedEarlierValuesInRange: a whole-period event listed after a
// day-dated one applies to the values before the day-dated change too, so
// it must keep those in range, and the loader must say so at the event,
// as it does for the period's own values.
func TestDatedEarlierValuesInRange(t *testing.T) {
	// MI325X's cap_share is 0.5 from 2026Q1 (baseline). Set to 0 from
	// 2027-02-15, then +0.8 for 2027Q1: 0.8 after the 15th, but 1.3
	// before it.
	const dated = "events:\n  - at: 2027-02-15\n    source: test\n    export_status: {product: MI325X, cap_share: 0}\n" +
		"  - at: 2027Q1\n    end: 2027Q1\n    source: test\n"
	for _, tc := range []struct{ name, add, want, bug string }{
		{"fixed", "    add: {imports.MI325X.cap_share: 0.8}\n",
			"t.yaml:9:11: event add imports.MI325X.cap_share: ",
			"scenarios/build.go applyEvent updates the earlier values (Part.Alt) without the range check; the out-of-range value is reported only by sim.Compile, at t.yaml:1:1"},
		{"uncertain", "    add: {imports.MI325X.cap_share: {dist: uniform, min: 0, max: 0.8}}\n",
			"t.yaml:9:11: event add imports.MI325X.cap_share: ",
			"scenarios/audit.go propagateBounds does not carry the earlier values (Part.Alt): the scenario loads, and a draw near the top gives cap_share 1.3 before 2027-02-15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "extends: baseline\n" + dated + tc.add
			_, err := Parse("t.yaml", []byte(src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("%s: Parse(%q) error = %v, want one starting %q", tc.bug, src, err, tc.want)
			}
		})
	}
}

// TestDatedTwoChangesInOnePeriod bans the H20 from 2024-08-20 and lifts
// the ban from 2024-09-10: 21 of 2024Q3's 92 days banned, the same policy
// as one ban from 2024-08-20 to 2024-09-09. Both forms must give the same
// quarter (or the loader must refuse the second change at its place).
func TestDatedTwoChangesInOnePeriod(t *testing.T) {
	const ban = "  - at: 2024-08-20\n    source: test\n    import_stance: {product: H20, stance: banned}\n"
	const lift = "  - at: 2024-09-10\n    source: test\n    import_stance: {product: H20, stance: open}\n"
	const span = "  - at: 2024-08-20\n    end: 2024-09-09\n    source: test\n    import_stance: {product: H20, stance: banned}\n"
	one := parseDated(t, "events:\n"+span)
	q3 := periodIndex(t, one, "2024Q3")
	if got := importOf(one.Spec, "H20").Part.At(q3); got != 21.0/92 {
		t.Fatalf("ban from 2024-08-20 to 2024-09-09: share of 2024Q3 under it = %v, want 21/92", got)
	}
	want := metric(t, runDated(t, one), "product.units", "H20")[q3]
	base := metric(t, runShipped(t, "baseline").r, "product.units", "H20")[q3]
	if r := want / base; r < 0.9*71/92 || r > 1.1*71/92 {
		t.Fatalf("H20 units in 2024Q3 with a 21-day ban = %v of the baseline's, want about 71/92", r)
	}

	src := "extends: baseline\nevents:\n" + ban + lift
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		if !strings.HasPrefix(err.Error(), "t.yaml:6:") && !strings.HasPrefix(err.Error(), "t.yaml:8:") {
			t.Errorf("Parse(%q) error = %v, want it at the second event (line 6 or 8)", src, err)
		}
		return
	}
	got := metric(t, runDated(t, s), "product.units", "H20")[q3]
	if math.Abs(got-want) > 1e-6*want {
		p := importOf(s.Spec, "H20").Part
		t.Errorf("scenarios/build.go applyEvent keeps one split per period: the lift from 2024-09-10 overwrites the "+
			"record of the ban from 2024-08-20 (share %v under the lifted rules, earlier stance %v = banned), so 2024Q3 runs open "+
			"for 21 of its 92 days instead of 71: H20 units %v, want %v as with one ban from 2024-08-20 to 2024-09-09",
			p.At(q3), p.Alt[1][q3], got, want)
	}
}
