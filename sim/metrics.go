package sim

// Agg says how a metric's periods add up to a year.
type Agg int

// Aggregations.
const (
	Sum   Agg = iota // flows: add the periods
	Last             // stocks: the year's last period
	Ratio            // ratios: sum of Num over sum of Den
	Mean             // levels and codes: the mean, or for codes the last
)

// MetricDef describes one output metric.
type MetricDef struct {
	Name string
	Unit string
	Doc  string // the definition, printed beside every ratio
	Agg  Agg
	// Ratio metrics: names of the flow metrics whose annual sums divide.
	Num, Den string
	// Carry names a stock that a flow counts again in every period it is
	// carried through (the backlog, in what is wanted and left unserved):
	// a span of periods subtracts the stock carried from each of its
	// periods to the next, so that each unit counts once (see SpanSum).
	Carry string
	// Per says what entities it is reported for: "" (one value), "product"
	// (every product), "domestic", "foreign", "process", "segment", "origin",
	// "vendor".
	Per string
}

// Metrics lists every output in the order results store them.
var Metrics = []MetricDef{
	{Name: "ai.ssr_units", Unit: "ratio", Agg: Ratio, Num: "ai.units_domestic", Den: "ai.units_delivered",
		Doc: "domestic accelerator units / all units delivered (domestic + legal imports + grey)"},
	{Name: "ai.ssr_compute", Unit: "ratio", Agg: Ratio, Num: "ai.h100e_domestic", Den: "ai.delivered_h100e",
		Doc: "domestic H100e delivered / all H100e delivered"},
	{Name: "ai.ssr_stock", Unit: "ratio", Agg: Last,
		Doc: "domestic share of installed compute (H100e in service)"},
	{Name: "ai.coverage", Unit: "ratio", Agg: Ratio, Num: "ai.delivered_h100e", Den: "ai.wanted_h100e",
		Doc: "compute delivered / compute wanted (new and deferred)"},
	{Name: "ic.ssr_value", Unit: "ratio", Agg: Ratio, Num: "ic.domestic_usd_bn", Den: "ic.consumption_usd_bn",
		Doc: "production by Chinese-owned firms / China's chip consumption, by value, AI accelerators included"},
	{Name: "ic.ssr_located", Unit: "ratio", Agg: Ratio, Num: "ic.located_usd_bn", Den: "ic.consumption_usd_bn",
		Doc: "production located in China (any owner) / China's chip consumption, by value"},
	{Name: "ai.demand_h100e", Unit: "H100e", Agg: Sum, Doc: "new compute wanted, after software efficiency and the price response, with pulled-forward purchases"},
	{Name: "ai.delivered_h100e", Unit: "H100e", Agg: Sum, Doc: "compute delivered from every source"},
	{Name: "ai.unmet_h100e", Unit: "H100e", Agg: Sum, Carry: "ai.backlog_h100e", Doc: "compute wanted (new and deferred) that no source could serve; over a year, what buyers gave up plus what still waits at its end (a deferred buyer counts once)"},
	{Name: "ai.wanted_h100e", Unit: "H100e", Agg: Sum, Carry: "ai.backlog_h100e", Doc: "compute wanted: new demand (ai.demand_h100e) plus deferred demand carried in; over a year, the year's new demand plus what was waiting at its start (a deferred buyer counts once)"},
	{Name: "ai.backlog_h100e", Unit: "H100e", Agg: Last, Doc: "deferred demand carried to the next period: wanted, not served, not yet given up"},
	{Name: "ai.lost_h100e", Unit: "H100e", Agg: Sum, Doc: "deferred demand buyers gave up in the period (demand.backlog_loss_per_year), with unserved purchases pulled forward"},
	{Name: "ai.h100e_domestic", Unit: "H100e", Agg: Sum, Doc: "compute delivered by domestic products"},
	{Name: "ai.h100e_import", Unit: "H100e", Agg: Sum, Doc: "compute delivered by legal imports"},
	{Name: "ai.h100e_grey", Unit: "H100e", Agg: Sum, Doc: "compute delivered by smuggling and affiliates of listed firms"},
	{Name: "ai.units_delivered", Unit: "units", Agg: Sum, Doc: "accelerator units delivered from every source"},
	{Name: "ai.units_domestic", Unit: "units", Agg: Sum, Doc: "domestic units delivered"},
	{Name: "ai.units_import", Unit: "units", Agg: Sum, Doc: "legally imported units delivered"},
	{Name: "ai.units_grey", Unit: "units", Agg: Sum, Doc: "smuggled units and units bought through affiliates of listed firms"},
	{Name: "ai.cloud_access_h100e", Unit: "H100e", Agg: Mean, Doc: "offshore cloud compute rented: access, not supply"},
	{Name: "ai.installed_h100e", Unit: "H100e", Agg: Last, Per: "origin", Doc: "compute in service by origin (domestic, foreign, grey)"},
	{Name: "product.units", Unit: "units", Agg: Sum, Per: "product", Doc: "units delivered (all channels)"},
	{Name: "product.h100e", Unit: "H100e", Agg: Sum, Per: "product", Doc: "compute delivered (all channels)"},
	{Name: "product.output", Unit: "units", Agg: Sum, Per: "domestic", Doc: "good units produced"},
	{Name: "product.limit_plan", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units the announced plan allows (+Inf without a plan)"},
	{Name: "product.limit_dies", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units the available good dies allow"},
	{Name: "product.limit_hbm", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units the HBM allotted allows (+Inf without HBM)"},
	{Name: "product.limit_packaging", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units the packaging capacity allotted allows (+Inf for products without CoWoS-class packaging)"},
	{Name: "product.limit_demand", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units the vendor planned to make from the demand it saw (orders with a lag and an inventory target)"},
	{Name: "product.binding", Unit: "code", Agg: Last, Per: "domestic", Doc: "constraint that binds: 0 none (not being made: vendors build from one cycle time before launch), 1 plan, 2 dies, 3 hbm, 4 packaging, 5 demand (every supply limit has room to spare)"},
	{Name: "product.headroom", Unit: "units", Agg: Sum, Per: "domestic", Doc: "units output could grow before the next limit binds (the second-tightest limit less output); each limit's own spare is product.limit_* less product.output"},
	{Name: "product.inventory", Unit: "units", Agg: Last, Per: "domestic", Doc: "finished units held unsold at the end of the period (after its end a product sells off what it holds)"},
	{Name: "product.die_bank_dies", Unit: "dies", Agg: Sum, Per: "domestic", Doc: "dies drawn from the pre-control die bank"},
	{Name: "product.offshore_dies", Unit: "dies", Agg: Sum, Per: "domestic", Doc: "dies received from foreign foundries (TSMC, Samsung) while the rules allow"},
	{Name: "product.imports_legal", Unit: "units", Agg: Sum, Per: "foreign", Doc: "units imported legally"},
	{Name: "product.smuggled", Unit: "units", Agg: Sum, Per: "foreign", Doc: "units smuggled"},
	{Name: "product.affiliate", Unit: "units", Agg: Sum, Per: "foreign", Doc: "units bought through affiliates of listed firms"},
	{Name: "foundry.wafers", Unit: "wafers", Agg: Sum, Per: "process", Doc: "AI accelerator wafers started"},
	{Name: "foundry.defect_density", Unit: "defects/cm²", Agg: Last, Per: "process", Doc: "defect density"},
	{Name: "foundry.yield", Unit: "share", Agg: Last, Per: "process", Doc: "die yield of the largest die made on the process that period"},
	{Name: "foundry.good_dies", Unit: "dies", Agg: Sum, Per: "process", Doc: "good dies from the wafers started in the period (ready for packaging after the cycle time)"},
	{Name: "foundry.ai_capacity_wafers", Unit: "wafers", Agg: Sum, Per: "process", Doc: "wafers the process can start for AI accelerators (capacity x ai_share)"},
	{Name: "foundry.ai_utilization", Unit: "share", Agg: Mean, Per: "process", Doc: "AI wafers started / AI wafers the process can start; 1 when the foundry binds"},
	{Name: "hbm.available", Unit: "stacks", Agg: Sum, Per: "", Doc: "stacks that may be drawn in the period: domestic production, imports and grey arrivals, plus the share of the stock released (hbm.stock_release_per_year)"},
	{Name: "hbm.used", Unit: "stacks", Agg: Sum, Doc: "stacks used by domestic accelerators"},
	{Name: "hbm.stock", Unit: "stacks", Agg: Last, Doc: "stacks left at the end of the period"},
	{Name: "hbm.domestic_stacks", Unit: "stacks", Agg: Sum, Doc: "good HBM stacks made in China: what products need beyond imports, grey arrivals and the stock released, up to capacity x yield"},
	{Name: "die_bank.left", Unit: "dies", Agg: Last, Doc: "dies left in the pre-control die bank"},
	{Name: "money.import_spend_musd", Unit: "USD m", Agg: Sum, Doc: "Chinese spending on foreign accelerators bought legally or through affiliates"},
	{Name: "money.us_fee_musd", Unit: "USD m", Agg: Sum, Doc: "US revenue-share fees on licensed sales"},
	{Name: "money.foreign_revenue_musd", Unit: "USD m", Agg: Sum, Doc: "foreign vendors' China revenue, before fees"},
	{Name: "money.vendor_revenue_musd", Unit: "USD m", Agg: Sum, Per: "vendor", Doc: "each vendor's revenue from sales to Chinese buyers (legal and through affiliates, before fees; smuggled units excluded)"},
	{Name: "ic.consumption_usd_bn", Unit: "USD bn", Agg: Sum, Doc: "China's chip consumption, AI accelerators included"},
	{Name: "ic.domestic_usd_bn", Unit: "USD bn", Agg: Sum, Doc: "production by Chinese-owned firms"},
	{Name: "ic.located_usd_bn", Unit: "USD bn", Agg: Sum, Doc: "production located in China"},
	{Name: "sector.consumption_usd_bn", Unit: "USD bn", Agg: Sum, Per: "segment", Doc: "consumption by segment (ai_accelerators from the model)"},
	{Name: "sector.domestic_usd_bn", Unit: "USD bn", Agg: Sum, Per: "segment", Doc: "production by Chinese-owned firms, by segment"},
}

// MetricByName returns the metric with the given name.
func MetricByName(name string) (*MetricDef, bool) {
	for i := range Metrics {
		if Metrics[i].Name == name {
			return &Metrics[i], true
		}
	}
	return nil, false
}

// Binding constraint codes stored in product.binding.
const (
	BindNone = iota
	BindPlan
	BindDies
	BindHBM
	BindPackaging
	BindDemand
)

// BindingNames names the binding codes.
var BindingNames = [...]string{"none", "plan", "dies", "hbm", "packaging", "demand"}

// Origins names the entities of ai.installed_h100e.
var Origins = [...]string{"domestic", "foreign", "grey"}

// AISegment is the entity name of the AI accelerator segment in sector.* metrics.
const AISegment = "ai_accelerators"

// SpanSum totals slot s of r, a flow of metric d, over periods t0..t1 by
// d's definition: the sum of the flow, less, for a flow with a carried
// stock (carry, the stock's slot; -1 when d carries none), the stock
// carried from each period of the span to the next (t0 <= t < t1), so that
// a unit waiting through several periods counts once. Both slots must be
// kept by r (see Result.Column).
func (r *Result) SpanSum(d *MetricDef, s, carry, t0, t1 int) float64 {
	x, stride := r.Column(s)
	c := -1
	if d.Carry != "" && carry >= 0 {
		c, _ = r.Column(carry)
	}
	data := r.Data
	var sum float64
	for t := t0; t <= t1; t++ {
		sum += data[t*stride+x]
		if c >= 0 && t < t1 {
			sum -= data[t*stride+c]
		}
	}
	return sum
}
