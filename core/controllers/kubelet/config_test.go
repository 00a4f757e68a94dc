package kubelet_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/sim"
)

func configMap(name string, data map[string]string) *api.ConfigMap {
	return &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default"}, Data: data}
}

// allEvents lists "T Reason Message" of the recorded events.
func allEvents(e *sim.Engine) []string {
	var ev []string
	for _, r := range e.Records() {
		if r.Event != nil {
			ev = append(ev, r.T.SecondsString()+" "+r.Event.Reason+" "+r.Event.Message)
		}
	}
	return ev
}

// actionsAt runs fn at each given time.
func actionsAt(e *sim.Engine, fn func(ctx *sim.Context, n int) error, at ...api.Time) {
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		return "", fn(ctx, slices.Index(at, a.At))
	})
	for _, t := range at {
		e.Schedule(sim.Action{At: t, Source: "test", Command: "write"})
	}
}

func runtimeOf(e *sim.Engine, key string) *kubelet.PodRuntime {
	return e.Store().Get(kubelet.RuntimeKind, key).(*kubelet.PodRuntime)
}

// v1.37.2 kubelet_pods.go makeEnvironmentVariables, kuberuntime_container.go startContainer:
// a missing ConfigMap, then a missing key, give CreateContainerConfigError with the
// manager's error as message and a Failed "Error: ..." event at each 10 s pod-worker retry;
// the container starts at the first retry after the key exists; optional refs are skipped.
func TestEnvFromMissingConfigMap(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"web:1": {Preloaded: true}}, 1)
	p := newPod("web", "web:1")
	p.Spec.NodeName = "node-1"
	p.Spec.Containers[0].Env = []api.EnvVar{
		{Name: "MODE", ValueFrom: &api.EnvVarSource{ConfigMapKeyRef: &api.KeySelector{Name: "cfg", Key: "mode"}}},
		{Name: "EXTRA", ValueFrom: &api.EnvVarSource{ConfigMapKeyRef: &api.KeySelector{Name: "nope", Key: "x", Optional: api.Ptr(true)}}},
		{Name: "POD", ValueFrom: &api.EnvVarSource{FieldRef: &api.FieldSelector{FieldPath: "metadata.name"}}},
	}
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	actionsAt(e, func(ctx *sim.Context, n int) error {
		if n == 0 {
			return ctx.Create(configMap("cfg", map[string]string{"other": "1"}))
		}
		cm := api.Clone(ctx.Store().Get("ConfigMap", "default/cfg").(*api.ConfigMap))
		cm.Data["mode"] = "fast"
		return ctx.Update(cm)
	}, 5_000, 15_000)
	run(t, e, 3_000)
	got := e.Store().Get("Pod", "default/web").(*api.Pod)
	w := got.Status.ContainerStatuses[0].State.Waiting
	if w == nil || w.Reason != "CreateContainerConfigError" || w.Message != `configmap "cfg" not found` || api.PodStatusColumn(got) != "CreateContainerConfigError" {
		t.Fatalf("waiting = %+v, STATUS %s; want CreateContainerConfigError configmap \"cfg\" not found", w, api.PodStatusColumn(got))
	}
	run(t, e, 12_000)
	got = e.Store().Get("Pod", "default/web").(*api.Pod)
	if w := got.Status.ContainerStatuses[0].State.Waiting; w == nil || w.Message != "couldn't find key mode in ConfigMap default/cfg" {
		t.Fatalf("after the ConfigMap exists: waiting = %+v", w)
	}
	run(t, e, 30_000)
	want := []string{
		`0 Pulled Container image "web:1" already present on machine`,
		`0 Failed Error: configmap "cfg" not found`,
		`10 Pulled Container image "web:1" already present on machine`,
		`10 Failed Error: couldn't find key mode in ConfigMap default/cfg`,
		`20 Pulled Container image "web:1" already present on machine`,
		`20 Created Container created`,
		`20 Started Container started`,
	}
	if ev := allEvents(e); strings.Join(ev, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if env := runtimeOf(e, "default/web").Config.Env["app"]; !slices.Equal(env, []string{"MODE=fast", "POD=web"}) {
		t.Errorf("env = %q; want MODE=fast POD=web (the optional ref skipped)", env)
	}
}

