// Package uq is the numerical core of chipsim's uncertainty quantification:
// input distributions sampled by inverse CDF from the unit hypercube, Sobol'
// sequences and experimental designs (Latin hypercube, grids, Saltelli,
// Morris, one-at-a-time), variance-based and elementary-effect sensitivity
// estimators with confidence intervals (from independently scrambled
// replicates of a Saltelli design, or a bootstrap), Iman–Conover rank
// correlation, and mergeable streaming quantile summaries for Monte Carlo
// percentile bands.
//
// The package performs no I/O, holds no mutable global state and starts no
// goroutines. Every random choice is drawn from a caller-supplied
// *rand.Rand (math/rand/v2), so results are a deterministic function of the
// inputs and the generator's state.
package uq

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Dist is a univariate input distribution, sampled by inverse transform:
// feeding the coordinates of a unit-hypercube design point through Quantile
// yields a sample of the distribution.
type Dist interface {
	// Quantile returns the inverse CDF at p: the smallest x with
	// CDF(x) ≥ p. Quantile(0) and Quantile(1) are the ends of the support
	// (possibly infinite); p outside [0, 1] or NaN yields NaN.
	Quantile(p float64) float64
	// Mean returns the expected value.
	Mean() float64
	// Support returns the closure of the set of possible values (infinite
	// bounds for unbounded distributions).
	Support() (lo, hi float64)
	// String describes the distribution and its parameters.
	String() string
}

// continuous is implemented by this package's continuous distributions; it
// is what Truncate needs.
type continuous interface {
	Dist
	cdf(x float64) float64 // P(X ≤ x)
	sf(x float64) float64  // P(X > x), accurate in the upper tail
	quantile(p float64) float64
	isf(q float64) float64 // inverse of sf
	// partialMean returns E[X · 1{a < X ≤ b}] for a < b.
	partialMean(a, b float64) float64
}

// quantileArg reports whether p is a valid probability.
func quantileArg(p float64) bool { return p >= 0 && p <= 1 }

// ---------------------------------------------------------------- Uniform

type uniform struct{ lo, hi float64 }

// Uniform returns the continuous uniform distribution on [lo, hi]
// (lo < hi, both finite).
func Uniform(lo, hi float64) (Dist, error) {
	if !isFinite(lo) || !isFinite(hi) || !(lo < hi) || !isFinite(hi-lo) {
		return nil, fmt.Errorf("uq: Uniform(%g, %g): need finite lo < hi", lo, hi)
	}
	return &uniform{lo, hi}, nil
}

func (u *uniform) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	return u.quantile(p)
}
func (u *uniform) quantile(p float64) float64 { return math.Min(u.lo+p*(u.hi-u.lo), u.hi) }
func (u *uniform) isf(q float64) float64      { return math.Max(u.hi-q*(u.hi-u.lo), u.lo) }
func (u *uniform) cdf(x float64) float64 {
	return clamp01((x - u.lo) / (u.hi - u.lo))
}
func (u *uniform) sf(x float64) float64 {
	return clamp01((u.hi - x) / (u.hi - u.lo))
}
func (u *uniform) partialMean(a, b float64) float64 {
	a, b = math.Max(a, u.lo), math.Min(b, u.hi)
	if !(a < b) {
		return 0
	}
	return (b - a) / (u.hi - u.lo) * (a/2 + b/2)
}
func (u *uniform) Mean() float64             { return u.lo/2 + u.hi/2 }
func (u *uniform) Support() (lo, hi float64) { return u.lo, u.hi }
func (u *uniform) String() string            { return fmt.Sprintf("Uniform(%g, %g)", u.lo, u.hi) }
func clamp01(x float64) float64              { return math.Max(0, math.Min(1, x)) }
func clampTo(x, lo, hi float64) float64      { return math.Max(lo, math.Min(hi, x)) }
func validBounded(lo, mode, hi float64) bool {
	return isFinite(lo) && isFinite(mode) && isFinite(hi) && lo < hi && lo <= mode && mode <= hi && isFinite(hi-lo)
}

// ------------------------------------------------------------- Triangular

type triangular struct{ lo, mode, hi float64 }

// Triangular returns the triangular distribution on [lo, hi] with the given
// mode (lo ≤ mode ≤ hi, lo < hi, all finite).
func Triangular(lo, mode, hi float64) (Dist, error) {
	if !validBounded(lo, mode, hi) {
		return nil, fmt.Errorf("uq: Triangular(%g, %g, %g): need finite lo ≤ mode ≤ hi with lo < hi", lo, mode, hi)
	}
	return &triangular{lo, mode, hi}, nil
}

