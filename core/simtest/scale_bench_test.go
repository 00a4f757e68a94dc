package simtest

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// statefulSetScenario is tools/scaling.sh's sts row with n replicas on 100 nodes: an
// OrderedReady StatefulSet behind a headless Service, created one pod at a time.
func statefulSetScenario(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: sts-%d}\nseed: 1\nuntil: %ds\nnodes:\n", n, n*2+120)
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "  - {name: node-%d, cpu: \"4\", memory: 16Gi, labels: {topology.kubernetes.io/zone: zone-%d}}\n", i, i%3)
	}
	b.WriteString("images:\n  nginx:1.25: {pull: 0s, start: 1s}\ntimeline:\n  - {at: 0s, apply: all}\n")
	b.WriteString("---\napiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec:\n  clusterIP: None\n  selector: {app: nginx}\n  ports: [{name: web, port: 80}]\n")
	fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: nginx\n  replicas: %d\n", n)
	b.WriteString(`  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe:
            httpGet: {path: /, port: 80}
            initialDelaySeconds: 2
            periodSeconds: 2
`)
	return b.String()
}

// runCLI does what `kubesim run -o jsonl` does, the trace written to io.Discard.
func runCLI(tb testing.TB, sc *scenario.Scenario) {
	c, err := cluster.New(sc, cluster.Options{RecordState: true})
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(io.Discard)
	if err := trace.WriteJSONL(w, c.Records()); err != nil {
		tb.Fatal(err)
	}
	w.Flush()
}

func benchStatefulSet(b *testing.B, n int) {
	sc, err := scenario.Parse("sts.yaml", []byte(statefulSetScenario(n)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		runCLI(b, sc)
	}
}

// BenchmarkStatefulSet*: the OrderedReady StatefulSet of tools/scaling.sh (one instant or
// more per replica), run like `kubesim run -o jsonl`. Linear run time means 1000 takes about
// 4 times 250; quadratic, 16 times.
func BenchmarkStatefulSet250(b *testing.B)  { benchStatefulSet(b, 250) }
func BenchmarkStatefulSet500(b *testing.B)  { benchStatefulSet(b, 500) }
func BenchmarkStatefulSet1000(b *testing.B) { benchStatefulSet(b, 1000) }
