package kubelet_test

import (
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/controllers/nodeipam"
	"github.com/kubesim/kubesim/core/controllers/scheduler"
	"github.com/kubesim/kubesim/core/sim"
)

func newEngine(t testing.TB, record bool, images map[string]api.ImageBehavior, nodes int) *sim.Engine {
	e := sim.New(sim.Options{RecordState: record})
	e.Register(scheduler.Controller{})
	e.Register(kubelet.Controller{})
	e.Register(nodeipam.Controller{}) // the nodes' podCIDRs, without which no pod gets a sandbox
	ctx := e.ActionContext("test")
	cfg := &api.ClusterConfig{TypeMeta: api.TypeMeta{Kind: api.ClusterConfigKind}, ObjectMeta: api.ObjectMeta{Name: "cluster"}, Images: images}
	if err := ctx.Create(cfg); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= nodes; i++ {
		n := &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("node-%d", i)},
			Status: api.NodeStatus{Allocatable: api.ResourceList{"cpu": api.MustQuantity("16"), "memory": api.MustQuantity("64Gi")}}}
		api.DefaultNode(n)
		if err := ctx.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func newPod(name, image string) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default"},
		Spec: api.PodSpec{Containers: []api.Container{{Name: "app", Image: image,
			Resources: api.ResourceRequirements{Requests: api.ResourceList{"cpu": api.MustQuantity("100m"), "memory": api.MustQuantity("64Mi")}}}}}}
	api.DefaultPod(p)
	return p
}

// run drains the work queued by the test's direct writes, then advances to t (AdvanceTo alone
// does not run timers that the first drain queues when nothing else was queued).
func run(t testing.TB, e *sim.Engine, until api.Time) {
	t.Helper()
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(until); err != nil {
		t.Fatal(err)
	}
}

func startTimes(e *sim.Engine) []string {
	var out []string
	for _, r := range e.Records() {
		if r.Event != nil && r.Event.Reason == "Started" {
			out = append(out, r.T.SecondsString())
		}
	}
	return out
}

// Reference: pods.md §2.3 and §20.1: an instantly crashing container is restarted at once,
// then after 10, 20, 40, 80, 160, 300 s windows: starts at 0, 0, 10, 30, 70, 150, 310, 610.
func TestCrashLoopRestartTimes(t *testing.T) {
	zero := api.Duration(0)
	e := newEngine(t, false, map[string]api.ImageBehavior{"crash:1": {Preloaded: true, ExitAfter: &zero, ExitCode: 1}}, 1)
	if err := e.ActionContext("test").Create(newPod("web", "crash:1")); err != nil {
		t.Fatal(err)
	}
	run(t, e, 700*1000)
	got := fmt.Sprint(startTimes(e))
	want := "[0 0 10 30 70 150 310 610]"
	if got != want {
		t.Errorf("start times = %s; want %s", got, want)
	}
	p := e.Store().Get("Pod", "default/web").(*api.Pod)
	if s := api.PodStatusColumn(p); s != "CrashLoopBackOff" || p.Status.Phase != api.PodRunning {
		t.Errorf("STATUS %s phase %s; want CrashLoopBackOff Running", s, p.Status.Phase)
	}
	w := p.Status.ContainerStatuses[0].State.Waiting
	if want := "back-off 5m0s restarting failed container=app pod=web_default(" + p.UID + ")"; w == nil || w.Message != want {
		t.Errorf("waiting = %+v; want message %q", w, want)
	}
}

// restartPolicy Never: a crash leaves the pod Failed with STATUS Error and nothing restarts.
func TestRestartPolicyNeverFails(t *testing.T) {
	d := 5 * api.Second
	e := newEngine(t, false, map[string]api.ImageBehavior{"job:1": {Preloaded: true, ExitAfter: &d, ExitCode: 2}}, 1)
	p := newPod("job", "job:1")
	p.Spec.RestartPolicy = api.RestartNever
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	run(t, e, 60*1000)
	got := e.Store().Get("Pod", "default/job").(*api.Pod)
	if got.Status.Phase != api.PodFailed || api.PodStatusColumn(got) != "Error" || len(startTimes(e)) != 1 {
		t.Errorf("phase %s STATUS %s starts %v; want Failed Error [0]", got.Status.Phase, api.PodStatusColumn(got), startTimes(e))
	}
}

// Pod IPs: the k-th node gets 10.244.(k-1).0/24 from the node IPAM controller, and its pods
// .2, .3, ... in order from host-local (.1 is the gateway).
func TestPodIPs(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"app:1": {Preloaded: true}}, 2)
	ctx := e.ActionContext("test")
	for _, n := range []string{"a", "b", "c"} {
		if err := ctx.Create(newPod(n, "app:1")); err != nil {
			t.Fatal(err)
		}
	}
	run(t, e, 0)
	var got []string
	for _, n := range []string{"a", "b", "c"} {
		p := e.Store().Get("Pod", "default/"+n).(*api.Pod)
		got = append(got, p.Spec.NodeName+"="+p.Status.PodIP)
	}
	if want := "[node-1=10.244.0.2 node-2=10.244.1.2 node-1=10.244.0.3]"; fmt.Sprint(got) != want {
		t.Errorf("IPs = %v; want %s", got, want)
	}
}

// BenchmarkThousandPodsToReady: 1,000 pods on 100 nodes, from creation to Ready (readiness
// probe period 2 s, app listening after 3 s), RecordState off.
func BenchmarkThousandPodsToReady(b *testing.B) {
	for b.Loop() {
		e := newEngine(b, false, map[string]api.ImageBehavior{"web:1": {Pull: 2 * api.Second, Start: 3 * api.Second}}, 100)
		ctx := e.ActionContext("test")
		for i := 0; i < 1000; i++ {
			p := newPod(fmt.Sprintf("web-%04d", i), "web:1")
			p.Spec.Containers[0].ReadinessProbe = &api.Probe{HTTPGet: &api.HTTPGetAction{Path: "/ready", Port: api.FromInt(8080)}, PeriodSeconds: 2}
			api.DefaultPod(p)
			if err := ctx.Create(p); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.AdvanceTo(6 * 1000); err != nil {
			b.Fatal(err)
		}
		for _, o := range e.Store().List("Pod", "") {
			if !o.(*api.Pod).IsReady() {
				b.Fatalf("%s not ready", o.Meta().Name)
			}
		}
	}
}
