package check

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// priorities gives some seeds, from their own random stream, PriorityClasses applied before
// everything else ("low", sometimes the globalDefault, and "high", sometimes with
// preemptionPolicy Never), assigns them to some workloads' pod templates, and adds a
// Deployment "vip" of the high class, at 0 replicas until a random time when it is scaled up
// with large requests, so that it may have to preempt lower-priority pods.
func (g *gen) priorities(r *rng) {
	if !r.chance(35) {
		return
	}
	until := int(g.m.Until / api.Second)
	low := fmt.Sprintf("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: low}\nvalue: %d\n", r.between(-10, 100))
	if r.chance(30) {
		low += "globalDefault: true\n"
	}
	high := fmt.Sprintf("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: %d\n", r.between(1000, 1000000))
	if r.chance(25) {
		high += "preemptionPolicy: Never\n"
	}
	classes := []Object{{Kind: "PriorityClass", Name: "low", YAML: low}, {Kind: "PriorityClass", Name: "high", YAML: high}}
	for i, o := range g.m.Objects {
		if (o.Kind != "Deployment" && o.Kind != "StatefulSet") || !r.chance(50) {
			continue
		}
		g.m.Objects[i].YAML = withPriorityClass(o.YAML, pick(r, "low", "low", "high"))
	}
	var b strings.Builder
	b.WriteString("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: vip}\nspec:\n  replicas: 0\n")
	b.WriteString("  selector: {matchLabels: {app: vip}}\n  template:\n    metadata: {labels: {app: vip}}\n    spec:\n")
	b.WriteString("      priorityClassName: high\n      terminationGracePeriodSeconds: 1\n      containers:\n")
	fmt.Fprintf(&b, "        - name: app\n          image: app:v1\n          resources: {requests: {cpu: %s, memory: 128Mi}}\n", pick(r, "500m", "1", "2"))
	g.m.Objects = append(append(classes, g.m.Objects...), Object{Kind: "Deployment", Name: "vip", YAML: b.String()})
	g.insertStep(Step{At: api.Duration(r.between(1, until-1)) * api.Second, Verb: "kubectl", Arg: fmt.Sprintf("scale deployment/vip --replicas=%d", r.between(1, 4))})
}

// withPriorityClass puts priorityClassName into a workload's pod template (the spec that
// follows the template's metadata line).
func withPriorityClass(yaml, class string) string {
	const at = "}}\n    spec:\n"
	i := strings.Index(yaml, at)
	if i < 0 {
		return yaml
	}
	i += len(at)
	return yaml[:i] + "      priorityClassName: " + class + "\n" + yaml[i:]
}
