package scenarios_test

import (
	"fmt"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
)

func TestSweepGivenDesign(t *testing.T) {
	tests := []struct {
		given scenarios.SweepGiven
		want  string
		err   string
	}{
		{scenarios.SweepGiven{OAT: true}, "oat", ""},
		{scenarios.SweepGiven{OAT: true, Range: true}, "oat", ""},
		{scenarios.SweepGiven{Grid: true}, "grid", ""},
		{scenarios.SweepGiven{LHS: true, Seed: true}, "lhs", ""},
		{scenarios.SweepGiven{}, "", "sweep: choose a design: --oat, --grid NAME=LO:HI:N or --lhs N"},
		{scenarios.SweepGiven{Range: true}, "", "sweep: choose a design: --oat, --grid NAME=LO:HI:N or --lhs N"},
		{scenarios.SweepGiven{OAT: true, LHS: true}, "", "sweep: --oat and --lhs: choose one design"},
		{scenarios.SweepGiven{OAT: true, Grid: true, LHS: true}, "", "sweep: --oat and --grid and --lhs: choose one design"},
		{scenarios.SweepGiven{Grid: true, Range: true}, "", "--range: only with --oat"},
		{scenarios.SweepGiven{LHS: true, Range: true}, "", "--range: only with --oat"},
		{scenarios.SweepGiven{OAT: true, Seed: true}, "", "--seed: only with --lhs (the other designs draw nothing at random)"},
		{scenarios.SweepGiven{Grid: true, Range: true, Seed: true}, "", "--range: only with --oat"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.given), func(t *testing.T) {
			got, err := tt.given.Design()
			if gotErr := fmt.Sprint(err); (err != nil || tt.err != "") && gotErr != tt.err {
				t.Fatalf("%+v.Design() error = %v, want %q", tt.given, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("%+v.Design() = %q, want %q", tt.given, got, tt.want)
			}
		})
	}
}

func ExampleSweepGiven_Design() {
	design, err := scenarios.SweepGiven{Grid: true}.Design()
	fmt.Println(design, err)
	_, err = scenarios.SweepGiven{Grid: true, Seed: true}.Design()
	fmt.Println(err)
	// Output:
	// grid <nil>
	// --seed: only with --lhs (the other designs draw nothing at random)
}
