package sim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim"
)

// eq reports whether a and b agree to a relative tolerance rel, with an
// absolute floor of rel for values near zero.
func eq(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

const tol = 1e-9

// ratioTol is how far above 1 a ratio may round.
const ratioTol = 1e-12

// TestInvariants runs every shipped scenario and checks the accounting
// identities and bounds that hold whatever the parameters are.
func TestInvariants(t *testing.T) {
	names := scenarios.ShippedNames()
	if len(names) == 0 {
		t.Fatal("no shipped scenarios")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			spec, m, r := run(t, name)
			for _, f := range invariantFailures(t, spec, m, r) {
				t.Error(f)
			}
		})
	}
}

// TestInvariantsDetect corrupts one value of a good baseline run at a time
// and checks that invariantFailures notices: the checks are not vacuous.
func TestInvariantsDetect(t *testing.T) {
	spec, m, r := run(t, "baseline")
	if f := invariantFailures(t, spec, m, r); len(f) != 0 {
		t.Fatalf("baseline fails invariants before corruption: %v", f)
	}
	clean := append([]float64(nil), r.Data...)
	cal := m.Calendar()
	t0 := cal.Index(sim.MonthOf(2026, 4)) // 2026Q2
	h200 := "H200"
	dom := entities(t, m, "product.output")[0]
	for _, tc := range []struct {
		metric, entity string
		change         func(v float64) float64
	}{
		{"ai.h100e_grey", "all", func(v float64) float64 { return v + 1000 }},
		{"ai.units_import", "all", func(v float64) float64 { return v*1.01 + 1 }},
		{"product.units", h200, func(v float64) float64 { return v + 1 }},
		{"product.smuggled", h200, func(v float64) float64 { return v + 5 }},
		{"ai.coverage", "all", func(float64) float64 { return 1.5 }},
		{"ai.ssr_units", "all", func(v float64) float64 { return v * 0.9 }},
		{"ai.unmet_h100e", "all", func(v float64) float64 { return v + 100 }},
		{"hbm.used", "all", func(v float64) float64 { return v + 1e9 }},
		{"hbm.stock", "all", func(v float64) float64 { return v + 1e9 }},
		{"die_bank.left", "all", func(v float64) float64 { return v - 10 }},
		{"product.output", dom, func(v float64) float64 { return v*1.5 + 1 }},
		{"product.binding", dom, func(float64) float64 { return 7 }},
		{"foundry.yield", "smic_n2", func(float64) float64 { return -0.1 }},
		{"ai.installed_h100e", "grey", func(float64) float64 { return math.NaN() }},
		{"product.limit_dies", dom, func(float64) float64 { return 0 }},
		{"ai.backlog_h100e", "all", func(v float64) float64 { return v + 1e4 }},
		{"product.inventory", dom, func(v float64) float64 { return v + 1e4 }},
		{"money.vendor_revenue_musd", "Huawei", func(v float64) float64 { return v + 10 }},
		{"foundry.wafers", "smic_n2", func(v float64) float64 { return v*2 + 1e6 }},
		{"sector.consumption_usd_bn", "memory", func(v float64) float64 { return v + 1 }},
	} {
		copy(r.Data, clean)
		k, ok := m.SlotIndex(tc.metric, tc.entity)
		if !ok {
			t.Errorf("no slot %s[%s]", tc.metric, tc.entity)
			continue
		}
		i := dataIndex(t, r, k, t0)
		r.Data[i] = tc.change(r.Data[i])
		if f := invariantFailures(t, spec, m, r); len(f) == 0 {
			t.Errorf("changing %s[%s] in %s from %v to %v breaks no invariant", tc.metric, tc.entity, cal.Label(t0), clean[i], r.Data[i])
		}
	}
}

