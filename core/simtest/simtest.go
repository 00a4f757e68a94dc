package simtest

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/check"
	"github.com/kubesim/kubesim/core/scenario"
)

// Result is the outcome of running a scenario to its end.
type Result struct {
	Text  string // the text timeline
	JSONL string // the JSONL trace
}

// Run simulates sc until its end (or until, when non-zero), checking every invariant after
// every instant. The error names the first invariant broken or the engine's failure. The loop
// itself is check.Run, shared with `kubesim check`.
func Run(sc *scenario.Scenario, seed uint64, until api.Duration) (*Result, error) {
	o := check.Run(sc, check.RunOptions{Seed: seed, Until: until})
	if o.Failure != nil {
		return nil, o.Failure
	}
	text, err := o.Text()
	if err != nil {
		return nil, err
	}
	jsonl, err := o.JSONL()
	if err != nil {
		return nil, err
	}
	return &Result{Text: text, JSONL: jsonl}, nil
}
