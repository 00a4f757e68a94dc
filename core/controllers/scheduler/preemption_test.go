package scheduler

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Priorities of upstream's tests (defaultpreemption/default_preemption_test.go).
const (
	negPriority, lowPriority, midPriority, highPriority, veryHighPriority = int32(-100), int32(0), int32(100), int32(1000), int32(10000)
)

// ppod is a pod with a priority, a cpu request and a start time (seconds since epoch).
func ppod(name string, prio int32, cpu, nodeName string, start int64) *api.Pod {
	p := pod(name, cpu, nodeName)
	p.Spec.Priority = &prio
	p.UID = name
	if nodeName != "" {
		t := api.Time(start)
		p.Status.StartTime = &t
		p.Status.Phase = api.PodRunning
	}
	return p
}

// preemptFor runs one scheduling attempt of p and, when no node fits, DefaultPreemption.
func preemptFor(p *api.Pod, nodes []*api.Node, pods []*api.Pod, pdbs []*api.PodDisruptionBudget) (preemption, Result) {
	podsOn := func(n string) []*api.Pod {
		var out []*api.Pod
		for _, q := range pods {
			if q.Spec.NodeName == n {
				out = append(out, q)
			}
		}
		return out
	}
	res := scheduleWith(p, nodes, podsOn, func(n string) nodeUsage { return usageOf(podsOn(n)) }, nil, nil, testRand())
	if res.Node != "" {
		return preemption{}, res
	}
	return preempt(p, nodes, res, podsOn, pdbs, fitsWith(p, nodes, podsOn, nil, nil), api.Time(1000), testRand()), res
}

func victimNames(v *Victims) string {
	if v == nil {
		return ""
	}
	var names []string
	for _, q := range v.Pods {
		names = append(names, q.Name)
	}
	return v.Node + ":" + strings.Join(names, ",")
}

