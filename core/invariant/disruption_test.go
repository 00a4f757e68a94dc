package invariant

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func budget(allowed, healthy, desired, expected int32) *api.PodDisruptionBudget {
	return &api.PodDisruptionBudget{TypeMeta: api.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"},
		Spec:       api.PodDisruptionBudgetSpec{MinAvailable: api.Ptr(api.FromInt(desired)), Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
		Status: api.PodDisruptionBudgetStatus{ObservedGeneration: 1, DisruptionsAllowed: allowed, CurrentHealthy: healthy,
			DesiredHealthy: desired, ExpectedPods: expected}}
}

// TestPDBStatusRule plants a stale budget status: a ready pod the status does not count.
func TestPDBStatusRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		objs []api.Object
		want string
	}{
		{"in step", []api.Object{budget(1, 2, 1, 3), pod("a", readyAt(0)), pod("b", readyAt(0)), pod("c", terminating(), readyAt(0))}, ""},
		{"stale healthy count", []api.Object{budget(0, 1, 1, 2), pod("a", readyAt(0)), pod("b", readyAt(0))},
			"status says expected 2, desired 1, allowed 0, healthy 1, generation 1; its pods give expected 2, desired 1, allowed 1, healthy 2, generation 1"},
	} {
		s := store.New()
		for _, o := range tc.objs {
			if err := s.Create(api.Clone(o)); err != nil {
				t.Fatal(err)
			}
		}
		err := (&pdbStatus{since: map[string]api.Time{}}).Check(s, 1000)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestEvictionWithinBudgetRule plants an admission with no disruption allowed, and a ready
// pod evicted without any admission; the Eviction API's own sequence passes.
func TestEvictionWithinBudgetRule(t *testing.T) {
	run := func(allowed int32, recordAdmission bool) error {
		set := NewSet()
		s := store.New()
		s.Clock = func() api.Time { return 5000 }
		set.Attach(s)
		b, p := budget(allowed, 2, 1, 2), pod("a", readyAt(0))
		for _, o := range []api.Object{b, p} {
			if err := s.Create(api.Clone(o)); err != nil {
				t.Fatal(err)
			}
		}
		if recordAdmission {
			cb := api.Clone(s.Get("PodDisruptionBudget", "default/web").(*api.PodDisruptionBudget))
			cb.Status.DisruptionsAllowed--
			cb.Status.DisruptedPods = map[string]api.Time{"a": 5000}
			if err := s.Update(cb); err != nil {
				t.Fatal(err)
			}
		}
		cp := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
		cp.Status.Conditions = append(cp.Status.Conditions, api.PodCondition{Type: api.DisruptionTarget, Status: api.ConditionTrue, Reason: "EvictionByEvictionAPI"})
		if err := s.Update(cp); err != nil {
			t.Fatal(err)
		}
		for _, r := range set.rules {
			if _, ok := r.(*evictionWithinBudget); ok {
				return r.Check(s, 5000)
			}
		}
		t.Fatal("eviction-within-budget not in the set")
		return nil
	}
	if err := run(1, true); err != nil {
		t.Errorf("admitted with 1 allowed: %v", err)
	}
	var oe *ObjectError
	if err := run(0, true); !errors.As(err, &oe) || !strings.Contains(err.Error(), "the eviction of a was admitted with disruptionsAllowed 0 (now -1)") {
		t.Errorf("admitted with 0 allowed: %v", err)
	}
	if err := run(1, false); err == nil || !strings.Contains(err.Error(), "ready pod evicted (DisruptionTarget EvictionByEvictionAPI) at t=5s without a budget admitting it") {
		t.Errorf("evicted without admission: %v", err)
	}
}

// TestPDBStatusLagsScale: a maxUnavailable budget may count an old scale of its ReplicaSet
// until the controller's 30 s resync, not longer.
func TestPDBStatusLagsScale(t *testing.T) {
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-1", UID: "u1"}, Spec: api.ReplicaSetSpec{Replicas: api.Ptr(int32(3))}}
	b := budget(0, 2, 1, 2)
	b.Spec.MinAvailable, b.Spec.MaxUnavailable = nil, api.Ptr(api.FromInt(1))
	s := store.New()
	for _, o := range []api.Object{rs, b, pod("a", readyAt(0), ownedBy("u1")), pod("b", readyAt(0), ownedBy("u1"))} {
		if err := s.Create(api.Clone(o)); err != nil {
			t.Fatal(err)
		}
	}
	r := &pdbStatus{since: map[string]api.Time{}}
	for _, at := range []api.Time{1000, 31_000} {
		if err := r.Check(s, at); err != nil {
			t.Errorf("t=%d: %v", at, err)
		}
	}
	if err := r.Check(s, 31_001); err == nil || !strings.Contains(err.Error(), "status says expected 2, desired 1, allowed 0, healthy 2, generation 1; its pods give expected 3, desired 2, allowed 0, healthy 2, generation 1") {
		t.Errorf("after the resync period: %v", err)
	}
}
