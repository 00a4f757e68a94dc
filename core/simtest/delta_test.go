package simtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/check"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// TestDeltaTraceExpandsToFullStates: for every catalogue scenario and every golden scenario,
// the delta trace expanded by trace.ExpandJSONL is byte for byte the full-state trace
// (`kubesim run -o jsonl --full-states`), and the delta trace is no larger than it. Under
// ./build.sh test it runs as wasm too, so both builds read deltas the same way.
func TestDeltaTraceExpandsToFullStates(t *testing.T) {
	scenarios := catalogue(t)
	golden, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range golden {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Parse(filepath.Base(f), data)
		if err != nil {
			t.Fatal(err)
		}
		scenarios["testdata/"+filepath.Base(f)] = sc
	}
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			o := check.Run(sc, check.RunOptions{})
			if o.Failure != nil {
				t.Fatal(o.Failure)
			}
			deltas, err := o.JSONL()
			if err != nil {
				t.Fatal(err)
			}
			full, err := o.FullJSONL()
			if err != nil {
				t.Fatal(err)
			}
			expanded, err := trace.ExpandJSONL([]byte(deltas))
			if err != nil {
				t.Fatal(err)
			}
			if string(expanded) != full {
				t.Fatalf("expanded delta trace differs from the full-state trace:\n%s", jsonlDiff(full, string(expanded)))
			}
			if len(deltas) > len(full) {
				t.Errorf("delta trace %d bytes > full-state trace %d bytes", len(deltas), len(full))
			}
			states := strings.Count(full, `"type":"state"`)
			wantFull := (states + trace.FullEvery - 1) / trace.FullEvery
			if got := strings.Count(deltas, `"type":"state"`); got != wantFull {
				t.Errorf("%d full state records among %d; want %d (the first and every %dth): a state out of store order falls back to full",
					got, states, wantFull, trace.FullEvery)
			}
		})
	}
}
