package sim

import "math"

// This file holds blocks 7 to 9: imports, grey channels and the market.

// blocked reports whether the US bars import k in period t: banned, or
// licensed with no volume (a de-facto ban, as the April 2025 licence
// requirement for the H20 was).
func (m *Model) blocked(k, t int) bool {
	im := &m.spec.Imports[k]
	switch int(im.USStatus[t]) {
	case USBanned:
		return true
	case USLicensed:
		return licensed(im.CapShare[t], im.USVolume[t]) <= 0 || im.Supply[t] <= 0
	}
	return false
}

// licensed is the volume a licence grants: its cap share of US volume. A
// cap share of 0 grants nothing, even of an unbounded US volume (0 × Inf
// would be NaN).
func licensed(capShare, usVolume float64) float64 {
	if capShare <= 0 {
		return 0
	}
	return capShare * usVolume
}

// rules are the values of one import's parameters that its terms depend
// on, in one period or in the part of a period before a change.
type rules struct {
	status, stance                         int
	supply, usVolume, capShare, quota, fee float64
}

// rulesAt returns import k's rules in period t: the period's values, or
// with alt those before a change part-way through the period.
func (m *Model) rulesAt(k, t int, alt bool) rules {
	im := &m.spec.Imports[k]
	v := func(i int, s Series) float64 {
		if alt && im.Part.Alt[i] != nil {
			return im.Part.Alt[i][t]
		}
		return s[t]
	}
	return rules{
		status: int(v(0, im.USStatus)), stance: int(v(1, im.CNStance)),
		supply: v(2, im.Supply), usVolume: v(3, im.USVolume), capShare: v(4, im.CapShare),
		quota: v(5, im.Quota), fee: v(6, im.Fee),
	}
}

// terms are what a foreign product's rules give in one period: units
// offered (after acceptance), the acceptance factor on its logit weight
// and the fee.
type terms struct{ capU, accept, fee float64 }

func (m *Model) termsUnder(k, t int, ru rules, reach float64, fees *powMemo) terms {
	mk := &m.spec.Market
	spy := m.spy
	var tr terms
	switch ru.status {
	case USAllowed:
		tr.capU = min(ru.supply, ru.quota) / spy
	case USLicensed:
		tr.capU = min(ru.supply, min(licensed(ru.capShare, ru.usVolume), ru.quota)) / spy
		tr.fee = ru.fee // the revenue share applies to licensed sales only
	}
	if ru.stance == CNBanned {
		tr.capU = 0
	}
	tr.accept = reach
	if fee := mk.FeePassThrough[t] * tr.fee; fee > 0 {
		tr.accept *= fees.pow(1+fee, -mk.FeeElasticity[t])
	}
	if ru.stance == CNDiscouraged {
		tr.accept *= mk.DiscouragedFactor[t]
	}
	// Fees, a discouraging stance and entity listings cut what buyers
	// purchase even when every product is short, so they cap the volume
	// as well as weigh the choice.
	if tr.accept > 0 {
		tr.capU *= tr.accept
	} else {
		tr.capU = 0 // nobody buys, however much is on offer (Inf × 0 would be NaN)
	}
	return tr
}

// importTerms returns import k's terms in period t, blending the rules
// before and after a change part-way through the period (an event dated
// by day) by the share of the period each covers.
func (m *Model) importTerms(k, t int, reach float64, fees *powMemo) terms {
	tr := m.termsUnder(k, t, m.rulesAt(k, t, false), reach, fees)
	share := m.spec.Imports[k].Part.At(t)
	if share == 1 {
		return tr
	}
	pre := m.termsUnder(k, t, m.rulesAt(k, t, true), reach, fees)
	mix := func(a, b float64) float64 { return share*a + (1-share)*b }
	return terms{capU: mix(tr.capU, pre.capU), accept: mix(tr.accept, pre.accept), fee: mix(tr.fee, pre.fee)}
}

