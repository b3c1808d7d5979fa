package sim

import "math"

// This file holds blocks 3 to 6 and the vendors' orders: the foundry, the
// die bank and foreign foundries, HBM, packaging and domestic output.

// lead returns how many periods ahead vendor i plans in period t: the
// process's cycle time, plus the period in which it orders.
func (m *Model) lead(i, t int) int {
	f := m.proc[i]
	if f < 0 {
		return 1
	}
	return int(math.Ceil(m.spec.Foundry[f].CycleTime[t]/float64(m.cal.Step))) + 1
}

// making reports whether domestic product i is made in period t: from one
// lead before its launch (vendors build ahead) to its end.
func (m *Model) making(i, t int) bool {
	return t <= m.end[i] && t >= m.launch[i]-m.lead(i, t)
}

// packYield returns packaging yield and its reciprocal (0 when nothing
// passes final test, so that every limit below is 0). A yield below one
// package in a billion counts as none: its reciprocal would overflow the
// limits it scales (a numerical floor, not a model assumption).
func (m *Model) packYield(t int) (py, inv float64) {
	py = max(0, m.spec.Packaging.Yield[t])
	if py < 1e-9 {
		return 0, 0
	}
	return py, 1 / py
}

// startWafers runs block 3 for period t. Each vendor asks for the wafers
// that, with its dies on hand and in process, keep its planned output fed
// over the cycle time, less what foreign foundries and the die bank will
// supply. It plans for the share of its output HBM and packaging have
// been letting it build (r.fill): dies it could not package would only
// pile up while other products could use the wafers. Each process grants
// first the reserved shares, then the rest by priority; the good dies are
// scheduled to arrive after the cycle time. Good dies per wafer, and the
// defect density that learns from every wafer the process runs, come
// from the tables (fillProcess).
func (m *Model) startWafers(r *Result, t int) {
	s := m.spec
	tb := r.tb
	np, nf := len(s.Products), len(s.Foundry)
	making := tb.making[t*np : (t+1)*np]
	gys := tb.gy[t*np : (t+1)*np]
	offs := tb.off[t*np : (t+1)*np]
	invPy := tb.invPy[t]
	// Die supply from outside the foundry, per period: foreign foundries
	// by product, and the die bank shared by what its users need.
	bankRate := min(r.bankLeft, tb.bankMax[t])
	var bankWant float64
	rates, dpu := r.rate[:np], tb.dpu[t*np:(t+1)*np]
	target, fill := r.target[:np], r.fill[:np]
	for _, i := range m.dom {
		rates[i] = 0
		if !making[i] {
			continue
		}
		rates[i] = target[i] * fill[i] * dpu[i] * invPy
		if s.Products[i].UsesDieBank {
			bankWant += rates[i]
		}
	}
	adj, cover := tb.adj[t], tb.cover[t]
	for f := range s.Foundry {
		x := t*nf + f
		avail := tb.avail[x]
		lag, k, phi := tb.lag[x], tb.kLag[x], tb.phi[x]
		for _, i := range m.byProc[f] {
			r.req[i], r.got[i], r.gdpw[i] = 0, 0, 0
			gy := gys[i]
			if gy <= 0 {
				continue // not made, no wafers for dies that would arrive after the end, or no good die
			}
			r.gdpw[i] = gy
			p := &s.Products[i]
			outside := offs[i]
			if p.UsesDieBank && bankWant > 0 {
				outside += bankRate * r.rate[i] / bankWant
			}
			// Dies in process and on hand, against the pipeline that keeps
			// the planned rate flowing over the cycle time plus the cover
			// vendors hold (so that growth does not outrun the pipe).
			var line float64
			for j, row := 0, t%m.ringN; j <= k+1; j++ {
				line += r.ring[row*np+i]
				if row++; row == m.ringN {
					row = 0
				}
			}
			line += r.dinv[i]
			// The rate wanted when these dies arrive, from the vendor's trend.
			rate := r.rate[i] * (1 + r.trend[i]*lag)
			dies := rate - outside + (rate*(lag+cover)-line)/adj
			r.req[i] = max(0, dies) / gy
		}
		m.grantWafers(r, f, t, avail)
		at := (t + k) % m.ringN // the ring's rows for the periods the dies arrive in
		next := (at + 1) % m.ringN
		var wafers, good float64
		for _, i := range m.byProc[f] {
			if r.got[i] <= 0 {
				continue
			}
			d := r.got[i] * r.gdpw[i]
			r.ring[at*np+i] += d * (1 - phi)
			r.ring[next*np+i] += d * phi
			wafers += r.got[i]
			good += d
		}
		r.set(mWafers, f, t, wafers)
		r.set(mGoodDies, f, t, good)
		r.set(mDefects, f, t, tb.d0[x])
		r.set(mAICapacity, f, t, avail)
		r.set(mAIUtil, f, t, fraction(wafers, avail))
		if y := tb.ymax[x]; y == y {
			r.set(mYield, f, t, y)
		}
	}
}

