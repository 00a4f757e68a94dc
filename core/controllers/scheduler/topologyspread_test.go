package scheduler

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// spreadNode is a node with the given labels ("zone=zone1,node=node-a").
func spreadNode(name, labels string, taints ...api.Taint) *api.Node {
	n := node(name, "4", taints...)
	n.Labels = map[string]string{}
	for _, kv := range strings.Split(labels, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			n.Labels[k] = v
		}
	}
	return n
}

func spreadPod(name, nodeName string, labels map[string]string, cs ...api.TopologySpread) *api.Pod {
	p := pod(name, "100m", nodeName)
	p.Labels = labels
	p.Spec.TopologySpreadConstraints = cs
	return p
}

func hard(key string, skew int32, sel map[string]string) api.TopologySpread {
	return api.TopologySpread{MaxSkew: skew, TopologyKey: key, WhenUnsatisfiable: api.DoNotSchedule,
		LabelSelector: &api.LabelSelector{MatchLabels: sel}}
}

// The cases follow pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go
// (TestSingleConstraint, TestMultipleConstraints), rewritten: four nodes a, b in zone1 and
// x, y in zone2, existing pods labelled foo, and the verdict of the filter on each node.
func TestPodTopologySpreadFilter(t *testing.T) {
	foo := map[string]string{"foo": ""}
	four := func() []*api.Node {
		return []*api.Node{spreadNode("node-a", "zone=zone1,node=node-a"), spreadNode("node-b", "zone=zone1,node=node-b"),
			spreadNode("node-x", "zone=zone2,node=node-x"), spreadNode("node-y", "zone=zone2,node=node-y")}
	}
	on := func(spec ...string) []*api.Pod { // "node-a:2" = two foo pods on node-a
		var ps []*api.Pod
		for _, s := range spec {
			n, k, _ := strings.Cut(s, ":")
			for i := 0; i < int(k[0]-'0'); i++ {
				ps = append(ps, spreadPod("p-"+n+string(rune('1'+i)), n, foo))
			}
		}
		return ps
	}
	ptr := func(s string) *string { return &s }
	min3 := int32(3)
	tests := []struct {
		name     string
		pod      *api.Pod
		nodes    []*api.Node
		existing []*api.Pod
		want     map[string]string // node -> "" (fits) or the reason
	}{
		{"no existing pods", spreadPod("p", "", foo, hard("zone", 1, foo)), four(), nil,
			map[string]string{"node-a": "", "node-b": "", "node-x": "", "node-y": ""}},
		{"incoming pod does not match itself", spreadPod("p", "", foo, hard("zone", 1, map[string]string{"bar": ""})), four(), on("node-a:2"),
			map[string]string{"node-a": "", "node-b": "", "node-x": "", "node-y": ""}},
		{"zones 3/3: all fit", spreadPod("p", "", foo, hard("zone", 1, foo)), four(), on("node-a:2", "node-b:1", "node-x:1", "node-y:2"),
			map[string]string{"node-a": "", "node-b": "", "node-x": "", "node-y": ""}},
		{"zones 3/1: only zone2 fits", spreadPod("p", "", foo, hard("zone", 1, foo)), four(), on("node-a:2", "node-b:1", "node-y:1"),
			map[string]string{"node-a": ReasonSpread, "node-b": ReasonSpread, "node-x": "", "node-y": ""}},
		{"node-b without the zone label", spreadPod("p", "", foo, hard("zone", 1, foo)),
			[]*api.Node{spreadNode("node-a", "zone=zone1"), spreadNode("node-b", "node=node-b"), spreadNode("node-x", "zone=zone2"), spreadNode("node-y", "zone=zone2")},
			on("node-a:1", "node-b:1", "node-x:1", "node-y:1"), // zone1 1, zone2 2: node-b's pod is not counted
			map[string]string{"node-a": "", "node-b": ReasonSpreadMissingLabel, "node-x": ReasonSpread, "node-y": ReasonSpread}},
		{"no node has the rack label", spreadPod("p", "", foo, hard("rack", 1, foo)), four(), nil,
			map[string]string{"node-a": ReasonSpreadMissingLabel, "node-b": ReasonSpreadMissingLabel, "node-x": ReasonSpreadMissingLabel, "node-y": ReasonSpreadMissingLabel}},
		{"nodes 2/1/0/3, maxSkew 1: only node-x fits", spreadPod("p", "", foo, hard("node", 1, foo)), four(), on("node-a:2", "node-b:1", "node-y:3"),
			map[string]string{"node-a": ReasonSpread, "node-b": ReasonSpread, "node-x": "", "node-y": ReasonSpread}},
		{"nodes 2/1/0/3, maxSkew 2: node-b and node-x fit", spreadPod("p", "", foo, hard("node", 2, foo)), four(), on("node-a:2", "node-b:1", "node-y:3"),
			map[string]string{"node-a": ReasonSpread, "node-b": "", "node-x": "", "node-y": ReasonSpread}},
		{"pods of another namespace and terminating pods do not count", spreadPod("p", "", foo, hard("zone", 1, foo)), four(),
			func() []*api.Pod {
				ps := on("node-a:1", "node-x:3")
				ps[1].Namespace = "other"
				ps[2].DeletionTimestamp = api.Ptr(api.Time(0))
				return ps
			}(), // zone1 1, zone2 1
			map[string]string{"node-a": "", "node-b": "", "node-x": "", "node-y": ""}},
		{"minDomains 3 with 2 zones: the global minimum is 0", func() *api.Pod {
			c := hard("zone", 2, foo)
			c.MinDomains = &min3
			return spreadPod("p", "", foo, c)
		}(), four(), on("node-a:1", "node-b:1", "node-x:1"), // zone1 2, zone2 1, min 0
			map[string]string{"node-a": ReasonSpread, "node-b": ReasonSpread, "node-x": "", "node-y": ""}},
		{"nodeAffinityPolicy Honor: zone2 outside the pod's nodeSelector is not a domain", func() *api.Pod {
			p := spreadPod("p", "", foo, hard("zone", 1, foo))
			p.Spec.NodeSelector = map[string]string{"zone": "zone1"}
			return p
		}(), four(), on("node-a:1"), // only zone1 (1) counts: min 1, skew 1
			map[string]string{"node-a": "", "node-b": ""}},
		{"nodeAffinityPolicy Ignore: the empty zone2 is a domain", func() *api.Pod {
			c := hard("zone", 1, foo)
			c.NodeAffinityPolicy = ptr(api.PolicyIgnore)
			p := spreadPod("p", "", foo, c)
			p.Spec.NodeSelector = map[string]string{"zone": "zone1"}
			return p
		}(), four(), on("node-a:1"),
			map[string]string{"node-a": ReasonSpread, "node-b": ReasonSpread}},
		{"nodeTaintsPolicy Honor: a tainted zone is not a domain", func() *api.Pod {
			c := hard("zone", 1, foo)
			c.NodeTaintsPolicy = ptr(api.PolicyHonor)
			return spreadPod("p", "", foo, c)
		}(), []*api.Node{spreadNode("node-a", "zone=zone1"), spreadNode("node-x", "zone=zone2", api.Taint{Key: "k", Effect: api.TaintNoSchedule})},
			on("node-a:1"), // zone2 not counted: min 1
			map[string]string{"node-a": ""}},
		{"nodeTaintsPolicy Ignore (default): the tainted empty zone is the minimum", spreadPod("p", "", foo, hard("zone", 1, foo)),
			[]*api.Node{spreadNode("node-a", "zone=zone1"), spreadNode("node-x", "zone=zone2", api.Taint{Key: "k", Effect: api.TaintNoSchedule})},
			on("node-a:1"),
			map[string]string{"node-a": ReasonSpread}},
		{"matchLabelKeys narrows the selector to the pod's own value", func() *api.Pod {
			c := hard("zone", 1, foo)
			c.MatchLabelKeys = []string{"rev"}
			return spreadPod("p", "", map[string]string{"foo": "", "rev": "2"}, c)
		}(), four(), on("node-a:3"), // foo pods without rev=2 do not count
			map[string]string{"node-a": "", "node-b": "", "node-x": "", "node-y": ""}},
		{"two constraints: zone fits only zone2, node only node-x", spreadPod("p", "", foo, hard("zone", 1, foo), hard("node", 1, foo)), four(),
			on("node-a:1", "node-b:1", "node-y:1"),
			map[string]string{"node-a": ReasonSpread, "node-b": ReasonSpread, "node-x": "", "node-y": ReasonSpread}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			byNode := map[string][]*api.Pod{}
			for _, e := range tc.existing {
				byNode[e.Spec.NodeName] = append(byNode[e.Spec.NodeName], e)
			}
			s := preFilterSpread(tc.pod, tc.nodes, func(n string) []*api.Pod { return byNode[n] })
			for _, n := range tc.nodes {
				want, ok := tc.want[n.Name]
				if !ok {
					continue
				}
				rs, resolvable := filterSpread(s, tc.pod, n)
				got := strings.Join(rs, ",")
				if got != want {
					t.Errorf("%s: got %q; want %q", n.Name, got, want)
				}
				if want == ReasonSpreadMissingLabel && resolvable {
					t.Errorf("%s: a missing label must be UnschedulableAndUnresolvable", n.Name)
				}
			}
		})
	}
}

