package sim

// account records deliveries by product and channel, money, the installed
// base and the AI ratios for period t; wanted is the compute wanted in the
// period (new, deferred and pulled forward). It also sets the average price
// per H100e paid, which the next period's demand answers to.
func (m *Model) account(r *Result, t int, wanted float64) {
	s := m.spec
	mk := &s.Market
	var u, h [3]float64 // by origin: units and H100e delivered
	var spend, fee, revenue, domRevenue, smugValue, aiCons, aiDom float64
	clear(r.vendorRev)
	np := len(s.Products)
	row := t * np
	h100e, prices, making := r.tb.h100e[row:row+np], r.tb.price[row:row+np], r.tb.making[row:row+np]
	alloc, fgi, legalShare, smuggled, fees, vendorRev := r.alloc[:np], r.fgi[:np], r.legal[:np], r.smug[:np], r.fee[:np], r.vendorRev
	passThrough := mk.FeePassThrough[t]
	nd, nf := len(m.dom), len(m.frn)
	cInv, cLegal, cAff, cSmug := r.col(mInventory, nd), r.col(mImportsLegal, nf), r.col(mAffiliate, nf), r.col(mSmuggled, nf)
	cUnits, cH100e := r.col(mProdUnits, np), r.col(mProdH100e, np)
	for _, i := range r.act { // the others sell nothing
		hu := h100e[i]
		price := prices[i]
		var units float64
		if hu > 0 {
			units = alloc[i] / hu
		}
		if k := m.imp[i]; k < 0 {
			if making[i] || t > m.end[i] {
				fgi[i] = max(0, fgi[i]-units)
				cInv[m.entity[i]] = fgi[i]
			}
			u[0] += units
			h[0] += units * hu
			domRevenue += units * price
			aiDom += units * price
			aiCons += units * price
			vendorRev[m.vendor[i]] += units * price
		} else {
			legal := units * legalShare[i]
			aff := units - legal
			smug := smuggled[i]
			u[1] += legal
			h[1] += legal * hu
			u[2] += aff + smug
			h[2] += (aff + smug) * hu
			fee += units * price * fees[i]
			revenue += units * price
			vendorRev[m.vendor[i]] += units * price
			paid := units * price * (1 + passThrough*fees[i])
			spend += paid
			smugValue += smug * price
			aiCons += paid + smug*price
			units += smug
			fk := m.entity[i]
			cLegal[fk], cAff[fk], cSmug[fk] = legal, aff, smug
		}
		cUnits[i], cH100e[i] = units, units*hu
	}
	for v, x := range r.vendorRev {
		r.set(mVendorRevenue, v, t, x/1e6)
	}
	life := r.tb.life[t]
	var total float64
	for o := range r.inst {
		if t+life < m.cal.N {
			r.retire[o][t+life] += h[o]
		}
		out := r.retire[o][t]
		if float64(t) < r.life0 {
			out += r.initRetire[o]
		}
		r.inst[o] = max(0, r.inst[o]+h[o]-out)
		total += r.inst[o]
		r.set(mInstalled, o, t, r.inst[o])
	}
	delivered := h[0] + h[1] + h[2]
	units := u[0] + u[1] + u[2]
	r.lastPrice = ratio(domRevenue+spend+smugValue, delivered)
	r.set(mDelivered, 0, t, delivered)
	r.set(mH100eDom, 0, t, h[0])
	r.set(mH100eImport, 0, t, h[1])
	r.set(mH100eGrey, 0, t, h[2])
	r.set(mUnits, 0, t, units)
	r.set(mUnitsDom, 0, t, u[0])
	r.set(mUnitsImport, 0, t, u[1])
	r.set(mUnitsGrey, 0, t, u[2])
	r.set(mSSRUnits, 0, t, fraction(u[0], units))
	r.set(mSSRCompute, 0, t, fraction(h[0], delivered))
	r.set(mSSRStock, 0, t, fraction(r.inst[0], total))
	r.set(mCoverage, 0, t, fraction(delivered, wanted))
	r.set(mSpend, 0, t, spend/1e6)
	r.set(mFee, 0, t, fee/1e6)
	r.set(mRevenue, 0, t, revenue/1e6)
	ai := len(s.Segments)
	r.set(mSegCons, ai, t, aiCons/1e9)
	r.set(mSegDom, ai, t, aiDom/1e9)
}

// sector adds the whole-sector segments to the AI segment for period t.
func (m *Model) sector(r *Result, t int) {
	s := m.spec
	ai := len(s.Segments)
	cons := r.row[m.base[mSegCons]+ai]
	dom := r.row[m.base[mSegDom]+ai]
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
