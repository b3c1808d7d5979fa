package sim

import "math"

// This file holds the engine's first phase: everything a run needs that
// depends on parameters alone (yields and learning, gross dies, which
// products are made, import terms, logit weights, per-period factors) is
// computed into tables that the second phase, the run, reads. The tables
// belong to a Result, so runs on different goroutines never share them.
//
// Each table group watches the series it is computed from and keeps a
// copy of their values. Before a run, a group whose series changed since
// its tables were filled (a sampler drew new inputs) recomputes from the
// first period that changed; the others are reused. Model.Vary narrows
// the watch to the series a caller changes, so a Monte Carlo run checks a
// dozen series rather than every parameter.

// watch is a series a table group is computed from, with the values it
// was last computed from (nil before the first fill).
type watch struct {
	src  *Series
	snap Series
}

// partWatch is a part-period record a group reads: its shares, and the
// earlier values in the periods a change splits.
type partWatch struct {
	p     *Part
	share Series
	alt   []Series
}

// group is a set of tables computed by fill from its watched series.
type group struct {
	series []watch
	parts  []partWatch
	filled bool
	// whole makes a change anywhere refill every period (tables whose
	// periods look ahead, such as purchases pulled forward before a ban).
	whole bool
	fill  func(lo int)
}

// refresh refills the group's tables from the first period its inputs
// changed, if any did, and records the values it used.
func (g *group) refresh(n int) {
	lo := n
	if !g.filled {
		lo = 0
	}
	for i := range g.series {
		w := &g.series[i]
		lo = min(lo, firstDiff(*w.src, w.snap, lo))
	}
	for i := range g.parts {
		lo = min(lo, g.parts[i].firstDiff(lo))
	}
	if lo >= n {
		return
	}
	if g.whole {
		lo = 0
	}
	g.fill(lo)
	g.filled = true
	for i := range g.series {
		w := &g.series[i]
		w.snap = append(w.snap[:0], *w.src...)
	}
	for i := range g.parts {
		g.parts[i].record()
	}
}

// firstDiff returns the first period before lo in which a and b differ,
// or lo.
func firstDiff(a, b Series, lo int) int {
	if len(a) != len(b) {
		return 0
	}
	for t := range min(lo, len(a)) {
		if a[t] != b[t] {
			return t
		}
	}
	return lo
}

func (w *partWatch) firstDiff(lo int) int {
	p := w.p
	if (p.Share == nil) != (w.share == nil) || len(p.Alt) != len(w.alt) {
		return 0
	}
	lo = firstDiff(p.Share, w.share, lo)
	for t := range min(lo, len(p.Share)) {
		if p.Share[t] == 1 {
			continue
		}
		for i, a := range p.Alt {
			if (a == nil) != (w.alt[i] == nil) || (a != nil && a[t] != w.alt[i][t]) {
				return t
			}
		}
	}
	return lo
}

func (w *partWatch) record() {
	p := w.p
	if p.Share == nil {
		w.share, w.alt = nil, nil
		return
	}
	w.share = append(w.share[:0], p.Share...)
	if len(w.alt) != len(p.Alt) {
		w.alt = make([]Series, len(p.Alt))
	}
	for i, a := range p.Alt {
		if a == nil {
			w.alt[i] = nil
			continue
		}
		w.alt[i] = append(w.alt[i][:0], a...)
	}
}

// Vary declares the only parameter series the caller will change between
// runs (a sampler's inputs); tables computed from other series are then
// filled once per Result. Part-period records are always watched. Without
// Vary every series is checked before every run. Call it before
// NewResult: Results made earlier keep watching what they watched.
func (m *Model) Vary(series ...Series) {
	m.vary = map[*float64]bool{}
	m.varied = nil // new: Results made earlier keep pointers into the old
	for _, s := range series {
		if len(s) > 0 && !m.vary[&s[0]] {
			m.vary[&s[0]] = true
			m.varied = append(m.varied, s)
		}
	}
}

