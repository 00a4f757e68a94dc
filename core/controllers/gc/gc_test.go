package gc_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/sim"
)

// The garbage collector deletes an object once the owner its controller reference names (by
// UID) is gone, with background propagation, the default of `kubectl delete`
// (pkg/controller/garbagecollector garbagecollector.go attemptToDeleteItem; the dependent is
// deleted like any DELETE request, so a pod on a node terminates gracefully).

type env struct {
	t *testing.T
	e *sim.Engine
}

func newEnv(t *testing.T) *env {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	return &env{t: t, e: e}
}

func (v *env) ctx() *sim.Context { return v.e.ActionContext("test") }

func (v *env) settle() {
	v.t.Helper()
	if err := v.e.AdvanceTo(v.e.Now()); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) create(o api.Object) api.Object {
	v.t.Helper()
	if err := v.ctx().Create(o); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
	return o
}

func (v *env) delete(kind, key string) {
	v.t.Helper()
	if err := v.ctx().Delete(kind, key, sim.DeleteOptions{}); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

func (v *env) get(kind, key string) api.Object { return v.e.Store().Get(kind, key) }

func deployment(name string) *api.Deployment {
	return &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name}}
}

func replicaSet(name string, owner api.Object) *api.ReplicaSet {
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name}}
	if owner != nil {
		rs.OwnerReferences = []api.OwnerReference{api.NewControllerRef(owner, "apps/v1")}
	}
	return rs
}

func pod(name, node string, owner api.Object) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Spec:       api.PodSpec{NodeName: node, Containers: []api.Container{{Name: "c", Image: "x"}}},
		Status:     api.PodStatus{Phase: api.PodRunning}}
	if owner != nil {
		p.OwnerReferences = []api.OwnerReference{api.NewControllerRef(owner, "apps/v1")}
	}
	return p
}

// Deleting a Deployment cascades: its ReplicaSet goes at once (no finalizers), then the
// ReplicaSet's pods are deleted: gracefully (deletionTimestamp, the pod's grace period) when
// bound to a node, at once when not. Objects owned by something else stay.
func TestBackgroundCascade(t *testing.T) {
	v := newEnv(t)
	d := v.create(deployment("web"))
	rs := v.create(replicaSet("web-1", d))
	bound := pod("web-1-a", "node-1", rs)
	bound.Spec.TerminationGracePeriodSeconds = api.Ptr(int64(45))
	v.create(bound)
	v.create(pod("web-1-b", "", rs))
	other := v.create(replicaSet("api-1", v.create(deployment("api"))))
	v.create(pod("api-1-a", "node-1", other))
	v.create(pod("standalone", "node-1", nil))

	v.delete("Deployment", "default/web")
	if v.get("ReplicaSet", "default/web-1") != nil {
		t.Error("ReplicaSet web-1 survived its Deployment")
	}
	p, ok := v.get("Pod", "default/web-1-a").(*api.Pod)
	if !ok || p.DeletionTimestamp == nil || api.Deref(p.DeletionGracePeriodSeconds, 0) != 45 {
		t.Errorf("bound pod web-1-a: %+v, want Terminating with grace 45s", p)
	}
	if v.get("Pod", "default/web-1-b") != nil {
		t.Error("unbound pod web-1-b should be removed at once")
	}
	for _, key := range []string{"ReplicaSet|default/api-1", "Pod|default/api-1-a", "Pod|default/standalone"} {
		kind, k := split(key)
		o := v.get(kind, k)
		if o == nil || o.Meta().DeletionTimestamp != nil {
			t.Errorf("%s was deleted, but its owner exists or it has none", key)
		}
	}
}

func split(key string) (string, string) {
	for i := range key {
		if key[i] == '|' {
			return key[:i], key[i+1:]
		}
	}
	return key, ""
}

// Owner references name an owner by UID: a new owner with the same name does not adopt the
// old one's dependents; they are still collected.
func TestOwnerIdentityIsTheUID(t *testing.T) {
	v := newEnv(t)
	old := v.create(deployment("web"))
	v.create(replicaSet("web-1", old))
	// Replace the Deployment before the garbage collector runs: remove and recreate in one go.
	if err := v.ctx().Remove("Deployment", "default/web"); err != nil {
		t.Fatal(err)
	}
	if err := v.ctx().Create(deployment("web")); err != nil {
		t.Fatal(err)
	}
	v.settle()
	if v.get("ReplicaSet", "default/web-1") != nil {
		t.Error("ReplicaSet of the old Deployment web survived: the new web has another UID")
	}
}

// A dependent already being deleted is not deleted again ("being deleted is a one-way trip":
// attemptToDeleteItem returns at once for an item with a deletionTimestamp), so a user's
// longer grace period is kept; a second DELETE with the pod's default 30 s would shorten it.
func TestTerminatingDependentLeftAlone(t *testing.T) {
	v := newEnv(t)
	rs := v.create(replicaSet("web-1", nil))
	v.create(pod("web-1-a", "node-1", rs))
	if err := v.e.AdvanceTo(api.Time(10 * api.Second)); err != nil {
		t.Fatal(err)
	}
	if err := v.ctx().Delete("Pod", "default/web-1-a", sim.DeleteOptions{GracePeriodSeconds: api.Ptr(int64(60))}); err != nil {
		t.Fatal(err)
	}
	if err := v.e.AdvanceTo(api.Time(12 * api.Second)); err != nil {
		t.Fatal(err)
	}
	v.delete("ReplicaSet", "default/web-1")
	p := v.get("Pod", "default/web-1-a").(*api.Pod)
	if *p.DeletionTimestamp != api.Time(10*api.Second) || *p.DeletionGracePeriodSeconds != 60 {
		t.Errorf("deletion changed: at %v grace %v, want 10s and 60", *p.DeletionTimestamp, *p.DeletionGracePeriodSeconds)
	}
}

// Cluster-scoped owners: a pod whose controller is its Node (a mirror pod) goes with the Node;
// a StatefulSet's claim it owns (persistentVolumeClaimRetentionPolicy whenDeleted: Delete)
// goes with the StatefulSet.
func TestOtherOwnerKinds(t *testing.T) {
	v := newEnv(t)
	node := v.create(&api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: api.ObjectMeta{Name: "node-1"}})
	mirror := pod("kube-proxy-node-1", "node-1", nil)
	mirror.OwnerReferences = []api.OwnerReference{api.NewControllerRef(node, "v1")}
	v.create(mirror)
	sts := v.create(&api.StatefulSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "db"}})
	claim := &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "data-db-0", OwnerReferences: []api.OwnerReference{api.NewControllerRef(sts, "apps/v1")}}}
	v.create(claim)

	if v.get("Pod", "default/kube-proxy-node-1") == nil || v.get("PersistentVolumeClaim", "default/data-db-0") == nil {
		t.Fatal("dependents collected while their owners exist")
	}
	v.delete("Node", "node-1")
	if p, ok := v.get("Pod", "default/kube-proxy-node-1").(*api.Pod); !ok || p.DeletionTimestamp == nil {
		t.Errorf("pod owned by the deleted Node: %+v, want Terminating", p)
	}
	v.delete("StatefulSet", "default/db")
	if v.get("PersistentVolumeClaim", "default/data-db-0") != nil {
		t.Error("claim owned by the deleted StatefulSet survived")
	}

}
