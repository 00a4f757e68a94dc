// Command conformance runs kubesim's scenarios against the real Kubernetes v1.37.2
// Deployment, ReplicaSet and StatefulSet controllers and compares what both did.
//
//	go run . table        a markdown table: scenario, pass/fail, known divergences and why
//	go run . diff FILE    the differences for one scenario (catalogue name or file)
//	go run . random [--start N] [--seeds N]   scenarios from kubesim check's generator
//	go run . random --seed N [--minimal]      one seed's differences, or its shrunk scenario
//	go run . bench FILE [ROUNDS]  CPU of kubesim's CLI run against the upstream controllers'
//
// See README.md in this directory for the design.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: conformance table | diff FILE | random [--start N] [--seeds N] | random --seed N [--minimal] | bench FILE [ROUNDS]")
	}
	switch args[0] {
	case "table":
		rows, err := table()
		if err != nil {
			return err
		}
		fmt.Print(markdown(rows))
		for _, r := range rows {
			if !r.Pass {
				return fmt.Errorf("%s: unexplained differences (go run . diff %s)", r.Name, r.Name)
			}
		}
		return nil
	case "diff":
		if len(args) != 2 {
			return fmt.Errorf("usage: conformance diff FILE")
		}
		sc, err := load(args[1])
		if err != nil {
			return err
		}
		res, err := compareScenario(sc)
		if err != nil {
			return err
		}
		printResult(res)
		return nil
	case "random":
		return randomCommand(args[1:])
	case "bench":
		return benchCommand(args[1:])
	}
	return fmt.Errorf("unknown command %q: want table, diff, random or bench", args[0])
}

func printResult(res *Result) {
	for _, s := range res.Unsupported {
		fmt.Println("replayed from kubesim:", s)
	}
	if len(res.Diffs) == 0 {
		fmt.Printf("%s: no differences\n", res.Name)
		return
	}
	fmt.Printf("%s: %d differences (%d explained by known divergences)\n", res.Name, len(res.Diffs), len(res.Diffs)-len(res.Unexplained))
	for i, d := range res.Diffs {
		if i == 40 {
			fmt.Printf("... %d more\n", len(res.Diffs)-40)
			break
		}
		fmt.Println(d)
	}
}

// dumpSeries prints both sides' series whose names match pat (CONFORMANCE_SERIES), and
// their events when pat matches "events".
func dumpSeries(pat string, ks, up *Run) {
	re := regexp.MustCompile(pat)
	for _, side := range []struct {
		name string
		run  *Run
	}{{"kubesim", ks}, {"upstream", up}} {
		var names []string
		for n := range side.run.Series {
			if re.MatchString(n) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Printf("%-8s %s:", side.name, n)
			for _, p := range side.run.Series[n] {
				fmt.Printf(" %s=%q", ms(p.T), p.V)
			}
			fmt.Println()
		}
		if re.MatchString("events") {
			for _, e := range side.run.Events {
				fmt.Printf("%-8s %s %s\n", side.name, ms(e.T), e.Text)
			}
		}
	}
}

// load reads a catalogue scenario by name ("rolling-update", "rolling-update.yaml") or a
// file.
func load(name string) (*scenario.Scenario, error) {
	data, err := os.ReadFile(name)
	file := name
	if err != nil {
		base := strings.TrimSuffix(filepath.Base(name), ".yaml") + ".yaml"
		if data, err = scenarios.Read(base); err != nil {
			return nil, fmt.Errorf("%s: not a file nor a catalogue scenario", name)
		}
		file = base
	}
	return scenario.Parse(file, data)
}

// Result is one scenario compared.
type Result struct {
	Name        string
	Diffs       []Diff
	Unexplained []Diff
	Reasons     []string
	Unsupported []string
	Pass        bool
}

func compareScenario(sc *scenario.Scenario) (*Result, error) {
	ks, rp, err := kubesimRun(sc)
	if err != nil {
		return nil, fmt.Errorf("kubesim: %w", err)
	}
	up, unsupported, err := runUpstream(sc, rp)
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	if pat := os.Getenv("CONFORMANCE_SERIES"); pat != "" {
		dumpSeries(pat, ks, up)
	}
	diffs := compare(ks, up)
	un, reasons := explain(diffs, append(knownFor(sc.Name), wallClockKnown(up.WallClockRanks)...))
	return &Result{Name: sc.Name, Diffs: diffs, Unexplained: un, Reasons: reasons, Unsupported: unsupported, Pass: len(un) == 0}, nil
}