// tables are a Result's parameter-only quantities. Per-product tables are
// period-major ([t*np+i]), per-process ones too ([t*nf+f]).
type tables struct {
	groups []*group

	// Per domestic product and period.
	making              []bool    // made in the period (from one lead before launch to its end)
	gy                  []float64 // good dies per wafer, 0 when no wafers may start
	off                 []float64 // dies from foreign foundries per period
	planU               []float64 // units the plan allows per period
	hbmVW               []float64 // HBM rationing weight per stack wanted: (price/stacks)^value_weight
	dpu                 []float64 // dies per unit
	stacks              []float64 // HBM stacks per unit
	wmax, wshare, wrank []float64 // wafer rationing: most share, reserved share, priority

	// Per process and period; d0 and cum have a period more (after the last).
	avail, lag, phi, ymax []float64 // ymax: yield of the largest die made, NaN when none
	kLag                  []int
	d0, cum               []float64

	// Per product and period: the logit weight before acceptance and
	// the domestic preference, and whether the product has one
	// (performance and price above 0).
	w0           []float64
	sig          []bool
	h100e, price []float64 // the product's performance and price
	// Per foreign product and period: its import terms.
	capU, accept, smug, fee, legal, boost []float64

	// Per period.
	py, invPy, bankMax, adj, cover, packCap []float64
	prefW                                   []float64 // e^domestic preference
	alpha, beta, trendCap, keep, outside    []float64
	hbmOther, hbmRel, hbmDomMax             []float64
	life                                    []int

	fees powMemo // the last fee factor a fill computed
}

// newTables sizes a Result's tables and their groups for m.
func (m *Model) newTables() *tables {
	s := m.spec
	n, np, nf := m.cal.N, len(s.Products), len(s.Foundry)
	f := func(k int) []float64 { return make([]float64, k) }
	tb := &tables{
		making: make([]bool, n*np), gy: f(n * np), off: f(n * np), planU: f(n * np), hbmVW: f(n * np), dpu: f(n * np), stacks: f(n * np), wmax: f(n * np), wshare: f(n * np), wrank: f(n * np), h100e: f(n * np), price: f(n * np),
		avail: f(n * nf), lag: f(n * nf), phi: f(n * nf), ymax: f(n * nf), kLag: make([]int, n*nf),
		d0: f((n + 1) * nf), cum: f((n + 1) * nf),
		w0: f(n * np), sig: make([]bool, n*np),
		capU: f(n * np), accept: f(n * np), smug: f(n * np), fee: f(n * np), legal: f(n * np), boost: f(n * np),
		prefW: f(n), py: f(n), invPy: f(n), bankMax: f(n), adj: f(n), cover: f(n), packCap: f(n),
		alpha: f(n), beta: f(n), trendCap: f(n), keep: f(n), outside: f(n),
		hbmOther: f(n), hbmRel: f(n), hbmDomMax: f(n), life: make([]int, n),
	}
	add := func(fill func(lo int), whole bool, parts []*Part, series ...*Series) {
		g := &group{fill: fill, whole: whole}
		for _, src := range series {
			if m.vary != nil && (len(*src) == 0 || !m.vary[&(*src)[0]]) {
				continue // fixed: filled once
			}
			g.series = append(g.series, watch{src: src})
		}
		for _, p := range parts {
			g.parts = append(g.parts, partWatch{p: p})
		}
		tb.groups = append(tb.groups, g)
	}
	for fi := range s.Foundry {
		pr := &s.Foundry[fi]
		deps := pr.fields()
		for _, i := range m.byProc[fi] {
			deps = append(deps, &s.Products[i].DieArea)
		}
		add(func(lo int) { m.fillProcess(tb, fi, lo) }, false, nil, deps...)
	}
	for _, i := range m.dom {
		p := &s.Products[i]
		add(func(lo int) { m.fillProduct(tb, i, lo) }, false, nil,
			&p.Offshore, &p.Plan, &p.Price, &p.Stacks, &p.DiesPerUnit, &p.WaferMax, &p.WaferShare, &p.WaferRank,
			&s.DieBank.OffshoreAccess, &s.HBM.ValueWeight)
	}
	for i := range s.Products {
		p := &s.Products[i]
		add(func(lo int) { m.fillWeight(tb, i, lo) }, false, nil,
			&p.H100e, &p.Price, &s.Market.PriceSensitivity, &s.Ecosystems[m.eco[i]].Utility)
	}
	for _, i := range m.frn {
		k := m.imp[i]
		if k < 0 {
			continue
		}
		im := &s.Imports[k]
		add(func(lo int) { m.fillImport(tb, i, k, lo) }, false, []*Part{&im.Part},
			&im.USStatus, &im.CNStance, &im.Supply, &im.USVolume, &im.CapShare, &im.Quota, &im.Fee,
			&s.Market.ListedShare, &s.Grey.Leakage, &s.Market.FeePassThrough, &s.Market.FeeElasticity, &s.Market.DiscouragedFactor)
		add(func(lo int) {
			for t := lo; t < n; t++ {
				tb.smug[t*np+i] = m.smuggled(k, t)
			}
		}, false, []*Part{&im.Part}, &im.USStatus, &im.Smuggling, &s.Grey.Enforcement)
		// Purchases pulled forward look ahead to a ban: a change anywhere
		// refills every period.
		add(func(int) { m.fillBoost(tb, i, k) }, true, nil,
			&im.USStatus, &im.CapShare, &im.USVolume, &im.Supply, &im.PullForward, &im.PullForwardLead)
	}
	add(func(lo int) { m.fillPackaging(tb, lo) }, false, nil, &s.Packaging.Yield, &s.Packaging.Capacity, &s.DieBank.MaxDraw)
	add(func(lo int) { m.fillSupply(tb, lo) }, false, nil, &s.Supply.Forecast, &s.Supply.Cover, &s.Supply.Adjust, &s.Supply.MaxTrend)
	add(func(lo int) { m.fillMarket(tb, lo) }, false, nil, &s.Demand.BacklogLoss, &s.Market.OutsidePrice, &s.Market.PriceSensitivity, &s.Installed.Life)
	add(func(lo int) {
		for t := lo; t < n; t++ {
			tb.prefW[t] = math.Exp(s.Market.DomesticPref[t])
		}
	}, false, nil, &s.Market.DomesticPref)
	add(func(lo int) { m.fillHBM(tb, lo) }, false, []*Part{&s.HBM.Part}, append(s.HBM.fields(), &s.Grey.Enforcement)...)
	return tb
}