func (t *triangular) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	return t.quantile(p)
}

func (t *triangular) quantile(p float64) float64 {
	w := t.hi - t.lo
	if p*w <= t.mode-t.lo {
		return clampTo(t.lo+math.Sqrt(p*w*(t.mode-t.lo)), t.lo, t.hi)
	}
	return clampTo(t.hi-math.Sqrt((1-p)*w*(t.hi-t.mode)), t.lo, t.hi)
}

func (t *triangular) isf(q float64) float64 {
	w := t.hi - t.lo
	if q*w <= t.hi-t.mode {
		return clampTo(t.hi-math.Sqrt(q*w*(t.hi-t.mode)), t.lo, t.hi)
	}
	return clampTo(t.lo+math.Sqrt((1-q)*w*(t.mode-t.lo)), t.lo, t.hi)
}

func (t *triangular) cdf(x float64) float64 {
	switch {
	case x <= t.lo:
		return 0
	case x >= t.hi:
		return 1
	case x <= t.mode:
		return (x - t.lo) * (x - t.lo) / ((t.hi - t.lo) * (t.mode - t.lo))
	}
	return 1 - t.sf(x)
}

func (t *triangular) sf(x float64) float64 {
	switch {
	case x <= t.lo:
		return 1
	case x >= t.hi:
		return 0
	case x >= t.mode:
		return (t.hi - x) * (t.hi - x) / ((t.hi - t.lo) * (t.hi - t.mode))
	}
	return 1 - t.cdf(x)
}

func (t *triangular) partialMean(a, b float64) float64 {
	a, b = math.Max(a, t.lo), math.Min(b, t.hi)
	if !(a < b) {
		return 0
	}
	w := t.hi - t.lo
	var sum float64
	// Rising piece on [lo, mode], in t = x - lo: density 2t/(w·lw).
	if lw := t.mode - t.lo; lw > 0 && a < t.mode {
		ta, tb := a-t.lo, math.Min(b, t.mode)-t.lo
		mass := (tb*tb - ta*ta) / (w * lw)
		sum += t.lo*mass + 2*(tb*tb*tb-ta*ta*ta)/(3*w*lw)
	}
	// Falling piece on [mode, hi], in u = hi - x: density 2u/(w·rw).
	if rw := t.hi - t.mode; rw > 0 && b > t.mode {
		ua, ub := t.hi-math.Max(a, t.mode), t.hi-b
		mass := (ua*ua - ub*ub) / (w * rw)
		sum += t.hi*mass - 2*(ua*ua*ua-ub*ub*ub)/(3*w*rw)
	}
	return sum
}

func (t *triangular) Mean() float64             { return (t.lo + t.mode + t.hi) / 3 }
func (t *triangular) Support() (lo, hi float64) { return t.lo, t.hi }
func (t *triangular) String() string {
	return fmt.Sprintf("Triangular(%g, %g, %g)", t.lo, t.mode, t.hi)
}

// ------------------------------------------------------------ Beta / PERT

type beta struct {
	a, b   float64 // shape parameters
	lo, hi float64 // scaled support
	name   string  // String() output
}

// Beta returns the beta distribution with shape parameters a, b > 0 on
// [0, 1].
func Beta(a, b float64) (Dist, error) { return ScaledBeta(a, b, 0, 1) }

// ScaledBeta returns lo + (hi-lo)·Y with Y ~ Beta(a, b), a, b > 0 and
// finite lo < hi.
func ScaledBeta(a, b, lo, hi float64) (Dist, error) {
	if !(a > 0) || !(b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return nil, fmt.Errorf("uq: Beta(%g, %g): shape parameters must be positive and finite", a, b)
	}
	if !validBounded(lo, lo, hi) {
		return nil, fmt.Errorf("uq: Beta on [%g, %g]: need finite lo < hi", lo, hi)
	}
	name := fmt.Sprintf("Beta(%g, %g)", a, b)
	if lo != 0 || hi != 1 {
		name = fmt.Sprintf("Beta(%g, %g, %g, %g)", a, b, lo, hi)
	}
	return &beta{a: a, b: b, lo: lo, hi: hi, name: name}, nil
}

// PERTLambda is the weight of the mode in the beta-PERT distribution.
const PERTLambda = 4

