package statefulset_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/store"
)

// The rules must catch what they promise: a higher ordinal created while a lower one was not
// Ready. statefulset-ordered-ready watches the store (it judges each pod creation at the
// write), so the history is checked through one invariant.Set attached to the store.
func TestInvariantsCatchViolations(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(2))
	v.run(sec(10))
	rules := invariant.NewSet()
	rules.Attach(v.e.Store()) // ordered-ready judges each pod creation as it is written
	if err := rules.Check(v.e.Store(), v.e.Now()); err != nil {
		t.Fatalf("settled set: %v", err)
	}
	p0, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-0")
	cp := api.Clone(p0)
	cp.Status.Conditions[0].Status = api.ConditionFalse // web-0 loses readiness
	if err := v.ctx().Update(cp); err != nil {
		t.Fatal(err)
	}
	if err := rules.Check(v.e.Store(), v.e.Now()); err != nil {
		t.Fatalf("a readiness flap alone: %v", err)
	}
	p1, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-1")
	p2 := api.Clone(p1) // a web-2 the controller must not have created now
	p2.Name, p2.UID, p2.ResourceVersion = "web-2", "", 0
	p2.Status.PodIP = "" // not web-1's address (pod-ip-in-node-cidr would fire first)
	p2.Labels[api.StatefulSetPodNameLabel] = "web-2"
	if err := v.ctx().Create(p2); err != nil {
		t.Fatal(err)
	}
	if err := rules.Check(v.e.Store(), v.e.Now()); err == nil || !strings.Contains(err.Error(), "statefulset-ordered-ready") || !strings.Contains(err.Error(), "pod web-2 was created while web-0 was not Running and Ready") {
		t.Errorf("ordered-ready violation not caught: %v", err)
	}
}
