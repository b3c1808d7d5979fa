package output

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chipsim/chipsim/sim"
)

// metricTitles are short names for people of the metrics charts show, to
// read in titles and axis labels; sim.MetricDef.Doc holds the exact
// definitions, which charts give in their notes.
var metricTitles = map[string]string{
	"ai.ssr_units":               "domestic share of AI accelerator units",
	"ai.ssr_compute":             "domestic share of AI compute",
	"ai.ssr_stock":               "domestic share of installed AI compute",
	"ai.coverage":                "share of wanted AI compute delivered",
	"ic.ssr_value":               "Chinese firms' share of chip consumption by value",
	"ic.ssr_located":             "China-made share of chip consumption by value",
	"ai.demand_h100e":            "new AI compute wanted",
	"ai.delivered_h100e":         "AI compute delivered",
	"ai.unmet_h100e":             "AI compute wanted and not delivered",
	"ai.wanted_h100e":            "AI compute wanted, new and deferred",
	"ai.backlog_h100e":           "deferred AI compute demand",
	"ai.lost_h100e":              "AI compute demand given up",
	"ai.h100e_domestic":          "domestic AI compute delivered",
	"ai.h100e_import":            "legally imported AI compute",
	"ai.h100e_grey":              "grey-channel AI compute",
	"ai.units_delivered":         "AI accelerators delivered",
	"ai.units_domestic":          "domestic AI accelerators delivered",
	"ai.units_import":            "legally imported AI accelerators",
	"ai.units_grey":              "grey-channel AI accelerators",
	"ai.cloud_access_h100e":      "offshore cloud compute rented",
	"ai.installed_h100e":         "installed AI compute",
	"product.units":              "units delivered",
	"product.h100e":              "compute delivered",
	"product.output":             "units made",
	"product.limit_plan":         "units the announced plan allows",
	"product.limit_dies":         "units the good dies allow",
	"product.limit_hbm":          "units the HBM allows",
	"product.limit_packaging":    "units the packaging allows",
	"product.limit_demand":       "units ordered",
	"product.binding":            "binding constraint",
	"product.headroom":           "output headroom",
	"product.inventory":          "unsold units held",
	"product.die_bank_dies":      "dies drawn from the die bank",
	"product.offshore_dies":      "dies from foreign foundries",
	"product.imports_legal":      "units imported legally",
	"product.smuggled":           "units smuggled",
	"product.affiliate":          "units bought through affiliates",
	"foundry.wafers":             "AI wafers started",
	"foundry.defect_density":     "defect density",
	"foundry.yield":              "die yield",
	"foundry.good_dies":          "good dies",
	"foundry.ai_capacity_wafers": "AI wafer capacity",
	"foundry.ai_utilization":     "AI wafer capacity used",
	"hbm.available":              "HBM stacks available",
	"hbm.used":                   "HBM stacks used",
	"hbm.stock":                  "HBM stacks in stock",
	"hbm.domestic_stacks":        "HBM stacks made in China",
	"die_bank.left":              "dies left in the die bank",
	"money.import_spend_musd":    "spending on foreign accelerators",
	"money.us_fee_musd":          "US revenue-share fees",
	"money.foreign_revenue_musd": "foreign vendors' China revenue",
	"money.vendor_revenue_musd":  "vendor revenue in China",
	"ic.consumption_usd_bn":      "China's chip consumption",
	"ic.domestic_usd_bn":         "chips made by Chinese-owned firms",
	"ic.located_usd_bn":          "chips made in China",
	"sector.consumption_usd_bn":  "chip consumption by segment",
	"sector.domestic_usd_bn":     "chips made by Chinese-owned firms, by segment",
}

// MetricTitle returns a short name for people of a metric, such as
// "domestic share of AI compute" for ai.ssr_compute; an unknown name is
// returned as it is.
func MetricTitle(name string) string {
	if t, ok := metricTitles[name]; ok {
		return t
	}
	return name
}

