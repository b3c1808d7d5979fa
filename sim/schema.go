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
	Min  float64  // Number: smallest valid value
	Max  float64  // Number: largest valid value
	Enum []string // Enum: the valid choices, coded 0, 1, ...
	Ref  string   // Text: the collection whose ID this names, if any
	// Optional fields may be left out of a scenario; all others must be set.
	Optional bool
	// Only restricts a collection field to entries of one origin ("domestic"
	// or "foreign"); empty means every entry has it.
	Only string
}

// Field binds a FieldDef to the storage of one parameter in a Spec.
type Field struct {
	Path string
	Def  *FieldDef
	Num  *Series // Number and Enum
	Str  *string // Text
	Date *Month  // Date
	Flag *bool   // Flag
}

// Series holds one value per period.
type Series []float64

var inf = math.Inf(1)

func num(name, unit, doc string, lo, hi float64) FieldDef {
	return FieldDef{Name: name, Kind: Number, Unit: unit, Doc: doc, Min: lo, Max: hi}
}

func share(name, doc string) FieldDef { return num(name, "share 0..1", doc, 0, 1) }

func enum(name, doc string, choices ...string) FieldDef {
	return FieldDef{Name: name, Kind: Enum, Unit: "choice", Doc: doc, Enum: choices}
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
	Initial    Series
	Growth     Series
	Model      Series
	Ceiling    Series
	Efficiency Series
}

var demandDefs = []FieldDef{
	num("initial_h100e_per_year", "H100e/year", "new accelerator compute wanted in the first period, at an annual rate, before software efficiency", 0, inf),
	num("growth", "1/year", "annual growth of compute wanted (exponential), or the logistic rate", -1, 100),
	enum("model", "growth path: exponential at growth, or logistic at rate growth toward ceiling", "exponential", "logistic"),
	num("ceiling_h100e_per_year", "H100e/year", "saturation level of the logistic model (ignored by exponential)", 0, inf),
	num("efficiency_gain", "1/year", "annual gain in AI work per unit of compute from software (the DeepSeek effect); divides hardware demand", -0.5, 10),
}

func (d *Demand) fields() []*Series {
	return []*Series{&d.Initial, &d.Growth, &d.Model, &d.Ceiling, &d.Efficiency}
}

// Market is block 9: how demand is split among available products.
type Market struct {
	PriceSensitivity  Series
	DomesticPref      Series
	FeeElasticity     Series
	FeePassThrough    Series
	ListedShare       Series
	DiscouragedFactor Series
}

var marketDefs = []FieldDef{
	num("price_sensitivity", "utility per ln(H100e per USD)", "logit weight on performance per price", 0, 20),
	num("domestic_preference", "utility", "logit bonus for domestic products: policy pressure to buy domestic (data-centre sourcing rules)", -20, 20),
	num("fee_elasticity", "elasticity", "own-price elasticity of demand for a licensed product with respect to its effective price", 0, 20),
	share("fee_pass_through", "share of the US revenue-share fee passed on to Chinese buyers in the price"),
	share("listed_share", "share of demand from entity-listed buyers, who cannot buy foreign products legally"),
	share("discouraged_compliance", "share of purchases of a 'discouraged' product that buyers still make"),
}

func (m *Market) fields() []*Series {
	return []*Series{&m.PriceSensitivity, &m.DomesticPref, &m.FeeElasticity, &m.FeePassThrough, &m.ListedShare, &m.DiscouragedFactor}
}

// Grey is block 8: smuggling, affiliates of listed firms, offshore cloud.
type Grey struct {
	Enforcement Series
	Leakage     Series
	Cloud       Series
}

var greyDefs = []FieldDef{
	share("enforcement", "share of would-be smuggled chips stopped by enforcement"),
	share("affiliate_leakage", "share of purchases blocked by an entity listing that go through unlisted subsidiaries and affiliates"),
	num("cloud_h100e", "H100e", "compute rented by Chinese firms from offshore clouds: access, never supply", 0, inf),
}

func (g *Grey) fields() []*Series { return []*Series{&g.Enforcement, &g.Leakage, &g.Cloud} }

