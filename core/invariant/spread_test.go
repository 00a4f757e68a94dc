package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

func zoneNode(name, zone string) *api.Node {
	return &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, UID: "uid-" + name, Labels: map[string]string{"zone": zone}}}
}

// spreadPodAt is a web pod, bound to node (if any) by the scheduler at t.
func spreadPodAt(name, node string, t api.Time, hard bool) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name, Labels: map[string]string{"app": "web"}},
		Spec:       api.PodSpec{NodeName: node, Containers: []api.Container{{Name: "app", Image: "app"}}}}
	if hard {
		p.Spec.TopologySpreadConstraints = []api.TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: api.DoNotSchedule,
			LabelSelector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}
	}
	if node != "" {
		p.Status.Conditions = []api.PodCondition{{Type: api.PodScheduled, Status: api.ConditionTrue, LastTransitionTime: t}}
	}
	return p
}

func TestTopologySpreadAtBinding(t *testing.T) {
	a, b := zoneNode("node-a", "zone-a"), zoneNode("node-b", "zone-b")
	e1 := spreadPodAt("e1", "node-a", 0, false)
	before := instant{0, []api.Object{a, b, e1, spreadPodAt("web", "", 0, true)}}
	// Bound into zone-a beside e1 while zone-b is empty: skew 2 > 1.
	err, at := replay(t, "topology-spread-at-binding", []instant{before, {1000, []api.Object{a, b, e1, spreadPodAt("web", "node-a", 1000, true)}}})
	if err == nil || at != 1000 || !strings.Contains(err.Error(), "skew 2") {
		t.Fatalf("got %v at %d; want a skew 2 violation at 1s", err, at)
	}
	// Into zone-b: skew 1, fine.
	if err, _ := replay(t, "topology-spread-at-binding", []instant{before, {1000, []api.Object{a, b, e1, spreadPodAt("web", "node-b", 1000, true)}}}); err != nil {
		t.Fatalf("a valid binding was reported: %v", err)
	}
	// Judged at the write: e2 bound into zone-b earlier in the same instant makes zone-a fine.
	if err, _ := replay(t, "topology-spread-at-binding", []instant{before,
		{1000, []api.Object{a, b, e1, spreadPodAt("e2", "node-b", 1000, false), spreadPodAt("web", "node-a", 1000, true)}}}); err != nil {
		t.Fatalf("a binding valid at its write was reported: %v", err)
	}
}
