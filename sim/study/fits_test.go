package study_test

import (
	"strings"
	"testing"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/study"
)

// Summaries of a shard that names a slot the model lacks do not fit it:
// a merge refuses them instead of indexing past the model's slots.
func TestSummariesFits(t *testing.T) {
	s, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	n := m.Calendar().N
	if err := (&study.Summaries{Slots: []int{0, 1}, N: n}).Fits(m); err != nil {
		t.Errorf("Fits of good slots = %v, want nil", err)
	}
	if err := (&study.Summaries{Slots: []int{len(m.Slots())}, N: n}).Fits(m); err == nil || !strings.Contains(err.Error(), "summarise slot") {
		t.Errorf("Fits of a slot past the model = %v, want an error naming the slot", err)
	}
	if err := (&study.Summaries{Slots: []int{0}, N: n + 1}).Fits(m); err == nil || !strings.Contains(err.Error(), "periods") {
		t.Errorf("Fits of other periods = %v, want an error naming the periods", err)
	}
}
