// Package mc runs a scenario many times with its uncertain inputs drawn
// at random, in parallel, and summarises every selected output series in
// streaming percentile summaries whose memory does not grow with the
// number of runs.
//
// Run r draws its inputs from a generator seeded with (seed, r), so a
// run's numbers do not depend on which worker ran it; summaries merge
// exactly (integer bin counts and an exact sum), so results are the same
// bytes for any number of workers, and shards of the run index range
// merged together equal the unsharded run.
package mc

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/chipsim/chipsim/sim"
	"github.com/chipsim/chipsim/sim/uq"
)

// Sampler sets a model's uncertain inputs from quantiles in (0, 1).
type Sampler interface {
	Dim() int
	Set(u []float64)
	Values() []float64
	Model() *sim.Model
}

// Config says what to run.
type Config struct {
	Runs    int    // runs of the whole (unsharded) job
	Seed    uint64 // the job's seed
	Workers int    // goroutines; each has its own Sampler
	Shard   int    // this shard, 0-based
	Shards  int    // number of shards (1 for the whole job)
	Slots   []int  // result slots to summarise, every period of each
	// Draw, if set, receives every run's input values in run order, from
	// one goroutine.
	Draw func(run int, values []float64) error
	// Eval, if set, is called by the worker that ran a run with its result;
	// it must be safe for concurrent calls on different runs.
	Eval func(run int, r *sim.Result, values []float64)
	// Progress, if set, is called now and then with the runs done.
	Progress func(done int)
}

// Range returns the runs [lo, hi) of shard k of n over runs.
func Range(runs, k, n int) (lo, hi int) {
	return runs * k / n, runs * (k + 1) / n
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

// Summaries holds one summary per selected slot and period.
type Summaries struct {
	Slots []int
	N     int // periods
	Sum   []*uq.Summary
}

func newSummaries(m *sim.Model, slots []int) *Summaries {
	n := m.Calendar().N
	s := &Summaries{Slots: slots, N: n, Sum: make([]*uq.Summary, len(slots)*n)}
	all := m.Slots()
	for i, sl := range slots {
		for t := 0; t < n; t++ {
			s.Sum[i*n+t] = NewSummary(all[sl].Metric.Unit)
		}
	}
	return s
}

// At returns the summary of the i-th selected slot in period t.
func (s *Summaries) At(i, t int) *uq.Summary { return s.Sum[i*s.N+t] }

// Merge adds o's counts to s.
func (s *Summaries) Merge(o *Summaries) error {
	if len(o.Sum) != len(s.Sum) {
		return errors.New("mc: merging summaries of different shapes")
	}
	for i := range s.Sum {
		if err := s.Sum[i].Merge(o.Sum[i]); err != nil {
			return err
		}
	}
	return nil
}

const block = 64 // runs a worker claims at a time

// icBlock is the number of runs whose draws are reordered together to
// induce rank correlations (Iman–Conover): fixed, so that the draws of a
// run do not depend on workers or shards.
const icBlock = 256

// Correlated is implemented by samplers whose inputs have target rank
// correlations (row-major, Dim × Dim; nil when independent).
type Correlated interface{ Correlation() []float64 }

// uniform maps 53 random bits into (0, 1).
func uniform(rng *rand.Rand) float64 { return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53) }

// Run runs this shard's share of cfg.Runs and returns its summaries. It
// stops early with ctx's error when ctx is cancelled.
func Run(ctx context.Context, newSampler func() (Sampler, error), cfg Config) (*Summaries, error) {
	if cfg.Shards < 1 {
		cfg.Shards = 1
	}
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("mc: shard %d of %d", cfg.Shard, cfg.Shards)
	}
	lo, hi := Range(cfg.Runs, cfg.Shard, cfg.Shards)
	samplers := make([]Sampler, cfg.Workers)
	for w := range samplers {
		sp, err := newSampler()
		if err != nil {
			return nil, err
		}
		samplers[w] = sp
	}
	parts := make([]*Summaries, cfg.Workers)
	for w := range parts {
		parts[w] = newSummaries(samplers[w].Model(), cfg.Slots)
	}
	type rows struct {
		first int
		vals  []float64 // block × dim
	}
	var (
		next  atomic.Int64
		done  atomic.Int64
		wg    sync.WaitGroup
		out   chan rows
		errMu sync.Mutex
		first error
	)
	next.Store(int64(lo))
	dim := samplers[0].Dim()
	if cfg.Draw != nil {
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
			r := m.NewResult()
			pcg := rand.NewPCG(0, 0)
			rng := rand.New(pcg)
			u := make([]float64, dim)
			var corr []float64
			if c, ok := sp.(Correlated); ok {
				corr = c.Correlation()
			}
			icAt, icU := -1, []float64(nil)
			if corr != nil {
				icU = make([]float64, icBlock*dim)
			}
			n := m.Calendar().N
			// Values of a block of runs, added summary by summary afterwards:
			// each summary's bins stay in cache for the whole block.
			width := len(cfg.Slots) * n
			vals := make([]float64, block*width)
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
					buf = make([]float64, 0, (end-start)*dim)
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
					row := vals[(run-start)*width : (run-start+1)*width]
					for i, sl := range cfg.Slots {
						for t := 0; t < n; t++ {
							row[i*n+t] = r.At(sl, t)
						}
					}
					if cfg.Eval != nil {
						cfg.Eval(run, r, sp.Values())
					}
					if buf != nil {
						buf = append(buf, sp.Values()...)
					}
				}
				for j, sum := range sums.Sum {
					for k := 0; k < end-start; k++ {
						sum.Add(vals[k*width+j])
					}
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
					cfg.Progress(int(d))
				}
			}
		}(w)
	}
	if out != nil {
		go func() { wg.Wait(); close(out) }()
		pending := map[int][]float64{}
		want := lo
		for b := range out {
			pending[b.first] = b.vals
			for {
				vals, ok := pending[want]
				if !ok {
					break
				}
				delete(pending, want)
				for k := 0; k*dim < len(vals) || (dim == 0 && k < min(block, hi-want)); k++ {
					if err := cfg.Draw(want+k, vals[k*dim:(k+1)*dim]); err != nil {
						fail(err)
						cancel()
						break
					}
				}
				want = min(want+block, hi)
			}
		}
	} else {
		wg.Wait()
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
