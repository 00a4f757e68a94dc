package cluster_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// TestTimelineWritesAreValidated: kubectl steps of a scenario's timeline go through the same
// validation and limits as every kubectl write. `scale --replicas=2147483647` (issue #10) is
// refused at once instead of creating pods forever; the Deployment keeps its replicas.
func TestTimelineWritesAreValidated(t *testing.T) {
	const file = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: huge-scale}
nodes: [{name: node-1}]
timeline:
  - {at: 0s, apply: all}
  - {at: 5s, kubectl: "scale deployment/web --replicas=2147483647"}
  - {at: 6s, kubectl: "patch deployment web -p '{\"spec\":{\"replicas\":5001}}'"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web:1.0}]}
`
	sc, err := scenario.Parse("huge-scale.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(api.Time(30 * api.Second)); err != nil {
		t.Fatal(err)
	}
	const tail = `: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)`
	want := map[string]string{
		"kubectl scale deployment/web --replicas=2147483647":           `The Deployment "web" is invalid: spec.replicas: Invalid value: 2147483647` + tail,
		`kubectl patch deployment web -p '{"spec":{"replicas":5001}}'`: `The Deployment "web" is invalid: spec.replicas: Invalid value: 5001` + tail,
	}
	for _, r := range c.Records() {
		if r.Type != trace.TypeAction {
			continue
		}
		if w, ok := want[r.Action.Command]; ok {
			if r.Action.Error != w {
				t.Errorf("%s:\n got error %q\nwant %q", r.Action.Command, r.Action.Error, w)
			}
			delete(want, r.Action.Command)
		}
	}
	for cmd := range want {
		t.Errorf("no action record for %s", cmd)
	}
	d, _ := store.GetAs[*api.Deployment](c.Store(), "Deployment", "default/web")
	if got := api.Deref(d.Spec.Replicas, 1); got != 2 {
		t.Errorf("web has %d replicas, want 2", got)
	}
	if n := len(c.Store().List("Pod", "")); n != 2 {
		t.Errorf("%d pods, want 2", n)
	}
}
