package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/scenarios"
)

// TestConformance fails on any difference between kubesim and the upstream controllers
// that no known divergence explains.
func TestConformance(t *testing.T) {
	for _, name := range catalogueScenarios() {
		t.Run(name, func(t *testing.T) {
			sc, err := load(name)
			if err != nil {
				t.Fatal(err)
			}
			r, err := compareScenario(sc)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range r.Unexplained {
				if i == 20 {
					t.Errorf("... %d more", len(r.Unexplained)-20)
					break
				}
				t.Errorf("unexplained difference: %s", d)
			}
		})
	}
}

// randomSeeds are the generated scenarios go test compares (kubesim check's generator,
// the same seeds as `go run . random --seeds 200`). All of them agree with the upstream
// controllers, or differ only by known divergences; a seed that starts to differ is a
// regression in kubesim or in the harness: `go run . random --seed N --minimal` shrinks it.
const randomSeeds = 200

func TestRandomScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("200 generated scenarios (~30 s)")
	}
	for s := uint64(1); s <= randomSeeds; s++ {
		_, r, err := randomSeed(s)
		if err != nil {
			t.Errorf("seed %d: %v", s, err)
			continue
		}
		if len(r.Unexplained) > 0 {
			t.Errorf("seed %d: %d unexplained differences, first: %s (go run . random --seed %d --minimal)", s, len(r.Unexplained), r.Unexplained[0], s)
		}
	}
}

// TestCatalogueCovered: every catalogue scenario with a Deployment or a StatefulSet is
// compared.
func TestCatalogueCovered(t *testing.T) {
	listed, stsListed := map[string]bool{}, map[string]bool{}
	for _, n := range deploymentScenarios {
		listed[n] = true
	}
	for _, n := range statefulSetScenarios {
		stsListed[n] = true
	}
	for _, file := range scenarios.Names() {
		name := strings.TrimSuffix(file, ".yaml")
		sc, err := load(name)
		if err != nil {
			t.Fatal(err)
		}
		has, hasSts := false, false
		for _, m := range sc.Manifests {
			_, ok := m.Object.(*api.Deployment)
			has = has || ok
			_, ok = m.Object.(*api.StatefulSet)
			hasSts = hasSts || ok
		}
		if hasSts && !has && !stsListed[name] {
			t.Errorf("%s has a StatefulSet but is not in statefulSetScenarios", name)
		}
		if stsListed[name] && (!hasSts || has) {
			t.Errorf("%s is in statefulSetScenarios but has no StatefulSet or also a Deployment (list it in deploymentScenarios)", name)
		}
		if has && !listed[name] {
			t.Errorf("%s has a Deployment but is not in deploymentScenarios", name)
		}
		if !has && listed[name] {
			t.Errorf("%s is in deploymentScenarios but has no Deployment", name)
		}
	}
}

// TestUpstreamDeterministic: the upstream side gives the same observations run after run,
// although the ReplicaSet controller creates and deletes pods from parallel goroutines.
func TestUpstreamDeterministic(t *testing.T) {
	for _, name := range []string{"deployment-defaults-10", "scale-mid-rollout", "node-failure", "sts-parallel", "sts-partition"} {
		sc, err := load(name)
		if err != nil {
			t.Fatal(err)
		}
		_, rp, err := kubesimRun(sc)
		if err != nil {
			t.Fatal(err)
		}
		first, _, err := runUpstream(sc, rp)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			again, _, err := runUpstream(sc, rp)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(first, again) {
				t.Fatalf("%s: run %d differs from the first: %v", name, i+2, compare(first, again))
			}
		}
	}
}

// TestComparisonSeesADifference plants a change on the upstream side only (maxSurge 1 -> 0
// in rolling-update) and expects the comparison to report the changed sizes and events.
func TestComparisonSeesADifference(t *testing.T) {
	un := plantedDifferences(t, "rolling-update", func(o api.Object) api.Object {
		d, ok := o.(*api.Deployment)
		if !ok {
			return o
		}
		planted := api.Clone(d)
		zero := api.FromInt(0)
		planted.Spec.Strategy.RollingUpdate.MaxSurge = &zero
		return planted
	})
	var sizes, events bool
	for _, d := range un {
		sizes = sizes || strings.HasPrefix(d.What, "rs/web[web:2.0]#2 spec.replicas")
		events = events || strings.Contains(d.What, "ScalingReplicaSet")
	}
	if !sizes || !events {
		t.Fatalf("a planted maxSurge change was not reported as size and event differences: %v", un)
	}
}

// TestComparisonSeesAStatefulSetDifference plants podManagementPolicy Parallel on the
// upstream side of sts-scale (OrderedReady in kubesim) and expects the earlier creations
// of web-1 and web-2 to be reported.
func TestComparisonSeesAStatefulSetDifference(t *testing.T) {
	un := plantedDifferences(t, "sts-scale", func(o api.Object) api.Object {
		s, ok := o.(*api.StatefulSet)
		if !ok {
			return o
		}
		planted := api.Clone(s)
		planted.Spec.PodManagementPolicy = api.ParallelPodManagement
		return planted
	})
	var pods, events bool
	for _, d := range un {
		pods = pods || strings.HasPrefix(d.What, "pod/web-1:")
		events = events || strings.Contains(d.What, "Create Pod web-2 in StatefulSet web")
	}
	if !pods || !events {
		t.Fatalf("a planted Parallel policy was not reported as pod and event differences: %v", un)
	}
}

