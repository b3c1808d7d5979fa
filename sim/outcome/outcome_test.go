package outcome_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// fracYear is the start of period p as a fractional year, from the calendar.
func fracYear(rn run, p int) float64 {
	cal := rn.m.Calendar()
	return float64(cal.Year(p)) + float64(cal.Month(p).MonthOfYear()-1)/12
}

// firstPeriod scans for the first period from `from` where ok holds.
func firstPeriod(t testing.TB, rn run, metric, entity string, from int, ok func(float64) bool) float64 {
	for p := from; p < rn.m.Calendar().N; p++ {
		if ok(rn.at(t, metric, entity, p)) {
			return fracYear(rn, p)
		}
	}
	return math.Inf(1)
}

func close(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-12*max(1, math.Abs(a), math.Abs(b))
}

type valueCase struct {
	expr   string
	want   func(t testing.TB, rn run) float64
	canon  string // String(); "" for expr
	unit   string
	format string // Format(Eval); "" not checked
}

func checkValues(t *testing.T, rn run, cases []valueCase) {
	t.Helper()
	for _, c := range cases {
		o, err := outcome.Parse(c.expr, rn.m)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", c.expr, err)
			continue
		}
		want := c.want(t, rn)
		if got := o.Eval(rn.r); !close(got, want) {
			t.Errorf("Parse(%q).Eval = %v, want %v", c.expr, got, want)
		}
		canon := c.canon
		if canon == "" {
			canon = c.expr
		}
		if got := o.String(); got != canon {
			t.Errorf("Parse(%q).String() = %q, want %q", c.expr, got, canon)
		}
		if got := o.Unit(); got != c.unit {
			t.Errorf("Parse(%q).Unit() = %q, want %q", c.expr, got, c.unit)
		}
		if c.format != "" {
			if got := o.Format(o.Eval(rn.r)); got != c.format {
				t.Errorf("Parse(%q).Format(Eval) = %q, want %q", c.expr, got, c.format)
			}
		}
		// The canonical form parses to itself and the same value.
		o2, err := outcome.Parse(o.String(), rn.m)
		if err != nil {
			t.Errorf("Parse(%q) (canonical of %q) error: %v", o.String(), c.expr, err)
		} else if o2.String() != o.String() || !close(o2.Eval(rn.r), o.Eval(rn.r)) {
			t.Errorf("Parse(%q) = %q, %v, want %q, %v", o.String(), o2.String(), o2.Eval(rn.r), o.String(), o.Eval(rn.r))
		}
	}
}

