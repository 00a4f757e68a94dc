// Package simtest runs scenario files end to end and compares their traces with golden
// files, checking every invariant after every instant. It is the one package under core/
// allowed to use os and flag (for -update).
//
// Each testdata/x.yaml has two goldens beside it: x.trace (the text timeline) and x.jsonl
// (the JSONL trace). A failure prints the first differing line with its number and the
// lines before it, and for JSONL the fields that differ ("pods[2 "web-1"].ready: true ->
// false").
//
//	go test ./core/simtest                             # compare
//	go test ./core/simtest -run TestGolden/x -update   # rewrite testdata/x.trace and x.jsonl
//
// If a golden test fails, run it with -update and read `git diff core/simtest/testdata`:
// commit only changes you can explain against the Kubernetes semantics docs or the
// upstream source.
package simtest
