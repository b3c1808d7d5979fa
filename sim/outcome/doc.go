// Package outcome reads scalar outcomes from simulation results, for Monte
// Carlo, sweeps and sensitivity analysis: a metric at a period or a year,
// the first period a metric crosses a threshold, or a sum or mean over a
// range of periods.
//
// An outcome is written as an expression, compiled once against a model with
// Parse, and evaluated on any number of results of that model with Eval,
// which does not allocate.
//
// # Grammar
//
//	outcome = ref "@" when
//	        | "first" "(" ref ["@" "year"] cmp number ["from" when] ")"
//	        | ("sum" | "mean") "(" ref "," when [".." when] ")"
//	ref     = METRIC | METRIC "[" ENTITY "]"
//	cmp     = ">=" | ">" | "<=" | "<"
//	when    = YEAR | PERIOD          (2030, 2030Q2, 2030-05)
//
// Whitespace is allowed between any two tokens.
//
// METRIC is a metric name (see sim.Metrics). Metrics with one value per
// period take no brackets (their entity is "all"); per-entity metrics need
// one: product.units[ascend_910c], foundry.yield[smic_n2],
// ai.installed_h100e[domestic].
//
// WHEN is a year or a period label of the run's step: 2030Q2 in a quarterly
// run, 2030-05 in a monthly one. A label finer than the run's step (a month
// in a quarterly run) is an error, as is one outside the run.
//
// # Forms
//
// METRIC@YEAR is the year's value aggregated by the metric's rule, as in the
// annual tables: flows are summed, stocks are taken at the year's last
// period, levels are averaged, and ratios are the ratio of the yearly sums
// of their numerator and denominator (0 when the denominator is 0).
// A year the run only partly covers aggregates the periods it covers.
//
//	ai.units_domestic@2025      domestic units delivered in 2025
//	ai.ssr_units@2025           2025 domestic units / 2025 units delivered
//	ai.ssr_stock@2025           the value in the last period of 2025
//	product.units[H200]@2026    H200 units delivered in 2026
//
// METRIC@PERIOD is the value of that period as the run stores it:
//
//	ai.ssr_compute@2030Q2
//	hbm.stock@2030-05           (monthly runs)
//
// first(METRIC OP X) is the first period whose value satisfies OP X, with
// OP one of >=, >, <= or <. Its value is the start of that period as a
// fractional year: 2027Q1 is 2027.0, 2027Q3 is 2027.5, 2027-02 is
// 2027+1/12. When no period crosses, the value is +Inf, so that "never"
// sorts after every year and counts as a value in statistics; Format
// prints it as "never" and other values as the period label. "from WHEN"
// starts the search at WHEN (a year starts at its first period):
//
//	first(ai.ssr_compute >= 0.5)
//	first(ai.ssr_compute >= 0.5 from 2026)
//	first(ai.unmet_h100e <= 0 from 2027Q3)
//
// first(METRIC@year OP X) tests the yearly values instead (aggregated as
// for METRIC@YEAR); its value is the year, or +Inf:
//
//	first(ai.ssr_units@year >= 0.5)
//	first(ai.ssr_units@year >= 0.5 from 2028)
//
// sum(METRIC, A..B) and mean(METRIC, A..B) add up or average the periods
// from A to B inclusive; a year covers all its periods, and in a monthly
// run a quarter covers its three months. A single WHEN is the range from it
// to itself. mean is the plain mean of the period values, so for a ratio it
// is the mean of the period ratios, not a ratio of sums. sum of a ratio or a
// share is an error: a sum of ratios over periods means nothing; use mean,
// METRIC@YEAR for one year's ratio, or the sums of its numerator and
// denominator.
//
//	sum(ai.units_domestic, 2025..2030)
//	sum(product.units[ascend_910c], 2026Q3..2027Q2)
//	mean(ai.ssr_units, 2026..2030)
//	mean(hbm.stock, 2030)
//
// String returns an outcome's canonical expression, Unit its unit (the
// metric's, or "year" for first), and Format formats a value for display.
//
// # Errors
//
// Parse reports the first problem as an *Error, whose message names the
// expression and explains the problem, and whose Col is the 1-based column
// where it starts:
//
//	outcome "ai.ssr_compte@2030": unknown metric ai.ssr_compte (did you mean ai.ssr_compute?)
//	outcome "product.units@2026": product.units is reported per product: write product.units[PRODUCT] with PRODUCT one of A800, H800, ...
//	outcome "ai.ssr_units@2030-05": 2030-05 is a month, but the run steps by quarter: use 2030Q2 or the year 2030
//
// ParseList parses several expressions and joins their errors.
package outcome
