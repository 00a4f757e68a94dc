package nodelifecycle

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

func node(name, zone string) *api.Node {
	return &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Labels: map[string]string{api.LabelZone: zone}},
		Status:     api.NodeStatus{Conditions: []api.NodeCondition{{Type: "Ready", Status: api.ConditionTrue, Reason: "KubeletReady"}}}}
}

func pod(name, nodeName string, tolerations ...api.Toleration) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name},
		Spec:   api.PodSpec{NodeName: nodeName, Tolerations: tolerations, Containers: []api.Container{{Name: "app", Image: "app"}}},
		Status: api.PodStatus{Phase: api.PodRunning, Conditions: []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue}}}}
	return p
}

// stop writes the lease of a kubelet that stopped after its renewal at t (what the kubelet
// does when its machine fails).
func stop(ctx *sim.Context, name string, t api.Time) error {
	return ctx.Create(&api.Lease{TypeMeta: api.TypeMeta{Kind: api.LeaseKind}, ObjectMeta: api.ObjectMeta{Namespace: api.NodeLeaseNamespace, Name: name},
		HolderIdentity: name, RenewTime: t})
}

func newEngine(t *testing.T) *sim.Engine {
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	e.Register(TaintEviction{})
	return e
}

func events(e *sim.Engine) string {
	var out []string
	for _, r := range e.Records() {
		if r.Event != nil {
			out = append(out, r.T.SecondsString()+" "+r.Event.Reason+" "+r.Event.Object+" "+r.Event.Message)
		}
	}
	return strings.Join(out, "\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pods.md §19 T7: last renewal at t=0 -> Unknown, NodeNotReady, taints and pods not ready at
// t=55; the pods with the default 300 s toleration are deleted at t=355; a pod that tolerates
// unreachable without tolerationSeconds stays.
func TestT7(t *testing.T) {
	e := newEngine(t)
	ctx := e.ActionContext("test")
	sec := int64(300)
	def := []api.Toleration{{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: &sec}}
	must(t, ctx.Create(node("node-1", "a")))
	must(t, ctx.Create(node("node-2", "a")))
	must(t, ctx.Create(pod("web-x", "node-1", def...)))
	must(t, ctx.Create(pod("db-0", "node-1", def...)))
	must(t, ctx.Create(pod("ds-y", "node-1", api.Toleration{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute})))
	must(t, stop(ctx, "node-1", 0))
	must(t, e.AdvanceTo(54_999))
	if n := e.Store().Get("Node", "node-1").(*api.Node); !n.IsReady() || len(n.Spec.Taints) > 0 {
		t.Fatalf("node-1 changed before t=55: %+v", n.Status.Conditions)
	}
	must(t, e.AdvanceTo(400_000))
	want := `55 NodeNotReady Node/node-1 Node node-1 status is now: NodeNotReady
55 NodeNotReady Pod/default/db-0 Node is not ready
55 NodeNotReady Pod/default/ds-y Node is not ready
55 NodeNotReady Pod/default/web-x Node is not ready
355 TaintManagerEviction Pod/default/db-0 Marking for deletion Pod default/db-0
355 TaintManagerEviction Pod/default/web-x Marking for deletion Pod default/web-x`
	if got := events(e); got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	n := e.Store().Get("Node", "node-1").(*api.Node)
	var taints []string
	for _, tt := range n.Spec.Taints {
		taints = append(taints, tt.Key+":"+tt.Effect+"@"+tt.TimeAdded.SecondsString())
	}
	if strings.Join(taints, " ") != "node.kubernetes.io/unreachable:NoSchedule@55 node.kubernetes.io/unreachable:NoExecute@55" {
		t.Errorf("taints = %v", taints)
	}
	for _, c := range n.Status.Conditions {
		if c.Status != api.ConditionUnknown || c.Reason != "NodeStatusUnknown" || c.Message != "Kubelet stopped posting node status." {
			t.Errorf("condition %+v; want Unknown NodeStatusUnknown", c)
		}
	}
	if len(n.Status.Conditions) != 4 {
		t.Errorf("conditions = %d; want Ready, MemoryPressure, DiskPressure, PIDPressure", len(n.Status.Conditions))
	}
	web := e.Store().Get("Pod", "default/web-x").(*api.Pod)
	if web.DeletionTimestamp == nil || api.PodStatusColumn(web) != "Terminating" {
		t.Errorf("web-x STATUS %s; want Terminating", api.PodStatusColumn(web))
	}
	if c := web.GetCondition("DisruptionTarget"); c == nil || c.Reason != "DeletionByTaintManager" || c.Message != "Taint manager: deleting due to NoExecute taint" {
		t.Errorf("DisruptionTarget = %+v", c)
	}
	if ds := e.Store().Get("Pod", "default/ds-y").(*api.Pod); ds.DeletionTimestamp != nil {
		t.Errorf("ds-y deleted; it tolerates unreachable forever")
	}
}

// A second silent node of the same zone gets its NoExecute taint 10 s after the first
// (--node-eviction-rate 0.1); when every node is down (full disruption) no NoExecute taint is
// added at all.
func TestNoExecuteRateLimit(t *testing.T) {
	e := newEngine(t)
	ctx := e.ActionContext("test")
	for _, n := range []string{"node-1", "node-2", "node-3", "node-4"} {
		must(t, ctx.Create(node(n, "a")))
	}
	must(t, stop(ctx, "node-1", 0))
	must(t, stop(ctx, "node-2", 0))
	must(t, e.AdvanceTo(100_000))
	added := func(name string) string {
		for _, tt := range e.Store().Get("Node", name).(*api.Node).Spec.Taints {
			if tt.Effect == api.TaintNoExecute {
				return tt.TimeAdded.SecondsString()
			}
		}
		return "none"
	}
	if a, b := added("node-1"), added("node-2"); a != "55" || b != "65" {
		t.Errorf("NoExecute added at %s and %s; want 55 and 65", a, b)
	}

	e = newEngine(t)
	ctx = e.ActionContext("test")
	must(t, ctx.Create(node("node-1", "a")))
	must(t, stop(ctx, "node-1", 0))
	must(t, e.AdvanceTo(100_000))
	if a := added("node-1"); a != "none" {
		t.Errorf("full disruption: NoExecute added at %s; want none", a)
	}
}

// The taint goes before the toleration runs out: the deletion is cancelled.
func TestEvictionCancelled(t *testing.T) {
	e := newEngine(t)
	ctx := e.ActionContext("test")
	sec := int64(300)
	must(t, ctx.Create(node("node-1", "a")))
	must(t, ctx.Create(node("node-2", "a")))
	must(t, ctx.Create(pod("web-x", "node-1", api.Toleration{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: &sec})))
	must(t, stop(ctx, "node-1", 0))
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		l := api.Clone(ctx.Store().Get(api.LeaseKind, api.NodeLeaseNamespace+"/node-1").(*api.Lease))
		l.RenewTime, l.Renewing = ctx.Now(), true
		if err := ctx.Update(l); err != nil {
			return "", err
		}
		n := api.Clone(ctx.Store().Get("Node", "node-1").(*api.Node))
		n.Status.Conditions[0] = api.NodeCondition{Type: "Ready", Status: api.ConditionTrue, Reason: "KubeletReady"}
		return "", ctx.Update(n)
	})
	e.Schedule(sim.Action{At: 102_000, Source: "test", Command: "recover"})
	must(t, e.AdvanceTo(500_000))
	if got := events(e); !strings.HasSuffix(got, "105 TaintManagerEviction Pod/default/web-x Cancelling deletion of Pod default/web-x") {
		t.Errorf("events:\n%s\nwant the cancellation at t=105 (NoExecute taint removed at the next tick)", got)
	}
	n := e.Store().Get("Node", "node-1").(*api.Node)
	if len(n.Spec.Taints) != 0 {
		t.Errorf("taints left: %+v", n.Spec.Taints)
	}
	if p := e.Store().Get("Pod", "default/web-x").(*api.Pod); p.DeletionTimestamp != nil {
		t.Errorf("web-x deleted after the cancellation")
	}
}

