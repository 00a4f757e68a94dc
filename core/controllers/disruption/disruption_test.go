package disruption_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/controllers/disruption"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/trace"
)

// Tests of the disruption controller (pkg/controller/disruption/disruption.go) and the
// Eviction API (pkg/registry/core/pod/storage/eviction.go) on a small cluster: a Deployment
// of 4 pods (Ready 5 s after creation) and the budget given.

const head = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
until: 60s
nodes: [{name: node-1}, {name: node-2}]
images:
  web:1.0: {pull: 2s, start: 3s}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
        - name: web
          image: web:1.0
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
`

func newCluster(t *testing.T, pdbSpecs ...string) *cluster.Cluster {
	t.Helper()
	doc := head
	for i, s := range pdbSpecs {
		doc += fmt.Sprintf("---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb%d}\nspec:\n%s", i, s)
	}
	sc, err := scenario.Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(20 * 1000); err != nil {
		t.Fatal(err)
	}
	return c
}

func pdb(t *testing.T, c *cluster.Cluster, name string) *api.PodDisruptionBudget {
	t.Helper()
	o := c.Store().Get("PodDisruptionBudget", "default/"+name)
	if o == nil {
		t.Fatalf("no budget %s", name)
	}
	return o.(*api.PodDisruptionBudget)
}

func podNames(c *cluster.Cluster) []string {
	var out []string
	for _, o := range c.Store().List("Pod", "default") {
		out = append(out, o.Meta().Name)
	}
	return out
}

func status(p *api.PodDisruptionBudget) string {
	s := p.Status
	cond := api.FindCondition(s.Conditions, api.DisruptionAllowedCondition)
	return fmt.Sprintf("expected %d desired %d healthy %d allowed %d %s/%s", s.ExpectedPods, s.DesiredHealthy, s.CurrentHealthy, s.DisruptionsAllowed, cond.Status, cond.Reason)
}

// TestStatusArithmetic pins getExpectedPodCount: an integer minAvailable counts the pods,
// percentages and maxUnavailable the Deployment's replicas, both rounding up.
func TestStatusArithmetic(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n", "expected 4 desired 3 healthy 4 allowed 1 True/SufficientPods"},
		{"  minAvailable: 51%\n  selector: {matchLabels: {app: web}}\n", "expected 4 desired 3 healthy 4 allowed 1 True/SufficientPods"},
		{"  maxUnavailable: 26%\n  selector: {matchLabels: {app: web}}\n", "expected 4 desired 2 healthy 4 allowed 2 True/SufficientPods"},
		{"  maxUnavailable: 0\n  selector: {matchLabels: {app: web}}\n", "expected 4 desired 4 healthy 4 allowed 0 False/InsufficientPods"},
		{"  minAvailable: 5\n  selector: {matchLabels: {app: web}}\n", "expected 4 desired 5 healthy 4 allowed 0 False/InsufficientPods"},
		{"  minAvailable: 1\n  selector: {matchLabels: {app: other}}\n", "expected 0 desired 1 healthy 0 allowed 0 False/InsufficientPods"},
	} {
		c := newCluster(t, tc.spec)
		if got := status(pdb(t, c, "pdb0")); got != tc.want {
			t.Errorf("%s: got %s, want %s", strings.TrimSpace(tc.spec), got, tc.want)
		}
	}
}

// TestEvictionConsumesBudget: an admitted eviction decrements disruptionsAllowed and records
// the pod in disruptedPods; the next is refused with 429 and the upstream cause; the pod
// got DisruptionTarget and a graceful delete.
func TestEvictionConsumesBudget(t *testing.T) {
	c := newCluster(t, "  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n")
	ctx := c.ActionContext("test")
	names := podNames(c)
	if err := ctx.Evict("default", names[0], sim.DeleteOptions{}); err != nil {
		t.Fatalf("first eviction: %v", err)
	}
	p := pdb(t, c, "pdb0")
	if p.Status.DisruptionsAllowed != 0 || p.Status.DisruptedPods[names[0]] != c.Now() {
		t.Errorf("after the eviction: allowed %d, disruptedPods %v", p.Status.DisruptionsAllowed, p.Status.DisruptedPods)
	}
	pod := c.Store().Get("Pod", "default/"+names[0]).(*api.Pod)
	if cond := pod.GetCondition(api.DisruptionTarget); pod.DeletionTimestamp == nil || cond == nil || cond.Reason != "EvictionByEvictionAPI" {
		t.Errorf("evicted pod: deletionTimestamp %v, DisruptionTarget %+v", pod.DeletionTimestamp, cond)
	}
	// Before the controller has seen the eviction, currentHealthy still says 4: the cause
	// is the generic one (checkAndDecrement: current > desired, condition without message).
	wantRefusal := func(cause string) {
		t.Helper()
		err := ctx.Evict("default", names[1], sim.DeleteOptions{})
		se, ok := err.(*sim.StatusError)
		if !ok || se.Code != 429 || se.Error() != "Cannot evict pod as it would violate the pod's disruption budget." || se.Cause != cause {
			t.Errorf("second eviction: %#v, want cause %q", err, cause)
		}
	}
	wantRefusal("The disruption budget pdb0 does not allow evicting pods currently")
	// The controller drops the terminating pod from the map (it is not healthy anyway).
	if err := c.AdvanceTo(c.Now()); err != nil {
		t.Fatal(err)
	}
	if p := pdb(t, c, "pdb0"); len(p.Status.DisruptedPods) != 0 || p.Status.CurrentHealthy != 3 {
		t.Errorf("after the controller: %s, disruptedPods %v", status(p), p.Status.DisruptedPods)
	}
	wantRefusal("The disruption budget pdb0 needs 3 healthy pods and has 3 currently")
}

// TestDisruptedPodTimeout: a disruptedPods entry whose pod was never deleted keeps the pod
// out of currentHealthy for DeletionTimeout (2 minutes), then the controller drops it with
// the NotDeleted event.
func TestDisruptedPodTimeout(t *testing.T) {
	c := newCluster(t, "  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n")
	ctx := c.ActionContext("test")
	name := podNames(c)[0]
	cp := api.Clone(pdb(t, c, "pdb0"))
	cp.Status.DisruptedPods = map[string]api.Time{name: c.Now()}
	if err := ctx.Update(cp); err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	if err := c.AdvanceTo(start); err != nil {
		t.Fatal(err)
	}
	if got := status(pdb(t, c, "pdb0")); got != "expected 4 desired 2 healthy 3 allowed 1 True/SufficientPods" {
		t.Errorf("while the entry holds: %s", got)
	}
	if err := c.AdvanceTo(start.Add(disruption.DeletionTimeout)); err != nil {
		t.Fatal(err)
	}
	// At exactly 2 minutes the pod counts again (countHealthyPods: expiry After now is false)
	// but the entry is kept (buildDisruptedPodMap: expiry Before now is false).
	if p := pdb(t, c, "pdb0"); p.Status.CurrentHealthy != 4 || len(p.Status.DisruptedPods) != 1 {
		t.Errorf("at exactly 2 minutes: %s, %v", status(p), p.Status.DisruptedPods)
	}
	if err := c.AdvanceTo(start.Add(disruption.DeletionTimeout + 1)); err != nil {
		t.Fatal(err)
	}
	p := pdb(t, c, "pdb0")
	if p.Status.CurrentHealthy != 4 || len(p.Status.DisruptedPods) != 0 {
		t.Errorf("after 2 minutes: %s, %v", status(p), p.Status.DisruptedPods)
	}
	if !hasEvent(c, "NotDeleted", "Pod was expected by PDB default/default to be deleted but it wasn't") {
		t.Error("no NotDeleted event")
	}
}

func hasEvent(c *cluster.Cluster, reason, msg string) bool {
	for _, r := range c.Records() {
		if r.Type == trace.TypeEvent && r.Event.Reason == reason && r.Event.Message == msg {
			return true
		}
	}
	return false
}

// TestEvictionRules: the paths of EvictionREST.Create that do not consume the budget.
func TestEvictionRules(t *testing.T) {
	sel := "  selector: {matchLabels: {app: web}}\n"
	t.Run("two budgets: 500", func(t *testing.T) {
		c := newCluster(t, "  minAvailable: 1\n"+sel, "  maxUnavailable: 1\n"+sel)
		err := c.ActionContext("test").Evict("default", podNames(c)[0], sim.DeleteOptions{})
		if se, ok := err.(*sim.StatusError); !ok || se.Code != 500 || se.Message != "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." {
			t.Errorf("got %#v", err)
		}
	})
	t.Run("missing pod: 404", func(t *testing.T) {
		c := newCluster(t)
		err := c.ActionContext("test").Evict("default", "nope", sim.DeleteOptions{})
		if se, ok := err.(*sim.StatusError); !ok || se.Code != 404 || se.Message != `pods "nope" not found` {
			t.Errorf("got %#v", err)
		}
	})
	notReady := func(c *cluster.Cluster, name string) {
		cp := api.Clone(c.Store().Get("Pod", "default/"+name).(*api.Pod))
		cp.GetCondition(api.PodReady).Status = api.ConditionFalse
		if err := c.ActionContext("test").Update(cp); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, spec string
		admitted   bool
	}{
		// IfHealthyBudget (the default): an unready pod goes without using the budget while
		// currentHealthy >= desiredHealthy > 0 (3 >= 3 here), even though 0 are allowed.
		{"unready, budget met", "  minAvailable: 3\n" + sel, true},
		// 3 healthy, 4 needed: the unready pod falls through to checkAndDecrement: 429.
		{"unready, budget not met", "  minAvailable: 4\n" + sel, false},
		{"unready, AlwaysAllow", "  minAvailable: 4\n  unhealthyPodEvictionPolicy: AlwaysAllow\n" + sel, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, tc.spec)
			name := podNames(c)[0]
			notReady(c, name)
			if err := c.AdvanceTo(c.Now()); err != nil {
				t.Fatal(err)
			}
			before := pdb(t, c, "pdb0").Status.DisruptionsAllowed
			err := c.ActionContext("test").Evict("default", name, sim.DeleteOptions{})
			if (err == nil) != tc.admitted {
				t.Fatalf("admitted %v, want %v (err %v)", err == nil, tc.admitted, err)
			}
			if p := pdb(t, c, "pdb0"); p.Status.DisruptionsAllowed != before || len(p.Status.DisruptedPods) != 0 {
				t.Errorf("the budget was used: %s, %v", status(p), p.Status.DisruptedPods)
			}
		})
	}
	t.Run("stale budget: 429 still being processed", func(t *testing.T) {
		c := newCluster(t, "  minAvailable: 1\n"+sel)
		cp := api.Clone(pdb(t, c, "pdb0"))
		cp.Status.ObservedGeneration = 0
		if err := c.ActionContext("test").Update(cp); err != nil {
			t.Fatal(err)
		}
		err := c.ActionContext("test").Evict("default", podNames(c)[0], sim.DeleteOptions{})
		if se, ok := err.(*sim.StatusError); !ok || se.Code != 429 || se.Cause != "The disruption budget pdb0 is still being processed by the server." {
			t.Errorf("got %#v", err)
		}
	})
}

// TestSyncFailed: a pod whose controller cannot be found makes a percentage budget fail
// safe: 0 allowed, condition SyncFailed with the error, and the Warning event.
func TestSyncFailed(t *testing.T) {
	c := newCluster(t, "  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n")
	ctx := c.ActionContext("test")
	tr := true
	orphan := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "stray", Labels: map[string]string{"app": "web"},
			OwnerReferences: []api.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "gone", UID: "uid-gone", Controller: &tr}}},
		Spec: api.PodSpec{Containers: []api.Container{{Name: "c", Image: "web:1.0"}}}}
	if err := ctx.Create(orphan); err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(c.Now()); err != nil {
		t.Fatal(err)
	}
	p := pdb(t, c, "pdb0")
	cond := api.FindCondition(p.Status.Conditions, api.DisruptionAllowedCondition)
	if p.Status.DisruptionsAllowed != 0 || cond.Reason != api.SyncFailedReason || cond.Message != `found no controllers for pod "stray"` {
		t.Errorf("got %s %q", status(p), cond.Message)
	}
	if !hasEvent(c, "CalculateExpectedPodCountFailed", `Failed to calculate the number of expected pods: found no controllers for pod "stray"`) {
		t.Error("no CalculateExpectedPodCountFailed event")
	}
	err := ctx.Evict("default", podNames(c)[0], sim.DeleteOptions{})
	if se, ok := err.(*sim.StatusError); !ok || se.Code != 429 ||
		se.Cause != `The disruption budget pdb0 does not allow evicting pods currently because it failed sync: found no controllers for pod "stray"` {
		t.Errorf("eviction: %#v", err)
	}
}

// TestUnmanagedPods: a bare pod under a percentage budget does not stop the sync; the budget
// counts only the Deployment's replicas and warns with the selector as metav1 prints it.
func TestUnmanagedPods(t *testing.T) {
	c := newCluster(t, "  minAvailable: 50%\n  selector: {matchLabels: {app: web}}\n")
	bare := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "bare", Labels: map[string]string{"app": "web"}},
		Spec:       api.PodSpec{Containers: []api.Container{{Name: "c", Image: "web:1.0"}}}}
	if err := c.ActionContext("test").Create(bare); err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(c.Now()); err != nil {
		t.Fatal(err)
	}
	if p := pdb(t, c, "pdb0"); p.Status.ExpectedPods != 4 || p.Status.DesiredHealthy != 2 {
		t.Errorf("status %s", status(p))
	}
	want := "Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found " +
		"to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. " +
		"To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value."
	if !hasEvent(c, "UnmanagedPods", want) {
		t.Error("no UnmanagedPods event")
	}
}
