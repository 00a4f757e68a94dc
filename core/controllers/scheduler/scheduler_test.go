package scheduler

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

func node(name, cpu string, taints ...api.Taint) *api.Node {
	n := &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: name},
		Spec:   api.NodeSpec{Taints: taints},
		Status: api.NodeStatus{Allocatable: api.ResourceList{"cpu": api.MustQuantity(cpu), "memory": api.MustQuantity("4Gi"), "pods": api.MustQuantity("110")}}}
	return n
}

func pod(name, cpu, nodeName string) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default"},
		Spec: api.PodSpec{NodeName: nodeName, Containers: []api.Container{{Name: "app", Image: "app:1",
			Resources: api.ResourceRequirements{Requests: api.ResourceList{"cpu": api.MustQuantity(cpu)}}}}}}
	api.DefaultPod(p)
	return p
}

// Reference: pods.md §19 T12 and §10.3 (pkg/scheduler/framework/types.go FitError.Error).
func TestFitErrorMessages(t *testing.T) {
	gpu := api.Taint{Key: "dedicated", Value: "gpu", Effect: api.TaintNoSchedule}
	tests := []struct {
		name  string
		nodes []*api.Node
		want  string
	}{
		{"three full nodes", []*api.Node{node("node-1", "1"), node("node-2", "1"), node("node-3", "1")},
			"0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."},
		{"one tainted", []*api.Node{node("node-1", "1", gpu), node("node-2", "1"), node("node-3", "1")},
			"0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			existing := map[string][]*api.Pod{}
			for _, n := range tc.nodes {
				existing[n.Name] = []*api.Pod{pod("busy-"+n.Name, "700m", n.Name)}
			}
			res := Schedule(pod("web", "500m", ""), tc.nodes, func(n string) []*api.Pod { return existing[n] }, testRand())
			if res.Node != "" || res.Message != tc.want {
				t.Errorf("Schedule() = node %q, message %q; want message %q", res.Node, res.Message, tc.want)
			}
		})
	}
}

func TestNodeAffinityOperators(t *testing.T) {
	n := node("node-1", "1")
	n.Labels = map[string]string{"zone": "a", "gen": "5"}
	tests := []struct {
		op     string
		key    string
		values []string
		want   bool
	}{
		{"In", "zone", []string{"a", "b"}, true}, {"In", "zone", []string{"b"}, false},
		{"NotIn", "zone", []string{"b"}, true}, {"NotIn", "zone", []string{"a"}, false},
		{"Exists", "zone", nil, true}, {"DoesNotExist", "zone", nil, false}, {"DoesNotExist", "x", nil, true},
		{"Gt", "gen", []string{"4"}, true}, {"Gt", "gen", []string{"5"}, false},
		{"Lt", "gen", []string{"6"}, true}, {"Lt", "gen", []string{"5"}, false},
	}
	for _, tc := range tests {
		p := pod("web", "100m", "")
		p.Spec.Affinity = &api.Affinity{NodeAffinity: &api.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &api.NodeSelector{
			NodeSelectorTerms: []api.NodeSelectorTerm{{MatchExpressions: []api.NodeSelectorRequirement{{Key: tc.key, Operator: tc.op, Values: tc.values}}}}}}}
		if got := MatchesNodeSelector(p, n); got != tc.want {
			t.Errorf("%s %s %v: got %v; want %v", tc.key, tc.op, tc.values, got, tc.want)
		}
	}
}

func testRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// LeastAllocated spreads: a pod on equal nodes is a tie drawn at random, the next one goes to
// the emptier node, whatever the draw.
func TestLeastAllocatedSpreads(t *testing.T) {
	nodes := []*api.Node{node("node-1", "2"), node("node-2", "2")}
	for seed := uint64(0); seed < 8; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		on := map[string][]*api.Pod{}
		var got []string
		for i := 0; i < 4; i++ {
			p := pod("p", "500m", "")
			res := Schedule(p, nodes, func(n string) []*api.Pod { return on[n] }, r)
			p.Spec.NodeName = res.Node
			on[res.Node] = append(on[res.Node], p)
			got = append(got, res.Node)
		}
		if got[0] == got[1] || got[2] == got[3] {
			t.Fatalf("seed %d: placements = %v; want alternating nodes", seed, got)
		}
	}
}

