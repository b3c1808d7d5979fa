package sim

import (
	"fmt"
	"math"
)

// Metric indices, in the order of Metrics (checked by a test).
const (
	mSSRUnits = iota
	mSSRCompute
	mSSRStock
	mCoverage
	mICSSRValue
	mICSSRLocated
	mDemand
	mDelivered
	mUnmet
	mWanted
	mBacklog
	mLost
	mH100eDom
	mH100eImport
	mH100eGrey
	mUnits
	mUnitsDom
	mUnitsImport
	mUnitsGrey
	mCloud
	mInstalled
	mProdUnits
	mProdH100e
	mProdOutput
	mLimitPlan
	mLimitDies
	mLimitHBM
	mLimitPack
	mLimitDemand
	mBinding
	mHeadroom
	mInventory
	mBankDies
	mOffshoreDies
	mImportsLegal
	mSmuggled
	mAffiliate
	mWafers
	mDefects
	mYield
	mGoodDies
	mAICapacity
	mAIUtil
	mHBMAvail
	mHBMUsed
	mHBMStock
	mHBMDomestic
	mBankLeft
	mSpend
	mFee
	mRevenue
	mVendorRevenue
	mICCons
	mICDom
	mICLocated
	mSegCons
	mSegDom
	numMetrics
)

// Result holds the outputs of one run and the scratch state the run needs,
// so that running a Model again into the same Result allocates nothing.
type Result struct {
	m    *Model
	Data []float64 // period-major: Data[t*len(slots) + slot]
	row  []float64 // the slots of the period being run
	tb   *tables   // what depends on parameters alone

	// Domestic vendors' state, per product.
	fgi    []float64 // finished units held unsold
	dinv   []float64 // good dies on hand, waiting for packaging
	fcast  []float64 // expected units wanted per period
	trend  []float64 // expected growth of units wanted, per period
	target []float64 // units the vendor plans to make this period
	wanted []float64 // units the market asked of the product this period
	ring   []float64 // dies in process: ring[(t mod ringN)*np + i] arrive in period t

	// Scratch, per product.
	gdpw, req, got, rate          []float64 // foundry: good dies per wafer, wafers asked and granted, dies per period wanted
	lplan, ldem, ldies, lhbm      []float64 // production limits, units
	lpack, hbmNeed, hbmW, hbmGot  []float64
	fill                          []float64 // expected share of what a product asks that HBM and packaging let it build
	capU, w, alloc, capRem        []float64 // market
	accept, legal, smug, boost    []float64
	fee                           []float64
	on, sig                       []bool // on: offered with units to sell; sig: has a logit weight (on sale, or a domestic product about to launch)
	act, live                     []int  // act: the products the period may offer (Model.active), in order
	vendorRev                     []float64
	retire                        [3][]float64
	seg                           []float64
	rateMemo, factorMemo          []float64 // per growing series: last rate and factor
	priceMemo                     priceFactor
	lastPrice                     float64 // average price per H100e paid in the previous period, 0 for none
	backlog, bankLeft, hbmStock   float64
	inst, initRetire              [3]float64
	life0, demandLevel, efficient float64

	// Outcome-only results (NewResultFor): the slots kept, in order; each
	// slot's place among them, -1 when not kept; a period's row of every
	// slot; and the first output the run found not finite (failT -1: none).
	kept         []int
	place        []int32
	scratch      []float64
	failT, failS int
	failV        float64

	rs *resume // runs that start part-way (resume.go); nil: always from the first period
}