func TestEvalQuarterly(t *testing.T) {
	rn := baseline(t)
	if got := len(rn.yearPeriods(2025)); got != 4 {
		t.Fatalf("baseline 2025 has %d periods, want 4 (quarterly)", got)
	}
	ge := func(x float64) func(float64) bool { return func(v float64) bool { return v >= x } }
	// The first quarter ai.ssr_units >= 0.5, by scanning; the cases below
	// need it to exist and to come after 2022Q1.
	half := firstPeriod(t, rn, "ai.ssr_units", "all", 0, ge(0.5))
	if math.IsInf(half, 1) || half == fracYear(rn, 0) {
		t.Fatalf("baseline ai.ssr_units never crosses 0.5 after the start (%v): pick another threshold", half)
	}
	cases := []valueCase{
		{expr: "ai.units_domestic@2025", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.units_domestic", "all", 2025)
		}},
		{expr: "ai.ssr_units@2025", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.units_domestic", "all", 2025) / rn.sumYear(t, "ai.units_delivered", "all", 2025)
		}},
		{expr: "ai.ssr_compute@2030", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.h100e_domestic", "all", 2030) / rn.sumYear(t, "ai.delivered_h100e", "all", 2030)
		}},
		{expr: "ai.ssr_stock@2025", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.ssr_stock", "all", rn.period(t, "2025Q4"))
		}},
		{expr: "product.units[H200]@2026", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "product.units", "H200", 2026)
		}},
		{expr: "  product.units [ ascend_910c ] @ 2026 ", canon: "product.units[ascend_910c]@2026", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "product.units", "ascend_910c", 2026)
		}},
		{expr: "ai.installed_h100e[domestic]@2030", unit: "H100e", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.installed_h100e", "domestic", rn.period(t, "2030Q4"))
		}},
		{expr: "ai.cloud_access_h100e@2026", unit: "H100e", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.cloud_access_h100e", "all", 2026) / 4
		}},
		{expr: "ai.ssr_compute@2030Q2", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.ssr_compute", "all", rn.period(t, "2030Q2"))
		}},
		{expr: "ai.ssr_compute@2030q2", canon: "ai.ssr_compute@2030Q2", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.ssr_compute", "all", rn.period(t, "2030Q2"))
		}},
		{expr: "ai.units_domestic@2022Q1", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.units_domestic", "all", 0)
		}},
		{expr: "hbm.stock@2035Q4", unit: "stacks", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "hbm.stock", "all", rn.m.Calendar().N-1)
		}},
		{expr: "first(ai.ssr_units >= 0.5)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return half
		}},
		{expr: "first( ai.ssr_units>=.5 )", canon: "first(ai.ssr_units >= 0.5)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return half
		}},
		{expr: "first(ai.ssr_units > 0.5)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "ai.ssr_units", "all", 0, func(v float64) bool { return v > 0.5 })
		}},
		{expr: "first(ai.ssr_units >= 0.5 from 2026)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "ai.ssr_units", "all", rn.period(t, "2026Q1"), ge(0.5))
		}},
		{expr: "first(ai.ssr_units >= 0.5 from 2035Q4)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "ai.ssr_units", "all", rn.m.Calendar().N-1, ge(0.5))
		}},
		{expr: "first(ai.ssr_units <= 0.25)", unit: "year", format: "2022Q1", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "ai.ssr_units", "all", 0, func(v float64) bool { return v <= 0.25 })
		}},
		{expr: "first(ai.units_delivered < 0)", unit: "year", format: "never", want: func(t testing.TB, rn run) float64 {
			return math.Inf(1)
		}},
		{expr: "first(ai.ssr_units >= 2)", unit: "year", format: "never", want: func(t testing.TB, rn run) float64 {
			return math.Inf(1)
		}},
		{expr: "first(product.units[ascend_910c] >= 1e5)", canon: "first(product.units[ascend_910c] >= 100000)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "product.units", "ascend_910c", 0, ge(1e5))
		}},
		{expr: "first(ai.ssr_units@year >= 0.5)", unit: "year", want: func(t testing.TB, rn run) float64 {
			for y := 2022; y <= 2035; y++ {
				if rn.sumYear(t, "ai.units_domestic", "all", y)/rn.sumYear(t, "ai.units_delivered", "all", y) >= 0.5 {
					return float64(y)
				}
			}
			return math.Inf(1)
		}},
		{expr: "first(ai.units_domestic @ year > 1e6 from 2024)", canon: "first(ai.units_domestic@year > 1000000 from 2024)", unit: "year", want: func(t testing.TB, rn run) float64 {
			for y := 2024; y <= 2035; y++ {
				if rn.sumYear(t, "ai.units_domestic", "all", y) > 1e6 {
					return float64(y)
				}
			}
			return math.Inf(1)
		}},
		{expr: "first(ai.ssr_units@year >= 2)", unit: "year", format: "never", want: func(t testing.TB, rn run) float64 {
			return math.Inf(1)
		}},
		{expr: "sum(ai.units_domestic, 2025..2026)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.units_domestic", "all", rn.period(t, "2025Q1"), rn.period(t, "2026Q4"))
		}},
		{expr: "sum( ai.units_domestic , 2025Q3 .. 2026Q2 )", canon: "sum(ai.units_domestic, 2025Q3..2026Q2)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.units_domestic", "all", rn.period(t, "2025Q3"), rn.period(t, "2026Q2"))
		}},
		{expr: "sum(ai.units_domestic, 2025..2025Q2)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.units_domestic", "all", rn.period(t, "2025Q1"), rn.period(t, "2025Q2"))
		}},
		{expr: "sum(product.units[H200], 2026)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "product.units", "H200", 2026)
		}},
		{expr: "sum(ai.units_domestic, 2030..2030)", canon: "sum(ai.units_domestic, 2030)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.units_domestic", "all", 2030)
		}},
		{expr: "mean(ai.ssr_units, 2025..2027)", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.ssr_units", "all", rn.period(t, "2025Q1"), rn.period(t, "2027Q4")) / 12
		}},
		{expr: "mean(hbm.stock, 2030Q2..2030Q4)", unit: "stacks", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "hbm.stock", "all", rn.period(t, "2030Q2"), rn.period(t, "2030Q4")) / 3
		}},
	}
	checkValues(t, rn, cases)

	// Format prints the crossing quarter's label.
	o, err := outcome.Parse("first(ai.ssr_units >= 0.5)", rn.m)
	if err != nil {
		t.Fatal(err)
	}
	p := rn.m.Calendar().Index(sim.Month(math.Round(half * 12)))
	if got, want := o.Format(o.Eval(rn.r)), rn.m.Calendar().Label(p); got != want {
		t.Errorf("Parse(%q).Format(Eval) = %q, want %q", o, got, want)
	}
}

