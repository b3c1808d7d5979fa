package sim

import "math"

// Kind is the type of a scenario parameter.
type Kind int

// Parameter kinds.
const (
	Number Kind = iota // a Series of float64, one value per period
	Enum               // a Series of codes into FieldDef.Enum, one per period
	Text               // a fixed string; with Ref set, the ID of another entry
	Date               // a fixed Month
	Flag               // a fixed bool
)

// String returns the kind's name as shown to users.
func (k Kind) String() string {
	return [...]string{"number", "choice", "text", "period", "true/false"}[k]
}

// FieldDef describes one parameter: its key, unit, meaning and valid values.
type FieldDef struct {
	Name string
	Kind Kind
	Unit string
	Doc  string
	Min  float64  // Number: smallest valid value, always finite
	Max  float64  // Number: largest valid value; +Inf only when Unbounded
	Enum []string // Enum: the valid choices, coded 0, 1, ...
	Ref  string   // Text: the collection whose ID this names, if any
	// Optional fields may be left out of a scenario; all others must be
	// set. An optional Number takes Default in every period, an optional
	// Flag is true when Default is not 0; an optional Text takes
	// DefaultText, or the entry's own ID when that is empty.
	Optional    bool
	Default     float64
	DefaultText string
	// Only restricts a collection field to entries of one origin ("domestic"
	// or "foreign"); empty means every entry has it.
	Only string
	// Blended fields (of imports and hbm) may change part-way through a
	// period: the engine runs the part before the change on the values
	// before it (Field.Part). Any other field an event dated by day
	// changes takes the change in proportion to the part of the period
	// it covers.
	Blended bool
	// Unbounded Number fields are limits (a cap, a capacity, a quota, a
	// ceiling) that may be +Inf (.inf in a scenario), meaning no limit:
	// the engine handles +Inf in them and gives finite outputs. Their Max
	// is +Inf. Any other Number must be finite: FieldDef.Check refuses
	// +Inf with ErrInfinite, and its Max is at most 1e15.
	Unbounded bool
}

// Field binds a FieldDef to the storage of one parameter in a Spec.
type Field struct {
	Path string
	Def  *FieldDef
	Num  *Series // Number and Enum
	Str  *string // Text
	Date *Month  // Date
	Flag *bool   // Flag
	// Part is the part-period record of the entry the field belongs to,
	// for entries whose rules may change part-way through a period
	// (imports and hbm); PartIndex is the field's place in Part.Alt.
	Part      *Part
	PartIndex int
}

// Series holds one value per period.
type Series []float64

// Part records the periods an entry (one import, or the HBM block) spends
// partly under earlier rules, when an event dated by day changes it
// part-way through a period. In period t, Share[t] of the period runs on
// the period's values and the rest on the values before the change: for
// field k of the entry, Alt[k][t]. A nil Share means whole periods.
type Part struct {
	Share Series
	Alt   []Series
}

// At returns the share of period t under the period's own values.
func (p *Part) At(t int) float64 {
	if p.Share == nil {
		return 1
	}
	return p.Share[t]
}

var inf = math.Inf(1)

// finite bounds quantities for which .inf means nothing (a stock, a price,
// a capacity the engine divides, a count of wafers already run): it is
// far above any real value, and keeps .inf for the limits where it means
// "no limit" (FieldDef.Unbounded, set by limit).
const finite = 1e15

// NoBound is the upper bound of a quantity with no bound of its own:
// FieldDef.Max is NoBound or +Inf when only the number type limits it.
const NoBound = finite

func num(name, unit, doc string, lo, hi float64) FieldDef {
	return FieldDef{Name: name, Kind: Number, Unit: unit, Doc: doc, Min: lo, Max: hi}
}

// limit is a Number field that bounds something from above (a cap, a
// capacity, a quota, a ceiling, the price at which buyers would rather
// wait) and may be +Inf, meaning no limit (FieldDef.Unbounded).
func limit(name, unit, doc string, lo float64) FieldDef {
	d := num(name, unit, doc, lo, inf)
	d.Unbounded = true
	return d
}

func share(name, doc string) FieldDef { return num(name, "share 0..1", doc, 0, 1) }

