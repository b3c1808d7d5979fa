package study

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/outcome"
	"github.com/chipsim/chipsim/sim/uq"
)

// MCConfig says what a Monte Carlo runs and what it keeps.
type MCConfig struct {
	Runs    int    // runs of the whole (unsharded) job
	Seed    uint64 // the job's seed
	Workers int    // goroutines; each has its own Sampler
	Shard   int    // this shard, 0-based
	Shards  int    // number of shards (1 for the whole job)
	Slots   []int  // result slots to summarise, every period of each
	// Outcomes are evaluated on every run and summarised, one summary each
	// (yearly values of a metric are outcomes such as ai.units@2030).
	Outcomes []*outcome.Outcome
	// Record, if set, receives every run's input values and outcome
	// values in run order, from one goroutine; the slices are reused.
	Record func(run int, inputs, outcomes []float64) error
	// Progress, if set, is called now and then with the runs done of this
	// shard's total; calls may come from several goroutines.
	Progress func(done, total int)
}

// NewSummary returns the summary used for a metric of the given unit:
// linear bins on [0, 1] for ratios and shares (0.1 point wide), log bins
// otherwise (0.8% wide).
func NewSummary(unit string) *uq.Summary {
	if unit == "ratio" || unit == "share" {
		s, _ := uq.NewLinearSummary(0, 1, 1000)
		return s
	}
	// 2^-20 to 2^50 (1e-6 to 1e15) in bins 0.8% wide: exact, fast binning.
	s, _ := uq.NewLog2Summary(-20, 50, 7)
	return s
}

// Summaries holds one summary per selected slot and period, then one per
// outcome.
type Summaries struct {
	Slots []int
	N     int // periods
	Sum   []*uq.Summary
	// Outcome holds the outcomes' summaries, in MCConfig.Outcomes order.
	Outcome []*uq.Summary
}

func newSummaries(m *sim.Model, slots []int, outs []*outcome.Outcome) *Summaries {
	n := m.Calendar().N
	s := &Summaries{Slots: slots, N: n, Sum: make([]*uq.Summary, len(slots)*n)}
	all := m.Slots()
	for i, sl := range slots {
		for t := 0; t < n; t++ {
			s.Sum[i*n+t] = NewSummary(all[sl].Metric.Unit)
		}
	}
	for _, o := range outs {
		s.Outcome = append(s.Outcome, NewSummary(o.Unit()))
	}
	return s
}

// At returns the summary of the i-th selected slot in period t.
func (s *Summaries) At(i, t int) *uq.Summary { return s.Sum[i*s.N+t] }

// Runs returns the number of runs summarised.
func (s *Summaries) Runs() int {
	switch {
	case len(s.Sum) > 0:
		return int(s.Sum[0].Count())
	case len(s.Outcome) > 0:
		return int(s.Outcome[0].Count())
	}
	return 0
}

// Merge adds o's counts to s.
func (s *Summaries) Merge(o *Summaries) error {
	if len(o.Sum) != len(s.Sum) || len(o.Outcome) != len(s.Outcome) || o.N != s.N {
		return errors.New("study: merging summaries of different shapes")
	}
	for i := range s.Sum {
		if err := s.Sum[i].Merge(o.Sum[i]); err != nil {
			return err
		}
	}
	for i := range s.Outcome {
		if err := s.Outcome[i].Merge(o.Outcome[i]); err != nil {
			return err
		}
	}
	return nil
}

const block = 128 // runs a worker claims at a time, and adds to its summaries at once

// icBlock is the number of runs whose draws are reordered together to
// induce rank correlations (Iman–Conover): fixed, so that the draws of a
// run do not depend on workers or shards.
const icBlock = 256

// uniform maps 53 random bits into (0, 1).
func uniform(rng *rand.Rand) float64 { return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53) }

