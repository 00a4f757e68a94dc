package player

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/core/scenario"
)

func bigScenario(t testing.TB, nodes, replicas int) *scenario.Scenario {
	var b strings.Builder
	b.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: big}\ntitle: big\nuntil: 120s\n")
	if nodes > 256 { // the default cluster CIDR, a /16, gives 256 nodes a /24 each
		b.WriteString("clusterCIDR: 10.0.0.0/14\n")
	}
	b.WriteString("nodes:\n")
	for i := 1; i <= nodes; i++ {
		fmt.Fprintf(&b, "  - {name: node-%d, cpu: \"16\", memory: 64Gi}\n", i)
	}
	fmt.Fprintf(&b, "images:\n  web:1.0: {pull: 1s, start: 2s}\n  web:2.0: {pull: 1s, start: 2s}\ntimeline:\n  - {at: 0s, apply: all}\n  - {at: 30s, kubectl: \"set image deployment/web web=web:2.0\"}\n---\n"+
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: %d\n  selector: {matchLabels: {app: web}}\n"+
		"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 100m}}}]\n", replicas)
	sc, err := scenario.Parse("big.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// BenchmarkSeek1000Pods: backward seeks in a 1,000-replica rolling update on 100 nodes,
// after the timeline was computed once to 60 s (design.md budget: 150 ms per seek).
func BenchmarkSeek1000Pods(b *testing.B) {
	p, err := New(bigScenario(b, 100, 1000), 0)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	seek(b, p, 60_000)
	b.Logf("first computation to 60 s: %v, %d snapshots, %d records", time.Since(t0), len(p.snaps), len(p.all))
	b.ResetTimer()
	for i := range b.N {
		seek(b, p, int64(1_000+(i*7_919)%58_000))
		seek(b, p, 60_000)
	}
}

// BenchmarkSeekHour: seeks in a one-hour timeline of the rolling-update scenario, whose
// readiness probes make an instant every 2 s.
func BenchmarkSeekHour(b *testing.B) {
	data, err := os.ReadFile("../../scenarios/rolling-update.yaml")
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Parse("rolling-update.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(sc, 0)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	seek(b, p, 3_600_000)
	b.Logf("first computation to 1 h: %v, %d snapshots, %d records", time.Since(t0), len(p.snaps), len(p.all))
	b.ResetTimer()
	for i := range b.N {
		seek(b, p, int64((i*1_234_567)%3_600_000))
	}
}

// BenchmarkSeekForward1000Nodes: issue 14's page seek, 1,000 pods on 1,000 nodes from 20 s
// to 45 s (mid-rollout). "first" computes the way there as a first visit does; "ahead"
// seeks after ComputeAhead has computed the timeline while the viewer looked at 20 s.
func BenchmarkSeekForward1000Nodes(b *testing.B) {
	sc := bigScenario(b, 1000, 1000)
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			p, err := New(sc, 0)
			if err != nil {
				b.Fatal(err)
			}
			seek(b, p, 20_000)
			b.StartTimer()
			seek(b, p, 45_000)
		}
	})
	b.Run("ahead", func(b *testing.B) {
		p, err := New(sc, 0)
		if err != nil {
			b.Fatal(err)
		}
		seek(b, p, 20_000)
		computeAhead(b, p, 64)
		for b.Loop() {
			seek(b, p, 20_000)
			seek(b, p, 45_000)
		}
	})
}
