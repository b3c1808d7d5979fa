package sim

import "math"

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
	mBinding
	mBankDies
	mImportsLegal
	mSmuggled
	mAffiliate
	mWafers
	mDefects
	mYield
	mGoodDies
	mHBMAvail
	mHBMUsed
	mHBMStock
	mBankLeft
	mSpend
	mFee
	mRevenue
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

	// per product
	inv, fin, plan, need, bank, hbmA, packA []float64
	capU, w, alloc, capRem, accept, legal   []float64
	smug, boost, fee                        []float64
	on                                      []bool
	act                                     []int // domestic products on sale
	live                                    []int // products still serving in allocate
	// per process
	d0, cum []float64
	// per origin
	retire [3][]float64
	seg    []float64
	perf   []perfPrice
	ecoW   []float64
	// per growing series (demand, efficiency, segments): last rate and factor
	rate, factor []float64
}

// NewResult returns a Result sized for m.
func (m *Model) NewResult() *Result {
	np, nf, n := len(m.spec.Products), len(m.spec.Foundry), m.cal.N
	f := func(k int) []float64 { return make([]float64, k) }
	r := &Result{m: m, Data: f(len(m.slots) * n),
		inv: f(np), fin: f(np), plan: f(np), need: f(np), bank: f(np), hbmA: f(np), packA: f(np),
		capU: f(np), w: f(np), alloc: f(np), capRem: f(np), accept: f(np), legal: f(np),
		smug: f(np), boost: f(np), fee: f(np), on: make([]bool, np), act: make([]int, 0, np), live: make([]int, 0, np),
		d0: f(nf), cum: f(nf), seg: f(len(m.spec.Segments)),
		perf: make([]perfPrice, np), ecoW: f(len(m.spec.Ecosystems)),
		rate: f(2 + len(m.spec.Segments)), factor: f(2 + len(m.spec.Segments)),
	}
	for o := range r.retire {
		r.retire[o] = f(n)
	}
	return r
}

// Model returns the model that r was made for.
func (r *Result) Model() *Model { return r.m }

// At returns the value of slot s in period t.
func (r *Result) At(s, t int) float64 { return r.Data[t*len(r.m.slots)+s] }

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
// It does not allocate.
func (m *Model) Run(r *Result) {
	s := m.spec
	n, spy := m.cal.N, m.spy
	clear(r.Data)
	for o := range r.retire {
		clear(r.retire[o])
	}
	clear(r.inv)
	clear(r.fin)
	clear(r.perf)
	for f := range s.Foundry {
		r.d0[f] = s.Foundry[f].D0[0]
		r.cum[f] = s.Foundry[f].Cumulative[0]
	}
	for g := range s.Segments {
		r.seg[g] = s.Segments[g].Consumption[0]
	}
	dyr, eff := s.Demand.Initial[0], 1.0
	growth := stepper{rate: r.rate, factor: r.factor}
	for i := range growth.rate {
		growth.rate[i] = math.NaN()
	}
	bankLeft := s.DieBank.Initial[0]
	hbmStock := s.HBM.Initial[0]
	inst := [3]float64{s.Installed.Domestic[0], s.Installed.Foreign[0], 0}
	life0 := max(1, math.Round(s.Installed.Life[0]*spy))
	initRetire := [3]float64{inst[0] / life0, inst[1] / life0, 0}

	ns := len(m.slots)
	for t := 0; t < n; t++ {
		r.row = r.Data[t*ns : (t+1)*ns]
		if t > 0 {
			g := s.Demand.Growth[t]
			if int(s.Demand.Model[t]) == Logistic {
				if k := s.Demand.Ceiling[t]; dyr > 0 && k > 0 {
					dyr = k / (1 + (k/dyr-1)*math.Exp(-g/spy))
				}
			} else {
				dyr *= growth.step(0, g, spy)
			}
			eff *= growth.step(1, s.Demand.Efficiency[t], spy)
			for i := range s.Segments {
				r.seg[i] *= growth.step(2+i, s.Segments[i].Growth[t], spy)
			}
		}
		demand := dyr / eff / spy

		bankLeft = m.produce(r, t, bankLeft, &hbmStock)
		grey := m.offer(r, t)
		if grey > demand {
			for _, i := range m.frn {
				r.smug[i] *= demand / grey
			}
			grey = demand
		}
		unmet, extra := m.allocate(r, t, demand-grey)
		m.account(r, t, demand+extra, unmet, &inst, initRetire, life0)
		r.set(mBankLeft, 0, t, bankLeft)
		r.set(mHBMStock, 0, t, hbmStock)
		r.set(mCloud, 0, t, s.Grey.Cloud[t])
		m.sector(r, t)
	}
}

