package check

import (
	"fmt"
	"strings"
)

// memoryPressure gives some seeds memory trouble, from its own random stream: a Deployment
// "hog" of BestEffort or Burstable pods whose image leaks fast enough to bring nodes under
// memory.available<100Mi within the run (evictions, MemoryPressure and its taint), and a
// Pod "leak" whose memory limit its image outgrows (OOMKilled, restarts per its policy).
func (g *gen) memoryPressure(r *rng) {
	if !r.chance(30) {
		return
	}
	g.m.Images = append(g.m.Images,
		Image{Name: "mem:hog", Behavior: fmt.Sprintf("{pull: 0s, start: %s, stopAfter: %s, memory: {from: %dMi, leakPerMinute: %dMi}}",
			secs(r.between(0, 3)), secs(r.between(0, 3)), r.between(50, 500), pick(r, 128, 256, 512, 1024, 2048))},
		Image{Name: "mem:leak", Behavior: fmt.Sprintf("{pull: 0s, start: %s, memory: {from: %dMi, leakPerMinute: %dMi}}",
			secs(r.between(0, 3)), r.between(8, 64), r.between(16, 128))})
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hog}\nspec:\n  replicas: %d\n", r.between(1, 4))
	b.WriteString("  selector: {matchLabels: {app: hog}}\n  template:\n    metadata: {labels: {app: hog}}\n    spec:\n")
	fmt.Fprintf(&b, "      terminationGracePeriodSeconds: %d\n      containers:\n        - name: hog\n          image: mem:hog\n", pick(r, 0, 5, 30))
	if r.chance(50) { // otherwise BestEffort
		fmt.Fprintf(&b, "          resources: {requests: {memory: %s}}\n", pick(r, "64Mi", "256Mi", "1Gi"))
	}
	g.m.Objects = append(g.m.Objects, Object{Kind: "Deployment", Name: "hog", YAML: b.String()})
	limit := pick(r, "64Mi", "128Mi", "256Mi")
	g.m.Objects = append(g.m.Objects, Object{Kind: "Pod", Name: "leak", YAML: fmt.Sprintf(
		"apiVersion: v1\nkind: Pod\nmetadata: {name: leak}\nspec:\n  restartPolicy: %s\n  containers:\n    - name: leak\n      image: mem:leak\n      resources: {limits: {memory: %s}}\n",
		pick(r, "Always", "OnFailure", "Never"), limit)})
}