// PERT returns the beta-PERT distribution on [lo, hi] with the given mode
// (λ = 4): a scaled Beta(1 + 4(mode-lo)/(hi-lo), 1 + 4(hi-mode)/(hi-lo)),
// whose mean is (lo + 4·mode + hi)/6.
func PERT(lo, mode, hi float64) (Dist, error) {
	if !validBounded(lo, mode, hi) {
		return nil, fmt.Errorf("uq: PERT(%g, %g, %g): need finite lo ≤ mode ≤ hi with lo < hi", lo, mode, hi)
	}
	w := hi - lo
	return &beta{
		a:    1 + PERTLambda*(mode-lo)/w,
		b:    1 + PERTLambda*(hi-mode)/w,
		lo:   lo,
		hi:   hi,
		name: fmt.Sprintf("PERT(%g, %g, %g)", lo, mode, hi),
	}, nil
}

func (d *beta) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	return d.quantile(p)
}
func (d *beta) scale(y float64) float64 { return clampTo(d.lo+(d.hi-d.lo)*y, d.lo, d.hi) }
func (d *beta) quantile(p float64) float64 {
	return d.scale(mathext.InvRegIncBeta(d.a, d.b, p))
}
func (d *beta) isf(q float64) float64 {
	return d.scale(1 - mathext.InvRegIncBeta(d.b, d.a, q))
}
func (d *beta) unit(x float64) float64 { return clamp01((x - d.lo) / (d.hi - d.lo)) }
func (d *beta) cdf(x float64) float64  { return mathext.RegIncBeta(d.a, d.b, d.unit(x)) }
func (d *beta) sf(x float64) float64   { return mathext.RegIncBeta(d.b, d.a, 1-d.unit(x)) }
func (d *beta) partialMean(a, b float64) float64 {
	// E[Y·1{ya<Y≤yb}] = a/(a+b) · (I_yb(a+1, b) − I_ya(a+1, b)).
	ya, yb := d.unit(a), d.unit(b)
	if !(ya < yb) {
		return 0
	}
	mass := mathext.RegIncBeta(d.a, d.b, yb) - mathext.RegIncBeta(d.a, d.b, ya)
	my := d.a / (d.a + d.b) * (mathext.RegIncBeta(d.a+1, d.b, yb) - mathext.RegIncBeta(d.a+1, d.b, ya))
	return d.lo*mass + (d.hi-d.lo)*my
}
func (d *beta) Mean() float64             { return d.lo + (d.hi-d.lo)*d.a/(d.a+d.b) }
func (d *beta) Support() (lo, hi float64) { return d.lo, d.hi }
func (d *beta) String() string            { return d.name }

// ----------------------------------------------------------------- Normal

type normal struct{ mu, sigma float64 }

// Normal returns the normal distribution with mean mu and standard
// deviation sigma > 0. Use [Truncate] to restrict it to an interval.
func Normal(mu, sigma float64) (Dist, error) {
	if !isFinite(mu) || !(sigma > 0) || math.IsInf(sigma, 0) {
		return nil, fmt.Errorf("uq: Normal(%g, %g): need finite mu and sigma > 0", mu, sigma)
	}
	return &normal{mu, sigma}, nil
}

// stdCDF and stdSF are Φ and 1−Φ, each accurate in its own tail.
func stdCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
func stdSF(z float64) float64  { return 0.5 * math.Erfc(z/math.Sqrt2) }
func stdPDF(z float64) float64 {
	if math.IsInf(z, 0) {
		return 0
	}
	return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
}

// stdMass returns P(za < Z ≤ zb) for a standard normal Z, using whichever
// tail keeps the difference accurate.
func stdMass(za, zb float64) float64 {
	if za > 0 {
		return stdSF(za) - stdSF(zb)
	}
	return stdCDF(zb) - stdCDF(za)
}

func (n *normal) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	return n.quantile(p)
}
func (n *normal) z(x float64) float64        { return (x - n.mu) / n.sigma }
func (n *normal) quantile(p float64) float64 { return n.mu + n.sigma*mathext.NormalQuantile(p) }
func (n *normal) isf(q float64) float64      { return n.mu - n.sigma*mathext.NormalQuantile(q) }
func (n *normal) cdf(x float64) float64      { return stdCDF(n.z(x)) }
func (n *normal) sf(x float64) float64       { return stdSF(n.z(x)) }
func (n *normal) Mean() float64              { return n.mu }
func (n *normal) Support() (lo, hi float64)  { return math.Inf(-1), math.Inf(1) }
func (n *normal) String() string             { return fmt.Sprintf("Normal(%g, %g)", n.mu, n.sigma) }
func (n *normal) partialMean(a, b float64) float64 {
	za, zb := n.z(a), n.z(b)
	return n.mu*stdMass(za, zb) + n.sigma*(stdPDF(za)-stdPDF(zb))
}