// blended marks a field whose changes part-way through a period the
// engine blends (FieldDef.Blended).
func blended(d FieldDef) FieldDef {
	d.Blended = true
	return d
}

func enum(name, doc string, choices ...string) FieldDef {
	return FieldDef{Name: name, Kind: Enum, Unit: "choice", Doc: doc, Enum: choices}
}

// optional makes a Number field optional with a default.
func optional(d FieldDef, def float64) FieldDef {
	d.Optional, d.Default = true, def
	return d
}

// Export statuses (imports.*.us_status).
const (
	USAllowed = iota
	USLicensed
	USBanned
)

// Chinese import stances (imports.*.cn_stance).
const (
	CNOpen = iota
	CNDiscouraged
	CNBanned
)

// Demand models (demand.model).
const (
	Exponential = iota
	Logistic
)

// Yield models (foundry.*.yield_model).
const (
	Poisson = iota
	Murphy
)

// Open/closed switch used by hbm.imports.
const (
	Open = iota
	Closed
)

// Demand is block 1: new AI compute Chinese buyers want to deploy.
type Demand struct {
	Initial     Series
	Growth      Series
	Model       Series
	Ceiling     Series
	Efficiency  Series
	BacklogLoss Series
	Elasticity  Series
	RefPrice    Series
}

var demandDefs = []FieldDef{
	num("initial_h100e_per_year", "H100e/year", "new accelerator compute wanted in the first period, at an annual rate, before software efficiency", 0, finite),
	num("growth", "1/year", "annual growth of compute wanted (exponential), or the logistic rate", -1, 100),
	enum("model", "growth path: exponential at growth, or logistic at rate growth toward ceiling", "exponential", "logistic"),
	limit("ceiling_h100e_per_year", "H100e/year", "saturation level of the logistic model (ignored by exponential); .inf for none: the logistic then grows as the exponential does", 0),
	num("efficiency_gain", "1/year", "annual gain in AI work per unit of compute from software (the DeepSeek effect); divides hardware demand", -0.5, 10),
	share("backlog_loss_per_year", "share of deferred demand (wanted but not served) that buyers give up each year; the rest waits for later periods"),
	num("price_elasticity", "elasticity", "elasticity of new compute wanted with respect to the average price per H100e buyers paid the period before, relative to reference_price_usd_per_h100e; 0 = demand does not answer to price", 0, 5),
	num("reference_price_usd_per_h100e", "USD/H100e", "average price per H100e at which demand follows its growth path (used when price_elasticity > 0)", 1, finite),
}

func (d *Demand) fields() []*Series {
	return []*Series{&d.Initial, &d.Growth, &d.Model, &d.Ceiling, &d.Efficiency, &d.BacklogLoss, &d.Elasticity, &d.RefPrice}
}

// Market is block 9: how demand is split among available products.
type Market struct {
	PriceSensitivity  Series
	DomesticPref      Series
	FeeElasticity     Series
	FeePassThrough    Series
	ListedShare       Series
	DiscouragedFactor Series
	OutsidePrice      Series
}

var marketDefs = []FieldDef{
	num("price_sensitivity", "utility per ln(H100e per USD)", "logit weight on performance per price", 0, 20),
	num("domestic_preference", "utility", "logit bonus for domestic products: policy pressure to buy domestic (data-centre sourcing rules)", -20, 20),
	num("fee_elasticity", "elasticity", "own-price elasticity of demand for a licensed product with respect to its effective price", 0, 20),
	share("fee_pass_through", "share of the US revenue-share fee passed on to Chinese buyers in the price"),
	share("listed_share", "share of demand from entity-listed buyers, who cannot buy foreign products legally"),
	share("discouraged_compliance", "share of purchases of a 'discouraged' product that buyers still make"),
	limit("outside_price_usd_per_h100e", "USD/H100e", "the outside option: buyers may wait (or rent offshore cloud) instead of buying, and waiting weighs in the logit as a CUDA product at this price per H100e would; .inf for no outside option, when all demand goes to whatever is on offer", 1),
}

