package sim

// WholeRuns makes r's runs run the whole calendar, as its first run does:
// benchmarks of the run loop time all of it, not a run that starts where
// its (unchanged) inputs change.
func WholeRuns(r *Result) { r.rs = nil }