// MonteCarlo runs this shard's share of cfg.Runs of p, each with every
// input drawn from its distribution (and the inputs' rank correlations
// induced, Iman–Conover, in fixed blocks of runs), and returns the
// summaries. Run r draws from a generator seeded with (cfg.Seed, r), so
// its numbers do not depend on which worker ran it; summaries merge
// exactly, so the result is the same bytes for any number of workers, and
// shards merged equal the unsharded run. It stops early with ctx's error
// when ctx is cancelled.
func MonteCarlo(ctx context.Context, p Problem, cfg MCConfig) (*Summaries, error) {
	if cfg.Shards < 1 {
		cfg.Shards = 1
	}
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("study: shard %d of %d", cfg.Shard, cfg.Shards)
	}
	lo, hi := Range(cfg.Runs, cfg.Shard, cfg.Shards)
	if cfg.Runs < 1 {
		return nil, fmt.Errorf("study: %d runs: want at least 1", cfg.Runs)
	}
	cfg.Workers = max(1, min(cfg.Workers, (hi-lo+block-1)/block))
	corr := p.Correlation()
	samplers := make([]Space, cfg.Workers)
	for w := range samplers {
		sp, err := p.NewSpace()
		if err != nil {
			return nil, err
		}
		samplers[w] = sp
	}
	parts := make([]*Summaries, cfg.Workers)
	for w := range parts {
		parts[w] = newSummaries(samplers[w].Model(), cfg.Slots, cfg.Outcomes)
	}
	type rows struct {
		first int
		vals  []float64 // block × dim
	}
	var (
		next      atomic.Int64
		done      atomic.Int64
		wg        sync.WaitGroup
		out       chan rows
		errMu     sync.Mutex
		first     error
		runFailed failure // a run with a non-finite output
	)
	next.Store(int64(lo))
	dim, nout := samplers[0].Dim(), len(cfg.Outcomes)
	if cfg.Record != nil {
		out = make(chan rows, 2*cfg.Workers)
	}
	fail := func(err error) {
		errMu.Lock()
		if first == nil {
			first = err
		}
		errMu.Unlock()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sp, sums := samplers[w], parts[w]
			m := sp.Model()
			r, err := resultFor(m, cfg.Slots, cfg.Outcomes)
			if err != nil {
				fail(err)
				cancel()
				return
			}
			pcg := rand.NewPCG(0, 0)
			rng := rand.New(pcg)
			u := make([]float64, dim)
			icAt, icU := -1, []float64(nil)
			if corr != nil {
				icU = make([]float64, icBlock*dim)
			}
			n := m.Calendar().N
			// Where the result holds each summarised slot (Result.Column).
			offs, stride := make([]int, len(cfg.Slots)), 0
			for i, sl := range cfg.Slots {
				offs[i], stride = r.Column(sl)
			}
			// Values of a block of runs, column by column (vals[j*block+k]:
			// summary j, run k of the block), added summary by summary
			// afterwards: each summary's bins stay in cache for the block.
			width := len(cfg.Slots)*n + nout
			vals := make([]float64, block*width)
			oc := make([]float64, nout)
			for {
				if ctx.Err() != nil {
					return
				}
				start := int(next.Add(block)) - block
				if start >= hi {
					return
				}
				end := min(start+block, hi)
				var buf []float64
				if out != nil {
					buf = make([]float64, 0, (end-start)*(dim+nout))
				}
				for run := start; run < end; run++ {
					if corr == nil {
						pcg.Seed(cfg.Seed, uint64(run))
						for k := range u {
							u[k] = uniform(rng)
						}
					} else {
						if b := run / icBlock; b != icAt {
							for i := 0; i < icBlock; i++ {
								pcg.Seed(cfg.Seed, uint64(b*icBlock+i))
								for k := 0; k < dim; k++ {
									icU[i*dim+k] = uniform(rng)
								}
							}
							if err := uq.ImanConover(icU, dim, corr, rand.New(rand.NewPCG(cfg.Seed, ^uint64(b)))); err != nil {
								fail(err)
								cancel()
								return
							}
							icAt = b
						}
						copy(u, icU[(run%icBlock)*dim:])
					}
					sp.Set(u)
					m.Run(r)
					if err := r.CheckFinite(); err != nil {
						runFailed.set(run, err)
						cancel()
						return
					}
					k := run - start
					for i, off := range offs {
						col := vals[i*n*block+k:]
						for t := 0; t < n; t++ {
							col[t*block] = r.Data[t*stride+off]
						}
					}
					for j, o := range cfg.Outcomes {
						oc[j] = o.Eval(r)
						vals[(len(cfg.Slots)*n+j)*block+k] = oc[j]
					}
					if buf != nil {
						buf = append(buf, sp.Values()...)
						buf = append(buf, oc...)
					}
				}
				for j, sum := range sums.Sum {
					sum.AddAll(vals[j*block : j*block+end-start])
				}
				for j, sum := range sums.Outcome {
					j += len(sums.Sum)
					sum.AddAll(vals[j*block : j*block+end-start])
				}
				if out != nil {
					select {
					case out <- rows{first: start, vals: buf}:
					case <-ctx.Done():
						return
					}
				}
				d := done.Add(int64(end - start))
				if cfg.Progress != nil {
					cfg.Progress(int(d), hi-lo)
				}
			}
		}(w)
	}
	if out != nil {
		go func() { wg.Wait(); close(out) }()
		pending := map[int][]float64{}
		want, failed := lo, false
		for b := range out {
			if failed {
				continue // drain until the workers stop
			}
			pending[b.first] = b.vals
			for !failed {
				vals, ok := pending[want]
				if !ok {
					break
				}
				delete(pending, want)
				w := dim + nout
				for k := 0; k < min(block, hi-want); k++ {
					row := vals[k*w : (k+1)*w]
					if err := cfg.Record(want+k, row[:dim], row[dim:]); err != nil {
						fail(err)
						cancel()
						failed = true
						break
					}
				}
				want = min(want+block, hi)
			}
		}
	} else {
		wg.Wait()
	}
	if err := runFailed.get(); err != nil {
		return nil, err
	}
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, p := range parts[1:] {
		if err := parts[0].Merge(p); err != nil {
			return nil, err
		}
	}
	return parts[0], nil
}
