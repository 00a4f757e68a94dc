package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/store"
)

// A mounted ConfigMap may lag behind its object by up to one periodic sync (60 s), never
// more; a container instance's environment never changes.
func TestConfigRules(t *testing.T) {
	s := store.New()
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: api.ObjectMeta{Name: "cfg", Namespace: "default"}, Data: map[string]string{"k": "new"}}
	p := pod("a", on("n1"))
	p.Spec.Volumes = []api.Volume{{Name: "v", ConfigMap: &api.ConfigMapVolumeSource{Name: "cfg"}}}
	for _, o := range []api.Object{cm, p} {
		if err := s.Create(o); err != nil {
			t.Fatal(err)
		}
	}
	rt := &kubelet.PodRuntime{TypeMeta: api.TypeMeta{Kind: kubelet.RuntimeKind}, ObjectMeta: api.ObjectMeta{Name: "a", Namespace: "default"},
		PodUID: s.Get("Pod", "default/a").Meta().UID, Node: "n1", Containers: []kubelet.ContainerRuntime{{Name: "app", Phase: "Running", Instance: 1}},
		Config: &kubelet.ConfigState{Env: map[string][]string{"app": {"MODE=a"}}, Files: map[string]map[string]string{"v": {"k": "old"}}}}
	if err := s.Create(rt); err != nil {
		t.Fatal(err)
	}
	files := stateful["config-files-follow-the-object"]()
	env := stateful["config-env-fixed-per-instance"]()
	for _, at := range []api.Time{0, 59_999} {
		if err := files.Check(s, at); err != nil {
			t.Fatalf("t=%d: %v", at, err)
		}
		if err := env.Check(s, at); err != nil {
			t.Fatalf("t=%d: %v", at, err)
		}
	}
	if err := files.Check(s, 60_000); err == nil || !strings.Contains(err.Error(), "still differ at t=60s") {
		t.Errorf("stale files after 60 s: %v", err)
	}
	rt2 := api.Clone(rt)
	rt2.Config.Env["app"] = []string{"MODE=b"}
	if err := s.Update(rt2); err != nil {
		t.Fatal(err)
	}
	if err := env.Check(s, 60_000); err == nil || !strings.Contains(err.Error(), "environment changed while it ran") {
		t.Errorf("changed env: %v", err)
	}
	rt3 := api.Clone(s.Get(kubelet.RuntimeKind, "default/a").(*kubelet.PodRuntime))
	rt3.Containers[0].Instance = 2 // a new instance may see new values
	if err := s.Update(rt3); err != nil {
		t.Fatal(err)
	}
	if err := env.Check(s, 70_000); err != nil {
		t.Errorf("new instance: %v", err)
	}
}
