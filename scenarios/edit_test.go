package scenarios

import (
	"strings"
	"testing"

	"github.com/chipsim/chipsim/sim"
)

// editedSource writes the baseline's file as Edits would make it: the
// event at index off removed, and a what-if event appended.
func editedSource(t *testing.T, off int, extra string) string {
	t.Helper()
	src, ok := ShippedSource("baseline")
	if !ok {
		t.Fatal("no shipped baseline")
	}
	s, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	ev := s.Events[off]
	lines := strings.Split(string(src), "\n")
	// The event's mapping runs from its line to the next event's (or the
	// end of the events list, the end of the file in the baseline).
	start := ev.Pos.Line - 1
	end := len(lines)
	if off+1 < len(s.Events) {
		end = s.Events[off+1].Pos.Line - 1
	}
	out := append(append([]string{}, lines[:start]...), lines[end:]...)
	return strings.Join(out, "\n") + extra
}

// TestEditMatchesFile: turning an event off and appending a what-if give
// the numbers of a file written that way, bit for bit.
func TestEditMatchesFile(t *testing.T) {
	s, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Events) < 3 {
		t.Fatalf("baseline has %d events", len(s.Events))
	}
	off := 2
	got, err := s.Edit(Edits{Off: map[int]bool{off: true}, Changes: []Change{{Path: "packaging.yield", Kind: "scale", Value: "0.9"}}})
	if err != nil {
		t.Fatal(err)
	}
	extra := "\n  - at: 2022Q1\n    name: what-if\n    source: test\n    scale: {packaging.yield: 0.9}\n"
	want, err := Parse("baseline.yaml", []byte(editedSource(t, off, extra)))
	if err != nil {
		t.Fatal(err)
	}
	if d := specDiff(got.Spec, want.Spec); d != "" {
		t.Fatalf("edited baseline differs from the file written that way: %s", d)
	}
	if len(got.Events) != len(s.Events) {
		t.Errorf("edited scenario has %d events, want %d (one off, one what-if)", len(got.Events), len(s.Events))
	}
	if specDiff(got.Spec, s.Spec) == "" {
		t.Error("the edit changed nothing")
	}
	if d := specDiff(s.Spec, mustLoad(t, "baseline").Spec); d != "" {
		t.Errorf("Edit changed the scenario it edits: %s", d)
	}
}

// TestEditMove: a moved event acts from its new start; moving it back
// gives the scenario again.
func TestEditMove(t *testing.T) {
	s := mustLoad(t, "baseline")
	var i int
	for i = range s.Events {
		if s.Events[i].AtDay.Day == 0 && !s.Events[i].HasEnd && s.Events[i].atMonths == nil {
			break
		}
	}
	ev := s.Events[i]
	cal := s.Spec.Calendar
	later := cal.Month(cal.Index(ev.At) + 4)
	m, err := s.Edit(Edits{At: map[int]sim.Month{i: later}})
	if err != nil {
		t.Fatal(err)
	}
	if specDiff(m.Spec, s.Spec) == "" {
		t.Fatalf("moving event %q a year later changed nothing", ev.Name)
	}
	back, err := m.Edit(Edits{At: map[int]sim.Month{i: ev.At}})
	if err != nil {
		t.Fatal(err)
	}
	if d := specDiff(back.Spec, s.Spec); d != "" {
		t.Errorf("moving %q back: %s", ev.Name, d)
	}
}

func TestEditErrors(t *testing.T) {
	s := mustLoad(t, "baseline")
	for _, tc := range []struct {
		e    Edits
		want string
	}{
		{Edits{Off: map[int]bool{999: true}}, "no event 999"},
		{Edits{At: map[int]sim.Month{0: sim.MonthOf(2040, 1)}}, "cannot start in 2040"},
		{Edits{Changes: []Change{{Path: "packaging.yeld", Kind: "scale", Value: "2"}}}, "packaging.yeld"},
		{Edits{Changes: []Change{{Path: "packaging.yield", Kind: "set", Value: "7"}}}, "packaging.yield"},
		{Edits{Changes: []Change{{Path: "packaging.yield", Kind: "add", Value: "1"}}}, "want set or scale"},
	} {
		if _, err := s.Edit(tc.e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Edit(%+v) error = %v, want one naming %q", tc.e, err, tc.want)
		}
	}
}

func mustLoad(t *testing.T, name string) *Scenario {
	t.Helper()
	s, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
