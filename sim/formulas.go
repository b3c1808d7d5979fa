package sim

import "math"

// GrossDies returns the whole dies of area mm² that fit on a wafer of the
// given diameter (mm) less an edge exclusion (mm), by the standard formula
//
//	DPW = π (d/2)² / A − π d / √(2A)
//
// with d the usable diameter. It returns 0 when no die fits.
func GrossDies(area, diameter, edge float64) float64 {
	d := diameter - 2*edge
	if area <= 0 || d <= 0 {
		return 0
	}
	n := math.Pi*d*d/(4*area) - math.Pi*d/math.Sqrt(2*area)
	if n < 0 {
		return 0
	}
	return math.Floor(n)
}

// PoissonYield returns exp(−A·D0), the share of dies of area mm² free of
// killer defects at density d0 per cm².
func PoissonYield(area, d0 float64) float64 { return math.Exp(-area / 100 * d0) }

// MurphyYield returns Murphy's yield ((1 − exp(−A·D0)) / (A·D0))² for a die
// of area mm² at defect density d0 per cm².
func MurphyYield(area, d0 float64) float64 {
	ad := area / 100 * d0
	if ad < 1e-12 {
		return 1
	}
	y := -math.Expm1(-ad) / ad
	return y * y
}

// Yield applies the yield model coded by model (Poisson or Murphy).
func Yield(model int, area, d0 float64) float64 {
	if model == Murphy {
		return MurphyYield(area, d0)
	}
	return PoissonYield(area, d0)
}

// LearnedDefectDensity applies Wright's law to a defect density: each
// doubling of cumulative wafers multiplies it by rate, and it never falls
// below floor. from and to are cumulative wafers before and after.
func LearnedDefectDensity(d0, rate, floor, from, to float64) float64 {
	if d0 == floor && rate < 1 {
		return floor // at the floor, learning can only push below it (the factor is at most 1)
	}
	if to > from && from > 0 && rate != 1 {
		d0 *= math.Exp(math.Log(to/from) * math.Log2(rate))
	}
	return math.Max(d0, floor)
}