// TestSelectBestCandidate ports the cases of upstream's TestSelectBestCandidate
// (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go): nodes of
// 500m, small/medium/large/very large requests of 100m/200m/300m/500m, start times epochN.
func TestSelectBestCandidate(t *testing.T) {
	const small, medium, large, veryLarge = "100m", "200m", "300m", "500m"
	tests := []struct {
		name     string
		nodes    []string
		pod      *api.Pod
		pods     []*api.Pod
		expected []string // any of them is right
	}{
		{"No node needs preemption", []string{"node1"}, ppod("p", highPriority, large, "", 0),
			[]*api.Pod{ppod("p1", midPriority, small, "node1", 0)}, []string{"node1"}},
		{"a pod that fits on both nodes when lower priority pods are preempted", []string{"node1", "node2"}, ppod("p", highPriority, large, "", 0),
			[]*api.Pod{ppod("p1", midPriority, large, "node1", 0), ppod("p2", midPriority, large, "node2", 0)}, []string{"node1", "node2"}},
		{"node with min highest priority pod is picked", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, medium, "node1", 0), ppod("p1.2", midPriority, large, "node1", 0),
				ppod("p2.1", midPriority, medium, "node2", 0), ppod("p2.2", lowPriority, medium, "node2", 0),
				ppod("p3.1", lowPriority, medium, "node3", 0), ppod("p3.2", lowPriority, medium, "node3", 0)}, []string{"node3"}},
		{"when highest priorities are the same, minimum sum of priorities is picked", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, medium, "node1", 0), ppod("p1.2", midPriority, large, "node1", 0),
				ppod("p2.1", midPriority, large, "node2", 0), ppod("p2.2", lowPriority, medium, "node2", 0),
				ppod("p3.1", midPriority, medium, "node3", 0), ppod("p3.2", midPriority, medium, "node3", 0)}, []string{"node2"}},
		{"when highest priority and sum are the same, minimum number of pods is picked", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, small, "node1", 0), ppod("p1.2", negPriority, small, "node1", 0),
				ppod("p1.3", midPriority, small, "node1", 0), ppod("p1.4", negPriority, small, "node1", 0),
				ppod("p2.1", midPriority, large, "node2", 0), ppod("p2.2", negPriority, medium, "node2", 0),
				ppod("p3.1", midPriority, medium, "node3", 0), ppod("p3.2", negPriority, small, "node3", 0), ppod("p3.3", lowPriority, small, "node3", 0)},
			[]string{"node2"}},
		{"sum of adjusted priorities is considered", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, small, "node1", 0), ppod("p1.2", negPriority, small, "node1", 0), ppod("p1.3", negPriority, small, "node1", 0),
				ppod("p2.1", midPriority, large, "node2", 0), ppod("p2.2", negPriority, medium, "node2", 0),
				ppod("p3.1", midPriority, medium, "node3", 0), ppod("p3.2", negPriority, small, "node3", 0), ppod("p3.3", lowPriority, small, "node3", 0)},
			[]string{"node2"}},
		{"non-overlapping lowest high priority, sum priorities, and number of pods", []string{"node1", "node2", "node3", "node4"}, ppod("p", veryHighPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, small, "node1", 0), ppod("p1.2", lowPriority, small, "node1", 0), ppod("p1.3", lowPriority, small, "node1", 0),
				ppod("p2.1", highPriority, large, "node2", 0),
				ppod("p3.1", midPriority, medium, "node3", 0), ppod("p3.2", lowPriority, small, "node3", 0), ppod("p3.3", lowPriority, small, "node3", 0), ppod("p3.4", lowPriority, medium, "node3", 0),
				ppod("p4.1", midPriority, medium, "node4", 0), ppod("p4.2", midPriority, small, "node4", 0), ppod("p4.3", midPriority, small, "node4", 0), ppod("p4.4", negPriority, small, "node4", 0)},
			[]string{"node1"}},
		{"same priority, same number of victims, different start time for each node's pod", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, medium, "node1", 2), ppod("p1.2", midPriority, medium, "node1", 2),
				ppod("p2.1", midPriority, medium, "node2", 3), ppod("p2.2", midPriority, medium, "node2", 3),
				ppod("p3.1", midPriority, medium, "node3", 1), ppod("p3.2", midPriority, medium, "node3", 1)}, []string{"node2"}},
		{"same priority, same number of victims, different start time for all pods", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", midPriority, medium, "node1", 4), ppod("p1.2", midPriority, medium, "node1", 2),
				ppod("p2.1", midPriority, medium, "node2", 5), ppod("p2.2", midPriority, medium, "node2", 1),
				ppod("p3.1", midPriority, medium, "node3", 3), ppod("p3.2", midPriority, medium, "node3", 6)}, []string{"node3"}},
		{"different priority, same number of victims, different start time for all pods", []string{"node1", "node2", "node3"}, ppod("p", highPriority, veryLarge, "", 0),
			[]*api.Pod{ppod("p1.1", lowPriority, medium, "node1", 4), ppod("p1.2", midPriority, medium, "node1", 2),
				ppod("p2.1", midPriority, medium, "node2", 6), ppod("p2.2", lowPriority, medium, "node2", 1),
				ppod("p3.1", lowPriority, medium, "node3", 3), ppod("p3.2", midPriority, medium, "node3", 5)}, []string{"node2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nodes []*api.Node
			for _, n := range tt.nodes {
				nodes = append(nodes, node(n, veryLarge))
			}
			pre, res := preemptFor(tt.pod, nodes, tt.pods, nil)
			chosen := res.Node // upstream dry-runs even a pod that fits; here it is simply bound
			if res.Node == "" {
				if pre.chosen == nil {
					t.Fatalf("no candidate: %s / %s", res.Message, pre.message)
				}
				chosen = pre.chosen.Node
			}
			found := false
			for _, n := range tt.expected {
				found = found || n == chosen
			}
			if !found {
				t.Errorf("chose %s, want one of %v (%s)", victimNames(pre.chosen), tt.expected, pre.explanation)
			}
		})
	}
}

