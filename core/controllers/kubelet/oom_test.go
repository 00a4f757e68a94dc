package kubelet_test

import (
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// leakyPod uses 64Mi + 64Mi a minute under a 128Mi limit: it reaches the limit 60 s after
// each start.
func leakyPod(policy string) *api.Pod {
	p := newPod("leaky", "leak:1")
	p.Spec.RestartPolicy = policy
	p.Spec.Containers[0].Resources.Limits = api.ResourceList{"memory": api.MustQuantity("128Mi")}
	p.Spec.Containers[0].Resources.Requests = api.ResourceList{"memory": api.MustQuantity("128Mi")}
	return p
}

var leakImage = map[string]api.ImageBehavior{"leak:1": {Preloaded: true,
	Memory: &api.Usage{From: api.MustQuantity("64Mi"), LeakPerMinute: api.Ptr(api.MustQuantity("64Mi"))}}}

// The kernel OOM-kills a container whose memory reaches its limit: exit 137, reason
// OOMKilled; with restartPolicy Never the pod fails and STATUS shows OOMKilled.
func TestOOMKillNever(t *testing.T) {
	e := newEngine(t, false, leakImage, 1)
	if err := e.ActionContext("test").Create(leakyPod(api.RestartNever)); err != nil {
		t.Fatal(err)
	}
	run(t, e, 59999)
	if p := e.Store().Get("Pod", "default/leaky").(*api.Pod); p.Status.Phase != api.PodRunning {
		t.Fatalf("phase at 59.999 s = %s, want Running", p.Status.Phase)
	}
	run(t, e, 60000)
	p := e.Store().Get("Pod", "default/leaky").(*api.Pod)
	term := p.Status.ContainerStatuses[0].State.Terminated
	if p.Status.Phase != api.PodFailed || api.PodStatusColumn(p) != "OOMKilled" || term == nil ||
		term.ExitCode != 137 || term.Reason != "OOMKilled" || term.FinishedAt != 60000 {
		t.Fatalf("phase %s STATUS %s terminated %+v; want Failed OOMKilled, 137 at 60 s", p.Status.Phase, api.PodStatusColumn(p), term)
	}
}

// With restartPolicy Always the leak starts again from 64Mi at each start: OOM kills at
// 60 s, 120 s (restart at once, then a 10 s back-off), 190 s (20 s back-off): starts at 0,
// 60, 130, 210, with lastState OOMKilled.
func TestOOMKillRestartsWithBackOff(t *testing.T) {
	e := newEngine(t, false, leakImage, 1)
	if err := e.ActionContext("test").Create(leakyPod(api.RestartAlways)); err != nil {
		t.Fatal(err)
	}
	run(t, e, 200*1000)
	if got, want := fmt.Sprint(startTimes(e)), "[0 60 130]"; got != want {
		t.Errorf("start times = %s, want %s", got, want)
	}
	p := e.Store().Get("Pod", "default/leaky").(*api.Pod)
	cs := p.Status.ContainerStatuses[0]
	last := cs.LastTerminationState.Terminated
	if api.PodStatusColumn(p) != "CrashLoopBackOff" || last == nil || last.Reason != "OOMKilled" || last.ExitCode != 137 || last.FinishedAt != 190000 {
		t.Errorf("STATUS %s last %+v; want CrashLoopBackOff, OOMKilled 137 at 190 s", api.PodStatusColumn(p), last)
	}
	run(t, e, 210*1000)
	if got, want := fmt.Sprint(startTimes(e)), "[0 60 130 210]"; got != want {
		t.Errorf("start times = %s, want %s", got, want)
	}
}
