package simtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/scenario"
)

// preemptionScenario: 100 nodes of 4 CPUs full of 1,000 low-priority pods of 400m; at 10s
// a Deployment of high pods asking for 1 CPU each arrives, each preempting 3 low pods.
func preemptionScenario(high int) string {
	var b strings.Builder
	b.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bench}\nseed: 1\nuntil: 40s\nnodes:\n")
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "  - {name: node-%d, cpu: \"4\", memory: 16Gi}\n", i)
	}
	b.WriteString("images:\n  app:1: {preloaded: true}\ntimeline:\n  - {at: 0s, apply: priorityclass/low}\n  - {at: 0s, apply: priorityclass/high}\n")
	b.WriteString("  - {at: 0s, apply: deployment/low}\n  - {at: 10s, apply: deployment/high}\n")
	for _, c := range []struct {
		name string
		v    int
	}{{"low", 10}, {"high", 1000}} {
		fmt.Fprintf(&b, "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: %s}\nvalue: %d\n", c.name, c.v)
	}
	for _, d := range []struct {
		name, cpu string
		n         int
	}{{"low", "400m", 1000}, {"high", "1", high}} {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\nspec:\n  replicas: %d\n  selector: {matchLabels: {app: %s}}\n", d.name, d.n, d.name)
		fmt.Fprintf(&b, "  template:\n    metadata: {labels: {app: %s}}\n    spec:\n      priorityClassName: %s\n", d.name, d.name)
		fmt.Fprintf(&b, "      containers: [{name: app, image: \"app:1\", resources: {requests: {cpu: %q}}}]\n", d.cpu)
	}
	return b.String()
}

// BenchmarkPreemption100Nodes: the whole scenario with 50 preempting pods (150 victims and
// their 150 Pending replacements); BenchmarkPreemption100NodesNone is the same without them.
func BenchmarkPreemption100Nodes(b *testing.B)     { benchPreemption(b, 50) }
func BenchmarkPreemption100NodesNone(b *testing.B) { benchPreemption(b, 0) }

func benchPreemption(b *testing.B, high int) {
	sc, err := scenario.Parse("bench.yaml", []byte(preemptionScenario(high)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(sc, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}
