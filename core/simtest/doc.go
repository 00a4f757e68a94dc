// Package simtest runs scenario files end to end and compares their traces with golden
// files, checking every invariant after every instant. It is the one package under core/
// allowed to use os and flag (for -update).
//
//	go test ./core/simtest                      # compare
//	go test ./core/simtest -run TestGolden/x -update   # rewrite testdata/x.trace
//
// If a golden test fails, run it with -update and read the diff: commit only changes you
// can explain against the Kubernetes semantics docs or the upstream source.
package simtest
