package sim_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/scenarios"
)

// TestOwnedKindsConcernNoOtherController: dispatch offers a hidden kind's changes to its
// owner alone (KindOwner), which is right only while no other controller's Watch acts on
// them. Every change of an owned kind in the whole catalogue is offered to every other
// controller as well, and none may ask for a reconcile.
func TestOwnedKindsConcernNoOtherController(t *testing.T) {
	seen := map[string]int{}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cluster.New(sc, cluster.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctrls := sim.Controllers(c.Engine)
		owner := map[string]int{}
		for i, ctrl := range ctrls {
			if o, ok := ctrl.(sim.KindOwner); ok {
				for _, k := range o.OwnedKinds() {
					owner[k] = i
				}
			}
		}
		probing := false // Watch does not write, but stay safe from re-entry
		c.Store().Listen(func(ch store.Change) {
			i, ok := owner[ch.Kind]
			if !ok || probing {
				return
			}
			probing = true
			defer func() { probing = false }()
			seen[ch.Kind]++
			for j, ctrl := range ctrls {
				if j != i && sim.OfferTo(c.Engine, j, ch) {
					t.Errorf("%s: %s's Watch acts on a change of %s %s, which only %s is offered", name, ctrl.Name(), ch.Kind, ch.Key, ctrls[i].Name())
				}
			}
		})
		if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// The check saw the hot kinds at least (the rest appear in few scenarios, or none).
	for _, k := range []string{"PodRuntime", "NodeRuntime", "HostLocalIPAM", "SchedulerQueue", "NodeCIDRSet", "HPAHistory", "MetricsServerState"} {
		if seen[k] == 0 {
			t.Errorf("no change of %s in the catalogue was checked", k)
		}
	}
	t.Logf("changes checked per owned kind: %v", seen)
}