// OutcomeTitle returns a readable name for an outcome expression, as
// chipsim sweep and sensitivity take them: ai.ssr_compute@2030 is
// "domestic share of AI compute in 2030", first(ai.ssr_units >= 0.5) is
// "when the domestic share of AI accelerator units first reaches 50%",
// mean(ai.coverage, 2026..2030) is "share of wanted AI compute delivered,
// mean 2026–2030". An expression it does not understand is returned as it
// is. Charts give the expression itself in small print, so that readers
// can reproduce them.
func OutcomeTitle(expr string) string {
	expr = strings.TrimSpace(expr)
	if m := fnRe.FindStringSubmatch(expr); m != nil {
		fn, args := m[1], m[2]
		switch fn {
		case "sum", "mean":
			ref, rng, ok := strings.Cut(args, ",")
			t, _, known := refTitle(strings.TrimSpace(ref))
			if !ok || !known {
				return expr
			}
			word := "total"
			if fn == "mean" {
				word = "mean"
			}
			return t + ", " + word + " " + strings.ReplaceAll(strings.TrimSpace(rng), "..", "–")
		case "first":
			fm := firstRe.FindStringSubmatch(args)
			if fm == nil {
				return expr
			}
			t, unit, known := refTitle(fm[1])
			if !known {
				return expr
			}
			x, err := strconv.ParseFloat(fm[3], 64)
			if err != nil {
				return expr
			}
			verb := map[string]string{">=": "reaches", ">": "exceeds", "<=": "falls to", "<": "falls below"}[fm[2]]
			s := "when " + theTitle(t) + " first " + verb + " " + threshold(x, unit)
			if fm[4] != "" {
				s += " (from " + fm[4] + ")"
			}
			return s
		}
		return expr
	}
	ref, at, hasAt := strings.Cut(expr, "@")
	t, _, known := refTitle(ref)
	if !known {
		return expr
	}
	if hasAt {
		if !whenRe.MatchString(at) {
			return expr
		}
		return t + " in " + at
	}
	return t
}

var (
	fnRe    = regexp.MustCompile(`^(first|sum|mean)\((.*)\)$`)
	firstRe = regexp.MustCompile(`^\s*([^\s<>=]+?)(?:@year)?\s*(>=|<=|>|<)\s*([-+0-9.eE]+)\s*(?:from\s+(\S+))?\s*$`)
	whenRe  = regexp.MustCompile(`^[0-9]{4}([QH][1-4]|-[0-9]{2})?$`)
	// exprRe finds outcome expressions and metric names in a title.
	exprRe = regexp.MustCompile(`(?:first|sum|mean)\([^()]*\)|[a-z][a-z_]*\.[a-z0-9_]+(?:\[[^\]\s]*\])?(?:@[0-9]{4}(?:[QH][1-4]|-[0-9]{2})?)?`)
)

// refTitle names METRIC or METRIC[ENTITY], with the metric's unit; known
// is false for an unknown metric.
func refTitle(ref string) (title, unit string, known bool) {
	name, ent, _ := strings.Cut(strings.TrimSpace(ref), "[")
	d, ok := sim.MetricByName(name)
	if !ok {
		return ref, "", false
	}
	t := MetricTitle(name)
	if ent = strings.TrimSuffix(ent, "]"); ent != "" {
		t += " (" + ent + ")"
	}
	return t, d.Unit, true
}

// theTitle puts "the" before a title that reads as a noun phrase with
// one: "the domestic share of ...".
func theTitle(t string) string {
	if strings.Contains(t, "share of") && !strings.HasPrefix(t, "China") {
		return "the " + t
	}
	return t
}

// threshold formats a first() threshold in the metric's unit: shares in
// percent.
func threshold(x float64, unit string) string {
	switch unit {
	case "ratio", "share":
		return strconv.FormatFloat(x*100, 'f', -1, 64) + "%"
	case "units", "":
		return FormatInput(x)
	}
	return FormatInput(x) + " " + unit
}

// ReadableTitle replaces the metric names and outcome expressions in a
// title with readable names (OutcomeTitle) and returns them, in order, as
// the subtitle: "Sobol indices: ai.ssr_compute@2030" reads "Sobol
// indices: domestic share of AI compute in 2030" over
// "ai.ssr_compute@2030". A title without any is returned with an empty
// subtitle.
func ReadableTitle(title string) (readable, ids string) {
	var found []string
	out := exprRe.ReplaceAllStringFunc(title, func(e string) string {
		t := OutcomeTitle(e)
		if t == e {
			return e
		}
		found = append(found, e)
		return t
	})
	if len(found) == 0 {
		return title, ""
	}
	if r, n := utf8.DecodeRuneInString(out); n > 0 && strings.HasPrefix(title, found[0]) {
		out = string(unicode.ToUpper(r)) + out[n:]
	}
	return out, strings.Join(found, ", ")
}
