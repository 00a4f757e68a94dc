package main

import (
	"io"
	"runtime/debug"
	"testing"
)

// BenchmarkRunRolling1000 is `kubesim run -o jsonl` on conformance's bench scenario (1,000
// replicas rolled on 100 nodes, issue 14), in process: the path `conformance bench`
// measures, for profiling with -cpuprofile / -memprofile without the upstream side. It runs
// with the CLI's GOGC (gc.go).
func BenchmarkRunRolling1000(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(cliGCPercent))
	for b.Loop() {
		if rc := runRun([]string{"../../conformance/testdata/rolling-1000.yaml", "-o", "jsonl"}, io.Discard, io.Discard); rc != 0 {
			b.Fatalf("kubesim run exited %d", rc)
		}
	}
}