// grantWafers shares a process's AI wafers among the products asking for
// them (r.req): first up to each product's reserved share, then by
// priority rank, equal ranks in proportion to what they still ask.
func (m *Model) grantWafers(r *Result, f, t int, avail float64) {
	np := len(m.spec.Products)
	row := t * np
	wmax, wshare, wrank := r.tb.wmax[row:row+np], r.tb.wshare[row:row+np], r.tb.wrank[row:row+np]
	req, got := r.req[:np], r.got[:np]
	procs := m.byProc[f]
	left := avail
	var reserved float64
	for _, i := range procs {
		if req[i] > 0 {
			// A rationed product asks for no more than it may take.
			req[i] = min(req[i], wmax[i]*avail)
			got[i] = min(req[i], wshare[i]*avail)
			reserved += got[i]
		}
	}
	// Compile checks that reserved shares fit; a draw of uncertain shares
	// may not: they are then cut in proportion.
	if reserved > avail {
		for _, i := range procs {
			got[i] *= avail / reserved
		}
		reserved = avail
	}
	left -= reserved
	last := math.Inf(-1)
	for left > 0 {
		rank, want := math.Inf(1), 0.0
		for _, i := range procs {
			if x := wrank[i]; req[i] > got[i] && x > last && x < rank {
				rank = x
			}
		}
		if math.IsInf(rank, 1) {
			break
		}
		for _, i := range procs {
			if wrank[i] == rank {
				want += req[i] - got[i]
			}
		}
		share := min(1, left/want)
		for _, i := range procs {
			if wrank[i] == rank && req[i] > got[i] {
				got[i] += (req[i] - got[i]) * share
			}
		}
		left -= want * share
		last = rank
	}
}