func TestEvalMonthly(t *testing.T) {
	rn := monthly(t)
	if got := len(rn.yearPeriods(2030)); got != 12 {
		t.Fatalf("monthly 2030 has %d periods, want 12", got)
	}
	cases := []valueCase{
		{expr: "ai.units_domestic@2030", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.units_domestic", "all", 2030)
		}},
		{expr: "ai.ssr_units@2030", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.sumYear(t, "ai.units_domestic", "all", 2030) / rn.sumYear(t, "ai.units_delivered", "all", 2030)
		}},
		{expr: "ai.ssr_stock@2030", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "ai.ssr_stock", "all", rn.period(t, "2030-12"))
		}},
		{expr: "hbm.stock@2030-05", unit: "stacks", want: func(t testing.TB, rn run) float64 {
			return rn.at(t, "hbm.stock", "all", rn.period(t, "2030-05"))
		}},
		{expr: "sum(ai.units_domestic, 2030Q2)", unit: "units", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.units_domestic", "all", rn.period(t, "2030-04"), rn.period(t, "2030-06"))
		}},
		{expr: "mean(ai.ssr_units, 2030-02..2030Q3)", unit: "ratio", want: func(t testing.TB, rn run) float64 {
			return rn.sum(t, "ai.ssr_units", "all", rn.period(t, "2030-02"), rn.period(t, "2030-09")) / 8
		}},
		{expr: "first(ai.ssr_units >= 0.5 from 2026Q2)", unit: "year", want: func(t testing.TB, rn run) float64 {
			return firstPeriod(t, rn, "ai.ssr_units", "all", rn.period(t, "2026-04"), func(v float64) bool { return v >= 0.5 })
		}},
		{expr: "first(ai.ssr_units >= 2)", unit: "year", format: "never", want: func(t testing.TB, rn run) float64 {
			return math.Inf(1)
		}},
	}
	checkValues(t, rn, cases)

	o, err := outcome.Parse("first(ai.ssr_units >= 0.5)", rn.m)
	if err != nil {
		t.Fatal(err)
	}
	v := o.Eval(rn.r)
	if math.IsInf(v, 1) {
		t.Fatalf("Parse(%q).Eval = never on the monthly baseline", o)
	}
	if got := o.Format(v); len(got) != len("2030-05") || got[4] != '-' {
		t.Errorf("Parse(%q).Format(%v) = %q, want a month label", o, v, got)
	}
}