func (m *Market) fields() []*Series {
	return []*Series{&m.PriceSensitivity, &m.DomesticPref, &m.FeeElasticity, &m.FeePassThrough, &m.ListedShare, &m.DiscouragedFactor, &m.OutsidePrice}
}

// Supply holds how domestic vendors plan production: they order from the
// demand the market sends them, with a lag and an inventory target.
type Supply struct {
	Forecast Series
	Cover    Series
	Adjust   Series
	MaxTrend Series
}

var supplyDefs = []FieldDef{
	num("forecast_months", "months", "time over which a vendor's expected sales follow what the market asks of it (exponential smoothing; 0 = at once)", 0, 60),
	num("inventory_cover_months", "months", "finished units a vendor aims to hold, in months of expected sales; it holds good dies for the same cover beyond those in process", 0, 24),
	num("adjust_months", "months", "time a vendor takes to close the gap between the finished stock and dies in process it wants and what it has (at least one period)", 0, 60),
	num("max_trend_per_year", "1/year", "the fastest growth (or decline) of its sales a vendor projects into its plan, a year's worth: planners extrapolate a trend, not a boom", 0, 10),
}

func (s *Supply) fields() []*Series {
	return []*Series{&s.Forecast, &s.Cover, &s.Adjust, &s.MaxTrend}
}

// Grey is block 8: smuggling, affiliates of listed firms, offshore cloud.
type Grey struct {
	Enforcement Series
	Leakage     Series
	Cloud       Series
}

var greyDefs = []FieldDef{
	share("enforcement", "share of would-be smuggled chips (and grey HBM) stopped by enforcement"),
	share("affiliate_leakage", "share of purchases blocked by an entity listing that go through unlisted subsidiaries and affiliates"),
	num("cloud_h100e", "H100e", "compute rented by Chinese firms from offshore clouds: access, never supply", 0, finite),
}

func (g *Grey) fields() []*Series { return []*Series{&g.Enforcement, &g.Leakage, &g.Cloud} }

// DieBank holds the accelerator dies made abroad: the stock made before
// the controls, and foreign foundries' output while the rules allow it.
type DieBank struct {
	Initial        Series
	MaxDraw        Series
	OffshoreAccess Series
}

var dieBankDefs = []FieldDef{
	num("initial_dies", "dies", "dies in the bank at the start of the run (only the first period's value is used)", 0, finite),
	limit("max_draw_per_year", "dies/year", "most dies that packaging lines can draw from the bank (.inf for no limit)", 0),
	share("offshore_access", "share of the dies Chinese designers order from foreign foundries (products.*.offshore_dies_per_year) that export rules still let them have"),
}

func (d *DieBank) fields() []*Series { return []*Series{&d.Initial, &d.MaxDraw, &d.OffshoreAccess} }

// HBM is block 4: high-bandwidth memory stacks.
type HBM struct {
	Initial     Series
	DomCapacity Series
	DomYield    Series
	Imports     Series
	Import      Series
	Grey        Series
	Release     Series
	ValueWeight Series
	Part        Part
}

var hbmDefs = []FieldDef{
	num("initial_stacks", "stacks", "HBM stacks held in China at the start of the run (only the first period's value is used)", 0, finite),
	limit("domestic_capacity_stacks_per_year", "stacks/year", "HBM stacks that lines in China (CXMT, Huawei's partners) can assemble (.inf for no limit)", 0),
	share("domestic_yield", "share of domestically assembled stacks that pass test; domestic lines make what products need beyond other supply, up to capacity x yield"),
	blended(num("import_stacks_per_year", "stacks/year", "HBM stacks imported when imports are open", 0, finite)),
	blended(enum("imports", "whether HBM may be imported (closed by the 2024-12 US control)", "open", "closed")),
	blended(num("grey_stacks_per_year", "stacks/year", "HBM stacks that reach China through grey channels while imports are closed, before enforcement", 0, finite)),
	share("stock_release_per_year", "most of the HBM stock that may be drawn in a year: the stock is rationed over time, not spent at once"),
	num("value_weight", "exponent", "weight on value per stack (price / stacks) when scarce HBM is shared among products: 0 shares in proportion to need; larger values serve first the products that earn most per stack", 0, 10),
}

