package statefulset_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/statefulset"
	"github.com/kubesim/kubesim/core/controllers/volume"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// BenchmarkParallelStatefulSet500: a 500-replica Parallel StatefulSet with one claim
// template (dynamically provisioned) scaled 0 -> 500 -> 0, pods Ready 5 s after creation
// and gone 1 s after deletion.
func BenchmarkParallelStatefulSet500(b *testing.B) {
	for i := 0; i < b.N; i++ {
		e := sim.New(sim.Options{Seed: 1})
		e.Register(gc.Controller{})
		e.Register(statefulset.Controller{})
		e.Register(volume.Controller{})
		e.Register(fakeKubelet{ready: api.Seconds(5), exit: api.Seconds(1)})
		ctx := e.ActionContext("bench")
		sc := &api.StorageClass{TypeMeta: api.TypeMeta{Kind: "StorageClass"}, ObjectMeta: api.ObjectMeta{Name: "standard",
			Annotations: map[string]string{api.DefaultStorageClassAnnotation: "true"}}, Provisioner: "csi.example.com"}
		api.Default(sc)
		s := web(0, func(s *api.StatefulSet) { s.Spec.PodManagementPolicy = api.ParallelPodManagement })
		api.Default(s)
		if err := ctx.Create(sc); err != nil {
			b.Fatal(err)
		}
		if err := ctx.Create(s); err != nil {
			b.Fatal(err)
		}
		scale := func(n int32, until api.Time) {
			cur, _ := store.GetAs[*api.StatefulSet](e.Store(), "StatefulSet", "default/web")
			cp := api.Clone(cur)
			cp.Spec.Replicas = api.Ptr(n)
			if err := e.ActionContext("bench").Update(cp); err != nil {
				b.Fatal(err)
			}
			if _, err := e.Step(); err != nil { // drain the write's work first (see report: AdvanceTo)
				b.Fatal(err)
			}
			if err := e.AdvanceTo(until); err != nil {
				b.Fatal(err)
			}
		}
		scale(500, sec(60))
		if got := e.Store().Len("Pod"); got != 500 {
			b.Fatalf("%d pods after scale-up", got)
		}
		scale(0, sec(120))
		if got := e.Store().Len("Pod"); got != 0 {
			b.Fatalf("%d pods after scale-down", got)
		}
		if got := e.Store().Len("PersistentVolumeClaim"); got != 500 {
			b.Fatalf("%d claims, want 500 retained", got)
		}
	}
}