func TestFormat(t *testing.T) {
	rn := baseline(t)
	parse := func(expr string) *outcome.Outcome {
		o, err := outcome.Parse(expr, rn.m)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	first, firstYear, level := parse("first(ai.ssr_units >= 0.5)"), parse("first(ai.ssr_units@year >= 0.5)"), parse("ai.units_domestic@2030")
	cases := []struct {
		o    *outcome.Outcome
		v    float64
		want string
	}{
		{first, 2027.5, "2027Q3"},
		{first, 2027, "2027Q1"},
		{first, math.Inf(1), "never"},
		{first, 2027.62, "2027.62"},
		{first, 2027 + 1.0/12, "2027.08"}, // a month start, not a quarter's
		{first, math.NaN(), "NaN"},
		{firstYear, 2030, "2030"},
		{firstYear, 2030.5, "2030.50"},
		{firstYear, math.Inf(1), "never"},
		{level, 1234567.8, "1234568"},
		{level, 0.123456, "0.1235"},
		{level, 0.5, "0.5"},
		{level, 0, "0"},
		{level, math.Inf(1), "+Inf"},
		{level, math.NaN(), "NaN"},
	}
	for _, c := range cases {
		if got := c.o.Format(c.v); got != c.want {
			t.Errorf("Parse(%q).Format(%v) = %q, want %q", c.o, c.v, got, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	rn := baseline(t)
	products := strings.Join(rn.m.Entities(&sim.MetricDef{Per: "product"}), ", ")
	domestic := strings.Join(rn.m.Entities(&sim.MetricDef{Per: "domestic"}), ", ")
	cases := []struct {
		expr string
		col  int
		msg  string
	}{
		{"", 1, "empty expression (want METRIC@WHEN, first(METRIC >= X), sum(METRIC, A..B) or mean(METRIC, A..B))"},
		{"   ", 1, "empty expression (want METRIC@WHEN, first(METRIC >= X), sum(METRIC, A..B) or mean(METRIC, A..B))"},
		{"ai.ssr_compte@2030", 1, "unknown metric ai.ssr_compte (did you mean ai.ssr_compute?)"},
		{"sum(ai.unts_domestic, 2025)", 5, "unknown metric ai.unts_domestic (did you mean ai.units_domestic?)"},
		{"zzz@2030", 1, "unknown metric zzz"},
		{"product.units[ascend_91c]@2026", 15, "unknown product ascend_91c for product.units (did you mean ascend_910c?)"},
		{"product.units[ascend_910x]@2026", 15, "unknown product ascend_910x for product.units (did you mean ascend_910b or ascend_910c?)"},
		{"product.units[ascend_910]@2026", 15, "unknown product ascend_910 for product.units (want one of " + products + ")"}, // four as close
		{"product.units[ ascend_910c]@2026x", 29, `bad period "2026x": want a year such as 2030, or a quarter such as 2030Q2`},
		{"product.units[ ascend_910c]@2026 x", 34, `unexpected "x" after the expression`},
		{"product.units[h200]@2026", 15, "unknown product h200 for product.units (did you mean H200?)"},
		{"product.units[nvidia_x99]@2026", 15, "unknown product nvidia_x99 for product.units (want one of " + products + ")"},
		{"product.output[H200]@2026", 16, "product.output is reported for domestic products only, and H200 is not one (want one of " + domestic + ")"},
		{"product.units[]@2026", 15, "no product in product.units[]: want one of " + products},
		{"product.units[H200@2026", 14, "unclosed [ after product.units"},
		{"product.units@2026", 1, "product.units is reported per product: write product.units[PRODUCT] with PRODUCT one of " + products},
		{"first(foundry.yield > 0.5)", 7, "foundry.yield is reported per process: write foundry.yield[PROCESS] with PROCESS one of smic_n2, smic_n3, smic_n1"},
		{"ai.ssr_units[all]@2030", 13, "ai.ssr_units has one value per period, not one per entity: drop [all]"},
		{"ai.ssr_units", 13, `expected "@" and a year or period after ai.ssr_units, found the end`},
		{"ai.ssr_units@", 14, "expected a year or period after @ (a year such as 2030, or a quarter such as 2030Q2), found the end"},
		{"ai.ssr_units@20x0", 14, `bad period "20x0": want a year such as 2030, or a quarter such as 2030Q2`},
		{"ai.ssr_units@2030Q5", 14, `bad period "2030Q5": want a year such as 2030, or a quarter such as 2030Q2`},
		{"ai.ssr_units@30", 14, `bad period "30": want a year such as 2030, or a quarter such as 2030Q2`},
		{"sum(ai.units_domestic, 2025-2027)", 24, `bad period "2025-2027": want a year such as 2030, or a quarter such as 2030Q2 (a range is written A..B)`},
		{"ai.ssr_units@2040", 14, "year 2040 is outside the run (2022Q1..2035Q4)"},
		{"ai.ssr_units@2021Q4", 14, "period 2021Q4 is outside the run (2022Q1..2035Q4)"},
		{"first(ai.ssr_units >= 0.5 from 2036)", 32, "year 2036 is outside the run (2022Q1..2035Q4)"},
		{"sum(ai.units_domestic, 2030..2036Q1)", 30, "period 2036Q1 is outside the run (2022Q1..2035Q4)"},
		{"ai.ssr_units@2030-05", 14, "2030-05 is a month, but the run steps by quarter: use 2030Q2 or the year 2030"},
		{"ai.ssr_units@2030-04", 14, "2030-04 is a month, but the run steps by quarter: use 2030Q2 or the year 2030"},
		{"first(ai.ssr_units >= 0.5 from 2026-02)", 32, "2026-02 is a month, but the run steps by quarter: use 2026Q1 or the year 2026"},
		{"ai.ssr_units@year", 14, "@year is for first(ai.ssr_units@year >= X); give a year such as 2030, or a quarter such as 2030Q2"},
		{"first(ai.ssr_units = 0.5)", 20, `bad operator "=": want >=, >, <= or <`},
		{"first(ai.ssr_units == 0.5)", 20, `bad operator "==": want >=, >, <= or <`},
		{"first(ai.ssr_units => 0.5)", 20, `bad operator "=>": want >=, >, <= or <`},
		{"first(ai.ssr_units 0.5)", 20, "expected a comparison (>=, >, <= or <) after ai.ssr_units, found \"0.5)\""},
		{"first(ai.ssr_units >= )", 23, `expected a threshold number, found ")"`},
		{"first(ai.ssr_units >= 1.2.3)", 23, `bad threshold "1.2.3": want a number`},
		{"first(ai.ssr_units >= 1e999)", 23, `bad threshold "1e999": want a number`},
		{"first(ai.ssr_units >= 0.5", 26, `expected ")" to close first(, found the end`},
		{"first(ai.ssr_units >= 0.5 frm 2026)", 27, `unexpected "frm" in first(: want from WHEN or )`},
		{"first(ai.ssr_units@2030 >= 0.5)", 20, "first() tests every period, or every year with @year: write first(ai.ssr_units@year >= X) or first(ai.ssr_units >= X from 2030)"},
		{"first(ai.ssr_units@ >= 0.5)", 21, "first() tests every period, or every year with @year: write first(ai.ssr_units@year >= X) or first(ai.ssr_units >= X from 2030)"},
		{"first(ai.ssr_units@2026Q3 >= 0.5)", 20, "first() tests every period, or every year with @year: write first(ai.ssr_units@year >= X) or first(ai.ssr_units >= X from 2026Q3)"},
		{"first(ai.ssr_units@year >= 0.5 from 2026Q3)", 37, "first(ai.ssr_units@year ...) tests years: start it from a year, not 2026Q3"},
		{"sum(ai.ssr_units, 2025..2030)", 5, "cannot sum ai.ssr_units: it is a ratio, and a sum of ratios over periods means nothing; use mean(ai.ssr_units, A..B) for the mean of the period values, or sum its numerator ai.units_domestic and denominator ai.units_delivered and divide"},
		{"sum(ai.ssr_stock, 2025)", 5, "cannot sum ai.ssr_stock: it is a ratio, and a sum of ratios over periods means nothing; use mean(ai.ssr_stock, A..B) for the mean of the period values"},
		{"sum(foundry.yield[smic_n2], 2025)", 5, "cannot sum foundry.yield[smic_n2]: it is a share, and a sum of shares over periods means nothing; use mean(foundry.yield[smic_n2], A..B) for the mean of the period values"},
		{"sum(ai.units_domestic 2025)", 23, `expected "," and a range A..B after ai.units_domestic, found "2025)"`},
		{"sum(ai.units_domestic, 2027..2025)", 24, "empty range 2027..2025: its start comes after its end"},
		{"sum(ai.units_domestic, 2025..)", 30, `expected the end of the range (a year such as 2030, or a quarter such as 2030Q2), found ")"`},
		{"mean(ai.units_domestic, 2025", 29, `expected ")" to close mean(, found the end`},
		{"ai.ssr_units@2030 extra", 19, `unexpected "extra" after the expression`},
		{"ai.ssr_units@2030)", 18, `unexpected ")" after the expression`},
		{"first(ai.ssr_units >= 0.5) + 1", 28, `unexpected "+ 1" after the expression`},
		{"frist(ai.ssr_units >= 0.5)", 1, "unknown function frist (did you mean first?)"},
		{"max(ai.ssr_units, 2030)", 1, "unknown function max (did you mean mean?)"},
		{"median(ai.ssr_units, 2030)", 1, "unknown function median (did you mean mean?)"},
		{"log(ai.ssr_units, 2030)", 1, "unknown function log (want first, sum or mean)"},
		{"@2030", 1, `expected a metric or first(, sum( or mean(, found "@2030"`},
		{"first(>= 0.5)", 7, `expected a metric name, found ">= 0.5)"`},
		{"ai.ssr_units@2030…", 18, `unexpected "…" after the expression`},
	}
	for _, c := range cases {
		o, err := outcome.Parse(c.expr, rn.m)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error %q", c.expr, o, c.msg)
			continue
		}
		var e *outcome.Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) error %T, want *outcome.Error", c.expr, err)
			continue
		}
		want := "outcome " + strconv.Quote(c.expr) + ": " + c.msg
		if err.Error() != want {
			t.Errorf("Parse(%q) error\n got %s\nwant %s", c.expr, err, want)
		}
		if e.Col != c.col {
			t.Errorf("Parse(%q) error column = %d, want %d (%s)", c.expr, e.Col, c.col, e.Msg)
		}
	}
}

// TestQuarterOfAMonthlyRun: a quarter in a monthly run aggregates its
// months by the metric's rule, as a year does (checks written for
// quarterly history run on monthly scenarios).
func TestQuarterOfAMonthlyRun(t *testing.T) {
	rn := monthly(t)
	for _, tc := range []struct {
		expr string
		want func() float64
	}{
		{"hbm.stock@2030Q2", func() float64 { return rn.at(t, "hbm.stock", "all", rn.period(t, "2030-06")) }},
		{"ai.units_delivered@2030Q2", func() float64 {
			var s float64
			for _, m := range []string{"2030-04", "2030-05", "2030-06"} {
				s += rn.at(t, "ai.units_delivered", "all", rn.period(t, m))
			}
			return s
		}},
	} {
		o, err := outcome.Parse(tc.expr, rn.m)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.expr, err)
		}
		if got, want := o.Eval(rn.r), tc.want(); got != want {
			t.Errorf("%s = %v, want %v", tc.expr, got, want)
		}
	}
}

