package player

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// TestSeekThroughRunningDrain: a drain that waits on a PodDisruptionBudget lives in the store
// (its hidden KubectlDrain object and the controller's timers), so seeking back into the
// middle of it and forward again gives the same states and the same continued output.
func TestSeekThroughRunningDrain(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/pdb-drain.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse("pdb-drain.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(sc, 0)
	if err != nil {
		t.Fatal(err)
	}
	first := map[int64]string{}
	for ms := int64(0); ms <= 60_000; ms += 900 {
		seek(t, p, ms)
		first[ms] = dump(t, p.Cluster().Store())
	}
	all := append([]trace.Record(nil), p.Records()...)
	continued := 0
	for _, r := range all {
		if r.Type == trace.TypeAction && r.Action.Continued && strings.HasPrefix(r.Action.Command, "kubectl drain") {
			continued++
		}
	}
	if continued < 3 {
		t.Fatalf("the drain printed %d continued records, want the retries and the end", continued)
	}
	for _, ms := range []int64{38_700, 0, 44_100, 36_900, 59_400, 40_500} {
		seek(t, p, ms)
		if got := dump(t, p.Cluster().Store()); got != first[ms] {
			t.Fatalf("state at %dms differs after seeking", ms)
		}
	}
	seek(t, p, 60_000)
	if !reflect.DeepEqual(p.Records(), all) {
		t.Errorf("seeking changed the known timeline")
	}
}
