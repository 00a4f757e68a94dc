package deployment_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/controllers/deployment/fakekubelet"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
)

// thousand is a 1,000-replica Deployment (25%/25%) on 100 nodes with the real scheduler and
// kubelet; pulls take 2 s.
func thousand() string {
	var b strings.Builder
	b.WriteString(`apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: bench}
seed: 1
images:
  web:1: {pull: 2s}
  web:2: {pull: 2s}
nodes:
`)
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "  - {name: node-%d, cpu: \"32\", memory: 64Gi}\n", i)
	}
	b.WriteString(`timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1000
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: web
          image: web:1
          resources: {requests: {cpu: 100m, memory: 64Mi}}
`)
	return b.String()
}

func complete(c *cluster.Cluster) bool {
	d, _ := store.GetAs[*api.Deployment](c.Store(), "Deployment", "default/web")
	c0 := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing)
	return d.Status.UpdatedReplicas == 1000 && d.Status.AvailableReplicas == 1000 && d.Status.Replicas == 1000 &&
		c0 != nil && c0.Reason == api.NewRSAvailableReason
}

// BenchmarkRollingUpdateThousandReplicas measures a full rolling update (set image to
// NewReplicaSetAvailable) of 1,000 replicas on 100 nodes, natively, RecordState off; the
// initial scale-up is set up outside the timer. Budget (design.md): 100 ms.
func BenchmarkRollingUpdateThousandReplicas(b *testing.B) {
	sc, err := scenario.Parse("bench.yaml", []byte(thousand()))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c, err := cluster.New(sc, cluster.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(60 * api.Second)); err != nil {
			b.Fatal(err)
		}
		if !complete(c) {
			b.Fatal("initial rollout did not complete in 60 s")
		}
		b.StartTimer()
		if _, err := c.Do("kubectl set image deployment/web web=web:2"); err != nil {
			b.Fatal(err)
		}
		for !complete(c) {
			next, ok := c.NextTime()
			if !ok {
				b.Fatal("rolling update stalled")
			}
			if err := c.AdvanceTo(next); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(c.Now()-api.Time(60*api.Second))/1000, "virtual-s")
	}
}

// BenchmarkThousandReplicasFromScratch includes the initial scale-up of 1,000 pods.
func BenchmarkThousandReplicasFromScratch(b *testing.B) {
	sc, err := scenario.Parse("bench.yaml", []byte(thousand()))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		c, err := cluster.New(sc, cluster.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(60 * api.Second)); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Do("kubectl set image deployment/web web=web:2"); err != nil {
			b.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(200 * api.Second)); err != nil {
			b.Fatal(err)
		}
		if !complete(c) {
			b.Fatal("rolling update did not complete by t=200s")
		}
	}
}

// BenchmarkRollingUpdateThousandReplicasIdealised isolates the ReplicaSet and Deployment
// controllers: the same rolling update with the fake kubelet of workloads.md §0.3 (bind at
// once, Ready 2 s after creation, every due pod in one step) instead of the scheduler and
// the real kubelet.
func BenchmarkRollingUpdateThousandReplicasIdealised(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		nodes := make([]string, 100)
		for j := range nodes {
			nodes[j] = fmt.Sprintf("node-%d", j+1)
		}
		w := newWorld(&testing.T{}, &fakekubelet.Kubelet{Default: 2 * api.Second, Nodes: nodes})
		w.create(newDeployment(1000, "", "", "web:1", 0))
		w.run(api.Seconds(60))
		b.StartTimer()
		w.setImage("web:2")
		w.run(api.Seconds(60))
		b.StopTimer()
		if st := w.deployment().Status; st.UpdatedReplicas != 1000 || st.AvailableReplicas != 1000 || st.Replicas != 1000 {
			b.Fatalf("rollout incomplete: %+v", st)
		}
		b.StartTimer()
	}
}
