package statefulset_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/statefulset"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// fakeKubelet is the idealised cluster of workloads.md §0.3, as a test-only controller:
// a new pod is bound to node-1, Running at once with an IP, and Ready `ready` after its
// creation unless its image contains "broken"; a deleted pod disappears `exit` after its
// deletion (or after its grace period when exit < 0). With waitForClaims, a pod is not
// bound while one of its claims is not Bound (the scheduler's PreBind wait).
type fakeKubelet struct {
	ready         api.Duration
	exit          api.Duration
	waitForClaims bool
}

func (fakeKubelet) Name() string { return "fake-kubelet" }

func (fakeKubelet) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Pod":
		if c.Type != store.Deleted {
			ctx.Enqueue(c.Key)
		}
	case "PersistentVolumeClaim":
		for _, p := range store.ListAs[*api.Pod](ctx.Store(), "Pod", c.Object().Meta().Namespace) {
			if p.Spec.NodeName == "" || p.Status.Phase == api.PodPending {
				ctx.Enqueue(p.Key())
			}
		}
	}
}

func (k fakeKubelet) Reconcile(ctx *sim.Context, key string) error {
	p, ok := store.GetAs[*api.Pod](ctx.Store(), "Pod", key)
	if !ok {
		return nil
	}
	now := ctx.Now()
	if p.DeletionTimestamp != nil {
		d := k.exit
		if d < 0 {
			d = api.Seconds(api.Deref(p.DeletionGracePeriodSeconds, 30))
		}
		at := p.DeletionTimestamp.Add(d)
		if now >= at {
			return ctx.Remove("Pod", key)
		}
		ctx.EnqueueAt(key, at)
		return nil
	}
	if p.Spec.NodeName == "" || p.Status.Phase == api.PodPending {
		cp := api.Clone(p)
		cp.Spec.NodeName = "node-1"
		if k.waitForClaims {
			for _, v := range p.Spec.Volumes {
				if v.PersistentVolumeClaim == nil {
					continue
				}
				c, ok := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), "PersistentVolumeClaim", p.Namespace+"/"+v.PersistentVolumeClaim.ClaimName)
				if !ok || c.Status.Phase != api.ClaimBound {
					if p.Spec.NodeName == "" {
						return ctx.Update(cp) // scheduled; containers wait for the volume
					}
					return nil
				}
			}
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(p.UID, "uid-"))
		cp.Status.Phase = api.PodRunning
		cp.Status.PodIP = fmt.Sprintf("10.244.%d.%d", n/250, n%250+2)
		cp.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionFalse, LastTransitionTime: now}}
		if err := ctx.Update(cp); err != nil {
			return err
		}
		p = cp
	}
	if p.IsReady() || p.Status.Phase != api.PodRunning || strings.Contains(p.Spec.Containers[0].Image, "broken") {
		return nil
	}
	at := p.CreationTimestamp.Add(k.ready)
	if now < at {
		ctx.EnqueueAt(key, at)
		return nil
	}
	cp := api.Clone(p)
	cp.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue, LastTransitionTime: now}}
	return ctx.Update(cp)
}

// env is an engine with gc, the StatefulSet controller and the fake kubelet.
type env struct {
	t *testing.T
	e *sim.Engine
	// rules are this run's invariants, stateful ones included (each sees every instant).
	rules *invariant.Set
}

func newEnv(t *testing.T, k fakeKubelet, extra ...sim.Controller) *env {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	e.Register(statefulset.Controller{})
	for _, c := range extra {
		e.Register(c)
	}
	e.Register(k)
	// The fake kubelet's pod IPs are unique addresses of the whole cluster CIDR: node-1's podCIDR.
	node := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: api.ObjectMeta{Name: "node-1",
		Labels: map[string]string{"topology.kubernetes.io/zone": "a", "kubernetes.io/hostname": "node-1"}},
		Spec: api.NodeSpec{PodCIDR: api.ClusterCIDR, PodCIDRs: []string{api.ClusterCIDR}}}
	if err := e.ActionContext("test").Create(node); err != nil {
		t.Fatal(err)
	}
	rules := invariant.NewSet()
	rules.Attach(e.Store())
	return &env{t: t, e: e, rules: rules}
}

func (v *env) ctx() *sim.Context { return v.e.ActionContext("test") }