// NewResult returns a Result sized for m.
func (m *Model) NewResult() *Result {
	np, n := len(m.spec.Products), m.cal.N
	f := func(k int) []float64 { return make([]float64, k) }
	r := &Result{m: m, Data: f(len(m.slots) * n),
		fgi: f(np), dinv: f(np), fcast: f(np), trend: f(np), target: f(np), wanted: f(np), ring: f(m.ringN * np),
		gdpw: f(np), req: f(np), got: f(np), rate: f(np),
		lplan: f(np), ldem: f(np), ldies: f(np), lhbm: f(np), lpack: f(np), hbmNeed: f(np), hbmW: f(np), hbmGot: f(np),
		fill: f(np),
		capU: f(np), w: f(np), alloc: f(np), capRem: f(np), accept: f(np), legal: f(np), smug: f(np), boost: f(np), fee: f(np),
		on: make([]bool, np), sig: make([]bool, np), act: make([]int, 0, np), live: make([]int, 0, np),
		vendorRev: f(len(m.vendors)),
		seg:       f(len(m.spec.Segments)), tb: m.newTables(),
		rateMemo: f(2 + len(m.spec.Segments)), factorMemo: f(2 + len(m.spec.Segments)),
	}
	for o := range r.retire {
		r.retire[o] = f(n)
	}
	r.tb.refresh(n) // the first phase: runs reuse what parameters alone decide
	r.rs = m.newResume(r)
	return r
}

// NewResultFor returns a Result that records only the given slots (in
// any order, repeats ignored): the outcomes of a sweep or the metrics a
// Monte Carlo summarises. Its runs compute everything a full run does and
// give the same numbers bit for bit, but keep each period's values of the
// other slots only until the period ends, so a run writes and clears a
// few hundred values instead of every slot of every period. At panics for
// a slot not kept. CheckFinite still checks every output of the run.
func (m *Model) NewResultFor(slots []int) (*Result, error) {
	ns := len(m.slots)
	r := m.NewResult()
	r.place = make([]int32, ns)
	for s := range r.place {
		r.place[s] = -1
	}
	for _, s := range slots {
		if s < 0 || s >= ns {
			return nil, fmt.Errorf("sim: NewResultFor: slot %d outside [0, %d)", s, ns)
		}
		r.place[s] = 0
	}
	r.kept = []int{} // not nil: an outcome-only result keeping nothing
	for s, p := range r.place {
		if p == 0 {
			r.place[s] = int32(len(r.kept))
			r.kept = append(r.kept, s)
		}
	}
	r.Data = make([]float64, len(r.kept)*m.cal.N)
	r.scratch = make([]float64, ns)
	return r, nil
}

// Kept returns the slots an outcome-only result records (NewResultFor), in
// the order Data holds them period by period, or nil for a full result.
func (r *Result) Kept() []int { return r.kept }

// Model returns the model that r was made for.
func (r *Result) Model() *Model { return r.m }

// At returns the value of slot s in period t. For an outcome-only result
// (NewResultFor) s must be one of the slots kept.
func (r *Result) At(s, t int) float64 {
	if r.kept == nil {
		return r.Data[t*len(r.m.slots)+s]
	}
	p := r.place[s]
	if p < 0 {
		panic(fmt.Sprintf("sim: Result.At: slot %d (%s[%s]) is not kept by this outcome-only result", s, r.m.slots[s].Metric.Name, r.m.slots[s].Entity))
	}
	return r.Data[t*len(r.kept)+int(p)]
}

// Column returns where Data holds slot s: its value in period t is
// Data[t*stride+off], the value At returns. Like At, it panics for a slot
// an outcome-only result does not keep. Loops over many periods of a slot
// read Data through it without At's lookups.
func (r *Result) Column(s int) (off, stride int) {
	if r.kept == nil {
		return s, len(r.m.slots)
	}
	p := r.place[s]
	if p < 0 {
		panic(fmt.Sprintf("sim: Result.Column: slot %d (%s[%s]) is not kept by this outcome-only result", s, r.m.slots[s].Metric.Name, r.m.slots[s].Entity))
	}
	return int(p), len(r.kept)
}

// Series returns the values of a metric for an entity over the calendar.
func (r *Result) Series(metric, entity string) (Series, bool) {
	s, ok := r.m.SlotIndex(metric, entity)
	if !ok {
		return nil, false
	}
	out := make(Series, r.m.cal.N)
	for t := range out {
		out[t] = r.At(s, t)
	}
	return out, true
}

// set stores a value of period t; Run points r.row at that period's slots.
func (r *Result) set(metric, entity, t int, v float64) {
	r.row[r.m.base[metric]+entity] = v
}

