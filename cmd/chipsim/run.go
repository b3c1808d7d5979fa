package main

import (
	"fmt"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

type runOptions struct {
	out     string
	formats []string
	chart   chartOptions
}

func newRunCmd(a *app) *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run SCENARIO...",
		Short: "Run scenarios: print headline ratios by year, write tidy CSV and a JSON summary",
		Long: `Run one or more scenarios, each a shipped name (see chipsim list) or a path to a
YAML file. For each, print the headline ratios by year and write to the output folder:
  NAME.csv   every metric, period and entity as tidy long CSV
             (scenario, period, metric, entity, value, unit)
  NAME.json  a summary: headline metrics by year with their definitions, binding
             constraints, the policy timeline, the product catalogue
With --charts, also every chart as NAME-CHART.png (or --chart-format svg,pdf), 16 x 9 cm
at 300 dpi by default.
Files are written atomically: a reader never sees half a file.`,
		Example: `  chipsim run baseline
  chipsim run baseline h200-blocked -o results --format csv
  chipsim run ./my-scenario.yaml`,
		Args:              argsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return runScenarios(a, args, o)
		},
	}
	c.Flags().StringVarP(&o.out, "out", "o", "out", "`folder` to write results to")
	stringsFlag(c.Flags(), &o.formats, "format", []string{"csv", "json"}, "`files` to write: csv, json (comma-separated); none for the table only")
	chartFlags(c, &o.chart, false)
	return c
}

func runScenarios(a *app, refs []string, o runOptions) error {
	files, err := output.ParseRunFiles(o.formats)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if files.Charts, err = o.chart.drawing(); err != nil {
		return err
	}
	loaded, err := a.loadAll(refs)
	if err != nil {
		return err
	}
	ran := make([]*output.Run, len(loaded)) // every run, before anything is written
	for i, s := range loaded {
		if ran[i], err = execute(s); err != nil {
			return err
		}
	}
	// One bundle for every scenario: all their files appear together.
	b := o.chart.bundle(o.out)
	defer b.Abort()
	for i, res := range ran {
		if !a.quiet {
			if i > 0 {
				fmt.Fprintln(a.stdout)
			}
			if err := output.WriteTable(a.stdout, res); err != nil {
				return err
			}
		}
		if err := output.WriteRun(b, res, files, chipsimVersion()); err != nil {
			return err
		}
	}
	return a.done(b, nil)
}

// execute compiles and runs a scenario and returns its results with what
// outputs need to describe them.
func execute(s *scenarios.Scenario) (*output.Run, error) {
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	r := m.NewResult()
	m.Run(r)
	if err := r.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: the run failed: %w", s.Name, err)
	}
	run := &output.Run{Scenario: s.Name, Description: s.Description, Chain: s.Chain, Events: events(s), Result: r}
	for _, p := range s.Spec.Products {
		run.Products = append(run.Products, output.Product{ID: p.ID, Vendor: p.Vendor, Origin: p.Origin})
	}
	return run, nil
}

// events lists a scenario's policy timeline for reports.
func events(s *scenarios.Scenario) []output.Event {
	var out []output.Event
	cal := s.Spec.Calendar
	for _, e := range s.Events {
		out = append(out, output.Event{Period: cal.Step.Label(e.At), Name: e.Name, Source: e.Source, Where: e.Pos.String()})
	}
	return out
}
