package check

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
)

// resizes gives some seeds in-place pod resizes, from its own random stream: a Guaranteed
// Pod "resize" whose resizePolicy restarts or not per resource, and a few
// `kubectl patch pod resize --subresource resize` steps to random sizes, some that fit, some
// that must wait for room (Deferred) and some larger than any node (Infeasible); the
// invariants check that no node's allocations exceed its allocatable.
func (g *gen) resizes(r *rng) {
	if !r.chance(30) {
		return
	}
	policy := func() string { return pick(r, "NotRequired", "RestartContainer") }
	cpu := []string{"100m", "250m", "500m", "1", "2", "3", "16"}
	mem := []string{"64Mi", "128Mi", "512Mi", "1Gi", "4Gi", "64Gi"}
	c, m := cpu[r.intn(4)], mem[r.intn(3)]
	g.m.Objects = append(g.m.Objects, Object{Kind: "Pod", Name: "resize", YAML: fmt.Sprintf(
		"apiVersion: v1\nkind: Pod\nmetadata: {name: resize}\nspec:\n  containers:\n    - name: app\n      image: app:v1\n"+
			"      resizePolicy: [{resourceName: cpu, restartPolicy: %s}, {resourceName: memory, restartPolicy: %s}]\n"+
			"      resources: {requests: {cpu: %s, memory: %s}, limits: {cpu: %s, memory: %s}}\n", policy(), policy(), c, m, c, m)})
	end := int(g.m.Until / api.Second)
	for range r.between(1, 4) {
		c, m := pick(r, cpu...), pick(r, mem...)
		g.insertStep(Step{At: api.Duration(r.between(1, max(end-1, 1))) * api.Second, Verb: "kubectl", Arg: fmt.Sprintf(
			`patch pod resize --subresource resize -p '{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"%s","memory":"%s"},"limits":{"cpu":"%s","memory":"%s"}}}]}}'`,
			c, m, c, m)})
	}
}