func (v *env) create(o api.Object) {
	v.t.Helper()
	api.Default(o)
	if errs := api.Validate(o); len(errs) > 0 {
		v.t.Fatalf("invalid %s: %v", o.GetKind(), api.InvalidObjectError(o.GetKind(), o.Meta().Name, errs))
	}
	if err := v.ctx().Create(o); err != nil {
		v.t.Fatal(err)
	}
	v.run(v.e.Now())
}

// run advances to until, checking every invariant after each instant.
func (v *env) run(until api.Time) {
	v.t.Helper()
	for {
		// Work left by a write outside a step (create, mutate) is an instant of its own.
		if next, ok := v.e.NextTime(); !v.e.HasWork() && (!ok || next > until) {
			break
		}
		if _, err := v.e.Step(); err != nil {
			v.t.Fatal(err)
		}
		if err := v.rules.Check(v.e.Store(), v.e.Now()); err != nil {
			v.t.Fatalf("t=%ss: %v", v.e.Now().SecondsString(), err)
		}
	}
	if err := v.e.AdvanceTo(until); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) sts(name string) *api.StatefulSet {
	s, _ := store.GetAs[*api.StatefulSet](v.e.Store(), "StatefulSet", "default/"+name)
	return s
}

// mutate applies fn to a copy of the set and stores it, then settles.
func (v *env) mutate(name string, fn func(*api.StatefulSet)) {
	v.t.Helper()
	cp := api.Clone(v.sts(name))
	fn(cp)
	if err := v.ctx().Update(cp); err != nil {
		v.t.Fatal(err)
	}
	v.run(v.e.Now())
}

func (v *env) deletePod(name string) {
	v.t.Helper()
	if err := v.ctx().Delete("Pod", "default/"+name, sim.DeleteOptions{}); err != nil {
		v.t.Fatal(err)
	}
	v.run(v.e.Now())
}

// events returns "t reason message" lines of the trace's events with the given reasons
// (all when none given), from index from on.
func (v *env) events(reasons ...string) []string {
	var out []string
	for _, r := range v.e.Records() {
		if r.Type != trace.TypeEvent {
			continue
		}
		ok := len(reasons) == 0
		for _, x := range reasons {
			ok = ok || x == r.Event.Reason
		}
		if ok {
			out = append(out, fmt.Sprintf("%s %s", r.T.SecondsString(), r.Event.Message))
		}
	}
	return out
}

// pods renders the pods as "name(rev,ready|notready|term)".
func (v *env) pods() string {
	revs := map[string]int64{}
	for _, r := range store.ListAs[*api.ControllerRevision](v.e.Store(), "ControllerRevision", "") {
		revs[r.Name] = r.Revision
	}
	var parts []string
	for _, p := range store.ListAs[*api.Pod](v.e.Store(), "Pod", "") {
		st := "notready"
		if p.IsReady() {
			st = "ready"
		}
		if p.IsTerminating() {
			st = "term"
		}
		parts = append(parts, fmt.Sprintf("%s(r%d,%s)", p.Name, revs[p.Labels[api.ControllerRevisionHash]], st))
	}
	return strings.Join(parts, " ")
}

func (v *env) status(name string) string {
	s := v.sts(name).Status
	return fmt.Sprintf("replicas=%d ready=%d available=%d current=%d updated=%d", s.Replicas, s.ReadyReplicas, s.AvailableReplicas, s.CurrentReplicas, s.UpdatedReplicas)
}

func web(replicas int32, mut ...func(*api.StatefulSet)) *api.StatefulSet {
	s := &api.StatefulSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: api.StatefulSetSpec{Replicas: api.Ptr(replicas), ServiceName: "nginx",
			Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: api.PodTemplateSpec{ObjectMeta: api.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
				Spec: api.PodSpec{Containers: []api.Container{{Name: "nginx", Image: "nginx:1.25"}}}},
			VolumeClaimTemplates: []api.PersistentVolumeClaim{{ObjectMeta: api.ObjectMeta{Name: "www"},
				Spec: api.PersistentVolumeClaimSpec{AccessModes: []string{"ReadWriteOnce"},
					Resources: api.VolumeResourceRequirements{Requests: api.ResourceList{"storage": api.MustQuantity("1Gi")}}}}}}}
	for _, m := range mut {
		m(s)
	}
	return s
}

func sec(n int64) api.Time { return api.Time(api.Seconds(n)) }

func setImage(img string) func(*api.StatefulSet) {
	return func(s *api.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = img }
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func resolveForTest(v api.IntOrString, n int) int {
	return statefulset.ResolveMaxUnavailableForTest(v, n)
}

func simDelete() sim.DeleteOptions { return sim.DeleteOptions{} }
