package sim

import (
	"math"
	"slices"
)

// This file lets a run start part-way through the calendar. A Monte Carlo
// draw, a sweep point or a calibration step often changes parameters only
// from some period on (uncertainty about the future, events after the
// history): every period before the first one a changed input reaches
// repeats, bit for bit, what an earlier run computed. A Result whose model
// declares what its caller changes (Vary) records its first run, the
// reference, with the state each period hands to the next; later runs
// compare the varied inputs with the reference's, restore the state at
// the first period the change reaches and run from there. Periods before
// it keep the reference's outputs, which are theirs too.

// resume is what a Result keeps to start its runs part-way.
type resume struct {
	watch []watch     // the varied series, with the reference run's values
	parts []partWatch // every part-period record, likewise
	ahead int         // periods a period's computation reads ahead of itself
	ref   bool        // the reference run is recorded
	// valid counts the leading periods whose outputs in Data are the
	// reference run's: a run that starts at p leaves periods before the
	// first change its inputs make equal to the reference's.
	valid int
	size  int       // state values per period
	state []float64 // the reference run's state at the start of each period
	// failed: the reference run had an output that is not finite. An
	// outcome-only Result checks the outputs of the periods it runs
	// (keepRow), so its runs then all start from the first period.
	failed bool
}

// newResume returns r's resume record, or nil when the model does not
// declare what its caller changes (every run then runs the whole calendar).
func (m *Model) newResume(r *Result) *resume {
	if m.vary == nil {
		return nil
	}
	rs := &resume{}
	for i := range m.varied {
		rs.watch = append(rs.watch, watch{src: &m.varied[i], snap: slices.Clone(m.varied[i])})
	}
	seen := map[*Part]bool{}
	for _, g := range r.tb.groups {
		for _, p := range g.parts {
			if !seen[p.p] {
				seen[p.p] = true
				rs.parts = append(rs.parts, partWatch{p: p.p})
				rs.parts[len(rs.parts)-1].record() // sized now: recording the reference allocates nothing
			}
		}
	}
	rs.size = r.carry(nil, carryCount)
	rs.state = make([]float64, m.cal.N*rs.size)
	return rs
}

// start returns the period r's run starts from: 0 for a whole run (the
// reference run, or one whose inputs change from the first periods), or
// the first period a changed input reaches, with r's state restored to
// the reference run's at its start.
func (rs *resume) start(m *Model, r *Result) int {
	n := m.cal.N
	if !rs.ref {
		for i := range rs.watch {
			w := &rs.watch[i]
			w.snap = append(w.snap[:0], *w.src...)
		}
		for i := range rs.parts {
			rs.parts[i].record()
		}
		rs.ahead = m.lookahead()
		return 0
	}
	c := n
	for i := range rs.watch {
		w := &rs.watch[i]
		c = firstDiff(*w.src, w.snap, c)
	}
	for i := range rs.parts {
		c = min(c, rs.parts[i].firstDiff(c))
	}
	q := max(0, c-rs.ahead) // the first period a change reaches
	p := min(q, rs.valid)
	rs.valid = q
	if p == 0 || rs.failed {
		return 0
	}
	r.carry(rs.state[p*rs.size:(p+1)*rs.size], carryLoad)
	r.failT = -1 // the reference's periods before p are finite
	return p
}

// lookahead returns how many periods a period's computation reads ahead
// of itself: vendors plan for whether a product is made the next period
// (order), and purchases are pulled forward before a ban up to the
// import's lead (fillBoost). A change of inputs in period c thus reaches
// the run from period c − lookahead.
func (m *Model) lookahead() int {
	ahead := 1
	for k := range m.spec.Imports {
		for t := range m.cal.N {
			_, lead := m.pullLead(k, t)
			ahead = max(ahead, lead)
		}
	}
	return ahead
}

// Modes of Result.carry.
const (
	carryCount = iota
	carrySave
	carryLoad
)

// carry copies the state one period hands to the next (stocks, pipelines,
// expectations, memories of demand and the installed base) between r and
// buf: into buf (carrySave), out of it (carryLoad), or only counts the
// values (carryCount, buf unused). It returns the number of values.
func (r *Result) carry(buf []float64, mode int) int {
	k := 0
	vec := func(x []float64) {
		switch mode {
		case carrySave:
			copy(buf[k:], x)
		case carryLoad:
			copy(x, buf[k:k+len(x)])
		}
		k += len(x)
	}
	one := func(x *float64) {
		switch mode {
		case carrySave:
			buf[k] = *x
		case carryLoad:
			*x = buf[k]
		}
		k++
	}
	vec(r.fgi)
	vec(r.dinv)
	vec(r.fcast)
	vec(r.trend)
	vec(r.target)
	vec(r.fill)
	vec(r.ring)
	vec(r.seg)
	for o := range r.retire {
		vec(r.retire[o])
	}
	vec(r.inst[:])
	vec(r.initRetire[:])
	for _, x := range []*float64{&r.demandLevel, &r.efficient, &r.lastPrice, &r.backlog, &r.bankLeft, &r.hbmStock, &r.life0} {
		one(x)
	}
	return k
}

// record keeps the state at the start of period t of the reference run.
func (rs *resume) record(r *Result, t int) {
	r.carry(rs.state[t*rs.size:(t+1)*rs.size], carrySave)
}

// done marks the reference run recorded.
func (rs *resume) done(r *Result) {
	if !rs.ref {
		rs.ref, rs.valid = true, r.m.cal.N
		rs.failed = r.CheckFinite() != nil
	}
}

// pullLead returns how far ahead, in months and in periods, import k's
// buyers pull purchases forward before a ban in period t.
func (m *Model) pullLead(k, t int) (months float64, lead int) {
	months = m.spec.Imports[k].PullForwardLead[t] * 3
	return months, int(math.Ceil(months / float64(m.cal.Step)))
}
