package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// Month counts calendar months since January of year 0: 2025-01 is 2025*12.
// Periods, launch dates and event dates are all expressed as Months so that
// quarterly, monthly and yearly steps share one calendar.
type Month int

// MonthOf returns the Month for a year and a month in 1..12.
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// Year returns the calendar year of m.
func (m Month) Year() int { return int(m) / 12 }

// MonthOfYear returns the month of m in 1..12.
func (m Month) MonthOfYear() int { return int(m)%12 + 1 }

// Step is the length of one simulation period in months: 1, 3 or 12.
type Step int

// Steps that a scenario may use.
const (
	Monthly   Step = 1
	Quarterly Step = 3
	Yearly    Step = 12
)

// PerYear returns the number of periods in a year.
func (s Step) PerYear() float64 { return 12 / float64(s) }

// String returns the name used in scenario files: month, quarter or year.
func (s Step) String() string {
	switch s {
	case Monthly:
		return "month"
	case Quarterly:
		return "quarter"
	case Yearly:
		return "year"
	}
	return fmt.Sprintf("Step(%d)", int(s))
}

// ParseStep parses month, quarter or year.
func ParseStep(s string) (Step, error) {
	switch s {
	case "month":
		return Monthly, nil
	case "quarter":
		return Quarterly, nil
	case "year":
		return Yearly, nil
	}
	return 0, fmt.Errorf("step %q: want month, quarter or year", s)
}

// Label formats m as a period label for step s: 2025Q3, 2025-07 or 2025.
func (s Step) Label(m Month) string {
	switch s {
	case Monthly:
		return fmt.Sprintf("%04d-%02d", m.Year(), m.MonthOfYear())
	case Yearly:
		return strconv.Itoa(m.Year())
	}
	return fmt.Sprintf("%04dQ%d", m.Year(), (m.MonthOfYear()-1)/3+1)
}

// Aligned reports whether m starts a period of step s.
func (s Step) Aligned(m Month) bool { return (int(m)%12)%int(s) == 0 }

// ParseMonth parses a date as written in scenario files: 2025Q3 (the first
// month of that quarter), 2025-07 or 2025 (January). It returns the first
// month the date names and the granularity it was written in. This is how a
// date written as a start (time.start, an event's at, a launch) is read;
// ParseEnd reads one written as an end.
func ParseMonth(s string) (Month, Step, error) {
	t := strings.TrimSpace(s)
	if i := strings.IndexAny(t, "Qq"); i > 0 {
		y, err1 := strconv.Atoi(t[:i])
		q, err2 := strconv.Atoi(t[i+1:])
		if err1 != nil || err2 != nil || q < 1 || q > 4 || len(t[:i]) != 4 {
			return 0, 0, fmt.Errorf("bad period %q: want YYYYQn, YYYY-MM or YYYY", s)
		}
		return MonthOf(y, 3*(q-1)+1), Quarterly, nil
	}
	if i := strings.IndexByte(t, '-'); i > 0 {
		y, err1 := strconv.Atoi(t[:i])
		mo, err2 := strconv.Atoi(t[i+1:])
		if err1 != nil || err2 != nil || mo < 1 || mo > 12 || len(t[:i]) != 4 {
			return 0, 0, fmt.Errorf("bad period %q: want YYYYQn, YYYY-MM or YYYY", s)
		}
		return MonthOf(y, mo), Monthly, nil
	}
	y, err := strconv.Atoi(t)
	if err != nil || len(t) != 4 {
		return 0, 0, fmt.Errorf("bad period %q: want YYYYQn, YYYY-MM or YYYY", s)
	}
	return MonthOf(y, 1), Yearly, nil
}

// ParseEnd parses a date written as the end of a span (time.end, an
// event's end, a product's end), which means the whole of what it names:
// 2030 ends with December 2030, 2030Q2 with June and 2030-07 with July,
// whatever the step of the run. It returns the last month the date names
// and the granularity it was written in.
func ParseEnd(s string) (Month, Step, error) {
	m, g, err := ParseMonth(s)
	if err != nil {
		return 0, 0, err
	}
	return m + Month(g) - 1, g, nil
}

