package outcome_test

import (
	"fmt"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/chipsim/chipsim/sim/outcome"
)

func Example() {
	s, err := scenarios.Load("baseline")
	if err != nil {
		panic(err)
	}
	m, err := s.Model()
	if err != nil {
		panic(err)
	}
	os, err := outcome.ParseList([]string{
		"ai.ssr_compute@2030",
		"product.units[ascend_910c] @ 2026Q3",
		"first(ai.ssr_units >= .5 from 2026)",
		"mean(ai.ssr_units, 2026..2030)",
	}, m)
	if err != nil {
		panic(err)
	}
	r := m.NewResult()
	m.Run(r) // in Monte Carlo: once per draw, then Eval every outcome
	for _, o := range os {
		v := o.Eval(r)
		_ = o.Format(v) // "2028Q3", "never", "0.4321", ...
		fmt.Printf("%s [%s]\n", o, o.Unit())
	}

	_, err = outcome.Parse("ai.ssr_compte@2030", m)
	fmt.Println(err)
	// Output:
	// ai.ssr_compute@2030 [ratio]
	// product.units[ascend_910c]@2026Q3 [units]
	// first(ai.ssr_units >= 0.5 from 2026) [year]
	// mean(ai.ssr_units, 2026..2030) [ratio]
	// outcome "ai.ssr_compte@2030": unknown metric ai.ssr_compte (did you mean ai.ssr_compute?)
}
