package statefulset_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/store"
)

// The rules must catch what they promise: a higher ordinal created before a lower one was
// Ready, and a bound volume claimed twice.
func TestInvariantsCatchViolations(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(2))
	v.run(sec(10))
	p0, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-0")
	cp := api.Clone(p0)
	cp.Status.Conditions[0].LastTransitionTime = sec(7) // web-0 "became Ready" after web-1 was created (t5)
	if err := v.ctx().Update(cp); err != nil {
		t.Fatal(err)
	}
	if err := invariant.CheckAll(v.e.Store(), v.e.Now()); err == nil || !strings.Contains(err.Error(), "statefulset-ordered-ready") {
		t.Errorf("ordered-ready violation not caught: %v", err)
	}
}