func TestErrorsMonthly(t *testing.T) {
	rn := monthly(t)
	cases := []struct{ expr, msg string }{
		{"hbm.stock@2030-13", `bad period "2030-13": want a year such as 2030, or a month such as 2030-05`},
		{"hbm.stock@2036-01", "period 2036-01 is outside the run (2022-01..2035-12)"},
	}
	for _, c := range cases {
		_, err := outcome.Parse(c.expr, rn.m)
		if want := "outcome \"" + c.expr + "\": " + c.msg; err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error = %v, want %s", c.expr, err, want)
		}
	}
}

func TestParseNilModel(t *testing.T) {
	if _, err := outcome.Parse("ai.ssr_units@2030", nil); err == nil {
		t.Error("Parse with a nil model: no error")
	}
}

func TestParseList(t *testing.T) {
	rn := baseline(t)
	os, err := outcome.ParseList([]string{"ai.ssr_units@2030", "first(ai.ssr_units >= 0.5)"}, rn.m)
	if err != nil || len(os) != 2 || os[1].String() != "first(ai.ssr_units >= 0.5)" {
		t.Fatalf("ParseList = %v, %v", os, err)
	}
	os, err = outcome.ParseList([]string{"ai.ssr_compte@2030", "ai.ssr_units@2030", "sum(ai.ssr_units, 2030)"}, rn.m)
	if err == nil || os != nil {
		t.Fatalf("ParseList with two bad = %v, %v, want nil and an error", os, err)
	}
	msg := err.Error()
	for _, want := range []string{`outcome "ai.ssr_compte@2030": unknown metric`, `outcome "sum(ai.ssr_units, 2030)": cannot sum`} {
		if !strings.Contains(msg, want) {
			t.Errorf("ParseList error %q does not contain %q", msg, want)
		}
	}
	if n := len(strings.Split(msg, "\n")); n != 2 {
		t.Errorf("ParseList error has %d lines, want 2:\n%s", n, msg)
	}
	var e *outcome.Error
	if !errors.As(err, &e) {
		t.Errorf("ParseList error does not wrap *outcome.Error")
	}
	if os, err := outcome.ParseList(nil, rn.m); err != nil || len(os) != 0 {
		t.Errorf("ParseList(nil) = %v, %v", os, err)
	}
}