// smuggled returns the units of import k smuggled in period t (while the
// US bans it), blending the rules before and after a change part-way
// through the period as importTerms does.
func (m *Model) smuggled(k, t int) float64 {
	s := m.spec
	im := &s.Imports[k]
	under := func(status int) float64 {
		if status == USBanned {
			return im.Smuggling[t] / m.spy * (1 - s.Grey.Enforcement[t])
		}
		return 0
	}
	now := under(int(im.USStatus[t]))
	share := im.Part.At(t)
	if share == 1 {
		return now
	}
	pre := under(m.rulesAt(k, t, true).status)
	return share*now + (1-share)*pre
}

// active lists in r.act, in order, the products period t may offer:
// foreign ones on sale, and domestic ones being made or past their end
// (which sell what stock they hold). The others offer nothing, sell
// nothing and record nothing, so the market's loops skip them.
func (m *Model) active(r *Result, t int) {
	np := len(m.spec.Products)
	making := r.tb.making[t*np : (t+1)*np]
	act := r.act[:0]
	for i := range np {
		if m.imp[i] >= 0 {
			if t >= m.launch[i] && t <= m.end[i] {
				act = append(act, i)
			}
		} else if making[i] || t > m.end[i] {
			act = append(act, i)
		}
	}
	r.act = act
}

// offer sets every product's units on offer, acceptance and logit weight
// for period t, and the smuggled units; it returns the smuggled compute.
// Domestic products offer their finished stock; a domestic product that
// is being made but not yet sold has a weight too, so that its vendor sees
// the demand it will meet. Import terms and the weights before acceptance
// come from the tables (fillImport, fillWeights).
func (m *Model) offer(r *Result, t int) (grey float64) {
	tb := r.tb
	np := len(m.spec.Products)
	row := t * np
	tcapU, taccept, tsmug, tfee := tb.capU[row:row+np], tb.accept[row:row+np], tb.smug[row:row+np], tb.fee[row:row+np]
	tlegal, tboost, making := tb.legal[row:row+np], tb.boost[row:row+np], tb.making[row:row+np]
	sig, w0, h100e := tb.sig[row:row+np], tb.w0[row:row+np], tb.h100e[row:row+np]
	capU, accept, legal, smug, boost, fee, w := r.capU[:np], r.accept[:np], r.legal[:np], r.smug[:np], r.boost[:np], r.fee[:np], r.w[:np]
	on, rsig, fgi := r.on[:np], r.sig[:np], r.fgi[:np]
	prefW := tb.prefW[t]
	clear(capU)
	clear(smug)
	clear(boost)
	clear(fee)
	clear(w)
	clear(on)
	clear(rsig)
	for i := range np {
		accept[i], legal[i] = 1, 1
	}
	for _, i := range r.act {
		onSale := t >= m.launch[i] && t <= m.end[i]
		imported := m.imp[i] >= 0
		if imported {
			capU[i], accept[i], smug[i], fee[i] = tcapU[i], taccept[i], tsmug[i], tfee[i]
			grey += smug[i] * h100e[i]
			legal[i] = tlegal[i]
			boost[i] = tboost[i]
		} else {
			// Made from one lead before launch; on sale from launch, and
			// after its end until the stock it holds is sold.
			sellOff := t > m.end[i] && fgi[i] > 0
			if !making[i] && !sellOff {
				continue
			}
			if onSale || sellOff {
				capU[i] = fgi[i]
			}
		}
		if !sig[i] || accept[i] <= 0 {
			continue
		}
		rsig[i] = true
		on[i] = capU[i] > 0
		if imported {
			w[i] = w0[i] * accept[i]
		} else {
			w[i] = w0[i] * prefW
		}
	}
	return grey
}

