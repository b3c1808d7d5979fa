package tidy

import "testing"

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "-0.5": "-0.5", "+Inf": "+Inf", "@x": "'@x", "plain": "plain", "": ""} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
		if got := UnquoteCell(SafeCell(in)); got != in {
			t.Errorf("UnquoteCell(SafeCell(%q)) = %q", in, got)
		}
	}
}