// plantedDifferences runs catalogue scenario name in kubesim, then upstream with every
// manifest passed through plant, and returns the unexplained differences.
func plantedDifferences(t *testing.T, name string, plant func(api.Object) api.Object) []Diff {
	t.Helper()
	sc, err := load(name)
	if err != nil {
		t.Fatal(err)
	}
	ks, rp, err := kubesimRun(sc)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range sc.Manifests {
		sc.Manifests[i].Object = plant(m.Object)
	}
	up, _, err := runUpstream(sc, rp)
	if err != nil {
		t.Fatal(err)
	}
	un, _ := explain(compare(ks, up), knownFor(sc.Name))
	return un
}

// TestPatchReplacesMaps: a strategic merge patch with "$patch": "replace" (kubectl rollout
// undo of a StatefulSet applies its ControllerRevision's data so) drops the keys it leaves
// out, here the restartedAt annotation of the template.
func TestPatchReplacesMaps(t *testing.T) {
	s := newAPIServer(&vclock{now: epoch})
	ctx := t.Context()
	sets := s.client.AppsV1().StatefulSets("default")
	one := int32(1)
	set := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "default"},
		Spec: appsv1.StatefulSetSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "db"},
				Annotations: map[string]string{"kubectl.kubernetes.io/restartedAt": "now"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "db", Image: "db:1"}}}}}}
	if _, err := sets.Create(ctx, set, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	patch := `{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"db:1"}]}}}}`
	got, err := sets.Patch(ctx, "db", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Spec.Template.Annotations) != 0 || got.Generation != 2 {
		t.Fatalf("after the replace patch: annotations %v generation %d", got.Spec.Template.Annotations, got.Generation)
	}
}

// TestAPIServerSemantics pins the server-side write rules the controllers rely on.
func TestAPIServerSemantics(t *testing.T) {
	clock := &vclock{now: epoch}
	s := newAPIServer(clock)
	ctx := t.Context()
	deploys := s.client.AppsV1().Deployments("default")
	one := int32(1)
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "web:1"}}}}}}
	got, err := deploys.Create(ctx, d, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Generation != 1 || got.UID == "" || got.ResourceVersion == "" {
		t.Fatalf("create: generation %d uid %q rv %q", got.Generation, got.UID, got.ResourceVersion)
	}
	if got.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || *got.Spec.Strategy.RollingUpdate.MaxSurge != intstr.FromString("25%") {
		t.Fatalf("create did not default the strategy: %+v", got.Spec.Strategy)
	}
	// A status update keeps the spec; an update keeps the status and bumps the generation.
	st := got.DeepCopy()
	st.Status.Replicas = 7
	st.Spec.Paused = true
	got, _ = deploys.UpdateStatus(ctx, st, metav1.UpdateOptions{})
	if got.Spec.Paused || got.Status.Replicas != 7 || got.Generation != 1 {
		t.Fatalf("status update: paused %v replicas %d generation %d", got.Spec.Paused, got.Status.Replicas, got.Generation)
	}
	stale := got.DeepCopy()
	up := got.DeepCopy()
	up.Spec.Paused = true
	up.Status.Replicas = 0
	got, _ = deploys.Update(ctx, up, metav1.UpdateOptions{})
	if !got.Spec.Paused || got.Status.Replicas != 7 || got.Generation != 2 {
		t.Fatalf("update: paused %v replicas %d generation %d", got.Spec.Paused, got.Status.Replicas, got.Generation)
	}
	if _, err := deploys.Update(ctx, stale, metav1.UpdateOptions{}); err == nil || !strings.Contains(err.Error(), "modified") {
		t.Fatalf("a stale resourceVersion was not refused: %v", err)
	}
	// Graceful deletion of a bound pod; immediate for an unbound one; GC of dependents.
	pods := s.client.CoreV1().Pods("default")
	ref := metav1.NewControllerRef(got, appsv1.SchemeGroupVersion.WithKind("Deployment"))
	for _, node := range []string{"node-1", ""} {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-", Namespace: "default", OwnerReferences: []metav1.OwnerReference{*ref}},
			Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "web", Image: "web:1"}}}}
		if _, err := pods.Create(ctx, p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	_ = pods.Delete(ctx, "web-00001", metav1.DeleteOptions{})
	_ = pods.Delete(ctx, "web-00002", metav1.DeleteOptions{})
	if p, err := pods.Get(ctx, "web-00001", metav1.GetOptions{}); err != nil || p.DeletionTimestamp == nil ||
		!p.DeletionTimestamp.Time.Equal(epoch.Add(30*1e9)) {
		t.Fatalf("bound pod: want terminating until +30s, got %v %v", p, err)
	}
	if _, err := pods.Get(ctx, "web-00002", metav1.GetOptions{}); err == nil {
		t.Fatal("an unbound pod was not deleted at once")
	}
	s.finishPod("default", "web-00001", "")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "child", Namespace: "default", OwnerReferences: []metav1.OwnerReference{*ref}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "web:1"}}}}
	if _, err := pods.Create(ctx, p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := deploys.Delete(ctx, "web", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pods.Get(ctx, "child", metav1.GetOptions{}); err == nil {
		t.Fatal("the garbage collector left a pod whose owner is gone")
	}
}

// TestReadmeTable: README.md's Conformance table is what `go run . table` prints
// (`./build.sh conformance` rewrites it).
func TestReadmeTable(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- conformance table: ./build.sh conformance -->\n", "<!-- end of conformance table -->"
	_, rest, ok := strings.Cut(string(data), begin)
	got, _, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		t.Fatal("README.md has no conformance table markers")
	}
	rows, err := table()
	if err != nil {
		t.Fatal(err)
	}
	if want := markdown(rows); got != want {
		t.Errorf("README.md's conformance table is stale: run ./build.sh conformance\nREADME:\n%s\nnow:\n%s", got, want)
	}
}