// A pod without DoNotSchedule constraints skips the plugin; the FitError counts the
// spread rejections like any other filter's.
func TestPodTopologySpreadFitError(t *testing.T) {
	foo := map[string]string{"foo": ""}
	nodes := []*api.Node{spreadNode("node-a", "zone=zone1"), spreadNode("node-b", "zone=zone1"), spreadNode("node-x", "zone=zone2"), spreadNode("node-y", "rack=r1")}
	existing := map[string][]*api.Pod{"node-a": {spreadPod("e1", "node-a", foo)}, "node-b": {spreadPod("e2", "node-b", foo)}}
	p := spreadPod("p", "", foo, hard("zone", 1, foo))
	p.Spec.NodeSelector = map[string]string{"zone": "zone1"}
	c := p.Spec.TopologySpreadConstraints[0]
	c.NodeAffinityPolicy = api.Ptr(api.PolicyIgnore)
	p.Spec.TopologySpreadConstraints[0] = c
	res := Schedule(p, nodes, func(n string) []*api.Pod { return existing[n] }, testRand())
	want := "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't match pod topology spread constraints. preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
	if res.Node != "" || res.Message != want {
		t.Errorf("Schedule() = %q, %q; want %q", res.Node, res.Message, want)
	}
	if preFilterSpread(spreadPod("q", "", foo, api.TopologySpread{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: api.ScheduleAnyway}), nodes, nil) != nil {
		t.Error("a ScheduleAnyway constraint reached the filter")
	}
}