func (h *HBM) fields() []*Series {
	return []*Series{&h.Initial, &h.DomCapacity, &h.DomYield, &h.Imports, &h.Import, &h.Grey, &h.Release, &h.ValueWeight}
}

// Packaging is block 5: advanced (CoWoS-class) packaging in China.
type Packaging struct {
	Capacity Series
	Yield    Series
}

var packagingDefs = []FieldDef{
	limit("capacity_units_per_year", "units/year", "accelerator packages that domestic advanced packaging can assemble (.inf for no limit)", 0),
	share("yield", "share of assembled packages that pass final test"),
}

func (p *Packaging) fields() []*Series { return []*Series{&p.Capacity, &p.Yield} }

// Installed is block 10: compute in service.
type Installed struct {
	Domestic Series
	Foreign  Series
	Life     Series
}

var installedDefs = []FieldDef{
	num("initial_domestic_h100e", "H100e", "domestic compute in service at the start (only the first period's value is used)", 0, finite),
	num("initial_foreign_h100e", "H100e", "foreign compute in service at the start (only the first period's value is used)", 0, finite),
	num("service_life_years", "years", "years an accelerator stays in service before it is retired", 0.25, 30),
}

func (i *Installed) fields() []*Series { return []*Series{&i.Domestic, &i.Foreign, &i.Life} }

// Ecosystem is a software stack (CUDA, CANN, ...) whose maturity buyers value.
type Ecosystem struct {
	ID      string
	Utility Series
}

var ecosystemDefs = []FieldDef{
	num("utility", "utility", "logit utility of the software ecosystem's maturity; CUDA is the usual reference at 0", -20, 20),
}

// MaxCycleMonths bounds foundry.*.cycle_time_months.
const MaxCycleMonths = 24

// Process is block 3: one domestic foundry process.
type Process struct {
	ID           string
	Capacity     Series
	AIShare      Series
	Diameter     Series
	Edge         Series
	YieldModel   Series
	D0           Series
	D0Floor      Series
	LearningRate Series
	Cumulative   Series
	CycleTime    Series
}

var processDefs = []FieldDef{
	num("capacity_wpm", "wafers/month", "wafer starts per month on this process, all products; every wafer counts toward learning", 0, finite),
	share("ai_share", "share of the process's wafers given to AI accelerators"),
	num("wafer_diameter_mm", "mm", "wafer diameter", 100, 450),
	num("edge_exclusion_mm", "mm", "unusable ring at the wafer edge", 0, 20),
	enum("yield_model", "defect-density yield model", "poisson", "murphy"),
	num("defect_density", "defects/cm²", "defect density at the start of the run (only the first period's value is used)", 0, 100),
	num("defect_density_floor", "defects/cm²", "lowest defect density learning can reach", 0, 100),
	num("learning_rate", "ratio per doubling", "factor on defect density for each doubling of cumulative wafers (Wright's law); 1 = no learning", 0.01, 1),
	num("cumulative_wafers", "wafers", "wafers of every product already run on the process at the start, the base of its learning curve (only the first period's value is used)", 1, finite),
	num("cycle_time_months", "months", "time from wafer start to good dies ready for packaging", 0, MaxCycleMonths),
}

func (p *Process) fields() []*Series {
	return []*Series{&p.Capacity, &p.AIShare, &p.Diameter, &p.Edge, &p.YieldModel, &p.D0, &p.D0Floor, &p.LearningRate, &p.Cumulative, &p.CycleTime}
}

// Product is block 2: one accelerator in the catalogue.
type Product struct {
	ID          string
	Vendor      string
	Origin      string // "domestic" or "foreign"
	Tier        string // foreign: the export-control tier
	Process     string
	Ecosystem   string
	Launch      Month
	End         Month
	UsesDieBank bool
	AdvPackage  bool // needs CoWoS-class packaging
	H100e       Series
	Price       Series
	Stacks      Series
	DieArea     Series
	DiesPerUnit Series
	Plan        Series
	Offshore    Series
	WaferShare  Series
	WaferMax    Series
	WaferRank   Series
}