func TestMinToleration(t *testing.T) {
	s := func(n int64) *int64 { return &n }
	taint := []api.Taint{{Key: api.TaintNodeUnreachable, Effect: api.TaintNoExecute}}
	tests := []struct {
		name    string
		tols    []api.Toleration
		want    api.Duration
		forever bool
	}{
		{"none: at once", nil, 0, false},
		{"default 300", []api.Toleration{{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: s(300)}}, 300 * api.Second, false},
		{"min of two", []api.Toleration{{Operator: "Exists", TolerationSeconds: s(60)}, {Key: api.TaintNodeUnreachable, Operator: "Exists", TolerationSeconds: s(300)}}, 60 * api.Second, false},
		{"no seconds: forever", []api.Toleration{{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute}}, 0, true},
		{"other key only", []api.Toleration{{Key: "x", Operator: "Exists", TolerationSeconds: s(300)}}, 0, false},
	}
	for _, tc := range tests {
		p := pod("p", "n", tc.tols...)
		d, f := minToleration(p, taint)
		if d != tc.want || f != tc.forever {
			t.Errorf("%s: got %s forever=%v; want %s forever=%v", tc.name, d, f, tc.want, tc.forever)
		}
	}
}

// TaintNodesByCondition: MemoryPressure=True adds memory-pressure:NoSchedule at once (on the
// node update), and False removes it.
func TestMemoryPressureTaint(t *testing.T) {
	e := newEngine(t)
	ctx := e.ActionContext("test")
	must(t, ctx.Create(node("node-1", "a")))
	must(t, e.AdvanceTo(10_000))
	setPressure := func(status string) {
		n := api.Clone(e.Store().Get("Node", "node-1").(*api.Node))
		n.Status.Conditions = append(n.Status.Conditions[:1:1], api.NodeCondition{Type: "MemoryPressure", Status: status})
		must(t, e.ActionContext("test").Update(n))
		_, err := e.Step()
		must(t, err)
	}
	taints := func() string {
		var out []string
		for _, tt := range e.Store().Get("Node", "node-1").(*api.Node).Spec.Taints {
			out = append(out, tt.Key+":"+tt.Effect+"@"+tt.TimeAdded.SecondsString())
		}
		return strings.Join(out, " ")
	}
	setPressure(api.ConditionTrue)
	if got := taints(); got != "node.kubernetes.io/memory-pressure:NoSchedule@10" {
		t.Errorf("taints under pressure = %q", got)
	}
	must(t, e.AdvanceTo(20_000))
	setPressure(api.ConditionFalse)
	if got := taints(); got != "" {
		t.Errorf("taints after pressure = %q", got)
	}
}

// A node whose kubelet stops while under memory pressure: the conditions go Unknown, which
// maps to no memory-pressure taint, so only the unreachable taints remain.
func TestMemoryPressureTaintGoesWhenUnknown(t *testing.T) {
	e := newEngine(t)
	ctx := e.ActionContext("test")
	n := node("node-1", "a")
	n.Status.Conditions = append(n.Status.Conditions, api.NodeCondition{Type: "MemoryPressure", Status: api.ConditionTrue})
	must(t, ctx.Create(n))
	must(t, ctx.Create(node("node-2", "a")))
	must(t, e.AdvanceTo(1000))
	if got := e.Store().Get("Node", "node-1").(*api.Node).Spec.Taints; len(got) != 1 || got[0].Key != api.TaintNodeMemoryPressure {
		t.Fatalf("taints under pressure = %+v", got)
	}
	must(t, stop(e.ActionContext("test"), "node-1", 1000))
	must(t, e.AdvanceTo(100_000))
	for _, tt := range e.Store().Get("Node", "node-1").(*api.Node).Spec.Taints {
		if tt.Key == api.TaintNodeMemoryPressure {
			t.Errorf("memory-pressure taint kept on an unreachable node: %+v", tt)
		}
	}
}
