package output

import (
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// A run that ends in 2030Q2 marks 2030 as a partial year in its tables.
func TestPartialYearMarked(t *testing.T) {
	cal := sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2030, 4), sim.Quarterly)
	if got := YearLabel(cal, 2029); got != "2029" {
		t.Errorf("YearLabel(2029) = %q, want 2029", got)
	}
	if got := YearLabel(cal, 2030); got != "2030*" {
		t.Errorf("YearLabel(2030) = %q, want 2030*", got)
	}
	if got, want := PartialYearsNote(cal), "* partial year, 2030: the run covers 2030Q1 to 2030Q2 only\n"; got != want {
		t.Errorf("PartialYearsNote = %q, want %q", got, want)
	}
	whole := sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2035, 10), sim.Quarterly)
	if got := PartialYearsNote(whole); got != "" {
		t.Errorf("PartialYearsNote of whole years = %q, want empty", got)
	}
}