// -------------------------------------------------------------- LogNormal

type logNormal struct{ mu, sigma float64 }

// LogNormal returns the distribution of exp(Y) with Y ~ Normal(mu, sigma):
// mu and sigma > 0 are the mean and standard deviation of the logarithm.
// Its median is exp(mu) and its mean exp(mu + sigma²/2).
func LogNormal(mu, sigma float64) (Dist, error) {
	if !isFinite(mu) || !(sigma > 0) || math.IsInf(sigma, 0) {
		return nil, fmt.Errorf("uq: LogNormal(%g, %g): need finite mu and sigma > 0", mu, sigma)
	}
	return &logNormal{mu, sigma}, nil
}

// z90 is the 0.9 quantile of the standard normal distribution.
const z90 = 1.2815515655446004

// LogNormalFromMedianP90 returns the log-normal distribution with the given
// median and 90th percentile (0 < median < p90).
func LogNormalFromMedianP90(median, p90 float64) (Dist, error) {
	if !(median > 0) || !(p90 > median) || math.IsInf(p90, 0) {
		return nil, fmt.Errorf("uq: LogNormalFromMedianP90(%g, %g): need 0 < median < p90 < +Inf", median, p90)
	}
	return LogNormal(math.Log(median), (math.Log(p90)-math.Log(median))/z90)
}

// LogNormalFromMeanSD returns the log-normal distribution with the given
// mean > 0 and standard deviation sd > 0: sigma² = ln(1 + sd²/mean²) and
// mu = ln(mean) − sigma²/2.
func LogNormalFromMeanSD(mean, sd float64) (Dist, error) {
	if !(mean > 0) || !(sd > 0) || math.IsInf(mean, 0) || math.IsInf(sd, 0) {
		return nil, fmt.Errorf("uq: LogNormalFromMeanSD(%g, %g): need positive finite mean and sd", mean, sd)
	}
	r := sd / mean
	s2 := math.Log1p(r * r)
	return LogNormal(math.Log(mean)-s2/2, math.Sqrt(s2))
}

func (l *logNormal) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	return l.quantile(p)
}
func (l *logNormal) z(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return (math.Log(x) - l.mu) / l.sigma
}
func (l *logNormal) quantile(p float64) float64 {
	return math.Exp(l.mu + l.sigma*mathext.NormalQuantile(p))
}
func (l *logNormal) isf(q float64) float64 {
	return math.Exp(l.mu - l.sigma*mathext.NormalQuantile(q))
}
func (l *logNormal) cdf(x float64) float64 { return stdCDF(l.z(x)) }
func (l *logNormal) sf(x float64) float64  { return stdSF(l.z(x)) }
func (l *logNormal) partialMean(a, b float64) float64 {
	// E[X·1{a<X≤b}] = exp(mu+σ²/2)·P(za−σ < Z ≤ zb−σ).
	return math.Exp(l.mu+l.sigma*l.sigma/2) * stdMass(l.z(a)-l.sigma, l.z(b)-l.sigma)
}
func (l *logNormal) Mean() float64             { return math.Exp(l.mu + l.sigma*l.sigma/2) }
func (l *logNormal) Support() (lo, hi float64) { return 0, math.Inf(1) }
func (l *logNormal) String() string            { return fmt.Sprintf("LogNormal(%g, %g)", l.mu, l.sigma) }

// -------------------------------------------------------------- Truncated

type truncated struct {
	base     continuous
	lo, hi   float64 // effective support
	upper    bool    // work with the survival function (interval in the upper half)
	pa, mass float64 // CDF (or SF when upper) at lo, and probability of [lo, hi]
	mean     float64
}

