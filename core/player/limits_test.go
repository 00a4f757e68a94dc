package player

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// TestShareRefusesHugeScale: a share link's `do` line is a user command like the page's
// console and menus, so `scale --replicas=2147483647` in a link is refused with the API's
// validation error when the link is replayed, and the replayed cluster keeps its 4 replicas.
func TestShareRefusesHugeScale(t *testing.T) {
	const cmd = "kubectl scale deployment/web --replicas=2147483647"
	sh := Share{Scenario: "test", T: 25_000, Speed: 1, Actions: []UserAction{{At: 10_000, Command: cmd}}}
	dec, err := Decode(sh.Encode())
	if err != nil {
		t.Fatal(err)
	}
	p, err := Replay(testScenario(t), dec.Seed, dec.Actions, dec.T)
	if err != nil {
		t.Fatal(err)
	}
	const want = `The Deployment "web" is invalid: spec.replicas: Invalid value: 2147483647: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)`
	found := false
	for _, r := range p.Past() {
		if r.Type == trace.TypeAction && r.Action.Source == "user" && r.Action.Command == cmd {
			found = true
			if r.Action.Error != want {
				t.Errorf("error %q, want %q", r.Action.Error, want)
			}
		}
	}
	if !found {
		t.Fatal("the shared command did not run")
	}
	d, _ := store.GetAs[*api.Deployment](p.Cluster().Store(), "Deployment", "default/web")
	if got := api.Deref(d.Spec.Replicas, 1); got != 4 {
		t.Errorf("web has %d replicas, want 4", got)
	}
}
