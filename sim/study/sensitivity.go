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
	N         int    // Sobol: the base sample N; Morris: the trajectories r
	Levels    int    // Morris: grid levels p (even)
	Seed      uint64 // the design's seed (see NewSobolReplicates); bootstrap resamples use (Seed, 1+k)
	// Replicates (Sobol) is the number R of independently scrambled
	// Sobol' sequences the N base rows are split into (at most N are
	// used); the intervals are Student-t intervals from the spread between
	// replicates (uq.EstimateSobolReplicates). Zero means
	// DefaultReplicates. One replicate is a single scrambled sequence with
	// bootstrap intervals, which overstate the error of a quasi-random
	// design (more so the larger N).
	Replicates int
	// Bootstrap is the number of bootstrap resamples for the intervals
	// when Replicates is 1; it is ignored otherwise (see BootstrapIgnored).
	Bootstrap int
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

// DefaultReplicates is the number of replicates of a Sobol design when
// Sensitivity.Replicates is zero. Fewer replicates of more points each
// keep more of the accuracy of one long scrambled sequence; more
// replicates give steadier intervals with a smaller Student-t quantile.
// With 8, on the Ishigami and G functions (N = 64 to 4096, 200 designs
// each; sim/uq TestSobolIntervalTable), the 95% intervals held the
// analytic indices 94–97% of the time and were 1.1–1.2 times 2·1.96·RMSE
// wide on average (the bootstrap on one sequence: 1.5–4.6 times), while
// the estimates' error was 1.5 (N = 256) to 2.5–5 (N ≥ 1024) times that
// of one sequence of N points.
const DefaultReplicates = 8

// Check reports settings that cannot run. A zero N becomes the default:
// 512 for Sobol, 40 trajectories for Morris; a zero Replicates becomes
// DefaultReplicates for Sobol.
func (s *Sensitivity) Check() error {
	if s.N == 0 {
		s.N = map[string]int{Sobol: 512, Morris: 40}[s.Method]
	}
	if s.Method == Sobol && s.Replicates == 0 {
		s.Replicates = DefaultReplicates
	}
	switch {
	case s.PerPeriod != "" && s.Method != Sobol:
		return errors.New("study: indices per period need the Sobol method")
	case s.Method != Sobol && s.Method != Morris:
		return fmt.Errorf("study: method %q: want sobol or morris", s.Method)
	case s.N < 2:
		return fmt.Errorf("study: N = %d: want at least 2", s.N)
	case s.Method == Sobol && !(s.Level > 0 && s.Level < 1):
		return fmt.Errorf("study: level %g: want a confidence level in (0, 1)", s.Level)
	case s.Method == Sobol && (s.Replicates < 1 || s.Replicates > uq.MaxReplicates):
		return fmt.Errorf("study: %d replicates: want 1 to %d", s.Replicates, uq.MaxReplicates)
	case s.Method == Sobol && s.Replicates == 1 && s.Bootstrap < 10:
		return fmt.Errorf("study: %d bootstrap resamples: want at least 10 with one replicate", s.Bootstrap)
	case s.UntilCI < 0 || (s.UntilCI > 0 && s.Shards > 1):
		return fmt.Errorf("study: UntilCI must be ≥ 0, and cannot be sharded: it decides N from the results")
	}
	return nil
}

// BootstrapIgnored reports whether Bootstrap plays no part in the
// analysis: the intervals of a Sobol design of several replicates come
// from the replicates, and Morris has none. A command that still takes a
// bootstrap option can warn that it is ignored.
func (s *Sensitivity) BootstrapIgnored() bool { return s.Method != Sobol || s.Replicates != 1 }

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
		"seed": strconv.FormatUint(s.Seed, 10), "replicates": strconv.Itoa(s.Replicates), "bootstrap": strconv.Itoa(s.Bootstrap),
		"level": strconv.FormatFloat(s.Level, 'g', -1, 64), "outcomes": strings.Join(s.Outcomes, "\x00"), "per_period": s.PerPeriod}
}

// SensitivityFromSettings rebuilds an analysis from its Settings. Settings
// without replicates are of a Sobol design of one replicate, the only one
// before replicates were introduced.
func SensitivityFromSettings(set map[string]string) (Sensitivity, error) {
	s := Sensitivity{Method: set["method"], PerPeriod: set["per_period"]}
	if set["outcomes"] != "" {
		s.Outcomes = strings.Split(set["outcomes"], "\x00")
	}
	var errs []error
	atoi := func(k string) int { v, err := strconv.Atoi(set[k]); errs = append(errs, err); return v }
	s.N, s.Levels, s.Bootstrap = atoi("n"), atoi("levels"), atoi("bootstrap")
	if _, ok := set["replicates"]; ok {
		s.Replicates = atoi("replicates")
	} else if s.Method == Sobol {
		s.Replicates = 1
	}
	var err1, err2 error
	s.Seed, err1 = strconv.ParseUint(set["seed"], 10, 64)
	s.Level, err2 = strconv.ParseFloat(set["level"], 64)
	if err := errors.Join(append(errs, err1, err2)...); err != nil {
		return s, fmt.Errorf("study: sensitivity settings %v: %w", set, err)
	}
	return s, s.Check()
}

// Plan returns the design of N base samples (or trajectories) over d
// inputs: for Sobol, min(Replicates, N) replicates.
func (s *Sensitivity) Plan(d, n int) (*Plan, error) {
	if s.Method == Morris {
		return NewMorris(d, n, s.Levels, s.Seed)
	}
	return NewSobolReplicates(d, n, min(s.Replicates, n), s.Seed)
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
