package kubelet_test

import (
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/sim"
)

// pressureEngine is one 1Gi node running a BestEffort pod using 400Mi (exits 5 s after
// SIGTERM), a Burstable one requesting 256Mi whose use grows from 256Mi by 1Mi a second, and
// a Guaranteed one using 200Mi of its 256Mi: 856Mi + 1Mi/s in all.
func pressureEngine(t *testing.T, batchPreStop int64) *sim.Engine {
	q := api.MustQuantity
	images := map[string]api.ImageBehavior{
		"batch:1": {Preloaded: true, Memory: &api.Usage{From: q("400Mi")}, StopAfter: 5 * api.Second},
		"web:1":   {Preloaded: true, Memory: &api.Usage{From: q("256Mi"), LeakPerMinute: api.Ptr(q("60Mi"))}},
		"db:1":    {Preloaded: true, Memory: &api.Usage{From: q("200Mi")}},
	}
	e := newEngine(t, false, images, 0) // the package's controllers, and the 1Gi node below
	ctx := e.ActionContext("test")
	n := &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "node-1"},
		Status: api.NodeStatus{Capacity: api.ResourceList{"cpu": q("4"), "memory": q("1Gi")}}}
	api.DefaultNode(n)
	if err := ctx.Create(n); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name     string
		req, lim api.ResourceList
	}{
		{"batch", nil, nil},
		{"web", api.ResourceList{"memory": q("256Mi")}, nil},
		{"db", api.ResourceList{"cpu": q("100m"), "memory": q("256Mi")}, api.ResourceList{"cpu": q("100m"), "memory": q("256Mi")}},
	} {
		pod := newPod(p.name, p.name+":1")
		pod.Spec.Containers[0].Name = p.name
		if p.name == "batch" && batchPreStop > 0 {
			pod.Spec.Containers[0].Lifecycle = &api.Lifecycle{PreStop: &api.LifecycleHandler{Sleep: &api.SleepAction{Seconds: batchPreStop}}}
		}
		pod.Spec.Containers[0].Resources = api.ResourceRequirements{Requests: p.req, Limits: p.lim}
		if err := ctx.Create(pod); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func pod(e *sim.Engine, name string) *api.Pod {
	return e.Store().Get("Pod", "default/"+name).(*api.Pod)
}

func memoryPressure(e *sim.Engine) string {
	for _, c := range e.Store().Get("Node", "node-1").(*api.Node).Status.Conditions {
		if c.Type == "MemoryPressure" {
			return c.Status + " " + c.Reason + " " + c.LastTransitionTime.SecondsString()
		}
	}
	return "none"
}

// The eviction manager synchronizes every 10 s: 926Mi used at 70 s leaves 98Mi < 100Mi, so
// it sets MemoryPressure and evicts the pod ranked first (BestEffort batch: 400Mi above its
// request of 0, before web's 70Mi). The kill uses a 1 s grace period (SIGKILL at 71 s), the
// manager polls for cleanup every second and synchronizes again at 72 s (no pressure: 527Mi),
// then every 10 s from there. The condition stays for 5 minutes after the last pressure (70 s):
// False at 372 s. web reaches 728Mi at 472 s (96Mi available) and is evicted next; db, within
// its request, never is.
func TestEvictionUnderMemoryPressure(t *testing.T) {
	e := pressureEngine(t, 0)
	run(t, e, 69999)
	if got := memoryPressure(e); got != "none" || pod(e, "batch").Status.Phase != api.PodRunning {
		t.Fatalf("at 69.999 s: MemoryPressure %s, batch %s; want none, Running", got, pod(e, "batch").Status.Phase)
	}
	run(t, e, 70000)
	b := pod(e, "batch")
	wantMsg := "The node was low on resource: memory. Threshold quantity: 100Mi, available: 98Mi. Container batch was using 400Mi, request is 0, has larger consumption of memory. "
	if b.Status.Phase != api.PodFailed || b.Status.Reason != "Evicted" || b.Status.Message != wantMsg || api.PodStatusColumn(b) != "Evicted" {
		t.Fatalf("batch at 70 s: phase %s reason %s STATUS %s message %q", b.Status.Phase, b.Status.Reason, api.PodStatusColumn(b), b.Status.Message)
	}
	if c := b.GetCondition("DisruptionTarget"); c == nil || c.Status != api.ConditionTrue || c.Reason != "TerminationByKubelet" {
		t.Errorf("DisruptionTarget = %+v", c)
	}
	if got := memoryPressure(e); got != "True KubeletHasInsufficientMemory 70" {
		t.Errorf("MemoryPressure at 70 s = %s", got)
	}
	run(t, e, 71000)
	term := pod(e, "batch").Status.ContainerStatuses[0].State.Terminated
	if term == nil || term.ExitCode != 137 || term.FinishedAt != 71000 || api.PodStatusColumn(pod(e, "batch")) != "Error" {
		t.Errorf("batch at 71 s: terminated %+v STATUS %s; want 137 at 71 s, Error (kubernetes#105467)", term, api.PodStatusColumn(pod(e, "batch")))
	}
	run(t, e, 371999)
	if got := memoryPressure(e); got != "True KubeletHasInsufficientMemory 70" {
		t.Errorf("MemoryPressure at 371.999 s = %s", got)
	}
	run(t, e, 372000)
	if got := memoryPressure(e); got != "False KubeletHasSufficientMemory 372" {
		t.Errorf("MemoryPressure at 372 s = %s", got)
	}
	run(t, e, 471999)
	if pod(e, "web").Status.Phase != api.PodRunning {
		t.Fatalf("web evicted before 472 s")
	}
	run(t, e, 472000)
	if w := pod(e, "web"); w.Status.Reason != "Evicted" || w.Status.Message != "The node was low on resource: memory. Threshold quantity: 100Mi, available: 96Mi. Container web was using 728Mi, request is 256Mi, has larger consumption of memory. " {
		t.Errorf("web at 472 s: reason %s message %q", w.Status.Reason, w.Status.Message)
	}
	run(t, e, 1200000)
	if d := pod(e, "db"); d.Status.Phase != api.PodRunning {
		t.Errorf("db phase %s, want Running", d.Status.Phase)
	}
	var evicted []string
	for _, r := range e.Records() {
		if r.Event != nil && r.Event.Reason == "Evicted" {
			evicted = append(evicted, r.T.SecondsString()+" "+r.Event.Object)
		}
	}
	if got, want := fmt.Sprint(evicted), "[70 Pod/default/batch 472 Pod/default/web]"; got != want {
		t.Errorf("Evicted events = %s, want %s", got, want)
	}
}

// The grace period override replaces what is left after the preStop hook, which still runs
// within the pod's own grace period (kuberuntime_container.go killContainer): a 3 s sleep
// hook, SIGTERM at 73 s, SIGKILL at 74 s (batch ignores SIGTERM for 5 s).
func TestEvictionGraceOverrideAfterPreStop(t *testing.T) {
	e := pressureEngine(t, 3)
	run(t, e, 73999)
	if cs := pod(e, "batch").Status.ContainerStatuses[0]; cs.State.Running == nil {
		t.Fatalf("batch stopped before 74 s: %+v", cs.State)
	}
	run(t, e, 74000)
	term := pod(e, "batch").Status.ContainerStatuses[0].State.Terminated
	if term == nil || term.ExitCode != 137 || term.FinishedAt != 74000 {
		t.Errorf("batch at 74 s: terminated %+v; want 137 at 74 s", term)
	}
}

// A machine that fails and comes back runs a new kubelet: its eviction manager remembers no
// earlier pressure, so MemoryPressure (posted False at the restart) stays False although the
// old process saw pressure less than 5 minutes before.
func TestEvictionManagerForgetsAcrossRestart(t *testing.T) {
	e := pressureEngine(t, 0)
	run(t, e, 100000)
	setFailed := func(failed bool) {
		n := api.Clone(e.Store().Get("Node", "node-1").(*api.Node))
		n.Annotations = map[string]string{}
		if failed {
			n.Annotations[kubelet.FailedAnnotation] = "true"
		}
		if err := e.ActionContext("test").Update(n); err != nil {
			t.Fatal(err)
		}
	}
	setFailed(true)
	run(t, e, 200000)
	setFailed(false)
	run(t, e, 260000)
	if got := memoryPressure(e); got != "False KubeletHasSufficientMemory 200" {
		t.Errorf("MemoryPressure after the restart = %s, want False since 200 s", got)
	}
}
