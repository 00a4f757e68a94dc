package guarantee_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/guarantee"
	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
)

// big is a 1,000-replica rolling update on 100 nodes behind a Service (as core/player's
// BenchmarkSeek1000Pods, plus the Service so endpoints are judged too).
func big(b *testing.B) *scenario.Scenario {
	var s strings.Builder
	s.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: big}\nuntil: 120s\nnodes:\n")
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&s, "  - {name: node-%d, cpu: \"16\", memory: 64Gi}\n", i)
	}
	s.WriteString("images:\n  web:1.0: {pull: 1s, start: 2s}\n  web:2.0: {pull: 1s, start: 2s}\ntimeline:\n  - {at: 0s, apply: all}\n  - {at: 30s, kubectl: \"set image deployment/web web=web:2.0\"}\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1000\n  selector: {matchLabels: {app: web}}\n" +
		"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 100m}}}]\n" +
		"---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n")
	sc, err := scenario.Parse("big.yaml", []byte(s.String()))
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

// BenchmarkRun1000Pods: the markers of a 1,000-pod rolling update, what the page computes
// once per scenario (and again after a user command).
func BenchmarkRun1000Pods(b *testing.B) {
	sc := big(b)
	for range b.N {
		ms, err := guarantee.Run(sc, 0, nil)
		if err != nil || len(ms) == 0 {
			b.Fatal(err, len(ms))
		}
	}
}

// BenchmarkRun1000PodsBare is the same run without the tracker: the difference is the
// tracker's cost.
func BenchmarkRun1000PodsBare(b *testing.B) {
	sc := big(b)
	for range b.N {
		c, err := cluster.New(sc, cluster.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.AdvanceTo(player.End(sc, nil)); err != nil {
			b.Fatal(err)
		}
	}
}