// col returns the slots of a metric with n entities in the period being
// run: loops over entities store into it without set's lookups.
func (r *Result) col(metric, n int) []float64 {
	b := r.m.base[metric]
	return r.row[b : b+n : b+n]
}

func ratio(num, den float64) float64 {
	if den <= 0 {
		return 0
	}
	return num / den
}

// fraction is a ratio of a part to its whole, kept in [0, 1] against
// rounding (a sum of parts can exceed the whole by an ulp).
func fraction(part, whole float64) float64 { return min(1, ratio(part, whole)) }

// Run simulates the whole calendar into r, which must come from m.NewResult.
// It does not allocate. When m declares what its caller changes (Vary),
// a run may start part-way: at the first period a changed input reaches,
// from the state r's first run had there, the earlier periods keeping
// the outputs they had, which are the same bit for bit (resume.go). Valid parameters can still drive a value out of
// the range of float64 (a packaging yield of 1e-300 divides to +Inf): a
// run with a NaN or infinite output is a failed run, which the caller
// must find with r.CheckFinite before it uses the results.
//
// Each period runs the blocks in this order (docs/MODEL.md draws the causal
// links):
//
//  1. demand: new compute wanted, from its growth path and the price paid
//     the period before, plus demand deferred from earlier periods;
//  2. foundry: each process starts AI wafers for the dies vendors ordered,
//     shared by reserved shares and then by priority; the dies are ready
//     after the cycle time; defect density learns from every wafer;
//  3. production: dies that arrive, dies from foreign foundries and the
//     die bank, then HBM (rationed over time and among products) and
//     packaging, bound each product's output; the binding limit and each
//     limit's room are recorded;
//  4. market: imports (US status, Chinese stance, fees, quotas), grey
//     channels and domestic stock are offered; demand is split by a logit
//     with spill-over; what nobody serves is deferred or lost;
//  5. accounts: deliveries by channel, money, installed base, ratios and
//     the whole sector;
//  6. orders: each domestic vendor updates what it expects to sell from
//     what the market asked of it and plans next period's output.
func (m *Model) Run(r *Result) {
	s := m.spec
	n := m.cal.N
	r.tb.refresh(n)
	t0 := 0
	if r.rs != nil {
		t0 = r.rs.start(m, r)
	}
	if t0 == 0 {
		m.reset(r)
	}
	ns := len(m.slots)
	tb := r.tb
	full := r.kept == nil
	record := r.rs != nil && !r.rs.ref
	for t := t0; t < n; t++ {
		if record {
			r.rs.record(r, t)
		}
		if full {
			r.row = r.Data[t*ns : (t+1)*ns]
		} else {
			r.row = r.scratch
		}
		clear(r.row) // a slot a period does not set is 0
		m.active(r, t)
		fresh := m.demand(r, t)
		if t == 0 {
			m.warmStart(r, fresh)
		}
		m.startWafers(r, t)
		m.produce(r, t)
		grey := m.offer(r, t)
		backlogIn := r.backlog
		wanted := fresh + backlogIn
		if grey > wanted {
			for _, i := range m.frn {
				r.smug[i] *= wanted / grey
			}
			grey = wanted
		}
		unmet, extra, pfUnserved := m.allocate(r, t, wanted-grey)
		// What nobody served waits for later periods, less what buyers
		// give up; unserved purchases pulled forward before a ban vanish.
		r.backlog = max(0, unmet-pfUnserved) * tb.keep[t]
		r.set(mDemand, 0, t, fresh+extra)
		r.set(mWanted, 0, t, wanted+extra)
		r.set(mBacklog, 0, t, r.backlog)
		r.set(mLost, 0, t, unmet-r.backlog)
		r.set(mUnmet, 0, t, unmet)
		m.account(r, t, wanted+extra)
		m.order(r, t)
		r.set(mBankLeft, 0, t, r.bankLeft)
		r.set(mCloud, 0, t, s.Grey.Cloud[t])
		m.sector(r, t)
		if !full {
			r.keepRow(t)
		}
	}
	if record {
		r.rs.done(r)
	}
}