// A pod rejected by the spread filter is retried when another pod is bound (an assigned Pod
// Add event), not only after 5 minutes: here the new pod in zone-b raises the global minimum.
func TestSpreadRejectedPodRetriedOnBinding(t *testing.T) {
	foo := map[string]string{"foo": ""}
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	cordoned := spreadNode("node-3", "zone=zone-b")
	cordoned.Spec.Unschedulable = true
	must(t, ctx.Create(spreadNode("node-1", "zone=zone-a")))
	must(t, ctx.Create(cordoned))
	must(t, ctx.Create(spreadPod("e1", "node-1", foo)))
	must(t, ctx.Create(spreadPod("web", "", foo, hard("zone", 1, foo))))
	must(t, e.AdvanceTo(0))
	if c := e.Store().Get("Pod", "default/web").(*api.Pod).GetCondition(api.PodScheduled); c == nil || c.Status != api.ConditionFalse {
		t.Fatalf("PodScheduled = %+v; want False", c)
	}
	e.Schedule(sim.Action{At: 10_000, Source: "test", Command: "bind"})
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		return "", ctx.Create(spreadPod("e2", "node-3", foo))
	})
	must(t, e.AdvanceTo(10_000))
	if n := e.Store().Get("Pod", "default/web").(*api.Pod).Spec.NodeName; n != "node-1" {
		t.Fatalf("nodeName = %q at 10s; want node-1", n)
	}
}