var productDefs = []FieldDef{
	{Name: "vendor", Kind: Text, Doc: "company that sells it"},
	{Name: "origin", Kind: Text, Doc: "domestic (designed and made for China's supply) or foreign"},
	{Name: "tier", Kind: Text, Doc: "export-control tier (frontier, prior_gen, ...): export_status and import_stance events may name a tier, and then apply to every product in it, successors included; default: the product's own ID", Only: "foreign", Optional: true},
	{Name: "process", Kind: Text, Ref: "foundry", Doc: "domestic foundry process that makes its dies", Only: "domestic"},
	{Name: "ecosystem", Kind: Text, Ref: "ecosystems", Doc: "software ecosystem it runs"},
	{Name: "launch", Kind: Date, Doc: "first period it is sold"},
	{Name: "end", Kind: Date, Doc: "last period it is sold"},
	{Name: "uses_die_bank", Kind: Flag, Doc: "whether it can be built from the pre-control die bank", Only: "domestic"},
	{Name: "advanced_packaging", Kind: Flag, Doc: "whether it needs CoWoS-class 2.5D packaging (HBM parts do; GDDR and LPDDR cards use ordinary flip-chip packages and skip the packaging limit) (default true)", Only: "domestic", Optional: true, Default: 1},
	num("h100e", "H100e/unit", "dense BF16 throughput relative to an H100 (TFLOPS / 989)", 0, 100),
	num("price_usd", "USD/unit", "price to Chinese buyers before any fee", 0, finite),
	{Name: "hbm_stacks", Kind: Number, Unit: "stacks/unit", Doc: "HBM stacks in each unit", Min: 0, Max: 64, Only: "domestic"},
	{Name: "die_area_mm2", Kind: Number, Unit: "mm²", Doc: "area of one logic die", Min: 1, Max: 900, Only: "domestic"},
	{Name: "dies_per_unit", Kind: Number, Unit: "dies/unit", Doc: "logic dies in one package (2 for a 910C)", Min: 1, Max: 16, Only: "domestic"},
	{Name: "plan_units_per_year", Kind: Number, Unit: "units/year", Doc: "announced production plan, a ceiling: the most the vendor will make (default .inf: no ceiling; production follows demand)", Min: 0, Max: inf, Unbounded: true, Only: "domestic", Optional: true, Default: inf},
	{Name: "offshore_dies_per_year", Kind: Number, Unit: "dies/year", Doc: "good dies the vendor can have made by foreign foundries (TSMC, Samsung), scaled by die_bank.offshore_access; used before domestic wafers (default 0)", Min: 0, Max: finite, Only: "domestic", Optional: true},
	{Name: "wafer_share", Kind: Number, Unit: "share 0..1", Doc: "share of its process's AI wafers reserved for the product; wafers beyond the reserved shares go by wafer_priority (default 0)", Min: 0, Max: 1, Only: "domestic", Optional: true},
	{Name: "wafer_share_max", Kind: Number, Unit: "share 0..1", Doc: "most of its process's AI wafers the product may take, however many are free: a foundry that rations a designer (default 1)", Min: 0, Max: 1, Only: "domestic", Optional: true, Default: 1},
	{Name: "wafer_priority", Kind: Number, Unit: "rank", Doc: "rank for AI wafers beyond the reserved shares: rank 1 is served first, equal ranks share in proportion to what they ask (default 1)", Min: 1, Max: 100, Only: "domestic", Optional: true, Default: 1},
}

// Import is block 7: the trade status of one foreign product.
type Import struct {
	ID              string
	USStatus        Series
	CNStance        Series
	Supply          Series
	USVolume        Series
	CapShare        Series
	Quota           Series
	Fee             Series
	Smuggling       Series
	PullForward     Series
	PullForwardLead Series
	Part            Part
}