// DieBank is the stock of accelerator dies made abroad before controls.
type DieBank struct {
	Initial Series
	MaxDraw Series
}

var dieBankDefs = []FieldDef{
	num("initial_dies", "dies", "dies in the bank at the start of the run (only the first period's value is used)", 0, inf),
	num("max_draw_per_year", "dies/year", "most dies that packaging lines can draw from the bank", 0, inf),
}

func (d *DieBank) fields() []*Series { return []*Series{&d.Initial, &d.MaxDraw} }

// HBM is block 4: high-bandwidth memory stacks.
type HBM struct {
	Initial  Series
	Domestic Series
	Imports  Series
	Import   Series
}

var hbmDefs = []FieldDef{
	num("initial_stacks", "stacks", "HBM stacks held in China at the start of the run (only the first period's value is used)", 0, inf),
	num("domestic_stacks_per_year", "stacks/year", "good HBM stacks made in China (CXMT and others)", 0, inf),
	num("import_stacks_per_year", "stacks/year", "HBM stacks imported when imports are open", 0, inf),
	enum("imports", "whether HBM may be imported (closed by the 2024-12 US control)", "open", "closed"),
}

func (h *HBM) fields() []*Series { return []*Series{&h.Initial, &h.Domestic, &h.Imports, &h.Import} }

// Packaging is block 5: advanced (CoWoS-class) packaging in China.
type Packaging struct {
	Capacity Series
	Yield    Series
}

var packagingDefs = []FieldDef{
	num("capacity_units_per_year", "units/year", "accelerator packages that domestic advanced packaging can assemble", 0, inf),
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
	num("initial_domestic_h100e", "H100e", "domestic compute in service at the start (only the first period's value is used)", 0, inf),
	num("initial_foreign_h100e", "H100e", "foreign compute in service at the start (only the first period's value is used)", 0, inf),
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
}

var processDefs = []FieldDef{
	num("capacity_wpm", "wafers/month", "wafer starts per month on this process, all products; every wafer counts toward learning", 0, inf),
	share("ai_share", "share of the process's wafers given to AI accelerators"),
	num("wafer_diameter_mm", "mm", "wafer diameter", 100, 450),
	num("edge_exclusion_mm", "mm", "unusable ring at the wafer edge", 0, 20),
	enum("yield_model", "defect-density yield model", "poisson", "murphy"),
	num("defect_density", "defects/cm²", "defect density at the start of the run (only the first period's value is used)", 0, 100),
	num("defect_density_floor", "defects/cm²", "lowest defect density learning can reach", 0, 100),
	num("learning_rate", "ratio per doubling", "factor on defect density for each doubling of cumulative wafers (Wright's law); 1 = no learning", 0.01, 1),
	num("cumulative_wafers", "wafers", "wafers of every product already run on the process at the start, the base of its learning curve (only the first period's value is used)", 1, inf),
}

func (p *Process) fields() []*Series {
	return []*Series{&p.Capacity, &p.AIShare, &p.Diameter, &p.Edge, &p.YieldModel, &p.D0, &p.D0Floor, &p.LearningRate, &p.Cumulative}
}

// Product is block 2: one accelerator in the catalogue.
type Product struct {
	ID          string
	Vendor      string
	Origin      string // "domestic" or "foreign"
	Process     string
	Ecosystem   string
	Launch      Month
	End         Month
	UsesDieBank bool
	H100e       Series
	Price       Series
	Stacks      Series
	DieArea     Series
	DiesPerUnit Series
	Plan        Series
}

