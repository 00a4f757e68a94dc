package kubelet_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// A pod bound to a node (nodeName set by hand, no scheduler PreBind) whose claim is not Bound:
// no sandbox, no pull, no container; FailedMount with the v1.37.2 volume manager text at each
// pod-worker retry (10 s); the containers start at the first retry after the claim is Bound.
func TestContainersWaitForClaims(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"web:1": {Pull: 2 * api.Second}}, 1)
	ctx := e.ActionContext("test")
	c := &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{Kind: "PersistentVolumeClaim", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: "www-web-0", Namespace: "default"}, Status: api.PersistentVolumeClaimStatus{Phase: api.ClaimPending}}
	if err := ctx.Create(c); err != nil {
		t.Fatal(err)
	}
	p := newPod("web-0", "web:1")
	p.Spec.NodeName = "node-1"
	p.Spec.InitContainers = []api.Container{{Name: "init", Image: "web:1"}}
	api.DefaultPod(p)
	p.Spec.Volumes = []api.Volume{{Name: "www", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: "www-web-0"}}}
	if err := ctx.Create(p); err != nil {
		t.Fatal(err)
	}
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		c := api.Clone(ctx.Store().Get("PersistentVolumeClaim", "default/www-web-0").(*api.PersistentVolumeClaim))
		c.Status.Phase, c.Spec.VolumeName = api.ClaimBound, "pv-0"
		return "", ctx.Update(c)
	})
	e.Schedule(sim.Action{At: 15_000, Source: "test", Command: "bind"})
	run(t, e, 12_000)
	got := e.Store().Get("Pod", "default/web-0").(*api.Pod)
	if got.Status.Phase != api.PodPending || got.Status.PodIP != "" || api.PodStatusColumn(got) != "Init:0/1" {
		t.Errorf("while waiting: phase %s, IP %q, STATUS %s; want Pending, no IP, Init:0/1", got.Status.Phase, got.Status.PodIP, api.PodStatusColumn(got))
	}
	if c := got.GetCondition(api.PodReadyToStartContainers); c == nil || c.Status != api.ConditionFalse {
		t.Errorf("PodReadyToStartContainers = %+v; want False", c)
	}
	if cs := got.Status.InitContainerStatuses; len(cs) != 1 || cs[0].State.Waiting == nil || cs[0].State.Waiting.Reason != "PodInitializing" {
		t.Errorf("init container status = %+v; want waiting PodInitializing", cs)
	}
	run(t, e, 30_000)
	var ev []string
	for _, r := range e.Records() {
		if r.Event != nil {
			ev = append(ev, r.T.SecondsString()+" "+r.Event.Reason+" "+r.Event.Message)
		}
	}
	fm := "FailedMount Unable to attach or mount volumes: unmounted volumes=[www], unattached volumes=[], failed to process volumes=[www]: error processing PVC default/www-web-0: PVC is not bound"
	want := []string{"0 " + fm, "10 " + fm, `20 Pulling Pulling image "web:1"`}
	if len(ev) < 3 || strings.Join(ev[:3], "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant first:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	got = e.Store().Get("Pod", "default/web-0").(*api.Pod)
	if got.Status.PodIP == "" || got.GetCondition(api.PodReadyToStartContainers).Status != api.ConditionTrue {
		t.Errorf("after mount: IP %q, PodReadyToStartContainers %+v", got.Status.PodIP, got.GetCondition(api.PodReadyToStartContainers))
	}
}