// produce runs blocks 4 to 6 for period t: dies arrive, vendors top up
// from foreign foundries and the die bank, and each product's output is
// the least of its plan, its dies, the HBM and packaging allotted to it
// and the output its vendor planned. It records the limits, which one
// binds and how much the next one has to spare.
func (m *Model) produce(r *Result, t int) {
	s := m.spec
	tb := r.tb
	np := len(s.Products)
	row := t * np
	making := tb.making[row : row+np]
	off, planU, hbmVW := tb.off[row:row+np], tb.planU[row:row+np], tb.hbmVW[row:row+np]
	dpu, stacks := tb.dpu[row:row+np], tb.stacks[row:row+np]
	dinv, rate, ring := r.dinv[:np], r.rate[:np], r.ring[(t%m.ringN)*np:][:np]
	hbmNeed, hbmW, hbmGot := r.hbmNeed[:np], r.hbmW[:np], r.hbmGot[:np]
	lplan, ldem, ldies, lhbm := r.lplan[:np], r.ldem[:np], r.ldies[:np], r.lhbm[:np]
	target, fill, fgi := r.target[:np], r.fill[:np], r.fgi[:np]
	py, invPy := tb.py[t], tb.invPy[t]
	var bankNeed float64
	for _, i := range m.dom {
		dinv[i] += ring[i]
		ring[i] = 0
		hbmNeed[i] = 0 // reused below: dies still wanted, then stacks wanted
		if !making[i] {
			continue
		}
		// Dies for the output the vendor plans and expects to package,
		// beyond those on hand: first from foreign foundries, then from
		// the die bank, whose share the wafer starts counted on.
		need := max(0, rate[i]-dinv[i]) // rate: the dies the plan needs (startWafers)
		o := min(need, off[i])
		dinv[i] += o
		need -= o
		r.set(mOffshoreDies, m.entity[i], t, o)
		if s.Products[i].UsesDieBank {
			hbmNeed[i] = need
			bankNeed += need
		}
	}
	// The die bank: those dies exist already.
	draw := min(r.bankLeft, min(tb.bankMax[t], bankNeed))
	if draw > 0 {
		for _, i := range m.dom {
			if s.Products[i].UsesDieBank && making[i] {
				d := draw * hbmNeed[i] / bankNeed
				dinv[i] += d
				r.set(mBankDies, m.entity[i], t, d)
			}
		}
		r.bankLeft -= draw
	}
	// Plan, the vendor's own target and dies come first; HBM and then
	// packaging are shared among what those allow.
	var hbmSum float64
	for _, i := range m.dom {
		lplan[i], ldem[i], ldies[i], hbmNeed[i], hbmW[i] = 0, 0, 0, 0, 0
		if !making[i] {
			continue
		}
		lplan[i] = planU[i]
		ldem[i] = target[i]
		ldies[i] = dinv[i] / dpu[i] * py
		up := min(lplan[i], min(ldem[i], ldies[i]))
		if st := stacks[i]; st > 0 {
			hbmNeed[i] = up * invPy * st
			hbmW[i] = hbmNeed[i] * hbmVW[i]
			hbmSum += hbmNeed[i]
		}
	}
	other, release, domMax := tb.hbmOther[t], r.hbmStock*tb.hbmRel[t], tb.hbmDomMax[t]
	dom := min(domMax, max(0, hbmSum-other-release))
	hbmAvail, inflow := other+release+dom, other+dom
	r.set(mHBMDomestic, 0, t, dom)
	level := m.shareHBM(r, hbmAvail, hbmSum)
	var packSum float64
	for _, i := range m.dom {
		lhbm[i] = 0
		if !making[i] {
			continue
		}
		st := stacks[i]
		switch {
		case st <= 0:
			lhbm[i] = math.Inf(1)
		case hbmSum <= hbmAvail:
			// Enough for all: show the room a proportional share leaves.
			lhbm[i] = hbmAvail * py / st
			if hbmSum > 0 {
				lhbm[i] = hbmNeed[i] * hbmAvail / hbmSum * py / st
			}
		default:
			lhbm[i] = max(hbmGot[i], level*hbmW[i]) * py / st
		}
		if s.Products[i].AdvPackage {
			up := min(lplan[i], min(ldem[i], ldies[i]))
			packSum += min(up, lhbm[i]) * invPy
		}
	}
	packCap := tb.packCap[t]
	alpha := tb.alpha[t]
	var hbmUsed float64
	nd := len(m.dom)
	cOut, cPlan, cDies, cHBM := r.col(mProdOutput, nd), r.col(mLimitPlan, nd), r.col(mLimitDies, nd), r.col(mLimitHBM, nd)
	cPack, cDem, cBind, cHead := r.col(mLimitPack, nd), r.col(mLimitDemand, nd), r.col(mBinding, nd), r.col(mHeadroom, nd)
	for _, i := range m.dom {
		if !making[i] {
			continue
		}
		k := m.entity[i]
		up := min(lplan[i], min(ldem[i], ldies[i]))
		lpack := 0.0 // nothing passes final test
		if py > 0 {
			lpack = packCap * py
		}
		switch {
		case !s.Products[i].AdvPackage:
			lpack = math.Inf(1) // an ordinary flip-chip package
		case packSum > 0 && !math.IsInf(packCap, 1):
			lpack = min(up, lhbm[i]) * packCap / packSum
		}
		out := min(up, min(lhbm[i], lpack))
		bind, next := binding(out, up, lplan[i], ldies[i], lhbm[i], lpack, ldem[i])
		// The share of what it asked that HBM and packaging let it build,
		// which the vendor expects to get again (smoothed as its sales
		// forecast is): it starts wafers for that share of its plan.
		if up > 0 {
			fill[i] += alpha * (out/up - fill[i])
		}
		if out > 0 {
			dinv[i] = max(0, dinv[i]-out*invPy*dpu[i])
			hbmUsed += out * invPy * stacks[i]
			fgi[i] += out
		}
		cOut[k], cPlan[k], cDies[k], cHBM[k] = out, lplan[i], ldies[i], lhbm[i]
		cPack[k], cDem[k], cBind[k], cHead[k] = lpack, ldem[i], float64(bind), max(0, next-out)
	}
	hbmUsed = min(hbmUsed, hbmAvail)
	r.hbmStock += inflow - hbmUsed
	r.set(mHBMAvail, 0, t, hbmAvail)
	r.set(mHBMUsed, 0, t, hbmUsed)
	r.set(mHBMStock, 0, t, r.hbmStock)
}

// binding returns the code of the limit that binds output and the next
// limit above it. HBM and packaging are shares of common pools: they bind
// only when they allot less than the product asked for (up, the least of
// plan, dies and the vendor's planned output); otherwise the tightest of
// plan, planned output (demand) and dies binds, in that order: dies bind
// only when they fall short of the plan, since vendors draw dies from
// foreign foundries and the die bank up to exactly what they plan.
func binding(out, up, plan, dies, hbm, pack, demand float64) (code int, next float64) {
	tol := out * (1 + 1e-9)
	switch {
	case up > tol && hbm <= tol:
		code = BindHBM
	case up > tol:
		code = BindPackaging
	case plan <= tol:
		code = BindPlan
	case demand <= tol:
		code = BindDemand
	default:
		code = BindDies
	}
	// The least of the other four (min is exact and order-free, NaN and
	// signed zeros included).
	switch code {
	case BindPlan:
		next = min(dies, hbm, pack, demand)
	case BindDies:
		next = min(plan, hbm, pack, demand)
	case BindHBM:
		next = min(plan, dies, pack, demand)
	case BindPackaging:
		next = min(plan, dies, hbm, demand)
	default:
		next = min(plan, dies, hbm, pack)
	}
	return code, next
}

