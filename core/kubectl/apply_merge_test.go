package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// TestApplyMergesContainersByName: a re-apply of the same manifest keeps a container field
// that kubectl patch added and the manifest never had (kubectl apply's strategic three-way
// merge matches containers by name; found by the conformance harness, random seeds 17 and
// 23), drops a field the last applied manifest had and the new one leaves out, and keeps
// the container order of the manifest.
func TestApplyMergesContainersByName(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	env := &kubectl.Env{Ctx: e.ActionContext("user")}
	d := func(withArgs bool) *api.Deployment {
		c := api.Container{Name: "app", Image: "app:v1"}
		if withArgs {
			c.Args = []string{"--x"}
		}
		return &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: api.ObjectMeta{Name: "web", Namespace: "default"},
			Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(1)),
				Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
				Template: api.PodTemplateSpec{ObjectMeta: api.ObjectMeta{Labels: map[string]string{"app": "web"}},
					Spec: api.PodSpec{Containers: []api.Container{c, {Name: "side", Image: "side:1"}}}}}}
	}
	steps := []struct {
		do   func() (string, error)
		want string
	}{
		{func() (string, error) { return kubectl.Apply(env, d(true)) }, "deployment.apps/web created"},
		{func() (string, error) {
			return kubectl.Run(env, `patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","readinessProbe":{"httpGet":{"path":"/broken","port":8080}}}]}}}}'`)
		}, "deployment.apps/web patched\n"},
		{func() (string, error) { return kubectl.Apply(env, d(true)) }, "deployment.apps/web unchanged"},
		{func() (string, error) { return kubectl.Apply(env, d(false)) }, "deployment.apps/web configured"},
	}
	for i, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("step %d: %q, %v; want %q", i, got, err, s.want)
		}
	}
	live, _ := store.GetAs[*api.Deployment](e.Store(), "Deployment", "default/web")
	cs := live.Spec.Template.Spec.Containers
	if len(cs) != 2 || cs[0].Name != "app" || cs[1].Name != "side" {
		t.Fatalf("containers %+v; want app, side", cs)
	}
	if p := cs[0].ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/broken" {
		t.Errorf("readinessProbe %+v; want the patched /broken probe kept", p)
	}
	if len(cs[0].Args) != 0 {
		t.Errorf("args %v; want them dropped (the last applied manifest had them, the new one not)", cs[0].Args)
	}
}
