package kubelet_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// resizeTo writes the pod's new cpu and memory (requests and limits) as the pods/resize
// subresource would, and returns the time of the write.
func resizeTo(t *testing.T, e *sim.Engine, name, cpu, mem string) {
	t.Helper()
	p := api.Clone(e.Store().Get("Pod", "default/"+name).(*api.Pod))
	r := &p.Spec.Containers[0].Resources
	r.Requests = api.ResourceList{"cpu": api.MustQuantity(cpu), "memory": api.MustQuantity(mem)}
	r.Limits = api.ResourceList{"cpu": api.MustQuantity(cpu), "memory": api.MustQuantity(mem)}
	if err := e.ActionContext("test").Update(p); err != nil {
		t.Fatal(err)
	}
}

func getPod(e *sim.Engine, name string) *api.Pod {
	return e.Store().Get("Pod", "default/"+name).(*api.Pod)
}

func eventsOf(e *sim.Engine, reason string) []string {
	var out []string
	for _, r := range e.Records() {
		if r.Event != nil && r.Event.Reason == reason {
			out = append(out, r.T.SecondsString()+" "+r.Event.Message)
		}
	}
	return out
}

// TestResizeAdmission: the kubelet admits a resize when the node's allocatable minus the
// other pods' allocations has room (ResizeStarted, PodResizeInProgress for a second, then
// ResizeCompleted), defers it when the room is taken (PodResizePending Deferred, retried
// when the other pod goes away) and refuses one above allocatable (Infeasible), as
// pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize does.
func TestResizeAdmission(t *testing.T) {
	e := newEngine(t, true, map[string]api.ImageBehavior{"app:1": {Preloaded: true}}, 1)
	ctx := e.ActionContext("test")
	a, big := newPod("a", "app:1"), newPod("big", "app:1")
	big.Spec.Containers[0].Resources.Requests["cpu"] = api.MustQuantity("15")
	for _, p := range []*api.Pod{a, big} {
		p.Spec.NodeName = "node-1"
		if err := ctx.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	run(t, e, 10_000)
	resizeTo(t, e, "a", "500m", "128Mi")
	run(t, e, 10_000)
	p := getPod(e, "a")
	cs := p.Status.ContainerStatuses[0]
	if c := p.GetCondition(api.PodResizeInProgress); c == nil || c.ObservedGeneration != p.Generation {
		t.Fatalf("conditions after an admitted resize: %+v, want PodResizeInProgress", p.Status.Conditions)
	}
	if got := cs.AllocatedResources["cpu"].String(); got != "500m" || cs.Resources == nil || cs.Resources.Limits["memory"].String() != "128Mi" || cs.RestartCount != 0 {
		t.Fatalf("allocated cpu %s, resources %+v, restarts %d; want 500m, limit 128Mi, 0", got, cs.Resources, cs.RestartCount)
	}
	run(t, e, 11_000)
	if p := getPod(e, "a"); p.GetCondition(api.PodResizeInProgress) != nil {
		t.Fatalf("PodResizeInProgress still there after the settle time: %+v", p.Status.Conditions)
	}
	if got := eventsOf(e, "ResizeCompleted"); len(got) != 1 || got[0][:3] != "11 " {
		t.Fatalf("ResizeCompleted events %q, want one at 11 s", got)
	}

	resizeTo(t, e, "a", "2", "128Mi")
	run(t, e, 20_000)
	p = getPod(e, "a")
	want := "Node didn't have enough resource: cpu, requested: 2000, used: 15000, capacity: 16000"
	if c := p.GetCondition(api.PodResizePending); c == nil || c.Reason != api.PodReasonDeferred || c.Message != want {
		t.Fatalf("conditions %+v, want PodResizePending Deferred %q", p.Status.Conditions, want)
	}
	if got := p.Status.ContainerStatuses[0].AllocatedResources["cpu"].String(); got != "500m" {
		t.Fatalf("a Deferred resize changed the allocation to %s", got)
	}
	if got := eventsOf(e, "ResizeDeferred"); len(got) != 1 {
		t.Fatalf("ResizeDeferred events %q, want exactly one (no repeat while nothing changes)", got)
	}
	if err := ctx.Delete("Pod", "default/big", sim.DeleteOptions{GracePeriodSeconds: api.Ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	run(t, e, 40_000)
	p = getPod(e, "a")
	if p.GetCondition(api.PodResizePending) != nil || p.Status.ContainerStatuses[0].AllocatedResources["cpu"].String() != "2" {
		t.Fatalf("after big went away: conditions %+v, allocated %v; want the Deferred resize admitted",
			p.Status.Conditions, p.Status.ContainerStatuses[0].AllocatedResources)
	}

	resizeTo(t, e, "a", "17", "128Mi")
	run(t, e, 50_000)
	p = getPod(e, "a")
	want = "Node didn't have enough capacity: cpu, requested: 17000, capacity: 16000"
	if c := p.GetCondition(api.PodResizePending); c == nil || c.Reason != api.PodReasonInfeasible || c.Message != want {
		t.Fatalf("conditions %+v, want PodResizePending Infeasible %q", p.Status.Conditions, want)
	}
	// The scheduler leaves an Infeasible desired size out of the pod's footprint.
	if got := api.PodFootprintMilli(p, "cpu"); got != 2000 {
		t.Fatalf("footprint of an Infeasible resize = %dm, want the allocated 2000m", got)
	}
}

// TestResizeRestartPolicy: a resource whose resizePolicy is RestartContainer restarts the
// container (restartCount 1, at once: no crash back-off), NotRequired applies in place.
func TestResizeRestartPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy   string
		restarts int32
	}{{api.ResizeNotRequired, 0}, {api.ResizeRestartContainer, 1}} {
		t.Run(tc.policy, func(t *testing.T) {
			e := newEngine(t, true, map[string]api.ImageBehavior{"app:1": {Preloaded: true}}, 1)
			p := newPod("a", "app:1")
			p.Spec.NodeName = "node-1"
			p.Spec.Containers[0].ResizePolicy = []api.ContainerResizePolicy{{ResourceName: "memory", RestartPolicy: tc.policy}}
			if err := e.ActionContext("test").Create(p); err != nil {
				t.Fatal(err)
			}
			run(t, e, 10_000)
			resizeTo(t, e, "a", "100m", "128Mi")
			run(t, e, 12_000)
			p = getPod(e, "a")
			cs := p.Status.ContainerStatuses[0]
			if cs.RestartCount != tc.restarts || cs.State.Running == nil || cs.Resources.Limits["memory"].String() != "128Mi" {
				t.Fatalf("restarts %d running %v resources %+v; want %d restarts, running with 128Mi", cs.RestartCount, cs.State.Running, cs.Resources, tc.restarts)
			}
			if p.GetCondition(api.PodResizeInProgress) != nil {
				t.Fatalf("resize still in progress: %+v", p.Status.Conditions)
			}
		})
	}
}

// TestResizeMovesOOMKill: raising the memory limit in place (NotRequired) moves the kernel's
// OOM kill of a leaking container: 64Mi + 64Mi a minute reaches 128Mi at 60 s, 256Mi at 180 s.
func TestResizeMovesOOMKill(t *testing.T) {
	e := newEngine(t, false, leakImage, 1)
	p := leakyPod(api.RestartAlways)
	p.Spec.NodeName = "node-1"
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	run(t, e, 30_000)
	resizeTo(t, e, "leaky", "100m", "256Mi")
	run(t, e, 179_999)
	if cs := getPod(e, "leaky").Status.ContainerStatuses[0]; cs.RestartCount != 0 || cs.State.Running == nil {
		t.Fatalf("at 179.999 s: restarts %d, state %+v; want still running", cs.RestartCount, cs.State)
	}
	run(t, e, 180_000)
	if cs := getPod(e, "leaky").Status.ContainerStatuses[0]; cs.State.Running != nil && cs.RestartCount == 0 {
		t.Fatalf("at 180 s the container was not OOM-killed: %+v", cs)
	}
}

// TestImageChangeRestartsContainer: a bare pod's image patched in place (the one container
// field a pod update may change) makes the kubelet kill the container ("definition
// changed"), pull the new image and start it again, restartCount 1, without crash back-off
// (kuberuntime_manager.go computePodActions).
func TestImageChangeRestartsContainer(t *testing.T) {
	e := newEngine(t, true, map[string]api.ImageBehavior{"app:1": {Preloaded: true}, "app:2": {Pull: 2 * api.Second}}, 1)
	p := newPod("a", "app:1")
	p.Spec.NodeName = "node-1"
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	run(t, e, 10_000)
	p = api.Clone(getPod(e, "a"))
	p.Spec.Containers[0].Image = "app:2"
	if err := e.ActionContext("test").Update(p); err != nil {
		t.Fatal(err)
	}
	run(t, e, 13_000)
	cs := getPod(e, "a").Status.ContainerStatuses[0]
	if cs.RestartCount != 1 || cs.State.Running == nil || cs.State.Running.StartedAt != 12_000 || cs.Image != "app:2" {
		t.Fatalf("after the image change: %+v; want running app:2 since 12 s, restartCount 1", cs)
	}
	if got := eventsOf(e, "Killing"); len(got) != 1 || got[0] != "10 Container app definition changed, will be restarted" {
		t.Fatalf("Killing events %q", got)
	}
}