func (m *Model) onSale(i, t int) bool { return t >= m.launch[i] && t <= m.end[i] }

// produce runs blocks 3 to 6 for period t: die bank, foundry, HBM and
// packaging, and each domestic product's output and binding constraint. It
// returns the die bank left and updates the HBM stock.
func (m *Model) produce(r *Result, t int, bankLeft float64, hbmStock *float64) float64 {
	s := m.spec
	spy := m.spy
	py := s.Packaging.Yield[t]
	if py <= 0 {
		py = 0 // nothing passes test: every limit below is 0
	}
	invPy := 0.0
	if py > 0 {
		invPy = 1 / py
	}
	// Domestic products on sale this period; the others make nothing and
	// their outputs stay at the zero Run starts from.
	act := r.act[:0]
	var bankNeed float64
	for _, i := range m.dom {
		r.plan[i], r.need[i], r.bank[i], r.capRem[i], r.w[i] = 0, 0, 0, 0, 0
		if !m.onSale(i, t) {
			continue
		}
		act = append(act, i)
		p := &s.Products[i]
		r.plan[i] = p.Plan[t] / spy
		r.need[i] = max(0, r.plan[i]*invPy*p.DiesPerUnit[t]-r.inv[i])
		if p.UsesDieBank {
			bankNeed += r.need[i]
		}
	}
	r.act = act
	// Die bank first: those dies exist already.
	draw := min(bankLeft, min(s.DieBank.MaxDraw[t]/spy, bankNeed))
	if draw > 0 {
		for _, i := range act {
			if s.Products[i].UsesDieBank {
				d := draw * r.need[i] / bankNeed
				r.bank[i] = d
				r.inv[i] += d
				r.need[i] -= d
			}
		}
		bankLeft -= draw
	}
	// Foundry: AI wafers shared by need among the products on each process.
	for f := range s.Foundry {
		pr := &s.Foundry[f]
		avail := pr.Capacity[t] * 12 / spy * pr.AIShare[t]
		model := int(pr.YieldModel[t])
		var wneed, wafers, good, maxArea float64
		for _, i := range m.byProc[f] {
			// capRem and w are reused here: wafers needed, good dies per wafer.
			if !m.onSale(i, t) {
				continue
			}
			p := &s.Products[i]
			if p.DieArea[t] > maxArea {
				maxArea = p.DieArea[t]
			}
			if r.need[i] <= 0 {
				continue
			}
			gy := GrossDies(p.DieArea[t], pr.Diameter[t], pr.Edge[t]) * Yield(model, p.DieArea[t], r.d0[f])
			if gy > 0 {
				r.capRem[i] = r.need[i] / gy
				r.w[i] = gy
			}
			wneed += r.capRem[i]
		}
		scale := min(1, ratio(avail, wneed))
		for _, i := range m.byProc[f] {
			w := r.capRem[i] * scale
			d := w * r.w[i]
			r.inv[i] += d
			wafers += w
			good += d
		}
		r.set(mWafers, f, t, wafers)
		r.set(mGoodDies, f, t, good)
		r.set(mDefects, f, t, r.d0[f])
		if maxArea > 0 {
			r.set(mYield, f, t, Yield(model, maxArea, r.d0[f]))
		}
		// The process learns from every wafer it runs, not only AI wafers.
		prev := r.cum[f]
		r.cum[f] += pr.Capacity[t] * 12 / spy
		r.d0[f] = LearnedDefectDensity(r.d0[f], pr.LearningRate[t], pr.D0Floor[t], prev, r.cum[f])
	}
	// HBM, then packaging, shared in proportion to what each product can
	// still make once the earlier limits are applied, so that no capacity
	// sits idle with a product that cannot use it. A limit above need shows
	// slack: the units the product's share of the whole would allow.
	hbmAvail := *hbmStock + s.HBM.Domestic[t]/spy
	if int(s.HBM.Import[t]) == Open {
		hbmAvail += s.HBM.Imports[t] / spy
	}
	packCap := s.Packaging.Capacity[t] / spy
	var hbmNeed, packNeed float64
	for _, i := range act {
		p := &s.Products[i]
		// need is reused: units wanted after plan and dies
		r.need[i] = min(r.plan[i], r.inv[i]/p.DiesPerUnit[t]*py)
		hbmNeed += r.need[i] * invPy * p.Stacks[t]
	}
	for _, i := range act {
		p := &s.Products[i]
		r.capRem[i] = math.Inf(1) // reused: HBM-limited units
		if p.Stacks[t] > 0 {
			if hbmNeed > 0 {
				r.capRem[i] = r.need[i] * hbmAvail / hbmNeed
			} else {
				r.capRem[i] = hbmAvail / p.Stacks[t] * py
			}
		}
		packNeed += min(r.need[i], r.capRem[i]) * invPy
	}
	var hbmUsed float64
	for _, i := range act {
		k := m.entity[i]
		p := &s.Products[i]
		lplan := r.plan[i]
		ldies := r.inv[i] / p.DiesPerUnit[t] * py
		lhbm := r.capRem[i]
		lpack := packCap * py
		if packNeed > 0 {
			lpack = min(r.need[i], lhbm) * packCap / packNeed
		}
		out := min(min(lplan, ldies), min(lhbm, lpack))
		var bind int
		tol := out * (1 + 1e-9)
		switch {
		case lplan <= tol:
			bind = BindPlan
		case ldies <= tol:
			bind = BindDies
		case lhbm <= tol:
			bind = BindHBM
		default:
			bind = BindPackaging
		}
		if out > 0 {
			r.inv[i] = max(0, r.inv[i]-out*invPy*p.DiesPerUnit[t])
			hbmUsed += out * invPy * p.Stacks[t]
		}
		r.fin[i] += out
		r.set(mProdOutput, k, t, out)
		r.set(mLimitPlan, k, t, lplan)
		r.set(mLimitDies, k, t, ldies)
		r.set(mLimitHBM, k, t, lhbm)
		r.set(mLimitPack, k, t, lpack)
		r.set(mBinding, k, t, float64(bind))
		r.set(mBankDies, k, t, r.bank[i])
	}
	hbmUsed = min(hbmUsed, hbmAvail)
	*hbmStock = hbmAvail - hbmUsed
	r.set(mHBMAvail, 0, t, hbmAvail)
	r.set(mHBMUsed, 0, t, hbmUsed)
	return bankLeft
}

