package sim_test

import (
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