// refresh brings every table up to date with the parameters.
func (tb *tables) refresh(n int) {
	for _, g := range tb.groups {
		g.refresh(n)
	}
}

// fillProcess fills process f's tables from period lo: AI wafers
// available, cycle time, the defect density each period starts with (it
// learns from every wafer the process runs, AI or not, so its path
// depends on parameters alone), and for the products it makes, whether
// they are made and the good dies per wafer.
func (m *Model) fillProcess(tb *tables, f, lo int) {
	s := m.spec
	pr := &s.Foundry[f]
	n, np, nf := m.cal.N, len(s.Products), len(s.Foundry)
	spy, step := m.spy, float64(m.cal.Step)
	if lo == 0 {
		tb.d0[f] = pr.D0[0]
		tb.cum[f] = pr.Cumulative[0]
	}
	for t := lo; t < n; t++ {
		x := t*nf + f
		tb.avail[x] = pr.Capacity[t] * 12 / spy * pr.AIShare[t]
		model := int(pr.YieldModel[t])
		lag := pr.CycleTime[t] / step
		k := int(lag)
		phi := lag - float64(k)
		tb.lag[x], tb.kLag[x], tb.phi[x] = lag, k, phi
		d0 := tb.d0[x]
		var maxArea float64
		for _, i := range m.byProc[f] {
			y := t*np + i
			making := t <= m.end[i] && t >= m.launch[i]-m.lead(i, t)
			tb.making[y], tb.gy[y] = making, 0
			if !making {
				continue
			}
			area := s.Products[i].DieArea[t]
			maxArea = max(maxArea, area)
			if last := t + k + int(math.Ceil(phi)); last > m.end[i] {
				continue // no wafers for dies that would arrive after the end
			}
			tb.gy[y] = GrossDies(area, pr.Diameter[t], pr.Edge[t]) * Yield(model, area, d0)
		}
		tb.ymax[x] = math.NaN()
		if maxArea > 0 {
			tb.ymax[x] = Yield(model, maxArea, d0)
		}
		prev := tb.cum[x]
		cum := prev + pr.Capacity[t]*12/spy
		tb.cum[x+nf] = cum
		tb.d0[x+nf] = LearnedDefectDensity(d0, pr.LearningRate[t], pr.D0Floor[t], prev, cum)
	}
}

// fillProduct fills domestic product i's tables from period lo.
func (m *Model) fillProduct(tb *tables, i, lo int) {
	s := m.spec
	p := &s.Products[i]
	np, spy := len(s.Products), m.spy
	for t := lo; t < m.cal.N; t++ {
		y := t*np + i
		tb.off[y] = p.Offshore[t] * s.DieBank.OffshoreAccess[t] / spy
		tb.planU[y] = p.Plan[t] / spy
		tb.dpu[y], tb.stacks[y] = p.DiesPerUnit[t], p.Stacks[t]
		tb.wmax[y], tb.wshare[y], tb.wrank[y] = p.WaferMax[t], p.WaferShare[t], p.WaferRank[t]
		tb.hbmVW[y] = 0
		if st := p.Stacks[t]; st > 0 {
			tb.hbmVW[y] = math.Pow(p.Price[t]/st, s.HBM.ValueWeight[t])
		}
	}
}