// Calendar is the time axis of a run: N periods of Step months from Start.
type Calendar struct {
	Start Month
	Step  Step
	N     int
}

// NewCalendar returns the calendar from the period starting at start to the
// period starting at last, inclusive.
func NewCalendar(start, last Month, step Step) Calendar {
	return Calendar{Start: start, Step: step, N: (int(last)-int(start))/int(step) + 1}
}

// Month returns the first month of period t.
func (c Calendar) Month(t int) Month { return c.Start + Month(t*int(c.Step)) }

// Label returns the label of period t, such as 2025Q3.
func (c Calendar) Label(t int) string { return c.Step.Label(c.Month(t)) }

// Index returns the period that contains month m; it may be outside [0, N).
func (c Calendar) Index(m Month) int {
	d := int(m) - int(c.Start)
	if d < 0 {
		return -((-d + int(c.Step) - 1) / int(c.Step))
	}
	return d / int(c.Step)
}

// Year returns the calendar year of period t.
func (c Calendar) Year(t int) int { return c.Month(t).Year() }

// End returns the last month of the run: the last month of its last period.
func (c Calendar) End() Month { return c.Month(c.N-1) + Month(c.Step) - 1 }

// WholeYear reports whether the run covers every month of year y.
func (c Calendar) WholeYear(y int) bool {
	return c.N > 0 && c.Start <= MonthOf(y, 1) && c.End() >= MonthOf(y, 12)
}

// PartialFirstYear reports whether the run starts after January of its
// first year, as one from 2022Q3 does: that year's figures (flows summed
// over the year, for one) then cover only the periods in the run.
func (c Calendar) PartialFirstYear() bool {
	return c.N > 0 && !c.WholeYear(c.Start.Year())
}

// PartialLastYear reports whether the run ends before December of its last
// year, as one to 2030Q2 does: that year's figures then cover only the
// periods in the run, so tables and charts should mark the year.
func (c Calendar) PartialLastYear() bool {
	return c.N > 0 && !c.WholeYear(c.End().Year())
}

// Day is a calendar date: a Month and a day of that month (1..31).
type Day struct {
	Month Month
	Day   int
}

// ParseDay parses a date written YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("bad date %q: want YYYY-MM-DD", s)
	parts := strings.Split(t, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 2 || len(parts[2]) != 2 {
		return Day{}, bad
	}
	y, err1 := strconv.Atoi(parts[0])
	mo, err2 := strconv.Atoi(parts[1])
	d, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || mo < 1 || mo > 12 || d < 1 || d > DaysIn(MonthOf(y, mo)) {
		return Day{}, bad
	}
	return Day{Month: MonthOf(y, mo), Day: d}, nil
}

// DaysIn returns the number of days in month m (Gregorian calendar).
func DaysIn(m Month) int {
	switch m.MonthOfYear() {
	case 4, 6, 9, 11:
		return 30
	case 2:
		y := m.Year()
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

// daysBefore returns the days from the start of month a to the start of
// month b (b ≥ a).
func daysBefore(a, b Month) int {
	n := 0
	for m := a; m < b; m++ {
		n += DaysIn(m)
	}
	return n
}

// PeriodShare returns the share of period t of c that the dates from
// (inclusive) to through (inclusive) cover; a zero Day means the period's
// start or end.
func (c Calendar) PeriodShare(t int, from, through Day) float64 {
	start := c.Month(t)
	end := start + Month(c.Step) // exclusive
	total := daysBefore(start, end)
	lo, hi := 0, total // day offsets within the period, [lo, hi)
	if (from.Day > 0 && from.Month >= end) || (through.Day > 0 && through.Month < start) {
		return 0 // the dates begin after the period or end before it
	}
	if from.Day > 0 && from.Month >= start && from.Month < end {
		lo = daysBefore(start, from.Month) + from.Day - 1
	}
	if through.Day > 0 && through.Month >= start && through.Month < end {
		hi = daysBefore(start, through.Month) + through.Day
	}
	if hi <= lo {
		return 0
	}
	return float64(hi-lo) / float64(total)
}

// String formats a Day as YYYY-MM-DD.
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Month.Year(), d.Month.MonthOfYear(), d.Day)
}
