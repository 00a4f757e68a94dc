package trace_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/trace"
	"github.com/kubesim/kubesim/scenarios"
)

// TestStateEqualIsJSONEquality: State.Equal, which the engine uses to skip an instant whose
// state did not change, says what comparing the states' JSON encodings said before it, for
// every pair of states the catalogue records and for each state and its copy read back.
func TestStateEqualIsJSONEquality(t *testing.T) {
	pairs, equal := 0, 0
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cluster.New(sc, cluster.Options{RecordState: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
			t.Fatal(err)
		}
		var states []*trace.State
		var encoded [][]byte
		for _, r := range c.Records() {
			if r.Type != trace.TypeState {
				continue
			}
			b, err := json.Marshal(r.State)
			if err != nil {
				t.Fatal(err)
			}
			var back trace.State
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			states = append(states, r.State, &back)
			encoded = append(encoded, b, b)
		}
		for i := range states {
			for j := range states {
				pairs++
				want := bytes.Equal(encoded[i], encoded[j])
				if want {
					equal++
				}
				if got := states[i].Equal(states[j]); got != want {
					t.Fatalf("%s: states %d and %d: Equal = %v, JSON equality %v\n%s\n%s", name, i, j, got, want, encoded[i], encoded[j])
				}
			}
		}
	}
	if equal == 0 || equal == pairs {
		t.Fatalf("%d of %d pairs equal: the check saw only one answer", equal, pairs)
	}
}