// hbmSources returns the stacks period t can draw on besides domestic
// production (other: imports while open, for the part of the period they
// are, grey arrivals while closed), the share of the stock released for
// the period and the most domestic production can make (capacity ×
// yield). Domestic production makes what is still needed, up to that.
func (m *Model) hbmSources(t int) (other, release, domMax float64) {
	h := &m.spec.HBM
	spy := m.spy
	// Imports while open, grey arrivals while closed; before a change
	// part-way through the period, the rules before it.
	arrivals := func(imports, volume, grey float64) float64 {
		if int(imports) == Open {
			return volume / spy
		}
		return grey * (1 - m.spec.Grey.Enforcement[t]) / spy
	}
	other = arrivals(h.Import[t], h.Imports[t], h.Grey[t])
	if share := h.Part.At(t); share < 1 {
		alt := func(i int, s Series) float64 {
			if h.Part.Alt[i] != nil {
				return h.Part.Alt[i][t]
			}
			return s[t]
		}
		pre := arrivals(alt(4, h.Import), alt(3, h.Imports), alt(5, h.Grey))
		other = share*other + (1-share)*pre
	}
	release = min(1, h.Release[t]/spy)
	if h.DomYield[t] <= 0 {
		return other, release, 0 // no stack passes test, whatever the capacity
	}
	return other, release, h.DomCapacity[t] * h.DomYield[t] / spy
}

// shareHBM shares avail stacks among products in need (r.hbmNeed) by
// water-filling on weights r.hbmW (need times value per stack to the
// value weight): a product gets min(need, level × weight). It sets
// r.hbmGot and returns the final level (+Inf when all needs are met).
func (m *Model) shareHBM(r *Result, avail, sum float64) float64 {
	need, w, got := r.hbmNeed, r.hbmW, r.hbmGot
	for _, i := range m.dom {
		got[i] = need[i]
	}
	if sum <= avail {
		return math.Inf(1)
	}
	live := r.live[:0]
	for _, i := range m.dom {
		got[i] = 0
		if need[i] > 0 && w[i] > 0 {
			live = append(live, i)
		}
	}
	rem := avail
	level := 0.0
	for rem > 0 && len(live) > 0 {
		var wsum float64
		for _, i := range live {
			wsum += w[i]
		}
		level = rem / wsum
		kept := live[:0]
		next := rem
		for _, i := range live {
			if w[i]*level >= need[i] {
				got[i] = need[i]
				next -= need[i]
				continue
			}
			kept = append(kept, i)
		}
		if len(kept) == len(live) {
			for _, i := range live {
				got[i] = w[i] * level
			}
			break
		}
		live, rem = kept, max(0, next)
	}
	r.live = live[:0]
	return level
}

// smoothing returns the weight vendors give the latest period when they
// update an expectation in period t: 1 − e^(−step/forecast_months).
func (m *Model) smoothing(t int) float64 {
	if fm := m.spec.Supply.Forecast[t]; fm > 0 {
		return -math.Expm1(-float64(m.cal.Step) / fm)
	}
	return 1
}

// order runs the vendors' planning at the end of period t: each domestic
// vendor's expected sales follow what the market asked of it, smoothed
// over forecast_months, with the growth of that expectation (smoothed over
// twice that, within max_trend_per_year) projected one period ahead; its
// planned output for the next period adds the gap between the finished
// stock it wants (inventory_cover_months of expected sales) and what it
// holds, closed over adjust_months.
func (m *Model) order(r *Result, t int) {
	tb := r.tb
	np := len(m.spec.Products)
	alpha, beta := tb.alpha[t], tb.beta[t] // smoothing of the level, and of its trend over twice the time
	cover, adj, trendCap := tb.cover[t], tb.adj[t], tb.trendCap[t]
	for _, i := range m.dom {
		if !tb.making[t*np+i] && !(t+1 < m.cal.N && tb.making[(t+1)*np+i]) {
			r.fcast[i], r.trend[i], r.target[i] = 0, 0, 0
			continue
		}
		prev := r.fcast[i]
		r.fcast[i] += alpha * (r.wanted[i] - r.fcast[i])
		if prev > 0 {
			// Growth per period, kept within the period's share of
			// supply.max_trend_per_year: planners extrapolate a trend,
			// not a jump or a boom.
			g := min(trendCap, max(-trendCap, r.fcast[i]/prev-1))
			r.trend[i] += beta * (g - r.trend[i])
		}
		r.target[i] = max(0, r.fcast[i]*(1+r.trend[i])+(cover*r.fcast[i]-r.fgi[i])/adj)
		if t+1 > m.end[i] {
			r.target[i] = 0
		}
	}
}
