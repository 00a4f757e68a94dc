package scheduler

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

func claim(name, class, phase string) *api.PersistentVolumeClaim {
	c := &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{Kind: "PersistentVolumeClaim", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default"},
		Spec: api.PersistentVolumeClaimSpec{StorageClassName: api.Ptr(class), AccessModes: []string{"ReadWriteOnce"},
			Resources: api.VolumeResourceRequirements{Requests: api.ResourceList{"storage": api.MustQuantity("1Gi")}}},
		Status: api.PersistentVolumeClaimStatus{Phase: phase}}
	return c
}

func class(name, mode string) *api.StorageClass {
	return &api.StorageClass{TypeMeta: api.TypeMeta{Kind: "StorageClass", APIVersion: "storage.k8s.io/v1"},
		ObjectMeta: api.ObjectMeta{Name: name}, Provisioner: "rancher.io/local-path", VolumeBindingMode: api.Ptr(mode)}
}

func withClaim(p *api.Pod, claimName string) *api.Pod {
	p.Spec.Volumes = append(p.Spec.Volumes, api.Volume{Name: "www", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: claimName}})
	return p
}

func events(e *sim.Engine) []string {
	var out []string
	for _, r := range e.Records() {
		if r.Event != nil {
			out = append(out, r.T.SecondsString()+" "+r.Event.Reason+" "+r.Event.Message)
		}
	}
	return out
}

// VolumeBinding PreFilter rejections (v1.37.2 volume_binding.go PreFilter): the message
// stands for every node, and preemption cannot help.
func TestVolumeBindingPreFilter(t *testing.T) {
	tests := []struct {
		name  string
		setup func(ctx *sim.Context) error
		want  string
	}{
		{"missing claim", func(ctx *sim.Context) error { return nil },
			`0/2 nodes are available: persistentvolumeclaim "www-web-0" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.`},
		{"claim being deleted", func(ctx *sim.Context) error {
			c := claim("www-web-0", "fast", api.ClaimBound)
			now := api.Time(0)
			c.DeletionTimestamp = &now
			c.Finalizers = []string{"kubernetes.io/pvc-protection"}
			return ctx.Create(c)
		}, `0/2 nodes are available: persistentvolumeclaim "www-web-0" is being deleted. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.`},
		{"unbound immediate claim", func(ctx *sim.Context) error {
			if err := ctx.Create(class("fast", api.VolumeBindingImmediate)); err != nil {
				return err
			}
			return ctx.Create(claim("www-web-0", "fast", api.ClaimPending))
		}, `0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := sim.New(sim.Options{})
			e.Register(Controller{})
			ctx := e.ActionContext("test")
			must(t, ctx.Create(node("node-1", "4")))
			must(t, ctx.Create(node("node-2", "4")))
			must(t, tc.setup(ctx))
			must(t, ctx.Create(withClaim(pod("web-0", "100m", ""), "www-web-0")))
			must(t, e.AdvanceTo(0))
			p := e.Store().Get("Pod", "default/web-0").(*api.Pod)
			if p.Spec.NodeName != "" {
				t.Fatalf("bound to %s; want unschedulable", p.Spec.NodeName)
			}
			if c := p.GetCondition(api.PodScheduled); c == nil || c.Message != tc.want || c.Reason != "Unschedulable" {
				t.Fatalf("PodScheduled = %+v; want Unschedulable %q", c, tc.want)
			}
			if ev := events(e); len(ev) != 1 || ev[0] != "0 FailedScheduling "+tc.want {
				t.Errorf("events = %q", ev)
			}
		})
	}
}

// A bound claim whose volume is pinned to node-2 (spec.nodeAffinity) keeps the pod off
// node-1 with the v1.37.2 VolumeBinding Filter reason.
func TestVolumeNodeAffinityFilter(t *testing.T) {
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	n1 := node("node-1", "4")
	n1.Labels = map[string]string{"kubernetes.io/hostname": "node-1"}
	n2 := node("node-2", "4")
	n2.Labels = map[string]string{"kubernetes.io/hostname": "node-2"}
	must(t, ctx.Create(n1))
	must(t, ctx.Create(n2))
	pv := &api.PersistentVolume{TypeMeta: api.TypeMeta{Kind: "PersistentVolume", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "pv-1"},
		Spec: api.PersistentVolumeSpec{NodeAffinity: &api.VolumeNodeAffinity{Required: &api.NodeSelector{NodeSelectorTerms: []api.NodeSelectorTerm{{
			MatchExpressions: []api.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: "In", Values: []string{"node-2"}}}}}}}}}
	must(t, ctx.Create(pv))
	c := claim("www-web-0", "fast", api.ClaimBound)
	c.Spec.VolumeName = "pv-1"
	must(t, ctx.Create(c))
	// node-2 is full: nowhere to go.
	must(t, ctx.Create(pod("big", "4", "node-2")))
	must(t, ctx.Create(withClaim(pod("web-0", "100m", ""), "www-web-0")))
	must(t, e.AdvanceTo(0))
	want := "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match PersistentVolume's node affinity. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
	if p := e.Store().Get("Pod", "default/web-0").(*api.Pod); p.GetCondition(api.PodScheduled).Message != want {
		t.Fatalf("message = %q; want %q", p.GetCondition(api.PodScheduled).Message, want)
	}
}

// WaitForFirstConsumer: the scheduler writes selected-node on the claim and binds the pod only
// once the claim is Bound (here by the test, standing in for the volume controller); a claim
// that never binds fails the binding cycle after 600 s.
func TestPreBindWaitsForClaims(t *testing.T) {
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	must(t, ctx.Create(node("node-1", "4")))
	must(t, ctx.Create(class("local", api.VolumeBindingWaitForFirstConsumer)))
	must(t, ctx.Create(claim("www-web-0", "local", api.ClaimPending)))
	must(t, ctx.Create(claim("www-web-1", "local", api.ClaimPending)))
	must(t, ctx.Create(withClaim(pod("web-0", "100m", ""), "www-web-0")))
	must(t, ctx.Create(withClaim(pod("web-1", "100m", ""), "www-web-1")))
	must(t, e.AdvanceTo(0))
	for _, n := range []string{"www-web-0", "www-web-1"} {
		c := e.Store().Get("PersistentVolumeClaim", "default/"+n).(*api.PersistentVolumeClaim)
		if got := c.Annotations[api.SelectedNodeAnnotation]; got != "node-1" {
			t.Fatalf("%s selected-node = %q; want node-1", n, got)
		}
	}
	if p := e.Store().Get("Pod", "default/web-0").(*api.Pod); p.Spec.NodeName != "" {
		t.Fatalf("web-0 bound before its claim is Bound")
	}
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		c := api.Clone(ctx.Store().Get("PersistentVolumeClaim", "default/www-web-0").(*api.PersistentVolumeClaim))
		c.Status.Phase, c.Spec.VolumeName = api.ClaimBound, "pv-0"
		return "", ctx.Update(c)
	})
	e.Schedule(sim.Action{At: 3_000, Source: "test", Command: "bind"})
	must(t, e.AdvanceTo(700_000))
	ev := events(e)
	want := []string{
		"3 Scheduled Successfully assigned default/web-0 to node-1",
		`600 FailedScheduling running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded`,
	}
	if strings.Join(ev, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	p := e.Store().Get("Pod", "default/web-1").(*api.Pod)
	if c := p.GetCondition(api.PodScheduled); p.Spec.NodeName != "" || c == nil || c.Reason != "SchedulerError" {
		t.Errorf("web-1 = node %q, PodScheduled %+v; want unbound, SchedulerError", p.Spec.NodeName, c)
	}
}
