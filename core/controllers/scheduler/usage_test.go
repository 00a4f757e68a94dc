package scheduler_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/controllers/scheduler"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
)

// busy keeps the scheduler deciding while pods come and go on every node: more replicas than
// fit (unschedulable pods retried on every pod exit), a rolling update, pods that finish
// (terminal but still bound), a pre-bound pod, deletions, a scale-down, a node failure with
// eviction and recovery, and a cordon.
const busy = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: busy}
seed: 7
until: 500s
nodes:
  - {name: node-1, cpu: "2", memory: 4Gi}
  - {name: node-2, cpu: "2", memory: 4Gi}
  - {name: node-3, cpu: "2", memory: 4Gi}
  - {name: node-4, cpu: "2", memory: 4Gi}
images:
  web:1: {pull: 1s, stopAfter: 3s}
  web:2: {pull: 2s, stopAfter: 1s}
  job:1: {preloaded: true, exitAfter: 4s}
timeline:
  - {at: 0s, apply: all}
  - {at: 10s, kubectl: "set image deployment/web web=web:2"}
  - {at: 12s, kubectl: "delete pod pinned"}
  - {at: 20s, fail: node/node-2}
  - {at: 30s, kubectl: "scale deployment/web --replicas=20"}
  - {at: 40s, kubectl: "cordon node-3"}
  - {at: 45s, kubectl: "scale deployment/web --replicas=36"}
  - {at: 60s, kubectl: "uncordon node-3"}
  - {at: 390s, recover: node/node-2}
  - {at: 400s, kubectl: "set image deployment/web web=web:1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 36
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: web
          image: web:1
          resources: {requests: {cpu: 250m, memory: 100Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: node-1
  containers:
    - name: app
      image: web:1
      resources: {requests: {cpu: 300m}}
---
apiVersion: v1
kind: Pod
metadata: {name: job-a}
spec:
  restartPolicy: Never
  containers:
    - name: job
      image: job:1
      resources: {requests: {cpu: 500m, memory: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: job-b}
spec:
  restartPolicy: Never
  containers:
    - {name: job, image: job:1}
`

// The scheduler's memoized per-node totals (pod count, requested and non-zero cpu and memory)
// equal a recomputation from a full pod list after every instant of a busy scenario.
func TestNodeUsageMatchesRecomputation(t *testing.T) {
	sc, err := scenario.Parse("busy.yaml", []byte(busy))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	instants, bound, terminal, unschedulable := 0, 0, 0, 0
	for c.Now() <= api.Time(500*api.Second) {
		ran, err := c.Step()
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
		instants++
		st := c.Store()
		byNode := map[string][]*api.Pod{}
		for _, p := range store.ListAs[*api.Pod](st, "Pod", "") {
			switch {
			case p.Spec.NodeName == "":
				if len(p.Status.Conditions) > 0 {
					unschedulable++
				}
			case p.IsTerminal():
				terminal++
				fallthrough
			default:
				byNode[p.Spec.NodeName] = append(byNode[p.Spec.NodeName], p)
				bound++
			}
		}
		for _, n := range store.ListAs[*api.Node](st, "Node", "") {
			want := scheduler.UsageOf(byNode[n.Name])
			if got := scheduler.NodeUsageOf(st, n.Name); got != want {
				t.Fatalf("t=%ss %s: memoized usage %+v; recomputed %+v", c.Now().SecondsString(), n.Name, got, want)
			}
		}
	}
	// The scenario must really be busy: every kind of change happened.
	for _, r := range c.Records() {
		if r.Action != nil && r.Action.Error != "" {
			t.Errorf("%s: %s", r.Action.Command, r.Action.Error)
		}
	}
	if c.Now() < api.Time(400*api.Second) || instants < 50 || bound == 0 || terminal == 0 || unschedulable == 0 {
		t.Fatalf("scenario too quiet: %d instants, %d bound, %d terminal, %d unschedulable pod-instants", instants, bound, terminal, unschedulable)
	}
	t.Logf("%d instants checked, up to t=%ss", instants, c.Now().SecondsString())
}