// offer sets every product's capacity, acceptance and logit weight for
// period t, and the smuggled units; it returns the smuggled compute.
func (m *Model) offer(r *Result, t int) (grey float64) {
	s := m.spec
	spy := m.spy
	mk := &s.Market
	listed, leak := mk.ListedShare[t], s.Grey.Leakage[t]
	reach := (1 - listed) + listed*leak
	// Logit weights exp(β ln(h/p) + ecosystem + preference) × acceptance,
	// computed as (h/p)^β · e^ecosystem · e^preference: one Exp per
	// ecosystem and period, one Pow per product when its price changes.
	for e := range s.Ecosystems {
		r.ecoW[e] = math.Exp(s.Ecosystems[e].Utility[t])
	}
	prefW := math.Exp(mk.DomesticPref[t])
	beta := mk.PriceSensitivity[t]
	for i := range s.Products {
		p := &s.Products[i]
		r.capU[i], r.accept[i], r.legal[i], r.smug[i], r.boost[i], r.on[i] = 0, 1, 1, 0, 0, false
		if !m.onSale(i, t) || p.H100e[t] <= 0 || p.Price[t] <= 0 {
			continue
		}
		if k := m.imp[i]; k >= 0 {
			im := &s.Imports[k]
			status, stance := int(im.USStatus[t]), int(im.CNStance[t])
			switch status {
			case USAllowed:
				r.capU[i] = im.Supply[t] / spy
			case USLicensed:
				licence := 0.0 // a cap share of 0 grants nothing, even of an unbounded US volume
				if im.CapShare[t] > 0 {
					licence = im.CapShare[t] * im.USVolume[t]
				}
				r.capU[i] = min(im.Supply[t], min(licence, im.Quota[t])) / spy
			case USBanned:
				r.smug[i] = im.Smuggling[t] / spy * (1 - s.Grey.Enforcement[t])
				grey += r.smug[i] * p.H100e[t]
			}
			if stance == CNBanned {
				r.capU[i] = 0
			}
			r.accept[i] = reach
			r.fee[i] = 0 // the revenue share applies to licensed sales only
			if status == USLicensed {
				r.fee[i] = im.Fee[t]
			}
			if fee := mk.FeePassThrough[t] * r.fee[i]; fee > 0 {
				r.accept[i] *= math.Pow(1+fee, -mk.FeeElasticity[t])
			}
			if stance == CNDiscouraged {
				r.accept[i] *= mk.DiscouragedFactor[t]
			}
			r.legal[i] = ratio(1-listed, reach)
			if status != USBanned {
				// The lead is in quarters; a period longer than the lead
				// (a yearly step) holds only lead/period of the extra buying.
				months := im.PullForwardLead[t] * 3
				lead := int(math.Ceil(months / float64(m.cal.Step)))
				for k2 := 1; k2 <= lead && t+k2 < m.cal.N; k2++ {
					if int(im.USStatus[t+k2]) == USBanned && t+k2 <= m.end[i] {
						r.boost[i] = im.PullForward[t] * min(1, months/float64(m.cal.Step))
						break
					}
				}
			}
		} else {
			r.capU[i] = r.fin[i]
		}
		// Fees, a discouraging stance and entity listings cut what buyers
		// purchase even when every product is short, so they cap the volume
		// as well as weigh the choice.
		r.capU[i] *= r.accept[i]
		if r.capU[i] <= 0 {
			continue
		}
		r.on[i] = true
		pp := &r.perf[i]
		if pp.h != p.H100e[t] || pp.p != p.Price[t] || pp.beta != beta {
			*pp = perfPrice{h: p.H100e[t], p: p.Price[t], beta: beta, w: math.Pow(p.H100e[t]/p.Price[t], beta)}
		}
		r.w[i] = pp.w * r.ecoW[m.eco[i]] * r.accept[i]
		if m.imp[i] < 0 {
			r.w[i] *= prefW
		}
	}
	for i := range s.Products {
		if !r.on[i] {
			r.w[i] = 0
		}
	}
	return grey
}

