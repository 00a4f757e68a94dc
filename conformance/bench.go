package main

import (
	"bufio"
	"fmt"
	"runtime"
	rtdebug "runtime/debug"
	"syscall"
	"time"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// benchCommand (issue 14): the CPU time of `kubesim run -o jsonl` on a scenario, the
// whole CLI path (every controller, the scheduler and kubelet, the trace with delta state
// records written out), against the real v1.37.2 Deployment and ReplicaSet controllers
// doing the same rollout on this module's fake API server, with the kubelet replayed from
// kubesim's run (the upstream side gets kubesim's scheduler and kubelet for free, and writes
// no trace: the ratio flatters upstream). Both run in this process, one after the other,
// each after a GC, `rounds` times; the best round of each is reported.
func benchCommand(args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: conformance bench FILE [ROUNDS]")
	}
	rounds := 3
	if len(args) == 2 {
		if _, err := fmt.Sscan(args[1], &rounds); err != nil || rounds < 1 {
			return fmt.Errorf("bench: ROUNDS %q: want a positive number", args[1])
		}
	}
	sc, err := load(args[0])
	if err != nil {
		return err
	}
	_, rp, err := kubesimRun(sc)
	if err != nil {
		return fmt.Errorf("kubesim: %w", err)
	}
	var bytes int64
	ks, up := time.Duration(1<<62), time.Duration(1<<62)
	for range rounds {
		d, n, err := cpu(func() (int64, error) { return kubesimCLI(sc) })
		if err != nil {
			return fmt.Errorf("kubesim: %w", err)
		}
		ks, bytes = min(ks, d), n
		d, _, err = cpu(func() (int64, error) { _, _, err := runUpstream(sc, rp); return 0, err })
		if err != nil {
			return fmt.Errorf("upstream: %w", err)
		}
		up = min(up, d)
	}
	fmt.Printf("%s: kubesim run -o jsonl %v CPU (%.1f MiB of trace), upstream controllers %v CPU: %.1fx faster (best of %d)\n",
		sc.Name, ks.Round(time.Millisecond), float64(bytes)/(1<<20), up.Round(time.Millisecond), float64(up)/float64(ks), rounds)
	return nil
}

// kubesimGCPercent is the GOGC that `kubesim run` sets for itself (cmd/kubesim/gc.go
// cliGCPercent); the upstream side runs with Go's default, as kube-controller-manager does.
const kubesimGCPercent = 400

// kubesimCLI does what `kubesim run -o jsonl` does (cmd/kubesim/run.go and gc.go) and returns
// the trace's size.
func kubesimCLI(sc *scenario.Scenario) (int64, error) {
	defer rtdebug.SetGCPercent(rtdebug.SetGCPercent(kubesimGCPercent))
	c, err := cluster.New(sc, cluster.Options{RecordState: true})
	if err != nil {
		return 0, err
	}
	if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
		return 0, err
	}
	var n countWriter
	w := bufio.NewWriter(&n)
	if err := trace.WriteJSONL(w, c.Records()); err != nil {
		return 0, err
	}
	err = w.Flush()
	return int64(n), err
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// cpu runs f after a GC and returns the process's user+system CPU time it took (goroutines
// included: the ReplicaSet controller creates pods from several).
func cpu(f func() (int64, error)) (time.Duration, int64, error) {
	runtime.GC()
	t0 := rusage()
	n, err := f()
	return rusage() - t0, n, err
}

func rusage() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
