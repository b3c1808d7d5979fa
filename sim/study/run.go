package study

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
)

// Options say how to run a plan.
type Options struct {
	// Workers is the number of goroutines, each with its own Space.
	Workers int
	// Shard and Shards select runs [Range(runs, Shard, Shards)) of the
	// plan; zero Shards means the whole plan.
	Shard, Shards int
	// Progress, if set, is called now and then with the runs done of this
	// shard's total; calls may come from several goroutines.
	Progress func(done, total int)
}

// claim is the number of runs a worker takes at a time.
const claim = 32

// Run evaluates outs on this shard's runs of plan over p and returns
// them as a table. Each run's values are placed by run index, so the
// table does not depend on the number of workers; tables of the shards
// merge (MergeTables) into the table of the whole plan. It stops early
// with ctx's error when ctx is cancelled.
func Run(ctx context.Context, p Problem, plan *Plan, outs []*outcome.Outcome, o Options) (*Table, error) {
	if o.Shards < 1 {
		o.Shards = 1
	}
	if o.Shard < 0 || o.Shard >= o.Shards {
		return nil, fmt.Errorf("study: shard %d of %d", o.Shard, o.Shards)
	}
	if d := len(p.Inputs()); d != plan.Dim() {
		return nil, fmt.Errorf("study: the plan sets %d inputs, the problem has %d", plan.Dim(), d)
	}
	runs := plan.Runs()
	lo, hi := Range(runs, o.Shard, o.Shards)
	t := newTable(outs, runs, lo, hi)
	workers := max(1, min(o.Workers, (hi-lo+claim-1)/claim))
	spaces := make([]Space, workers)
	for w := range spaces {
		sp, err := p.NewSpace()
		if err != nil {
			return nil, err
		}
		spaces[w] = sp
	}
	K := len(outs)
	var next, done atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	var failed failure
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, sp := range spaces {
		wg.Add(1)
		go func(sp Space) {
			defer wg.Done()
			m := sp.Model()
			r, err := resultFor(m, nil, outs)
			if err != nil {
				failed.set(lo, err)
				cancel()
				return
			}
			x := make([]float64, sp.Dim())
			point := plan.pointer()
			for ctx.Err() == nil {
				start := int(next.Add(claim)) - claim
				if start >= hi {
					return
				}
				end := min(start+claim, hi)
				for run := start; run < end; run++ {
					plan.set(sp, point, run, x)
					m.Run(r)
					if err := r.CheckFinite(); err != nil {
						failed.set(run, err)
						cancel()
						return
					}
					row := t.y[(run-lo)*K : (run-lo+1)*K]
					for k, oc := range outs {
						row[k] = oc.Eval(r)
					}
				}
				d := done.Add(int64(end - start))
				if o.Progress != nil {
					o.Progress(int(d), hi-lo)
				}
			}
		}(sp)
	}
	wg.Wait()
	if err := failed.get(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// Range returns the runs [lo, hi) of shard k of n over runs.
func Range(runs, k, n int) (lo, hi int) {
	return runs * k / n, runs * (k + 1) / n
}

// resultFor returns a Result of m that records only the slots given and
// those the outcomes read: the same numbers as a full run, recorded and
// cleared for a fraction of the slots.
func resultFor(m *sim.Model, slots []int, outs []*outcome.Outcome) (*sim.Result, error) {
	keep := slices.Clone(slots)
	for _, o := range outs {
		keep = append(keep, o.Slots()...)
	}
	return m.NewResultFor(keep)
}
