package sim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

func day(t *testing.T, s string) sim.Day {
	t.Helper()
	d, err := sim.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseDay(t *testing.T) {
	d := day(t, "2024-02-29")
	if d.Month != sim.MonthOf(2024, 2) || d.Day != 29 {
		t.Errorf("ParseDay(2024-02-29) = %+v", d)
	}
	for _, bad := range []string{"2023-02-29", "2025-04-31", "2025-13-01", "2025-4-14", "2025-04-00", "25-04-14", "2025Q2", ""} {
		if _, err := sim.ParseDay(bad); err == nil {
			t.Errorf("ParseDay(%q) accepted", bad)
		}
	}
}

// TestPeriodShare counts days at each step, across a leap day, and for
// dates that begin after or end before the period.
func TestPeriodShare(t *testing.T) {
	none := sim.Day{}
	tests := []struct {
		name          string
		step          sim.Step
		start         sim.Month // the period
		from, through string    // "" for the period's own start or end
		want          float64
	}{
		{"quarter from a day", sim.Quarterly, sim.MonthOf(2025, 4), "2025-04-14", "", 78.0 / 91},
		{"quarter through a day", sim.Quarterly, sim.MonthOf(2025, 4), "", "2025-04-14", 14.0 / 91},
		{"quarter from its first day", sim.Quarterly, sim.MonthOf(2025, 4), "2025-04-01", "", 1},
		{"quarter through its last day", sim.Quarterly, sim.MonthOf(2025, 4), "", "2025-06-30", 1},
		{"quarter, a span inside", sim.Quarterly, sim.MonthOf(2025, 4), "2025-05-01", "2025-05-31", 31.0 / 91},
		{"leap quarter", sim.Quarterly, sim.MonthOf(2024, 1), "2024-02-29", "", (1.0 + 31) / 91},
		{"plain quarter", sim.Quarterly, sim.MonthOf(2023, 1), "2023-03-01", "", 31.0 / 90},
		{"month", sim.Monthly, sim.MonthOf(2025, 4), "2025-04-14", "", 17.0 / 30},
		{"leap February", sim.Monthly, sim.MonthOf(2024, 2), "2024-02-15", "", 15.0 / 29},
		{"year", sim.Yearly, sim.MonthOf(2025, 1), "2025-04-14", "", (365.0 - 31 - 28 - 31 - 13) / 365},
		{"leap year", sim.Yearly, sim.MonthOf(2024, 1), "2024-12-31", "", 1.0 / 366},
		{"from after the period", sim.Quarterly, sim.MonthOf(2025, 4), "2025-07-01", "", 0},
		{"through before the period", sim.Quarterly, sim.MonthOf(2025, 4), "", "2025-03-31", 0},
		{"from before the period", sim.Quarterly, sim.MonthOf(2025, 4), "2025-01-15", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := sim.NewCalendar(tt.start, tt.start, tt.step)
			from, through := none, none
			if tt.from != "" {
				from = day(t, tt.from)
			}
			if tt.through != "" {
				through = day(t, tt.through)
			}
			if got := cal.PeriodShare(0, from, through); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("PeriodShare(%s, %q, %q) = %v, want %v", cal.Label(0), tt.from, tt.through, got, tt.want)
			}
		})
	}
}

// TestParseEnd checks that a date written as an end means the whole of
// what it names, and one written as a start its first month.
func TestParseEnd(t *testing.T) {
	tests := []struct {
		in          string
		first, last sim.Month
		gran        sim.Step
	}{
		{"2030", sim.MonthOf(2030, 1), sim.MonthOf(2030, 12), sim.Yearly},
		{"2030Q2", sim.MonthOf(2030, 4), sim.MonthOf(2030, 6), sim.Quarterly},
		{"2032Q4", sim.MonthOf(2032, 10), sim.MonthOf(2032, 12), sim.Quarterly},
		{"2030-07", sim.MonthOf(2030, 7), sim.MonthOf(2030, 7), sim.Monthly},
	}
	for _, tt := range tests {
		first, g1, err1 := sim.ParseMonth(tt.in)
		last, g2, err2 := sim.ParseEnd(tt.in)
		if err1 != nil || err2 != nil {
			t.Fatalf("ParseMonth(%q), ParseEnd(%q) errors = %v, %v", tt.in, tt.in, err1, err2)
		}
		if first != tt.first || g1 != tt.gran {
			t.Errorf("ParseMonth(%q) = %s, %v, want %s, %v", tt.in, sim.Monthly.Label(first), g1, sim.Monthly.Label(tt.first), tt.gran)
		}
		if last != tt.last || g2 != tt.gran {
			t.Errorf("ParseEnd(%q) = %s, %v, want %s, %v", tt.in, sim.Monthly.Label(last), g2, sim.Monthly.Label(tt.last), tt.gran)
		}
	}
	if _, _, err := sim.ParseEnd("2030Q5"); err == nil || err.Error() != `bad period "2030Q5": want YYYYQn, YYYY-MM or YYYY` {
		t.Errorf("ParseEnd(2030Q5) error = %v, want bad period", err)
	}
}

// TestCalendarYears checks End, WholeYear and the partial first and last
// years of runs at each step.
func TestCalendarYears(t *testing.T) {
	tests := []struct {
		name                      string
		cal                       sim.Calendar
		end                       string
		partialFirst, partialLast bool
		whole                     []int
	}{
		{"quarters, whole years", sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2030, 10), sim.Quarterly), "2030-12", false, false, []int{2022, 2030}},
		{"quarters to 2030Q2", sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2030, 4), sim.Quarterly), "2030-06", false, true, []int{2022, 2029}},
		{"quarters from 2022Q3", sim.NewCalendar(sim.MonthOf(2022, 7), sim.MonthOf(2030, 10), sim.Quarterly), "2030-12", true, false, []int{2023, 2030}},
		{"months to November", sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2030, 11), sim.Monthly), "2030-11", false, true, []int{2022, 2029}},
		{"months, whole years", sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2032, 12), sim.Monthly), "2032-12", false, false, []int{2022, 2032}},
		{"years", sim.NewCalendar(sim.MonthOf(2022, 1), sim.MonthOf(2030, 1), sim.Yearly), "2030-12", false, false, []int{2022, 2030}},
		{"inside one year", sim.NewCalendar(sim.MonthOf(2030, 4), sim.MonthOf(2030, 7), sim.Quarterly), "2030-09", true, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cal
			if got := sim.Monthly.Label(c.End()); got != tt.end {
				t.Errorf("End() = %s, want %s", got, tt.end)
			}
			if got := c.PartialFirstYear(); got != tt.partialFirst {
				t.Errorf("PartialFirstYear() = %v, want %v", got, tt.partialFirst)
			}
			if got := c.PartialLastYear(); got != tt.partialLast {
				t.Errorf("PartialLastYear() = %v, want %v", got, tt.partialLast)
			}
			var whole []int
			for y := c.Start.Year() - 1; y <= c.End().Year()+1; y++ {
				if c.WholeYear(y) {
					whole = append(whole, y)
				}
			}
			if len(whole) > 0 {
				whole = []int{whole[0], whole[len(whole)-1]}
			}
			if fmt.Sprint(whole) != fmt.Sprint(tt.whole) {
				t.Errorf("first and last whole years = %v, want %v", whole, tt.whole)
			}
		})
	}
	var zero sim.Calendar
	if zero.PartialFirstYear() || zero.PartialLastYear() || zero.WholeYear(2030) {
		t.Errorf("the zero Calendar has a partial or whole year")
	}
}
