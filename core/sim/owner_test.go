package sim_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// TestOwnedKindsConcernNoOtherController: dispatch offers a hidden kind's changes to its
// owner alone (KindOwner), which is right only while no other controller's Watch acts on
// them. Every change of an owned kind in the whole catalogue is offered to every other
// controller as well, and none may ask for a reconcile.
func TestOwnedKindsConcernNoOtherController(t *testing.T) {
	seen := map[string]int{}
	eachCatalogueScenario(t, func(name string, sc *scenario.Scenario) {
		var ctrls []sim.Controller
		owner := map[string]int{}
		probing := false // Watch does not write, but stay safe from re-entry
		runWatching(t, name, sc, cluster.Options{}, func(c *cluster.Cluster, ch store.Change) {
			if ctrls == nil {
				ctrls = sim.Controllers(c.Engine)
				for i, ctrl := range ctrls {
					if o, ok := ctrl.(sim.KindOwner); ok {
						for _, k := range o.OwnedKinds() {
							owner[k] = i
						}
					}
				}
			}
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
	})
	// The check saw the hot kinds at least (the rest appear in few scenarios, or none).
	for _, k := range []string{"PodRuntime", "NodeRuntime", "HostLocalIPAM", "SchedulerQueue", "NodeCIDRSet", "HPAHistory", "MetricsServerState"} {
		if seen[k] == 0 {
			t.Errorf("no change of %s in the catalogue was checked", k)
		}
	}
	t.Logf("changes checked per owned kind: %v", seen)
}
