package kubectl_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/scenario"
)

const topScenario = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: top}
nodes: [{name: node-1, cpu: "2", memory: 4Gi}, {name: node-2}]
images:
  web:1.0: {start: 1s, cpu: {from: 100m, to: 300m, over: 60s}, memory: 100Mi}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-1}
      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 200m}}}]
`

func runAt(t *testing.T, c *cluster.Cluster, at api.Time, line string) string {
	t.Helper()
	if err := c.AdvanceTo(at); err != nil {
		t.Fatal(err)
	}
	out, err := kubectl.Run(&kubectl.Env{Ctx: c.ActionContext("user")}, line)
	if err != nil {
		out += "ERR: " + err.Error() + "\n"
	}
	return out
}

func newTopCluster(t *testing.T, yaml string) *cluster.Cluster {
	sc, err := scenario.Parse("top.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// kubectl top (pkg/cmd/top, pkg/metricsutil): no metrics before metrics-server's second
// sample of a pod, then CPU in millicores and memory in Mi; nodes in percent of allocatable,
// nodes without a sample as <unknown>.
func TestTop(t *testing.T) {
	c := newTopCluster(t, topScenario)
	for _, s := range []struct {
		at         api.Time
		line, want string
	}{
		{10_000, "top pods", "ERR: error: metrics not available yet\n"},
		{10_000, "top nodes", "ERR: error: metrics not available yet\n"},
		// Started at 0 s, sampled at 15 s and 30 s: the average over the window of a ramp from
		// 100m by 200m a minute is its value at 22.5 s, 100m + 200m × 22.5/60 = 175m.
		{31_000, "top pods", "NAME                   CPU(cores)   MEMORY(bytes)\nweb-6ddf5bb648-6clp4   175m         100Mi\n"},
		{31_000, "top nodes", "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)\nnode-1   175m         8%       100Mi           2%\nnode-2   0m           0%       0Mi             0%\n"},
		{31_000, "top pod nope", "ERR: Error from server (NotFound): pods \"nope\" not found\n"},
		{31_000, "top pods -l app=other", "No resources found in default namespace.\n"},
		{31_000, "top pods --sort-by=name", "ERR: error: --sort-by accepts only cpu or memory\n"},
	} {
		got := runAt(t, c, s.at, s.line)
		if !strings.HasPrefix(got, s.want) {
			t.Errorf("at %v: kubectl %s\n--- got ---\n%s--- want prefix ---\n%s", s.at, s.line, got, s.want)
		}
	}
	if got := runAt(t, c, 31_000, "top pods --containers"); !strings.Contains(got, "POD ") || !strings.Contains(got, "  web  ") || !strings.Contains(got, "175m") {
		t.Errorf("top pods --containers:\n%s", got)
	}
}

// Without a usage model there is no metrics-server.
func TestTopWithoutMetricsServer(t *testing.T) {
	c := newTopCluster(t, strings.Replace(topScenario, "cpu: {from: 100m, to: 300m, over: 60s}, memory: 100Mi", "pull: 1s", 1))
	if got := runAt(t, c, 60_000, "top pods"); got != "ERR: error: Metrics API not available\n" {
		t.Errorf("top pods = %q", got)
	}
}

// kubectl autoscale (pkg/cmd/autoscale) creates an autoscaling/v2 HPA; get hpa shows it.
func TestAutoscale(t *testing.T) {
	c := newTopCluster(t, topScenario)
	for _, s := range []struct {
		line, want string
	}{
		{"autoscale deployment web --max=0", "ERR: error: --max=MAXPODS is required and must be at least 1, max: 0\n"},
		{"autoscale deployment web --min=5 --max=3", "ERR: error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n"},
		{"autoscale deployment nope --max=3", "ERR: Error from server (NotFound): deployments.apps \"nope\" not found\n"},
		{"autoscale deployment web --cpu-percent=50 --min=1 --max=4", "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\nhorizontalpodautoscaler.autoscaling/web autoscaled\n"},
		{"autoscale deployment web --cpu=300 --memory=200 --name=raw --max=4", "horizontalpodautoscaler.autoscaling/raw autoscaled\n"},
		{"get hpa raw", "NAME   REFERENCE        TARGETS                                        MINPODS   MAXPODS   REPLICAS   AGE\nraw    Deployment/web   cpu: <unknown>/300m, memory: <unknown>/200Mi   1         4         0          0s\n"},
		{"delete hpa raw", "horizontalpodautoscaler.autoscaling \"raw\" deleted from default namespace\n"},
		{"autoscale deployment/web --max=4", "ERR: Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"web\" already exists\n"},
		{"get hpa web", "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: <unknown>/50%   1         4         0          0s\n"},
	} {
		if got := runAt(t, c, 1_000, s.line); got != s.want {
			t.Errorf("kubectl %s\n--- got ---\n%s--- want ---\n%s", s.line, got, s.want)
		}
	}
	// Created at 1 s, the HPA syncs at 16 s (no metrics yet) and 31 s (175m of 200m).
	got := runAt(t, c, 31_000, "get hpa")
	if !strings.Contains(got, "cpu: 87%/50%") || !strings.Contains(got, "   1          30s") {
		t.Errorf("get hpa at 31 s:\n%s", got)
	}
}

// With -A, rows sort by namespace, then name.
func TestTopAllNamespaces(t *testing.T) {
	c := newTopCluster(t, topScenario+`---
apiVersion: v1
kind: Namespace
metadata: {name: a-team}
---
apiVersion: v1
kind: Pod
metadata: {name: zz, namespace: a-team}
spec:
  containers: [{name: web, image: web:1.0}]
`)
	got := runAt(t, c, 31_000, "top pods -A")
	want := "NAMESPACE   NAME                   CPU(cores)   MEMORY(bytes)\na-team      zz                     175m         100Mi\ndefault     web-"
	if !strings.HasPrefix(got, want) {
		t.Errorf("top pods -A:\n%s\nwant prefix:\n%s", got, want)
	}
}