func pdb(name, app string, allowed int32) *api.PodDisruptionBudget {
	return &api.PodDisruptionBudget{ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default"},
		Spec:   api.PodDisruptionBudgetSpec{Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": app}}},
		Status: api.PodDisruptionBudgetStatus{DisruptionsAllowed: allowed}}
}

func labeled(p *api.Pod, app string) *api.Pod {
	p.Labels = map[string]string{"app": app}
	return p
}

// TestSelectVictimsOnNode follows upstream's TestDryRunPreemption/TestSelectNodesForPreemption
// cases (default_preemption_test.go): victims are reprieved most important first, budget
// violators before the others, and the victims are listed most important first.
func TestSelectVictimsOnNode(t *testing.T) {
	tests := []struct {
		name  string
		pod   *api.Pod
		pods  []*api.Pod
		pdbs  []*api.PodDisruptionBudget
		want  string // node:victims
		viols int
	}{
		{"a pod that does not fit on any node", ppod("p", highPriority, "600m", "", 0),
			[]*api.Pod{ppod("p1", midPriority, "300m", "node1", 0)}, nil, "", 0},
		{"a pod that fits with no preemption needed on node1", ppod("p", highPriority, "100m", "", 0),
			[]*api.Pod{ppod("p1", midPriority, "300m", "node1", 0)}, nil, "", 0},
		{"medium-priority pods are reprieved before low ones", ppod("p", highPriority, "300m", "", 0),
			[]*api.Pod{ppod("p1.1", lowPriority, "100m", "node1", 0), ppod("p1.2", midPriority, "200m", "node1", 0), ppod("p1.3", lowPriority, "200m", "node1", 0)},
			nil, "node1:p1.1,p1.3", 0},
		{"pods of equal priority: the earlier started is more important", ppod("p", highPriority, "300m", "", 0),
			[]*api.Pod{ppod("late", midPriority, "200m", "node1", 5), ppod("early", midPriority, "200m", "node1", 1)},
			nil, "node1:late", 0},
		{"a budget-violating pod is reprieved first even at lower priority", ppod("p", highPriority, "300m", "", 0),
			[]*api.Pod{labeled(ppod("guarded", lowPriority, "200m", "node1", 0), "db"), ppod("free", midPriority, "200m", "node1", 0)},
			[]*api.PodDisruptionBudget{pdb("db", "db", 0)}, "node1:free", 0},
		{"both violate: one violation counted", ppod("p", highPriority, "300m", "", 0),
			[]*api.Pod{labeled(ppod("a", lowPriority, "200m", "node1", 0), "db"), labeled(ppod("b", lowPriority, "200m", "node1", 1), "db")},
			[]*api.PodDisruptionBudget{pdb("db", "db", 0)}, "node1:b", 1},
		{"a budget allowing one disruption is not violated by the first pod", ppod("p", highPriority, "500m", "", 0),
			[]*api.Pod{labeled(ppod("a", lowPriority, "200m", "node1", 0), "db"), labeled(ppod("b", lowPriority, "200m", "node1", 1), "db")},
			[]*api.PodDisruptionBudget{pdb("db", "db", 1)}, "node1:a,b", 1},
		{"equal priority is never a victim", ppod("p", midPriority, "300m", "", 0),
			[]*api.Pod{ppod("p1", midPriority, "300m", "node1", 0)}, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre, res := preemptFor(tt.pod, []*api.Node{node("node1", "500m")}, tt.pods, tt.pdbs)
			if res.Node != "" {
				if tt.want != "" {
					t.Fatalf("fits on %s, want preemption %s", res.Node, tt.want)
				}
				return
			}
			if got := victimNames(pre.chosen); got != tt.want {
				t.Errorf("victims %q, want %q (%s)", got, tt.want, pre.explanation)
			}
			if pre.chosen != nil && pre.chosen.NumPDBViolations != tt.viols {
				t.Errorf("%d PDB violations, want %d", pre.chosen.NumPDBViolations, tt.viols)
			}
		})
	}
}

