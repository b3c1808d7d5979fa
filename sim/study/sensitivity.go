package study

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/uq"
)

// Sensitivity says how to rank a problem's inputs by their influence on
// outcomes: Sobol indices on a Saltelli design, or Morris elementary
// effects.
type Sensitivity struct {
	Method string // Sobol or Morris
	// Outcomes are the outcomes' expressions (sim/outcome); PerPeriod, if
	// set, adds a metric's value in every year of the run (Sobol).
	Outcomes  []string
	PerPeriod string
	N         int     // Sobol: the base sample N; Morris: the trajectories r
	Levels    int     // Morris: grid levels p (even)
	Seed      uint64  // the design's seed; bootstrap resamples use (Seed, 1+k)
	Bootstrap int     // Sobol: bootstrap resamples for the intervals
	Level     float64 // Sobol: the intervals' confidence level
	// UntilCI, if positive, doubles N (up to MaxN) until every Sobol
	// interval of the first Main outcomes is narrower than it.
	UntilCI float64
	MaxN    int
	Main    int // the outcomes asked for; later ones (per year, say) do not steer UntilCI
	Options     // workers, shard, progress
	// Round, if set, is called before each round of runs with its plan
	// and the runs of this shard.
	Round func(p *Plan, runs int)
}

// SensitivityResult is what a sensitivity analysis found.
type SensitivityResult struct {
	Plan   *Plan
	Table  *Table             // this shard's outcomes; the whole plan's when unsharded
	Sobol  []*uq.SobolResult  // per outcome; nil where the outcome does not vary
	Morris []*uq.MorrisResult // per outcome
	// Width is the widest Sobol interval of the first Main outcomes.
	Width float64
	// Flat lists the outcomes that are the same in every run: no input
	// changes them (history before the inputs act, say).
	Flat []int
	// Inert lists, per outcome, the inputs that never change it.
	Inert [][]int
}

// Check reports settings that cannot run. A zero N becomes the default:
// 512 for Sobol, 40 trajectories for Morris.
func (s *Sensitivity) Check() error {
	if s.N == 0 {
		s.N = map[string]int{Sobol: 512, Morris: 40}[s.Method]
	}
	switch {
	case s.PerPeriod != "" && s.Method != Sobol:
		return errors.New("study: indices per period need the Sobol method")
	case s.Method != Sobol && s.Method != Morris:
		return fmt.Errorf("study: method %q: want sobol or morris", s.Method)
	case s.N < 2:
		return fmt.Errorf("study: N = %d: want at least 2", s.N)
	case s.Method == Sobol && (s.Bootstrap < 10 || !(s.Level > 0 && s.Level < 1)):
		return fmt.Errorf("study: want at least 10 bootstrap resamples and a level in (0, 1)")
	case s.UntilCI < 0 || (s.UntilCI > 0 && s.Shards > 1):
		return fmt.Errorf("study: UntilCI must be ≥ 0, and cannot be sharded: it decides N from the results")
	}
	return nil
}

// Parse compiles the outcomes against m: those asked for, then PerPeriod
// in each year of the run (returned in years).
func (s *Sensitivity) Parse(m *sim.Model) (outs []*outcome.Outcome, years []int, err error) {
	if len(s.Outcomes) == 0 && s.PerPeriod == "" {
		return nil, nil, errors.New("study: want at least one outcome, such as ai.ssr_compute@2030, or a metric per period")
	}
	exprs := append([]string{}, s.Outcomes...)
	if s.PerPeriod != "" {
		cal := m.Calendar()
		for t := 0; t < cal.N; t++ {
			if y := cal.Year(t); len(years) == 0 || years[len(years)-1] != y {
				years = append(years, y)
				exprs = append(exprs, fmt.Sprintf("%s@%d", s.PerPeriod, y))
			}
		}
	}
	s.Main = len(s.Outcomes)
	outs, err = outcome.ParseList(exprs, m)
	return outs, years, err
}

