package deployment_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/deployment"
	"github.com/kubesim/kubesim/core/controllers/deployment/fakekubelet"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/replicaset"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// world is the idealised cluster of workloads.md §0.3: gc, the fake kubelet, the
// ReplicaSet and Deployment controllers.
type world struct {
	t      *testing.T
	e      *sim.Engine
	kl     *fakekubelet.Kubelet
	start  api.Time // time of the template change
	writes []string // "(A,B)" after every RS spec write, from start on
	rsName map[string]string
}

func newWorld(t *testing.T, kl *fakekubelet.Kubelet) *world {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	e.Register(kl)
	e.Register(replicaset.Controller{})
	e.Register(deployment.Controller{})
	w := &world{t: t, e: e, kl: kl, rsName: map[string]string{}}
	e.Store().Listen(func(c store.Change) {
		if c.Kind != "ReplicaSet" || w.start < 0 {
			return
		}
		if c.New != nil && ((c.Old == nil && *c.New.(*api.ReplicaSet).Spec.Replicas > 0) || c.Old != nil && *c.Old.(*api.ReplicaSet).Spec.Replicas != *c.New.(*api.ReplicaSet).Spec.Replicas) {
			w.writes = append(w.writes, w.pair(c))
		}
	})
	w.start = -1
	return w
}

// pair renders the spec sizes of the RSes in creation order, e.g. "(3,1)".
func (w *world) pair(c store.Change) string {
	var sizes []string
	for _, rs := range w.sets() {
		n := *rs.Spec.Replicas
		if rs.Name == c.New.Meta().Name {
			n = *c.New.(*api.ReplicaSet).Spec.Replicas
		}
		sizes = append(sizes, fmt.Sprint(n))
	}
	return "(" + strings.Join(sizes, ",") + ")"
}

func (w *world) sets() []*api.ReplicaSet {
	rss := store.ListAs[*api.ReplicaSet](w.e.Store(), "ReplicaSet", "")
	slices.SortStableFunc(rss, func(a, b *api.ReplicaSet) int {
		if a.CreationTimestamp != b.CreationTimestamp {
			return int(a.CreationTimestamp - b.CreationTimestamp)
		}
		return strings.Compare(a.UID, b.UID)
	})
	return rss
}

func newDeployment(replicas int32, surge, unavail string, image string, grace int64) *api.Deployment {
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}}
	d.Name, d.Namespace = "web", "default"
	d.Spec.Replicas = api.Ptr(replicas)
	d.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	d.Spec.Template.Labels = map[string]string{"app": "web"}
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = api.Ptr(grace)
	d.Spec.Template.Spec.Containers = []api.Container{{Name: "web", Image: image}}
	if surge != "" || unavail != "" {
		d.Spec.Strategy.Type = api.RollingUpdateDeploymentStrategy
		d.Spec.Strategy.RollingUpdate = &api.RollingUpdateDeployment{MaxSurge: intOrPct(surge), MaxUnavailable: intOrPct(unavail)}
	}
	api.Default(d)
	return d
}

func intOrPct(s string) *api.IntOrString {
	if s == "" {
		return nil
	}
	if strings.HasSuffix(s, "%") {
		return api.Ptr(api.FromString(s))
	}
	var n int32
	fmt.Sscan(s, &n)
	return api.Ptr(api.FromInt(n))
}

func (w *world) ctx() *sim.Context { return w.e.ActionContext("user") }

func (w *world) create(d *api.Deployment) {
	w.t.Helper()
	if errs := api.Validate(d); len(errs) > 0 {
		w.t.Fatalf("invalid deployment: %v", api.InvalidObjectError("Deployment", d.Name, errs))
	}
	if err := w.ctx().Create(d); err != nil {
		w.t.Fatal(err)
	}
	w.run(0)
}

// run advances the clock by d (running everything due).
func (w *world) run(d api.Duration) {
	w.t.Helper()
	if err := w.e.AdvanceTo(w.e.Now().Add(d)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) deployment() *api.Deployment {
	d, _ := store.GetAs[*api.Deployment](w.e.Store(), "Deployment", "default/web")
	return d
}

// edit changes the Deployment like kubectl would and runs the instant.
func (w *world) edit(fn func(d *api.Deployment)) {
	w.t.Helper()
	d := api.Clone(w.deployment())
	fn(d)
	if err := w.ctx().Update(d); err != nil {
		w.t.Fatal(err)
	}
	w.run(0)
}

// setImage starts a rollout: the sequence recording starts here.
func (w *world) setImage(image string) {
	w.start = w.e.Now()
	w.writes = nil
	w.edit(func(d *api.Deployment) { d.Spec.Template.Spec.Containers[0].Image = image })
}

// events returns the ScalingReplicaSet messages since the rollout start with their
// relative times, with RS names replaced by A, B, C in creation order.
func (w *world) events(reason string) []string {
	names := map[string]string{}
	for i, rs := range w.sets() {
		names[rs.Name] = string(rune('A' + i))
	}
	var out []string
	for _, r := range w.e.Records() {
		if r.Type != trace.TypeEvent || r.T < w.start || r.Event.Reason != reason {
			continue
		}
		msg := r.Event.Message
		for _, n := range api.SortedKeys(names) {
			msg = strings.ReplaceAll(msg, n, "web-"+names[n])
		}
		out = append(out, fmt.Sprintf("t%s %s", (r.T-w.start).SecondsString(), msg))
	}
	return out
}

func (w *world) sizes() string {
	var s []string
	for _, rs := range w.sets() {
		s = append(s, fmt.Sprint(*rs.Spec.Replicas))
	}
	return "(" + strings.Join(s, ",") + ")"
}

func diffLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %s\n want %s", what, strings.Join(got, " → "), strings.Join(want, " → "))
	}
}
