package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// TestGetPDB pins printPodDisruptionBudget (N/A for the unset bound) and the apply/validation
// path of a policy/v1 object.
func TestGetPDB(t *testing.T) {
	f := newFixture(t)
	pct := api.FromString("25%")
	p := &api.PodDisruptionBudget{TypeMeta: api.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"},
		Spec:       api.PodDisruptionBudgetSpec{MaxUnavailable: &pct, Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
		Status:     api.PodDisruptionBudgetStatus{DisruptionsAllowed: 1, CurrentHealthy: 1, ExpectedPods: 1}}
	if err := f.env.Ctx.Create(p); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ line, want string }{
		{"get pdb", "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    N/A             25%               1                     0s\n"},
		{"describe poddisruptionbudget web", "Name:             web\nNamespace:        default\nMax unavailable:  25%\nSelector:         app=web\nStatus:\n    Allowed disruptions:  1\n    Current:              1\n    Desired:              0\n    Total:                1\nEvents:                   <none>\n"},
	} {
		if got := f.run(s.line); got != s.want {
			t.Errorf("kubectl %s:\n--- got ---\n%s--- want ---\n%s", s.line, got, s.want)
		}
	}
}
