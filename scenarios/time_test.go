package scenarios

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// Tests of the one rule for dates: written as a start (time.start, an
// event's at), a year or quarter means its first period; written as an end
// (time.end, an event's end, a product's end), the whole of it, whatever
// the step of the run.

// TestTimeEnd checks the run's first and last periods for each way of
// writing time.start and time.end.
func TestTimeEnd(t *testing.T) {
	tests := []struct {
		time        string // the time line, for a scenario extending the baseline
		first, last string
		n           int
		partialLast bool
	}{
		{"{start: 2022Q1, end: 2030, step: quarter}", "2022Q1", "2030Q4", 36, false},
		{"{start: 2022Q1, end: 2030Q4, step: quarter}", "2022Q1", "2030Q4", 36, false},
		{"{start: 2022Q1, end: 2030-12, step: quarter}", "2022Q1", "2030Q4", 36, false},
		{"{start: 2022Q1, end: 2030Q2, step: quarter}", "2022Q1", "2030Q2", 34, true},
		{"{start: 2022, end: 2030, step: quarter}", "2022Q1", "2030Q4", 36, false},
		{"{start: 2022Q1, end: 2032Q4, step: month}", "2022-01", "2032-12", 132, false},
		{"{start: 2022Q1, end: 2030, step: month}", "2022-01", "2030-12", 108, false},
		{"{start: 2022-01, end: 2030-11, step: month}", "2022-01", "2030-11", 107, true},
	}
	for _, tt := range tests {
		t.Run(tt.time, func(t *testing.T) {
			s := parseDated(t, "time: "+tt.time+"\n")
			cal := s.Spec.Calendar
			if got, want := fmt.Sprintf("%s..%s (%d)", cal.Label(0), cal.Label(cal.N-1), cal.N), fmt.Sprintf("%s..%s (%d)", tt.first, tt.last, tt.n); got != want {
				t.Errorf("time: %s runs %s, want %s", tt.time, got, want)
			}
			if got := cal.PartialLastYear(); got != tt.partialLast {
				t.Errorf("time: %s: PartialLastYear() = %v, want %v", tt.time, got, tt.partialLast)
			}
		})
	}
}

// TestTimeEndYearly checks a yearly run, on the flat baseline (its
// schedule keys are all years): time.end 2030Q4 ends the year 2030.
func TestTimeEndYearly(t *testing.T) {
	for _, end := range []string{"2030", "2030Q4", "2030-12"} {
		src := flatScenario(t, "time: {start: 2022, end: "+end+", step: year}")
		s, err := Parse("flat.yaml", []byte(src))
		if err != nil {
			t.Fatalf("Parse(flat, end %s) error = %v", end, err)
		}
		cal := s.Spec.Calendar
		if got := cal.Label(0) + ".." + cal.Label(cal.N-1); got != "2022..2030" {
			t.Errorf("time.end %s in a yearly run: runs %s, want 2022..2030", end, got)
		}
	}
}

// TestTimeErrors checks the messages and positions of time blocks refused.
func TestTimeErrors(t *testing.T) {
	tests := []struct {
		time string
		want string
	}{
		{"{start: 2022Q1, end: 2030-11, step: quarter}", "t.yaml:2:28: time.end: 2030-11 does not end a quarter"},
		{"{start: 2022Q2, end: 2030, step: month}", ""},
		{"{start: 2022-02, end: 2030, step: quarter}", "t.yaml:2:15: time.start: 2022-02 does not start a quarter"},
		{"{start: 2022Q3, end: 2022Q2, step: quarter}", "t.yaml:2:28: time.end: 2022Q2 is before time.start 2022Q3"},
		{"{start: 2022Q1, end: 2021, step: quarter}", "t.yaml:2:28: time.end: 2021 is before time.start 2022Q1"},
		{"{start: 2022Q1, end: 2030Q5, step: quarter}", `t.yaml:2:28: time.end: "2030Q5" is not a period: want 2025Q3, 2025-07 or 2025`},
	}
	for _, tt := range tests {
		t.Run(tt.time, func(t *testing.T) {
			src := "extends: baseline\ntime: " + tt.time + "\n"
			_, err := Parse("t.yaml", []byte(src))
			if tt.want == "" {
				if err != nil {
					t.Errorf("Parse(%q) error = %v, want nil", src, err)
				}
				return
			}
			if got := errText(err); got != tt.want {
				t.Errorf("Parse(%q) error =\n%s\nwant\n%s", src, got, tt.want)
			}
		})
	}
	// A yearly run cannot end part-way through a year.
	src := flatScenario(t, "time: {start: 2022, end: 2030Q2, step: year}")
	_, err := Parse("flat.yaml", []byte(src))
	if got, want := errText(err), "flat.yaml:2:26: time.end: 2030Q2 does not end a year"; got != want {
		t.Errorf("Parse(flat, end 2030Q2 by year) error = %s, want %s", got, want)
	}
}

// TestEndMeansWhole checks that an event's end and a product's end follow
// the rule time.end does, in quarterly and monthly runs.
func TestEndMeansWhole(t *testing.T) {
	for _, step := range []string{"quarter", "month"} {
		t.Run(step, func(t *testing.T) {
			s := parseDated(t, "time: {start: 2022Q1, end: 2030, step: "+step+"}\n"+
				"products:\n  H800:\n    end: 2027\n"+
				"events:\n  - at: 2027Q1\n    end: 2027\n    source: test\n    set: {grey.cloud_h100e: 1}\n")
			if got, want := productOf(t, s.Spec, "H800").End, sim.MonthOf(2027, 12); got != want {
				t.Errorf("products.H800.end 2027 = %s, want %s", sim.Monthly.Label(got), sim.Monthly.Label(want))
			}
			cal := s.Spec.Calendar
			last := cal.Index(sim.MonthOf(2027, 12)) // the last period of 2027
			got := paramSeries(t, s, "grey.cloud_h100e", last, last+1)
			if got[0] != 1 || got[1] == 1 {
				t.Errorf("event to 2027: grey.cloud_h100e in %s, %s = %v, want 1 then the baseline's", cal.Label(last), cal.Label(last+1), got)
			}
		})
	}
}

func productOf(t *testing.T, spec *sim.Spec, id string) *sim.Product {
	t.Helper()
	for i := range spec.Products {
		if spec.Products[i].ID == id {
			return &spec.Products[i]
		}
	}
	t.Fatalf("no product %s; have %s", id, strings.Join(productIDs(spec), ", "))
	return nil
}

func productIDs(spec *sim.Spec) []string {
	var out []string
	for _, p := range spec.Products {
		out = append(out, p.ID)
	}
	return out
}