// TestPostFilterMessages: upstream's TestPostFilter statuses and TestPodEligibleToPreemptOthers.
func TestPostFilterMessages(t *testing.T) {
	gpu := api.Taint{Key: "dedicated", Value: "gpu", Effect: api.TaintNoSchedule}
	never := ppod("p", highPriority, "300m", "", 0)
	never.Spec.PreemptionPolicy = api.Ptr(api.PreemptNever)
	nominated := ppod("p", highPriority, "300m", "", 0)
	nominated.Status.NominatedNodeName = "node1"
	terminating := ppod("t", lowPriority, "300m", "node1", 0)
	terminating.DeletionTimestamp = api.Ptr(api.Time(5))
	terminating.Status.Conditions = []api.PodCondition{{Type: api.DisruptionTarget, Status: api.ConditionTrue, Reason: PreemptionByScheduler}}
	tests := []struct {
		name  string
		pod   *api.Pod
		nodes []*api.Node
		pods  []*api.Pod
		want  string
	}{
		{"pod with tied priority is still unschedulable", ppod("p", lowPriority, "300m", "", 0), []*api.Node{node("node1", "500m")},
			[]*api.Pod{ppod("p1", lowPriority, "300m", "node1", 0)}, "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."},
		{"preemption should respect filteredNodesStatuses", ppod("p", highPriority, "300m", "", 0), []*api.Node{node("node1", "500m", gpu)},
			[]*api.Pod{ppod("p1", lowPriority, "300m", "node1", 0)}, "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."},
		{"no candidate nodes found, no enough resource after removing low priority pods", ppod("p", highPriority, "300m", "", 0),
			[]*api.Node{node("node1", "200m"), node("node2", "200m")},
			[]*api.Pod{ppod("p1", lowPriority, "0", "node1", 0), ppod("p2", lowPriority, "0", "node2", 0)}, "preemption: 0/2 nodes are available: 2 Insufficient cpu."},
		{"no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource", ppod("p", highPriority, "300m", "", 0),
			[]*api.Node{node("node1", "300m"), node("node2", "200m"), node("node3", "300m")},
			[]*api.Pod{ppod("p1", highPriority, "100m", "node1", 0), ppod("p2", lowPriority, "0", "node2", 0), ppod("p3", highPriority, "100m", "node3", 0)},
			"preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod."},
		{"Pod with 'PreemptNever' preemption policy", never, []*api.Node{node("node1", "500m")},
			[]*api.Pod{ppod("p1", lowPriority, "300m", "node1", 0)}, "preemption: not eligible due to preemptionPolicy=Never."},
		{"Pod with nominated node whose victim still terminates", nominated, []*api.Node{node("node1", "500m")},
			[]*api.Pod{terminating}, "preemption: not eligible due to a terminating pod on the nominated node."},
		{"Pod with nominated node that is now UnschedulableAndUnresolvable preempts again", nominated, []*api.Node{node("node1", "500m", gpu), node("node2", "500m")},
			[]*api.Pod{terminating, ppod("p2", lowPriority, "300m", "node2", 0)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre, res := preemptFor(tt.pod, tt.nodes, tt.pods, nil)
			if res.Node != "" {
				t.Fatalf("fits on %s", res.Node)
			}
			if pre.message != tt.want {
				t.Errorf("message %q, want %q", pre.message, tt.want)
			}
		})
	}
}