// pkg/volume/configmap SetUpAt and the operation executor's back-off: FailedMount at 0, 0.5,
// 1.5, 3.5 s ...; the pod starts at the first retry after the ConfigMap exists (7.5 s).
func TestConfigMapVolumeWaits(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"web:1": {Preloaded: true}}, 1)
	p := newPod("web", "web:1")
	p.Spec.NodeName = "node-1"
	p.Spec.Volumes = []api.Volume{{Name: "cfg", ConfigMap: &api.ConfigMapVolumeSource{Name: "cfg"}}}
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	actionsAt(e, func(ctx *sim.Context, n int) error {
		return ctx.Create(configMap("cfg", map[string]string{"a.conf": "x=1"}))
	}, 5_000)
	run(t, e, 4_000)
	got := e.Store().Get("Pod", "default/web").(*api.Pod)
	if api.PodStatusColumn(got) != "ContainerCreating" || got.Status.PodIP != "" {
		t.Fatalf("STATUS %s, IP %q; want ContainerCreating without IP", api.PodStatusColumn(got), got.Status.PodIP)
	}
	run(t, e, 10_000)
	fm := `FailedMount MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found`
	want := []string{"0 " + fm, "0.5 " + fm, "1.5 " + fm, "3.5 " + fm,
		`7.5 Pulled Container image "web:1" already present on machine`, "7.5 Created Container created", "7.5 Started Container started"}
	if ev := allEvents(e); strings.Join(ev, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if f := runtimeOf(e, "default/web").Config.Files["cfg"]; f["a.conf"] != "x=1" {
		t.Errorf("files = %v; want a.conf=x=1", f)
	}
}

// A mounted ConfigMap changes in the files at the pod's next periodic sync (60 s after the
// sandbox, here t=60 for a change at t=30); the environment keeps the old value.
func TestMountedFilesUpdateEnvDoesNot(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"web:1": {Preloaded: true}}, 1)
	ctx := e.ActionContext("test")
	if err := ctx.Create(configMap("cfg", map[string]string{"mode": "slow"})); err != nil {
		t.Fatal(err)
	}
	p := newPod("web", "web:1")
	p.Spec.NodeName = "node-1"
	p.Spec.Containers[0].EnvFrom = []api.EnvFromSource{{ConfigMapRef: &api.OptionalRef{Name: "cfg"}, Prefix: "APP_"}}
	p.Spec.Volumes = []api.Volume{{Name: "cfg", Projected: &api.ProjectedVolumeSource{Sources: []api.VolumeProjection{
		{ConfigMap: &api.ConfigMapProjection{Name: "cfg", Items: []api.KeyToPath{{Key: "mode", Path: "conf/mode"}}}}}}}}
	if err := ctx.Create(p); err != nil {
		t.Fatal(err)
	}
	actionsAt(e, func(ctx *sim.Context, n int) error {
		cm := api.Clone(ctx.Store().Get("ConfigMap", "default/cfg").(*api.ConfigMap))
		cm.Data["mode"] = "fast"
		return ctx.Update(cm)
	}, 30_000)
	run(t, e, 59_999)
	if f := runtimeOf(e, "default/web").Config.Files["cfg"]["conf/mode"]; f != "slow" {
		t.Errorf("file before the periodic sync = %q; want slow", f)
	}
	run(t, e, 60_000)
	rt := runtimeOf(e, "default/web")
	if f := rt.Config.Files["cfg"]["conf/mode"]; f != "fast" {
		t.Errorf("file at the periodic sync = %q; want fast", f)
	}
	if env := rt.Config.Env["app"]; !slices.Equal(env, []string{"APP_mode=slow"}) {
		t.Errorf("env = %q; want APP_mode=slow (fixed at container start)", env)
	}
}

// An optional ConfigMap volume is mounted empty; when the ConfigMap is created later, its
// files appear at the pod's next periodic sync (t=60 for a creation at t=10).
func TestOptionalVolumeFillsWhenCreated(t *testing.T) {
	e := newEngine(t, false, map[string]api.ImageBehavior{"web:1": {Preloaded: true}}, 1)
	p := newPod("web", "web:1")
	p.Spec.NodeName = "node-1"
	p.Spec.Volumes = []api.Volume{{Name: "cfg", ConfigMap: &api.ConfigMapVolumeSource{Name: "cfg", Optional: api.Ptr(true)}}}
	if err := e.ActionContext("test").Create(p); err != nil {
		t.Fatal(err)
	}
	actionsAt(e, func(ctx *sim.Context, n int) error {
		return ctx.Create(configMap("cfg", map[string]string{"k": "v"}))
	}, 10_000)
	run(t, e, 59_999)
	if f := runtimeOf(e, "default/web").Config.Files["cfg"]; len(f) != 0 {
		t.Errorf("files before the periodic sync = %v; want none", f)
	}
	run(t, e, 60_000)
	if f := runtimeOf(e, "default/web").Config.Files["cfg"]; f["k"] != "v" {
		t.Errorf("files at the periodic sync = %v; want k=v", f)
	}
}
