package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

func init() {
	register("run", &Subcommand{
		Usage: "run FILE [--seed N] [--until D] [-o text|jsonl] [--full-states]   simulate a scenario and print its trace",
		Run:   runRun,
	})
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("run", flag.ContinueOnError)
	fl.SetOutput(stderr)
	seed := fl.Uint64("seed", 0, "random seed (default: the scenario's)")
	until := fl.String("until", "", "how long to simulate, e.g. 90s or 10m (default: the scenario's until)")
	output := fl.String("o", "text", "output format: text or jsonl")
	fullStates := fl.Bool("full-states", false, "with -o jsonl, write every state record whole instead of deltas")
	file, rest := splitFirstArg(args)
	if err := fl.Parse(rest); err != nil {
		return 1
	}
	if file == "" && fl.NArg() > 0 {
		file = fl.Arg(0)
	}
	if file == "" {
		fmt.Fprintln(stderr, "kubesim run: missing scenario FILE")
		return 1
	}
	if *output != "text" && *output != "jsonl" {
		fmt.Fprintf(stderr, "kubesim run: -o %q: want text or jsonl\n", *output)
		return 1
	}
	sc, err := loadScenario(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	end := api.Time(sc.Until)
	if *until != "" {
		d, err := api.ParseDuration(*until)
		if err != nil || d < 0 || d > scenario.MaxUntil {
			fmt.Fprintf(stderr, "kubesim run: --until %q: want a duration between 0s and %s, such as 90s or 10m\n", *until, scenario.MaxUntil)
			return 1
		}
		end = api.Time(d)
	}
	c, err := cluster.New(sc, cluster.Options{Seed: *seed, RecordState: true})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	runErr := c.AdvanceTo(end)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if *output == "jsonl" {
		jw := trace.NewJSONLWriter(w, *fullStates)
		for _, r := range c.Records() {
			if err := jw.Write(r); err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
		}
	} else {
		tw := trace.NewTextWriter(w)
		for _, r := range c.Records() {
			tw.Write(r)
		}
	}
	if runErr != nil {
		w.Flush()
		fmt.Fprintln(stderr, "kubesim run:", runErr)
		return 1
	}
	return 0
}

// splitFirstArg lets the file come before the flags (`run FILE --seed 2`), which the flag
// package would otherwise stop at.
func splitFirstArg(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}