// Settings records what defines the analysis's results, for shards to
// carry: method, outcomes, sizes, seed and the intervals' settings.
func (s *Sensitivity) Settings() map[string]string {
	return map[string]string{"method": s.Method, "n": strconv.Itoa(s.N), "levels": strconv.Itoa(s.Levels),
		"seed": strconv.FormatUint(s.Seed, 10), "bootstrap": strconv.Itoa(s.Bootstrap), "level": strconv.FormatFloat(s.Level, 'g', -1, 64),
		"outcomes": strings.Join(s.Outcomes, "\x00"), "per_period": s.PerPeriod}
}

// SensitivityFromSettings rebuilds an analysis from its Settings.
func SensitivityFromSettings(set map[string]string) (Sensitivity, error) {
	s := Sensitivity{Method: set["method"], PerPeriod: set["per_period"]}
	if set["outcomes"] != "" {
		s.Outcomes = strings.Split(set["outcomes"], "\x00")
	}
	var errs []error
	atoi := func(k string) int { v, err := strconv.Atoi(set[k]); errs = append(errs, err); return v }
	s.N, s.Levels, s.Bootstrap = atoi("n"), atoi("levels"), atoi("bootstrap")
	var err1, err2 error
	s.Seed, err1 = strconv.ParseUint(set["seed"], 10, 64)
	s.Level, err2 = strconv.ParseFloat(set["level"], 64)
	if err := errors.Join(append(errs, err1, err2)...); err != nil {
		return s, fmt.Errorf("study: sensitivity settings %v: %w", set, err)
	}
	return s, s.Check()
}

// Plan returns the design of N base samples (or trajectories) over d
// inputs.
func (s *Sensitivity) Plan(d, n int) (*Plan, error) {
	if s.Method == Morris {
		return NewMorris(d, n, s.Levels, s.Seed)
	}
	return NewSobol(d, n, s.Seed)
}

// RunSensitivity runs the design over p and, unless sharded, estimates
// every outcome's indices. A sharded run returns its table alone, for
// MergePartials and Analyse.
func RunSensitivity(ctx context.Context, p Problem, outs []*outcome.Outcome, s Sensitivity) (*SensitivityResult, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	d := len(p.Inputs())
	for n := s.N; ; n *= 2 {
		plan, err := s.Plan(d, n)
		if err != nil {
			return nil, err
		}
		if s.Round != nil {
			lo, hi := Range(plan.Runs(), s.Shard, max(s.Shards, 1))
			s.Round(plan, hi-lo)
		}
		t, err := Run(ctx, p, plan, outs, s.Options)
		if err != nil {
			return nil, err
		}
		if s.Shards > 1 {
			return &SensitivityResult{Plan: plan, Table: t}, nil
		}
		res, err := s.Analyse(plan, t)
		if err != nil {
			return nil, err
		}
		if s.UntilCI == 0 || res.Width <= s.UntilCI || 2*n > s.MaxN {
			return res, nil
		}
	}
}

// Analyse estimates every outcome's indices from the complete table of
// plan.
func (s *Sensitivity) Analyse(plan *Plan, t *Table) (*SensitivityResult, error) {
	res := &SensitivityResult{Plan: plan, Table: t, Inert: make([][]int, len(t.Outcomes))}
	for k := range t.Outcomes {
		if run := t.NonFinite(k); run >= 0 {
			return nil, fmt.Errorf("%w: %s in run %d", ErrNonFinite, t.Outcomes[k], run)
		}
		res.Inert[k] = plan.Inert(t, k)
		if plan.Method == Morris {
			m, err := plan.MorrisEffects(t, k)
			if err != nil {
				return nil, err
			}
			res.Morris = append(res.Morris, m)
			continue
		}
		r, err := plan.SobolIndices(t, k, s.Bootstrap, s.Level, s.Seed)
		if errors.Is(err, uq.ErrZeroVariance) {
			res.Flat = append(res.Flat, k)
			r, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		res.Sobol = append(res.Sobol, r)
		if r != nil && k < s.Main {
			for i := range r.S1 {
				res.Width = math.Max(res.Width, math.Max(r.S1Hi[i]-r.S1Lo[i], r.STHi[i]-r.STLo[i]))
			}
		}
	}
	return res, nil
}
