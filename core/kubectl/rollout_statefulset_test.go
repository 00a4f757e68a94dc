package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// rollout restart of a StatefulSet stamps the template with the RFC 3339 time to the
// second, as kubectl's objectrestarter does for every kind, so a second restart within
// the same second is refused (conformance seed 285).
func TestStatefulSetRestartTwiceInOneSecond(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	s := &api.StatefulSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}}
	s.Name, s.Namespace = "db", "default"
	s.Spec.Replicas = api.Ptr(int32(1))
	s.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": "db"}}
	s.Spec.Template.Labels = map[string]string{"app": "db"}
	s.Spec.Template.Spec.Containers = []api.Container{{Name: "db", Image: "db:1"}}
	api.Default(s)
	if err := e.ActionContext("user").Create(s); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(21000); err != nil {
		t.Fatal(err)
	}
	env := &kubectl.Env{Ctx: e.ActionContext("user")}
	if out, err := kubectl.Run(env, "rollout restart statefulset/db"); err != nil || out != "statefulset.apps/db restarted\n" {
		t.Fatalf("first restart: %q %v", out, err)
	}
	got, _ := store.GetAs[*api.StatefulSet](e.Store(), "StatefulSet", "default/db")
	if at := got.Spec.Template.Annotations[api.RestartedAtAnnotation]; at != "2026-01-01T00:00:21Z" {
		t.Errorf("restartedAt %q, want 2026-01-01T00:00:21Z", at)
	}
	if err := e.AdvanceTo(21500); err != nil {
		t.Fatal(err)
	}
	_, err := kubectl.Run(env, "rollout restart statefulset/db")
	want := "error: failed to create patch for db: if restart has already been triggered within the past second, please wait before attempting to trigger another"
	if err == nil || err.Error() != want {
		t.Errorf("second restart within the second: %v, want %s", err, want)
	}
	if err := e.AdvanceTo(22000); err != nil {
		t.Fatal(err)
	}
	if _, err := kubectl.Run(env, "rollout restart statefulset/db"); err != nil {
		t.Errorf("restart a second later: %v", err)
	}
}