// Truncate restricts a continuous distribution of this package (Uniform,
// Triangular, PERT, Beta, Normal, LogNormal or an already truncated one) to
// [lo, hi]; either bound may be infinite. The truncated quantile is exact:
// Quantile(p) = F⁻¹(F(lo) + p·(F(hi) − F(lo))), evaluated through the
// survival function when the interval lies in the upper tail so that no
// precision is lost to cancellation. The mean is computed in closed form. It
// is an error if the interval has (numerically) zero probability.
func Truncate(d Dist, lo, hi float64) (Dist, error) {
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("uq: Truncate(%v, %g, %g): need lo < hi", d, lo, hi)
	}
	if t, ok := d.(*truncated); ok {
		return Truncate(t.base, math.Max(lo, t.lo), math.Min(hi, t.hi))
	}
	c, ok := d.(continuous)
	if !ok {
		return nil, fmt.Errorf("uq: Truncate: %v is not a continuous distribution of this package", d)
	}
	slo, shi := c.Support()
	lo, hi = math.Max(lo, slo), math.Min(hi, shi)
	if !(lo < hi) {
		return nil, fmt.Errorf("uq: Truncate(%v): interval does not overlap the support [%g, %g]", d, slo, shi)
	}
	t := &truncated{base: c, lo: lo, hi: hi}
	if fa := c.cdf(lo); fa > 0.5 {
		t.upper = true
		t.pa = c.sf(lo)
		t.mass = t.pa - c.sf(hi)
	} else {
		t.pa = fa
		t.mass = c.cdf(hi) - fa
	}
	if !(t.mass > 0) {
		return nil, fmt.Errorf("uq: Truncate(%v, %g, %g): interval has zero probability", d, lo, hi)
	}
	t.mean = clampTo(c.partialMean(lo, hi)/t.mass, lo, hi)
	return t, nil
}

func (t *truncated) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	switch p {
	case 0:
		return t.lo
	case 1:
		return t.hi
	}
	var x float64
	if t.upper {
		x = t.base.isf(t.pa - p*t.mass)
	} else {
		x = t.base.quantile(t.pa + p*t.mass)
	}
	return clampTo(x, t.lo, t.hi)
}

func (t *truncated) Mean() float64             { return t.mean }
func (t *truncated) Support() (lo, hi float64) { return t.lo, t.hi }
func (t *truncated) String() string {
	return fmt.Sprintf("Truncated(%v, %g, %g)", t.base, t.lo, t.hi)
}

// --------------------------------------------------------------- Discrete

type discrete struct {
	values []float64 // sorted ascending, distinct, positive weight
	cum    []float64 // cumulative probabilities; cum[len-1] == 1
	mean   float64
}

// Discrete returns the distribution taking values[i] with probability
// proportional to weights[i]. Weights must be finite and non-negative with a
// positive sum; values must be finite. Duplicate values are merged and
// zero-weight values dropped. Quantile is a step function: the smallest
// value whose cumulative probability reaches p.
func Discrete(values, weights []float64) (Dist, error) {
	if len(values) == 0 || len(values) != len(weights) {
		return nil, fmt.Errorf("uq: Discrete: %d values and %d weights, need equal positive lengths", len(values), len(weights))
	}
	type vw struct{ v, w float64 }
	items := make([]vw, 0, len(values))
	var total float64
	for i, v := range values {
		w := weights[i]
		if !isFinite(v) {
			return nil, fmt.Errorf("uq: Discrete: value %d is %g, need finite", i, v)
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("uq: Discrete: weight %d is %g, need finite and ≥ 0", i, w)
		}
		if w > 0 {
			items = append(items, vw{v, w})
			total += w
		}
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, errors.New("uq: Discrete: weights must have a positive finite sum")
	}
	slices.SortStableFunc(items, func(x, y vw) int { return cmp.Compare(x.v, y.v) })
	d := &discrete{}
	var acc float64
	for i, it := range items {
		acc += it.w
		if i > 0 && it.v == d.values[len(d.values)-1] {
			d.cum[len(d.cum)-1] = acc / total
			continue
		}
		d.values = append(d.values, it.v)
		d.cum = append(d.cum, acc/total)
	}
	d.cum[len(d.cum)-1] = 1
	for _, it := range items {
		d.mean += it.v * (it.w / total)
	}
	return d, nil
}

func (d *discrete) Quantile(p float64) float64 {
	if !quantileArg(p) {
		return math.NaN()
	}
	i, _ := slices.BinarySearch(d.cum, p)
	return d.values[min(i, len(d.values)-1)]
}

func (d *discrete) Mean() float64 { return d.mean }
func (d *discrete) Support() (lo, hi float64) {
	return d.values[0], d.values[len(d.values)-1]
}
func (d *discrete) String() string {
	s := "Discrete("
	prev := 0.0
	for i, v := range d.values {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%g:%.4g", v, d.cum[i]-prev)
		prev = d.cum[i]
	}
	return s + ")"
}
