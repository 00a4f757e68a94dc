package simtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// Result is the outcome of running a scenario to its end.
type Result struct {
	Text  string // the text timeline
	JSONL string // the JSONL trace
}

// Hash returns the SHA-256 of the JSONL trace, hex encoded.
func (r *Result) Hash() string {
	h := sha256.Sum256([]byte(r.JSONL))
	return hex.EncodeToString(h[:])
}

// Run simulates sc until its end (or until, when non-zero), checking every invariant after
// every instant. The error names the first invariant broken or the engine's failure.
func Run(sc *scenario.Scenario, seed uint64, until api.Duration) (*Result, error) {
	c, err := cluster.New(sc, cluster.Options{Seed: seed, RecordState: true})
	if err != nil {
		return nil, err
	}
	end := api.Time(sc.Until)
	if until != 0 {
		end = api.Time(until)
	}
	for {
		next, ok := c.NextTime()
		if !ok || next > end {
			break
		}
		if _, err := c.Step(); err != nil {
			return nil, err
		}
		if err := invariant.CheckAll(c.Store(), c.Now()); err != nil {
			return nil, fmt.Errorf("t=%ss: %w", c.Now().SecondsString(), err)
		}
	}
	if err := c.AdvanceTo(end); err != nil {
		return nil, err
	}
	var text, jsonl bytes.Buffer
	tw := trace.NewTextWriter(&text)
	for _, r := range c.Records() {
		if err := tw.Write(r); err != nil {
			return nil, err
		}
	}
	if err := trace.WriteJSONL(&jsonl, c.Records()); err != nil {
		return nil, err
	}
	return &Result{Text: text.String(), JSONL: jsonl.String()}, nil
}
