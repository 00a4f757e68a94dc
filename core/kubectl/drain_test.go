package kubectl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// drainScenario: 4 web pods on two nodes (two on node-1), Ready 5 s after creation, a
// budget that needs all 4, and the drain command at 20 s.
func drainScenario(drain string) string {
	return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
until: 60s
nodes: [{name: node-1}, {name: node-2}]
images:
  web:1.0: {pull: 2s, start: 3s}
timeline:
  - {at: 0s, apply: all}
  - {at: 20s, kubectl: "` + drain + `"}
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
      terminationGracePeriodSeconds: 3
      containers:
        - name: web
          image: web:1.0
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 4
  selector: {matchLabels: {app: web}}
`
}

// drainTranscript runs the scenario and returns the drain's output as a terminal would
// show it, each instant's lines prefixed with its time.
func drainTranscript(t *testing.T, drain string) string {
	t.Helper()
	sc, err := scenario.Parse("t.yaml", []byte(drainScenario(drain)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range c.Records() {
		if r.Type != trace.TypeAction || !strings.HasPrefix(r.Action.Command, "kubectl drain") {
			continue
		}
		for _, s := range []string{r.Action.Output, r.Action.Error} {
			for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
				if l != "" {
					fmt.Fprintf(&b, "%ss %s\n", r.T.SecondsString(), l)
				}
			}
		}
	}
	return b.String()
}

// TestDrainRetriesUntilTimeout pins pkg/drain evictPods under a budget that never allows a
// disruption: a 429 is retried every 5 s (each retry prints "evicting pod" again), and once
// --timeout (12 s, so at 32 s) has passed the attempt after the 5 s sleep (35 s) fails with "global timeout reached"; the node then
// fails with RunDrain's and deleteOrEvictPodsSimple's messages.
func TestDrainRetriesUntilTimeout(t *testing.T) {
	got := drainTranscript(t, "drain node-1 --timeout=12s")
	want := `20s node/node-1 cordoned
20s evicting pod default/web-66c55b47c-6clp4
20s error when evicting pods/"web-66c55b47c-6clp4" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
20s evicting pod default/web-66c55b47c-792fb
20s error when evicting pods/"web-66c55b47c-792fb" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
25s evicting pod default/web-66c55b47c-6clp4
25s error when evicting pods/"web-66c55b47c-6clp4" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
25s evicting pod default/web-66c55b47c-792fb
25s error when evicting pods/"web-66c55b47c-792fb" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
30s evicting pod default/web-66c55b47c-6clp4
30s error when evicting pods/"web-66c55b47c-6clp4" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
30s evicting pod default/web-66c55b47c-792fb
30s error when evicting pods/"web-66c55b47c-792fb" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
35s evicting pod default/web-66c55b47c-6clp4
35s evicting pod default/web-66c55b47c-792fb
35s There are pending pods in node "node-1" when an error occurred: [error when evicting pods/"web-66c55b47c-6clp4" -n "default": global timeout reached: 12s, error when evicting pods/"web-66c55b47c-792fb" -n "default": global timeout reached: 12s]
35s pod/web-66c55b47c-6clp4
35s pod/web-66c55b47c-792fb
35s error: unable to drain node "node-1" due to error: [error when evicting pods/"web-66c55b47c-6clp4" -n "default": global timeout reached: 12s, error when evicting pods/"web-66c55b47c-792fb" -n "default": global timeout reached: 12s], continuing command...
35s There are pending nodes to be drained:
35s  node-1
35s error: [error when evicting pods/"web-66c55b47c-6clp4" -n "default": global timeout reached: 12s, error when evicting pods/"web-66c55b47c-792fb" -n "default": global timeout reached: 12s]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestDrainDisableEviction: --disable-eviction deletes the pods (no budget is asked), then
// deletePods' waitForDelete polls every second and prints "pod/NAME deleted".
func TestDrainDisableEviction(t *testing.T) {
	got := drainTranscript(t, "drain node-1 --disable-eviction --grace-period=2")
	want := `20s node/node-1 cordoned
21s pod/web-66c55b47c-6clp4 deleted
21s pod/web-66c55b47c-792fb deleted
21s node/node-1 drained
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// stsDrainScenario: web-0 of a StatefulSet on node-1 under a budget that first needs both
// pods; the user deletes web-0 (it comes back, same name, on node-2) and then relaxes the
// budget.
const stsDrainScenario = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
until: 60s
nodes: [{name: node-1}, {name: node-2}]
images:
  web:1.0: {pull: 1s, start: 1s}
timeline:
  - {at: 0s, apply: all}
  - {at: 20s, kubectl: "drain node-1"}
  - {at: 21s, kubectl: "delete pod web-0"}
  - {at: 23s, kubectl: "patch pdb web -p '{\"spec\":{\"minAvailable\":1}}'"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 3
      containers:
        - name: web
          image: web:1.0
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`

// TestDrainFollowsRecreatedPod: after a 429, pkg/drain refreshes the pod by name, so its next
// eviction hits the StatefulSet's replacement (now on node-2, as upstream) and it waits for
// that pod, not the first one, to be gone: "pod/web-0 evicted" comes at the poll after the
// replacement's deletion (26 s), not at once.
func TestDrainFollowsRecreatedPod(t *testing.T) {
	sc, err := scenario.Parse("t.yaml", []byte(stsDrainScenario))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(30_000); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Records() {
		if r.Type == trace.TypeAction && r.Action.Continued {
			got = append(got, r.T.SecondsString()+"s "+strings.TrimSpace(r.Action.Output))
		}
	}
	want := []string{"25s evicting pod default/web-0", "26s pod/web-0 evicted\nnode/node-1 drained"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("continued output %q, want %q", got, want)
	}
}