var importDefs = []FieldDef{
	blended(enum("us_status", "US export status", "allowed", "licensed", "banned")),
	blended(enum("cn_stance", "Chinese import stance", "open", "discouraged", "banned")),
	blended(limit("supply_units_per_year", "units/year", "units the vendor can ship to China when it may (.inf for no limit)", 0)),
	blended(limit("us_volume_units_per_year", "units/year", "units sold to US customers, the base of a licence's volume cap (.inf: no cap)", 0)),
	blended(share("cap_share", "licence volume cap as a share of US-customer volume")),
	blended(limit("quota_units_per_year", "units/year", "Chinese approvals for purchases of this product (.inf for no quota)", 0)),
	blended(share("fee_share", "US revenue-share fee on licensed sales")),
	num("smuggling_units_per_year", "units/year", "units smuggled while the product is banned, before enforcement", 0, finite),
	num("pull_forward", "share", "extra purchases, as a share of normal ones, while a US ban (or a licence with no volume) is announced but not yet in force", 0, 10),
	num("pull_forward_lead_quarters", "quarters", "how far ahead buyers see an announced ban", 0, 16),
}

func (im *Import) fields() []*Series {
	return []*Series{&im.USStatus, &im.CNStance, &im.Supply, &im.USVolume, &im.CapShare, &im.Quota, &im.Fee, &im.Smuggling, &im.PullForward, &im.PullForwardLead}
}

// Segment is block 11: one segment of the whole semiconductor sector.
type Segment struct {
	ID          string
	Consumption Series
	Growth      Series
	Domestic    Series
	Located     Series
}

var segmentDefs = []FieldDef{
	num("consumption_usd_bn", "USD bn/year", "China's consumption of the segment in the first period, at an annual rate (only the first period's value is used)", 0, finite),
	num("growth", "1/year", "annual growth of consumption", -1, 10),
	share("domestic_share", "production by Chinese-owned firms as a share of consumption"),
	share("located_share", "production located in China, by firms of any ownership, as a share of consumption"),
}

func (s *Segment) fields() []*Series {
	return []*Series{&s.Consumption, &s.Growth, &s.Domestic, &s.Located}
}

// Spec is a fully resolved scenario: every parameter as a Series over the
// calendar. The scenarios package builds it from files; Compile checks it
// and turns it into a Model.
type Spec struct {
	Name       string
	Calendar   Calendar
	Demand     Demand
	Market     Market
	Supply     Supply
	Grey       Grey
	DieBank    DieBank
	HBM        HBM
	Packaging  Packaging
	Installed  Installed
	Ecosystems []Ecosystem
	Foundry    []Process
	Products   []Product
	Imports    []Import
	Segments   []Segment
}

// WholePeriods drops the part-period records that events dated by day
// left in imports and hbm, so that series edited in place (a variant built
// in code) apply to whole periods; otherwise the part of a period before
// such an event keeps the values recorded when the scenario was built.
func (s *Spec) WholePeriods() {
	s.HBM.Part = Part{}
	for i := range s.Imports {
		s.Imports[i].Part = Part{}
	}
}

// Block describes one top-level section of a scenario's parameters.
type Block struct {
	Name string
	Doc  string
	// Collection blocks hold named entries (products, foundry processes...).
	Collection bool
	Defs       []FieldDef
}

// Blocks lists every parameter section in the order scenario files use.
var Blocks = []Block{
	{Name: "demand", Doc: "new AI compute wanted by Chinese buyers", Defs: demandDefs},
	{Name: "market", Doc: "how demand is split among products", Defs: marketDefs},
	{Name: "supply", Doc: "how domestic vendors plan production from the demand they see", Defs: supplyDefs},
	{Name: "grey", Doc: "smuggling, affiliates and offshore cloud", Defs: greyDefs},
	{Name: "die_bank", Doc: "accelerator dies made abroad: the pre-control bank and foreign foundries", Defs: dieBankDefs},
	{Name: "hbm", Doc: "high-bandwidth memory", Defs: hbmDefs},
	{Name: "packaging", Doc: "domestic advanced packaging", Defs: packagingDefs},
	{Name: "installed", Doc: "compute in service", Defs: installedDefs},
	{Name: "ecosystems", Doc: "software ecosystems", Collection: true, Defs: ecosystemDefs},
	{Name: "foundry", Doc: "domestic foundry processes", Collection: true, Defs: processDefs},
	{Name: "products", Doc: "accelerator catalogue", Collection: true, Defs: productDefs},
	{Name: "imports", Doc: "trade status of each foreign product", Collection: true, Defs: importDefs},
	{Name: "sector", Doc: "whole semiconductor sector, AI accelerators excluded", Collection: true, Defs: segmentDefs},
}

