package invariant_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/deployment"
	"github.com/kubesim/kubesim/core/controllers/deployment/fakekubelet"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/replicaset"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// overScaler is a deliberately broken Deployment controller for the test: whenever a
// Deployment's template changes it creates the new ReplicaSet at full size and scales the
// old ones to 0 at once, ignoring maxSurge and maxUnavailable.
type overScaler struct {
	deployment.Controller
	keepOld bool // only over-scale: leave the old ReplicaSets alone
}

func (o overScaler) Reconcile(ctx *sim.Context, key string) error {
	d, ok := store.GetAs[*api.Deployment](ctx.Store(), "Deployment", key)
	if !ok {
		return nil
	}
	var found bool
	for _, rs := range store.ByIndexAs[*api.ReplicaSet](ctx.Store(), "owner", "ReplicaSet", d.UID) {
		if api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			found = true
		}
	}
	if !found && d.Annotations[api.RevisionAnnotation] == "1" {
		for _, rs := range store.ByIndexAs[*api.ReplicaSet](ctx.Store(), "owner", "ReplicaSet", d.UID) {
			if o.keepOld {
				break
			}
			cp := api.Clone(rs)
			cp.Spec.Replicas = api.Ptr(int32(0))
			if err := ctx.Update(cp); err != nil {
				return err
			}
		}
		rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}}
		rs.Name, rs.Namespace = d.Name+"-broken", d.Namespace
		rs.OwnerReferences = []api.OwnerReference{api.NewControllerRef(d, "apps/v1")}
		rs.Annotations = map[string]string{api.DesiredReplicasAnnotation: "4", api.MaxReplicasAnnotation: "5"}
		rs.Labels = d.Spec.Template.Labels
		rs.Spec.Replicas = d.Spec.Replicas
		rs.Spec.Selector = d.Spec.Selector
		rs.Spec.Template = api.Clone(d.Spec.Template)
		return ctx.Create(rs)
	}
	return deployment.Controller{}.Reconcile(ctx, key)
}

func runRollout(t *testing.T, dc sim.Controller) (*store.Store, error) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	e.Register(&fakekubelet.Kubelet{Default: 5 * api.Second, Nodes: []string{"node-1", "node-2"}})
	e.Register(replicaset.Controller{})
	e.Register(dc)
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}}
	d.Name, d.Namespace = "web", "default"
	d.Spec.Replicas = api.Ptr(int32(4))
	d.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	d.Spec.Template.Labels = map[string]string{"app": "web"}
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = api.Ptr(int64(30))
	d.Spec.Template.Spec.Containers = []api.Container{{Name: "web", Image: "web:1"}}
	d.Spec.Strategy.RollingUpdate = &api.RollingUpdateDeployment{MaxSurge: api.Ptr(api.FromInt(1)), MaxUnavailable: api.Ptr(api.FromInt(1))}
	api.Default(d)
	ctx := e.ActionContext("user")
	for _, n := range []string{"node-1", "node-2"} {
		node := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"}}
		node.Name = n
		if err := ctx.Create(node); err != nil {
			t.Fatal(err)
		}
	}
	if err := ctx.Create(d); err != nil {
		t.Fatal(err)
	}
	rules := invariant.NewSet() // checked after every instant, as check.Run does
	advance := func(until api.Time) error {
		if err := e.AdvanceTo(e.Now()); err != nil { // the work of the writes made just now
			t.Fatal(err)
		}
		if err := rules.Check(e.Store(), e.Now()); err != nil {
			return err
		}
		for {
			next, ok := e.NextTime()
			if !ok || next > until {
				return e.AdvanceTo(until)
			}
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
			if err := rules.Check(e.Store(), e.Now()); err != nil {
				return err
			}
		}
	}
	if err := advance(api.Time(api.Seconds(20))); err != nil {
		return e.Store(), err
	}
	cur, _ := store.GetAs[*api.Deployment](e.Store(), "Deployment", "default/web")
	cp := api.Clone(cur)
	cp.Spec.Template.Spec.Containers[0].Image = "web:2"
	if err := ctx.Update(cp); err != nil {
		t.Fatal(err)
	}
	if err := advance(api.Time(api.Seconds(400))); err != nil {
		return e.Store(), err
	}
	return e.Store(), nil
}

// TestRollingUpdateBoundsHold: the real controller keeps both rules through initial scale-up
// and a rolling update that completes.
func TestRollingUpdateBoundsHold(t *testing.T) {
	s, err := runRollout(t, deployment.Controller{})
	if err != nil {
		t.Fatalf("invariant broken by the real controller: %v", err)
	}
	var sizes []string
	for _, rs := range store.ListAs[*api.ReplicaSet](s, "ReplicaSet", "") {
		sizes = append(sizes, rs.Spec.Template.Spec.Containers[0].Image+"="+strconv.Itoa(int(rs.Status.AvailableReplicas)))
	}
	if got := strings.Join(sizes, " "); got != "web:1=0 web:2=4" && got != "web:2=4 web:1=0" {
		t.Errorf("the rollout did not complete: available by image %s", got)
	}
}

// TestRollingUpdateBoundsCatchBrokenController: a controller that replaces everything at once
// violates the bounds, and the invariant says so.
func TestRollingUpdateBoundsCatchBrokenController(t *testing.T) {
	cases := []struct {
		name string
		ctrl overScaler
		want string
	}{
		{"replace all at once", overScaler{}, "deployment-rolling-update-scale-down: deployment default/web: old replica sets scaled down by 4 to 0 pods at this instant, below minAvailable 3 (replicas 4 - maxUnavailable 1) - 0 available new pods"},
		{"over-scale the new RS", overScaler{keepOld: true}, "deployment-rolling-update-surge: deployment default/web: its replica sets want 7 pods by spec, more than replicas 4 + maxSurge 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runRollout(t, tc.ctrl)
			if err == nil {
				t.Fatal("invariant did not fire for a controller that ignores maxSurge/maxUnavailable")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("violation %q; want %q", err, tc.want)
			}
		})
	}
}
