package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/check"
	"github.com/kubesim/kubesim/core/scenario"
)

func init() {
	register("check", &Subcommand{
		Usage: "check [--seeds N] [--seed S] [--duration D]   run seeded random scenarios with faults, checking every invariant after every step",
		Run:   runCheck,
	})
}

// runCheck is `kubesim check`: seeds 1..N (or the one seed S), each a random cluster,
// workload and fault timeline run with every invariant after every instant and run twice for
// determinism. The first failure is shrunk and reported with the command that replays it.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	seeds := fl.Uint64("seeds", 100, "how many seeds to run, starting at --start")
	start := fl.Uint64("start", 1, "the first seed of a --seeds run")
	seed := fl.Uint64("seed", 0, "run only this seed (replay a failure)")
	duration := fl.String("duration", "", "simulated time per seed, e.g. 2m (default: each seed picks 1m to 5m)")
	keepGoing := fl.Bool("keep-going", false, "run every seed even after a failure, then list the failing seeds")
	noShrink := fl.Bool("no-shrink", false, "report failures without shrinking them")
	noDeterminism := fl.Bool("no-determinism", false, "run each seed once (skip the trace-hash comparison)")
	printScenario := fl.Bool("print", false, "with --seed: print the generated scenario file and exit")
	printMinimal := fl.Bool("minimal", false, "with --seed: print the shrunk scenario file of a failing seed")
	quiet := fl.Bool("q", false, "no progress line")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kubesim check: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	var until api.Duration
	if *duration != "" {
		d, err := api.ParseDuration(*duration)
		if err != nil || d <= 0 || d > scenario.MaxUntil {
			fmt.Fprintf(stderr, "kubesim check: --duration %q: want a duration between 1s and %s, such as 90s or 10m\n", *duration, scenario.MaxUntil)
			return 2
		}
		until = d
	}
	opts := check.Options{Until: until, NoShrink: *noShrink, NoDeterminism: *noDeterminism}
	first, n := *start, *seeds
	if *seed != 0 {
		first, n = *seed, 1
	}
	if n == 0 {
		fmt.Fprintln(stderr, "kubesim check: --seeds must be at least 1")
		return 2
	}
	if *printScenario || *printMinimal {
		if *seed == 0 {
			fmt.Fprintln(stderr, "kubesim check: --print and --minimal need --seed S")
			return 2
		}
		if *printScenario {
			fmt.Fprint(stdout, check.Generate(*seed, until).YAML())
			return 0
		}
		r := check.Seed(*seed, opts)
		if r.Failure == nil {
			fmt.Fprintf(stderr, "kubesim check: seed %d passes; nothing to shrink\n", *seed)
			return 1
		}
		m := r.Minimal
		if m == nil {
			m = r.Model
		}
		fmt.Fprint(stdout, m.YAML())
		return 0
	}

	began := time.Now()
	var simulated api.Duration
	var failed []uint64
	var ran uint64
	lastProgress := time.Time{}
	for s := first; s < first+n; s++ {
		o := opts
		if n > 1 {
			o.NoShrink = true // shrink only a seed that fails (below)
		}
		r := check.Seed(s, o)
		ran++
		simulated += r.Simulated
		if r.Failure != nil && n > 1 && !opts.NoShrink {
			r = check.Seed(s, opts) // now shrink it
		}
		if r.Failure != nil {
			failed = append(failed, s)
			if !*quiet {
				fmt.Fprint(stderr, "\r\033[K")
			}
			fmt.Fprint(stdout, r.Report())
			if !*keepGoing {
				break
			}
		}
		if !*quiet && (time.Since(lastProgress) > 200*time.Millisecond || s == first+n-1) {
			lastProgress = time.Now()
			fmt.Fprintf(stderr, "\r\033[Kseed %d  %d/%d  %d failed  %s simulated  %s", s, ran, n, len(failed), humanSim(simulated), time.Since(began).Round(time.Millisecond))
		}
	}
	if !*quiet {
		fmt.Fprint(stderr, "\r\033[K")
	}
	wall := time.Since(began)
	fmt.Fprintf(stdout, "kubesim check: %d seeds (%d..%d), %s simulated, %s wall, %d failed", ran, first, first+ran-1, humanSim(simulated), wall.Round(time.Millisecond), len(failed))
	if len(failed) > 0 {
		fmt.Fprintf(stdout, ": seeds %v", failed)
	}
	fmt.Fprintln(stdout)
	if len(failed) > 0 {
		return 1
	}
	return 0
}

// humanSim renders simulated time in hours with one decimal once it is long.
func humanSim(d api.Duration) string {
	if d >= api.Hour {
		return fmt.Sprintf("%.1fh", float64(d)/float64(api.Hour))
	}
	return d.String()
}
