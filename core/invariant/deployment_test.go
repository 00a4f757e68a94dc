package invariant_test

import (
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

func runRollout(t *testing.T, dc sim.Controller) error {
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
	for step := 0; step < 400; step++ {
		if step == 20 {
			cur, _ := store.GetAs[*api.Deployment](e.Store(), "Deployment", "default/web")
			cp := api.Clone(cur)
			cp.Spec.Template.Spec.Containers[0].Image = "web:2"
			if err := ctx.Update(cp); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.AdvanceTo(e.Now().Add(api.Second)); err != nil {
			t.Fatal(err)
		}
		if err := invariant.CheckAll(e.Store(), e.Now()); err != nil {
			return err
		}
	}
	return nil
}

// TestRollingUpdateBoundsHold: the real controller keeps both bounds through initial
// scale-up and a rolling update (initial scale-up is exempt by construction).
func TestRollingUpdateBoundsHold(t *testing.T) {
	if err := runRollout(t, deployment.Controller{}); err != nil {
		t.Fatalf("invariant broken by the real controller: %v", err)
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
		{"replace all at once", overScaler{}, "0 pods available during the rollout, fewer than replicas 4 - maxUnavailable 1"},
		{"over-scale the new RS", overScaler{keepOld: true}, "pods by spec, more than replicas 4 + maxSurge 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := runRollout(t, tc.ctrl)
			if err == nil {
				t.Fatal("invariant did not fire for a controller that ignores maxSurge/maxUnavailable")
			}
			if !strings.Contains(err.Error(), "deployment-rolling-update-bounds") || !strings.Contains(err.Error(), "default/web") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("violation %q; want the rule, the deployment and %q", err, tc.want)
			}
		})
	}
}