// allocate splits demand (H100e) among the products on offer by their logit
// weights; a product that cannot serve its share serves what it can and the
// rest spills to the others. It returns the demand nobody could serve and
// the extra demand of purchases pulled forward before an announced ban.
func (m *Model) allocate(r *Result, t int, demand float64) (unmet, extra float64) {
	s := m.spec
	for i := range s.Products {
		r.alloc[i] = 0
		r.capRem[i] = 0
		if r.on[i] {
			r.capRem[i] = r.capU[i] * s.Products[i].H100e[t]
		}
	}
	// Water-filling: each round offers the remaining demand by weight to
	// the products still able to serve; those whose share exceeds what
	// they have left serve it all and drop out, and the rest is offered
	// again. It ends when no product saturates, after at most one round
	// per product.
	live := r.live[:0]
	for i := range s.Products {
		if r.on[i] {
			live = append(live, i)
		}
	}
	rem := demand
	for rem > 0 && len(live) > 0 {
		var wsum float64
		for _, i := range live {
			wsum += r.w[i]
		}
		if wsum <= 0 {
			break
		}
		k := rem / wsum
		next, kept := rem, live[:0]
		for _, i := range live {
			if r.w[i]*k >= r.capRem[i] {
				r.alloc[i] += r.capRem[i]
				next -= r.capRem[i]
				r.capRem[i] = 0
				continue
			}
			kept = append(kept, i)
		}
		if len(kept) == len(live) {
			for _, i := range live {
				a := r.w[i] * k
				r.alloc[i] += a
				r.capRem[i] -= a
			}
			rem = 0
			break
		}
		live, rem = kept, max(0, next)
	}
	r.live = live
	for _, i := range m.frn {
		if r.boost[i] > 0 {
			want := r.boost[i] * r.alloc[i]
			take := min(want, r.capRem[i])
			r.alloc[i] += take
			extra += want
			rem += want - take
		}
	}
	return rem, extra
}

