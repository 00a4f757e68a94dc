package check

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// TestGeneratedScenariosParse: every generated scenario is a valid scenario file (it goes
// through scenario.Parse like a user's file), and the same seed gives the same text.
func TestGeneratedScenariosParse(t *testing.T) {
	kinds := map[string]int{}
	for seed := uint64(1); seed <= 300; seed++ {
		m := Generate(seed, 0)
		sc, err := m.Parse()
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, m.YAML())
		}
		if got := Generate(seed, 0).YAML(); got != m.YAML() {
			t.Fatalf("seed %d: two generations differ", seed)
		}
		if sc.Until != m.Until || len(sc.Nodes) != len(m.Nodes) || len(sc.Manifests) != len(m.Objects) || len(sc.Timeline) != len(m.Steps) {
			t.Fatalf("seed %d: parsed %d nodes, %d manifests, %d steps; generated %d, %d, %d", seed,
				len(sc.Nodes), len(sc.Manifests), len(sc.Timeline), len(m.Nodes), len(m.Objects), len(m.Steps))
		}
		for _, o := range m.Objects {
			kinds[o.Kind]++
		}
		for _, s := range m.Steps {
			kinds[s.Verb+" "+strings.Fields(s.Arg)[0]]++
		}
	}
	// The generator covers what the brief asks for.
	for _, k := range []string{"Deployment", "PodDisruptionBudget", "StatefulSet", "Service", "PersistentVolumeClaim", "StorageClass",
		"kubectl set", "kubectl scale", "kubectl rollout", "kubectl delete", "kubectl cordon", "kubectl uncordon",
		"kubectl drain", "kubectl patch", "fail node/node-1", "recover node/node-1", "apply all", "Pod",
		"ConfigMap", "Secret", "kubectl create"} {
		if kinds[k] == 0 {
			t.Errorf("300 seeds never generated %q (got %v)", k, kinds)
		}
	}
}

func TestGenerateFixedDuration(t *testing.T) {
	m := Generate(7, 90*api.Second)
	if m.Until != 90*api.Second {
		t.Fatalf("until = %s", m.Until)
	}
	for _, s := range m.Steps {
		if s.At > m.Until {
			t.Fatalf("step %s after the end", s)
		}
	}
}