// TestPreemptionInTheController follows one preemption through the controller: the victim's
// condition, graceful delete and event, the preemptor's nomination (status and queue), a
// lower-priority pod kept off the nominated room, the bind once the victim is gone (the
// nomination cleared), and a nominated pod's deletion forgetting its nomination.
func TestPreemptionInTheController(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	must(t, ctx.Create(node("node-1", "1")))
	for name, v := range map[string]int32{"low": lowPriority, "high": highPriority} {
		must(t, ctx.Create(&api.PriorityClass{TypeMeta: api.TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
			ObjectMeta: api.ObjectMeta{Name: name}, Value: v}))
	}
	// Pods name their class; the Priority admission plugin sets spec.priority.
	classed := func(p *api.Pod, class string) *api.Pod {
		p.Spec.Priority, p.Spec.PriorityClassName, p.UID = nil, class, ""
		return p
	}
	must(t, ctx.Create(classed(ppod("low", lowPriority, "800m", "node-1", 0), "low")))
	must(t, ctx.Create(classed(ppod("vip", highPriority, "500m", "", 0), "high")))
	must(t, e.AdvanceTo(0))
	st := e.Store()
	low := st.Get("Pod", "default/low").(*api.Pod)
	if c := low.GetCondition(api.DisruptionTarget); c == nil || c.Reason != PreemptionByScheduler ||
		c.Message != "default-scheduler: preempting to accommodate a higher priority pod" || low.DeletionTimestamp == nil {
		t.Fatalf("victim: condition %+v, deletionTimestamp %v", c, low.DeletionTimestamp)
	}
	vip := st.Get("Pod", "default/vip").(*api.Pod)
	if vip.Status.NominatedNodeName != "node-1" || getQueueOf(st).Nominated["default/vip"] != "node-1" {
		t.Fatalf("nomination: status %q, queue %v", vip.Status.NominatedNodeName, getQueueOf(st).Nominated)
	}
	var events []string
	for _, r := range e.Records() {
		if r.Event != nil {
			events = append(events, r.Event.Reason+" "+r.Event.Object+": "+r.Event.Message)
		}
	}
	want := []string{"Preempted Pod/default/low: Preempted by pod " + vip.UID + " on node node-1",
		"FailedScheduling Pod/default/vip: 0/1 nodes are available: 1 Insufficient cpu."}
	if strings.Join(events, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}
	// While the victim terminates, a small low pod that would fit beside it does not take the
	// room the nominated vip holds; then the victim goes (its kubelet would remove it).
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		switch a.Command {
		case "remove":
			return "", ctx.Remove("Pod", "default/low")
		case "late":
			return "", ctx.Create(classed(ppod("late", lowPriority, "100m", "", 0), "low"))
		case "delete-other":
			return "", ctx.Delete("Pod", "default/other", sim.DeleteOptions{})
		}
		return "", nil
	})
	e.Schedule(sim.Action{At: 500, Source: "test", Command: "late"})
	e.Schedule(sim.Action{At: 700, Source: "test", Command: "remove"})
	must(t, e.AdvanceTo(500))
	if n := st.Get("Pod", "default/late").(*api.Pod).Spec.NodeName; n != "" {
		t.Fatalf("late low pod bound to %q while vip is nominated there", n)
	}
	must(t, e.AdvanceTo(1000))
	vip = st.Get("Pod", "default/vip").(*api.Pod)
	if vip.Spec.NodeName != "node-1" || vip.Status.NominatedNodeName != "" || len(getQueueOf(st).Nominated) != 0 {
		t.Fatalf("after the victim left: node %q, nominated %q, queue %v", vip.Spec.NodeName, vip.Status.NominatedNodeName, getQueueOf(st).Nominated)
	}
	// A nominated pod that is deleted before it binds leaves no nomination behind.
	q := api.Clone(getQueueOf(st))
	q.Nominated = map[string]string{"default/other": "node-1"}
	must(t, ctx.Update(q))
	other := classed(ppod("other", highPriority, "5", "", 0), "high")
	other.Status.NominatedNodeName = "node-1"
	other.Spec.SchedulerName = "another-scheduler" // never tried here: only its deletion forgets it
	must(t, ctx.Create(other))
	e.Schedule(sim.Action{At: 2000, Source: "test", Command: "delete-other"})
	must(t, e.AdvanceTo(2000))
	if len(getQueueOf(st).Nominated) != 0 {
		t.Errorf("queue after the nominated pod was deleted: %v", getQueueOf(st).Nominated)
	}
}

func getQueueOf(st *store.Store) *Queue {
	if o := st.Get(QueueKind, Name); o != nil {
		return o.(*Queue)
	}
	return &Queue{}
}