// BlockByName returns the block with the given name.
func BlockByName(name string) (*Block, bool) {
	for i := range Blocks {
		if Blocks[i].Name == name {
			return &Blocks[i], true
		}
	}
	return nil, false
}

func bind(prefix string, defs []FieldDef, ptrs []*Series) []Field {
	out := make([]Field, len(defs))
	for i := range defs {
		out[i] = Field{Path: prefix + defs[i].Name, Def: &defs[i], Num: ptrs[i]}
	}
	return out
}

// withPart attaches an entry's part-period record to its blended fields.
func withPart(fs []Field, p *Part) []Field {
	for i := range fs {
		if fs[i].Def.Blended {
			fs[i].Part, fs[i].PartIndex = p, i
		}
	}
	return fs
}

// Fields lists every parameter of s with its path, in a fixed order: the
// blocks in Blocks order, entries in the order the scenario declared them.
func (s *Spec) Fields() []Field {
	var out []Field
	out = append(out, bind("demand.", demandDefs, s.Demand.fields())...)
	out = append(out, bind("market.", marketDefs, s.Market.fields())...)
	out = append(out, bind("supply.", supplyDefs, s.Supply.fields())...)
	out = append(out, bind("grey.", greyDefs, s.Grey.fields())...)
	out = append(out, bind("die_bank.", dieBankDefs, s.DieBank.fields())...)
	out = append(out, withPart(bind("hbm.", hbmDefs, s.HBM.fields()), &s.HBM.Part)...)
	out = append(out, bind("packaging.", packagingDefs, s.Packaging.fields())...)
	out = append(out, bind("installed.", installedDefs, s.Installed.fields())...)
	for i := range s.Ecosystems {
		e := &s.Ecosystems[i]
		out = append(out, bind("ecosystems."+e.ID+".", ecosystemDefs, []*Series{&e.Utility})...)
	}
	for i := range s.Foundry {
		p := &s.Foundry[i]
		out = append(out, bind("foundry."+p.ID+".", processDefs, p.fields())...)
	}
	for i := range s.Products {
		out = append(out, s.Products[i].Fields()...)
	}
	for i := range s.Imports {
		im := &s.Imports[i]
		out = append(out, withPart(bind("imports."+im.ID+".", importDefs, im.fields()), &im.Part)...)
	}
	for i := range s.Segments {
		g := &s.Segments[i]
		out = append(out, bind("sector."+g.ID+".", segmentDefs, g.fields())...)
	}
	return out
}

// Fields lists the parameters of one product that apply to its origin.
func (p *Product) Fields() []Field {
	prefix := "products." + p.ID + "."
	var out []Field
	for i := range productDefs {
		d := &productDefs[i]
		if d.Only != "" && d.Only != p.Origin {
			continue
		}
		f := Field{Path: prefix + d.Name, Def: d}
		switch d.Name {
		case "vendor":
			f.Str = &p.Vendor
		case "origin":
			f.Str = &p.Origin
		case "tier":
			f.Str = &p.Tier
		case "process":
			f.Str = &p.Process
		case "ecosystem":
			f.Str = &p.Ecosystem
		case "launch":
			f.Date = &p.Launch
		case "end":
			f.Date = &p.End
		case "uses_die_bank":
			f.Flag = &p.UsesDieBank
		case "advanced_packaging":
			f.Flag = &p.AdvPackage
		case "h100e":
			f.Num = &p.H100e
		case "price_usd":
			f.Num = &p.Price
		case "hbm_stacks":
			f.Num = &p.Stacks
		case "die_area_mm2":
			f.Num = &p.DieArea
		case "dies_per_unit":
			f.Num = &p.DiesPerUnit
		case "plan_units_per_year":
			f.Num = &p.Plan
		case "offshore_dies_per_year":
			f.Num = &p.Offshore
		case "wafer_share":
			f.Num = &p.WaferShare
		case "wafer_share_max":
			f.Num = &p.WaferMax
		case "wafer_priority":
			f.Num = &p.WaferRank
		default:
			panic("sim: product field " + d.Name + " has no storage")
		}
		out = append(out, f)
	}
	return out
}