// invariantFailures checks a run's accounting identities and bounds and
// returns what fails, at most three lines per check.
func invariantFailures(t testing.TB, spec *sim.Spec, m *sim.Model, r *sim.Result) []string {
	t.Helper()
	var out []string
	cal := m.Calendar()
	n := cal.N
	slots := m.Slots()
	if len(r.Data) != len(slots)*n {
		return []string{fmt.Sprintf("len(Data) = %d, want %d slots × %d periods", len(r.Data), len(slots), n)}
	}
	get := func(metric, entity string) sim.Series { return series(t, r, metric, entity) }
	all := func(metric string) sim.Series { return get(metric, "all") }
	// sumOver adds a metric over every entity it is reported for.
	sumOver := func(metric string, tt int) float64 {
		var s float64
		for _, e := range entities(t, m, metric) {
			s += get(metric, e)[tt]
		}
		return s
	}
	// Count failures per check so that a broken identity reports a few
	// periods rather than hundreds of lines.
	fails := map[string]int{}
	errorf := func(check string, format string, a ...any) {
		fails[check]++
		if fails[check] <= 3 {
			out = append(out, fmt.Sprintf(format, a...))
		}
	}

	// Every slot: finite and not negative; a limit that does not apply to
	// a product (no plan, no HBM, no CoWoS-class packaging) is +Inf, and
	// so may be the headroom above it.
	unlimited := map[string]bool{"product.limit_plan": true, "product.limit_hbm": true, "product.limit_packaging": true, "product.headroom": true}
	for k, sl := range slots {
		for tt := 0; tt < n; tt++ {
			v := r.At(k, tt)
			switch {
			case math.IsNaN(v):
				errorf("nan:"+sl.Metric.Name, "%s[%s] in %s is NaN", sl.Metric.Name, sl.Entity, cal.Label(tt))
			case math.IsInf(v, 1) && unlimited[sl.Metric.Name]:
			case math.IsInf(v, 0):
				errorf("inf:"+sl.Metric.Name, "%s[%s] in %s is %v", sl.Metric.Name, sl.Entity, cal.Label(tt), v)
			case v < 0:
				errorf("neg:"+sl.Metric.Name, "%s[%s] in %s = %v, negative", sl.Metric.Name, sl.Entity, cal.Label(tt), v)
			}
		}
	}

	// Ratios in [0, 1], give or take rounding (ratioTol): a ratio computed
	// as a sum over a sum of the same terms can come out 1 + 2 ulp.
	for _, metric := range []string{"ai.ssr_units", "ai.ssr_compute", "ai.ssr_stock", "ai.coverage",
		"ic.ssr_value", "ic.ssr_located", "foundry.yield", "foundry.ai_utilization"} {
		for _, e := range entities(t, m, metric) {
			for tt, v := range get(metric, e) {
				if !(v >= 0 && v <= 1+ratioTol) {
					errorf("ratio:"+metric, "%s[%s] in %s = %v, outside [0, 1]", metric, e, cal.Label(tt), v)
				}
			}
		}
	}

	demand, delivered, unmet := all("ai.demand_h100e"), all("ai.delivered_h100e"), all("ai.unmet_h100e")
	wanted, backlog, lost := all("ai.wanted_h100e"), all("ai.backlog_h100e"), all("ai.lost_h100e")
	hDom, hImp, hGrey := all("ai.h100e_domestic"), all("ai.h100e_import"), all("ai.h100e_grey")
	units, uDom, uImp, uGrey := all("ai.units_delivered"), all("ai.units_domestic"), all("ai.units_import"), all("ai.units_grey")
	for tt := 0; tt < n; tt++ {
		lab := cal.Label(tt)
		if s := hDom[tt] + hImp[tt] + hGrey[tt]; !eq(delivered[tt], s, tol) {
			errorf("h100e sum", "%s: ai.delivered_h100e = %v, domestic + import + grey = %v", lab, delivered[tt], s)
		}
		if s := uDom[tt] + uImp[tt] + uGrey[tt]; !eq(units[tt], s, tol) {
			errorf("units sum", "%s: ai.units_delivered = %v, domestic + import + grey = %v", lab, units[tt], s)
		}
		if s := sumOver("product.units", tt); !eq(units[tt], s, tol) {
			errorf("product units", "%s: ai.units_delivered = %v, sum of product.units = %v", lab, units[tt], s)
		}
		if s := sumOver("product.h100e", tt); !eq(delivered[tt], s, tol) {
			errorf("product h100e", "%s: ai.delivered_h100e = %v, sum of product.h100e = %v", lab, delivered[tt], s)
		}
		var dom float64
		for _, e := range entities(t, m, "product.output") {
			dom += get("product.units", e)[tt]
		}
		if !eq(uDom[tt], dom, tol) {
			errorf("domestic units", "%s: ai.units_domestic = %v, sum of product.units over domestic products = %v", lab, uDom[tt], dom)
		}
		if s := sumOver("product.imports_legal", tt); !eq(uImp[tt], s, tol) {
			errorf("import units", "%s: ai.units_import = %v, sum of product.imports_legal = %v", lab, uImp[tt], s)
		}
		if s := sumOver("product.smuggled", tt) + sumOver("product.affiliate", tt); !eq(uGrey[tt], s, tol) {
			errorf("grey units", "%s: ai.units_grey = %v, sum of product.smuggled + product.affiliate = %v", lab, uGrey[tt], s)
		}
		// Entity listing: of what a foreign product sells (smuggling aside),
		// listed buyers' share goes through affiliates.
		listed, leak := spec.Market.ListedShare[tt], spec.Grey.Leakage[tt]
		if reach := (1 - listed) + listed*leak; reach > 0 {
			for _, e := range entities(t, m, "product.imports_legal") {
				legal, aff := get("product.imports_legal", e)[tt], get("product.affiliate", e)[tt]
				if want := (legal + aff) * (1 - listed) / reach; !eq(legal, want, tol) {
					errorf("listing:"+e, "%s: product.imports_legal[%s] = %v, want (legal + affiliate) × (1 − listed) / reach = %v",
						lab, e, legal, want)
				}
			}
		}
		// Demand: what is wanted is new demand plus the backlog carried in;
		// what is not delivered is unmet, carried on or lost.
		carried := 0.0
		if tt > 0 {
			carried = backlog[tt-1]
		}
		if !eq(wanted[tt], demand[tt]+carried, tol) {
			errorf("wanted", "%s: ai.wanted_h100e = %v, new demand %v + backlog carried %v", lab, wanted[tt], demand[tt], carried)
		}
		if delivered[tt] > wanted[tt]*(1+tol)+tol {
			errorf("delivered<=wanted", "%s: ai.delivered_h100e = %v > ai.wanted_h100e = %v", lab, delivered[tt], wanted[tt])
		}
		if s := delivered[tt] + unmet[tt]; !eq(wanted[tt], s, tol) {
			errorf("demand balance", "%s: ai.wanted_h100e = %v, delivered + unmet = %v", lab, wanted[tt], s)
		}
		if s := backlog[tt] + lost[tt]; !eq(unmet[tt], s, tol) {
			errorf("backlog", "%s: ai.unmet_h100e = %v, backlog + lost = %v", lab, unmet[tt], s)
		}
		// Vendors' revenue adds up to the foreign vendors' revenue and the
		// domestic products' sales at their prices.
		domSales := 0.0
		for i := range spec.Products {
			if p := &spec.Products[i]; p.Origin == "domestic" {
				domSales += get("product.units", p.ID)[tt] * p.Price[tt] / 1e6
			}
		}
		if s := sumOver("money.vendor_revenue_musd", tt); !eq(s, all("money.foreign_revenue_musd")[tt]+domSales, tol) {
			errorf("vendor revenue", "%s: sum of money.vendor_revenue_musd = %v, foreign revenue + domestic sales = %v", lab, s, all("money.foreign_revenue_musd")[tt]+domSales)
		}
		// Wafers within the AI capacity.
		for _, e := range entities(t, m, "foundry.wafers") {
			if w, c := get("foundry.wafers", e)[tt], get("foundry.ai_capacity_wafers", e)[tt]; w > c*(1+tol)+tol {
				errorf("wafers:"+e, "%s: foundry.wafers[%s] = %v > foundry.ai_capacity_wafers = %v", lab, e, w, c)
			}
		}
		// The ratios are the definitions their docs state.
		checkRatio := func(metric string, num, den float64) {
			want := 0.0
			if den > 0 {
				want = num / den
			}
			if got := all(metric)[tt]; !eq(got, want, tol) {
				errorf("def:"+metric, "%s: %s = %v, want %v / %v = %v", lab, metric, got, num, den, want)
			}
		}
		checkRatio("ai.ssr_units", uDom[tt], units[tt])
		checkRatio("ai.ssr_compute", hDom[tt], delivered[tt])
		checkRatio("ai.coverage", delivered[tt], wanted[tt])
		inst := [3]float64{}
		for o, e := range sim.Origins {
			inst[o] = get("ai.installed_h100e", e)[tt]
		}
		checkRatio("ai.ssr_stock", inst[0], inst[0]+inst[1]+inst[2])
		icCons, icDom, icLoc := all("ic.consumption_usd_bn")[tt], all("ic.domestic_usd_bn")[tt], all("ic.located_usd_bn")[tt]
		checkRatio("ic.ssr_value", icDom, icCons)
		checkRatio("ic.ssr_located", icLoc, icCons)
		if s := sumOver("sector.consumption_usd_bn", tt); !eq(icCons, s, tol) {
			errorf("sector cons", "%s: ic.consumption_usd_bn = %v, sum over segments = %v", lab, icCons, s)
		}
		if s := sumOver("sector.domestic_usd_bn", tt); !eq(icDom, s, tol) {
			errorf("sector dom", "%s: ic.domestic_usd_bn = %v, sum over segments = %v", lab, icDom, s)
		}
		if fee, rev := all("money.us_fee_musd")[tt], all("money.foreign_revenue_musd")[tt]; fee > rev*(1+tol) {
			errorf("fee<=revenue", "%s: money.us_fee_musd = %v > money.foreign_revenue_musd = %v", lab, fee, rev)
		}

		// HBM: what is used comes out of what is available, which is the
		// period's new stacks plus a release from the stock; the stock
		// changes by new stacks less used, so the release implied is
		// between 0 and last period's stock.
		avail, used, stock := all("hbm.available")[tt], all("hbm.used")[tt], all("hbm.stock")[tt]
		if used > avail*(1+tol) {
			errorf("hbm used", "%s: hbm.used = %v > hbm.available = %v", lab, used, avail)
		}
		prevStock := spec.HBM.Initial[0]
		if tt > 0 {
			prevStock = all("hbm.stock")[tt-1]
		}
		release := avail - (stock - prevStock + used)
		if release < -tol*max(1, avail) || release > prevStock*(1+tol)+tol {
			errorf("hbm release", "%s: hbm stock %v -> %v with %v used of %v available: release %v is not within [0, %v]", lab, prevStock, stock, used, avail, release, prevStock)
		}

		// Die bank: the bank falls by exactly the dies products draw.
		prev := spec.DieBank.Initial[0]
		if tt > 0 {
			prev = all("die_bank.left")[tt-1]
		}
		if left, drawn := all("die_bank.left")[tt], sumOver("product.die_bank_dies", tt); !eq(left, prev-drawn, tol) {
			errorf("die bank", "%s: die_bank.left = %v, previous %v − drawn %v = %v", lab, left, prev, drawn, prev-drawn)
		}

		// Domestic output is the least of its limits, and the binding code
		// names a limit equal to it; finished stock changes by output less
		// sales.
		limits := []string{"", "product.limit_plan", "product.limit_dies", "product.limit_hbm", "product.limit_packaging", "product.limit_demand"}
		for _, e := range entities(t, m, "product.output") {
			out := get("product.output", e)[tt]
			least := math.Inf(1)
			for _, l := range limits[1:] {
				least = math.Min(least, get(l, e)[tt])
			}
			if plan := get("product.limit_plan", e)[tt]; out > plan*(1+tol)+tol {
				errorf("output<=plan", "%s: product.output[%s] = %v > product.limit_plan = %v", lab, e, out, plan)
			}
			if least < math.Inf(1) && !eq(out, least, tol) {
				errorf("output=min", "%s: product.output[%s] = %v, least of its limits = %v", lab, e, out, least)
			}
			b := get("product.binding", e)[tt]
			if b != math.Trunc(b) || b < 0 || int(b) >= len(sim.BindingNames) {
				errorf("binding code", "%s: product.binding[%s] = %v, not a binding code", lab, e, b)
				continue
			}
			if code := int(b); code != sim.BindNone {
				if lim := get(limits[code], e)[tt]; !eq(lim, out, 1e-6) {
					errorf("binding", "%s: product.binding[%s] = %s but %s = %v, output = %v",
						lab, e, sim.BindingNames[code], limits[code], lim, out)
				}
			} else if out != 0 {
				errorf("binding none", "%s: product.binding[%s] = none but output = %v", lab, e, out)
			}
			// Stock carries over in every period: built ahead of launch,
			// sold off after the end, never lost.
			if tt > 0 {
				stock, prev, sold := get("product.inventory", e)[tt], get("product.inventory", e)[tt-1], get("product.units", e)[tt]
				if !eq(stock, prev+out-sold, tol) {
					errorf("stock:"+e, "%s: product.inventory[%s] = %v, previous %v + output %v − sold %v", lab, e, stock, prev, out, sold)
				}
			}
		}
	}
	return out
}

