package sim_test

import (
	"fmt"

	"github.com/chipsim/chipsim/sim"
)

// A date written as an end means the whole of what it names: a run whose
// time.end is 2030Q2 ends in June, part-way through 2030.
func ExampleCalendar_PartialLastYear() {
	start, _, _ := sim.ParseMonth("2028")
	end, _, _ := sim.ParseEnd("2030Q2")
	cal := sim.NewCalendar(start, end+1-sim.Month(sim.Quarterly), sim.Quarterly)
	fmt.Println(cal.Label(0), "to", cal.Label(cal.N-1), "ending", sim.Monthly.Label(cal.End()))
	fmt.Println("2029 whole:", cal.WholeYear(2029), "2030 whole:", cal.WholeYear(2030))
	fmt.Println("partial last year:", cal.PartialLastYear())
	// Output:
	// 2028Q1 to 2030Q2 ending 2030-06
	// 2029 whole: true 2030 whole: false
	// partial last year: true
}