var productDefs = []FieldDef{
	{Name: "vendor", Kind: Text, Doc: "company that sells it"},
	{Name: "origin", Kind: Text, Doc: "domestic (designed and made for China's supply) or foreign"},
	{Name: "process", Kind: Text, Ref: "foundry", Doc: "domestic foundry process that makes its dies", Only: "domestic"},
	{Name: "ecosystem", Kind: Text, Ref: "ecosystems", Doc: "software ecosystem it runs"},
	{Name: "launch", Kind: Date, Doc: "first period it is sold"},
	{Name: "end", Kind: Date, Doc: "last period it is sold"},
	{Name: "uses_die_bank", Kind: Flag, Doc: "whether it can be built from the pre-control die bank", Only: "domestic"},
	num("h100e", "H100e/unit", "dense BF16 throughput relative to an H100 (TFLOPS / 989)", 0, 100),
	num("price_usd", "USD/unit", "price to Chinese buyers before any fee", 0, inf),
	{Name: "hbm_stacks", Kind: Number, Unit: "stacks/unit", Doc: "HBM stacks in each unit", Min: 0, Max: 64, Only: "domestic"},
	{Name: "die_area_mm2", Kind: Number, Unit: "mm²", Doc: "area of one logic die", Min: 1, Max: 900, Only: "domestic"},
	{Name: "dies_per_unit", Kind: Number, Unit: "dies/unit", Doc: "logic dies in one package (2 for a 910C)", Min: 1, Max: 16, Only: "domestic"},
	{Name: "plan_units_per_year", Kind: Number, Unit: "units/year", Doc: "announced production plan: the most the vendor will make", Min: 0, Max: inf, Only: "domestic"},
}

func (p *Product) series() []*Series {
	return []*Series{&p.H100e, &p.Price, &p.Stacks, &p.DieArea, &p.DiesPerUnit, &p.Plan}
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
}

var importDefs = []FieldDef{
	enum("us_status", "US export status", "allowed", "licensed", "banned"),
	enum("cn_stance", "Chinese import stance", "open", "discouraged", "banned"),
	num("supply_units_per_year", "units/year", "units the vendor can ship to China when it may", 0, inf),
	num("us_volume_units_per_year", "units/year", "units sold to US customers, the base of a licence's volume cap", 0, inf),
	share("cap_share", "licence volume cap as a share of US-customer volume"),
	num("quota_units_per_year", "units/year", "Chinese approvals for purchases of this product (.inf for none)", 0, inf),
	share("fee_share", "US revenue-share fee on licensed sales"),
	num("smuggling_units_per_year", "units/year", "units smuggled while the product is banned, before enforcement", 0, inf),
	num("pull_forward", "share", "extra purchases, as a share of normal ones, while a US ban is announced but not yet in force", 0, 10),
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
	num("consumption_usd_bn", "USD bn/year", "China's consumption of the segment in the first period, at an annual rate (only the first period's value is used)", 0, inf),
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
	{Name: "grey", Doc: "smuggling, affiliates and offshore cloud", Defs: greyDefs},
	{Name: "die_bank", Doc: "accelerator dies made abroad before controls", Defs: dieBankDefs},
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

// Fields lists every parameter of s with its path, in a fixed order: the
// blocks in Blocks order, entries in the order the scenario declared them.
func (s *Spec) Fields() []Field {
	var out []Field
	out = append(out, bind("demand.", demandDefs, s.Demand.fields())...)
	out = append(out, bind("market.", marketDefs, s.Market.fields())...)
	out = append(out, bind("grey.", greyDefs, s.Grey.fields())...)
	out = append(out, bind("die_bank.", dieBankDefs, s.DieBank.fields())...)
	out = append(out, bind("hbm.", hbmDefs, s.HBM.fields())...)
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
		out = append(out, bind("imports."+im.ID+".", importDefs, im.fields())...)
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
	ser := p.series()
	var out []Field
	si := 0
	for i := range productDefs {
		d := &productDefs[i]
		f := Field{Path: prefix + d.Name, Def: d}
		switch d.Kind {
		case Text:
			f.Str = [...]*string{&p.Vendor, &p.Origin, &p.Process, &p.Ecosystem}[i]
		case Date:
			f.Date = [...]*Month{&p.Launch, &p.End}[i-4]
		case Flag:
			f.Flag = &p.UsesDieBank
		default:
			f.Num = ser[si]
			si++
		}
		if d.Only != "" && d.Only != p.Origin {
			continue
		}
		out = append(out, f)
	}
	return out
}