// fillWeight fills product i's logit weight before acceptance and the
// domestic preference from period lo: (h/p)^β · e^ecosystem.
func (m *Model) fillWeight(tb *tables, i, lo int) {
	s := m.spec
	p := &s.Products[i]
	u := &s.Ecosystems[m.eco[i]].Utility
	np := len(s.Products)
	var perf, eco powMemo
	for t := lo; t < m.cal.N; t++ {
		y := t*np + i
		tb.sig[y] = p.H100e[t] > 0 && p.Price[t] > 0
		tb.h100e[y], tb.price[y] = p.H100e[t], p.Price[t]
		tb.w0[y] = 0
		if tb.sig[y] {
			tb.w0[y] = perf.pow(p.H100e[t]/p.Price[t], s.Market.PriceSensitivity[t]) * eco.exp((*u)[t])
		}
	}
}

// fillImport fills foreign product i's (import k's) terms from period lo.
func (m *Model) fillImport(tb *tables, i, k, lo int) {
	s := m.spec
	mk := &s.Market
	np := len(s.Products)
	for t := lo; t < m.cal.N; t++ {
		y := t*np + i
		listed, leak := mk.ListedShare[t], s.Grey.Leakage[t]
		reach := (1 - listed) + listed*leak
		tr := m.importTerms(k, t, reach, &tb.fees)
		tb.capU[y], tb.accept[y], tb.fee[y] = tr.capU, tr.accept, tr.fee
		tb.legal[y] = ratio(1-listed, reach)
	}
}

// fillBoost fills foreign product i's (import k's) purchases pulled
// forward before a ban, in every period: each looks ahead to the ban.
func (m *Model) fillBoost(tb *tables, i, k int) {
	s := m.spec
	im := &s.Imports[k]
	np, step := len(s.Products), float64(m.cal.Step)
	for t := range m.cal.N {
		y := t*np + i
		tb.boost[y] = 0
		if m.blocked(k, t) {
			continue
		}
		// The lead is in quarters; a period longer than the lead (a
		// yearly step) holds only lead/period of the extra buying.
		months, lead := m.pullLead(k, t)
		for k2 := 1; k2 <= lead && t+k2 < m.cal.N; k2++ {
			if m.blocked(k, t+k2) && t+k2 <= m.end[i] {
				tb.boost[y] = im.PullForward[t] * min(1, months/step)
				break
			}
		}
	}
}

// fillPackaging fills packaging's yield, its reciprocal and its capacity
// per period, and the die bank's most per period, from period lo.
func (m *Model) fillPackaging(tb *tables, lo int) {
	s := m.spec
	for t := lo; t < m.cal.N; t++ {
		tb.py[t], tb.invPy[t] = m.packYield(t)
		tb.packCap[t] = s.Packaging.Capacity[t] / m.spy
		tb.bankMax[t] = s.DieBank.MaxDraw[t] / m.spy
	}
}

// fillSupply fills the vendors' planning factors from period lo.
func (m *Model) fillSupply(tb *tables, lo int) {
	s := m.spec
	step := float64(m.cal.Step)
	for t := lo; t < m.cal.N; t++ {
		tb.adj[t] = max(1, s.Supply.Adjust[t]/step)
		tb.cover[t] = s.Supply.Cover[t] / step
		tb.alpha[t], tb.beta[t] = m.smoothing(t), 1.0 // smoothing of the level, and of its trend over twice the time
		if fm := s.Supply.Forecast[t]; fm > 0 {
			tb.beta[t] = -math.Expm1(-step / (2 * fm))
		}
		tb.trendCap[t] = math.Pow(1+s.Supply.MaxTrend[t], 1/m.spy) - 1
	}
}

// fillMarket fills the share of the backlog kept, the outside option's
// logit weight and the installed base's life from period lo.
func (m *Model) fillMarket(tb *tables, lo int) {
	s := m.spec
	for t := lo; t < m.cal.N; t++ {
		tb.keep[t] = math.Pow(1-s.Demand.BacklogLoss[t], 1/m.spy)
		tb.outside[t] = 0
		if p0 := s.Market.OutsidePrice[t]; !math.IsInf(p0, 1) {
			tb.outside[t] = math.Pow(1/p0, s.Market.PriceSensitivity[t])
		}
		tb.life[t] = int(max(1, math.Round(s.Installed.Life[t]*m.spy)))
	}
}

// fillHBM fills the HBM sources from period lo (hbmSources).
func (m *Model) fillHBM(tb *tables, lo int) {
	for t := lo; t < m.cal.N; t++ {
		tb.hbmOther[t], tb.hbmRel[t], tb.hbmDomMax[t] = m.hbmSources(t)
	}
}