// keepRow copies period t's kept slots out of the row, and remembers the
// first output of the run that is not finite.
func (r *Result) keepRow(t int) {
	nk := len(r.kept)
	dst := r.Data[t*nk : (t+1)*nk]
	for j, s := range r.kept {
		dst[j] = r.row[s]
	}
	if r.failT < 0 && !r.m.rowFinite(r.row) {
		r.failT = t
		r.failS, r.failV = r.m.firstNonFinite(r.row)
	}
}

// reset clears r's state for a new run from the first period's values.
func (m *Model) reset(r *Result) {
	s := m.spec
	spy := m.spy
	r.failT = -1
	for o := range r.retire {
		clear(r.retire[o])
	}
	clear(r.fgi)
	clear(r.dinv)
	clear(r.fcast)
	clear(r.trend)
	clear(r.target)
	clear(r.wanted)
	clear(r.ring)
	for i := range r.fill {
		r.fill[i] = 1
	}
	for g := range s.Segments {
		r.seg[g] = s.Segments[g].Consumption[0]
	}
	for i := range r.rateMemo {
		r.rateMemo[i] = math.NaN()
	}
	r.priceMemo = priceFactor{rel: math.NaN()}
	r.demandLevel, r.efficient = s.Demand.Initial[0], 1
	r.lastPrice, r.backlog = 0, 0
	r.bankLeft = s.DieBank.Initial[0]
	r.hbmStock = s.HBM.Initial[0]
	r.inst = [3]float64{s.Installed.Domestic[0], s.Installed.Foreign[0], 0}
	r.life0 = max(1, math.Round(s.Installed.Life[0]*spy))
	r.initRetire = [3]float64{r.inst[0] / r.life0, r.inst[1] / r.life0, 0}
}

// demand runs block 1 for period t: the new compute wanted (H100e in the
// period), from the growth path, software efficiency and, where the
// scenario sets an elasticity, the price paid the period before.
func (m *Model) demand(r *Result, t int) float64 {
	s := m.spec
	spy := m.spy
	if t > 0 {
		g := s.Demand.Growth[t]
		if int(s.Demand.Model[t]) == Logistic {
			switch k := s.Demand.Ceiling[t]; {
			case math.IsInf(k, 1):
				r.demandLevel *= math.Exp(g / spy) // no ceiling: the logistic's early, exponential part
			case r.demandLevel > 0 && k > 0:
				r.demandLevel = k / (1 + (k/r.demandLevel-1)*math.Exp(-g/spy))
			}
		} else {
			r.demandLevel *= r.step(0, g, spy)
		}
		r.efficient *= r.step(1, s.Demand.Efficiency[t], spy)
		for i := range s.Segments {
			r.seg[i] *= r.step(2+i, s.Segments[i].Growth[t], spy)
		}
	}
	fresh := r.demandLevel / r.efficient / spy
	if e := s.Demand.Elasticity[t]; e > 0 && r.lastPrice > 0 {
		fresh *= r.priceMemo.at(r.lastPrice/s.Demand.RefPrice[t], e)
	}
	return fresh
}

// step converts an annual growth rate of series k to a per-period factor,
// remembering the last rate: rates change rarely, Pow is dear.
func (r *Result) step(k int, rate, spy float64) float64 {
	if rate != r.rateMemo[k] {
		r.rateMemo[k] = rate
		r.factorMemo[k] = math.Pow(1+rate, 1/spy)
	}
	return r.factorMemo[k]
}

// priceFactor remembers the demand factor (p/ref)^-e for the last ratio.
type priceFactor struct{ rel, e, f float64 }

func (p *priceFactor) at(rel, e float64) float64 {
	if rel != p.rel || e != p.e {
		*p = priceFactor{rel: rel, e: e, f: math.Pow(rel, -e)}
	}
	return p.f
}

// warmStart sets each domestic vendor's expectation at the start of the
// run to what the market asks of it in the first period, as if the run
// had been going before it started: history does not begin from idle
// lines that must learn that anyone wants their chips.
func (m *Model) warmStart(r *Result, fresh float64) {
	grey := m.offer(r, 0)
	m.allocate(r, 0, max(0, fresh-grey))
	for _, i := range m.dom {
		r.fcast[i] = r.wanted[i]
		r.target[i] = r.wanted[i]
	}
}
