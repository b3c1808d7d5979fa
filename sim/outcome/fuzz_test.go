package outcome_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/chipsim/chipsim/sim/outcome"
)

// FuzzParse checks that Parse never panics, that its errors are positioned
// inside the expression, and that what it accepts evaluates, formats and
// round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "ai.ssr_compute@2030", "ai.ssr_compte@2030", "product.units[ascend_910c]@2026",
		"product.units[H200]@2026Q3", "ai.ssr_stock@2025-05", "first(ai.ssr_units >= 0.5)",
		"first(ai.ssr_units >= 0.5 from 2026)", "first(ai.ssr_units@year < 1e-3 from 2030)",
		"sum(ai.units_domestic, 2025..2026Q2)", "mean(ai.ssr_units, 2025)", "sum(ai.ssr_units, 2025..2030)",
		"first(ai.ssr_units == 0.5)", "product.units[", "first(", "sum(,..)", "ai.ssr_units@2030 )",
		"mean(foundry.yield[smic_n2],2022..2035)", "first(ai.unmet_h100e<=-0.0from 2022Q1)", "é@2030",
	} {
		f.Add(s)
	}
	rn := baseline(f)
	f.Fuzz(func(t *testing.T, expr string) {
		o, err := outcome.Parse(expr, rn.m)
		if err != nil {
			var e *outcome.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *outcome.Error", expr, err)
			}
			if e.Col < 1 || e.Col > utf8.RuneCountInString(expr)+1 {
				t.Fatalf("Parse(%q) error column %d outside the expression: %v", expr, e.Col, err)
			}
			return
		}
		v := o.Eval(rn.r)
		_ = o.Format(v)
		_ = o.Unit()
		o2, err := outcome.Parse(o.String(), rn.m)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", expr, o, err)
		}
		if o2.String() != o.String() {
			t.Fatalf("Parse(%q) = %q, want %q", o.String(), o2, o)
		}
		if v2 := o2.Eval(rn.r); v2 != v && !(v != v && v2 != v2) {
			t.Fatalf("Parse(%q).Eval = %v, want %v as for %q", o.String(), v2, v, expr)
		}
	})
}
