package uq

import (
	"math"
	"slices"
	"testing"
)

// icSample returns an n×4 sample with assorted marginals (normal,
// log-normal, PERT and a discrete one with many ties), from an LHS.
func icSample(t testing.TB, n int) []float64 {
	t.Helper()
	p, err := LatinHypercube(n, 4, newRand(99))
	if err != nil {
		t.Fatal(err)
	}
	nd, _ := Normal(5, 2)
	ln, _ := LogNormal(1, 1)
	pe, _ := PERT(0, 3, 10)
	ds, _ := Discrete([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	dists := []Dist{nd, ln, pe, ds}
	x := p.Data()
	for i := range n {
		for j, d := range dists {
			x[i*4+j] = d.Quantile(x[i*4+j])
		}
	}
	return x
}

func columnsSorted(x []float64, d int) [][]float64 {
	cols := make([][]float64, d)
	for i := 0; i < len(x); i += d {
		for j := range d {
			cols[j] = append(cols[j], x[i+j])
		}
	}
	for _, c := range cols {
		slices.Sort(c)
	}
	return cols
}

func TestImanConover(t *testing.T) {
	target := []float64{
		1, 0.7, -0.4, 0,
		0.7, 1, -0.2, 0.3,
		-0.4, -0.2, 1, 0.5,
		0, 0.3, 0.5, 1,
	}
	const n, d = 2000, 4
	x := icSample(t, n)
	before := columnsSorted(x, d)
	if err := ImanConover(x, d, target, newRand(1)); err != nil {
		t.Fatal(err)
	}
	after := columnsSorted(x, d)
	for j := range d {
		if !slices.Equal(before[j], after[j]) {
			t.Errorf("ImanConover changed the multiset of column %d", j)
		}
	}
	rho, err := SpearmanMatrix(x, d)
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for a := range d {
		for b := range d {
			diff := math.Abs(rho[a*d+b] - target[a*d+b])
			worst = math.Max(worst, diff)
			// Column 3 is discrete with 10 tied levels, which caps the
			// attainable rank correlation slightly; 0.05 covers it.
			if diff > 0.05 {
				t.Errorf("Spearman(x)[%d][%d] = %.4f, want %.4f ± 0.05", a, b, rho[a*d+b], target[a*d+b])
			}
		}
	}
	t.Logf("ImanConover n=%d: max |Spearman − target| = %.4f", n, worst)

	// Continuous marginals only: the induced rank correlation is much
	// closer, thanks to the exact sample decorrelation and the
	// Spearman→Pearson conversion.
	y := icSample(t, n)
	for i := range n {
		y[i*d+3] = float64(i) // distinct values
	}
	if err := ImanConover(y, d, target, newRand(2)); err != nil {
		t.Fatal(err)
	}
	rho, _ = SpearmanMatrix(y, d)
	for a := range d {
		for b := range d {
			if diff := math.Abs(rho[a*d+b] - target[a*d+b]); diff > 0.015 {
				t.Errorf("continuous: Spearman(y)[%d][%d] = %.4f, want %.4f ± 0.015", a, b, rho[a*d+b], target[a*d+b])
			}
		}
	}

	// Deterministic given the generator's state.
	u, v := icSample(t, 300), icSample(t, 300)
	_ = ImanConover(u, d, target, newRand(5))
	_ = ImanConover(v, d, target, newRand(5))
	if !slices.Equal(u, v) {
		t.Error("ImanConover with equal seeds gave different orders, want identical")
	}
}

func TestImanConoverErrors(t *testing.T) {
	x := icSample(t, 50)
	tests := []struct {
		name   string
		x      []float64
		d      int
		target []float64
		nilRng bool
	}{
		{"not PD", x[:150], 3, []float64{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}, false},
		{"asymmetric", x[:100], 2, []float64{1, 0.5, 0.4, 1}, false},
		{"diagonal", x[:100], 2, []float64{0.9, 0.5, 0.5, 0.9}, false},
		{"entry > 1", x[:100], 2, []float64{1, 1.5, 1.5, 1}, false},
		{"NaN", x[:100], 2, []float64{1, math.NaN(), math.NaN(), 1}, false},
		{"wrong size", x[:100], 2, []float64{1, 0, 0}, false},
		{"ragged", x[:101], 2, []float64{1, 0, 0, 1}, false},
		{"too few rows", x[:4], 2, []float64{1, 0, 0, 1}, false},
		{"nil rand", x[:100], 2, []float64{1, 0, 0, 1}, true},
	}
	for _, tc := range tests {
		rng := newRand(1)
		if tc.nilRng {
			rng = nil
		}
		xc := slices.Clone(tc.x)
		if err := ImanConover(xc, tc.d, tc.target, rng); err == nil {
			t.Errorf("ImanConover(%s) error = nil, want an error", tc.name)
		}
	}
}

func TestSpearmanMatrix(t *testing.T) {
	// Columns: x, x² (monotone on x ≥ 0: ρ = 1), −x (ρ = −1), ties.
	x := []float64{
		0, 0, 0, 0,
		1, 1, -1, 0,
		2, 4, -2, 1,
		3, 9, -3, 2,
	}
	rho, err := SpearmanMatrix(x, 4)
	if err != nil {
		t.Fatal(err)
	}
	// Average ranks of column 3 are 1.5, 1.5, 3, 4 → Pearson with 1..4 is
	// 4.5/√22.5 = 0.9487.
	want := map[[2]int]float64{{0, 1}: 1, {0, 2}: -1, {0, 3}: 4.5 / math.Sqrt(22.5), {3, 3}: 1}
	for k, w := range want {
		if got := rho[k[0]*4+k[1]]; !near(got, w, 1e-12) {
			t.Errorf("SpearmanMatrix[%d][%d] = %g, want %g", k[0], k[1], got, w)
		}
	}
}

func BenchmarkImanConover(b *testing.B) {
	target := []float64{1, 0.5, 0.2, 0.5, 1, 0.1, 0.2, 0.1, 1}
	p, _ := LatinHypercube(10000, 3, newRand(1))
	x := p.Data()
	b.ReportAllocs()
	for b.Loop() {
		if err := ImanConover(x, 3, target, newRand(1)); err != nil {
			b.Fatal(err)
		}
	}
}
