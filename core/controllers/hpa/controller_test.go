package hpa_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

const base = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
nodes: [{name: node-1}]
images:
  web:1.0: {cpu: 150m}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 100m}}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: KIND, name: web}
  minReplicas: 2
  maxReplicas: 3
`

func run(t *testing.T, yaml string, until api.Time) (*cluster.Cluster, *api.HorizontalPodAutoscaler, string) {
	t.Helper()
	sc, err := scenario.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AdvanceTo(until); err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, r := range c.Records() {
		if r.Type == trace.TypeEvent && strings.HasPrefix(r.Event.Object, "HorizontalPodAutoscaler/") {
			events = append(events, r.Event.Reason+": "+r.Event.Message)
		}
	}
	h, _ := c.Store().Get("HorizontalPodAutoscaler", "default/web").(*api.HorizontalPodAutoscaler)
	return c, h, strings.Join(events, "\n")
}

func cond(h *api.HorizontalPodAutoscaler, typ string) string {
	c := h.GetCondition(typ)
	if c == nil {
		return "<none>"
	}
	return c.Status + " " + c.Reason + ": " + c.Message
}

// The reconcileAutoscaler branches of horizontal.go before any metric is computed, and the
// first sync one period (15 s) after the HPA was created.
func TestReconcileBranches(t *testing.T) {
	for _, c := range []struct {
		name, replicas, kind string
		at                   api.Time
		want                 map[string]string // condition type -> status reason: message
		events               string
		size                 int32
	}{
		{name: "no sync before one period", replicas: "5", kind: "Deployment", at: 14_999,
			want: map[string]string{api.HPAAbleToScale: "<none>"}, size: 5},
		{name: "above maxReplicas", replicas: "5", kind: "Deployment", at: 15_000,
			want:   map[string]string{api.HPAAbleToScale: "True SucceededRescale: the HPA controller was able to update the target scale to 3", api.HPAScalingActive: "<none>"},
			events: "SuccessfulRescale: New size: 3; reason: Current number of replicas above Spec.MaxReplicas", size: 3},
		{name: "below minReplicas", replicas: "1", kind: "Deployment", at: 15_000,
			events: "SuccessfulRescale: New size: 2; reason: Current number of replicas below Spec.MinReplicas", size: 2},
		{name: "scaled to zero", replicas: "0", kind: "Deployment", at: 15_000,
			want: map[string]string{api.HPAScalingActive: "False ScalingDisabled: scaling is disabled since the replica count of the target is zero"}, size: 0},
		{name: "unknown kind", replicas: "2", kind: "DaemonSet", at: 15_000,
			want:   map[string]string{api.HPAAbleToScale: `False FailedGetScale: the HPA controller was unable to get the target's current scale: no matches for kind "DaemonSet" in group "apps"`},
			events: `FailedGetScale: no matches for kind "DaemonSet" in group "apps"`, size: 2},
		{name: "no metrics-server", replicas: "2", kind: "Deployment", at: 15_000,
			want: map[string]string{api.HPAScalingActive: "False FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)"},
			size: 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			yaml := strings.NewReplacer("REPLICAS", c.replicas, "KIND", c.kind).Replace(base)
			if c.name == "no metrics-server" {
				yaml = strings.Replace(yaml, "{cpu: 150m}", "{pull: 1s}", 1)
			}
			cl, h, events := run(t, yaml, c.at)
			for typ, want := range c.want {
				if got := cond(h, typ); got != want {
					t.Errorf("%s = %q\nwant %q", typ, got, want)
				}
			}
			if c.events != "" && !strings.Contains(events, c.events) {
				t.Errorf("events:\n%s\nwant %q", events, c.events)
			}
			d, _ := cl.Store().Get("Deployment", "default/web").(*api.Deployment)
			if d != nil && api.Deref(d.Spec.Replicas, 1) != c.size {
				t.Errorf("deployment replicas %d; want %d", *d.Spec.Replicas, c.size)
			}
		})
	}
}

// Two HPAs whose targets select the same pods: AmbiguousSelector, no scaling.
func TestAmbiguousSelector(t *testing.T) {
	yaml := strings.NewReplacer("REPLICAS", "2", "KIND", "Deployment").Replace(base) + `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: other}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
`
	_, h, events := run(t, yaml, 45_000)
	want := "False AmbiguousSelector: pods by selector app=web are controlled by multiple HPAs: [{other default} {web default}]"
	if got := cond(h, api.HPAScalingActive); got != want {
		t.Errorf("ScalingActive = %q\nwant %q", got, want)
	}
	if !strings.Contains(events, "AmbiguousSelector: pods by selector") {
		t.Errorf("events:\n%s", events)
	}
}

// With metrics: 2 pods at 150m of 100m is 150% against the default 80% target (the API's
// default metric), ratio 1.87, ceil(3.75) = 4, capped by maxReplicas 3: ScalingLimited
// True TooManyReplicas, and the status carries the metric.
func TestScaleUpLimitedByMax(t *testing.T) {
	_, h, events := run(t, strings.NewReplacer("REPLICAS", "2", "KIND", "Deployment").Replace(base), 30_000)
	if got := cond(h, api.HPAScalingLimited); got != "True TooManyReplicas: the desired replica count is more than the maximum replica count" {
		t.Errorf("ScalingLimited = %q", got)
	}
	if got := cond(h, api.HPAScalingActive); got != "True ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)" {
		t.Errorf("ScalingActive = %q", got)
	}
	if !strings.Contains(events, "SuccessfulRescale: New size: 3; reason: cpu resource utilization (percentage of request) above target") {
		t.Errorf("events:\n%s", events)
	}
	if got := api.HPATargets(h); got != "cpu: 150%/80%" || h.Status.DesiredReplicas != 3 || h.Status.LastScaleTime == nil || *h.Status.LastScaleTime != 30_000 {
		t.Errorf("targets %q, desired %d, lastScaleTime %v", got, h.Status.DesiredReplicas, h.Status.LastScaleTime)
	}
}
