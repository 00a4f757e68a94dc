package simtest

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/scenario"
)

// A 100-replica Deployment on one node (room for 130 pods, so the 25 % surge fits) through
// two image updates creates 300 pods, more than the 253 addresses of the node's /24
// (10.244.0.2-.254): host-local wraps around and reuses the addresses of deleted pods. The
// kubelet used to count on to 10.244.1.301. After every instant every live pod's IP is inside
// node-1's podCIDR and no two share one.
func TestPodIPsStayInPodCIDR(t *testing.T) {
	const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: pod-ips}
until: 300s
nodes:
  - {name: node-1, cpu: "64", memory: 256Gi, pods: 130}
images:
  web:1: {pull: 1s, start: 1s}
  web:2: {pull: 1s, start: 1s}
  web:3: {pull: 1s, start: 1s}
timeline:
  - {at: 0s, apply: all}
  - {at: 60s, kubectl: "set image deployment/web web=web:2"}
  - {at: 150s, kubectl: "set image deployment/web web=web:3"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 100
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "web:1"}
`
	sc, err := scenario.Parse("pod-ips.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	podCIDR, _ := api.ParseCIDR("10.244.0.0/24")
	seen := map[string]string{} // pod UID -> IP
	for {
		next, ok := c.NextTime()
		if !ok || next > api.Time(sc.Until) {
			break
		}
		if _, err := c.Step(); err != nil {
			t.Fatal(err)
		}
		if err := invariant.CheckAll(c.Store(), c.Now()); err != nil {
			t.Fatalf("t=%ss: %v", c.Now().SecondsString(), err)
		}
		for _, o := range c.Store().List("Pod", "") {
			if p := o.(*api.Pod); p.Status.PodIP != "" {
				seen[p.UID] = p.Status.PodIP
			}
		}
	}
	if n := c.Store().Get("Node", "node-1").(*api.Node); n.Spec.PodCIDR != podCIDR.String() {
		t.Fatalf("node-1 podCIDR %q; want %s (the first /24 of 10.244.0.0/16)", n.Spec.PodCIDR, podCIDR)
	}
	uses := map[string]int{}
	for _, ip := range seen {
		a, ok := api.ParseIPv4(ip)
		if !ok || !podCIDR.Contains(a) || a < podCIDR.Network()+2 || a == podCIDR.Broadcast() {
			t.Errorf("a pod had IP %s, not in 10.244.0.2-10.244.0.254", ip)
		}
		uses[ip]++
	}
	reused := 0
	for _, n := range uses {
		if n > 1 {
			reused++
		}
	}
	if len(seen) != 300 || len(uses) != 253 || reused == 0 {
		t.Errorf("%d pods got %d distinct IPs, %d of them reused; want 300 pods on all 253 addresses, some reused", len(seen), len(uses), reused)
	}
	var ready int
	for _, o := range c.Store().List("Pod", "") {
		if p := o.(*api.Pod); p.IsReady() && p.Spec.Containers[0].Image == "web:3" {
			ready++
		}
	}
	if ready != 100 {
		t.Errorf("%d web:3 pods Ready at the end; want the rollout done (100)", ready)
	}
}