// onSale reports whether product id is on sale in period t.
func onSale(spec *sim.Spec, cal sim.Calendar, id string, t int) bool {
	for i := range spec.Products {
		if p := &spec.Products[i]; p.ID == id {
			return cal.Index(p.Launch) <= t && t <= cal.Index(p.End)
		}
	}
	return false
}

// TestFoundryLearning replays each process's learning curve from the Spec:
// the defect density of period t+1 is Wright's law applied to period t's
// on all wafers the process ran, and the reported yield is that of the
// largest die the process makes (vendors start a lead before launch).
func TestFoundryLearning(t *testing.T) {
	for _, name := range scenarios.ShippedNames() {
		t.Run(name, func(t *testing.T) {
			spec, m, r := run(t, name)
			cal := m.Calendar()
			spy := cal.Step.PerYear()
			for f := range spec.Foundry {
				p := &spec.Foundry[f]
				d0 := series(t, r, "foundry.defect_density", p.ID)
				yield := series(t, r, "foundry.yield", p.ID)
				if d0[0] != p.D0[0] {
					t.Errorf("%s: foundry.defect_density in %s = %v, want the initial %v", p.ID, cal.Label(0), d0[0], p.D0[0])
				}
				cum := p.Cumulative[0]
				for tt := 0; tt < cal.N; tt++ {
					next := cum + p.Capacity[tt]*12/spy
					want := sim.LearnedDefectDensity(d0[tt], p.LearningRate[tt], p.D0Floor[tt], cum, next)
					cum = next
					if tt+1 < cal.N && !eq(d0[tt+1], want, 1e-12) {
						t.Errorf("%s: foundry.defect_density in %s = %v, want %v from Wright's law", p.ID, cal.Label(tt+1), d0[tt+1], want)
						break
					}
					var area float64
					for i := range spec.Products {
						q := &spec.Products[i]
						lead := int(math.Ceil(p.CycleTime[tt]/float64(cal.Step))) + 1 // vendors build a lead ahead of launch
						if q.Origin == "domestic" && q.Process == p.ID && cal.Index(q.Launch)-lead <= tt && tt <= cal.Index(q.End) {
							area = max(area, q.DieArea[tt])
						}
					}
					wantY := 0.0
					if area > 0 {
						wantY = sim.Yield(int(p.YieldModel[tt]), area, d0[tt])
					}
					if !eq(yield[tt], wantY, 1e-12) {
						t.Errorf("%s: foundry.yield in %s = %v, want %v (largest die made %v mm²)", p.ID, cal.Label(tt), yield[tt], wantY, area)
						break
					}
				}
			}
			if name == "baseline" {
				d0 := series(t, r, "foundry.defect_density", "smic_n2")
				if last := d0[len(d0)-1]; !(last < d0[0]/2) {
					t.Errorf("baseline smic_n2 defect density %v -> %v: learning should at least halve it", d0[0], last)
				}
			}
		})
	}
}
