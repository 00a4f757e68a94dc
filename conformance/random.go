package main

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/check"
)

// randomSeed compares the scenario kubesim check generates for seed.
func randomSeed(seed uint64) (*check.Model, *Result, error) {
	m := check.Generate(seed, 0)
	r, err := compareModel(m)
	return m, r, err
}

func compareModel(m *check.Model) (*Result, error) {
	sc, err := m.Parse()
	if err != nil {
		return nil, fmt.Errorf("seed %d: %w", m.Seed, err)
	}
	return compareScenario(sc)
}

// randomCommand: random [--start N] [--seeds N] | random --seed N [--minimal].
func randomCommand(args []string) error {
	start, seeds, one, minimal := uint64(1), 50, uint64(0), false
	for i := 0; i < len(args); i++ {
		var err error
		switch args[i] {
		case "--start", "--seeds", "--seed":
			if i+1 == len(args) {
				return fmt.Errorf("%s needs a number", args[i])
			}
			var n uint64
			if _, err = fmt.Sscan(args[i+1], &n); err != nil {
				return fmt.Errorf("%s %s: %w", args[i], args[i+1], err)
			}
			switch args[i] {
			case "--start":
				start = n
			case "--seeds":
				seeds = int(n)
			default:
				one = n
			}
			i++
		case "--minimal":
			minimal = true
		default:
			return fmt.Errorf("unknown flag %q: want --start N, --seeds N, --seed N, --minimal", args[i])
		}
	}
	if one != 0 {
		m, r, err := randomSeed(one)
		if err != nil {
			return err
		}
		if minimal && !r.Pass {
			m, r = shrink(m, r)
			fmt.Print(m.YAML())
			fmt.Println("# differences of this scenario:")
			for _, d := range firstN(r.Unexplained, 10) {
				fmt.Println("#", d)
			}
			return nil
		}
		printResult(r)
		return nil
	}
	failed := 0
	for s := start; s < start+uint64(seeds); s++ {
		_, r, err := randomSeed(s)
		if err != nil {
			fmt.Printf("seed %d: %v\n", s, err)
			failed++
			continue
		}
		if !r.Pass {
			failed++
			fmt.Printf("seed %d: %d unexplained differences; first: %s\n", s, len(r.Unexplained), r.Unexplained[0])
		}
	}
	fmt.Printf("conformance random: %d seeds from %d, %d with unexplained differences\n", seeds, start, failed)
	return nil
}

func firstN(ds []Diff, n int) []Diff {
	if len(ds) > n {
		return ds[:n]
	}
	return ds
}

// shrink removes timeline steps, objects and nodes from a model while the comparison still
// finds an unexplained difference in the same series (or the same event kind).
func shrink(m *check.Model, r *Result) (*check.Model, *Result) {
	sig := signature(r.Unexplained[0])
	try := func(c *check.Model) bool {
		cr, err := compareModel(c)
		if err != nil || cr.Pass || signature(cr.Unexplained[0]) != sig {
			return false
		}
		m, r = c, cr
		return true
	}
	for changed := true; changed; {
		changed = false
		for i := len(m.Steps) - 1; i >= 1; i-- { // keep step 0, apply all
			c := cloneModel(m)
			c.Steps = append(c.Steps[:i:i], c.Steps[i+1:]...)
			changed = try(c) || changed
		}
		for i := len(m.Objects) - 1; i >= 0 && len(m.Objects) > 1; i-- {
			c := cloneModel(m)
			c.Objects = append(c.Objects[:i:i], c.Objects[i+1:]...)
			changed = try(c) || changed
		}
		for i := len(m.Nodes) - 1; i >= 0 && len(m.Nodes) > 1; i-- {
			c := cloneModel(m)
			c.Nodes = append(c.Nodes[:i:i], c.Nodes[i+1:]...)
			changed = try(c) || changed
		}
		last := m.Steps[len(m.Steps)-1].At
		for _, until := range []api.Duration{last + 30*api.Second, last + 10*api.Second} {
			if until < m.Until {
				c := cloneModel(m)
				c.Until = until
				changed = try(c) || changed
			}
		}
	}
	return m, r
}

// signature is what a shrunk scenario must keep: the series of the first unexplained
// difference, or for an event difference its side and reason.
func signature(d Diff) string {
	if rest, ok := strings.CutPrefix(d.What, "event only "); ok {
		side, ev, _ := strings.Cut(rest, ": ")
		obj, reason, _ := strings.Cut(ev, " ")
		kind, _, _ := strings.Cut(obj, "/")
		reason, _, _ = strings.Cut(reason, ":")
		return "event " + side + " " + kind + " " + reason
	}
	series, _, _ := strings.Cut(d.What, ": ")
	return series
}

func cloneModel(m *check.Model) *check.Model {
	c := *m
	c.Nodes = append([]check.Node(nil), m.Nodes...)
	c.Images = append([]check.Image(nil), m.Images...)
	c.Objects = append([]check.Object(nil), m.Objects...)
	c.Steps = append([]check.Step(nil), m.Steps...)
	return &c
}