// allocate splits demand (H100e) among the products on offer, and waiting,
// by their logit weights; a product that cannot serve its share serves
// what it can and the rest spills to the others. It sets what the market
// asked of each domestic product (r.wanted, units) and returns the demand
// nobody could serve, the extra demand of purchases pulled forward before
// an announced ban, and the part of that extra nobody served.
func (m *Model) allocate(r *Result, t int, demand float64) (unmet, extra, pfUnserved float64) {
	s := m.spec
	np := len(s.Products)
	h100e := r.tb.h100e[t*np : (t+1)*np]
	clear(r.alloc)
	clear(r.capRem)
	live := r.live[:0]
	for _, i := range r.act {
		if r.on[i] {
			r.capRem[i] = r.capU[i] * h100e[i]
			live = append(live, i)
		}
	}
	// Water-filling: each round offers the remaining demand by weight to
	// the products still able to serve; those whose share exceeds what
	// they have left serve it all and drop out, and the rest is offered
	// again. It ends when no product saturates, after at most one round
	// per product.
	//
	// Waiting (the outside option) is what buyers displaced from a product
	// that ran out weigh against the others: it joins from the second
	// round, never runs out, and what it takes goes unserved. With every
	// product able to serve its share, no buyer waits.
	outside := r.tb.outside[t]
	rem, level := demand, 0.0
	waiting := 0.0 // the outside option's weight, once buyers are displaced
	if len(live) == 0 {
		waiting = outside
	}
	for rem > 0 && (len(live) > 0 || waiting > 0) {
		wsum := waiting
		for _, i := range live {
			wsum += r.w[i]
		}
		if wsum <= 0 {
			break
		}
		level = rem / wsum
		next, kept := rem, live[:0]
		for _, i := range live {
			if r.w[i]*level >= r.capRem[i] {
				r.alloc[i] += r.capRem[i]
				next -= r.capRem[i]
				r.capRem[i] = 0
				continue
			}
			kept = append(kept, i)
		}
		if len(kept) == len(live) {
			for _, i := range live {
				a := r.w[i] * level
				r.alloc[i] += a
				r.capRem[i] -= a
			}
			rem = waiting * level // the buyers who wait
			break
		}
		live, rem, waiting = kept, max(0, next), outside
	}
	r.live = live[:0]
	// What the market asks of each domestic product: its order book. A
	// product that could serve its share sells it, and that is what was
	// asked of it. A product that ran out, or has nothing on sale yet, is
	// asked for its share at the level the market cleared at when every
	// buyer was served; when buyers were left unserved, for what it sold
	// plus the unserved buyers it would have won had it had more: their
	// demand times its weight against waiting's. Buyers short of chips
	// queue at every vendor that might deliver, so order books together
	// can exceed the market (as they did in 2024-25), but none holds more
	// than the market left unserved.
	for _, i := range m.dom {
		r.wanted[i] = 0
		if !r.sig[i] {
			continue
		}
		h := r.alloc[i]
		if r.capRem[i] <= 0 {
			switch {
			case rem <= 0:
				h = max(h, r.w[i]*level)
			case r.w[i]+waiting > 0:
				h += rem * r.w[i] / (r.w[i] + waiting)
			}
		}
		r.wanted[i] = h / s.Products[i].H100e[t]
	}
	for _, i := range m.frn {
		if r.boost[i] > 0 {
			want := r.boost[i] * r.alloc[i]
			take := min(want, r.capRem[i])
			r.alloc[i] += take
			extra += want
			pfUnserved += want - take
		}
	}
	return rem + pfUnserved, extra, pfUnserved
}

// powMemo remembers x^y for the last x and y: fills meet the same fee and
// elasticity period after period, and Pow is dear.
type powMemo struct {
	x, y, v float64
	ok      bool
}

func (p *powMemo) pow(x, y float64) float64 {
	if !p.ok || x != p.x || y != p.y {
		*p = powMemo{x: x, y: y, v: math.Pow(x, y), ok: true}
	}
	return p.v
}

// exp returns e^x, remembering it for the last x (y is unused).
func (p *powMemo) exp(x float64) float64 {
	if !p.ok || x != p.x {
		*p = powMemo{x: x, v: math.Exp(x), ok: true}
	}
	return p.v
}