// account records deliveries by product and channel, money, the installed
// base and the AI ratios for period t.
func (m *Model) account(r *Result, t int, demand, unmet float64, inst *[3]float64, initRetire [3]float64, life0 float64) {
	s := m.spec
	mk := &s.Market
	var u, h [3]float64 // by origin: units and H100e delivered
	var spend, fee, revenue, aiCons, aiDom float64
	for i := range s.Products {
		p := &s.Products[i]
		hu := p.H100e[t]
		var units float64
		if hu > 0 {
			units = r.alloc[i] / hu
		}
		if k := m.imp[i]; k < 0 {
			r.fin[i] = max(0, r.fin[i]-units)
			u[0] += units
			h[0] += units * hu
			aiDom += units * p.Price[t]
			aiCons += units * p.Price[t]
		} else {
			legal := units * r.legal[i]
			aff := units - legal
			smug := r.smug[i]
			u[1] += legal
			h[1] += legal * hu
			u[2] += aff + smug
			h[2] += (aff + smug) * hu
			fee += units * p.Price[t] * r.fee[i]
			revenue += units * p.Price[t]
			spend += units * p.Price[t] * (1 + mk.FeePassThrough[t]*r.fee[i])
			aiCons += units*p.Price[t]*(1+mk.FeePassThrough[t]*r.fee[i]) + smug*p.Price[t]
			units += smug
			fk := m.entity[i]
			r.set(mImportsLegal, fk, t, legal)
			r.set(mAffiliate, fk, t, aff)
			r.set(mSmuggled, fk, t, smug)
		}
		r.set(mProdUnits, i, t, units)
		r.set(mProdH100e, i, t, units*hu)
	}
	life := int(max(1, math.Round(s.Installed.Life[t]*m.spy)))
	var total float64
	for o := range inst {
		if t+life < m.cal.N {
			r.retire[o][t+life] += h[o]
		}
		out := r.retire[o][t]
		if float64(t) < life0 {
			out += initRetire[o]
		}
		inst[o] = max(0, inst[o]+h[o]-out)
		total += inst[o]
		r.set(mInstalled, o, t, inst[o])
	}
	delivered := h[0] + h[1] + h[2]
	units := u[0] + u[1] + u[2]
	r.set(mDemand, 0, t, demand)
	r.set(mDelivered, 0, t, delivered)
	r.set(mUnmet, 0, t, unmet)
	r.set(mH100eDom, 0, t, h[0])
	r.set(mH100eImport, 0, t, h[1])
	r.set(mH100eGrey, 0, t, h[2])
	r.set(mUnits, 0, t, units)
	r.set(mUnitsDom, 0, t, u[0])
	r.set(mUnitsImport, 0, t, u[1])
	r.set(mUnitsGrey, 0, t, u[2])
	r.set(mSSRUnits, 0, t, fraction(u[0], units))
	r.set(mSSRCompute, 0, t, fraction(h[0], delivered))
	r.set(mSSRStock, 0, t, fraction(inst[0], total))
	r.set(mCoverage, 0, t, fraction(delivered, demand))
	r.set(mSpend, 0, t, spend/1e6)
	r.set(mFee, 0, t, fee/1e6)
	r.set(mRevenue, 0, t, revenue/1e6)
	ai := len(s.Segments)
	r.set(mSegCons, ai, t, aiCons/1e9)
	r.set(mSegDom, ai, t, aiDom/1e9)
}

// perfPrice remembers (h/p)^β for a product's last performance and price.
type perfPrice struct{ h, p, beta, w float64 }

// stepper converts annual growth rates to per-period factors, remembering
// the last rate of each series: rates change rarely, Pow is dear.
type stepper struct{ rate, factor []float64 }

func (g stepper) step(k int, rate, spy float64) float64 {
	if rate != g.rate[k] {
		g.rate[k] = rate
		g.factor[k] = math.Pow(1+rate, 1/spy)
	}
	return g.factor[k]
}

// sector adds the whole-sector segments to the AI segment for period t.
func (m *Model) sector(r *Result, t int) {
	s := m.spec
	ai := len(s.Segments)
	cons := r.At(m.base[mSegCons]+ai, t)
	dom := r.At(m.base[mSegDom]+ai, t)
	located := dom
	for g := range s.Segments {
		seg := &s.Segments[g]
		c := r.seg[g] / m.spy
		r.set(mSegCons, g, t, c)
		r.set(mSegDom, g, t, c*seg.Domestic[t])
		cons += c
		dom += c * seg.Domestic[t]
		located += c * seg.Located[t]
	}
	r.set(mICCons, 0, t, cons)
	r.set(mICDom, 0, t, dom)
	r.set(mICLocated, 0, t, located)
	r.set(mICSSRValue, 0, t, fraction(dom, cons))
	r.set(mICSSRLocated, 0, t, fraction(located, cons))
}
