// Package study runs experiments over a compiled chipsim model: Monte
// Carlo runs that draw every uncertain input and keep percentile bands,
// and designed experiments (one at a time, grids, factorials, Latin
// hypercubes, Sobol and Morris designs) whose runs fill tables of
// outcomes and, for Sobol and Morris, rank the inputs by their influence.
//
// # Problems
//
// A study sees a model only through two small interfaces. A [Problem]
// describes the model's uncertain [Input]s, each a name with the
// distribution its values follow, and makes [Space]s. A Space is a
// compiled model whose inputs can be set between runs, from quantiles of
// their distributions or from values; it belongs to one goroutine, and a
// study makes one for each worker. *scenarios.Scenario implements
// Problem: its inputs are the values a scenario file gives as
// distributions, such as
//
//	packaging:
//	  yield: {dist: uniform, min: 0.7, max: 0.98}
//
// A study reads outcomes from every run: scalars such as
// ai.ssr_compute@2030 or first(ai.ssr_units >= 0.5), compiled against
// the model by package outcome.
//
// # Designs
//
// A [Plan] is a design: the runs of an experiment, each a point in input
// space computed from its run index alone. There is a constructor for
// each use:
//
//   - [NewOAT] moves one input at a time, for tornado charts: a run with
//     every input at its median, then each input alone at a low and a
//     high quantile, or at the ends of its support.
//   - [NewGrid] crosses given levels of a few inputs, for sweeps and heat
//     maps; the other inputs stay at their medians.
//   - [NewFactorial] crosses two levels of k inputs (2^k runs), to see
//     how they interact.
//   - [NewLHS] spreads n runs over every input at once, a Latin
//     hypercube, to explore the whole space evenly.
//   - [NewSobol] is a Saltelli design of N·(d+2) runs, for first-order
//     and total Sobol indices ([Plan.SobolIndices]): how much of an
//     outcome's variance each input explains, alone and with others.
//     [NewSobolReplicates] splits its N base points into independently
//     scrambled replicates, whose spread gives intervals that hold their
//     level (a bootstrap over one quasi-random sequence overstates the
//     error); [RunSensitivity] uses 8 by default.
//   - [NewMorris] is r trajectories of d+1 runs, for Morris elementary
//     effects ([Plan.MorrisEffects]): a cheaper screening of many inputs.
//
// [Run] evaluates outcomes on a plan's runs and returns them as a
// [Table], a row for each run and a column for each outcome.
// [RunSensitivity] plans, runs and analyses a Sobol or Morris study in
// one call, and can double N until the indices' intervals are narrow
// enough. [Plan.Inert] lists the inputs that never moved an outcome, such
// as an event that comes after the outcome's year.
//
// [MonteCarlo] runs a problem with every input drawn from its
// distribution, with the rank correlations the problem asks for, and
// keeps [Summaries]: fixed-size, mergeable percentile summaries of chosen
// result slots in every period, and of outcomes.
//
// # Workers
//
// Runs are shared among Options.Workers (or MCConfig.Workers)
// goroutines, which claim blocks of runs as they go. The results do not
// depend on how many there are, to the byte: a table places each run's
// values by run index, Monte Carlo run r draws from a generator seeded
// with (seed, r) whichever worker runs it, correlations are induced in
// fixed blocks of runs, and summaries merge exactly.
//
// # Shards
//
// A study too big for one machine is split into shards, run separately
// and merged. Shard k of n holds the runs [Range](runs, k, n); set it
// with Options.Shard and Options.Shards. Run then returns the shard's
// table; put it in a [Partial] with what identifies the study (its kind,
// scenario, and a digest of its inputs and settings), and [Partial.Encode]
// it as JSON with a SHA-256 checksum. [DecodePartial] reads each shard
// back, refusing a damaged one with [ErrDamaged], and [MergePartials]
// joins them into the partial of the whole study, refusing a shard that
// is missing, given twice, overlaps another or belongs to another study.
// [MergeTables] does the same for tables in memory.
//
// A Monte Carlo shard is set with MCConfig.Shard and MCConfig.Shards;
// [EncodeSummaries] writes its summaries with a [Header] naming the job,
// [DecodeSummaries] reads them, and [Summaries.Merge] adds one shard's
// counts to another's ([MergeShards] checks the headers first). Either
// way the merged shards equal the unsharded study, byte for byte.
// [ParseShard] reads which shard to run from "K/N" or from a job array's
// environment, through a getenv function the caller passes.
//
// # Progress and cancellation
//
// A Progress function, if set, is called now and then with the runs done
// of the shard's total; the calls come from the workers' goroutines, so
// it must be safe for concurrent use. A study stops when its context is
// cancelled: the workers finish the block of runs they hold, and the
// study returns the context's error and no result.
//
// The package reads no files, environment or clock and keeps no state
// between calls: given the same problem, design or seed, and outcomes, a
// study gives the same numbers.
//
// # Example
//
// The shipped baseline has no uncertain inputs, so to sweep its packaging
// yield a scenario extends it and gives the yield a distribution (its
// median is where the yield stays in studies that do not move it). A grid
// over four levels of the yield reads the compute self-sufficiency of
// 2030 from each run:
//
//	s, err := scenarios.Parse("yield-sweep.yaml", []byte(`
//	extends: baseline
//	name: yield-sweep
//	packaging:
//	  yield: {dist: uniform, min: 0.7, max: 0.98}
//	`))
//	if err != nil {
//		return err
//	}
//	m, err := s.Model()
//	if err != nil {
//		return err
//	}
//	ssr, err := outcome.Parse("ai.ssr_compute@2030", m)
//	if err != nil {
//		return err
//	}
//	plan, err := study.NewGrid(s.Inputs(), []study.Axis{
//		{Input: 0, Levels: []float64{0.7, 0.8, 0.9, 0.98}},
//	})
//	if err != nil {
//		return err
//	}
//	t, err := study.Run(ctx, s, plan, []*outcome.Outcome{ssr}, study.Options{Workers: 4})
//	if err != nil {
//		return err
//	}
//	x := make([]float64, plan.Dim())
//	for run := range t.Runs {
//		plan.Point(run, x)
//		fmt.Printf("yield %.2f: %s = %.2f\n", x[0], t.Outcomes[0], t.At(run, 0))
//	}
//
// This prints
//
//	yield 0.70: ai.ssr_compute@2030 = 0.78
//	yield 0.80: ai.ssr_compute@2030 = 0.81
//	yield 0.90: ai.ssr_compute@2030 = 0.82
//	yield 0.98: ai.ssr_compute@2030 = 0.83
package study