// Ties are broken as schedule_one.go selectHost does: uniformly among the nodes with the top
// total (reservoir sampling), never a lower one, and no number is drawn without a tie.
func TestPickBestBreaksTiesUniformly(t *testing.T) {
	totals := []int64{250, 300, 120, 300, 300}
	r := rand.New(rand.NewPCG(7, 7))
	count := map[int]int{}
	const n = 3000
	for i := 0; i < n; i++ {
		best, ties := pickBest(totals, r)
		if ties != 3 {
			t.Fatalf("ties = %d; want 3", ties)
		}
		count[best]++
	}
	if count[0]+count[2] != 0 {
		t.Fatalf("a node below the top score was chosen: %v", count)
	}
	for _, i := range []int{1, 3, 4} {
		if count[i] < n/3-150 || count[i] > n/3+150 {
			t.Errorf("node %d chosen %d times of %d; want about %d (counts %v)", i, count[i], n, n/3, count)
		}
	}
	// A unique maximum draws nothing: the stream is where a fresh one is.
	r1, r2 := rand.New(rand.NewPCG(3, 3)), rand.New(rand.NewPCG(3, 3))
	if best, ties := pickBest([]int64{5, 9, 7}, r1); best != 1 || ties != 1 {
		t.Fatalf("pickBest = %d, %d; want 1, 1", best, ties)
	}
	if r1.Uint64() != r2.Uint64() {
		t.Error("pickBest drew a number without a tie")
	}
}

// The controller draws its ties from the engine's "scheduler" stream: the same seed gives
// the same placements, and across seeds a tied pod lands on every tied node.
func TestControllerTieDependsOnSeedOnly(t *testing.T) {
	place := func(seed uint64) string {
		e := sim.New(sim.Options{Seed: seed})
		e.Register(Controller{})
		ctx := e.ActionContext("test")
		for _, n := range []string{"node-1", "node-2", "node-3"} {
			must(t, ctx.Create(node(n, "2")))
		}
		must(t, ctx.Create(pod("web", "500m", "")))
		must(t, e.AdvanceTo(0))
		return e.Store().Get("Pod", "default/web").(*api.Pod).Spec.NodeName
	}
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		a, b := place(seed), place(seed)
		if a != b {
			t.Fatalf("seed %d: placed on %s then %s", seed, a, b)
		}
		seen[a] = true
	}
	if len(seen) != 3 {
		t.Errorf("over 20 seeds the tied pod went to %v; want all three nodes", seen)
	}
}

// An unschedulable pod becomes schedulable when a node is added: the scheduler retries on
// node events, emits Scheduled and sets PodScheduled=True.
func TestUnschedulableRetriedOnNodeAdd(t *testing.T) {
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	must(t, ctx.Create(node("node-1", "1")))
	must(t, ctx.Create(pod("busy", "700m", "node-1")))
	must(t, ctx.Create(pod("web", "500m", "")))
	must(t, e.AdvanceTo(0))
	p := e.Store().Get("Pod", "default/web").(*api.Pod)
	c := p.GetCondition(api.PodScheduled)
	if c == nil || c.Status != api.ConditionFalse || c.Reason != "Unschedulable" {
		t.Fatalf("PodScheduled = %+v; want False/Unschedulable", c)
	}
	e.Schedule(sim.Action{At: 10_000, Source: "test", Command: "add"})
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) { return "", ctx.Create(node("node-2", "1")) })
	must(t, e.AdvanceTo(10_000))
	p = e.Store().Get("Pod", "default/web").(*api.Pod)
	if p.Spec.NodeName != "node-2" {
		t.Fatalf("nodeName = %q; want node-2", p.Spec.NodeName)
	}
	var msgs []string
	for _, r := range e.Records() {
		if r.Event != nil {
			msgs = append(msgs, r.T.SecondsString()+" "+r.Event.Reason+" "+r.Event.Message)
		}
	}
	want := []string{
		"0 FailedScheduling 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
		"10 Scheduled Successfully assigned default/web to node-2",
	}
	if len(msgs) != len(want) || msgs[0] != want[0] || msgs[1] != want[1] {
		t.Errorf("events = %q; want %q", msgs, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// On a big cluster the explanation names at most maxExplainedNodes nodes, always the chosen
// one, and counts the others, so the Why? panel stays readable.
func TestExplanationListsAFewNodesAndTheChosenOne(t *testing.T) {
	var nodes []*api.Node
	on := map[string][]*api.Pod{}
	for i := 1; i <= 100; i++ {
		n := node(fmt.Sprintf("node-%03d", i), "2")
		nodes = append(nodes, n)
		if i != 57 { // node-057 is the only empty node, so it wins
			on[n.Name] = []*api.Pod{pod("busy", "1", n.Name)}
		}
	}
	res := Schedule(pod("p", "500m", ""), nodes, func(n string) []*api.Pod { return on[n] }, testRand())
	if res.Node != "node-057" {
		t.Fatalf("chose %s; want node-057", res.Node)
	}
	if !strings.Contains(res.Explanation, "node-057: score") {
		t.Errorf("explanation does not show the chosen node: %s", res.Explanation)
	}
	if !strings.HasSuffix(res.Explanation, "; 95 more nodes not listed") || strings.Count(res.Explanation, ": score") != 5 {
		t.Errorf("explanation = %q; want 5 scored nodes (4 + the chosen one) and '95 more nodes not listed'", res.Explanation)
	}
}
