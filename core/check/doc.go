// Package check tests the simulator the way FoundationDB and TigerBeetle test theirs: it
// generates random but valid clusters, workloads and fault timelines from a seed, runs each
// with every invariant checked after every instant, runs it twice to prove the trace is
// deterministic, and, when something breaks, shrinks the scenario to a minimal one that still
// breaks the same rule and prints the command that replays it.
//
//	r := check.Seed(42, check.Options{})   // generate, run, verify, shrink on failure
//	if r.Failure != nil { fmt.Print(r.Report()) }
//
// Run is the shared loop (the golden-trace harness core/simtest calls it too): step the
// engine one instant at a time, check invariant.CheckAll and the clock after each.
//
// Randomness comes from a seeded splitmix64 generator of our own (core may not import
// math/rand), so the same seed gives the same scenario on every platform.
package check
