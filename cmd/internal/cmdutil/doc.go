// Package cmdutil is the kit chipsim's commands share: the App that
// carries the streams, the global flags and what a command read; usage
// errors and exit codes; argument checks; list, chart, --format and shard
// flags; and the few steps several commands take (loading scenarios,
// running one, committing a bundle of outputs).
//
// A command package fills its options from flags, calls the library
// packages (scenarios, output, sim/study) and prints through an App; the
// package root assembles the commands and turns their errors into exit
// statuses.
package cmdutil