// TestOtherModel evaluates an outcome on a result of another model of the
// same shape, and refuses a result of another shape.
func TestOtherModel(t *testing.T) {
	rn, mo := baseline(t), monthly(t)
	o, err := outcome.Parse("ai.ssr_units@2030", rn.m)
	if err != nil {
		t.Fatal(err)
	}
	other := load(t, "h200-blocked", nil)
	r2 := other.r
	o2, _ := outcome.Parse("ai.ssr_units@2030", other.m)
	if got, want := o.Eval(r2), o2.Eval(r2); got != want {
		t.Errorf("Eval on another model of the same shape = %v, want %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("Eval of a quarterly outcome on a monthly result did not panic")
		}
	}()
	o.Eval(mo.r)
}

func TestEvalAllocs(t *testing.T) {
	rn := baseline(t)
	for _, expr := range []string{
		"ai.units_domestic@2025", "ai.ssr_units@2025", "ai.ssr_stock@2025", "ai.ssr_compute@2030Q2",
		"first(ai.ssr_units >= 0.5)", "first(ai.ssr_units >= 2)", "first(ai.ssr_units@year >= 0.5 from 2024)",
		"sum(product.units[H200], 2026..2030)", "mean(ai.ssr_units, 2025..2027)",
	} {
		o, err := outcome.Parse(expr, rn.m)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { o.Eval(rn.r) }); n != 0 {
			t.Errorf("Parse(%q).Eval allocates %v times per run, want 0", expr, n)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	rn := baseline(b)
	for _, expr := range []string{"ai.ssr_units@2030", "first(ai.ssr_units >= 2)", "first(ai.ssr_units@year >= 2)", "mean(ai.ssr_units, 2022..2035)"} {
		o, err := outcome.Parse(expr, rn.m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Eval(rn.r)
			}
		})
	}
}

// BenchmarkEvalOtherModel evaluates on the result of another compile of
// the same scenario, as every Monte Carlo worker does with its own model:
// the shape check must stay cheap (pointer compares, no name lookups).
func BenchmarkEvalOtherModel(b *testing.B) {
	parsed, other := baseline(b), baseline(b)
	for _, expr := range []string{"ai.ssr_units@2030", "ai.units_domestic@2030"} {
		o, err := outcome.Parse(expr, parsed.m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Eval(other.r)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	rn := baseline(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := outcome.Parse("first(product.units[ascend_910c] >= 1e5 from 2026)", rn.m); err != nil {
			b.Fatal(err)
		}
	}
}
